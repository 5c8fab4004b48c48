//! Row locks on every backend: two transactions taking jobs with `FOR UPDATE SKIP LOCKED` never
//! take the same row; `NOWAIT` fails at once on a held row; SQLite refuses a locked query at run
//! time (untyped engine) before sending it.

mod common;

use std::collections::HashSet;

use azoth::prelude::*;

azoth::model! {
    #[table = "sql_jobs"]
    pub struct Job {
        #[primary_key] pub id: i64,
        pub payload: String,
        pub done: bool,
        pub taken_by: Option<i32>,
    }
}

/// The next free job, locked by this transaction, skipping those other transactions hold.
fn next_job() -> azoth::Locked<Select<From1<Job>, Whole<Job>>> {
    Job::select()
        .filter(Job::done.eq(false))
        .order_by(Job::id)
        .limit(1)
        .for_update()
        .skip_locked()
}

/// Takes jobs one transaction each until none is free; returns the ids taken.
async fn worker(engine: Engine, me: i32) -> Vec<i64> {
    let mut taken = Vec::new();
    loop {
        let mut tx = engine.begin().await.unwrap();
        let Some(job) = tx.first(next_job()).await.unwrap() else {
            tx.commit().await.unwrap();
            return taken;
        };
        // Hold the lock a moment so that the other worker runs meanwhile.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        tx.execute(
            update(Job::TABLE)
                .set(Job::done, true)
                .set(Job::taken_by, Some(me))
                .filter(Job::id.eq(job.id)),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        taken.push(job.id);
    }
}

#[tokio::test]
async fn sql_skip_locked_workers_never_take_the_same_job() {
    for engine in common::engines("sql_skip_locked").await {
        let db = common::name(&engine);
        engine.create_all::<(Job,)>().await.unwrap();
        let mut s = engine.session();
        s.execute(insert_many((0..30).map(|i| NewJob {
            payload: format!("job {i}"),
            done: false,
            taken_by: None,
        })))
        .await
        .unwrap();

        if engine.backend() == Backend::Sqlite {
            let before = engine.statements_run();
            let err = s.all(next_job()).await.unwrap_err();
            assert!(
                matches!(&err, azoth::Error::Unsupported(m) if m.contains("SQLite has no row locks")),
                "{db}: {err}"
            );
            assert_eq!(engine.statements_run(), before, "{db}: nothing sent");
            continue;
        }

        // Two open transactions: the second skips the row the first holds.
        let mut t1 = engine.begin().await.unwrap();
        let mut t2 = engine.begin().await.unwrap();
        let a = t1.first(next_job()).await.unwrap().unwrap();
        let b = t2.first(next_job()).await.unwrap().unwrap();
        assert_ne!(
            a.id, b.id,
            "{db}: the second transaction skips the locked job"
        );
        // NOWAIT on the held row fails at once (a third transaction: PostgreSQL aborts it).
        let mut t3 = engine.begin().await.unwrap();
        let held = t3
            .all(Job::select().filter(Job::id.eq(a.id)).for_update().nowait())
            .await;
        assert!(held.is_err(), "{db}: NOWAIT on a held row");
        t3.rollback().await.unwrap();
        // FOR SHARE on a free row works in another transaction.
        let mut t4 = engine.begin().await.unwrap();
        let shared = t4
            .all(
                select(Job::id)
                    .filter(Job::id.ne(a.id).and(Job::id.ne(b.id)))
                    .order_by(Job::id)
                    .limit(1)
                    .for_share()
                    .skip_locked(),
            )
            .await
            .unwrap();
        assert_eq!(shared.len(), 1, "{db}: FOR SHARE");
        t4.rollback().await.unwrap();
        t1.rollback().await.unwrap();
        t2.rollback().await.unwrap();

        // Two workers drain the queue concurrently: every job taken exactly once.
        let (x, y) = tokio::join!(
            tokio::spawn(worker(engine.clone(), 1)),
            tokio::spawn(worker(engine.clone(), 2))
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        let all: HashSet<i64> = x.iter().chain(&y).copied().collect();
        assert_eq!(
            all.len(),
            x.len() + y.len(),
            "{db}: a job taken twice: {x:?} {y:?}"
        );
        assert_eq!(all.len(), 30, "{db}: every job taken");
        assert!(
            !x.is_empty() && !y.is_empty(),
            "{db}: both workers took jobs"
        );
        let by: Vec<(i64, Option<i32>)> = s
            .all(select((Job::id, Job::taken_by)).order_by(Job::id))
            .await
            .unwrap();
        for (id, w) in by {
            let want = if x.contains(&id) { 1 } else { 2 };
            assert_eq!(w, Some(want), "{db}: job {id}");
        }
    }
}
