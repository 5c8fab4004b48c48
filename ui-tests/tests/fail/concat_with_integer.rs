use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select(concat((User::name, User::karma)));
}
