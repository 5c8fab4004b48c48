azoth::model! {
    pub struct Tag {
        #[primary_key] pub id: i64,
        #[nullable] pub name: String,
    }
}

fn main() {}
