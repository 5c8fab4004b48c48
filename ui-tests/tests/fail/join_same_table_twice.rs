// Joining `users` twice without an alias leaves `User::name` ambiguous.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select(Post::title)
        .join(Post::author)
        .join(User::TABLE.on(User::id.eq(Post::author_id)))
        .filter(User::name.eq("ann"));
}
