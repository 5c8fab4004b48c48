//! # azoth-dsl
//!
//! The typed query DSL of [azoth](https://docs.rs/azoth): schema mistakes are compile errors.
//! This crate does no I/O; it builds statements and renders them for PostgreSQL, MySQL/MariaDB
//! and SQLite. Users depend on `azoth`, which re-exports this crate in `azoth::prelude`.
//!
//! ```
//! use azoth_dsl::prelude::*;
//!
//! azoth_dsl::model! {
//!     #[table = "users"]
//!     pub struct User {
//!         #[primary_key] pub id: i64,
//!         #[max_len = 50] pub name: String,
//!         pub bio: Option<String>,
//!     }
//! }
//!
//! let q = User::select().filter(User::name.eq("ann").and(User::bio.is_null())).limit(1);
//! let (sql, values) = q.to_sql(Backend::Postgres);
//! assert_eq!(
//!     sql,
//!     r#"SELECT "users"."id", "users"."name", "users"."bio" FROM "users" WHERE "users"."name" = $1 AND "users"."bio" IS NULL LIMIT $2"#
//! );
//! assert_eq!(values.0.len(), 2);
//! ```
//!
//! ## Tour
//! - [`schema`]: [`model!`] declares a table: a row struct, a `NewX` struct for inserts, one
//!   zero-sized type per column (`User::name`), `User::TABLE`, and [`TableMeta`].
//! - [`sql_types`]: the SQL type of every expression, as a Rust type.
//! - [`expr`]: typed expressions, operators ([`ExpressionMethods`]) and functions.
//! - [`stmt`]: [`select`], [`insert`], [`update`], [`delete`], upserts.
//! - [`row`]: which Rust types a selection may decode into.
//! - [`Backend`]: the three dialects; `to_sql(backend)` renders `(sql, values)`.

#![warn(missing_docs)]

pub mod backend;
pub mod custom_types;
pub mod error;
pub mod expr;
pub mod lower;
pub mod row;
pub mod row_struct;
pub mod schema;
pub mod shape;
pub mod sql_types;
pub mod stmt;

pub use backend::Backend;
pub use custom_types::{ColumnType, Json};
pub use error::Error;
pub use expr::boxed::{BoxExpression, Boxed, and_all, or_any};
pub use expr::functions::{
    avg, case_when, cast, coalesce, count, count_all, label, length, lower, max, min, now, sum,
    upper,
};
pub use expr::methods::ExpressionMethods;
pub use expr::operators::escape_like;
pub use expr::subquery::{exists, not_exists};
pub use expr::{AsOperand, AsValue, Expression, IntoExpr, ValidIn};
pub use lower::{Rendered, Statement};
pub use row::{DecodeRow, FromValue, ModelRowDecode, RowSource};
pub use schema::alias::Alias;
pub use schema::relation::Relation;
pub use schema::sources::{Cons, From1, HasTable, Nil, Src};
pub use schema::{
    AutoKey, Column, ColumnMeta, ColumnOf, DefaultExpr, ForeignKeyMeta, Insertable, KeyKind, Model,
    OnDelete, PrimaryKey, Table, TableMeta,
};
pub use sea_query::{Value, Values};
pub use sql_types::RustType;
pub use stmt::delete::{Delete, delete};
pub use stmt::distinct_on::DistinctOn;
pub use stmt::insert::{Insert, insert, insert_many};
pub use stmt::keyset::Keyset;
pub use stmt::load::{Loaded, joined, selectin};
pub use stmt::lock::Locked;
pub use stmt::select::{Query, Select, select, select_model};
pub use stmt::selection::Whole;
pub use stmt::set_ops::SetOp;
pub use stmt::update::{Update, update};

/// Everything a query-writing module needs: `use azoth_dsl::prelude::*;`.
pub mod prelude {
    pub use crate::IntoExpr;
    pub use crate::expr::correlated::not_exists;
    pub use crate::expr::dates::{
        DatePart, current_date, date_add, days, extract, hours, minutes, months, seconds, years,
    };
    pub use crate::expr::distinct_agg::{avg_distinct, count_distinct, sum_distinct};
    pub use crate::expr::json_path::JsonMethods;
    pub use crate::expr::math::{abs, ceil, floor, round, round_to, trunc};
    pub use crate::expr::related::RelationCount;
    pub use crate::expr::text::{concat, ltrim, replace, rtrim, substring, trim};
    pub use crate::expr::window::{
        CurrentRow, Following, Preceding, UnboundedFollowing, UnboundedPreceding, Window,
        dense_rank, first_value, lag, last_value, lead, ntile, rank, row_number,
    };
    pub use crate::sql_types;
    pub use crate::stmt::cte::Cte;
    pub use crate::stmt::derived::Derived;
    pub use crate::{
        Alias, Backend, BoxExpression, Boxed, Expression, ExpressionMethods, From1, Loaded, Model,
        Query, Relation, Select, Statement, Whole, and_all, avg, case_when, cast, coalesce, count,
        count_all, delete, escape_like, exists, insert, insert_many, joined, label, length, lower,
        max, min, now, or_any, select, selectin, sum, update, upper,
    };
}

/// Items the `model!` macro expands to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use paste::paste;
    pub use sea_query::Expr as SeaExpr;

    use crate::expr::{AsValue, BaseOf};
    use crate::schema::{AutoKey, Column, ForeignKeyMeta, OnDelete};
    use crate::sql_types::{BaseType, NullFlag, SqlKind, SqlType};
    use crate::{Backend, Expression};

    /// Nullability of a column of SQL type `ST` in a query where its table has nullability `N`.
    pub type ColumnNull<ST, N> = <<ST as SqlType>::Null as NullFlag>::Or<N>;

    /// `"table"."column"`.
    pub fn column_expr(table: &'static str, column: &'static str) -> SeaExpr {
        SeaExpr::col((table, column))
    }

    /// The SQL kind of a column.
    pub const fn kind_of<C: Expression>() -> SqlKind {
        <<C::SqlType as SqlType>::Base as BaseType>::KIND
    }

    /// Whether a column is nullable (an `Option<_>` field).
    pub const fn nullable_of<C: Expression>() -> bool {
        <<C::SqlType as SqlType>::Null as NullFlag>::NULLABLE
    }

    /// Whether a column holds text (what `#[max_len]` applies to).
    pub const fn is_text<C: Expression>() -> bool {
        matches!(kind_of::<C>(), SqlKind::Text)
    }

    /// Whether columns `C` and `R` have the same base SQL type (checked in a `const` by `model!`).
    pub const fn same_kind<C: Column, R: Column>(_target: &R) -> bool {
        <BaseOf<C::SqlType> as BaseType>::KIND as u8 == <BaseOf<R::SqlType> as BaseType>::KIND as u8
            && str_eq(
                <BaseOf<C::SqlType> as BaseType>::TYPE_NAME,
                <BaseOf<R::SqlType> as BaseType>::TYPE_NAME,
            )
    }

    /// `a == b`, in a `const`.
    const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// Compile-time check of `#[primary_key]`: only integer keys are generated.
    pub fn assert_auto_key<T: AutoKey>() {}

    /// Compile-time check of a model field's type, `T` for column `F`: it has a SQL type. The
    /// constant it gives opens [`Gate`]; when the check fails, the constant is an error and so is
    /// every type gated by it, which rustc does not report again.
    pub const fn field_type_ok<T: crate::sql_types::FieldType<F>, F>() -> bool {
        true
    }

    /// `T` itself once `OK` is `true`: how `model!` names a field's type in what it emits,
    /// `<T as Gate<{ field_type_ok::<T, Column>() }>>::Ty`, so that an unsupported field type is
    /// reported once, at the field, and not again by each impl using it (without a where-clause
    /// on those impls, which made rustc's trait solving in them several times slower).
    pub trait Gate<const OK: bool> {
        /// `Self`.
        type Ty: ?Sized;
    }
    impl<T: ?Sized> Gate<true> for T {
        type Ty = T;
    }

    /// `Self` is `T`: the bound of an impl generic over a type that has one possible value, so
    /// that rustc reports a mismatch with the trait's own message instead of "but `Trait<T>` is
    /// implemented" and the impl's source.
    pub trait Is<T> {}
    impl<T> Is<T> for T {}

    /// Lowers a `#[default(..)]` value, checked against the column's SQL type.
    pub fn default_expr<ST: SqlType, V: AsValue<ST>>(value: V, backend: Backend) -> SeaExpr {
        value.into_value_expr().lower(backend)
    }

    /// A foreign key from column `C` to `target`, which must have `C`'s SQL type.
    pub const fn foreign_key<C: Column, R: Column>(
        _target: &R,
        on_delete: OnDelete,
    ) -> ForeignKeyMeta {
        ForeignKeyMeta {
            table: <R::Model as crate::Model>::TABLE_NAME,
            column: R::NAME,
            on_delete,
        }
    }
}
