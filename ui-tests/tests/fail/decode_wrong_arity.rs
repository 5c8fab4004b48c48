use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select((User::id, User::name, User::email)).row::<(i64, String), _>();
}
