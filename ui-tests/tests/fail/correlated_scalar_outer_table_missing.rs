use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    // A correlated scalar subquery in the selection of a query without its outer table.
    let posts = select(count_all()).from(Post::TABLE).correlate::<User>().filter(Post::author_id.eq(User::id));
    let _ = select((Post::title, posts.scalar())).to_sql(Backend::Postgres);
}
