//! `UPDATE table SET col = value, ... WHERE ...`.

use sea_query::UpdateStatement;

use crate::backend::Backend;
use crate::expr::functions::IsBool;
use crate::expr::{AsValue, BaseOf, DynExpr, Expression, Ghost, ValidIn};
use crate::lower::{Rendered, Statement, render};
use crate::schema::sources::From1;
use crate::schema::{Column, ColumnOf, Model, Table};

/// An UPDATE of table `M` before its first `set`: it cannot be rendered yet.
pub struct UpdateStart<M>(Ghost<M>);

/// An UPDATE of table `M` with at least one `set`.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub email: String, pub bio: Option<String> } }
/// let stmt = update(User::TABLE).set(User::email, "new@x.org").set(User::bio, None).filter(User::id.eq(7));
/// let (sql, values) = stmt.to_sql(Backend::MySql);
/// assert_eq!(sql, "UPDATE `user` SET `email` = ?, `bio` = ? WHERE `user`.`id` = ?");
/// assert_eq!(values.0.len(), 3);
/// ```
pub struct Update<M> {
    sets: Vec<(&'static str, DynExpr)>,
    filters: Vec<DynExpr>,
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
            _m: Ghost::default(),
        }
        .set(col, value)
    }
}

impl<M: Model> Update<M> {
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
    {
        self.filters.push(Box::new(pred));
        self
    }

    /// Lowers to sea-query for `backend`.
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

impl<M: Model> Statement for Update<M> {
    fn to_sql(&self, backend: Backend) -> Rendered {
        render(&self.to_sea(backend), backend)
    }
}

#[allow(unused_imports)]
use Expression as _;
