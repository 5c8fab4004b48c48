//! `azoth::testing`, the helper users write their tests with: isolation between tests, the
//! namespace dropped when the test is done (also when it panics in a transaction), and missing
//! servers skipped or failing per `AZOTH_TEST_REQUIRE_ALL`.

use std::process::Command;

use azoth::prelude::*;
use azoth::testing::{self, TestEngine};
use azoth::{Backend, Engine};

azoth::model! {
    #[table = "testing_notes"]
    pub struct Note { #[primary_key] pub id: i64, pub body: String }
}

/// The names of the schemas (PostgreSQL) or databases (MySQL) of the server `backend` names.
async fn namespaces_on_server(backend: Backend) -> Vec<String> {
    let (var, sql) = match backend {
        Backend::Postgres => (
            testing::POSTGRES_URL,
            "SELECT CAST(schema_name AS TEXT) FROM information_schema.schemata",
        ),
        Backend::MySql => (
            testing::MYSQL_URL,
            "SELECT CAST(SCHEMA_NAME AS CHAR) FROM information_schema.SCHEMATA",
        ),
        Backend::Sqlite => return Vec::new(),
    };
    let url = std::env::var(var).unwrap();
    let engine = Engine::connect(&url).await.unwrap();
    let names = engine.session().all(text(sql).returns()).await.unwrap();
    engine.close().await;
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn testing_two_tests_do_not_see_each_others_rows() {
    let (a, b) = tokio::join!(
        testing::engines("testing_isolation_a"),
        testing::engines("testing_isolation_b")
    );
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        let db = a.backend().name();
        assert_eq!(a.backend(), b.backend());
        if a.backend() != Backend::Sqlite {
            assert_ne!(a.url(), b.url(), "{db}");
        }
        for (engine, body) in [(a, "from a"), (b, "from b")] {
            engine.create_all::<(Note,)>().await.unwrap();
            let mut s = engine.session();
            s.insert(NewNote { body: body.into() }).await.unwrap();
        }
        for (engine, body) in [(a, "from a"), (b, "from b")] {
            let bodies: Vec<String> = engine.session().all(select(Note::body)).await.unwrap();
            assert_eq!(bodies, [body], "{db}");
        }
        // The URL reaches the same tables.
        let other = Engine::connect(a.url()).await.unwrap();
        if a.backend() != Backend::Sqlite {
            let bodies: Vec<String> = other.session().all(select(Note::body)).await.unwrap();
            assert_eq!(bodies, ["from a"], "{db}");
        }
        other.close().await;
    }
}

#[tokio::test]
async fn testing_the_namespace_is_dropped_with_the_engine() {
    let name = testing::namespace("testing_dropped");
    for engine in testing::engines("testing_dropped").await {
        let backend = engine.backend();
        engine.create_all::<(Note,)>().await.unwrap();
        engine
            .session()
            .insert(NewNote { body: "x".into() })
            .await
            .unwrap();
        if backend == Backend::Sqlite {
            continue;
        }
        assert!(
            namespaces_on_server(backend).await.contains(&name),
            "{}",
            backend.name()
        );
        drop(engine);
        assert!(
            !namespaces_on_server(backend).await.contains(&name),
            "{}",
            backend.name()
        );
    }
}

/// A test that panics in the middle of a transaction, with the transaction's locks held and the
/// runtime that would roll it back blocked in the engine's drop: the namespace is dropped all
/// the same.
#[tokio::test]
async fn testing_the_namespace_is_dropped_when_the_test_panics_in_a_transaction() {
    let name = testing::namespace("testing_panicked");
    let failed = tokio::spawn(async {
        for engine in testing::engines("testing_panicked").await {
            if engine.backend() == Backend::Sqlite {
                continue;
            }
            engine.create_all::<(Note,)>().await.unwrap();
            let mut s = engine.session();
            let mut tx = s.begin().await.unwrap();
            tx.insert(NewNote { body: "x".into() }).await.unwrap();
            panic!("a failed assertion on {}", engine.backend().name());
        }
    })
    .await;
    let configured = [Backend::Postgres, Backend::MySql]
        .into_iter()
        .filter(|b| std::env::var(url_var(*b)).is_ok())
        .collect::<Vec<_>>();
    assert_eq!(failed.is_err(), !configured.is_empty());
    for backend in configured {
        assert!(
            !namespaces_on_server(backend).await.contains(&name),
            "{}",
            backend.name()
        );
    }
}

fn url_var(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => testing::POSTGRES_URL,
        _ => testing::MYSQL_URL,
    }
}

#[tokio::test]
async fn testing_a_name_in_use_by_a_live_engine_is_refused() {
    let held: Vec<TestEngine> = testing::engines("testing_in_use").await;
    let servers = held
        .iter()
        .filter(|e| e.backend() != Backend::Sqlite)
        .count();
    let again = tokio::spawn(testing::engines("testing_in_use")).await;
    match again {
        Err(e) if servers > 0 => {
            let panic = e.into_panic();
            let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
            assert!(message.contains("`testing_in_use` is in use"), "{message}");
        }
        Ok(_) if servers == 0 => {} // in-memory SQLite needs no name
        other => panic!("{servers} servers: {:?}", other.map(|v| v.len())),
    }
    drop(held);
    // Released with the engines.
    assert_eq!(testing::engines("testing_in_use").await.len(), 1 + servers);
}

/// Runs this test binary's `testing_child_engines` with the environment changed by `env`: its
/// success and its output.
fn child(env: &[(&str, Option<&str>)]) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "testing_child_engines",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("AZOTH_TESTING_CHILD", "1");
    for (var, value) in env {
        match value {
            Some(v) => cmd.env(var, v),
            None => cmd.env_remove(var),
        };
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Run by [`child`] only: prints the backends `engines` gave.
#[tokio::test]
async fn testing_child_engines() {
    if std::env::var("AZOTH_TESTING_CHILD").is_err() {
        return;
    }
    let engines = testing::engines("testing_child").await;
    let names: Vec<&str> = engines.iter().map(|e| e.backend().name()).collect();
    println!("backends: {}", names.join(","));
}

#[test]
fn testing_a_missing_url_skips_its_backend_or_fails_under_require_all() {
    let (ok, out) = child(&[
        (testing::POSTGRES_URL, None),
        (testing::MYSQL_URL, None),
        (testing::REQUIRE_ALL, None),
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("backends: SQLite\n"), "{out}");
    assert!(
        out.contains("skipping PostgreSQL: AZOTH_TEST_POSTGRES_URL is not set"),
        "{out}"
    );
    assert!(
        out.contains("skipping MySQL: AZOTH_TEST_MYSQL_URL is not set"),
        "{out}"
    );

    let (ok, out) = child(&[
        (testing::POSTGRES_URL, None),
        (testing::MYSQL_URL, None),
        (testing::REQUIRE_ALL, Some("1")),
    ]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(
            "PostgreSQL is required (AZOTH_TEST_REQUIRE_ALL=1) but AZOTH_TEST_POSTGRES_URL is not set"
        ),
        "{out}"
    );

    // A server that does not answer: skipped, or failing under REQUIRE_ALL; no password shown.
    let refused = "postgres://ann:s3cr3t@127.0.0.1:1/db";
    let (ok, out) = child(&[
        (testing::POSTGRES_URL, Some(refused)),
        (testing::MYSQL_URL, None),
        (testing::REQUIRE_ALL, None),
    ]);
    assert!(ok, "{out}");
    assert!(
        out.contains("skipping PostgreSQL: it is unreachable at postgres://ann:***@127.0.0.1:1/db"),
        "{out}"
    );
    assert!(!out.contains("s3cr3t"), "{out}");
    let (ok, out) = child(&[
        (testing::POSTGRES_URL, Some(refused)),
        (testing::REQUIRE_ALL, Some("1")),
    ]);
    assert!(!ok, "{out}");
    assert!(out.contains("PostgreSQL is required"), "{out}");
}
