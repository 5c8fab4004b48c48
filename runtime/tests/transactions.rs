//! Transactions: commit, rollback, rollback on drop and on cancellation, savepoints, and
//! constraint violations that leave the session usable; on every backend.

mod common;

use azoth::prelude::*;
use azoth::{ConstraintKind, Error};
use common::blog::*;

async fn names(s: &mut Session) -> Vec<String> {
    s.all(select(User::name).order_by(User::name))
        .await
        .unwrap()
}

#[tokio::test]
async fn commit_keeps_and_rollback_discards() {
    for engine in common::engines("tx_commit_rollback").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("ann")).await.unwrap();
        assert_eq!(
            tx.all(select(User::name)).await.unwrap(),
            ["ann"],
            "{db}: visible inside"
        );
        tx.commit().await.unwrap();
        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("bob")).await.unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(names(&mut s).await, ["ann"], "{db}");
    }
}

#[tokio::test]
async fn a_dropped_transaction_rolls_back() {
    for engine in common::engines("tx_drop").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        {
            let mut tx = s.begin().await.unwrap();
            tx.insert(new_user("ann")).await.unwrap();
            // dropped here, uncommitted
        }
        assert_eq!(names(&mut s).await, Vec::<String>::new(), "{db}");

        // An error returned with `?` drops the transaction the same way.
        async fn failing(s: &mut Session) -> azoth::Result<()> {
            let mut tx = s.begin().await?;
            tx.insert(new_user("bob")).await?;
            tx.insert(new_user("bob")).await?; // same email: unique violation
            tx.commit().await
        }
        assert!(
            matches!(
                failing(&mut s).await,
                Err(Error::Constraint {
                    kind: ConstraintKind::Unique,
                    ..
                })
            ),
            "{db}"
        );
        assert_eq!(names(&mut s).await, Vec::<String>::new(), "{db}");
    }
}

#[tokio::test]
async fn a_cancelled_task_rolls_its_transaction_back() {
    for engine in common::engines("tx_cancel").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let (inserted_tx, inserted_rx) = tokio::sync::oneshot::channel();
        let task_engine = engine.clone();
        let task = tokio::spawn(async move {
            let mut s = task_engine.session();
            let mut tx = s.begin().await.unwrap();
            tx.insert(new_user("ann")).await.unwrap();
            let _ = inserted_tx.send(());
            std::future::pending::<()>().await;
            tx.commit().await.unwrap();
        });
        inserted_rx.await.unwrap();
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        let mut s = engine.session();
        assert_eq!(names(&mut s).await, Vec::<String>::new(), "{db}");
    }
}

#[tokio::test]
async fn a_savepoint_rollback_keeps_the_outer_work() {
    for engine in common::engines("tx_savepoint").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("ann")).await.unwrap();
        {
            let mut sp = tx.begin_nested().await.unwrap();
            sp.insert(new_user("bob")).await.unwrap();
            sp.rollback().await.unwrap();
        }
        {
            let mut sp = tx.begin_nested().await.unwrap();
            sp.insert(new_user("carol")).await.unwrap();
            // dropped: rolled back to the savepoint
        }
        {
            let mut sp = tx.begin_nested().await.unwrap();
            sp.insert(new_user("dave")).await.unwrap();
            sp.commit().await.unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(names(&mut s).await, ["ann", "dave"], "{db}");
    }
}

#[tokio::test]
async fn a_unique_violation_names_its_constraint_and_the_session_stays_usable() {
    for engine in common::engines("tx_unique").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        s.insert(new_user("ann")).await.unwrap();
        let err = s.insert(new_user("ann")).await.unwrap_err();
        match &err {
            Error::Constraint {
                kind: ConstraintKind::Unique,
                message,
                constraint,
                ..
            } => {
                let named = constraint.as_deref().unwrap_or(message);
                assert!(
                    named.contains("email"),
                    "{db}: the error names the constraint or column: {err}"
                );
            }
            other => panic!("{db}: expected a unique violation, got {other:?}"),
        }
        let err = s.insert(new_post(424242, "orphan", 0)).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Constraint {
                    kind: ConstraintKind::ForeignKey,
                    ..
                }
            ),
            "{db}: {err:?}"
        );
        s.insert(new_user("bob")).await.unwrap();
        assert_eq!(names(&mut s).await, ["ann", "bob"], "{db}");
    }
}
