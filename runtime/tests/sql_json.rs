//! JSON getters and containment on every backend: filtering on a JSON field gives the same rows
//! on SQLite, PostgreSQL and MariaDB; nested paths, numbers, missing keys and JSON `null` read
//! alike; `contains_json` runs on PostgreSQL and MariaDB and is refused on SQLite before sending.

mod common;

use azoth::Json;
use azoth::prelude::*;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub lang: String,
    pub author: Option<String>,
    pub tags: Vec<String>,
}

azoth::model! {
    #[table = "js_posts"]
    pub struct JsPost {
        #[primary_key] pub id: i64,
        pub title: String,
        pub meta: Json<Meta>,
        pub stats: Option<serde_json::Value>,
    }
}

fn meta(lang: &str, author: Option<&str>, tags: &[&str]) -> Json<Meta> {
    Json(Meta {
        lang: lang.into(),
        author: author.map(Into::into),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    })
}

/// Four posts: two in English, one without stats, one whose stats hold JSON `null`s.
async fn seed(engine: &Engine) {
    engine.create_all::<(JsPost,)>().await.unwrap();
    let mut s = engine.session();
    s.execute(insert_many([
        NewJsPost {
            title: "first".into(),
            meta: meta("en", Some("ann"), &["rust", "sql"]),
            stats: Some(json!({"views": 120, "score": 4.5, "by": {"country": "NZ"}})),
        },
        NewJsPost {
            title: "second".into(),
            meta: meta("fr", Some("bob"), &["sql"]),
            stats: Some(json!({"views": 7, "score": 3.0, "by": {"country": "FR"}})),
        },
        NewJsPost {
            title: "third".into(),
            meta: meta("en", None, &[]),
            stats: None,
        },
        NewJsPost {
            title: "fourth".into(),
            meta: meta("de", Some("it's \"quoted\""), &["rust"]),
            stats: Some(json!({"views": null, "by": {}})),
        },
    ]))
    .await
    .unwrap();
}

#[tokio::test]
async fn sql_json_filter_on_a_field_gives_the_same_rows_everywhere() {
    for engine in common::engines("js_json_filter").await {
        let db = common::name(&engine);
        seed(&engine).await;
        let mut s = engine.session();
        let english: Vec<String> = s
            .all(
                select(JsPost::title)
                    .filter(JsPost::meta.get_text("lang").eq("en"))
                    .order_by(JsPost::id),
            )
            .await
            .unwrap();
        assert_eq!(english, ["first", "third"], "{db}");

        let authors: Vec<(String, Option<String>)> = s
            .all(select((JsPost::title, JsPost::meta.get_text("author"))).order_by(JsPost::id))
            .await
            .unwrap();
        assert_eq!(
            authors,
            [
                ("first".to_owned(), Some("ann".to_owned())),
                ("second".to_owned(), Some("bob".to_owned())),
                // JSON `null` reads as NULL, not the text "null".
                ("third".to_owned(), None),
                ("fourth".to_owned(), Some("it's \"quoted\"".to_owned())),
            ],
            "{db}"
        );

        let by_quoted: Vec<i64> = s
            .all(select(JsPost::id).filter(JsPost::meta.get_text("author").eq("it's \"quoted\"")))
            .await
            .unwrap();
        assert_eq!(by_quoted.len(), 1, "{db}");
    }
}

#[tokio::test]
async fn sql_json_nested_paths_numbers_and_missing_keys() {
    for engine in common::engines("js_json_paths").await {
        let db = common::name(&engine);
        seed(&engine).await;
        let mut s = engine.session();
        type Stats = (
            String,
            Option<i64>,
            Option<f64>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Stats> = s
            .all(
                select((
                    JsPost::title,
                    JsPost::stats.get_i64("views"),
                    JsPost::stats.get_f64("score"),
                    JsPost::stats.get_text(["by", "country"]),
                    JsPost::stats.get_text(["no", "such", "key"]),
                ))
                .order_by(JsPost::id),
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    "first".into(),
                    Some(120),
                    Some(4.5),
                    Some("NZ".into()),
                    None
                ),
                ("second".into(), Some(7), Some(3.0), Some("FR".into()), None),
                ("third".into(), None, None, None, None),
                ("fourth".into(), None, None, None, None),
            ],
            "{db}"
        );

        // A JSON number in a comparison and an ORDER BY.
        let popular: Vec<String> = s
            .all(
                select(JsPost::title)
                    .filter(JsPost::stats.get_i64("views").gt(10))
                    .order_by(JsPost::stats.get_i64("views").desc()),
            )
            .await
            .unwrap();
        assert_eq!(popular, ["first"], "{db}");
    }
}

#[tokio::test]
async fn sql_json_contains_on_postgres_and_mysql_refused_on_sqlite() {
    for engine in common::engines("js_json_contains").await {
        let db = common::name(&engine);
        seed(&engine).await;
        let mut s = engine.session();
        let q = || {
            select(JsPost::title)
                .filter(JsPost::meta.contains_json(json!({"lang": "en", "tags": ["rust"]})))
                .order_by(JsPost::id)
        };
        if engine.backend() == Backend::Sqlite {
            let before = engine.statements_run();
            let err = s.all(q()).await.unwrap_err();
            assert!(
                matches!(&err, azoth::Error::Unsupported(m) if m.contains("SQLite has no JSON containment")),
                "{db}: {err}"
            );
            let err = s
                .execute(
                    update(JsPost::TABLE)
                        .set(JsPost::title, "x")
                        .filter(JsPost::meta.contains_json(json!({"lang": "en"}))),
                )
                .await
                .unwrap_err();
            assert!(matches!(err, azoth::Error::Unsupported(_)), "{db}: {err}");
            let err = s.exists(q()).await.unwrap_err();
            assert!(matches!(err, azoth::Error::Unsupported(_)), "{db}: {err}");
            let err = s
                .stream(q())
                .try_collect::<Vec<String>>()
                .await
                .unwrap_err();
            assert!(matches!(err, azoth::Error::Unsupported(_)), "{db}: {err}");
            let err = s
                .all(
                    delete(JsPost::TABLE)
                        .filter(JsPost::meta.contains_json(json!({"lang": "en"})))
                        .returning(JsPost::id),
                )
                .await
                .unwrap_err();
            assert!(matches!(err, azoth::Error::Unsupported(_)), "{db}: {err}");
            assert_eq!(engine.statements_run(), before, "{db}: nothing sent");
            // A rendering for SQLite outside the runtime leaves no refusal behind for the next
            // statement.
            let _ = q().to_sql(Backend::Sqlite);
            assert_eq!(s.all(select(JsPost::id)).await.unwrap().len(), 4, "{db}");
            continue;
        }
        let titles: Vec<String> = s.all(q()).await.unwrap();
        assert_eq!(titles, ["first"], "{db}");
        let with_sql: Vec<String> = s
            .all(
                select(JsPost::title)
                    .filter(JsPost::meta.contains_json(json!({"tags": ["sql"]})))
                    .order_by(JsPost::id),
            )
            .await
            .unwrap();
        assert_eq!(with_sql, ["first", "second"], "{db}");
    }
}

azoth::derived! { pub struct JsLang { lang: Option<String>, views: Option<i64> } }

/// Grouping by a JSON field: each getter binds its keys anew, so PostgreSQL would not see the
/// selected getter and the grouped one as one expression (and the grouping check refuses a
/// getter that is not grouped by its column); read through a derived table, the field is a
/// column, grouped and selected alike on every backend.
#[tokio::test]
async fn sql_json_group_by_a_field_through_a_derived_table() {
    for engine in common::engines("js_json_group").await {
        let db = common::name(&engine);
        seed(&engine).await;
        let mut s = engine.session();
        let langs = JsLang::from_query(select((
            JsPost::meta.get_text("lang"),
            JsPost::stats.get_i64("views"),
        )));
        let got: Vec<(Option<String>, i64, Option<i64>)> = s
            .all(
                select((JsLang::lang, count_all(), sum(JsLang::views)))
                    .from(langs)
                    .group_by(JsLang::lang)
                    .order_by(JsLang::lang.desc()),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [
                (Some("fr".to_owned()), 1, Some(7)),
                (Some("en".to_owned()), 2, Some(120)),
                (Some("de".to_owned()), 1, None),
            ],
            "{db}"
        );
    }
}
