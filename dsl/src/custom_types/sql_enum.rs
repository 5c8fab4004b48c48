//! `sql_enum!`: a Rust enum stored as text or as an integer.

/// Declares an enum stored in a column as text (`Draft = "draft"`) or, with `: i16`, `: i32` or
/// `: i64` after its name, as that integer (`Low = 1`).
///
/// The enum is its own SQL type: its columns compare only with its values and columns, in
/// required and in nullable (`Option<_>`) fields. It derives `Debug, Clone, Copy, PartialEq,
/// Eq, Hash`; other attributes (`#[derive(serde::Serialize)]`, docs) are passed on. Reading a
/// stored value that is no variant is an [`Error::Unrepresentable`](crate::Error) naming the
/// enum and the value. `Status::ALL` lists the variants.
///
/// ```
/// use azoth_dsl::prelude::*;
///
/// azoth_dsl::sql_enum! {
///     /// Where a post is in its life.
///     pub enum Status { Draft = "draft", Published = "published" }
/// }
/// azoth_dsl::sql_enum! { pub enum Priority: i32 { Low = 1, High = 2 } }
///
/// azoth_dsl::model! {
///     pub struct Task { #[primary_key] pub id: i64, pub status: Status, pub priority: Option<Priority> }
/// }
///
/// let q = Task::select().filter(Task::status.in_([Status::Draft, Status::Published]));
/// let (sql, values) = q.to_sql(Backend::Sqlite);
/// assert!(sql.ends_with(r#"WHERE "task"."status" IN (?, ?)"#), "{sql}");
/// assert_eq!(values.0, [azoth_dsl::Value::from("draft"), azoth_dsl::Value::from("published")]);
/// assert_eq!(Priority::High as i32, 2);
/// assert_eq!(Status::ALL, [Status::Draft, Status::Published]);
/// ```
#[macro_export]
macro_rules! sql_enum {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident : $repr:ident {
            $( $(#[$vattr:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr($repr)]
        $vis enum $name {
            $( $(#[$vattr])* $variant = $value, )+
        }

        impl $crate::custom_types::ColumnType for $name {
            const NAME: &'static str = ::core::stringify!($name);
            type Stored = <$repr as $crate::RustType>::SqlType;
            fn to_stored(self) -> $repr {
                self as $repr
            }
            fn from_stored(value: $repr) -> ::core::result::Result<Self, ::std::string::String> {
                match value {
                    $( $value => ::core::result::Result::Ok(Self::$variant), )+
                    other => ::core::result::Result::Err(
                        $crate::custom_types::unknown_variant::<Self, $repr>(&other, &[$($value),+]),
                    ),
                }
            }
        }

        $crate::__sql_enum_common!($name [$($variant)+]);
    };
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vattr:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vattr])* $variant, )+
        }

        impl $name {
            /// The text stored for this variant.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $value, )+
                }
            }
        }

        impl $crate::custom_types::ColumnType for $name {
            const NAME: &'static str = ::core::stringify!($name);
            type Stored = $crate::sql_types::Text;
            fn to_stored(self) -> ::std::string::String {
                ::std::string::String::from(self.as_str())
            }
            fn from_stored(value: ::std::string::String) -> ::core::result::Result<Self, ::std::string::String> {
                match value.as_str() {
                    $( $value => ::core::result::Result::Ok(Self::$variant), )+
                    other => ::core::result::Result::Err(
                        $crate::custom_types::unknown_variant::<Self, &str>(&other, &[$($value),+]),
                    ),
                }
            }
        }

        $crate::__sql_enum_common!($name [$($variant)+]);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __sql_enum_common {
    ($name:ident [$($variant:ident)+]) => {
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
        }

        impl $crate::custom_types::DecodeNullable for $name {
            fn decode_nullable(
                src: &mut dyn $crate::RowSource,
            ) -> ::core::result::Result<::core::option::Option<Self>, $crate::Error> {
                $crate::custom_types::decode_nullable(src)
            }
        }
    };
}

/// The message for a stored value that is no variant of enum `E`.
#[doc(hidden)]
pub fn unknown_variant<E, V: std::fmt::Debug>(value: &V, known: &[V]) -> String {
    format!(
        "the stored value {value:?} is not a variant of `{}` (its values are {known:?}); \
         add the variant to the enum, or correct the row",
        super::short_type_name::<E>()
    )
}
