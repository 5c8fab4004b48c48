//! Table aliases: one table joined twice (a post's author and editor, two tags of a post) and a
//! table joined to itself (an employee, her manager and his manager); on every backend.

mod common;

use azoth::prelude::*;

azoth::model! {
    #[table = "a_users"]
    pub struct User {
        #[primary_key] pub id: i64,
        pub name: String,
    }
}

azoth::model! {
    #[table = "a_posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        pub title: String,
        #[references(User::id)] pub author_id: i64,
        #[references(User::id)] pub editor_id: Option<i64>,
    }
    relations {
        author: belongs_to(User, Post::author_id),
        editor: belongs_to(User, Post::editor_id),
        tags: many_to_many(Tag, PostTag, PostTag::post_id, PostTag::tag_id),
    }
}

azoth::model! {
    #[table = "a_tags"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        pub label: String,
    }
}

azoth::model! {
    #[table = "a_post_tags"]
    pub struct PostTag {
        #[primary_key(manual)] #[references(Post::id)] pub post_id: i64,
        #[primary_key(manual)] #[references(Tag::id)] pub tag_id: i64,
    }
}

azoth::model! {
    #[table = "a_employees"]
    pub struct Employee {
        #[primary_key] pub id: i64,
        pub name: String,
        #[references(Employee::id)] pub manager_id: Option<i64>,
    }
    relations {
        manager: belongs_to(Employee, Employee::manager_id),
    }
}

azoth::alias!(pub Editor = User);
azoth::alias!(pub Manager = Employee);
azoth::alias!(pub Grand = Employee as "grand_manager");
azoth::alias!(pub First = Tag);
azoth::alias!(pub Second = Tag);

type Models = (User, Post, Tag, PostTag, Employee);

async fn seed(s: &mut Session) {
    for name in ["ann", "bob", "cy"] {
        s.insert(NewUser { name: name.into() }).await.unwrap();
    }
    for (title, author, editor) in [("a", 1, Some(2)), ("b", 2, None), ("c", 3, Some(1))] {
        s.insert(NewPost {
            title: title.into(),
            author_id: author,
            editor_id: editor,
        })
        .await
        .unwrap();
    }
    for label in ["rust", "sql"] {
        s.insert(NewTag {
            label: label.into(),
        })
        .await
        .unwrap();
    }
    for (post_id, tag_id) in [(1, 1), (1, 2), (2, 1), (3, 2)] {
        s.insert(NewPostTag { post_id, tag_id }).await.unwrap();
    }
    for (name, manager) in [("boss", None), ("mid", Some(1)), ("dev", Some(2))] {
        s.insert(NewEmployee {
            name: name.into(),
            manager_id: manager,
        })
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn one_table_joined_twice_under_an_alias() {
    for engine in common::engines("alias_twice").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        let rows: Vec<(String, String, Option<String>)> = s
            .all(
                select((Post::title, User::name, Editor.col(User::name)))
                    .join(Post::author)
                    .left_join(Post::editor.aliased(Editor))
                    .order_by(Post::id),
            )
            .await
            .unwrap();
        let expected = [
            ("a", "ann", Some("bob")),
            ("b", "bob", None),
            ("c", "cy", Some("ann")),
        ]
        .map(|(t, a, e)| (t.to_owned(), a.to_owned(), e.map(str::to_owned)));
        assert_eq!(rows, expected, "{db}");

        // A whole aliased row decodes into the model, an Option of it after a LEFT JOIN.
        let rows: Vec<(Post, Option<User>)> = s
            .all(
                select((Whole::<Post>::new(), Editor.all()))
                    .left_join(Post::editor.aliased(Editor))
                    .order_by(Post::id),
            )
            .await
            .unwrap();
        let editors: Vec<Option<&str>> = rows
            .iter()
            .map(|(_, e)| e.as_ref().map(|u| u.name.as_str()))
            .collect();
        assert_eq!(editors, [Some("bob"), None, Some("ann")], "{db}");

        // A many-to-many joined twice: posts tagged both rust and sql.
        let both: Vec<String> = s
            .all(
                select(Post::title)
                    .join(Post::tags.aliased(First))
                    .join(Post::tags.aliased(Second))
                    .filter(First.col(Tag::label).eq("rust"))
                    .filter(Second.col(Tag::label).eq("sql")),
            )
            .await
            .unwrap();
        assert_eq!(both, ["a"], "{db}");
    }
}

#[tokio::test]
async fn a_table_joined_to_itself() {
    for engine in common::engines("alias_self").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;

        // Along the relationship, twice: the manager, then the manager's manager.
        let chain: Vec<(String, Option<String>, Option<String>)> = s
            .all(
                select((
                    Employee::name,
                    Manager.col(Employee::name),
                    Grand.col(Employee::name),
                ))
                .left_join(Employee::manager.aliased(Manager))
                .left_join(Employee::manager.starting_at(Manager).aliased(Grand))
                .order_by(Employee::id),
            )
            .await
            .unwrap();
        let expected = [
            ("boss", None, None),
            ("mid", Some("boss"), None),
            ("dev", Some("mid"), Some("boss")),
        ]
        .map(|(e, m, g)| (e.to_owned(), m.map(str::to_owned), g.map(str::to_owned)));
        assert_eq!(chain, expected, "{db}");

        // On an explicit condition, filtered by the alias.
        let reports: Vec<String> = s
            .all(
                select(Employee::name)
                    .join(Manager::TABLE.on(Employee::manager_id.eq(Manager.col(Employee::id))))
                    .filter(Manager.col(Employee::name).eq("boss")),
            )
            .await
            .unwrap();
        assert_eq!(reports, ["mid"], "{db}");
    }
}

#[tokio::test]
async fn a_parent_query_with_an_alias_takes_loader_options() {
    for engine in common::engines("alias_loading").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let parents = || {
            Post::select()
                .join(Post::editor.aliased(Editor))
                .order_by(Editor.col(User::name).desc())
        };
        for options in [joined(Post::author), selectin(Post::author)] {
            let posts = s.all(parents().options(options)).await.unwrap();
            let got: Vec<(&str, &str)> = posts
                .iter()
                .map(|p| (p.title.as_str(), p.get(Post::author).name.as_str()))
                .collect();
            assert_eq!(got, [("a", "ann"), ("c", "cy")], "{db}: ordered by editor");
        }
    }
}
