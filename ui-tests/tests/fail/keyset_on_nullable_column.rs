use azoth::prelude::*;
use azoth_ui_tests::User;

fn main() {
    // `bio` may be NULL: a keyset page cannot continue past NULLs.
    let _ = User::select().keyset((User::bio.asc(), User::id.asc()));
}
