//! Which columns a grouped query may use outside aggregates (Diesel's `ValidGrouping`): what
//! keeps `SELECT users.name, posts.title, COUNT(posts.id) .. GROUP BY users.id` from compiling,
//! which SQLite and MariaDB answer with a title from an arbitrary row.
//!
//! A column used outside an aggregate (in the selection, in HAVING, in ORDER BY) must be
//! *covered* by a `GROUP BY` term: the same column of the same table, or the single-column
//! primary key of its table (every other column of the table depends on it, as PostgreSQL and
//! MySQL 5.7+ know). A term that is not a column (`group_by(lower(User::name))`) covers nothing.
//!
//! Everything is computed with types, without inference:
//! - a table is identified by its place in the query's sources ([`Here`]/[`There`], the index
//!   already inferred to check that the table is in the FROM clause: each table, or alias, is in
//!   the sources once);
//! - a column by its place in its model ([`P0`]/[`PNext`], given by `model!`);
//! - each expression gives the tree of columns it uses outside aggregates ([`NoCols`],
//!   [`Both`], [`Col`], and [`AnyOf`] for "some columns of a table", a whole row or a boxed
//!   expression), and `group_by` records the tree of its column terms.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub title: String, pub author_id: i64 } }
//! // `User::name` depends on `User::id`, the primary key: accepted.
//! let q = select((User::id, User::name, count(Post::id)))
//!     .join(Post::TABLE.on(Post::author_id.eq(User::id)))
//!     .group_by(User::id);
//! let _ = q.to_sql(Backend::Postgres);
//! ```
//!
//! ```compile_fail,E0277
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub title: String, pub author_id: i64 } }
//! // `Post::title` is neither grouped nor aggregated.
//! let q = select((User::name, Post::title, count(Post::id)))
//!     .join(Post::TABLE.on(Post::author_id.eq(User::id)))
//!     .group_by(User::id);
//! let _ = q.to_sql(Backend::Postgres);
//! ```

use std::marker::PhantomData;

use crate::schema::sources::{Here, There};

/// A type-level boolean.
pub trait Bool {
    /// `Self || B`.
    type Or<B: Bool>: Bool;
    /// `Self && B`.
    type And<B: Bool>: Bool;
}

/// Type-level `true`.
pub struct True;
/// Type-level `false`.
pub struct False;

impl Bool for True {
    type Or<B: Bool> = True;
    type And<B: Bool> = B;
}
impl Bool for False {
    type Or<B: Bool> = B;
    type And<B: Bool> = False;
}

/// The first column of a model.
pub struct P0;
/// The column after the one at `P`.
pub struct PNext<P>(PhantomData<P>);
/// The position of a primary key a model does not have (none, or a composite one): equal to no
/// column's.
pub struct NoPos;

/// Type-level equality of two indices (of tables in the sources, or of columns in a model).
pub trait Same<B> {
    /// [`True`] when `Self` and `B` are the same index.
    type Out: Bool;
}

impl Same<Here> for Here {
    type Out = True;
}
impl<B> Same<There<B>> for Here {
    type Out = False;
}
impl<A> Same<Here> for There<A> {
    type Out = False;
}
impl<A: Same<B>, B> Same<There<B>> for There<A> {
    type Out = A::Out;
}
impl Same<P0> for P0 {
    type Out = True;
}
impl<B> Same<PNext<B>> for P0 {
    type Out = False;
}
impl<A> Same<P0> for PNext<A> {
    type Out = False;
}
impl<A: Same<B>, B> Same<PNext<B>> for PNext<A> {
    type Out = A::Out;
}
impl Same<NoPos> for P0 {
    type Out = False;
}
impl<A> Same<NoPos> for PNext<A> {
    type Out = False;
}

/// A column's place in its model; implemented by `model!`.
pub trait GroupColumn {
    /// The column's position ([`P0`], [`PNext`]).
    type Pos: Same<Self::Pos> + Same<<Self::Model as KeyPosition>::Pos>;
    /// Its model.
    type Model: KeyPosition;
}

/// Where a model's single-column primary key is; implemented by `model!`.
pub trait KeyPosition {
    /// The key column's position, or [`NoPos`] without a single-column key.
    type Pos;
}

/// No column.
pub struct NoCols;
/// The columns of `A` and those of `B`.
pub struct Both<A, B>(PhantomData<(A, B)>);
/// Column `C` of the table named `T` in the query (a model or an alias of it), at index `TI` of
/// the query's sources.
pub struct Col<T, C, TI>(PhantomData<(T, C, TI)>);
/// Some columns of the table named `T` (at index `TI`), not known one by one: a whole row, a
/// boxed expression, a condition along a relationship. Only its primary key covers them.
pub struct AnyOf<T, TI>(PhantomData<(T, TI)>);

/// Moves every table index one place down: the sources after a join (the joined table comes
/// first).
pub trait Shift: 'static {
    /// `Self` with every index `I` made `There<I>`.
    type Out: Shift;
}
impl Shift for NoCols {
    type Out = NoCols;
}
impl<A: Shift, B: Shift> Shift for Both<A, B> {
    type Out = Both<A::Out, B::Out>;
}
impl<T: 'static, C: 'static, TI: 'static> Shift for Col<T, C, TI> {
    type Out = Col<T, C, There<TI>>;
}

/// Whether the `GROUP BY` column terms `Self` cover the column at position `P` of the table at
/// index `TI`.
pub trait CoversColumn<TI, P> {
    /// [`True`] when a term is that column, or its table's single-column primary key.
    type Out: Bool;
}
impl<TI, P> CoversColumn<TI, P> for NoCols {
    type Out = False;
}
impl<TI, P, A: CoversColumn<TI, P>, B: CoversColumn<TI, P>> CoversColumn<TI, P> for Both<A, B> {
    type Out = <A::Out as Bool>::Or<B::Out>;
}
impl<TI, P, T, C: GroupColumn, TJ: Same<TI>> CoversColumn<TI, P> for Col<T, C, TJ>
where
    C::Pos: Same<P>,
{
    type Out = <TJ::Out as Bool>::And<
        <<C::Pos as Same<P>>::Out as Bool>::Or<
            <C::Pos as Same<<C::Model as KeyPosition>::Pos>>::Out,
        >,
    >;
}

/// Whether the `GROUP BY` column terms `Self` list the column at position `P` of the table at
/// index `TI` itself: what HAVING needs (MySQL and MariaDB resolve a HAVING column against the
/// GROUP BY list and the selection, not through the primary key).
pub trait ListsColumn<TI, P> {
    /// [`True`] when a term is that column.
    type Out: Bool;
}
impl<TI, P> ListsColumn<TI, P> for NoCols {
    type Out = False;
}
impl<TI, P, A: ListsColumn<TI, P>, B: ListsColumn<TI, P>> ListsColumn<TI, P> for Both<A, B> {
    type Out = <A::Out as Bool>::Or<B::Out>;
}
impl<TI, P, T, C: GroupColumn, TJ: Same<TI>> ListsColumn<TI, P> for Col<T, C, TJ>
where
    C::Pos: Same<P>,
{
    type Out = <TJ::Out as Bool>::And<<C::Pos as Same<P>>::Out>;
}

/// Whether the `GROUP BY` column terms `Self` cover every column of the table at index `TI`.
pub trait CoversRow<TI> {
    /// [`True`] when a term is that table's single-column primary key.
    type Out: Bool;
}
impl<TI> CoversRow<TI> for NoCols {
    type Out = False;
}
impl<TI, A: CoversRow<TI>, B: CoversRow<TI>> CoversRow<TI> for Both<A, B> {
    type Out = <A::Out as Bool>::Or<B::Out>;
}
impl<TI, T, C: GroupColumn, TJ: Same<TI>> CoversRow<TI> for Col<T, C, TJ> {
    type Out = <TJ::Out as Bool>::And<<C::Pos as Same<<C::Model as KeyPosition>::Pos>>::Out>;
}

/// The grouping `G` of a query allows the columns `Self` outside aggregates: always without
/// `GROUP BY` (that case is [`FitsGrouping`](super::aggregate::FitsGrouping)'s), and with it
/// when every column is covered by a grouped column.
pub trait CoveredBy<G> {}

impl<C> CoveredBy<super::aggregate::Ungrouped> for C {}
impl<C> CoveredBy<super::aggregate::WholeTable> for C {}

impl<K> CoveredBy<super::aggregate::Grouped<K>> for NoCols {}

impl<K, A, B> CoveredBy<super::aggregate::Grouped<K>> for Both<A, B>
where
    A: CoveredBy<super::aggregate::Grouped<K>>,
    B: CoveredBy<super::aggregate::Grouped<K>>,
{
}

impl<K, T, C, TI> CoveredBy<super::aggregate::Grouped<K>> for Col<T, C, TI>
where
    C: GroupColumn,
    K: CoversColumn<TI, C::Pos>,
    <K as CoversColumn<TI, C::Pos>>::Out: ColumnGrouped<T, C>,
{
}

impl<K, T, TI> CoveredBy<super::aggregate::Grouped<K>> for AnyOf<T, TI>
where
    K: CoversRow<TI>,
    <K as CoversRow<TI>>::Out: RowGrouped<T>,
{
}

/// The grouping a HAVING condition is checked against: `GROUP BY` terms `K`, each column listed
/// itself.
pub struct Listed<K>(PhantomData<K>);

impl<K> CoveredBy<Listed<K>> for NoCols {}

impl<K, A, B> CoveredBy<Listed<K>> for Both<A, B>
where
    A: CoveredBy<Listed<K>>,
    B: CoveredBy<Listed<K>>,
{
}

impl<K, T, C, TI> CoveredBy<Listed<K>> for Col<T, C, TI>
where
    C: GroupColumn,
    K: ListsColumn<TI, C::Pos>,
    <K as ListsColumn<TI, C::Pos>>::Out: HavingColumnGrouped<T, C>,
{
}

impl<K, T, TI> CoveredBy<Listed<K>> for AnyOf<T, TI> where
    False: HavingColumnGrouped<T, AnyOf<T, TI>>
{
}

/// Column `T::C`, in HAVING outside an aggregate, is itself in the query's `GROUP BY`.
#[diagnostic::on_unimplemented(
    message = "HAVING uses `{T}::{C}`, which this query does not group by",
    label = "`{T}::{C}` is in HAVING outside an aggregate",
    note = "add the column itself to `.group_by(..)` (MySQL and MariaDB do not look through the primary key in HAVING), or wrap it in an aggregate"
)]
pub trait HavingColumnGrouped<T, C> {}
#[diagnostic::do_not_recommend]
impl<T, C> HavingColumnGrouped<T, C> for True {}

/// Expression `Self` fits a query of grouping `G` (in HAVING): after `group_by`, it uses
/// grouped columns only, outside aggregates.
pub trait ExprFits<S, I, G> {}

impl<E: super::ValidIn<S, I>, S, I, G> ExprFits<S, I, G> for E where E::Cols: CoveredBy<G> {}

/// Column `T::C`, used outside an aggregate, is covered by the query's `GROUP BY` (`Self` is
/// [`True`]).
#[diagnostic::on_unimplemented(
    message = "this query uses `{T}::{C}`, which it does not group by",
    label = "`{T}::{C}` is selected, ordered by or in HAVING outside an aggregate",
    note = "add it to `.group_by(..)`, group by `{T}`'s primary key, or wrap it in an aggregate"
)]
pub trait ColumnGrouped<T, C> {}
#[diagnostic::do_not_recommend]
impl<T, C> ColumnGrouped<T, C> for True {}

/// Columns of `T` that are not known one by one (a whole row, a boxed expression, a condition
/// along a relationship) are covered: `T`'s primary key is grouped (`Self` is [`True`]).
#[diagnostic::on_unimplemented(
    message = "this query uses columns of `{T}` (a whole row, a boxed expression or a relationship condition) without grouping by `{T}`'s primary key",
    label = "used outside an aggregate in a grouped query",
    note = "add `{T}`'s single-column primary key to `.group_by(..)`, or use columns one by one"
)]
pub trait RowGrouped<T> {}
#[diagnostic::do_not_recommend]
impl<T> RowGrouped<T> for True {}
