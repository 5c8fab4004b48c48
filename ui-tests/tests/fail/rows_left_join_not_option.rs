use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::row! { pub struct Author { pub name: String, pub title: String } }

fn main() {
    // A user without posts has no title: the LEFT JOIN's column needs an `Option<String>` field.
    let _ = select((User::name, Post::title)).left_join(User::posts).row::<Author, _>();
}
