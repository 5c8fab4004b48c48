//! Grouped queries that azoth accepts at compile time return the same exact rows on every
//! backend: every column outside an aggregate is grouped or depends on a grouped single-column
//! primary key (the forms that do not compile are in `ui-tests/tests/fail/group_by_*`).

mod common;

use azoth::prelude::*;
use common::blog::*;

azoth::alias!(pub Author = User);

/// ann: 3 posts (likes 5, 1, 9), bob: 1 post (likes 2), cy: none; two users named "ann"
/// would be told apart only by their key, so the second one is "ann" too.
async fn seed(s: &mut Session) -> (i64, i64, i64) {
    let ann = s.insert(new_user("ann")).await.unwrap();
    let bob = s.insert(new_user("bob")).await.unwrap();
    let ann2 = s
        .insert(NewUser {
            email: "ann2@x.org".into(),
            ..new_user("ann")
        })
        .await
        .unwrap();
    for (title, likes) in [("a1", 5), ("a2", 1), ("a3", 9)] {
        s.insert(new_post(ann.id, title, likes)).await.unwrap();
    }
    s.insert(new_post(bob.id, "b1", 2)).await.unwrap();
    s.insert(new_post(ann2.id, "c1", 7)).await.unwrap();
    (ann.id, bob.id, ann2.id)
}

#[tokio::test]
async fn grp_grouped_by_the_primary_key_selects_the_tables_other_columns() {
    for engine in common::engines("grp_by_key").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let (ann, bob, ann2) = seed(&mut s).await;

        // GROUP BY the key alone: the name depends on it (two users named "ann" stay apart).
        let rows: Vec<(i64, String, i64, Option<i32>)> = s
            .all(
                select((User::id, User::name, count(Post::id), sum(Post::likes)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by(User::id)
                    .order_by(User::id),
            )
            .await
            .unwrap();
        let want = vec![
            (ann, "ann".to_owned(), 3, Some(15)),
            (bob, "bob".to_owned(), 1, Some(2)),
            (ann2, "ann".to_owned(), 1, Some(7)),
        ];
        assert_eq!(rows, want, "{db}: group by the key");

        // GROUP BY the key and the column: the same rows.
        let rows: Vec<(i64, String, i64, Option<i32>)> = s
            .all(
                select((User::id, User::name, count(Post::id), sum(Post::likes)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by((User::id, User::name))
                    .order_by(User::id),
            )
            .await
            .unwrap();
        assert_eq!(rows, want, "{db}: group by the key and the name");

        // HAVING on an aggregate and a grouped column; ORDER BY a column the key determines,
        // selected or not.
        let rows: Vec<(String, String, i64)> = s
            .all(
                select((User::name, User::email, count(Post::id)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by(User::id)
                    .having(count(Post::id).ge(1).and(User::id.ne(bob)))
                    .order_by((User::email.desc(), count(Post::id))),
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                ("ann".to_owned(), "ann@x.org".to_owned(), 3),
                ("ann".to_owned(), "ann2@x.org".to_owned(), 1),
            ],
            "{db}: having and order by"
        );
        let rows: Vec<(i64, i64)> = s
            .all(
                select((User::id, count(Post::id)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by(User::id)
                    .order_by((User::name.desc(), User::email.desc())),
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            [(bob, 1), (ann, 3), (ann2, 1)],
            "{db}: order by unselected columns"
        );
    }
}

#[tokio::test]
async fn grp_whole_rows_aliases_and_late_joins_grouped_by_the_key() {
    for engine in common::engines("grp_rows_aliases").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let (ann, bob, ann2) = seed(&mut s).await;

        // A whole row next to an aggregate, grouped by the row's key.
        let rows: Vec<(User, i64)> = s
            .all(
                select((Whole::<User>::new(), count(Post::id)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by(User::id)
                    .order_by(User::id),
            )
            .await
            .unwrap();
        let got: Vec<(i64, &str, &str, i64)> = rows
            .iter()
            .map(|(u, n)| (u.id, u.name.as_str(), u.email.as_str(), *n))
            .collect();
        assert_eq!(
            got,
            [
                (ann, "ann", "ann@x.org", 3),
                (bob, "bob", "bob@x.org", 1),
                (ann2, "ann", "ann2@x.org", 1)
            ],
            "{db}: whole rows"
        );

        // An alias is a table of its own: grouped by its key, its name may be selected.
        let rows: Vec<(i64, String, i64)> = s
            .all(
                select((
                    Author.col(User::id),
                    Author.col(User::name),
                    count(Post::id),
                ))
                .join(Author::TABLE.on(Author.col(User::id).eq(Post::author_id)))
                .group_by(Author.col(User::id))
                .order_by(max(Post::likes).desc()),
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                (ann, "ann".to_owned(), 3),
                (ann2, "ann".to_owned(), 1),
                (bob, "bob".to_owned(), 1)
            ],
            "{db}: alias grouped by its key"
        );

        // A join written after `group_by`: the grouped key follows its table.
        let rows: Vec<(String, i64)> = s
            .all(
                select((User::name, count(Post::id)))
                    .group_by(User::id)
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .order_by(User::id),
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                ("ann".to_owned(), 3),
                ("bob".to_owned(), 1),
                ("ann".to_owned(), 1)
            ],
            "{db}: join after group_by"
        );

        // Grouped by a column that is not a key: that column and aggregates only.
        let rows: Vec<(String, i64, Option<i32>)> = s
            .all(
                select((User::name, count(Post::id), max(Post::likes)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by(User::name)
                    .order_by(User::name),
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                ("ann".to_owned(), 4, Some(9)),
                ("bob".to_owned(), 1, Some(2))
            ],
            "{db}: grouped by a non-key column"
        );
    }
}
