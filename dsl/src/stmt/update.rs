//! `UPDATE table SET col = value, ... WHERE ...`, optionally `RETURNING ...`.

use sea_query::UpdateStatement;

use super::returning::{render_returning, returning_exprs};
use super::selection::{Selection, SelectionIn, Whole};
use crate::backend::Backend;
use crate::expr::functions::IsBool;
use crate::expr::{AsValue, BaseOf, DynExpr, Expression, Ghost, ValidIn};
use crate::lower::{Rendered, Statement, render};
use crate::schema::sources::From1;
use crate::schema::{Column, ColumnOf, Model, Table};

/// An UPDATE of table `M` before its first `set`: it cannot be rendered yet.
pub struct UpdateStart<M>(Ghost<M>);

/// An UPDATE of table `M` with at least one `set`, returning `Ret` (`()` for nothing; see
/// [`returning`](Update::returning)).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub email: String, pub bio: Option<String> } }
/// let stmt = update(User::TABLE).set(User::email, "new@x.org").set(User::bio, None).filter(User::id.eq(7));
/// let (sql, values) = stmt.to_sql(Backend::MySql);
/// assert_eq!(sql, "UPDATE `user` SET `email` = ?, `bio` = ? WHERE `user`.`id` = ?");
/// assert_eq!(values.0.len(), 3);
/// ```
pub struct Update<M, Ret = ()> {
    sets: Vec<(&'static str, DynExpr)>,
    filters: Vec<DynExpr>,
    returning: Ret,
    _m: Ghost<M>,
}

/// `UPDATE M`: follow with `.set(column, value)`.
pub fn update<M: Model>(_table: Table<M>) -> UpdateStart<M> {
    UpdateStart(Ghost::default())
}

/// Never implemented: `filter` before `set` names the mistake instead of rustc's "not an iterator".
#[diagnostic::on_unimplemented(
    message = "this UPDATE sets no column yet: call `.set(column, value)` before `.filter(..)`",
    label = "add `.set(..)` first"
)]
pub trait SetBeforeFilter {}

/// Never implemented: running an UPDATE that has no `set` names the mistake instead of listing
/// the statements `execute` takes.
#[diagnostic::on_unimplemented(
    message = "this UPDATE sets nothing: add `.set(column, value)` before running it",
    label = "an UPDATE needs a column to set: `update(User::TABLE).set(User::karma, 0)`"
)]
pub trait UpdateSetsAColumn {
    /// Never called: no type implements this trait.
    fn never(&self) -> Rendered;
}

impl<M: Model> Statement for UpdateStart<M>
where
    Table<M>: UpdateSetsAColumn,
{
    fn to_sql(&self, _: Backend) -> Rendered {
        Table::<M>::new().never()
    }
}

impl<M: Model> UpdateStart<M> {
    /// Not available before the first `set`: an UPDATE needs a column to set.
    pub fn filter<P>(self, _pred: P) -> Self
    where
        Self: SetBeforeFilter,
    {
        self
    }

    /// `SET col = value`: `col` must be a column of `M`, `value` of its SQL type (`None` only for a
    /// nullable column), or an expression over `M`.
    pub fn set<C, V, I>(self, col: C, value: V) -> Update<M>
    where
        C: Column + ColumnOf<M>,
        V: AsValue<C::SqlType>,
        V::Expr: ValidIn<From1<M>, I>,
    {
        Update {
            sets: Vec::new(),
            filters: Vec::new(),
            returning: (),
            _m: Ghost::default(),
        }
        .set(col, value)
    }
}

impl<M: Model, Ret> Update<M, Ret> {
    /// Another `SET col = value`.
    pub fn set<C, V, I>(mut self, _col: C, value: V) -> Self
    where
        C: Column + ColumnOf<M>,
        V: AsValue<C::SqlType>,
        V::Expr: ValidIn<From1<M>, I>,
    {
        self.sets.push((C::NAME, Box::new(value.into_value_expr())));
        self
    }

    /// `WHERE pred` over `M`'s columns (several calls are joined with `AND`).
    pub fn filter<P, I>(mut self, pred: P) -> Self
    where
        P: ValidIn<From1<M>, I>,
        BaseOf<P::SqlType>: IsBool,
        P::Agg: crate::expr::aggregate::NotAggregate,
        P::Agg: crate::expr::window::NoWindowInWhere,
    {
        self.filters.push(Box::new(pred));
        self
    }

    /// Lowers to sea-query for `backend` (without RETURNING).
    #[doc(hidden)]
    pub fn to_sea(&self, backend: Backend) -> UpdateStatement {
        let mut q = UpdateStatement::new();
        q.table(M::TABLE_NAME);
        q.values(self.sets.iter().map(|(c, e)| (*c, e.lower_dyn(backend))));
        if !self.filters.is_empty() {
            // One conjunction, not one `and_where` each: sea-query nests its conditions per term.
            let all = self.filters.iter().map(|f| f.lower_dyn(backend));
            q.and_where(crate::expr::conjunction(all, true));
        }
        q
    }
}

impl<M: Model> Update<M> {
    /// `RETURNING sel`: columns or expressions of `M`, read from each updated row as it is after
    /// the update. Run it with the session's `all`/`one`/`first` (PostgreSQL, SQLite; MySQL and
    /// MariaDB have no `UPDATE … RETURNING`: a compile error on a typed MySQL engine, a run-time
    /// error on an untyped one); `execute` does not take it.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub karma: i32 } }
    /// let stmt = update(User::TABLE).set(User::karma, User::karma.add(1)).filter(User::id.eq(7)).returning((User::id, User::karma));
    /// assert_eq!(
    ///     stmt.to_sql(Backend::Postgres).0,
    ///     r#"UPDATE "user" SET "karma" = "user"."karma" + $1 WHERE "user"."id" = $2 RETURNING "id", "karma""#
    /// );
    /// ```
    pub fn returning<Sel, I>(self, sel: Sel) -> Update<M, Sel>
    where
        Sel: SelectionIn<From1<M>, I>,
    {
        Update {
            sets: self.sets,
            filters: self.filters,
            returning: sel,
            _m: Ghost::default(),
        }
    }

    /// `RETURNING` every column of `M`: each updated row decodes into `M`, as it is after the
    /// update.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub karma: i32 } }
    /// let stmt = update(User::TABLE).set(User::karma, 0).returning_model();
    /// assert_eq!(stmt.to_sql(Backend::Sqlite).0, r#"UPDATE "user" SET "karma" = ? RETURNING "id", "karma""#);
    /// ```
    pub fn returning_model(self) -> Update<M, Whole<M>> {
        self.returning(Whole::new())
    }
}

impl<M: Model, Sel: Selection> Update<M, Sel> {
    /// Renders `(sql, values)` for `backend`, with the RETURNING clause.
    pub fn to_sql(&self, backend: Backend) -> Rendered {
        render_returning(
            self.to_sea(backend),
            returning_exprs(&self.returning, backend),
            backend,
        )
    }
}

impl<M: Model> Statement for Update<M> {
    /// Renders through the render-once cache ([`shape`](crate::shape)).
    fn to_sql(&self, backend: Backend) -> Rendered {
        let mut s = crate::shape::Shape::new(backend);
        s.ty::<Self>();
        s.num(self.sets.len() as u64);
        for (column, value) in &self.sets {
            s.name(column);
            value.shape_dyn(backend, &mut s);
        }
        crate::shape::filters_shape(&self.filters, backend, &mut s);
        crate::shape::render_cached(s, &|| render(&self.to_sea(backend), backend))
    }
}

#[allow(unused_imports)]
use Expression as _;
