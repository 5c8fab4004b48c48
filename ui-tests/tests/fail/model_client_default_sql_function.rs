use azoth::prelude::*;

azoth::model! {
    pub struct Event {
        #[primary_key] pub id: i64,
        #[default(now())] pub at: chrono::DateTime<chrono::Utc>,
    }
}

fn main() {}
