// The schema mistakes of queries are reported the same in a helper generic over `Db`.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn titles(db: &mut impl Db) -> azoth::Result<Vec<(String, String)>> {
    db.all(select((User::name, Post::title))).await
}

fn main() {}
