//! `UPDATE … RETURNING` and `DELETE … RETURNING` through `all`, `one` and `first`: PostgreSQL and
//! SQLite run both, MariaDB runs DELETE only (UPDATE is `Error::Unsupported`, nothing sent).

mod common;

use azoth::prelude::*;
use azoth::{Error, typed};
use common::blog::*;

azoth::model! {
    /// A table of its own for the typed engines, which run on the servers' shared database.
    #[table = "ret_typed_notes"]
    pub struct Note {
        #[primary_key] pub id: i64,
        pub text: String,
        #[default(0)] pub hits: i32,
    }
}

/// ann (karma 0) with posts "a" (3 likes) and "b" (1), bob with "c" (7).
async fn seed(s: &mut Session) -> (User, User) {
    let ann = s.insert(new_user("ann")).await.unwrap();
    let bob = s.insert(new_user("bob")).await.unwrap();
    for (author, title, likes) in [(ann.id, "a", 3), (ann.id, "b", 1), (bob.id, "c", 7)] {
        s.insert(new_post(author, title, likes)).await.unwrap();
    }
    (ann, bob)
}

async fn karma(s: &mut Session) -> Vec<(String, i32)> {
    s.all(select((User::name, User::karma)).order_by(User::name))
        .await
        .unwrap()
}

#[tokio::test]
async fn ret_update_returning_columns_models_and_one_where_the_backend_has_it() {
    for engine in common::engines("ret_update").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let (ann, bob) = seed(&mut s).await;

        let result = s
            .all(
                update(User::TABLE)
                    .set(User::karma, User::karma.add(10))
                    .returning((User::name, User::karma)),
            )
            .await;
        if engine.backend() == Backend::MySql {
            assert!(
                matches!(&result, Err(Error::Unsupported(m)) if m.contains("UPDATE … RETURNING")),
                "{db}: {result:?}"
            );
            assert_eq!(
                karma(&mut s).await,
                [("ann".to_owned(), 0), ("bob".to_owned(), 0)],
                "{db}: nothing was sent"
            );
            continue;
        }
        let mut rows = result.unwrap();
        rows.sort();
        assert_eq!(
            rows,
            [("ann".to_owned(), 10), ("bob".to_owned(), 10)],
            "{db}: the rows as they are after the update"
        );

        let updated: User = s
            .one(
                update(User::TABLE)
                    .set(User::bio, "hello")
                    .filter(User::id.eq(bob.id))
                    .returning_model(),
            )
            .await
            .unwrap();
        assert_eq!(
            updated,
            User {
                bio: Some("hello".into()),
                karma: 10,
                ..bob.clone()
            },
            "{db}"
        );
        assert_eq!(s.get::<User>(bob.id).await.unwrap(), Some(updated), "{db}");

        let none = s
            .first(
                update(User::TABLE)
                    .set(User::karma, 1)
                    .filter(User::id.eq(-1))
                    .returning(User::id),
            )
            .await
            .unwrap();
        assert_eq!(none, None, "{db}: no row matched");

        // `one` over two changed rows: both are changed, then MultipleRows.
        let err = s
            .one(
                update(User::TABLE)
                    .set(User::karma, User::karma.add(1))
                    .returning(User::id),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::MultipleRows), "{db}: {err:?}");
        assert_eq!(
            karma(&mut s).await,
            [("ann".to_owned(), 11), ("bob".to_owned(), 11)],
            "{db}"
        );
        let _ = ann;
    }
}

#[tokio::test]
async fn ret_delete_returning_runs_on_every_backend() {
    for engine in common::engines("ret_delete").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let (ann, _) = seed(&mut s).await;

        let mut gone: Vec<(i64, String)> = s
            .all(
                delete(Post::TABLE)
                    .filter(Post::likes.lt(5))
                    .returning((Post::id, Post::title)),
            )
            .await
            .unwrap();
        gone.sort();
        assert_eq!(
            gone.iter().map(|g| g.1.as_str()).collect::<Vec<_>>(),
            ["a", "b"],
            "{db}"
        );
        let left: Vec<String> = s.all(select(Post::title)).await.unwrap();
        assert_eq!(left, ["c"], "{db}");

        let post: Post = s.one(delete(Post::TABLE).returning_model()).await.unwrap();
        assert_eq!(post.title, "c", "{db}");
        assert_eq!(post.likes, 7, "{db}");

        let nobody = s
            .first(
                delete(User::TABLE)
                    .filter(User::id.eq(-1))
                    .returning(upper(User::name)),
            )
            .await
            .unwrap();
        assert_eq!(nobody, None, "{db}");
        let upper = s
            .first(
                delete(User::TABLE)
                    .filter(User::id.eq(ann.id))
                    .returning(upper(User::name)),
            )
            .await
            .unwrap();
        assert_eq!(
            upper.as_deref(),
            Some("ANN"),
            "{db}: an expression returned"
        );
    }
}

#[tokio::test]
async fn ret_returning_in_a_transaction_rolls_back_with_it() {
    for engine in common::engines("ret_tx").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let mut tx = s.begin().await.unwrap();
        let titles: Vec<String> = tx
            .all(delete(Post::TABLE).returning(Post::title))
            .await
            .unwrap();
        assert_eq!(titles.len(), 3, "{db}");
        tx.rollback().await.unwrap();
        let left: Vec<String> = s
            .all(select(Post::title).order_by(Post::title))
            .await
            .unwrap();
        assert_eq!(left, ["a", "b", "c"], "{db}");
    }
}

async fn fresh_notes<B: typed::Known>(engine: &Engine<B>) {
    let any = engine.clone().into_any();
    any.drop_all::<(Note,)>().await.unwrap();
    any.create_all::<(Note,)>().await.unwrap();
    any.session()
        .execute(insert_many([
            NewNote {
                text: "x".into(),
                hits: None,
            },
            NewNote {
                text: "y".into(),
                hits: Some(5),
            },
        ]))
        .await
        .unwrap();
}

#[tokio::test]
async fn ret_typed_engines_run_what_their_backend_has() {
    let sqlite = Engine::<typed::Sqlite>::connect_typed("sqlite::memory:")
        .await
        .unwrap();
    fresh_notes(&sqlite).await;
    let mut s: Session<typed::Sqlite> = sqlite.session();
    let hits: Vec<i32> = s
        .all(
            update(Note::TABLE)
                .set(Note::hits, Note::hits.add(1))
                .returning(Note::hits),
        )
        .await
        .unwrap();
    assert_eq!(hits.len(), 2);
    let gone: Note = s
        .one(
            delete(Note::TABLE)
                .filter(Note::text.eq("y"))
                .returning_model(),
        )
        .await
        .unwrap();
    assert_eq!((gone.text.as_str(), gone.hits), ("y", 6));

    if let Ok(url) = std::env::var("AZOTH_TEST_POSTGRES_URL") {
        let pg = Engine::<typed::Postgres>::connect_typed(&url)
            .await
            .unwrap();
        fresh_notes(&pg).await;
        let mut s = pg.session();
        let texts: Vec<String> = s
            .all(
                update(Note::TABLE)
                    .set(Note::text, upper(Note::text))
                    .filter(Note::hits.eq(5))
                    .returning(Note::text),
            )
            .await
            .unwrap();
        assert_eq!(texts, ["Y"]);
        pg.clone().into_any().drop_all::<(Note,)>().await.unwrap();
    }
    // A typed MySQL engine runs DELETE … RETURNING (MariaDB has it); UPDATE … RETURNING does
    // not compile there (ui-tests/tests/fail/ret_update_returning_on_mysql.rs).
    if let Ok(url) = std::env::var("AZOTH_TEST_MYSQL_URL") {
        let my = Engine::<typed::MySql>::connect_typed(&url).await.unwrap();
        fresh_notes(&my).await;
        let mut s = my.session();
        let mut texts: Vec<String> = s
            .all(delete(Note::TABLE).returning(Note::text))
            .await
            .unwrap();
        texts.sort();
        assert_eq!(texts, ["x", "y"]);
        my.clone().into_any().drop_all::<(Note,)>().await.unwrap();
    }
}
