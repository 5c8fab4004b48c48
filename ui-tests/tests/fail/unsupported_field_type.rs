azoth::model! {
    pub struct Counter {
        #[primary_key] pub id: i64,
        pub hits: u64,
    }
}

fn main() {}
