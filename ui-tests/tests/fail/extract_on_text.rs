use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select(extract(DatePart::Year, User::name));
}
