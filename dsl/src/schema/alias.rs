//! Table aliases: a second name for a model's table, so that one query can join a table twice
//! (a post's author and its editor) or join a table to itself (an employee and her manager).
//!
//! An alias is a zero-sized type declared with [`alias!`](crate::alias); it stands in the query's
//! sources like a model, so its columns (`Editor.col(User::name)`) are checked against the query
//! the same way. It is joined along a relationship (`Post::editor.aliased(Editor)`) or on a
//! condition (`Editor::TABLE.on(..)`).
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! {
//! #     pub struct User { #[primary_key] pub id: i64, pub name: String }
//! # }
//! # azoth_dsl::model! {
//! #     pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub editor_id: Option<i64> }
//! #     relations { author: belongs_to(User, Post::author_id), editor: belongs_to(User, Post::editor_id) }
//! # }
//! azoth_dsl::alias!(pub Editor = User);
//!
//! let q = select((User::name, Editor.col(User::name)))
//!     .join(Post::TABLE.on(Post::author_id.eq(User::id)))
//!     .left_join(Post::editor.aliased(Editor))
//!     .filter(Editor.col(User::name).ne("ann"));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "user"."name", "editor"."name" FROM "user" INNER JOIN "post" ON "post"."author_id" = "user"."id" LEFT JOIN "user" AS "editor" ON "editor"."id" = "post"."editor_id" WHERE "editor"."name" <> $1"#
//! );
//! ```

use std::marker::PhantomData;

use sea_query::Expr as SeaExpr;

use crate::backend::Backend;
use crate::expr::{Expression, ValidIn};
use crate::schema::sources::HasTable;
use crate::schema::{Column, Model};
use crate::sql_types::{NullFlag, SqlType};
use crate::stmt::selection::{ModelRow, Selection, SelectionIn};

/// A name a model's table goes by in a query: the model itself (its table name) or an
/// [`Alias`] of it.
pub trait TableRef: Send + Sync + 'static {
    /// The model whose table this is.
    type Model: Model;
    /// The name the table has in the query.
    const NAME: &'static str;
    /// Whether the name is an alias (rendered `table AS name`).
    const ALIASED: bool;
}

impl<M: Model> TableRef for M {
    type Model = M;
    const NAME: &'static str = M::TABLE_NAME;
    const ALIASED: bool = false;
}

/// An alias of model `Self::Model`'s table: a zero-sized type declared with
/// [`alias!`](crate::alias).
pub trait Alias: Copy + Default + Send + Sync + 'static {
    /// The aliased model.
    type Model: Model;
    /// The alias (SQL name).
    const NAME: &'static str;

    /// Column `column` of the aliased table: `Editor.col(User::name)`.
    fn col<C>(self, column: C) -> AliasColumn<Self, C>
    where
        C: Column + ColumnOfModel<Self::Model>,
    {
        let _ = column;
        AliasColumn(PhantomData)
    }

    /// Every column of the aliased table, decoding into the model (an `Option` of it on the
    /// nullable side of a LEFT JOIN): `select((Post::title, Editor.all()))`.
    fn all(self) -> AliasWhole<Self> {
        AliasWhole(PhantomData)
    }
}

/// `A` is an alias of model `M`'s table (or `M` itself).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a name of table `{M}`",
    label = "this alias stands for another model",
    note = "declare an alias of `{M}` with `azoth::alias!(pub Name = {M})`"
)]
pub trait AliasOf<M> {}

impl<M: Model> AliasOf<M> for M {}

/// Column `Self` is a column of model `M`: what an alias of `M` can name.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{M}`",
    label = "an alias has the columns of the model it names",
    note = "write `Alias.col({M}::column)` with a column of `{M}`"
)]
pub trait ColumnOfModel<M> {}

/// Column `C` of the table aliased by `A`: `Editor.col(User::name)`.
pub struct AliasColumn<A, C>(PhantomData<fn() -> (A, C)>);

impl<A, C> Clone for AliasColumn<A, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A, C> Copy for AliasColumn<A, C> {}
impl<A, C> Default for AliasColumn<A, C> {
    fn default() -> Self {
        AliasColumn(PhantomData)
    }
}

impl<A: Alias, C: Column> Expression for AliasColumn<A, C> {
    type SqlType = C::SqlType;
    type Table = crate::expr::NoTable;
    type Agg = crate::expr::aggregate::Plain;
    fn lower(&self, _: Backend) -> SeaExpr {
        SeaExpr::col((
            sea_query::Alias::new(A::NAME),
            sea_query::Alias::new(C::NAME),
        ))
    }
    fn shape(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        s.name(A::NAME);
    }
}

impl<A: Alias, C: Column, S, I> ValidIn<S, I> for AliasColumn<A, C>
where
    S: HasTable<A, I>,
{
    type Null = <<C::SqlType as SqlType>::Null as NullFlag>::Or<S::Null>;
    type Cols = crate::expr::grouping::Col<A, C, I>;
    type Key = crate::expr::grouping::Col<A, C, I>;
}

crate::__expression_impls!(impl[A: Alias, C: Column,] AliasColumn<A, C>);

/// Every column of the table aliased by `A`: `Editor.all()`.
pub struct AliasWhole<A>(PhantomData<fn() -> A>);

impl<A: Alias> Selection for AliasWhole<A> {
    type Table = crate::expr::NoTable;
    type Agg = crate::expr::aggregate::Plain;
    fn lower_items(&self, _: Backend, out: &mut Vec<(SeaExpr, Option<&'static str>)>) {
        for c in <A::Model as Model>::META.columns {
            let col = (
                sea_query::Alias::new(A::NAME),
                sea_query::Alias::new(c.name),
            );
            out.push((SeaExpr::col(col), None));
        }
    }
    fn shape(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
    }
}

impl<S, A: Alias, I> SelectionIn<S, I> for AliasWhole<A>
where
    S: HasTable<A, I>,
{
    type Row = <S::Null as NullFlag>::Wrap<A::Model>;
    type SqlTypes = <S::Null as NullFlag>::Wrap<ModelRow<A::Model>>;
    type Cols = crate::expr::grouping::AnyOf<A, I>;
}

/// Declares a table alias: `azoth::alias!(pub Editor = User);` makes `Editor`, a second name for
/// `User`'s table, to join it twice (`.left_join(Post::editor.aliased(Editor))`) or to itself.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! {
/// #     pub struct Employee { #[primary_key] pub id: i64, pub name: String, pub manager_id: Option<i64> }
/// #     relations { manager: belongs_to(Employee, Employee::manager_id) }
/// # }
/// azoth_dsl::alias!(pub Manager = Employee);
/// let q = select((Employee::name, Manager.col(Employee::name))).join(Employee::manager.aliased(Manager));
/// assert_eq!(
///     q.to_sql(Backend::Sqlite).0,
///     r#"SELECT "employee"."name", "manager"."name" FROM "employee" INNER JOIN "employee" AS "manager" ON "manager"."id" = "employee"."manager_id""#
/// );
/// ```
#[macro_export]
macro_rules! alias {
    ($(#[$attr:meta])* $vis:vis $name:ident = $model:ident $(as $sql:literal)?) => { $crate::__private::paste! {
        $(#[$attr])*
        #[doc = ::core::concat!("An alias of `", ::core::stringify!($model), "`'s table.")]
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;
        impl $crate::schema::alias::Alias for $name {
            type Model = $model;
            const NAME: &'static str = $crate::__model_or!($($sql)? ; ::core::stringify!([<$name:snake>]));
        }
        impl $crate::schema::alias::TableRef for $name {
            type Model = $model;
            const NAME: &'static str = <$name as $crate::schema::alias::Alias>::NAME;
            const ALIASED: bool = true;
        }
        impl $crate::schema::alias::AliasOf<$model> for $name {}
        impl $name {
            /// The aliased table, to join on a condition: `.join(Alias::TABLE.on(..))`.
            pub const TABLE: $crate::Table<$name> = $crate::Table::new();
        }
    } };
}
