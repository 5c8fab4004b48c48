//! An error SQLite reported to the fast path, shaped like sqlx's `SqliteError` (same code, same
//! message, same kind), so that azoth classifies both alike.

use std::borrow::Cow;
use std::ffi::{CStr, c_int};
use std::ptr::NonNull;

use libsqlite3_sys as ffi;
use sqlx::error::{DatabaseError, ErrorKind};

/// SQLite's extended result code and message for a failed call.
#[derive(Debug)]
pub(crate) struct LiteError {
    code: c_int,
    message: String,
}

impl LiteError {
    /// The error the connection `db` reports for its last failed call.
    ///
    /// # Safety
    /// `db` must be an open connection that no other thread uses meanwhile.
    pub(crate) unsafe fn of(db: NonNull<ffi::sqlite3>) -> LiteError {
        // SAFETY: the caller's promise; the message is a NUL-terminated string SQLite owns,
        // copied at once.
        unsafe {
            let code = ffi::sqlite3_extended_errcode(db.as_ptr());
            let msg = ffi::sqlite3_errmsg(db.as_ptr());
            let message = if msg.is_null() {
                String::from("<error message unavailable>")
            } else {
                String::from_utf8_lossy(CStr::from_ptr(msg).to_bytes()).into_owned()
            };
            LiteError { code, message }
        }
    }

    /// A parameter index beyond what SQLite counts (SQLITE_RANGE).
    pub(crate) fn range() -> LiteError {
        LiteError {
            code: ffi::SQLITE_RANGE,
            message: "column index out of range".into(),
        }
    }
}

impl std::fmt::Display for LiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As sqlx writes it: the code disambiguates messages such as "database is locked".
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for LiteError {}

impl DatabaseError for LiteError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

impl From<LiteError> for crate::errors::Error {
    fn from(e: LiteError) -> Self {
        crate::errors::Error::from(sqlx::Error::Database(Box::new(e)))
    }
}

/// Whether `db` is an error SQLite reported, through sqlx or through the fast path.
pub(crate) fn is_sqlite(db: &dyn DatabaseError) -> bool {
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
        || db.try_downcast_ref::<LiteError>().is_some()
}
