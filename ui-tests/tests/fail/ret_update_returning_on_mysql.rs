use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::User;

async fn bump(s: &mut Session<typed::MySql>) -> azoth::Result<Vec<i32>> {
    s.all(update(User::TABLE).set(User::karma, User::karma.add(1)).returning(User::karma)).await
}

fn main() {
    let _ = bump;
}
