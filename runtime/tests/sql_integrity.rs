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
