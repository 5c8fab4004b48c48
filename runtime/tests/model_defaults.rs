//! Client defaults (`#[default(..)]`, computed in Rust for each inserted row, never in the DDL)
//! and server defaults (`#[server_default(..)]`, a constant or `now()` in the DDL), and the
//! `NewX::builder()` short form, on every backend.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use azoth::prelude::*;
use azoth::{Backend, Engine, Session};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A client default that changes on every call.
fn token() -> String {
    format!("tok-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

azoth::model! {
    #[table = "model_tokens"]
    pub struct Token {
        #[primary_key] pub id: i64,
        pub owner: String,
        #[unique] #[max_len = 40] #[default(token())] pub code: String,
        #[server_default(5)] pub quota: i32,
        #[server_default(now())] pub created: chrono::DateTime<chrono::Utc>,
    }
}

/// The column's default as the database's catalog reports it (`None`: no default).
async fn catalog_default(engine: &Engine, s: &mut Session, column: &str) -> Option<String> {
    let sql = match engine.backend() {
        Backend::Postgres => {
            "SELECT column_default FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'model_tokens' AND column_name = :c"
        }
        Backend::MySql => {
            "SELECT COLUMN_DEFAULT FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'model_tokens' AND COLUMN_NAME = :c"
        }
        Backend::Sqlite => {
            "SELECT dflt_value FROM pragma_table_info('model_tokens') WHERE name = :c"
        }
    };
    s.one(text(sql).bind("c", column).returns::<Option<String>>())
        .await
        .unwrap()
}

#[tokio::test]
async fn model_client_default_is_computed_per_row_and_not_in_ddl() {
    for engine in common::engines("model_client_default").await {
        let db = common::name(&engine);
        engine.create_all::<(Token,)>().await.unwrap();
        let mut s = engine.session();
        assert_eq!(catalog_default(&engine, &mut s, "code").await, None, "{db}");

        // Two single inserts: each row computes its own code (a frozen DDL default would make the
        // second one violate the unique constraint).
        let a = s
            .insert(NewToken::builder().owner("a").build())
            .await
            .unwrap();
        let b = s
            .insert(NewToken::builder().owner("b").build())
            .await
            .unwrap();
        assert!(
            a.code.starts_with("tok-") && b.code.starts_with("tok-"),
            "{db}: {a:?} {b:?}"
        );
        assert_ne!(a.code, b.code, "{db}");

        // insert_many: one code per row, and a given code is kept.
        let rows = ["c", "d", "e"].map(|o| NewToken::builder().owner(o).build());
        s.execute(insert_many(rows)).await.unwrap();
        s.insert(NewToken::builder().owner("f").code("mine").build())
            .await
            .unwrap();
        let mut codes: Vec<String> = s
            .all(select(Token::code).order_by(Token::id))
            .await
            .unwrap();
        assert_eq!(codes.len(), 6, "{db}");
        assert_eq!(codes.pop().as_deref(), Some("mine"), "{db}");
        let distinct: std::collections::BTreeSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), 5, "{db}: {codes:?}");
    }
}

#[tokio::test]
async fn model_server_default_is_in_ddl_and_fills_raw_inserts() {
    for engine in common::engines("model_server_default").await {
        let db = common::name(&engine);
        engine.create_all::<(Token,)>().await.unwrap();
        let mut s = engine.session();
        let quota = catalog_default(&engine, &mut s, "quota").await;
        assert!(
            quota.as_deref().is_some_and(|d| d.contains('5')),
            "{db}: {quota:?}"
        );
        let created = catalog_default(&engine, &mut s, "created").await;
        assert!(
            created
                .as_deref()
                .is_some_and(|d| d.to_ascii_lowercase().contains("current_timestamp")
                    || d.to_ascii_lowercase().contains("now()")),
            "{db}: {created:?}"
        );

        // A raw insert that names neither column gets both defaults from the database.
        let before = chrono::Utc::now() - chrono::Duration::minutes(5);
        s.execute(text(
            "INSERT INTO model_tokens (owner, code) VALUES ('raw', 'r-1')",
        ))
        .await
        .unwrap();
        let row = s
            .one(Token::select().filter(Token::owner.eq("raw")))
            .await
            .unwrap();
        assert_eq!((row.code.as_str(), row.quota), ("r-1", 5), "{db}");
        assert!(row.created > before, "{db}: {}", row.created);

        // Through azoth: `None` leaves the column to the database, a value overrides it.
        let t = s
            .insert(NewToken::builder().owner("x").build())
            .await
            .unwrap();
        assert_eq!(t.quota, 5, "{db}");
        let t = s
            .insert(NewToken::builder().owner("y").quota(9).build())
            .await
            .unwrap();
        assert_eq!(t.quota, 9, "{db}");
    }
}

#[tokio::test]
async fn model_builder_equals_the_struct_literal() {
    let built = NewToken::builder().quota(2).owner("ann").build();
    assert_eq!(
        built,
        NewToken {
            owner: "ann".into(),
            code: None,
            quota: Some(2),
            created: None,
        }
    );
    // The client default is computed when the insert is built, once per row.
    let (sql, values) = insert_many([built.clone(), built]).to_sql(Backend::Postgres);
    assert_eq!(
        sql,
        r#"INSERT INTO "model_tokens" ("owner", "code", "quota") VALUES ($1, $2, $3), ($4, $5, $6)"#
    );
    assert_ne!(values.0[1], values.0[4]);
}
