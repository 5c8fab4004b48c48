use azoth_ui_tests::User;

fn main() {
    let _ = User::select().filter(User::name);
}
