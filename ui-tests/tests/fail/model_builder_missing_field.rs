azoth::model! {
    pub struct Post { #[primary_key] pub id: i64, pub title: String, pub author_id: i64 }
}

fn main() {
    let _ = NewPost::builder().title("Hello").build();
}
