//! `rust_decimal::Decimal` on every backend: exact round-trips (or an error, never rounding),
//! comparisons with computed values (`SUM`, arithmetic), and values a `Decimal` cannot hold read
//! as decode errors, never as NULL.

mod common;

use std::str::FromStr;

use azoth::prelude::*;
use azoth::{Backend, DecodeError, Error};
use rust_decimal::Decimal;

azoth::model! {
    #[table = "dec_orders"]
    pub struct Order {
        #[primary_key] pub id: i64,
        pub customer: String,
        pub total: Decimal,
        pub discount: Option<Decimal>,
    }
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn order(customer: &str, total: Decimal) -> NewOrder {
    NewOrder {
        customer: customer.into(),
        total,
        discount: Some(total),
    }
}

/// Values every backend stores exactly (a whole number that fits an `i64`, or at most 15
/// significant digits).
const EXACT_EVERYWHERE: &[&str] = &[
    "0",
    "19.99",
    "-0.5",
    "-123.456",
    "0.000000000001",
    "1234567890.12345",
    "9007199254740993",
    "-9223372036854775807",
    "1.50",
    "100000000000000000000",
    "-0.0000000000000000000000000001",
];

/// Values with more significant digits than a double keeps: exact on PostgreSQL and MySQL, an
/// error on SQLite.
const PRECISE: &[&str] = &[
    "12345678901234.123456789012",
    "0.1234567890123456789012345678",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "12345678901234567890",
    // MySQL sends this with the column's trailing zeros (28 of them), more digits than a Decimal
    // holds: parsing that text rounded it to two places.
    "12345678901234567890123456.789",
];

#[tokio::test]
async fn dec_values_round_trip_exactly_or_fail() {
    for engine in common::engines("dec_round_trip").await {
        let db = common::name(&engine);
        engine.create_all::<(Order,)>().await.unwrap();
        let mut s = engine.session();
        for v in EXACT_EVERYWHERE.iter().map(|v| d(v)) {
            let stored = s.insert(order("x", v)).await.unwrap();
            assert_eq!((stored.total, stored.discount), (v, Some(v)), "{db}: {v}");
            let read = s.get::<Order>(stored.id).await.unwrap().unwrap();
            assert_eq!((read.total, read.discount), (v, Some(v)), "{db}: {v}");
            let digits = match engine.backend() {
                // PostgreSQL keeps the scale written; MySQL's column has one scale for all (its
                // padding is dropped), SQLite stores a number.
                Backend::Postgres => v.to_string(),
                _ => v.normalize().to_string(),
            };
            assert_eq!(read.total.to_string(), digits, "{db}: {v}");
            let found: Vec<i64> = s
                .all(select(Order::id).filter(Order::total.eq(v)))
                .await
                .unwrap();
            assert_eq!(found, [stored.id], "{db}: total = {v}");
        }
    }
}

#[tokio::test]
async fn dec_precise_values_round_trip_on_postgres_and_mysql() {
    for engine in common::engines("dec_precise").await {
        let db = common::name(&engine);
        if engine.backend() == Backend::Sqlite {
            continue; // dec_sqlite_refuses_what_a_double_cannot_hold
        }
        engine.create_all::<(Order,)>().await.unwrap();
        let mut s = engine.session();
        for v in PRECISE.iter().map(|v| d(v)) {
            let stored = s.insert(order("precise", v)).await.unwrap();
            let read = s.get::<Order>(stored.id).await.unwrap().unwrap();
            assert_eq!(read.total, v, "{db}: {v}");
            assert_eq!(
                read.total.to_string(),
                v.to_string(),
                "{db}: the same digits"
            );
            let found: Vec<i64> = s
                .all(select(Order::id).filter(Order::total.eq(v)))
                .await
                .unwrap();
            assert_eq!(found, [stored.id], "{db}: total = {v}");
        }
    }
}

#[tokio::test]
async fn dec_sqlite_refuses_what_a_double_cannot_hold() {
    for engine in common::engines("dec_sqlite_refuses").await {
        if engine.backend() != Backend::Sqlite {
            continue; // dec_precise_values_round_trip_on_postgres_and_mysql
        }
        engine.create_all::<(Order,)>().await.unwrap();
        let mut s = engine.session();
        for v in PRECISE.iter().map(|v| d(v)) {
            let err = s.insert(order("precise", v)).await.unwrap_err();
            assert!(
                matches!(&err, Error::Bind(m) if m.contains(&v.to_string())),
                "{v}: {err}"
            );
            let err = s
                .all(select(Order::id).filter(Order::total.eq(v)))
                .await
                .unwrap_err();
            assert!(matches!(&err, Error::Bind(_)), "{v}: {err}");
        }
        let stored: i64 = s.one(select(count_all()).from(Order::TABLE)).await.unwrap();
        assert_eq!(stored, 0, "nothing rounded was stored");
    }
}

#[tokio::test]
async fn dec_having_sum_compares_as_numbers() {
    for engine in common::engines("dec_having_sum").await {
        let db = common::name(&engine);
        engine.create_all::<(Order,)>().await.unwrap();
        let mut s = engine.session();
        let rows = [
            ("ann", "60.50"),
            ("ann", "40.00"),
            ("bob", "99.99"),
            ("cy", "100"),
            ("cy", "0.01"),
            ("dee", "250"),
            ("eve", "7.25"),
            ("eve", "92.75"),
        ];
        for (c, t) in rows {
            s.insert(order(c, d(t))).await.unwrap();
        }
        let big: Vec<String> = s
            .all(
                select(Order::customer)
                    .group_by(Order::customer)
                    .having(sum(Order::total).gt(d("100")))
                    .order_by(Order::customer),
            )
            .await
            .unwrap();
        assert_eq!(big, ["ann", "cy", "dee"], "{db}: sum(total) > 100");
        let exactly: Vec<String> = s
            .all(
                select(Order::customer)
                    .group_by(Order::customer)
                    .having(sum(Order::total).eq(d("100")))
                    .order_by(Order::customer),
            )
            .await
            .unwrap();
        assert_eq!(exactly, ["eve"], "{db}: sum(total) = 100");
        let sums: Vec<(String, Option<Decimal>)> = s
            .all(
                select((Order::customer, sum(Order::total)))
                    .group_by(Order::customer)
                    .order_by(Order::customer),
            )
            .await
            .unwrap();
        let sums: Vec<(String, Decimal)> = sums.into_iter().map(|(c, t)| (c, t.unwrap())).collect();
        assert_eq!(
            sums,
            [
                ("ann".to_owned(), d("100.5")),
                ("bob".to_owned(), d("99.99")),
                ("cy".to_owned(), d("100.01")),
                ("dee".to_owned(), d("250")),
                ("eve".to_owned(), d("100")),
            ],
            "{db}: the sums read back"
        );
    }
}

#[tokio::test]
async fn dec_column_compares_with_computed_values() {
    for engine in common::engines("dec_computed").await {
        let db = common::name(&engine);
        engine.create_all::<(Order,)>().await.unwrap();
        let mut s = engine.session();
        for (c, t, disc) in [("a", "10", "4"), ("b", "10", "6"), ("c", "3.5", "1.75")] {
            s.insert(NewOrder {
                customer: c.into(),
                total: d(t),
                discount: Some(d(disc)),
            })
            .await
            .unwrap();
        }
        // total > discount * 2
        let more: Vec<String> = s
            .all(
                select(Order::customer)
                    .filter(Order::total.gt(Order::discount.mul(d("2"))))
                    .order_by(Order::customer),
            )
            .await
            .unwrap();
        assert_eq!(more, ["a"], "{db}");
        // total - 0.5 = discount * 2 - 0.5 (3.5 - 0.5 = 3.0)
        let equal: Vec<String> = s
            .all(
                select(Order::customer).filter(
                    Order::total
                        .sub(d("0.5"))
                        .eq(Order::discount.mul(d("2")).sub(d("0.5"))),
                ),
            )
            .await
            .unwrap();
        assert_eq!(equal, ["c"], "{db}");
        // A column against a value whose text would sort differently ("9.5" > "10" as text).
        let under: Vec<String> = s
            .all(
                select(Order::customer)
                    .filter(Order::total.lt(d("9.5")))
                    .order_by(Order::customer),
            )
            .await
            .unwrap();
        assert_eq!(under, ["c"], "{db}");
    }
}

#[tokio::test]
async fn dec_too_large_for_decimal_is_a_decode_error() {
    for engine in common::engines("dec_too_large").await {
        let db = common::name(&engine);
        let mut s = engine.session();
        let ty = match engine.backend() {
            Backend::Postgres => "NUMERIC",
            Backend::MySql => "DECIMAL(65, 0)",
            Backend::Sqlite => "NUMERIC",
        };
        s.execute(text(&format!("CREATE TABLE dec_raw (id INTEGER, v {ty})")))
            .await
            .unwrap();
        s.execute(text(
            "INSERT INTO dec_raw (id, v) VALUES (1, 123456789012345678901234567890123)",
        ))
        .await
        .unwrap();
        for err in [
            s.all(text("SELECT v FROM dec_raw").returns::<Decimal>())
                .await
                .unwrap_err(),
            s.all(text("SELECT v FROM dec_raw").returns::<Option<Decimal>>())
                .await
                .unwrap_err(),
            s.all(text("SELECT id, v FROM dec_raw").returns::<(i32, Option<Decimal>)>())
                .await
                .unwrap_err(),
        ] {
            assert!(
                matches!(&err, Error::Decode(DecodeError::Unrepresentable { column, .. }) if column == "v"),
                "{db}: {err:?}"
            );
            assert!(err.to_string().contains("Decimal"), "{db}: {err}");
        }
    }
}

#[tokio::test]
async fn dec_too_precise_for_decimal_is_a_decode_error() {
    for engine in common::engines("dec_too_precise").await {
        let db = common::name(&engine);
        if engine.backend() == Backend::Sqlite {
            continue; // a double never has more than 17 significant digits
        }
        let mut s = engine.session();
        let ty = match engine.backend() {
            Backend::MySql => "DECIMAL(65, 30)",
            _ => "NUMERIC",
        };
        s.execute(text(&format!("CREATE TABLE dec_raw (v {ty})")))
            .await
            .unwrap();
        s.execute(text(
            "INSERT INTO dec_raw (v) VALUES (0.123456789012345678901234567891)",
        ))
        .await
        .unwrap();
        let err = s
            .all(text("SELECT v FROM dec_raw").returns::<Decimal>())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::Unrepresentable { column, .. }) if column == "v"),
            "{db}: {err:?}"
        );
    }
}

#[tokio::test]
async fn dec_other_values_that_do_not_fit_are_errors() {
    for engine in common::engines("dec_other_values").await {
        let db = common::name(&engine);
        let mut s = engine.session();
        let unrepresentable = |err: &Error| matches!(err, Error::Decode(DecodeError::Unrepresentable { column, .. }) if column == "v");
        let err = s
            .one(text("SELECT 3000000000 AS v").returns::<i32>())
            .await
            .unwrap_err();
        assert!(unrepresentable(&err), "{db}: {err:?}");
        let err = s
            .one(text("SELECT 3000000000 AS v").returns::<Option<i32>>())
            .await
            .unwrap_err();
        assert!(unrepresentable(&err), "{db}: {err:?}");
        let double = match engine.backend() {
            Backend::Postgres => "SELECT CAST(1e300 AS DOUBLE PRECISION) AS v",
            _ => "SELECT 1e300 AS v",
        };
        let err = s.one(text(double).returns::<f32>()).await.unwrap_err();
        assert!(unrepresentable(&err), "{db}: {err:?}");
        let err = s
            .one(text(double).returns::<Option<f32>>())
            .await
            .unwrap_err();
        assert!(unrepresentable(&err), "{db}: {err:?}");
        let fine: f32 = s
            .one(text(&double.replace("1e300", "5e-1")).returns())
            .await
            .unwrap();
        assert_eq!(fine, 0.5, "{db}");
    }
}

#[tokio::test]
async fn dec_integers_and_doubles_read_as_the_decimal_they_are() {
    for engine in common::engines("dec_other_numbers").await {
        let db = common::name(&engine);
        let mut s = engine.session();
        let sql = match engine.backend() {
            Backend::Postgres => {
                "SELECT CAST(7 AS BIGINT) AS i, CAST(0.1 AS DOUBLE PRECISION) AS d"
            }
            Backend::MySql => "SELECT CAST(7 AS SIGNED) AS i, 1e-1 AS d",
            Backend::Sqlite => "SELECT 7 AS i, 1e-1 AS d",
        };
        let (int, dbl): (Decimal, Option<Decimal>) = s.one(text(sql).returns()).await.unwrap();
        assert_eq!((int, dbl), (d("7"), Some(d("0.1"))), "{db}");
        let huge = match engine.backend() {
            Backend::Postgres => "SELECT CAST(1e300 AS DOUBLE PRECISION) AS v",
            _ => "SELECT 1e300 AS v",
        };
        let err = s.one(text(huge).returns::<Decimal>()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::Unrepresentable { column, .. }) if column == "v"),
            "{db}: {err:?}"
        );
    }
}
