//! Portable math, text and date functions on every backend: each result equals the expected
//! value, and so the same on SQLite, PostgreSQL and MariaDB (halves, negative numbers, NULL,
//! multibyte text, month ends), and per-genre Chinook averages equal a raw SQL reference.

mod chinook_data;
mod common;

use std::str::FromStr;

use azoth::prelude::*;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;

azoth::model! {
    #[table = "fn_numbers"]
    pub struct Num {
        #[primary_key] pub id: i64,
        pub x: f64,
        pub d: Decimal,
        pub n: i64,
        pub maybe: Option<f64>,
    }
}

azoth::model! {
    #[table = "fn_texts"]
    pub struct Txt {
        #[primary_key] pub id: i64,
        pub s: String,
        pub t: Option<String>,
    }
}

azoth::model! {
    #[table = "fn_events"]
    pub struct Event {
        #[primary_key] pub id: i64,
        pub day: NaiveDate,
        pub at: NaiveDateTime,
        pub at_tz: DateTime<Utc>,
        pub later: Option<NaiveDate>,
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// `x`, then abs, round, round_to(1), floor, ceil, trunc of it.
const DOUBLES: &[[f64; 7]] = &[
    [2.5, 2.5, 3.0, 2.5, 2.0, 3.0, 2.0],
    [-2.5, 2.5, -3.0, -2.5, -3.0, -2.0, -2.0],
    [0.5, 0.5, 1.0, 0.5, 0.0, 1.0, 0.0],
    [-0.5, 0.5, -1.0, -0.5, -1.0, 0.0, 0.0],
    [1.5, 1.5, 2.0, 1.5, 1.0, 2.0, 1.0],
    [2.7, 2.7, 3.0, 2.7, 2.0, 3.0, 2.0],
    [-2.7, 2.7, -3.0, -2.7, -3.0, -2.0, -2.0],
    [1.25, 1.25, 1.0, 1.3, 1.0, 2.0, 1.0],
    [-1.25, 1.25, -1.0, -1.3, -2.0, -1.0, -1.0],
    [0.05, 0.05, 0.0, 0.1, 0.0, 1.0, 0.0],
    [-7.0, 7.0, -7.0, -7.0, -7.0, -7.0, -7.0],
    [1e16, 1e16, 1e16, 1e16, 1e16, 1e16, 1e16],
    [-4503599627370497.0, 4503599627370497.0, -4503599627370497.0, -4503599627370497.0, -4503599627370497.0, -4503599627370497.0, -4503599627370497.0],
];

type MathRow = (i64, f64, f64, f64, f64, f64, f64);

#[tokio::test]
async fn fn_math_rounds_halves_away_from_zero_everywhere() {
    for engine in common::engines("fn_math").await {
        let db = common::name(&engine);
        engine.create_all::<(Num,)>().await.unwrap();
        let mut s = engine.session();
        for (i, row) in DOUBLES.iter().enumerate() {
            let text = row[0].to_string();
            let d = if row[0].abs() < 1e15 { dec(&text) } else { Decimal::ZERO };
            s.insert(NewNum { x: row[0], d, n: -(i as i64), maybe: None })
                .await
                .unwrap();
        }
        let got: Vec<MathRow> = s
            .all(
                select((
                    Num::id,
                    abs(Num::x),
                    round(Num::x),
                    round_to(Num::x, 1),
                    floor(Num::x),
                    ceil(Num::x),
                    trunc(Num::x),
                ))
                .order_by(Num::id),
            )
            .await
            .unwrap();
        assert_eq!(got.len(), DOUBLES.len(), "{db}");
        for ((_, a, r, r1, f, c, t), want) in got.iter().zip(DOUBLES) {
            assert_eq!([*a, *r, *r1, *f, *c, *t], want[1..], "{db}: x = {}", want[0]);
        }

        // Halves exact in binary, with more digits and as bound values.
        let quarters: (f64, f64, f64) = s
            .one(select((round_to(0.125f64, 2), round_to(-0.375f64, 2), round(-0.5f64))))
            .await
            .unwrap();
        assert_eq!(quarters, (0.13, -0.38, -1.0), "{db}");
        // Double arithmetic, the same everywhere: 2.675 * 100 is 267.5 as a double (SQLite's
        // own ROUND gives 2.67); the largest double below a half rounds down (SQLite's ROUND
        // gives 1).
        let binary: (f64, f64) = s
            .one(select((round_to(2.675f64, 2), round(0.49999999999999994f64))))
            .await
            .unwrap();
        assert_eq!(binary, (2.68, 0.0), "{db}");

        // The same on exact decimals (the ones below 1e15).
        let got: Vec<(Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal)> = s
            .all(
                select((
                    Num::d,
                    abs(Num::d),
                    round(Num::d),
                    round_to(Num::d, 1),
                    floor(Num::d),
                    ceil(Num::d),
                    trunc(Num::d),
                ))
                .filter(Num::d.ne(Decimal::ZERO))
                .order_by(Num::id),
            )
            .await
            .unwrap();
        let want: Vec<_> = DOUBLES
            .iter()
            .filter(|r| r[0].abs() < 1e15)
            .map(|r| r.map(|v| dec(&v.to_string())))
            .map(|r| (r[0], r[1], r[2], r[3], r[4], r[5], r[6]))
            .collect();
        assert_eq!(got, want, "{db}: decimals");

        // Integers are whole: rounding keeps them, abs drops the sign.
        let ints: Vec<(i64, i64, i64, i64)> = s
            .all(
                select((abs(Num::n), round(Num::n), floor(Num::n), trunc(Num::n)))
                    .filter(Num::id.le(3))
                    .order_by(Num::id),
            )
            .await
            .unwrap();
        assert_eq!(ints, [(0, 0, 0, 0), (1, -1, -1, -1), (2, -2, -2, -2)], "{db}");

        // NULL in, NULL out.
        let nulls: Vec<(Option<f64>, Option<f64>, Option<f64>)> = s
            .all(select((round(Num::maybe), floor(Num::maybe), abs(Num::maybe))).filter(Num::id.eq(1)))
            .await
            .unwrap();
        assert_eq!(nulls, [(None, None, None)], "{db}");
    }
}
