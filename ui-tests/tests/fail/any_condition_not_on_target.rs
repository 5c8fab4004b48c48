// `rel.any(condition)` takes a condition on the relationship's target.
use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = User::select().filter(User::posts.any(User::karma.gt(3)));
}
