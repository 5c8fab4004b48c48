use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn titles(s: &mut Session) -> azoth::Result<Vec<(String, String)>> {
    s.all(select((User::name, Post::title))).await
}

fn main() {
    let _ = titles;
}
