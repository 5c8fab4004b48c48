//! The SQLite fast path's calls into SQLite's C API: one prepared statement on a locked
//! connection handle, its bound values and its columns. (The owners of a handle kept across
//! statements, `resident` and `in_tx`, hold the rest of the path's unsafe code: who owns the
//! connection, and for how long; see [`lock_for_keeps`].)
//!
//! Soundness rests on three facts. The handle comes from sqlx's
//! [`LockedSqliteHandle`](sqlx::sqlite::LockedSqliteHandle): while the lock is held (the
//! `'h` borrow of every [`Statement`]), sqlx's worker thread makes no call on the connection.
//! A statement is finalized when dropped, before that borrow ends. And a column's text or
//! blob is borrowed from the statement (`&self`), which stepping needs mutably (`&mut self`):
//! the borrow checker forbids reading a column past the next step.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;

use super::error::LiteError;

/// A bound value as SQLite stores it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LiteArg {
    Null,
    Int(i64),
    Double(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// One column of the current row, as SQLite holds it (its storage class and value).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Column<'r> {
    Null,
    Integer(i64),
    Float(f64),
    /// The text's bytes (UTF-8 unless the database holds something else).
    Text(&'r [u8]),
    Blob(&'r [u8]),
}

/// What preparing `sql` gave.
pub(crate) enum Prepared<'h> {
    /// One statement, with nothing but whitespace and `;` after it.
    One(Statement<'h>),
    /// No statement (empty SQL, a comment), or more than one: the caller runs it through sqlx.
    NotOne,
}

/// A prepared statement of a connection handle locked for `'h`; finalized on drop.
pub(crate) struct Statement<'h> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: NonNull<ffi::sqlite3>,
    columns: usize,
    _handle: PhantomData<&'h mut ffi::sqlite3>,
}

impl<'h> Statement<'h> {
    /// Prepares the first statement of `sql` on the locked connection `handle`.
    pub(crate) fn prepare(
        handle: &'h mut LockedSqliteHandle<'_>,
        sql: &str,
    ) -> Result<Prepared<'h>, LiteError> {
        let db = handle.as_raw_handle();
        let Ok(len) = c_int::try_from(sql.len()) else {
            return Ok(Prepared::NotOne);
        };
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        // SAFETY: `db` is an open connection no other thread uses while locked; `sql` is valid
        // for `len` bytes (it need not end with NUL when its length is given); `stmt` and `tail`
        // are valid out-pointers.
        let status = unsafe {
            ffi::sqlite3_prepare_v3(
                db.as_ptr(),
                sql.as_ptr().cast::<c_char>(),
                len,
                0,
                &mut stmt,
                &mut tail,
            )
        };
        if status != ffi::SQLITE_OK {
            // SAFETY: `stmt` is NULL on failure (nothing to finalize); the error is the handle's.
            return Err(unsafe { LiteError::of(db) });
        }
        let Some(stmt) = NonNull::new(stmt) else {
            return Ok(Prepared::NotOne);
        };
        // SAFETY: `stmt` was just prepared; count the columns once.
        let columns = unsafe { ffi::sqlite3_column_count(stmt.as_ptr()) };
        let statement = Statement {
            stmt,
            db,
            columns: usize::try_from(columns).unwrap_or(0),
            _handle: PhantomData,
        };
        // `tail` points into `sql`, past the first statement (or is NULL).
        let rest = if tail.is_null() {
            0
        } else {
            (tail as usize).saturating_sub(sql.as_ptr() as usize)
        };
        // Anything but blanks and semicolons after the first statement (or a tail that cannot
        // be read) is more than one statement.
        let more = sql
            .as_bytes()
            .get(rest..)
            .is_none_or(|t| t.iter().any(|b| !b.is_ascii_whitespace() && *b != b';'));
        Ok(if more {
            Prepared::NotOne
        } else {
            Prepared::One(statement)
        })
    }

    /// Whether the statement only reads (and returns columns): what the fast path runs.
    pub(crate) fn reads_rows(&self) -> bool {
        // SAFETY: `stmt` is a live statement.
        self.columns > 0 && unsafe { ffi::sqlite3_stmt_readonly(self.stmt.as_ptr()) } != 0
    }

    /// How many parameters the statement has.
    pub(crate) fn parameter_count(&self) -> usize {
        // SAFETY: `stmt` is a live statement.
        usize::try_from(unsafe { ffi::sqlite3_bind_parameter_count(self.stmt.as_ptr()) })
            .unwrap_or(0)
    }

    /// The name of parameter `i` (from 1): `None` for a plain `?`.
    pub(crate) fn parameter_name(&self, i: usize) -> Option<&str> {
        let i = c_int::try_from(i).ok()?;
        // SAFETY: `stmt` is a live statement; the name, when not NULL, is a NUL-terminated UTF-8
        // string owned by the statement, borrowed here no longer than `&self`.
        unsafe {
            let name = ffi::sqlite3_bind_parameter_name(self.stmt.as_ptr(), i);
            if name.is_null() {
                None
            } else {
                CStr::from_ptr(name).to_str().ok()
            }
        }
    }

    /// Binds `arg` to parameter `i` (from 1).
    pub(crate) fn bind(&mut self, i: usize, arg: &LiteArg) -> Result<(), LiteError> {
        let Ok(i) = c_int::try_from(i) else {
            return Err(LiteError::range());
        };
        let s = self.stmt.as_ptr();
        // SAFETY: `stmt` is a live statement; text and blobs are copied by SQLite
        // (SQLITE_TRANSIENT) and passed with their exact lengths.
        let status = unsafe {
            match arg {
                LiteArg::Null => ffi::sqlite3_bind_null(s, i),
                LiteArg::Int(v) => ffi::sqlite3_bind_int64(s, i, *v),
                LiteArg::Double(v) => ffi::sqlite3_bind_double(s, i, *v),
                LiteArg::Text(v) => ffi::sqlite3_bind_text64(
                    s,
                    i,
                    v.as_ptr().cast::<c_char>(),
                    v.len() as u64,
                    ffi::SQLITE_TRANSIENT(),
                    ffi::SQLITE_UTF8 as u8,
                ),
                LiteArg::Blob(v) => ffi::sqlite3_bind_blob64(
                    s,
                    i,
                    v.as_ptr().cast::<c_void>(),
                    v.len() as u64,
                    ffi::SQLITE_TRANSIENT(),
                ),
            }
        };
        if status == ffi::SQLITE_OK {
            Ok(())
        } else {
            // SAFETY: the error is the handle's.
            Err(unsafe { LiteError::of(self.db) })
        }
    }

    /// Moves to the next row: `Ok(true)` on a row, `Ok(false)` when done.
    pub(crate) fn step(&mut self) -> Result<bool, LiteError> {
        // SAFETY: `stmt` is a live statement of a locked connection; no column borrow is alive
        // (they borrow `&self`, this takes `&mut self`).
        match unsafe { ffi::sqlite3_step(self.stmt.as_ptr()) } {
            ffi::SQLITE_ROW => {
                // A step may prepare the statement again (another connection changed the
                // schema), and `SELECT *` may then have other columns.
                // SAFETY: `stmt` is a live statement.
                let n = unsafe { ffi::sqlite3_column_count(self.stmt.as_ptr()) };
                self.columns = usize::try_from(n).unwrap_or(0);
                Ok(true)
            }
            ffi::SQLITE_DONE => Ok(false),
            // SAFETY: the error is the handle's.
            _ => Err(unsafe { LiteError::of(self.db) }),
        }
    }

    /// How many columns each row has.
    pub(crate) fn column_count(&self) -> usize {
        self.columns
    }

    /// Column `i` (from 0) of the current row; call only after `step` gave a row.
    pub(crate) fn column(&self, i: usize) -> Column<'_> {
        let Ok(c) = c_int::try_from(i) else {
            return Column::Null;
        };
        if i >= self.columns {
            return Column::Null;
        }
        // SAFETY: `stmt` is on a row and `c` is a column index in range. The column's value is
        // taken once (as Diesel does: one call into the statement instead of one per accessor)
        // and read through the `sqlite3_value_*` accessors, which need no lock on a connection
        // that only the caller uses. Text and blob pointers are read first, then their length
        // (the order SQLite documents); they stay valid until the next step, reset or finalize,
        // which need `&mut self` or ownership while the returned slice borrows `&self`.
        unsafe {
            let v = ffi::sqlite3_column_value(self.stmt.as_ptr(), c);
            if v.is_null() {
                return Column::Null;
            }
            match ffi::sqlite3_value_type(v) {
                ffi::SQLITE_INTEGER => Column::Integer(ffi::sqlite3_value_int64(v)),
                ffi::SQLITE_FLOAT => Column::Float(ffi::sqlite3_value_double(v)),
                ffi::SQLITE_TEXT => {
                    let p = ffi::sqlite3_value_text(v);
                    let n = ffi::sqlite3_value_bytes(v);
                    Column::Text(slice(p.cast::<u8>(), n))
                }
                ffi::SQLITE_BLOB => {
                    let p = ffi::sqlite3_value_blob(v);
                    let n = ffi::sqlite3_value_bytes(v);
                    Column::Blob(slice(p.cast::<u8>(), n))
                }
                _ => Column::Null,
            }
        }
    }

    /// The name of column `i` (from 0), as sqlx reports it.
    pub(crate) fn column_name(&self, i: usize) -> Option<String> {
        let c = c_int::try_from(i).ok().filter(|_| i < self.columns)?;
        // SAFETY: `stmt` is live and `c` in range; the name, when not NULL, is a NUL-terminated
        // string owned by the statement, copied here.
        unsafe {
            let name = ffi::sqlite3_column_name(self.stmt.as_ptr(), c);
            if name.is_null() {
                None
            } else {
                Some(CStr::from_ptr(name).to_string_lossy().into_owned())
            }
        }
    }
}

/// The `n` bytes at `p` (empty for a NULL pointer, which SQLite gives for an empty value).
///
/// # Safety
/// `p` must be NULL or point to `n` readable bytes that outlive `'r`.
unsafe fn slice<'r>(p: *const u8, n: c_int) -> &'r [u8] {
    match usize::try_from(n) {
        Ok(n) if !p.is_null() && n > 0 => {
            // SAFETY: the caller's promise.
            unsafe { std::slice::from_raw_parts(p, n) }
        }
        _ => &[],
    }
}

impl<'h> Statement<'h> {
    /// Takes `raw` back from `cache` to run again on the locked connection it was prepared on.
    pub(crate) fn reuse(handle: &'h mut LockedSqliteHandle<'_>, raw: Kept) -> Self {
        let stmt = raw.0;
        // Now the `Statement`'s to finalize.
        std::mem::forget(raw);
        // SAFETY: `stmt` was prepared on this connection (a `StatementCache` belongs to one
        // connection) and left reset with no bindings.
        let columns = unsafe { ffi::sqlite3_column_count(stmt.as_ptr()) };
        Statement {
            stmt,
            db: handle.as_raw_handle(),
            columns: usize::try_from(columns).unwrap_or(0),
            _handle: PhantomData,
        }
    }

    /// Resets the statement and clears its bindings, to keep it for its next run.
    pub(crate) fn keep(self) -> Kept {
        let stmt = self.stmt;
        std::mem::forget(self);
        // SAFETY: `stmt` is a live statement; reset ends its read (no lock stays held) and its
        // return value repeats the last step's error, already reported.
        unsafe {
            ffi::sqlite3_reset(stmt.as_ptr());
            ffi::sqlite3_clear_bindings(stmt.as_ptr());
        }
        Kept(stmt)
    }
}

/// A prepared statement kept between runs, reset, with no bindings; finalized when dropped,
/// which happens only while its connection is locked (a [`StatementCache`] lives inside the
/// resident connection, whose handle stays locked until the cache is emptied).
pub(crate) struct Kept(NonNull<ffi::sqlite3_stmt>);

impl Drop for Kept {
    fn drop(&mut self) {
        // SAFETY: a kept statement is live and finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.0.as_ptr());
        }
    }
}

/// The prepared statements of one connection, by their SQL text, up to a capacity: beyond it,
/// all are finalized and the cache starts again (a workload of more texts prepares each once per
/// round). A statement is out of its entry while it runs.
#[derive(Default)]
pub(crate) struct StatementCache {
    kept: std::collections::HashMap<Box<str>, Option<Kept>>,
    capacity: usize,
}

// SAFETY: the statements are used only through `Statement::reuse`, which needs the locked
// handle of their connection; a connection, and so its statements, may move between threads.
unsafe impl Send for StatementCache {}

impl StatementCache {
    /// A cache keeping up to `capacity` statements (0: none).
    pub(crate) fn new(capacity: usize) -> Self {
        StatementCache {
            kept: std::collections::HashMap::new(),
            capacity,
        }
    }

    /// The statement kept for `sql`, out of the cache while it runs.
    pub(crate) fn take(&mut self, sql: &str) -> Option<Kept> {
        self.kept.get_mut(sql).and_then(Option::take)
    }

    /// Keeps `stmt` for `sql` (in the entry it was taken from, if any).
    pub(crate) fn put(&mut self, sql: &str, stmt: Kept) {
        if let Some(entry) = self.kept.get_mut(sql) {
            *entry = Some(stmt);
            return;
        }
        if self.capacity == 0 {
            return;
        }
        if self.kept.len() >= self.capacity {
            self.finalize_all();
        }
        self.kept.insert(sql.into(), Some(stmt));
    }

    /// Finalizes every statement kept: to be called, with the connection still locked, before
    /// it is closed (SQLite refuses to close a connection with live statements).
    pub(crate) fn finalize_all(&mut self) {
        self.kept.clear();
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        // SAFETY: `stmt` is a live statement, finalized once, while the connection is still
        // locked (`'h`). Its return value repeats the last step's error, already reported.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// Takes `conn`'s handle from sqlx's worker thread for as long as the caller keeps it, with no
/// busy wait (a statement that meets another connection's lock is declined and runs through
/// sqlx, which waits on its own thread). The `'static` borrow is the caller's to make good: its
/// owners (`resident`, `in_tx`) make it from a boxed connection they own and drop the handle
/// before any other use of the connection.
pub(crate) async fn lock_for_keeps(
    conn: &'static mut sqlx::sqlite::SqliteConnection,
) -> Result<LockedSqliteHandle<'static>, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    set_busy_timeout(&mut handle, std::time::Duration::ZERO);
    Ok(handle)
}

/// Sets how long a statement of the locked connection waits for another's lock (0: not at all).
pub(crate) fn set_busy_timeout(handle: &mut LockedSqliteHandle<'_>, timeout: std::time::Duration) {
    let ms = c_int::try_from(timeout.as_millis()).unwrap_or(c_int::MAX);
    // SAFETY: the handle is an open connection no other thread uses while locked.
    unsafe {
        ffi::sqlite3_busy_timeout(handle.as_raw_handle().as_ptr(), ms);
    }
}
