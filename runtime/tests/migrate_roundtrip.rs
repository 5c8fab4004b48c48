//! The migration round trip on every backend: models v1 -> generate -> run -> rows -> models v2
//! (a column added, one dropped, a type widened, a length widened, an index, a new table with a
//! foreign key) -> generate -> run -> the database is v2 and the rows are kept -> revert -> the
//! database is v1 again. Generating against a matching schema writes nothing.

mod common;

use azoth::Backend;
use azoth::migrate::{self, GenerateOptions, Schema};
use azoth::prelude::*;

mod v1 {
    use azoth::Model;
    azoth::model! {
        #[table = "mig_rt_users"]
        pub struct User {
            #[primary_key] pub id: i64,
            #[max_len = 50] pub name: String,
            pub age: i32,
            pub nickname: Option<String>,
            pub legacy: Option<String>,
        }
    }
    azoth::model! {
        #[table = "mig_rt_posts"]
        pub struct Post {
            #[primary_key] pub id: i64,
            #[references(User::id, on_delete = cascade)] #[index] pub user_id: i64,
            pub title: String,
        }
    }
    pub type All = (User, Post);
    pub fn metas() -> Vec<&'static azoth::TableMeta> {
        vec![User::META, Post::META]
    }
}

mod v2 {
    use azoth::Model;
    azoth::model! {
        #[table = "mig_rt_users"]
        pub struct User {
            #[primary_key] pub id: i64,
            #[max_len = 100] pub name: String,
            pub age: i64,
            #[index] pub nickname: Option<String>,
            #[server_default(0)] pub karma: i32,
            pub email: Option<String>,
        }
    }
    azoth::model! {
        #[table = "mig_rt_posts"]
        pub struct Post {
            #[primary_key] pub id: i64,
            #[references(User::id, on_delete = cascade)] #[index] pub user_id: i64,
            pub title: String,
        }
    }
    azoth::model! {
        #[table = "mig_rt_comments"]
        pub struct Comment {
            #[primary_key] pub id: i64,
            #[references(Post::id, on_delete = cascade)] pub post_id: i64,
            pub body: String,
        }
    }
    pub type All = (User, Post, Comment);
    pub fn metas() -> Vec<&'static azoth::TableMeta> {
        vec![User::META, Post::META, Comment::META]
    }
}

fn temp_dir(test: &str, backend: Backend) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("azoth-{test}-{}", std::process::id()));
    let dir = migrate::backend_dir(&root, backend);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

async fn assert_schema(engine: &Engine, metas: &[&'static azoth::TableMeta], what: &str) {
    let live = migrate::introspect(engine).await.unwrap();
    let expected = Schema::from_models(metas, engine.backend());
    assert!(
        live.same_as(&expected, engine.backend()),
        "{} ({what}): introspected\n{live:#?}\nexpected\n{expected:#?}",
        common::name(engine)
    );
}

#[tokio::test]
async fn mig_round_trip_v1_v2_and_back() {
    for engine in azoth::testing::engines("mig_round_trip").await {
        let db = common::name(&engine);
        let dir = temp_dir("mig-round-trip", engine.backend());
        let opts = GenerateOptions::default();

        // v1: the first migration creates both tables.
        let first = migrate::generate::<v1::All, _>(&engine, &dir, "create users and posts", opts)
            .await
            .unwrap()
            .expect("a first migration");
        let up = std::fs::read_to_string(&first.up).unwrap();
        assert!(up.contains("-- create table mig_rt_users"), "{db}: {up}");
        assert_eq!(
            migrate::run(&engine, &dir).await.unwrap(),
            [first.version],
            "{db}"
        );
        assert_schema(&engine, &v1::metas(), "v1 applied").await;
        assert!(
            migrate::generate::<v1::All, _>(&engine, &dir, "nothing", opts)
                .await
                .unwrap()
                .is_none(),
            "{db}: a matching schema gives no migration"
        );

        let mut s = engine.session();
        let ann = s
            .insert(v1::NewUser {
                name: "ann".into(),
                age: 30,
                nickname: Some("a".into()),
                legacy: Some("old".into()),
            })
            .await
            .unwrap();
        s.insert(v1::NewPost {
            user_id: ann.id,
            title: "hello".into(),
        })
        .await
        .unwrap();

        // v2 drops a column: refused without the flag, and the refusal says what is lost.
        let refused = migrate::generate::<v2::All, _>(&engine, &dir, "v2", opts)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, azoth::Error::Migration(_)),
            "{db}: {refused}"
        );
        assert!(
            refused
                .to_string()
                .contains("drop column mig_rt_users.legacy"),
            "{db}: {refused}"
        );
        let second = migrate::generate::<v2::All, _>(
            &engine,
            &dir,
            "v2",
            GenerateOptions {
                allow_destructive: true,
            },
        )
        .await
        .unwrap()
        .expect("a second migration");
        let up = std::fs::read_to_string(&second.up).unwrap();
        assert!(
            up.contains("-- DESTRUCTIVE: drop column mig_rt_users.legacy"),
            "{db}: {up}"
        );
        assert!(up.contains("-- create table mig_rt_comments"), "{db}: {up}");
        // SQLite rebuilds mig_rt_users with foreign keys off: the file opens its own transaction.
        assert_eq!(
            up.starts_with("-- no-transaction\n"),
            engine.backend() == Backend::Sqlite,
            "{db}"
        );
        let first_up = std::fs::read_to_string(&first.up).unwrap();
        assert!(!first_up.contains("no-transaction"), "{db}: {first_up}");
        // Dry run: the pending file's SQL, nothing applied.
        let pending = migrate::dry_run(&engine, &dir).await.unwrap();
        assert_eq!(pending.len(), 1, "{db}");
        assert_eq!(pending[0].0, second.version, "{db}");
        assert_eq!(pending[0].1, up, "{db}");
        assert_schema(&engine, &v1::metas(), "after the dry run").await;

        assert_eq!(
            migrate::run(&engine, &dir).await.unwrap(),
            [second.version],
            "{db}"
        );
        assert_schema(&engine, &v2::metas(), "v2 applied").await;
        let status = migrate::status(&engine, &dir).await.unwrap();
        assert!(
            status.iter().all(|m| m.applied && m.checksum_matches),
            "{db}: {status:?}"
        );
        assert!(
            migrate::generate::<v2::All, _>(&engine, &dir, "nothing", opts)
                .await
                .unwrap()
                .is_none(),
            "{db}"
        );

        // The rows survived; the new column has its server default, the new table works.
        let users: Vec<v2::User> = s.all(v2::User::select()).await.unwrap();
        assert_eq!(
            users,
            [v2::User {
                id: ann.id,
                name: "ann".into(),
                age: 30,
                nickname: Some("a".into()),
                karma: 0,
                email: None
            }],
            "{db}"
        );
        let post_id: i64 = s.one(select(v2::Post::id)).await.unwrap();
        s.insert(v2::NewComment {
            post_id,
            body: "hi".into(),
        })
        .await
        .unwrap();
        s.insert(v2::NewUser {
            name: "x".repeat(80),
            age: 5_000_000_000,
            nickname: None,
            karma: None,
            email: Some("b@x".into()),
        })
        .await
        .unwrap();

        // Revert v2: the schema is v1 again, ann's row kept.
        s.execute(delete(v2::User::TABLE).filter(v2::User::name.ne("ann")))
            .await
            .unwrap();
        drop(s);
        assert_eq!(
            migrate::revert(&engine, &dir).await.unwrap(),
            Some(second.version),
            "{db}"
        );
        assert_schema(&engine, &v1::metas(), "v2 reverted").await;
        let mut s = engine.session();
        let names: Vec<(String, i32)> = s
            .all(select((v1::User::name, v1::User::age)))
            .await
            .unwrap();
        assert_eq!(names, [("ann".to_owned(), 30)], "{db}");
        let status = migrate::status(&engine, &dir).await.unwrap();
        assert_eq!(
            status.iter().map(|m| m.applied).collect::<Vec<_>>(),
            [true, false],
            "{db}"
        );
        drop(s);
        assert_eq!(
            migrate::revert(&engine, &dir).await.unwrap(),
            Some(first.version),
            "{db}"
        );
        assert!(
            migrate::introspect(&engine)
                .await
                .unwrap()
                .tables
                .is_empty(),
            "{db}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
