use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = selectin(Post::author).filter(User::name.eq("ann"));
}
