//! Reading driver rows as the values a query expects: [`azoth_dsl::RowSource`] over sqlx rows.
//!
//! Each backend returns some aggregates in a wider type than the expression's (PostgreSQL's
//! `SUM(int)` is a `BIGINT`, MySQL's is a `DECIMAL`): a value is read as the expected type first,
//! then as the wider ones, and the DSL narrows it back with a range check.

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{Error as DslError, RowSource};
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

/// Reads one column of a driver's row as a value of `kind`, or straight as a common type.
pub(crate) trait ReadValue: Row {
    fn read_value(&self, index: usize, kind: SqlKind) -> Result<Value, sqlx::Error>;
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
        Err(first_err)
    }};
    (@conv $v:ident) => { $v };
    (@conv $v:ident, $conv:expr) => { $v.map($conv) };
}

macro_rules! read_value_impl {
    ($row:ty, numeric: [$($num:tt)*], unsigned: [$($uns:tt)*]) => {
        impl ReadValue for $row {
            fn read_value(&self, i: usize, kind: SqlKind) -> Result<Value, sqlx::Error> {
                match kind {
                    SqlKind::Bool => first_of!(self, i; bool => Bool, i64 => BigInt),
                    SqlKind::SmallInt => first_of!(self, i; i16 => SmallInt, i32 => Int, i64 => BigInt),
                    SqlKind::Integer => first_of!(self, i; i32 => Int, i64 => BigInt, i16 => SmallInt $($num)*),
                    SqlKind::BigInt => first_of!(self, i; i64 => BigInt, i32 => Int, i16 => SmallInt $($num)* $($uns)*),
                    SqlKind::Real => first_of!(self, i; f32 => Float, f64 => Double),
                    SqlKind::Double => first_of!(self, i; f64 => Double, f32 => Float $($num)*),
                    SqlKind::Numeric => read_numeric(self, i),
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

read_value_impl!(sqlx::postgres::PgRow, numeric: [, Decimal => Decimal], unsigned: []);
read_value_impl!(sqlx::mysql::MySqlRow, numeric: [, Decimal => Decimal], unsigned: [, u64 => BigUnsigned]);
read_value_impl!(sqlx::sqlite::SqliteRow, numeric: [], unsigned: []);

trait ReadNumeric {
    fn numeric(&self, i: usize) -> Result<Value, sqlx::Error>;
}

fn read_numeric<R: ReadNumeric>(row: &R, i: usize) -> Result<Value, sqlx::Error> {
    row.numeric(i)
}

impl ReadNumeric for sqlx::postgres::PgRow {
    fn numeric(&self, i: usize) -> Result<Value, sqlx::Error> {
        first_of!(self, i; Decimal => Decimal, i64 => BigInt)
    }
}

impl ReadNumeric for sqlx::mysql::MySqlRow {
    fn numeric(&self, i: usize) -> Result<Value, sqlx::Error> {
        first_of!(self, i; Decimal => Decimal, i64 => BigInt)
    }
}

impl ReadNumeric for sqlx::sqlite::SqliteRow {
    /// SQLite keeps decimals as text (how azoth binds them) or as numbers.
    fn numeric(&self, i: usize) -> Result<Value, sqlx::Error> {
        if let Ok(v) = self.try_get::<Option<String>, _>(i) {
            let parsed = v.map(|s| s.parse::<Decimal>()).transpose();
            return parsed
                .map(Value::Decimal)
                .map_err(|e| sqlx::Error::ColumnDecode {
                    index: i.to_string(),
                    source: Box::new(e),
                });
        }
        if let Ok(v) = self.try_get::<Option<i64>, _>(i) {
            return Ok(Value::Decimal(v.map(Decimal::from)));
        }
        let v = self.try_get::<Option<f64>, _>(i)?;
        Ok(Value::Decimal(v.and_then(|f| Decimal::try_from(f).ok())))
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
        self.row
            .read_value(i, kind)
            .map_err(|e| DslError::WrongType {
                column: self.last_column(),
                expected: kind,
                found: e.to_string(),
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
