//! Running rendered statements on a pool or a transaction's connection, with typed decoding.
//!
//! The functions here are generic over the driver; [`Target`] picks the concrete one. Every
//! statement is counted by the engine and logged through `tracing` (target `azoth::sql`) with its
//! SQL, the number of bound values and its duration.

use std::time::Instant;

use azoth_dsl::{DecodeRow, Rendered, RowSource};
use futures::FutureExt;
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::database::HasStatementCache;
use sqlx::{AssertSqlSafe, Database, Executor, IntoArguments};

use crate::bind::BindValues;
use crate::connect;
use crate::decode::{Checked, Cursor, ReadValue};
use crate::engine::{Core, Pools};
use crate::errors::{Error, Result};
use crate::fetch::within_bind_limit;
use crate::statement_end::{CheckedEnd, current_columns, statements_owed};
use crate::tx::{TxConn, TxDriver, TxHealth};

/// What one data-changing statement did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Rows inserted, updated or deleted.
    pub rows_affected: u64,
    /// The generated key of the last row an INSERT inserted, where the backend reports it: SQLite
    /// (its rowid), and MySQL/MariaDB for a one-row insert. `None` on PostgreSQL (use
    /// `insert_returning`) and for statements other than INSERT.
    pub last_insert_id: Option<i64>,
    /// The generated key of the first row an INSERT inserted, where the backend reports it:
    /// MySQL/MariaDB (`LAST_INSERT_ID()` is the first row's key of a multi-row insert), and SQLite
    /// for a one-row insert.
    pub first_insert_id: Option<i64>,
}

/// Where a statement runs: any pooled connection, or a transaction's connection.
pub(crate) enum Target<'a, 'c> {
    Pool(&'a Pools),
    Tx(&'a mut TxConn<'c>),
}

/// The driver executor of a [`Target`].
enum Exec<'a, 'c> {
    Pool(&'a Pools),
    Tx(&'a mut TxDriver<'c>),
}

impl<'a, 'c> Target<'a, 'c> {
    /// The executor, and the transaction's health when the target is a transaction: refuses a
    /// transaction that can no longer commit.
    fn open(self) -> Result<(Exec<'a, 'c>, Option<&'a mut TxHealth>)> {
        match self {
            Target::Pool(p) => Ok((Exec::Pool(p), None)),
            Target::Tx(tx) => {
                tx.health.check()?;
                Ok((Exec::Tx(&mut tx.driver), Some(&mut tx.health)))
            }
        }
    }
}

/// Records a failed statement in its transaction.
fn note<T>(health: Option<&mut TxHealth>, result: &Result<T>) {
    if let (Some(health), Err(err)) = (health, result) {
        health.note(err);
    }
}

fn log(engine: &Core, sql: &str, binds: usize, started: Instant) {
    engine.count_statement();
    tracing::debug!(target: "azoth::sql", sql, binds, elapsed_us = started.elapsed().as_micros() as u64, "statement");
}

/// Calls `$f(executor)` with the concrete driver executor of `$target`.
macro_rules! on_target {
    ($target:expr, |$e:ident| $body:expr) => {
        match $target {
            #[cfg(feature = "postgres")]
            Exec::Pool(Pools::Postgres(p)) => {
                let $e = p;
                $body
            }
            #[cfg(feature = "mysql")]
            Exec::Pool(Pools::MySql(p)) => {
                let $e = p;
                $body
            }
            #[cfg(feature = "sqlite")]
            Exec::Pool(Pools::Sqlite(p)) => {
                let $e = p;
                $body
            }
            #[cfg(feature = "postgres")]
            Exec::Tx(TxDriver::Postgres(tx)) => {
                let $e = &mut **tx;
                $body
            }
            #[cfg(feature = "mysql")]
            Exec::Tx(TxDriver::MySql(tx)) => {
                let $e = &mut **tx;
                $body
            }
            #[cfg(feature = "sqlite")]
            Exec::Tx(TxDriver::Sqlite(tx)) => {
                let $e = tx.conn();
                $body
            }
        }
    };
}

/// Runs `$run` (a future over the executor `$e`) on `$exec` and awaits it. On a pool, the
/// statement runs on a connection acquired for it (failing fast with [`Error::Connection`] when
/// the server cannot be reached, see [`connect::acquire`]); when the server reports that the
/// connection's cached prepared statement no longer fits the schema (another client altered a
/// table), the cache is cleared and `$rerun` (the second closure) runs once more on the same connection. In a
/// transaction there is no second try: the failure fails the transaction.
macro_rules! run_on {
    ($engine:expr, $exec:expr, |$e:ident| $run:expr, |$e2:ident| $rerun:expr) => {
        match $exec {
            #[cfg(feature = "postgres")]
            Exec::Pool(Pools::Postgres(p)) => run_pooled!(p, $engine, |$e| $run, |$e2| $rerun),
            #[cfg(feature = "mysql")]
            Exec::Pool(Pools::MySql(p)) => run_pooled!(p, $engine, |$e| $run, |$e2| $rerun),
            #[cfg(feature = "sqlite")]
            Exec::Pool(Pools::Sqlite(p)) => run_pooled!(p, $engine, |$e| $run, |$e2| $rerun),
            #[cfg(feature = "postgres")]
            Exec::Tx(TxDriver::Postgres(tx)) => run_in_tx!(&mut **tx, |$e| $run),
            #[cfg(feature = "mysql")]
            Exec::Tx(TxDriver::MySql(tx)) => run_in_tx!(&mut **tx, |$e| $run),
            #[cfg(feature = "sqlite")]
            Exec::Tx(TxDriver::Sqlite(tx)) => run_in_tx!(tx.conn(), |$e| $run),
        }
    };
}

/// [`run_on!`] on a pool.
macro_rules! run_pooled {
    ($pool:expr, $engine:expr, |$e:ident| $run:expr, |$e2:ident| $rerun:expr) => {{
        match connect::acquire($pool, $engine.connect_timeout()).await {
            Err(err) => Err(err),
            Ok(mut conn) => {
                let first = {
                    let $e = &mut *conn;
                    $run.await
                };
                match first {
                    Err(err) if err.is_stale_statement() => {
                        match sqlx::Connection::clear_cached_statements(&mut *conn).await {
                            Ok(()) => {
                                let $e2 = &mut *conn;
                                $rerun.await
                            }
                            Err(_) => Err(err),
                        }
                    }
                    other => other,
                }
            }
        }
    }};
}

/// [`run_on!`] in a transaction: a stale cached statement is dropped from the cache (so that the
/// transaction, run again, succeeds) and reported.
macro_rules! run_in_tx {
    ($conn:expr, |$e:ident| $run:expr) => {{
        let result = {
            let $e = $conn;
            $run.await
        };
        if result.as_ref().is_err_and(Error::is_stale_statement) {
            let _ = sqlx::Connection::clear_cached_statements($conn).await;
        }
        result
    }};
}

fn execute_on<'e, E>(e: E, sql: String, values: sea_query::Values) -> BoxFuture<'e, Result<Outcome>>
where
    E: Executor<'e> + 'e,
    <E::Database as Database>::Arguments: BindValues + IntoArguments<E::Database>,
    <E::Database as Database>::QueryResult: QueryOutcome,
    E::Database: HasStatementCache,
{
    let args = match <<E::Database as Database>::Arguments as BindValues>::bind(values) {
        Ok(args) => args,
        Err(err) => return futures::future::ready(Err(err)).boxed(),
    };
    let (sql, guarded) = current_columns::<E::Database>(sql);
    let owed = statements_owed::<E::Database>(&sql, guarded);
    if owed == 0 {
        return e
            .execute(sqlx::query_with::<E::Database, _>(AssertSqlSafe(sql), args))
            .map(|done| Ok(done?.outcome()))
            .boxed();
    }
    // SQLite: the statements' results (but the guard's), summed as sqlx's `execute` sums them,
    // where a reply that stops before them is an error (see `statement_end`).
    let query = sqlx::query_with::<E::Database, _>(AssertSqlSafe(sql), args).persistent(!guarded);
    CheckedEnd::new(e.fetch_many(query), owed)
        .try_filter_map(|step| futures::future::ready(Ok(step.left())))
        .skip(usize::from(guarded))
        .try_fold(
            <E::Database as Database>::QueryResult::default(),
            |mut total, done| {
                total.extend(Some(done));
                futures::future::ready(Ok(total))
            },
        )
        .map(|done| Ok(done?.outcome()))
        .boxed()
}

/// Rows affected and generated keys, per driver.
pub(crate) trait QueryOutcome {
    fn outcome(&self) -> Outcome;
}

#[cfg(feature = "postgres")]
impl QueryOutcome for sqlx::postgres::PgQueryResult {
    fn outcome(&self) -> Outcome {
        Outcome {
            rows_affected: self.rows_affected(),
            ..Outcome::default()
        }
    }
}

#[cfg(feature = "mysql")]
impl QueryOutcome for sqlx::mysql::MySqlQueryResult {
    fn outcome(&self) -> Outcome {
        let rows = self.rows_affected();
        // 0: no key was generated.
        let first = i64::try_from(self.last_insert_id())
            .ok()
            .filter(|id| *id != 0 && rows > 0);
        Outcome {
            rows_affected: rows,
            first_insert_id: first,
            last_insert_id: first.filter(|_| rows == 1),
        }
    }
}

#[cfg(feature = "sqlite")]
impl QueryOutcome for sqlx::sqlite::SqliteQueryResult {
    fn outcome(&self) -> Outcome {
        let rows = self.rows_affected();
        let last = Some(self.last_insert_rowid()).filter(|_| rows > 0);
        Outcome {
            rows_affected: rows,
            first_insert_id: last.filter(|_| rows == 1),
            last_insert_id: last,
        }
    }
}

/// Whether `sql` is an INSERT (the only statement whose generated key an outcome reports: the
/// drivers report the connection's last one for any statement).
fn is_insert(sql: &str) -> bool {
    sql.trim_start()
        .get(..6)
        .is_some_and(|word| word.eq_ignore_ascii_case("INSERT"))
}

/// All rows of a query.
pub(crate) async fn fetch_all<R: DecodeRow + Send>(
    engine: &Core,
    target: Target<'_, '_>,
    rendered: Rendered,
) -> Result<Vec<R>> {
    fetch_up_to_with(engine, target, rendered, usize::MAX, R::decode_row).await
}

/// At most `n` rows of a query (the rest are not fetched).
pub(crate) async fn fetch_up_to<R: DecodeRow + Send>(
    engine: &Core,
    target: Target<'_, '_>,
    rendered: Rendered,
    n: usize,
) -> Result<Vec<R>> {
    fetch_up_to_with(engine, target, rendered, n, R::decode_row).await
}

/// At most `n` rows, each decoded by `decode`.
///
/// Generic over the row type, so instantiated in the caller's crate for every row type: it only
/// collects rows, and the execution itself ([`fetch_each`]) is compiled once here.
pub(crate) async fn fetch_up_to_with<T, D>(
    engine: &Core,
    target: Target<'_, '_>,
    rendered: Rendered,
    n: usize,
    decode: D,
) -> Result<Vec<T>>
where
    T: Send,
    D: FnMut(&mut dyn RowSource) -> std::result::Result<T, azoth_dsl::Error> + Send,
{
    let mut decode = decode;
    let mut out = Vec::with_capacity(n.min(1024));
    let mut each = |src: &mut dyn RowSource| {
        out.push(decode(src)?);
        Ok(())
    };
    fetch_each(engine, target, rendered, n, &mut each).await?;
    Ok(out)
}

/// A row decoder that hands each row on (to a `Vec` in [`fetch_up_to_with`]).
pub(crate) type EachRow<'d> =
    dyn FnMut(&mut dyn RowSource) -> std::result::Result<(), azoth_dsl::Error> + Send + 'd;

/// Runs `rendered` and hands at most `n` rows to `each` (the rest are not fetched). Not generic:
/// the three drivers' code paths are compiled once, in this crate.
pub(crate) fn fetch_each<'f>(
    engine: &'f Core,
    target: Target<'f, '_>,
    rendered: Rendered,
    n: usize,
    each: &'f mut EachRow<'_>,
) -> BoxFuture<'f, Result<()>> {
    fetch_each_inner(engine, target, rendered, n, each).boxed()
}

async fn fetch_each_inner(
    engine: &Core,
    target: Target<'_, '_>,
    rendered: Rendered,
    n: usize,
    each: &mut EachRow<'_>,
) -> Result<()> {
    let (sql, values) = within_bind_limit(rendered, engine.backend())?;
    let started = Instant::now();
    let binds = values.0.len();
    let logged = sql.clone();
    let (exec, health) = target.open()?;
    #[cfg(feature = "sqlite")]
    let exec = match fast_sqlite(engine, exec, &sql, &values, n, &mut *each).await {
        Ok(result) => {
            log(engine, &logged, binds, started);
            note(health, &result);
            return result;
        }
        Err(exec) => exec,
    };
    let retry_values = retry_copy(engine, &values);
    // The second run hands rows to the same `each`: it only follows a stale-statement error,
    // which the servers report when the statement is bound, before its first row.
    let result = run_on!(
        engine,
        exec,
        |e| up_to(stream_each_on(e, sql, values, &mut *each), n),
        |e| up_to(
            stream_each_on(e, logged.clone(), retry_values, &mut *each),
            n
        )
    );
    log(engine, &logged, binds, started);
    note(health, &result);
    result
}

/// The values kept to run a statement again after a stale-statement error
/// ([`Error::is_stale_statement`]): a copy on PostgreSQL and MySQL; none on SQLite, which
/// prepares a statement again by itself when the schema changed and never reports one stale, so
/// never runs it again (a copy of an insert's values was an allocation per text value, about a
/// tenth of a 1 000-row insert).
fn retry_copy(engine: &Core, values: &sea_query::Values) -> sea_query::Values {
    match engine.backend() {
        azoth_dsl::Backend::Sqlite => sea_query::Values(Vec::new()),
        _ => values.clone(),
    }
}

/// Runs a query on SQLite through [`crate::sqlite_fast`] when the engine allows it and the
/// statement is one it runs: `Ok` with what the query gave; `Err` hands the executor back, nothing
/// sent, for the sqlx path.
#[cfg(feature = "sqlite")]
async fn fast_sqlite<'a, 'c>(
    engine: &Core,
    exec: Exec<'a, 'c>,
    sql: &str,
    values: &sea_query::Values,
    n: usize,
    each: &mut EachRow<'_>,
) -> std::result::Result<Result<()>, Exec<'a, 'c>> {
    use crate::sqlite_fast::{self, Fast};
    if !engine.sqlite_fast_reads() || !sqlite_fast::looks_like_a_query(sql) {
        return Err(exec);
    }
    let args = match sqlite_fast::lite_args(values.clone()) {
        Ok(args) => args,
        Err(e) => return Ok(Err(e)),
    };
    let read = sqlite_fast::Read {
        sql,
        args: &args,
        limit: n,
    };
    #[allow(unreachable_patterns)]
    match exec {
        Exec::Pool(pools @ Pools::Sqlite(pool)) => {
            let resident = sqlite_fast::fetch_resident(engine.residence(), pool, read, each).await;
            match resident {
                Some(Fast::Ran(result)) => return Ok(result.map(drop)),
                Some(Fast::Declined) => return Err(Exec::Pool(pools)),
                None => {}
            }
            let mut conn = match connect::acquire(pool, engine.connect_timeout()).await {
                Ok(conn) => conn,
                Err(e) => return Ok(Err(e)),
            };
            match sqlite_fast::fetch(&mut conn, read, each).await {
                Fast::Ran(result) => Ok(result.map(drop)),
                Fast::Declined => Err(Exec::Pool(pools)),
            }
        }
        Exec::Tx(driver) => {
            // Irrefutable in a build with SQLite alone.
            #[allow(irrefutable_let_patterns)]
            let TxDriver::Sqlite(tx) = &mut *driver else {
                return Err(Exec::Tx(driver));
            };
            match tx.fetch(read, each).await {
                Fast::Ran(result) => Ok(result.map(drop)),
                Fast::Declined => Err(Exec::Tx(driver)),
            }
        }
        other => Err(other),
    }
}

/// Drives `rows` until `n` rows were handed on (the rest are not fetched).
async fn up_to(mut rows: BoxStream<'_, Result<()>>, n: usize) -> Result<()> {
    let mut done = 0;
    while done < n {
        match rows.try_next().await? {
            Some(()) => done += 1,
            None => break,
        }
    }
    Ok(())
}

/// Runs a statement that returns no rows.
pub(crate) async fn execute(
    engine: &Core,
    target: Target<'_, '_>,
    rendered: Rendered,
) -> Result<Outcome> {
    let (sql, values) = within_bind_limit(rendered, engine.backend())?;
    let started = Instant::now();
    let binds = values.0.len();
    let logged = sql.clone();
    let (exec, health) = target.open()?;
    let insert = is_insert(&sql);
    let retry_values = retry_copy(engine, &values);
    let result = run_on!(
        engine,
        exec,
        |e| execute_on(e, sql, values),
        |e| execute_on(e, logged.clone(), retry_values)
    );
    let result = result.map(|o| {
        if insert {
            o
        } else {
            Outcome {
                rows_affected: o.rows_affected,
                ..Outcome::default()
            }
        }
    });
    log(engine, &logged, binds, started);
    note(health, &result);
    result
}

fn stream_on<'e, E, R>(e: E, sql: String, values: sea_query::Values) -> BoxStream<'e, Result<R>>
where
    E: Executor<'e> + 'e,
    <E::Database as Database>::Arguments: BindValues + IntoArguments<E::Database>,
    <E::Database as Database>::Row: ReadValue,
    E::Database: HasStatementCache,
    R: DecodeRow + Send + 'e,
{
    stream_with_on(e, sql, values, R::decode_row)
}

/// [`stream_with_on`] handing each row to `each` (one instantiation per driver).
fn stream_each_on<'e, E>(
    e: E,
    sql: String,
    values: sea_query::Values,
    each: &'e mut EachRow<'_>,
) -> BoxStream<'e, Result<()>>
where
    E: Executor<'e> + 'e,
    <E::Database as Database>::Arguments: BindValues + IntoArguments<E::Database>,
    <E::Database as Database>::Row: ReadValue,
    E::Database: HasStatementCache,
{
    stream_with_on(e, sql, values, each)
}

fn stream_with_on<'e, E, T, D>(
    e: E,
    sql: String,
    values: sea_query::Values,
    mut decode: D,
) -> BoxStream<'e, Result<T>>
where
    E: Executor<'e> + 'e,
    <E::Database as Database>::Arguments: BindValues + IntoArguments<E::Database>,
    <E::Database as Database>::Row: ReadValue,
    E::Database: HasStatementCache,
    T: Send + 'e,
    D: FnMut(&mut dyn RowSource) -> std::result::Result<T, azoth_dsl::Error> + Send + 'e,
{
    let args = match <<E::Database as Database>::Arguments as BindValues>::bind(values) {
        Ok(args) => args,
        Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
    };
    // The columns' types, checked on the first rows that hold values (see `Checked`).
    let mut checked = Checked::default();
    let (sql, guarded) = current_columns::<E::Database>(sql);
    let owed = statements_owed::<E::Database>(&sql, guarded);
    let query = sqlx::query_with::<E::Database, _>(AssertSqlSafe(sql), args).persistent(!guarded);
    let decode =
        move |row: std::result::Result<<E::Database as Database>::Row, sqlx::Error>| match row {
            Ok(r) => decode(&mut Cursor::checked(&r, &mut checked)).map_err(Error::from),
            Err(e) => Err(Error::from(e)),
        };
    if owed == 0 {
        // Nothing to check (PostgreSQL, MySQL): sqlx's own row stream.
        return query.fetch(e).map(decode).boxed();
    }
    CheckedEnd::new(e.fetch_many(query), owed)
        .try_filter_map(|step| futures::future::ready(Ok(step.right())))
        .map(decode)
        .boxed()
}

/// The rows of a query, one at a time: only the row being decoded is held in memory.
pub(crate) fn stream<'a, R: DecodeRow + Send + 'a>(
    engine: &Core,
    target: Target<'a, '_>,
    rendered: Rendered,
) -> BoxStream<'a, Result<R>> {
    let (sql, values) = match within_bind_limit(rendered, engine.backend()) {
        Ok(rendered) => rendered,
        Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
    };
    let (exec, mut health) = match target.open() {
        Ok(opened) => opened,
        Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
    };
    log(engine, &sql, values.0.len(), Instant::now());
    on_target!(exec, |e| stream_on(e, sql, values))
        .map(move |row: Result<R>| {
            if let (Some(health), Err(err)) = (health.as_deref_mut(), &row) {
                health.note(err);
            }
            row
        })
        .boxed()
}
