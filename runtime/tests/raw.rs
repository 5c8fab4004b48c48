//! Raw SQL with named binds, lookups by primary key, and decode errors that name the column; on
//! every backend.

mod common;

use azoth::prelude::*;
use azoth::{Backend, DecodeError, Engine, Error, Session};
use common::blog::*;

azoth::model! {
    #[table = "memberships"]
    pub struct Membership {
        #[primary_key(manual)] pub user_id: i64,
        #[primary_key(manual)] pub group_name: String,
        pub role: String,
    }
}

#[tokio::test]
async fn raw_sql_binds_by_name_and_decodes_typed_rows() {
    for engine in common::engines("raw_sql").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let ann = s.insert(new_user("ann")).await.unwrap();
        for i in 0..3 {
            s.insert(new_post(ann.id, &format!("p{i}"), i))
                .await
                .unwrap();
        }
        let sql = "SELECT title, likes FROM posts WHERE author_id = :user_id AND likes >= :min OR likes = :min * 100 ORDER BY likes";
        let rows: Vec<(String, i32)> = s
            .all(text(sql).bind("user_id", ann.id).bind("min", 1).returns())
            .await
            .unwrap();
        assert_eq!(rows, [("p1".to_owned(), 1), ("p2".to_owned(), 2)], "{db}");

        let users: Vec<User> = s
            .all(
                text("SELECT id, name, email, bio, karma, created FROM users WHERE name = :n")
                    .bind("n", "ann")
                    .returns(),
            )
            .await
            .unwrap();
        assert_eq!(
            users,
            std::slice::from_ref(&ann),
            "{db}: decodes into a model"
        );

        let n: i64 = s
            .one(text("SELECT COUNT(*) FROM posts").returns())
            .await
            .unwrap();
        assert_eq!(n, 3, "{db}: decodes a scalar");

        let changed = s
            .execute(text("UPDATE posts SET likes = likes + :d WHERE title <> 'p:0'").bind("d", 10))
            .await
            .unwrap();
        assert_eq!(changed, 3, "{db}: ':0' inside a string is not a bind");
    }
}

#[tokio::test]
async fn a_missing_or_unused_bind_is_a_clear_error() {
    for engine in common::engines("raw_binds").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let err = s
            .all(text("SELECT id FROM users WHERE name = :name").returns::<i64>())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::RawBind(m) if m.contains(":name")),
            "{db}: {err}"
        );
        let err = s
            .all(
                text("SELECT id FROM users")
                    .bind("name", "x")
                    .returns::<i64>(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::RawBind(m) if m.contains("name")),
            "{db}: {err}"
        );
        let before = engine.statements_run();
        assert!(
            s.execute(text("DELETE FROM users WHERE id = :id"))
                .await
                .is_err(),
            "{db}"
        );
        assert_eq!(engine.statements_run(), before, "{db}: nothing was sent");
    }
}

#[tokio::test]
async fn rows_that_do_not_fit_are_errors_naming_the_column() {
    for engine in common::engines("raw_decode").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        s.insert(new_user("ann")).await.unwrap();
        let err = s
            .all(text("SELECT name, bio FROM users").returns::<(String, String)>())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::UnexpectedNull { column }) if column == "bio"),
            "{db}: {err}"
        );
        let err = s
            .all(text("SELECT name FROM users").returns::<i64>())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::WrongType { column, .. }) if column == "name"),
            "{db}: {err}"
        );
        let err = s
            .all(text("SELECT id FROM users").returns::<(i64, String)>())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::MissingColumn { found: 1 })),
            "{db}: {err}"
        );
        s.insert(new_user("bob")).await.unwrap();
        assert_eq!(
            s.all(select(User::name)).await.unwrap().len(),
            2,
            "{db}: the session stays usable"
        );
    }
}

#[tokio::test]
async fn get_finds_a_row_by_primary_key() {
    for engine in common::engines("get_by_key").await {
        let db = common::name(&engine);
        engine
            .create_all::<(User, Post, Membership)>()
            .await
            .unwrap();
        let mut s = engine.session();
        let ann = s.insert(new_user("ann")).await.unwrap();
        assert_eq!(
            s.get::<User>(ann.id).await.unwrap(),
            Some(ann.clone()),
            "{db}"
        );
        assert_eq!(s.get::<User>(ann.id + 1000).await.unwrap(), None, "{db}");
        let m = s
            .insert(NewMembership {
                user_id: ann.id,
                group_name: "admins".into(),
                role: "owner".into(),
            })
            .await
            .unwrap();
        assert_eq!(
            m.group_name, "admins",
            "{db}: a manual composite key comes back as given"
        );
        let found = s
            .get::<Membership>((ann.id, "admins".to_owned()))
            .await
            .unwrap();
        assert_eq!(found, Some(m), "{db}");
        assert_eq!(
            s.get::<Membership>((ann.id, "users".to_owned()))
                .await
                .unwrap(),
            None,
            "{db}"
        );
    }
}

/// A blog with one post per title, for the quoting tests.
async fn posts(engine: &Engine, titles: &[(&str, i32)]) -> Session {
    engine.create_all::<(User, Post)>().await.unwrap();
    let mut s = engine.session();
    let ann = s.insert(new_user("ann")).await.unwrap();
    for (title, likes) in titles {
        s.insert(new_post(ann.id, title, *likes)).await.unwrap();
    }
    s
}

#[tokio::test]
async fn raw_comments_and_strings_hide_bind_names() {
    for engine in common::engines("raw_comments").await {
        let db = common::name(&engine);
        let mut s = posts(&engine, &[("it's :no", 1), ("b", 2), ("c", 2)]).await;
        let sql = "SELECT title /* the author's :title */ FROM posts -- it's :nothing\n\
                   WHERE likes = :likes AND title <> 'it''s :no' /* :x */ ORDER BY title -- :end";
        let rows: Vec<String> = s.all(text(sql).bind("likes", 2).returns()).await.unwrap();
        assert_eq!(rows, ["b", "c"], "{db}");
        let rows: Vec<String> = s
            .all(
                text("SELECT title FROM posts WHERE title = 'it''s :no' AND likes=:likes")
                    .bind("likes", 1)
                    .returns(),
            )
            .await
            .unwrap();
        assert_eq!(rows, ["it's :no"], "{db}");
    }
}

#[tokio::test]
async fn raw_postgres_quoting_hides_bind_names() {
    for engine in common::engines("raw_postgres_quoting").await {
        if engine.backend() != Backend::Postgres {
            continue;
        }
        let mut s = posts(&engine, &[("a", 1), ("b", 2)]).await;
        let sql = r#"SELECT E'it\'s :no', $$ it's :no $$, $q$ $$ :no $q$, "title", :n::BIGINT + 1
                     FROM posts /* nested /* it's :no */ :no */ WHERE likes = :likes"#;
        let rows: Vec<(String, String, String, String, i64)> = s
            .all(text(sql).bind("n", 41_i64).bind("likes", 2).returns())
            .await
            .unwrap();
        assert_eq!(
            rows,
            [(
                "it's :no".to_owned(),
                " it's :no ".to_owned(),
                " $$ :no ".to_owned(),
                "b".to_owned(),
                42
            )]
        );
    }
}

#[tokio::test]
async fn raw_mysql_quoting_hides_bind_names() {
    for engine in common::engines("raw_mysql_quoting").await {
        if engine.backend() != Backend::MySql {
            continue;
        }
        let mut s = posts(&engine, &[("a", 1), ("b", 2)]).await;
        let sql = r#"SELECT 'it\'s :no', "say \":no\" it's", `title`, :n + 1
                     FROM posts WHERE likes = :likes # it's :no"#;
        let rows: Vec<(String, String, String, i64)> = s
            .all(text(sql).bind("n", 41_i64).bind("likes", 2).returns())
            .await
            .unwrap();
        assert_eq!(
            rows,
            [(
                "it's :no".to_owned(),
                "say \":no\" it's".to_owned(),
                "b".to_owned(),
                42
            )]
        );
        // `--` without a space is two minus signs on MySQL: 5 - -1.
        let six: i64 = s
            .one(text("SELECT 5--:a").bind("a", 1_i64).returns())
            .await
            .unwrap();
        assert_eq!(six, 6);
    }
}

#[tokio::test]
async fn raw_sqlite_quoting_hides_bind_names() {
    for engine in common::engines("raw_sqlite_quoting").await {
        if engine.backend() != Backend::Sqlite {
            continue;
        }
        let mut s = posts(&engine, &[("a", 1), ("b", 2)]).await;
        let sql = r#"SELECT "title", [likes] AS [l :no], `title` || ':no', 'a\' || :n
                     FROM posts WHERE likes = :likes"#;
        let rows: Vec<(String, i32, String, String)> = s
            .all(text(sql).bind("n", "x").bind("likes", 2).returns())
            .await
            .unwrap();
        assert_eq!(
            rows,
            [("b".to_owned(), 2, "b:no".to_owned(), r"a\x".to_owned())]
        );
    }
}

#[tokio::test]
async fn a_column_is_checked_by_its_first_value_even_after_nulls() {
    // Later rows of a result skip the driver's type check once a value of the column passed
    // it: a column NULL in the first rows must still be checked when its first value comes.
    for engine in common::engines("raw_checked_after_nulls").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        for name in ["ann", "bob", "cy", "dee"] {
            let mut u = new_user(name);
            if name >= "cy" {
                u.bio = Some(format!("bio of {name}"));
            }
            s.insert(u).await.unwrap();
        }
        let bios: Vec<Option<String>> = s
            .all(text("SELECT bio FROM users ORDER BY id").returns::<Option<String>>())
            .await
            .unwrap();
        assert_eq!(
            bios,
            [
                None,
                None,
                Some("bio of cy".into()),
                Some("bio of dee".into())
            ],
            "{db}"
        );
        let err = s
            .all(text("SELECT bio FROM users ORDER BY id").returns::<Option<i64>>())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode(DecodeError::WrongType { column, .. }) if column == "bio"),
            "{db}: {err}"
        );
        let pairs: Vec<(i64, Option<String>)> = s
            .all(
                text("SELECT karma, bio FROM users ORDER BY id").returns::<(i64, Option<String>)>(),
            )
            .await
            .unwrap();
        assert_eq!(pairs.len(), 4, "{db}");
        assert!(pairs.iter().all(|(k, _)| *k == 0), "{db}: {pairs:?}");
    }
}
