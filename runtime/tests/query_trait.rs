//! `Db`: helper functions written once run on a session, a transaction and a savepoint, on
//! every backend.

mod common;

use azoth::prelude::*;
use azoth::{Error, Outcome};
use common::blog::*;

/// A helper that uses every query method of the trait, generic over what runs it.
async fn create_user_and_read_back(db: &mut impl Db, name: &str) -> azoth::Result<(User, u64)> {
    let user = db.insert(new_user(name)).await?;
    let by_key = db.get::<User>(user.id).await?;
    assert_eq!(by_key.as_ref(), Some(&user));
    let one = db.one(User::select().filter(User::id.eq(user.id))).await?;
    assert_eq!(one, user);
    let none = db
        .one_or_none(User::select().filter(User::id.eq(-1)))
        .await?;
    assert_eq!(none, None);
    let first: Option<String> = db
        .first(select(User::name).filter(User::id.eq(user.id)))
        .await?;
    assert_eq!(first.as_deref(), Some(name));
    assert!(
        db.exists(User::select().filter(User::name.eq(name)))
            .await?
    );
    let changed = db
        .execute(
            update(User::TABLE)
                .set(User::karma, 7)
                .filter(User::id.eq(user.id)),
        )
        .await?;
    let streamed: Vec<String> = db
        .stream(select(User::name).filter(User::karma.eq(7).and(User::id.eq(user.id))))
        .try_collect()
        .await?;
    assert_eq!(streamed, [name]);
    Ok((user, changed))
}

async fn count_users(db: &mut impl Db) -> azoth::Result<i64> {
    Ok(db
        .scalar(select(count_all()).from(User::TABLE))
        .await?
        .unwrap_or(0))
}

#[tokio::test]
async fn qtrait_one_helper_runs_on_a_session_a_transaction_and_a_savepoint() {
    for engine in common::engines("qtrait_helper").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let (ann, changed) = create_user_and_read_back(&mut s, "ann").await.unwrap();
        assert_eq!(changed, 1, "{db}");

        let mut tx = s.begin().await.unwrap();
        create_user_and_read_back(&mut tx, "bob").await.unwrap();
        // `Db::begin` in a transaction is a savepoint: rolled back, it keeps bob.
        let mut sp = Db::begin(&mut tx).await.unwrap();
        create_user_and_read_back(&mut sp, "cid").await.unwrap();
        assert_eq!(count_users(&mut sp).await.unwrap(), 3, "{db}");
        sp.rollback().await.unwrap();
        assert_eq!(count_users(&mut tx).await.unwrap(), 2, "{db}");
        tx.commit().await.unwrap();

        let names: Vec<String> = s
            .all(select(User::name).order_by(User::id.asc()))
            .await
            .unwrap();
        assert_eq!(names, ["ann", "bob"], "{db}");
        // A helper's transaction, begun through the trait on a session, commits there.
        let mut tx = Db::begin(&mut s).await.unwrap();
        tx.execute(delete(User::TABLE).filter(User::id.eq(ann.id)))
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(count_users(&mut s).await.unwrap(), 2, "{db}");
    }
}

/// Errors come through the trait as from the methods: a missing row, a failed transaction.
#[tokio::test]
async fn qtrait_errors_through_the_trait_are_the_methods_errors() {
    for engine in common::engines("qtrait_errors").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        async fn must_find(db: &mut impl Db, id: i64) -> azoth::Result<User> {
            db.one(User::select().filter(User::id.eq(id))).await
        }
        assert!(
            matches!(must_find(&mut s, 42).await, Err(Error::NotFound)),
            "{db}"
        );
        let mut tx = s.begin().await.unwrap();
        async fn insert_twice(db: &mut impl Db) -> azoth::Result<Outcome> {
            db.insert(new_user("dup")).await?;
            db.execute_outcome(insert(new_user("dup"))).await
        }
        let err = insert_twice(&mut tx).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Constraint {
                    kind: azoth::ConstraintKind::Unique,
                    ..
                }
            ),
            "{db}: {err:?}"
        );
        assert!(
            matches!(
                count_users(&mut tx).await,
                Err(Error::TransactionFailed { .. })
            ),
            "{db}"
        );
        drop(tx);
        assert_eq!(count_users(&mut s).await.unwrap(), 0, "{db}");
    }
}

/// A helper typed for one backend takes that backend's sessions and transactions.
#[tokio::test]
async fn qtrait_typed_helper_takes_a_typed_session() {
    async fn ids(db: &mut impl Db<Backend = azoth::typed::Sqlite>) -> azoth::Result<Vec<i64>> {
        db.insert_returning(insert(new_user("ann")).returning(User::id))
            .await
    }
    let engine = Engine::<azoth::typed::Sqlite>::connect_typed("sqlite::memory:")
        .await
        .unwrap();
    engine.create_all::<(User, Post)>().await.unwrap();
    let mut s = engine.session();
    assert_eq!(ids(&mut s).await.unwrap().len(), 1);
    let mut tx = s.begin().await.unwrap();
    let err = ids(&mut tx).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Constraint {
                kind: azoth::ConstraintKind::Unique,
                ..
            }
        ),
        "the same email again, in a transaction: {err:?}"
    );
}
