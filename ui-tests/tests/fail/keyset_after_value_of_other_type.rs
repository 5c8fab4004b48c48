use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    // The ordering is (name, id): the last row's id is an i64, not text.
    let _ = User::select()
        .keyset((User::name.asc(), User::id.asc()))
        .after(("ann", "42"))
        .limit(20);
}
