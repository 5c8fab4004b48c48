//! Enums (text and integer), newtype ids and typed JSON as column types: required and nullable,
//! in filters, inserts, updates, selections, joins and references.

use azoth::Json;
use azoth::prelude::*;

azoth::sql_enum! {
    /// Where a post is in its life.
    pub enum Status { Draft = "draft", Published = "published" }
}
azoth::sql_enum! { pub enum Priority: i16 { Low = 1, High = 2 } }
azoth::sql_newtype! { #[derive(Copy, Eq, Hash)] pub struct UserId(pub i64); }
azoth::sql_newtype! { #[derive(Copy, Eq, Hash)] pub struct ArticleId(pub i64); }

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub tags: Vec<String>,
}

azoth::model! { pub struct Member { #[primary_key] pub id: UserId, pub name: String } }
azoth::model! {
    pub struct Article {
        #[primary_key] pub id: ArticleId,
        #[references(Member::id)] pub author_id: UserId,
        #[index] pub status: Status,
        pub previous: Option<Status>,
        pub priority: Option<Priority>,
        pub meta: Json<Meta>,
    }
    relations { author: belongs_to(Member, Article::author_id) }
}

fn main() {
    let _ = Article::select().filter(
        Article::status
            .in_([Status::Draft, Status::Published])
            .and(Article::previous.eq(Status::Draft))
            .and(Article::priority.is_null())
            .and(Article::author_id.eq(UserId(1))),
    );
    let _ = select((Article::id, Member::name))
        .join(Member::TABLE.on(Article::author_id.eq(Member::id)))
        .row::<(ArticleId, String), _>();
    let _ = select((Article::status, Article::previous, Article::meta)).row::<(
        Status,
        Option<Status>,
        Json<Meta>,
    ), _>();
    let _ = insert(NewArticle {
        author_id: UserId(1),
        status: Status::Draft,
        previous: None,
        priority: Some(Priority::High),
        meta: Json(Meta { tags: vec![] }),
    });
    let _ = update(Article::TABLE)
        .set(Article::status, Status::Published)
        .set(Article::previous, None::<Status>)
        .set(Article::priority, Priority::Low)
        .filter(Article::id.eq(ArticleId(3)));
}
