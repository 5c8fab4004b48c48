// WHERE is evaluated before window functions: a window function cannot filter rows.
use azoth::prelude::*;
use azoth_ui_tests::Post;

fn main() {
    let w = Window::new().partition_by(Post::author_id).order_by(Post::id);
    let _ = select(Post::title).filter(Post::id.eq(row_number().over(w)));
}
