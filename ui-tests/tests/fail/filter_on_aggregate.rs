// WHERE filters rows before aggregates exist: an aggregate condition belongs in HAVING.
use azoth::prelude::*;
use azoth_ui_tests::Post;

fn main() {
    let _ = select(Post::author_id).filter(count_all().gt(1)).to_sql(Backend::Postgres);
}
