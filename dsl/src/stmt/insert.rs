//! `INSERT INTO table (...) VALUES (...), ...` with `RETURNING` and upserts.

use sea_query::{
    Alias, Expr as SeaExpr, InsertStatement, OnConflict, ReturningClause, SelectStatement, Value,
};

use super::ColumnList;
use super::selection::{Selection, SelectionIn};
use crate::backend::Backend;
use crate::expr::Ghost;
use crate::lower::{Rendered, Statement, render};
use crate::schema::sources::From1;
use crate::schema::{Insertable, KeyKind, Model};

/// An INSERT of rows of `M`, returning `Ret` (`()` for nothing).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// azoth_dsl::model! {
///     pub struct User {
///         #[primary_key] pub id: i64,
///         pub name: String,
///         #[server_default(0)] pub karma: i32,
///     }
/// }
/// let stmt = insert(NewUser { name: "ann".into(), karma: None }).returning(User::id);
/// assert_eq!(stmt.to_sql(Backend::Postgres).0, r#"INSERT INTO "user" ("name") VALUES ($1) RETURNING "id""#);
/// ```
pub struct Insert<M, Ret = ()> {
    rows: Vec<Vec<(&'static str, Value)>>,
    returning: Option<Ret>,
    on_conflict: Option<Conflict>,
    _m: Ghost<M>,
}

struct Conflict {
    target: Vec<&'static str>,
    action: ConflictAction,
}

enum ConflictAction {
    Nothing,
    Update(Vec<&'static str>),
}

/// `INSERT` of one new row (`NewUser { .. }`): leaving out a required column is rustc's own
/// "missing field" error; columns with a default are `Option`, `None` meaning "use the default":
/// a `#[default(..)]` is computed here, for each row; a `#[server_default(..)]` column is left out.
pub fn insert<N: Insertable>(row: N) -> Insert<N::Model> {
    insert_many([row])
}

/// `INSERT` of many new rows in one statement (the runtime splits it under each backend's
/// bind-parameter limit).
pub fn insert_many<N: Insertable, I: IntoIterator<Item = N>>(rows: I) -> Insert<N::Model> {
    let rows = rows
        .into_iter()
        .map(|r| {
            let mut values = Vec::with_capacity(<N::Model as Model>::META.columns.len());
            r.push_values(&mut values);
            values
        })
        .collect();
    Insert {
        rows,
        returning: None,
        on_conflict: None,
        _m: Ghost::default(),
    }
}

impl<M: Model, Ret> Insert<M, Ret> {
    /// The number of rows to insert.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no row to insert (the runtime then runs nothing).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// `RETURNING sel`: columns or expressions of `M` (not rendered on MySQL, which lacks it; the
    /// runtime reads generated keys there instead).
    pub fn returning<Sel, I>(self, sel: Sel) -> Insert<M, Sel>
    where
        Sel: SelectionIn<From1<M>, I>,
    {
        Insert {
            rows: self.rows,
            returning: Some(sel),
            on_conflict: self.on_conflict,
            _m: Ghost::default(),
        }
    }

    /// Starts an upsert: what to do when a row conflicts on the unique `columns` of `M`.
    pub fn on_conflict<C: ColumnList<M>>(self, columns: C) -> OnConflictStart<M, Ret> {
        let mut target = Vec::new();
        columns.push_names(&mut target);
        OnConflictStart {
            insert: self,
            target,
        }
    }

    /// The (column, value) pairs of each row, as given.
    #[doc(hidden)]
    pub fn row_values(&self) -> &[Vec<(&'static str, Value)>] {
        &self.rows
    }

    /// The columns some row sets, in the table's declaration order.
    ///
    /// When no row sets any column, SQLite (which has no `VALUES (DEFAULT), ..` and inserts one
    /// row with `DEFAULT VALUES`) names the defaulted columns, else the generated key, so that
    /// every row is inserted; PostgreSQL and MySQL insert `n` default rows without columns.
    fn columns(&self, backend: Backend) -> Vec<&'static str> {
        let meta = M::META.columns;
        let mut is_set = vec![false; meta.len()];
        let mut left = meta.len();
        for row in &self.rows {
            // Rows list their columns in declaration order: follow it with a cursor, and look a
            // column up from the start only when a row does not.
            let mut k = 0;
            for (name, _) in row {
                let at = match meta[k..].iter().position(|c| same(c.name, name)) {
                    Some(i) => k + i,
                    None => match meta.iter().position(|c| same(c.name, name)) {
                        Some(i) => i,
                        None => continue,
                    },
                };
                if !is_set[at] {
                    is_set[at] = true;
                    left -= 1;
                }
                k = at + 1;
                if k == meta.len() {
                    k = 0;
                }
            }
            if left == 0 {
                break;
            }
        }
        let set: Vec<&'static str> = meta
            .iter()
            .zip(&is_set)
            .filter(|(_, set)| **set)
            .map(|(c, _)| c.name)
            .collect();
        if !set.is_empty() || self.rows.len() < 2 || backend != Backend::Sqlite {
            return set;
        }
        let defaulted: Vec<&'static str> = M::META
            .columns
            .iter()
            .filter(|c| c.default.is_some())
            .map(|c| c.name)
            .collect();
        if !defaulted.is_empty() {
            return defaulted;
        }
        M::META
            .columns
            .iter()
            .filter(|c| c.primary_key == KeyKind::Auto)
            .map(|c| c.name)
            .collect()
    }

    fn lower(&self, backend: Backend, returning: Option<Vec<SeaExpr>>) -> InsertStatement {
        self.lower_rows(&self.columns(backend), &self.rows, backend, returning)
    }

    fn lower_rows(
        &self,
        columns: &[&'static str],
        rows: &[Vec<(&'static str, Value)>],
        backend: Backend,
        returning: Option<Vec<SeaExpr>>,
    ) -> InsertStatement {
        let mut q = InsertStatement::new();
        q.into_table(M::TABLE_NAME);
        if rows.is_empty() {
            // No row: a statement that inserts none (`INSERT .. SELECT .. WHERE 1 = 0`), for a
            // RETURNING of no rows; `DEFAULT VALUES` would insert one.
            let meta = &M::META.columns;
            let column = meta
                .iter()
                .find(|c| c.primary_key != KeyKind::Auto)
                .or(meta.first())
                .map_or("id", |c| c.name);
            q.columns([column]);
            let mut none = SelectStatement::new();
            none.column(column)
                .from(M::TABLE_NAME)
                .and_where(crate::expr::truth(false));
            // One column on each side: sea-query's only error cannot happen.
            let _ = q.select_from(none);
        } else if columns.is_empty() {
            // Every row takes every default: `VALUES (DEFAULT), ..` (PostgreSQL), `VALUES (), ..`
            // (MySQL), `DEFAULT VALUES` (SQLite, one row: `columns` avoids this for more).
            q.or_default_values_many(u32::try_from(rows.len()).unwrap_or(u32::MAX));
        } else {
            q.columns(columns.iter().copied());
            for row in rows {
                let values = columns
                    .iter()
                    .enumerate()
                    .map(|(i, name)| match cell(row, i, name) {
                        Some(v) => SeaExpr::Value(v.clone()),
                        // Another row sets this column; this one leaves it to the model's default.
                        None => column_default::<M>(name, backend),
                    });
                q.values_panic(values);
            }
        }
        if let Some(c) = &self.on_conflict {
            let mut oc = OnConflict::columns(c.target.iter().map(|t| Alias::new(*t)));
            match &c.action {
                ConflictAction::Nothing => {
                    oc.do_nothing_on(c.target.iter().map(|t| Alias::new(*t)))
                }
                ConflictAction::Update(cols) => {
                    oc.update_columns(cols.iter().map(|t| Alias::new(*t)))
                }
            };
            q.on_conflict(oc);
        }
        if let Some(exprs) = returning {
            q.returning(ReturningClause::Exprs(exprs));
        }
        q
    }
}

/// Whether two column names are the same (most often the same constant, compared by address).
fn same(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Whether `row` sets every one of `columns`, in their order (the usual row).
fn is_full(row: &[(&'static str, Value)], columns: &[&'static str]) -> bool {
    row.len() == columns.len() && row.iter().zip(columns).all(|((c, _), n)| same(c, n))
}

/// The value `row` sets for column `name`, the `i`-th of the statement's columns: usually the
/// row's `i`-th cell.
fn cell<'r>(row: &'r [(&'static str, Value)], i: usize, name: &str) -> Option<&'r Value> {
    match row.get(i) {
        Some((c, v)) if same(c, name) => Some(v),
        _ => row.iter().find(|(c, _)| same(c, name)).map(|(_, v)| v),
    }
}

/// The model's server default for a column a row left out (`#[server_default(..)]`, a constant or
/// `now()`: what the database would use), else NULL (for a generated key, SQLite generates the key
/// for NULL). Client defaults never get here: each row already holds its value.
fn column_default<M: Model>(name: &str, backend: Backend) -> SeaExpr {
    match M::META.column(name) {
        Some(meta) => match meta.default {
            Some(d) => (d.0)(backend),
            None => SeaExpr::Value(crate::sql_types::null_of(meta.kind)),
        },
        None => SeaExpr::Constant(Value::Bool(None)),
    }
}

/// An upsert waiting for its action: [`do_nothing`](Self::do_nothing) or [`do_update`](Self::do_update).
pub struct OnConflictStart<M, Ret> {
    insert: Insert<M, Ret>,
    target: Vec<&'static str>,
}

impl<M: Model, Ret> OnConflictStart<M, Ret> {
    /// Skip conflicting rows (`ON CONFLICT DO NOTHING`; on MySQL, `ON DUPLICATE KEY UPDATE c = c`).
    pub fn do_nothing(mut self) -> Insert<M, Ret> {
        self.insert.on_conflict = Some(Conflict {
            target: self.target,
            action: ConflictAction::Nothing,
        });
        self.insert
    }

    /// Overwrite `columns` of the existing row with the new row's values
    /// (`ON CONFLICT (..) DO UPDATE SET c = excluded.c`; MySQL: `ON DUPLICATE KEY UPDATE c = VALUES(c)`).
    pub fn do_update<C: ColumnList<M>>(mut self, columns: C) -> Insert<M, Ret> {
        let mut cols = Vec::new();
        columns.push_names(&mut cols);
        self.insert.on_conflict = Some(Conflict {
            target: self.target,
            action: ConflictAction::Update(cols),
        });
        self.insert
    }
}

impl<M: Model> Insert<M, ()> {
    /// The shape of an INSERT of `rows` into `columns` ([`shape`](crate::shape)), in the order
    /// [`lower_rows`](Self::lower_rows) writes it.
    ///
    /// Without `collect`, the values are left out (the caller takes them with [`take_values`]).
    fn shape(
        &self,
        columns: &[&'static str],
        rows: &[Vec<(&'static str, Value)>],
        backend: Backend,
        collect: bool,
    ) -> crate::shape::Shape {
        let mut s = crate::shape::Shape::new(backend);
        s.ty::<Self>();
        if rows.is_empty() {
            s.uncacheable();
            return s;
        }
        s.num(rows.len() as u64);
        s.num(columns.len() as u64);
        for c in columns {
            s.name(c);
        }
        // With no column, every row takes every default: no values.
        for row in rows {
            if is_full(row, columns) {
                // The usual row: every column, in order.
                s.num(2);
                if collect {
                    for (_, v) in row {
                        s.value(v.clone());
                    }
                }
                continue;
            }
            for (i, name) in columns.iter().enumerate() {
                match cell(row, i, name) {
                    Some(v) => {
                        s.num(1);
                        if collect {
                            s.value(v.clone());
                        }
                    }
                    None => match M::META.column(name) {
                        // A left-out column with no default is a bound NULL of its type.
                        Some(meta) if meta.default.is_none() => {
                            s.num(0);
                            if collect {
                                s.value(crate::sql_types::null_of(meta.kind));
                            }
                        }
                        // A server default is written as the default's own SQL.
                        _ => s.uncacheable(),
                    },
                }
            }
        }
        match &self.on_conflict {
            None => s.num(0),
            Some(c) => {
                s.num(c.target.len() as u64);
                for t in &c.target {
                    s.name(t);
                }
                match &c.action {
                    ConflictAction::Nothing => s.num(0),
                    ConflictAction::Update(cols) => {
                        s.num(cols.len() as u64 + 1);
                        for t in cols {
                            s.name(t);
                        }
                    }
                }
            }
        }
        s
    }

    /// Renders an INSERT of `rows` into `columns` through the render-once cache.
    fn render_rows(
        &self,
        columns: &[&'static str],
        rows: &[Vec<(&'static str, Value)>],
        backend: Backend,
    ) -> Rendered {
        crate::shape::render_cached(self.shape(columns, rows, backend, true), &|| {
            render(&self.lower_rows(columns, rows, backend, None), backend)
        })
    }

    /// Renders `rows` like [`render_rows`](Self::render_rows), moving their values out when the
    /// text is cached (copying them to render it the first time).
    fn render_rows_moving(
        &self,
        columns: &[&'static str],
        rows: &mut [Vec<(&'static str, Value)>],
        backend: Backend,
    ) -> Rendered {
        match crate::shape::cached_text(self.shape(columns, rows, backend, false)) {
            Some(sql) => (sql, sea_query::Values(take_values::<M>(columns, rows))),
            None => self.render_rows(columns, rows, backend),
        }
    }

    /// Renders `(sql, values)` like [`to_sql`](Statement::to_sql), moving the values out of the
    /// statement instead of copying them.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// let q = || insert_many([NewUser { name: "ann".into() }, NewUser { name: "bob".into() }]);
    /// assert_eq!(q().into_sql(Backend::Sqlite), Statement::to_sql(&q(), Backend::Sqlite));
    /// ```
    pub fn into_sql(mut self, backend: Backend) -> Rendered {
        let columns = self.columns(backend);
        let mut rows = std::mem::take(&mut self.rows);
        self.render_rows_moving(&columns, &mut rows, backend)
    }
}

impl<M: Model> Statement for Insert<M, ()> {
    /// Renders through the render-once cache ([`shape`](crate::shape)).
    fn to_sql(&self, backend: Backend) -> Rendered {
        self.render_rows(&self.columns(backend), &self.rows, backend)
    }

    /// Splits the rows so that each statement binds at most `max_params` values; no rows, no
    /// statement.
    fn to_sql_batches(&self, backend: Backend, max_params: usize) -> Vec<Rendered> {
        let columns = self.columns(backend);
        let per_row = columns.len().max(1);
        let rows_per_batch = (max_params / per_row).max(1);
        if self.rows.is_empty() {
            return Vec::new();
        }
        if self.rows.len() <= rows_per_batch {
            return vec![self.to_sql(backend)];
        }
        self.rows
            .chunks(rows_per_batch)
            .map(|rows| self.render_rows(&columns, rows, backend))
            .collect()
    }

    fn into_sql_batches(mut self, backend: Backend, max_params: usize) -> Vec<Rendered> {
        let columns = self.columns(backend);
        let per_row = columns.len().max(1);
        let rows_per_batch = (max_params / per_row).max(1);
        if self.rows.is_empty() {
            return Vec::new();
        }
        let mut rows = std::mem::take(&mut self.rows);
        rows.chunks_mut(rows_per_batch)
            .map(|rows| self.render_rows_moving(&columns, rows, backend))
            .collect()
    }
}

/// The bound values of `rows` into `columns`, moved out, in the order the shape collects them.
fn take_values<M: Model>(
    columns: &[&'static str],
    rows: &mut [Vec<(&'static str, Value)>],
) -> Vec<Value> {
    let mut out = Vec::with_capacity(rows.len() * columns.len());
    for row in rows {
        if is_full(row, columns) {
            out.extend(row.drain(..).map(|(_, v)| v));
            continue;
        }
        for (i, name) in columns.iter().enumerate() {
            let at = match row.get(i) {
                Some((c, _)) if same(c, name) => Some(i),
                _ => row.iter().position(|(c, _)| same(c, name)),
            };
            match at {
                Some(at) => out.push(std::mem::replace(&mut row[at].1, Value::Bool(None))),
                // A cached shape has no server default to write: a NULL of the column's type.
                None => {
                    if let Some(meta) = M::META.column(name) {
                        out.push(crate::sql_types::null_of(meta.kind));
                    }
                }
            }
        }
    }
    out
}

impl<M: Model, Sel: Selection> Insert<M, Sel> {
    /// Renders `(sql, values)` for `backend`, with the RETURNING clause.
    pub fn to_sql(&self, backend: Backend) -> Rendered {
        let returning = self
            .returning
            .as_ref()
            .map(|sel| super::returning::returning_exprs(sel, backend));
        render(&self.lower(backend, returning), backend)
    }
}
