//! Free-form correlated subqueries (`.correlate::<Outer>()`): `EXISTS`, `NOT EXISTS`, scalar and
//! `IN` subqueries reading the outer query's row, in the selection, filters and ordering; two and
//! three levels deep; the outer table named as the outer query names it (an alias, or the alias a
//! relationship condition gives it).

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::{Case, all, check, same};

azoth_dsl::model! {
    #[table = "author"]
    pub struct Author { #[primary_key] pub id: i64, pub name: String, pub rank: i64 }
    relations { books: has_many(Book, Book::author_id) }
}

azoth_dsl::model! {
    #[table = "book"]
    pub struct Book {
        #[primary_key] pub id: i64,
        pub title: String,
        pub author_id: i64,
        pub editor_id: Option<i64>,
        pub pages: i64,
    }
    relations { editor: belongs_to(Author, Book::editor_id) }
}

azoth_dsl::model! {
    #[table = "review"]
    pub struct Review { #[primary_key] pub id: i64, pub book_id: i64, pub stars: i64 }
}

azoth_dsl::alias!(pub Editor = Author);
azoth_dsl::alias!(pub Other = Book);

fn big(v: i64) -> Value {
    Value::BigInt(Some(v))
}

#[test]
fn sql_scalar_subquery_in_selection_filter_and_ordering() {
    let books = || {
        select(count_all())
            .from(Book::TABLE)
            .correlate::<Author>()
            .filter(Book::author_id.eq(Author::id))
    };
    let count =
        r#"(SELECT COUNT(*) FROM "book" WHERE "book"."author_id" = "author"."id")"#.to_owned();
    check(vec![
        Case {
            name: "in the selection and the ordering",
            got: all(|b| {
                select((Author::name, books().scalar()))
                    .order_by(books().scalar().desc())
                    .to_sql(b)
            }),
            want: same(&format!(
                r#"SELECT "author"."name", {count} FROM "author" ORDER BY {count} DESC"#
            )),
            values: vec![],
        },
        Case {
            name: "compared in a filter",
            got: all(|b| {
                select(Author::name)
                    .filter(Author::rank.gt(books().scalar()))
                    .to_sql(b)
            }),
            want: same(&format!(
                r#"SELECT "author"."name" FROM "author" WHERE "author"."rank" > {count}"#
            )),
            values: vec![],
        },
        Case {
            name: "max over the correlated rows, with a condition of its own",
            got: all(|b| {
                let longest = select(max(Book::pages))
                    .correlate::<Author>()
                    .filter(Book::author_id.eq(Author::id).and(Book::pages.lt(1000)));
                select(Author::name)
                    .filter(longest.scalar().ge(300))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "author"."name" FROM "author" WHERE (SELECT MAX("book"."pages") FROM "book" WHERE "book"."author_id" = "author"."id" AND "book"."pages" < ?) >= ?"#,
            ),
            values: vec![big(1000), big(300)],
        },
    ]);
}

#[test]
fn sql_exists_not_exists_and_in_correlated() {
    check(vec![
        Case {
            name: "exists",
            got: all(|b| {
                select(Author::name)
                    .filter(exists(
                        select(Book::id)
                            .correlate::<Author>()
                            .filter(Book::author_id.eq(Author::id)),
                    ))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "author"."name" FROM "author" WHERE EXISTS(SELECT "book"."id" FROM "book" WHERE "book"."author_id" = "author"."id")"#,
            ),
            values: vec![],
        },
        Case {
            name: "not exists",
            got: all(|b| {
                select(Author::name)
                    .filter(not_exists(
                        select(Book::id)
                            .correlate::<Author>()
                            .filter(Book::author_id.eq(Author::id)),
                    ))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "author"."name" FROM "author" WHERE NOT EXISTS(SELECT "book"."id" FROM "book" WHERE "book"."author_id" = "author"."id")"#,
            ),
            values: vec![],
        },
        Case {
            name: "in a correlated subquery",
            got: all(|b| {
                select(Book::title)
                    .filter(
                        Book::id.in_query(
                            select(Review::book_id)
                                .correlate::<Book>()
                                .filter(Review::stars.ge(Book::pages)),
                        ),
                    )
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "book"."title" FROM "book" WHERE "book"."id" IN (SELECT "review"."book_id" FROM "review" WHERE "review"."stars" >= "book"."pages")"#,
            ),
            values: vec![],
        },
    ]);
}

#[test]
fn sql_nested_two_and_three_levels() {
    check(vec![
        Case {
            name: "three levels, the innermost reading the two above",
            got: all(|b| {
                let reviews = select(Review::id)
                    .correlate::<Book>()
                    .correlate::<Author>()
                    .filter(
                        Review::book_id
                            .eq(Book::id)
                            .and(Review::stars.eq(Author::rank)),
                    );
                let books = select(Book::id)
                    .correlate::<Author>()
                    .filter(Book::author_id.eq(Author::id).and(exists(reviews)));
                select(Author::name).filter(exists(books)).to_sql(b)
            }),
            want: same(
                r#"SELECT "author"."name" FROM "author" WHERE EXISTS(SELECT "book"."id" FROM "book" WHERE "book"."author_id" = "author"."id" AND EXISTS(SELECT "review"."id" FROM "review" WHERE "review"."book_id" = "book"."id" AND "review"."stars" = "author"."rank"))"#,
            ),
            values: vec![],
        },
        Case {
            name: "a scalar inside a scalar",
            got: all(|b| {
                let reviews = select(count_all())
                    .from(Review::TABLE)
                    .correlate::<Book>()
                    .filter(Review::book_id.eq(Book::id));
                let most = select(max(reviews.scalar()))
                    .from(Book::TABLE)
                    .correlate::<Author>()
                    .filter(Book::author_id.eq(Author::id));
                select((Author::name, most.scalar())).to_sql(b)
            }),
            want: same(
                r#"SELECT "author"."name", (SELECT MAX((SELECT COUNT(*) FROM "review" WHERE "review"."book_id" = "book"."id")) FROM "book" WHERE "book"."author_id" = "author"."id") FROM "author""#,
            ),
            values: vec![],
        },
    ]);
}

#[test]
fn sql_outer_table_named_as_the_outer_query_names_it() {
    check(vec![
        Case {
            name: "an aliased outer table",
            got: all(|b| {
                let edited = select(count_all())
                    .from(Book::TABLE)
                    .correlate::<Editor>()
                    .filter(Book::author_id.eq(Editor.col(Author::id)));
                select((Book::title, edited.scalar()))
                    .join(Book::editor.aliased(Editor))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "book"."title", (SELECT COUNT(*) FROM "book" WHERE "book"."author_id" = "editor"."id") FROM "book" INNER JOIN "author" AS "editor" ON "editor"."id" = "book"."editor_id""#,
            ),
            values: vec![],
        },
        Case {
            name: "the same table inside, under an alias",
            got: all(|b| {
                let longest = select(max(Other.col(Book::pages)))
                    .from(Other::TABLE)
                    .correlate::<Book>()
                    .filter(Other.col(Book::author_id).eq(Book::author_id));
                select(Book::title)
                    .filter(Book::pages.eq(longest.scalar()))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "book"."title" FROM "book" WHERE "book"."pages" = (SELECT MAX("other"."pages") FROM "book" AS "other" WHERE "other"."author_id" = "book"."author_id")"#,
            ),
            values: vec![],
        },
        Case {
            name: "the same table outside, under an alias",
            got: all(|b| {
                let longest = select(max(Book::pages))
                    .correlate::<Other>()
                    .filter(Book::author_id.eq(Other.col(Book::author_id)));
                select(Other.col(Book::title))
                    .from(Other::TABLE)
                    .filter(Other.col(Book::pages).eq(longest.scalar()))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "other"."title" FROM "book" AS "other" WHERE "other"."pages" = (SELECT MAX("book"."pages") FROM "book" WHERE "book"."author_id" = "other"."author_id")"#,
            ),
            values: vec![],
        },
        Case {
            name: "inside a relationship condition: the related table's alias",
            got: all(|b| {
                let good = select(Review::id)
                    .correlate::<Book>()
                    .filter(Review::book_id.eq(Book::id).and(Review::stars.ge(4)));
                select(Author::name)
                    .filter(Author::books.any(exists(good)))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "author"."name" FROM "author" WHERE EXISTS(SELECT 1 FROM "book" AS "book_any" WHERE "book_any"."author_id" = "author"."id" AND EXISTS(SELECT "review"."id" FROM "review" WHERE "review"."book_id" = "book_any"."id" AND "review"."stars" >= ?))"#,
            ),
            values: vec![big(4)],
        },
        Case {
            name: "inside a relationship condition, two free levels down",
            got: all(|b| {
                let inner = select(Review::id)
                    .correlate::<Book>()
                    .filter(Review::book_id.eq(Book::id));
                let mid = select(Review::id)
                    .correlate::<Book>()
                    .filter(Review::book_id.eq(Book::id).and(exists(inner)));
                select(Author::name)
                    .filter(Author::books.any(exists(mid)))
                    .to_sql(b)
            }),
            want: same(
                r#"SELECT "author"."name" FROM "author" WHERE EXISTS(SELECT 1 FROM "book" AS "book_any" WHERE "book_any"."author_id" = "author"."id" AND EXISTS(SELECT "review"."id" FROM "review" WHERE "review"."book_id" = "book_any"."id" AND EXISTS(SELECT "review"."id" FROM "review" WHERE "review"."book_id" = "book_any"."id")))"#,
            ),
            values: vec![],
        },
    ]);
}
