//! Derives and other attributes on models: kept on the row struct and its fields, `#[new(..)]`
//! ones on `NewX`; a JSON round trip of both, and a JSON request body inserted, on every backend.

mod common;

azoth::model! {
    /// An article, served as JSON.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[new(derive(serde::Deserialize))]
    #[new(serde(deny_unknown_fields))]
    #[table = "model_articles"]
    pub struct Article {
        #[primary_key] pub id: i64,
        #[serde(rename = "headline")] #[new(serde(rename = "headline"))] pub title: String,
        pub author_id: i64,
        #[server_default(0)] pub view_count: i32,
        #[serde(skip_serializing_if = "Option::is_none")] pub summary: Option<String>,
    }
}

#[test]
fn model_row_struct_keeps_serde_attributes() {
    let a = Article {
        id: 7,
        title: "Hi".into(),
        author_id: 1,
        view_count: 3,
        summary: None,
    };
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(
        json,
        r#"{"id":7,"headline":"Hi","authorId":1,"viewCount":3}"#
    );
    let back: Article = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    // The derives the row struct always has are kept alongside the user's.
    assert_eq!(format!("{:?}", a.clone()), format!("{a:?}"));
}

#[test]
fn model_new_struct_takes_its_own_attributes() {
    // `NewArticle` has only `#[new(..)]` attributes: no camelCase, its own rename, and the
    // defaulted column may be left out of the body.
    let body = r#"{"headline":"Hi","author_id":1,"summary":null}"#;
    let new: NewArticle = serde_json::from_str(body).unwrap();
    assert_eq!(
        new,
        NewArticle {
            title: "Hi".into(),
            author_id: 1,
            view_count: None,
            summary: None,
        }
    );
    let with_views: NewArticle =
        serde_json::from_str(r#"{"headline":"Hi","author_id":1,"view_count":4,"summary":"s"}"#)
            .unwrap();
    assert_eq!(
        (with_views.view_count, with_views.summary.as_deref()),
        (Some(4), Some("s"))
    );
    let unknown = serde_json::from_str::<NewArticle>(
        r#"{"headline":"Hi","author_id":1,"summary":null,"id":3}"#,
    );
    assert!(
        unknown
            .unwrap_err()
            .to_string()
            .contains("unknown field `id`")
    );
}

#[tokio::test]
async fn model_json_body_is_inserted_and_served() {
    for engine in common::engines("model_json_body").await {
        let db = common::name(&engine);
        engine.create_all::<(Article,)>().await.unwrap();
        let mut s = engine.session();
        let new: NewArticle =
            serde_json::from_str(r#"{"headline":"Hello","author_id":2,"summary":"short"}"#)
                .unwrap();
        let stored = s.insert(new).await.unwrap();
        let json = serde_json::to_value(&stored).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": stored.id, "headline": "Hello", "authorId": 2, "viewCount": 0, "summary": "short"}),
            "{db}"
        );
    }
}
