use azoth::prelude::*;
use azoth_ui_tests::Post;

fn main() {
    let _ = Post::select().filter(Post::title.eq(Post::likes));
}
