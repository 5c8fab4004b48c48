//! Subqueries as tables: a [`Select`](super::select::Select) (or a set operation) read as a
//! derived table, `FROM (SELECT ..) AS "name"` (SQLAlchemy's `.subquery()`), whose columns the
//! outer query names like a model's.
//!
//! A derived table is declared with [`derived!`](crate::derived): a name and typed columns. The
//! same declaration serves as a CTE ([`cte`](super::cte)). `Name::from_query(q)` checks that
//! `q`'s rows are the declared columns (a compile error otherwise); the outer query takes it with
//! `.from(..)` or `.join(...on(..))`, and its columns (`Name::column`) are usable only in a query
//! that selects from or joins it.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Album { #[primary_key] pub id: i64, pub title: String } }
//! # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub album_id: i64, pub ms: i64 } }
//! azoth_dsl::derived! { pub struct AlbumLen { album_id: i64, total_ms: Option<i64> } }
//!
//! let lens = AlbumLen::from_query(select((Track::album_id, sum(Track::ms))).group_by(Track::album_id));
//! let q = select((Album::title, AlbumLen::total_ms))
//!     .join(lens.on(AlbumLen::album_id.eq(Album::id)))
//!     .filter(AlbumLen::total_ms.gt(60_000));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "album"."title", "album_len"."total_ms" FROM "album" INNER JOIN (SELECT "track"."album_id" AS "album_id", SUM("track"."ms") AS "total_ms" FROM "track" GROUP BY "track"."album_id") AS "album_len" ON "album_len"."album_id" = "album"."id" WHERE "album_len"."total_ms" > $1"#
//! );
//! ```

use std::sync::Arc;

use sea_query::{Alias, Expr as SeaExpr, SelectStatement};

use super::cte::CteDef;
use super::join::{JoinPart, JoinTarget};
use super::select::Query;
use crate::backend::Backend;
use crate::expr::functions::IsBool;
use crate::expr::{BaseOf, Ghost, ValidIn};
use crate::schema::alias::TableRef;
use crate::schema::sources::{Cons, HasTable, Src};
use crate::schema::{Model, Table};
use crate::sql_types::{NullFlag, SqlKind};

/// A table declared by [`derived!`](crate::derived): a name and typed columns, filled by a
/// query as a derived table ([`Derived`]) or a CTE ([`Cte`](super::cte::Cte)).
pub trait DerivedTable: Send + Sync + 'static {
    /// The name the table has in a query.
    const NAME: &'static str;
    /// Its columns' SQL names, in order.
    const COLUMNS: &'static [&'static str];
    /// Its columns' SQL kinds, in order.
    const KINDS: &'static [SqlKind];
    /// The rows of a query that fills it: the declared field types (a tuple, or the one type).
    type Row;
}

/// A query's rows are the columns a derived table or CTE declares.
#[diagnostic::on_unimplemented(
    message = "the query's rows are `{Self}`, but `{D}` declares the columns `{R}`",
    label = "this query does not select the declared columns",
    note = "select one item per declared column, of its type, in order; a column that may be NULL (`sum`, `max`, a nullable or LEFT JOIN column) is declared `Option<_>`"
)]
pub trait RowsOf<D, R> {}
impl<D, R> RowsOf<D, R> for R {}

/// Derived table (or CTE) `D` is in the query's sources `Self`: what its columns need.
#[diagnostic::on_unimplemented(
    message = "derived table `{D}` is not in the FROM clause of this query",
    label = "`{D}`'s columns are usable only in a query that selects from or joins it",
    note = "select from it, `.from({D}::from_query(q))`, or join it, `.join({D}::from_query(q).on(condition))` (a CTE: `{D}::cte(q)`)"
)]
pub trait DerivedInQuery<D, I> {
    /// `IsNull` when `D` is on the nullable side of an outer join.
    type Null: NullFlag;
}

#[diagnostic::do_not_recommend]
impl<S: HasTable<D, I>, D, I> DerivedInQuery<D, I> for S {
    type Null = S::Null;
}

/// A statement lowered when the outer query is rendered.
pub(crate) type SubFn = Arc<dyn Fn(Backend) -> SelectStatement + Send + Sync>;

/// What a derived table or CTE brings to the query that reads it, besides its name.
#[derive(Clone)]
pub(crate) enum Virtual {
    /// `(subquery) AS name`.
    Derived(SubFn),
    /// `name`, with `WITH name (..) AS (..)` before the statement.
    Cte(Arc<CteDef>),
    /// `name` alone: the CTE inside its own recursive part.
    SelfRef,
}

/// A FROM item or joined table that is not a model's table (hidden: built by [`IntoVirtual`]).
#[doc(hidden)]
#[derive(Clone)]
pub struct VirtualTable {
    pub(crate) name: &'static str,
    pub(crate) kind: Virtual,
}

impl VirtualTable {
    /// The CTE this table needs in the statement's WITH clause, if any.
    pub(crate) fn cte(&self) -> Option<&Arc<CteDef>> {
        match &self.kind {
            Virtual::Cte(def) => Some(def),
            _ => None,
        }
    }
}

/// Gives each selected item of `stmt` the name `names[i]`: how the columns of a derived table get
/// their declared names on every backend (SQLite and MariaDB take no `AS t (a, b)` list).
pub(crate) fn relabel(stmt: &mut SelectStatement, names: &'static [&'static str]) {
    let mut i = 0;
    stmt.exprs_mut_for_each(|e| {
        if let Some(name) = names.get(i) {
            e.alias = Some(Alias::new(*name).into());
        }
        i += 1;
    });
}

/// A query read as derived table `D`: `FROM (SELECT ..) AS "d"`. Made by `D::from_query(q)`.
pub struct Derived<D> {
    sub: SubFn,
    _d: Ghost<D>,
}

impl<D> Clone for Derived<D> {
    fn clone(&self) -> Self {
        Derived {
            sub: self.sub.clone(),
            _d: Ghost::default(),
        }
    }
}

impl<D: DerivedTable> Derived<D> {
    /// `query` as derived table `D`; its rows must be `D`'s columns.
    pub fn new<Q, I>(query: Q) -> Self
    where
        Q: Query<I> + 'static,
        Q::Row: RowsOf<D, D::Row>,
    {
        Derived {
            sub: Arc::new(move |b| query.to_sea_select_as(b, D::COLUMNS)),
            _d: Ghost::default(),
        }
    }

    /// Joins the derived table on `condition`: `.join(lens.on(AlbumLen::album_id.eq(Album::id)))`.
    pub fn on<P>(self, condition: P) -> VirtualOn<D, P> {
        VirtualOn {
            table: self.into_virtual(),
            pred: condition,
            _d: Ghost::default(),
        }
    }
}

/// What `.from(..)` takes: a model's table (`User::TABLE`), a derived table, a CTE.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table to select from",
    label = "expected `Model::TABLE`, a derived table or a CTE",
    note = "`.from(User::TABLE)`, `.from(Name::from_query(q))`, `.from(Name::cte(q))`"
)]
pub trait FromItem {
    /// The table it adds to the query's sources.
    type Table;
    /// Its name in the query, and what comes with it.
    #[doc(hidden)]
    fn into_from(self) -> FromPart;
}

/// The FROM item of a statement (hidden: built by [`FromItem`]).
#[doc(hidden)]
pub struct FromPart {
    pub(crate) name: &'static str,
    pub(crate) virt: Option<VirtualTable>,
    /// The alias it goes by (`FROM table AS alias`), if any.
    pub(crate) alias: Option<&'static str>,
}

// A model's table, or an alias of it (`.from(Other::TABLE)`: `FROM table AS other`).
impl<M: TableRef> FromItem for Table<M> {
    type Table = M;
    fn into_from(self) -> FromPart {
        FromPart {
            name: <M::Model as Model>::TABLE_NAME,
            virt: None,
            alias: M::ALIASED.then_some(M::NAME),
        }
    }
}

/// A derived table or CTE as a source of a query (implemented for [`Derived`],
/// [`Cte`](super::cte::Cte) and [`CteRef`](super::cte::CteRef)).
pub trait IntoVirtual {
    /// The declared table.
    type Table: DerivedTable;
    /// Its name and what it brings.
    #[doc(hidden)]
    fn into_virtual(self) -> VirtualTable;
}

impl<D: DerivedTable> IntoVirtual for Derived<D> {
    type Table = D;
    fn into_virtual(self) -> VirtualTable {
        VirtualTable {
            name: D::NAME,
            kind: Virtual::Derived(self.sub),
        }
    }
}

impl<V: IntoVirtual> FromItem for V {
    type Table = V::Table;
    fn into_from(self) -> FromPart {
        let v = self.into_virtual();
        FromPart {
            name: v.name,
            virt: Some(v),
            alias: None,
        }
    }
}

/// A derived table or CTE joined on a condition: `lens.on(AlbumLen::album_id.eq(Album::id))`.
pub struct VirtualOn<D, P> {
    pub(crate) table: VirtualTable,
    pub(crate) pred: P,
    pub(crate) _d: Ghost<D>,
}

#[diagnostic::do_not_recommend]
impl<D: DerivedTable, P, S, N: NullFlag, I> JoinTarget<S, N, I> for VirtualOn<D, P>
where
    P: ValidIn<Cons<Src<D, N>, S>, I>,
    BaseOf<P::SqlType>: IsBool,
{
    type Table = D;
    fn parts(self) -> Vec<JoinPart> {
        vec![JoinPart {
            table: D::NAME,
            alias: None,
            on: Box::new(self.pred),
            virt: Some(self.table),
        }]
    }
}

/// `"table"."column"`: a column of a derived table (for `derived!`).
#[doc(hidden)]
pub fn derived_column(table: &'static str, column: &'static str) -> SeaExpr {
    SeaExpr::col((Alias::new(table), Alias::new(column)))
}

/// Declares a derived table (or CTE): a name and typed columns, for a query read as a table.
///
/// `azoth::derived! { pub struct AlbumLen { album_id: i64, total_ms: Option<i64> } }` makes
/// - `AlbumLen`, a row struct with those fields (`.row::<AlbumLen, _>()` decodes into it);
/// - one column per field, `AlbumLen::total_ms`, used like a model's column in a query that
///   selects from or joins the table (a compile error elsewhere);
/// - `AlbumLen::from_query(q)`: `q` as a derived table, `FROM (q) AS "album_len"`;
/// - `AlbumLen::cte(q)`: `WITH "album_len" (..) AS (q)`, and
///   `AlbumLen::recursive(anchor, |me| step)`: `WITH RECURSIVE` (see [`cte`](crate::stmt::cte)).
///
/// The query's rows must be the declared types, in order (a compile error otherwise). The SQL
/// name is the struct's in snake case.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub album_id: i64, pub ms: i64 } }
/// azoth_dsl::derived! { pub struct AlbumLen { album_id: i64, total_ms: Option<i64> } }
///
/// let lens = AlbumLen::from_query(select((Track::album_id, sum(Track::ms))).group_by(Track::album_id));
/// let q = select(AlbumLen::album_id).from(lens).filter(AlbumLen::total_ms.gt(60_000));
/// assert_eq!(
///     q.to_sql(Backend::Sqlite).0,
///     r#"SELECT "album_len"."album_id" FROM (SELECT "track"."album_id" AS "album_id", SUM("track"."ms") AS "total_ms" FROM "track" GROUP BY "track"."album_id") AS "album_len" WHERE "album_len"."total_ms" > ?"#
/// );
/// ```
#[macro_export]
macro_rules! derived {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fattr:meta])* $fvis:vis $field:ident : $fty:ty ),+ $(,)?
        }
    ) => { $crate::__private::paste! {
        $crate::row! {
            // Declaring a table is its use: its fields need not be read.
            #[allow(dead_code)]
            $(#[$attr])*
            $vis struct $name { $( $(#[$fattr])* $fvis $field: $fty ),+ }
        }

        #[doc = ::core::concat!("Columns of the derived table [`", ::core::stringify!($name), "`].")]
        #[allow(non_camel_case_types)]
        $vis mod [<$name:snake>] {
            $(
                #[doc = ::core::concat!("The column `", ::core::stringify!($field), "`.")]
                #[derive(Debug, Clone, Copy, Default)]
                pub struct $field;
            )+
        }

        impl $crate::stmt::derived::DerivedTable for $name {
            const NAME: &'static str = ::core::stringify!([<$name:snake>]);
            const COLUMNS: &'static [&'static str] = &[$(::core::stringify!($field)),+];
            const KINDS: &'static [$crate::sql_types::SqlKind] =
                &[$($crate::__private::kind_of::<[<$name:snake>]::$field>()),+];
            type Row = $crate::__derived_row!($($fty),+);
        }

        impl $crate::expr::grouping::KeyPosition for $name {
            type Pos = $crate::expr::grouping::NoPos;
        }
        $crate::__model_positions!($name [<$name:snake>] [$crate::expr::grouping::P0] $($field)+);

        #[allow(non_upper_case_globals, dead_code)]
        impl $name {
            $(
                #[doc = ::core::concat!("The `", ::core::stringify!($field), "` column, for expressions.")]
                pub const $field: [<$name:snake>]::$field = [<$name:snake>]::$field;
            )+

            /// `query` as this derived table: `FROM (query) AS name`; its rows must be the
            /// declared columns.
            pub fn from_query<Q, I>(query: Q) -> $crate::stmt::derived::Derived<$name>
            where
                Q: $crate::Query<I> + 'static,
                Q::Row: $crate::stmt::derived::RowsOf<$name, <$name as $crate::stmt::derived::DerivedTable>::Row>,
            {
                $crate::stmt::derived::Derived::new(query)
            }

            /// `WITH name (columns) AS (query)`; its rows must be the declared columns.
            pub fn cte<Q, I>(query: Q) -> $crate::stmt::cte::Cte<$name>
            where
                Q: $crate::Query<I> + 'static,
                Q::Row: $crate::stmt::derived::RowsOf<$name, <$name as $crate::stmt::derived::DerivedTable>::Row>,
            {
                $crate::stmt::cte::Cte::new(query)
            }

            /// `WITH RECURSIVE name (columns) AS (anchor UNION ALL step(name))`: `step` gets the
            /// CTE itself to select from or join; both parts' rows must be the declared columns.
            pub fn recursive<A, IA, F, R, IR>(anchor: A, step: F) -> $crate::stmt::cte::Cte<$name>
            where
                A: $crate::Query<IA> + 'static,
                A::Row: $crate::stmt::derived::RowsOf<$name, <$name as $crate::stmt::derived::DerivedTable>::Row>,
                F: ::core::ops::FnOnce($crate::stmt::cte::CteRef<$name>) -> R,
                R: $crate::Query<IR> + 'static,
                R::Row: $crate::stmt::cte::RecursiveRowsOf<$name, <$name as $crate::stmt::derived::DerivedTable>::Row>,
            {
                $crate::stmt::cte::Cte::recursive(anchor, step)
            }
        }

        $(
            impl $crate::Expression for [<$name:snake>]::$field {
                type SqlType = <$fty as $crate::RustType>::SqlType;
                type Table = $crate::expr::NoTable;
                type Agg = $crate::expr::aggregate::Plain;
                fn lower(&self, _: $crate::Backend) -> $crate::__private::SeaExpr {
                    $crate::stmt::derived::derived_column(
                        <$name as $crate::stmt::derived::DerivedTable>::NAME,
                        ::core::stringify!($field),
                    )
                }
            }

            impl<S, I> $crate::ValidIn<S, I> for [<$name:snake>]::$field
            where
                S: $crate::stmt::derived::DerivedInQuery<$name, I>,
            {
                type Null = $crate::__private::ColumnNull<
                    <Self as $crate::Expression>::SqlType,
                    <S as $crate::stmt::derived::DerivedInQuery<$name, I>>::Null,
                >;
                type Cols = $crate::expr::grouping::Col<$name, Self, I>;
                type Key = $crate::expr::grouping::Col<$name, Self, I>;
            }

            $crate::__expression_impls!(impl[] [<$name:snake>]::$field);
        )+
    } };
}

/// The row type of a derived table's columns: the one type, or a tuple.
#[doc(hidden)]
#[macro_export]
macro_rules! __derived_row {
    ($t:ty) => { $t };
    ($($t:ty),+) => { ($($t,)+) };
}
