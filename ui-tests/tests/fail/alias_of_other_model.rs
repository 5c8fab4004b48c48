// A relationship to `User` cannot name its target with an alias of `Post`.
use azoth::prelude::*;
use azoth_ui_tests::Post;

azoth::alias!(pub Other = Post);

fn main() {
    let _ = select(Post::title).join(Post::author.aliased(Other));
}
