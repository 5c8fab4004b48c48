//! The quick start's blog schema.
#![allow(dead_code)]

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
}

azoth::model! {
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        pub title: String,
        #[references(User::id, on_delete = cascade)] #[index] pub author_id: i64,
        #[server_default(0)] pub likes: i32,
    }
}

pub fn new_user(name: &str) -> NewUser {
    NewUser {
        name: name.into(),
        email: format!("{name}@x.org"),
        bio: None,
        karma: None,
        created: None,
    }
}

pub fn new_post(author_id: i64, title: &str, likes: i32) -> NewPost {
    NewPost {
        title: title.into(),
        author_id,
        likes: Some(likes),
    }
}
