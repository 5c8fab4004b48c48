//! The correct forms of every checked construct compile.
use azoth::prelude::*;
use azoth_ui_tests::{NewUser, Post, User};

fn main() {
    // Comparisons with values and with columns of the same SQL type, nullable or not.
    let _ = User::select().filter(User::id.eq(1).and(User::bio.eq("x")).and(User::karma.eq(User::karma).not()));
    // Columns of joined tables, in filters, ordering and the selection.
    let q = select((User::name, Post::title))
        .join(Post::TABLE.on(Post::author_id.eq(User::id)))
        .filter(Post::likes.gt(1))
        .order_by((Post::likes.desc(), User::name));
    let _ = q.to_sql(Backend::Postgres);
    // Decoding: nullable into Option, outer-joined into Option, any column into Option.
    let _ = select((User::name, User::bio)).row::<(String, Option<String>), _>();
    let _ = select((User::name, Post::title))
        .left_join(Post::TABLE.on(Post::author_id.eq(User::id)))
        .row::<(String, Option<String>), _>();
    let _ = select(User::id).row::<Option<i64>, _>();
    // Text and numeric operators on the right types.
    let _ = select((lower(User::name), sum(Post::likes), Post::likes.add(1), avg(User::karma)))
        .join(Post::TABLE.on(Post::author_id.eq(User::id)));
    let _ = User::select().filter(User::name.ilike("%a%").or(User::email.contains("@")));
    // Inserts: defaults may be left to the database.
    let new = NewUser { name: "ann".into(), email: "a@x.org".into(), bio: None, karma: Some(3), created: None };
    let _ = insert(new.clone()).on_conflict(User::email).do_update((User::name, User::karma));
    let _ = insert_many(vec![new.clone(), new]).returning(User::id);
    // Updates: values of the column's type, NULL into a nullable column, expressions of the table.
    let _ = update(User::TABLE).set(User::karma, User::karma.add(1)).set(User::bio, None).filter(User::id.eq(1));
    let _ = delete(Post::TABLE).filter(Post::likes.lt(0));
    // Run-time composition, still typed by table.
    let mut filters: Vec<Boxed<User>> = Vec::new();
    filters.push(User::bio.contains("rust").boxed());
    filters.push(User::id.gt(3).boxed());
    let _ = User::select().filter(and_all(filters));
}
