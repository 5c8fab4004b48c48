//! Shared fixtures of the azoth benchmarks: the blog schema, declared once for azoth.

use azoth::prelude::*;

pub mod build;

azoth::model! {
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        pub name: String,
        pub email: String,
        pub karma: i32,
    }
}

azoth::model! {
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        pub title: String,
        #[references(User::id)] pub author_id: i64,
        pub likes: i32,
    }
}

/// The medium query of the construction benchmark, built with azoth: a join, three filters, an
/// order and a limit, rendered for PostgreSQL.
pub fn azoth_medium(author: i64, min_likes: i32, needle: &str) -> azoth::Rendered {
    select((User::name, Post::id, Post::title))
        .join(Post::TABLE.on(Post::author_id.eq(User::id)))
        .filter(User::id.eq(author))
        .filter(Post::likes.ge(min_likes))
        .filter(Post::title.like(needle))
        .order_by(Post::id.desc())
        .limit(20)
        .to_sql(Backend::Postgres)
}
