//! Bound values to each driver's arguments; a value a backend cannot hold is an error, never a panic.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_query::{Value, Values};
use sqlx::Arguments;
#[cfg(feature = "mysql")]
use sqlx::mysql::MySqlArguments;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgArguments;
#[cfg(feature = "sqlite")]
use sqlx::sqlite::SqliteArguments;

use crate::decode::decimal_of_double;
use crate::errors::{Error, Result};

/// Builds a driver's arguments from bound values.
pub(crate) trait BindValues: Sized {
    /// Converts every value, in order.
    fn bind(values: Values) -> Result<Self>;
}

fn add<A: Arguments, T>(args: &mut A, v: T) -> Result<()>
where
    T: for<'t> sqlx::Encode<'t, A::Database> + sqlx::Type<A::Database>,
{
    args.add(v).map_err(|e| Error::Bind(e.to_string()))
}

#[cfg_attr(not(any(feature = "postgres", feature = "sqlite")), allow(dead_code))]
pub(crate) fn signed<T: TryInto<i64> + Copy + std::fmt::Display>(v: T) -> Result<i64> {
    v.try_into()
        .map_err(|_| Error::Bind(format!("{v} does not fit a signed 64-bit integer")))
}

/// The JSON document to bind; a `Json<T>` whose value could not be serialized carries the error,
/// which is reported here instead of storing it.
pub(crate) fn json_document(
    doc: Option<Box<serde_json::Value>>,
) -> Result<Option<serde_json::Value>> {
    match doc {
        Some(d) => match azoth_dsl::custom_types::serialize_error(&d) {
            Some(message) => Err(Error::Bind(message.to_owned())),
            None => Ok(Some(*d)),
        },
        None => Ok(None),
    }
}

/// Defines `$name(args, value)`: binds the values every backend takes the same way and hands
/// back the ones it did not handle.
macro_rules! common_binder {
    ($name:ident, $args:ty) => {
        fn $name(args: &mut $args, v: Value) -> Result<Option<Value>> {
            match v {
                Value::Bool(x) => add(args, x)?,
                Value::TinyInt(x) => add(args, x.map(i16::from))?,
                Value::SmallInt(x) => add(args, x)?,
                Value::Int(x) => add(args, x)?,
                Value::BigInt(x) => add(args, x)?,
                Value::Float(x) => add(args, x)?,
                Value::Double(x) => add(args, x)?,
                Value::String(x) => add(args, x)?,
                Value::Char(x) => add(args, x.map(String::from))?,
                Value::Bytes(x) => add(args, x)?,
                Value::Json(x) => add(args, json_document(x)?)?,
                Value::ChronoDate(x) => add(args, x)?,
                Value::ChronoTime(x) => add(args, x)?,
                Value::ChronoDateTime(x) => add(args, x)?,
                Value::ChronoDateTimeUtc(x) => add(args, x)?,
                Value::ChronoDateTimeLocal(x) => {
                    add(args, x.map(|t| t.with_timezone(&chrono::Utc)))?
                }
                Value::ChronoDateTimeWithTimeZone(x) => {
                    add(args, x.map(|t| t.with_timezone(&chrono::Utc)))?
                }
                Value::Uuid(x) => add(args, x)?,
                other => return Ok(Some(other)),
            }
            Ok(None)
        }
    };
}

#[cfg(feature = "postgres")]
common_binder!(bind_one_common_pg, PgArguments);
#[cfg(feature = "mysql")]
common_binder!(bind_one_common_my, MySqlArguments);
#[cfg(feature = "sqlite")]
common_binder!(bind_one_common_lite, SqliteArguments);

/// How SQLite holds a decimal: it has no decimal type, and a `NUMERIC` column stores a number as
/// an integer or a double (text that looks like a number is converted the same way).
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) enum LiteNumber {
    Integer(i64),
    Real(f64),
}

/// The SQLite number that holds `d` exactly: a whole number that fits an `i64` as an integer,
/// anything else as the double that reads back as the same decimal. A decimal with more
/// significant digits than a double keeps (about 15) is an error, never a rounded value.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) fn lite_decimal(d: Decimal) -> Result<LiteNumber> {
    if d.fract().is_zero()
        && let Some(i) = d.to_i64()
    {
        return Ok(LiteNumber::Integer(i));
    }
    let text = d.to_string();
    let f: f64 = text
        .parse()
        .map_err(|_| Error::Bind(format!("the decimal {text} has no double value")))?;
    match decimal_of_double(f) {
        Ok(back) if back == d => Ok(LiteNumber::Real(f)),
        _ => Err(Error::Bind(format!(
            "the decimal {text} has more significant digits than SQLite keeps: SQLite stores a \
             decimal as an integer or a double (about 15 significant digits), and azoth does not \
             round; use PostgreSQL or MySQL for exact decimals, or store it as text"
        ))),
    }
}

pub(crate) fn unsupported(v: &Value) -> Error {
    Error::Bind(format!("{v:?} has no representation on this backend"))
}

#[cfg(feature = "postgres")]
impl BindValues for PgArguments {
    fn bind(values: Values) -> Result<Self> {
        let mut args = PgArguments::default();
        for v in values.0 {
            if let Some(rest) = bind_one_common_pg(&mut args, v)? {
                match rest {
                    Value::TinyUnsigned(x) => add(&mut args, x.map(i16::from))?,
                    Value::SmallUnsigned(x) => add(&mut args, x.map(i32::from))?,
                    Value::Unsigned(x) => add(&mut args, x.map(i64::from))?,
                    Value::BigUnsigned(x) => add(&mut args, x.map(signed).transpose()?)?,
                    Value::Decimal(x) => add(&mut args, x)?,
                    Value::Array(ty, items) => bind_pg_array(&mut args, ty, items.map(|b| *b))?,
                    other => return Err(unsupported(&other)),
                }
            }
        }
        Ok(args)
    }
}

/// Binds an array (selectin's parent keys, `IN (SELECT UNNEST($1))`) as the driver's array of its element type.
#[cfg(feature = "postgres")]
fn bind_pg_array(
    args: &mut PgArguments,
    ty: sea_query::ArrayType,
    items: Option<Vec<Value>>,
) -> Result<()> {
    use sea_query::ArrayType as T;
    /// The items as `Vec<$t>`, each of variant `$v`; another item is an error.
    macro_rules! items_of {
        ($items:expr, $v:ident) => {
            $items
                .into_iter()
                .map(|v| match v {
                    Value::$v(Some(x)) => Ok(x),
                    other => Err(unsupported(&other)),
                })
                .collect::<Result<Vec<_>>>()
        };
    }
    let items = items.unwrap_or_default();
    match ty {
        T::SmallInt => add(args, items_of!(items, SmallInt)?),
        T::Int => add(args, items_of!(items, Int)?),
        T::BigInt => add(args, items_of!(items, BigInt)?),
        T::String => add(args, items_of!(items, String)?),
        T::Uuid => add(args, items_of!(items, Uuid)?),
        other => Err(Error::Bind(format!(
            "an array of {other:?} has no binding here"
        ))),
    }
}

#[cfg(feature = "mysql")]
impl BindValues for MySqlArguments {
    fn bind(values: Values) -> Result<Self> {
        let mut args = MySqlArguments::default();
        for v in values.0 {
            if let Some(rest) = bind_one_common_my(&mut args, v)? {
                match rest {
                    Value::TinyUnsigned(x) => add(&mut args, x)?,
                    Value::SmallUnsigned(x) => add(&mut args, x)?,
                    Value::Unsigned(x) => add(&mut args, x)?,
                    Value::BigUnsigned(x) => add(&mut args, x)?,
                    Value::Decimal(x) => add(&mut args, x)?,
                    other => return Err(unsupported(&other)),
                }
            }
        }
        Ok(args)
    }
}

#[cfg(feature = "sqlite")]
impl BindValues for SqliteArguments {
    fn bind(values: Values) -> Result<Self> {
        let mut args = SqliteArguments::default();
        for v in values.0 {
            if let Some(rest) = bind_one_common_lite(&mut args, v)? {
                match rest {
                    Value::TinyUnsigned(x) => add(&mut args, x.map(i64::from))?,
                    Value::SmallUnsigned(x) => add(&mut args, x.map(i64::from))?,
                    Value::Unsigned(x) => add(&mut args, x.map(i64::from))?,
                    Value::BigUnsigned(x) => add(&mut args, x.map(signed).transpose()?)?,
                    Value::Decimal(None) => add(&mut args, None::<f64>)?,
                    Value::Decimal(Some(d)) => match lite_decimal(d)? {
                        LiteNumber::Integer(i) => add(&mut args, i)?,
                        LiteNumber::Real(f) => add(&mut args, f)?,
                    },
                    other => return Err(unsupported(&other)),
                }
            }
        }
        Ok(args)
    }
}
