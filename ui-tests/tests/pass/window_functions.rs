use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

// Window functions in the selection and ORDER BY, with labels, frames, lag/lead defaults, and
// over aggregates in a grouped query.
async fn windows(s: &mut Session) -> azoth::Result<()> {
    let by_author = || {
        Window::new()
            .partition_by(Post::author_id)
            .order_by((Post::likes.desc(), Post::id))
    };
    let _: Vec<(i64, i64, i64, i64, i64)> = s
        .all(
            select((
                Post::id,
                row_number().over(by_author()).label("rn"),
                rank().over(by_author()),
                dense_rank().over(by_author()),
                ntile(4).over(Window::new().order_by(Post::likes)),
            ))
            .order_by(row_number().over(by_author()).desc()),
        )
        .await?;
    // lag/lead: NULL where the row is missing, unless a default is given.
    let _: Vec<(Option<i32>, i32, Option<String>, String)> = s
        .all(select((
            lag(Post::likes).over(by_author()),
            lead(Post::likes).offset(2).default(0).over(by_author()),
            first_value(Post::title).over(by_author().rows(Following(1), UnboundedFollowing)),
            last_value(Post::title).over(by_author().range(UnboundedPreceding, UnboundedFollowing)),
        )))
        .await?;
    // Aggregates over a window, next to plain columns (no GROUP BY needed).
    let _: Vec<(String, Option<i32>, i64, Option<f64>)> = s
        .all(select((
            Post::title,
            sum(Post::likes).over(by_author().rows(Preceding(2), CurrentRow)),
            count_all().over(Window::new()),
            avg(Post::likes).over(Window::new().partition_by(Post::author_id)),
        )))
        .await?;
    // A window over aggregates in a grouped query.
    let _: Vec<(String, i64, i64)> = s
        .all(
            select((
                User::name,
                count(Post::id),
                rank().over(Window::new().order_by(count(Post::id).desc())),
            ))
            .join(Post::TABLE.on(Post::author_id.eq(User::id)))
            .group_by(User::name),
        )
        .await?;
    Ok(())
}

fn main() {
    let _ = windows;
}
