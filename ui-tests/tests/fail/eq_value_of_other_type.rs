use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = User::select().filter(User::id.eq("x"));
}
