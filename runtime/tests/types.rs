//! Every column type round-trips through insert and select, NULLs included, on every backend.

mod common;

use azoth::prelude::*;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use rust_decimal::Decimal;

azoth::model! {
    /// One column of each supported type, and a nullable twin of each.
    #[table = "every_type"]
    pub struct Every {
        #[primary_key] pub id: i64,
        pub flag: bool,
        pub small: i16,
        pub int: i32,
        pub big: i64,
        pub real: f32,
        pub double: f64,
        pub price: Decimal,
        pub text: String,
        pub bytes: Vec<u8>,
        pub day: NaiveDate,
        pub clock: NaiveTime,
        pub stamp: chrono::NaiveDateTime,
        pub stamp_tz: chrono::DateTime<Utc>,
        pub key: uuid::Uuid,
        pub doc: serde_json::Value,
        pub maybe_flag: Option<bool>,
        pub maybe_int: Option<i32>,
        pub maybe_big: Option<i64>,
        pub maybe_double: Option<f64>,
        pub maybe_price: Option<Decimal>,
        pub maybe_text: Option<String>,
        pub maybe_bytes: Option<Vec<u8>>,
        pub maybe_day: Option<NaiveDate>,
        pub maybe_stamp_tz: Option<chrono::DateTime<Utc>>,
        pub maybe_key: Option<uuid::Uuid>,
        pub maybe_doc: Option<serde_json::Value>,
    }
}

fn sample(some: bool) -> NewEvery {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let clock = NaiveTime::from_hms_opt(23, 59, 58).unwrap();
    let stamp_tz = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
    let key = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
    let doc = serde_json::json!({"a": [1, 2, {"b": null}], "c": "ü"});
    NewEvery {
        flag: true,
        small: -12,
        int: 1 << 30,
        big: -(1 << 60),
        real: 1.5,
        double: 2.25,
        price: Decimal::new(1999, 2),
        text: "it's \"quoted\" ü ✓".into(),
        bytes: vec![0, 1, 255],
        day,
        clock,
        stamp: day.and_time(clock),
        stamp_tz,
        key,
        doc: doc.clone(),
        maybe_flag: some.then_some(false),
        maybe_int: some.then_some(-7),
        maybe_big: some.then_some(1 << 40),
        maybe_double: some.then_some(-0.5),
        maybe_price: some.then(|| Decimal::new(-5, 1)),
        maybe_text: some.then(|| "x".into()),
        maybe_bytes: some.then(|| vec![7]),
        maybe_day: some.then_some(day),
        maybe_stamp_tz: some.then_some(stamp_tz),
        maybe_key: some.then_some(key),
        maybe_doc: some.then_some(doc),
    }
}

fn expected(id: i64, n: NewEvery) -> Every {
    Every {
        id,
        flag: n.flag,
        small: n.small,
        int: n.int,
        big: n.big,
        real: n.real,
        double: n.double,
        price: n.price,
        text: n.text,
        bytes: n.bytes,
        day: n.day,
        clock: n.clock,
        stamp: n.stamp,
        stamp_tz: n.stamp_tz,
        key: n.key,
        doc: n.doc,
        maybe_flag: n.maybe_flag,
        maybe_int: n.maybe_int,
        maybe_big: n.maybe_big,
        maybe_double: n.maybe_double,
        maybe_price: n.maybe_price,
        maybe_text: n.maybe_text,
        maybe_bytes: n.maybe_bytes,
        maybe_day: n.maybe_day,
        maybe_stamp_tz: n.maybe_stamp_tz,
        maybe_key: n.maybe_key,
        maybe_doc: n.maybe_doc,
    }
}

#[tokio::test]
async fn every_type_round_trips() {
    for engine in common::engines("types_round_trip").await {
        let db = common::name(&engine);
        engine.create_all::<(Every,)>().await.unwrap();
        let mut s = engine.session();
        for some in [true, false] {
            let stored = s.insert(sample(some)).await.unwrap();
            assert_eq!(
                stored,
                expected(stored.id, sample(some)),
                "{db}: insert returns what was stored"
            );
            let read = s
                .one(Every::select().filter(Every::id.eq(stored.id)))
                .await
                .unwrap();
            assert_eq!(read, stored, "{db}: select reads it back");
        }
        // Values are compared in SQL with their own types too.
        let key = sample(true).key;
        let n: i64 = s
            .one(
                select(count_all())
                    .from(Every::TABLE)
                    .filter(Every::key.eq(key).and(Every::price.gt(Decimal::new(1, 0)))),
            )
            .await
            .unwrap();
        assert_eq!(n, 2, "{db}");
    }
}

#[tokio::test]
async fn the_three_backends_run() {
    let engines = common::engines("three_backends").await;
    let names: Vec<&str> = engines.iter().map(common::name).collect();
    eprintln!("backends under test: {names:?}");
    assert!(names.contains(&"SQLite"));
}
