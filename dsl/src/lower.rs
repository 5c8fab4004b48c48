//! Rendering lowered statements to `(sql, values)` for each backend.

use sea_query::{
    Alias, ColumnName, ColumnRef, Expr as SeaExpr, IntoIden, MysqlQueryBuilder,
    PostgresQueryBuilder, QueryStatementWriter, SqliteQueryBuilder, TableName, Values,
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

/// `Ok` if `rendered` binds no more values than `backend` takes in one statement, else
/// [`Error::TooManyBinds`](crate::Error::TooManyBinds) (PostgreSQL would drop the connection).
///
/// ```
/// use azoth_dsl::{Backend, lower::check_binds};
/// let many = sea_query::Values(vec![1i32.into(); 40_000]);
/// assert!(check_binds(&("..".into(), many.clone()), Backend::Postgres).is_ok());
/// assert!(check_binds(&("..".into(), many), Backend::Sqlite).is_err());
/// ```
pub fn check_binds(rendered: &Rendered, backend: Backend) -> Result<(), crate::Error> {
    let (count, max) = (rendered.1.0.len(), backend.max_binds());
    if count > max {
        return Err(crate::Error::TooManyBinds {
            count,
            max,
            backend,
        });
    }
    Ok(())
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

    /// Renders like [`to_sql_batches`](Self::to_sql_batches), moving the bound values out of the
    /// statement where it can instead of copying them (what the runtime does with a statement it
    /// was given).
    fn into_sql_batches(self, backend: Backend, max_params: usize) -> Vec<Rendered>
    where
        Self: Sized,
    {
        self.to_sql_batches(backend, max_params)
    }
}

/// `e` with its columns of table `from` read from `to` instead (the alias of a joined table):
/// how a condition written on a model applies to an aliased copy of its table.
pub fn retable(e: SeaExpr, from: &str, to: &str) -> SeaExpr {
    match e {
        SeaExpr::Column(ColumnRef::Column(ColumnName(Some(TableName(schema, t)), c)))
            if t.to_string() == from =>
        {
            SeaExpr::Column(ColumnRef::Column(ColumnName(
                Some(TableName(schema, Alias::new(to).into_iden())),
                c,
            )))
        }
        SeaExpr::Binary(l, op, r) => SeaExpr::Binary(
            Box::new(retable(*l, from, to)),
            op,
            Box::new(retable(*r, from, to)),
        ),
        SeaExpr::Unary(op, x) => SeaExpr::Unary(op, Box::new(retable(*x, from, to))),
        SeaExpr::Tuple(items) => {
            SeaExpr::Tuple(items.into_iter().map(|x| retable(x, from, to)).collect())
        }
        SeaExpr::FunctionCall(f) => {
            let args: Vec<SeaExpr> = f
                .get_args()
                .iter()
                .cloned()
                .map(|x| retable(x, from, to))
                .collect();
            SeaExpr::FunctionCall(f.args(args))
        }
        // `COUNT(DISTINCT $1)` and the like.
        SeaExpr::CustomWithExpr(s, items) => {
            SeaExpr::CustomWithExpr(s, items.into_iter().map(|x| retable(x, from, to)).collect())
        }
        other => other,
    }
}

/// `e` with its columns named without their table: how ORDER BY names the columns of a UNION.
///
/// ```
/// use azoth_dsl::lower::unqualified;
/// let e = unqualified(sea_query::Expr::col(("users", "name")));
/// let mut q = sea_query::SelectStatement::new();
/// q.expr(e);
/// assert_eq!(azoth_dsl::lower::render(&q, azoth_dsl::Backend::Sqlite).0, r#"SELECT "name""#);
/// ```
pub fn unqualified(e: SeaExpr) -> SeaExpr {
    match e {
        SeaExpr::Column(ColumnRef::Column(ColumnName(Some(_), c))) => {
            SeaExpr::Column(ColumnRef::Column(ColumnName(None, c)))
        }
        SeaExpr::Binary(l, op, r) => {
            SeaExpr::Binary(Box::new(unqualified(*l)), op, Box::new(unqualified(*r)))
        }
        SeaExpr::Unary(op, x) => SeaExpr::Unary(op, Box::new(unqualified(*x))),
        SeaExpr::FunctionCall(f) => {
            let args: Vec<SeaExpr> = f.get_args().iter().cloned().map(unqualified).collect();
            SeaExpr::FunctionCall(f.args(args))
        }
        // Templates: `CASE`, portable functions, `COUNT(DISTINCT ..)`.
        SeaExpr::CustomWithExpr(s, items) => {
            SeaExpr::CustomWithExpr(s, items.into_iter().map(unqualified).collect())
        }
        other => other,
    }
}
