// A helper generic over `Db` uses `insert_returning`, which MySQL lacks, without requiring a
// backend that has it.
use azoth::prelude::*;
use azoth_ui_tests::{NewUser, User};

async fn create(db: &mut impl Db, new: NewUser) -> azoth::Result<Vec<i64>> {
    db.insert_returning(insert(new).returning(User::id)).await
}

fn main() {}
