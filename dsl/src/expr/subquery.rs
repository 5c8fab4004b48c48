//! Subqueries in expressions: `expr.in_query(select(..))` and `exists(select(..))`.
//!
//! A subquery is a complete query of its own (its columns are checked against its own FROM and
//! joins); `in_query` also checks that it selects one value of the compared SQL type.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub likes: i32 } }
//! let popular = select(Post::author_id).filter(Post::likes.gt(10));
//! let q = select(User::name).filter(User::id.in_query(popular));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "user"."name" FROM "user" WHERE "user"."id" IN (SELECT "post"."author_id" FROM "post" WHERE "post"."likes" > $1)"#
//! );
//! ```

use sea_query::{Expr as SeaExpr, ExprTrait, SelectStatement};

use super::aggregate::{AggKind, FitsGrouping};
use super::correlated::{CorrelatedIn, Correlation};
use super::{Expression, Ghost, NullOf, ValidIn};
use crate::backend::Backend;
use crate::schema::sources::Nil;
use crate::sql_types::{BaseType, Bool, NullFlag, Nullable};
use crate::stmt::select::Select;
use crate::stmt::selection::{SelectionFits, SelectionIn};

/// A complete query selecting one value of base SQL type `ST`: what `in_query` takes.
#[diagnostic::on_unimplemented(
    message = "this subquery does not select one value of SQL type `{ST}`",
    label = "`in_query` compares with a subquery selecting one column of the same SQL type",
    note = "select a single column or expression of that type: `select(Post::author_id)`"
)]
pub trait ScalarSubquery<ST, I>: AnySubquery {
    /// Whether the selected value may be NULL.
    type Null: NullFlag;
    /// The subquery's sources: the outer tables it correlates with, if any.
    type Sources: Correlation + 'static;
}

/// The subquery selects a value of SQL type `Self` where one of base type `ST` is compared.
#[diagnostic::on_unimplemented(
    message = "this subquery selects a value of SQL type `{Self}`, compared with `{ST}`",
    label = "the subquery's column has another SQL type",
    note = "select a column of the compared type, or convert it with `cast::<sql_types::T, _>(..)`"
)]
pub trait SubqueryValue<ST> {}
impl<T: BaseType> SubqueryValue<T> for T {}
impl<T: BaseType> SubqueryValue<T> for Nullable<T> {}

impl<S, E, R, G, I, ST> ScalarSubquery<ST, I> for Select<S, E, R, G>
where
    E: Expression + SelectionIn<S, I> + SelectionFits<S, I, G>,
    E::SqlType: SubqueryValue<ST>,
    <E as Expression>::Agg: FitsGrouping<G>,
    Select<S, E, R, G>: AnySubquery,
    S: Correlation + 'static,
{
    type Null = NullOf<E::SqlType>;
    type Sources = S;
}

/// A complete query, rendered where it is embedded: the argument of [`exists`] and `in_query`.
pub trait AnySubquery: Send + Sync + 'static {
    /// Lowers the subquery.
    #[doc(hidden)]
    fn subquery(&self, backend: Backend) -> SelectStatement;
}

impl<S, Sel, R, G> AnySubquery for Select<S, Sel, R, G>
where
    Select<S, Sel, R, G>: Send + Sync + 'static,
    Sel: crate::stmt::selection::Selection,
{
    fn subquery(&self, backend: Backend) -> SelectStatement {
        self.to_sea(backend)
    }
}

/// `e [NOT] IN (subquery)`: made by [`in_query`](super::methods::ExpressionMethods::in_query); `N`
/// is the nullability of the subquery's value, `S` its sources (the outer tables it correlates
/// with, if any).
pub struct InQuery<E, N, S = Nil> {
    pub(crate) e: E,
    pub(crate) q: Box<dyn AnySubquery>,
    pub(crate) negated: bool,
    pub(crate) _n: Ghost<(N, S)>,
}

impl<E: Expression, N: NullFlag, S: Correlation + 'static> Expression for InQuery<E, N, S> {
    type SqlType = <<NullOf<E::SqlType> as NullFlag>::Or<N> as NullFlag>::Apply<Bool>;
    type Table = E::Table;
    type Agg = <E::Agg as AggKind>::With<S::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        let sub = self.q.subquery(b);
        let e = self.e.lower(b);
        if self.negated {
            e.not_in_subquery(sub)
        } else {
            e.in_subquery(sub)
        }
    }
}

impl<SO, E: ValidIn<SO, IE>, N: NullFlag, S, IE, IS> ValidIn<SO, (IE, IS)> for InQuery<E, N, S>
where
    S: Correlation + CorrelatedIn<SO, IS> + 'static,
{
    type Null = <E::Null as NullFlag>::Or<N>;
    type Cols = E::Cols;
    type Key = super::grouping::NoCols;
}

pub use super::correlated::{Exists, exists, not_exists};

crate::__expression_impls!(impl[E, N, S: Correlation + 'static,] InQuery<E, N, S>);
