// Aggregates alone, with the grouped columns, or under HAVING; plain columns alone.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn run(s: &mut Session) -> azoth::Result<()> {
    let _: Option<i64> = s.scalar(select(count_all()).from(User::TABLE)).await?;
    let _: Vec<(String, i64)> = s
        .all(select((User::name, count(Post::id))).join(User::posts).group_by(User::name))
        .await?;
    let _: Vec<(i64, Option<i32>)> = s
        .all(select((count_all(), max(Post::likes))))
        .await?;
    let _: Vec<String> = s.all(select(upper(User::name))).await?;
    Ok(())
}

fn main() {
    let _ = run;
    let _ = select((User::name, count_all())).group_by(User::name).to_sql(Backend::Sqlite);
    // Grouped by an expression: it covers no column, so columns are selected in aggregates.
    let _ = select((min(lower(User::name)), sum(User::karma)))
        .group_by(lower(User::name))
        .having(sum(User::karma).gt(10))
        .to_sql(Backend::Postgres);
    // HAVING without GROUP BY: the whole table is one group, aggregates only.
    let _ = select(count_all()).from(User::TABLE).having(count_all().gt(1)).to_sql(Backend::Postgres);
    // A boxed aggregate stays an aggregate.
    let _ = select((count_all(), count(Post::id).boxed_expr::<Post, _>())).to_sql(Backend::Sqlite);
}
