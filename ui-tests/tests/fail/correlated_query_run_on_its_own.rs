use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

// A subquery reading the outer `User` row, run as a query of its own.
async fn posts(s: &mut Session) -> azoth::Result<Vec<Post>> {
    s.all(Post::select().correlate::<User>().filter(Post::author_id.eq(User::id))).await
}

fn main() {
    let _ = posts;
}
