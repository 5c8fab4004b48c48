//! Row structs (`azoth::row!`): checked against the selection, decoded field by field.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::row! {
    /// A post as the front page lists it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct PostCard {
        pub title: String,
        /// The author's name.
        pub author_name: String,
        pub comment_count: i64,
    }
}

azoth::row! { #[allow(dead_code)] struct Author { name: String, title: Option<String>, best: Option<i32> } }

azoth::row! { #[allow(dead_code)] pub(crate) struct NameOnly { pub name: String } }

azoth::row! { pub struct WithModel { pub post: Post, pub author: Option<User> } }

fn main() {
    let _ = select((Post::title, User::name, count(Post::id)))
        .join(Post::author)
        .group_by((Post::title, User::name))
        .row::<PostCard, _>();
    let _ = select((User::name, Post::title, max(Post::likes)))
        .left_join(User::posts)
        .group_by((User::name, Post::title))
        .row::<Author, _>();
    let _ = select(User::name).row::<NameOnly, _>();
    let _ = select((Whole::<Post>::new(), Whole::<User>::new()))
        .left_join(Post::author)
        .row::<WithModel, _>();
}
