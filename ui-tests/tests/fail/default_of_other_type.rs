
azoth::model! {
    pub struct Counter {
        #[primary_key] pub id: i64,
        #[default("zero")] pub value: i32,
    }
}

fn main() {}
