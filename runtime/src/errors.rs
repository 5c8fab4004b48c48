//! `azoth::Error`: what can go wrong running a statement, said so the user can act on it.
//!
//! No variant holds a password: URLs are shown through [`crate::url::redact`], and the driver's
//! errors kept as sources carry none (sqlx's connection errors name the user, never the password).

use sqlx::error::ErrorKind;

use crate::classify::{self, DbKind};

/// The kind of constraint a statement violated.
///
/// ```
/// assert_eq!(azoth::ConstraintKind::Unique.to_string(), "unique");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConstraintKind {
    /// A unique or primary-key constraint.
    Unique,
    /// A foreign key.
    ForeignKey,
    /// A NOT NULL column.
    NotNull,
    /// A CHECK constraint.
    Check,
}

impl std::fmt::Display for ConstraintKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConstraintKind::Unique => "unique",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::NotNull => "not null",
            ConstraintKind::Check => "check",
        })
    }
}

/// How a transaction lost a race with another one; retrying the whole transaction may succeed.
///
/// ```
/// assert_eq!(azoth::ConflictKind::Deadlock.to_string(), "deadlock");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictKind {
    /// The database detected a deadlock and chose this transaction as the victim (PostgreSQL
    /// 40P01, MySQL 1213). The transaction is rolled back.
    Deadlock,
    /// A serializable or repeatable-read transaction could not be serialized: SQLSTATE 40001
    /// (PostgreSQL), MariaDB's 1020 "Record has changed since last read" (with
    /// `innodb_snapshot_isolation`), SQLite's `SQLITE_BUSY_SNAPSHOT` (a WAL transaction that
    /// read before another connection committed, then tried to write). The transaction is
    /// rolled back.
    Serialization,
    /// A lock was not granted in time: PostgreSQL 55P03 (`lock_timeout`, `NOWAIT`), MySQL 1205
    /// (`innodb_lock_wait_timeout`, only the statement is rolled back) and 3572, SQLite
    /// `SQLITE_BUSY`/`SQLITE_LOCKED` (the database is locked by another connection).
    LockTimeout,
}

impl std::fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConflictKind::Deadlock => "deadlock",
            ConflictKind::Serialization => "serialization failure",
            ConflictKind::LockTimeout => "lock not granted in time",
        })
    }
}

/// Everything that can fail in azoth's runtime.
///
/// New variants may be added: a `match` needs a `_` arm. The accessors
/// ([`Error::constraint_kind`], [`Error::is_unique_violation`], [`Error::is_retryable`]...)
/// answer the questions a service asks without matching.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `one()` found no row.
    #[error("no row matched the query (use `one_or_none` or `first` when none is a valid answer)")]
    NotFound,
    /// `one()` found more than one row.
    #[error(
        "expected exactly one row, the query returned several (narrow the filter or use `first`)"
    )]
    MultipleRows,
    /// The statement violated a constraint; the session stays usable.
    ///
    /// What each backend reports besides the kind (the guide's "Errors a service can act on"
    /// has the table): PostgreSQL the constraint's name and table, and the columns of a key or
    /// a NOT NULL column; MySQL/MariaDB the unique key's name (`email`, `PRIMARY`; MySQL 8
    /// adds the table), a foreign key's name, table and columns, a check's name and table, a
    /// NOT NULL column; SQLite a unique key's or NOT NULL column's table and columns, a named
    /// check's name, and nothing for a foreign key.
    #[error("{kind} constraint{} violated: {message}", constraint.as_deref().map(|c| format!(" `{c}`")).unwrap_or_default())]
    #[non_exhaustive]
    Constraint {
        /// Which kind of constraint.
        kind: ConstraintKind,
        /// The constraint's name, where the database reports it: for a unique violation on
        /// MySQL/MariaDB, the unique key's name (a `#[unique]` column's key is named after the
        /// column); on SQLite, only an expression index's name or a named check's.
        constraint: Option<String>,
        /// The table the constraint belongs to (a foreign key's referencing table), where the
        /// database reports it.
        table: Option<String>,
        /// The columns the constraint covers, where the database reports them (unique keys,
        /// foreign keys, NOT NULL columns); empty otherwise.
        columns: Vec<String>,
        /// The database's message.
        message: String,
        /// The driver's error (boxed: it keeps `azoth::Error` small).
        #[source]
        source: Box<sqlx::Error>,
    },
    /// The transaction conflicted with another one (deadlock, serialization failure, lock
    /// timeout): [`Error::is_retryable`] is true.
    #[error("{kind}: {message} (roll back and run the whole transaction again)")]
    Conflict {
        /// Which conflict.
        kind: ConflictKind,
        /// The database's message.
        message: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// No connection became free within the pool's acquire timeout.
    #[error(
        "timed out waiting for a free database connection: every connection stayed busy, or a new one could not be opened (raise `max_connections` or `acquire_timeout`, hold connections for less time, or check that the server accepts connections)"
    )]
    PoolTimeout(#[source] sqlx::Error),
    /// A row did not fit the Rust type the query decodes into.
    #[error("decoding a row: {0}")]
    Decode(#[from] azoth_dsl::Error),
    /// The connection to the database could not be opened (refused, unreachable, not within
    /// `connect_timeout`), was lost (killed, server shut down), or the engine was closed.
    /// Whether the statement took effect is unknown. (A server that answers but rejects the
    /// login, such as a wrong password, is [`Error::Database`].)
    #[error("the connection to the database failed or was lost: {0}")]
    Connection(#[source] sqlx::Error),
    /// The URL's scheme names no backend azoth runs on; the URL is shown with its password
    /// replaced by `***`.
    #[error(
        "unsupported database URL scheme in `{0}`: use sqlite:, postgres:// or mysql:// (mariadb://)"
    )]
    UnsupportedUrl(String),
    /// The URL names a supported backend but is malformed (a bad port, an unknown `sslmode`...).
    #[error("invalid database URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL with its password replaced by `***`.
        url: String,
        /// What is wrong with it (the driver's words, any secret in them replaced by `***`).
        reason: String,
    },
    /// A typed engine was opened on a URL of another backend.
    #[error(
        "this engine is typed for {} but `{url}` is a {} URL (use `typed::{}` or `Engine::connect`)",
        expected.name(), found.name(), typed_name(*found)
    )]
    WrongBackend {
        /// The backend the engine's type names.
        expected: azoth_dsl::Backend,
        /// The backend the URL names.
        found: azoth_dsl::Backend,
        /// The URL given, with its password replaced by `***`.
        url: String,
    },
    /// A required related row (a non-null foreign key's target) is missing from the database.
    #[error(
        "relationship `{relation}`: no row for key {key} (the foreign key points at a missing row)"
    )]
    MissingRelated {
        /// The relationship's name.
        relation: &'static str,
        /// The key that matched nothing.
        key: String,
    },
    /// The statement needs a construct this engine's backend lacks.
    #[error("not supported on this backend: {0}")]
    Unsupported(String),
    /// A value could not be sent to the database.
    #[error("cannot bind a value for this backend: {0}")]
    Bind(String),
    /// A raw SQL statement names a bind that was not given, or gives one it does not use.
    #[error("raw SQL binds: {0}")]
    RawBind(String),
    /// An earlier statement of this transaction (or savepoint) failed, so it cannot commit: the
    /// statement asked for was not sent, and `commit` rolls the whole transaction back.
    ///
    /// Roll back and run the work again in a new transaction, or wrap a statement that may fail
    /// in [`begin_nested`](crate::Transaction::begin_nested): its failure then stays inside the
    /// savepoint and the rest of the transaction can commit.
    #[error(
        "an earlier statement of this transaction failed ({cause}), so nothing of it can be committed and it is rolled back as a whole; run the work again in a new transaction, or run a statement that may fail inside `begin_nested()` to keep the rest"
    )]
    TransactionFailed {
        /// What the failed statement reported.
        cause: String,
        /// Whether that failure was retryable ([`Error::is_retryable`]): running the whole
        /// transaction again may succeed.
        retryable: bool,
    },
    /// Any other error the database reported.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// A migration could not be generated, written or read (`azoth::migrate`): the message says
    /// what to change (a destructive step without `allow_destructive`, an unreadable file, ...).
    #[error("migration: {0}")]
    Migration(String),
    /// sqlx's migrator refused or failed (a changed checksum, a missing migration, a failed
    /// statement); the database's state is what the migrations table says.
    #[error("migration failed: {0}")]
    Migrate(#[source] Box<sqlx::migrate::MigrateError>),
}

/// `Result<T, azoth::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Database(ref db) => {
                match classify::kind_of(db.as_ref()) {
                    DbKind::ConnectionLost => return Error::Connection(e),
                    DbKind::Conflict(kind) => {
                        return Error::Conflict {
                            kind,
                            message: db.message().to_owned(),
                            source: e,
                        };
                    }
                    DbKind::Other => {}
                }
                let kind = match db.kind() {
                    ErrorKind::UniqueViolation => Some(ConstraintKind::Unique),
                    ErrorKind::ForeignKeyViolation => Some(ConstraintKind::ForeignKey),
                    ErrorKind::NotNullViolation => Some(ConstraintKind::NotNull),
                    ErrorKind::CheckViolation => Some(ConstraintKind::Check),
                    _ => None,
                };
                match kind {
                    Some(kind) => {
                        let at = classify::locate(db.as_ref(), kind);
                        Error::Constraint {
                            kind,
                            constraint: at.constraint,
                            table: at.table,
                            columns: at.columns,
                            message: db.message().to_owned(),
                            source: Box::new(e),
                        }
                    }
                    None => Error::Database(e),
                }
            }
            sqlx::Error::PoolTimedOut => Error::PoolTimeout(e),
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Error::Connection(e),
            e => Error::Database(e),
        }
    }
}

impl Error {
    /// Whether running the whole transaction again (from `begin`, after this one is rolled back
    /// or dropped) may succeed: true for [`Error::Conflict`] (deadlock, serialization failure,
    /// lock timeout) and for [`Error::TransactionFailed`] caused by one, false for everything
    /// else.
    ///
    /// A [`Error::Connection`] is not retryable by this rule: the statement (a `COMMIT` too) may
    /// have taken effect before the connection was lost, so only the program knows whether
    /// running it again is safe. [`Error::is_connection`] tells those apart.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Conflict { .. }
                | Error::TransactionFailed {
                    retryable: true,
                    ..
                }
        )
    }

    /// Whether the connection could not be opened or was lost ([`Error::Connection`]); the pool
    /// replaces a lost connection, so a later statement may succeed.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection(_))
    }

    /// Whether a prepared statement cached by the connection no longer fits the schema (another
    /// client altered a table it reads): clearing the connection's statement cache and running
    /// the statement again on the same connection succeeds, outside a transaction.
    #[allow(dead_code)] // used by the executor's retry
    pub(crate) fn is_stale_statement(&self) -> bool {
        match self {
            Error::Database(sqlx::Error::Database(db)) => classify::is_stale_statement(db.as_ref()),
            _ => false,
        }
    }
}

/// Questions a service asks of an error, without matching on it: which constraint a statement
/// violated (a unique violation is an HTTP 409), whether a row was missing (a 404).
impl Error {
    /// The kind of constraint the statement violated ([`Error::Constraint`]); `None` for any
    /// other error.
    ///
    /// ```
    /// # use azoth::prelude::*;
    /// # azoth::model! {
    /// #     #[table = "users"]
    /// #     pub struct User { #[primary_key] pub id: i64, #[unique] pub email: String }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// # let engine = Engine::connect("sqlite::memory:").await?;
    /// # engine.create_all::<(User,)>().await?;
    /// # let mut s = engine.session();
    /// s.insert(NewUser { email: "ann@x.org".into() }).await?;
    /// let err = s.insert(NewUser { email: "ann@x.org".into() }).await.unwrap_err();
    /// assert_eq!(err.constraint_kind(), Some(azoth::ConstraintKind::Unique));
    /// # Ok(())
    /// # }
    /// ```
    pub fn constraint_kind(&self) -> Option<ConstraintKind> {
        match self {
            Error::Constraint { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The violated constraint's name, where the database reports it (see
    /// [`Error::Constraint`] for what each backend reports).
    ///
    /// ```
    /// # use azoth::prelude::*;
    /// # azoth::model! {
    /// #     #[table = "users"]
    /// #     pub struct User { #[primary_key] pub id: i64, #[unique] pub email: String }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// # let engine = Engine::connect("sqlite::memory:").await?;
    /// # engine.create_all::<(User,)>().await?;
    /// # let mut s = engine.session();
    /// s.insert(NewUser { email: "ann@x.org".into() }).await?;
    /// let err = s.insert(NewUser { email: "ann@x.org".into() }).await.unwrap_err();
    /// // SQLite names the table and columns of a unique key, not the key;
    /// // PostgreSQL says `users_email_key`, MariaDB `email`.
    /// assert_eq!(err.constraint_name(), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn constraint_name(&self) -> Option<&str> {
        match self {
            Error::Constraint { constraint, .. } => constraint.as_deref(),
            _ => None,
        }
    }

    /// The table of the violated constraint (a foreign key's referencing table), where the
    /// database reports it.
    ///
    /// ```
    /// # use azoth::prelude::*;
    /// # azoth::model! {
    /// #     #[table = "users"]
    /// #     pub struct User { #[primary_key] pub id: i64, #[unique] pub email: String }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// # let engine = Engine::connect("sqlite::memory:").await?;
    /// # engine.create_all::<(User,)>().await?;
    /// # let mut s = engine.session();
    /// s.insert(NewUser { email: "ann@x.org".into() }).await?;
    /// let err = s.insert(NewUser { email: "ann@x.org".into() }).await.unwrap_err();
    /// assert_eq!(err.constraint_table(), Some("users"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn constraint_table(&self) -> Option<&str> {
        match self {
            Error::Constraint { table, .. } => table.as_deref(),
            _ => None,
        }
    }

    /// The columns of the violated constraint, where the database reports them (unique keys,
    /// foreign keys, NOT NULL columns); empty otherwise.
    ///
    /// ```
    /// # use azoth::prelude::*;
    /// # azoth::model! {
    /// #     #[table = "users"]
    /// #     pub struct User { #[primary_key] pub id: i64, #[unique] pub email: String }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// # let engine = Engine::connect("sqlite::memory:").await?;
    /// # engine.create_all::<(User,)>().await?;
    /// # let mut s = engine.session();
    /// s.insert(NewUser { email: "ann@x.org".into() }).await?;
    /// let err = s.insert(NewUser { email: "ann@x.org".into() }).await.unwrap_err();
    /// assert_eq!(err.constraint_columns(), ["email"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn constraint_columns(&self) -> &[String] {
        match self {
            Error::Constraint { columns, .. } => columns,
            _ => &[],
        }
    }

    /// Whether the statement violated a unique or primary-key constraint: the row exists
    /// already (a service answers 409 Conflict).
    ///
    /// ```
    /// # use azoth::prelude::*;
    /// # azoth::model! {
    /// #     #[table = "users"]
    /// #     pub struct User { #[primary_key] pub id: i64, #[unique] pub email: String }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// # let engine = Engine::connect("sqlite::memory:").await?;
    /// # engine.create_all::<(User,)>().await?;
    /// # let mut s = engine.session();
    /// s.insert(NewUser { email: "ann@x.org".into() }).await?;
    /// let err = s.insert(NewUser { email: "ann@x.org".into() }).await.unwrap_err();
    /// assert!(err.is_unique_violation());
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_unique_violation(&self) -> bool {
        self.constraint_kind() == Some(ConstraintKind::Unique)
    }

    /// Whether `one()` found no row ([`Error::NotFound`]; a service answers 404 Not Found).
    ///
    /// ```
    /// # use azoth::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// let engine = Engine::connect("sqlite::memory:").await?;
    /// let err = engine.session().one(text("SELECT 1 WHERE 1 = 0").returns::<i64>()).await.unwrap_err();
    /// assert!(err.is_not_found());
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound)
    }
}

/// The `typed::` marker of a backend, for messages.
fn typed_name(backend: azoth_dsl::Backend) -> &'static str {
    match backend {
        azoth_dsl::Backend::Postgres => "Postgres",
        azoth_dsl::Backend::MySql => "MySql",
        azoth_dsl::Backend::Sqlite => "Sqlite",
    }
}

#[cfg(test)]
mod tests {
    /// Clippy's `result_large_err` flags every function returning a `Result` whose error is
    /// larger than 128 bytes, users' functions included.
    #[test]
    fn the_error_stays_small_enough_to_return() {
        assert!(std::mem::size_of::<super::Error>() <= 128);
    }
}
