// ORDER BY a column that is neither grouped nor aggregated: the order of the groups would come
// from an arbitrary row.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select((User::name, count(Post::id)))
        .join(User::posts)
        .group_by(User::id)
        .order_by(Post::likes.desc());
}
