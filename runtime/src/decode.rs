//! Reading driver rows as the values a query expects: [`azoth_dsl::RowSource`] over sqlx rows.
//!
//! Each backend returns some aggregates in a wider type than the expression's (PostgreSQL's
//! `SUM(int)` is a `BIGINT`, MySQL's is a `DECIMAL`): a value is read as the expected type first,
//! then as the wider ones, and the DSL narrows it back with a range check.

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{Error as DslError, RowSource};
#[cfg(any(feature = "postgres", feature = "mysql"))]
use rust_decimal::Decimal;
use sea_query::Value;
use sqlx::{Column, Row};

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

/// Declares [`ReadValue`], a macro `impl_direct_reads!` that implements its straight readers
/// for a driver's row, and [`RowSource`] for a cursor, from one list of `(reader, type)`.
macro_rules! direct_reads {
    ($($next:ident / $read:ident: $t:ty;)*) => {
        /// Reads one column of a driver's row as a value of `kind`, or straight as a Rust type
        /// (each the type `read_value` tries first for that type's kind: both read the same value).
        pub(crate) trait ReadValue: Row {
            fn read_value(&self, index: usize, kind: SqlKind) -> Result<Value, ReadError>;
            $(fn $read(&self, index: usize) -> Result<Option<$t>, sqlx::Error>;)*
        }

        macro_rules! impl_direct_reads {
            () => {
                $(fn $read(&self, i: usize) -> Result<Option<$t>, sqlx::Error> {
                    self.try_get::<Option<$t>, _>(i)
                })*
            };
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

            fn skip(&mut self, _kind: SqlKind) -> Result<(), DslError> {
                if self.next >= self.row.len() {
                    return Err(DslError::MissingColumn {
                        found: self.row.len(),
                    });
                }
                self.next += 1;
                Ok(())
            }

            fn last_column(&self) -> String {
                let i = self.next.saturating_sub(1);
                self.row
                    .columns()
                    .get(i)
                    .map(|c| c.name().to_owned())
                    .unwrap_or_else(|| format!("#{i}"))
            }

            $(fn $next(&mut self) -> Option<Option<$t>> {
                self.direct(R::$read)
            })*
        }
    };
}

direct_reads! {
    next_bool / read_bool: bool;
    next_i16 / read_i16: i16;
    next_i32 / read_i32: i32;
    next_i64 / read_i64: i64;
    next_f64 / read_f64: f64;
    next_string / read_string: String;
    next_bytes / read_bytes: Vec<u8>;
    next_date / read_date: chrono::NaiveDate;
    next_time / read_time: chrono::NaiveTime;
    next_datetime / read_datetime: chrono::NaiveDateTime;
    next_datetime_utc / read_datetime_utc: chrono::DateTime<chrono::Utc>;
    next_uuid / read_uuid: uuid::Uuid;
    next_json / read_json: serde_json::Value;
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
            impl_direct_reads!();
        }
    };
}

mod numeric;

use numeric::ReadNumeric;
pub(crate) use numeric::decimal_of_double;
#[cfg(feature = "sqlite")]
pub(crate) use numeric::exact_decimal;

#[cfg(feature = "postgres")]
read_value_impl!(sqlx::postgres::PgRow, real: [f32 => Float, f64 => Double],
    numeric: [, Decimal => Decimal], unsigned: []);
// A MySQL DOUBLE and SQLite's REAL (always a double) are narrowed by sqlx to an `f32` unchecked
// (1e300 becomes infinity): read the double, and the DSL narrows it with a range check.
#[cfg(feature = "mysql")]
read_value_impl!(sqlx::mysql::MySqlRow, real: [f64 => Double, f32 => Float],
    numeric: [, Decimal => Decimal], unsigned: [, u64 => BigUnsigned]);
#[cfg(feature = "sqlite")]
read_value_impl!(sqlx::sqlite::SqliteRow, real: [f64 => Double, f32 => Float],
    numeric: [], unsigned: []);
