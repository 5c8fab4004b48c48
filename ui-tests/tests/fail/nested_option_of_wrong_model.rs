use azoth::prelude::*;
use azoth_ui_tests::User;

async fn users(s: &mut Session) -> azoth::Result<()> {
    let _ = s.all(User::select().options(selectin(User::posts).then(selectin(User::posts)))).await?;
    Ok(())
}

fn main() {
    let _ = users;
}
