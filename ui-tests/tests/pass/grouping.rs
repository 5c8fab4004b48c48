// Grouped queries whose every column outside aggregates is grouped, or depends on a grouped
// single-column primary key.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::alias!(pub Author = User);

async fn run(s: &mut Session) -> azoth::Result<()> {
    // Grouped by the primary key: the user's other columns depend on it.
    let _: Vec<(i64, String, i64)> = s
        .all(select((User::id, User::name, count(Post::id))).join(User::posts).group_by(User::id))
        .await?;
    // A whole row, grouped by its primary key.
    let _: Vec<(User, i64)> = s
        .all(select((Whole::<User>::new(), count(Post::id))).join(User::posts).group_by(User::id))
        .await?;
    Ok(())
}

fn main() {
    let _ = run;
    // The key and the column both grouped: no ambiguity.
    let _ = select((User::id, User::name, count(Post::id)))
        .join(Post::TABLE.on(Post::author_id.eq(User::id)))
        .group_by((User::id, User::name))
        .to_sql(Backend::Sqlite);
    // Aggregates of the joined table's columns; HAVING on aggregates and grouped columns, ORDER
    // BY on columns the key determines too.
    let _ = select((User::name, count(Post::id), sum(Post::likes), max(Post::title)))
        .join(User::posts)
        .group_by(User::id)
        .having(count(Post::id).gt(1).and(User::id.gt(0)))
        .order_by((User::email, max(Post::likes).desc()))
        .to_sql(Backend::Postgres);
    // Grouped by a column that is not a key: that column, functions of it, aggregates.
    let _ = select((lower(User::name), User::name, count_all()))
        .group_by(User::name)
        .order_by(User::name)
        .to_sql(Backend::Postgres);
    // A join after `group_by`: the grouped columns follow their table.
    let _ = select((User::name, count(Post::id)))
        .group_by(User::id)
        .join(User::posts)
        .to_sql(Backend::MySql);
    // An alias is a table of its own: grouped by its key, its other columns may be selected.
    let _ = select((count(Post::id), Author.col(User::id), Author.col(User::name)))
        .join(Post::author.aliased(Author))
        .group_by(Author.col(User::id))
        .to_sql(Backend::Postgres);
    let _ = select((count(Post::id), Author.all()))
        .join(Post::author.aliased(Author))
        .group_by(Author.col(User::id))
        .to_sql(Backend::Postgres);
    // Boxed expressions: an aggregate anywhere; plain columns when the key is grouped.
    let _ = select((User::name, count(Post::id).boxed_expr::<Post, _>()))
        .join(User::posts)
        .group_by(User::name)
        .to_sql(Backend::Sqlite);
    let _ = select((User::name.eq("ann").boxed(), count(Post::id)))
        .join(User::posts)
        .group_by(User::id)
        .to_sql(Backend::Sqlite);
    // A relationship condition and a subquery: the first needs the key grouped.
    let _ = select((User::posts.exists(), count_all()))
        .group_by(User::id)
        .having(exists(select(Post::id).filter(Post::likes.gt(100))))
        .to_sql(Backend::Postgres);
    // Several `group_by` calls accumulate.
    let _ = select((User::name, User::email, count_all()))
        .group_by(User::name)
        .group_by(User::email)
        .to_sql(Backend::Sqlite);
}
