//! A test's PostgreSQL schema: created afresh, and dropped with the connections still using it.

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// Drops and creates schema `schema` on the server at `server`; the URL of an engine whose
/// tables land in it (its `search_path`), with the schema as `application_name` so that
/// [`drop`] finds the engine's connections.
pub(super) async fn fresh(server: &str, schema: &str) -> Result<String, sqlx::Error> {
    let mut c = PgConnection::connect(server).await?;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\""
    )))
    .execute(&mut c)
    .await?;
    c.close().await?;
    let sep = if server.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{server}{sep}options=-c%20search_path%3D{schema}&application_name={schema}"
    ))
}

/// Ends the connections an engine on `schema` still has (an unfinished transaction would hold
/// its tables' locks), then drops the schema.
pub(super) async fn drop(server: &str, schema: &str) -> Result<(), sqlx::Error> {
    let mut c = PgConnection::connect(server).await?;
    sqlx::raw_sql("SET lock_timeout = '10s'")
        .execute(&mut c)
        .await?;
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND pid <> pg_backend_pid()",
    )
    .bind(schema)
    .execute(&mut c)
    .await?;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
    )))
    .execute(&mut c)
    .await?;
    c.close().await
}
