use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::row! { pub struct PostCard { pub title: String, pub author_name: String, pub comment_count: String } }

fn main() {
    let _ = select((Post::title, User::name, count(Post::id)))
        .join(Post::author)
        .group_by((Post::title, User::name))
        .row::<PostCard, _>();
}
