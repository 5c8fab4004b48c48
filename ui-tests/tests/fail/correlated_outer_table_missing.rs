use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    // The subquery reads the outer `User` row, but the outer query selects from `Post` alone.
    let by_author = Post::select().correlate::<User>().filter(Post::author_id.eq(User::id));
    let _ = select(Post::title).filter(exists(by_author));
}
