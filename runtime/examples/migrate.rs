//! A migration tool for a project's models: the whole `main` is one call.
//!
//! ```text
//! DATABASE_URL=sqlite:blog.db?mode=rwc cargo run -p azoth --example migrate -- generate init
//! DATABASE_URL=sqlite:blog.db?mode=rwc cargo run -p azoth --example migrate -- run
//! DATABASE_URL=sqlite:blog.db?mode=rwc cargo run -p azoth --example migrate -- status
//! ```
//!
//! Files go to `migrations/<backend>/` (`--source DIR` to change the root), in sqlx's layout.

azoth::model! {
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        #[unique] #[max_len = 120] pub email: String,
        pub name: String,
    }
}

azoth::model! {
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        #[references(User::id, on_delete = cascade)] #[index] pub author_id: i64,
        pub title: String,
    }
}

azoth::model! {
    #[table = "tags"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        #[unique] #[max_len = 40] pub name: String,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> azoth::Result<()> {
    azoth::migrate::cli::<(User, Post, Tag)>().await
}
