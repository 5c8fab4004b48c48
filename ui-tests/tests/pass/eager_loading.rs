//! Loading relationships and reading what was loaded.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn feed(s: &mut Session) -> azoth::Result<Vec<String>> {
    let users = s.all(User::select().options(selectin(User::posts).then(selectin(Post::author)))).await?;
    let mut out = Vec::new();
    for u in &users {
        for p in u.get(User::posts) {
            let author: &User = p.get(Post::author);
            out.push(format!("{} by {}", p.title, author.name));
        }
    }
    Ok(out)
}

fn main() {
    let _ = feed;
}
