use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::User;

async fn take(s: &mut Session<typed::Postgres>) -> azoth::Result<Option<User>> {
    s.first(User::select().order_by(User::id).for_update().skip_locked())
        .await
}

async fn any(s: &mut Session) -> azoth::Result<Vec<User>> {
    s.all(User::select().for_share().nowait()).await
}

fn main() {
    let _ = (take, any);
}
