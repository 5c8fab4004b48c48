//! Which Rust types a selected row may decode into: checked where the user names the row type.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String, pub bio: Option<String> } }
//! // A nullable column decodes into `Option<_>`; any column may decode into `Option<_>`.
//! let q = select((User::name, User::bio)).row::<(String, Option<String>), _>();
//! # let _ = q;
//! ```

use crate::schema::Model;
use crate::sql_types::{
    BigInt, Blob, Bool, Date, Double, Integer, Json, Nullable, Numeric, Real, SmallInt, Text, Time,
    Timestamp, TimestampTz, Uuid,
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
impl<T: FromSql<ST>, ST> FromSqlRow<ST> for T {}

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
