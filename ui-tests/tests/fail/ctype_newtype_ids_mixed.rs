use azoth::prelude::*;

azoth::sql_newtype! { pub struct UserId(pub i64); }
azoth::sql_newtype! { pub struct CommentId(pub i64); }

azoth::model! { pub struct Member { #[primary_key] pub id: UserId, pub name: String } }
azoth::model! { pub struct Comment { #[primary_key] pub id: CommentId, pub author_id: UserId } }

fn main() {
    // The author's id compared with the comment's own id: both are BIGINT in the database, but a
    // `UserId` is not a `CommentId`.
    let _ = Comment::select().filter(Comment::author_id.eq(Comment::id));
}
