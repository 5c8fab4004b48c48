//! The statement log: every statement is a `tracing` event (target `azoth::sql`) with its SQL,
//! bound-value count and duration, on every backend.
//!
//! Keep this the only test of this binary: it installs the process-wide subscriber.

mod common;

use std::sync::{Arc, Mutex};

use azoth::prelude::*;
use common::blog::*;

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
    // The process-wide subscriber, set before any event: a thread-local one (`set_default`) misses
    // events whose callsite interest another thread cached while no subscriber was set, so this
    // test has a binary of its own.
    tracing::subscriber::set_global_default(recorder.clone()).expect("the only subscriber");
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
