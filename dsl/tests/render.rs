//! The exact SQL and bound values of each statement kind, on PostgreSQL, MySQL and SQLite.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

fn s(v: &str) -> Value {
    Value::String(Some(v.to_owned()))
}

#[test]
fn select_statements() {
    let user_cols = r#""users"."id", "users"."name", "users"."email", "users"."bio", "users"."karma", "users"."created""#;
    check(vec![
        Case {
            name: "whole model",
            got: all(|b| User::select().to_sql(b)),
            want: same(&format!(r#"SELECT {user_cols} FROM "users""#)),
            values: vec![],
        },
        Case {
            name: "filter, order, limit, offset",
            got: all(|b| {
                User::select()
                    .filter(User::id.gt(5))
                    .order_by(User::name)
                    .limit(10)
                    .offset(20)
                    .to_sql(b)
            }),
            want: same(&format!(
                r#"SELECT {user_cols} FROM "users" WHERE "users"."id" > ? ORDER BY "users"."name" ASC LIMIT ? OFFSET ?"#
            )),
            values: vec![
                Value::BigInt(Some(5)),
                Value::BigUnsigned(Some(10)),
                Value::BigUnsigned(Some(20)),
            ],
        },
        Case {
            name: "one column, distinct",
            got: all(|b| select(User::name).distinct().to_sql(b)),
            want: same(r#"SELECT DISTINCT "users"."name" FROM "users""#),
            values: vec![],
        },
        Case {
            name: "tuple with join and label",
            got: all(|b| {
                select((User::name, Post::title.label("t")))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .filter(Post::likes.ge(3))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "users"."name", "posts"."title" AS "t" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE "posts"."likes" >= ?"#,
            ),
            values: vec![Value::Int(Some(3))],
        },
        Case {
            name: "left join",
            got: all(|b| {
                select((User::name, Post::title))
                    .left_join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "users"."name", "posts"."title" FROM "users" LEFT JOIN "posts" ON "posts"."author_id" = "users"."id""#,
            ),
            values: vec![],
        },
        Case {
            name: "group by, having, aggregate order",
            got: all(|b| {
                select((User::name, count(Post::id)))
                    .join(Post::TABLE.on(Post::author_id.eq(User::id)))
                    .group_by((User::id, User::name))
                    .having(count(Post::id).gt(1i64))
                    .order_by(count(Post::id).desc())
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "users"."name", COUNT("posts"."id") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id", "users"."name" HAVING COUNT("posts"."id") > ? ORDER BY COUNT("posts"."id") DESC"#,
            ),
            values: vec![Value::BigInt(Some(1))],
        },
        Case {
            name: "join along a one-to-many relationship",
            got: all(|b| {
                select((User::name, count(Post::id)))
                    .join(User::posts)
                    .group_by((User::id, User::name))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "users"."name", COUNT("posts"."id") FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id" GROUP BY "users"."id", "users"."name""#,
            ),
            values: vec![],
        },
        Case {
            name: "left join along a many-to-one relationship",
            got: all(|b| {
                select((Post::title, User::name))
                    .left_join(Post::author)
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "posts"."title", "users"."name" FROM "posts" LEFT JOIN "users" ON "users"."id" = "posts"."author_id""#,
            ),
            values: vec![],
        },
        Case {
            name: "count(*) from a table",
            got: all(|b| {
                select(count_all())
                    .from(User::TABLE)
                    .filter(User::bio.is_null())
                    .to_sql(b)
            }),
            want: same(r#"SELECT COUNT(*) FROM "users" WHERE "users"."bio" IS NULL"#),
            values: vec![],
        },
        Case {
            name: "several filters are ANDed, tuple order with nulls",
            got: all(|b| {
                Post::select()
                    .filter(Post::likes.gt(1))
                    .filter(Post::title.ne("x"))
                    .order_by((Post::score.desc().nulls_last(), Post::id.asc()))
                    .to_sql(b)
            }),
            want: each(
                r#"SELECT "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."likes", "posts"."score" FROM "posts" WHERE "posts"."likes" > $1 AND "posts"."title" <> $2 ORDER BY "posts"."score" DESC NULLS LAST, "posts"."id" ASC"#,
                r#"SELECT `posts`.`id`, `posts`.`title`, `posts`.`content`, `posts`.`author_id`, `posts`.`likes`, `posts`.`score` FROM `posts` WHERE `posts`.`likes` > ? AND `posts`.`title` <> ? ORDER BY `posts`.`score` IS NULL ASC, `posts`.`score` DESC, `posts`.`id` ASC"#,
                r#"SELECT "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."likes", "posts"."score" FROM "posts" WHERE "posts"."likes" > ? AND "posts"."title" <> ? ORDER BY "posts"."score" DESC NULLS LAST, "posts"."id" ASC"#,
            ),
            values: vec![Value::Int(Some(1)), s("x")],
        },
        Case {
            name: "renamed table and columns",
            got: all(|b| {
                select((InvoiceLine::track_id, sum(InvoiceLine::quantity)))
                    .filter(InvoiceLine::unit_price.gt(rust_decimal::Decimal::new(99, 2)))
                    .group_by(InvoiceLine::track_id)
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "InvoiceLine"."TrackId", SUM("InvoiceLine"."Quantity") FROM "InvoiceLine" WHERE "InvoiceLine"."UnitPrice" > ? GROUP BY "InvoiceLine"."TrackId""#,
            ),
            values: vec![Value::Decimal(Some(rust_decimal::Decimal::new(99, 2)))],
        },
    ]);
}

#[test]
fn expressions() {
    let sel = |b: Backend, p: Boxed<User>| select(User::id).filter(p).to_sql(b);
    let base = r#"SELECT "users"."id" FROM "users" WHERE "#;
    check(vec![
        Case {
            name: "in, not in, empty in",
            got: all(|b| {
                sel(
                    b,
                    User::id
                        .in_([1, 2, 3])
                        .and(User::name.not_in(vec!["a", "b"]))
                        .and(User::id.in_(Vec::<i64>::new()))
                        .boxed(),
                )
            }),
            want: same(&format!(
                r#"{base}"users"."id" IN (?, ?, ?) AND "users"."name" NOT IN (?, ?) AND 1 = 0"#
            )),
            values: vec![
                Value::BigInt(Some(1)),
                Value::BigInt(Some(2)),
                Value::BigInt(Some(3)),
                s("a"),
                s("b"),
            ],
        },
        Case {
            name: "between, not between",
            got: all(|b| {
                sel(
                    b,
                    User::id
                        .between(1, 9)
                        .or(User::karma.not_between(0, 5))
                        .boxed(),
                )
            }),
            want: same(&format!(
                r#"{base}("users"."id" BETWEEN ? AND ?) OR ("users"."karma" NOT BETWEEN ? AND ?)"#
            )),
            values: vec![
                Value::BigInt(Some(1)),
                Value::BigInt(Some(9)),
                Value::Int(Some(0)),
                Value::Int(Some(5)),
            ],
        },
        Case {
            name: "like, ilike",
            got: all(|b| {
                sel(
                    b,
                    User::name
                        .like("a%")
                        .and(User::email.ilike("%@X.ORG"))
                        .boxed(),
                )
            }),
            want: each(
                r#"SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE $1 ESCAPE '!' AND ("users"."email" ILIKE $2 ESCAPE '!')"#,
                r#"SELECT `users`.`id` FROM `users` WHERE `users`.`name` LIKE ? ESCAPE '!' AND LOWER(`users`.`email`) LIKE LOWER(?) ESCAPE '!'"#,
                r#"SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? ESCAPE '!' AND LOWER("users"."email") LIKE LOWER(?) ESCAPE '!'"#,
            ),
            values: vec![s("a%"), s("%@X.ORG")],
        },
        Case {
            name: "arithmetic and comparison between columns",
            got: all(|b| sel(b, User::karma.add(1).mul(2).gt(User::karma.sub(3)).boxed())),
            want: same(&format!(
                r#"{base}("users"."karma" + ?) * ? > "users"."karma" - ?"#
            )),
            values: vec![
                Value::Int(Some(1)),
                Value::Int(Some(2)),
                Value::Int(Some(3)),
            ],
        },
        Case {
            name: "not, is null, is not null",
            got: all(|b| {
                sel(
                    b,
                    User::bio
                        .is_null()
                        .not()
                        .and(User::bio.is_not_null())
                        .boxed(),
                )
            }),
            want: same(&format!(
                r#"{base}(NOT "users"."bio" IS NULL) AND "users"."bio" IS NOT NULL"#
            )),
            values: vec![],
        },
        Case {
            name: "functions",
            got: all(|b| {
                select((
                    lower(User::name),
                    upper(User::email),
                    length(User::name),
                    coalesce(User::bio, "-"),
                    now(),
                ))
                .to_sql(b)
            }),
            want: each(
                r#"SELECT LOWER("users"."name"), UPPER("users"."email"), CHAR_LENGTH("users"."name"), COALESCE("users"."bio", $1), CURRENT_TIMESTAMP FROM "users""#,
                r#"SELECT LOWER(`users`.`name`), UPPER(`users`.`email`), CHAR_LENGTH(`users`.`name`), COALESCE(`users`.`bio`, ?), CURRENT_TIMESTAMP FROM `users`"#,
                r#"SELECT LOWER("users"."name"), UPPER("users"."email"), LENGTH("users"."name"), COALESCE("users"."bio", ?), CURRENT_TIMESTAMP FROM "users""#,
            ),
            values: vec![s("-")],
        },
        Case {
            name: "aggregates and cast",
            got: all(|b| {
                select((
                    min(Post::likes),
                    max(Post::likes),
                    avg(Post::likes),
                    cast::<azoth_dsl::sql_types::Text, _>(count(Post::id)),
                ))
                .to_sql(b)
            }),
            want: each(
                r#"SELECT MIN("posts"."likes"), MAX("posts"."likes"), CAST(AVG("posts"."likes") AS DOUBLE PRECISION), CAST(COUNT("posts"."id") AS TEXT) FROM "posts""#,
                r#"SELECT MIN(`posts`.`likes`), MAX(`posts`.`likes`), CAST(AVG(`posts`.`likes`) AS DOUBLE), CAST(COUNT(`posts`.`id`) AS CHAR) FROM `posts`"#,
                r#"SELECT MIN("posts"."likes"), MAX("posts"."likes"), AVG("posts"."likes"), CAST(COUNT("posts"."id") AS TEXT) FROM "posts""#,
            ),
            values: vec![],
        },
        Case {
            name: "case when",
            got: all(|b| {
                select(
                    case_when(Post::likes.gt(100), "hot")
                        .when(Post::likes.gt(10), "warm")
                        .otherwise("cold"),
                )
                .to_sql(b)
            }),
            want: same(
                r#"SELECT (CASE WHEN ("posts"."likes" > ?) THEN ? WHEN ("posts"."likes" > ?) THEN ? ELSE ? END) FROM "posts""#,
            ),
            values: vec![
                Value::Int(Some(100)),
                s("hot"),
                Value::Int(Some(10)),
                s("warm"),
                s("cold"),
            ],
        },
        Case {
            name: "boxed predicates: and_all, or_any, empty",
            got: all(|b| {
                let parts: Vec<Boxed<User>> =
                    vec![User::name.eq("a").boxed(), User::karma.lt(3).boxed()];
                let none: Vec<Boxed<User>> = vec![];
                select(User::id)
                    .filter(or_any(parts))
                    .filter(and_all(none))
                    .to_sql(b)
            }),
            want: same(&format!(
                r#"{base}("users"."name" = ? OR "users"."karma" < ?) AND 1 = 1"#
            )),
            values: vec![s("a"), Value::Int(Some(3))],
        },
    ]);
}

#[test]
fn insert_statements() {
    let ann = || NewUser {
        name: "ann".into(),
        email: "ann@x.org".into(),
        bio: None,
        karma: None,
        created: None,
    };
    let bob = || NewUser {
        name: "bob".into(),
        email: "bob@x.org".into(),
        bio: Some("hi".into()),
        karma: Some(7),
        created: None,
    };
    check(vec![
        Case {
            name: "one row: defaults left out, NULL bound",
            got: all(|b| insert(ann()).to_sql(b)),
            want: same(r#"INSERT INTO "users" ("name", "email", "bio") VALUES (?, ?, ?)"#),
            values: vec![s("ann"), s("ann@x.org"), Value::String(None)],
        },
        Case {
            name: "many rows: a column one row sets takes the model default in the others",
            got: all(|b| insert_many([ann(), bob()]).to_sql(b)),
            want: same(
                r#"INSERT INTO "users" ("name", "email", "bio", "karma") VALUES (?, ?, ?, ?), (?, ?, ?, ?)"#,
            ),
            values: vec![
                s("ann"),
                s("ann@x.org"),
                Value::String(None),
                Value::Int(Some(0)),
                s("bob"),
                s("bob@x.org"),
                s("hi"),
                Value::Int(Some(7)),
            ],
        },
        Case {
            name: "returning",
            got: all(|b| insert(ann()).returning((User::id, User::created)).to_sql(b)),
            want: each(
                r#"INSERT INTO "users" ("name", "email", "bio") VALUES ($1, $2, $3) RETURNING "id", "created""#,
                r#"INSERT INTO `users` (`name`, `email`, `bio`) VALUES (?, ?, ?)"#,
                r#"INSERT INTO "users" ("name", "email", "bio") VALUES (?, ?, ?) RETURNING "id", "created""#,
            ),
            values: vec![s("ann"), s("ann@x.org"), Value::String(None)],
        },
        Case {
            name: "upsert: do update",
            got: all(|b| {
                insert(ann())
                    .on_conflict(User::email)
                    .do_update((User::name, User::bio))
                    .to_sql(b)
            }),
            want: each(
                r#"INSERT INTO "users" ("name", "email", "bio") VALUES ($1, $2, $3) ON CONFLICT ("email") DO UPDATE SET "name" = "excluded"."name", "bio" = "excluded"."bio""#,
                r#"INSERT INTO `users` (`name`, `email`, `bio`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `bio` = VALUES(`bio`)"#,
                r#"INSERT INTO "users" ("name", "email", "bio") VALUES (?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = "excluded"."name", "bio" = "excluded"."bio""#,
            ),
            values: vec![s("ann"), s("ann@x.org"), Value::String(None)],
        },
        Case {
            name: "upsert: do nothing, composite key",
            got: all(|b| {
                insert(NewPostTag {
                    post_id: 1,
                    tag: "rust".into(),
                })
                .on_conflict((PostTag::post_id, PostTag::tag))
                .do_nothing()
                .to_sql(b)
            }),
            want: each(
                r#"INSERT INTO "post_tags" ("post_id", "tag") VALUES ($1, $2) ON CONFLICT ("post_id", "tag") DO NOTHING"#,
                r#"INSERT INTO `post_tags` (`post_id`, `tag`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `post_id` = `post_id`, `tag` = `tag`"#,
                r#"INSERT INTO "post_tags" ("post_id", "tag") VALUES (?, ?) ON CONFLICT ("post_id", "tag") DO NOTHING"#,
            ),
            values: vec![Value::BigInt(Some(1)), s("rust")],
        },
    ]);
}

#[test]
fn update_and_delete_statements() {
    check(vec![
        Case {
            name: "update with values, NULL and an expression",
            got: all(|b| {
                update(User::TABLE)
                    .set(User::email, "new@x.org")
                    .set(User::bio, None)
                    .set(User::karma, User::karma.add(1))
                    .filter(User::id.eq(7))
                    .to_sql(b)
            }),
            want: same(
                r#"UPDATE "users" SET "email" = ?, "bio" = ?, "karma" = "users"."karma" + ? WHERE "users"."id" = ?"#,
            ),
            values: vec![
                s("new@x.org"),
                Value::String(None),
                Value::Int(Some(1)),
                Value::BigInt(Some(7)),
            ],
        },
        Case {
            name: "delete with a filter",
            got: all(|b| {
                delete(Post::TABLE)
                    .filter(Post::author_id.in_([1, 2]).or(Post::likes.lt(0)))
                    .to_sql(b)
            }),
            want: same(
                r#"DELETE FROM "posts" WHERE "posts"."author_id" IN (?, ?) OR "posts"."likes" < ?"#,
            ),
            values: vec![
                Value::BigInt(Some(1)),
                Value::BigInt(Some(2)),
                Value::Int(Some(0)),
            ],
        },
        Case {
            name: "delete every row",
            got: all(|b| delete(PostTag::TABLE).to_sql(b)),
            want: same(r#"DELETE FROM "post_tags""#),
            values: vec![],
        },
    ]);
}

#[test]
fn literal_searches() {
    let q = |b| {
        select(User::id)
            .filter(
                User::name
                    .contains("50%_off!")
                    .or(User::bio.starts_with("hi"))
                    .or(User::email.ends_with(".org")),
            )
            .to_sql(b)
    };
    // PostgreSQL and MySQL: LIKE with the wildcards of the argument escaped.
    let where_ = r#""users"."name" LIKE ? ESCAPE '!' OR "users"."bio" LIKE ? ESCAPE '!' OR "users"."email" LIKE ? ESCAPE '!'"#;
    let like_values = vec![s("%50!%!_off!!%"), s("hi%"), s("%.org")];
    let (my, values) = q(Backend::MySql);
    assert_eq!(
        my,
        format!(
            "SELECT `users`.`id` FROM `users` WHERE {}",
            where_.replace('"', "`")
        )
    );
    assert_eq!(values.0, like_values);
    assert!(
        q(Backend::Postgres)
            .0
            .ends_with(r#""users"."email" LIKE $3 ESCAPE '!'"#)
    );
    // SQLite: byte comparisons, which see past a NUL (its LIKE stops there).
    let (lite, values) = q(Backend::Sqlite);
    assert_eq!(
        lite,
        r#"SELECT "users"."id" FROM "users" WHERE instr(CAST("users"."name" AS BLOB), CAST(? AS BLOB)) > 0 OR instr(CAST("users"."bio" AS BLOB), CAST(? AS BLOB)) = 1 OR (length(CAST("users"."email" AS BLOB)) >= ? AND substr(CAST("users"."email" AS BLOB), ?) = CAST(? AS BLOB))"#
    );
    assert_eq!(
        values.0,
        [
            s("50%_off!"),
            s("hi"),
            Value::BigInt(Some(4)),
            Value::BigInt(Some(-4)),
            s(".org")
        ]
    );
    // A user pattern takes the same escape everywhere.
    let pattern = format!("{}%", escape_like("100%"));
    assert_eq!(pattern, "100!%%");
    let (lite, _) = select(User::id)
        .filter(User::name.like(pattern))
        .to_sql(Backend::Sqlite);
    assert!(
        lite.ends_with(r#""users"."name" LIKE ? ESCAPE '!'"#),
        "{lite}"
    );
}

#[test]
fn offset_without_limit_takes_the_backend_s_no_limit() {
    let q = |b| select(User::id).offset(3).to_sql(b);
    assert_eq!(
        q(Backend::Postgres).0,
        r#"SELECT "users"."id" FROM "users" OFFSET $1"#
    );
    let (my, values) = q(Backend::MySql);
    assert_eq!(my, "SELECT `users`.`id` FROM `users` LIMIT ? OFFSET ?");
    assert_eq!(
        values.0,
        [
            Value::BigUnsigned(Some(u64::MAX)),
            Value::BigUnsigned(Some(3))
        ]
    );
    let (lite, values) = q(Backend::Sqlite);
    assert_eq!(lite, r#"SELECT "users"."id" FROM "users" LIMIT ? OFFSET ?"#);
    assert_eq!(
        values.0,
        [
            Value::BigUnsigned(Some(i64::MAX as u64)),
            Value::BigUnsigned(Some(3))
        ]
    );
}

#[test]
fn cast_of_a_fraction_to_an_integer_truncates() {
    let q = |b| {
        select(cast::<sql_types::Integer, _>(Post::score))
            .to_sql(b)
            .0
    };
    assert_eq!(
        q(Backend::Postgres),
        r#"SELECT CAST(TRUNC("posts"."score") AS INTEGER) FROM "posts""#
    );
    assert_eq!(
        q(Backend::MySql),
        "SELECT CAST(TRUNCATE(`posts`.`score`, 0) AS SIGNED) FROM `posts`"
    );
    assert_eq!(
        q(Backend::Sqlite),
        r#"SELECT CAST("posts"."score" AS INTEGER) FROM "posts""#
    );
    // An integer needs no truncation.
    let q = select(cast::<sql_types::BigInt, _>(Post::likes)).to_sql(Backend::Postgres);
    assert_eq!(
        q.0,
        r#"SELECT CAST("posts"."likes" AS BIGINT) FROM "posts""#
    );
}

#[test]
fn run_time_conditions_nest_logarithmically() {
    // 40 conditions: runs of 16 chained, the runs after the first parenthesized.
    let parts = (0..40i64).map(|i| User::id.eq(i).boxed());
    let (sql, values) = select(User::id)
        .filter(or_any(parts))
        .to_sql(Backend::Sqlite);
    assert_eq!(values.0.len(), 40);
    assert_eq!(sql.matches('(').count(), 2, "{sql}");
    assert_eq!(sql.matches(" OR ").count(), 39);
    // 100,000 conditions render and drop on a thread with a small stack.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let parts = (0..100_000i64).map(|i| User::id.eq(i).boxed());
            let (sql, values) = select(User::id)
                .filter(or_any(parts))
                .to_sql(Backend::Postgres);
            assert_eq!(values.0.len(), 100_000);
            assert!(
                sql.ends_with(r#""users"."id" = $100000))))"#),
                "{}",
                &sql[sql.len() - 60..]
            );
            let filters = (0..100_000i64).fold(User::select(), |q, i| q.filter(User::id.ne(i)));
            assert_eq!(filters.to_sql(Backend::MySql).1.0.len(), 100_000);
        })
        .unwrap()
        .join()
        .unwrap();
}

azoth_dsl::model! {
    #[table = "ticks"]
    pub struct Tick {
        #[primary_key] pub id: i64,
        #[server_default(7)] pub n: i32,
    }
}

azoth_dsl::model! {
    #[table = "counters"]
    pub struct Counter {
        #[primary_key] pub id: i64,
    }
}

#[test]
fn rows_that_set_no_column_are_each_inserted() {
    let ticks = || insert_many((0..3).map(|_| NewTick { n: None }));
    assert_eq!(
        ticks().to_sql(Backend::Postgres).0,
        r#"INSERT INTO "ticks" VALUES (DEFAULT), (DEFAULT), (DEFAULT)"#
    );
    assert_eq!(
        ticks().to_sql(Backend::MySql).0,
        "INSERT INTO `ticks` VALUES (), (), ()"
    );
    let (lite, values) = ticks().to_sql(Backend::Sqlite);
    assert_eq!(lite, r#"INSERT INTO "ticks" ("n") VALUES (?), (?), (?)"#);
    assert_eq!(values.0, vec![Value::Int(Some(7)); 3]);
    let counters = insert_many((0..2).map(|_| NewCounter {}));
    let (lite, values) = counters.to_sql(Backend::Sqlite);
    assert_eq!(lite, r#"INSERT INTO "counters" ("id") VALUES (?), (?)"#);
    assert_eq!(values.0, vec![Value::BigInt(None); 2]);
    // One row keeps DEFAULT VALUES; no row renders no statement.
    let one = insert(NewTick { n: None }).to_sql(Backend::Sqlite).0;
    assert_eq!(one, r#"INSERT INTO "ticks" DEFAULT VALUES"#);
    let none = insert_many(Vec::<NewTick>::new());
    assert!(none.to_sql_batches(Backend::Postgres, 100).is_empty());
    // Rendered anyway (a RETURNING of no rows), it inserts nothing.
    let none = insert_many(Vec::<NewTick>::new()).returning(Tick::id);
    assert_eq!(
        none.to_sql(Backend::Postgres).0,
        r#"INSERT INTO "ticks" ("n") SELECT "n" FROM "ticks" WHERE 1 = 0 RETURNING "id""#
    );
    // Split under the bind limit, every row is still inserted.
    let batches =
        insert_many((0..5).map(|_| NewTick { n: None })).to_sql_batches(Backend::Sqlite, 2);
    assert_eq!(batches.len(), 3);
    assert_eq!(batches.iter().map(|b| b.1.0.len()).sum::<usize>(), 5);
}
