//! The correct forms of the mistakes in `tests/fail/{update_without_set, filter_with_a_query,
//! join_without_on, coalesce_value_of_other_type}.rs`.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::model! {
    #[table = "tags"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        pub label: String,
    }
}

async fn reset(s: &mut Session) -> azoth::Result<u64> {
    s.execute(
        update(User::TABLE)
            .set(User::karma, 0)
            .filter(User::id.eq(1)),
    )
    .await
}

fn main() {
    let _ = reset;
    let _ = User::select()
        .filter(User::id.in_query(select(Post::author_id).filter(Post::likes.gt(10))));
    let _ = User::select().filter(exists(select(Post::id).filter(Post::likes.gt(10))));
    let _ = User::select().join(Tag::TABLE.on(Tag::label.eq(User::name)));
    let _ = select(coalesce(User::bio, ""));
}
