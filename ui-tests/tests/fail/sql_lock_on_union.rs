use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select(User::id).union(select(Post::author_id)).for_update();
}
