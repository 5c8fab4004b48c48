// Grouped by a column that is not the primary key, another column of the same table is not
// determined by the group.
use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select((User::name, User::email, count_all())).group_by(User::name).to_sql(Backend::Sqlite);
}
