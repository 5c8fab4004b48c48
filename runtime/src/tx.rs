//! A transaction's connection, and whether the transaction can still commit.
//!
//! A statement that fails inside a transaction leaves it unable to commit: PostgreSQL aborts the
//! transaction (and answers a later `COMMIT` with `ROLLBACK`), MySQL rolls a deadlock victim back
//! entirely and runs its later statements in autocommit. So every backend gets the same rule
//! (SQLAlchemy's `PendingRollbackError`): after a failed statement, a transaction refuses further
//! statements without sending them, and `commit` rolls it back and reports
//! [`Error::TransactionFailed`]. A savepoint (`begin_nested`) has its own state: its rollback
//! contains the failure, unless the server rolled back the whole transaction (a MySQL deadlock or
//! lock timeout, a lost connection), which every level then reports.

use std::sync::{Arc, OnceLock};

use azoth_dsl::Backend;

use crate::errors::{ConflictKind, Error, Result};

/// A driver connection in a transaction.
pub(crate) enum TxDriver<'c> {
    #[cfg(feature = "postgres")]
    Postgres(sqlx::Transaction<'c, sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    MySql(sqlx::Transaction<'c, sqlx::MySql>),
    #[cfg(feature = "sqlite")]
    Sqlite(crate::sqlite_fast::SqliteTx<'c>),
}

/// A transaction's (or savepoint's) connection and its health.
pub(crate) struct TxConn<'c> {
    pub(crate) driver: TxDriver<'c>,
    pub(crate) health: TxHealth,
}

/// Whether a transaction level can still commit.
pub(crate) struct TxHealth {
    backend: Backend,
    /// The first failure of a statement at this level.
    failed: Option<Failure>,
    /// The failure that made the server roll back the whole transaction, shared by every level.
    whole: Arc<OnceLock<Failure>>,
}

/// What a failed statement reported.
#[derive(Clone)]
struct Failure {
    cause: String,
    retryable: bool,
}

impl TxHealth {
    /// The state of a new transaction on `backend`.
    pub(crate) fn new(backend: Backend) -> TxHealth {
        TxHealth {
            backend,
            failed: None,
            whole: Arc::default(),
        }
    }

    /// The state of a savepoint opened at this level: clean, sharing the whole transaction's.
    pub(crate) fn nested(&self) -> TxHealth {
        TxHealth {
            backend: self.backend,
            failed: None,
            whole: self.whole.clone(),
        }
    }

    /// `Ok` while the transaction can still commit; [`Error::TransactionFailed`] otherwise.
    pub(crate) fn check(&self) -> Result<()> {
        match self.whole.get().or(self.failed.as_ref()) {
            None => Ok(()),
            Some(failure) => Err(Error::TransactionFailed {
                cause: failure.cause.clone(),
                retryable: failure.retryable,
            }),
        }
    }

    /// Whether the server rolled back the whole transaction already.
    pub(crate) fn whole_rolled_back(&self) -> bool {
        self.whole.get().is_some()
    }

    /// Records that a statement of this level returned `err`.
    pub(crate) fn note(&mut self, err: &Error) {
        if !fails_transaction(err) {
            return;
        }
        let failure = Failure {
            cause: err.to_string(),
            retryable: err.is_retryable(),
        };
        if rolls_back_whole_transaction(err, self.backend) {
            let _ = self.whole.set(failure.clone());
        }
        self.failed.get_or_insert(failure);
    }
}

/// Whether `err` came from a statement the database ran and rejected (or from the connection),
/// rather than from azoth before sending it or after reading its rows.
fn fails_transaction(err: &Error) -> bool {
    !matches!(
        err,
        Error::NotFound
            | Error::MultipleRows
            | Error::Decode(_)
            | Error::Bind(_)
            | Error::RawBind(_)
            | Error::Unsupported(_)
            | Error::UnsupportedUrl(_)
            | Error::InvalidUrl { .. }
            | Error::WrongBackend { .. }
            | Error::MissingRelated { .. }
            | Error::TransactionFailed { .. }
    )
}

/// Whether the server rolled back the whole transaction on `err`, so that a savepoint cannot
/// contain it.
fn rolls_back_whole_transaction(err: &Error, backend: Backend) -> bool {
    if matches!(err, Error::Connection(_)) {
        return true;
    }
    let Some(sqlx::Error::Database(db)) = driver_error(err) else {
        return false;
    };
    match backend {
        // ER_LOCK_DEADLOCK rolls the transaction back; ER_LOCK_WAIT_TIMEOUT does too when
        // `innodb_rollback_on_timeout` is on, which a client cannot see: assume it.
        // (azoth classifies both, and NOWAIT's lock failure, as these conflicts.) MariaDB's
        // ER_CHECKREAD (a serialization failure) rolls it back too.
        Backend::MySql => matches!(
            err,
            Error::Conflict {
                kind: ConflictKind::Deadlock
                    | ConflictKind::LockTimeout
                    | ConflictKind::Serialization,
                ..
            }
        ),
        // "If certain kinds of errors occur within a transaction, the transaction may or may not
        // be rolled back automatically": SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, SQLITE_NOMEM.
        Backend::Sqlite => matches!(
            crate::classify::sqlite_primary_code(db.as_ref()),
            Some(13 | 10 | 5 | 7)
        ),
        // PostgreSQL aborts the transaction but `ROLLBACK TO SAVEPOINT` recovers it.
        Backend::Postgres => false,
    }
}

/// The driver's error behind `err`, if any.
fn driver_error(err: &Error) -> Option<&sqlx::Error> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(e) = source {
        if let Some(driver) = e.downcast_ref::<sqlx::Error>() {
            return Some(driver);
        }
        source = e.source();
    }
    None
}
