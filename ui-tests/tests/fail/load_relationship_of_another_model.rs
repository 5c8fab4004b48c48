use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn posts(s: &mut Session) -> azoth::Result<()> {
    let _ = s.all(Post::select().options(selectin(User::posts))).await?;
    Ok(())
}

fn main() {
    let _ = posts;
}
