// A window frame cannot start at UNBOUNDED FOLLOWING.
use azoth::prelude::*;
use azoth_ui_tests::Post;

fn main() {
    let w = Window::new().order_by(Post::id).rows(UnboundedFollowing, CurrentRow);
    let _ = select(sum(Post::likes).over(w));
}
