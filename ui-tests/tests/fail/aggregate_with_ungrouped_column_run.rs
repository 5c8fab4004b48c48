// The same mistake in a query that is run.
use azoth::prelude::*;
use azoth_ui_tests::Post;

async fn most_liked(s: &mut Session) -> azoth::Result<Vec<(String, Option<i32>)>> {
    s.all(select((Post::title, max(Post::likes)))).await
}

fn main() {
    let _ = most_liked;
}
