//! Reading SQLite rows on the calling task: the fast path of `all`, `one`, `first` and loaders
//! on a SQLite engine.
//!
//! sqlx runs each SQLite connection on a worker thread that hands rows over one by one through a
//! channel. Here the connection's handle is locked out of the worker
//! ([`LockedSqliteHandle`](sqlx::sqlite::LockedSqliteHandle)), the statement is prepared, bound
//! and stepped through SQLite's C API, and each row is decoded straight from its columns. The
//! connection, its pool, its transaction and its busy timeout stay sqlx's.
//!
//! Taking the handle is a round trip to the worker, so it is kept where it can be: outside
//! transactions, reads run on a connection the engine keeps locked (`resident`); in a
//! transaction, a run of reads keeps its connection's handle until sqlx needs the connection
//! again (`in_tx`). Only a read that finds neither takes a pooled connection's handle for one
//! statement ([`fetch`]).
//!
//! Only a single statement that reads (`sqlite3_stmt_readonly`) and returns columns runs here;
//! anything else (`UPDATE … RETURNING`, several statements in one text, parameters named
//! `:name`) runs through sqlx as before. A row decodes to the value sqlx's decoders give, and a
//! failure is the same [`Error`](crate::Error) kind. The step loop runs on the calling task,
//! as Diesel's and rusqlite's do: a long statement holds its executor thread meanwhile.

mod args;
mod error;
mod ffi;
mod in_tx;
mod resident;
mod row;

pub(crate) use args::lite_args;
pub(crate) use error::is_sqlite;
pub(crate) use ffi::LiteArg;
pub(crate) use in_tx::SqliteTx;
pub(crate) use resident::Residence;

use azoth_dsl::RowSource;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection, SqlitePool};

use crate::errors::Result;
use ffi::{Prepared, Statement};
use row::LiteRow;

/// What the fast path did with a statement.
pub(crate) enum Fast<T> {
    /// It ran the statement: its rows, or its error.
    Ran(Result<Vec<T>>),
    /// The statement is not one the fast path runs, and nothing was sent: run it through sqlx.
    Declined,
}

/// A read the fast path runs: its text, its bound values, and how many rows it decodes at most.
#[derive(Clone, Copy)]
pub(crate) struct Read<'a> {
    pub(crate) sql: &'a str,
    pub(crate) args: &'a [LiteArg],
    pub(crate) limit: usize,
}

/// What decodes one row of a [`Read`] into a `T`.
pub(crate) trait RowDecoder<T>:
    FnMut(&mut dyn RowSource) -> std::result::Result<T, azoth_dsl::Error>
{
}

impl<T, F> RowDecoder<T> for F where
    F: FnMut(&mut dyn RowSource) -> std::result::Result<T, azoth_dsl::Error> + ?Sized
{
}

/// Whether `sql` may be a query the fast path runs (a cheap look before preparing it): it
/// starts with `SELECT`, `WITH` or `VALUES`.
pub(crate) fn looks_like_a_query(sql: &str) -> bool {
    let word = sql.trim_start().as_bytes();
    ["SELECT", "WITH", "VALUES"].iter().any(|w| {
        word.get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// Runs `read` on `conn`, decoding its rows with `decode`.
pub(crate) async fn fetch<T, D>(
    conn: &mut SqliteConnection,
    read: Read<'_>,
    decode: &mut D,
) -> Fast<T>
where
    D: RowDecoder<T> + ?Sized,
{
    match conn.lock_handle().await {
        Ok(mut handle) => run(&mut handle, read, decode),
        Err(e) => Fast::Ran(Err(e.into())),
    }
}

/// [`fetch`] on the engine's resident connection (see `resident`): `None` when it has none
/// free, and nothing was run.
pub(crate) async fn fetch_resident<T, D>(
    residence: &Residence,
    pool: &SqlitePool,
    read: Read<'_>,
    decode: &mut D,
) -> Option<Fast<T>>
where
    D: RowDecoder<T> + ?Sized,
{
    let mut lease = residence.take(pool).await?;
    let (handle, kept) = lease.parts();
    Some(run_kept(handle, kept, read, decode))
}

/// [`run_without_waiting`] on a handle held across statements, reusing the statement `kept`
/// holds for `sql`; a statement that ran to the end is kept prepared for the next read of the
/// same text.
fn run_kept<T, D>(
    handle: &mut LockedSqliteHandle<'_>,
    kept: &mut ffi::StatementCache,
    read: Read<'_>,
    decode: &mut D,
) -> Fast<T>
where
    D: RowDecoder<T> + ?Sized,
{
    let mut stmt = match kept.take(read.sql) {
        Some(stmt) => Statement::reuse(handle, stmt),
        None => match reading_statement(handle, read.sql) {
            Some(stmt) => stmt,
            None => return Fast::Declined,
        },
    };
    let fast = run_statement(&mut stmt, read, decode);
    if matches!(fast, Fast::Ran(Ok(_))) {
        kept.put(read.sql, stmt.keep());
    }
    fast
}

/// Waits until sqlx's worker thread has handled every message sent to it, by a ping (one round
/// trip): what a transaction's connection needs now and then (see [`SqliteTx`]).
///
/// Taking the handle from the worker is a message (`lock_handle`). When the worker had not yet
/// taken the handle back after the previous time, the handle is free and the message is left
/// queued: it is handled later, as a no-op. The pool pings every connection it takes back,
/// which handles those messages first; a transaction's connection does not go back between
/// statements, so they pile up. Once sqlx's queue (50 messages) is full, the next `lock_handle`
/// holds the handle while it waits to queue its message, and the worker waits for the handle:
/// both wait forever. Taking the handle leaves at most one message, so draining once every
/// [`DRAIN_EVERY`] times keeps the queue well short of full. A failed ping is left for the next
/// statement to report.
pub(crate) async fn drain(conn: &mut SqliteConnection) {
    let _ = sqlx::Connection::ping(conn).await;
}

/// How many times a transaction's handle was taken from sqlx's worker since its queue was last
/// drained: each may have left one message there (see [`drain`]). Anything else sqlx runs on
/// the connection drains the queue too, so this may only count high, never low.
#[derive(Default)]
pub(crate) struct Backlog(u8);

/// Handles taken between two drains: sqlx's queue holds 50 messages (its
/// `command_channel_size`, which azoth leaves at sqlx's default).
pub(crate) const DRAIN_EVERY: u8 = 16;

/// The busy timeout sqlx gives every SQLite connection (its default, which a URL cannot change;
/// the engine sets it explicitly so that this stays true).
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// [`fetch`] on a locked handle, without awaiting: with no busy wait, so that a locked database
/// never stalls the calling task; the statement is handed to sqlx (which waits on its own
/// thread) when it cannot start.
fn run<T, D>(handle: &mut LockedSqliteHandle<'_>, read: Read<'_>, decode: &mut D) -> Fast<T>
where
    D: RowDecoder<T> + ?Sized,
{
    ffi::set_busy_timeout(handle, std::time::Duration::ZERO);
    let fast = run_without_waiting(handle, read, decode);
    ffi::set_busy_timeout(handle, BUSY_TIMEOUT);
    fast
}

/// Prepares, binds, steps and decodes. A statement that fails to prepare or to start (a
/// missing table, a lock held elsewhere, ..) is declined: it only reads, so sqlx runs it afresh
/// and reports its own error, the one its users know.
fn run_without_waiting<T, D>(
    handle: &mut LockedSqliteHandle<'_>,
    read: Read<'_>,
    decode: &mut D,
) -> Fast<T>
where
    D: RowDecoder<T> + ?Sized,
{
    match reading_statement(handle, read.sql) {
        Some(mut stmt) => run_statement(&mut stmt, read, decode),
        None => Fast::Declined,
    }
}

/// `sql` prepared, when it is one statement that reads rows (what the fast path runs).
fn reading_statement<'h>(
    handle: &'h mut LockedSqliteHandle<'_>,
    sql: &str,
) -> Option<Statement<'h>> {
    match Statement::prepare(handle, sql) {
        Ok(Prepared::One(stmt)) if stmt.reads_rows() => Some(stmt),
        _ => None,
    }
}

/// Binds, steps and decodes a prepared statement (see [`run_without_waiting`]).
fn run_statement<T, D>(stmt: &mut Statement<'_>, read: Read<'_>, decode: &mut D) -> Fast<T>
where
    D: RowDecoder<T> + ?Sized,
{
    match args::bind_all(stmt, read.args) {
        Ok(true) => {}
        Ok(false) | Err(_) => return Fast::Declined,
    }
    let mut out = Vec::with_capacity(read.limit.min(1024));
    let mut started = false;
    while out.len() < read.limit {
        match stmt.step() {
            Ok(true) => started = true,
            Ok(false) => break,
            Err(_) if !started => return Fast::Declined,
            Err(e) => return Fast::Ran(Err(e.into())),
        }
        match decode(&mut LiteRow::new(stmt)) {
            Ok(v) => out.push(v),
            Err(e) => return Fast::Ran(Err(e.into())),
        }
    }
    Fast::Ran(Ok(out))
}
