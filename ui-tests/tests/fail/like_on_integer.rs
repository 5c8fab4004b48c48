use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = User::select().filter(User::karma.like("1%"));
}
