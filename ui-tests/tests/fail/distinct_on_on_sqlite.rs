use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::Post;

async fn latest_per_author(s: &mut Session<typed::Sqlite>) -> azoth::Result<Vec<Post>> {
    s.all(Post::select().distinct_on(Post::author_id).order_by(Post::id.desc()))
        .await
}

fn main() {
    let _ = latest_per_author;
}
