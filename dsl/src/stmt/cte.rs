//! Common table expressions: `WITH name (columns) AS (query)` and `WITH RECURSIVE`
//! (SQLAlchemy's `.cte()` and `.cte(recursive=True)`).
//!
//! A CTE is declared like a derived table, with [`derived!`](crate::derived), and filled with
//! `Name::cte(query)` or `Name::recursive(anchor, |me| step)`: the anchor `UNION ALL` the
//! recursive step, which selects from or joins `me`, the CTE itself. Every part's rows must be
//! the declared columns (a compile error otherwise). A query takes the CTE with `.from(cte)` or
//! `.join(cte.on(..))`; its `WITH` clause comes along.
//!
//! A recursive CTE's columns have the types of the anchor's: MySQL and MariaDB keep the anchor's
//! widths, so a longer text from the recursive part fails ("Data too long"), and PostgreSQL
//! refuses a `VARCHAR(n)` anchor under a wider recursive part. The anchor's text columns are
//! therefore cast, to `CHAR(16383)` on MySQL and `TEXT` on PostgreSQL (numeric ones to
//! `NUMERIC` there).
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! {
//! #     pub struct Employee { #[primary_key] pub id: i64, pub name: String, pub boss_id: Option<i64> }
//! # }
//! azoth_dsl::derived! { pub struct Chain { id: i64, name: String, boss_id: Option<i64>, depth: i64 } }
//!
//! let chain = Chain::recursive(
//!     select((Employee::id, Employee::name, Employee::boss_id, 0i64.into_expr()))
//!         .filter(Employee::id.eq(7)),
//!     |me| {
//!         select((Employee::id, Employee::name, Employee::boss_id, Chain::depth.add(1)))
//!             .join(me.on(Chain::boss_id.eq(Employee::id)))
//!     },
//! );
//! let q = select((Chain::name, Chain::depth)).from(chain).order_by(Chain::depth);
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"WITH RECURSIVE "chain" ("id", "name", "boss_id", "depth") AS (SELECT "employee"."id", CAST("employee"."name" AS TEXT), "employee"."boss_id", $1 FROM "employee" WHERE "employee"."id" = $2 UNION ALL (SELECT "employee"."id", "employee"."name", "employee"."boss_id", "chain"."depth" + $3 FROM "employee" INNER JOIN "chain" ON "chain"."boss_id" = "employee"."id")) SELECT "chain"."name", "chain"."depth" FROM "chain" ORDER BY "chain"."depth" ASC"#
//! );
//! ```

use std::sync::Arc;

use sea_query::{
    Alias, CommonTableExpression, Expr as SeaExpr, Func, SelectStatement, UnionType, WithClause,
};

use super::derived::{DerivedTable, IntoVirtual, RowsOf, SubFn, Virtual, VirtualOn, VirtualTable};
use super::select::Query;
use crate::backend::Backend;
use crate::expr::Ghost;
use crate::sql_types::SqlKind;

/// The recursive part of a CTE selects the CTE's declared columns.
#[diagnostic::on_unimplemented(
    message = "the recursive part's rows are `{Self}`, but the CTE `{D}` declares the columns `{R}`",
    label = "this recursive part does not select the declared columns",
    note = "select one item per declared column, of its type, in order, as the anchor does"
)]
pub trait RecursiveRowsOf<D, R> {}
impl<D, R> RecursiveRowsOf<D, R> for R {}

/// One `name (columns) AS (query)` of a WITH clause.
pub(crate) struct CteDef {
    name: &'static str,
    columns: &'static [&'static str],
    recursive: bool,
    body: SubFn,
}

impl CteDef {
    fn to_sea(&self, b: Backend) -> CommonTableExpression {
        let mut cte = CommonTableExpression::new();
        cte.table_name(Alias::new(self.name))
            .columns(self.columns.iter().map(|c| Alias::new(*c)))
            .query((self.body)(b));
        cte
    }
}

/// Adds `WITH [RECURSIVE] ..` for `ctes` (each name once, in first-use order) to `stmt`.
pub(crate) fn add_with(stmt: &mut SelectStatement, ctes: &[Arc<CteDef>], b: Backend) {
    let mut seen: Vec<&'static str> = Vec::new();
    let mut clause = WithClause::new();
    let mut recursive = false;
    for def in ctes {
        if seen.contains(&def.name) {
            continue;
        }
        seen.push(def.name);
        recursive |= def.recursive;
        clause.cte(def.to_sea(b));
    }
    if !seen.is_empty() {
        clause.recursive(recursive);
        stmt.with_cte(clause);
    }
}

/// A CTE `D` filled by a query: `D::cte(q)` or `D::recursive(anchor, step)`; a query reads it
/// with `.from(cte)` or `.join(cte.on(..))`.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64 } }
/// azoth_dsl::derived! { pub struct Prolific { author_id: i64, posts: i64 } }
///
/// let prolific: Cte<Prolific> = Prolific::cte(
///     select((Post::author_id, count(Post::id))).group_by(Post::author_id),
/// );
/// let q = select((User::name, Prolific::posts)).join(prolific.on(Prolific::author_id.eq(User::id)));
/// assert_eq!(
///     q.to_sql(Backend::Sqlite).0,
///     r#"WITH "prolific" ("author_id", "posts") AS (SELECT "post"."author_id", COUNT("post"."id") FROM "post" GROUP BY "post"."author_id") SELECT "user"."name", "prolific"."posts" FROM "user" INNER JOIN "prolific" ON "prolific"."author_id" = "user"."id""#
/// );
/// ```
pub struct Cte<D> {
    def: Arc<CteDef>,
    _d: Ghost<D>,
}

impl<D> Clone for Cte<D> {
    fn clone(&self) -> Self {
        Cte {
            def: self.def.clone(),
            _d: Ghost::default(),
        }
    }
}

/// The type an anchor's column of kind `kind` is cast to on `b`, where the backend would take a
/// narrower type from the anchor than the recursive part gives (see the module).
fn widened(kind: SqlKind, b: Backend) -> Option<&'static str> {
    match (b, kind) {
        (Backend::MySql, SqlKind::Text) => Some("CHAR(16383)"),
        (Backend::Postgres, SqlKind::Text) => Some("TEXT"),
        (Backend::Postgres, SqlKind::Numeric) => Some("NUMERIC"),
        _ => None,
    }
}

/// The anchor of a recursive CTE, its text columns widened (see the module).
fn anchor_stmt<Q: Query<I>, I, D: DerivedTable>(q: &Q, b: Backend) -> SelectStatement {
    if !D::KINDS.iter().any(|k| widened(*k, b).is_some()) {
        return q.to_sea_select(b);
    }
    let mut s = if q.needs_own_scope() {
        // Its own ORDER BY / LIMIT: read it as a derived table, whose columns are cast.
        let inner = q.to_sea_select_as(b, D::COLUMNS);
        let mut outer = SelectStatement::new();
        for c in D::COLUMNS {
            outer.expr(SeaExpr::col((Alias::new("anchor"), Alias::new(*c))));
        }
        outer.from_subquery(inner, Alias::new("anchor"));
        outer
    } else {
        q.to_sea_select(b)
    };
    let mut i = 0;
    s.exprs_mut_for_each(|e| {
        if let Some(ty) = D::KINDS.get(i).and_then(|k| widened(*k, b)) {
            let inner = std::mem::replace(&mut e.expr, SeaExpr::val(0));
            e.expr = Func::cast_as(inner, Alias::new(ty)).into();
        }
        i += 1;
    });
    s
}

impl<D: DerivedTable> Cte<D> {
    /// `WITH d (columns) AS (query)`; `query`'s rows must be `D`'s columns.
    pub fn new<Q, I>(query: Q) -> Self
    where
        Q: Query<I> + 'static,
        Q::Row: RowsOf<D, D::Row>,
    {
        Cte {
            def: Arc::new(CteDef {
                name: D::NAME,
                columns: D::COLUMNS,
                recursive: false,
                // A set operation's ORDER BY names its first part's columns; MariaDB reads
                // those names as the CTE's declared ones, so the first part takes them.
                body: Arc::new(move |b| {
                    if query.needs_own_scope() {
                        query.to_sea_select_as(b, D::COLUMNS)
                    } else {
                        query.to_sea_select(b)
                    }
                }),
            }),
            _d: Ghost::default(),
        }
    }

    /// `WITH RECURSIVE d (columns) AS (anchor UNION ALL step(d))`.
    pub fn recursive<A, IA, F, R, IR>(anchor: A, step: F) -> Self
    where
        A: Query<IA> + 'static,
        A::Row: RowsOf<D, D::Row>,
        F: FnOnce(CteRef<D>) -> R,
        R: Query<IR> + 'static,
        R::Row: RecursiveRowsOf<D, D::Row>,
    {
        let step = step(CteRef(Ghost::default()));
        Cte {
            def: Arc::new(CteDef {
                name: D::NAME,
                columns: D::COLUMNS,
                recursive: true,
                body: Arc::new(move |b| {
                    let mut s = anchor_stmt::<A, IA, D>(&anchor, b);
                    s.union(UnionType::All, step.to_sea_select(b));
                    s
                }),
            }),
            _d: Ghost::default(),
        }
    }

    /// Joins the CTE on `condition`: `.join(chain.on(Chain::id.eq(Employee::id)))`.
    pub fn on<P>(self, condition: P) -> VirtualOn<D, P> {
        VirtualOn {
            table: self.into_virtual(),
            pred: condition,
            _d: Ghost::default(),
        }
    }
}

impl<D: DerivedTable> IntoVirtual for Cte<D> {
    type Table = D;
    fn into_virtual(self) -> VirtualTable {
        VirtualTable {
            name: D::NAME,
            kind: Virtual::Cte(self.def),
        }
    }
}

/// A recursive CTE inside its own recursive part: what `D::recursive`'s step selects from or
/// joins (`.join(me.on(..))`).
pub struct CteRef<D>(Ghost<D>);

impl<D> Clone for CteRef<D> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<D> Copy for CteRef<D> {}

impl<D: DerivedTable> CteRef<D> {
    /// Joins the CTE on `condition`.
    pub fn on<P>(self, condition: P) -> VirtualOn<D, P> {
        VirtualOn {
            table: self.into_virtual(),
            pred: condition,
            _d: Ghost::default(),
        }
    }
}

impl<D: DerivedTable> IntoVirtual for CteRef<D> {
    type Table = D;
    fn into_virtual(self) -> VirtualTable {
        VirtualTable {
            name: D::NAME,
            kind: Virtual::SelfRef,
        }
    }
}
