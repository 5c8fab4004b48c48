//! `azoth::Error`: what can go wrong running a statement, said so the user can act on it.

use sqlx::error::ErrorKind;

/// The kind of constraint a statement violated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Everything that can fail in azoth's runtime.
#[derive(Debug, thiserror::Error)]
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
    #[error("{kind} constraint{} violated: {message}", constraint.as_deref().map(|c| format!(" `{c}`")).unwrap_or_default())]
    Constraint {
        /// Which kind of constraint.
        kind: ConstraintKind,
        /// The constraint's name, where the database reports it.
        constraint: Option<String>,
        /// The database's message.
        message: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// No connection became free within the pool's acquire timeout.
    #[error(
        "timed out waiting for a database connection (raise `max_connections` or `acquire_timeout`, or hold connections for less time)"
    )]
    PoolTimeout(#[source] sqlx::Error),
    /// A row did not fit the Rust type the query decodes into.
    #[error("decoding a row: {0}")]
    Decode(#[from] azoth_dsl::Error),
    /// The connection to the database failed or was lost.
    #[error("the connection to the database failed or was lost: {0}")]
    Connection(#[source] sqlx::Error),
    /// The URL names no backend azoth runs on.
    #[error("unsupported database URL `{0}`: use sqlite:, postgres:// or mysql:// (mariadb://)")]
    UnsupportedUrl(String),
    /// A typed engine was opened on a URL of another backend.
    #[error("this engine is typed for {expected:?} but `{url}` is another backend")]
    WrongBackend {
        /// The backend the engine's type names.
        expected: azoth_dsl::Backend,
        /// The URL given.
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
    },
    /// Any other error the database reported.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

/// `Result<T, azoth::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Database(ref db) => {
                let kind = match db.kind() {
                    ErrorKind::UniqueViolation => Some(ConstraintKind::Unique),
                    ErrorKind::ForeignKeyViolation => Some(ConstraintKind::ForeignKey),
                    ErrorKind::NotNullViolation => Some(ConstraintKind::NotNull),
                    ErrorKind::CheckViolation => Some(ConstraintKind::Check),
                    _ => None,
                };
                match kind {
                    Some(kind) => Error::Constraint {
                        kind,
                        constraint: db.constraint().map(str::to_owned),
                        message: db.message().to_owned(),
                        source: e,
                    },
                    None => Error::Database(e),
                }
            }
            sqlx::Error::PoolTimedOut => Error::PoolTimeout(e),
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolClosed => Error::Connection(e),
            e => Error::Database(e),
        }
    }
}
