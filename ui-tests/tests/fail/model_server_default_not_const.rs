fn next_token() -> String {
    "tok-0".to_owned()
}

azoth::model! {
    pub struct Token {
        #[primary_key] pub id: i64,
        #[server_default(next_token())] pub code: String,
    }
}

fn main() {}
