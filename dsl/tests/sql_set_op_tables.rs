//! A UNION (INTERSECT, EXCEPT) read as a derived table or a CTE, its parts or the whole with
//! their own ORDER BY / LIMIT: the exact SQL on each backend. The derived table's columns get
//! their declared names in the first part, before it is wrapped, and the whole's ORDER BY names
//! them.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

azoth_dsl::derived! { pub struct SetNames { label: String } }
azoth_dsl::derived! { pub struct SetPairs { who: i64, label: String } }

#[test]
fn sql_set_op_tables_render_per_backend() {
    check(vec![
        Case {
            name: "derived table: the first part ordered and limited",
            got: all(|b| {
                select(SetNames::label)
                    .from(SetNames::from_query(
                        select(User::name)
                            .order_by(User::id)
                            .limit(2)
                            .union(select(Post::title)),
                    ))
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "set_names"."label" FROM (SELECT * FROM (SELECT "users"."name" AS "label" FROM "users" ORDER BY "users"."id" ASC LIMIT $1) AS "part1" UNION (SELECT "posts"."title" FROM "posts")) AS "set_names""#,
                "SELECT `set_names`.`label` FROM (SELECT * FROM (SELECT `users`.`name` AS `label` FROM `users` ORDER BY `users`.`id` ASC LIMIT ?) AS `part1` UNION (SELECT `posts`.`title` FROM `posts`)) AS `set_names`",
                r#"SELECT "set_names"."label" FROM (SELECT * FROM (SELECT "users"."name" AS "label" FROM "users" ORDER BY "users"."id" ASC LIMIT ?) AS "part1" UNION SELECT "posts"."title" FROM "posts") AS "set_names""#,
            ),
            values: vec![Value::BigUnsigned(Some(2))],
        },
        Case {
            name: "derived table: the whole ordered and limited, filtered outside",
            got: all(|b| {
                select(SetNames::label)
                    .from(SetNames::from_query(
                        select(User::name)
                            .union_all(select(Post::title))
                            .order_by(User::name.desc())
                            .limit(3),
                    ))
                    .filter(SetNames::label.ne("x"))
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "set_names"."label" FROM (SELECT "users"."name" AS "label" FROM "users" UNION ALL (SELECT "posts"."title" FROM "posts") ORDER BY "label" DESC LIMIT $1) AS "set_names" WHERE "set_names"."label" <> $2"#,
                "SELECT `set_names`.`label` FROM (SELECT `users`.`name` AS `label` FROM `users` UNION ALL (SELECT `posts`.`title` FROM `posts`) ORDER BY `label` DESC LIMIT ?) AS `set_names` WHERE `set_names`.`label` <> ?",
                r#"SELECT "set_names"."label" FROM (SELECT "users"."name" AS "label" FROM "users" UNION ALL SELECT "posts"."title" FROM "posts" ORDER BY "label" DESC LIMIT ?) AS "set_names" WHERE "set_names"."label" <> ?"#,
            ),
            values: vec![Value::BigUnsigned(Some(3)), Value::String(Some("x".into()))],
        },
        Case {
            name: "derived table joined: both the first part and the whole ordered and limited",
            got: all(|b| {
                select((User::email, SetPairs::label))
                    .join(
                        SetPairs::from_query(
                            select((User::id, User::name))
                                .order_by(User::karma.desc())
                                .limit(5)
                                .except(select((Post::author_id, Post::title)))
                                .order_by((User::name, User::id.desc()))
                                .limit(4)
                                .offset(1),
                        )
                        .on(SetPairs::who.eq(User::id)),
                    )
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "users"."email", "set_pairs"."label" FROM "users" INNER JOIN (SELECT * FROM (SELECT "users"."id" AS "who", "users"."name" AS "label" FROM "users" ORDER BY "users"."karma" DESC LIMIT $1) AS "part1" EXCEPT (SELECT "posts"."author_id", "posts"."title" FROM "posts") ORDER BY "label" ASC, "who" DESC LIMIT $2 OFFSET $3) AS "set_pairs" ON "set_pairs"."who" = "users"."id""#,
                "SELECT `users`.`email`, `set_pairs`.`label` FROM `users` INNER JOIN (SELECT * FROM (SELECT `users`.`id` AS `who`, `users`.`name` AS `label` FROM `users` ORDER BY `users`.`karma` DESC LIMIT ?) AS `part1` EXCEPT (SELECT `posts`.`author_id`, `posts`.`title` FROM `posts`) ORDER BY `label` ASC, `who` DESC LIMIT ? OFFSET ?) AS `set_pairs` ON `set_pairs`.`who` = `users`.`id`",
                r#"SELECT "users"."email", "set_pairs"."label" FROM "users" INNER JOIN (SELECT * FROM (SELECT "users"."id" AS "who", "users"."name" AS "label" FROM "users" ORDER BY "users"."karma" DESC LIMIT ?) AS "part1" EXCEPT SELECT "posts"."author_id", "posts"."title" FROM "posts" ORDER BY "label" ASC, "who" DESC LIMIT ? OFFSET ?) AS "set_pairs" ON "set_pairs"."who" = "users"."id""#,
            ),
            values: vec![
                Value::BigUnsigned(Some(5)),
                Value::BigUnsigned(Some(4)),
                Value::BigUnsigned(Some(1)),
            ],
        },
        Case {
            name: "CTE: both the first part and the whole ordered and limited",
            got: all(|b| {
                select(SetNames::label)
                    .from(SetNames::cte(
                        select(User::name)
                            .order_by(User::id)
                            .limit(2)
                            .union(select(Post::title))
                            .order_by(User::name)
                            .limit(3),
                    ))
                    .filter(SetNames::label.ne("x"))
                    .to_sql(b)
            }),
            want: each(
                r#"WITH "set_names" ("label") AS (SELECT * FROM (SELECT "users"."name" AS "label" FROM "users" ORDER BY "users"."id" ASC LIMIT $1) AS "part1" UNION (SELECT "posts"."title" FROM "posts") ORDER BY "label" ASC LIMIT $2) SELECT "set_names"."label" FROM "set_names" WHERE "set_names"."label" <> $3"#,
                "WITH `set_names` (`label`) AS (SELECT * FROM (SELECT `users`.`name` AS `label` FROM `users` ORDER BY `users`.`id` ASC LIMIT ?) AS `part1` UNION (SELECT `posts`.`title` FROM `posts`) ORDER BY `label` ASC LIMIT ?) SELECT `set_names`.`label` FROM `set_names` WHERE `set_names`.`label` <> ?",
                r#"WITH "set_names" ("label") AS (SELECT * FROM (SELECT "users"."name" AS "label" FROM "users" ORDER BY "users"."id" ASC LIMIT ?) AS "part1" UNION SELECT "posts"."title" FROM "posts" ORDER BY "label" ASC LIMIT ?) SELECT "set_names"."label" FROM "set_names" WHERE "set_names"."label" <> ?"#,
            ),
            values: vec![
                Value::BigUnsigned(Some(2)),
                Value::BigUnsigned(Some(3)),
                Value::String(Some("x".into())),
            ],
        },
    ]);
}
