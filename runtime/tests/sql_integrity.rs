//! Statements that must never lose rows, crash the process or give a backend-dependent answer:
//! inserts of defaulted rows, huge run-time filters and IN lists, OFFSET without LIMIT, LIKE and
//! casts, on every backend.

mod common;

use azoth::Error;
use azoth::prelude::*;

azoth::model! {
    /// Every column but the key has a default: a row may set nothing.
    #[table = "ticks"]
    pub struct Tick {
        #[primary_key] pub id: i64,
        #[default(7)] pub n: i32,
        #[default("x")] pub label: String,
    }
}

azoth::model! {
    /// Nothing but a generated key.
    #[table = "counters"]
    pub struct Counter {
        #[primary_key] pub id: i64,
    }
}

azoth::model! {
    #[table = "items"]
    pub struct Item {
        #[primary_key(manual)] pub id: i64,
        pub name: String,
        pub score: f64,
    }
}

fn no_columns(n: usize) -> Vec<NewTick> {
    (0..n)
        .map(|_| NewTick {
            n: None,
            label: None,
        })
        .collect()
}

async fn items(s: &mut Session, n: i64) {
    let rows = (0..n).map(|id| Item {
        id,
        name: format!("item {id}"),
        score: id as f64,
    });
    s.execute(insert_many(rows.map(|i| NewItem {
        id: i.id,
        name: i.name,
        score: i.score,
    })))
    .await
    .unwrap();
}

#[tokio::test]
async fn dsl_insert_many_of_defaulted_rows_inserts_every_row() {
    for engine in common::engines("dsl_defaulted_rows").await {
        let db = common::name(&engine);
        engine.create_all::<(Tick, Counter)>().await.unwrap();
        let mut s = engine.session();

        assert_eq!(
            s.execute(insert_many(no_columns(5))).await.unwrap(),
            5,
            "{db}"
        );
        let ticks: Vec<Tick> = s.all(Tick::select().order_by(Tick::id)).await.unwrap();
        assert_eq!(ticks.len(), 5, "{db}");
        assert!(
            ticks.iter().all(|t| t.n == 7 && t.label == "x"),
            "{db}: defaults applied"
        );

        let counters = (0..4).map(|_| NewCounter {});
        assert_eq!(s.execute(insert_many(counters)).await.unwrap(), 4, "{db}");
        assert_eq!(
            s.scalar(select(count_all()).from(Counter::TABLE))
                .await
                .unwrap(),
            Some(4),
            "{db}"
        );

        // One defaulted row still inserts exactly one.
        assert_eq!(
            s.execute(insert_many(no_columns(1))).await.unwrap(),
            1,
            "{db}"
        );
        // Rows with different column sets: each value lands in its own row and column.
        let mixed = vec![
            NewTick {
                n: Some(1),
                label: None,
            },
            NewTick {
                n: None,
                label: None,
            },
            NewTick {
                n: None,
                label: Some("z".into()),
            },
        ];
        assert_eq!(s.execute(insert_many(mixed)).await.unwrap(), 3, "{db}");
        let last: Vec<(i32, String)> = s
            .all(
                select((Tick::n, Tick::label))
                    .order_by(Tick::id)
                    .offset(6)
                    .limit(3),
            )
            .await
            .unwrap();
        assert_eq!(
            last,
            [(1, "x".into()), (7, "x".into()), (7, "z".into())],
            "{db}"
        );
        // No rows: nothing runs, nothing is inserted.
        assert_eq!(
            s.execute(insert_many(Vec::<NewTick>::new())).await.unwrap(),
            0,
            "{db}"
        );
        assert_eq!(
            s.scalar(select(count_all()).from(Tick::TABLE))
                .await
                .unwrap(),
            Some(9),
            "{db}"
        );
    }
}

/// `Item::id.eq(id)` for each id, OR-ed at run time.
fn any_id(ids: impl Iterator<Item = i64>) -> Boxed<Item> {
    or_any(ids.map(|id| Item::id.eq(id).boxed()))
}

fn too_many_binds(e: &Error, count: usize) -> bool {
    matches!(e, Error::Bind(m) if m.contains(&format!("too many bound values: {count}")))
}

#[tokio::test]
async fn dsl_huge_run_time_filters_run_or_fail_with_an_error() {
    for engine in common::engines("dsl_huge_filters").await {
        let db = common::name(&engine);
        engine.create_all::<(Item,)>().await.unwrap();
        let mut s = engine.session();
        items(&mut s, 200).await;

        // 30,000 OR-ed comparisons (under every backend's bind limit): the even ids.
        let q = select(Item::id)
            .filter(any_id((0..30_000).map(|i| i * 2)))
            .order_by(Item::id);
        let ids: Vec<i64> = s.all(q).await.unwrap();
        assert_eq!(ids, (0..100).map(|i| i * 2).collect::<Vec<_>>(), "{db}");

        // 100,000 OR-ed conditions that bind nothing but one value render and run.
        let mut parts: Vec<Boxed<Item>> =
            (0..99_999).map(|_| Item::name.is_null().boxed()).collect();
        parts.push(Item::id.eq(3).boxed());
        let ids: Vec<i64> = s.all(select(Item::id).filter(or_any(parts))).await.unwrap();
        assert_eq!(ids, [3], "{db}");
        // And 100,000 AND-ed ones.
        let parts = (0..100_000).map(|_| Item::name.is_not_null().boxed());
        let n = s
            .scalar(select(count_all()).from(Item::TABLE).filter(and_all(parts)))
            .await
            .unwrap();
        assert_eq!(n, Some(200), "{db}");

        // 100,000 OR-ed comparisons bind more values than any backend takes: an error, before
        // anything is sent.
        let err = s
            .all(select(Item::id).filter(any_id(0..100_000)))
            .await
            .unwrap_err();
        assert!(too_many_binds(&err, 100_000), "{db}: {err}");
        // The session still works.
        assert_eq!(
            s.all(select(Item::id).filter(any_id(5..6))).await.unwrap(),
            [5],
            "{db}"
        );
    }
}

#[tokio::test]
async fn dsl_in_lists_over_the_bind_limit_are_an_error() {
    for engine in common::engines("dsl_long_in_lists").await {
        let db = common::name(&engine);
        engine.create_all::<(Item,)>().await.unwrap();
        let mut s = engine.session();
        items(&mut s, 50).await;

        let err = s
            .all(select(Item::id).filter(Item::id.in_(0..70_000i64)))
            .await
            .unwrap_err();
        assert!(too_many_binds(&err, 70_000), "{db}: {err}");
        let limit = match engine.backend() {
            Backend::Sqlite => "32766",
            _ => "65535",
        };
        assert!(err.to_string().contains(limit), "{db}: {err}");

        // Updates and deletes are checked the same way.
        let err = s
            .execute(delete(Item::TABLE).filter(Item::id.in_(0..70_000i64)))
            .await
            .unwrap_err();
        assert!(too_many_binds(&err, 70_000), "{db}: {err}");
        assert_eq!(
            s.scalar(select(count_all()).from(Item::TABLE))
                .await
                .unwrap(),
            Some(50),
            "{db}"
        );

        // 40,000 values: over SQLite's limit, under PostgreSQL's and MySQL's.
        let got = s
            .all(
                select(Item::id)
                    .filter(Item::id.in_(10..40_010i64))
                    .order_by(Item::id),
            )
            .await;
        match engine.backend() {
            Backend::Sqlite => assert!(too_many_binds(&got.unwrap_err(), 40_000), "{db}"),
            _ => assert_eq!(got.unwrap(), (10..50).collect::<Vec<i64>>(), "{db}"),
        }
    }
}
