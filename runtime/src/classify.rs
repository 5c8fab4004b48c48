//! Which kind a database's error is, from its SQLSTATE (PostgreSQL), error number (MySQL,
//! MariaDB) or result code (SQLite): a lost connection, a transaction conflict, a stale prepared
//! statement. The codes are listed here once; [`crate::Error`]'s conversion and methods use them.

use sqlx::error::DatabaseError;
#[cfg(feature = "mysql")]
use sqlx::mysql::MySqlDatabaseError;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgDatabaseError;

use crate::errors::ConflictKind;

mod names;
pub(crate) use names::locate;

/// What a database error means for the program, beyond constraint violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DbKind {
    /// The server ended the connection (killed, shut down, timed out).
    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    ConnectionLost,
    /// The transaction lost a race with another one.
    Conflict(ConflictKind),
    /// Anything else.
    Other,
}

#[cfg(feature = "mysql")]
/// MySQL/MariaDB error numbers.
mod mysql {
    pub const LOCK_DEADLOCK: u16 = 1213;
    pub const LOCK_WAIT_TIMEOUT: u16 = 1205;
    pub const LOCK_NOWAIT: u16 = 3572;
    pub const SERVER_SHUTDOWN: u16 = 1053;
    pub const ABORTING_CONNECTION: u16 = 1152;
    pub const NEW_ABORTING_CONNECTION: u16 = 1184;
    pub const CONNECTION_KILLED: u16 = 1927;
    pub const SERVER_GONE: u16 = 2006;
    pub const SERVER_LOST: u16 = 2013;
    pub const CLIENT_INTERACTION_TIMEOUT: u16 = 4031;
    pub const NEED_REPREPARE: u16 = 1615;
    /// ER_CHECKREAD, "Record has changed since last read": MariaDB's serialization failure
    /// under `innodb_snapshot_isolation` (the whole transaction is rolled back).
    pub const CHECKREAD: u16 = 1020;
}

/// The kind of a database's error.
pub(crate) fn kind_of(db: &dyn DatabaseError) -> DbKind {
    #[cfg(feature = "postgres")]
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        let code = pg.code();
        return match code {
            "40P01" => DbKind::Conflict(ConflictKind::Deadlock),
            "40001" => DbKind::Conflict(ConflictKind::Serialization),
            "55P03" => DbKind::Conflict(ConflictKind::LockTimeout),
            // admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now,
            // idle_session_timeout, idle_in_transaction_session_timeout, class 08.
            "57P01" | "57P02" | "57P03" | "57P05" | "25P03" => DbKind::ConnectionLost,
            _ if code.starts_with("08") => DbKind::ConnectionLost,
            _ => DbKind::Other,
        };
    }
    #[cfg(feature = "mysql")]
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        return match my.number() {
            mysql::LOCK_DEADLOCK => DbKind::Conflict(ConflictKind::Deadlock),
            mysql::LOCK_WAIT_TIMEOUT | mysql::LOCK_NOWAIT => {
                DbKind::Conflict(ConflictKind::LockTimeout)
            }
            mysql::SERVER_SHUTDOWN
            | mysql::ABORTING_CONNECTION
            | mysql::NEW_ABORTING_CONNECTION
            | mysql::CONNECTION_KILLED
            | mysql::SERVER_GONE
            | mysql::SERVER_LOST
            | mysql::CLIENT_INTERACTION_TIMEOUT => DbKind::ConnectionLost,
            mysql::CHECKREAD => DbKind::Conflict(ConflictKind::Serialization),
            _ if my.code() == Some("40001") => DbKind::Conflict(ConflictKind::Serialization),
            _ => DbKind::Other,
        };
    }
    #[cfg(feature = "sqlite")]
    if crate::sqlite_fast::is_sqlite(db) {
        if db.code().as_deref() == Some(SQLITE_BUSY_SNAPSHOT) {
            return DbKind::Conflict(ConflictKind::Serialization);
        }
        return match sqlite_primary_code(db) {
            // SQLITE_BUSY, SQLITE_LOCKED: another connection holds the lock.
            Some(5) | Some(6) => DbKind::Conflict(ConflictKind::LockTimeout),
            _ => DbKind::Other,
        };
    }
    DbKind::Other
}

/// SQLITE_BUSY_SNAPSHOT: a WAL transaction that read an older snapshot tried to write after
/// another connection committed.
#[cfg(feature = "sqlite")]
const SQLITE_BUSY_SNAPSHOT: &str = "517";

/// SQLite's primary result code of `db` (the low byte of the extended code sqlx reports).
pub(crate) fn sqlite_primary_code(db: &dyn DatabaseError) -> Option<i32> {
    db.code()
        .and_then(|c| c.parse::<i32>().ok())
        .map(|c| c & 0xff)
}

/// Whether the error says a prepared statement the connection cached no longer fits the schema
/// (PostgreSQL: "cached plan must not change result type", a vanished prepared statement;
/// MySQL: "Prepared statement needs to be re-prepared").
#[cfg_attr(
    not(any(feature = "postgres", feature = "mysql")),
    allow(unused_variables)
)]
pub(crate) fn is_stale_statement(db: &dyn DatabaseError) -> bool {
    #[cfg(feature = "postgres")]
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        return match pg.code() {
            "0A000" => pg
                .message()
                .contains("cached plan must not change result type"),
            "26000" => pg.message().contains("prepared statement"),
            _ => false,
        };
    }
    #[cfg(feature = "mysql")]
    if let Some(my) = db.try_downcast_ref::<MySqlDatabaseError>() {
        return my.number() == mysql::NEED_REPREPARE;
    }
    false
}

#[cfg(all(test, feature = "postgres"))]
mod tests {
    use sqlx::{Connection, PgConnection};

    use crate::errors::Error;

    /// The executor's recovery: a plan cached before another statement changed the column's type
    /// fails as stale, and runs again once the connection's statement cache is cleared.
    #[tokio::test]
    async fn a_plan_cached_before_an_alter_table_is_stale_until_the_cache_is_cleared() {
        let Ok(url) = std::env::var("AZOTH_TEST_POSTGRES_URL") else {
            return;
        };
        let mut c = PgConnection::connect(&url).await.unwrap();
        sqlx::raw_sql("CREATE TEMP TABLE stale (t TEXT); INSERT INTO stale VALUES ('x')")
            .execute(&mut c)
            .await
            .unwrap();
        let query = "SELECT t FROM stale";
        sqlx::query(query).fetch_all(&mut c).await.unwrap();
        sqlx::raw_sql("ALTER TABLE stale ALTER COLUMN t TYPE VARCHAR(10)")
            .execute(&mut c)
            .await
            .unwrap();
        let err = Error::from(sqlx::query(query).fetch_all(&mut c).await.unwrap_err());
        assert!(err.is_stale_statement(), "{err:?}");
        assert!(!err.is_retryable() && !err.is_connection());
        c.clear_cached_statements().await.unwrap();
        assert_eq!(sqlx::query(query).fetch_all(&mut c).await.unwrap().len(), 1);
    }
}
