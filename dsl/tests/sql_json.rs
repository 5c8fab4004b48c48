//! JSON getters and containment: the exact SQL and bound values on each backend (keys bound on
//! PostgreSQL, one quoted `$."a"."b"` path bound on MySQL and SQLite).

mod common;

use azoth_dsl::prelude::*;
use azoth_dsl::{Json, Value};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub lang: String,
}

azoth_dsl::model! {
    #[table = "js_docs"]
    pub struct Doc {
        #[primary_key] pub id: i64,
        pub meta: Json<Meta>,
        pub extra: Option<serde_json::Value>,
    }
}

/// `(sql, values)` on PostgreSQL, MySQL and SQLite.
fn per_backend(render: impl Fn(Backend) -> azoth_dsl::Rendered) -> [azoth_dsl::Rendered; 3] {
    Backend::ALL.map(render)
}

fn text(s: &str) -> Value {
    Value::from(s)
}

#[test]
fn sql_json_get_text_in_a_filter() {
    let [pg, my, lite] = per_backend(|b| {
        select(Doc::id)
            .filter(Doc::meta.get_text("lang").eq("en"))
            .to_sql(b)
    });
    assert_eq!(
        pg.0,
        r#"SELECT "js_docs"."id" FROM "js_docs" WHERE ("js_docs"."meta" ->> $1) = $2"#
    );
    assert_eq!(pg.1.0, [text("lang"), text("en")]);
    assert_eq!(
        my.0,
        "SELECT `js_docs`.`id` FROM `js_docs` WHERE (CASE JSON_TYPE(JSON_EXTRACT(`js_docs`.`meta`, ?)) WHEN 'NULL' THEN NULL ELSE JSON_UNQUOTE(JSON_EXTRACT(`js_docs`.`meta`, ?)) END) = ?"
    );
    assert_eq!(
        my.1.0,
        [text(r#"$."lang""#), text(r#"$."lang""#), text("en")]
    );
    assert_eq!(
        lite.0,
        r#"SELECT "js_docs"."id" FROM "js_docs" WHERE CAST(json_extract("js_docs"."meta", ?) AS TEXT) = ?"#
    );
    assert_eq!(lite.1.0, [text(r#"$."lang""#), text("en")]);
}

#[test]
fn sql_json_nested_paths_and_numbers() {
    let [pg, my, lite] = per_backend(|b| {
        select((
            Doc::extra.get_i64(["stats", "views"]),
            Doc::extra.get_f64("score"),
        ))
        .to_sql(b)
    });
    assert_eq!(
        pg.0,
        r#"SELECT CAST((("js_docs"."extra" -> $1) ->> $2) AS BIGINT), CAST(("js_docs"."extra" ->> $3) AS DOUBLE PRECISION) FROM "js_docs""#
    );
    assert_eq!(pg.1.0, [text("stats"), text("views"), text("score")]);
    assert_eq!(
        my.0,
        "SELECT CAST((CASE JSON_TYPE(JSON_EXTRACT(`js_docs`.`extra`, ?)) WHEN 'NULL' THEN NULL ELSE JSON_UNQUOTE(JSON_EXTRACT(`js_docs`.`extra`, ?)) END) AS SIGNED), CAST((CASE JSON_TYPE(JSON_EXTRACT(`js_docs`.`extra`, ?)) WHEN 'NULL' THEN NULL ELSE JSON_UNQUOTE(JSON_EXTRACT(`js_docs`.`extra`, ?)) END) AS DOUBLE) FROM `js_docs`"
    );
    let (views, score) = (text(r#"$."stats"."views""#), text(r#"$."score""#));
    assert_eq!(
        my.1.0,
        [views.clone(), views.clone(), score.clone(), score.clone()]
    );
    assert_eq!(
        lite.0,
        r#"SELECT CAST(json_extract("js_docs"."extra", ?) AS INTEGER), CAST(json_extract("js_docs"."extra", ?) AS REAL) FROM "js_docs""#
    );
    assert_eq!(lite.1.0, [views, score]);
}

#[test]
fn sql_json_keys_are_bound_never_spliced() {
    let key = r#"x') OR 1=1; --"q"#;
    for b in Backend::ALL {
        let (sql, values) = select(Doc::id)
            .filter(Doc::meta.get_text(key).is_null())
            .to_sql(b);
        assert!(!sql.contains("OR 1=1"), "{sql}");
        let bound = match b {
            Backend::Postgres => text(key),
            _ => text(r#"$."x') OR 1=1; --\"q""#),
        };
        assert!(values.0.contains(&bound), "{b:?}: {:?}", values.0);
    }
}

#[test]
fn sql_json_contains() {
    let doc = serde_json::json!({"lang": "en"});
    let [pg, my, lite] = per_backend(|b| {
        select(Doc::id)
            .filter(Doc::meta.contains_json(doc.clone()))
            .to_sql(b)
    });
    let bound = Value::Json(Some(Box::new(doc.clone())));
    assert_eq!(
        pg.0,
        r#"SELECT "js_docs"."id" FROM "js_docs" WHERE "js_docs"."meta" @> $1"#
    );
    assert_eq!(pg.1.0, std::slice::from_ref(&bound));
    assert_eq!(
        my.0,
        "SELECT `js_docs`.`id` FROM `js_docs` WHERE JSON_CONTAINS(`js_docs`.`meta`, ?)"
    );
    assert_eq!(my.1.0, [bound]);
    // SQLite: the same test written out, every key, path and value bound.
    assert_eq!(
        lite.0,
        r#"SELECT "js_docs"."id" FROM "js_docs" WHERE (json_type("js_docs"."meta", ?) IN ('object')) AND ((json_type("js_docs"."meta", ?) IN ('text')) AND (json_extract("js_docs"."meta", ?)) = ?)"#
    );
    assert_eq!(
        lite.1.0,
        [
            text("$"),
            text(r#"$."lang""#),
            text(r#"$."lang""#),
            text("en")
        ]
    );
    // An array below: one `json_each` per element sought, its alias numbered by depth.
    let (sql, values) = select(Doc::id)
        .filter(Doc::meta.contains_json(serde_json::json!({"tags": [{"k": 1}]})))
        .to_sql(Backend::Sqlite);
    assert_eq!(
        sql,
        r#"SELECT "js_docs"."id" FROM "js_docs" WHERE (json_type("js_docs"."meta", ?) IN ('object')) AND ((json_type("js_docs"."meta", ?) IN ('array')) AND (EXISTS (SELECT 1 FROM json_each("js_docs"."meta", ?) AS "azoth_json_0" WHERE (json_type(CASE WHEN "azoth_json_0"."type" IN ('object', 'array') THEN "azoth_json_0"."value" END, ?) IN ('object')) AND ((json_type(CASE WHEN "azoth_json_0"."type" IN ('object', 'array') THEN "azoth_json_0"."value" END, ?) IN ('integer', 'real')) AND (json_extract(CASE WHEN "azoth_json_0"."type" IN ('object', 'array') THEN "azoth_json_0"."value" END, ?)) = ?))))"#
    );
    assert_eq!(values.0.len(), 7);
}

#[test]
fn sql_json_values_select_and_order() {
    let (sql, _) = select((Doc::id, Doc::meta.get_text("lang")))
        .order_by(Doc::meta.get_text("lang").desc())
        .to_sql(Backend::Postgres);
    assert_eq!(
        sql,
        r#"SELECT "js_docs"."id", "js_docs"."meta" ->> $1 FROM "js_docs" ORDER BY "js_docs"."meta" ->> $2 DESC"#
    );
}
