//! Bound values as the SQLite fast path binds them: the same storage as sqlx's `SqliteArguments`
//! (see `crate::bind`), so a query finds the same rows either way.

use chrono::SecondsFormat;
use sea_query::{Value, Values};

use super::error::LiteError;
use super::ffi::{LiteArg, Statement};
use crate::bind::{LiteNumber, json_document, lite_decimal, signed, unsupported};
use crate::errors::{Error, Result};

/// Every value, in order, as SQLite stores it; a value SQLite cannot hold is [`Error::Bind`].
pub(crate) fn lite_args(values: Values) -> Result<Vec<LiteArg>> {
    values.0.into_iter().map(lite_arg).collect()
}

/// `v` as sqlx's encoders store it: integers as integers, dates and times as text in sqlx's
/// formats, UUIDs as 16-byte blobs, JSON as its text, decimals as `crate::bind` stores them.
fn lite_arg(v: Value) -> Result<LiteArg> {
    fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> LiteArg) -> LiteArg {
        v.map_or(LiteArg::Null, f)
    }
    fn utc(t: chrono::DateTime<chrono::Utc>) -> LiteArg {
        LiteArg::Text(t.to_rfc3339_opts(SecondsFormat::AutoSi, false))
    }
    Ok(match v {
        Value::Bool(x) => or_null(x, |b| LiteArg::Int(i64::from(b))),
        Value::TinyInt(x) => or_null(x, |i| LiteArg::Int(i64::from(i))),
        Value::SmallInt(x) => or_null(x, |i| LiteArg::Int(i64::from(i))),
        Value::Int(x) => or_null(x, |i| LiteArg::Int(i64::from(i))),
        Value::BigInt(x) => or_null(x, LiteArg::Int),
        Value::TinyUnsigned(x) => or_null(x, |i| LiteArg::Int(i64::from(i))),
        Value::SmallUnsigned(x) => or_null(x, |i| LiteArg::Int(i64::from(i))),
        Value::Unsigned(x) => or_null(x, |i| LiteArg::Int(i64::from(i))),
        Value::BigUnsigned(x) => or_null(x.map(signed).transpose()?, LiteArg::Int),
        Value::Float(x) => or_null(x, |f| LiteArg::Double(f64::from(f))),
        Value::Double(x) => or_null(x, LiteArg::Double),
        Value::String(x) => or_null(x, LiteArg::Text),
        Value::Char(x) => or_null(x, |c| LiteArg::Text(String::from(c))),
        Value::Bytes(x) => or_null(x, LiteArg::Blob),
        Value::Json(x) => match json_document(x)? {
            Some(doc) => {
                LiteArg::Text(serde_json::to_string(&doc).map_err(|e| Error::Bind(e.to_string()))?)
            }
            None => LiteArg::Null,
        },
        Value::ChronoDate(x) => or_null(x, |d| LiteArg::Text(d.format("%F").to_string())),
        Value::ChronoTime(x) => or_null(x, |t| LiteArg::Text(t.format("%T%.f").to_string())),
        Value::ChronoDateTime(x) => or_null(x, |t| LiteArg::Text(t.format("%F %T%.f").to_string())),
        Value::ChronoDateTimeUtc(x) => or_null(x, utc),
        Value::ChronoDateTimeLocal(x) => or_null(x, |t| utc(t.with_timezone(&chrono::Utc))),
        Value::ChronoDateTimeWithTimeZone(x) => or_null(x, |t| utc(t.with_timezone(&chrono::Utc))),
        Value::Uuid(x) => or_null(x, |u| LiteArg::Blob(u.as_bytes().to_vec())),
        Value::Decimal(None) => LiteArg::Null,
        Value::Decimal(Some(d)) => match lite_decimal(d)? {
            LiteNumber::Integer(i) => LiteArg::Int(i),
            LiteNumber::Real(f) => LiteArg::Double(f),
        },
        other => return Err(unsupported(&other)),
    })
}

/// Binds `args` to `stmt` as sqlx does: a plain `?` takes the next value, `?NNN` and `$NNN` the
/// value numbered NNN; a parameter beyond the values stays NULL. `Ok(false)`: a parameter
/// named otherwise (`:name`), which sqlx refuses: the caller runs the statement through sqlx
/// for its error.
pub(crate) fn bind_all(stmt: &mut Statement<'_>, args: &[LiteArg]) -> Result<bool, LiteError> {
    let mut next = 0usize;
    for param in 1..=stmt.parameter_count() {
        let n = match stmt.parameter_name(param) {
            None => {
                next += 1;
                next
            }
            Some(name) => match name
                .strip_prefix('?')
                .or_else(|| name.strip_prefix('$'))
                .and_then(|digits| digits.parse::<usize>().ok())
            {
                Some(n) => n,
                None => return Ok(false),
            },
        };
        let Some(arg) = n.checked_sub(1).and_then(|i| args.get(i)) else {
            // sqlx stops binding at the first parameter beyond the values.
            if n > args.len() {
                break;
            }
            return Ok(false);
        };
        stmt.bind(param, arg)?;
    }
    Ok(true)
}
