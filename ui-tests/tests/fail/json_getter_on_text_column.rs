use azoth::prelude::*;
use azoth_ui_tests::Post;

fn main() {
    // `title` is text, not a JSON document.
    let _ = Post::select().filter(Post::title.get_text("lang").eq("en"));
}
