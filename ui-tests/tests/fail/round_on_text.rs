use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select(round(User::name));
}
