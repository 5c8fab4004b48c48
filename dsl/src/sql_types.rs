//! SQL types as Rust types: the static type of every expression.
//!
//! Each base type (`BigInt`, `Text`, ...) is a zero-sized marker; [`Nullable<T>`] marks a type that
//! may hold NULL. Rust values map to exactly one base type through [`RustType`], so a comparison
//! between a column and a value of another SQL type does not compile.
//!
//! ```
//! use azoth_dsl::sql_types::{BigInt, Nullable, SqlType, Text};
//! fn base_of<T: SqlType>() -> &'static str { std::any::type_name::<T::Base>() }
//! assert!(base_of::<Nullable<Text>>().ends_with("Text"));
//! assert!(base_of::<BigInt>().ends_with("BigInt"));
//! ```

use std::marker::PhantomData;

use sea_query::Value;

/// A SQL type, possibly nullable: its base type and whether it admits NULL.
pub trait SqlType: Send + Sync + 'static {
    /// The type without nullability (`Nullable<Text>` → `Text`).
    type Base: BaseType;
    /// [`NotNull`] or [`IsNull`].
    type Null: NullFlag;
}

/// A SQL type that never holds NULL, with the Rust type its values decode into.
pub trait BaseType: SqlType<Base = Self, Null = NotNull> {
    /// The Rust type a value of this SQL type decodes into (`Text` → `String`).
    type Rust: Send + Sync + 'static;
    /// The kind of column, for DDL and run-time decoding.
    const KIND: SqlKind;
    /// The name of a user column type (`UserId`), empty for the built-in ones: with
    /// [`KIND`](Self::KIND), what `#[references]` compares at compile time.
    #[doc(hidden)]
    const TYPE_NAME: &'static str = "";
}

/// A nullable SQL type: `Nullable<Text>` is a text that may be NULL (Rust `Option<String>`).
pub struct Nullable<T>(PhantomData<T>);

impl<T: BaseType> SqlType for Nullable<T> {
    type Base = T;
    type Null = IsNull;
}

/// Whether a SQL type admits NULL, combined through expressions.
pub trait NullFlag: Send + Sync + 'static {
    /// NULL if either side may be NULL (operators and scalar functions).
    type Or<B: NullFlag>: NullFlag;
    /// NULL only if both sides may be NULL (`coalesce`).
    type And<B: NullFlag>: NullFlag;
    /// `T` with this nullability.
    type Apply<T: BaseType>: SqlType<Base = T, Null = Self>;
    /// The Rust type decoding a value with this nullability (`Option<R>` or `R`).
    type Wrap<R: Send + Sync + 'static>: Send + Sync + 'static;
    /// True for [`IsNull`].
    const NULLABLE: bool;
}

/// The flag of a type that never holds NULL.
pub struct NotNull;
/// The flag of a type that may hold NULL.
pub struct IsNull;

impl NullFlag for NotNull {
    type Or<B: NullFlag> = B;
    type And<B: NullFlag> = NotNull;
    type Apply<T: BaseType> = T;
    type Wrap<R: Send + Sync + 'static> = R;
    const NULLABLE: bool = false;
}

impl NullFlag for IsNull {
    type Or<B: NullFlag> = IsNull;
    type And<B: NullFlag> = B;
    type Apply<T: BaseType> = Nullable<T>;
    type Wrap<R: Send + Sync + 'static> = Option<R>;
    const NULLABLE: bool = true;
}

/// The kind of a base SQL type, known at run time (DDL, decoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlKind {
    /// `BOOLEAN`
    Bool,
    /// `SMALLINT`
    SmallInt,
    /// `INTEGER`
    Integer,
    /// `BIGINT`
    BigInt,
    /// `REAL`
    Real,
    /// `DOUBLE PRECISION`
    Double,
    /// `NUMERIC`
    Numeric,
    /// `TEXT` / `VARCHAR(n)`
    Text,
    /// `BLOB` / `BYTEA`
    Blob,
    /// `DATE`
    Date,
    /// `TIME`
    Time,
    /// `TIMESTAMP` (without time zone)
    Timestamp,
    /// `TIMESTAMP WITH TIME ZONE`
    TimestampTz,
    /// `UUID`
    Uuid,
    /// `JSON`
    Json,
}

macro_rules! base_types {
    ($($(#[$doc:meta])* $name:ident => $rust:ty, $kind:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl SqlType for $name {
            type Base = $name;
            type Null = NotNull;
        }
        impl BaseType for $name {
            type Rust = $rust;
            const KIND: SqlKind = SqlKind::$kind;
        }
    )*};
}

base_types! {
    /// SQL `BOOLEAN` (Rust `bool`).
    Bool => bool, Bool;
    /// SQL `SMALLINT` (Rust `i16`).
    SmallInt => i16, SmallInt;
    /// SQL `INTEGER` (Rust `i32`).
    Integer => i32, Integer;
    /// SQL `BIGINT` (Rust `i64`).
    BigInt => i64, BigInt;
    /// SQL `REAL` (Rust `f32`).
    Real => f32, Real;
    /// SQL `DOUBLE PRECISION` (Rust `f64`).
    Double => f64, Double;
    /// SQL `NUMERIC` (Rust `rust_decimal::Decimal`).
    Numeric => rust_decimal::Decimal, Numeric;
    /// SQL `TEXT` or `VARCHAR` (Rust `String`).
    Text => String, Text;
    /// SQL `BLOB`/`BYTEA` (Rust `Vec<u8>`).
    Blob => Vec<u8>, Blob;
    /// SQL `DATE` (Rust `chrono::NaiveDate`).
    Date => chrono::NaiveDate, Date;
    /// SQL `TIME` (Rust `chrono::NaiveTime`).
    Time => chrono::NaiveTime, Time;
    /// SQL `TIMESTAMP` without time zone (Rust `chrono::NaiveDateTime`).
    Timestamp => chrono::NaiveDateTime, Timestamp;
    /// SQL `TIMESTAMP WITH TIME ZONE` (Rust `chrono::DateTime<Utc>`).
    TimestampTz => chrono::DateTime<chrono::Utc>, TimestampTz;
    /// SQL `UUID` (Rust `uuid::Uuid`).
    Uuid => uuid::Uuid, Uuid;
    /// SQL `JSON`/`JSONB` (Rust `serde_json::Value`).
    Json => serde_json::Value, Json;
}

/// A numeric SQL type: `sum`, `avg` and arithmetic accept it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a numeric SQL type",
    label = "`sum`, `avg` and arithmetic need a number",
    note = "numeric types are SmallInt, Integer, BigInt, Real, Double and Numeric"
)]
pub trait NumericType: BaseType {}
#[diagnostic::do_not_recommend]
impl NumericType for SmallInt {}
#[diagnostic::do_not_recommend]
impl NumericType for Integer {}
#[diagnostic::do_not_recommend]
impl NumericType for BigInt {}
#[diagnostic::do_not_recommend]
impl NumericType for Real {}
#[diagnostic::do_not_recommend]
impl NumericType for Double {}
#[diagnostic::do_not_recommend]
impl NumericType for Numeric {}

/// A text SQL type: `like`, `ilike`, `lower`, `upper`, `length` accept it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a text SQL type",
    label = "text operators (`like`, `ilike`, `contains`, `lower`, `upper`, `length`) need a text column",
    note = "cast it first: `cast::<sql_types::Text, _>(expr)`"
)]
pub trait TextType: BaseType {}
#[diagnostic::do_not_recommend]
impl TextType for Text {}

/// The SQL type that a Rust value of this type binds as (`i64` → `BigInt`, `Option<String>` →
/// `Nullable<Text>`): the mapping from a model's field types to its columns' SQL types.
///
/// A user type joins through [`ColumnType`](crate::custom_types::ColumnType) (`sql_enum!`,
/// `sql_newtype!`, `Json<T>`): it is its own SQL type, and `Option` of it is nullable.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no SQL type in azoth",
    label = "not a supported column type",
    note = "supported: bool, i16, i32, i64, f32, f64, Decimal, String, Vec<u8>, NaiveDate, NaiveTime, NaiveDateTime, DateTime<Utc>, Uuid, serde_json::Value, Json<T>, enums declared with `sql_enum!`, newtypes declared with `sql_newtype!`, and Option of each"
)]
pub trait RustType: Send + Sync + 'static {
    /// The SQL type of this Rust type.
    type SqlType: SqlType;
    /// Converts into a bound value.
    fn into_value(self) -> Value;
}

/// A model field's type, `Self`, for the column `Field`: a type with a SQL type ([`RustType`]).
/// `model!` checks it once per field, so an unsupported field type is one error naming the
/// field; the rest of what `model!` emits only exists for supported types.
///
/// ```
/// use azoth_dsl::sql_types::FieldType;
/// fn is_field_type<T: FieldType<()>>() {}
/// is_field_type::<Option<String>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "the field `{Field}` has type `{Self}`, which has no SQL type in azoth",
    label = "not a supported column type",
    note = "supported: bool, i16, i32, i64, f32, f64, Decimal, String, Vec<u8>, NaiveDate, NaiveTime, NaiveDateTime, DateTime<Utc>, Uuid, serde_json::Value, Json<T>, and Option of each",
    note = "a type of your own: `sql_newtype! {{ pub struct Hits(pub i64); }}` stores a wrapper as its inner type, `sql_enum!` an enum as text, `Json<T>` any serde type; or implement `ColumnType`"
)]
pub trait FieldType<Field> {}

#[diagnostic::do_not_recommend]
impl<T: RustType, Field> FieldType<Field> for T {}

macro_rules! rust_types {
    ($($rust:ty => $st:ident, $variant:ident;)*) => {$(
        impl RustType for $rust {
            type SqlType = $st;
            fn into_value(self) -> Value { Value::$variant(Some(self.into())) }
        }
        impl RustType for Option<$rust> {
            type SqlType = Nullable<$st>;
            fn into_value(self) -> Value { Value::$variant(self.map(Into::into)) }
        }
    )*};
}

rust_types! {
    bool => Bool, Bool;
    i16 => SmallInt, SmallInt;
    i32 => Integer, Int;
    i64 => BigInt, BigInt;
    f32 => Real, Float;
    f64 => Double, Double;
    rust_decimal::Decimal => Numeric, Decimal;
    String => Text, String;
    Vec<u8> => Blob, Bytes;
    chrono::NaiveDate => Date, ChronoDate;
    chrono::NaiveTime => Time, ChronoTime;
    chrono::NaiveDateTime => Timestamp, ChronoDateTime;
    chrono::DateTime<chrono::Utc> => TimestampTz, ChronoDateTimeUtc;
    uuid::Uuid => Uuid, Uuid;
    serde_json::Value => Json, Json;
}

/// A typed NULL of any base type, for `set(col, null())`-like uses of nullable columns.
pub(crate) fn null_of(kind: SqlKind) -> Value {
    match kind {
        SqlKind::Bool => Value::Bool(None),
        SqlKind::SmallInt => Value::SmallInt(None),
        SqlKind::Integer => Value::Int(None),
        SqlKind::BigInt => Value::BigInt(None),
        SqlKind::Real => Value::Float(None),
        SqlKind::Double => Value::Double(None),
        SqlKind::Numeric => Value::Decimal(None),
        SqlKind::Text => Value::String(None),
        SqlKind::Blob => Value::Bytes(None),
        SqlKind::Date => Value::ChronoDate(None),
        SqlKind::Time => Value::ChronoTime(None),
        SqlKind::Timestamp => Value::ChronoDateTime(None),
        SqlKind::TimestampTz => Value::ChronoDateTimeUtc(None),
        SqlKind::Uuid => Value::Uuid(None),
        SqlKind::Json => Value::Json(None),
    }
}
