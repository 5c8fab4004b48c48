// Derives and attributes on a model and on its NewX, both kinds of default, and the builder that
// takes only the required fields (plain values for the optional ones).
use azoth::prelude::*;

fn next_code() -> String {
    "c-1".to_owned()
}

azoth::model! {
    /// A post.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[new(derive(serde::Deserialize))]
    #[table = "posts"]
    pub struct Post {
        #[primary_key] pub id: i64,
        #[serde(rename = "headline")] #[new(serde(rename = "headline"))] pub title: String,
        pub author_id: i64,
        #[unique] #[default(next_code())] pub code: String,
        #[server_default(0)] #[new(serde(default))] pub likes: i32,
        #[server_default(now())] pub created: chrono::DateTime<chrono::Utc>,
        #[allow(dead_code)] pub summary: Option<String>,
    }
}

fn main() {
    let short = NewPost::builder().title("Hi").author_id(1).summary(None).build();
    let full = NewPost { title: "Hi".into(), author_id: 1, code: None, likes: None, created: None, summary: None };
    assert_eq!(short, full);
    let _ = NewPost::builder().summary("s").likes(3).code("x").author_id(2).title(String::from("t")).build();
    let _ = insert(short).to_sql(Backend::Sqlite);
    let _: Result<NewPost, _> = serde_json::from_str(r#"{"headline":"Hi","author_id":1,"summary":null}"#);
}
