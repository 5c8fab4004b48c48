//! [`RowSource`] over the current row of a SQLite statement: each column read as sqlx's SQLite
//! decoders read it (the same type checks on the value's storage class, the same conversions and
//! text formats), so that a row decodes to the same value, or fails with the same error kind, on
//! either path. `crate::decode` lists, per expected kind, the Rust types tried in turn; the
//! readers below follow those lists.

use std::any::type_name;

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{Error as DslError, RowSource};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use rust_decimal::Decimal;
use sea_query::Value;

use super::ffi::{Column, Statement};
use crate::decode::decimal_of_double;
use crate::decode::exact_decimal;

/// The current row of `stmt`, read left to right.
pub(crate) struct LiteRow<'s, 'h> {
    stmt: &'s Statement<'h>,
    next: usize,
}

impl<'s, 'h> LiteRow<'s, 'h> {
    /// The row `stmt` is on.
    pub(crate) fn new(stmt: &'s Statement<'h>) -> Self {
        LiteRow { stmt, next: 0 }
    }

    /// Reads the next column with `read` if it reads as that type (then moves on); otherwise
    /// leaves it for `next_value`, which tries the wider types and reports errors.
    fn direct<T>(&mut self, read: fn(Column<'_>) -> Read<T>) -> Option<Option<T>> {
        if self.next >= self.stmt.column_count() {
            return None;
        }
        let v = read(self.stmt.column(self.next)).ok()?;
        self.next += 1;
        Some(v)
    }
}

/// Why a column does not read as a Rust type: sqlx's words for it.
struct Why(String);

/// A column read as `Option<T>` (`None` for NULL).
type Read<T> = Result<Option<T>, Why>;

/// sqlx's message for a value of storage class `found` that type `T` (SQL type `sql`) refuses.
fn mismatch<T>(sql: &str, found: &Column<'_>) -> Why {
    let found = match found {
        Column::Null => "NULL",
        Column::Integer(_) => "INTEGER",
        Column::Float(_) => "REAL",
        Column::Text(_) => "TEXT",
        Column::Blob(_) => "BLOB",
    };
    Why(format!(
        "mismatched types; Rust type `{}` (as SQL type `{sql}`) is not compatible with SQL type `{found}`",
        type_name::<Option<T>>()
    ))
}

fn text(b: &[u8]) -> Result<&str, Why> {
    std::str::from_utf8(b).map_err(|e| Why(e.to_string()))
}

fn int_as<T: TryFrom<i64>>(c: Column<'_>) -> Read<T>
where
    T::Error: std::fmt::Display,
{
    match c {
        Column::Null => Ok(None),
        Column::Integer(v) => T::try_from(v).map(Some).map_err(|e| Why(e.to_string())),
        other => Err(mismatch::<T>("INTEGER", &other)),
    }
}

fn read_bool(c: Column<'_>) -> Read<bool> {
    match c {
        Column::Null => Ok(None),
        Column::Integer(v) => Ok(Some(v != 0)),
        other => Err(mismatch::<bool>("BOOLEAN", &other)),
    }
}

fn read_i16(c: Column<'_>) -> Read<i16> {
    int_as(c)
}

fn read_i32(c: Column<'_>) -> Read<i32> {
    int_as(c)
}

fn read_i64(c: Column<'_>) -> Read<i64> {
    match c {
        Column::Null => Ok(None),
        Column::Integer(v) => Ok(Some(v)),
        other => Err(mismatch::<i64>("INTEGER", &other)),
    }
}

fn read_f64(c: Column<'_>) -> Read<f64> {
    match c {
        Column::Null => Ok(None),
        Column::Float(v) => Ok(Some(v)),
        other => Err(mismatch::<f64>("REAL", &other)),
    }
}

fn read_string(c: Column<'_>) -> Read<String> {
    match c {
        Column::Null => Ok(None),
        Column::Text(b) => text(b).map(|s| Some(s.to_owned())),
        other => Err(mismatch::<String>("TEXT", &other)),
    }
}

fn read_bytes(c: Column<'_>) -> Read<Vec<u8>> {
    match c {
        Column::Null => Ok(None),
        Column::Text(b) | Column::Blob(b) => Ok(Some(b.to_vec())),
        other => Err(mismatch::<Vec<u8>>("BLOB", &other)),
    }
}

fn read_date(c: Column<'_>) -> Read<NaiveDate> {
    match c {
        Column::Null => Ok(None),
        Column::Text(b) => NaiveDate::parse_from_str(text(b)?, "%F")
            .map(Some)
            .map_err(|e| Why(e.to_string())),
        other => Err(mismatch::<NaiveDate>("DATE", &other)),
    }
}

fn read_time(c: Column<'_>) -> Read<NaiveTime> {
    match c {
        Column::Null => Ok(None),
        Column::Text(b) => {
            let value = text(b)?;
            // sqlx's formats, in its order.
            let formats = ["%T.f", "%T%.f", "%R", "%RZ", "%T%.fZ", "%R%:z", "%T%.f%:z"];
            formats
                .iter()
                .find_map(|f| NaiveTime::parse_from_str(value, f).ok())
                .map(Some)
                .ok_or_else(|| Why(format!("invalid time: {value}")))
        }
        other => Err(mismatch::<NaiveTime>("TIME", &other)),
    }
}

/// A timestamp as sqlx reads one from SQLite: text in RFC 3339 or one of SQLite's formats, an
/// integer of Unix seconds, or a real Julian day number.
fn datetime<T>(c: Column<'_>) -> Result<Option<DateTime<FixedOffset>>, Why> {
    let (dt, shown) = match c {
        Column::Null => return Ok(None),
        Column::Text(b) => {
            let s = text(b)?;
            (datetime_of_text(s), s.to_owned())
        }
        Column::Integer(v) => (Utc.fix().timestamp_opt(v, 0).single(), v.to_string()),
        Column::Float(v) => (datetime_of_julian_day(v), v.to_string()),
        other => return Err(mismatch::<T>("DATETIME", &other)),
    };
    dt.map(Some)
        .ok_or_else(|| Why(format!("invalid datetime: {shown}")))
}

fn datetime_of_text(value: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(value) {
        return Some(dt);
    }
    // sqlx's formats, in its order (the date and time functions' formats of SQLite).
    let formats = [
        "%F %T%.f",
        "%F %R",
        "%F %RZ",
        "%F %R%:z",
        "%F %T%.fZ",
        "%F %T%.f%:z",
        "%FT%R",
        "%FT%RZ",
        "%FT%R%:z",
        "%FT%T%.f",
        "%FT%T%.fZ",
        "%FT%T%.f%:z",
    ];
    for format in formats {
        if let Ok(dt) = DateTime::parse_from_str(value, format) {
            return Some(dt);
        }
        if let Ok(dt) = NaiveDateTime::parse_from_str(value, format) {
            return Some(Utc.fix().from_utc_datetime(&dt));
        }
    }
    None
}

fn datetime_of_julian_day(value: f64) -> Option<DateTime<FixedOffset>> {
    let epoch_in_julian_days = 2_440_587.5;
    let seconds_in_day = 86400.0;
    let timestamp = (value - epoch_in_julian_days) * seconds_in_day;
    if !timestamp.is_finite() {
        return None;
    }
    let seconds = timestamp.trunc() as i64;
    let nanos = (timestamp.fract() * 1E9).abs() as u32;
    Utc.fix().timestamp_opt(seconds, nanos).single()
}

fn read_datetime(c: Column<'_>) -> Read<NaiveDateTime> {
    Ok(datetime::<NaiveDateTime>(c)?.map(|dt| dt.naive_local()))
}

fn read_datetime_utc(c: Column<'_>) -> Read<DateTime<Utc>> {
    Ok(datetime::<DateTime<Utc>>(c)?.map(|dt| Utc.from_utc_datetime(&dt.naive_utc())))
}

fn read_uuid(c: Column<'_>) -> Read<uuid::Uuid> {
    match c {
        Column::Null => Ok(None),
        Column::Text(b) | Column::Blob(b) => uuid::Uuid::from_slice(b)
            .map(Some)
            .map_err(|e| Why(e.to_string())),
        other => Err(mismatch::<uuid::Uuid>("BLOB", &other)),
    }
}

fn read_json(c: Column<'_>) -> Read<serde_json::Value> {
    match c {
        Column::Null => Ok(None),
        Column::Text(b) => serde_json::from_slice(b)
            .map(Some)
            .map_err(|e| Why(e.to_string())),
        other => Err(mismatch::<serde_json::Value>("TEXT", &other)),
    }
}

/// Why a column could not be read as the expected kind.
enum Failure {
    /// Of another type: sqlx's message.
    Type(Why),
    /// Of the right type, but the Rust type cannot hold it exactly.
    Unrepresentable(String),
}

/// Tries each reader in turn until one reads; the first reader's error if none does.
macro_rules! first_of {
    ($c:expr; $r0:ident => $v0:ident $(($c0:expr))? $(, $r:ident => $variant:ident $(($conv:expr))?)* $(,)?) => {{
        let first = match $r0($c) {
            Ok(v) => return Ok(Value::$v0(first_of!(@conv v $(, $c0)?))),
            Err(e) => e,
        };
        $(
            if let Ok(v) = $r($c) {
                return Ok(Value::$variant(first_of!(@conv v $(, $conv)?)));
            }
        )*
        Err(Failure::Type(first))
    }};
    (@conv $v:ident) => { $v };
    (@conv $v:ident, $conv:expr) => { $v.map($conv) };
}

/// Column `c` as a value of `kind`: the types `crate::decode` tries for SQLite, in its order.
fn read_value(c: Column<'_>, kind: SqlKind) -> Result<Value, Failure> {
    match kind {
        SqlKind::Bool => first_of!(c; read_bool => Bool, read_i64 => BigInt),
        SqlKind::SmallInt => {
            first_of!(c; read_i16 => SmallInt, read_i32 => Int, read_i64 => BigInt)
        }
        SqlKind::Integer => first_of!(c; read_i32 => Int, read_i64 => BigInt, read_i16 => SmallInt),
        SqlKind::BigInt => first_of!(c; read_i64 => BigInt, read_i32 => Int, read_i16 => SmallInt),
        SqlKind::Real => first_of!(c; read_f64 => Double, read_f32 => Float),
        SqlKind::Double => first_of!(c; read_f64 => Double, read_f32 => Float),
        SqlKind::Numeric => numeric(c),
        SqlKind::Text => first_of!(c; read_string => String),
        SqlKind::Blob => first_of!(c; read_bytes => Bytes),
        SqlKind::Date => first_of!(c; read_date => ChronoDate),
        SqlKind::Time => first_of!(c; read_time => ChronoTime),
        SqlKind::Timestamp => {
            first_of!(c; read_datetime => ChronoDateTime, read_datetime_utc => ChronoDateTimeUtc)
        }
        SqlKind::TimestampTz => {
            first_of!(c; read_datetime_utc => ChronoDateTimeUtc, read_datetime => ChronoDateTime)
        }
        SqlKind::Uuid => first_of!(c; read_uuid => Uuid),
        SqlKind::Json => first_of!(c; read_json => Json (Box::new)),
    }
}

/// sqlx reads SQLite's REAL as `f32` by narrowing the double unchecked; `crate::decode` tries
/// the double first, so this only runs where that failed (and fails the same way).
fn read_f32(c: Column<'_>) -> Read<f32> {
    match c {
        Column::Null => Ok(None),
        Column::Float(v) => Ok(Some(v as f32)),
        other => Err(mismatch::<f32>("REAL", &other)),
    }
}

/// A `NUMERIC` column exactly, as `crate::decode::numeric` reads it on SQLite: an integer, the
/// decimal a double stands for, or text holding a decimal.
fn numeric(c: Column<'_>) -> Result<Value, Failure> {
    let decimal = match c {
        Column::Null => return Ok(Value::Decimal(None)),
        Column::Integer(v) => Ok(Decimal::from(v)),
        Column::Float(v) => decimal_of_double(v),
        Column::Text(b) => exact_decimal(text(b).map_err(Failure::Type)?.trim()),
        Column::Blob(_) => return first_of!(c; read_string => String),
    };
    decimal
        .map(|d| Value::Decimal(Some(d)))
        .map_err(Failure::Unrepresentable)
}

/// Declares the straight readers of [`RowSource`] for [`LiteRow`].
macro_rules! straight {
    ($($next:ident / $read:ident: $t:ty;)*) => {
        impl RowSource for LiteRow<'_, '_> {
            fn next_value(&mut self, kind: SqlKind) -> Result<Value, DslError> {
                let i = self.next;
                let count = self.stmt.column_count();
                if i >= count {
                    return Err(DslError::MissingColumn { found: count });
                }
                self.next += 1;
                read_value(self.stmt.column(i), kind).map_err(|e| match e {
                    Failure::Type(Why(why)) => DslError::WrongType {
                        column: self.last_column(),
                        expected: kind,
                        found: format!("error occurred while decoding column {i}: {why}"),
                    },
                    Failure::Unrepresentable(problem) => DslError::Unrepresentable {
                        column: self.last_column(),
                        problem,
                    },
                })
            }

            /// Moves past the column without reading it (a joined load passes over the columns
            /// of a row it has read before).
            fn skip(&mut self, _kind: SqlKind) -> Result<(), DslError> {
                let count = self.stmt.column_count();
                if self.next >= count {
                    return Err(DslError::MissingColumn { found: count });
                }
                self.next += 1;
                Ok(())
            }

            fn last_column(&self) -> String {
                let i = self.next.saturating_sub(1);
                self.stmt
                    .column_name(i)
                    .unwrap_or_else(|| format!("#{i}"))
            }

            $(fn $next(&mut self) -> Option<Option<$t>> {
                self.direct($read)
            })*
        }
    };
}

straight! {
    next_bool / read_bool: bool;
    next_i16 / read_i16: i16;
    next_i32 / read_i32: i32;
    next_i64 / read_i64: i64;
    next_f64 / read_f64: f64;
    next_string / read_string: String;
    next_bytes / read_bytes: Vec<u8>;
    next_date / read_date: NaiveDate;
    next_time / read_time: NaiveTime;
    next_datetime / read_datetime: NaiveDateTime;
    next_datetime_utc / read_datetime_utc: DateTime<Utc>;
    next_uuid / read_uuid: uuid::Uuid;
    next_json / read_json: serde_json::Value;
}
