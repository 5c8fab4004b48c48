use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = User::select().filter(select(Post::author_id).filter(Post::likes.gt(10)));
}
