// `on_delete` takes one of four actions.
use azoth_ui_tests::User;

azoth::model! {
    pub struct Comment {
        #[primary_key] pub id: i64,
        #[references(User::id, on_delete = delete_all)] pub user_id: i64,
    }
}

fn main() {}
