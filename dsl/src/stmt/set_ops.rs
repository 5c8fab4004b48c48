//! Set operations of selections with the same row type: `union`, `union_all`, `intersect`,
//! `except`, with ORDER BY / LIMIT / OFFSET on the whole (SQLAlchemy's `union(..)`,
//! `union_all(..)`, `intersect(..)`, `except_(..)`).
//!
//! Each part keeps its own clauses; a part with its own ORDER BY or LIMIT is read as a derived
//! table, so that its clauses stay its own. `intersect` binds tighter than `union` and `except`
//! on PostgreSQL and MySQL but not on SQLite, so it is offered only before any `union`/`except`
//! (where every backend reads the chain the same, left to right).
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//! # azoth_dsl::model! { pub struct Admin { #[primary_key] pub id: i64, pub login: String } }
//! let q = select(User::name).union(select(Admin::login)).order_by(User::name).limit(10);
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "user"."name" FROM "user" UNION (SELECT "admin"."login" FROM "admin") ORDER BY "name" ASC LIMIT $1"#
//! );
//! assert_eq!(
//!     q.to_sql(Backend::Sqlite).0,
//!     r#"SELECT "user"."name" FROM "user" UNION SELECT "admin"."login" FROM "admin" ORDER BY "name" ASC LIMIT ?"#
//! );
//! ```

use sea_query::{Alias, Asterisk, Expr as SeaExpr, SelectStatement, UnionType};

use super::order::{OrderItem, OrderList};
use super::select::{Query, Select};
use crate::backend::Backend;
use crate::expr::Ghost;
use crate::lower::{Rendered, render, unqualified};

/// Two selections of different row types combined: what `union` and friends refuse.
#[diagnostic::on_unimplemented(
    message = "a UNION, INTERSECT or EXCEPT of selections with different row types: `{Self}` and `{R}`",
    label = "this selection's rows are `{Self}`, the first one's `{R}`",
    note = "select the same number of values with the same types, in the same order, on both sides; where only nullability differs, name the rows with `.row::<(Option<T>, ..), _>()`"
)]
pub trait SameRows<R> {}
impl<R> SameRows<R> for R {}

/// The chain so far has only `INTERSECT`s (another may follow).
pub struct OnlyIntersect;
/// The chain has a `UNION` or `EXCEPT` (no `INTERSECT` may follow).
pub struct WithUnion;

/// One part of a set operation, lowered when rendered: `n`th in the chain; `own_scope` when it
/// has its own ORDER BY or LIMIT, or is itself a set operation.
struct Part {
    lower: Box<dyn Fn(Backend, &'static [&'static str]) -> SelectStatement + Send + Sync>,
    own_scope: bool,
    n: usize,
}

/// Selections combined by `UNION`, `INTERSECT` or `EXCEPT`, with rows `Row`; `S` is the first
/// selection's sources (what [`order_by`](SetOp::order_by) may name), `K` what may follow.
pub struct SetOp<S, Row, K> {
    first: Part,
    rest: Vec<(UnionType, Part)>,
    order_by: Vec<OrderItem>,
    limit: Option<u64>,
    offset: Option<u64>,
    _p: Ghost<(S, Row, K)>,
}

/// `q` as the `n`th part of a chain.
fn part<Q: Query<I> + 'static, I>(q: Q, n: usize) -> Part {
    Part {
        own_scope: q.needs_own_scope(),
        lower: Box::new(move |b, names| q.to_sea_select_as(b, names)),
        n,
    }
}

impl Part {
    /// The part as the chain reads it: `stmt`, its statement, or `SELECT * FROM (stmt)` when it
    /// needs its own scope.
    fn scoped(&self, stmt: SelectStatement) -> SelectStatement {
        if !self.own_scope {
            return stmt;
        }
        let mut outer = SelectStatement::new();
        outer
            .column(Asterisk)
            .from_subquery(stmt, Alias::new(format!("part{}", self.n)));
        outer
    }
}

impl<S, Sel, R, G> Select<S, Sel, R, G> {
    fn combine<I, Q2, I2, K>(self, ty: UnionType, other: Q2) -> SetOp<S, <Self as Query<I>>::Row, K>
    where
        Self: Query<I> + 'static,
        Q2: Query<I2> + 'static,
    {
        SetOp {
            first: part(self, 1),
            rest: vec![(ty, part(other, 2))],
            order_by: Vec::new(),
            limit: None,
            offset: None,
            _p: Ghost::default(),
        }
    }

    /// `self UNION other`: the rows of both, without duplicates.
    pub fn union<I, Q2, I2>(self, other: Q2) -> SetOp<S, <Self as Query<I>>::Row, WithUnion>
    where
        Self: Query<I> + 'static,
        Q2: Query<I2> + 'static,
        <Q2 as Query<I2>>::Row: SameRows<<Self as Query<I>>::Row>,
    {
        self.combine(UnionType::Distinct, other)
    }

    /// `self UNION ALL other`: the rows of both, duplicates kept.
    pub fn union_all<I, Q2, I2>(self, other: Q2) -> SetOp<S, <Self as Query<I>>::Row, WithUnion>
    where
        Self: Query<I> + 'static,
        Q2: Query<I2> + 'static,
        <Q2 as Query<I2>>::Row: SameRows<<Self as Query<I>>::Row>,
    {
        self.combine(UnionType::All, other)
    }

    /// `self INTERSECT other`: the rows in both.
    pub fn intersect<I, Q2, I2>(self, other: Q2) -> SetOp<S, <Self as Query<I>>::Row, OnlyIntersect>
    where
        Self: Query<I> + 'static,
        Q2: Query<I2> + 'static,
        <Q2 as Query<I2>>::Row: SameRows<<Self as Query<I>>::Row>,
    {
        self.combine(UnionType::Intersect, other)
    }

    /// `self EXCEPT other`: the rows of `self` not in `other`.
    pub fn except<I, Q2, I2>(self, other: Q2) -> SetOp<S, <Self as Query<I>>::Row, WithUnion>
    where
        Self: Query<I> + 'static,
        Q2: Query<I2> + 'static,
        <Q2 as Query<I2>>::Row: SameRows<<Self as Query<I>>::Row>,
    {
        self.combine(UnionType::Except, other)
    }
}

impl<S, Row, K> SetOp<S, Row, K> {
    fn then<K2, Q2: Query<I2> + 'static, I2>(
        mut self,
        ty: UnionType,
        other: Q2,
    ) -> SetOp<S, Row, K2> {
        let n = self.rest.len() + 2;
        self.rest.push((ty, part(other, n)));
        SetOp {
            first: self.first,
            rest: self.rest,
            order_by: self.order_by,
            limit: self.limit,
            offset: self.offset,
            _p: Ghost::default(),
        }
    }

    /// `.. UNION other`.
    pub fn union<Q2: Query<I2> + 'static, I2>(self, other: Q2) -> SetOp<S, Row, WithUnion>
    where
        Q2::Row: SameRows<Row>,
    {
        self.then(UnionType::Distinct, other)
    }

    /// `.. UNION ALL other`.
    pub fn union_all<Q2: Query<I2> + 'static, I2>(self, other: Q2) -> SetOp<S, Row, WithUnion>
    where
        Q2::Row: SameRows<Row>,
    {
        self.then(UnionType::All, other)
    }

    /// `.. EXCEPT other`.
    pub fn except<Q2: Query<I2> + 'static, I2>(self, other: Q2) -> SetOp<S, Row, WithUnion>
    where
        Q2::Row: SameRows<Row>,
    {
        self.then(UnionType::Except, other)
    }

    /// `ORDER BY` on the whole: columns selected by the first selection (named without their
    /// table, as SQL requires after a set operation); calls accumulate.
    pub fn order_by<O: OrderList<S, I>, I>(mut self, terms: O) -> Self {
        terms.push_items(&mut self.order_by);
        self
    }

    /// `LIMIT n` on the whole.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// `OFFSET n` on the whole.
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(n);
        self
    }

    /// Lowers the whole for `backend`, its columns named `names` (none: as the first part names
    /// them). The names go on the first part's own statement, inside the derived table it may
    /// be read as, and the whole's ORDER BY, which names the first part's columns, follows them.
    fn to_sea(&self, b: Backend, names: &'static [&'static str]) -> SelectStatement {
        let mut first = (self.first.lower)(b, names);
        let mut selected = Vec::new();
        if !names.is_empty() {
            first.exprs_mut_for_each(|e| selected.push(unqualified(e.expr.clone())));
        }
        let mut q = self.first.scoped(first);
        q.unions(
            self.rest
                .iter()
                .map(|(ty, p)| (*ty, p.scoped((p.lower)(b, &[])))),
        );
        for o in &self.order_by {
            let e = unqualified(o.expr.lower_dyn(b));
            let renamed = selected
                .iter()
                .position(|s| *s == e)
                .and_then(|i| names.get(i));
            match renamed {
                Some(name) => o.add_to(&mut q, SeaExpr::col(Alias::new(*name))),
                None => o.add_to(&mut q, e),
            }
        }
        match (self.limit, self.offset, b) {
            (Some(n), _, _) => {
                q.limit(n);
            }
            (None, Some(_), Backend::MySql) => {
                q.limit(u64::MAX);
            }
            (None, Some(_), Backend::Sqlite) => {
                q.limit(i64::MAX.unsigned_abs());
            }
            _ => {}
        }
        if let Some(n) = self.offset {
            q.offset(n);
        }
        q
    }

    /// Renders `(sql, values)` for `backend`.
    pub fn to_sql(&self, backend: Backend) -> Rendered {
        render(&self.to_sea(backend, &[]), backend)
    }
}

/// A lock on a set operation: what [`SetOp::for_update`] and [`SetOp::for_share`] ask for, and
/// what no type implements.
#[diagnostic::on_unimplemented(
    message = "FOR UPDATE / FOR SHARE cannot lock the rows of a UNION, INTERSECT or EXCEPT",
    label = "PostgreSQL and MySQL refuse a row lock on a set operation",
    note = "lock the rows with each selection on its own (`select(..).for_update()`, in the same transaction), then combine them"
)]
pub trait LockableRows {}

impl<S, Row, K> SetOp<S, Row, K> {
    /// Refused at compile time: PostgreSQL and MySQL take no `FOR UPDATE` on a set operation.
    ///
    /// ```compile_fail,E0277
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct Job { #[primary_key] pub id: i64 } }
    /// let _ = select(Job::id).union(select(Job::id)).for_update();
    /// ```
    pub fn for_update(self) -> Self
    where
        Self: LockableRows,
    {
        self
    }

    /// Refused at compile time: PostgreSQL and MySQL take no `FOR SHARE` on a set operation.
    ///
    /// ```compile_fail,E0277
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct Job { #[primary_key] pub id: i64 } }
    /// let _ = select(Job::id).union(select(Job::id)).for_share();
    /// ```
    pub fn for_share(self) -> Self
    where
        Self: LockableRows,
    {
        self
    }
}

impl<S, Row> SetOp<S, Row, OnlyIntersect> {
    /// `.. INTERSECT other` (only before any `union`/`except`: see the module).
    pub fn intersect<Q2: Query<I2> + 'static, I2>(self, other: Q2) -> SetOp<S, Row, OnlyIntersect>
    where
        Q2::Row: SameRows<Row>,
    {
        self.then(UnionType::Intersect, other)
    }
}

impl<S, Row: Send + 'static, K> Query<()> for SetOp<S, Row, K>
where
    S: Send + Sync,
    K: Send + Sync,
{
    type Row = Row;
    fn to_sea_select(&self, backend: Backend) -> SelectStatement {
        self.to_sea(backend, &[])
    }
    fn to_sea_select_as(
        &self,
        backend: Backend,
        names: &'static [&'static str],
    ) -> SelectStatement {
        self.to_sea(backend, names)
    }
    fn limit_of(&self) -> Option<u64> {
        self.limit
    }
    fn needs_own_scope(&self) -> bool {
        true
    }
}
