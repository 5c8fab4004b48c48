//! Keyset pagination: the exact SQL of `keyset(..).after(..)` on each backend, a row-value
//! comparison when every term has one direction and the expanded OR otherwise.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

#[test]
fn sql_keyset_renders_per_backend() {
    check(vec![
        Case {
            name: "two ascending terms: a row value",
            got: all(|b| {
                select((Post::id, Post::title))
                    .keyset((Post::title.asc(), Post::id.asc()))
                    .after(("m", 7))
                    .limit(20)
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."id", "posts"."title" FROM "posts" WHERE ("posts"."title", "posts"."id") > (?, ?) ORDER BY "posts"."title" ASC, "posts"."id" ASC LIMIT ?"#,
            ),
            values: vec![
                Value::from("m"),
                Value::BigInt(Some(7)),
                Value::BigUnsigned(Some(20)),
            ],
        },
        Case {
            name: "two descending terms after a filter",
            got: all(|b| {
                select(Post::id)
                    .filter(Post::author_id.eq(3))
                    .keyset((Post::likes.desc(), Post::id.desc()))
                    .after((10, 99))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" = ? AND ("posts"."likes", "posts"."id") < (?, ?) ORDER BY "posts"."likes" DESC, "posts"."id" DESC"#,
            ),
            values: vec![
                Value::BigInt(Some(3)),
                Value::Int(Some(10)),
                Value::BigInt(Some(99)),
            ],
        },
        Case {
            name: "mixed directions: the expanded OR",
            got: all(|b| {
                select(Post::id)
                    .keyset((Post::likes.desc(), Post::title.asc(), Post::id.asc()))
                    .after((10, "m", 5))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."likes" < ? OR ("posts"."likes" = ? AND "posts"."title" > ?) OR ("posts"."likes" = ? AND "posts"."title" = ? AND "posts"."id" > ?) ORDER BY "posts"."likes" DESC, "posts"."title" ASC, "posts"."id" ASC"#,
            ),
            values: vec![
                Value::Int(Some(10)),
                Value::Int(Some(10)),
                Value::from("m"),
                Value::Int(Some(10)),
                Value::from("m"),
                Value::BigInt(Some(5)),
            ],
        },
        Case {
            name: "one term",
            got: all(|b| {
                select(Post::id)
                    .keyset(Post::id.asc())
                    .after(41)
                    .limit(2)
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."id" > ? ORDER BY "posts"."id" ASC LIMIT ?"#,
            ),
            values: vec![Value::BigInt(Some(41)), Value::BigUnsigned(Some(2))],
        },
        Case {
            name: "the first page: the ordering only",
            got: all(|b| {
                select(Post::id)
                    .keyset((Post::title.asc(), Post::id.asc()))
                    .first_page()
                    .limit(2)
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."title" ASC, "posts"."id" ASC LIMIT ?"#,
            ),
            values: vec![Value::BigUnsigned(Some(2))],
        },
        Case {
            name: "after_opt(None) is the first page",
            got: all(|b| {
                select(Post::id)
                    .keyset(Post::id.asc())
                    .after_opt(None::<i64>)
                    .to_sql(b)
            }),
            want: same(r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" ASC"#),
            values: vec![],
        },
        Case {
            name: "a nullable column paged over coalesce(..)",
            got: all(|b| {
                select(User::id)
                    .keyset((coalesce(User::bio, "").asc(), User::id.asc()))
                    .after(("", 3))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "users"."id" FROM "users" WHERE (COALESCE("users"."bio", ?), "users"."id") > (?, ?) ORDER BY COALESCE("users"."bio", ?) ASC, "users"."id" ASC"#,
            ),
            values: vec![
                Value::from(""),
                Value::from(""),
                Value::BigInt(Some(3)),
                Value::from(""),
            ],
        },
        Case {
            name: "a joined table's column in the ordering",
            got: all(|b| {
                select((User::name, Post::id))
                    .join(User::posts)
                    .keyset((User::name.asc(), Post::id.asc()))
                    .after_opt(Some(("ann", 3)))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "users"."name", "posts"."id" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE ("users"."name", "posts"."id") > (?, ?) ORDER BY "users"."name" ASC, "posts"."id" ASC"#,
            ),
            values: vec![Value::from("ann"), Value::BigInt(Some(3))],
        },
    ]);
}
