azoth::model! {
    pub struct Counter {
        #[primary_key] pub id: i64,
        #[default = 0] pub hits: i32,
    }
}

fn main() {}
