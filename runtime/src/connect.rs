//! Opening connections so that a server that refuses or does not answer is reported as such, at
//! once: sqlx's pool retries a refused connection until its acquire timeout and then reports only
//! the timeout (`PoolTimedOut`), which reads as a busy pool.

use std::time::Duration;

use futures::future::{Either, select};
use sqlx::pool::PoolConnection;
use sqlx::{ConnectOptions, Connection, Database, Pool};

use crate::errors::{Error, Result};

/// How long [`acquire`] waits for the pool before asking the server directly.
const PROBE_AFTER: Duration = Duration::from_millis(200);

/// Opens and closes one connection within `timeout`, so that a refused or silent server fails
/// with the driver's own error ([`Error::Connection`]); a login the server rejects is
/// [`Error::Database`].
pub(crate) async fn first_connection<O>(connect: &O, timeout: Duration) -> Result<()>
where
    O: ConnectOptions,
    O::Connection: Sized,
{
    match tokio::time::timeout(timeout, connect.connect()).await {
        Ok(Ok(conn)) => {
            // The server accepted the connection; failing to say goodbye does not matter.
            let _ = conn.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(Error::from(e)),
        Err(_) => Err(Error::Connection(sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("no connection within `connect_timeout` ({timeout:?})"),
        )))),
    }
}

/// A connection of `pool`, for an executor that runs statements on a connection it holds.
///
/// When the pool has not handed one out within a moment and has room to open one (so it is
/// opening one, or retrying a refused one), the server is asked directly: a refused or silent
/// server is then [`Error::Connection`] within `connect_timeout`, not [`Error::PoolTimeout`]
/// after the whole acquire timeout. A pool whose connections are all busy waits as before.
pub(crate) async fn acquire<DB>(
    pool: &Pool<DB>,
    connect_timeout: Duration,
) -> Result<PoolConnection<DB>>
where
    DB: Database,
    DB::Connection: Sized,
{
    let acquire = Box::pin(pool.acquire());
    let acquire = match select(acquire, Box::pin(tokio::time::sleep(PROBE_AFTER))).await {
        Either::Left((conn, _)) => return conn.map_err(Error::from),
        Either::Right((_, acquire)) => acquire,
    };
    if pool.size() >= pool.options().get_max_connections() {
        return acquire.await.map_err(Error::from);
    }
    let options = pool.connect_options();
    let probe = Box::pin(first_connection(&*options, connect_timeout));
    match select(acquire, probe).await {
        Either::Left((conn, _)) => conn.map_err(Error::from),
        Either::Right((Err(e), _)) => Err(e),
        Either::Right((Ok(()), acquire)) => acquire.await.map_err(Error::from),
    }
}

#[cfg(all(test, feature = "postgres"))]
mod tests {
    use std::time::Instant;

    use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

    use super::*;

    #[tokio::test]
    async fn a_refused_server_fails_fast_when_the_pool_opens_a_connection() {
        let options = PgConnectOptions::new().host("127.0.0.1").port(1);
        let pool = PgPoolOptions::new()
            .acquire_timeout(Duration::from_secs(30))
            .connect_lazy_with(options);
        let started = Instant::now();
        let err = acquire(&pool, Duration::from_secs(10)).await.unwrap_err();
        assert!(err.is_connection(), "{err:?}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
}
