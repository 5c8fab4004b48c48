use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select((User::id, User::name)).row::<(String, String), _>();
}
