//! Which Rust types a selected row may decode into: checked where the user names the row type.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String, pub bio: Option<String> } }
//! // A nullable column decodes into `Option<_>`; any column may decode into `Option<_>`.
//! let q = select((User::name, User::bio)).row::<(String, Option<String>), _>();
//! # let _ = q;
//! ```

use sea_query::Value;

use crate::error::Error;
use crate::schema::Model;
use crate::sql_types::{
    BigInt, Blob, Bool, Date, Double, Integer, Json, Nullable, Numeric, Real, SmallInt, SqlKind,
    Text, Time, Timestamp, TimestampTz, Uuid,
};
use crate::stmt::selection::ModelRow;

/// A value of SQL type `ST` decodes into `Self`.
#[diagnostic::on_unimplemented(
    message = "a value of SQL type `{ST}` cannot be decoded into `{Self}`",
    label = "wrong Rust type for this selection",
    note = "a nullable column, or a column of the right side of a LEFT JOIN, decodes into `Option<_>`"
)]
pub trait FromSql<ST> {}

macro_rules! from_sql {
    ($($rust:ty => $st:ty;)*) => {$(
        // One `FromSqlRow` impl per type, not one blanket impl over `FromSql`: a row struct
        // (`row!`) then has its own impl, whose errors name the field that does not match.
        #[diagnostic::do_not_recommend]
        impl<ST> FromSqlRow<ST> for $rust where $rust: FromSql<ST> {}
        #[diagnostic::do_not_recommend]
        impl<ST> FromSqlRow<ST> for Option<$rust> where Option<$rust>: FromSql<ST> {}
        #[diagnostic::do_not_recommend]
        impl FromSql<$st> for $rust {}
        #[diagnostic::do_not_recommend]
        impl FromSql<$st> for Option<$rust> {}
        #[diagnostic::do_not_recommend]
        impl FromSql<Nullable<$st>> for Option<$rust> {}
    )*};
}

from_sql! {
    bool => Bool;
    i16 => SmallInt;
    i32 => Integer;
    i64 => BigInt;
    f32 => Real;
    f64 => Double;
    rust_decimal::Decimal => Numeric;
    String => Text;
    Vec<u8> => Blob;
    chrono::NaiveDate => Date;
    chrono::NaiveTime => Time;
    chrono::NaiveDateTime => Timestamp;
    chrono::DateTime<chrono::Utc> => TimestampTz;
    uuid::Uuid => Uuid;
    serde_json::Value => Json;
}

impl<M: Model> FromSql<ModelRow<M>> for M {}
impl<M: Model> FromSql<ModelRow<M>> for Option<M> {}
impl<M: Model> FromSql<Option<ModelRow<M>>> for Option<M> {}

/// A selected row of SQL types `ST` decodes into `Self` (a tuple decodes a tuple, field by field).
#[diagnostic::on_unimplemented(
    message = "the selected row `{ST}` cannot be decoded into `{Self}`",
    label = "this row type does not match the selection",
    note = "use one field per selected item, in order, of that item's type (`Option<_>` where it may be NULL)"
)]
pub trait FromSqlRow<ST> {}

#[diagnostic::do_not_recommend]
impl<M: Model> FromSqlRow<ModelRow<M>> for M {}
#[diagnostic::do_not_recommend]
impl<M: Model, ST> FromSqlRow<ST> for Option<M> where Option<M>: FromSql<ST> {}

macro_rules! row_tuples {
    ($(($($t:ident $s:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($t: FromSql<$s>, $s),+> FromSqlRow<($($s,)+)> for ($($t,)+) {}
    )*};
}

row_tuples! {
    (A SA)
    (A SA, B SB)
    (A SA, B SB, C SC)
    (A SA, B SB, C SC, D SD)
    (A SA, B SB, C SC, D SD, E SE)
    (A SA, B SB, C SC, D SD, E SE, F SF)
    (A SA, B SB, C SC, D SD, E SE, F SF, G SG)
    (A SA, B SB, C SC, D SD, E SE, F SF, G SG, H SH)
    (A SA, B SB, C SC, D SD, E SE, F SF, G SG, H SH, J SJ)
    (A SA, B SB, C SC, D SD, E SE, F SF, G SG, H SH, J SJ, K SK)
    (A SA, B SB, C SC, D SD, E SE, F SF, G SG, H SH, J SJ, K SK, L SL)
    (A SA, B SB, C SC, D SD, E SE, F SF, G SG, H SH, J SJ, K SK, L SL, M SM)
}

/// Declares [`RowSource`] with one straight reader per type in the list.
macro_rules! row_source {
    ($($next:ident: $t:ty, $what:literal;)*) => {
        /// A database row read column by column, as values of the kinds the query expects.
        ///
        /// The runtime implements it over each driver's rows; the DSL turns the values into Rust
        /// types. The `next_*` readers take a column straight as a Rust type when the source can
        /// and the column is one (no [`Value`] between); `None` leaves the column unread for
        /// [`next_value`](Self::next_value), which widens and reports errors. A straight reader
        /// reads what `next_value` reads first for that type's kind, so both give the same value.
        pub trait RowSource {
            /// Reads the next column as a value of `kind` (a typed NULL for SQL NULL).
            fn next_value(&mut self, kind: SqlKind) -> Result<Value, Error>;
            /// The name of the column last read, for error messages.
            fn last_column(&self) -> String;
            /// Passes over the next column without keeping it (reading it as `kind` unless the
            /// source can move on without decoding).
            fn skip(&mut self, kind: SqlKind) -> Result<(), Error> {
                self.next_value(kind).map(drop)
            }
            $(
                #[doc = concat!("Reads the next column straight as ", $what, " (`None`: not read).")]
                fn $next(&mut self) -> Option<Option<$t>> {
                    None
                }
            )*
        }

        impl RowSource for Resume<'_> {
            fn next_value(&mut self, kind: SqlKind) -> Result<Value, Error> {
                match self.head.get_mut(self.next) {
                    Some(v) => {
                        self.next += 1;
                        Ok(std::mem::replace(v, Value::Bool(None)))
                    }
                    None => self.rest.next_value(kind),
                }
            }
            fn last_column(&self) -> String {
                self.rest.last_column()
            }
            fn skip(&mut self, kind: SqlKind) -> Result<(), Error> {
                if self.next < self.head.len() {
                    self.next += 1;
                    Ok(())
                } else {
                    self.rest.skip(kind)
                }
            }
            $(
                fn $next(&mut self) -> Option<Option<$t>> {
                    // A column of the head is read back through `next_value`.
                    if self.next < self.head.len() {
                        None
                    } else {
                        self.rest.$next()
                    }
                }
            )*
        }
    };
}

/// Reads the values already taken from a row (moving each out), then goes on reading the row
/// itself: how a joined load decodes a model whose key columns it read first.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # use azoth_dsl::row::{Replay, Resume};
/// # use azoth_dsl::{DecodeRow, RowSource};
/// # use sea_query::Value;
/// let mut row = Replay::new(vec![(Value::from("ann"), "name".into())]);
/// let mut head = [Value::from(7i64)];
/// let (id, name) = <(i64, String)>::decode_row(&mut Resume::new(&mut head, &mut row)).unwrap();
/// assert_eq!((id, name.as_str()), (7, "ann"));
/// ```
pub struct Resume<'a> {
    head: &'a mut [Value],
    next: usize,
    rest: &'a mut dyn RowSource,
}

impl<'a> Resume<'a> {
    /// Reads `head` first, then `rest`. Errors in the head name the column `rest` read last.
    pub fn new(head: &'a mut [Value], rest: &'a mut dyn RowSource) -> Self {
        Resume {
            head,
            next: 0,
            rest,
        }
    }
}

row_source! {
    next_bool: bool, "a `bool`";
    next_i16: i16, "an `i16`";
    next_i32: i32, "an `i32`";
    next_i64: i64, "an `i64`";
    next_f64: f64, "an `f64`";
    next_string: String, "text";
    next_bytes: Vec<u8>, "bytes";
    next_date: chrono::NaiveDate, "a date";
    next_time: chrono::NaiveTime, "a time of day";
    next_datetime: chrono::NaiveDateTime, "a timestamp";
    next_datetime_utc: chrono::DateTime<chrono::Utc>, "a UTC timestamp";
    next_uuid: uuid::Uuid, "a UUID";
    next_json: serde_json::Value, "a JSON document";
}

/// A Rust value decoded from one SQL value.
pub trait FromValue: Sized {
    /// The SQL kind to read.
    const KIND: SqlKind;
    /// Converts, failing on NULL (unless `Option`) or on a value of another kind.
    fn from_value(value: Value, column: &dyn Fn() -> String) -> Result<Self, Error>;
}

/// A Rust row decoded from consecutive columns: single values, tuples, models.
pub trait DecodeRow: Sized {
    /// Reads the columns this row type needs from `src`.
    fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error>;
}

/// Reads one value and converts it.
fn decode_value<T: FromValue>(src: &mut dyn RowSource) -> Result<T, Error> {
    let v = src.next_value(T::KIND)?;
    T::from_value(v, &|| src.last_column())
}

impl<T: FromValue> FromValue for Option<T> {
    const KIND: SqlKind = T::KIND;
    fn from_value(value: Value, column: &dyn Fn() -> String) -> Result<Self, Error> {
        if value.is_some() {
            T::from_value(value, column).map(Some)
        } else {
            Ok(None)
        }
    }
}

fn describe(v: &Value) -> String {
    let s = format!("{v:?}");
    match s.split_once('(') {
        Some((variant, _)) => variant.to_owned(),
        None => s,
    }
}

/// A decimal that holds a whole number, as `i64` (aggregates some backends widen to DECIMAL).
fn whole(d: rust_decimal::Decimal) -> Option<i64> {
    if d.fract().is_zero() {
        rust_decimal::prelude::ToPrimitive::to_i64(&d)
    } else {
        None
    }
}

/// A double as the nearest `f32`, or `None` when it is beyond the range of `f32` (it would become
/// an infinity).
fn narrow(x: f64) -> Option<f32> {
    let f = x as f32;
    (f.is_finite() || !x.is_finite()).then_some(f)
}

macro_rules! from_value {
    ($($rust:ty => $kind:ident, $($pat:pat => $conv:expr),+;)*) => {$(
        from_value!(@from $rust => $kind, $($pat => $conv),+);
        impl DecodeRow for $rust {
            fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error> {
                decode_value(src)
            }
        }
        impl DecodeRow for Option<$rust> {
            fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error> {
                decode_value(src)
            }
        }
    )*};
    (@direct $($rust:ty => $kind:ident, $($pat:pat => $conv:expr),+;)*) => {$(
        from_value!(@from $rust => $kind, $($pat => $conv),+);
    )*};
    (@from $rust:ty => $kind:ident, $($pat:pat => $conv:expr),+) => {
        impl FromValue for $rust {
            const KIND: SqlKind = SqlKind::$kind;
            #[allow(unreachable_patterns)]
            fn from_value(value: Value, column: &dyn Fn() -> String) -> Result<Self, Error> {
                if !value.is_some() {
                    return Err(Error::UnexpectedNull { column: column() });
                }
                let conv: Option<$rust> = match value {
                    $($pat => $conv,)+
                    ref other => return Err(Error::WrongType { column: column(), expected: SqlKind::$kind, found: describe(other) }),
                };
                conv.ok_or_else(|| Error::Unrepresentable {
                    column: column(),
                    problem: concat!("the value does not fit a `", stringify!($rust), "` (out of its range, or not a whole number); azoth does not truncate it").into(),
                })
            }
        }
    };
}

from_value! {
    f32 => Real, Value::Float(v) => v, Value::Double(v) => v.and_then(narrow);
    rust_decimal::Decimal => Numeric, Value::Decimal(v) => v, Value::BigInt(v) => v.map(rust_decimal::Decimal::from);
}

/// Decoders that read common types straight from the source when it can (no `Value` between).
macro_rules! direct_decode {
    ($($rust:ty => $next:ident;)*) => {$(
        impl DecodeRow for $rust {
            fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error> {
                match src.$next() {
                    Some(Some(v)) => Ok(v),
                    Some(None) => Err(Error::UnexpectedNull { column: src.last_column() }),
                    None => decode_value(src),
                }
            }
        }
        impl DecodeRow for Option<$rust> {
            fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error> {
                match src.$next() {
                    Some(v) => Ok(v),
                    None => decode_value(src),
                }
            }
        }
    )*};
}

direct_decode! {
    bool => next_bool;
    i16 => next_i16;
    i32 => next_i32;
    i64 => next_i64;
    f64 => next_f64;
    String => next_string;
    Vec<u8> => next_bytes;
    chrono::NaiveDate => next_date;
    chrono::NaiveTime => next_time;
    chrono::NaiveDateTime => next_datetime;
    chrono::DateTime<chrono::Utc> => next_datetime_utc;
    uuid::Uuid => next_uuid;
    serde_json::Value => next_json;
}

from_value! { @direct
    bool => Bool, Value::Bool(v) => v, Value::BigInt(v) => v.map(|x| x != 0), Value::Int(v) => v.map(|x| x != 0), Value::TinyInt(v) => v.map(|x| x != 0);
    i16 => SmallInt, Value::SmallInt(v) => v, Value::Int(v) => v.and_then(|x| i16::try_from(x).ok()), Value::BigInt(v) => v.and_then(|x| i16::try_from(x).ok()), Value::Decimal(v) => v.and_then(whole).and_then(|x| i16::try_from(x).ok());
    f64 => Double, Value::Double(v) => v, Value::Float(v) => v.map(f64::from), Value::Decimal(v) => v.and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d));
    Vec<u8> => Blob, Value::Bytes(v) => v;
    chrono::NaiveDate => Date, Value::ChronoDate(v) => v;
    chrono::NaiveTime => Time, Value::ChronoTime(v) => v;
    chrono::NaiveDateTime => Timestamp, Value::ChronoDateTime(v) => v, Value::ChronoDateTimeUtc(v) => v.map(|x| x.naive_utc());
    chrono::DateTime<chrono::Utc> => TimestampTz, Value::ChronoDateTimeUtc(v) => v, Value::ChronoDateTime(v) => v.map(|x| x.and_utc());
    uuid::Uuid => Uuid, Value::Uuid(v) => v;
    serde_json::Value => Json, Value::Json(v) => v.map(|b| *b);
    i32 => Integer, Value::Int(v) => v, Value::SmallInt(v) => v.map(i32::from), Value::BigInt(v) => v.and_then(|x| i32::try_from(x).ok()), Value::Decimal(v) => v.and_then(whole).and_then(|x| i32::try_from(x).ok());
    i64 => BigInt, Value::BigInt(v) => v, Value::Int(v) => v.map(i64::from), Value::SmallInt(v) => v.map(i64::from), Value::BigUnsigned(v) => v.and_then(|x| i64::try_from(x).ok()), Value::Decimal(v) => v.and_then(whole);
    String => Text, Value::String(v) => v;
}

macro_rules! decode_tuples {
    ($(($($t:ident),+))*) => {$(
        impl<$($t: DecodeRow),+> DecodeRow for ($($t,)+) {
            fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error> {
                Ok(($($t::decode_row(src)?,)+))
            }
        }
    )*};
}

decode_tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
    (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H)
    (A, B, C, D, E, F, G, H, J)
    (A, B, C, D, E, F, G, H, J, K)
    (A, B, C, D, E, F, G, H, J, K, L)
    (A, B, C, D, E, F, G, H, J, K, L, M)
}

/// Replays values already read: how an outer-joined model is decoded after checking for NULLs.
pub struct Replay {
    values: std::vec::IntoIter<(Value, String)>,
    last: String,
}

impl Replay {
    /// Replays `values` (each with its column name, for errors).
    pub fn new(values: Vec<(Value, String)>) -> Self {
        Replay {
            values: values.into_iter(),
            last: String::new(),
        }
    }
}

impl RowSource for Replay {
    fn next_value(&mut self, _kind: SqlKind) -> Result<Value, Error> {
        let (v, name) = self
            .values
            .next()
            .ok_or(Error::MissingColumn { found: 0 })?;
        self.last = name;
        Ok(v)
    }
    fn last_column(&self) -> String {
        self.last.clone()
    }
}

// `Option<M>` of a model decodes through `custom_types::DecodeNullable`, which user column
// types join too (the orphan rule forbids them an `impl DecodeRow for Option<T>`).
pub(crate) fn decode_optional_model<M: Model + ModelRowDecode>(
    src: &mut dyn RowSource,
) -> Result<Option<M>, Error> {
    let mut values = Vec::with_capacity(M::META.columns.len());
    for c in M::META.columns {
        let v = src.next_value(c.kind)?;
        values.push((v, src.last_column()));
    }
    if values.iter().all(|(v, _)| !v.is_some()) {
        return Ok(None);
    }
    let mut replay = Replay {
        values: values.into_iter(),
        last: String::new(),
    };
    M::decode_model(&mut replay).map(Some)
}

/// Decoding of a whole model row, in declaration order; implemented by `model!`.
pub trait ModelRowDecode: Sized {
    /// Reads every column of the model.
    fn decode_model(src: &mut dyn RowSource) -> Result<Self, Error>;
}
