//! UNION, UNION ALL, INTERSECT, EXCEPT: the exact SQL on each backend, with ORDER BY / LIMIT on
//! the whole, and parts with clauses of their own.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

#[test]
fn sql_set_operations_render_per_backend() {
    check(vec![
        Case {
            name: "union, ordered and limited as a whole",
            got: all(|b| {
                select((User::id, User::name))
                    .filter(User::karma.gt(10))
                    .union(select((Post::author_id, Post::title)))
                    .order_by(User::name.desc())
                    .limit(5)
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."karma" > $1 UNION (SELECT "posts"."author_id", "posts"."title" FROM "posts") ORDER BY "name" DESC LIMIT $2"#,
                "SELECT `users`.`id`, `users`.`name` FROM `users` WHERE `users`.`karma` > ? UNION (SELECT `posts`.`author_id`, `posts`.`title` FROM `posts`) ORDER BY `name` DESC LIMIT ?",
                r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."karma" > ? UNION SELECT "posts"."author_id", "posts"."title" FROM "posts" ORDER BY "name" DESC LIMIT ?"#,
            ),
            values: vec![Value::Int(Some(10)), Value::BigUnsigned(Some(5))],
        },
        Case {
            name: "union all then except",
            got: all(|b| {
                select(User::id)
                    .union_all(select(Post::author_id))
                    .except(select(Post::id))
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "users"."id" FROM "users" UNION ALL (SELECT "posts"."author_id" FROM "posts") EXCEPT (SELECT "posts"."id" FROM "posts")"#,
                "SELECT `users`.`id` FROM `users` UNION ALL (SELECT `posts`.`author_id` FROM `posts`) EXCEPT (SELECT `posts`.`id` FROM `posts`)",
                r#"SELECT "users"."id" FROM "users" UNION ALL SELECT "posts"."author_id" FROM "posts" EXCEPT SELECT "posts"."id" FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "intersect, a part with its own order and limit",
            got: all(|b| {
                select(User::id)
                    .intersect(
                        select(Post::author_id)
                            .order_by(Post::likes.desc())
                            .limit(3),
                    )
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "users"."id" FROM "users" INTERSECT (SELECT * FROM (SELECT "posts"."author_id" FROM "posts" ORDER BY "posts"."likes" DESC LIMIT $1) AS "part2")"#,
                "SELECT `users`.`id` FROM `users` INTERSECT (SELECT * FROM (SELECT `posts`.`author_id` FROM `posts` ORDER BY `posts`.`likes` DESC LIMIT ?) AS `part2`)",
                r#"SELECT "users"."id" FROM "users" INTERSECT SELECT * FROM (SELECT "posts"."author_id" FROM "posts" ORDER BY "posts"."likes" DESC LIMIT ?) AS "part2""#,
            ),
            values: vec![Value::BigUnsigned(Some(3))],
        },
        Case {
            name: "a set operation as a part keeps its own grouping",
            got: all(|b| {
                select(User::id)
                    .union(select(Post::author_id).intersect(select(Post::id)))
                    .limit(4)
                    .offset(2)
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "users"."id" FROM "users" UNION (SELECT * FROM (SELECT "posts"."author_id" FROM "posts" INTERSECT (SELECT "posts"."id" FROM "posts")) AS "part2") LIMIT $1 OFFSET $2"#,
                "SELECT `users`.`id` FROM `users` UNION (SELECT * FROM (SELECT `posts`.`author_id` FROM `posts` INTERSECT (SELECT `posts`.`id` FROM `posts`)) AS `part2`) LIMIT ? OFFSET ?",
                r#"SELECT "users"."id" FROM "users" UNION SELECT * FROM (SELECT "posts"."author_id" FROM "posts" INTERSECT SELECT "posts"."id" FROM "posts") AS "part2" LIMIT ? OFFSET ?"#,
            ),
            values: vec![Value::BigUnsigned(Some(4)), Value::BigUnsigned(Some(2))],
        },
    ]);
}
