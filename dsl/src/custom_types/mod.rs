//! User types as column types: enums ([`sql_enum!`](crate::sql_enum)), newtypes
//! ([`sql_newtype!`](crate::sql_newtype)) and typed JSON ([`Json<T>`]).
//!
//! A [`ColumnType`] is its own SQL type: a `Status` column compares only with `Status` values and
//! columns, a `UserId` column only with `UserId`s, while the database stores the built-in type
//! it names as [`ColumnType::Stored`] (`TEXT`, `INTEGER`, `BIGINT`, `JSONB`, ...). Every trait a
//! column type needs (values, operands, decoding, `Option<T>` for nullable columns) comes from
//! blanket impls over `ColumnType`, so one declaration is enough.
//!
//! ```
//! use azoth_dsl::prelude::*;
//!
//! azoth_dsl::sql_enum! { pub enum Status { Draft = "draft", Published = "published" } }
//! azoth_dsl::sql_newtype! { pub struct UserId(pub i64); }
//!
//! azoth_dsl::model! {
//!     pub struct Post {
//!         #[primary_key] pub id: i64,
//!         pub author_id: UserId,
//!         pub status: Status,
//!         pub previous: Option<Status>,
//!     }
//! }
//!
//! let q = Post::select().filter(Post::status.eq(Status::Draft).and(Post::author_id.eq(UserId(7))));
//! let (sql, values) = q.to_sql(Backend::Postgres);
//! assert!(sql.ends_with(r#"WHERE "post"."status" = $1 AND "post"."author_id" = $2"#), "{sql}");
//! assert_eq!(values.0, [azoth_dsl::Value::from("draft"), azoth_dsl::Value::from(7i64)]);
//! ```

mod json;
mod newtype;
mod sql_enum;

pub use json::{Json, SERIALIZE_ERROR_KEY, serialize_error};
pub use sql_enum::unknown_variant;

use sea_query::Value;

use crate::error::Error;
use crate::expr::{AsOperand, AsValue, Bind, IntoExpr};
use crate::row::{DecodeRow, FromSql, FromValue, ModelRowDecode, RowSource};
use crate::schema::{AutoKey, Model};
use crate::sql_types::{BaseType, NotNull, Nullable, RustType, SqlType, null_of};

/// A user type stored in a column as a built-in SQL type: its own SQL type for the type checker.
///
/// Declared by [`sql_enum!`](crate::sql_enum) and [`sql_newtype!`](crate::sql_newtype); written
/// by hand, it also needs [`DecodeNullable`] (see [`decode_nullable`]).
///
/// ```
/// use azoth_dsl::custom_types::{ColumnType, DecodeNullable, decode_nullable};
/// use azoth_dsl::sql_types::Text;
///
/// #[derive(Debug, Clone, PartialEq)]
/// pub struct Email(String);
/// impl ColumnType for Email {
///     type Stored = Text;
///     fn to_stored(self) -> String { self.0 }
///     fn from_stored(v: String) -> Result<Self, String> {
///         if v.contains('@') { Ok(Email(v)) } else { Err(format!("{v:?} is not an `Email`")) }
///     }
/// }
/// impl DecodeNullable for Email {
///     fn decode_nullable(src: &mut dyn azoth_dsl::RowSource) -> Result<Option<Self>, azoth_dsl::Error> {
///         decode_nullable(src)
///     }
/// }
/// ```
// The message of `RustType`: rustc names this trait where a field's type has no SQL type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no SQL type in azoth",
    label = "not a supported column type",
    note = "supported: bool, i16, i32, i64, f32, f64, Decimal, String, Vec<u8>, NaiveDate, NaiveTime, NaiveDateTime, DateTime<Utc>, Uuid, serde_json::Value, Json<T>, enums declared with `sql_enum!`, newtypes declared with `sql_newtype!`, and Option of each"
)]
pub trait ColumnType: DecodeNullable + Clone + Send + Sync + 'static {
    /// The built-in SQL type the values are stored as (`Text`, `Integer`, `BigInt`, `Json`, ...).
    type Stored: BaseType<Rust: RustType + FromValue>;
    /// The value to store.
    fn to_stored(self) -> <Self::Stored as BaseType>::Rust;
    /// The value back from what was stored; `Err` says why it is not one (an unknown variant),
    /// naming the type and the value.
    fn from_stored(value: <Self::Stored as BaseType>::Rust) -> Result<Self, String>;
    /// The type's name, which `#[references]` compares (a `UserId` column cannot reference a
    /// `CommentId` one); the macros set it, empty compares by stored type only.
    const NAME: &'static str = "";
}

/// Decoding `Option<Self>` from a column that may be NULL (`Option<Status>` fields, outer joins).
///
/// Implemented by models (all columns NULL is `None`) and by every [`ColumnType`] (through
/// [`decode_nullable`]); it is what lets a user type join `Option<_>` despite the orphan rule.
pub trait DecodeNullable: Sized {
    /// Reads the columns of `Self`, `None` for NULL.
    fn decode_nullable(src: &mut dyn RowSource) -> Result<Option<Self>, Error>;
}

/// [`DecodeNullable::decode_nullable`] of a [`ColumnType`]: one value, NULL is `None`.
pub fn decode_nullable<T: ColumnType>(src: &mut dyn RowSource) -> Result<Option<T>, Error> {
    let v = src.next_value(<T::Stored as BaseType>::KIND)?;
    <Option<T> as FromValue>::from_value(v, &|| src.last_column())
}

impl<T: DecodeNullable> DecodeRow for Option<T> {
    fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error> {
        T::decode_nullable(src)
    }
}

/// A model from the nullable side of an outer join: `None` when every column is NULL.
impl<M: Model + ModelRowDecode> DecodeNullable for M {
    fn decode_nullable(src: &mut dyn RowSource) -> Result<Option<Self>, Error> {
        crate::row::decode_optional_model(src)
    }
}

impl<T: ColumnType> SqlType for T {
    type Base = T;
    type Null = NotNull;
}

impl<T: ColumnType> BaseType for T {
    type Rust = T;
    const KIND: crate::sql_types::SqlKind = <T::Stored as BaseType>::KIND;
    const TYPE_NAME: &'static str = <T as ColumnType>::NAME;
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> RustType for T {
    type SqlType = T;
    fn into_value(self) -> Value {
        self.to_stored().into_value()
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> RustType for Option<T> {
    type SqlType = Nullable<T>;
    fn into_value(self) -> Value {
        match self {
            Some(v) => v.into_value(),
            None => null_of(<T::Stored as BaseType>::KIND),
        }
    }
}

/// Generated keys of a newtype over an integer (`#[primary_key] pub id: UserId`).
#[diagnostic::do_not_recommend]
impl<T: ColumnType> AutoKey for T where <T::Stored as BaseType>::Rust: AutoKey {}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> AsOperand<T> for T {
    type Expr = Bind<T>;
    fn into_operand(self) -> Bind<T> {
        Bind::new(self.into_value())
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> AsOperand<T> for &T {
    type Expr = Bind<T>;
    fn into_operand(self) -> Bind<T> {
        Bind::new(self.clone().into_value())
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> IntoExpr for T {
    type Expr = Bind<T>;
    fn into_expr(self) -> Bind<T> {
        Bind::new(self.into_value())
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> AsValue<T> for T {
    type Expr = Bind<T>;
    fn into_value_expr(self) -> Bind<T> {
        Bind::new(self.into_value())
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> AsValue<Nullable<T>> for T {
    type Expr = Bind<Nullable<T>>;
    fn into_value_expr(self) -> Bind<Nullable<T>> {
        Bind::new(self.into_value())
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> AsValue<Nullable<T>> for Option<T> {
    type Expr = Bind<Nullable<T>>;
    fn into_value_expr(self) -> Bind<Nullable<T>> {
        Bind::new(self.into_value())
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> FromSql<T> for T {}
#[diagnostic::do_not_recommend]
impl<T: ColumnType> FromSql<T> for Option<T> {}
#[diagnostic::do_not_recommend]
impl<T: ColumnType> FromSql<Nullable<T>> for Option<T> {}

impl<T: ColumnType> FromValue for T {
    const KIND: crate::sql_types::SqlKind = <T::Stored as BaseType>::KIND;
    fn from_value(value: Value, column: &dyn Fn() -> String) -> Result<Self, Error> {
        let stored = <<T::Stored as BaseType>::Rust as FromValue>::from_value(value, column)?;
        T::from_stored(stored).map_err(|problem| Error::Unrepresentable {
            column: column(),
            problem,
        })
    }
}

impl<T: ColumnType> DecodeRow for T {
    fn decode_row(src: &mut dyn RowSource) -> Result<Self, Error> {
        let v = src.next_value(<T::Stored as BaseType>::KIND)?;
        T::from_value(v, &|| src.last_column())
    }
}

/// The name of a type for messages: its path without the modules (`Status`, `Json<Meta>`).
#[doc(hidden)]
pub fn short_type_name<T: ?Sized>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut segment = String::new();
    for ch in full.chars() {
        match ch {
            ':' => segment.clear(),
            '<' | '>' | ',' | ' ' | '(' | ')' | '[' | ']' | '&' | ';' => {
                out.push_str(&segment);
                segment.clear();
                out.push(ch);
            }
            _ => segment.push(ch),
        }
    }
    out.push_str(&segment);
    out
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn short_names_drop_module_paths() {
        assert_eq!(short_type_name::<String>(), "String");
        assert_eq!(
            short_type_name::<Option<std::collections::HashMap<String, i64>>>(),
            "Option<HashMap<String, i64>>"
        );
    }
}
