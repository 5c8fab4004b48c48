//! SQLite connections kept on the calling side for fast-path reads outside transactions.
//!
//! Taking a pooled connection's handle from sqlx's worker thread costs a round trip per
//! statement, a wake-up when the worker takes it back, and the pool's ping when the connection
//! goes back: three thread hand-offs, which on a small machine cost ten times the statement. A
//! file engine therefore opens connections of its own beside its pool (one per core, at most
//! `max_connections` and [`MOST_KEPT`], each only once that many reads ran at the same time),
//! takes their handles once, and keeps them: a read that finds one free runs on it at once,
//! with no hand-off. A read that finds them all in use, or an engine without them (an in-memory
//! database, `max_connections(1)`, fast reads off), takes a pooled connection as before. Writes
//! and transactions never use them: they run on the pool.
//!
//! A kept connection reads committed data only, as any pooled connection outside a transaction
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
    /// Opens a connection with the pool's options and takes its handle from the worker for
    /// good ([`lock_for_keeps`](super::ffi::lock_for_keeps)).
    async fn open(
        options: &SqliteConnectOptions,
        statements: usize,
    ) -> Result<Resident, sqlx::Error> {
        let conn = options.connect().await?;
        let conn = OwnedConnection(NonNull::from(Box::leak(Box::new(conn))));
        // SAFETY: `conn` owns the boxed connection until this `Resident` is dropped or closed,
        // and nothing else reaches it; both drop the handle before the connection goes, so the
        // `'static` borrow never outlives it.
        let handle = super::ffi::lock_for_keeps(unsafe { &mut *conn.0.as_ptr() }).await?;
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

/// Most connections an engine keeps for reads.
const MOST_KEPT: usize = 8;

/// Where an engine keeps its resident connections: one place per connection it may keep.
pub(crate) struct Residence {
    places: Box<[Mutex<Slot>]>,
    /// How long opening one may take (the engine's `connect_timeout`).
    connect_timeout: Duration,
    /// How many statements each keeps prepared.
    statements: usize,
}

enum Slot {
    /// Not opened yet, retired, or its opening was cancelled: a read may open it.
    Unopened,
    /// Its opening failed: a read may try again after this instant.
    Resting(Instant),
    /// Free for the next read.
    Idle(Resident),
    /// A read is using it (or opening it).
    Busy,
    /// The engine was closed: no read uses it again.
    Closed,
}

impl Residence {
    /// A residence for up to `kept` connections (0: none; at most [`MOST_KEPT`]), each opened
    /// within `connect_timeout` and keeping up to `statements` prepared statements.
    pub(crate) fn new(kept: usize, connect_timeout: Duration, statements: usize) -> Self {
        Residence {
            places: (0..kept.min(MOST_KEPT))
                .map(|_| Mutex::new(Slot::Unopened))
                .collect(),
            connect_timeout,
            statements,
        }
    }

    /// How many connections an engine with room for `max_connections` keeps for reads: one per
    /// core (reads step on the calling thread, so no more run at once than the runtime has
    /// threads), at most `max_connections` and [`MOST_KEPT`]; none for `max_connections(1)`.
    pub(crate) fn size_for(max_connections: u32) -> usize {
        if max_connections < 2 {
            return 0;
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        cores.min(MOST_KEPT).min(max_connections as usize)
    }

    /// A resident connection: a free one, else one opened with `pool`'s options in a place
    /// that has none (or whose connection has lived longer than the pool's `max_lifetime`).
    /// `None` when the engine keeps none, every one is in use, or none can be opened (the
    /// caller then takes a pooled connection; a failed opening is tried again after
    /// [`RETRY_AFTER`]). It goes back when the lease is dropped.
    pub(crate) async fn take(&self, pool: &SqlitePool) -> Option<Lease<'_>> {
        // A free connection first: only when every one is in use is another opened.
        let (place, found) = match self.free() {
            Some((place, resident)) => (place, Some(resident)),
            None => (self.vacant()?, None),
        };
        // Recycled as the pool recycles its connections (a database file replaced meanwhile is
        // then read again).
        let lifetime = pool.options().get_max_lifetime();
        let found = found.filter(|r| lifetime.is_none_or(|max| r.opened.elapsed() < max));
        let resident = match found {
            Some(resident) => resident,
            None => {
                // Cancelled while opening: a later read tries again.
                let opening = Opening(place);
                let options = pool.connect_options();
                let open = Resident::open(&options, self.statements);
                let opened = tokio::time::timeout(self.connect_timeout, open).await;
                std::mem::forget(opening);
                match opened {
                    Ok(Ok(resident)) => resident,
                    _ => {
                        settle(place, None, Slot::Resting(Instant::now() + RETRY_AFTER));
                        return None;
                    }
                }
            }
        };
        Some(Lease {
            place,
            resident: ManuallyDrop::new(resident),
        })
    }

    /// A free connection, taken (its place marked busy).
    fn free(&self) -> Option<(&Mutex<Slot>, Resident)> {
        self.places.iter().find_map(|place| {
            let mut slot = place.lock().ok()?;
            match std::mem::replace(&mut *slot, Slot::Busy) {
                Slot::Idle(resident) => Some((place, resident)),
                other => {
                    *slot = other;
                    None
                }
            }
        })
    }

    /// A place with no connection where one may be opened now, marked busy.
    fn vacant(&self) -> Option<&Mutex<Slot>> {
        let now = Instant::now();
        self.places.iter().find(|place| {
            let Ok(mut slot) = place.lock() else {
                return false;
            };
            let open = match *slot {
                Slot::Unopened => true,
                Slot::Resting(until) => now >= until,
                _ => false,
            };
            if open {
                *slot = Slot::Busy;
            }
            open
        })
    }

    /// Closes the resident connections (waiting for each, except one a read is using: that
    /// one closes when the read ends) and keeps any read from opening another.
    pub(crate) async fn close(&self) {
        for place in self.places.iter() {
            let old = match place.lock() {
                Ok(mut slot) => std::mem::replace(&mut *slot, Slot::Closed),
                Err(_) => continue,
            };
            if let Slot::Idle(resident) = old {
                resident.close().await;
            }
        }
    }
}

/// Leaves `place` as `next` (or `back`, idle, when given), unless the engine was closed; a
/// connection that no longer has a place is closed, outside the lock.
fn settle(place: &Mutex<Slot>, back: Option<Resident>, next: Slot) {
    let next = match back {
        Some(resident) => Slot::Idle(resident),
        None => next,
    };
    let Ok(mut slot) = place.lock() else {
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

/// Marks a place for another try when a read is cancelled while it opens the connection.
struct Opening<'a>(&'a Mutex<Slot>);

impl Drop for Opening<'_> {
    fn drop(&mut self) {
        settle(self.0, None, Slot::Unopened);
    }
}

/// A resident connection, lent to one read; it goes back to its place when dropped.
pub(crate) struct Lease<'a> {
    place: &'a Mutex<Slot>,
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
        settle(self.place, Some(resident), Slot::Unopened);
    }
}
