// Grouped by the user, a post's title is neither grouped nor aggregated: one title per user
// would be picked from an arbitrary row (SQLite, MariaDB).
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let q = select((User::name, Post::title, count(Post::id)))
        .join(Post::TABLE.on(Post::author_id.eq(User::id)))
        .group_by(User::id);
    let _ = q.to_sql(Backend::Sqlite);
}
