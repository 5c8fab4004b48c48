//! Runs one test body on SQLite (in memory), PostgreSQL and MariaDB/MySQL, through
//! `azoth::testing` (the public helper; see its docs for the rules).
//!
//! PostgreSQL and MySQL come from `AZOTH_TEST_POSTGRES_URL` / `AZOTH_TEST_MYSQL_URL`. Each test
//! gets its own schema (PostgreSQL) or database (MySQL), dropped and created afresh, so tests run
//! in parallel without seeing each other's tables. An unset URL skips that backend with a message;
//! with `AZOTH_TEST_REQUIRE_ALL=1` (CI) an unset or unreachable backend fails the test.
//!
//! These engines keep their namespace after the test (the next run drops it); new tests can use
//! `azoth::testing::engines` directly to have it dropped when the test is done.
#![allow(dead_code)]

pub mod blog;

use azoth::{Backend, Engine};

/// Engines for every reachable backend, each on a fresh namespace named after `test`.
pub async fn engines(test: &str) -> Vec<Engine> {
    azoth::testing::engines(test)
        .await
        .into_iter()
        .map(azoth::testing::TestEngine::into_engine)
        .collect()
}

/// A label for assertion messages.
pub fn name(engine: &Engine) -> &'static str {
    match engine.backend() {
        Backend::Postgres => "PostgreSQL",
        Backend::MySql => "MySQL",
        Backend::Sqlite => "SQLite",
    }
}
