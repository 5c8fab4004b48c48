use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = update(User::TABLE).set(Post::title, "hello");
}
