//! `DISTINCT ON`: the exact PostgreSQL SQL (the ORDER BY made to begin with the DISTINCT ON
//! columns), and no rendering for MySQL and SQLite, which lack it.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

/// The PostgreSQL rendering, checking the others render nothing.
fn pg(render: impl Fn(Backend) -> Option<azoth_dsl::Rendered>) -> azoth_dsl::Rendered {
    assert!(render(Backend::MySql).is_none(), "MySQL has no DISTINCT ON");
    assert!(
        render(Backend::Sqlite).is_none(),
        "SQLite has no DISTINCT ON"
    );
    render(Backend::Postgres).expect("PostgreSQL renders DISTINCT ON")
}

#[test]
fn sql_distinct_on_puts_its_columns_first_in_the_order_by() {
    let q = Post::select()
        .distinct_on(Post::author_id)
        .order_by(Post::likes.desc());
    let (sql, values) = pg(|b| q.to_sql(b));
    assert_eq!(
        sql,
        r#"SELECT DISTINCT ON ("posts"."author_id") "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."likes", "posts"."score" FROM "posts" ORDER BY "posts"."author_id" ASC, "posts"."likes" DESC"#
    );
    assert!(values.0.is_empty());
}

#[test]
fn sql_distinct_on_keeps_an_order_by_that_begins_with_its_columns() {
    let q = select((Post::author_id, Post::title))
        .filter(Post::likes.gt(0))
        .distinct_on((Post::author_id, Post::likes))
        .order_by((Post::likes.desc(), Post::author_id, Post::id.desc()))
        .limit(5);
    let (sql, values) = pg(|b| q.to_sql(b));
    assert_eq!(
        sql,
        r#"SELECT DISTINCT ON ("posts"."author_id", "posts"."likes") "posts"."author_id", "posts"."title" FROM "posts" WHERE "posts"."likes" > $1 ORDER BY "posts"."likes" DESC, "posts"."author_id" ASC, "posts"."id" DESC LIMIT $2"#
    );
    assert_eq!(values.0, [Value::Int(Some(0)), Value::BigUnsigned(Some(5))]);
}

#[test]
fn sql_distinct_on_adds_only_the_columns_the_order_by_lacks() {
    let q = select(Post::title)
        .distinct_on((Post::author_id, Post::likes))
        .order_by((Post::likes.desc(), Post::id));
    let (sql, _) = pg(|b| q.to_sql(b));
    assert_eq!(
        sql,
        r#"SELECT DISTINCT ON ("posts"."author_id", "posts"."likes") "posts"."title" FROM "posts" ORDER BY "posts"."author_id" ASC, "posts"."likes" DESC, "posts"."id" ASC"#
    );
}

#[test]
fn sql_distinct_on_without_order_by_and_over_a_join() {
    let q = select((User::name, Post::title))
        .join(User::posts)
        .distinct_on(User::id);
    let (sql, _) = pg(|b| q.to_sql(b));
    assert_eq!(
        sql,
        r#"SELECT DISTINCT ON ("users"."id") "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."author_id" = "users"."id""#
    );
}
