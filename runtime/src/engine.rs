//! `Engine`: a connection pool for one database, the backend picked by the URL.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use azoth_dsl::Backend;
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::errors::{Error, Result};
use crate::session::Session;

/// Pool settings for [`Engine::connect_with`].
///
/// ```
/// use std::time::Duration;
/// let options = azoth::EngineOptions::default().max_connections(4).acquire_timeout(Duration::from_secs(2));
/// assert_eq!(options.max_connections, 4);
/// ```
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Most connections the pool opens (an in-memory SQLite database always uses one).
    pub max_connections: u32,
    /// How long a statement waits for a free connection before [`Error::PoolTimeout`].
    pub acquire_timeout: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(30),
        }
    }
}

impl EngineOptions {
    /// Sets [`max_connections`](Self::max_connections).
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// Sets [`acquire_timeout`](Self::acquire_timeout).
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }
}

/// A driver pool: one variant per backend (the typed drivers, not `sqlx::Any`, which lacks uuid,
/// json, decimal and date types).
#[derive(Clone)]
pub(crate) enum Pools {
    Postgres(PgPool),
    MySql(MySqlPool),
    Sqlite(SqlitePool),
}

struct Inner {
    pools: Pools,
    backend: Backend,
    statements: AtomicU64,
}

/// A pool of connections to one database; cheap to clone. Start sessions with [`Engine::session`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = azoth::Engine::connect("sqlite::memory:").await?;
/// assert_eq!(engine.backend(), azoth::Backend::Sqlite);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("backend", &self.inner.backend)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Connects with default [`EngineOptions`]: `sqlite::memory:`, `sqlite:path.db` (created if
    /// missing), `postgres://…`, `mysql://…` or `mariadb://…`.
    pub async fn connect(url: &str) -> Result<Engine> {
        Self::connect_with(url, EngineOptions::default()).await
    }

    /// Connects with the given pool options.
    pub async fn connect_with(url: &str, options: EngineOptions) -> Result<Engine> {
        let (pools, backend) = if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let connect = SqliteConnectOptions::from_str(url)
                .map_err(|_| Error::UnsupportedUrl(url.to_owned()))?
                .create_if_missing(true)
                .foreign_keys(true);
            // Each connection to `sqlite::memory:` is its own database: keep exactly one, forever.
            let pool = if memory {
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
            } else {
                SqlitePoolOptions::new().max_connections(options.max_connections)
            };
            let pool = pool
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            (Pools::Sqlite(pool), Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect = PgConnectOptions::from_str(url)
                .map_err(|_| Error::UnsupportedUrl(url.to_owned()))?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            (Pools::Postgres(pool), Backend::Postgres)
        } else if url.starts_with("mysql://") || url.starts_with("mariadb://") {
            let url = url.replacen("mariadb://", "mysql://", 1);
            let connect = MySqlConnectOptions::from_str(&url)
                .map_err(|_| Error::UnsupportedUrl(url.clone()))?;
            let pool = MySqlPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            (Pools::MySql(pool), Backend::MySql)
        } else {
            return Err(Error::UnsupportedUrl(url.to_owned()));
        };
        Ok(Engine {
            inner: Arc::new(Inner {
                pools,
                backend,
                statements: AtomicU64::new(0),
            }),
        })
    }

    /// The SQL dialect of this engine's database.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// A new session over this engine's pool.
    pub fn session(&self) -> Session {
        Session::new(self.clone())
    }

    /// How many statements this engine has sent so far (for tests and diagnostics, such as
    /// checking how many queries an eager load ran).
    pub fn statements_run(&self) -> u64 {
        self.inner.statements.load(Ordering::Relaxed)
    }

    pub(crate) fn count_statement(&self) {
        self.inner.statements.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn pools(&self) -> &Pools {
        &self.inner.pools
    }

    /// Closes every connection; later statements fail with [`Error::Connection`].
    pub async fn close(&self) {
        match &self.inner.pools {
            Pools::Postgres(p) => p.close().await,
            Pools::MySql(p) => p.close().await,
            Pools::Sqlite(p) => p.close().await,
        }
    }
}
