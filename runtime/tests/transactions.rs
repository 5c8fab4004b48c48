//! Transactions: commit, rollback, rollback on drop and on cancellation, savepoints, and
//! constraint violations that leave the session usable; on every backend.

mod common;

use azoth::prelude::*;
use azoth::{ConflictKind, ConstraintKind, Error};
use common::blog::*;
use std::sync::Arc;
use tokio::sync::Barrier;

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

/// Whether `err` is the error of a statement run after an earlier one failed in the transaction.
fn is_failed_transaction(err: &Error) -> bool {
    matches!(err, Error::TransactionFailed { .. })
}

#[tokio::test]
async fn after_a_failed_statement_commit_is_an_error_and_nothing_is_kept() {
    for engine in common::engines("tx_failed_commit").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        s.insert(new_user("ann")).await.unwrap();
        let before = engine.statements_run();
        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("bob")).await.unwrap();
        let err = tx.insert(new_user("ann")).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Constraint {
                    kind: ConstraintKind::Unique,
                    ..
                }
            ),
            "{db}: {err:?}"
        );
        let sent = engine.statements_run();
        // Further statements are refused without reaching the database (SQLAlchemy's
        // PendingRollbackError): writes, reads, streams and savepoints alike.
        let err = tx.insert(new_user("carol")).await.unwrap_err();
        assert!(is_failed_transaction(&err), "{db}: {err:?}");
        assert!(
            err.to_string().contains("unique"),
            "{db}: the error names the first failure: {err}"
        );
        let err = tx.all(select(User::name)).await.unwrap_err();
        assert!(is_failed_transaction(&err), "{db}: {err:?}");
        let streamed = tx.stream(select(User::name)).try_next().await;
        assert!(
            matches!(&streamed, Err(e) if is_failed_transaction(e)),
            "{db}: {streamed:?}"
        );
        assert!(
            tx.begin_nested()
                .await
                .is_err_and(|e| is_failed_transaction(&e)),
            "{db}"
        );
        assert_eq!(engine.statements_run(), sent, "{db}: nothing was sent");
        let err = tx.commit().await.unwrap_err();
        assert!(
            is_failed_transaction(&err) && !err.is_retryable(),
            "{db}: {err:?}"
        );
        assert!(
            err.to_string().contains("rolled back"),
            "{db}: the message says what happened: {err}"
        );
        assert!(engine.statements_run() > before, "{db}");
        assert_eq!(
            names(&mut s).await,
            ["ann"],
            "{db}: nothing of the failed transaction was committed (bob is not half-committed)"
        );
        // The connection went back to the pool clean: a new transaction commits.
        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("dave")).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(names(&mut s).await, ["ann", "dave"], "{db}");
    }
}

#[tokio::test]
async fn a_failed_transaction_rolls_back_cleanly() {
    for engine in common::engines("tx_failed_rollback").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        s.insert(new_user("ann")).await.unwrap();
        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("bob")).await.unwrap();
        tx.insert(new_user("ann")).await.unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(names(&mut s).await, ["ann"], "{db}");
    }
}

#[tokio::test]
async fn a_savepoint_contains_a_failed_statement() {
    for engine in common::engines("tx_savepoint_failure").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        s.insert(new_user("ann")).await.unwrap();
        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("bob")).await.unwrap();
        {
            // Rolled back explicitly.
            let mut sp = tx.begin_nested().await.unwrap();
            sp.insert(new_user("carol")).await.unwrap();
            sp.insert(new_user("ann")).await.unwrap_err();
            let err = sp.insert(new_user("erin")).await.unwrap_err();
            assert!(is_failed_transaction(&err), "{db}: {err:?}");
            sp.rollback().await.unwrap();
        }
        {
            // Dropped after the failure: rolled back to the savepoint.
            let mut sp = tx.begin_nested().await.unwrap();
            sp.insert(new_user("ann")).await.unwrap_err();
        }
        {
            // Committing a failed savepoint is an error; it is rolled back, the outer
            // transaction goes on.
            let mut sp = tx.begin_nested().await.unwrap();
            sp.insert(new_user("frank")).await.unwrap();
            sp.insert(new_user("ann")).await.unwrap_err();
            let err = sp.commit().await.unwrap_err();
            assert!(is_failed_transaction(&err), "{db}: {err:?}");
        }
        tx.insert(new_user("dave")).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            names(&mut s).await,
            ["ann", "bob", "dave"],
            "{db}: the outer work is kept, the failed savepoints' work is not"
        );
    }
}

/// Creates users ann and bob and runs two [`deadlock_side`]s against each other: the victim's
/// side first, then the winner's.
async fn deadlock(engine: &Engine, nested: bool) -> [Side; 2] {
    engine.create_all::<(User, Post)>().await.unwrap();
    let mut s = engine.session();
    let a = s.insert(new_user("ann")).await.unwrap().id;
    let b = s.insert(new_user("bob")).await.unwrap().id;
    let both = Arc::new(Barrier::new(2));
    let one = tokio::spawn(deadlock_side(engine.clone(), a, b, both.clone(), nested));
    let two = tokio::spawn(deadlock_side(engine.clone(), b, a, both, nested));
    let [x, y] = [one.await.unwrap(), two.await.unwrap()];
    if x.second_update.is_err() {
        [x, y]
    } else {
        [y, x]
    }
}

/// What one side of a deadlock saw.
#[derive(Debug)]
struct Side {
    second_update: azoth::Result<u64>,
    later: Option<azoth::Result<u64>>,
    commit: azoth::Result<()>,
}

/// Updates `first`, waits for the other side, updates `second`; a victim carries on as a careless
/// program would (one more update, then commit).
/// The second update runs inside a savepoint when `nested` (rolled back when it fails).
async fn deadlock_side(
    engine: Engine,
    first: i64,
    second: i64,
    both: Arc<Barrier>,
    nested: bool,
) -> Side {
    let mut s = engine.session();
    let mut tx = s.begin().await.unwrap();
    tx.execute(
        update(User::TABLE)
            .set(User::karma, first as i32)
            .filter(User::id.eq(first)),
    )
    .await
    .unwrap();
    both.wait().await;
    let second = update(User::TABLE)
        .set(User::karma, first as i32)
        .filter(User::id.eq(second));
    let second_update = if nested {
        let mut sp = tx.begin_nested().await.unwrap();
        let done = sp.execute(second).await;
        match done {
            Ok(_) => sp.commit().await.unwrap(),
            Err(_) => sp.rollback().await.unwrap(),
        }
        done
    } else {
        tx.execute(second).await
    };
    let later = match second_update {
        Ok(_) => None,
        Err(_) => Some(
            tx.execute(
                update(User::TABLE)
                    .set(User::bio, Some("written after a deadlock".to_owned()))
                    .filter(User::id.eq(first)),
            )
            .await,
        ),
    };
    let commit = tx.commit().await;
    Side {
        second_update,
        later,
        commit,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadlock_victim_is_never_half_committed() {
    for engine in common::engines("tx_deadlock").await {
        let db = common::name(&engine);
        if engine.backend() == Backend::Sqlite {
            continue; // one writer at a time: no deadlock to have
        }
        let mut s = engine.session();
        let [victim, winner] = &deadlock(&engine, false).await;
        let sides = [victim, winner];
        assert!(
            victim.second_update.is_err() && winner.second_update.is_ok(),
            "{db}: one side is the deadlock's victim: {sides:?}"
        );
        assert!(winner.commit.is_ok(), "{db}: {sides:?}");
        assert!(
            matches!(&victim.later, Some(Err(e)) if is_failed_transaction(e)),
            "{db}: the victim's later statement is refused: {sides:?}"
        );
        assert!(
            matches!(&victim.commit, Err(e) if is_failed_transaction(e) && e.is_retryable()),
            "{db}: the victim's commit is an error, retryable as its deadlock was: {sides:?}"
        );
        assert!(
            matches!(&victim.second_update, Err(e @ Error::Conflict { kind: ConflictKind::Deadlock, .. }) if e.is_retryable()),
            "{db}: {sides:?}"
        );
        let bios: Vec<Option<String>> = s.all(select(User::bio)).await.unwrap();
        assert_eq!(
            bios,
            [None, None],
            "{db}: nothing the victim wrote was kept"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadlock_in_a_savepoint_is_contained_only_where_the_server_allows_it() {
    for engine in common::engines("tx_deadlock_nested").await {
        let db = common::name(&engine);
        if engine.backend() == Backend::Sqlite {
            continue;
        }
        let mut s = engine.session();
        let [victim, winner] = &deadlock(&engine, true).await;
        let sides = [victim, winner];
        assert!(
            victim.second_update.is_err() && winner.commit.is_ok(),
            "{db}: {sides:?}"
        );
        let bios: Vec<Option<String>> = s
            .all(select(User::bio).filter(User::bio.is_not_null()))
            .await
            .unwrap();
        if engine.backend() == Backend::MySql {
            // MySQL rolled back the victim's whole transaction: the savepoint is gone with it.
            assert!(
                matches!(&victim.later, Some(Err(e)) if is_failed_transaction(e))
                    && matches!(&victim.commit, Err(e) if is_failed_transaction(e)),
                "{db}: {sides:?}"
            );
            assert!(bios.is_empty(), "{db}: {bios:?}");
        } else {
            // PostgreSQL rolls back to the savepoint; the rest of the transaction commits.
            assert!(
                matches!(&victim.later, Some(Ok(1))) && victim.commit.is_ok(),
                "{db}: {sides:?}"
            );
            assert_eq!(bios, [Some("written after a deadlock".to_owned())], "{db}");
        }
        // Every pooled connection is clean afterwards.
        for i in 0..6 {
            let mut tx = s.begin().await.unwrap();
            tx.insert(new_user(&format!("u{i}"))).await.unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(s.all(select(count(User::id))).await.unwrap(), [8], "{db}");
    }
}

#[tokio::test]
async fn a_statement_split_into_parts_lands_whole_or_not_at_all() {
    for engine in common::engines("tx_split_statement").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        s.insert(new_user("taken")).await.unwrap();
        // 30,000 rows take several statements on every backend; the last row's email is taken,
        // so the last part fails after the first parts were written.
        let rows = || {
            (0..30_000)
                .map(|i| new_user(&format!("u{i:05}")))
                .chain([new_user("taken")])
        };

        let err = s.execute(insert_many(rows())).await.unwrap_err();
        assert!(matches!(err, Error::Constraint { .. }), "{db}: {err:?}");
        assert_eq!(users(&mut s).await, 1, "{db}: a session keeps no part");

        let mut tx = s.begin().await.unwrap();
        tx.insert(new_user("before")).await.unwrap();
        let err = tx.execute(insert_many(rows())).await.unwrap_err();
        assert!(matches!(err, Error::Constraint { .. }), "{db}: {err:?}");
        let err = tx.insert(new_user("after")).await.unwrap_err();
        assert!(is_failed_transaction(&err), "{db}: {err:?}");
        let err = tx.commit().await.unwrap_err();
        assert!(is_failed_transaction(&err), "{db}: {err:?}");
        assert_eq!(users(&mut s).await, 1, "{db}: a transaction keeps no part");
    }
}

async fn users(s: &mut Session) -> i64 {
    s.one(select(count(User::id))).await.unwrap()
}
