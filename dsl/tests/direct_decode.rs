//! Every type with a straight reader decodes without a `sea_query::Value` between: a source that
//! refuses `next_value` still yields a row of all of them, and a NULL into a non-`Option` is an
//! error naming the column.

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{DecodeRow, Error, RowSource, Value};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Hands out one value per straight reader, in the order of the tuple below; `next_value` fails.
struct Straight {
    read: usize,
    null: bool,
}

impl Straight {
    fn take<T>(&mut self, v: T) -> Option<Option<T>> {
        self.read += 1;
        Some((!self.null).then_some(v))
    }
}

impl RowSource for Straight {
    fn next_value(&mut self, kind: SqlKind) -> Result<Value, Error> {
        panic!("column {} read through a Value as {kind:?}", self.read)
    }
    fn last_column(&self) -> String {
        format!("c{}", self.read)
    }
    fn next_bool(&mut self) -> Option<Option<bool>> {
        self.take(true)
    }
    fn next_i16(&mut self) -> Option<Option<i16>> {
        self.take(-16)
    }
    fn next_i32(&mut self) -> Option<Option<i32>> {
        self.take(32)
    }
    fn next_i64(&mut self) -> Option<Option<i64>> {
        self.take(64)
    }
    fn next_f64(&mut self) -> Option<Option<f64>> {
        self.take(0.5)
    }
    fn next_string(&mut self) -> Option<Option<String>> {
        self.take("text".into())
    }
    fn next_bytes(&mut self) -> Option<Option<Vec<u8>>> {
        self.take(vec![0, 1])
    }
    fn next_date(&mut self) -> Option<Option<NaiveDate>> {
        self.take(date())
    }
    fn next_time(&mut self) -> Option<Option<NaiveTime>> {
        self.take(time())
    }
    fn next_datetime(&mut self) -> Option<Option<NaiveDateTime>> {
        self.take(date().and_time(time()))
    }
    fn next_datetime_utc(&mut self) -> Option<Option<chrono::DateTime<Utc>>> {
        self.take(Utc.from_utc_datetime(&date().and_time(time())))
    }
    fn next_uuid(&mut self) -> Option<Option<uuid::Uuid>> {
        self.take(uuid::Uuid::from_u128(7))
    }
    fn next_json(&mut self) -> Option<Option<serde_json::Value>> {
        self.take(serde_json::json!({"a": 1}))
    }
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn time() -> NaiveTime {
    NaiveTime::from_hms_opt(7, 45, 0).unwrap()
}

type Row1 = (bool, i16, i32, i64, f64, String, Vec<u8>);
type Row2 = (
    NaiveDate,
    NaiveTime,
    NaiveDateTime,
    chrono::DateTime<Utc>,
    uuid::Uuid,
    serde_json::Value,
);

#[test]
fn every_straight_type_decodes_without_a_value() {
    let mut src = Straight {
        read: 0,
        null: false,
    };
    let (a, b) = <(Row1, Row2)>::decode_row(&mut src).unwrap();
    assert_eq!(a, (true, -16, 32, 64, 0.5, "text".into(), vec![0, 1]));
    assert_eq!(b.0, date());
    assert_eq!(b.2, date().and_time(time()));
    assert_eq!(b.4, uuid::Uuid::from_u128(7));
    assert_eq!(b.5, serde_json::json!({"a": 1}));
    assert_eq!(src.read, 13);
}

#[test]
fn a_straight_null_is_none_or_an_error_naming_the_column() {
    let mut src = Straight {
        read: 0,
        null: true,
    };
    let none = <(Option<bool>, Option<NaiveDate>)>::decode_row(&mut src).unwrap();
    assert_eq!(none, (None, None));
    let mut src = Straight {
        read: 0,
        null: true,
    };
    let err = <(bool,)>::decode_row(&mut src).unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedNull { ref column } if column == "c1"),
        "{err:?}"
    );
}
