//! Diesel's `loading_associations_sequentially` workload: 100 users × 10 posts × 10 comments,
//! loaded as users with their posts with their comments. azoth's `selectin`, `joined` then
//! `selectin`, and `joined` then `joined`
//! against hand-written sqlx (three queries, grouped by hand), SeaORM's loader (`load_many`) and
//! Diesel's `belonging_to`/`grouped_by`, on a SQLite file and on PostgreSQL when
//! `AZOTH_BENCH_POSTGRES_URL` is set. Every peer reads the same tables (azoth's `create_all`), whose
//! foreign keys are indexed as a user declares them (`#[index]`).

use std::collections::HashMap;

use azoth::prelude::*;
use criterion::{Criterion, criterion_group, criterion_main};

azoth::model! {
    #[table = "bench_users"]
    pub struct User { #[primary_key] pub id: i64, pub name: String }
    relations { posts: has_many(Post, Post::user_id) }
}

azoth::model! {
    #[table = "bench_posts"]
    pub struct Post { #[primary_key] pub id: i64, #[references(User::id)] #[index] pub user_id: i64, pub title: String }
    relations { comments: has_many(Comment, Comment::post_id) }
}

azoth::model! {
    #[table = "bench_comments"]
    pub struct Comment { #[primary_key] pub id: i64, #[references(Post::id)] #[index] pub post_id: i64, pub text: String }
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

mod diesel_peer {
    use diesel::prelude::*;

    diesel::table! { bench_users (id) { id -> BigInt, name -> Text, } }
    diesel::table! { bench_posts (id) { id -> BigInt, user_id -> BigInt, title -> Text, } }
    diesel::table! { bench_comments (id) { id -> BigInt, post_id -> BigInt, text -> Text, } }
    diesel::joinable!(bench_posts -> bench_users (user_id));
    diesel::joinable!(bench_comments -> bench_posts (post_id));
    diesel::allow_tables_to_appear_in_same_query!(bench_users, bench_posts, bench_comments);

    #[derive(Queryable, Identifiable, Selectable)]
    #[diesel(table_name = bench_users)]
    pub struct User {
        pub id: i64,
        pub name: String,
    }

    #[derive(Queryable, Identifiable, Selectable, Associations)]
    #[diesel(belongs_to(User, foreign_key = user_id))]
    #[diesel(table_name = bench_posts)]
    pub struct Post {
        pub id: i64,
        pub user_id: i64,
        pub title: String,
    }

    #[derive(Queryable, Identifiable, Selectable, Associations)]
    #[diesel(belongs_to(Post, foreign_key = post_id))]
    #[diesel(table_name = bench_comments)]
    pub struct Comment {
        pub id: i64,
        pub post_id: i64,
        pub text: String,
    }

    pub type Loaded = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

    macro_rules! load_fn {
        ($name:ident, $conn:ty) => {
            pub fn $name(conn: &mut $conn) -> Loaded {
                let users = bench_users::table
                    .order(bench_users::id)
                    .select(User::as_select())
                    .load(conn)
                    .unwrap();
                let posts = Post::belonging_to(&users)
                    .select(Post::as_select())
                    .load(conn)
                    .unwrap();
                let comments = Comment::belonging_to(&posts)
                    .select(Comment::as_select())
                    .load(conn)
                    .unwrap();
                let comments = comments.grouped_by(&posts);
                let posts = posts.into_iter().zip(comments).grouped_by(&users);
                users.into_iter().zip(posts).collect()
            }
        };
    }
    load_fn!(load_sqlite, SqliteConnection);
    load_fn!(load_pg, PgConnection);

    pub fn count(loaded: &Loaded) -> usize {
        loaded
            .iter()
            .flat_map(|(_, posts)| posts)
            .map(|(_, comments)| comments.len())
            .sum()
    }
}

mod sea_peer {
    pub mod user {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "bench_users")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub name: String,
        }
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            #[sea_orm(has_many = "super::post::Entity")]
            Post,
        }
        impl Related<super::post::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::Post.def()
            }
        }
        impl ActiveModelBehavior for ActiveModel {}
    }
    pub mod post {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "bench_posts")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub user_id: i64,
            pub title: String,
        }
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            #[sea_orm(
                belongs_to = "super::user::Entity",
                from = "Column::UserId",
                to = "super::user::Column::Id"
            )]
            User,
            #[sea_orm(has_many = "super::comment::Entity")]
            Comment,
        }
        impl Related<super::user::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::User.def()
            }
        }
        impl Related<super::comment::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::Comment.def()
            }
        }
        impl ActiveModelBehavior for ActiveModel {}
    }
    pub mod comment {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "bench_comments")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub post_id: i64,
            pub text: String,
        }
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            #[sea_orm(
                belongs_to = "super::post::Entity",
                from = "Column::PostId",
                to = "super::post::Column::Id"
            )]
            Post,
        }
        impl Related<super::post::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::Post.def()
            }
        }
        impl ActiveModelBehavior for ActiveModel {}
    }

    use sea_orm::{EntityTrait, LoaderTrait, QueryOrder};

    pub type Loaded = Vec<(user::Model, Vec<(post::Model, Vec<comment::Model>)>)>;

    pub async fn load(db: &sea_orm::DatabaseConnection) -> Loaded {
        let users = user::Entity::find()
            .order_by_asc(user::Column::Id)
            .all(db)
            .await
            .unwrap();
        let posts = users.load_many(post::Entity, db).await.unwrap();
        let flat: Vec<post::Model> = posts.iter().flatten().cloned().collect();
        let mut comments = flat
            .load_many(comment::Entity, db)
            .await
            .unwrap()
            .into_iter();
        users
            .into_iter()
            .zip(posts)
            .map(|(u, ps)| {
                (
                    u,
                    ps.into_iter()
                        .map(|p| (p, comments.next().unwrap_or_default()))
                        .collect(),
                )
            })
            .collect()
    }

    pub fn count(loaded: &Loaded) -> usize {
        loaded
            .iter()
            .flat_map(|(_, posts)| posts)
            .map(|(_, comments)| comments.len())
            .sum()
    }
}

enum Peer {
    Sqlite(std::sync::Mutex<diesel::SqliteConnection>),
    Postgres(std::sync::Mutex<diesel::PgConnection>),
}

enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

async fn seed(engine: &Engine) {
    engine.drop_all::<(User, Post, Comment)>().await.unwrap();
    engine.create_all::<(User, Post, Comment)>().await.unwrap();
    let mut s = engine.session();
    s.execute(insert_many((0..100).map(|i| NewUser {
        name: format!("user {i}"),
    })))
    .await
    .unwrap();
    s.execute(insert_many((0..1000).map(|i| NewPost {
        user_id: i / 10 + 1,
        title: format!("post {i}"),
    })))
    .await
    .unwrap();
    s.execute(insert_many((0..10_000).map(|i| NewComment {
        post_id: i / 10 + 1,
        text: format!("comment {i}"),
    })))
    .await
    .unwrap();
}

macro_rules! hand_load {
    ($pool:expr) => {{
        let users: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM bench_users ORDER BY id")
                .fetch_all($pool)
                .await
                .unwrap();
        let ids = users
            .iter()
            .map(|u| u.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let posts: Vec<(i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, user_id, title FROM bench_posts WHERE user_id IN ({ids}) ORDER BY id"
        )))
        .fetch_all($pool)
        .await
        .unwrap();
        let post_ids = posts
            .iter()
            .map(|p| p.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let comments: Vec<(i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, post_id, text FROM bench_comments WHERE post_id IN ({post_ids}) ORDER BY id"
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
            by_user.entry(user_id).or_default().push(HandPost {
                id,
                title,
                comments,
            });
        }
        users
            .into_iter()
            .map(|(id, name)| HandUser {
                id,
                name,
                posts: by_user.remove(&id).unwrap_or_default(),
            })
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
    users
        .iter()
        .flat_map(|u| &u.posts)
        .map(|p| p.comments.len())
        .sum()
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    use diesel::Connection;
    let mut setups: Vec<(&str, Engine, Raw, Peer, sea_orm::DatabaseConnection)> = Vec::new();
    let path = std::env::temp_dir().join("azoth-bench-loading.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite:{}", path.display());
    rt.block_on(async {
        let engine = Engine::connect(&url).await.unwrap();
        seed(&engine).await;
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let diesel = diesel::SqliteConnection::establish(&path.display().to_string()).unwrap();
        let sea = sea_orm::Database::connect(&url).await.unwrap();
        setups.push((
            "sqlite",
            engine,
            Raw::Sqlite(pool),
            Peer::Sqlite(diesel.into()),
            sea,
        ));
        if let Ok(pg) = std::env::var("AZOTH_BENCH_POSTGRES_URL") {
            let engine = Engine::connect(&pg).await.unwrap();
            seed(&engine).await;
            let pool = sqlx::PgPool::connect(&pg).await.unwrap();
            let diesel = diesel::PgConnection::establish(&pg).unwrap();
            let sea = sea_orm::Database::connect(&pg).await.unwrap();
            setups.push((
                "postgres",
                engine,
                Raw::Postgres(pool),
                Peer::Postgres(diesel.into()),
                sea,
            ));
        }
    });
    for (label, engine, raw, peer, sea) in &setups {
        let mut g = c.benchmark_group(format!("users_posts_comments/{label}"));
        g.sample_size(20);
        g.bench_function("azoth_selectin", |b| {
            b.to_async(&rt).iter(|| async {
                let mut s = engine.session();
                let users = s
                    .all(
                        User::select()
                            .order_by(User::id)
                            .options(selectin(User::posts).then(selectin(Post::comments))),
                    )
                    .await
                    .unwrap();
                let n: usize = users
                    .iter()
                    .flat_map(|u| u.get(User::posts))
                    .map(|p| p.get(Post::comments).len())
                    .sum();
                assert_eq!(n, 10_000);
                users
            })
        });
        g.bench_function("azoth_joined_posts", |b| {
            b.to_async(&rt).iter(|| async {
                let mut s = engine.session();
                let users = s
                    // Posts come in the parent query; comments, one level down, load with selectin.
                    .all(
                        User::select()
                            .order_by(User::id)
                            .options(joined(User::posts).then(selectin(Post::comments))),
                    )
                    .await
                    .unwrap();
                let n: usize = users
                    .iter()
                    .flat_map(|u| u.get(User::posts))
                    .map(|p| p.get(Post::comments).len())
                    .sum();
                assert_eq!(n, 10_000);
                users
            })
        });
        g.bench_function("azoth_joined_joined", |b| {
            b.to_async(&rt).iter(|| async {
                let mut s = engine.session();
                let users = s
                    // Posts and comments in one statement (two nested joined levels).
                    .all(
                        User::select()
                            .order_by(User::id)
                            .options(joined(User::posts).then(joined(Post::comments))),
                    )
                    .await
                    .unwrap();
                let n: usize = users
                    .iter()
                    .flat_map(|u| u.get(User::posts))
                    .map(|p| p.get(Post::comments).len())
                    .sum();
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
        g.bench_function("sea_orm_load_many", |b| {
            b.to_async(&rt).iter(|| async {
                let loaded = sea_peer::load(sea).await;
                assert_eq!(sea_peer::count(&loaded), 10_000);
                loaded
            })
        });
        g.bench_function("diesel_belonging_to", |b| {
            b.iter(|| {
                let loaded = match peer {
                    Peer::Sqlite(c) => diesel_peer::load_sqlite(&mut c.lock().unwrap()),
                    Peer::Postgres(c) => diesel_peer::load_pg(&mut c.lock().unwrap()),
                };
                assert_eq!(diesel_peer::count(&loaded), 10_000);
                loaded
            })
        });
        g.finish();
    }
}

criterion_group!(loading, benches);
criterion_main!(loading);
