// An alias names a table only once it is joined.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::alias!(pub Author = User);

fn main() {
    let _ = select(Post::title).filter(Author.col(User::name).eq("ann"));
}
