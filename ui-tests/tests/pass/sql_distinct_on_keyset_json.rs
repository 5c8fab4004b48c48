use azoth::prelude::*;
use azoth::{Json, typed};
use azoth_ui_tests::{Post, User};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub lang: String,
}

azoth::model! {
    #[table = "js_docs"]
    pub struct Doc {
        #[primary_key] pub id: i64,
        pub meta: Json<Meta>,
        pub extra: Option<serde_json::Value>,
    }
}

async fn latest_per_author(s: &mut Session<typed::Postgres>) -> azoth::Result<Vec<Post>> {
    s.all(Post::select().distinct_on(Post::author_id).order_by(Post::id.desc()))
        .await
}

async fn latest_any(s: &mut Session) -> azoth::Result<Option<(i64, String)>> {
    s.first(select((Post::author_id, Post::title)).distinct_on((Post::author_id,)))
        .await
}

async fn page<B>(s: &mut Session<B>, last: Option<(String, i64)>) -> azoth::Result<Vec<User>>
where
    B: Send + Sync + 'static,
{
    s.all(
        User::select()
            .keyset((User::name.asc(), User::id.desc()))
            .after_opt(last)
            .limit(20),
    )
    .await
}

async fn docs(s: &mut Session<typed::Sqlite>) -> azoth::Result<Vec<(i64, Option<String>, Option<i64>)>> {
    s.all(
        select((Doc::id, Doc::meta.get_text("lang"), Doc::extra.get_i64(["a", "b"])))
            .filter(Doc::extra.get_f64("score").gt(1.5))
            .order_by(Doc::meta.get_text("lang")),
    )
    .await
}

fn main() {
    let _ = (latest_per_author, latest_any, page::<typed::MySql>, docs);
    let _ = Doc::select().filter(Doc::meta.contains_json(serde_json::json!({"lang": "en"})));
}
