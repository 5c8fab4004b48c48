//! A routing session goes where a session goes: helpers written against `Db` take it.
use azoth::prelude::*;
use azoth::{Router, RoutingSession};
use azoth_ui_tests::{NewUser, User};

async fn create_user(db: &mut impl Db, new: NewUser) -> azoth::Result<User> {
    db.insert(new).await
}

async fn run(router: Router, new: NewUser) -> azoth::Result<Vec<String>> {
    let mut s: RoutingSession = router.session();
    create_user(&mut s, new).await?;
    let mut tx = s.begin().await?;
    let names = tx.all(select(User::name)).await?;
    tx.commit().await?;
    s.on_reader().all(select(User::name)).await?;
    Ok(names)
}

fn main() {
    let _ = run;
}
