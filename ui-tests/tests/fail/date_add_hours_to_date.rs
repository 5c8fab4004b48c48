use azoth::prelude::*;

fn main() {
    let _ = select(date_add(current_date(), hours(1)));
}
