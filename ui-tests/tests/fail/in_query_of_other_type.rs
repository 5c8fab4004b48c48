// `in_query` compares with a subquery selecting one value of the same SQL type.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = User::select().filter(User::id.in_query(select(Post::title)));
}
