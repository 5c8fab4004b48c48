//! The schema the compile-fail and compile-pass cases in `tests/` share.
//!
//! Each case in `tests/fail/` is one schema mistake; its `.stderr` is the error users see.
//! Cases in `tests/pass/` are the correct forms, which must keep compiling.

use azoth::prelude::*;

azoth::model! {
    /// A registered user.
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        #[max_len = 50] pub name: String,
        #[unique] pub email: String,
        pub bio: Option<String>,
        #[server_default(0)] pub karma: i32,
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
        #[references(User::id, on_delete = cascade)] pub author_id: i64,
        pub likes: i32,
    }
    relations {
        author: belongs_to(User, Post::author_id),
    }
}

/// The guide's code blocks (`docs/src/*.md`), compiled and run as doctests.
#[cfg(doctest)]
pub mod guide;
