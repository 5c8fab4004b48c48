// HAVING on a column that is neither grouped nor aggregated.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select((User::name, count(Post::id)))
        .join(User::posts)
        .group_by(User::id)
        .having(Post::likes.gt(10));
}
