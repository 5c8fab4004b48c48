use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::User;

async fn lock(s: &mut Session<typed::Sqlite>) -> azoth::Result<Vec<User>> {
    s.all(User::select().for_update()).await
}

fn main() {
    let _ = lock;
}
