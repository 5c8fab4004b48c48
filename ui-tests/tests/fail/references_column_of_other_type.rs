use azoth_ui_tests::User;

azoth::model! {
    pub struct Comment {
        #[primary_key] pub id: i64,
        #[references(User::name)] pub user_id: i64,
    }
}

fn main() {}
