//! One helper function takes a session, a transaction and a typed session: the `Db` trait.
use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::{NewUser, Post, User};

async fn create_user(db: &mut impl Db, new: NewUser) -> azoth::Result<User> {
    db.insert(new).await
}

async fn titles(db: &mut impl Db, author: i64) -> azoth::Result<Vec<String>> {
    db.all(select(Post::title).filter(Post::author_id.eq(author))).await
}

async fn ids_on_postgres(db: &mut impl Db<Backend = typed::Postgres>, new: NewUser) -> azoth::Result<Vec<i64>> {
    db.insert_returning(insert(new).returning(User::id)).await
}

async fn anywhere_with_returning<D>(db: &mut D, new: NewUser) -> azoth::Result<Vec<i64>>
where
    D: Db<Backend: typed::InsertReturning>,
{
    db.insert_returning(insert(new).returning(User::id)).await
}

async fn both(s: &mut Session, new: NewUser) -> azoth::Result<()> {
    let ann = create_user(s, new).await?;
    let mut tx = s.begin().await?;
    titles(&mut tx, ann.id).await?;
    tx.commit().await
}

async fn typed(s: &mut Session<typed::Postgres>, new: NewUser) -> azoth::Result<()> {
    let mut tx = s.begin().await?;
    ids_on_postgres(&mut tx, new).await?;
    titles(&mut tx, 1).await?;
    tx.commit().await
}

fn spawned(s: Session) -> tokio::task::JoinHandle<azoth::Result<Vec<String>>> {
    // The helpers' futures are `Send`: they run on a multi-threaded runtime.
    tokio::spawn(async move {
        let mut s = s;
        titles(&mut s, 1).await
    })
}

fn main() {
    let _ = (both, typed, spawned, anywhere_with_returning::<Session>);
}
