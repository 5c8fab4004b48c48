// Table aliases: a table joined twice, or to itself, with each name's columns checked.
use azoth::prelude::*;
use azoth_ui_tests::{Post, User};

azoth::alias!(pub Author = User);
azoth::alias!(pub Other = Post as "other_post");

fn main() {
    // Along a relationship, to an alias and from it.
    let q = select((Post::title, Author.col(User::name), Other.col(Post::title)))
        .join(Post::author.aliased(Author))
        .left_join(User::posts.starting_at(Author).aliased(Other))
        .filter(Author.col(User::karma).gt(3))
        .order_by(Other.col(Post::id).desc());
    let _ = q.to_sql(Backend::Postgres);

    let _ = run;
}

// On a condition; a whole aliased row decodes into the model (an Option after a LEFT JOIN).
async fn run(s: &mut Session) -> Vec<(Post, Option<User>)> {
    let q = select((Whole::<Post>::new(), Author.all()))
        .left_join(Author::TABLE.on(Author.col(User::id).eq(Post::author_id)));
    s.all(q).await.unwrap_or_default()
}
