//! Window functions: `row_number()`, `rank()`, `dense_rank()`, `ntile(n)`, `lag(e)`, `lead(e)`,
//! `first_value(e)`, `last_value(e)` and the aggregates (`count`, `sum`, `avg`, `min`, `max`,
//! `count_all`), each computed `.over(Window)`: a partition, an order and a frame.
//!
//! A windowed expression is computed after WHERE, GROUP BY and HAVING, row by row: it may be
//! selected and ordered by, and it is a compile error in `filter(..)` and `having(..)` (SQL
//! refuses it too). In a grouped query its arguments, partition and order may use grouped
//! columns and aggregates (`rank() OVER (ORDER BY SUM(x))`).
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub album_id: i64, pub ms: i64 } }
//! let by_length = Window::new().partition_by(Track::album_id).order_by(Track::ms.desc());
//! let q = select((Track::id, rank().over(by_length).label("rnk")));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "track"."id", RANK() OVER (PARTITION BY "track"."album_id" ORDER BY "track"."ms" DESC) AS "rnk" FROM "track""#
//! );
//! ```

use std::fmt::Write as _;

use sea_query::{Alias, Expr as SeaExpr, Func, Value};

use super::aggregate::{
    AggKind, Aggregate, FitsGrouping, Mixed, NoColumns, NotAggregate, Plain, Ungrouped, WholeTable,
};
use super::functions::{AvgFn, Call, CountAll, CountFn, FuncKind, MaxFn, MinFn, SumFn};
use super::grouping::{Both, NoCols};
use super::{AsOperand, BaseOf, Expression, Ghost, NoTable, NullOf, TableHint, ValidIn};
use crate::backend::Backend;
use crate::sql_types::{BaseType, BigInt, IsNull, NotNull, NullFlag, SqlKind};
use crate::stmt::order::{Direction, Nulls, Ordered};

// ---------------------------------------------------------------------------------------------
// Aggregation kind

/// The [aggregation kind](super::aggregate) of an expression holding a window function; `K` is
/// the kind of what the window reads (its arguments, partition and order), which is what the
/// query's grouping checks.
pub struct Win<K>(Ghost<K>);

impl<K: AggKind> AggKind for Win<K> {
    type With<B: AggKind> = Win<K::With<B>>;
    type After<A: AggKind> = Win<A::With<K>>;
    type WithPlain = Win<K::WithPlain>;
    type WithAggregate = Win<K::WithAggregate>;
    type Outside<L> = K::Outside<L>;
}

#[diagnostic::do_not_recommend]
impl<K: FitsGrouping<Ungrouped>> FitsGrouping<Ungrouped> for Win<K> {}
#[diagnostic::do_not_recommend]
impl<K: FitsGrouping<WholeTable>> FitsGrouping<WholeTable> for Win<K> {}
// A window function is not an aggregate: WHERE refuses it with its own message.
#[diagnostic::do_not_recommend]
impl<K: NotAggregate> NotAggregate for Win<K> {}

/// The condition holds no window function: what `filter(..)` takes.
#[diagnostic::on_unimplemented(
    message = "a window function cannot be used in WHERE",
    label = "WHERE is evaluated before window functions are computed",
    note = "compute it in a derived table or CTE and filter on its column"
)]
pub trait NoWindowInWhere {}
#[diagnostic::do_not_recommend]
impl NoWindowInWhere for NoColumns {}
#[diagnostic::do_not_recommend]
impl NoWindowInWhere for Plain {}
#[diagnostic::do_not_recommend]
impl NoWindowInWhere for Aggregate {}
#[diagnostic::do_not_recommend]
impl NoWindowInWhere for Mixed {}

/// The condition holds no window function: what `having(..)` takes.
#[diagnostic::on_unimplemented(
    message = "a window function cannot be used in HAVING",
    label = "HAVING is evaluated before window functions are computed",
    note = "compute it in a derived table or CTE and filter on its column"
)]
pub trait NoWindowInHaving {}
#[diagnostic::do_not_recommend]
impl NoWindowInHaving for NoColumns {}
#[diagnostic::do_not_recommend]
impl NoWindowInHaving for Plain {}
#[diagnostic::do_not_recommend]
impl NoWindowInHaving for Aggregate {}
#[diagnostic::do_not_recommend]
impl NoWindowInHaving for Mixed {}

/// The terms hold no window function: what `group_by(..)` takes.
#[diagnostic::on_unimplemented(
    message = "a window function cannot be used in GROUP BY",
    label = "GROUP BY is evaluated before window functions are computed",
    note = "compute it in a derived table or CTE and group by its column"
)]
pub trait NoWindowInGroupBy {}
#[diagnostic::do_not_recommend]
impl NoWindowInGroupBy for NoColumns {}
#[diagnostic::do_not_recommend]
impl NoWindowInGroupBy for Plain {}
#[diagnostic::do_not_recommend]
impl NoWindowInGroupBy for Aggregate {}
#[diagnostic::do_not_recommend]
impl NoWindowInGroupBy for Mixed {}

/// The aggregation kind of `group_by` terms (one expression or a tuple), which must hold no
/// window function.
#[doc(hidden)]
pub trait GroupTerms {
    /// The terms' kinds, combined.
    type Agg: AggKind;
}
impl<E: Expression> GroupTerms for E {
    type Agg = E::Agg;
}

macro_rules! group_terms_tuples {
    ($(($($t:ident),+))*) => {$(
        impl<$($t: Expression),+> GroupTerms for ($($t,)+) {
            type Agg = fold_agg!($($t)+);
        }
    )*};
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// A custom SQL fragment with its sub-expressions, numbered for PostgreSQL.
struct Template {
    sql: String,
    exprs: Vec<SeaExpr>,
    backend: Backend,
}

impl Template {
    fn new(backend: Backend) -> Self {
        Template {
            sql: String::new(),
            exprs: Vec::new(),
            backend,
        }
    }

    fn text(&mut self, s: &str) {
        self.sql.push_str(s);
    }

    fn expr(&mut self, e: SeaExpr) {
        self.exprs.push(e);
        match self.backend {
            Backend::Postgres => {
                let _ = write!(self.sql, "${}", self.exprs.len());
            }
            Backend::MySql | Backend::Sqlite => self.sql.push('?'),
        }
    }

    fn finish(self) -> SeaExpr {
        SeaExpr::cust_with_exprs(self.sql, self.exprs)
    }
}

/// A row count given by the user (an offset, a number of buckets), bound as an `INTEGER`
/// (PostgreSQL's `ntile` and `lag` take one): saturated at `i32::MAX`, more rows than a
/// partition holds, which gives the same result as any larger count.
fn count_value(n: u32) -> SeaExpr {
    SeaExpr::val(Value::Int(Some(i32::try_from(n).unwrap_or(i32::MAX))))
}

// ---------------------------------------------------------------------------------------------
// The window: partition, order, frame

/// `OVER (PARTITION BY .. ORDER BY .. ROWS|RANGE BETWEEN .. AND ..)`, built with
/// [`Window::new`]; `P`, `O`, `F` are the partition terms, the order terms and the frame.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Invoice { #[primary_key] pub id: i64, pub customer_id: i64, pub total: i64 } }
/// let running = Window::new()
///     .partition_by(Invoice::customer_id)
///     .order_by(Invoice::id)
///     .rows(UnboundedPreceding, CurrentRow);
/// let q = select((Invoice::id, sum(Invoice::total).over(running)));
/// assert_eq!(
///     q.to_sql(Backend::MySql).0,
///     "SELECT `invoice`.`id`, SUM(`invoice`.`total`) OVER (PARTITION BY `invoice`.`customer_id` ORDER BY `invoice`.`id` ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM `invoice`"
/// );
/// ```
pub struct Window<P = (), O = (), F = NoFrame> {
    partition: P,
    order: O,
    frame: F,
}

impl Window {
    /// `OVER ()`: the whole result is one partition, in no order; add
    /// [`partition_by`](Window::partition_by), [`order_by`](Window::order_by) and a frame.
    pub fn new() -> Self {
        Window {
            partition: (),
            order: (),
            frame: NoFrame,
        }
    }
}

impl Default for Window {
    fn default() -> Self {
        Window::new()
    }
}

impl<P, O, F> Window<P, O, F> {
    /// `PARTITION BY terms`: one expression or a tuple of them.
    pub fn partition_by<P2: PartitionList>(self, terms: P2) -> Window<P2, O, F> {
        Window {
            partition: terms,
            order: self.order,
            frame: self.frame,
        }
    }

    /// `ORDER BY terms` inside the window: an expression, `expr.desc()`, or a tuple of them.
    pub fn order_by<O2: WindowOrderList>(self, terms: O2) -> Window<P, O2, F> {
        Window {
            partition: self.partition,
            order: terms,
            frame: self.frame,
        }
    }

    /// `ROWS BETWEEN start AND end`: a frame counted in rows around the current one.
    pub fn rows<A: FrameStart, B: FrameEnd>(self, start: A, end: B) -> Window<P, O, FrameOf<A, B>> {
        self.framed(FrameUnit::Rows, start.bound(), end.bound())
    }

    /// `RANGE BETWEEN start AND end`: a frame of the rows whose ORDER BY value is within the
    /// offsets of the current row's (an offset needs one numeric ORDER BY term).
    pub fn range<A: FrameStart, B: FrameEnd>(
        self,
        start: A,
        end: B,
    ) -> Window<P, O, FrameOf<A, B>> {
        self.framed(FrameUnit::Range, start.bound(), end.bound())
    }

    fn framed<N>(self, unit: FrameUnit, start: Bound, end: Bound) -> Window<P, O, Frame<N>> {
        Window {
            partition: self.partition,
            order: self.order,
            frame: Frame {
                unit,
                start,
                end,
                _null: Ghost::default(),
            },
        }
    }
}

/// A window specification: what `.over(..)` takes.
pub trait WindowSpec: Send + Sync + 'static {
    /// The first table it mentions.
    type Table: TableHint;
    /// The aggregation kind of its partition and order terms.
    type Agg: AggKind;
    /// [`IsNull`] if its frame may hold no row (it ends before, or starts after, the current
    /// row): `first_value` is then NULL on some rows.
    type FrameNull: NullFlag;
    /// `call OVER (..)`.
    #[doc(hidden)]
    fn over(&self, call: SeaExpr, backend: Backend) -> SeaExpr;
}

/// The window uses only tables in the source list `S`.
pub trait WindowIn<S, I> {
    /// The columns it uses outside aggregates.
    type Cols;
}

impl<P: PartitionList, O: WindowOrderList, F: FrameSpec> WindowSpec for Window<P, O, F> {
    type Table = <P::Table as TableHint>::Or<O::Table>;
    type Agg = <P::Agg as AggKind>::With<O::Agg>;
    type FrameNull = F::Null;
    fn over(&self, call: SeaExpr, b: Backend) -> SeaExpr {
        let mut t = Template::new(b);
        t.expr(call);
        t.text(" OVER (");
        let mut parts = Vec::new();
        self.partition.lower_into(b, &mut parts);
        let mut sep = "";
        if !parts.is_empty() {
            t.text("PARTITION BY ");
            for (i, p) in parts.into_iter().enumerate() {
                if i > 0 {
                    t.text(", ");
                }
                t.expr(p);
            }
            sep = " ";
        }
        let mut w = WindowSql(t);
        if !self.order.is_empty() {
            w.0.text(sep);
            w.0.text("ORDER BY ");
            self.order.render_terms(&mut w);
            sep = " ";
        }
        self.frame.render_frame(&mut w, sep);
        w.0.text(")");
        w.0.finish()
    }
}

impl<P, O, F, S, IP, IO> WindowIn<S, (IP, IO)> for Window<P, O, F>
where
    P: PartitionIn<S, IP>,
    O: WindowOrderIn<S, IO>,
{
    type Cols = Both<P::Cols, O::Cols>;
}

/// Index witness of an empty list of window terms.
pub struct NoTerms;
/// Index witness of a single window term.
pub struct OneTerm<I>(Ghost<I>);

/// `PARTITION BY` terms: one expression or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a PARTITION BY term",
    label = "expected an expression or a tuple of expressions"
)]
pub trait PartitionList: Send + Sync + 'static {
    /// The first table mentioned.
    type Table: TableHint;
    /// The terms' aggregation kind.
    type Agg: AggKind;
    /// Appends the lowered terms.
    #[doc(hidden)]
    fn lower_into(&self, backend: Backend, out: &mut Vec<SeaExpr>);
}

/// The partition terms use only tables in the source list `S`.
pub trait PartitionIn<S, I> {
    /// The columns they use outside aggregates.
    type Cols;
}

impl PartitionList for () {
    type Table = NoTable;
    type Agg = NoColumns;
    fn lower_into(&self, _: Backend, _: &mut Vec<SeaExpr>) {}
}
impl<S> PartitionIn<S, NoTerms> for () {
    type Cols = NoCols;
}

impl<E: Expression> PartitionList for E {
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower_into(&self, b: Backend, out: &mut Vec<SeaExpr>) {
        out.push(self.lower(b));
    }
}
impl<S, I, E: ValidIn<S, I>> PartitionIn<S, OneTerm<I>> for E {
    type Cols = E::Cols;
}

/// One term of a window's `ORDER BY`: an expression (ascending) or `expr.asc()` / `expr.desc()`.
pub trait WindowOrderTerm: Send + Sync + 'static {
    /// The first table mentioned.
    type Table: TableHint;
    /// The term's aggregation kind.
    type Agg: AggKind;
    /// Writes `expr ASC|DESC [NULLS FIRST|LAST]`.
    #[doc(hidden)]
    fn render_term(&self, t: &mut WindowSql);
}

/// The SQL of a window being written (not part of the API).
#[doc(hidden)]
pub struct WindowSql(Template);

impl<E: Expression> WindowOrderTerm for E {
    type Table = E::Table;
    type Agg = E::Agg;
    fn render_term(&self, t: &mut WindowSql) {
        order_term(&mut t.0, self, Direction::Asc, None);
    }
}

impl<E: Expression> WindowOrderTerm for Ordered<E> {
    type Table = E::Table;
    type Agg = E::Agg;
    fn render_term(&self, t: &mut WindowSql) {
        order_term(&mut t.0, &self.e, self.dir, self.nulls);
    }
}

fn order_term<E: Expression>(t: &mut Template, e: &E, dir: Direction, nulls: Option<Nulls>) {
    let dir = match dir {
        Direction::Asc => " ASC",
        Direction::Desc => " DESC",
    };
    match (nulls, t.backend) {
        (None, _) => {}
        // MySQL and MariaDB have no NULLS FIRST/LAST: order by `e IS NULL` first.
        (Some(n), Backend::MySql) => {
            t.expr(e.lower(t.backend));
            t.text(match n {
                Nulls::First => " IS NULL DESC, ",
                Nulls::Last => " IS NULL ASC, ",
            });
        }
        (Some(n), _) => {
            t.expr(e.lower(t.backend));
            t.text(dir);
            t.text(match n {
                Nulls::First => " NULLS FIRST",
                Nulls::Last => " NULLS LAST",
            });
            return;
        }
    }
    t.expr(e.lower(t.backend));
    t.text(dir);
}

/// The window order term uses only tables in the source list `S`.
pub trait WindowOrderTermIn<S, I> {
    /// The columns it uses outside aggregates.
    type Cols;
}
impl<S, I, E: ValidIn<S, I>> WindowOrderTermIn<S, I> for E {
    type Cols = E::Cols;
}
impl<S, I, E: ValidIn<S, I>> WindowOrderTermIn<S, I> for Ordered<E> {
    type Cols = E::Cols;
}

/// A window's `ORDER BY` terms: one term or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a window's ORDER BY",
    label = "expected an expression, `expr.asc()` / `expr.desc()`, or a tuple of them"
)]
pub trait WindowOrderList: Send + Sync + 'static {
    /// The first table mentioned.
    type Table: TableHint;
    /// The terms' aggregation kind.
    type Agg: AggKind;
    /// Whether there is no term.
    #[doc(hidden)]
    fn is_empty(&self) -> bool {
        false
    }
    /// Writes the terms, comma-separated.
    #[doc(hidden)]
    fn render_terms(&self, t: &mut WindowSql);
}

/// The window's order terms use only tables in the source list `S`.
pub trait WindowOrderIn<S, I> {
    /// The columns they use outside aggregates.
    type Cols;
}

impl WindowOrderList for () {
    type Table = NoTable;
    type Agg = NoColumns;
    fn is_empty(&self) -> bool {
        true
    }
    fn render_terms(&self, _: &mut WindowSql) {}
}
impl<S> WindowOrderIn<S, NoTerms> for () {
    type Cols = NoCols;
}

impl<T: WindowOrderTerm> WindowOrderList for T {
    type Table = T::Table;
    type Agg = T::Agg;
    fn render_terms(&self, t: &mut WindowSql) {
        self.render_term(t);
    }
}
impl<S, I, T: WindowOrderTermIn<S, I>> WindowOrderIn<S, OneTerm<I>> for T {
    type Cols = T::Cols;
}

macro_rules! fold_table {
    ($a:ident) => { $a::Table };
    ($a:ident $($rest:ident)+) => { <$a::Table as TableHint>::Or<fold_table!($($rest)+)> };
}
macro_rules! fold_agg {
    ($a:ident) => { $a::Agg };
    ($a:ident $($rest:ident)+) => { <$a::Agg as AggKind>::With<fold_agg!($($rest)+)> };
}
macro_rules! fold_cols {
    ($a:ident) => { $a::Cols };
    ($a:ident $($rest:ident)+) => { Both<$a::Cols, fold_cols!($($rest)+)> };
}

macro_rules! window_tuples {
    ($(($($t:ident $i:ident),+))*) => {$(
        impl<$($t: Expression),+> PartitionList for ($($t,)+) {
            type Table = fold_table!($($t)+);
            type Agg = fold_agg!($($t)+);
            #[allow(non_snake_case)]
            fn lower_into(&self, b: Backend, out: &mut Vec<SeaExpr>) {
                let ($($t,)+) = self;
                $(out.push($t.lower(b));)+
            }
        }
        impl<S, $($t: ValidIn<S, $i>, $i),+> PartitionIn<S, ($($i,)+)> for ($($t,)+) {
            type Cols = fold_cols!($($t)+);
        }
        impl<$($t: WindowOrderTerm),+> WindowOrderList for ($($t,)+) {
            type Table = fold_table!($($t)+);
            type Agg = fold_agg!($($t)+);
            #[allow(non_snake_case)]
            fn render_terms(&self, t: &mut WindowSql) {
                let ($($t,)+) = self;
                let mut first = true;
                $(
                    if !first {
                        t.0.text(", ");
                    }
                    first = false;
                    $t.render_term(t);
                )+
                let _ = first;
            }
        }
        impl<S, $($t: WindowOrderTermIn<S, $i>, $i),+> WindowOrderIn<S, ($($i,)+)> for ($($t,)+) {
            type Cols = fold_cols!($($t)+);
        }
    )*};
}

group_terms_tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
}

window_tuples! {
    (A IA)
    (A IA, B IB)
    (A IA, B IB, C IC)
    (A IA, B IB, C IC, D ID)
}

// ---------------------------------------------------------------------------------------------
// Frames

/// No frame clause: the backend's default (with an ORDER BY, from the partition's start to the
/// current row and its peers; without, the whole partition).
pub struct NoFrame;

#[derive(Clone, Copy)]
enum FrameUnit {
    Rows,
    Range,
}

/// `ROWS|RANGE BETWEEN start AND end`, built with [`Window::rows`] / [`Window::range`].
/// `N` is [`IsNull`] if the frame may hold no row (it starts after, or ends before, the
/// current row).
pub struct Frame<N> {
    unit: FrameUnit,
    start: Bound,
    end: Bound,
    _null: Ghost<N>,
}

/// The frame `.rows(start, end)` / `.range(start, end)` give.
pub type FrameOf<A, B> = Frame<<<A as FrameStart>::Null as NullFlag>::Or<<B as FrameEnd>::Null>>;

/// A window's frame clause (or none).
pub trait FrameSpec: Send + Sync + 'static {
    /// [`IsNull`] if the frame may hold no row.
    type Null: NullFlag;
    /// Writes the clause after `sep`.
    #[doc(hidden)]
    fn render_frame(&self, t: &mut WindowSql, sep: &str);
}

impl FrameSpec for NoFrame {
    type Null = NotNull;
    fn render_frame(&self, _: &mut WindowSql, _: &str) {}
}

impl<N: NullFlag> FrameSpec for Frame<N> {
    type Null = N;
    fn render_frame(&self, t: &mut WindowSql, sep: &str) {
        let t = &mut t.0;
        t.text(sep);
        t.text(match self.unit {
            FrameUnit::Rows => "ROWS BETWEEN ",
            FrameUnit::Range => "RANGE BETWEEN ",
        });
        self.start.render(t);
        t.text(" AND ");
        self.end.render(t);
    }
}

/// `UNBOUNDED PRECEDING`: the partition's first row.
#[derive(Debug, Clone, Copy)]
pub struct UnboundedPreceding;
/// `n PRECEDING`: `n` rows (or, with `RANGE`, ORDER BY units) before the current row.
#[derive(Debug, Clone, Copy)]
pub struct Preceding(pub u32);
/// `CURRENT ROW` (with `RANGE`, the current row and its peers).
#[derive(Debug, Clone, Copy)]
pub struct CurrentRow;
/// `n FOLLOWING`: `n` rows (or, with `RANGE`, ORDER BY units) after the current row.
#[derive(Debug, Clone, Copy)]
pub struct Following(pub u32);
/// `UNBOUNDED FOLLOWING`: the partition's last row.
#[derive(Debug, Clone, Copy)]
pub struct UnboundedFollowing;

#[derive(Clone, Copy)]
#[doc(hidden)]
pub enum Bound {
    UnboundedPreceding,
    Preceding(u32),
    CurrentRow,
    Following(u32),
    UnboundedFollowing,
}

impl Bound {
    fn render(self, t: &mut Template) {
        let (n, word) = match self {
            Bound::UnboundedPreceding => return t.text("UNBOUNDED PRECEDING"),
            Bound::CurrentRow => return t.text("CURRENT ROW"),
            Bound::UnboundedFollowing => return t.text("UNBOUNDED FOLLOWING"),
            Bound::Preceding(n) => (n, " PRECEDING"),
            Bound::Following(n) => (n, " FOLLOWING"),
        };
        match t.backend {
            // MariaDB takes only a literal offset: a `u32`, written as digits.
            Backend::MySql => {
                let _ = write!(t.sql, "{n}");
            }
            Backend::Postgres | Backend::Sqlite => {
                t.expr(SeaExpr::val(Value::BigInt(Some(i64::from(n)))))
            }
        }
        t.text(word);
    }
}

/// Where a frame may start: not `UnboundedFollowing`.
#[diagnostic::on_unimplemented(
    message = "a window frame cannot start at `{Self}`",
    label = "not a frame start",
    note = "start at `UnboundedPreceding`, `Preceding(n)`, `CurrentRow` or `Following(n)`"
)]
pub trait FrameStart: Send + Sync + 'static {
    /// [`IsNull`] if a frame starting here may miss the current row (it starts after it).
    type Null: NullFlag;
    /// The bound.
    #[doc(hidden)]
    fn bound(&self) -> Bound;
}

/// Where a frame may end: not `UnboundedPreceding`.
#[diagnostic::on_unimplemented(
    message = "a window frame cannot end at `{Self}`",
    label = "not a frame end",
    note = "end at `Preceding(n)`, `CurrentRow`, `Following(n)` or `UnboundedFollowing`"
)]
pub trait FrameEnd: Send + Sync + 'static {
    /// [`IsNull`] if a frame ending here may miss the current row (it ends before it).
    type Null: NullFlag;
    /// The bound.
    #[doc(hidden)]
    fn bound(&self) -> Bound;
}

#[diagnostic::do_not_recommend]
impl FrameStart for UnboundedPreceding {
    type Null = NotNull;
    fn bound(&self) -> Bound {
        Bound::UnboundedPreceding
    }
}
#[diagnostic::do_not_recommend]
impl FrameStart for Preceding {
    type Null = NotNull;
    fn bound(&self) -> Bound {
        Bound::Preceding(self.0)
    }
}
#[diagnostic::do_not_recommend]
impl FrameStart for CurrentRow {
    type Null = NotNull;
    fn bound(&self) -> Bound {
        Bound::CurrentRow
    }
}
#[diagnostic::do_not_recommend]
impl FrameStart for Following {
    type Null = IsNull;
    fn bound(&self) -> Bound {
        Bound::Following(self.0)
    }
}
#[diagnostic::do_not_recommend]
impl FrameEnd for Preceding {
    type Null = IsNull;
    fn bound(&self) -> Bound {
        Bound::Preceding(self.0)
    }
}
#[diagnostic::do_not_recommend]
impl FrameEnd for CurrentRow {
    type Null = NotNull;
    fn bound(&self) -> Bound {
        Bound::CurrentRow
    }
}
#[diagnostic::do_not_recommend]
impl FrameEnd for Following {
    type Null = NotNull;
    fn bound(&self) -> Bound {
        Bound::Following(self.0)
    }
}
#[diagnostic::do_not_recommend]
impl FrameEnd for UnboundedFollowing {
    type Null = NotNull;
    fn bound(&self) -> Bound {
        Bound::UnboundedFollowing
    }
}

// ---------------------------------------------------------------------------------------------
// Window functions

/// A function computed over a window: what `.over(..)` applies to.
pub trait WindowFunction: Send + Sync + 'static {
    /// Base SQL type of the result.
    type Base: BaseType;
    /// Nullability of the result, given whether the frame may be empty (`F`).
    type Null<F: NullFlag>: NullFlag;
    /// The first table its arguments mention.
    type Table: TableHint;
    /// The aggregation kind of its arguments.
    type Agg: AggKind;
    /// The call with its `OVER` clause (`over` adds the clause to a bare call).
    #[doc(hidden)]
    fn lower_over(&self, backend: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr;
}

/// The function's arguments use only tables in the source list `S`.
pub trait WindowFunctionIn<S, I> {
    /// Nullability of the result in that query, given whether the frame may be empty.
    type Null<F: NullFlag>: NullFlag;
    /// The columns its arguments use outside aggregates.
    type Cols;
}

/// A window function with its window: `f OVER (..)`, an expression.
pub struct Windowed<C, W> {
    call: C,
    window: W,
}

impl<C: WindowFunction, W: WindowSpec> Expression for Windowed<C, W> {
    type SqlType = <C::Null<W::FrameNull> as NullFlag>::Apply<C::Base>;
    type Table = <C::Table as TableHint>::Or<W::Table>;
    type Agg = Win<<C::Agg as AggKind>::With<W::Agg>>;
    fn lower(&self, b: Backend) -> SeaExpr {
        self.call.lower_over(b, &|call| self.window.over(call, b))
    }
}

impl<S, C, W, IC, IW> ValidIn<S, (IC, IW)> for Windowed<C, W>
where
    C: WindowFunction + WindowFunctionIn<S, IC>,
    W: WindowSpec + WindowIn<S, IW>,
{
    type Null = <C as WindowFunctionIn<S, IC>>::Null<W::FrameNull>;
    type Cols = Both<<C as WindowFunctionIn<S, IC>>::Cols, <W as WindowIn<S, IW>>::Cols>;
    type Key = NoCols;
}

crate::__expression_impls!(impl[C, W,] Windowed<C, W>);

macro_rules! over_method {
    (impl[$($g:tt)*] $ty:ty $(where $($w:tt)*)?) => {
        impl<$($g)*> $ty $(where $($w)*)? {
            /// Computes the function over `window` (`.over(Window::new()...)`): `f OVER (..)`.
            pub fn over<W: WindowSpec>(self, window: W) -> Windowed<Self, W> {
                Windowed { call: self, window }
            }
        }
    };
}

/// Which ranking function a [`Ranking`] is.
pub trait RankKind: Send + Sync + 'static {
    /// Its SQL name.
    const NAME: &'static str;
}
/// `ROW_NUMBER()`.
pub struct RowNumberFn;
/// `RANK()`.
pub struct RankFn;
/// `DENSE_RANK()`.
pub struct DenseRankFn;
impl RankKind for RowNumberFn {
    const NAME: &'static str = "ROW_NUMBER";
}
impl RankKind for RankFn {
    const NAME: &'static str = "RANK";
}
impl RankKind for DenseRankFn {
    const NAME: &'static str = "DENSE_RANK";
}

/// `ROW_NUMBER()`, `RANK()` or `DENSE_RANK()`: a `BigInt`, never NULL.
pub struct Ranking<K>(Ghost<K>);

/// `ROW_NUMBER()`: the row's number in its partition, from 1, in the window's order (ties in
/// any order).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub ms: i64 } }
/// let q = select((Track::id, row_number().over(Window::new().order_by(Track::ms))));
/// assert_eq!(q.to_sql(Backend::Sqlite).0, r#"SELECT "track"."id", ROW_NUMBER() OVER (ORDER BY "track"."ms" ASC) FROM "track""#);
/// ```
pub fn row_number() -> Ranking<RowNumberFn> {
    Ranking(Ghost::default())
}

/// `RANK()`: 1 + the number of rows before the row's peers (ties share a rank, then a gap).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub ms: i64 } }
/// let q = select(rank().over(Window::new().order_by(Track::ms.desc())));
/// assert_eq!(q.to_sql(Backend::Sqlite).0, r#"SELECT RANK() OVER (ORDER BY "track"."ms" DESC) FROM "track""#);
/// ```
pub fn rank() -> Ranking<RankFn> {
    Ranking(Ghost::default())
}

/// `DENSE_RANK()`: the rank of the row's peer group (ties share a rank, no gap).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub ms: i64 } }
/// let q = select(dense_rank().over(Window::new().order_by(Track::ms)));
/// assert_eq!(q.to_sql(Backend::MySql).0, "SELECT DENSE_RANK() OVER (ORDER BY `track`.`ms` ASC) FROM `track`");
/// ```
pub fn dense_rank() -> Ranking<DenseRankFn> {
    Ranking(Ghost::default())
}

impl<K: RankKind> WindowFunction for Ranking<K> {
    type Base = BigInt;
    type Null<F: NullFlag> = NotNull;
    type Table = NoTable;
    type Agg = NoColumns;
    fn lower_over(&self, _: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr {
        over(Func::cust(K::NAME).into())
    }
}
impl<K, S> WindowFunctionIn<S, ()> for Ranking<K> {
    type Null<F: NullFlag> = NotNull;
    type Cols = NoCols;
}
over_method!(impl[K: RankKind] Ranking<K>);

/// `NTILE(n)`: splits the partition, in the window's order, into `n` buckets as equal as
/// possible and gives the row's bucket, from 1; a `BigInt`, never NULL.
pub struct Ntile {
    n: u32,
}

/// `NTILE(n)` (`n` is bound; 0 is refused by the database).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub ms: i64 } }
/// let (sql, values) = select(ntile(4).over(Window::new().order_by(Track::ms))).to_sql(Backend::Postgres);
/// assert_eq!(sql, r#"SELECT CAST((NTILE($1) OVER (ORDER BY "track"."ms" ASC)) AS BIGINT) FROM "track""#);
/// assert_eq!(values.0, vec![4i32.into()]);
/// ```
pub fn ntile(n: u32) -> Ntile {
    Ntile { n }
}

impl WindowFunction for Ntile {
    type Base = BigInt;
    type Null<F: NullFlag> = NotNull;
    type Table = NoTable;
    type Agg = NoColumns;
    fn lower_over(&self, b: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr {
        let e = over(Func::cust("NTILE").arg(count_value(self.n)).into());
        match b {
            // PostgreSQL's NTILE is an INTEGER; the others' a BIGINT.
            Backend::Postgres => Func::cast_as(e, Alias::new("BIGINT")).into(),
            Backend::MySql | Backend::Sqlite => e,
        }
    }
}
impl<S> WindowFunctionIn<S, ()> for Ntile {
    type Null<F: NullFlag> = NotNull;
    type Cols = NoCols;
}
over_method!(impl[] Ntile);

/// No default for [`lag`]/[`lead`]: the result is NULL where the row is missing.
pub struct NoDefault;

/// `LAG(e, offset, default)` / `LEAD(..)`, built with [`lag`] / [`lead`].
pub struct Shift<E, D> {
    e: E,
    offset: u32,
    default: D,
    lead: bool,
}

/// `LAG(e)`: `e` on the row before in the window's order (NULL on the partition's first row);
/// `.offset(n)` goes `n` rows back, `.default(v)` replaces the missing row's NULL.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Invoice { #[primary_key] pub id: i64, pub total: i64 } }
/// let w = Window::new().order_by(Invoice::id);
/// let q = select((lag(Invoice::total).over(w), lag(Invoice::total).offset(2).default(0).over(Window::new().order_by(Invoice::id))));
/// assert_eq!(
///     q.to_sql(Backend::Postgres).0,
///     r#"SELECT LAG("invoice"."total") OVER (ORDER BY "invoice"."id" ASC), LAG("invoice"."total", $1, $2) OVER (ORDER BY "invoice"."id" ASC) FROM "invoice""#
/// );
/// ```
pub fn lag<E: Expression>(e: E) -> Shift<E, NoDefault> {
    Shift {
        e,
        offset: 1,
        default: NoDefault,
        lead: false,
    }
}

/// `LEAD(e)`: `e` on the row after in the window's order (NULL on the partition's last row);
/// `.offset(n)` and `.default(v)` as for [`lag`].
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Invoice { #[primary_key] pub id: i64, pub total: i64 } }
/// let q = select(lead(Invoice::total).over(Window::new().order_by(Invoice::id)));
/// assert_eq!(q.to_sql(Backend::MySql).0, "SELECT LEAD(`invoice`.`total`) OVER (ORDER BY `invoice`.`id` ASC) FROM `invoice`");
/// ```
pub fn lead<E: Expression>(e: E) -> Shift<E, NoDefault> {
    Shift {
        e,
        offset: 1,
        default: NoDefault,
        lead: true,
    }
}

impl<E: Expression, D> Shift<E, D> {
    /// Reads `n` rows away instead of 1 (`n` is bound).
    pub fn offset(mut self, n: u32) -> Self {
        self.offset = n;
        self
    }
}

impl<E: Expression> Shift<E, NoDefault> {
    /// The value where the row `offset` away is missing (of `e`'s SQL type): the result is
    /// then NULL only if `e` or the default may be.
    pub fn default<V: AsOperand<BaseOf<E::SqlType>>>(self, value: V) -> Shift<E, V::Expr> {
        Shift {
            e: self.e,
            offset: self.offset,
            default: value.into_operand(),
            lead: self.lead,
        }
    }
}

impl<E: Expression, D> Shift<E, D> {
    fn name(&self) -> &'static str {
        if self.lead { "LEAD" } else { "LAG" }
    }

    fn call(&self, arg: SeaExpr) -> SeaExpr {
        Func::cust(self.name())
            .args([arg, count_value(self.offset)])
            .into()
    }
}

impl<E: Expression> WindowFunction for Shift<E, NoDefault> {
    type Base = BaseOf<E::SqlType>;
    type Null<F: NullFlag> = IsNull;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower_over(&self, b: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr {
        let arg = self.e.lower(b);
        if self.offset == 1 {
            return over(Func::cust(self.name()).arg(arg).into());
        }
        over(self.call(arg))
    }
}
impl<S, I, E: ValidIn<S, I>> WindowFunctionIn<S, I> for Shift<E, NoDefault> {
    type Null<F: NullFlag> = IsNull;
    type Cols = E::Cols;
}

impl<E: Expression, D: Expression> WindowFunction for Shift<E, D> {
    type Base = BaseOf<E::SqlType>;
    type Null<F: NullFlag> = <NullOf<E::SqlType> as NullFlag>::Or<NullOf<D::SqlType>>;
    type Table = <E::Table as TableHint>::Or<D::Table>;
    type Agg = <E::Agg as AggKind>::With<D::Agg>;
    fn lower_over(&self, b: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr {
        let (arg, default) = (self.e.lower(b), self.default.lower(b));
        match b {
            Backend::Postgres | Backend::Sqlite => over(
                Func::cust(self.name())
                    .args([arg, count_value(self.offset), default])
                    .into(),
            ),
            // MariaDB's LAG and LEAD take no default: the row is missing where the same shift
            // of a constant is NULL (a NULL `e` on a present row stays NULL).
            Backend::MySql => {
                let probe = over(self.call(SeaExpr::Constant(1i32.into())));
                let mut t = Template::new(b);
                t.text("CASE WHEN ");
                t.expr(probe);
                t.text(" IS NULL THEN ");
                t.expr(default);
                t.text(" ELSE ");
                t.expr(over(self.call(arg)));
                t.text(" END");
                t.finish()
            }
        }
    }
}
impl<S, I, J, E: ValidIn<S, I>, D: ValidIn<S, J>> WindowFunctionIn<S, (I, J)> for Shift<E, D> {
    type Null<F: NullFlag> = <E::Null as NullFlag>::Or<D::Null>;
    type Cols = Both<E::Cols, D::Cols>;
}
over_method!(impl[E: Expression, D] Shift<E, D>);

/// `FIRST_VALUE(e)` / `LAST_VALUE(e)`, built with [`first_value`] / [`last_value`].
pub struct Edge<E> {
    e: E,
    last: bool,
}

/// `FIRST_VALUE(e)`: `e` on the first row of the frame; NULL only if `e` may be, or the frame
/// may hold no row.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub album_id: i64, pub ms: i64 } }
/// let w = Window::new().partition_by(Track::album_id).order_by(Track::ms.desc());
/// let q = select(first_value(Track::id).over(w));
/// assert_eq!(q.to_sql(Backend::Sqlite).0, r#"SELECT FIRST_VALUE("track"."id") OVER (PARTITION BY "track"."album_id" ORDER BY "track"."ms" DESC) FROM "track""#);
/// ```
pub fn first_value<E: Expression>(e: E) -> Edge<E> {
    Edge { e, last: false }
}

/// `LAST_VALUE(e)`: `e` on the last row of the frame (with an ORDER BY and no frame, the
/// current row's last peer: use `.rows(UnboundedPreceding, UnboundedFollowing)` for the
/// partition's last row).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub ms: i64 } }
/// let w = Window::new().order_by(Track::ms).rows(UnboundedPreceding, UnboundedFollowing);
/// let q = select(last_value(Track::id).over(w));
/// assert_eq!(q.to_sql(Backend::Sqlite).0, r#"SELECT LAST_VALUE("track"."id") OVER (ORDER BY "track"."ms" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM "track""#);
/// ```
pub fn last_value<E: Expression>(e: E) -> Edge<E> {
    Edge { e, last: true }
}

impl<E: Expression> WindowFunction for Edge<E> {
    type Base = BaseOf<E::SqlType>;
    type Null<F: NullFlag> = <NullOf<E::SqlType> as NullFlag>::Or<F>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower_over(&self, b: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr {
        let name = if self.last {
            "LAST_VALUE"
        } else {
            "FIRST_VALUE"
        };
        over(Func::cust(name).arg(self.e.lower(b)).into())
    }
}
impl<S, I, E: ValidIn<S, I>> WindowFunctionIn<S, I> for Edge<E> {
    type Null<F: NullFlag> = <E::Null as NullFlag>::Or<F>;
    type Cols = E::Cols;
}
over_method!(impl[E: Expression] Edge<E>);

/// An aggregate that may be computed over a window (`SUM(x) OVER (..)`).
pub trait WindowAggregate: FuncKind {
    /// The bare aggregate call, before `OVER`.
    #[doc(hidden)]
    fn bare(arg: SeaExpr) -> SeaExpr;
    /// What wraps `call OVER (..)` (AVG's cast to a double).
    #[doc(hidden)]
    fn finish(e: SeaExpr, _backend: Backend) -> SeaExpr {
        e
    }
}
impl WindowAggregate for CountFn {
    fn bare(arg: SeaExpr) -> SeaExpr {
        Func::count(arg).into()
    }
}
impl WindowAggregate for SumFn {
    fn bare(arg: SeaExpr) -> SeaExpr {
        Func::sum(arg).into()
    }
}
impl WindowAggregate for MinFn {
    fn bare(arg: SeaExpr) -> SeaExpr {
        Func::min(arg).into()
    }
}
impl WindowAggregate for MaxFn {
    fn bare(arg: SeaExpr) -> SeaExpr {
        Func::max(arg).into()
    }
}
impl WindowAggregate for AvgFn {
    fn bare(arg: SeaExpr) -> SeaExpr {
        Func::avg(arg).into()
    }
    fn finish(e: SeaExpr, b: Backend) -> SeaExpr {
        match b {
            // SQLite's AVG already is a double.
            Backend::Sqlite => e,
            Backend::Postgres | Backend::MySql => Func::cast_as(
                e,
                Alias::new(super::functions::cast_type_name(SqlKind::Double, b)),
            )
            .into(),
        }
    }
}

impl<E: Expression, F: WindowAggregate> WindowFunction for Call<E, F> {
    type Base = F::Base<BaseOf<E::SqlType>>;
    type Null<Fr: NullFlag> = F::Null<NullOf<E::SqlType>>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower_over(&self, b: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr {
        F::finish(over(F::bare(self.arg.lower(b))), b)
    }
}
impl<S, I, E: ValidIn<S, I>, F: WindowAggregate> WindowFunctionIn<S, I> for Call<E, F> {
    type Null<Fr: NullFlag> = F::Null<E::Null>;
    type Cols = E::Cols;
}
over_method!(impl[E: Expression, F: WindowAggregate] Call<E, F>);

impl WindowFunction for CountAll {
    type Base = BigInt;
    type Null<F: NullFlag> = NotNull;
    type Table = NoTable;
    type Agg = NoColumns;
    fn lower_over(&self, b: Backend, over: &dyn Fn(SeaExpr) -> SeaExpr) -> SeaExpr {
        over(self.lower(b))
    }
}
impl<S> WindowFunctionIn<S, ()> for CountAll {
    type Null<F: NullFlag> = NotNull;
    type Cols = NoCols;
}
over_method!(impl[] CountAll);
