// Only text columns have a maximum length.
azoth::model! {
    pub struct Item {
        #[primary_key] pub id: i64,
        #[max_len = 10] pub stock: i32,
    }
}

fn main() {}
