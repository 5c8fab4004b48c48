//! A SQLite transaction whose fast-path reads keep the connection's handle between them.
//!
//! Outside a transaction, reads run on the engine's resident connection. A transaction has a
//! pooled connection of its own, run by sqlx's worker thread; taking its handle costs a round
//! trip to that thread. So the first fast-path read of a run of reads takes the handle and keeps
//! it, with the statements it prepared, and the next reads use it at once. Whatever goes through
//! sqlx next (a write, a savepoint, the commit or the rollback) gets the connection through
//! [`SqliteTx::conn`], which first gives the handle back (finalizing those statements): sqlx
//! never waits for a handle this side holds. (A transaction leaked with `mem::forget` while its
//! reads hold the handle keeps sqlx's worker waiting for it for good: that connection, and a
//! savepoint's parent, can then not be used again.)

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};

use super::ffi::StatementCache;
use super::{BUSY_TIMEOUT, Backlog, DRAIN_EVERY, Fast, Read, RowDecoder};

/// A sqlx transaction on SQLite, and the handle its reads hold (if any).
pub(crate) struct SqliteTx<'c> {
    // Given back first (see `Drop`), then the transaction drops (rolling back if still open).
    held: Option<Held>,
    tx: NonNull<sqlx::Transaction<'c, sqlx::Sqlite>>,
    backlog: Backlog,
    /// How many statements a run of reads keeps prepared.
    statements: usize,
    _owns: PhantomData<sqlx::Transaction<'c, sqlx::Sqlite>>,
}

// SAFETY: it owns a boxed `sqlx::Transaction<'c, Sqlite>` (which is `Send`) through a raw
// pointer, and a handle locked on that transaction's connection, used only through `&mut self`.
unsafe impl Send for SqliteTx<'_> {}

/// The transaction connection's handle, locked out of sqlx's worker, and the statements prepared
/// on it since.
struct Held {
    statements: StatementCache,
    handle: LockedSqliteHandle<'static>,
}

impl Drop for Held {
    fn drop(&mut self) {
        // Finalized while the handle is locked; sqlx's own statements wait for the busy timeout
        // it set (this side runs without one).
        self.statements.finalize_all();
        super::ffi::set_busy_timeout(&mut self.handle, BUSY_TIMEOUT);
    }
}

impl<'c> SqliteTx<'c> {
    /// Wraps a transaction sqlx began; a run of reads keeps up to `statements` prepared.
    pub(crate) fn new(tx: sqlx::Transaction<'c, sqlx::Sqlite>, statements: usize) -> Self {
        SqliteTx {
            held: None,
            tx: NonNull::from(Box::leak(Box::new(tx))),
            backlog: Backlog::default(),
            statements,
            _owns: PhantomData,
        }
    }

    /// The transaction, for sqlx to run a statement on: the handle goes back to sqlx's worker
    /// first.
    pub(crate) fn tx(&mut self) -> &mut sqlx::Transaction<'c, sqlx::Sqlite> {
        self.held = None;
        // SAFETY: `tx` is owned by `self` (see `new`), and no handle borrows it any more.
        unsafe { self.tx.as_mut() }
    }

    /// The transaction's connection, for sqlx (see [`tx`](Self::tx)).
    pub(crate) fn conn(&mut self) -> &mut SqliteConnection {
        self.tx()
    }

    /// The transaction itself, for its commit or rollback: the handle goes back first.
    pub(crate) fn into_inner(self) -> sqlx::Transaction<'c, sqlx::Sqlite> {
        let mut this = ManuallyDrop::new(self);
        this.held = None;
        // SAFETY: taken back once, here; `this` is not dropped, so `Drop` does not free it again.
        *unsafe { Box::from_raw(this.tx.as_ptr()) }
    }

    /// Runs a read on the transaction's connection through the fast path, taking the handle
    /// from sqlx's worker unless this side already holds it.
    pub(crate) async fn fetch<T, D>(&mut self, read: Read<'_>, decode: &mut D) -> Fast<T>
    where
        D: RowDecoder<T> + ?Sized,
    {
        if self.held.is_none() {
            // Each handle taken may leave a message in the worker's queue (see `drain`): the
            // queue is drained before it could fill.
            if self.backlog.0 >= DRAIN_EVERY {
                super::drain(self.conn()).await;
                self.backlog.0 = 0;
            }
            // SAFETY: `tx` is boxed and owned by `self`, so its connection stays put; the handle
            // is dropped (`held` cleared) before any other use of the transaction (`tx`,
            // `into_inner`, `Drop`).
            let conn: *mut SqliteConnection = &mut **unsafe { self.tx.as_mut() };
            let handle = match super::ffi::lock_for_keeps(unsafe { &mut *conn }).await {
                Ok(handle) => handle,
                Err(e) => return Fast::Ran(Err(e.into())),
            };
            self.backlog.0 = self.backlog.0.saturating_add(1);
            self.held = Some(Held {
                statements: StatementCache::new(self.statements),
                handle,
            });
        }
        let Some(held) = self.held.as_mut() else {
            return Fast::Declined;
        };
        let fast = super::run_kept(&mut held.handle, &mut held.statements, read, decode);
        if matches!(fast, Fast::Declined) {
            // sqlx runs it next, on the connection this side gives back.
            self.held = None;
        }
        fast
    }
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        self.held = None;
        // SAFETY: owned by `self` (see `new`), freed once, here, after the handle went back.
        drop(unsafe { Box::from_raw(self.tx.as_ptr()) });
    }
}
