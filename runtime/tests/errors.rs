//! Error kinds a program can act on, and errors that never show a secret: malformed and unknown
//! URLs, typed engines on another backend's URL, refused and silent servers, killed connections,
//! deadlocks, and prepared statements made stale by another client's `ALTER TABLE`.

mod common;

use std::time::{Duration, Instant};

use azoth::prelude::*;
use azoth::{ConflictKind, EngineOptions, Error, typed};
use common::blog::*;

const PASSWORD: &str = "s3cr3t-pw";

/// Neither the message nor the `Debug` output of `err` shows the password.
fn assert_no_secret(err: &Error) {
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains(PASSWORD), "the password leaked: {shown}");
}

async fn connect_err(url: &str) -> Error {
    Engine::connect(url).await.unwrap_err()
}

#[tokio::test]
async fn eng_a_malformed_url_says_what_is_wrong_without_the_password() {
    for url in [
        format!("postgres://ann:{PASSWORD}@127.0.0.1:54x2/app"),
        format!("mysql://ann:{PASSWORD}@127.0.0.1:99999/app"),
        format!("mariadb://ann:{PASSWORD}@127.0.0.1:-1/app"),
    ] {
        let err = connect_err(&url).await;
        assert_no_secret(&err);
        match &err {
            Error::InvalidUrl { url: shown, reason } => {
                assert!(reason.contains("port"), "{url}: {reason}");
                assert!(shown.contains("ann:***@127.0.0.1"), "{shown}");
            }
            other => panic!("{url}: expected InvalidUrl, got {other:?}"),
        }
        assert!(!err.to_string().contains("unsupported"), "{err}");
    }

    for url in [
        format!("postgres://ann:{PASSWORD}@127.0.0.1:5432/app?sslmode=bogus"),
        format!("mysql://ann:{PASSWORD}@127.0.0.1:3306/app?ssl-mode=bogus"),
    ] {
        let err = connect_err(&url).await;
        assert_no_secret(&err);
        match &err {
            Error::InvalidUrl { reason, .. } => {
                assert!(reason.contains("bogus"), "{url}: {reason}")
            }
            other => panic!("{url}: expected InvalidUrl, got {other:?}"),
        }
    }

    // A password given as a query parameter is masked too.
    let err = connect_err(&format!(
        "postgres://127.0.0.1:5432/app?password={PASSWORD}&sslmode=bogus"
    ))
    .await;
    assert!(matches!(err, Error::InvalidUrl { .. }), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn eng_an_unknown_scheme_is_unsupported_without_the_password() {
    let err = connect_err(&format!("oracle://ann:{PASSWORD}@db.example.org/app")).await;
    assert!(
        matches!(&err, Error::UnsupportedUrl(url) if url == "oracle://ann:***@db.example.org/app"),
        "{err:?}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn eng_a_typed_engine_on_another_backends_url_is_wrong_backend_without_the_password() {
    let started = Instant::now();
    let pg = format!("postgres://ann:{PASSWORD}@127.0.0.1:1/app");
    let my = format!("mysql://ann:{PASSWORD}@127.0.0.1:1/app");
    let cases = [
        (
            Engine::<typed::Postgres>::connect_typed("sqlite::memory:")
                .await
                .unwrap_err(),
            Backend::Postgres,
            Backend::Sqlite,
        ),
        (
            Engine::<typed::Sqlite>::connect_typed(&pg)
                .await
                .unwrap_err(),
            Backend::Sqlite,
            Backend::Postgres,
        ),
        (
            Engine::<typed::MySql>::connect_typed(&pg)
                .await
                .unwrap_err(),
            Backend::MySql,
            Backend::Postgres,
        ),
        (
            Engine::<typed::Postgres>::connect_typed(&my)
                .await
                .unwrap_err(),
            Backend::Postgres,
            Backend::MySql,
        ),
    ];
    for (err, want_expected, want_found) in cases {
        assert_no_secret(&err);
        match &err {
            Error::WrongBackend {
                expected, found, ..
            } => assert_eq!((*expected, *found), (want_expected, want_found)),
            other => panic!("expected WrongBackend, got {other:?}"),
        }
    }
    // The backend is checked before connecting: nothing listens on port 1.
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn eng_a_refused_port_fails_fast_with_the_connection_kind() {
    for url in [
        format!("postgres://ann:{PASSWORD}@127.0.0.1:1/app"),
        format!("mysql://ann:{PASSWORD}@127.0.0.1:1/app"),
    ] {
        let started = Instant::now();
        let err = connect_err(&url).await;
        let took = started.elapsed();
        assert!(err.is_connection(), "{url}: {err:?}");
        assert!(!err.is_retryable(), "{err:?}");
        assert!(took < Duration::from_secs(5), "{url}: took {took:?}");
        assert!(!err.to_string().contains("max_connections"), "{err}");
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn eng_a_silent_server_fails_within_the_connect_timeout() {
    // Accepts TCP connections (the kernel does) but never answers the handshake.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    for url in [
        format!("postgres://ann:{PASSWORD}@127.0.0.1:{port}/app"),
        format!("mysql://ann:{PASSWORD}@127.0.0.1:{port}/app"),
    ] {
        let options = EngineOptions::default().connect_timeout(Duration::from_millis(300));
        let started = Instant::now();
        let err = Engine::connect_with(&url, options).await.unwrap_err();
        let took = started.elapsed();
        assert!(err.is_connection(), "{url}: {err:?}");
        assert!(err.to_string().contains("connect_timeout"), "{err}");
        assert!(took < Duration::from_secs(5), "{url}: took {took:?}");
        assert_no_secret(&err);
    }
    drop(listener);
}

#[tokio::test]
async fn eng_a_rejected_login_does_not_show_the_password() {
    let Ok(url) = std::env::var("AZOTH_TEST_MYSQL_URL") else {
        return;
    };
    // PostgreSQL here trusts every login; MariaDB's root has no password, so any is wrong.
    let Some(rest) = url.strip_prefix("mysql://root@") else {
        return;
    };
    let err = connect_err(&format!("mysql://root:{PASSWORD}@{rest}")).await;
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    assert!(err.to_string().contains("Access denied"), "{err}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn eng_an_engines_debug_output_shows_no_secret() {
    let Ok(url) = std::env::var("AZOTH_TEST_POSTGRES_URL") else {
        return;
    };
    // PostgreSQL here trusts every login, so any password is accepted.
    let url = url.replacen(
        "postgres://postgres@",
        &format!("postgres://postgres:{PASSWORD}@"),
        1,
    );
    assert!(url.contains(PASSWORD), "{url}");
    let engine = Engine::connect(&url).await.unwrap();
    let shown = format!("{engine:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!format!("{:?}", engine.session()).contains(PASSWORD));
}

/// The id the server gives the connection running the statement.
fn backend_id_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "SELECT CAST(pg_backend_pid() AS BIGINT)",
        _ => "SELECT CAST(CONNECTION_ID() AS SIGNED)",
    }
}

/// Ends connection `id` from another connection of the pool.
async fn kill(engine: &Engine, id: i64) {
    let mut s = engine.session();
    match engine.backend() {
        Backend::Postgres => {
            let done: bool = s
                .one(
                    text("SELECT pg_terminate_backend(CAST(:id AS INTEGER))")
                        .bind("id", id)
                        .returns(),
                )
                .await
                .unwrap();
            assert!(done);
        }
        _ => {
            s.execute(text(&format!("KILL {id}"))).await.unwrap();
        }
    }
}

#[tokio::test]
async fn eng_a_killed_connection_is_the_connection_kind_and_the_pool_recovers() {
    for engine in common::engines("eng_killed_connection").await {
        let db = common::name(&engine);
        if engine.backend() == Backend::Sqlite {
            continue; // an in-process database has no connection to kill
        }
        let sql = backend_id_sql(engine.backend());
        let mut s = engine.session();
        let mut tx = s.begin().await.unwrap();
        let id: i64 = tx.one(text(sql).returns()).await.unwrap();
        kill(&engine, id).await;
        // The server may need a moment to close the socket.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let err = tx.one(text("SELECT 1").returns::<i64>()).await.unwrap_err();
        assert!(err.is_connection(), "{db}: {err:?}");
        assert!(matches!(err, Error::Connection(_)), "{db}: {err:?}");
        assert!(!err.is_retryable(), "{db}: {err:?}");
        drop(tx);

        // The pool replaces the dead connection.
        let one: i64 = s.one(text("SELECT 1").returns()).await.unwrap();
        assert_eq!(one, 1, "{db}");

        // A pooled connection killed while idle is replaced before it is handed out.
        let idle: i64 = s.one(text(sql).returns()).await.unwrap();
        kill(&engine, idle).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        for _ in 0..3 {
            let id: i64 = s.one(text(sql).returns()).await.unwrap();
            assert_ne!(id, idle, "{db}");
        }
    }
}

/// Updates user `first`, waits for the other transaction to do the same, then updates `second`.
async fn cross_update(
    engine: &Engine,
    first: i64,
    second: i64,
    barrier: &tokio::sync::Barrier,
) -> azoth::Result<()> {
    let mut s = engine.session();
    let mut tx = s.begin().await?;
    let bump = |id: i64| {
        update(User::TABLE)
            .set(User::karma, User::karma.add(1))
            .filter(User::id.eq(id))
    };
    let first_done = tx.execute(bump(first)).await;
    barrier.wait().await;
    first_done?;
    tx.execute(bump(second)).await?;
    tx.commit().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eng_a_deadlock_is_a_retryable_conflict() {
    for engine in common::engines("eng_deadlock").await {
        let db = common::name(&engine);
        if engine.backend() == Backend::Sqlite {
            continue; // SQLite locks the whole database: two writers never deadlock
        }
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let a = s.insert(new_user("a")).await.unwrap().id;
        let b = s.insert(new_user("b")).await.unwrap().id;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let (one, two) = tokio::join!(
            cross_update(&engine, a, b, &barrier),
            cross_update(&engine, b, a, &barrier),
        );
        let errors: Vec<Error> = [one, two].into_iter().filter_map(Result::err).collect();
        assert_eq!(errors.len(), 1, "{db}: one victim: {errors:?}");
        let err = &errors[0];
        assert!(
            matches!(
                err,
                Error::Conflict {
                    kind: ConflictKind::Deadlock,
                    ..
                }
            ),
            "{db}: {err:?}"
        );
        assert!(err.is_retryable(), "{db}");
        assert!(!err.is_connection(), "{db}");
        // The survivor committed both of its updates.
        let karma: Vec<i32> = s.all(select(User::karma).order_by(User::id)).await.unwrap();
        assert_eq!(karma, [1, 1], "{db}");
    }
}

#[tokio::test]
async fn eng_a_lock_not_granted_in_time_is_a_retryable_conflict() {
    for engine in common::engines("eng_lock_timeout").await {
        let db = common::name(&engine);
        if engine.backend() == Backend::Sqlite {
            continue; // one in-memory connection: there is no second writer to wait for
        }
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let a = s.insert(new_user("a")).await.unwrap().id;
        let bump = || {
            update(User::TABLE)
                .set(User::karma, User::karma.add(1))
                .filter(User::id.eq(a))
        };
        let mut holder_session = engine.session();
        let mut holder = holder_session.begin().await.unwrap();
        holder.execute(bump()).await.unwrap();

        let mut waiter_session = engine.session();
        let mut waiter = waiter_session.begin().await.unwrap();
        let short_wait = match engine.backend() {
            Backend::Postgres => "SET LOCAL lock_timeout = '200ms'",
            _ => "SET SESSION innodb_lock_wait_timeout = 1",
        };
        waiter.execute(text(short_wait)).await.unwrap();
        let err = waiter.execute(bump()).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Conflict {
                    kind: ConflictKind::LockTimeout,
                    ..
                }
            ),
            "{db}: {err:?}"
        );
        assert!(err.is_retryable(), "{db}");
        drop(waiter);
        holder.commit().await.unwrap();
        let karma: i32 = s.one(select(User::karma)).await.unwrap();
        assert_eq!(karma, 1, "{db}");
    }
}

/// A URL on the PostgreSQL schema of `engine` (made by `engines`), for engines with other
/// options.
async fn pg_url(engine: &Engine) -> String {
    let schema: String = engine
        .session()
        .one(text("SELECT current_schema()").returns())
        .await
        .unwrap();
    let url = std::env::var("AZOTH_TEST_POSTGRES_URL").unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

/// Runs a query, lets another client change the type of the column it reads, and runs the same
/// query again on the same (only) pooled connection.
async fn query_across_alter(engine: &Engine, options: EngineOptions) -> azoth::Result<Vec<String>> {
    let url = pg_url(engine).await;
    let engine = Engine::connect_with(&url, options.max_connections(1)).await?;
    engine.create_all::<(User, Post)>().await?;
    let mut s = engine.session();
    let ann = s.insert(new_user("ann")).await?;
    s.insert(new_post(ann.id, "first", 1)).await?;
    let query = || select(Post::title).filter(Post::likes.ge(0));
    assert_eq!(s.all(query()).await?, ["first"]);

    let other = Engine::connect(&url).await?;
    other
        .session()
        .execute(text(
            "ALTER TABLE posts ALTER COLUMN title TYPE VARCHAR(200)",
        ))
        .await?;
    s.all(query()).await
}

#[tokio::test]
async fn eng_a_statement_cached_before_an_alter_table_still_runs() {
    for engine in common::engines("eng_stale_statement").await {
        if engine.backend() != Backend::Postgres {
            continue; // MySQL and SQLite re-prepare by themselves
        }
        let titles = query_across_alter(&engine, EngineOptions::default()).await;
        assert_eq!(titles.unwrap(), ["first"]);
    }
}

#[tokio::test]
async fn eng_without_a_statement_cache_an_alter_table_breaks_nothing() {
    for engine in common::engines("eng_no_statement_cache").await {
        if engine.backend() != Backend::Postgres {
            continue;
        }
        let options = EngineOptions::default().statement_cache_capacity(0);
        let titles = query_across_alter(&engine, options).await;
        assert_eq!(titles.unwrap(), ["first"]);
    }
}
