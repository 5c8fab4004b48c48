// HAVING is evaluated before window functions: a window function cannot filter groups.
use azoth::prelude::*;
use azoth_ui_tests::Post;

fn main() {
    let w = Window::new().order_by(count_all().desc());
    let q = select((Post::author_id, count_all())).group_by(Post::author_id);
    let _ = q.having(count_all().gt(rank().over(w)));
}
