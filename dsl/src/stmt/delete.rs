//! `DELETE FROM table WHERE ...`, optionally `RETURNING ...`.

use sea_query::DeleteStatement;

use super::returning::{render_returning, returning_exprs};
use super::selection::{Selection, SelectionIn, Whole};
use crate::backend::Backend;
use crate::expr::functions::IsBool;
use crate::expr::{BaseOf, DynExpr, Expression, Ghost, ValidIn};
use crate::lower::{Rendered, Statement, render};
use crate::schema::sources::From1;
use crate::schema::{Model, Table};

/// A DELETE from table `M`, returning `Ret` (`()` for nothing; see
/// [`returning`](Delete::returning)).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// let (sql, values) = delete(User::TABLE).filter(User::name.eq("ann")).to_sql(Backend::Postgres);
/// assert_eq!(sql, r#"DELETE FROM "user" WHERE "user"."name" = $1"#);
/// assert_eq!(values.0.len(), 1);
/// ```
pub struct Delete<M, Ret = ()> {
    filters: Vec<DynExpr>,
    returning: Ret,
    _m: Ghost<M>,
}

/// `DELETE FROM M`: every row unless filtered.
pub fn delete<M: Model>(_table: Table<M>) -> Delete<M> {
    Delete {
        filters: Vec::new(),
        returning: (),
        _m: Ghost::default(),
    }
}

impl<M: Model, Ret> Delete<M, Ret> {
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
    pub fn to_sea(&self, backend: Backend) -> DeleteStatement {
        let mut q = DeleteStatement::new();
        q.from_table(M::TABLE_NAME);
        if !self.filters.is_empty() {
            // One conjunction, not one `and_where` each: sea-query nests its conditions per term.
            let all = self.filters.iter().map(|f| f.lower_dyn(backend));
            q.and_where(crate::expr::conjunction(all, true));
        }
        q
    }
}

impl<M: Model> Delete<M> {
    /// `RETURNING sel`: columns or expressions of `M`, read from each deleted row. Run it with
    /// the session's `all`/`one`/`first` (PostgreSQL, SQLite, MariaDB; MySQL has no
    /// `DELETE … RETURNING`: the runtime reports `azoth::Error::Unsupported`); `execute`
    /// does not take it.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// let stmt = delete(User::TABLE).filter(User::name.eq("ann")).returning(User::id);
    /// assert_eq!(stmt.to_sql(Backend::Sqlite).0, r#"DELETE FROM "user" WHERE "user"."name" = ? RETURNING "id""#);
    /// assert_eq!(stmt.to_sql(Backend::MySql).0, "DELETE FROM `user` WHERE `user`.`name` = ? RETURNING `id`");
    /// ```
    pub fn returning<Sel, I>(self, sel: Sel) -> Delete<M, Sel>
    where
        Sel: SelectionIn<From1<M>, I>,
    {
        Delete {
            filters: self.filters,
            returning: sel,
            _m: Ghost::default(),
        }
    }

    /// `RETURNING` every column of `M`: each deleted row decodes into `M`.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// let stmt = delete(User::TABLE).returning_model();
    /// assert_eq!(stmt.to_sql(Backend::Postgres).0, r#"DELETE FROM "user" RETURNING "id", "name""#);
    /// ```
    pub fn returning_model(self) -> Delete<M, Whole<M>> {
        self.returning(Whole::new())
    }
}

impl<M: Model, Sel: Selection> Delete<M, Sel> {
    /// Renders `(sql, values)` for `backend`, with the RETURNING clause.
    pub fn to_sql(&self, backend: Backend) -> Rendered {
        render_returning(
            self.to_sea(backend),
            returning_exprs(&self.returning, backend),
            backend,
        )
    }
}

impl<M: Model> Statement for Delete<M> {
    /// Renders through the render-once cache ([`shape`](crate::shape)).
    fn to_sql(&self, backend: Backend) -> Rendered {
        let mut s = crate::shape::Shape::new(backend);
        s.ty::<Self>();
        crate::shape::filters_shape(&self.filters, backend, &mut s);
        crate::shape::render_cached(s, &|| render(&self.to_sea(backend), backend))
    }
}

#[allow(unused_imports)]
use Expression as _;
