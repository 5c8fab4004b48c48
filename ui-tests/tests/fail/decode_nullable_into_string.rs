use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select((User::name, User::bio)).row::<(String, String), _>();
}
