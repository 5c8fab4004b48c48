//! Reading driver rows as the values a query expects: [`azoth_dsl::RowSource`] over sqlx rows.
//!
//! Each backend returns some aggregates in a wider type than the expression's (PostgreSQL's
//! `SUM(int)` is a `BIGINT`, MySQL's is a `DECIMAL`): a value is read as the expected type first,
//! then as the wider ones, and the DSL narrows it back with a range check.

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{Error as DslError, RowSource};
#[cfg(any(feature = "postgres", feature = "mysql"))]
use rust_decimal::Decimal;
use std::any::TypeId;

use sea_query::Value;
use sqlx::{Column, Row};

/// A row being read left to right.
pub(crate) struct Cursor<'r, R> {
    row: &'r R,
    next: usize,
    /// What earlier rows of the same result told of its columns' types.
    seen: Seen<'r>,
}

/// The [`Checked`] columns of the result a row belongs to, when they are followed.
type Seen<'r> = Option<&'r mut Checked>;

impl<'r, R: Row> Cursor<'r, R> {
    /// A row of a result whose earlier rows recorded their columns' types in `checked`.
    pub(crate) fn checked(row: &'r R, checked: &'r mut Checked) -> Self {
        Cursor {
            row,
            next: 0,
            seen: Some(checked),
        }
    }

    /// Reads the next column with `read` if it decodes as that type (then moves on); otherwise
    /// leaves it for `next_value`, which knows the wider types and reports errors.
    fn direct<T>(
        &mut self,
        read: fn(&R, usize, &mut Seen<'_>) -> Result<T, sqlx::Error>,
    ) -> Option<T> {
        if self.next >= self.row.len() {
            return None;
        }
        let v = read(self.row, self.next, &mut self.seen).ok()?;
        self.next += 1;
        Some(v)
    }
}

/// The Rust type each column of one result decoded as, once a non-NULL value of it passed
/// sqlx's check against the column's type: the following rows decode that column as that type
/// without the check. PostgreSQL and MySQL describe a result's column types once, before its
/// rows, so every row has the same ([`ReadValue::FIXED_TYPES`]); the check cost about a sixth
/// of reading a joined load's rows.
#[derive(Default)]
pub(crate) struct Checked(Vec<Option<TypeId>>);

impl Checked {
    fn get(&self, i: usize) -> Option<TypeId> {
        self.0.get(i).copied().flatten()
    }

    fn set(&mut self, i: usize, t: TypeId) {
        if self.0.len() <= i {
            self.0.resize(i + 1, None);
        }
        if let Some(slot) = self.0.get_mut(i) {
            *slot = Some(t);
        }
    }
}

/// Why a column was not read as a type.
enum Miss {
    /// sqlx's error: another type, or a value the type cannot hold.
    Error(sqlx::Error),
    /// An earlier row of the result read the column as another type.
    Other,
}

/// Column `i` of `row` as `T`, checked against the column's type unless an earlier row of the
/// same result decoded it as `T` (see [`Checked`]).
fn get<R, T>(row: &R, i: usize, seen: &mut Seen<'_>) -> Result<Option<T>, Miss>
where
    R: ReadValue,
    T: 'static,
    Option<T>: for<'v> sqlx::Decode<'v, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    if R::FIXED_TYPES
        && let Some(c) = seen.as_deref()
    {
        match c.get(i) {
            Some(t) if t == TypeId::of::<T>() => {
                return row
                    .try_get_unchecked::<Option<T>, _>(i)
                    .map_err(Miss::Error);
            }
            Some(_) => return Err(Miss::Other),
            None => {}
        }
    }
    let v = row.try_get::<Option<T>, _>(i).map_err(Miss::Error)?;
    if R::FIXED_TYPES
        && v.is_some()
        && let Some(c) = seen.as_deref_mut()
    {
        c.set(i, TypeId::of::<T>());
    }
    Ok(v)
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
            /// Whether every row of a result has the same column types (see [`Checked`]).
            const FIXED_TYPES: bool;
            fn read_value(&self, index: usize, kind: SqlKind, seen: &mut Seen<'_>) -> Result<Value, ReadError>;
            $(fn $read(&self, index: usize, seen: &mut Seen<'_>) -> Result<Option<$t>, sqlx::Error>;)*
        }

        macro_rules! impl_direct_reads {
            () => {
                $(fn $read(&self, i: usize, seen: &mut Seen<'_>) -> Result<Option<$t>, sqlx::Error> {
                    match get::<Self, $t>(self, i, seen) {
                        Ok(v) => Ok(v),
                        Err(Miss::Error(e)) => Err(e),
                        // Read as another type before: `Cursor::direct` drops the error and
                        // leaves the column to `next_value` (no error to build for that).
                        Err(Miss::Other) => Err(sqlx::Error::RowNotFound),
                    }
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
                self.row.read_value(i, kind, &mut self.seen).map_err(|e| match e {
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
    ($row:expr, $i:expr, $seen:expr; $t0:ty => $v0:ident $(($c0:expr))? $(, $t:ty => $variant:ident $(($conv:expr))?)* $(,)?) => {{
        let first = match $crate::decode::get::<Self, $t0>($row, $i, $seen) {
            Ok(v) => return Ok(Value::$v0(first_of!(@conv v $(, $c0)?))),
            Err(m) => m,
        };
        $(
            if let Ok(v) = $crate::decode::get::<Self, $t>($row, $i, $seen) {
                return Ok(Value::$variant(first_of!(@conv v $(, $conv)?)));
            }
        )*
        // The first type's error: what the query expected.
        Err(ReadError::Type(match first {
            $crate::decode::Miss::Error(e) => e,
            $crate::decode::Miss::Other => match $row.try_get::<Option<$t0>, _>($i) {
                Err(e) => e,
                Ok(_) => sqlx::Error::Decode("a column decoded as another type than in earlier rows".into()),
            },
        }))
    }};
    (@conv $v:ident) => { $v };
    (@conv $v:ident, $conv:expr) => { $v.map($conv) };
}

macro_rules! read_value_impl {
    ($row:ty, fixed: $fixed:literal, real: [$($real:tt)*], numeric: [$($num:tt)*], unsigned: [$($uns:tt)*]) => {
        impl ReadValue for $row {
            const FIXED_TYPES: bool = $fixed;
            fn read_value(&self, i: usize, kind: SqlKind, seen: &mut Seen<'_>) -> Result<Value, ReadError> {
                match kind {
                    SqlKind::Bool => first_of!(self, i, seen; bool => Bool, i64 => BigInt),
                    SqlKind::SmallInt => first_of!(self, i, seen; i16 => SmallInt, i32 => Int, i64 => BigInt),
                    SqlKind::Integer => first_of!(self, i, seen; i32 => Int, i64 => BigInt, i16 => SmallInt $($num)*),
                    SqlKind::BigInt => first_of!(self, i, seen; i64 => BigInt, i32 => Int, i16 => SmallInt $($num)* $($uns)*),
                    SqlKind::Real => first_of!(self, i, seen; $($real)*),
                    SqlKind::Double => first_of!(self, i, seen; f64 => Double, f32 => Float $($num)*),
                    SqlKind::Numeric => self.numeric(i),
                    SqlKind::Text => first_of!(self, i, seen; String => String),
                    SqlKind::Blob => first_of!(self, i, seen; Vec<u8> => Bytes),
                    SqlKind::Date => first_of!(self, i, seen; chrono::NaiveDate => ChronoDate),
                    SqlKind::Time => first_of!(self, i, seen; chrono::NaiveTime => ChronoTime),
                    SqlKind::Timestamp => first_of!(self, i, seen;
                        chrono::NaiveDateTime => ChronoDateTime, chrono::DateTime<chrono::Utc> => ChronoDateTimeUtc),
                    SqlKind::TimestampTz => first_of!(self, i, seen;
                        chrono::DateTime<chrono::Utc> => ChronoDateTimeUtc, chrono::NaiveDateTime => ChronoDateTime),
                    SqlKind::Uuid => first_of!(self, i, seen; uuid::Uuid => Uuid),
                    SqlKind::Json => first_of!(self, i, seen; serde_json::Value => Json (Box::new)),
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
read_value_impl!(sqlx::postgres::PgRow, fixed: true, real: [f32 => Float, f64 => Double],
    numeric: [, Decimal => Decimal], unsigned: []);
// A MySQL DOUBLE and SQLite's REAL (always a double) are narrowed by sqlx to an `f32` unchecked
// (1e300 becomes infinity): read the double, and the DSL narrows it with a range check.
#[cfg(feature = "mysql")]
read_value_impl!(sqlx::mysql::MySqlRow, fixed: true, real: [f64 => Double, f32 => Float],
    numeric: [, Decimal => Decimal], unsigned: [, u64 => BigUnsigned]);
#[cfg(feature = "sqlite")]
// SQLite types each value, not the column: every value is checked.
read_value_impl!(sqlx::sqlite::SqliteRow, fixed: false, real: [f64 => Double, f32 => Float],
    numeric: [], unsigned: []);
