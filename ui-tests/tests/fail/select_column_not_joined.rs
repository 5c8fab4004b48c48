use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let q = select((User::name, Post::title));
    let _ = q.to_sql(Backend::Postgres);
}
