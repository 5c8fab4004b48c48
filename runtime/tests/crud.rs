//! Inserting, reading, updating and deleting through sessions, on every backend.

mod common;

use azoth::Error;
use azoth::prelude::*;
use common::blog::*;

#[tokio::test]
async fn insert_returns_the_stored_row_with_generated_key_and_defaults() {
    for engine in common::engines("insert_returns").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let before = chrono::Utc::now() - chrono::Duration::minutes(5);
        let ann = s.insert(new_user("ann")).await.unwrap();
        let bob = s.insert(new_user("bob")).await.unwrap();
        assert!(
            ann.id > 0 && bob.id > ann.id,
            "{db}: generated keys {} then {}",
            ann.id,
            bob.id
        );
        assert_eq!(
            (ann.name.as_str(), ann.karma, ann.bio.as_deref()),
            ("ann", 0, None),
            "{db}"
        );
        assert!(
            ann.created > before,
            "{db}: created defaults to now(), got {}",
            ann.created
        );
        let found = s
            .one(User::select().filter(User::id.eq(ann.id)))
            .await
            .unwrap();
        assert_eq!(found, ann, "{db}");
    }
}

#[tokio::test]
async fn queries_return_typed_rows() {
    for engine in common::engines("typed_rows").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let ann = s.insert(new_user("ann")).await.unwrap();
        let bob = s
            .insert(NewUser {
                bio: Some("hi".into()),
                ..new_user("bob")
            })
            .await
            .unwrap();
        for (i, likes) in [5, 1, 9].into_iter().enumerate() {
            s.insert(new_post(ann.id, &format!("rust {i}"), likes))
                .await
                .unwrap();
        }
        s.insert(new_post(bob.id, "sql", 2)).await.unwrap();

        let names: Vec<String> = s
            .all(select(User::name).order_by(User::name.desc()))
            .await
            .unwrap();
        assert_eq!(names, ["bob", "ann"], "{db}");

        let bios: Vec<(String, Option<String>)> = s
            .all(select((User::name, User::bio)).order_by(User::id))
            .await
            .unwrap();
        assert_eq!(
            bios,
            [
                ("ann".to_owned(), None),
                ("bob".to_owned(), Some("hi".to_owned()))
            ],
            "{db}"
        );

        let titles: Vec<(String, String)> = s
            .all(
                select((User::name, Post::title))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .filter(Post::title.ilike("RUST%"))
                    .order_by(Post::likes.desc()),
            )
            .await
            .unwrap();
        assert_eq!(
            titles.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["rust 2", "rust 0", "rust 1"],
            "{db}"
        );

        let counts: Vec<(String, i64, Option<i32>)> = s
            .all(
                select((User::name, count(Post::id), sum(Post::likes)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by((User::id, User::name))
                    .order_by(count(Post::id).desc()),
            )
            .await
            .unwrap();
        assert_eq!(
            counts,
            [
                ("ann".to_owned(), 3, Some(15)),
                ("bob".to_owned(), 1, Some(2))
            ],
            "{db}"
        );

        let carol = s.insert(new_user("carol")).await.unwrap();
        let outer: Vec<(String, Option<String>)> = s
            .all(
                select((User::name, Post::title))
                    .left_join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .filter(User::id.eq(carol.id)),
            )
            .await
            .unwrap();
        assert_eq!(outer, [("carol".to_owned(), None)], "{db}");

        let avg_likes: Option<f64> = s.one(select(avg(Post::likes))).await.unwrap();
        assert_eq!(avg_likes, Some(17.0 / 4.0), "{db}");

        let n: i64 = s.one(select(count_all()).from(Post::TABLE)).await.unwrap();
        assert_eq!(n, 4, "{db}");
        assert!(
            s.exists(Post::select().filter(Post::likes.gt(8)))
                .await
                .unwrap(),
            "{db}"
        );
        assert!(
            !s.exists(Post::select().filter(Post::likes.gt(9)))
                .await
                .unwrap(),
            "{db}"
        );
        let top = s
            .first(Post::select().order_by(Post::likes.desc()))
            .await
            .unwrap();
        assert_eq!(top.map(|p| p.likes), Some(9), "{db}");
    }
}

#[tokio::test]
async fn one_reports_none_and_several() {
    for engine in common::engines("one_errors").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        assert!(
            matches!(s.one(User::select()).await, Err(Error::NotFound)),
            "{db}"
        );
        assert_eq!(s.one_or_none(User::select()).await.unwrap(), None, "{db}");
        s.insert(new_user("ann")).await.unwrap();
        s.insert(new_user("bob")).await.unwrap();
        assert!(
            matches!(s.one(User::select()).await, Err(Error::MultipleRows)),
            "{db}"
        );
        assert!(
            matches!(
                s.one_or_none(User::select()).await,
                Err(Error::MultipleRows)
            ),
            "{db}"
        );
    }
}

#[tokio::test]
async fn update_and_delete_report_rows_affected() {
    for engine in common::engines("update_delete").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let ann = s.insert(new_user("ann")).await.unwrap();
        s.insert(new_user("bob")).await.unwrap();
        let n = s
            .execute(
                update(User::TABLE)
                    .set(User::email, "new@x.org")
                    .set(User::karma, User::karma.add(5))
                    .filter(User::id.eq(ann.id)),
            )
            .await
            .unwrap();
        assert_eq!(n, 1, "{db}");
        let (email, karma): (String, i32) = s
            .one(select((User::email, User::karma)).filter(User::id.eq(ann.id)))
            .await
            .unwrap();
        assert_eq!((email.as_str(), karma), ("new@x.org", 5), "{db}");
        let n = s
            .execute(update(User::TABLE).set(User::bio, Some("x".to_owned())))
            .await
            .unwrap();
        assert_eq!(n, 2, "{db}");
        let n = s
            .execute(delete(User::TABLE).filter(User::name.eq("bob")))
            .await
            .unwrap();
        assert_eq!(n, 1, "{db}");
        let left: Vec<String> = s.all(select(User::name)).await.unwrap();
        assert_eq!(left, ["ann"], "{db}");
    }
}

#[tokio::test]
async fn upsert_updates_or_skips_the_conflicting_row() {
    for engine in common::engines("upsert").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        s.insert(new_user("ann")).await.unwrap();
        let again = NewUser {
            name: "ANN".into(),
            ..new_user("ann")
        };
        s.execute(insert(again.clone()).on_conflict(User::email).do_nothing())
            .await
            .unwrap();
        let name: String = s.one(select(User::name)).await.unwrap();
        assert_eq!(name, "ann", "{db}: do_nothing keeps the row");
        s.execute(insert(again).on_conflict(User::email).do_update(User::name))
            .await
            .unwrap();
        let rows: Vec<(String, String)> = s.all(select((User::name, User::email))).await.unwrap();
        assert_eq!(
            rows,
            [("ANN".to_owned(), "ann@x.org".to_owned())],
            "{db}: do_update overwrote the name"
        );
    }
}

#[tokio::test]
async fn insert_many_inserts_every_row_in_one_statement() {
    for engine in common::engines("insert_many").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let rows = (0..50).map(|i| NewUser {
            karma: (i % 2 == 0).then_some(i),
            ..new_user(&format!("u{i}"))
        });
        let before = engine.statements_run();
        let n = s.execute(insert_many(rows)).await.unwrap();
        assert_eq!(n, 50, "{db}");
        assert_eq!(engine.statements_run() - before, 1, "{db}");
        let karma: Vec<i32> = s
            .all(select(User::karma).order_by(User::id).limit(4))
            .await
            .unwrap();
        assert_eq!(
            karma,
            [0, 0, 2, 0],
            "{db}: rows without karma got the model default"
        );
    }
}

#[tokio::test]
async fn generated_keys_in_outcomes_are_what_the_names_say() {
    for engine in common::engines("outcome_keys").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let one = s.execute_outcome(insert(new_user("ann"))).await.unwrap();
        let ann: i64 = s
            .one(select(User::id).filter(User::name.eq("ann")))
            .await
            .unwrap();
        let many = s
            .execute_outcome(insert_many(["bob", "cat", "dan"].map(new_user)))
            .await
            .unwrap();
        let ids: Vec<i64> = s
            .all(
                select(User::id)
                    .filter(User::name.ne("ann"))
                    .order_by(User::id),
            )
            .await
            .unwrap();
        let updated = s
            .execute_outcome(update(User::TABLE).set(User::karma, 1))
            .await
            .unwrap();
        let deleted = s
            .execute_outcome(delete(User::TABLE).filter(User::name.eq("dan")))
            .await
            .unwrap();
        let (single, multi) = match engine.backend() {
            // No generated keys without RETURNING.
            Backend::Postgres => ((None, None), (None, None)),
            // MySQL reports the first key of a multi-row insert: it is `first_insert_id`; the
            // last one is not known (the keys need not be consecutive).
            Backend::MySql => ((Some(ann), Some(ann)), (Some(ids[0]), None)),
            // SQLite reports the last row's key.
            Backend::Sqlite => ((Some(ann), Some(ann)), (None, Some(ids[2]))),
        };
        assert_eq!(
            (one.rows_affected, one.first_insert_id, one.last_insert_id),
            (1, single.0, single.1),
            "{db}: one row"
        );
        assert_eq!(
            (
                many.rows_affected,
                many.first_insert_id,
                many.last_insert_id
            ),
            (3, multi.0, multi.1),
            "{db}: three rows {ids:?}"
        );
        for (what, o, n) in [("update", updated, 4), ("delete", deleted, 1)] {
            assert_eq!(
                (o.rows_affected, o.first_insert_id, o.last_insert_id),
                (n, None, None),
                "{db}: an {what} generates no key (not an earlier statement's)"
            );
        }
    }
}
