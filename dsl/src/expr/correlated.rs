//! Correlated subqueries written freely: a subquery that reads the enclosing query's row
//! (SQLAlchemy's `.correlate()`), checked on both sides.
//!
//! A subquery may name a table it neither selects from nor joins only once it declares it as an
//! outer table with [`Select::correlate`]; the `EXISTS`, scalar or `IN` subquery made from it is
//! then usable only in a query that selects from (or joins) that table ([`CorrelatedIn`]). The
//! outer table is named as the enclosing query names it: an [`alias!`](crate::alias) is
//! correlated as itself (`.correlate::<Editor>()`), and inside a relationship condition
//! (`User::posts.any(..)`) the related table's alias (`posts_any`) is used.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub likes: i32 } }
//! let posts = select(count_all())
//!     .from(Post::TABLE)
//!     .correlate::<User>()
//!     .filter(Post::author_id.eq(User::id));
//! let q = select((User::name, posts.scalar()));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "user"."name", (SELECT COUNT(*) FROM "post" WHERE "post"."author_id" = "user"."id") FROM "user""#
//! );
//! ```

use sea_query::{Expr as SeaExpr, ExprTrait};

use super::aggregate::{AggKind, FitsGrouping, NoColumns, Plain};
use super::subquery::AnySubquery;
use super::{BaseOf, Expression, Ghost, NoTable, ValidIn};
use crate::backend::Backend;
use crate::expr::grouping::NoCols;
use crate::schema::alias::TableRef;
use crate::schema::sources::{Cons, HasTable, Nil, Outer, Src};
use crate::sql_types::{Nullable, SqlType};
use crate::stmt::select::Select;
use crate::stmt::selection::{Selection, SelectionFits, SelectionIn};

impl<S, Sel: Selection, R, G: crate::expr::aggregate::Grouping> Select<S, Sel, R, G> {
    /// Declares `M`, a table of the enclosing query, as read by this subquery: its columns become
    /// usable here (as possibly NULL: the outer row may come from an outer join), and the
    /// subquery is then usable only in a query that selects from or joins `M`.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub likes: i32 } }
    /// let liked = Post::select().correlate::<User>().filter(Post::author_id.eq(User::id).and(Post::likes.gt(10)));
    /// let q = select(User::name).filter(exists(liked));
    /// assert_eq!(
    ///     q.to_sql(Backend::Sqlite).0,
    ///     r#"SELECT "user"."name" FROM "user" WHERE EXISTS(SELECT "post"."id", "post"."author_id", "post"."likes" FROM "post" WHERE "post"."author_id" = "user"."id" AND "post"."likes" > ?)"#
    /// );
    /// ```
    pub fn correlate<M: TableRef>(self) -> Select<Cons<Outer<M>, S>, Sel, R, G::Joined> {
        self.push_outer(M::NAME)
    }
}

/// Whether a subquery with sources `Self` reads outer tables: [`Plain`] if it does (it then
/// reads the outer row's columns), [`NoColumns`] if not.
pub trait Correlation {
    /// How the subquery stands with respect to the outer query's aggregation.
    type Agg: AggKind;
}

impl Correlation for Nil {
    type Agg = NoColumns;
}
impl<M, N, R: Correlation> Correlation for Cons<Src<M, N>, R> {
    type Agg = R::Agg;
}
impl<M, R> Correlation for Cons<Outer<M>, R> {
    type Agg = Plain;
}

/// The sources `Self` name no outer table: the query can run on its own (a query declared with
/// [`correlate`](Select::correlate) is embedded in another instead).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// fn runs<Q: Query<I>, I>(_: &Q) {}
/// runs(&select(User::name));
/// ```
#[diagnostic::on_unimplemented(
    message = "this query reads the row of an enclosing query (`.correlate::<..>()`): it cannot run on its own",
    label = "a correlated subquery",
    note = "embed it in the query it correlates with: `exists(q)`, `not_exists(q)`, `q.scalar()` or `expr.in_query(q)`"
)]
pub trait Standalone {}

impl Standalone for Nil {}

#[diagnostic::do_not_recommend]
impl<M, N, R: Standalone> Standalone for Cons<Src<M, N>, R> {}

/// Every outer table of a subquery with sources `Self` is in the enclosing query's sources `SO`.
#[diagnostic::on_unimplemented(
    message = "this correlated subquery reads a table that the outer query does not select from",
    label = "the subquery was declared `.correlate::<Table>()` with a table missing here",
    note = "select from or join the table the subquery correlates with in the outer query"
)]
pub trait CorrelatedIn<SO, I> {}

#[diagnostic::do_not_recommend]
impl<SO> CorrelatedIn<SO, ()> for Nil {}

impl<SO, M, N, R, I> CorrelatedIn<SO, I> for Cons<Src<M, N>, R> where R: CorrelatedIn<SO, I> {}

impl<SO, M, R, I, J> CorrelatedIn<SO, (I, J)> for Cons<Outer<M>, R>
where
    SO: OuterHas<M, I>,
    R: CorrelatedIn<SO, J>,
{
}

/// The enclosing query's sources `Self` contain `M`, a table a subquery correlates with.
#[diagnostic::on_unimplemented(
    message = "correlated subquery reads table `{M}`, which the outer query does not select from",
    label = "the subquery declares `.correlate::<{M}>()`, but `{M}` is neither selected from nor joined here",
    note = "use the subquery in a query over `{M}`, or join `{M}` first: `.join({M}::TABLE.on(condition))`"
)]
pub trait OuterHas<M, I> {}

#[diagnostic::do_not_recommend]
impl<SO: HasTable<M, I>, M, I> OuterHas<M, I> for SO {}

/// `[NOT] EXISTS (subquery)`: made by [`exists`] and [`not_exists`]; `S` are the subquery's
/// sources (what it correlates with).
pub struct Exists<S> {
    q: Box<dyn AnySubquery>,
    negated: bool,
    _s: Ghost<S>,
}

/// `EXISTS (query)`: true when `query` returns a row. A query declared with
/// [`correlate`](Select::correlate) reads the outer query's row; the others stand on their own.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub likes: i32 } }
/// let q = select(User::name).filter(exists(select(Post::id).filter(Post::likes.gt(100))));
/// assert_eq!(
///     q.to_sql(Backend::Sqlite).0,
///     r#"SELECT "user"."name" FROM "user" WHERE EXISTS(SELECT "post"."id" FROM "post" WHERE "post"."likes" > ?)"#
/// );
/// ```
pub fn exists<S, Sel, R, G, I>(query: Select<S, Sel, R, G>) -> Exists<S>
where
    Sel: SelectionIn<S, I> + SelectionFits<S, I, G>,
    Sel::Agg: FitsGrouping<G>,
    Select<S, Sel, R, G>: AnySubquery,
{
    Exists {
        q: Box::new(query),
        negated: false,
        _s: Ghost::default(),
    }
}

/// `NOT EXISTS (query)`: true when `query` returns no row.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64 } }
/// let mine = Post::select().correlate::<User>().filter(Post::author_id.eq(User::id));
/// let q = select(User::name).filter(not_exists(mine));
/// assert_eq!(
///     q.to_sql(Backend::Postgres).0,
///     r#"SELECT "user"."name" FROM "user" WHERE NOT EXISTS(SELECT "post"."id", "post"."author_id" FROM "post" WHERE "post"."author_id" = "user"."id")"#
/// );
/// ```
pub fn not_exists<S, Sel, R, G, I>(query: Select<S, Sel, R, G>) -> Exists<S>
where
    Sel: SelectionIn<S, I> + SelectionFits<S, I, G>,
    Sel::Agg: FitsGrouping<G>,
    Select<S, Sel, R, G>: AnySubquery,
{
    Exists {
        negated: true,
        ..exists(query)
    }
}

impl<S: Correlation + 'static> Expression for Exists<S> {
    type SqlType = crate::sql_types::Bool;
    type Table = NoTable;
    type Agg = S::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let e = SeaExpr::exists(self.q.subquery(b));
        if self.negated { e.not() } else { e }
    }
}

impl<SO, S, I> ValidIn<SO, I> for Exists<S>
where
    S: Correlation + CorrelatedIn<SO, I> + 'static,
{
    type Null = crate::sql_types::NotNull;
    type Cols = NoCols;
    type Key = NoCols;
}

crate::__expression_impls!(impl[S: Correlation + 'static,] Exists<S>);

/// `(subquery)`: a query selecting one value, used as a value (SQLAlchemy's
/// `scalar_subquery()`); made by [`Select::scalar`]. It is NULL when the query returns no row.
pub struct ScalarQuery<S, T> {
    q: Box<dyn AnySubquery>,
    _p: Ghost<(S, T)>,
}

impl<S, E, R, G> Select<S, E, R, G> {
    /// This query (selecting one expression) as a value: `(SELECT ..)`, usable in the selection,
    /// filters and ordering of another query; NULL when it returns no row.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub likes: i32 } }
    /// let most = select(max(Post::likes)).filter(Post::author_id.eq(7));
    /// let q = select(Post::id).filter(Post::likes.ge(most.scalar()));
    /// assert_eq!(
    ///     q.to_sql(Backend::Sqlite).0,
    ///     r#"SELECT "post"."id" FROM "post" WHERE "post"."likes" >= (SELECT MAX("post"."likes") FROM "post" WHERE "post"."author_id" = ?)"#
    /// );
    /// ```
    pub fn scalar<I>(self) -> ScalarQuery<S, Nullable<BaseOf<E::SqlType>>>
    where
        E: Expression + SelectionIn<S, I> + SelectionFits<S, I, G>,
        <E as Selection>::Agg: FitsGrouping<G>,
        Select<S, E, R, G>: AnySubquery,
    {
        ScalarQuery {
            q: Box::new(self),
            _p: Ghost::default(),
        }
    }
}

impl<S: Correlation + 'static, T: SqlType> Expression for ScalarQuery<S, T> {
    type SqlType = T;
    type Table = NoTable;
    type Agg = S::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        SeaExpr::SubQuery(None, Box::new(self.q.subquery(b).into()))
    }
}

impl<SO, S, T: SqlType, I> ValidIn<SO, I> for ScalarQuery<S, T>
where
    S: Correlation + CorrelatedIn<SO, I> + 'static,
{
    type Null = T::Null;
    type Cols = NoCols;
    type Key = NoCols;
}

crate::__expression_impls!(impl[S: Correlation + 'static, T: SqlType,] ScalarQuery<S, T>);
