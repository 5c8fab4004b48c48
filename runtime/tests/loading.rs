//! Eager loading with `selectin`: statement counts, results equal to a naive per-row loop, NULL
//! keys, one-to-one, many-to-many, nesting and chunking; on every backend.

mod common;

use azoth::prelude::*;

azoth::model! {
    #[table = "l_users"]
    pub struct User {
        #[primary_key] pub id: i64,
        pub name: String,
    }
    relations {
        posts: has_many(Post, Post::author_id),
        profile: has_one(Profile, Profile::user_id),
    }
}

azoth::model! {
    #[table = "l_profiles"]
    pub struct Profile {
        #[primary_key] pub id: i64,
        #[references(User::id)] #[unique] pub user_id: i64,
        pub bio: String,
    }
}

azoth::model! {
    #[table = "l_posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        pub title: String,
        #[references(User::id)] #[index] pub author_id: i64,
        #[references(User::id)] pub editor_id: Option<i64>,
    }
    relations {
        author: belongs_to(User, Post::author_id),
        editor: belongs_to(User, Post::editor_id),
        tags: many_to_many(Tag, PostTag, PostTag::post_id, PostTag::tag_id),
        links: has_many(PostTag, PostTag::post_id),
    }
}

azoth::model! {
    #[table = "l_tags"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        pub label: String,
    }
}

azoth::model! {
    #[table = "l_post_tags"]
    pub struct PostTag {
        #[primary_key(manual)] #[references(Post::id)] pub post_id: i64,
        #[primary_key(manual)] #[references(Tag::id)] pub tag_id: i64,
    }
}

azoth::model! {
    /// Self-referential: an employee's manager and reports live in the same table.
    #[table = "l_employees"]
    pub struct Employee {
        #[primary_key] pub id: i64,
        pub name: String,
        #[references(Employee::id)] pub manager_id: Option<i64>,
    }
    relations {
        manager: belongs_to(Employee, Employee::manager_id),
        reports: has_many(Employee, Employee::manager_id),
    }
}

type Models = (User, Profile, Post, Tag, PostTag);

/// 4 users (the last with no posts and no profile), 7 posts, 3 tags.
async fn seed(s: &mut Session) {
    for name in ["ann", "bob", "cy", "dee"] {
        s.insert(NewUser { name: name.into() }).await.unwrap();
    }
    s.execute(insert_many([1, 2].map(|u| NewProfile {
        user_id: u,
        bio: format!("bio {u}"),
    })))
    .await
    .unwrap();
    let posts = [
        (1, None),
        (1, Some(2)),
        (1, None),
        (2, Some(1)),
        (2, None),
        (3, Some(3)),
        (3, Some(1)),
    ];
    s.execute(insert_many(posts.iter().enumerate().map(|(i, (a, e))| {
        NewPost {
            title: format!("p{i}"),
            author_id: *a,
            editor_id: *e,
        }
    })))
    .await
    .unwrap();
    s.execute(insert_many(
        ["rust", "sql", "async"].map(|l| NewTag { label: l.into() }),
    ))
    .await
    .unwrap();
    let links = [(1, 1), (1, 2), (2, 1), (4, 3), (4, 1), (6, 2)];
    s.execute(insert_many(links.map(|(p, t)| NewPostTag {
        post_id: p,
        tag_id: t,
    })))
    .await
    .unwrap();
}

#[tokio::test]
async fn one_to_many_runs_one_query_and_equals_a_naive_loop() {
    for engine in common::engines("load_one_to_many").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let before = engine.statements_run();
        let users = s
            .all(
                User::select()
                    .order_by(User::id)
                    .options(selectin(User::posts)),
            )
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 2, "{db}: 1 + 1 queries");

        for u in &users {
            let naive: Vec<Post> = posts_of(&mut s, u.id).await;
            let loaded: Vec<Post> = u.get(User::posts).iter().map(|p| p.row().clone()).collect();
            assert_eq!(loaded, naive, "{db}: posts of {}", u.name);
        }
        assert_eq!(
            users
                .iter()
                .map(|u| u.get(User::posts).len())
                .collect::<Vec<_>>(),
            [3, 2, 2, 0],
            "{db}"
        );
    }
}

#[tokio::test]
async fn many_to_one_asks_by_foreign_key_and_handles_null_keys() {
    for engine in common::engines("load_many_to_one").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let before = engine.statements_run();
        let posts = s
            .all(
                Post::select()
                    .order_by(Post::id)
                    .options((selectin(Post::author), selectin(Post::editor))),
            )
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            3,
            "{db}: 1 + 1 + 1 queries"
        );
        for p in &posts {
            let author: &User = p.get(Post::author);
            assert_eq!(author.id, p.author_id, "{db}");
            let editor: Option<&User> = p.get(Post::editor).map(|e| e.row());
            assert_eq!(
                editor.map(|e| e.id),
                p.editor_id,
                "{db}: a NULL key loads None"
            );
        }
        let names: Vec<&str> = posts
            .iter()
            .map(|p| p.get(Post::author).name.as_str())
            .collect();
        assert_eq!(
            names,
            ["ann", "ann", "ann", "bob", "bob", "cy", "cy"],
            "{db}"
        );
    }
}

#[tokio::test]
async fn one_to_one_and_many_to_many() {
    for engine in common::engines("load_one_to_one_m2m").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let users = s
            .all(
                User::select()
                    .order_by(User::id)
                    .options(selectin(User::profile)),
            )
            .await
            .unwrap();
        let bios: Vec<Option<&str>> = users
            .iter()
            .map(|u| u.get(User::profile).map(|p| p.bio.as_str()))
            .collect();
        assert_eq!(bios, [Some("bio 1"), Some("bio 2"), None, None], "{db}");

        let before = engine.statements_run();
        let posts = s
            .all(
                Post::select()
                    .order_by(Post::id)
                    .options(selectin(Post::tags)),
            )
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            2,
            "{db}: the association table is joined, not queried apart"
        );
        let labels: Vec<Vec<&str>> = posts
            .iter()
            .map(|p| p.get(Post::tags).iter().map(|t| t.label.as_str()).collect())
            .collect();
        assert_eq!(
            labels,
            [
                vec!["rust", "sql"],
                vec!["rust"],
                vec![],
                vec!["rust", "async"],
                vec![],
                vec!["sql"],
                vec![]
            ],
            "{db}"
        );
        // A tag shared by several posts is one object.
        let rust_1 = &posts[0].get(Post::tags)[0];
        let rust_2 = &posts[1].get(Post::tags)[0];
        assert!(std::sync::Arc::ptr_eq(rust_1, rust_2), "{db}");
    }
}

#[tokio::test]
async fn options_nest_three_levels_with_one_query_per_level() {
    for engine in common::engines("load_nested").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let before = engine.statements_run();
        let users = s
            .all(
                User::select()
                    .order_by(User::id)
                    .options(selectin(User::posts).then((
                        selectin(Post::tags),
                        selectin(Post::editor).then(selectin(User::profile)),
                    ))),
            )
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            5,
            "{db}: users, posts, tags, editors, profiles"
        );
        let ann = &users[0];
        let second = &ann.get(User::posts)[1];
        assert_eq!(second.title, "p1", "{db}");
        let editor = second.get(Post::editor).expect("p1 has an editor");
        assert_eq!(editor.name, "bob", "{db}");
        assert_eq!(
            editor.get(User::profile).map(|p| p.bio.as_str()),
            Some("bio 2"),
            "{db}"
        );
        let tags: Vec<&str> = ann.get(User::posts)[0]
            .get(Post::tags)
            .iter()
            .map(|t| t.label.as_str())
            .collect();
        assert_eq!(tags, ["rust", "sql"], "{db}");
    }
}

#[tokio::test]
async fn empty_parents_run_no_extra_query_and_keys_are_chunked() {
    for engine in common::engines("load_chunks").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();

        let before = engine.statements_run();
        let none = s
            .all(User::select().options(selectin(User::posts)))
            .await
            .unwrap();
        assert!(none.is_empty(), "{db}");
        assert_eq!(
            engine.statements_run() - before,
            1,
            "{db}: no parents, no extra query"
        );

        s.execute(insert_many((0..1200).map(|i| NewUser {
            name: format!("u{i}"),
        })))
        .await
        .unwrap();
        s.execute(insert_many((1..=1200).step_by(3).map(|u| NewPost {
            title: format!("t{u}"),
            author_id: u,
            editor_id: None,
        })))
        .await
        .unwrap();
        let before = engine.statements_run();
        let users = s
            .all(
                User::select()
                    .order_by(User::id)
                    .options(selectin(User::posts)),
            )
            .await
            .unwrap();
        assert_eq!(users.len(), 1200, "{db}");
        // PostgreSQL binds the keys as one array (`IN (SELECT UNNEST($1))`); the others chunk `IN (..)`.
        let key_queries = if engine.backend() == Backend::Postgres {
            1
        } else {
            3
        };
        assert_eq!(
            engine.statements_run() - before,
            1 + key_queries,
            "{db}: 1200 keys in one array or in chunks of 500"
        );
        let with_posts = users
            .iter()
            .filter(|u| u.get(User::posts).len() == 1)
            .count();
        assert_eq!(with_posts, 400, "{db}");

        let before = engine.statements_run();
        let users = s
            .all(
                User::select()
                    .order_by(User::id)
                    .options(selectin(User::posts).chunk_size(1000)),
            )
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            1 + 2,
            "{db}: a configured chunk size"
        );
        assert_eq!(
            users
                .iter()
                .map(|u| u.get(User::posts).len())
                .sum::<usize>(),
            400,
            "{db}"
        );
    }
}

#[tokio::test]
async fn joins_along_relationships_take_their_on_clause_from_the_foreign_key() {
    for engine in common::engines("join_relationships").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let counts: Vec<(String, i64)> = s
            .all(
                select((User::name, count(Post::id)))
                    .join(User::posts)
                    .group_by((User::id, User::name))
                    .order_by(User::id),
            )
            .await
            .unwrap();
        assert_eq!(
            counts,
            [
                ("ann".to_owned(), 3),
                ("bob".to_owned(), 2),
                ("cy".to_owned(), 2)
            ],
            "{db}"
        );

        let editors: Vec<(String, Option<String>)> = s
            .all(
                select((Post::title, User::name))
                    .left_join(Post::editor)
                    .order_by(Post::id)
                    .limit(3),
            )
            .await
            .unwrap();
        assert_eq!(
            editors,
            [
                ("p0".to_owned(), None),
                ("p1".to_owned(), Some("bob".to_owned())),
                ("p2".to_owned(), None)
            ],
            "{db}"
        );

        let tagged: Vec<(String, String)> = s
            .all(
                select((Post::title, Tag::label))
                    .join(Post::tags)
                    .filter(Tag::label.eq("rust"))
                    .order_by(Post::id),
            )
            .await
            .unwrap();
        assert_eq!(
            tagged.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
            ["p0", "p1", "p3"],
            "{db}: through the association table"
        );
    }
}

#[tokio::test]
async fn self_referential_relationships_load_managers_and_reports() {
    for engine in common::engines("load_self_ref").await {
        let db = common::name(&engine);
        engine.create_all::<(Employee,)>().await.unwrap();
        let mut s = engine.session();
        let boss = s
            .insert(NewEmployee {
                name: "boss".into(),
                manager_id: None,
            })
            .await
            .unwrap();
        let mid = s
            .insert(NewEmployee {
                name: "mid".into(),
                manager_id: Some(boss.id),
            })
            .await
            .unwrap();
        for name in ["a", "b"] {
            s.insert(NewEmployee {
                name: name.into(),
                manager_id: Some(mid.id),
            })
            .await
            .unwrap();
        }
        let before = engine.statements_run();
        let people = s
            .all(Employee::select().order_by(Employee::id).options((
                selectin(Employee::manager),
                selectin(Employee::reports).then(selectin(Employee::reports)),
            )))
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 4, "{db}");
        let managers: Vec<Option<&str>> = people
            .iter()
            .map(|e| e.get(Employee::manager).map(|m| m.name.as_str()))
            .collect();
        assert_eq!(
            managers,
            [None, Some("boss"), Some("mid"), Some("mid")],
            "{db}"
        );
        let boss_reports = people[0].get(Employee::reports);
        assert_eq!(
            boss_reports
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>(),
            ["mid"],
            "{db}"
        );
        let second_level: Vec<&str> = boss_reports[0]
            .get(Employee::reports)
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(second_level, ["a", "b"], "{db}");
    }
}

#[tokio::test]
async fn a_loader_option_can_narrow_and_order_what_it_loads() {
    for engine in common::engines("load_narrowed").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let users = s
            .all(
                User::select().order_by(User::id).options(
                    selectin(User::posts)
                        .filter(Post::title.ne("p1"))
                        .order_by(Post::id.desc()),
                ),
            )
            .await
            .unwrap();
        let titles: Vec<&str> = users[0]
            .get(User::posts)
            .iter()
            .map(|p| p.title.as_str())
            .collect();
        assert_eq!(titles, ["p2", "p0"], "{db}");
    }
}

#[tokio::test]
async fn write_only_collections_query_and_link_through_the_session() {
    for engine in common::engines("write_only").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let ann = s.get::<User>(1).await.unwrap().unwrap();
        let newest: Vec<String> = s
            .all(User::posts.of(&ann).order_by(Post::id.desc()).limit(2))
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.title)
            .collect();
        assert_eq!(newest, ["p2", "p1"], "{db}");

        let post = s.get::<Post>(3).await.unwrap().unwrap();
        assert!(
            s.all(Post::tags.of(&post)).await.unwrap().is_empty(),
            "{db}"
        );
        let sql = s.get::<Tag>(2).await.unwrap().unwrap();
        s.link(Post::tags, &post, &sql).await.unwrap();
        let labels: Vec<String> = s
            .all(Post::tags.of(&post))
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["sql"], "{db}");
        assert_eq!(s.unlink(Post::tags, &post, &sql).await.unwrap(), 1, "{db}");
        assert!(
            s.all(Post::tags.of(&post)).await.unwrap().is_empty(),
            "{db}"
        );

        let orphan = s.get::<Post>(1).await.unwrap().unwrap();
        assert_eq!(
            s.all(Post::editor.of(&orphan)).await.unwrap(),
            Vec::<User>::new(),
            "{db}: a NULL key relates to nothing"
        );
    }
}

#[tokio::test]
async fn joined_runs_one_query_and_equals_selectin() {
    for engine in common::engines("load_joined").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let before = engine.statements_run();
        let joined_users = s
            .all(
                User::select()
                    .order_by(User::name.desc())
                    .options(joined(User::posts)),
            )
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            1,
            "{db}: one LEFT OUTER JOIN query"
        );
        let selectin_users = s
            .all(
                User::select()
                    .order_by(User::name.desc())
                    .options(selectin(User::posts)),
            )
            .await
            .unwrap();
        assert_eq!(
            joined_users, selectin_users,
            "{db}: both strategies give the same objects"
        );
        assert_eq!(
            joined_users
                .iter()
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>(),
            ["dee", "cy", "bob", "ann"],
            "{db}: parent order kept, parents folded"
        );

        // Several joined relationships at once (a cartesian product in SQL), NULL keys, many-to-many.
        let before = engine.statements_run();
        let posts = s
            .all(Post::select().order_by(Post::id).options((
                joined(Post::author),
                joined(Post::editor),
                joined(Post::tags),
            )))
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 1, "{db}");
        let expected = s
            .all(Post::select().order_by(Post::id).options((
                selectin(Post::author),
                selectin(Post::editor),
                selectin(Post::tags),
            )))
            .await
            .unwrap();
        assert_eq!(posts, expected, "{db}");

        // limit/offset count parents, not joined rows.
        let page = s
            .all(
                User::select()
                    .order_by(User::id)
                    .limit(2)
                    .offset(1)
                    .options(joined(User::posts)),
            )
            .await
            .unwrap();
        let summary: Vec<(&str, usize)> = page
            .iter()
            .map(|u| (u.name.as_str(), u.get(User::posts).len()))
            .collect();
        assert_eq!(summary, [("bob", 2), ("cy", 2)], "{db}");

        // A joined level with a selectin level under it: 1 + 1 queries; one() on a joined query.
        let before = engine.statements_run();
        let ann = s
            .one(
                User::select()
                    .filter(User::id.eq(1))
                    .options(joined(User::posts).then(selectin(Post::tags))),
            )
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 2, "{db}");
        assert_eq!(ann.get(User::posts).len(), 3, "{db}");
        assert_eq!(ann.get(User::posts)[0].get(Post::tags).len(), 2, "{db}");
    }
}

#[tokio::test]
async fn joined_handles_self_reference_and_narrowing() {
    for engine in common::engines("load_joined_self").await {
        let db = common::name(&engine);
        engine.create_all::<(Employee,)>().await.unwrap();
        let mut s = engine.session();
        let boss = s
            .insert(NewEmployee {
                name: "boss".into(),
                manager_id: None,
            })
            .await
            .unwrap();
        for name in ["a", "b", "c"] {
            s.insert(NewEmployee {
                name: name.into(),
                manager_id: Some(boss.id),
            })
            .await
            .unwrap();
        }
        let joined_rows = s
            .all(Employee::select().order_by(Employee::id).options((
                joined(Employee::manager),
                joined(Employee::reports).filter(Employee::name.ne("b")),
            )))
            .await
            .unwrap();
        let selectin_rows = s
            .all(Employee::select().order_by(Employee::id).options((
                selectin(Employee::manager),
                selectin(Employee::reports).filter(Employee::name.ne("b")),
            )))
            .await;
        let selectin_rows = selectin_rows.unwrap();
        assert_eq!(
            joined_rows, selectin_rows,
            "{db}: a narrowed self-referential join reads the condition from its alias"
        );
        let joined_managers: Vec<Option<String>> = joined_rows
            .iter()
            .map(|e| e.get(Employee::manager).map(|m| m.row().name.clone()))
            .collect();
        let selectin_managers: Vec<Option<String>> = selectin_rows
            .iter()
            .map(|e| e.get(Employee::manager).map(|m| m.row().name.clone()))
            .collect();
        assert_eq!(joined_managers, selectin_managers, "{db}");
        assert_eq!(joined_managers[1].as_deref(), Some("boss"), "{db}");
        assert_eq!(joined_rows.len(), 4, "{db}");
    }
}

/// The naive per-row loop the strategies must agree with: one query per parent and relationship.
/// The posts of user `id`, in key order, by a plain query: what a loaded collection must equal.
async fn posts_of(s: &mut Session, id: i64) -> Vec<Post> {
    s.all(
        Post::select()
            .filter(Post::author_id.eq(id))
            .order_by(Post::id),
    )
    .await
    .unwrap()
}

async fn naive_users(s: &mut Session) -> Vec<(User, Vec<Post>, Option<Profile>)> {
    let mut out = Vec::new();
    for u in s.all(User::select().order_by(User::id)).await.unwrap() {
        let posts = posts_of(s, u.id).await;
        let profile = s
            .one_or_none(Profile::select().filter(Profile::user_id.eq(u.id)))
            .await
            .unwrap();
        out.push((u, posts, profile));
    }
    out
}

async fn naive_posts(s: &mut Session) -> Vec<(Post, User, Option<User>, Vec<Tag>)> {
    let mut out = Vec::new();
    for p in s.all(Post::select().order_by(Post::id)).await.unwrap() {
        let author = s
            .one(User::select().filter(User::id.eq(p.author_id)))
            .await
            .unwrap();
        let editor = match p.editor_id {
            Some(e) => s
                .one_or_none(User::select().filter(User::id.eq(e)))
                .await
                .unwrap(),
            None => None,
        };
        let tags = s.all(Post::tags.of(&p).order_by(Tag::id)).await.unwrap();
        out.push((p, author, editor, tags));
    }
    out
}

#[tokio::test]
async fn selectin_joined_and_a_naive_loop_agree_for_every_kind_and_size() {
    for engine in common::engines("load_agree").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        for round in ["empty", "seeded", "1200 parents"] {
            if round == "seeded" {
                seed(&mut s).await;
            }
            if round == "1200 parents" {
                s.execute(insert_many((0..1196).map(|i| NewUser {
                    name: format!("u{i}"),
                })))
                .await
                .unwrap();
                s.execute(insert_many((5..1200).step_by(7).map(|u| NewPost {
                    title: format!("t{u}"),
                    author_id: u,
                    editor_id: Some(u - 1),
                })))
                .await
                .unwrap();
                s.execute(insert_many((5..600).step_by(5).map(|u| NewProfile {
                    user_id: u,
                    bio: format!("b{u}"),
                })))
                .await
                .unwrap();
            }
            let naive_u = naive_users(&mut s).await;
            let naive_p = naive_posts(&mut s).await;
            for strategy in ["selectin", "joined"] {
                let users = if strategy == "selectin" {
                    s.all(
                        User::select()
                            .order_by(User::id)
                            .options((selectin(User::posts), selectin(User::profile))),
                    )
                    .await
                    .unwrap()
                } else {
                    s.all(
                        User::select()
                            .order_by(User::id)
                            .options((joined(User::posts), joined(User::profile))),
                    )
                    .await
                    .unwrap()
                };
                let got: Vec<(User, Vec<Post>, Option<Profile>)> = users
                    .iter()
                    .map(|u| {
                        let posts = u.get(User::posts).iter().map(|p| p.row().clone()).collect();
                        (
                            u.row().clone(),
                            posts,
                            u.get(User::profile).map(|p| p.row().clone()),
                        )
                    })
                    .collect();
                assert_eq!(
                    got, naive_u,
                    "{db}, {round}, {strategy}: one-to-many and one-to-one"
                );

                let posts = if strategy == "selectin" {
                    s.all(Post::select().order_by(Post::id).options((
                        selectin(Post::author),
                        selectin(Post::editor),
                        selectin(Post::tags),
                    )))
                    .await
                    .unwrap()
                } else {
                    s.all(Post::select().order_by(Post::id).options((
                        joined(Post::author),
                        joined(Post::editor),
                        joined(Post::tags),
                    )))
                    .await
                    .unwrap()
                };
                let got: Vec<(Post, User, Option<User>, Vec<Tag>)> = posts
                    .iter()
                    .map(|p| {
                        let tags = p.get(Post::tags).iter().map(|t| t.row().clone()).collect();
                        (
                            p.row().clone(),
                            p.get(Post::author).row().clone(),
                            p.get(Post::editor).map(|e| e.row().clone()),
                            tags,
                        )
                    })
                    .collect();
                assert_eq!(
                    got, naive_p,
                    "{db}, {round}, {strategy}: many-to-one (NULL keys) and many-to-many"
                );
            }
        }
    }
}

#[tokio::test]
async fn targets_with_a_composite_key_stay_distinct() {
    for engine in common::engines("load_composite_target").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        for options in [selectin(Post::links), joined(Post::links)] {
            let posts = s
                .all(Post::select().order_by(Post::id).options(options))
                .await
                .unwrap();
            let links: Vec<Vec<(i64, i64)>> = posts
                .iter()
                .map(|p| {
                    p.get(Post::links)
                        .iter()
                        .map(|l| (l.post_id, l.tag_id))
                        .collect()
                })
                .collect();
            assert_eq!(
                links[0],
                [(1, 1), (1, 2)],
                "{db}: two association rows of post 1, not one twice"
            );
            assert_eq!(links[3], [(4, 1), (4, 3)], "{db}");
        }
    }
}

#[tokio::test]
async fn joined_levels_nest_into_the_statement_that_reads_their_parents() {
    for engine in common::engines("load_joined_nested").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let users = || User::select().order_by(User::name.desc());
        let reference = s
            .all(users().options(selectin(User::posts).then((
                selectin(Post::tags),
                selectin(Post::editor).then(selectin(User::profile)),
            ))))
            .await
            .unwrap();

        // Three joined levels (users, posts, tags and editors, profiles): one statement.
        let before = engine.statements_run();
        let all_joined = s
            .all(users().options(joined(User::posts).then((
                joined(Post::tags),
                joined(Post::editor).then(joined(User::profile)),
            ))))
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 1, "{db}: one statement");
        assert_eq!(all_joined, reference, "{db}: joined equals selectin");

        // Joined levels under a selectin level come in the selectin statement: 1 + 1, and one
        // more per chunk of parent keys.
        let before = engine.statements_run();
        let mixed = s
            .all(users().options(selectin(User::posts).then((
                joined(Post::tags),
                joined(Post::editor).then(joined(User::profile)),
            ))))
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 2, "{db}: users, posts");
        assert_eq!(mixed, reference, "{db}");
        let before = engine.statements_run();
        let chunked = s
            .all(users().options(selectin(User::posts).chunk_size(3).then((
                joined(Post::tags),
                joined(Post::editor).then(joined(User::profile)),
            ))))
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            3,
            "{db}: users, posts in 2 chunks"
        );
        assert_eq!(chunked, reference, "{db}");

        let ann = &all_joined[3];
        assert_eq!(ann.name, "ann", "{db}");
        let p1 = &ann.get(User::posts)[1];
        let editor = p1.get(Post::editor).expect("p1 has an editor");
        assert_eq!(
            (p1.title.as_str(), editor.name.as_str()),
            ("p1", "bob"),
            "{db}"
        );
        assert_eq!(
            editor.get(User::profile).map(|p| p.bio.as_str()),
            Some("bio 2"),
            "{db}"
        );
    }
}

#[tokio::test]
async fn joined_keeps_a_parent_order_on_a_column_of_another_table() {
    for engine in common::engines("load_joined_order").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let posts = || {
            Post::select()
                .join(Post::author)
                .order_by(User::name.desc())
                .order_by(Post::id.desc())
        };
        let joined_posts = s
            .all(posts().limit(4).options(joined(Post::tags)))
            .await
            .unwrap();
        let selectin_posts = s
            .all(posts().limit(4).options(selectin(Post::tags)))
            .await
            .unwrap();
        assert_eq!(joined_posts, selectin_posts, "{db}");
        let titles: Vec<&str> = joined_posts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            ["p6", "p5", "p4", "p3"],
            "{db}: cy's posts, then bob's"
        );
        let tags: Vec<usize> = joined_posts
            .iter()
            .map(|p| p.get(Post::tags).len())
            .collect();
        assert_eq!(tags, [0, 1, 0, 2], "{db}");
    }
}

#[tokio::test]
async fn joined_returns_the_parent_querys_rows_like_selectin() {
    for engine in common::engines("load_joined_repeats").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        // A join repeats each user once per post: both strategies keep the repeats.
        let repeated = || {
            User::select()
                .join(User::posts)
                .order_by(User::id)
                .order_by(Post::id)
        };
        let plain = s.all(repeated()).await.unwrap();
        let with_selectin = s
            .all(repeated().options(selectin(User::profile)))
            .await
            .unwrap();
        let with_joined = s
            .all(repeated().options(joined(User::profile)))
            .await
            .unwrap();
        assert_eq!(plain.len(), 7, "{db}");
        assert_eq!(with_joined, with_selectin, "{db}");
        let names: Vec<&str> = with_joined.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            names,
            ["ann", "ann", "ann", "bob", "bob", "cy", "cy"],
            "{db}"
        );

        // A collection joined under repeated parents: each repeat gets the whole collection.
        let with_posts = s
            .all(repeated().options(joined(User::posts)))
            .await
            .unwrap();
        let counts: Vec<usize> = with_posts
            .iter()
            .map(|u| u.get(User::posts).len())
            .collect();
        assert_eq!(counts, [3, 3, 3, 2, 2, 2, 2], "{db}");
        // The repeats of a parent share its collection (stored once), with selectin too; the
        // collection holds the posts themselves, in key order.
        let with_selectin_posts = s
            .all(repeated().options(selectin(User::posts)))
            .await
            .unwrap();
        for loaded in [&with_posts, &with_selectin_posts] {
            let posts = |i: usize| loaded[i].get(User::posts);
            assert!(std::ptr::eq(posts(0), posts(2)), "{db}");
            assert!(std::ptr::eq(posts(3), posts(4)), "{db}");
            assert!(!std::ptr::eq(posts(2), posts(3)), "{db}");
            let ids: Vec<i64> = posts(0).iter().map(|p| p.id).collect();
            assert!(ids.is_sorted() && ids.len() == 3, "{db}: {ids:?}");
        }

        // DISTINCT parents stay distinct.
        let distinct = s
            .all(
                User::select()
                    .join(User::posts)
                    .distinct()
                    .order_by(User::id)
                    .options(joined(User::posts)),
            )
            .await
            .unwrap();
        let counts: Vec<(&str, usize)> = distinct
            .iter()
            .map(|u| (u.name.as_str(), u.get(User::posts).len()))
            .collect();
        assert_eq!(counts, [("ann", 3), ("bob", 2), ("cy", 2)], "{db}");
    }
}

#[tokio::test]
async fn joined_and_selectin_order_nulls_alike() {
    for engine in common::engines("load_nulls_order").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let users = || User::select().order_by(User::id);
        let by_editor = |o: azoth::stmt::load::LoadRel<user::posts, ()>| {
            o.order_by((Post::editor_id.desc().nulls_first(), Post::id))
        };
        let joined_users = s
            .all(users().options(by_editor(joined(User::posts))))
            .await
            .unwrap();
        let selectin_users = s
            .all(users().options(by_editor(selectin(User::posts))))
            .await
            .unwrap();
        assert_eq!(joined_users, selectin_users, "{db}");
        let ann: Vec<Option<i64>> = joined_users[0]
            .get(User::posts)
            .iter()
            .map(|p| p.editor_id)
            .collect();
        assert_eq!(
            ann,
            [None, None, Some(2)],
            "{db}: NULLS FIRST, then descending"
        );
    }
}

#[tokio::test]
async fn joined_keeps_order_ties_limits_and_declared_order_in_every_statement_shape() {
    for engine in common::engines("load_joined_shapes").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        // The parent table as it is (the joins go in its own statement): ties in the parent
        // order come by key; each collection in its declared order.
        let posts = s
            .all(Post::select().order_by(Post::author_id.desc()).options((
                joined(Post::author),
                joined(Post::tags).order_by(Tag::label.desc()),
            )))
            .await
            .unwrap();
        let titles: Vec<(&str, &str, String)> = posts
            .iter()
            .map(|p| {
                let tags: Vec<&str> = p.get(Post::tags).iter().map(|t| t.label.as_str()).collect();
                (
                    p.title.as_str(),
                    p.get(Post::author).name.as_str(),
                    tags.join("+"),
                )
            })
            .collect();
        assert_eq!(
            titles,
            [
                ("p5", "cy", "sql"),
                ("p6", "cy", ""),
                ("p3", "bob", "rust+async"),
                ("p4", "bob", ""),
                ("p0", "ann", "sql+rust"),
                ("p1", "ann", "rust"),
                ("p2", "ann", ""),
            ]
            .map(|(a, b, c)| (a, b, c.to_owned())),
            "{db}"
        );

        // Two joined levels under users, with and without a LIMIT, first() and one(): the same
        // objects as selectin, in the same order.
        let opts_joined = || {
            joined(User::posts)
                .order_by(Post::title.desc())
                .then(joined(Post::tags).order_by(Tag::label))
        };
        let opts_selectin = || {
            selectin(User::posts)
                .order_by(Post::title.desc())
                .then(selectin(Post::tags).order_by(Tag::label))
        };
        let by_name = || User::select().order_by(User::name.desc());
        for (joined_users, selectin_users, what) in [
            (
                s.all(by_name().options(opts_joined())).await.unwrap(),
                s.all(by_name().options(opts_selectin())).await.unwrap(),
                "all",
            ),
            (
                s.all(by_name().limit(2).offset(1).options(opts_joined()))
                    .await
                    .unwrap(),
                s.all(by_name().limit(2).offset(1).options(opts_selectin()))
                    .await
                    .unwrap(),
                "limit 2 offset 1",
            ),
            (
                s.first(by_name().offset(2).options(opts_joined()))
                    .await
                    .unwrap()
                    .into_iter()
                    .collect(),
                s.first(by_name().offset(2).options(opts_selectin()))
                    .await
                    .unwrap()
                    .into_iter()
                    .collect(),
                "first",
            ),
            (
                vec![
                    s.one(User::select().filter(User::id.eq(1)).options(opts_joined()))
                        .await
                        .unwrap(),
                ],
                vec![
                    s.one(
                        User::select()
                            .filter(User::id.eq(1))
                            .options(opts_selectin()),
                    )
                    .await
                    .unwrap(),
                ],
                "one",
            ),
        ] {
            assert_eq!(joined_users, selectin_users, "{db}: {what}");
            assert!(!joined_users.is_empty(), "{db}: {what}");
        }
        let users = s.all(by_name().options(opts_joined())).await.unwrap();
        let shape: Vec<(&str, Vec<(&str, usize)>)> = users
            .iter()
            .map(|u| {
                let posts = u
                    .get(User::posts)
                    .iter()
                    .map(|p| (p.title.as_str(), p.get(Post::tags).len()))
                    .collect();
                (u.name.as_str(), posts)
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("dee", vec![]),
                ("cy", vec![("p6", 0), ("p5", 1)]),
                ("bob", vec![("p4", 0), ("p3", 2)]),
                ("ann", vec![("p2", 0), ("p1", 1), ("p0", 2)]),
            ],
            "{db}"
        );
        let ann = s
            .first(User::select().order_by(User::id).options(opts_joined()))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ann.name, "ann", "{db}");
        assert_eq!(
            ann.get(User::posts).len(),
            3,
            "{db}: first() keeps all of its rows"
        );
    }
}

/// Children come in primary-key order without an ORDER BY of the server's (selectin sorts integer
/// keys itself): posts stored in descending key order (PostgreSQL scans them in the order they
/// were written) still load in ascending order.
#[tokio::test]
async fn selectin_children_come_in_key_order_whatever_the_storage_order() {
    for engine in common::engines("load_key_order").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let first: i64 = s
            .one(select(User::id).order_by(User::id).limit(1))
            .await
            .unwrap();
        for id in (1000..1010).rev() {
            s.execute(
                text("INSERT INTO l_posts (id, title, author_id) VALUES (:id, :title, :author)")
                    .bind("id", id)
                    .bind("title", format!("p{id}"))
                    .bind("author", first),
            )
            .await
            .unwrap();
        }
        let users = s
            .all(
                User::select()
                    .order_by(User::id)
                    .options(selectin(User::posts)),
            )
            .await
            .unwrap();
        for u in &users {
            let naive: Vec<Post> = posts_of(&mut s, u.id).await;
            let loaded: Vec<Post> = u.get(User::posts).iter().map(|p| p.row().clone()).collect();
            assert_eq!(loaded, naive, "{db}: posts of {} in key order", u.name);
        }
    }
}

/// A `has_many` loads in key order however the server returns the rows: each parent's together
/// in key order, together in reverse order, or interleaved with another parent's (the loader
/// stores each parent's stretch in place when the rows come grouped, and gathers them per parent
/// otherwise). `manager_id` has no index: SQLite and MySQL return the rows in key order (their
/// tables are stored by it), PostgreSQL in the order they were written.
#[tokio::test]
async fn selectin_has_many_is_in_key_order_however_the_rows_arrive() {
    for engine in common::engines("load_arrival").await {
        let db = common::name(&engine);
        engine.create_all::<(Employee,)>().await.unwrap();
        let mut s = engine.session();
        let hire = async |s: &mut Session, id: i64, manager: Option<i64>| {
            let sql =
                "INSERT INTO l_employees (id, name, manager_id) VALUES (:id, :name, :manager)";
            let insert = text(sql)
                .bind("id", id)
                .bind("name", format!("e{id}"))
                .bind("manager", manager);
            s.execute(insert).await.unwrap();
        };
        for boss in [1, 2, 3] {
            hire(&mut s, boss, None).await;
        }
        // Boss 1's reports written in key order, boss 2's in reverse, one after the other.
        for (id, boss) in [(10, 1), (11, 1), (12, 1), (22, 2), (21, 2), (20, 2)] {
            hire(&mut s, id, Some(boss)).await;
        }
        let reports = async |s: &mut Session, bosses: &[i64]| -> Vec<Vec<i64>> {
            s.all(
                Employee::select()
                    .filter(Employee::id.in_(bosses.iter().copied()))
                    .order_by(Employee::id)
                    .options(selectin(Employee::reports)),
            )
            .await
            .unwrap()
            .iter()
            .map(|b| b.get(Employee::reports).iter().map(|r| r.id).collect())
            .collect()
        };
        assert_eq!(
            reports(&mut s, &[1, 2]).await,
            [vec![10, 11, 12], vec![20, 21, 22]],
            "{db}: grouped rows"
        );
        // Boss 3's reports around one more of boss 1's, in key order and in the order written.
        for (id, boss) in [(30, 3), (13, 1), (14, 3)] {
            hire(&mut s, id, Some(boss)).await;
        }
        assert_eq!(
            reports(&mut s, &[1, 2, 3]).await,
            [vec![10, 11, 12, 13], vec![20, 21, 22], vec![14, 30]],
            "{db}: interleaved rows"
        );
    }
}

#[tokio::test]
async fn joined_rows_come_in_the_parent_order_and_key_order_whatever_the_plan() {
    // On PostgreSQL the joined statement has no ORDER BY (the parents are numbered in their
    // order, the rows put in order after reading): posts stored in reverse key order and tags
    // linked in reverse must still come in key order, under parents in the query's order.
    for engine in common::engines("load_joined_key_order").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let authors: Vec<i64> = s.all(select(User::id).order_by(User::id)).await.unwrap();
        for id in (1000..1012).rev() {
            let author = authors[usize::try_from(id % 3).unwrap()];
            s.execute(
                text("INSERT INTO l_posts (id, title, author_id) VALUES (:id, :title, :author)")
                    .bind("id", id)
                    .bind("title", format!("p{id}"))
                    .bind("author", author),
            )
            .await
            .unwrap();
        }
        let tags: Vec<i64> = s
            .all(select(Tag::id).order_by(Tag::id.desc()))
            .await
            .unwrap();
        for post in (1000..1012).rev() {
            for tag in &tags {
                s.execute(
                    text("INSERT INTO l_post_tags (post_id, tag_id) VALUES (:p, :t)")
                        .bind("p", post)
                        .bind("t", *tag),
                )
                .await
                .unwrap();
            }
        }
        let users = || User::select().order_by(User::name.desc());
        let before = engine.statements_run();
        let loaded = s
            .all(users().options(joined(User::posts).then(joined(Post::tags))))
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 1, "{db}: one statement");
        let reference = s
            .all(users().options(selectin(User::posts).then(selectin(Post::tags))))
            .await
            .unwrap();
        assert_eq!(loaded, reference, "{db}: joined equals selectin");
        let names: Vec<&str> = loaded.iter().map(|u| u.name.as_str()).collect();
        let mut expected = names.clone();
        expected.sort_by(|a, b| b.cmp(a));
        assert_eq!(names, expected, "{db}: parents in the query's order");
        for u in &loaded {
            let naive: Vec<Post> = posts_of(&mut s, u.id).await;
            let posts: Vec<Post> = u.get(User::posts).iter().map(|p| p.row().clone()).collect();
            assert_eq!(posts, naive, "{db}: posts of {} in key order", u.name);
            for p in u.get(User::posts) {
                let ids: Vec<i64> = p.get(Post::tags).iter().map(|t| t.id).collect();
                let mut sorted = ids.clone();
                sorted.sort_unstable();
                assert_eq!(ids, sorted, "{db}: tags of {} in key order", p.title);
            }
        }
        let with_tags = loaded
            .iter()
            .flat_map(|u| u.get(User::posts))
            .filter(|p| p.get(Post::tags).len() == tags.len())
            .count();
        assert!(with_tags >= 12, "{db}: the new posts carry every tag");
    }
}
