use azoth::prelude::*;
use azoth_ui_tests::NewUser;

fn main() {
    let _ = insert(NewUser {
        name: "ann".into(),
        email: "ann@x.org".into(),
        bio: None,
        karma: None,
        created: None,
        title: "hello".into(),
    });
}
