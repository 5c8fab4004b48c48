// HAVING on a column that is not itself grouped: MySQL and MariaDB do not look through the
// primary key there ("Unknown column 'users.karma' in 'HAVING'").
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

fn main() {
    let _ = select((User::name, count(Post::id)))
        .join(User::posts)
        .group_by(User::id)
        .having(User::karma.gt(10));
}
