//! Engine-level behaviour on every backend: DDL (cascades, idempotent create, drop), pool
//! timeouts, a closed engine, and the statement log.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use azoth::prelude::*;
use azoth::{ConstraintKind, EngineOptions, Error};
use common::blog::*;

#[tokio::test]
async fn create_all_makes_keys_defaults_and_cascades() {
    for engine in common::engines("ddl_cascade").await {
        let db = common::name(&engine);
        engine.create_all::<(Post, User)>().await.unwrap(); // referenced tables go first
        engine.create_all::<(User, Post)>().await.unwrap(); // existing tables are kept
        let mut s = engine.session();
        let ann = s.insert(new_user("ann")).await.unwrap();
        let bob = s.insert(new_user("bob")).await.unwrap();
        s.insert(new_post(ann.id, "a", 1)).await.unwrap();
        s.insert(new_post(bob.id, "b", 1)).await.unwrap();
        s.execute(delete(User::TABLE).filter(User::id.eq(ann.id)))
            .await
            .unwrap();
        let left: Vec<String> = s.all(select(Post::title)).await.unwrap();
        assert_eq!(left, ["b"], "{db}: ON DELETE CASCADE removed ann's post");
        let err = s
            .execute(azoth::text(
                "INSERT INTO users (name, email) VALUES (NULL, 'x@y.z')",
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Constraint {
                    kind: ConstraintKind::NotNull,
                    ..
                }
            ),
            "{db}: {err:?}"
        );
        engine.drop_all::<(User, Post)>().await.unwrap();
        assert!(
            s.all(select(User::id)).await.is_err(),
            "{db}: the tables are gone"
        );
        engine.drop_all::<(User, Post)>().await.unwrap(); // dropping again is fine
    }
}

#[tokio::test]
async fn a_busy_pool_times_out_with_a_clear_error() {
    let url = "sqlite:file:azoth_pool_timeout?mode=memory&cache=shared";
    let engine = Engine::connect_with(
        url,
        EngineOptions::default()
            .max_connections(1)
            .acquire_timeout(Duration::from_millis(200)),
    )
    .await
    .unwrap();
    engine.create_all::<(User, Post)>().await.unwrap();
    let mut s = engine.session();
    let held = s.begin().await.unwrap();
    let mut other = engine.session();
    let err = other.all(select(User::id)).await.unwrap_err();
    assert!(matches!(err, Error::PoolTimeout(_)), "{err:?}");
    assert!(
        err.to_string().contains("max_connections"),
        "the message says what to do: {err}"
    );
    drop(held);
    assert!(
        other.all(select(User::id)).await.is_ok(),
        "usable once the connection is back"
    );
}

#[tokio::test]
async fn a_closed_engine_reports_a_connection_error() {
    for engine in common::engines("closed_engine").await {
        let db = common::name(&engine);
        engine.close().await;
        let err = engine.session().all(select(count_all())).await.unwrap_err();
        assert!(matches!(err, Error::Connection(_)), "{db}: {err:?}");
    }
}

/// Collects `azoth::sql` events: their SQL and bound-value counts.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(String, u64, bool)>>>);

impl tracing::Subscriber for Recorder {
    fn enabled(&self, m: &tracing::Metadata<'_>) -> bool {
        m.target() == "azoth::sql"
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, e: &tracing::Event<'_>) {
        struct Fields(String, u64, bool);
        impl tracing::field::Visit for Fields {
            fn record_str(&mut self, f: &tracing::field::Field, v: &str) {
                if f.name() == "sql" {
                    self.0 = v.to_owned();
                }
            }
            fn record_u64(&mut self, f: &tracing::field::Field, v: u64) {
                match f.name() {
                    "binds" => self.1 = v,
                    "elapsed_us" => self.2 = true,
                    _ => {}
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        let mut f = Fields(String::new(), 0, false);
        e.record(&mut f);
        self.0.lock().unwrap().push((f.0, f.1, f.2));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn every_statement_is_logged_with_its_sql_bind_count_and_duration() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    for engine in common::engines("tracing_log").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        recorder.0.lock().unwrap().clear();
        let before = engine.statements_run();
        let mut s = engine.session();
        s.all(User::select().filter(User::name.eq("ann").and(User::karma.gt(1))))
            .await
            .unwrap();
        let events = recorder.0.lock().unwrap().clone();
        assert_eq!(engine.statements_run() - before, 1, "{db}");
        assert_eq!(events.len(), 1, "{db}: {events:?}");
        let (sql, binds, timed) = &events[0];
        assert!(
            sql.starts_with("SELECT") && sql.contains("karma"),
            "{db}: {sql}"
        );
        assert_eq!((*binds, *timed), (2, true), "{db}");
    }
}
