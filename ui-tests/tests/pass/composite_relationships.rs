// Relationships over composite keys: the key columns are listed in parentheses, in key order.
use azoth::prelude::*;

azoth::model! {
    pub struct Tagging {
        #[primary_key(manual)] pub post_id: i64,
        #[primary_key(manual)] pub tag: String,
    }
    relations {
        notes: has_many(Note, (Note::post_id, Note::tag)),
        readers: many_to_many(Reader, Reading, (Reading::post_id, Reading::tag), Reading::reader_id),
    }
}

azoth::model! {
    pub struct Note {
        #[primary_key] pub id: i64,
        pub post_id: Option<i64>,
        pub tag: Option<String>,
    }
    relations {
        tagging: belongs_to(Tagging, (Note::post_id, Note::tag)),
    }
}

azoth::model! {
    pub struct Reader { #[primary_key] pub id: i64 }
}

azoth::model! {
    pub struct Reading {
        #[primary_key(manual)] pub post_id: i64,
        #[primary_key(manual)] pub tag: String,
        #[primary_key(manual)] pub reader_id: i64,
    }
}

fn main() {
    let _ = Tagging::select().options((selectin(Tagging::notes), joined(Tagging::readers)));
    let _ = select((Tagging::tag, Note::id)).join(Tagging::notes);
    let _ = read;
}

// A nullable composite foreign key reads as an option.
async fn read(s: &mut Session) -> Option<String> {
    let notes = s.all(Note::select().options(selectin(Note::tagging))).await.ok()?;
    let tagging: Option<&Loaded<Tagging, ()>> = notes.first()?.get(Note::tagging);
    tagging.map(|t| t.tag.clone())
}
