//! The quick start, run for real: `cargo run --example quickstart`.
//!
//! Runs on an in-memory SQLite database, or on the database `DATABASE_URL` names
//! (`postgres://…`, `mysql://…`). Prints each step and the SQL it ran.

use azoth::prelude::*;
use futures::TryStreamExt;

azoth::model! {
    /// A registered user.
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        #[max_len = 50] pub name: String,
        #[unique] pub email: String,
        pub bio: Option<String>,
        #[server_default(now())] pub created: chrono::DateTime<chrono::Utc>,
    }
    relations {
        posts: has_many(Post, Post::author_id),
    }
}

azoth::model! {
    /// A post by a user.
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        pub title: String,
        pub content: String,
        #[references(User::id, on_delete = cascade)] #[index] pub author_id: i64,
    }
    relations {
        author: belongs_to(User, Post::author_id),
    }
}

fn step(title: &str, sql: &str) {
    println!("\n== {title}\n   {sql}");
}

/// Users matching whichever filters are given (the seed's `search_users`).
fn search_users(
    name: Option<&str>,
    email_domain: Option<&str>,
) -> Select<From1<User>, Whole<User>> {
    let mut filters: Vec<Boxed<User>> = Vec::new();
    if let Some(name) = name {
        filters.push(User::name.ilike(format!("%{name}%")).boxed());
    }
    if let Some(domain) = email_domain {
        filters.push(User::email.ends_with(&format!("@{domain}")).boxed());
    }
    User::select().filter(and_all(filters)).order_by(User::id)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> azoth::Result<()> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite::memory:".into());
    let engine = Engine::connect(&url).await?;
    let b = engine.backend();
    println!("azoth quick start on {} ({url})", b.name());

    engine.drop_all::<(User, Post)>().await?;
    engine.create_all::<(User, Post)>().await?;
    step(
        "create the schema",
        "CREATE TABLE users (...); CREATE TABLE posts (...)",
    );

    let mut s = engine.session();
    let mut tx = s.begin().await?;
    let ann = tx
        .insert(NewUser {
            name: "ann".into(),
            email: "ann@example.org".into(),
            bio: None,
            created: None,
        })
        .await?;
    let bob = tx
        .insert(NewUser {
            name: "bob".into(),
            email: "bob@example.com".into(),
            bio: Some("hi".into()),
            created: None,
        })
        .await?;
    tx.commit().await?;
    step(
        "create users in a transaction",
        &insert(NewUser {
            name: "ann".into(),
            email: "…".into(),
            bio: None,
            created: None,
        })
        .to_sql(b)
        .0,
    );
    println!("   -> {ann:?}\n   -> id {} for bob", bob.id);

    let q = User::select().filter(User::id.eq(ann.id));
    step("read it back", &q.render(b).0);
    let found: Option<User> = s.one_or_none(q).await?;
    println!("   -> {found:?}");

    let u = update(User::TABLE)
        .set(User::email, "ann@new.example.org")
        .filter(User::id.eq(ann.id));
    step("update the email", &u.to_sql(b).0);
    println!("   -> {} row(s) updated", s.execute(u).await?);

    let posts = (0..25).map(|i| NewPost {
        title: if i % 3 == 0 {
            format!("Rust tip {i}")
        } else {
            format!("Note {i}")
        },
        content: "…".into(),
        author_id: if i % 2 == 0 { ann.id } else { bob.id },
    });
    step(
        "insert 25 posts in one statement",
        &format!(
            "INSERT INTO posts (...) VALUES (...), ... -> {} rows",
            s.execute(insert_many(posts)).await?
        ),
    );

    for (name, domain) in [
        (Some("AN"), None),
        (None, Some("example.com")),
        (None, None),
    ] {
        let q = search_users(name, domain);
        step(
            &format!("search users (name {name:?}, domain {domain:?})"),
            &q.render(b).0,
        );
        let names: Vec<String> = s.all(q).await?.into_iter().map(|u| u.name).collect();
        println!("   -> {names:?}");
    }

    for page in 0..2 {
        let q = Post::select()
            .filter(Post::title.ilike("%rust%").and(Post::author_id.eq(ann.id)))
            .order_by(Post::id.desc())
            .limit(2)
            .offset(page * 2);
        step(
            &format!("page {} of ann's Rust posts", page + 1),
            &q.render(b).0,
        );
        let titles: Vec<String> = s.all(q).await?.into_iter().map(|p| p.title).collect();
        println!("   -> {titles:?}");
    }

    let counts = select((User::name, count(Post::id)))
        .join(User::posts)
        .group_by((User::id, User::name))
        .order_by(count(Post::id).desc());
    step("count posts per user", &counts.render(b).0);
    let counts: Vec<(String, i64)> = s.all(counts).await?;
    println!("   -> {counts:?}");

    let before = engine.statements_run();
    let q = Post::select()
        .filter(Post::title.ilike("%rust%"))
        .order_by(Post::id)
        .limit(3);
    step(
        "eager-load each post's author (selectin: one extra query)",
        &q.render(b).0,
    );
    let posts = s.all(q.options(selectin(Post::author))).await?;
    for p in &posts {
        println!("   -> {} by {}", p.title, p.get(Post::author).name);
    }
    println!(
        "   ({} statements for {} posts and their authors)",
        engine.statements_run() - before,
        posts.len()
    );

    let before = engine.statements_run();
    let users = s
        .all(
            User::select()
                .order_by(User::id)
                .options(joined(User::posts)),
        )
        .await?;
    step(
        "users with their posts (joined: one LEFT OUTER JOIN query)",
        "SELECT … FROM (SELECT … FROM users ORDER BY id) AS users LEFT JOIN posts …",
    );
    for u in &users {
        println!("   -> {} has {} posts", u.name, u.get(User::posts).len());
    }
    println!("   ({} statement)", engine.statements_run() - before);

    let raw = text("SELECT name, email FROM users WHERE id = :id").bind("id", bob.id);
    step("raw SQL with a named bind", &raw.render(b)?.0);
    let row: (String, String) = s.one(raw.returns()).await?;
    println!("   -> {row:?}");

    let q = User::select().order_by(User::name);
    step("stream users, one row at a time", &q.render(b).0);
    let mut stream = s.stream(q);
    while let Some(user) = stream.try_next().await? {
        println!("   -> {} <{}>", user.name, user.email);
    }
    drop(stream);

    println!("\n{} statements ran.", engine.statements_run());
    Ok(())
}
