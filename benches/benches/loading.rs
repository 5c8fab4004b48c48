//! Diesel's `loading_associations_sequentially` workload: 100 users × 10 posts × 10 comments,
//! loaded as users with their posts with their comments. azoth's `selectin` and `joined`
//! against hand-written sqlx (three queries, grouped by hand), on a SQLite file and on
//! PostgreSQL when `AZOTH_BENCH_POSTGRES_URL` is set.

use std::collections::HashMap;

use azoth::prelude::*;
use criterion::{Criterion, criterion_group, criterion_main};

azoth::model! {
    #[table = "bl_users"]
    pub struct User { #[primary_key] pub id: i64, pub name: String }
    relations { posts: has_many(Post, Post::user_id) }
}

azoth::model! {
    #[table = "bl_posts"]
    pub struct Post { #[primary_key] pub id: i64, #[references(User::id)] pub user_id: i64, pub title: String }
    relations { comments: has_many(Comment, Comment::post_id) }
}

azoth::model! {
    #[table = "bl_comments"]
    pub struct Comment { #[primary_key] pub id: i64, #[references(Post::id)] pub post_id: i64, pub text: String }
}

/// The hand-written result: users with posts with comments.
pub struct HandUser {
    pub id: i64,
    pub name: String,
    pub posts: Vec<HandPost>,
}

pub struct HandPost {
    pub id: i64,
    pub title: String,
    pub comments: Vec<(i64, String)>,
}

enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

async fn seed(engine: &Engine) {
    engine.drop_all::<(User, Post, Comment)>().await.unwrap();
    engine.create_all::<(User, Post, Comment)>().await.unwrap();
    let mut s = engine.session();
    s.execute(insert_many((0..100).map(|i| NewUser { name: format!("user {i}") }))).await.unwrap();
    s.execute(insert_many((0..1000).map(|i| NewPost { user_id: i / 10 + 1, title: format!("post {i}") }))).await.unwrap();
    s.execute(insert_many((0..10_000).map(|i| NewComment { post_id: i / 10 + 1, text: format!("comment {i}") })))
        .await
        .unwrap();
}

macro_rules! hand_load {
    ($pool:expr) => {{
        let users: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM bl_users ORDER BY id").fetch_all($pool).await.unwrap();
        let ids = users.iter().map(|u| u.0.to_string()).collect::<Vec<_>>().join(", ");
        let posts: Vec<(i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, user_id, title FROM bl_posts WHERE user_id IN ({ids}) ORDER BY id"
        )))
        .fetch_all($pool)
        .await
        .unwrap();
        let post_ids = posts.iter().map(|p| p.0.to_string()).collect::<Vec<_>>().join(", ");
        let comments: Vec<(i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, post_id, text FROM bl_comments WHERE post_id IN ({post_ids}) ORDER BY id"
        )))
        .fetch_all($pool)
        .await
        .unwrap();
        let mut by_post: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
        for (id, post_id, text) in comments {
            by_post.entry(post_id).or_default().push((id, text));
        }
        let mut by_user: HashMap<i64, Vec<HandPost>> = HashMap::new();
        for (id, user_id, title) in posts {
            let comments = by_post.remove(&id).unwrap_or_default();
            by_user.entry(user_id).or_default().push(HandPost { id, title, comments });
        }
        users
            .into_iter()
            .map(|(id, name)| HandUser { id, name, posts: by_user.remove(&id).unwrap_or_default() })
            .collect::<Vec<_>>()
    }};
}

async fn hand(raw: &Raw) -> Vec<HandUser> {
    match raw {
        Raw::Sqlite(p) => hand_load!(p),
        Raw::Postgres(p) => hand_load!(p),
    }
}

fn count_comments_hand(users: &[HandUser]) -> usize {
    users.iter().flat_map(|u| &u.posts).map(|p| p.comments.len()).sum()
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let mut setups: Vec<(&str, Engine, Raw)> = Vec::new();
    let path = std::env::temp_dir().join("azoth-bench-loading.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite:{}", path.display());
    rt.block_on(async {
        let engine = Engine::connect(&url).await.unwrap();
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        setups.push(("sqlite", engine, Raw::Sqlite(pool)));
        if let Ok(pg) = std::env::var("AZOTH_BENCH_POSTGRES_URL") {
            let engine = Engine::connect(&pg).await.unwrap();
            let pool = sqlx::PgPool::connect(&pg).await.unwrap();
            setups.push(("postgres", engine, Raw::Postgres(pool)));
        }
        for (_, engine, _) in &setups {
            seed(engine).await;
        }
    });
    for (label, engine, raw) in &setups {
        let mut g = c.benchmark_group(format!("users_posts_comments/{label}"));
        g.sample_size(20);
        g.bench_function("azoth_selectin", |b| {
            b.to_async(&rt).iter(|| async {
                let mut s = engine.session();
                let users = s
                    .all(User::select().order_by(User::id).options(selectin(User::posts).then(selectin(Post::comments))))
                    .await
                    .unwrap();
                let n: usize = users.iter().flat_map(|u| u.get(User::posts)).map(|p| p.get(Post::comments).len()).sum();
                assert_eq!(n, 10_000);
                users
            })
        });
        g.bench_function("azoth_joined_posts", |b| {
            b.to_async(&rt).iter(|| async {
                let mut s = engine.session();
                let users = s
                    // Posts come in the parent query; comments, one level down, load with selectin.
                    .all(User::select().order_by(User::id).options(joined(User::posts).then(selectin(Post::comments))))
                    .await
                    .unwrap();
                let n: usize = users.iter().flat_map(|u| u.get(User::posts)).map(|p| p.get(Post::comments).len()).sum();
                assert_eq!(n, 10_000);
                users
            })
        });
        g.bench_function("sqlx_by_hand", |b| {
            b.to_async(&rt).iter(|| async {
                let users = hand(raw).await;
                assert_eq!(count_comments_hand(&users), 10_000);
                users
            })
        });
        g.finish();
    }
}

criterion_group!(loading, benches);
criterion_main!(loading);
