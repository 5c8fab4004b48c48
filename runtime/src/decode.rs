//! Reading driver rows as the values a query expects: [`azoth_dsl::RowSource`] over sqlx rows.
//!
//! Each backend returns some aggregates in a wider type than the expression's (PostgreSQL's
//! `SUM(int)` is a `BIGINT`, MySQL's is a `DECIMAL`): a value is read as the expected type first,
//! then as the wider ones, and the DSL narrows it back with a range check.

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{Error as DslError, RowSource};
use rust_decimal::Decimal;
use sea_query::Value;
use sqlx::{Column, Row, TypeInfo, ValueRef};

/// A row being read left to right.
pub(crate) struct Cursor<'r, R> {
    row: &'r R,
    next: usize,
}

impl<'r, R: Row> Cursor<'r, R> {
    pub(crate) fn new(row: &'r R) -> Self {
        Cursor { row, next: 0 }
    }

    /// Reads the next column with `read` if it decodes as that type (then moves on); otherwise
    /// leaves it for `next_value`, which knows the wider types and reports errors.
    fn direct<T>(&mut self, read: fn(&R, usize) -> Result<T, sqlx::Error>) -> Option<T> {
        if self.next >= self.row.len() {
            return None;
        }
        let v = read(self.row, self.next).ok()?;
        self.next += 1;
        Some(v)
    }
}

/// Why a column could not be read as the expected kind.
pub(crate) enum ReadError {
    /// The value is of another type than the query's SQL type.
    Type(sqlx::Error),
    /// The value is of the right type, but the Rust type cannot hold it exactly: what and why.
    Unrepresentable(String),
}

impl From<sqlx::Error> for ReadError {
    fn from(e: sqlx::Error) -> Self {
        ReadError::Type(e)
    }
}

/// Reads one column of a driver's row as a value of `kind`, or straight as a common type.
pub(crate) trait ReadValue: Row {
    fn read_value(&self, index: usize, kind: SqlKind) -> Result<Value, ReadError>;
    fn read_i64(&self, index: usize) -> Result<Option<i64>, sqlx::Error>;
    fn read_i32(&self, index: usize) -> Result<Option<i32>, sqlx::Error>;
    fn read_string(&self, index: usize) -> Result<Option<String>, sqlx::Error>;
}

/// Tries each Rust type in turn until one decodes; returns the first type's error if none does.
macro_rules! first_of {
    ($row:expr, $i:expr; $t0:ty => $v0:ident $(($c0:expr))? $(, $t:ty => $variant:ident $(($conv:expr))?)* $(,)?) => {{
        let first_err = match $row.try_get::<Option<$t0>, _>($i) {
            Ok(v) => return Ok(Value::$v0(first_of!(@conv v $(, $c0)?))),
            Err(e) => e,
        };
        $(
            if let Ok(v) = $row.try_get::<Option<$t>, _>($i) {
                return Ok(Value::$variant(first_of!(@conv v $(, $conv)?)));
            }
        )*
        Err(ReadError::Type(first_err))
    }};
    (@conv $v:ident) => { $v };
    (@conv $v:ident, $conv:expr) => { $v.map($conv) };
}

macro_rules! read_value_impl {
    ($row:ty, real: [$($real:tt)*], numeric: [$($num:tt)*], unsigned: [$($uns:tt)*]) => {
        impl ReadValue for $row {
            fn read_value(&self, i: usize, kind: SqlKind) -> Result<Value, ReadError> {
                match kind {
                    SqlKind::Bool => first_of!(self, i; bool => Bool, i64 => BigInt),
                    SqlKind::SmallInt => first_of!(self, i; i16 => SmallInt, i32 => Int, i64 => BigInt),
                    SqlKind::Integer => first_of!(self, i; i32 => Int, i64 => BigInt, i16 => SmallInt $($num)*),
                    SqlKind::BigInt => first_of!(self, i; i64 => BigInt, i32 => Int, i16 => SmallInt $($num)* $($uns)*),
                    SqlKind::Real => first_of!(self, i; $($real)*),
                    SqlKind::Double => first_of!(self, i; f64 => Double, f32 => Float $($num)*),
                    SqlKind::Numeric => self.numeric(i),
                    SqlKind::Text => first_of!(self, i; String => String),
                    SqlKind::Blob => first_of!(self, i; Vec<u8> => Bytes),
                    SqlKind::Date => first_of!(self, i; chrono::NaiveDate => ChronoDate),
                    SqlKind::Time => first_of!(self, i; chrono::NaiveTime => ChronoTime),
                    SqlKind::Timestamp => first_of!(self, i;
                        chrono::NaiveDateTime => ChronoDateTime, chrono::DateTime<chrono::Utc> => ChronoDateTimeUtc),
                    SqlKind::TimestampTz => first_of!(self, i;
                        chrono::DateTime<chrono::Utc> => ChronoDateTimeUtc, chrono::NaiveDateTime => ChronoDateTime),
                    SqlKind::Uuid => first_of!(self, i; uuid::Uuid => Uuid),
                    SqlKind::Json => first_of!(self, i; serde_json::Value => Json (Box::new)),
                }
            }
            fn read_i64(&self, i: usize) -> Result<Option<i64>, sqlx::Error> {
                self.try_get::<Option<i64>, _>(i)
            }
            fn read_i32(&self, i: usize) -> Result<Option<i32>, sqlx::Error> {
                self.try_get::<Option<i32>, _>(i)
            }
            fn read_string(&self, i: usize) -> Result<Option<String>, sqlx::Error> {
                self.try_get::<Option<String>, _>(i)
            }
        }
    };
}

read_value_impl!(sqlx::postgres::PgRow, real: [f32 => Float, f64 => Double],
    numeric: [, Decimal => Decimal], unsigned: []);
// A MySQL DOUBLE and SQLite's REAL (always a double) are narrowed by sqlx to an `f32` unchecked
// (1e300 becomes infinity): read the double, and the DSL narrows it with a range check.
read_value_impl!(sqlx::mysql::MySqlRow, real: [f64 => Double, f32 => Float],
    numeric: [, Decimal => Decimal], unsigned: [, u64 => BigUnsigned]);
read_value_impl!(sqlx::sqlite::SqliteRow, real: [f64 => Double, f32 => Float],
    numeric: [], unsigned: []);

/// Reads a `NUMERIC` column exactly: every digit the database sent is kept, and a value a
/// `Decimal` cannot hold is [`ReadError::Unrepresentable`], never rounded and never NULL.
trait ReadNumeric {
    fn numeric(&self, i: usize) -> Result<Value, ReadError>;
}

/// The decimal written `text`, exactly; trailing zeros after the point are dropped where a
/// `Decimal` could not hold them (`1.000..0` with 30 zeros is `1`).
pub(crate) fn exact_decimal(text: &str) -> Result<Decimal, String> {
    Decimal::from_str_exact(text)
        .or_else(|e| match text.split_once('.') {
            Some((int, frac)) => {
                let frac = frac.trim_end_matches('0');
                let shorter = if frac.is_empty() {
                    int.to_owned()
                } else {
                    format!("{int}.{frac}")
                };
                Decimal::from_str_exact(&shorter)
            }
            None => Err(e),
        })
        .map_err(|_| {
            format!(
                "the value {text} does not fit a rust_decimal::Decimal (at most 28 digits after \
                 the point, about 28 significant digits, magnitude below 7.9e28); azoth does not \
                 round it"
            )
        })
}

/// The decimal a double stands for: its shortest decimal form, the one that reads back as the
/// same double (what `f64`'s `Display` writes).
pub(crate) fn decimal_of_double(f: f64) -> Result<Decimal, String> {
    if !f.is_finite() {
        return Err(format!(
            "the value {f} is not a number a rust_decimal::Decimal holds"
        ));
    }
    exact_decimal(&f.to_string())
}

impl ReadNumeric for sqlx::postgres::PgRow {
    fn numeric(&self, i: usize) -> Result<Value, ReadError> {
        let raw = self.try_get_raw(i)?;
        if raw.is_null() {
            return Ok(Value::Decimal(None));
        }
        if raw.type_info().name() != "NUMERIC" {
            return first_of!(self, i; Decimal => Decimal, i64 => BigInt, f64 => Double);
        }
        let text = match raw.format() {
            sqlx::postgres::PgValueFormat::Text => raw.as_str().map(str::to_owned),
            sqlx::postgres::PgValueFormat::Binary => raw.as_bytes().and_then(pg_numeric_text),
        }
        .map_err(|e| ReadError::Unrepresentable(e.to_string()))?;
        exact_decimal(&text)
            .map(|d| Value::Decimal(Some(d)))
            .map_err(ReadError::Unrepresentable)
    }
}

/// The text of a PostgreSQL `NUMERIC` in the binary format: digit count, weight, sign and display
/// scale (each 16 bits), then base-10000 digits, the first of weight `weight`.
fn pg_numeric_text(bytes: &[u8]) -> Result<String, sqlx::error::BoxDynError> {
    let word = |k: usize| -> Result<u16, sqlx::error::BoxDynError> {
        let b = bytes.get(2 * k..2 * k + 2).ok_or("a truncated NUMERIC")?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    };
    let ndigits = usize::from(word(0)?);
    let weight = i64::from(word(1)? as i16);
    let sign = word(2)?;
    let dscale = usize::from(word(3)?);
    let digits = (0..ndigits)
        .map(|k| word(4 + k))
        .collect::<Result<Vec<u16>, _>>()?;
    let negative = match sign {
        0x0000 => false,
        0x4000 => true,
        0xC000 => return Err("the value NaN is not a number a rust_decimal::Decimal holds".into()),
        _ => return Err("the value Infinity is not a number a rust_decimal::Decimal holds".into()),
    };
    // The digit of weight `w` (10000^w), zero outside the stored ones.
    let digit = |w: i64| -> u16 {
        usize::try_from(weight - w)
            .ok()
            .and_then(|k| digits.get(k).copied())
            .unwrap_or(0)
    };
    let mut text = String::new();
    if negative {
        text.push('-');
    }
    if weight < 0 {
        text.push('0');
    } else {
        text.push_str(&digit(weight).to_string());
        for w in (0..weight).rev() {
            text.push_str(&format!("{:04}", digit(w)));
        }
    }
    let stored = usize::try_from((i64::try_from(ndigits)? - weight - 1).max(0))? * 4;
    let frac_len = dscale.max(stored);
    if frac_len > 0 {
        let mut frac = String::new();
        let mut w = -1;
        while frac.len() < frac_len {
            frac.push_str(&format!("{:04}", digit(w)));
            w -= 1;
        }
        // The last base-10000 digit is padded with zeros past the display scale.
        while frac.len() > dscale && frac.ends_with('0') {
            frac.pop();
        }
        if frac.is_empty() {
            return Ok(text);
        }
        text.push('.');
        text.push_str(&frac);
    }
    Ok(text)
}

impl ReadNumeric for sqlx::mysql::MySqlRow {
    fn numeric(&self, i: usize) -> Result<Value, ReadError> {
        let raw = self.try_get_raw(i)?;
        if raw.is_null() {
            return Ok(Value::Decimal(None));
        }
        if raw.type_info().name() != "DECIMAL" {
            return first_of!(self, i; Decimal => Decimal, i64 => BigInt, f64 => Double);
        }
        // MySQL sends a DECIMAL as its text in both protocols, padded with zeros to the column's
        // scale (28 places in the columns `create_all` makes): the value without that padding.
        let text = self.try_get_unchecked::<String, _>(i)?;
        exact_decimal(&text)
            .map(|d| Value::Decimal(Some(d.normalize())))
            .map_err(ReadError::Unrepresentable)
    }
}

impl ReadNumeric for sqlx::sqlite::SqliteRow {
    /// SQLite holds a number as an integer or a double (text in a column written by others).
    fn numeric(&self, i: usize) -> Result<Value, ReadError> {
        let raw = self.try_get_raw(i)?;
        let decimal = match raw.type_info().name() {
            "NULL" => return Ok(Value::Decimal(None)),
            "INTEGER" => Ok(Decimal::from(self.try_get_unchecked::<i64, _>(i)?)),
            "REAL" => decimal_of_double(self.try_get_unchecked::<f64, _>(i)?),
            "TEXT" => exact_decimal(self.try_get_unchecked::<String, _>(i)?.trim()),
            _ => return first_of!(self, i; String => String),
        };
        decimal
            .map(|d| Value::Decimal(Some(d)))
            .map_err(ReadError::Unrepresentable)
    }
}

impl<R: ReadValue> RowSource for Cursor<'_, R> {
    fn next_value(&mut self, kind: SqlKind) -> Result<Value, DslError> {
        let i = self.next;
        if i >= self.row.len() {
            return Err(DslError::MissingColumn {
                found: self.row.len(),
            });
        }
        self.next += 1;
        self.row.read_value(i, kind).map_err(|e| match e {
            ReadError::Type(e) => DslError::WrongType {
                column: self.last_column(),
                expected: kind,
                found: e.to_string(),
            },
            ReadError::Unrepresentable(problem) => DslError::Unrepresentable {
                column: self.last_column(),
                problem,
            },
        })
    }

    fn next_i64(&mut self) -> Option<Option<i64>> {
        self.direct(R::read_i64)
    }

    fn next_i32(&mut self) -> Option<Option<i32>> {
        self.direct(R::read_i32)
    }

    fn next_string(&mut self) -> Option<Option<String>> {
        self.direct(R::read_string)
    }

    fn last_column(&self) -> String {
        let i = self.next.saturating_sub(1);
        self.row
            .columns()
            .get(i)
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|| format!("#{i}"))
    }
}
