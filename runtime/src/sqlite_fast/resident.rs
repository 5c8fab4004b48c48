//! One SQLite connection kept on the calling side for fast-path reads outside transactions.
//!
//! Taking a pooled connection's handle from sqlx's worker thread costs a round trip per
//! statement, a wake-up when the worker takes it back, and the pool's ping when the connection
//! goes back: three thread hand-offs, which on a small machine cost ten times the statement. A
//! file engine therefore opens one connection of its own beside its pool, takes its handle once,
//! and keeps it: a read that finds it free runs on
//! it at once, with no hand-off. A read that finds it in use, or an engine without one (an
//! in-memory database, `max_connections(1)`, fast reads off), takes a pooled connection as
//! before. Writes and transactions never use it: they run on the pool.
//!
//! The connection reads committed data only, as any pooled connection outside a transaction
//! does: each statement is its own read, finished (reset) before the connection is put back.

use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::ConnectOptions;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnectOptions, SqliteConnection, SqlitePool};

use super::ffi::StatementCache;

/// A connection whose handle is locked out of sqlx's worker thread for as long as it lives.
pub(crate) struct Resident {
    // Emptied first, then the handle dropped (see `Drop`): the worker takes the handle back,
    // then the connection goes.
    statements: StatementCache,
    handle: ManuallyDrop<LockedSqliteHandle<'static>>,
    conn: ManuallyDrop<OwnedConnection>,
    opened: Instant,
}

/// A boxed connection owned through a raw pointer, so that the handle's borrow of it stays valid
/// while the [`Resident`] moves (moving a `Box` would assert unique access to what it points to).
struct OwnedConnection(NonNull<SqliteConnection>);

impl OwnedConnection {
    /// The connection, boxed again; call only once no handle borrows it.
    fn into_box(self) -> Box<SqliteConnection> {
        let this = ManuallyDrop::new(self);
        // SAFETY: the pointer came from `Box::leak` in `Resident::open` and is taken back once,
        // here or in `Drop` (not both: `this` is not dropped).
        unsafe { Box::from_raw(this.0.as_ptr()) }
    }
}

impl Drop for OwnedConnection {
    fn drop(&mut self) {
        // SAFETY: as in `into_box`; dropped after the handle borrowing it (see `Resident`).
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

// SAFETY: it owns a `SqliteConnection`, which is `Send`, as a `Box` would.
unsafe impl Send for OwnedConnection {}

impl Resident {
    /// Opens a connection with the pool's options and takes its handle from the worker, with no
    /// busy wait: a statement that meets another connection's lock is declined and runs through
    /// sqlx, which waits on its own thread.
    async fn open(
        options: &SqliteConnectOptions,
        statements: usize,
    ) -> Result<Resident, sqlx::Error> {
        let conn = options.connect().await?;
        let conn = OwnedConnection(NonNull::from(Box::leak(Box::new(conn))));
        // SAFETY: `conn` owns the connection until this `Resident` is dropped or closed, and
        // nothing else reaches it: the borrow made here is the only one, and both end it (by
        // dropping the handle) before the connection goes, so `'static` never outlives it.
        let handle = unsafe { &mut *conn.0.as_ptr() }.lock_handle().await?;
        let mut handle: LockedSqliteHandle<'static> = unsafe { std::mem::transmute(handle) };
        super::ffi::set_busy_timeout(&mut handle, Duration::ZERO);
        Ok(Resident {
            statements: StatementCache::new(statements),
            handle: ManuallyDrop::new(handle),
            conn: ManuallyDrop::new(conn),
            opened: Instant::now(),
        })
    }

    /// The locked handle and the statements prepared on it, for one statement at a time.
    pub(crate) fn parts(&mut self) -> (&mut LockedSqliteHandle<'static>, &mut StatementCache) {
        (&mut self.handle, &mut self.statements)
    }

    /// Closes the connection as sqlx closes one (waiting until SQLite has closed the file).
    async fn close(self) {
        let mut this = ManuallyDrop::new(self);
        // Emptied: nothing is left to drop in what `this` keeps.
        drop(std::mem::take(&mut this.statements));
        // SAFETY: each taken once, here, the handle first; `this` is not dropped.
        let conn = unsafe {
            ManuallyDrop::drop(&mut this.handle);
            ManuallyDrop::take(&mut this.conn)
        };
        let _ = sqlx::Connection::close(*conn.into_box()).await;
    }
}

impl Drop for Resident {
    fn drop(&mut self) {
        // The statements are finalized while the handle is still locked, and before sqlx closes
        // the connection (which fails on live statements).
        self.statements.finalize_all();
        // SAFETY: each dropped once, here, the handle before the connection it borrows.
        unsafe {
            ManuallyDrop::drop(&mut self.handle);
            ManuallyDrop::drop(&mut self.conn);
        }
    }
}

/// How long after a failed opening the next read tries again.
const RETRY_AFTER: Duration = Duration::from_secs(30);

/// Where an engine keeps its resident connection.
pub(crate) struct Residence {
    slot: Mutex<Slot>,
    /// How long opening it may take (the engine's `connect_timeout`).
    connect_timeout: Duration,
    /// How many statements it keeps prepared.
    statements: usize,
}

enum Slot {
    /// This engine keeps none.
    Never,
    /// Not opened yet, retired, or its opening was cancelled: the next read opens it.
    Unopened,
    /// Its opening failed: a read tries again after this instant.
    Resting(Instant),
    /// Free for the next read.
    Idle(Resident),
    /// A read is using it (or opening it).
    Busy,
    /// The engine was closed: no read uses it again.
    Closed,
}

impl Residence {
    /// A residence for an engine that keeps a connection (`keep`) or not, opened within
    /// `connect_timeout`, keeping up to `statements` prepared statements.
    pub(crate) fn new(keep: bool, connect_timeout: Duration, statements: usize) -> Self {
        Residence {
            slot: Mutex::new(if keep { Slot::Unopened } else { Slot::Never }),
            connect_timeout,
            statements,
        }
    }

    /// The resident connection, opened with `pool`'s options if it was not yet (or has lived
    /// longer than the pool's `max_lifetime`): `None` when the engine keeps none, another read
    /// is using it, or it cannot be opened (the caller then takes a pooled connection; a failed
    /// opening is tried again after [`RETRY_AFTER`]). It goes back when the lease is dropped.
    pub(crate) async fn take(&self, pool: &SqlitePool) -> Option<Lease<'_>> {
        let found = {
            let mut slot = self.slot.lock().ok()?;
            match std::mem::replace(&mut *slot, Slot::Busy) {
                Slot::Idle(resident) => Some(resident),
                Slot::Unopened => None,
                Slot::Resting(until) if Instant::now() >= until => None,
                other => {
                    *slot = other;
                    return None;
                }
            }
        };
        // Recycled as the pool recycles its connections (a database file replaced meanwhile is
        // then read again).
        let lifetime = pool.options().get_max_lifetime();
        let found = found.filter(|r| lifetime.is_none_or(|max| r.opened.elapsed() < max));
        let resident = match found {
            Some(resident) => resident,
            None => {
                // Cancelled while opening: the next read tries again.
                let opening = Opening(self);
                let options = pool.connect_options();
                let open = Resident::open(&options, self.statements);
                let opened = tokio::time::timeout(self.connect_timeout, open).await;
                std::mem::forget(opening);
                match opened {
                    Ok(Ok(resident)) => resident,
                    _ => {
                        self.settle(None, Slot::Resting(Instant::now() + RETRY_AFTER));
                        return None;
                    }
                }
            }
        };
        Some(Lease {
            home: self,
            resident: ManuallyDrop::new(resident),
        })
    }

    /// Closes the resident connection (waiting for it, unless a read is using it: that one
    /// closes when the read ends) and keeps any read from opening another.
    pub(crate) async fn close(&self) {
        let old = match self.slot.lock() {
            Ok(mut slot) => std::mem::replace(&mut *slot, Slot::Closed),
            Err(_) => return,
        };
        if let Slot::Idle(resident) = old {
            resident.close().await;
        }
    }

    /// Leaves the slot as `next` (or `back`, idle, when given), unless the engine was closed;
    /// a connection that no longer has a place is closed, outside the lock.
    fn settle(&self, back: Option<Resident>, next: Slot) {
        let next = match back {
            Some(resident) => Slot::Idle(resident),
            None => next,
        };
        let Ok(mut slot) = self.slot.lock() else {
            return;
        };
        let old = if matches!(*slot, Slot::Closed) {
            next
        } else {
            std::mem::replace(&mut *slot, next)
        };
        drop(slot);
        drop(old);
    }
}
/// Marks the slot for another try when a read is cancelled while it opens the connection.
struct Opening<'a>(&'a Residence);

impl Drop for Opening<'_> {
    fn drop(&mut self) {
        self.0.settle(None, Slot::Unopened);
    }
}

/// The resident connection, lent to one read; it goes back to its [`Residence`] when dropped.
pub(crate) struct Lease<'a> {
    home: &'a Residence,
    resident: ManuallyDrop<Resident>,
}

impl Lease<'_> {
    /// The locked handle and the statements prepared on it.
    pub(crate) fn parts(&mut self) -> (&mut LockedSqliteHandle<'static>, &mut StatementCache) {
        self.resident.parts()
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        // SAFETY: taken once, here; the field is not used again.
        let resident = unsafe { ManuallyDrop::take(&mut self.resident) };
        self.home.settle(Some(resident), Slot::Unopened);
    }
}
