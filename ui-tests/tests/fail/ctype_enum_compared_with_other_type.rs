use azoth::prelude::*;

azoth::sql_enum! { pub enum Status { Draft = "draft", Published = "published" } }

azoth::model! {
    pub struct Article {
        #[primary_key] pub id: i64,
        pub title: String,
        pub status: Status,
    }
}

fn main() {
    // An enum column compared with a text column: both are stored as text, but they are not
    // the same type.
    let _ = Article::select().filter(Article::status.eq(Article::title));
}
