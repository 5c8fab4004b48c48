//! Typed expressions: every expression carries its SQL type (and nullability) in its Rust type.
//!
//! - [`Expression`]: the static SQL type of a node and how it lowers to sea-query.
//! - [`ValidIn`]: the node only uses tables that are in the query's FROM clause.
//! - [`AsOperand`] / [`AsValue`]: what may stand on the right of a comparison or in `set(..)`.
//! - [`methods::ExpressionMethods`]: `eq`, `like`, `in_`, `asc`, ... on every expression.

pub mod aggregate;
pub mod boxed;
pub mod correlated;
pub mod dates;
pub mod distinct_agg;
pub mod functions;
pub mod grouping;
pub mod json_path;
pub mod math;
pub mod methods;
pub mod operators;
pub mod related;
pub mod subquery;
mod template;
pub mod text;
mod values;
pub mod window;

use std::marker::PhantomData;

use sea_query::{BinOper, Expr as SeaExpr};

use crate::backend::Backend;
use crate::schema::Model;
use crate::schema::sources::{From1, Nil};
use crate::sql_types::{BaseType, NullFlag, SqlType};

pub use values::BaseTypeOf;
pub use values::{AsOperand, AsValue, AssignableTo, Bind, IntoExpr, SameBase};

/// A typed SQL expression.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// use azoth_dsl::sql_types::{Bool, Text};
/// fn is_text<E: Expression<SqlType = Text>>(_: E) {}
/// fn is_bool<E: Expression<SqlType = Bool>>(_: E) {}
/// is_text(User::name);
/// is_bool(User::name.eq("ann"));
/// ```
pub trait Expression: Send + Sync + 'static {
    /// The static SQL type, nullability included.
    type SqlType: SqlType;
    /// The first table this expression mentions ([`NoTable`] if none): the FROM of `select(..)`.
    type Table: TableHint;
    /// Whether it aggregates ([`aggregate::AggKind`]): a plain column, an aggregate, both, or
    /// neither.
    type Agg: aggregate::AggKind;
    /// Lowers to a sea-query expression for `backend`.
    #[doc(hidden)]
    fn lower(&self, backend: Backend) -> SeaExpr;
    /// The name given with [`label`](functions::label), if any.
    #[doc(hidden)]
    fn selected_name(&self) -> Option<&'static str> {
        None
    }
    /// Adds its shape (what decides its SQL text for `backend`) and its bound values, in
    /// placeholder order, to `s` ([`shape`](crate::shape)); by default it is rendered each time.
    #[doc(hidden)]
    fn shape(&self, backend: Backend, s: &mut crate::shape::Shape) {
        let _ = backend;
        s.uncacheable();
    }
}

/// The expression uses only tables in the source list `S` (`I` is an inferred witness).
///
/// `Null` is the nullability the expression has in that query: a column of the right side of a
/// LEFT JOIN may be NULL there even when the column itself is `NOT NULL`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` uses a table that is not in the FROM clause of this query",
    label = "its table is neither selected from nor joined",
    note = "join the table first: `.join(Model::TABLE.on(condition))` or along a relationship"
)]
pub trait ValidIn<S, I>: Expression {
    /// Nullability of the expression in this query.
    type Null: NullFlag;
    /// The columns it uses outside aggregates, as a tree ([`grouping`]): what a grouped query
    /// must group by.
    type Cols;
    /// What it covers as a `GROUP BY` term: itself if it is a column, else nothing
    /// ([`grouping::NoCols`]).
    type Key;
}

/// Object-safe lowering, for clauses stored as data (`filter`, `order_by`, ...).
pub trait Lower: Send + Sync {
    /// Lowers to a sea-query expression for `backend`.
    fn lower_dyn(&self, backend: Backend) -> SeaExpr;
    /// [`Expression::shape`], object-safe.
    fn shape_dyn(&self, backend: Backend, s: &mut crate::shape::Shape);
}

impl<E: Expression> Lower for E {
    fn lower_dyn(&self, backend: Backend) -> SeaExpr {
        self.lower(backend)
    }
    fn shape_dyn(&self, backend: Backend, s: &mut crate::shape::Shape) {
        self.shape(backend, s)
    }
}

/// A lowered-on-demand expression stored in a statement.
pub type DynExpr = Box<dyn Lower>;

/// No table: the [`Expression::Table`] of values and `count_all()`.
pub struct NoTable;

/// Type-level "first table found": `A or else B`, and the FROM list it gives.
pub trait TableHint {
    /// `Self` unless it is [`NoTable`], then `B`.
    type Or<B: TableHint>: TableHint;
    /// The source list of a query selecting from this table ([`Nil`] for none).
    type Sources;
    /// The SQL name of the table, if any.
    const NAME: Option<&'static str>;
}
impl TableHint for NoTable {
    type Or<B: TableHint> = B;
    type Sources = Nil;
    const NAME: Option<&'static str> = None;
}
impl<M: Model> TableHint for M {
    type Or<B: TableHint> = M;
    type Sources = From1<M>;
    const NAME: Option<&'static str> = Some(M::TABLE_NAME);
}

/// `1 = 1` (`true`) or `1 = 0` (`false`): a condition that needs no value, for empty lists and
/// NULL keys. Constants, not user data.
pub(crate) fn truth(value: bool) -> SeaExpr {
    use sea_query::ExprTrait;
    SeaExpr::Constant(1i32.into()).eq(SeaExpr::Constant(i32::from(value).into()))
}

/// `a AND b AND ..`, or [`truth`]`(if_empty)` for no condition at all.
pub(crate) fn conjunction(exprs: impl IntoIterator<Item = SeaExpr>, if_empty: bool) -> SeaExpr {
    chain(exprs, BinOper::And, if_empty)
}

/// Terms chained one after the other before a chain is nested in parentheses.
const RUN: usize = 16;

/// `a op b op ..` (`op` is AND or OR), or [`truth`]`(if_empty)` for no term, as a tree at most
/// `16 × log16(n)` deep: runs of 16 terms are chained, runs of runs are parenthesized. A chain
/// nested once per term would overflow the stack when rendered or dropped (a few thousand
/// run-time conditions) and SQLite's expression depth limit (1,000).
pub(crate) fn chain(
    exprs: impl IntoIterator<Item = SeaExpr>,
    op: BinOper,
    if_empty: bool,
) -> SeaExpr {
    let mut level: Vec<SeaExpr> = exprs.into_iter().collect();
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len().div_ceil(RUN));
        let mut terms = level.into_iter();
        while let Some(first) = terms.next() {
            next.push(terms.by_ref().take(RUN - 1).fold(first, |acc, e| {
                SeaExpr::Binary(Box::new(acc), op, Box::new(e))
            }));
        }
        level = next;
    }
    level.pop().unwrap_or_else(|| truth(if_empty))
}

/// Shorthand: nullability of a SQL type.
pub type NullOf<T> = <T as SqlType>::Null;
/// Shorthand: base of a SQL type.
pub type BaseOf<T> = <T as SqlType>::Base;
/// Shorthand: the Rust type of a base SQL type.
pub type RustOf<T> = <T as BaseType>::Rust;

/// A marker that keeps a type parameter without owning it.
pub(crate) type Ghost<T> = PhantomData<fn() -> T>;
