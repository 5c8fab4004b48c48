use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = update(User::TABLE).set(User::karma, "lots");
}
