use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn names(s: &mut Session) -> azoth::Result<Vec<(i64, String)>> {
    s.all(
        select((User::id, User::name))
            .intersect(select((Post::author_id, Post::title)))
            .union_all(select((Post::id, Post::title)))
            .except(select((User::id, User::email)))
            .order_by(User::name)
            .limit(10),
    )
    .await
}

fn main() {
    let _ = names;
}
