use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::derived! { pub struct Likes { author_id: i64, total: Option<i64> } }

fn main() {
    let _likes = Likes::from_query(
        select((Post::author_id, sum(cast::<sql_types::BigInt, _>(Post::likes)))).group_by(Post::author_id),
    );
    // The query does not select from or join `likes`.
    let q = select((User::name, Likes::total));
    let _ = q.to_sql(Backend::Postgres);
}
