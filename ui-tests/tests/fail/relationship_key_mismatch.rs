// A relationship to a model whose key is (post_id, tag) must name two columns, in key order.
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
        pub tag: String,
    }
}

fn main() {}
