//! Derived tables (subqueries in FROM and joins) and CTEs, `WITH RECURSIVE` too: the exact SQL on
//! each backend.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

azoth_dsl::model! {
    #[table = "cte_staff"]
    pub struct Staff {
        #[primary_key] pub id: i64,
        pub name: String,
        pub boss_id: Option<i64>,
    }
}

azoth_dsl::derived! { pub struct AuthorLikes { author_id: i64, total: Option<i64> } }
azoth_dsl::derived! { pub struct People { id: i64 } }
azoth_dsl::derived! { pub struct Prolific { author_id: i64, posts: i64 } }
azoth_dsl::derived! { pub struct Chain { id: i64, name: String, boss_id: Option<i64>, depth: i64 } }

fn author_likes() -> azoth_dsl::stmt::derived::Derived<AuthorLikes> {
    AuthorLikes::from_query(
        select((
            Post::author_id,
            sum(cast::<sql_types::BigInt, _>(Post::likes)),
        ))
        .group_by(Post::author_id),
    )
}

fn chain() -> azoth_dsl::stmt::cte::Cte<Chain> {
    Chain::recursive(
        select((Staff::id, Staff::name, Staff::boss_id, 0i64.into_expr())).filter(Staff::id.eq(7)),
        |me| {
            select((Staff::id, Staff::name, Staff::boss_id, Chain::depth.add(1)))
                .join(me.on(Chain::boss_id.eq(Staff::id)))
        },
    )
}

#[test]
fn sql_cte_derived_tables_and_ctes_render_per_backend() {
    check(vec![
        Case {
            name: "derived table in FROM, filtered and ordered on its columns",
            got: all(|b| {
                select((AuthorLikes::author_id, AuthorLikes::total))
                    .from(author_likes())
                    .filter(AuthorLikes::total.gt(100))
                    .order_by(AuthorLikes::total.desc())
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "author_likes"."author_id", "author_likes"."total" FROM (SELECT "posts"."author_id" AS "author_id", SUM(CAST("posts"."likes" AS BIGINT)) AS "total" FROM "posts" GROUP BY "posts"."author_id") AS "author_likes" WHERE "author_likes"."total" > $1 ORDER BY "author_likes"."total" DESC"#,
                "SELECT `author_likes`.`author_id`, `author_likes`.`total` FROM (SELECT `posts`.`author_id` AS `author_id`, SUM(CAST(`posts`.`likes` AS SIGNED)) AS `total` FROM `posts` GROUP BY `posts`.`author_id`) AS `author_likes` WHERE `author_likes`.`total` > ? ORDER BY `author_likes`.`total` DESC",
                r#"SELECT "author_likes"."author_id", "author_likes"."total" FROM (SELECT "posts"."author_id" AS "author_id", SUM(CAST("posts"."likes" AS INTEGER)) AS "total" FROM "posts" GROUP BY "posts"."author_id") AS "author_likes" WHERE "author_likes"."total" > ? ORDER BY "author_likes"."total" DESC"#,
            ),
            values: vec![Value::BigInt(Some(100))],
        },
        Case {
            name: "derived table in a LEFT JOIN",
            got: all(|b| {
                select((User::name, AuthorLikes::total))
                    .left_join(author_likes().on(AuthorLikes::author_id.eq(User::id)))
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "users"."name", "author_likes"."total" FROM "users" LEFT JOIN (SELECT "posts"."author_id" AS "author_id", SUM(CAST("posts"."likes" AS BIGINT)) AS "total" FROM "posts" GROUP BY "posts"."author_id") AS "author_likes" ON "author_likes"."author_id" = "users"."id""#,
                "SELECT `users`.`name`, `author_likes`.`total` FROM `users` LEFT JOIN (SELECT `posts`.`author_id` AS `author_id`, SUM(CAST(`posts`.`likes` AS SIGNED)) AS `total` FROM `posts` GROUP BY `posts`.`author_id`) AS `author_likes` ON `author_likes`.`author_id` = `users`.`id`",
                r#"SELECT "users"."name", "author_likes"."total" FROM "users" LEFT JOIN (SELECT "posts"."author_id" AS "author_id", SUM(CAST("posts"."likes" AS INTEGER)) AS "total" FROM "posts" GROUP BY "posts"."author_id") AS "author_likes" ON "author_likes"."author_id" = "users"."id""#,
            ),
            values: vec![],
        },
        Case {
            name: "CTE joined to a model table",
            got: all(|b| {
                let prolific = Prolific::cte(
                    select((Post::author_id, count(Post::id)))
                        .group_by(Post::author_id)
                        .having(count(Post::id).gt(3)),
                );
                select((User::name, Prolific::posts))
                    .join(prolific.on(Prolific::author_id.eq(User::id)))
                    .order_by(Prolific::posts.desc())
                    .to_sql(b)
            }),
            want: each(
                r#"WITH "prolific" ("author_id", "posts") AS (SELECT "posts"."author_id", COUNT("posts"."id") FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT("posts"."id") > $1) SELECT "users"."name", "prolific"."posts" FROM "users" INNER JOIN "prolific" ON "prolific"."author_id" = "users"."id" ORDER BY "prolific"."posts" DESC"#,
                "WITH `prolific` (`author_id`, `posts`) AS (SELECT `posts`.`author_id`, COUNT(`posts`.`id`) FROM `posts` GROUP BY `posts`.`author_id` HAVING COUNT(`posts`.`id`) > ?) SELECT `users`.`name`, `prolific`.`posts` FROM `users` INNER JOIN `prolific` ON `prolific`.`author_id` = `users`.`id` ORDER BY `prolific`.`posts` DESC",
                r#"WITH "prolific" ("author_id", "posts") AS (SELECT "posts"."author_id", COUNT("posts"."id") FROM "posts" GROUP BY "posts"."author_id" HAVING COUNT("posts"."id") > ?) SELECT "users"."name", "prolific"."posts" FROM "users" INNER JOIN "prolific" ON "prolific"."author_id" = "users"."id" ORDER BY "prolific"."posts" DESC"#,
            ),
            values: vec![Value::BigInt(Some(3))],
        },
        Case {
            name: "recursive CTE: a chain of managers",
            got: all(|b| {
                select((Chain::name, Chain::depth))
                    .from(chain())
                    .order_by(Chain::depth)
                    .to_sql(b)
            }),
            want: each(
                r#"WITH RECURSIVE "chain" ("id", "name", "boss_id", "depth") AS (SELECT "cte_staff"."id", CAST("cte_staff"."name" AS TEXT), "cte_staff"."boss_id", $1 FROM "cte_staff" WHERE "cte_staff"."id" = $2 UNION ALL (SELECT "cte_staff"."id", "cte_staff"."name", "cte_staff"."boss_id", "chain"."depth" + $3 FROM "cte_staff" INNER JOIN "chain" ON "chain"."boss_id" = "cte_staff"."id")) SELECT "chain"."name", "chain"."depth" FROM "chain" ORDER BY "chain"."depth" ASC"#,
                "WITH RECURSIVE `chain` (`id`, `name`, `boss_id`, `depth`) AS (SELECT `cte_staff`.`id`, CAST(`cte_staff`.`name` AS CHAR(16383)), `cte_staff`.`boss_id`, ? FROM `cte_staff` WHERE `cte_staff`.`id` = ? UNION ALL (SELECT `cte_staff`.`id`, `cte_staff`.`name`, `cte_staff`.`boss_id`, `chain`.`depth` + ? FROM `cte_staff` INNER JOIN `chain` ON `chain`.`boss_id` = `cte_staff`.`id`)) SELECT `chain`.`name`, `chain`.`depth` FROM `chain` ORDER BY `chain`.`depth` ASC",
                r#"WITH RECURSIVE "chain" ("id", "name", "boss_id", "depth") AS (SELECT "cte_staff"."id", "cte_staff"."name", "cte_staff"."boss_id", ? FROM "cte_staff" WHERE "cte_staff"."id" = ? UNION ALL SELECT "cte_staff"."id", "cte_staff"."name", "cte_staff"."boss_id", "chain"."depth" + ? FROM "cte_staff" INNER JOIN "chain" ON "chain"."boss_id" = "cte_staff"."id") SELECT "chain"."name", "chain"."depth" FROM "chain" ORDER BY "chain"."depth" ASC"#,
            ),
            values: vec![
                Value::BigInt(Some(0)),
                Value::BigInt(Some(7)),
                Value::BigInt(Some(1)),
            ],
        },
        Case {
            name: "a UNION as a derived table: the first part names the columns",
            got: all(|b| {
                let people = People::from_query(select(User::id).union(select(Post::author_id)));
                select(count(People::id)).from(people).to_sql(b)
            }),
            want: each(
                r#"SELECT COUNT("people"."id") FROM (SELECT "users"."id" AS "id" FROM "users" UNION (SELECT "posts"."author_id" FROM "posts")) AS "people""#,
                "SELECT COUNT(`people`.`id`) FROM (SELECT `users`.`id` AS `id` FROM `users` UNION (SELECT `posts`.`author_id` FROM `posts`)) AS `people`",
                r#"SELECT COUNT("people"."id") FROM (SELECT "users"."id" AS "id" FROM "users" UNION SELECT "posts"."author_id" FROM "posts") AS "people""#,
            ),
            values: vec![],
        },
    ]);
}
