// HAVING without GROUP BY makes the whole table one group: a plain column cannot be selected.
use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select(User::name).having(count_all().gt(1)).to_sql(Backend::Postgres);
}
