//! Engines whose backend is known at compile time, and statements only some backends can run.

mod common;

use azoth::prelude::*;
use azoth::{Error, typed};
use common::blog::*;

#[tokio::test]
async fn insert_returning_runs_where_the_backend_has_it() {
    for engine in common::engines("typed_returning").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let q = insert_many([new_user("ann"), new_user("bob")]).returning((User::id, User::name));
        let result = s.insert_returning(q).await;
        if engine.backend() == Backend::MySql {
            assert!(
                matches!(&result, Err(Error::Unsupported(m)) if m.contains("RETURNING")),
                "{db}: {result:?}"
            );
            assert_eq!(
                s.all(select(User::id)).await.unwrap().len(),
                0,
                "{db}: nothing was sent"
            );
        } else {
            let rows = result.unwrap();
            assert_eq!(
                rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
                ["ann", "bob"],
                "{db}"
            );
            assert!(rows[0].0 < rows[1].0, "{db}: generated keys");
        }
    }
}

#[tokio::test]
async fn a_typed_engine_checks_its_url_and_runs_queries() {
    let sqlite = Engine::<typed::Sqlite>::connect_typed("sqlite::memory:")
        .await
        .unwrap();
    sqlite.create_all::<(User, Post)>().await.unwrap();
    let mut s: Session<typed::Sqlite> = sqlite.session();
    let ids: Vec<i64> = s
        .insert_returning(insert(new_user("ann")).returning(User::id))
        .await
        .unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        s.get::<User>(ids[0]).await.unwrap().map(|u| u.name),
        Some("ann".to_owned())
    );

    let err = Engine::<typed::Postgres>::connect_typed("sqlite::memory:")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::WrongBackend {
                expected: Backend::Postgres,
                ..
            }
        ),
        "{err:?}"
    );

    if let Ok(url) = std::env::var("AZOTH_TEST_MYSQL_URL") {
        let my = Engine::<typed::MySql>::connect_typed(&url).await.unwrap();
        let mut s = my.session();
        let one: i64 = s.one(azoth::text("SELECT 1").returns()).await.unwrap();
        assert_eq!(one, 1);
    }
    if let Ok(url) = std::env::var("AZOTH_TEST_POSTGRES_URL") {
        let pg = Engine::<typed::Postgres>::connect_typed(&url)
            .await
            .unwrap();
        let one: i32 = pg
            .session()
            .one(azoth::text("SELECT 1").returns())
            .await
            .unwrap();
        assert_eq!(one, 1);
    }
}
