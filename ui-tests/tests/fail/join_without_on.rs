use azoth_ui_tests::User;

azoth::model! {
    #[table = "tags"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        pub label: String,
    }
}

fn main() {
    let _ = User::select().join(Tag::TABLE);
}
