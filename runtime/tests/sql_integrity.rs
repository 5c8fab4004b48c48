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
        #[server_default(7)] pub n: i32,
        #[server_default("x")] pub label: String,
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
async fn dsl_insert_returning_inserts_exactly_the_rows_given() {
    for engine in common::engines("dsl_returning_rows").await {
        let db = common::name(&engine);
        engine.create_all::<(Tick,)>().await.unwrap();
        let mut s = engine.session();
        if engine.backend() == Backend::MySql {
            continue; // no INSERT .. RETURNING
        }
        let none = insert_many(Vec::<NewTick>::new()).returning(Tick::id);
        let ids: Vec<i64> = s.insert_returning(none).await.unwrap();
        assert!(ids.is_empty(), "{db}: {ids:?}");
        let three = insert_many(no_columns(3)).returning((Tick::n, Tick::label));
        let rows: Vec<(i32, String)> = s.insert_returning(three).await.unwrap();
        assert_eq!(rows, vec![(7, "x".to_owned()); 3], "{db}");
        let n = s
            .scalar(select(count_all()).from(Tick::TABLE))
            .await
            .unwrap();
        assert_eq!(n, Some(3), "{db}");
    }
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

#[tokio::test]
async fn dsl_offset_without_limit_skips_rows_on_every_backend() {
    for engine in common::engines("dsl_offset_only").await {
        let db = common::name(&engine);
        engine.create_all::<(Item,)>().await.unwrap();
        let mut s = engine.session();
        items(&mut s, 5).await;

        let q = select(Item::id).order_by(Item::id).offset(3);
        assert_eq!(s.all(q).await.unwrap(), [3, 4], "{db}");
        let q = select(Item::id).order_by(Item::id).offset(2);
        assert_eq!(s.first(q).await.unwrap(), Some(2), "{db}");
        // `first` and `exists` never ask for more rows than the query's own limit.
        let q = select(Item::id).order_by(Item::id).limit(0);
        assert_eq!(s.first(q).await.unwrap(), None, "{db}");
        let q = select(Item::id).limit(0);
        assert!(!s.exists(q).await.unwrap(), "{db}");
    }
}

#[tokio::test]
async fn dsl_literal_text_matches_see_the_whole_text() {
    for engine in common::engines("dsl_literal_like").await {
        let db = common::name(&engine);
        engine.create_all::<(Item,)>().await.unwrap();
        let mut s = engine.session();
        let item = |id: i64, name: &str| NewItem {
            id,
            name: name.into(),
            score: 0.0,
        };
        let rows = [
            (1, "50%_off!"),
            (2, "50 percent off"),
            (3, "Shout!"),
            (4, "tail"),
        ];
        s.execute(insert_many(rows.map(|(id, n)| item(id, n))))
            .await
            .unwrap();
        let find = async |s: &mut Session, f: Boxed<Item>| -> Vec<i64> {
            s.all(select(Item::id).filter(f).order_by(Item::id))
                .await
                .unwrap()
        };
        // A NUL inside the text does not end it (PostgreSQL refuses NUL in text).
        let nul = s.execute(insert(item(0, "nul\0byte"))).await;
        if engine.backend() == Backend::Postgres {
            assert!(nul.is_err(), "{db}");
        } else {
            nul.unwrap();
            let none: [i64; 0] = [];
            assert_eq!(
                find(&mut s, Item::name.ends_with("nul").boxed()).await,
                none,
                "{db}"
            );
            assert_eq!(
                find(&mut s, Item::name.ends_with("byte").boxed()).await,
                [0],
                "{db}"
            );
            assert_eq!(
                find(&mut s, Item::name.contains("\0by").boxed()).await,
                [0],
                "{db}"
            );
            assert_eq!(
                find(&mut s, Item::name.starts_with("nul\0").boxed()).await,
                [0],
                "{db}"
            );
            s.execute(delete(Item::TABLE).filter(Item::id.eq(0)))
                .await
                .unwrap();
        }
        // Wildcards and the escape character in the argument match only themselves.
        let f = Item::name.contains("%_off!").boxed();
        assert_eq!(find(&mut s, f).await, [1], "{db}");
        let f = Item::name.starts_with("50%").boxed();
        assert_eq!(find(&mut s, f).await, [1], "{db}");
        let f = Item::name.ends_with("!").boxed();
        assert_eq!(find(&mut s, f).await, [1, 3], "{db}");
        let f = Item::name.ends_with("").boxed();
        assert_eq!(find(&mut s, f).await, [1, 2, 3, 4], "{db}");
        // like/ilike take the same escape on every backend: `!` before `%`, `_` or `!`; a
        // backslash is an ordinary character.
        let f = Item::name
            .ilike(format!("%{}%", escape_like("0%_O")))
            .boxed();
        assert_eq!(find(&mut s, f).await, [1], "{db}");
        let f = Item::name.like("50!%%").boxed();
        assert_eq!(find(&mut s, f).await, [1], "{db}");
        let f = Item::name.like("%out!!").boxed();
        assert_eq!(find(&mut s, f).await, [3], "{db}");
        let f = Item::name.like("50\\%%").boxed();
        assert_eq!(find(&mut s, f).await, [] as [i64; 0], "{db}");
    }
}

#[tokio::test]
async fn dsl_cast_to_integer_truncates_on_every_backend() {
    for engine in common::engines("dsl_cast_integer").await {
        let db = common::name(&engine);
        engine.create_all::<(Item,)>().await.unwrap();
        let mut s = engine.session();
        let scores = [2.5, 2.7, -2.5, -2.7, 3.0];
        let rows = scores.iter().enumerate().map(|(i, x)| NewItem {
            id: i as i64,
            name: "n".into(),
            score: *x,
        });
        s.execute(insert_many(rows)).await.unwrap();
        let q = select(cast::<sql_types::Integer, _>(Item::score)).order_by(Item::id);
        let got: Vec<i32> = s.all(q).await.unwrap();
        assert_eq!(got, [2, 2, -2, -2, 3], "{db}");
        let q =
            select(cast::<sql_types::BigInt, _>(Item::score.mul(10.0).add(0.5))).order_by(Item::id);
        let got: Vec<i64> = s.all(q).await.unwrap();
        assert_eq!(got, [25, 27, -24, -26, 30], "{db}");
    }
}

#[tokio::test]
async fn integer_division_truncates_toward_zero_on_every_backend() {
    for engine in common::engines("int_division").await {
        let db = common::name(&engine);
        engine.create_all::<(Tick,)>().await.unwrap();
        let mut s = engine.session();
        s.execute(insert_many([7, -7, 6].map(|n| NewTick {
            n: Some(n),
            label: None,
        })))
        .await
        .unwrap();
        let q = select((Tick::n.div(2), Tick::n.rem(4))).order_by(Tick::id);
        let rows: Vec<(i32, i32)> = s.all(q).await.unwrap();
        assert_eq!(rows, [(3, 3), (-3, -3), (3, 2)], "{db}");
    }
}

#[tokio::test]
async fn literal_text_matches_on_empty_text() {
    for engine in common::engines("literal_match_empty").await {
        let db = common::name(&engine);
        engine.create_all::<(Item,)>().await.unwrap();
        let mut s = engine.session();
        s.execute(insert(NewItem {
            id: 1,
            name: String::new(),
            score: 0.0,
        }))
        .await
        .unwrap();
        // An empty text ends with "%" no more than with anything else; NOT of that is true
        // (SQLite's substr of an empty BLOB is NULL, which made both NULL).
        let q = |p: Boxed<Item>| select(Item::id).filter(p);
        let ends: Vec<i64> = s.all(q(Item::name.ends_with("%").boxed())).await.unwrap();
        let not_ends: Vec<i64> = s
            .all(q(Item::name.ends_with("%").not().boxed()))
            .await
            .unwrap();
        let empty_suffix: Vec<i64> = s.all(q(Item::name.ends_with("").boxed())).await.unwrap();
        assert_eq!(
            (ends, not_ends, empty_suffix),
            (vec![], vec![1], vec![1]),
            "{db}"
        );
    }
}
