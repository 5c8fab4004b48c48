use azoth::prelude::*;
use azoth_ui_tests::{NewUser, Post};

fn main() {
    let new = NewUser { name: "ann".into(), email: "a@x.org".into(), bio: None, karma: None, created: None };
    let _ = insert(new).on_conflict(Post::id).do_nothing();
}
