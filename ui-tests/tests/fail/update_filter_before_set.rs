use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = update(User::TABLE).filter(User::id.eq(1)).set(User::karma, 1);
}
