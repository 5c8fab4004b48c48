use azoth::prelude::*;
use azoth_ui_tests::User;

async fn reset(s: &mut Session) -> azoth::Result<u64> {
    s.execute(update(User::TABLE)).await
}

fn main() {
    let _ = reset;
}
