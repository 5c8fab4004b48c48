//! `sql_newtype!`: a struct around one value, stored as that value, compared only with itself.

/// Declares a newtype (`struct UserId(pub i64);`) usable as a column type, stored as its inner
/// type (`BIGINT` here).
///
/// The newtype is its own SQL type: a `UserId` column compares only with `UserId` values and
/// columns, so the ids of two tables cannot be mixed up, while `#[references]` and relationships
/// between two `UserId` columns work. A newtype over an integer can be a `#[primary_key]`. It
/// derives `Debug, Clone, PartialEq` and `From<inner>`; add others (`Copy, Eq, Hash`, serde) as
/// attributes.
///
/// ```
/// use azoth_dsl::prelude::*;
///
/// azoth_dsl::sql_newtype! { #[derive(Copy, Eq, Hash)] pub struct UserId(pub i64); }
/// azoth_dsl::sql_newtype! { pub struct PostId(pub i64); }
///
/// azoth_dsl::model! { pub struct User { #[primary_key] pub id: UserId, pub name: String } }
/// azoth_dsl::model! {
///     pub struct Post {
///         #[primary_key] pub id: PostId,
///         #[references(User::id)] pub author_id: UserId,
///     }
/// }
///
/// let q = select((Post::id, User::name)).join(User::TABLE.on(Post::author_id.eq(User::id)));
/// let (sql, _) = q.to_sql(Backend::Postgres);
/// assert!(sql.contains(r#"ON "post"."author_id" = "user"."id""#), "{sql}");
/// assert_eq!(UserId::from(3), UserId(3));
/// ```
#[macro_export]
macro_rules! sql_newtype {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident ( $ivis:vis $inner:ty ) ;
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq)]
        $vis struct $name($ivis $inner);

        impl ::core::convert::From<$inner> for $name {
            fn from(value: $inner) -> Self {
                $name(value)
            }
        }

        impl $crate::custom_types::ColumnType for $name {
            const NAME: &'static str = ::core::stringify!($name);
            type Stored = <$inner as $crate::RustType>::SqlType;
            fn to_stored(self) -> $inner {
                self.0
            }
            fn from_stored(value: $inner) -> ::core::result::Result<Self, ::std::string::String> {
                ::core::result::Result::Ok($name(value))
            }
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
