use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = Post::select().filter(Post::likes.gt(1).and(User::name.eq("ann")));
}
