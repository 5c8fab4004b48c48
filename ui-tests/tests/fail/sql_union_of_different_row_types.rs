use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select((User::id, User::name)).union(select((Post::id, Post::likes)));
}
