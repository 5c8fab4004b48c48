//! Typed access into JSON columns (`Json<T>` and `serde_json::Value`): `get_text`, `get_i64`,
//! `get_f64` along a key or a path of keys, and containment with `contains_json`
//! (SQLAlchemy's `Post.meta["author"].as_string()` and `Post.meta.contains(..)`).
//!
//! The caller names the type of the value read; a missing key or a JSON `null` reads as NULL
//! (`None`). The keys are bound values on every backend: PostgreSQL walks them with `->` and
//! `->>`, MySQL/MariaDB and SQLite take one path (`$."a"."b"`, the keys quoted and escaped) in
//! `JSON_EXTRACT` / `json_extract`.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub meta: serde_json::Value } }
//! let q = select(Post::id).filter(Post::meta.get_text("lang").eq("en"));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "post"."id" FROM "post" WHERE ("post"."meta" ->> $1) = $2"#
//! );
//! assert_eq!(
//!     q.to_sql(Backend::Sqlite).0,
//!     r#"SELECT "post"."id" FROM "post" WHERE CAST(json_extract("post"."meta", ?) AS TEXT) = ?"#
//! );
//! ```
//!
//! Reading a value as another kind than it has follows each backend's casts (a string read with
//! `get_i64` is an error on PostgreSQL, `0` on SQLite and MySQL): read values as what they are.
//! SQLite's JSON paths cannot name a key holding `"`; such keys are found on the other backends
//! only.

use std::cell::RefCell;

use sea_query::{Alias, BinOper, Expr as SeaExpr, Func, Value};

use super::grouping::NoCols;
use super::{BaseOf, Expression, Ghost, ValidIn};
use crate::backend::Backend;
use crate::custom_types::{ColumnType, Json};
use crate::sql_types::{self, BaseType, BigInt, Bool, Double, IsNull, Nullable, Text};

/// A JSON SQL type: what the JSON getters and `contains_json` apply to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JSON column type: JSON getters need a `Json<T>` or `serde_json::Value` column",
    label = "not a JSON column",
    note = "`get_text`, `get_i64`, `get_f64` and `contains_json` read into JSON documents"
)]
pub trait JsonType: BaseType {}
impl JsonType for sql_types::Json {}
impl<T> JsonType for Json<T> where Json<T>: ColumnType {}

/// A key (`"author"`) or a path of keys (`["a", "b"]`, outermost first) into a JSON object.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JSON key or path of keys",
    label = "expected a key such as `\"author\"` or a path such as `[\"a\", \"b\"]`"
)]
pub trait JsonPath {
    /// The keys, outermost first.
    fn into_keys(self) -> Vec<String>;
}

impl JsonPath for &str {
    fn into_keys(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}
impl JsonPath for String {
    fn into_keys(self) -> Vec<String> {
        vec![self]
    }
}
impl<const N: usize> JsonPath for [&str; N] {
    fn into_keys(self) -> Vec<String> {
        self.iter().map(|k| (*k).to_owned()).collect()
    }
}
impl JsonPath for &[&str] {
    fn into_keys(self) -> Vec<String> {
        self.iter().map(|k| (*k).to_owned()).collect()
    }
}
impl JsonPath for Vec<String> {
    fn into_keys(self) -> Vec<String> {
        self
    }
}

/// How a JSON value is read: the SQL type it becomes.
pub trait JsonRead: Send + Sync + 'static {
    /// The base SQL type of the value read.
    type Base: BaseType;
    /// Converts the text read (`->>`, unquoted) on PostgreSQL and MySQL, or the value
    /// `json_extract` gives on SQLite.
    fn convert(text: SeaExpr, backend: Backend) -> SeaExpr;
}

/// Read as text (`->>` on PostgreSQL).
pub struct AsText;
/// Read as a 64-bit integer.
pub struct AsBigInt;
/// Read as a double.
pub struct AsDouble;

fn cast(e: SeaExpr, ty: &'static str) -> SeaExpr {
    Func::cast_as(e, Alias::new(ty)).into()
}

impl JsonRead for AsText {
    type Base = Text;
    fn convert(text: SeaExpr, backend: Backend) -> SeaExpr {
        match backend {
            // `json_extract` gives numbers as numbers: text, as on the others.
            Backend::Sqlite => cast(text, "TEXT"),
            Backend::Postgres | Backend::MySql => text,
        }
    }
}
impl JsonRead for AsBigInt {
    type Base = BigInt;
    fn convert(text: SeaExpr, backend: Backend) -> SeaExpr {
        match backend {
            Backend::Postgres => cast(text, "BIGINT"),
            Backend::MySql => cast(text, "SIGNED"),
            Backend::Sqlite => cast(text, "INTEGER"),
        }
    }
}
impl JsonRead for AsDouble {
    type Base = Double;
    fn convert(text: SeaExpr, backend: Backend) -> SeaExpr {
        match backend {
            Backend::Postgres => cast(text, "DOUBLE PRECISION"),
            Backend::MySql => cast(text, "DOUBLE"),
            Backend::Sqlite => cast(text, "REAL"),
        }
    }
}

/// A value read from a JSON document along a path of keys, as `K` says; NULL when missing.
pub struct JsonGet<E, K> {
    doc: E,
    keys: Vec<String>,
    _k: Ghost<K>,
}

/// The path `$."a"."b"` of MySQL and SQLite, each key quoted with `"` and `\` escaped.
fn dollar_path(keys: &[String]) -> String {
    let mut path = String::from("$");
    for k in keys {
        path.push_str(".\"");
        for c in k.chars() {
            if c == '"' || c == '\\' {
                path.push('\\');
            }
            path.push(c);
        }
        path.push('"');
    }
    path
}

/// The unquoted text at `keys` in `doc` (NULL for a missing key or a JSON `null`), or on SQLite
/// the SQL value `json_extract` gives.
fn extract(doc: SeaExpr, keys: &[String], backend: Backend) -> SeaExpr {
    let bound = |k: &str| SeaExpr::Value(Value::from(k.to_owned()));
    match backend {
        Backend::Postgres => {
            let Some((last, init)) = keys.split_last() else {
                return SeaExpr::cust_with_expr("($1 #>> '{}')", doc);
            };
            let walk = init.iter().fold(doc, |acc, k| {
                SeaExpr::Binary(Box::new(acc), BinOper::Custom("->"), Box::new(bound(k)))
            });
            SeaExpr::Binary(
                Box::new(walk),
                BinOper::Custom("->>"),
                Box::new(bound(last)),
            )
        }
        Backend::MySql => {
            // JSON_UNQUOTE of a JSON `null` is the text 'null': read it as NULL instead.
            let path = bound(&dollar_path(keys));
            let at = || {
                Func::cust("JSON_EXTRACT")
                    .arg(doc.clone())
                    .arg(path.clone())
            };
            SeaExpr::cust_with_exprs(
                "CASE JSON_TYPE(?) WHEN 'NULL' THEN NULL ELSE JSON_UNQUOTE(?) END",
                [at().into(), at().into()],
            )
        }
        Backend::Sqlite => Func::cust("json_extract")
            .arg(doc)
            .arg(bound(&dollar_path(keys)))
            .into(),
    }
}

impl<E: Expression, K: JsonRead> Expression for JsonGet<E, K> {
    type SqlType = Nullable<K::Base>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        K::convert(extract(self.doc.lower(b), &self.keys, b), b)
    }
}

impl<S, E: ValidIn<S, I>, K: JsonRead, I> ValidIn<S, I> for JsonGet<E, K> {
    type Null = IsNull;
    type Cols = E::Cols;
    type Key = NoCols;
}

crate::__expression_impls!(impl[E, K,] JsonGet<E, K>);

/// `doc @> value` (PostgreSQL), `JSON_CONTAINS(doc, value)` (MySQL/MariaDB): the document holds
/// `value` (every key of an object with a contained value, every element of an array).
pub struct JsonContains<E> {
    doc: E,
    value: serde_json::Value,
}

thread_local! {
    /// What the statement rendered last on this thread used that its backend lacks.
    static REFUSED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Takes the note a rendering left of a construct its backend lacks (`contains_json` on
/// SQLite): the runtime refuses the statement with it before sending. Call it before rendering
/// (to clear) and after.
#[doc(hidden)]
pub fn take_refusal() -> Option<String> {
    REFUSED.with(|r| r.borrow_mut().take())
}

/// The message `contains_json` on SQLite leaves for the runtime.
pub const CONTAINS_ON_SQLITE: &str = "SQLite has no JSON containment (`contains_json`, PostgreSQL's `@>`, MySQL's JSON_CONTAINS): compare single fields with `get_text(..)`/`get_i64(..)` instead";

impl<E: Expression> Expression for JsonContains<E> {
    type SqlType = <<E::SqlType as sql_types::SqlType>::Null as sql_types::NullFlag>::Apply<Bool>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let doc = self.doc.lower(b);
        let value = SeaExpr::Value(Value::Json(Some(Box::new(self.value.clone()))));
        match b {
            Backend::Postgres => SeaExpr::Binary(
                Box::new(doc),
                BinOper::PgOperator(sea_query::extension::postgres::PgBinOper::Contains),
                Box::new(value),
            ),
            Backend::MySql => Func::cust("JSON_CONTAINS").arg(doc).arg(value).into(),
            Backend::Sqlite => {
                REFUSED.with(|r| *r.borrow_mut() = Some(CONTAINS_ON_SQLITE.to_owned()));
                // Never sent by the runtime; SQLite itself would answer "no such function".
                Func::cust("azoth_json_contains_unsupported_on_sqlite")
                    .arg(doc)
                    .arg(value)
                    .into()
            }
        }
    }
}

impl<S, E: ValidIn<S, I>, I> ValidIn<S, I> for JsonContains<E> {
    type Null = E::Null;
    type Cols = E::Cols;
    type Key = NoCols;
}

crate::__expression_impls!(impl[E,] JsonContains<E>);

/// JSON getters and containment on `Json<T>` and `serde_json::Value` columns; in the prelude.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub meta: serde_json::Value } }
/// let q = select((Post::meta.get_text(["author", "name"]), Post::meta.get_i64("views")))
///     .filter(Post::meta.contains_json(serde_json::json!({"lang": "en"})));
/// assert_eq!(
///     q.to_sql(Backend::Postgres).0,
///     r#"SELECT ("post"."meta" -> $1) ->> $2, CAST(("post"."meta" ->> $3) AS BIGINT) FROM "post" WHERE "post"."meta" @> $4"#
/// );
/// ```
pub trait JsonMethods: Expression + Sized {
    /// The value at `path` (a key or `[key, ..]`) as text; `None` if missing or JSON `null`.
    fn get_text<P: JsonPath>(self, path: P) -> JsonGet<Self, AsText>
    where
        BaseOf<Self::SqlType>: JsonType,
    {
        json_get(self, path)
    }

    /// The value at `path` as a 64-bit integer; `None` if missing or JSON `null`.
    fn get_i64<P: JsonPath>(self, path: P) -> JsonGet<Self, AsBigInt>
    where
        BaseOf<Self::SqlType>: JsonType,
    {
        json_get(self, path)
    }

    /// The value at `path` as a double; `None` if missing or JSON `null`.
    fn get_f64<P: JsonPath>(self, path: P) -> JsonGet<Self, AsDouble>
    where
        BaseOf<Self::SqlType>: JsonType,
    {
        json_get(self, path)
    }

    /// Whether the document contains `value` (PostgreSQL `@>`, MySQL `JSON_CONTAINS`); SQLite
    /// has no containment: the runtime refuses it there before sending.
    fn contains_json(self, value: serde_json::Value) -> JsonContains<Self>
    where
        BaseOf<Self::SqlType>: JsonType,
    {
        JsonContains { doc: self, value }
    }
}

impl<E: Expression> JsonMethods for E {}

fn json_get<E, K, P: JsonPath>(doc: E, path: P) -> JsonGet<E, K> {
    JsonGet {
        doc,
        keys: path.into_keys(),
        _k: Ghost::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::dollar_path;

    #[test]
    fn paths_quote_and_escape_keys() {
        assert_eq!(dollar_path(&["a".into(), "b.c".into()]), r#"$."a"."b.c""#);
        assert_eq!(dollar_path(&[r#"q"k\"#.into()]), r#"$."q\"k\\""#);
        assert_eq!(dollar_path(&[]), "$");
    }
}
