azoth::model! {
    #[tablename = "tags"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        pub name: String,
    }
}

fn main() {}
