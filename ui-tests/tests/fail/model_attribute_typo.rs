azoth::model! {
    pub struct Tag {
        #[primay_key] pub id: i64,
        pub name: String,
    }
}

fn main() {}
