//! JSON getters and containment on every backend: filtering on a JSON field gives the same rows
//! on SQLite, PostgreSQL and MariaDB; nested paths, numbers, missing keys and JSON `null` read
//! alike; `contains_json` gives PostgreSQL's answers on SQLite too (MariaDB's JSON_CONTAINS differs
//! where a scalar meets an array below the top).

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

/// The titles whose `meta` (or `stats`) contains `value`, in id order.
async fn containing(s: &mut azoth::Session, stats: bool, value: serde_json::Value) -> Vec<String> {
    let q = select(JsPost::title).order_by(JsPost::id);
    let q = if stats {
        q.filter(JsPost::stats.contains_json(value))
    } else {
        q.filter(JsPost::meta.contains_json(value))
    };
    s.all(q).await.unwrap()
}

#[tokio::test]
async fn sql_json_contains_on_every_backend() {
    for engine in common::engines("js_json_contains").await {
        let db = common::name(&engine);
        seed(&engine).await;
        let mut s = engine.session();
        let all = ["first", "second", "third", "fourth"];
        let cases: Vec<(bool, serde_json::Value, Vec<&str>)> = vec![
            (
                false,
                json!({"lang": "en", "tags": ["rust"]}),
                vec!["first"],
            ),
            (false, json!({"tags": ["sql"]}), vec!["first", "second"]),
            (false, json!({"tags": ["rust", "sql"]}), vec!["first"]),
            (
                false,
                json!({"tags": ["sql", "sql"]}),
                vec!["first", "second"],
            ),
            (false, json!({"tags": []}), all.to_vec()),
            (false, json!({}), all.to_vec()),
            (false, json!({"author": null}), vec!["third"]),
            (false, json!({"author": "it's \"quoted\""}), vec!["fourth"]),
            (false, json!({"lang": "EN"}), vec![]),
            (false, json!({"nope": "en"}), vec![]),
            (false, json!([]), vec![]),
            (true, json!({"views": 120}), vec!["first"]),
            (true, json!({"score": 3}), vec!["second"]),
            (true, json!({"score": 4.5, "views": 120}), vec!["first"]),
            (true, json!({"views": "120"}), vec![]),
            (true, json!({"by": {"country": "NZ"}}), vec!["first"]),
            (true, json!({"by": {}}), vec!["first", "second", "fourth"]),
            (true, json!({"views": null}), vec!["fourth"]),
            // A scalar is not contained in an object that holds it as a value.
            (true, json!(120), vec![]),
        ];
        for (stats, value, want) in cases {
            let got = containing(&mut s, stats, value.clone()).await;
            assert_eq!(got, want, "{db}: contains {value}");
        }
        // A scalar against an array one level down: PostgreSQL (and SQLite, written out with its
        // rules) say no; MySQL's JSON_CONTAINS looks into the array.
        let got = containing(&mut s, false, json!({"tags": "rust"})).await;
        let want: &[&str] = match engine.backend() {
            Backend::MySql => &["first", "fourth"],
            _ => &[],
        };
        assert_eq!(got, want, "{db}");
        // In an UPDATE's filter too.
        let n = s
            .execute(
                update(JsPost::TABLE)
                    .set(JsPost::title, "renamed")
                    .filter(JsPost::meta.contains_json(json!({"lang": "fr"}))),
            )
            .await
            .unwrap();
        assert_eq!(n, 1, "{db}");
    }
}

/// PostgreSQL's exception, kept on SQLite: a top-level array contains a scalar element; arrays of
/// objects contain objects element by element.
#[tokio::test]
async fn sql_json_contains_in_arrays_on_every_backend() {
    for engine in common::engines("js_json_contains_arrays").await {
        let db = common::name(&engine);
        seed(&engine).await;
        let mut s = engine.session();
        s.execute(insert_many([
            NewJsPost {
                title: "array".into(),
                meta: meta("en", None, &[]),
                stats: Some(json!([1, "two", {"k": [3, 4]}, [5, 6]])),
            },
            NewJsPost {
                title: "objects".into(),
                meta: meta("en", None, &[]),
                stats: Some(json!({"items": [{"id": 1, "ok": true}, {"id": 2, "ok": false}]})),
            },
        ]))
        .await
        .unwrap();
        let cases: Vec<(serde_json::Value, Vec<&str>)> = vec![
            (json!(1), vec!["array"]),
            (json!("two"), vec!["array"]),
            (json!(2), vec![]),
            (json!([1, "two"]), vec!["array"]),
            (json!([{"k": [4]}]), vec!["array"]),
            (json!([{"k": [7]}]), vec![]),
            (json!([[6]]), vec!["array"]),
            (json!({"items": [{"id": 2}]}), vec!["objects"]),
            (json!({"items": [{"id": 2, "ok": true}]}), vec![]),
            (
                json!({"items": [{"ok": true}, {"ok": false}]}),
                vec!["objects"],
            ),
        ];
        for (value, want) in cases {
            let got = containing(&mut s, true, value.clone()).await;
            assert_eq!(got, want, "{db}: contains {value}");
        }
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
