//! The blog's tables: users write posts, posts carry tags.

use azoth::prelude::*;

// ANCHOR: user
azoth::model! {
    /// Someone who writes posts: served as JSON as it is stored, and `POST /users` reads a
    /// `NewUser` from the request body.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[new(derive(serde::Deserialize))]
    #[new(serde(deny_unknown_fields))]
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        #[max_len = 50] pub name: String,
        #[unique] #[max_len = 200] pub email: String,
        #[server_default(now())] #[serde(skip)] #[new(serde(skip))] pub joined: chrono::DateTime<chrono::Utc>,
    }
    relations {
        posts: has_many(Post, Post::author_id),
    }
}
// ANCHOR_END: user

azoth::model! {
    /// A post, addressed by its unique slug.
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        #[references(User::id, on_delete = cascade)] #[index] pub author_id: i64,
        #[unique] #[max_len = 200] pub slug: String,
        #[max_len = 200] pub title: String,
        pub body: String,
    }
    relations {
        author: belongs_to(User, Post::author_id),
        tags: many_to_many(Tag, PostTag, PostTag::post_id, PostTag::tag_id),
    }
}

azoth::model! {
    /// A label shared by posts.
    #[table = "tags"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        #[unique] #[max_len = 50] pub name: String,
    }
}

azoth::model! {
    /// The association of `Post::tags`.
    #[table = "post_tags"]
    pub struct PostTag {
        #[primary_key(manual)] #[references(Post::id, on_delete = cascade)] pub post_id: i64,
        #[primary_key(manual)] #[references(Tag::id, on_delete = cascade)] pub tag_id: i64,
    }
}

/// Every table, in creation order (for `create_all` / `drop_all`).
pub type Schema = (User, Post, Tag, PostTag);
