//! A test's MySQL/MariaDB database: created afresh, and dropped with the connections still
//! using it.

use sqlx::{AssertSqlSafe, Connection, MySqlConnection};

/// Drops and creates database `db` on the server at `server`; the URL of an engine on it (the
/// server URL with its database replaced, its parameters kept).
pub(super) async fn fresh(server: &str, db: &str) -> Result<String, sqlx::Error> {
    let mut c = MySqlConnection::connect(server).await?;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS `{db}`; CREATE DATABASE `{db}`"
    )))
    .execute(&mut c)
    .await?;
    c.close().await?;
    Ok(with_database(server, db))
}

/// `server` with its database path replaced by `db`.
fn with_database(server: &str, db: &str) -> String {
    let (head, query) = match server.split_once('?') {
        Some((head, query)) => (head, format!("?{query}")),
        None => (server, String::new()),
    };
    let authority = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority..].find('/') {
        Some(i) => &head[..authority + i],
        None => head,
    };
    format!("{base}/{db}{query}")
}

/// Ends the connections still using `db` (an unfinished transaction would hold its tables'
/// metadata locks), then drops it.
pub(super) async fn drop(server: &str, db: &str) -> Result<(), sqlx::Error> {
    let mut c = MySqlConnection::connect(server).await?;
    sqlx::raw_sql("SET SESSION lock_wait_timeout = 10")
        .execute(&mut c)
        .await?;
    let ids: Vec<u64> = sqlx::query_scalar(
        "SELECT CAST(ID AS UNSIGNED) FROM information_schema.PROCESSLIST \
         WHERE DB = ? AND ID <> CONNECTION_ID()",
    )
    .bind(db)
    .fetch_all(&mut c)
    .await?;
    for id in ids {
        // The connection may have ended meanwhile.
        let _ = sqlx::raw_sql(AssertSqlSafe(format!("KILL {id}")))
            .execute(&mut c)
            .await;
    }
    sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{db}`")))
        .execute(&mut c)
        .await?;
    c.close().await
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_is_replaced_and_the_parameters_kept() {
        let cases = [
            (
                "mysql://root@127.0.0.1:3306/test",
                "mysql://root@127.0.0.1:3306/t1",
            ),
            (
                "mysql://root@127.0.0.1:3306",
                "mysql://root@127.0.0.1:3306/t1",
            ),
            (
                "mysql://u:p@h/test?ssl-mode=REQUIRED&x=a/b",
                "mysql://u:p@h/t1?ssl-mode=REQUIRED&x=a/b",
            ),
        ];
        for (server, want) in cases {
            assert_eq!(with_database(server, "t1"), want);
        }
    }
}
