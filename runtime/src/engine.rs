//! `Engine`: a connection pool for one database, the backend picked by the URL.

use std::marker::PhantomData;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use azoth_dsl::Backend;
#[cfg(feature = "mysql")]
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
#[cfg(feature = "sqlite")]
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::errors::{Error, Result};
use crate::session::Session;

/// Pool settings for [`Engine::connect_with`].
///
/// ```
/// use std::time::Duration;
/// let options = azoth::EngineOptions::default()
///     .max_connections(4)
///     .acquire_timeout(Duration::from_secs(2))
///     .connect_timeout(Duration::from_secs(3))
///     .statement_cache_capacity(0);
/// assert_eq!(options.max_connections, 4);
/// ```
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Most connections the pool opens (an in-memory SQLite database always uses one). A SQLite
    /// file engine with [`sqlite_fast_reads`](Self::sqlite_fast_reads) on and room for two also
    /// keeps connections for reads outside the pool: one per core, at most this many and 8,
    /// each opened only once that many reads ran at the same time (see the guide's page on
    /// engines).
    pub max_connections: u32,
    /// How long a statement waits for a free connection before [`Error::PoolTimeout`].
    pub acquire_timeout: Duration,
    /// How long opening a connection may take before [`Error::Connection`] (the engine's first
    /// one, and one a statement waits for); a refused connection fails at once.
    pub connect_timeout: Duration,
    /// How many prepared statements each connection keeps for reuse; 0 prepares every statement
    /// afresh (for poolers such as PgBouncer in transaction mode). `None` (the default) keeps
    /// the URL's `statement-cache-capacity`, else the driver's 100.
    pub statement_cache_capacity: Option<usize>,
    /// Whether a SQLite engine reads rows of queries straight through SQLite's C API on the
    /// calling task (the default, several times faster) rather than through sqlx's worker thread:
    /// the same rows and errors either way (see the guide's page on engines).
    pub sqlite_fast_reads: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            statement_cache_capacity: None,
            sqlite_fast_reads: true,
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

    /// Sets [`connect_timeout`](Self::connect_timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`statement_cache_capacity`](Self::statement_cache_capacity).
    pub fn statement_cache_capacity(mut self, capacity: usize) -> Self {
        self.statement_cache_capacity = Some(capacity);
        self
    }

    /// Sets [`sqlite_fast_reads`](Self::sqlite_fast_reads).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// let options = azoth::EngineOptions::default().sqlite_fast_reads(false);
    /// let engine = azoth::Engine::connect_with("sqlite::memory:", options).await?;
    /// let n: i64 = engine.session().one(azoth::text("SELECT 1").returns::<i64>()).await?;
    /// assert_eq!(n, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn sqlite_fast_reads(mut self, on: bool) -> Self {
        self.sqlite_fast_reads = on;
        self
    }
}

/// A driver pool: one variant per backend (the typed drivers, not `sqlx::Any`, which lacks uuid,
/// json, decimal and date types).
#[derive(Clone)]
pub(crate) enum Pools {
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
    #[cfg(feature = "mysql")]
    MySql(MySqlPool),
    #[cfg(feature = "sqlite")]
    Sqlite(SqlitePool),
}

/// What every engine handle shares: the pool, its backend, the statement counter.
pub(crate) struct Core {
    pools: Pools,
    backend: Backend,
    statements: AtomicU64,
    connect_timeout: Duration,
    sqlite_fast_reads: bool,
    /// The SQLite connection kept for fast reads (see `sqlite_fast::resident`).
    #[cfg(feature = "sqlite")]
    residence: crate::sqlite_fast::Residence,
    /// How many statements SQLite's fast path keeps prepared per connection.
    #[cfg(feature = "sqlite")]
    sqlite_statements: usize,
}

impl Core {
    /// [`EngineOptions::connect_timeout`], for [`crate::connect::acquire`].
    pub(crate) fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The backend statements are rendered for.
    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether queries on SQLite read rows through the fast path ([`EngineOptions::sqlite_fast_reads`]).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn sqlite_fast_reads(&self) -> bool {
        self.sqlite_fast_reads && self.backend == Backend::Sqlite
    }

    /// Where the SQLite connection kept for fast reads lives (none on other backends).
    #[cfg(feature = "sqlite")]
    pub(crate) fn residence(&self) -> &crate::sqlite_fast::Residence {
        &self.residence
    }

    /// How many statements SQLite's fast path keeps prepared per connection.
    #[cfg(feature = "sqlite")]
    pub(crate) fn sqlite_statements(&self) -> usize {
        self.sqlite_statements
    }

    pub(crate) fn count_statement(&self) {
        self.statements.fetch_add(1, Ordering::Relaxed);
    }
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
///
/// `B` is the backend when it is known at compile time ([`typed::Postgres`], [`typed::MySql`],
/// [`typed::Sqlite`], opened with [`Engine::connect_typed`]): statements a backend cannot run
/// are then compile errors. [`typed::Any`] (the default) picks the backend from the URL at run
/// time and reports such statements as [`Error::Unsupported`].
pub struct Engine<B = typed::Any> {
    inner: Arc<Core>,
    _backend: PhantomData<fn() -> B>,
}

impl<B> Clone for Engine<B> {
    fn clone(&self) -> Self {
        Engine {
            inner: self.inner.clone(),
            _backend: PhantomData,
        }
    }
}

impl<B> std::fmt::Debug for Engine<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("backend", &self.inner.backend)
            .finish_non_exhaustive()
    }
}

/// The error for a URL of a backend this build has no driver for.
#[cfg(not(all(feature = "sqlite", feature = "postgres", feature = "mysql")))]
fn without(backend: Backend, feature: &str) -> Error {
    Error::Unsupported(format!(
        "this build of azoth has no {} driver: enable azoth's `{feature}` feature",
        backend.name()
    ))
}

impl Engine {
    /// Connects with default [`EngineOptions`]: `sqlite::memory:`, `sqlite:path.db` (created if
    /// missing), `postgres://…`, `mysql://…` or `mariadb://…`.
    pub async fn connect(url: &str) -> Result<Engine> {
        Self::connect_with(url, EngineOptions::default()).await
    }

    /// Connects with the given pool options. A URL of no supported scheme is
    /// [`Error::UnsupportedUrl`], a malformed one [`Error::InvalidUrl`]; a server that refuses
    /// or does not answer within [`EngineOptions::connect_timeout`] is [`Error::Connection`].
    /// No error shows the URL's password.
    pub async fn connect_with(url: &str, options: EngineOptions) -> Result<Engine> {
        let backend = crate::url::backend_of(url)
            .ok_or_else(|| Error::UnsupportedUrl(crate::url::redact(url)))?;
        let invalid = |e: sqlx::Error| invalid_url(url, e);
        // An in-memory SQLite database: each connection would be a database of its own.
        #[cfg(feature = "sqlite")]
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        // A SQLite file engine with room for two connections keeps some more, outside the
        // pool, for fast reads (see `sqlite_fast::resident`).
        #[cfg(feature = "sqlite")]
        let resident = if backend == Backend::Sqlite && !memory && options.sqlite_fast_reads {
            crate::sqlite_fast::Residence::size_for(options.max_connections)
        } else {
            0
        };
        // Statements the fast path keeps prepared per SQLite connection: as many as sqlx keeps.
        #[cfg(feature = "sqlite")]
        let sqlite_statements = options.statement_cache_capacity.unwrap_or(100);
        let pools = match backend {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                let connect = SqliteConnectOptions::from_str(url)
                    .map_err(invalid)?
                    .create_if_missing(true)
                    .foreign_keys(true)
                    .busy_timeout(crate::sqlite_fast::BUSY_TIMEOUT);
                let connect = match options.statement_cache_capacity {
                    Some(n) => connect.statement_cache_capacity(n),
                    None => connect,
                };
                // Each connection to `sqlite::memory:` is its own database: keep exactly one,
                // forever.
                let pool = if memory {
                    SqlitePoolOptions::new()
                        .max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None)
                } else {
                    SqlitePoolOptions::new().max_connections(options.max_connections)
                };
                // No ping before handing out a connection: an embedded database does not drop
                // connections, and the pool already pings each one it takes back (which also
                // handles what a statement left queued, see `sqlite_fast::drain`). The ping
                // was a round trip to the connection's thread on every statement.
                let pool = pool
                    .test_before_acquire(false)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(connect)
                    .await?;
                Pools::Sqlite(pool)
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres => {
                let connect = PgConnectOptions::from_str(url).map_err(invalid)?;
                let connect = match options.statement_cache_capacity {
                    Some(n) => connect.statement_cache_capacity(n),
                    None => connect,
                };
                crate::connect::first_connection(&connect, options.connect_timeout).await?;
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_lazy_with(connect);
                Pools::Postgres(pool)
            }
            #[cfg(feature = "mysql")]
            Backend::MySql => {
                let mysql_url = url.replacen("mariadb://", "mysql://", 1);
                let connect = MySqlConnectOptions::from_str(&mysql_url).map_err(invalid)?;
                let connect = match options.statement_cache_capacity {
                    Some(n) => connect.statement_cache_capacity(n),
                    None => connect,
                };
                crate::connect::first_connection(&connect, options.connect_timeout).await?;
                let pool = MySqlPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_lazy_with(connect);
                Pools::MySql(pool)
            }
            #[cfg(not(feature = "sqlite"))]
            Backend::Sqlite => return Err(without(backend, "sqlite")),
            #[cfg(not(feature = "postgres"))]
            Backend::Postgres => return Err(without(backend, "postgres")),
            #[cfg(not(feature = "mysql"))]
            Backend::MySql => return Err(without(backend, "mysql")),
        };
        let core = Core {
            pools,
            backend,
            statements: AtomicU64::new(0),
            connect_timeout: options.connect_timeout,
            sqlite_fast_reads: options.sqlite_fast_reads,
            #[cfg(feature = "sqlite")]
            residence: crate::sqlite_fast::Residence::new(
                resident,
                options.connect_timeout,
                sqlite_statements,
            ),
            #[cfg(feature = "sqlite")]
            sqlite_statements,
        };
        Ok(Engine {
            inner: Arc::new(core),
            _backend: PhantomData,
        })
    }
}

/// A malformed URL: what the driver says is wrong with it, without the URL's secrets.
fn invalid_url(url: &str, e: sqlx::Error) -> Error {
    let reason = match e {
        sqlx::Error::Configuration(inner) => inner.to_string(),
        other => other.to_string(),
    };
    Error::InvalidUrl {
        url: crate::url::redact(url),
        reason: crate::url::scrub(&reason, url),
    }
}

impl<B: typed::Known> Engine<B> {
    /// Connects to a database whose backend is known at compile time:
    /// `Engine::<typed::Postgres>::connect_typed("postgres://…")`. A URL of another backend is
    /// [`Error::WrongBackend`].
    pub async fn connect_typed(url: &str) -> Result<Self> {
        Self::connect_typed_with(url, EngineOptions::default()).await
    }

    /// [`connect_typed`](Self::connect_typed) with pool options.
    pub async fn connect_typed_with(url: &str, options: EngineOptions) -> Result<Self> {
        match crate::url::backend_of(url) {
            Some(found) if found != B::BACKEND => {
                return Err(Error::WrongBackend {
                    expected: B::BACKEND,
                    found,
                    url: crate::url::redact(url),
                });
            }
            _ => {}
        }
        let engine = Engine::connect_with(url, options).await?;
        Ok(Engine {
            inner: engine.inner,
            _backend: PhantomData,
        })
    }
}

impl<B> Engine<B> {
    /// The SQL dialect of this engine's database.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// A new session over this engine's pool.
    pub fn session(&self) -> Session<B> {
        Session::new(self.clone())
    }

    /// The same engine with its backend checked at run time only.
    pub fn into_any(self) -> Engine {
        Engine {
            inner: self.inner,
            _backend: PhantomData,
        }
    }

    /// How many statements this engine has sent so far (for tests and diagnostics, such as
    /// checking how many queries an eager load ran).
    pub fn statements_run(&self) -> u64 {
        self.inner.statements.load(Ordering::Relaxed)
    }

    pub(crate) fn core(&self) -> &Core {
        &self.inner
    }

    pub(crate) fn pools(&self) -> &Pools {
        &self.inner.pools
    }

    /// Closes every connection; later statements fail with [`Error::Connection`].
    pub async fn close(&self) {
        match &self.inner.pools {
            #[cfg(feature = "postgres")]
            Pools::Postgres(p) => p.close().await,
            #[cfg(feature = "mysql")]
            Pools::MySql(p) => p.close().await,
            #[cfg(feature = "sqlite")]
            Pools::Sqlite(p) => {
                self.inner.residence.close().await;
                p.close().await
            }
        }
    }
}

/// The backend of an engine, at the type level.
pub mod typed {
    use azoth_dsl::Backend;

    /// The backend is read from the URL at run time.
    #[derive(Debug, Clone, Copy)]
    pub struct Any;
    /// PostgreSQL, known at compile time.
    #[derive(Debug, Clone, Copy)]
    pub struct Postgres;
    /// MySQL or MariaDB, known at compile time.
    #[derive(Debug, Clone, Copy)]
    pub struct MySql;
    /// SQLite, known at compile time.
    #[derive(Debug, Clone, Copy)]
    pub struct Sqlite;

    /// A backend known at compile time.
    pub trait Known: Send + Sync + 'static {
        /// Which one.
        const BACKEND: Backend;
    }
    impl Known for Postgres {
        const BACKEND: Backend = Backend::Postgres;
    }
    impl Known for MySql {
        const BACKEND: Backend = Backend::MySql;
    }
    impl Known for Sqlite {
        const BACKEND: Backend = Backend::Sqlite;
    }

    /// The backend runs `INSERT … RETURNING` (MySQL does not; [`Any`] checks at run time).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` has no `INSERT … RETURNING`",
        label = "this statement cannot run on this engine's backend",
        note = "on MySQL, `session.insert(row)` returns the stored row by reading it back"
    )]
    pub trait InsertReturning {}
    #[diagnostic::do_not_recommend]
    impl InsertReturning for Any {}
    #[diagnostic::do_not_recommend]
    impl InsertReturning for Postgres {}
    #[diagnostic::do_not_recommend]
    impl InsertReturning for Sqlite {}
}
