use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::row! { pub struct PostCard { pub title: String, pub author_name: String, pub comment_count: i64 } }

fn main() {
    let _ = select((Post::title, User::name)).join(Post::author).row::<PostCard, _>();
}
