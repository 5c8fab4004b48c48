// ON DELETE SET NULL needs a column that may be NULL.
use azoth_ui_tests::User;

azoth::model! {
    pub struct Note {
        #[primary_key] pub id: i64,
        #[references(User::id, on_delete = set_null)] pub user_id: i64,
    }
}

fn main() {}
