azoth::sql_newtype! { pub struct UserId(pub i64); }
azoth::sql_newtype! { pub struct CommentId(pub i64); }

azoth::model! { pub struct Member { #[primary_key] pub id: UserId, pub name: String } }
azoth::model! {
    pub struct Comment {
        #[primary_key] pub id: CommentId,
        // A `CommentId` column referencing the members' `UserId` key: both BIGINT, still a mix-up.
        #[references(Member::id)] pub parent_id: CommentId,
    }
}

fn main() {}
