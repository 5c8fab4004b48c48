//! Whether an expression aggregates: what keeps a query without `GROUP BY` from selecting an
//! aggregate next to a plain column (`SELECT name, COUNT(*) FROM users`, which PostgreSQL
//! refuses and MySQL answers with an arbitrary name).
//!
//! Each expression has a kind: [`NoColumns`] (values, `now()`), [`Plain`] (a column outside any
//! aggregate), [`Aggregate`] (columns only inside aggregates) or [`Mixed`] (both). A selection
//! without `group_by` must not be `Mixed`; with `group_by`, each column outside an aggregate must
//! be grouped ([`grouping`](super::grouping)).
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//! // Aggregates alone, or with the grouped columns.
//! let _ = select(count_all()).to_sql(Backend::Postgres);
//! let _ = select((User::name, count_all())).group_by(User::name).to_sql(Backend::Postgres);
//! ```

/// How an expression stands with respect to aggregation (a type-level value).
pub trait AggKind: Send + Sync + 'static {
    /// The kind of an expression combining one of kind `Self` with one of kind `B`.
    type With<B: AggKind>: AggKind;
    /// `A::With<Self>`: dispatches on `Self` (how [`With`](AggKind::With) is computed).
    #[doc(hidden)]
    type After<A: AggKind>: AggKind;
    /// `Self` combined with [`Plain`].
    #[doc(hidden)]
    type WithPlain: AggKind;
    /// `Self` combined with [`Aggregate`].
    #[doc(hidden)]
    type WithAggregate: AggKind;
    /// `L` (the columns of an expression of this kind, not known one by one) if it has columns
    /// outside aggregates, else none: what a boxed expression uses in a grouped query.
    type Outside<L>;
}

/// No column at all: bound values, `now()`.
pub struct NoColumns;
/// A column outside any aggregate.
pub struct Plain;
/// Columns only inside aggregates (`count(..)`, `sum(..)`, ...).
pub struct Aggregate;
/// Both plain columns and aggregates: valid only in a grouped query.
pub struct Mixed;

impl AggKind for NoColumns {
    type With<B: AggKind> = B;
    type After<A: AggKind> = A;
    type WithPlain = Plain;
    type WithAggregate = Aggregate;
    type Outside<L> = super::grouping::NoCols;
}

impl AggKind for Plain {
    type With<B: AggKind> = B::After<Plain>;
    type After<A: AggKind> = A::WithPlain;
    type WithPlain = Plain;
    type WithAggregate = Mixed;
    type Outside<L> = L;
}

impl AggKind for Aggregate {
    type With<B: AggKind> = B::After<Aggregate>;
    type After<A: AggKind> = A::WithAggregate;
    type WithPlain = Mixed;
    type WithAggregate = Aggregate;
    type Outside<L> = super::grouping::NoCols;
}

impl AggKind for Mixed {
    // Dispatched on `B`, so that a window function's kind survives ([`Win`](super::window::Win)).
    type With<B: AggKind> = B::After<Mixed>;
    type After<A: AggKind> = Mixed;
    type WithPlain = Mixed;
    type WithAggregate = Mixed;
    type Outside<L> = L;
}

use super::grouping::Shift;

/// Whether and how a query groups its rows: a type-level flag of [`Select`](crate::Select).
pub trait Grouping: Send + Sync + 'static {
    /// The grouping after `.having(..)`.
    type AfterHaving: Grouping;
    /// The grouping once a table is joined (the grouped columns' table indices move down).
    type Joined: Grouping;
    /// The grouping after `.group_by(..)` with the column terms `K`.
    type AddKeys<K>;
    /// What a HAVING condition is checked against ([`Listed`](super::grouping::Listed)
    /// after `group_by`).
    type ForHaving;
}

/// A query without `GROUP BY` or `HAVING`.
pub struct Ungrouped;
/// A query with `GROUP BY`; `K` is the tree of its column terms
/// ([`grouping`](super::grouping)).
pub struct Grouped<K>(super::Ghost<K>);
/// A query with `HAVING` but no `GROUP BY`: the whole table is one group, so it may select
/// aggregates only.
pub struct WholeTable;

impl Grouping for Ungrouped {
    type AfterHaving = WholeTable;
    type Joined = Ungrouped;
    type AddKeys<K> = Grouped<K>;
    type ForHaving = Ungrouped;
}
impl<K: Shift> Grouping for Grouped<K> {
    type AfterHaving = Grouped<K>;
    type Joined = Grouped<K::Out>;
    type AddKeys<K2> = Grouped<super::grouping::Both<K, K2>>;
    type ForHaving = super::grouping::Listed<K>;
}
impl Grouping for WholeTable {
    type AfterHaving = WholeTable;
    type Joined = WholeTable;
    // Refused by `GroupByAllowed`.
    type AddKeys<K> = Grouped<K>;
    type ForHaving = WholeTable;
}

/// A query that may get a `GROUP BY`: one without `HAVING` yet (its condition was checked
/// against no grouping).
#[diagnostic::on_unimplemented(
    message = "`group_by` comes before `having`",
    label = "this query already has a HAVING clause",
    note = "write `.group_by(..)` first, then `.having(..)`, as in SQL"
)]
pub trait GroupByAllowed {}
#[diagnostic::do_not_recommend]
impl GroupByAllowed for Ungrouped {}
#[diagnostic::do_not_recommend]
impl<K> GroupByAllowed for Grouped<K> {}

/// A selection of aggregation kind `Self` fits a query of grouping `G`.
#[diagnostic::on_unimplemented(
    message = "this query aggregates but selects a column it does not group by",
    label = "an aggregate (selected, or in HAVING) next to a plain column, without GROUP BY",
    note = "add `.group_by(..)` with the plain columns, or select only aggregates"
)]
pub trait FitsGrouping<G> {}

impl<K: AggKind, G> FitsGrouping<Grouped<G>> for K {}
#[diagnostic::do_not_recommend]
impl FitsGrouping<Ungrouped> for NoColumns {}
#[diagnostic::do_not_recommend]
impl FitsGrouping<Ungrouped> for Plain {}
#[diagnostic::do_not_recommend]
impl FitsGrouping<Ungrouped> for Aggregate {}
#[diagnostic::do_not_recommend]
impl FitsGrouping<WholeTable> for NoColumns {}
#[diagnostic::do_not_recommend]
impl FitsGrouping<WholeTable> for Aggregate {}

/// An expression of this kind may stand in a WHERE clause: it aggregates nothing.
#[diagnostic::on_unimplemented(
    message = "an aggregate cannot filter rows",
    label = "WHERE is evaluated row by row, before any aggregate",
    note = "filter groups with `.group_by(..).having(condition)`"
)]
pub trait NotAggregate {}

#[diagnostic::do_not_recommend]
impl NotAggregate for NoColumns {}
#[diagnostic::do_not_recommend]
impl NotAggregate for Plain {}
