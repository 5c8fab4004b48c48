use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = Post::select().order_by(User::name.desc());
}
