// A boxed expression's columns are not known one by one: in a grouped query, only its table's
// primary key in GROUP BY covers them.
use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let long_name = length(User::name).gt(10).boxed_expr::<User, _>();
    let _ = select((long_name, count_all())).group_by(User::name).to_sql(Backend::Sqlite);
}
