//! A statement that needs RETURNING runs on a typed PostgreSQL or SQLite session, and on an
//! untyped one (checked at run time there).
use azoth::prelude::*;
use azoth::typed;
use azoth_ui_tests::{NewUser, User};

async fn on_postgres(s: &mut Session<typed::Postgres>, new: NewUser) -> azoth::Result<Vec<i64>> {
    s.insert_returning(insert(new).returning(User::id)).await
}

async fn on_sqlite(s: &mut Session<typed::Sqlite>, new: NewUser) -> azoth::Result<Vec<(i64, String)>> {
    s.insert_returning(insert(new).returning((User::id, User::name))).await
}

async fn on_any(s: &mut Session, new: NewUser) -> azoth::Result<Vec<i64>> {
    s.insert_returning(insert(new).returning(User::id)).await
}

async fn portable_on_mysql(s: &mut Session<typed::MySql>) -> azoth::Result<Vec<String>> {
    s.all(select(User::name)).await
}

fn main() {
    let _ = (on_postgres, on_sqlite, on_any, portable_on_mysql);
}
