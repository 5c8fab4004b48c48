use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::derived! { pub struct Likes { author_id: i64, total: Option<i64> } }
azoth::derived! { pub struct Prolific { author_id: i64, posts: i64 } }
azoth::derived! { pub struct Ids { id: i64, depth: i64 } }

fn likes() -> Derived<Likes> {
    Likes::from_query(
        select((Post::author_id, sum(cast::<sql_types::BigInt, _>(Post::likes))))
            .group_by(Post::author_id),
    )
}

async fn queries(s: &mut Session) -> azoth::Result<()> {
    // A derived table in FROM, and in a LEFT JOIN (its columns are then `Option`).
    let _: Vec<(i64, Option<i64>)> = s
        .all(select((Likes::author_id, Likes::total)).from(likes()).filter(Likes::total.gt(10)))
        .await?;
    let _: Vec<(String, Option<i64>)> = s
        .all(
            select((User::name, Likes::total))
                .left_join(likes().on(Likes::author_id.eq(User::id)))
                .order_by(Likes::total.desc()),
        )
        .await?;
    // Grouping on a derived table's column.
    let _: Vec<(Option<i64>, i64)> = s
        .all(select((Likes::total, count_all())).from(likes()).group_by(Likes::total))
        .await?;
    // A CTE joined to a model table.
    let prolific: Cte<Prolific> = Prolific::cte(
        select((Post::author_id, count(Post::id)))
            .group_by(Post::author_id)
            .having(count(Post::id).gt(3)),
    );
    let _: Vec<(String, i64)> = s
        .all(select((User::name, Prolific::posts)).join(prolific.on(Prolific::author_id.eq(User::id))))
        .await?;
    // A recursive CTE: the step joins the CTE itself.
    let ids = Ids::recursive(select((User::id, 0i64.into_expr())).filter(User::id.eq(1)), |me| {
        select((User::id, Ids::depth.add(1)))
            .join(me.on(Ids::id.add(1).eq(User::id)))
            .filter(Ids::depth.lt(10))
    });
    let _: Vec<(i64, i64)> = s.all(select((Ids::id, Ids::depth)).from(ids)).await?;
    Ok(())
}

fn main() {
    let _ = queries;
}
