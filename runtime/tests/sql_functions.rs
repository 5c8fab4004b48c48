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
        pub single: f32,
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
    [
        -4503599627370497.0,
        4503599627370497.0,
        -4503599627370497.0,
        -4503599627370497.0,
        -4503599627370497.0,
        -4503599627370497.0,
        -4503599627370497.0,
    ],
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
            let d = if row[0].abs() < 1e15 {
                dec(&text)
            } else {
                Decimal::ZERO
            };
            s.insert(NewNum {
                x: row[0],
                d,
                n: -(i as i64),
                maybe: None,
                single: row[0] as f32,
            })
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
            assert_eq!(
                [*a, *r, *r1, *f, *c, *t],
                want[1..],
                "{db}: x = {}",
                want[0]
            );
        }

        // Halves exact in binary, with more digits and as bound values.
        let quarters: (f64, f64, f64) = s
            .one(select((
                round_to(0.125f64, 2),
                round_to(-0.375f64, 2),
                round(-0.5f64),
            )))
            .await
            .unwrap();
        assert_eq!(quarters, (0.13, -0.38, -1.0), "{db}");
        // Double arithmetic, the same everywhere: 2.675 * 100 is 267.5 as a double (SQLite's
        // own ROUND gives 2.67); the largest double below a half rounds down (SQLite's ROUND
        // gives 1).
        let binary: (f64, f64) = s
            .one(select((
                round_to(2.675f64, 2),
                round(0.49999999999999994f64),
            )))
            .await
            .unwrap();
        assert_eq!(binary, (2.68, 0.0), "{db}");

        // The same on exact decimals (the ones below 1e15).
        let got: Vec<(
            Decimal,
            Decimal,
            Decimal,
            Decimal,
            Decimal,
            Decimal,
            Decimal,
        )> = s
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
        assert_eq!(
            ints,
            [(0, 0, 0, 0), (1, -1, -1, -1), (2, -2, -2, -2)],
            "{db}"
        );

        // A `Real` (f32) rounds the same and stays a `Real`.
        let singles: Vec<(f32, f32, f32, f32)> = s
            .all(
                select((
                    round(Num::single),
                    round_to(Num::single, 1),
                    floor(Num::single),
                    trunc(Num::single),
                ))
                .filter(Num::id.le(9))
                .order_by(Num::id),
            )
            .await
            .unwrap();
        let want: Vec<(f32, f32, f32, f32)> = DOUBLES[..9]
            .iter()
            .map(|r| (r[2] as f32, r[3] as f32, r[4] as f32, r[6] as f32))
            .collect();
        assert_eq!(singles, want, "{db}: reals");

        // NULL in, NULL out.
        let nulls: Vec<(Option<f64>, Option<f64>, Option<f64>)> = s
            .all(
                select((round(Num::maybe), floor(Num::maybe), abs(Num::maybe)))
                    .filter(Num::id.eq(1)),
            )
            .await
            .unwrap();
        assert_eq!(nulls, [(None, None, None)], "{db}");
    }
}

/// concat, length, substring, trim, ltrim, rtrim, replace of one row.
type TextRow = (Option<String>, i32, String, String, String, String, String);

#[tokio::test]
async fn fn_text_functions_count_characters_and_propagate_null() {
    for engine in common::engines("fn_text").await {
        let db = common::name(&engine);
        engine.create_all::<(Txt,)>().await.unwrap();
        let mut s = engine.session();
        for (text, other) in [
            ("  héllo wörld  ", Some("ß")),
            ("日本語テキスト", None),
            ("\tTab-Name ", Some("")),
        ] {
            s.insert(NewTxt {
                s: text.into(),
                t: other.map(Into::into),
            })
            .await
            .unwrap();
        }
        let got: Vec<TextRow> = s
            .all(
                select((
                    concat((Txt::s, "|", Txt::t)),
                    length(Txt::s),
                    substring(Txt::s, 2, 3),
                    trim(Txt::s),
                    ltrim(Txt::s),
                    rtrim(Txt::s),
                    replace(Txt::s, "ö", "oe"),
                ))
                .order_by(Txt::id),
            )
            .await
            .unwrap();
        let want = [
            (
                Some("  héllo wörld  |ß".to_owned()),
                15,
                " hé".to_owned(),
                "héllo wörld".to_owned(),
                "héllo wörld  ".to_owned(),
                "  héllo wörld".to_owned(),
                "  héllo woerld  ".to_owned(),
            ),
            (
                None,
                7,
                "本語テ".to_owned(),
                "日本語テキスト".to_owned(),
                "日本語テキスト".to_owned(),
                "日本語テキスト".to_owned(),
                "日本語テキスト".to_owned(),
            ),
            (
                Some("\tTab-Name |".to_owned()),
                10,
                "Tab".to_owned(),
                "\tTab-Name".to_owned(),
                "\tTab-Name ".to_owned(),
                "\tTab-Name".to_owned(),
                "\tTab-Name ".to_owned(),
            ),
        ];
        assert_eq!(got, want, "{db}");

        // Start 0 is one position before the first character; past the end is empty; an empty
        // `from` replaces nothing; a NULL argument gives NULL.
        let edges: (String, String, String, Option<String>, Option<String>) = s
            .one(
                select((
                    substring(Txt::s, 0, 3),
                    substring(Txt::s, 40, 2),
                    replace(Txt::s, "", "x"),
                    replace(Txt::s, "本", Txt::t),
                    concat((Txt::t, coalesce(Txt::t, "-"))),
                ))
                .filter(Txt::id.eq(2)),
            )
            .await
            .unwrap();
        assert_eq!(
            edges,
            (
                "日本".into(),
                "".into(),
                "日本語テキスト".into(),
                None,
                None
            ),
            "{db}"
        );
        let skip_null: Vec<String> = s
            .all(select(concat((Txt::s, "/", coalesce(Txt::t, "?")))).order_by(Txt::id))
            .await
            .unwrap();
        assert_eq!(skip_null[1], "日本語テキスト/?", "{db}");
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, ms: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_milli_opt(h, min, s, ms).unwrap()
}

#[tokio::test]
async fn fn_dates_extract_and_move_by_intervals_alike() {
    for engine in common::engines("fn_dates").await {
        let db = common::name(&engine);
        engine.create_all::<(Event,)>().await.unwrap();
        let mut s = engine.session();
        // A Wednesday at a month's end, in a leap year; and Feb 29 with no `later`.
        let jan31 = at(2024, 1, 31, 23, 30, 15, 250);
        s.insert(NewEvent {
            day: date(2024, 1, 31),
            at: jan31,
            at_tz: jan31.and_utc(),
            later: Some(date(2024, 3, 31)),
        })
        .await
        .unwrap();
        let feb29 = at(2024, 2, 29, 0, 0, 59, 999);
        s.insert(NewEvent {
            day: date(2024, 2, 29),
            at: feb29,
            at_tz: feb29.and_utc(),
            later: None,
        })
        .await
        .unwrap();

        let got: Vec<(i32, i32, i32, i32, i32, i32, i32)> = s
            .all(
                select((
                    extract(DatePart::Year, Event::at),
                    extract(DatePart::Month, Event::at),
                    extract(DatePart::Day, Event::at),
                    extract(DatePart::Hour, Event::at),
                    extract(DatePart::Minute, Event::at),
                    extract(DatePart::Second, Event::at),
                    extract(DatePart::DayOfWeek, Event::at),
                ))
                .order_by(Event::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [(2024, 1, 31, 23, 30, 15, 3), (2024, 2, 29, 0, 0, 59, 4)],
            "{db}: timestamp"
        );
        let got: Vec<(i32, i32, i32, i32, i32, i32, i32)> = s
            .all(
                select((
                    extract(DatePart::Year, Event::at_tz),
                    extract(DatePart::Month, Event::at_tz),
                    extract(DatePart::Day, Event::at_tz),
                    extract(DatePart::Hour, Event::at_tz),
                    extract(DatePart::Minute, Event::at_tz),
                    extract(DatePart::Second, Event::at_tz),
                    extract(DatePart::DayOfWeek, Event::at_tz),
                ))
                .order_by(Event::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [(2024, 1, 31, 23, 30, 15, 3), (2024, 2, 29, 0, 0, 59, 4)],
            "{db}: with time zone"
        );
        let got: Vec<(i32, i32, i32, i32, i32, Option<i32>)> = s
            .all(
                select((
                    extract(DatePart::Year, Event::day),
                    extract(DatePart::Month, Event::day),
                    extract(DatePart::Day, Event::day),
                    extract(DatePart::Hour, Event::day),
                    extract(DatePart::DayOfWeek, Event::day),
                    extract(DatePart::Month, Event::later),
                ))
                .order_by(Event::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [(2024, 1, 31, 0, 3, Some(3)), (2024, 2, 29, 0, 4, None)],
            "{db}: date"
        );

        // Month ends: the day is kept, or the month's last day when it is shorter.
        let got: Vec<(
            NaiveDate,
            NaiveDate,
            NaiveDate,
            NaiveDate,
            Option<NaiveDate>,
        )> = s
            .all(
                select((
                    date_add(Event::day, months(1)),
                    date_add(Event::day, years(1)),
                    date_add(Event::day, days(-31)),
                    date_add(Event::day, months(-13)),
                    date_add(Event::later, days(1)),
                ))
                .order_by(Event::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [
                (
                    date(2024, 2, 29),
                    date(2025, 1, 31),
                    date(2023, 12, 31),
                    date(2022, 12, 31),
                    Some(date(2024, 4, 1))
                ),
                (
                    date(2024, 3, 29),
                    date(2025, 2, 28),
                    date(2024, 1, 29),
                    date(2023, 1, 29),
                    None
                ),
            ],
            "{db}: dates"
        );
        let got: Vec<(NaiveDateTime, NaiveDateTime, NaiveDateTime, NaiveDateTime)> = s
            .all(
                select((
                    date_add(Event::at, hours(1)),
                    date_add(Event::at, minutes(-31)),
                    date_add(Event::at, seconds(45)),
                    date_add(Event::at, months(1)),
                ))
                .order_by(Event::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [
                (
                    at(2024, 2, 1, 0, 30, 15, 250),
                    at(2024, 1, 31, 22, 59, 15, 250),
                    at(2024, 1, 31, 23, 31, 0, 250),
                    at(2024, 2, 29, 23, 30, 15, 250)
                ),
                (
                    at(2024, 2, 29, 1, 0, 59, 999),
                    at(2024, 2, 28, 23, 29, 59, 999),
                    at(2024, 2, 29, 0, 1, 44, 999),
                    at(2024, 3, 29, 0, 0, 59, 999)
                ),
            ],
            "{db}: timestamps"
        );
        let got: Vec<(DateTime<Utc>, DateTime<Utc>)> = s
            .all(
                select((
                    date_add(Event::at_tz, days(1)),
                    date_add(Event::at_tz, months(1)),
                ))
                .order_by(Event::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [
                (
                    at(2024, 2, 1, 23, 30, 15, 250).and_utc(),
                    at(2024, 2, 29, 23, 30, 15, 250).and_utc()
                ),
                (
                    at(2024, 3, 1, 0, 0, 59, 999).and_utc(),
                    at(2024, 3, 29, 0, 0, 59, 999).and_utc()
                ),
            ],
            "{db}: with time zone"
        );
        // In a filter: events within 30 days before March 1.
        let recent: Vec<i64> = s
            .all(select(Event::id).filter(date_add(Event::day, days(30)).ge(date(2024, 3, 1))))
            .await
            .unwrap();
        assert_eq!(recent, [1, 2], "{db}: filter");

        let (today, stamp): (NaiveDate, DateTime<Utc>) =
            s.one(select((current_date(), now()))).await.unwrap();
        let utc = Utc::now();
        assert!(
            (today - utc.date_naive()).num_days().abs() <= 1,
            "{db}: {today}"
        );
        assert!((stamp - utc).num_minutes().abs() <= 5, "{db}: {stamp}");
    }
}

azoth::model! {
    /// Chinook's tracks, with the genre the shared models leave out.
    #[table = "Track"]
    pub struct GenreTrack {
        #[primary_key(manual)] #[column = "TrackId"] pub id: i64,
        #[column = "GenreId"] pub genre_id: Option<i64>,
        #[column = "Milliseconds"] pub milliseconds: i64,
    }
}

azoth::model! {
    #[table = "fn_genre_tracks"]
    pub struct FnTrack {
        #[primary_key(manual)] pub id: i64,
        pub genre_id: Option<i64>,
        pub milliseconds: i64,
    }
}

/// Genre, truncated and rounded average length (AVG is NULL over no rows, so `Option`).
type GenreAverages = Vec<(Option<i64>, Option<i64>, Option<i64>)>;

#[tokio::test]
async fn fn_per_genre_averages_agree_with_raw_sql_on_every_backend() {
    let source = chinook_data::chinook_source("fn_genres").await;
    let tracks = source
        .engine
        .session()
        .all(GenreTrack::select())
        .await
        .unwrap();
    let mut results: Vec<(&str, GenreAverages)> = Vec::new();
    for engine in common::engines("fn_genres").await {
        let db = common::name(&engine);
        engine.create_all::<(FnTrack,)>().await.unwrap();
        let mut s = engine.session();
        s.execute(insert_many(tracks.iter().map(|t| NewFnTrack {
            id: t.id,
            genre_id: t.genre_id,
            milliseconds: t.milliseconds,
        })))
        .await
        .unwrap();
        let got: GenreAverages = s
            .all(
                select((
                    FnTrack::genre_id,
                    cast::<sql_types::BigInt, _>(trunc(avg(FnTrack::milliseconds))),
                    cast::<sql_types::BigInt, _>(round(avg(FnTrack::milliseconds))),
                ))
                .group_by(FnTrack::genre_id)
                .order_by(FnTrack::genre_id),
            )
            .await
            .unwrap();
        // The reference: exact sums and counts in raw SQL, divided here in integers.
        let raw: Vec<(Option<i64>, i64, i64)> = s
            .all(
                text(&chinook_data::quoted(
                    &engine,
                    r#"SELECT "genre_id", SUM("milliseconds"), COUNT(*) FROM "fn_genre_tracks" GROUP BY "genre_id" ORDER BY "genre_id""#,
                ))
                .returns(),
            )
            .await
            .unwrap();
        let want: GenreAverages = raw
            .iter()
            .map(|&(g, sum, n)| (g, Some(sum / n), Some((2 * sum + n) / (2 * n))))
            .collect();
        assert_eq!(want.len(), 25, "{db}");
        assert_eq!(got, want, "{db}");
        // Rounding is not truncating here: some genres average a fraction of at least a half.
        assert!(got.iter().any(|(_, t, r)| r > t), "{db}");
        results.push((db, got));
    }
    for pair in results.windows(2) {
        assert_eq!(pair[0].1, pair[1].1, "{} and {}", pair[0].0, pair[1].0);
    }
}

azoth::model! {
    #[table = "fn_authors"]
    pub struct Author {
        #[primary_key] pub id: i64,
        pub name: String,
    }
    relations { notes: has_many(Note, Note::author_id) }
}

azoth::model! {
    #[table = "fn_notes"]
    pub struct Note {
        #[primary_key] pub id: i64,
        #[references(Author::id)] pub author_id: i64,
        pub title: String,
        pub score: f64,
    }
}

#[tokio::test]
async fn fn_functions_inside_a_correlated_subquery_read_its_alias() {
    for engine in common::engines("fn_correlated").await {
        let db = common::name(&engine);
        engine.create_all::<(Author, Note)>().await.unwrap();
        let mut s = engine.session();
        let ann = s.insert(NewAuthor { name: "ann".into() }).await.unwrap();
        let bob = s.insert(NewAuthor { name: "bob".into() }).await.unwrap();
        for (author, title, score) in [(ann.id, "  Hello ", 2.5), (bob.id, "Hello", 2.4)] {
            s.insert(NewNote {
                author_id: author,
                title: title.into(),
                score,
            })
            .await
            .unwrap();
        }
        // EXISTS over an alias of fn_notes: the CASE of `round` reads the alias too.
        let got: Vec<String> = s
            .all(
                select(Author::name)
                    .filter(
                        Author::notes.any(
                            round(Note::score)
                                .eq(3.0)
                                .and(trim(Note::title).eq("Hello")),
                        ),
                    )
                    .order_by(Author::id),
            )
            .await
            .unwrap();
        assert_eq!(got, ["ann"], "{db}");
    }
}
