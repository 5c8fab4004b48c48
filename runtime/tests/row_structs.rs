//! Named row structs (`azoth::row!`) read from selections with joins, aggregates and left joins,
//! through `all`, `one`, `first` and `stream`, on every backend.

mod common;

use azoth::prelude::*;
use common::blog::*;

azoth::model! {
    #[table = "comments"]
    pub struct Comment {
        #[primary_key] pub id: i64,
        #[references(Post::id, on_delete = cascade)] pub post_id: i64,
        pub body: String,
    }
}

azoth::row! {
    /// A post as the front page lists it.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    pub struct PostCard {
        pub title: String,
        #[serde(rename = "author")]
        pub author_name: String,
        pub comment_count: i64,
    }
}

azoth::row! {
    #[derive(Debug, PartialEq)]
    pub struct UserPost { pub name: String, pub title: Option<String>, pub likes: Option<i32> }
}

azoth::row! {
    #[derive(Debug, PartialEq)]
    pub struct PostWithAuthor { pub post: Post, pub author: User }
}

azoth::row! {
    #[derive(Debug, PartialEq)]
    pub struct UserWithPost { pub user: User, pub post: Option<Post> }
}

azoth::row! {
    #[derive(Debug, PartialEq)]
    pub struct Name { pub name: String }
}

/// ann: "a" (2 comments), "b" (none); bob: "c" (1 comment); cid: no post.
async fn seed(s: &mut Session) -> (User, User, User) {
    let ann = s.insert(new_user("ann")).await.unwrap();
    let bob = s.insert(new_user("bob")).await.unwrap();
    let cid = s.insert(new_user("cid")).await.unwrap();
    let a = s.insert(new_post(ann.id, "a", 3)).await.unwrap();
    s.insert(new_post(ann.id, "b", 1)).await.unwrap();
    let c = s.insert(new_post(bob.id, "c", 7)).await.unwrap();
    for (post_id, body) in [(a.id, "first"), (a.id, "second"), (c.id, "third")] {
        s.insert(NewComment {
            post_id,
            body: body.into(),
        })
        .await
        .unwrap();
    }
    (ann, bob, cid)
}

fn card(title: &str, author: &str, comments: i64) -> PostCard {
    PostCard {
        title: title.into(),
        author_name: author.into(),
        comment_count: comments,
    }
}

/// The front page's query: each post with its author's name and its number of comments.
macro_rules! cards {
    () => {
        select((Post::title, User::name, count(Comment::id)))
            .join(User::TABLE.on(User::id.eq(Post::author_id)))
            .left_join(Comment::TABLE.on(Comment::post_id.eq(Post::id)))
            .group_by((Post::id, Post::title, User::name))
            .order_by(Post::id)
            .row::<PostCard, _>()
    };
}

#[tokio::test]
async fn rows_post_cards_from_joins_and_an_aggregate_in_all_one_first_and_stream() {
    for engine in common::engines("rows_cards").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post, Comment)>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let all: Vec<PostCard> = s.all(cards!()).await.unwrap();
        assert_eq!(
            all,
            [
                card("a", "ann", 2),
                card("b", "ann", 0),
                card("c", "bob", 1)
            ],
            "{db}"
        );

        let one = s.one(cards!().filter(Post::title.eq("c"))).await.unwrap();
        assert_eq!(one, card("c", "bob", 1), "{db}");

        let first = s.first(cards!()).await.unwrap();
        assert_eq!(first, Some(card("a", "ann", 2)), "{db}");

        let streamed: Vec<PostCard> = s.stream(cards!()).try_collect().await.unwrap();
        assert_eq!(streamed, all, "{db}");

        let json = serde_json::to_value(&one).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"title": "c", "author": "bob", "comment_count": 1}),
            "{db}: derives and field attributes pass through"
        );
    }
}

#[tokio::test]
async fn rows_left_join_columns_decode_into_option_fields() {
    for engine in common::engines("rows_left_join").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post, Comment)>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let rows: Vec<UserPost> = s
            .all(
                select((User::name, Post::title, Post::likes))
                    .left_join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .order_by((User::name, Post::title))
                    .row::<UserPost, _>(),
            )
            .await
            .unwrap();
        let expect = |name: &str, post: Option<(&str, i32)>| UserPost {
            name: name.into(),
            title: post.map(|p| p.0.into()),
            likes: post.map(|p| p.1),
        };
        assert_eq!(
            rows,
            [
                expect("ann", Some(("a", 3))),
                expect("ann", Some(("b", 1))),
                expect("bob", Some(("c", 7))),
                expect("cid", None),
            ],
            "{db}"
        );
    }
}

#[tokio::test]
async fn rows_whole_models_as_fields_inner_and_outer_joined() {
    for engine in common::engines("rows_models").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post, Comment)>().await.unwrap();
        let mut s = engine.session();
        let (ann, bob, cid) = seed(&mut s).await;
        let posts: Vec<Post> = s.all(Post::select().order_by(Post::id)).await.unwrap();

        let rows: Vec<PostWithAuthor> = s
            .all(
                select((Whole::<Post>::new(), Whole::<User>::new()))
                    .join(User::TABLE.on(User::id.eq(Post::author_id)))
                    .order_by(Post::id)
                    .row::<PostWithAuthor, _>(),
            )
            .await
            .unwrap();
        let authors: Vec<&User> = rows.iter().map(|r| &r.author).collect();
        assert_eq!(authors, [&ann, &ann, &bob], "{db}");
        let read: Vec<&Post> = rows.iter().map(|r| &r.post).collect();
        assert_eq!(read, posts.iter().collect::<Vec<_>>(), "{db}");

        let last = s
            .one(
                select((Whole::<User>::new(), Whole::<Post>::new()))
                    .left_join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .filter(User::id.eq(cid.id))
                    .row::<UserWithPost, _>(),
            )
            .await
            .unwrap();
        assert_eq!(
            last,
            UserWithPost {
                user: cid.clone(),
                post: None
            },
            "{db}: a user without posts"
        );
    }
}

#[tokio::test]
async fn rows_single_field_struct_and_a_transaction() {
    for engine in common::engines("rows_single").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post, Comment)>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let mut tx = s.begin().await.unwrap();
        let names: Vec<Name> = tx
            .all(select(User::name).order_by(User::name).row::<Name, _>())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["ann", "bob", "cid"], "{db}");
    }
}
