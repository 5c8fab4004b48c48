//! Engine-level behaviour on every backend: DDL (cascades, idempotent create, drop), pool
//! timeouts and a closed engine. The statement log is tested in `statement_log.rs`.

mod common;

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
