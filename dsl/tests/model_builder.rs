//! `NewX::builder()`: setters in any order, plain values for optional fields (literals of every
//! numeric width infer, `&str` for `String`), and the same row as the struct literal.

use azoth_dsl::Value;
use azoth_dsl::prelude::*;

azoth_dsl::model! {
    pub struct Sample {
        #[primary_key] pub id: i64,
        pub small: i16,
        pub ratio: f32,
        pub name: String,
        pub note: Option<String>,
        #[default(7)] pub level: i16,
        #[server_default(1.5)] pub weight: f64,
        #[default(None)] pub tag: Option<String>,
        #[primary_key(manual)] pub code: String,
    }
}

#[test]
fn model_builder_takes_plain_values_in_any_order() {
    let built = NewSample::builder()
        .code("c")
        .note("n")
        .ratio(0.5)
        .name("x")
        .small(3)
        .level(2)
        .tag("t")
        .build();
    assert_eq!(
        built,
        NewSample {
            small: 3,
            ratio: 0.5,
            name: "x".into(),
            note: Some("n".into()),
            level: Some(2),
            weight: None,
            tag: Some(Some("t".into())),
            code: "c".into(),
        }
    );
    let bare = NewSample::builder()
        .small(1)
        .ratio(1.0)
        .name(String::from("y"))
        .note(None)
        .code("d")
        .weight(2.0)
        .build();
    assert_eq!((bare.level, bare.weight, bare.tag), (None, Some(2.0), None));
}

#[test]
fn model_client_defaults_fill_each_row() {
    let row = || {
        NewSample::builder()
            .small(1)
            .ratio(1.0)
            .name("y")
            .note(None)
            .code("d")
            .build()
    };
    let (sql, values) = insert_many([row(), row()]).to_sql(Backend::Sqlite);
    // `level` and `tag` (client defaults) are bound per row; `weight` is left to the database.
    assert_eq!(
        sql,
        r#"INSERT INTO "sample" ("small", "ratio", "name", "note", "level", "tag", "code") VALUES (?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?)"#
    );
    assert_eq!(values.0[4], Value::SmallInt(Some(7)));
    assert_eq!(values.0[5], Value::String(None));
    assert!(Sample::META.column("level").unwrap().default.is_none());
    assert!(Sample::META.column("weight").unwrap().default.is_some());
}
