//! `SELECT DISTINCT ON (cols)` (PostgreSQL): one row per distinct value of `cols`, the first in
//! the ORDER BY (SQLAlchemy's `select(..).distinct(*cols)` on PostgreSQL).
//!
//! PostgreSQL requires an ORDER BY to begin with the DISTINCT ON columns; azoth puts those the
//! ORDER BY does not begin with first, ascending, so that `.order_by(Track::milliseconds.desc())`
//! keeps each album's longest track (`ORDER BY album_id ASC, milliseconds DESC`). Without an
//! ORDER BY, which row of each group is kept is up to the database.
//!
//! MySQL, MariaDB and SQLite have no DISTINCT ON: the runtime refuses such a query on a typed
//! engine of theirs at compile time and on an untyped one at run time, before sending it;
//! [`DistinctOn::to_sql`] renders `None` for them. (A window function with `row_number() = 1`
//! computes the same there.)
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub album_id: i64, pub ms: i64 } }
//! let q = Track::select().distinct_on(Track::album_id).order_by(Track::ms.desc());
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).unwrap().0,
//!     r#"SELECT DISTINCT ON ("track"."album_id") "track"."id", "track"."album_id", "track"."ms" FROM "track" ORDER BY "track"."album_id" ASC, "track"."ms" DESC"#
//! );
//! assert!(q.to_sql(Backend::MySql).is_none());
//! ```

use sea_query::{ColumnRef, Expr as SeaExpr, Order, SelectStatement};

use super::order::{OrderFits, OrderList, order_by};
use super::select::{One, Query, Select};
use crate::backend::Backend;
use crate::expr::aggregate::NotAggregate;
use crate::expr::functions::IsBool;
use crate::expr::{BaseOf, DynExpr, ValidIn};
use crate::lower::{Rendered, render};
use crate::schema::Column;

/// A SELECT DISTINCT ON: made by [`Select::distinct_on`].
pub struct DistinctOn<Q> {
    query: Q,
    on: Vec<DynExpr>,
}

/// DISTINCT ON terms: a column or a tuple of columns of the query's tables.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column, or a tuple of columns, of this query's tables",
    label = "DISTINCT ON takes columns",
    note = "`.distinct_on(Track::album_id)` or `.distinct_on((Track::album_id, Track::genre_id))`"
)]
pub trait DistinctOnList<S, I> {
    /// Appends the columns in order.
    fn push_columns(self, out: &mut Vec<DynExpr>);
}

impl<S, C: Column + ValidIn<S, I>, I> DistinctOnList<S, One<I>> for C {
    fn push_columns(self, out: &mut Vec<DynExpr>) {
        out.push(Box::new(self));
    }
}

macro_rules! distinct_on_tuples {
    ($(($($t:ident $i:ident),+))*) => {$(
        impl<S, $($t: Column + ValidIn<S, $i>, $i),+> DistinctOnList<S, ($($i,)+)> for ($($t,)+) {
            #[allow(non_snake_case)]
            fn push_columns(self, out: &mut Vec<DynExpr>) {
                let ($($t,)+) = self;
                $(out.push(Box::new($t));)+
            }
        }
    )*};
}

distinct_on_tuples! {
    (A IA)
    (A IA, B IB)
    (A IA, B IB, C IC)
    (A IA, B IB, C IC, D ID)
}

impl<S, Sel, R, G> Select<S, Sel, R, G> {
    /// `SELECT DISTINCT ON (cols)` (PostgreSQL only): the first row, in the ORDER BY, of each
    /// distinct value of `cols`. Other clauses may follow (`filter`, `order_by`, `limit`,
    /// `offset`).
    pub fn distinct_on<C: DistinctOnList<S, I>, I>(self, cols: C) -> DistinctOn<Self> {
        let mut on = Vec::new();
        cols.push_columns(&mut on);
        DistinctOn { query: self, on }
    }
}

impl<S, Sel: crate::stmt::selection::Selection, R, G> DistinctOn<Select<S, Sel, R, G>> {
    /// `WHERE pred`, as [`Select::filter`].
    pub fn filter<P, I>(self, pred: P) -> Self
    where
        P: ValidIn<S, I>,
        BaseOf<P::SqlType>: IsBool,
        P::Agg: NotAggregate,
        P::Agg: crate::expr::window::NoWindowInWhere,
    {
        DistinctOn {
            query: self.query.filter(pred),
            on: self.on,
        }
    }

    /// `ORDER BY terms`, as [`Select::order_by`] (after the DISTINCT ON columns it does not
    /// begin with).
    pub fn order_by<O, I>(self, terms: O) -> Self
    where
        O: OrderList<S, I> + OrderFits<S, I, G>,
    {
        DistinctOn {
            query: self.query.order_by(terms),
            on: self.on,
        }
    }

    /// `LIMIT n`, as [`Select::limit`].
    pub fn limit(self, n: u64) -> Self {
        DistinctOn {
            query: self.query.limit(n),
            on: self.on,
        }
    }

    /// `OFFSET n`, as [`Select::offset`].
    pub fn offset(self, n: u64) -> Self {
        DistinctOn {
            query: self.query.offset(n),
            on: self.on,
        }
    }

    /// The statement for PostgreSQL (the only backend with DISTINCT ON; rendered for another,
    /// the DISTINCT ON is left out: the runtime refuses it there).
    #[doc(hidden)]
    pub fn to_sea_distinct_on(&self, backend: Backend) -> SelectStatement {
        let _scope = crate::expr::related::scope::fresh();
        let mut q = self.query.to_sea(backend);
        let on: Vec<SeaExpr> = self.on.iter().map(|c| c.lower_dyn(backend)).collect();
        let columns: Vec<ColumnRef> = on
            .iter()
            .filter_map(|e| match e {
                SeaExpr::Column(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        q.distinct_on(columns);
        let items = self.query.order_items();
        if items.is_empty() {
            return q;
        }
        let ordered: Vec<SeaExpr> = items.iter().map(|o| o.expr.lower_dyn(backend)).collect();
        // PostgreSQL: the ORDER BY's leading terms must be the DISTINCT ON columns.
        let mut covered = vec![false; on.len()];
        for e in &ordered {
            if covered.iter().all(|c| *c) {
                break;
            }
            match on.iter().position(|c| c == e) {
                Some(i) => covered[i] = true,
                None => break,
            }
        }
        if covered.iter().all(|c| *c) {
            return q;
        }
        q.clear_order_by();
        for (c, done) in on.iter().zip(&covered) {
            if !done {
                order_by(&mut q, c.clone(), Order::Asc, None);
            }
        }
        for (o, e) in items.iter().zip(ordered) {
            o.add_to(&mut q, e);
        }
        q
    }

    /// The query's own `LIMIT`, if any.
    #[doc(hidden)]
    pub fn limit_of<I>(&self) -> Option<u64>
    where
        Select<S, Sel, R, G>: Query<I>,
    {
        self.query.limit_of()
    }

    /// Renders `(sql, values)` for PostgreSQL; `None` for MySQL and SQLite, which have no
    /// DISTINCT ON.
    pub fn to_sql<I>(&self, backend: Backend) -> Option<Rendered>
    where
        Select<S, Sel, R, G>: Query<I>,
    {
        (backend == Backend::Postgres).then(|| render(&self.to_sea_distinct_on(backend), backend))
    }
}
