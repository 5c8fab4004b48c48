//! Rendering lowered statements to `(sql, values)` for each backend.

use sea_query::{
    MysqlQueryBuilder, PostgresQueryBuilder, QueryStatementWriter, SqliteQueryBuilder, Values,
};

use crate::backend::Backend;

/// SQL text with its bound values, in placeholder order.
pub type Rendered = (String, Values);

/// Renders a sea-query statement for `backend`: values are bound, identifiers quoted.
///
/// ```
/// use azoth_dsl::{Backend, lower::render};
/// let mut q = sea_query::SelectStatement::new();
/// q.column("id").from("users");
/// assert_eq!(render(&q, Backend::MySql).0, "SELECT `id` FROM `users`");
/// ```
pub fn render<S: QueryStatementWriter>(stmt: &S, backend: Backend) -> Rendered {
    match backend {
        Backend::Postgres => stmt.build(PostgresQueryBuilder),
        Backend::MySql => stmt.build(MysqlQueryBuilder),
        Backend::Sqlite => stmt.build(SqliteQueryBuilder),
    }
}

/// A data-changing statement (INSERT, UPDATE, DELETE) ready to render.
pub trait Statement: Send + Sync {
    /// Renders `(sql, values)` for `backend`.
    fn to_sql(&self, backend: Backend) -> Rendered;

    /// Renders as statements of at most `max_params` bound values each, where the statement can
    /// be split (a many-row insert); others render as one.
    fn to_sql_batches(&self, backend: Backend, max_params: usize) -> Vec<Rendered> {
        let _ = max_params;
        vec![self.to_sql(backend)]
    }
}
