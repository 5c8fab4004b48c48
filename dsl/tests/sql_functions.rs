//! Portable math, text and date functions: the exact SQL and bound values each backend gets.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

azoth_dsl::model! {
    #[table = "fn_items"]
    pub struct Item {
        #[primary_key] pub id: i64,
        pub n: i64,
        pub x: f64,
        pub price: rust_decimal::Decimal,
        pub name: String,
        pub note: Option<String>,
        pub day: chrono::NaiveDate,
        pub at: chrono::NaiveDateTime,
        pub at_tz: chrono::DateTime<chrono::Utc>,
    }
}

#[test]
fn sql_portable_functions_render_on_each_backend() {
    check(vec![
        Case {
            name: "abs keeps the type",
            got: all(|b| select(abs(Item::x)).to_sql(b)),
            want: each(
                r#"SELECT ABS("fn_items"."x") FROM "fn_items""#,
                "SELECT ABS(`fn_items`.`x`) FROM `fn_items`",
                r#"SELECT ABS("fn_items"."x") FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "round of a double: half away from zero in double arithmetic",
            got: all(|b| select(round(Item::x)).to_sql(b)),
            want: each(
                r#"SELECT CASE WHEN ABS("fn_items"."x" - TRUNC("fn_items"."x")) >= 0.5 THEN TRUNC("fn_items"."x") + SIGN("fn_items"."x") ELSE TRUNC("fn_items"."x") END FROM "fn_items""#,
                "SELECT CASE WHEN ABS(`fn_items`.`x` - TRUNCATE(`fn_items`.`x`, 0)) >= 0.5 THEN TRUNCATE(`fn_items`.`x`, 0) + SIGN(`fn_items`.`x`) ELSE TRUNCATE(`fn_items`.`x`, 0) END FROM `fn_items`",
                r#"SELECT CAST((CASE WHEN ABS("fn_items"."x") < 4503599627370496 THEN CASE WHEN ABS("fn_items"."x" - CAST("fn_items"."x" AS INTEGER)) >= 0.5 THEN CAST("fn_items"."x" AS INTEGER) + SIGN("fn_items"."x") ELSE CAST("fn_items"."x" AS INTEGER) END ELSE "fn_items"."x" END) AS REAL) FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "rounding an integer is the integer",
            got: all(|b| select(round(Item::n)).to_sql(b)),
            want: each(
                r#"SELECT "fn_items"."n" FROM "fn_items""#,
                "SELECT `fn_items`.`n` FROM `fn_items`",
                r#"SELECT "fn_items"."n" FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "floor (SQLite: CAST and a correction)",
            got: all(|b| select(floor(Item::x)).to_sql(b)),
            want: each(
                r#"SELECT FLOOR("fn_items"."x") FROM "fn_items""#,
                "SELECT FLOOR(`fn_items`.`x`) FROM `fn_items`",
                r#"SELECT CAST((CASE WHEN ABS("fn_items"."x") < 4503599627370496 THEN CAST("fn_items"."x" AS INTEGER) - ("fn_items"."x" < CAST("fn_items"."x" AS INTEGER)) ELSE "fn_items"."x" END) AS REAL) FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "ceil",
            got: all(|b| select(ceil(Item::x)).to_sql(b)),
            want: each(
                r#"SELECT CEIL("fn_items"."x") FROM "fn_items""#,
                "SELECT CEILING(`fn_items`.`x`) FROM `fn_items`",
                r#"SELECT CAST((CASE WHEN ABS("fn_items"."x") < 4503599627370496 THEN CAST("fn_items"."x" AS INTEGER) + ("fn_items"."x" > CAST("fn_items"."x" AS INTEGER)) ELSE "fn_items"."x" END) AS REAL) FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "trunc toward zero",
            got: all(|b| select(trunc(Item::x)).to_sql(b)),
            want: each(
                r#"SELECT TRUNC("fn_items"."x") FROM "fn_items""#,
                "SELECT TRUNCATE(`fn_items`.`x`, 0) FROM `fn_items`",
                r#"SELECT CAST((CASE WHEN ABS("fn_items"."x") < 4503599627370496 THEN CAST("fn_items"."x" AS INTEGER) ELSE "fn_items"."x" END) AS REAL) FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "trunc of a decimal",
            got: all(|b| select(trunc(Item::price)).to_sql(b)),
            want: each(
                r#"SELECT TRUNC("fn_items"."price") FROM "fn_items""#,
                "SELECT TRUNCATE(`fn_items`.`price`, 0) FROM `fn_items`",
                r#"SELECT CASE WHEN ABS("fn_items"."price") < 4503599627370496 THEN CAST("fn_items"."price" AS INTEGER) ELSE "fn_items"."price" END FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "trunc of an average, cast to an integer",
            got: all(|b| select(cast::<sql_types::BigInt, _>(trunc(avg(Item::n)))).to_sql(b)),
            want: each(
                r#"SELECT CAST(TRUNC(TRUNC(CAST(AVG("fn_items"."n") AS DOUBLE PRECISION))) AS BIGINT) FROM "fn_items""#,
                "SELECT CAST(TRUNCATE(TRUNCATE(CAST(AVG(`fn_items`.`n`) AS DOUBLE), 0), 0) AS SIGNED) FROM `fn_items`",
                r#"SELECT CAST(CAST((CASE WHEN ABS(AVG("fn_items"."n")) < 4503599627370496 THEN CAST(AVG("fn_items"."n") AS INTEGER) ELSE AVG("fn_items"."n") END) AS REAL) AS INTEGER) FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "round of integer arithmetic, round_to 0 digits",
            got: all(|b| select((round(Item::n.add(1)), round_to(Item::x, 0))).to_sql(b)),
            want: each(
                r#"SELECT "fn_items"."n" + $1, CASE WHEN ABS("fn_items"."x" - TRUNC("fn_items"."x")) >= 0.5 THEN TRUNC("fn_items"."x") + SIGN("fn_items"."x") ELSE TRUNC("fn_items"."x") END FROM "fn_items""#,
                "SELECT `fn_items`.`n` + ?, CASE WHEN ABS(`fn_items`.`x` - TRUNCATE(`fn_items`.`x`, 0)) >= 0.5 THEN TRUNCATE(`fn_items`.`x`, 0) + SIGN(`fn_items`.`x`) ELSE TRUNCATE(`fn_items`.`x`, 0) END FROM `fn_items`",
                r#"SELECT "fn_items"."n" + ?, CAST((CASE WHEN ABS("fn_items"."x") < 4503599627370496 THEN CASE WHEN ABS("fn_items"."x" - CAST("fn_items"."x" AS INTEGER)) >= 0.5 THEN CAST("fn_items"."x" AS INTEGER) + SIGN("fn_items"."x") ELSE CAST("fn_items"."x" AS INTEGER) END ELSE "fn_items"."x" END) AS REAL) FROM "fn_items""#,
            ),
            values: vec![Value::BigInt(Some(1))],
        },
        Case {
            name: "concat: || (CONCAT on MySQL), NULL if a part is",
            got: all(|b| select(concat((Item::name, "-", Item::note))).to_sql(b)),
            want: each(
                r#"SELECT "fn_items"."name" || $1 || "fn_items"."note" FROM "fn_items""#,
                "SELECT CONCAT(`fn_items`.`name`, ?, `fn_items`.`note`) FROM `fn_items`",
                r#"SELECT "fn_items"."name" || ? || "fn_items"."note" FROM "fn_items""#,
            ),
            values: vec![Value::String(Some("-".into()))],
        },
        Case {
            name: "concat skipping a NULL part with coalesce",
            got: all(|b| select(concat((Item::name, coalesce(Item::note, "")))).to_sql(b)),
            want: each(
                r#"SELECT "fn_items"."name" || COALESCE("fn_items"."note", $1) FROM "fn_items""#,
                "SELECT CONCAT(`fn_items`.`name`, COALESCE(`fn_items`.`note`, ?)) FROM `fn_items`",
                r#"SELECT "fn_items"."name" || COALESCE("fn_items"."note", ?) FROM "fn_items""#,
            ),
            values: vec![Value::String(Some("".into()))],
        },
        Case {
            name: "substring with bound start and length",
            got: all(|b| select(substring(Item::name, 2, 3)).to_sql(b)),
            want: each(
                r#"SELECT SUBSTRING("fn_items"."name", $1, $2) FROM "fn_items""#,
                "SELECT SUBSTRING(`fn_items`.`name`, ?, ?) FROM `fn_items`",
                r#"SELECT SUBSTRING("fn_items"."name", ?, ?) FROM "fn_items""#,
            ),
            values: vec![Value::Int(Some(2)), Value::Int(Some(3))],
        },
        Case {
            name: "trim, ltrim, rtrim",
            got: all(|b| {
                select((trim(Item::name), ltrim(Item::name), rtrim(Item::note))).to_sql(b)
            }),
            want: each(
                r#"SELECT TRIM("fn_items"."name"), LTRIM("fn_items"."name"), RTRIM("fn_items"."note") FROM "fn_items""#,
                "SELECT TRIM(`fn_items`.`name`), LTRIM(`fn_items`.`name`), RTRIM(`fn_items`.`note`) FROM `fn_items`",
                r#"SELECT TRIM("fn_items"."name"), LTRIM("fn_items"."name"), RTRIM("fn_items"."note") FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "replace with bound texts",
            got: all(|b| select(replace(Item::name, "a", "b")).to_sql(b)),
            want: each(
                r#"SELECT REPLACE("fn_items"."name", $1, $2) FROM "fn_items""#,
                "SELECT REPLACE(`fn_items`.`name`, ?, ?) FROM `fn_items`",
                r#"SELECT REPLACE("fn_items"."name", ?, ?) FROM "fn_items""#,
            ),
            values: vec![
                Value::String(Some("a".into())),
                Value::String(Some("b".into())),
            ],
        },
        Case {
            name: "extract: UTC parts, whole seconds, day of week from 0",
            got: all(|b| {
                select((
                    extract(DatePart::Year, Item::day),
                    extract(DatePart::Second, Item::at),
                    extract(DatePart::DayOfWeek, Item::at_tz),
                ))
                .to_sql(b)
            }),
            want: each(
                r#"SELECT CAST(EXTRACT(YEAR FROM CAST("fn_items"."day" AS TIMESTAMP)) AS INTEGER), CAST(TRUNC(EXTRACT(SECOND FROM "fn_items"."at")) AS INTEGER), CAST(EXTRACT(DOW FROM "fn_items"."at_tz" AT TIME ZONE 'UTC') AS INTEGER) FROM "fn_items""#,
                "SELECT EXTRACT(YEAR FROM `fn_items`.`day`), EXTRACT(SECOND FROM `fn_items`.`at`), DAYOFWEEK(`fn_items`.`at_tz`) - 1 FROM `fn_items`",
                r#"SELECT CAST(STRFTIME('%Y', "fn_items"."day") AS INTEGER), CAST(STRFTIME('%S', "fn_items"."at") AS INTEGER), CAST(STRFTIME('%w', "fn_items"."at_tz") AS INTEGER) FROM "fn_items""#,
            ),
            values: vec![],
        },
        Case {
            name: "functions in a filter",
            got: all(|b| {
                select(Item::id)
                    .filter(
                        extract(DatePart::Month, Item::day)
                            .eq(2)
                            .and(trim(Item::name).ne("")),
                    )
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "fn_items"."id" FROM "fn_items" WHERE (CAST(EXTRACT(MONTH FROM CAST("fn_items"."day" AS TIMESTAMP)) AS INTEGER)) = $1 AND TRIM("fn_items"."name") <> $2"#,
                "SELECT `fn_items`.`id` FROM `fn_items` WHERE (EXTRACT(MONTH FROM `fn_items`.`day`)) = ? AND TRIM(`fn_items`.`name`) <> ?",
                r#"SELECT "fn_items"."id" FROM "fn_items" WHERE (CAST(STRFTIME('%m', "fn_items"."day") AS INTEGER)) = ? AND TRIM("fn_items"."name") <> ?"#,
            ),
            values: vec![Value::Int(Some(2)), Value::String(Some("".into()))],
        },
        Case {
            name: "date_add: months clamp, hours, days with time zone in UTC",
            got: all(|b| {
                select((
                    date_add(Item::day, months(1)),
                    date_add(Item::at, hours(-2)),
                    date_add(Item::at_tz, days(3)),
                ))
                .to_sql(b)
            }),
            want: each(
                r#"SELECT CAST("fn_items"."day" + MAKE_INTERVAL(months => $1) AS DATE), "fn_items"."at" + MAKE_INTERVAL(hours => $2), ("fn_items"."at_tz" AT TIME ZONE 'UTC' + MAKE_INTERVAL(days => $3)) AT TIME ZONE 'UTC' FROM "fn_items""#,
                "SELECT DATE_ADD(`fn_items`.`day`, INTERVAL ? MONTH), DATE_ADD(`fn_items`.`at`, INTERVAL ? HOUR), DATE_ADD(`fn_items`.`at_tz`, INTERVAL ? DAY) FROM `fn_items`",
                r#"SELECT DATE("fn_items"."day", ? || ' months', 'floor'), STRFTIME('%Y-%m-%d %H:%M:%f', "fn_items"."at", ? || ' hours'), STRFTIME('%Y-%m-%d %H:%M:%f', "fn_items"."at_tz", ? || ' days') FROM "fn_items""#,
            ),
            values: vec![
                Value::Int(Some(1)),
                Value::Int(Some(-2)),
                Value::Int(Some(3)),
            ],
        },
        Case {
            name: "current_date",
            got: all(|b| select(current_date()).to_sql(b)),
            want: each(
                "SELECT CURRENT_DATE",
                "SELECT CURRENT_DATE",
                "SELECT CURRENT_DATE",
            ),
            values: vec![],
        },
    ]);
}

/// round_to of a double scales by a bound 10^n: SQLite binds more values than the others.
#[test]
fn sql_round_to_double_renders_on_each_backend() {
    let got = all(|b| select(round_to(Item::x, 2)).to_sql(b));
    let want = each(
        r#"SELECT (CASE WHEN ABS("fn_items"."x" * $1 - TRUNC("fn_items"."x" * $2)) >= 0.5 THEN TRUNC("fn_items"."x" * $3) + SIGN("fn_items"."x" * $4) ELSE TRUNC("fn_items"."x" * $5) END) / $6 FROM "fn_items""#,
        "SELECT (CASE WHEN ABS(`fn_items`.`x` * ? - TRUNCATE(`fn_items`.`x` * ?, 0)) >= 0.5 THEN TRUNCATE(`fn_items`.`x` * ?, 0) + SIGN(`fn_items`.`x` * ?) ELSE TRUNCATE(`fn_items`.`x` * ?, 0) END) / ? FROM `fn_items`",
        r#"SELECT CAST(((CASE WHEN ABS("fn_items"."x" * ?) < 4503599627370496 THEN CASE WHEN ABS("fn_items"."x" * ? - CAST("fn_items"."x" * ? AS INTEGER)) >= 0.5 THEN CAST("fn_items"."x" * ? AS INTEGER) + SIGN("fn_items"."x" * ?) ELSE CAST("fn_items"."x" * ? AS INTEGER) END ELSE "fn_items"."x" * ? END) / ?) AS REAL) FROM "fn_items""#,
    );
    for (i, (sql, _)) in got.iter().enumerate() {
        assert_eq!(sql, &want[i]);
    }
    assert_eq!(
        got[0].1.0,
        vec![
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0))
        ]
    );
    assert_eq!(got[1].1.0, got[0].1.0);
    assert_eq!(
        got[2].1.0,
        vec![
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0)),
            Value::Double(Some(100.0))
        ]
    );
}

/// round_to of a decimal: ROUND where it is exact, double arithmetic on SQLite: SQLite binds more values than the others.
#[test]
fn sql_round_numeric_renders_on_each_backend() {
    let got = all(|b| select(round_to(Item::price, 1)).to_sql(b));
    let want = each(
        r#"SELECT ROUND("fn_items"."price", $1) FROM "fn_items""#,
        "SELECT ROUND(`fn_items`.`price`, ?) FROM `fn_items`",
        r#"SELECT (CASE WHEN ABS("fn_items"."price" * ?) < 4503599627370496 THEN CASE WHEN ABS("fn_items"."price" * ? - CAST("fn_items"."price" * ? AS INTEGER)) >= 0.5 THEN CAST("fn_items"."price" * ? AS INTEGER) + SIGN("fn_items"."price" * ?) ELSE CAST("fn_items"."price" * ? AS INTEGER) END ELSE "fn_items"."price" * ? END) / ? FROM "fn_items""#,
    );
    for (i, (sql, _)) in got.iter().enumerate() {
        assert_eq!(sql, &want[i]);
    }
    assert_eq!(got[0].1.0, vec![Value::Int(Some(1))]);
    assert_eq!(got[1].1.0, got[0].1.0);
    assert_eq!(
        got[2].1.0,
        vec![
            Value::Double(Some(10.0)),
            Value::Double(Some(10.0)),
            Value::Double(Some(10.0)),
            Value::Double(Some(10.0)),
            Value::Double(Some(10.0)),
            Value::Double(Some(10.0)),
            Value::Double(Some(10.0)),
            Value::Double(Some(10.0))
        ]
    );
}

/// Under a table alias (a correlated subquery along a relationship) every column of a portable
/// function is read from the alias, the CASE of a rounding included.
#[test]
fn sql_portable_functions_follow_a_table_alias() {
    let mut q = sea_query::SelectStatement::new();
    for e in [
        round_to(Item::x, 1).lower(Backend::Sqlite),
        floor(Item::x).lower(Backend::Sqlite),
        concat((Item::name, Item::note)).lower(Backend::Sqlite),
        date_add(Item::day, months(1)).lower(Backend::Sqlite),
        extract(DatePart::Day, Item::at).lower(Backend::Sqlite),
    ] {
        q.expr(azoth_dsl::lower::retable(e, "fn_items", "i"));
    }
    let (sql, _) = azoth_dsl::lower::render(&q, Backend::Sqlite);
    assert!(!sql.contains("fn_items"), "{sql}");
    assert_eq!(sql.matches(r#""i"."#).count(), 7 + 5 + 2 + 1 + 1, "{sql}");
}
