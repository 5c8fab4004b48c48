// HAVING before GROUP BY: the HAVING condition could not be checked against the grouping.
use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    let _ = select(count_all()).from(User::TABLE).having(count_all().gt(1)).group_by(User::name);
}
