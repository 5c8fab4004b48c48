// An alias of `User` has `User`'s columns only.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::alias!(pub Author = User);

fn main() {
    let _ = select(Post::title)
        .join(Post::author.aliased(Author))
        .filter(Author.col(Post::title).eq("x"));
}
