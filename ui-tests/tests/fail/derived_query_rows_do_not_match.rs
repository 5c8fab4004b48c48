use azoth::prelude::*;
use azoth_ui_tests::Post;

azoth::derived! { pub struct Likes { author_id: i64, total: i64 } }

fn main() {
    // `sum` may be NULL: the column is `Option<i64>`, and `likes` is an `i32` summed.
    let _ = Likes::from_query(select((Post::author_id, sum(Post::likes))).group_by(Post::author_id));
}
