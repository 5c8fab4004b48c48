// Conditions along relationships: `any(condition)` and `exists()`, in filters and combined.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = User::select()
        .filter(User::posts.any(Post::likes.gt(10)).or(User::karma.gt(100)))
        .to_sql(Backend::Postgres);
    let _ = Post::select().filter(Post::author.any(User::name.eq("ann"))).to_sql(Backend::MySql);
    let _ = select(User::name).filter(User::posts.exists().not()).to_sql(Backend::Sqlite);
}
