use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select(Post::title).join(User::posts).to_sql(Backend::Postgres);
}
