//! Window functions: the exact SQL of each function, partition and order, frames and labels on
//! each backend, and where a windowed expression may stand.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

fn by_author() -> Window<post::author_id, Ordered<post::likes>> {
    Window::new()
        .partition_by(Post::author_id)
        .order_by(Post::likes.desc())
}

use azoth_dsl::stmt::order::Ordered;

#[test]
fn sql_window_ranking_functions() {
    check(vec![
        Case {
            name: "row_number over ()",
            got: all(|b| select((Post::id, row_number().over(Window::new()))).to_sql(b)),
            want: same(r#"SELECT "posts"."id", ROW_NUMBER() OVER () FROM "posts""#),
            values: vec![],
        },
        Case {
            name: "rank and dense_rank with a partition and an order",
            got: all(|b| {
                select((
                    Post::id,
                    rank().over(by_author()),
                    dense_rank().over(by_author()),
                ))
                .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."id", RANK() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."likes" DESC), DENSE_RANK() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."likes" DESC) FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "several partition and order terms",
            got: all(|b| {
                let w = Window::new()
                    .partition_by((Post::author_id, Post::title))
                    .order_by((Post::likes.desc(), Post::id));
                select(row_number().over(w)).to_sql(b)
            }),
            want: same(
                r#"SELECT ROW_NUMBER() OVER (PARTITION BY "posts"."author_id", "posts"."title" ORDER BY "posts"."likes" DESC, "posts"."id" ASC) FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "ntile binds its count",
            got: all(|b| select(ntile(3).over(Window::new().order_by(Post::likes))).to_sql(b)),
            want: each(
                r#"SELECT CAST((NTILE($1) OVER (ORDER BY "posts"."likes" ASC)) AS BIGINT) FROM "posts""#,
                "SELECT NTILE(?) OVER (ORDER BY `posts`.`likes` ASC) FROM `posts`",
                r#"SELECT NTILE(?) OVER (ORDER BY "posts"."likes" ASC) FROM "posts""#,
            ),
            values: vec![Value::Int(Some(3))],
        },
    ]);
}

#[test]
fn sql_window_lag_lead_first_last() {
    check(vec![
        Case {
            name: "lag and lead without offset or default",
            got: all(|b| {
                let w = || Window::new().order_by(Post::id);
                select((lag(Post::likes).over(w()), lead(Post::title).over(w()))).to_sql(b)
            }),
            want: same(
                r#"SELECT LAG("posts"."likes") OVER (ORDER BY "posts"."id" ASC), LEAD("posts"."title") OVER (ORDER BY "posts"."id" ASC) FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "lag with an offset",
            got: all(|b| {
                select(
                    lag(Post::likes)
                        .offset(2)
                        .over(Window::new().order_by(Post::id)),
                )
                .to_sql(b)
            }),
            want: same(
                r#"SELECT LAG("posts"."likes", ?) OVER (ORDER BY "posts"."id" ASC) FROM "posts""#,
            ),
            values: vec![Value::Int(Some(2))],
        },
        Case {
            name: "first_value and last_value over a partition",
            got: all(|b| {
                select((
                    first_value(Post::title).over(by_author()),
                    last_value(Post::id).over(by_author()),
                ))
                .to_sql(b)
            }),
            want: same(
                r#"SELECT FIRST_VALUE("posts"."title") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."likes" DESC), LAST_VALUE("posts"."id") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."likes" DESC) FROM "posts""#,
            ),
            values: vec![],
        },
    ]);
}

#[test]
fn sql_window_lag_default_is_emulated_on_mariadb() {
    let [pg, my, lite] = all(|b| {
        select(
            lead(Post::likes)
                .offset(2)
                .default(-1)
                .over(Window::new().order_by(Post::id)),
        )
        .to_sql(b)
    });
    assert_eq!(
        pg.0,
        r#"SELECT LEAD("posts"."likes", $1, $2) OVER (ORDER BY "posts"."id" ASC) FROM "posts""#
    );
    assert_eq!(pg.1.0, vec![Value::Int(Some(2)), Value::Int(Some(-1))]);
    assert_eq!(
        lite.0,
        r#"SELECT LEAD("posts"."likes", ?, ?) OVER (ORDER BY "posts"."id" ASC) FROM "posts""#
    );
    assert_eq!(lite.1.0, pg.1.0);
    // MariaDB's LEAD takes no default: the row is missing where LEAD of a constant is NULL.
    assert_eq!(
        my.0,
        "SELECT CASE WHEN LEAD(1, ?) OVER (ORDER BY `posts`.`id` ASC) IS NULL THEN ? ELSE LEAD(`posts`.`likes`, ?) OVER (ORDER BY `posts`.`id` ASC) END FROM `posts`"
    );
    assert_eq!(
        my.1.0,
        vec![
            Value::Int(Some(2)),
            Value::Int(Some(-1)),
            Value::Int(Some(2))
        ]
    );
}

#[test]
fn sql_window_aggregates_over() {
    check(vec![
        Case {
            name: "count, sum, min, max, count(*) over a partition",
            got: all(|b| {
                let w = || Window::new().partition_by(Post::author_id);
                select((
                    count(Post::id).over(w()),
                    sum(Post::likes).over(w()),
                    min(Post::likes).over(w()),
                    max(Post::likes).over(w()),
                    count_all().over(w()),
                ))
                .to_sql(b)
            }),
            want: same(
                r#"SELECT COUNT("posts"."id") OVER (PARTITION BY "posts"."author_id"), SUM("posts"."likes") OVER (PARTITION BY "posts"."author_id"), MIN("posts"."likes") OVER (PARTITION BY "posts"."author_id"), MAX("posts"."likes") OVER (PARTITION BY "posts"."author_id"), COUNT(*) OVER (PARTITION BY "posts"."author_id") FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "avg over: OVER on AVG, the cast around it",
            got: all(|b| select(avg(Post::likes).over(Window::new())).to_sql(b)),
            want: each(
                r#"SELECT CAST((AVG("posts"."likes") OVER ()) AS DOUBLE PRECISION) FROM "posts""#,
                "SELECT CAST((AVG(`posts`.`likes`) OVER ()) AS DOUBLE) FROM `posts`",
                r#"SELECT AVG("posts"."likes") OVER () FROM "posts""#,
            ),
            values: vec![],
        },
    ]);
}

#[test]
fn sql_window_frames_bind_offsets_except_on_mariadb() {
    let w = || {
        Window::new()
            .partition_by(Post::author_id)
            .order_by(Post::id)
            .rows(Preceding(2), Following(1))
    };
    let [pg, my, lite] = all(|b| select(sum(Post::likes).over(w())).to_sql(b));
    assert_eq!(
        pg.0,
        r#"SELECT SUM("posts"."likes") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."id" ASC ROWS BETWEEN $1 PRECEDING AND $2 FOLLOWING) FROM "posts""#
    );
    assert_eq!(pg.1.0, vec![Value::BigInt(Some(2)), Value::BigInt(Some(1))]);
    assert_eq!(
        lite.0,
        r#"SELECT SUM("posts"."likes") OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."id" ASC ROWS BETWEEN ? PRECEDING AND ? FOLLOWING) FROM "posts""#
    );
    assert_eq!(lite.1.0, pg.1.0);
    // MariaDB takes only a literal frame offset: the `u32`, as digits.
    assert_eq!(
        my.0,
        "SELECT SUM(`posts`.`likes`) OVER (PARTITION BY `posts`.`author_id` ORDER BY `posts`.`id` ASC ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) FROM `posts`"
    );
    assert!(my.1.0.is_empty());
}

#[test]
fn sql_window_unbounded_and_range_frames() {
    check(vec![
        Case {
            name: "running total: ROWS from the start to the current row",
            got: all(|b| {
                let w = Window::new()
                    .order_by(Post::id)
                    .rows(UnboundedPreceding, CurrentRow);
                select(sum(Post::likes).over(w)).to_sql(b)
            }),
            want: same(
                r#"SELECT SUM("posts"."likes") OVER (ORDER BY "posts"."id" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "RANGE over the whole partition, without ORDER BY",
            got: all(|b| {
                let w = Window::new()
                    .partition_by(Post::author_id)
                    .range(UnboundedPreceding, UnboundedFollowing);
                select(last_value(Post::id).over(w)).to_sql(b)
            }),
            want: same(
                r#"SELECT LAST_VALUE("posts"."id") OVER (PARTITION BY "posts"."author_id" RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "frame without partition or order",
            got: all(|b| {
                select(count_all().over(Window::new().rows(CurrentRow, UnboundedFollowing)))
                    .from(Post::TABLE)
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT COUNT(*) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM "posts""#,
            ),
            values: vec![],
        },
    ]);
}

#[test]
fn sql_window_labels_order_by_and_nulls() {
    check(vec![
        Case {
            name: "labelled, and ordered by",
            got: all(|b| {
                let rn = || row_number().over(by_author());
                select((Post::id, rn().label("rn")))
                    .order_by((rn().desc(), Post::id))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."id", ROW_NUMBER() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."likes" DESC) AS "rn" FROM "posts" ORDER BY ROW_NUMBER() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."likes" DESC) DESC, "posts"."id" ASC"#,
            ),
            values: vec![],
        },
        Case {
            name: "in an expression",
            got: all(|b| select(rank().over(by_author()).add(10).label("r")).to_sql(b)),
            want: same(
                r#"SELECT (RANK() OVER (PARTITION BY "posts"."author_id" ORDER BY "posts"."likes" DESC)) + ? AS "r" FROM "posts""#,
            ),
            values: vec![Value::BigInt(Some(10))],
        },
        Case {
            name: "NULLS FIRST/LAST in the window's order (emulated on MariaDB)",
            got: all(|b| {
                let w = Window::new().order_by((
                    Post::score.desc().nulls_last(),
                    Post::id.asc().nulls_first(),
                ));
                select(row_number().over(w)).to_sql(b)
            }),
            want: each(
                r#"SELECT ROW_NUMBER() OVER (ORDER BY "posts"."score" DESC NULLS LAST, "posts"."id" ASC NULLS FIRST) FROM "posts""#,
                "SELECT ROW_NUMBER() OVER (ORDER BY `posts`.`score` IS NULL ASC, `posts`.`score` DESC, `posts`.`id` IS NULL DESC, `posts`.`id` ASC) FROM `posts`",
                r#"SELECT ROW_NUMBER() OVER (ORDER BY "posts"."score" DESC NULLS LAST, "posts"."id" ASC NULLS FIRST) FROM "posts""#,
            ),
            values: vec![],
        },
    ]);
}

#[test]
fn sql_window_in_a_grouped_query() {
    check(vec![Case {
        name: "rank over an aggregate, per group",
        got: all(|b| {
            let likes = || sum(Post::likes);
            select((
                Post::author_id,
                likes(),
                rank()
                    .over(Window::new().order_by(likes().desc()))
                    .label("place"),
                sum(likes()).over(Window::new()),
            ))
            .group_by(Post::author_id)
            .to_sql(b)
        }),
        want: same(
            r#"SELECT "posts"."author_id", SUM("posts"."likes"), RANK() OVER (ORDER BY SUM("posts"."likes") DESC) AS "place", SUM(SUM("posts"."likes")) OVER () FROM "posts" GROUP BY "posts"."author_id""#,
        ),
        values: vec![],
    }]);
}
