//! `SELECT`: the sources and the selection live in the type (that is what the checks need); every
//! other clause is plain data, lowered when the statement is rendered.

use sea_query::{Alias, ExprTrait, JoinType, SelectStatement};

use super::cte::add_with;
use super::derived::{FromItem, Virtual, VirtualTable};
use super::join::JoinTarget;
use super::order::{OrderFits, OrderItem, OrderList};
use super::selection::{Selection, SelectionFits, SelectionIn, Whole};
use crate::backend::Backend;
use crate::expr::aggregate::{FitsGrouping, GroupByAllowed, Grouping, Ungrouped};
use crate::expr::functions::IsBool;
use crate::expr::grouping::{Both, ExprFits};
use crate::expr::{BaseOf, DynExpr, Expression, Ghost, TableHint, ValidIn};
use crate::lower::{Rendered, render};
use crate::row::FromSqlRow;
use crate::schema::Model;
use crate::schema::sources::{Cons, From1, Nil, Src};
use crate::sql_types::{IsNull, NotNull};

/// The query `join`/`left_join` give: `J`'s table added to the sources with nullability `N`.
pub type Joined<J, N, I, S, Sel, R, G> =
    Select<Cons<Src<<J as JoinTarget<S, N, I>>::Table, N>, S>, Sel, R, <G as Grouping>::Joined>;

/// The natural row type of a selection (marker for [`Select`]'s `R`).
pub struct Natural;
/// Rows decoded into `R`, chosen with [`Select::row`].
pub struct As<R>(Ghost<R>);

/// A SELECT over sources `S` returning `Sel`, decoded as `R`; `G` tells whether it has a
/// `GROUP BY` ([`Grouped`](crate::expr::aggregate::Grouped), with its column terms), which
/// decides which columns it may use outside aggregates.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub title: String, pub author_id: i64 } }
/// let q = select((User::name, Post::title))
///     .join(Post::TABLE.on(Post::author_id.eq(User::id)))
///     .filter(Post::title.contains("rust"))
///     .order_by(Post::id.desc())
///     .limit(20);
/// assert_eq!(
///     q.to_sql(Backend::Postgres).0,
///     r#"SELECT "user"."name", "post"."title" FROM "user" INNER JOIN "post" ON "post"."author_id" = "user"."id" WHERE "post"."title" LIKE $1 ESCAPE '!' ORDER BY "post"."id" DESC LIMIT $2"#
/// );
/// ```
pub struct Select<S, Sel, R = Natural, G = Ungrouped> {
    selection: Sel,
    from: Option<&'static str>,
    clauses: Clauses,
    _p: Ghost<(S, R, G)>,
}

/// The clauses of a SELECT that the types do not need.
#[derive(Default)]
struct Clauses {
    joins: Vec<JoinClause>,
    filters: Vec<DynExpr>,
    group_by: Vec<DynExpr>,
    having: Vec<DynExpr>,
    order_by: Vec<OrderItem>,
    limit: Option<u64>,
    offset: Option<u64>,
    distinct: bool,
    /// The FROM item when it is a derived table or CTE.
    from_virtual: Option<VirtualTable>,
    /// The alias of the FROM table (`FROM table AS alias`), if any.
    from_alias: Option<&'static str>,
    /// The enclosing query's tables this subquery reads ([`correlate`](Select::correlate)).
    outer: Vec<&'static str>,
}

/// One selected expression and its label, as the selection lowers it.
type SelectItem = (sea_query::SimpleExpr, Option<&'static str>);

impl Clauses {
    /// Appends the JOIN clauses `parts` of one `join`/`left_join` call.
    fn add_joins(&mut self, kind: JoinType, parts: Vec<super::join::JoinPart>) {
        for p in parts {
            self.joins.push(JoinClause {
                kind,
                table: p.table,
                alias: p.alias,
                on: p.on,
                virt: p.virt,
            });
        }
    }

    /// The SELECT of items `lower_items` adds, lowered inside this query's scope (the outer
    /// tables it correlates with, named as the enclosing relationship levels named them).
    fn lower_select(
        &self,
        lower_items: &dyn Fn(&mut Vec<SelectItem>),
        from: Option<&'static str>,
        backend: Backend,
    ) -> SelectStatement {
        let (renames, _scope, _levels) = self.enter_scope();
        let mut items = Vec::new();
        lower_items(&mut items);
        self.to_sea(items, from, &renames, backend)
    }

    /// The LIMIT rendered: `limit`, or the "no limit" a backend needs before an OFFSET.
    fn rendered_limit(&self, limit: Option<u64>, backend: Backend) -> Option<u64> {
        match (limit, no_limit(backend)) {
            (Some(n), _) => Some(n),
            (None, Some(all)) if self.offset.is_some() => Some(all),
            _ => None,
        }
    }

    /// The outer tables this query correlates with that the enclosing relationship levels renamed
    /// (`posts` as `posts_any`), with a fresh scope holding just those levels: the guards keep it
    /// until they are dropped.
    #[allow(clippy::type_complexity)]
    fn enter_scope(
        &self,
    ) -> (
        Vec<(&'static str, String)>,
        crate::expr::related::scope::Fresh,
        Vec<crate::expr::related::scope::Level>,
    ) {
        use crate::expr::related::scope;
        let renames: Vec<(&'static str, String)> = self
            .outer
            .iter()
            .map(|t| (*t, scope::visible(t).0))
            .filter(|(t, v)| t != v)
            .collect();
        let fresh = scope::fresh();
        let levels = renames.iter().map(|(t, a)| scope::enter(t, a)).collect();
        (renames, fresh, levels)
    }

    /// The statement with these clauses selecting `items` from `from`: the part of
    /// [`Select::to_sea`] that does not depend on the query's types, compiled once here rather
    /// than in the user's crate for every query type.
    fn to_sea(
        &self,
        items: Vec<(sea_query::SimpleExpr, Option<&'static str>)>,
        from: Option<&'static str>,
        renames: &[(&'static str, String)],
        backend: Backend,
    ) -> SelectStatement {
        let fix = |e: sea_query::Expr| {
            renames
                .iter()
                .fold(e, |e, (t, a)| crate::lower::retable(e, t, a))
        };
        let mut q = SelectStatement::new();
        for (e, label) in items {
            let e = fix(e);
            match label {
                Some(name) => q.expr_as(e, Alias::new(name)),
                None => q.expr(e),
            };
        }
        let c = self;
        match (&c.from_virtual, from) {
            (
                Some(VirtualTable {
                    name,
                    kind: Virtual::Derived(sub),
                }),
                _,
            ) => {
                q.from_subquery(sub(backend), Alias::new(*name));
            }
            (_, Some(from)) => match c.from_alias {
                Some(alias) => {
                    q.from_as(Alias::new(from), Alias::new(alias));
                }
                None => {
                    q.from(Alias::new(from));
                }
            },
            _ => {}
        }
        if c.distinct {
            q.distinct();
        }
        for j in &c.joins {
            if let Some(VirtualTable {
                name,
                kind: Virtual::Derived(sub),
            }) = &j.virt
            {
                q.join_subquery(
                    j.kind,
                    sub(backend),
                    Alias::new(*name),
                    fix(j.on.lower_dyn(backend)),
                );
                continue;
            }
            match &j.alias {
                Some(alias) => q.join_as(
                    j.kind,
                    j.table,
                    sea_query::Alias::new(alias),
                    fix(j.on.lower_dyn(backend)),
                ),
                None => q.join(j.kind, j.table, fix(j.on.lower_dyn(backend))),
            };
        }
        if !c.filters.is_empty() {
            // One conjunction, not one `and_where` each: sea-query nests its conditions per term.
            let all = c.filters.iter().map(|f| fix(f.lower_dyn(backend)));
            q.and_where(crate::expr::conjunction(all, true));
        }
        if !c.group_by.is_empty() {
            q.add_group_by(c.group_by.iter().map(|g| fix(g.lower_dyn(backend))));
        }
        if !c.having.is_empty() {
            // One conjunction, not one `and_having` each: sea-query nests its conditions per term.
            let all = c.having.iter().map(|h| fix(h.lower_dyn(backend)));
            q.and_having(crate::expr::conjunction(all, true));
        }
        for o in &c.order_by {
            o.add_to(&mut q, fix(o.expr.lower_dyn(backend)));
        }
        // SQLite and MySQL take OFFSET only after a LIMIT: their "no limit" value.
        if let Some(n) = c.rendered_limit(c.limit, backend) {
            q.limit(n);
        }
        if let Some(n) = c.offset {
            q.offset(n);
        }
        let ctes: Vec<_> = c
            .from_virtual
            .iter()
            .chain(c.joins.iter().filter_map(|j| j.virt.as_ref()))
            .filter_map(|v| v.cte().cloned())
            .collect();
        add_with(&mut q, &ctes, backend);
        q
    }

    /// Adds these clauses with LIMIT `limit` to `s` (the selection's shape): the part of
    /// [`Select::shape`] that does not depend on the query's types.
    fn shape(
        &self,
        mut s: crate::shape::Shape,
        backend: Backend,
        limit: Option<u64>,
    ) -> crate::shape::Shape {
        // Every clause, named: a clause added later must be added here too.
        let Clauses {
            joins,
            filters,
            group_by,
            having,
            order_by,
            limit: _,
            offset,
            distinct,
            from_virtual,
            from_alias,
            outer,
        } = self;
        if from_virtual.is_some() || !outer.is_empty() {
            // A derived table or CTE (its query), or a correlated subquery (the names of its outer
            // tables depend on where it is embedded): rendered each time.
            s.uncacheable();
            return s;
        }
        s.name(from_alias.unwrap_or(""));
        s.num(u64::from(*distinct));
        s.num(joins.len() as u64);
        for JoinClause {
            kind,
            table,
            alias,
            on,
            virt,
        } in joins
        {
            if virt.is_some() {
                s.uncacheable();
                return s;
            }
            s.num(*kind as u64);
            s.name(table);
            match alias {
                Some(a) => s.text(a),
                None => s.num(0),
            }
            on.shape_dyn(backend, &mut s);
        }
        for list in [filters, group_by, having] {
            crate::shape::filters_shape(list, backend, &mut s);
        }
        s.num(order_by.len() as u64);
        for o in order_by {
            o.shape(backend, &mut s);
        }
        let limit = self.rendered_limit(limit, backend);
        s.num(u64::from(limit.is_some()) | u64::from(offset.is_some()) << 1);
        if let Some(n) = limit {
            s.value(n.into());
        }
        if let Some(n) = offset {
            s.value((*n).into());
        }
        s
    }
}

struct JoinClause {
    kind: JoinType,
    table: &'static str,
    alias: Option<String>,
    on: DynExpr,
    virt: Option<VirtualTable>,
}

/// `SELECT sel FROM <first table of sel>`: the FROM is the first table the selection mentions;
/// other tables come in with [`join`](Select::join).
pub fn select<Sel: Selection>(selection: Sel) -> Select<<Sel::Table as TableHint>::Sources, Sel> {
    Select {
        selection,
        from: <Sel::Table as TableHint>::NAME,
        clauses: Clauses::default(),
        _p: Ghost::default(),
    }
}

impl<M: Model> Select<From1<M>, Whole<M>> {
    /// `SELECT <every column of M> FROM M` (what `Model::select()` returns).
    pub fn from_model() -> Self {
        select_model()
    }
}

/// `SELECT <every column of M> FROM M`: what `Model::select()` returns.
pub fn select_model<M: Model>() -> Select<From1<M>, Whole<M>> {
    Select {
        selection: Whole::new(),
        from: Some(M::TABLE_NAME),
        clauses: Clauses::default(),
        _p: Ghost::default(),
    }
}

/// Grouping terms: one expression or a tuple of them.
pub trait ExprList<S, I> {
    /// The column terms ([`grouping`](crate::expr::grouping)): what they cover.
    type Keys;
    /// Appends the expressions in order.
    fn push_exprs(self, out: &mut Vec<DynExpr>);
}

/// Index witness of a single grouping term.
pub struct One<I>(Ghost<I>);

macro_rules! fold_keys {
    ($a:ident) => { $a::Key };
    ($a:ident $($rest:ident)+) => { Both<$a::Key, fold_keys!($($rest)+)> };
}

macro_rules! expr_list_tuples {
    ($(($($t:ident $i:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<S, $($t: ValidIn<S, $i>, $i),+> ExprList<S, ($($i,)+)> for ($($t,)+) {
            type Keys = fold_keys!($($t)+);
            #[allow(non_snake_case)]
            fn push_exprs(self, out: &mut Vec<DynExpr>) {
                let ($($t,)+) = self;
                $(out.push(Box::new($t));)+
            }
        }
    )*};
}

expr_list_tuples! {
    (A IA)
    (A IA, B IB)
    (A IA, B IB, C IC)
    (A IA, B IB, C IC, D ID)
    (A IA, B IB, C IC, D ID, E IE)
    (A IA, B IB, C IC, D ID, E IE, F IF)
}

impl<S, Sel: Selection, R, G> Select<S, Sel, R, G> {
    fn with_sources<S2, R2, G2>(self) -> Select<S2, Sel, R2, G2> {
        Select {
            selection: self.selection,
            from: self.from,
            clauses: self.clauses,
            _p: Ghost::default(),
        }
    }

    /// `WHERE pred` (several calls are joined with `AND`).
    pub fn filter<P, I>(mut self, pred: P) -> Self
    where
        P: ValidIn<S, I>,
        BaseOf<P::SqlType>: IsBool,
        P::Agg: crate::expr::aggregate::NotAggregate,
        P::Agg: crate::expr::window::NoWindowInWhere,
    {
        self.clauses.filters.push(Box::new(pred));
        self
    }

    /// `INNER JOIN`: `.join(Post::TABLE.on(Post::author_id.eq(User::id)))`, or along a
    /// relationship, `.join(User::posts)` (the ON clause comes from its foreign key).
    pub fn join<J, I>(mut self, target: J) -> Joined<J, NotNull, I, S, Sel, R, G>
    where
        J: JoinTarget<S, NotNull, I>,
        G: Grouping,
    {
        self.clauses.add_joins(JoinType::InnerJoin, target.parts());
        self.with_sources()
    }

    /// `LEFT JOIN`, like [`join`](Self::join): the joined table's columns may be NULL in this
    /// query, so they decode into `Option`.
    pub fn left_join<J, I>(mut self, target: J) -> Joined<J, IsNull, I, S, Sel, R, G>
    where
        J: JoinTarget<S, IsNull, I>,
        G: Grouping,
    {
        self.clauses.add_joins(JoinType::LeftJoin, target.parts());
        self.with_sources()
    }

    /// `GROUP BY terms` (one expression or a tuple); the query may then select aggregates next
    /// to grouped columns. A column outside aggregates (selected, in HAVING, in ORDER BY) must be
    /// a column term or belong to a table whose single-column primary key is one
    /// ([`grouping`](crate::expr::grouping)); a term that is not a column covers nothing.
    #[allow(clippy::multiple_bound_locations)] // `GroupTerms` added apart: the window check.
    pub fn group_by<T: ExprList<S, I>, I>(
        mut self,
        terms: T,
    ) -> Select<S, Sel, R, G::AddKeys<T::Keys>>
    where
        G: Grouping + GroupByAllowed,
        T: crate::expr::window::GroupTerms,
        <T as crate::expr::window::GroupTerms>::Agg: crate::expr::window::NoWindowInGroupBy,
    {
        terms.push_exprs(&mut self.clauses.group_by);
        self.with_sources()
    }

    /// `HAVING pred` (several calls are joined with `AND`). Without `group_by`, the whole
    /// table is one group: the query may then select aggregates only.
    pub fn having<P, I>(mut self, pred: P) -> Select<S, Sel, R, G::AfterHaving>
    where
        P: ValidIn<S, I> + ExprFits<S, I, G::ForHaving>,
        BaseOf<P::SqlType>: IsBool,
        G: Grouping,
        P::Agg: crate::expr::window::NoWindowInHaving,
    {
        self.clauses.having.push(Box::new(pred));
        self.with_sources()
    }

    /// `ORDER BY terms`: an expression, `expr.desc()`, or a tuple of them; calls accumulate.
    /// After `group_by`, a column outside aggregates must be grouped, as in the selection.
    pub fn order_by<O, I>(mut self, terms: O) -> Self
    where
        O: OrderList<S, I> + OrderFits<S, I, G>,
    {
        terms.push_items(&mut self.clauses.order_by);
        self
    }

    /// `LIMIT n` (bound as a parameter).
    pub fn limit(mut self, n: u64) -> Self {
        self.clauses.limit = Some(n);
        self
    }

    /// `OFFSET n` (bound as a parameter).
    pub fn offset(mut self, n: u64) -> Self {
        self.clauses.offset = Some(n);
        self
    }

    /// `SELECT DISTINCT`.
    pub fn distinct(mut self) -> Self {
        self.clauses.distinct = true;
        self
    }

    /// Decodes rows into `R2` instead of the selection's natural row type; `R2` is checked against
    /// the selection here.
    pub fn row<R2, I>(self) -> Select<S, Sel, As<R2>, G>
    where
        Sel: SelectionIn<S, I>,
        R2: FromSqlRow<<Sel as SelectionIn<S, I>>::SqlTypes>,
    {
        self.with_sources()
    }

    /// Whether the query has a LIMIT or an OFFSET.
    #[doc(hidden)]
    pub fn is_paged(&self) -> bool {
        self.clauses.limit.is_some() || self.clauses.offset.is_some()
    }

    /// Whether each row is one row of the FROM table (no join, grouping, DISTINCT or derived
    /// FROM), LIMIT and OFFSET aside.
    #[doc(hidden)]
    pub fn reads_table_rows(&self) -> bool {
        let c = &self.clauses;
        c.joins.is_empty()
            && c.group_by.is_empty()
            && c.having.is_empty()
            && !c.distinct
            && c.from_virtual.is_none()
    }

    /// The ORDER BY items, in order.
    #[doc(hidden)]
    pub fn order_items(&self) -> &[OrderItem] {
        &self.clauses.order_by
    }

    /// Lowers to a sea-query statement for `backend` (no check of the selection: see [`Query`]).
    #[doc(hidden)]
    pub fn to_sea(&self, backend: Backend) -> SelectStatement {
        // Nothing around it is its scope but the outer tables it correlates with (the selection
        // lowers inside it).
        self.clauses.lower_select(
            &|items| self.selection.lower_items(backend, items),
            self.from,
            backend,
        )
    }

    /// The query's own `LIMIT`, if any.
    fn own_limit(&self) -> Option<u64> {
        self.clauses.limit
    }

    /// The shape of this query with LIMIT `limit` ([`shape`](crate::shape)), in the order
    /// [`to_sea`](Self::to_sea) writes it.
    fn shape(&self, backend: Backend, limit: Option<u64>) -> crate::shape::Shape {
        // The sources, grouping and row type decide no text: the selection and clauses do.
        let mut s = crate::shape::Shape::new(backend);
        s.ty::<Sel>();
        self.selection.shape(backend, &mut s);
        s.name(self.from.unwrap_or(""));
        self.clauses.shape(s, backend, limit)
    }

    /// Renders with LIMIT `limit`, through the render-once cache ([`shape`](crate::shape)).
    fn render_cached(&self, backend: Backend, limit: Option<u64>) -> Rendered {
        crate::shape::render_cached(self.shape(backend, limit), &|| {
            let mut q = self.to_sea(backend);
            if limit != self.clauses.limit
                && let Some(n) = limit
            {
                q.limit(n);
            }
            render(&q, backend)
        })
    }

    /// Renders `(sql, values)` for `backend`; the selection is checked against the FROM clause and
    /// the joins here. The text comes from the render-once cache ([`shape`](crate::shape)).
    pub fn to_sql<I>(&self, backend: Backend) -> Rendered
    where
        Sel: SelectionIn<S, I> + SelectionFits<S, I, G>,
        Sel::Agg: FitsGrouping<G>,
    {
        self.render_cached(backend, self.clauses.limit)
    }

    /// Renders like [`to_sql`](Self::to_sql), always with sea-query (no cache).
    pub fn to_sql_uncached<I>(&self, backend: Backend) -> Rendered
    where
        Sel: SelectionIn<S, I> + SelectionFits<S, I, G>,
        Sel::Agg: FitsGrouping<G>,
    {
        render(&self.to_sea(backend), backend)
    }
}

impl<Sel: Selection, R, G> Select<Nil, Sel, R, G> {
    /// `FROM M`, for a selection that names no table (`select(count_all()).from(User::TABLE)`),
    /// `FROM` an alias of a table (`.from(Other::TABLE)`: `FROM "user" AS "other"`), or `FROM` a
    /// derived table or CTE (`.from(AlbumLen::from_query(q))`).
    pub fn from<F: FromItem>(mut self, item: F) -> Select<From1<F::Table>, Sel, R, G> {
        let part = item.into_from();
        self.from = Some(part.name);
        self.clauses.from_alias = part.alias;
        self.clauses.from_virtual = part.virt;
        self.with_sources()
    }
}

/// A finished query: the selection is valid in its sources, and rows decode into `Row`.
///
/// The runtime's `all`, `one`, `stream` take any `Query`; `I` is an inferred witness.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a finished query",
    label = "a selected column's table is neither selected from nor joined",
    note = "join the table first: `.join(Model::TABLE.on(condition))` or along a relationship"
)]
pub trait Query<I>: Send + Sync {
    /// The type each row decodes into.
    type Row: Send + 'static;
    /// Lowers to sea-query for `backend`.
    #[doc(hidden)]
    fn to_sea_select(&self, backend: Backend) -> SelectStatement;

    /// Renders `(sql, values)` for `backend`.
    fn render(&self, backend: Backend) -> Rendered {
        render(&self.to_sea_select(backend), backend)
    }

    /// The query's own `LIMIT`, if any.
    #[doc(hidden)]
    fn limit_of(&self) -> Option<u64>;

    /// Whether, as a part of a UNION, the query must be read as a derived table to keep its
    /// clauses its own (an ORDER BY, LIMIT or OFFSET; a set operation).
    #[doc(hidden)]
    fn needs_own_scope(&self) -> bool {
        false
    }

    /// Lowers with the selected columns named `names`, in order: a derived table's declared
    /// columns (a set operation names its first part's, and its ORDER BY follows).
    #[doc(hidden)]
    fn to_sea_select_as(
        &self,
        backend: Backend,
        names: &'static [&'static str],
    ) -> SelectStatement {
        let mut s = self.to_sea_select(backend);
        super::derived::relabel(&mut s, names);
        s
    }

    /// Renders with `LIMIT n`, or the query's own limit if that is smaller: `first`, `exists`.
    fn render_limit(&self, backend: Backend, n: u64) -> Rendered {
        let mut q = self.to_sea_select(backend);
        q.limit(self.limit_of().map_or(n, |own| Ord::min(own, n)));
        render(&q, backend)
    }
}

/// The `LIMIT` that means "every row", where OFFSET needs a LIMIT before it: SQLite's largest
/// integer (its documented `-1` is not a `u64`), MySQL's documented `18446744073709551615`.
fn no_limit(backend: Backend) -> Option<u64> {
    match backend {
        Backend::Postgres => None,
        Backend::MySql => Some(u64::MAX),
        Backend::Sqlite => Some(i64::MAX.unsigned_abs()),
    }
}

impl<S, Sel, G, I> Query<I> for Select<S, Sel, Natural, G>
where
    Sel: SelectionIn<S, I> + SelectionFits<S, I, G>,
    Sel::Agg: FitsGrouping<G>,
    S: Send + Sync + crate::expr::correlated::Standalone,
    G: Send + Sync,
{
    type Row = Sel::Row;
    fn to_sea_select(&self, backend: Backend) -> SelectStatement {
        self.to_sea(backend)
    }
    fn render(&self, backend: Backend) -> Rendered {
        self.render_cached(backend, self.clauses.limit)
    }
    fn render_limit(&self, backend: Backend, n: u64) -> Rendered {
        self.render_cached(
            backend,
            Some(self.own_limit().map_or(n, |own| Ord::min(own, n))),
        )
    }
    fn limit_of(&self) -> Option<u64> {
        self.own_limit()
    }
    fn needs_own_scope(&self) -> bool {
        let c = &self.clauses;
        !c.order_by.is_empty() || c.limit.is_some() || c.offset.is_some()
    }
}

impl<S, Sel, R, G, I> Query<I> for Select<S, Sel, As<R>, G>
where
    Sel: SelectionIn<S, I> + SelectionFits<S, I, G>,
    Sel::Agg: FitsGrouping<G>,
    S: Send + Sync + crate::expr::correlated::Standalone,
    R: Send + 'static,
    G: Send + Sync,
{
    type Row = R;
    fn to_sea_select(&self, backend: Backend) -> SelectStatement {
        self.to_sea(backend)
    }
    fn render(&self, backend: Backend) -> Rendered {
        self.render_cached(backend, self.clauses.limit)
    }
    fn render_limit(&self, backend: Backend, n: u64) -> Rendered {
        self.render_cached(
            backend,
            Some(self.own_limit().map_or(n, |own| Ord::min(own, n))),
        )
    }
    fn limit_of(&self) -> Option<u64> {
        self.own_limit()
    }
    fn needs_own_scope(&self) -> bool {
        let c = &self.clauses;
        !c.order_by.is_empty() || c.limit.is_some() || c.offset.is_some()
    }
}

#[allow(unused_imports)]
use ExprTrait as _;
#[allow(unused_imports)]
use Expression as _;

impl<S, Sel, R, G> Select<S, Sel, R, G> {
    /// Records `table` as an outer table of this subquery, with the sources `S2` and grouping
    /// `G2` that gives: what [`correlate`](Select::correlate) does.
    pub(crate) fn push_outer<S2, G2>(mut self, table: &'static str) -> Select<S2, Sel, R, G2>
    where
        Sel: Selection,
    {
        self.clauses.outer.push(table);
        self.with_sources()
    }

    /// Appends ORDER BY items and, if given, a WHERE condition: what keyset pagination
    /// ([`keyset`](crate::stmt::keyset)) adds.
    pub(crate) fn push_order_and_filter(
        mut self,
        order: Vec<OrderItem>,
        filter: Option<DynExpr>,
    ) -> Self {
        self.clauses.order_by.extend(order);
        self.clauses.filters.extend(filter);
        self
    }
}
