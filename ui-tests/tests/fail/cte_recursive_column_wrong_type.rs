use azoth::prelude::*;
use azoth_ui_tests::User;

azoth::derived! { pub struct Countdown { id: i64, label: String } }

fn main() {
    // The recursive part selects `(i64, i32)`, but `label` is a `String`.
    let _ = Countdown::recursive(
        select((User::id, User::name)).filter(User::id.eq(1)),
        |me| select((User::id, User::karma)).join(me.on(Countdown::id.eq(User::id))),
    );
}
