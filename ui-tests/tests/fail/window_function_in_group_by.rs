// GROUP BY is evaluated before window functions: a query cannot group by one.
use azoth::prelude::*;
use azoth_ui_tests::Post;

fn main() {
    let bucket = ntile(4).over(Window::new().order_by(Post::likes));
    let _ = select(count_all()).from(Post::TABLE).group_by((Post::author_id, bucket));
}
