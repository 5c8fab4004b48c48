//! Runs one test body on SQLite (in memory), PostgreSQL and MariaDB/MySQL.
//!
//! PostgreSQL and MySQL come from `AZOTH_TEST_POSTGRES_URL` / `AZOTH_TEST_MYSQL_URL`. Each test
//! gets its own schema (PostgreSQL) or database (MySQL), dropped and created afresh, so tests run
//! in parallel without seeing each other's tables. An unset URL skips that backend with a message;
//! with `AZOTH_TEST_REQUIRE_ALL=1` (CI) an unset or unreachable backend fails the test.
#![allow(dead_code)]

pub mod blog;

use azoth::{Backend, Engine, EngineOptions};
use sqlx::Connection;

fn require_all() -> bool {
    std::env::var("AZOTH_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

fn missing(what: &str, why: &str) {
    if require_all() {
        panic!("{what} is required (AZOTH_TEST_REQUIRE_ALL=1) but {why}");
    }
    eprintln!("skipping {what}: {why}");
}

/// The namespace of `test`: its name and the checkout's, so that two checkouts of the project
/// testing against the same servers at once do not drop each other's tables.
fn namespace(test: &str) -> String {
    let checkout = env!("CARGO_MANIFEST_DIR")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    format!("azoth_{test}_{:06x}", checkout & 0xff_ffff)
}

/// Engines for every reachable backend, each on a fresh namespace named after `test`.
pub async fn engines(test: &str) -> Vec<Engine> {
    let name = namespace(test);
    let mut out = vec![
        Engine::connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite"),
    ];
    match std::env::var("AZOTH_TEST_POSTGRES_URL") {
        Ok(url) => match fresh_pg_schema(&url, &name).await {
            Ok(url) => out.push(Engine::connect(&url).await.expect("PostgreSQL engine")),
            Err(e) => missing("PostgreSQL", &format!("it is unreachable at {url}: {e}")),
        },
        Err(_) => missing("PostgreSQL", "AZOTH_TEST_POSTGRES_URL is not set"),
    }
    match std::env::var("AZOTH_TEST_MYSQL_URL") {
        Ok(url) => match fresh_mysql_db(&url, &name).await {
            Ok(url) => out.push(
                Engine::connect_with(&url, EngineOptions::default().max_connections(4))
                    .await
                    .expect("MySQL engine"),
            ),
            Err(e) => missing("MySQL", &format!("it is unreachable at {url}: {e}")),
        },
        Err(_) => missing("MySQL", "AZOTH_TEST_MYSQL_URL is not set"),
    }
    if require_all() {
        assert_eq!(out.len(), 3, "every backend must run");
    }
    out
}

async fn fresh_pg_schema(url: &str, schema: &str) -> Result<String, sqlx::Error> {
    let mut c = sqlx::PgConnection::connect(url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    )))
    .execute(&mut c)
    .await?;
    let sep = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{sep}options=-c%20search_path%3D{schema}"))
}

async fn fresh_mysql_db(url: &str, db: &str) -> Result<String, sqlx::Error> {
    let mut c = sqlx::MySqlConnection::connect(url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db}"
    )))
    .execute(&mut c)
    .await?;
    let base = match url.rfind('/') {
        Some(i) if i > "mysql://".len() => &url[..i],
        _ => url,
    };
    Ok(format!("{base}/{db}"))
}

/// A label for assertion messages.
pub fn name(engine: &Engine) -> &'static str {
    match engine.backend() {
        Backend::Postgres => "PostgreSQL",
        Backend::MySql => "MySQL",
        Backend::Sqlite => "SQLite",
    }
}
