//! Row locks: the exact SQL of `for_update`, `for_share`, `skip_locked` and `nowait` on each
//! backend (SQLite leaves the lock out; the runtime refuses it there).

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

#[test]
fn sql_locks_render_per_backend() {
    check(vec![
        Case {
            name: "for update skip locked, after LIMIT",
            got: all(|b| {
                select(Post::id)
                    .filter(Post::likes.eq(0))
                    .order_by(Post::id)
                    .limit(2)
                    .for_update()
                    .skip_locked()
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."likes" = $1 ORDER BY "posts"."id" ASC LIMIT $2 FOR UPDATE SKIP LOCKED"#,
                "SELECT `posts`.`id` FROM `posts` WHERE `posts`.`likes` = ? ORDER BY `posts`.`id` ASC LIMIT ? FOR UPDATE SKIP LOCKED",
                r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."likes" = ? ORDER BY "posts"."id" ASC LIMIT ?"#,
            ),
            values: vec![Value::Int(Some(0)), Value::BigUnsigned(Some(2))],
        },
        Case {
            name: "for share nowait",
            got: all(|b| {
                User::select()
                    .filter(User::id.eq(1))
                    .for_share()
                    .nowait()
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "users"."id", "users"."name", "users"."email", "users"."bio", "users"."karma", "users"."created" FROM "users" WHERE "users"."id" = $1 FOR SHARE NOWAIT"#,
                "SELECT `users`.`id`, `users`.`name`, `users`.`email`, `users`.`bio`, `users`.`karma`, `users`.`created` FROM `users` WHERE `users`.`id` = ? LOCK IN SHARE MODE NOWAIT",
                r#"SELECT "users"."id", "users"."name", "users"."email", "users"."bio", "users"."karma", "users"."created" FROM "users" WHERE "users"."id" = ?"#,
            ),
            values: vec![Value::BigInt(Some(1))],
        },
        Case {
            name: "plain for update",
            got: all(|b| select(User::name).for_update().to_sql(b)),
            want: each(
                r#"SELECT "users"."name" FROM "users" FOR UPDATE"#,
                "SELECT `users`.`name` FROM `users` FOR UPDATE",
                r#"SELECT "users"."name" FROM "users""#,
            ),
            values: vec![],
        },
    ]);
}
