use azoth::prelude::*;
use azoth_ui_tests::NewUser;

fn main() {
    let _ = insert(NewUser { name: "ann".into(), bio: None, karma: None, created: None });
}
