// Portable math, text and date functions, typed as their arguments.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

async fn run(s: &mut Session) -> azoth::Result<()> {
    // Math keeps the argument's type; a rounded average cast to an integer.
    let _: Vec<(i64, Option<i64>, Option<i64>)> = s
        .all(
            select((
                Post::author_id,
                cast::<sql_types::BigInt, _>(round(avg(Post::likes))),
                cast::<sql_types::BigInt, _>(trunc(avg(Post::likes))),
            ))
            .group_by(Post::author_id),
        )
        .await?;
    let _: Vec<(i32, i32, f64, f64, f64)> = s
        .all(select((
            abs(Post::likes),
            round(Post::likes),
            round_to(2.5f64, 1),
            floor(-2.5f64),
            ceil(2.5f64),
        )))
        .await?;
    // Text: NULL in, NULL out.
    let _: Vec<(Option<String>, String, String, String)> = s
        .all(select((
            concat((User::name, " ", User::bio)),
            concat((User::name, " <", User::email, ">")),
            substring(trim(User::name), 1, 3),
            replace(User::email, "@", " at "),
        )))
        .await?;
    let _: Vec<(Option<String>, String)> = s
        .all(select((ltrim(User::bio), rtrim(User::name))))
        .await?;
    // Dates: parts are integers; intervals keep the type.
    let _: Vec<(i32, chrono::DateTime<chrono::Utc>, chrono::NaiveDate)> = s
        .all(select((
            extract(DatePart::Year, User::created),
            date_add(User::created, hours(-2)),
            date_add(current_date(), months(1)),
        )))
        .await?;
    let _: Vec<i64> = s
        .all(select(User::id).filter(date_add(User::created, days(30)).lt(now())))
        .await?;
    Ok(())
}

fn main() {
    let _ = run;
}
