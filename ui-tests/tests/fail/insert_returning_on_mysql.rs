use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::{NewUser, User};

async fn create(s: &mut Session<typed::MySql>, new: NewUser) -> azoth::Result<Vec<i64>> {
    s.insert_returning(insert(new).returning(User::id)).await
}

fn main() {
    let _ = create;
}
