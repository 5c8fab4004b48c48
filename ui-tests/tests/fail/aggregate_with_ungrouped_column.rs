// An aggregate next to a plain column needs the column in GROUP BY.
use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select((User::name, count_all())).to_sql(Backend::Postgres);
}
