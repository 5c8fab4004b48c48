//! A query passed where a condition belongs (`filter(select(..))`): one error that says so,
//! instead of "not in the FROM clause".

use sea_query::Expr as SeaExpr;

use crate::backend::Backend;
use crate::expr::aggregate::NoColumns;
use crate::expr::grouping::NoCols;
use crate::expr::{Expression, NoTable, ValidIn};
use crate::sql_types::{Bool, NotNull};
use crate::stmt::select::Select;

/// What the query selects, as the subject of [`QueryIsNotACondition`].
pub struct Subquery<Sel>(std::marker::PhantomData<fn() -> Sel>);

/// Never implemented: a query is not a condition.
#[diagnostic::on_unimplemented(
    message = "a query is not a condition: `filter(..)` takes a condition such as `Post::likes.gt(10)`",
    label = "this is a query",
    note = "test the query with `exists(query)` (it returns a row) or `column.in_query(query)` (its one column holds the value)"
)]
pub trait QueryIsNotACondition {
    /// Never called: no type implements this trait.
    fn never(&self) -> SeaExpr;
}

impl<S, Sel, R, G> Expression for Select<S, Sel, R, G>
where
    Self: Send + Sync + 'static,
    Subquery<Sel>: QueryIsNotACondition,
{
    type SqlType = Bool;
    type Table = NoTable;
    type Agg = NoColumns;
    fn lower(&self, _: Backend) -> SeaExpr {
        Subquery(std::marker::PhantomData).never()
    }
}

impl<S, Sel, R, G, Src, I> ValidIn<Src, I> for Select<S, Sel, R, G>
where
    Self: Expression,
    Subquery<Sel>: QueryIsNotACondition,
{
    type Null = NotNull;
    type Cols = NoCols;
    type Key = NoCols;
}
