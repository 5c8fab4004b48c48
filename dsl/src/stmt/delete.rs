//! `DELETE FROM table WHERE ...`.

use sea_query::DeleteStatement;

use crate::backend::Backend;
use crate::expr::functions::IsBool;
use crate::expr::{BaseOf, DynExpr, Expression, Ghost, ValidIn};
use crate::lower::{Rendered, Statement, render};
use crate::schema::sources::From1;
use crate::schema::{Model, Table};

/// A DELETE from table `M`.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// let (sql, values) = delete(User::TABLE).filter(User::name.eq("ann")).to_sql(Backend::Postgres);
/// assert_eq!(sql, r#"DELETE FROM "user" WHERE "user"."name" = $1"#);
/// assert_eq!(values.0.len(), 1);
/// ```
pub struct Delete<M> {
    filters: Vec<DynExpr>,
    _m: Ghost<M>,
}

/// `DELETE FROM M`: every row unless filtered.
pub fn delete<M: Model>(_table: Table<M>) -> Delete<M> {
    Delete {
        filters: Vec::new(),
        _m: Ghost::default(),
    }
}

impl<M: Model> Delete<M> {
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

impl<M: Model> Statement for Delete<M> {
    fn to_sql(&self, backend: Backend) -> Rendered {
        render(&self.to_sea(backend), backend)
    }
}

#[allow(unused_imports)]
use Expression as _;
