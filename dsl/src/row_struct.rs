//! The `row!` macro: a named struct a selection decodes into, checked field by field against the
//! selection where the query names it (`.row::<PostCard, _>()`).
//!
//! Like `model!`, it is a `macro_rules!` macro (with `paste` for names and messages). For a
//! struct `PostCard` it emits, next to the struct, a hidden module `__azoth_row_post_card` with
//! one marker trait per field (its compile error names the field, its type and the column's
//! SQL type) and one trait for the whole row (its compile error names the number of fields).

/// Declares a struct that rows of a selection decode into, one field per selected item, in order.
///
/// `.row::<PostCard, _>()` checks at compile time that the selection has one column per field
/// and that each field's type decodes its column's SQL type (`Option<_>` where the column may be
/// NULL: a nullable column, a LEFT JOIN's column, `max`/`min`/`sum`/`avg`). Outer attributes
/// (`#[derive(..)]`, `#[serde(..)]`, doc comments) pass through to the struct and its fields. At
/// most 12 fields, as a selection has at most 12 items.
///
/// ```
/// use azoth_dsl::prelude::*;
///
/// azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub title: String, pub author_id: i64 } }
///
/// azoth_dsl::row! {
///     /// A post as the front page lists it.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct PostCard { pub title: String, pub author_name: String }
/// }
///
/// let q = select((Post::title, User::name))
///     .join(User::TABLE.on(User::id.eq(Post::author_id)))
///     .row::<PostCard, _>();
/// # let _ = q;
/// ```
#[macro_export]
macro_rules! row {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fattr:meta])* $fvis:vis $field:ident : $fty:ty ),+ $(,)?
        }
    ) => {
        $crate::__row! {
            @fields
            head { [$(#[$attr])*] $vis $name }
            all { $( { [$(#[$fattr])*] $fvis $field $fty } )+ }
            rest { $( { $field $fty } )+ }
            ords { "1st" "2nd" "3rd" "4th" "5th" "6th" "7th" "8th" "9th" "10th" "11th" "12th" }
            counts { "1" "2" "3" "4" "5" "6" "7" "8" "9" "10" "11" "12" }
            done { } count { "0" }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __row {
    // Pairs the next field with its position (for the message) and counts the fields.
    (
        @fields head $head:tt all $all:tt
        rest { { $field:ident $fty:ty } $($rest:tt)* }
        ords { $ord:literal $($ords:literal)* }
        counts { $c:literal $($cs:literal)* }
        done { $($done:tt)* } count { $count:literal }
    ) => {
        $crate::__row! {
            @fields head $head all $all
            rest { $($rest)* }
            ords { $($ords)* }
            counts { $($cs)* }
            done { $($done)* { $field $ord $fty } } count { $c }
        }
    };
    (
        @fields head { [$($attr:tt)*] $vis:vis $name:ident } all $all:tt
        rest { $($rest:tt)+ }
        ords { }
        counts { }
        done $done:tt count $count:tt
    ) => {
        ::core::compile_error!(concat!(
            "row struct `", stringify!($name),
            "` has more than 12 fields: a selection has at most 12 items"
        ));
    };
    (
        @fields head { [$($attr:tt)*] $vis:vis $name:ident }
        all { $( { [$($fattr:tt)*] $fvis:vis $afield:ident $afty:ty } )+ }
        rest { }
        ords $ords:tt
        counts $counts:tt
        done { $( { $field:ident $ord:literal $fty:ty } )+ } count { $count:literal }
    ) => { $crate::__private::paste! {
        $($attr)*
        $vis struct $name {
            $( $($fattr)* $fvis $afield: $afty, )+
        }

        #[doc(hidden)]
        #[allow(non_snake_case, non_camel_case_types)]
        pub mod [<__azoth_row_ $name:snake>] {
            $(
                /// The field's type decodes the column's SQL type `ST`.
                #[diagnostic::on_unimplemented(
                    message = "field `" $field "` of `" $name "` is `{Self}`, but the selection's " $ord " column is `{ST}`",
                    label = "a field of this row type does not match the selection",
                    note = "a column that may be NULL (nullable, from a LEFT JOIN, or `max`/`min`/`sum`/`avg`) decodes into `Option<_>`"
                )]
                pub trait $field<ST> {}
                #[diagnostic::do_not_recommend]
                impl<T: $crate::row::FromSql<ST>, ST> $field<ST> for T {}
            )+

            /// The selection `Self` has one column per field, each decoded by its field.
            #[diagnostic::on_unimplemented(
                message = "`" $name "` has " $count " fields, but the selection `{Self}` has another number of columns",
                label = "one field per selected item, in order",
                note = "select one item per field of `" $name "`, or change the struct"
            )]
            pub trait columns {
                $(
                    /// The SQL type of the field's column.
                    type $field;
                )+
            }
            $crate::__row! { @columns $( { $field [<__ST_ $field>] } )+ }
        }

        impl<ST: [<__azoth_row_ $name:snake>]::columns> $crate::row::FromSqlRow<ST> for $name
        where
            $( $fty: [<__azoth_row_ $name:snake>]::$field<<ST as [<__azoth_row_ $name:snake>]::columns>::$field>, )+
        {}

        impl $crate::DecodeRow for $name {
            fn decode_row(src: &mut dyn $crate::RowSource) -> ::core::result::Result<Self, $crate::Error> {
                ::core::result::Result::Ok($name {
                    $( $field: <$fty as $crate::DecodeRow>::decode_row(src)?, )+
                })
            }
        }
    } };
    // One field: the selection is a single item, not a tuple.
    (@columns { $field:ident $st:ident }) => {
        #[diagnostic::do_not_recommend]
        impl<$st> columns for $st {
            type $field = $st;
        }
    };
    (@columns $( { $field:ident $st:ident } )+) => {
        #[diagnostic::do_not_recommend]
        impl<$($st),+> columns for ($($st,)+) {
            $( type $field = $st; )+
        }
    };
}
