//! UPDATE/DELETE … RETURNING run through `all`/`one`/`first`: on an untyped engine, on the typed
//! engines whose backend has them, and DELETE … RETURNING on a typed MySQL engine (MariaDB).
use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::User;

async fn untyped(s: &mut Session) -> azoth::Result<(Vec<(i64, i32)>, User, Option<String>)> {
    let bumped = s
        .all(
            update(User::TABLE)
                .set(User::karma, User::karma.add(1))
                .returning((User::id, User::karma)),
        )
        .await?;
    let one = s
        .one(
            update(User::TABLE)
                .set(User::bio, None)
                .filter(User::id.eq(1))
                .returning_model(),
        )
        .await?;
    let gone = s
        .first(
            delete(User::TABLE)
                .filter(User::id.eq(2))
                .returning(User::name),
        )
        .await?;
    Ok((bumped, one, gone))
}

async fn pg(s: &mut Session<typed::Postgres>) -> azoth::Result<Vec<User>> {
    s.all(update(User::TABLE).set(User::karma, 0).returning_model())
        .await
}

async fn sqlite(tx: &mut Transaction<'_, typed::Sqlite>) -> azoth::Result<Vec<i64>> {
    tx.all(update(User::TABLE).set(User::karma, 0).returning(User::id))
        .await
}

async fn mariadb(s: &mut Session<typed::MySql>) -> azoth::Result<Vec<User>> {
    s.all(
        delete(User::TABLE)
            .filter(User::karma.lt(0))
            .returning_model(),
    )
    .await
}

fn main() {
    let _ = (untyped, pg, sqlite, mariadb);
}
