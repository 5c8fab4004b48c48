//! `count_distinct`, `sum_distinct`, `avg_distinct`: the exact SQL on each backend, alone, grouped
//! and in HAVING.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

#[test]
fn sql_distinct_aggregates_render_on_each_backend() {
    check(vec![
        Case {
            name: "count distinct",
            got: all(|b| select(count_distinct(Post::author_id)).to_sql(b)),
            want: same(r#"SELECT COUNT(DISTINCT "posts"."author_id") FROM "posts""#),
            values: vec![],
        },
        Case {
            name: "sum and avg distinct, grouped, in HAVING",
            got: all(|b| {
                select((
                    Post::author_id,
                    sum_distinct(Post::likes),
                    avg_distinct(Post::likes),
                ))
                .group_by(Post::author_id)
                .having(count_distinct(Post::likes).gt(1))
                .to_sql(b)
            }),
            want: each(
                r#"SELECT "posts"."author_id", SUM(DISTINCT "posts"."likes"), CAST(AVG(DISTINCT "posts"."likes") AS DOUBLE PRECISION) FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(DISTINCT "posts"."likes") > $1"#,
                "SELECT `posts`.`author_id`, SUM(DISTINCT `posts`.`likes`), CAST(AVG(DISTINCT `posts`.`likes`) AS DOUBLE) FROM `posts` GROUP BY `posts`.`author_id` HAVING COUNT(DISTINCT `posts`.`likes`) > ?",
                r#"SELECT "posts"."author_id", SUM(DISTINCT "posts"."likes"), AVG(DISTINCT "posts"."likes") FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT(DISTINCT "posts"."likes") > ?"#,
            ),
            values: vec![Value::BigInt(Some(1))],
        },
        Case {
            name: "over an expression with a bound value",
            got: all(|b| select(count_distinct(Post::likes.add(1))).to_sql(b)),
            want: same(r#"SELECT COUNT(DISTINCT "posts"."likes" + ?) FROM "posts""#),
            values: vec![Value::Int(Some(1))],
        },
    ]);
}

#[test]
fn sql_distinct_keeps_its_keyword_under_a_table_alias() {
    let mut q = sea_query::SelectStatement::new();
    let e = azoth_dsl::lower::retable(
        count_distinct(Post::likes).lower(Backend::Sqlite),
        "posts",
        "p",
    );
    q.expr(e);
    assert_eq!(
        azoth_dsl::lower::render(&q, Backend::Sqlite).0,
        r#"SELECT COUNT(DISTINCT "p"."likes")"#
    );
}
