azoth::model! {
    pub struct Country {
        #[primary_key] pub code: String,
        pub name: String,
    }
}

fn main() {}
