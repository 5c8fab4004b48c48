use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    // A subquery reading the outer `User` row must declare it: `.correlate::<User>()`.
    let by_author = Post::select().filter(Post::author_id.eq(User::id));
    let _ = select(User::name).filter(exists(by_author));
}
