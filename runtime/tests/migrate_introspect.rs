//! `azoth::migrate::introspect`: tables created by `create_all` from models using every
//! attribute `model!` has read back as the models describe them, on every backend.

mod common;

use azoth::migrate::{ForeignKeySchema, IndexSchema, Schema, introspect};
use azoth::prelude::*;
use azoth::{Backend, OnDelete};

azoth::model! {
    #[table = "mig_authors"]
    pub struct Author {
        #[primary_key] pub id: i64,
        #[column = "full_name"] #[max_len = 80] pub name: String,
        #[unique] pub email: String,
        #[server_default(5)] pub quota: i32,
        #[server_default("new")] #[max_len = 10] pub status: String,
        #[server_default(now())] pub joined: chrono::DateTime<chrono::Utc>,
        #[default(7)] pub rank: i16,
        pub bio: Option<String>,
        pub active: bool,
        pub score: f64,
        pub ratio: f32,
        pub balance: rust_decimal::Decimal,
        pub born: Option<chrono::NaiveDate>,
        pub wakes: Option<chrono::NaiveTime>,
        pub seen: Option<chrono::NaiveDateTime>,
        pub token: Option<uuid::Uuid>,
        pub avatar: Option<Vec<u8>>,
        pub prefs: Option<serde_json::Value>,
    }
}

azoth::model! {
    #[table = "mig_posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        #[references(Author::id, on_delete = cascade)] #[index] pub author_id: i64,
        #[references(Author::id, on_delete = set_null)] pub editor_id: Option<i64>,
        #[references(Author::id)] pub reviewer_id: Option<i64>,
        pub title: String,
    }
}

azoth::model! {
    #[table = "mig_post_tags"]
    pub struct PostTag {
        #[primary_key(manual)] #[references(Post::id, on_delete = cascade)] pub post_id: i64,
        #[primary_key(manual)] #[index] pub tag: String,
        pub weight: Option<i32>,
    }
}

#[tokio::test]
async fn mig_introspect_reads_what_create_all_made() {
    for engine in azoth::testing::engines("mig_introspect").await {
        let db = common::name(&engine);
        let backend = engine.backend();
        engine
            .create_all::<(Author, Post, PostTag)>()
            .await
            .unwrap();
        let live = introspect(&engine).await.unwrap();
        let expected = Schema::from_models(&[Author::META, Post::META, PostTag::META], backend);
        assert!(
            live.same_as(&expected, backend),
            "{db}: introspected\n{live:#?}\nexpected\n{expected:#?}"
        );

        // What the models say, read back (not only compared with the models' own description).
        let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["mig_authors", "mig_post_tags", "mig_posts"], "{db}");
        let authors = live.table("mig_authors").unwrap();
        assert_eq!(authors.primary_key, ["id"], "{db}");
        assert!(authors.columns[0].auto_increment, "{db}");
        let name = authors.column("full_name").unwrap();
        assert_eq!(
            (name.data_type.as_str(), name.max_len, name.nullable),
            ("VARCHAR", Some(80), false),
            "{db}"
        );
        assert_eq!(
            authors.column("quota").unwrap().default.as_deref(),
            Some("5"),
            "{db}"
        );
        assert_eq!(
            authors.column("status").unwrap().default.as_deref(),
            Some("'new'"),
            "{db}"
        );
        assert_eq!(
            authors.column("joined").unwrap().default.as_deref(),
            Some("CURRENT_TIMESTAMP"),
            "{db}"
        );
        assert_eq!(authors.column("rank").unwrap().default, None, "{db}");
        assert!(authors.column("bio").unwrap().nullable, "{db}");
        assert_eq!(authors.uniques, [vec!["email".to_owned()]], "{db}");
        let int_type = match backend {
            Backend::Sqlite => "INTEGER",
            _ => "BIGINT",
        };
        assert_eq!(authors.columns[0].data_type, int_type, "{db}");

        let posts = live.table("mig_posts").unwrap();
        let mut indexes = vec![("ix_mig_posts_author_id", "author_id")];
        if backend == Backend::MySql {
            // MySQL indexes every foreign key, named after it, unless an index leads with it.
            indexes.extend([
                ("fk_mig_posts_editor_id", "editor_id"),
                ("fk_mig_posts_reviewer_id", "reviewer_id"),
            ]);
        }
        indexes.sort();
        let expected_indexes: Vec<IndexSchema> = indexes
            .into_iter()
            .map(|(n, c)| IndexSchema {
                name: n.into(),
                columns: vec![c.into()],
            })
            .collect();
        assert_eq!(posts.indexes, expected_indexes, "{db}");
        let fks: Vec<(&str, &str, &str, OnDelete)> = posts
            .foreign_keys
            .iter()
            .map(|f: &ForeignKeySchema| {
                (
                    f.columns[0].as_str(),
                    f.ref_table.as_str(),
                    f.ref_columns[0].as_str(),
                    f.on_delete,
                )
            })
            .collect();
        assert_eq!(
            fks,
            [
                ("author_id", "mig_authors", "id", OnDelete::Cascade),
                ("editor_id", "mig_authors", "id", OnDelete::SetNull),
                ("reviewer_id", "mig_authors", "id", OnDelete::NoAction),
            ],
            "{db}"
        );

        let tags = live.table("mig_post_tags").unwrap();
        assert_eq!(tags.primary_key, ["post_id", "tag"], "{db}");
        assert!(!tags.columns[0].auto_increment, "{db}");
        assert_eq!(tags.foreign_keys[0].on_delete, OnDelete::Cascade, "{db}");
    }
}
