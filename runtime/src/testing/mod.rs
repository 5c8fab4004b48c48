//! Engines for tests: one per configured backend, each on a fresh PostgreSQL schema or
//! MySQL/MariaDB database of its own, dropped when the test is done (enable azoth's `testing`
//! feature, usually in `[dev-dependencies]`).
//!
//! ```toml
//! [dev-dependencies]
//! azoth = { version = "0.1", features = ["testing"] }
//! ```
//!
//! [`engines`] gives an in-memory SQLite engine, plus a PostgreSQL engine when
//! `AZOTH_TEST_POSTGRES_URL` ([`POSTGRES_URL`]) is set and a MySQL/MariaDB one when
//! `AZOTH_TEST_MYSQL_URL` ([`MYSQL_URL`]) is. An unset URL skips that backend with a message on
//! stderr; with `AZOTH_TEST_REQUIRE_ALL=1` ([`REQUIRE_ALL`], for CI) an unset URL or an
//! unreachable server fails the test instead. Run the same test body on each:
//!
//! ```
//! use azoth::prelude::*;
//!
//! azoth::model! {
//!     #[table = "notes"]
//!     pub struct Note { #[primary_key] pub id: i64, pub body: String }
//! }
//!
//! // In a test file: #[tokio::test] async fn notes_are_stored() { .. }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! for engine in azoth::testing::engines("notes_are_stored").await {
//!     let db = engine.backend().name();
//!     engine.create_all::<(Note,)>().await.unwrap();
//!     let mut s = engine.session();
//!     s.insert(NewNote { body: "hi".into() }).await.unwrap();
//!     assert_eq!(s.all(select(Note::body)).await.unwrap(), ["hi"], "{db}");
//! } // each engine's schema or database is dropped here, even when an assertion failed
//! # }
//! ```
//!
//! The namespace of a test is named after the name given (which must be unique among the tests
//! of a crate) and a hash of the crate's directory, so that tests running in parallel, and two
//! checkouts testing against the same servers, never see each other's tables. It is dropped
//! and created afresh when a test starts, and dropped when its [`TestEngine`] is (also while a
//! failed assertion unwinds); a namespace left by a killed run is dropped by the next one.

// With SQLite alone there is no server namespace to claim, create or drop.
#![cfg_attr(
    not(any(feature = "postgres", feature = "mysql")),
    allow(dead_code, unused_imports, unused_variables)
)]

mod cleanup;
#[cfg(feature = "mysql")]
mod mysql;
mod namespace;
#[cfg(feature = "postgres")]
mod postgres;

use std::ops::Deref;

use azoth_dsl::Backend;

use crate::Engine;

pub use namespace::namespace;

/// The environment variable holding the PostgreSQL server's URL:
/// `AZOTH_TEST_POSTGRES_URL=postgres://user@127.0.0.1:5432/db`.
pub const POSTGRES_URL: &str = "AZOTH_TEST_POSTGRES_URL";

/// The environment variable holding the MySQL/MariaDB server's URL:
/// `AZOTH_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/db` (the user may create databases).
pub const MYSQL_URL: &str = "AZOTH_TEST_MYSQL_URL";

/// The environment variable that, set to `1`, makes an unset URL or an unreachable server fail
/// the test instead of skipping its backend.
pub const REQUIRE_ALL: &str = "AZOTH_TEST_REQUIRE_ALL";

/// An engine on a namespace of its own, which it drops when it is dropped; derefs to
/// [`Engine`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let engine = azoth::testing::engine(azoth::Backend::Sqlite, "test_engine_doc").await.unwrap();
/// let mut s = engine.session(); // an `Engine` method
/// assert_eq!(engine.url(), "sqlite::memory:");
/// # }
/// ```
#[derive(Debug)]
pub struct TestEngine {
    engine: Engine,
    url: String,
    /// What to drop when the test is done (none for in-memory SQLite, or after
    /// [`TestEngine::into_engine`]).
    cleanup: Option<cleanup::Cleanup>,
}

impl TestEngine {
    /// The URL of the engine's namespace (its schema or database), to connect other engines to
    /// the same tables, with other [`EngineOptions`](crate::EngineOptions) say.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// for engine in azoth::testing::engines("test_engine_url_doc").await {
    ///     let options = azoth::EngineOptions::default().max_connections(1);
    ///     let other = azoth::Engine::connect_with(engine.url(), options).await?;
    ///     assert_eq!(other.backend(), engine.backend());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The engine, keeping its namespace when the test is done (the next run with the same
    /// name drops it).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let kept: Vec<azoth::Engine> = azoth::testing::engines("test_engine_kept_doc").await
    ///     .into_iter().map(|e| e.into_engine()).collect();
    /// assert!(!kept.is_empty());
    /// # }
    /// ```
    pub fn into_engine(mut self) -> Engine {
        if let Some(cleanup) = self.cleanup.take() {
            cleanup.keep();
        }
        self.engine.clone()
    }
}

impl Deref for TestEngine {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.engine
    }
}

impl Drop for TestEngine {
    fn drop(&mut self) {
        if let Some(cleanup) = self.cleanup.take() {
            cleanup.run();
        }
    }
}

/// One engine per configured backend (see the [module](self)'s rules), each on a fresh
/// namespace named after `test`: in-memory SQLite first, then PostgreSQL and MySQL/MariaDB.
///
/// Panics when `test` is in use by a live [`TestEngine`] of this process (two tests with one
/// name would share tables), and, under `AZOTH_TEST_REQUIRE_ALL=1`, when a backend is missing.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let engines = azoth::testing::engines("engines_doc").await;
/// assert_eq!(engines[0].backend(), azoth::Backend::Sqlite);
/// # }
/// ```
pub async fn engines(test: &str) -> Vec<TestEngine> {
    let mut out = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::MySql] {
        out.extend(engine(backend, test).await);
    }
    if require_all() {
        let compiled = [
            cfg!(feature = "sqlite"),
            cfg!(feature = "postgres"),
            cfg!(feature = "mysql"),
        ];
        let want = compiled.iter().filter(|&&on| on).count();
        assert_eq!(out.len(), want, "every backend must run ({REQUIRE_ALL}=1)");
    }
    out
}

/// An engine of `backend` on a fresh namespace named after `test`; `None` (with a message on
/// stderr) when the backend's URL is unset or its server unreachable, or when this build has no
/// driver for it. Under `AZOTH_TEST_REQUIRE_ALL=1` those panic instead.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use azoth::Backend;
/// // Two databases on one server, standing for a primary and a replica.
/// let primary = azoth::testing::engine(Backend::Postgres, "engine_doc_primary").await;
/// let replica = azoth::testing::engine(Backend::Postgres, "engine_doc_replica").await;
/// if let (Some(primary), Some(replica)) = (primary, replica) {
///     assert_ne!(primary.url(), replica.url());
/// }
/// # }
/// ```
pub async fn engine(backend: Backend, test: &str) -> Option<TestEngine> {
    match backend {
        #[cfg(feature = "sqlite")]
        Backend::Sqlite => {
            let url = "sqlite::memory:";
            let engine = Engine::connect(url).await.expect("in-memory SQLite");
            Some(TestEngine {
                engine,
                url: url.to_owned(),
                cleanup: None,
            })
        }
        #[cfg(feature = "postgres")]
        Backend::Postgres => {
            let server = server_url(POSTGRES_URL, backend)?;
            let claim = namespace::Claim::new(backend, test);
            match postgres::fresh(&server, claim.name()).await {
                Ok(url) => {
                    let engine = Engine::connect(&url).await.expect("PostgreSQL engine");
                    let cleanup = cleanup::Cleanup::new(claim, server);
                    Some(TestEngine {
                        engine,
                        url,
                        cleanup: Some(cleanup),
                    })
                }
                Err(e) => missing(backend, &unreachable(&server, &e)),
            }
        }
        #[cfg(feature = "mysql")]
        Backend::MySql => {
            let server = server_url(MYSQL_URL, backend)?;
            let claim = namespace::Claim::new(backend, test);
            match mysql::fresh(&server, claim.name()).await {
                Ok(url) => {
                    // Few connections: many tests share one server's connection limit.
                    let options = crate::EngineOptions::default().max_connections(4);
                    let engine = Engine::connect_with(&url, options)
                        .await
                        .expect("MySQL engine");
                    let cleanup = cleanup::Cleanup::new(claim, server);
                    Some(TestEngine {
                        engine,
                        url,
                        cleanup: Some(cleanup),
                    })
                }
                Err(e) => missing(backend, &unreachable(&server, &e)),
            }
        }
        #[allow(unreachable_patterns)]
        _ => missing(backend, "this build of azoth has no driver for it"),
    }
}

/// The URL in `var`, or `None` after reporting it missing.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn server_url(var: &str, backend: Backend) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => missing(backend, &format!("{var} is not set")),
    }
}

/// Why a server could not be prepared, without the URL's password.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn unreachable(url: &str, e: &sqlx::Error) -> String {
    let shown = crate::url::redact(url);
    format!("it is unreachable at {shown}: {e}")
}

fn require_all() -> bool {
    std::env::var(REQUIRE_ALL).is_ok_and(|v| v == "1")
}

/// Skips `backend` with a message, or panics under `AZOTH_TEST_REQUIRE_ALL=1`.
fn missing<T>(backend: Backend, why: &str) -> Option<T> {
    let what = backend.name();
    if require_all() {
        panic!("{what} is required ({REQUIRE_ALL}=1) but {why}");
    }
    eprintln!("skipping {what}: {why}");
    None
}
