use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select((User::name, Post::title))
        .left_join(Post::TABLE.on(Post::author_id.eq(User::id)))
        .row::<(String, String), _>();
}
