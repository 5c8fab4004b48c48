//! Shared fixtures of the azoth benchmarks: the blog schema, declared once for azoth.

use azoth::prelude::*;

azoth::model! {
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        pub name: String,
        pub email: String,
        pub karma: i32,
    }
}

azoth::model! {
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        pub title: String,
        #[references(User::id)] pub author_id: i64,
        pub likes: i32,
    }
}

/// The medium query of the construction benchmark, built with azoth: a join, three filters, an
/// order and a limit, rendered for PostgreSQL.
pub fn azoth_medium(author: i64, min_likes: i32, needle: &str) -> azoth::Rendered {
    select((User::name, Post::id, Post::title))
        .join(Post::TABLE.on(Post::author_id.eq(User::id)))
        .filter(User::id.eq(author))
        .filter(Post::likes.ge(min_likes))
        .filter(Post::title.like(needle))
        .order_by(Post::id.desc())
        .limit(20)
        .to_sql(Backend::Postgres)
}

/// The same query hand-built with sea-query.
pub fn sea_query_medium(author: i64, min_likes: i32, needle: &str) -> (String, sea_query::Values) {
    use sea_query::{Expr, ExprTrait, JoinType, Order, PostgresQueryBuilder, Query};
    Query::select()
        .column(("users", "name"))
        .column(("posts", "id"))
        .column(("posts", "title"))
        .from("users")
        .join(
            JoinType::InnerJoin,
            "posts",
            Expr::col(("posts", "author_id")).equals(("users", "id")),
        )
        .and_where(Expr::col(("users", "id")).eq(author))
        .and_where(Expr::col(("posts", "likes")).gte(min_likes))
        .and_where(Expr::col(("posts", "title")).like(needle))
        .order_by(("posts", "id"), Order::Desc)
        .limit(20)
        .build(PostgresQueryBuilder)
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_build_the_same_query() {
        let a = super::azoth_medium(7, 3, "%rust%");
        let s = super::sea_query_medium(7, 3, "%rust%");
        assert_eq!(a.0, s.0);
        assert_eq!(a.1, s.1);
    }
}
