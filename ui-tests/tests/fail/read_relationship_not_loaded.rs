use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn titles(s: &mut Session) -> azoth::Result<()> {
    let posts = s.all(Post::select().options(selectin(Post::author))).await?;
    for u in s.all(User::select().options(selectin(User::posts).then(selectin(Post::author)))).await? {
        let _ = u.get(User::posts);
    }
    let _ = posts[0].get(User::posts);
    Ok(())
}

fn main() {
    let _ = titles;
}
