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
    /// The cells of every row, one row after the other.
    cells: Vec<(&'static str, Value)>,
    /// Where each row's cells end in `cells`.
    ends: Vec<usize>,
    returning: Option<Ret>,
    on_conflict: Option<Conflict>,
    _m: Ghost<M>,
}

struct Conflict {
    target: &'static [&'static str],
    action: ConflictAction,
}

enum ConflictAction {
    Nothing,
    Update(&'static [&'static str]),
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
    let rows = rows.into_iter();
    let expected = rows.size_hint().0;
    let mut cells = Vec::with_capacity(expected * <N::Model as Model>::META.columns.len());
    let mut ends = Vec::with_capacity(expected);
    for row in rows {
        row.push_values(&mut cells);
        ends.push(cells.len());
    }
    Insert {
        cells,
        ends,
        returning: None,
        on_conflict: None,
        _m: Ghost::default(),
    }
}

impl<M: Model, Ret> Insert<M, Ret> {
    /// The number of rows to insert.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no row to insert (the runtime then runs nothing).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// `RETURNING sel`: columns or expressions of `M` (not rendered on MySQL, which lacks it; the
    /// runtime reads generated keys there instead).
    pub fn returning<Sel, I>(self, sel: Sel) -> Insert<M, Sel>
    where
        Sel: SelectionIn<From1<M>, I>,
    {
        Insert {
            cells: self.cells,
            ends: self.ends,
            returning: Some(sel),
            on_conflict: self.on_conflict,
            _m: Ghost::default(),
        }
    }

    /// Starts an upsert: what to do when a row conflicts on the unique `columns` of `M`.
    pub fn on_conflict<C: ColumnList<M>>(self, columns: C) -> OnConflictStart<M, Ret> {
        let _ = columns;
        OnConflictStart {
            insert: self,
            target: C::NAMES,
        }
    }

    /// The (column, value) pairs of the first row, as given (none without rows).
    #[doc(hidden)]
    pub fn first_row_values(&self) -> &[(&'static str, Value)] {
        self.rows().iter().next().unwrap_or_default()
    }

    /// Every row.
    fn rows(&self) -> Rows<'_> {
        Rows {
            cells: &self.cells,
            ends: &self.ends,
            start: 0,
        }
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
        for row in self.rows().iter() {
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
        if !set.is_empty() || self.len() < 2 || backend != Backend::Sqlite {
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
        self.lower_rows(&self.columns(backend), self.rows(), backend, returning)
    }

    fn lower_rows(
        &self,
        columns: &[&'static str],
        rows: Rows<'_>,
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
            for row in rows.iter() {
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

/// Whether every row of `rows` sets every one of `columns`, in their order (the usual
/// statement). The first row's names are compared with `columns`; the others' with the first
/// row's by address (rows of one type push the same names), else by text.
fn all_full(rows: Rows<'_>, columns: &[&'static str]) -> bool {
    let mut rows = rows.iter();
    let Some(first) = rows.next() else {
        return true;
    };
    is_full(first, columns)
        && rows.all(|row| {
            row.len() == first.len()
                && row
                    .iter()
                    .zip(first)
                    .all(|((a, _), (b, _))| std::ptr::eq(*a, *b))
                || is_full(row, columns)
        })
}

/// Rows of an INSERT (all of them, or a batch): their cells one after the other, and where each
/// row ends, counted from the first cell of the statement's first row.
#[derive(Clone, Copy)]
struct Rows<'a> {
    cells: &'a [(&'static str, Value)],
    ends: &'a [usize],
    /// Where `cells` starts, counted like `ends`.
    start: usize,
}

impl<'a> Rows<'a> {
    fn len(self) -> usize {
        self.ends.len()
    }

    fn is_empty(self) -> bool {
        self.ends.is_empty()
    }

    /// Each row's cells.
    fn iter(self) -> impl Iterator<Item = &'a [(&'static str, Value)]> {
        spans(self.ends, self.start).map(move |span| &self.cells[span])
    }

    /// The rows in batches of `n`.
    fn chunks(self, n: usize) -> impl Iterator<Item = Rows<'a>> {
        batches(self.ends, self.start, n).map(move |(span, ends)| Rows {
            cells: &self.cells[span.clone()],
            ends,
            start: self.start + span.start,
        })
    }
}

/// The rows of `ends` (counted like [`Rows::ends`]) in batches of `n`: each batch's cells as a
/// range of a slice of cells that starts at `start`, and its rows' ends.
fn batches(
    ends: &[usize],
    start: usize,
    n: usize,
) -> impl Iterator<Item = (std::ops::Range<usize>, &[usize])> {
    ends.chunks(n).scan(start, move |from, ends| {
        let end = *ends.last()?;
        let span = *from - start..end - start;
        *from = end;
        Some((span, ends))
    })
}

/// Where each row ends (`ends`, counted like [`Rows::ends`]) as ranges of a slice of cells that
/// starts at `start`.
fn spans(ends: &[usize], start: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    ends.iter().scan(start, move |from, &end| {
        let span = *from - start..end - start;
        *from = end;
        Some(span)
    })
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
    target: &'static [&'static str],
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
        let _ = columns;
        self.insert.on_conflict = Some(Conflict {
            target: self.target,
            action: ConflictAction::Update(C::NAMES),
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
        rows: Rows<'_>,
        full: bool,
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
        if full {
            // Every row sets every column, in order (`all_full`).
            s.num(3);
            if collect {
                for (_, v) in rows.cells {
                    s.value(v.clone());
                }
            }
            return self.conflict_shape(s);
        }
        s.num(4);
        // With no column, every row takes every default: no values.
        for row in rows.iter() {
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
        self.conflict_shape(s)
    }

    /// `s` followed by the shape of the ON CONFLICT clause.
    fn conflict_shape(&self, mut s: crate::shape::Shape) -> crate::shape::Shape {
        match &self.on_conflict {
            None => s.num(0),
            Some(c) => {
                s.num(c.target.len() as u64);
                for t in c.target {
                    s.name(t);
                }
                match &c.action {
                    ConflictAction::Nothing => s.num(0),
                    ConflictAction::Update(cols) => {
                        s.num(cols.len() as u64 + 1);
                        for t in *cols {
                            s.name(t);
                        }
                    }
                }
            }
        }
        s
    }

    /// Renders an INSERT of `rows` into `columns` through the render-once cache.
    fn render_rows(&self, columns: &[&'static str], rows: Rows<'_>, backend: Backend) -> Rendered {
        let full = all_full(rows, columns);
        crate::shape::render_cached(self.shape(columns, rows, full, backend, true), &|| {
            render(&self.lower_rows(columns, rows, backend, None), backend)
        })
    }

    /// The cached text of an INSERT of `rows` into `columns` (`None` when it is not cached), and
    /// whether every row sets every column (`all_full`).
    fn cached(
        &self,
        columns: &[&'static str],
        rows: Rows<'_>,
        backend: Backend,
    ) -> (Option<String>, bool) {
        let full = all_full(rows, columns);
        let shape = self.shape(columns, rows, full, backend, false);
        (crate::shape::cached_text(shape), full)
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
        match self.cached(&columns, self.rows(), backend) {
            // Every cell is a value, in order: the cells become the values.
            (Some(sql), true) => {
                let cells = std::mem::take(&mut self.cells);
                (
                    sql,
                    sea_query::Values(cells.into_iter().map(|(_, v)| v).collect()),
                )
            }
            (Some(sql), false) => {
                let values = take_values::<M>(&columns, &mut self.cells, &self.ends, 0);
                (sql, sea_query::Values(values))
            }
            (None, _) => self.render_rows(&columns, self.rows(), backend),
        }
    }
}

impl<M: Model> Statement for Insert<M, ()> {
    /// Renders through the render-once cache ([`shape`](crate::shape)).
    fn to_sql(&self, backend: Backend) -> Rendered {
        self.render_rows(&self.columns(backend), self.rows(), backend)
    }

    /// Splits the rows so that each statement binds at most `max_params` values; no rows, no
    /// statement.
    fn to_sql_batches(&self, backend: Backend, max_params: usize) -> Vec<Rendered> {
        let columns = self.columns(backend);
        let per_row = columns.len().max(1);
        let rows_per_batch = (max_params / per_row).max(1);
        if self.is_empty() {
            return Vec::new();
        }
        if self.len() <= rows_per_batch {
            return vec![self.to_sql(backend)];
        }
        self.rows()
            .chunks(rows_per_batch)
            .map(|rows| self.render_rows(&columns, rows, backend))
            .collect()
    }

    fn into_sql_batches(mut self, backend: Backend, max_params: usize) -> Vec<Rendered> {
        let columns = self.columns(backend);
        let per_row = columns.len().max(1);
        let rows_per_batch = (max_params / per_row).max(1);
        if self.is_empty() {
            return Vec::new();
        }
        if self.len() <= rows_per_batch {
            return vec![self.into_sql(backend)];
        }
        let mut cells = std::mem::take(&mut self.cells);
        let mut out = Vec::new();
        for (span, ends) in batches(&self.ends, 0, rows_per_batch) {
            let rows = Rows {
                cells: &cells[span.clone()],
                ends,
                start: span.start,
            };
            out.push(match self.cached(&columns, rows, backend) {
                (Some(sql), _) => {
                    let values =
                        take_values::<M>(&columns, &mut cells[span.clone()], ends, span.start);
                    (sql, sea_query::Values(values))
                }
                (None, _) => self.render_rows(&columns, rows, backend),
            });
        }
        out
    }
}

/// The bound values of the rows of `cells` (rows ending at `ends`, counted from `start`, as in
/// [`Rows`]) into `columns`, moved out, in the order the shape collects them.
fn take_values<M: Model>(
    columns: &[&'static str],
    cells: &mut [(&'static str, Value)],
    ends: &[usize],
    start: usize,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(ends.len() * columns.len());
    for span in spans(ends, start) {
        let row = &mut cells[span];
        if is_full(row, columns) {
            out.extend(
                row.iter_mut()
                    .map(|(_, v)| std::mem::replace(v, Value::Bool(None))),
            );
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
