azoth::model! {
    pub struct Tagging {
        #[primary_key(manual)] pub post_id: i64,
        #[primary_key(manual)] pub tag: String,
    }
    relations {
        notes: has_many(Note, Note::post_id),
    }
}

azoth::model! {
    pub struct Note {
        #[primary_key] pub id: i64,
        pub post_id: i64,
    }
}

fn main() {}
