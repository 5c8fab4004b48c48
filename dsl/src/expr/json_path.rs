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

use sea_query::{Alias, BinOper, Expr as SeaExpr, ExprTrait, Func, Value};

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

/// `doc @> value` (PostgreSQL), `JSON_CONTAINS(doc, value)` (MySQL/MariaDB), the same test
/// written out on SQLite: the document holds `value` (every key of an object with a contained
/// value, every element of an array).
pub struct JsonContains<E> {
    doc: E,
    value: serde_json::Value,
}

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
            Backend::Sqlite => sqlite_contains(&doc, "$", &self.value, 0, true),
        }
    }
}

/// SQLite has no containment operator: `@>` written out over `json_type`, `json_extract` and
/// `json_each`, with PostgreSQL's rules. An object holds every key of `value` with a contained
/// value; an array holds, for every element of `value`, some element containing it; a scalar is
/// equal in kind and value; and, at the top only, an array holds a scalar one of its elements
/// equals. Every key, path and value is bound.
fn sqlite_contains(
    doc: &SeaExpr,
    path: &str,
    value: &serde_json::Value,
    depth: usize,
    top: bool,
) -> SeaExpr {
    use serde_json::Value as J;
    let at = || SeaExpr::Value(Value::from(path.to_owned()));
    let kind_is = |kinds: &str| {
        SeaExpr::cust_with_exprs(format!("json_type(?, ?) IN ({kinds})"), [doc.clone(), at()])
    };
    match value {
        J::Object(fields) => fields.iter().fold(kind_is("'object'"), |all, (k, v)| {
            let inner = format!(
                "{path}{}",
                dollar_path(std::slice::from_ref(k)).split_at(1).1
            );
            all.and(sqlite_contains(doc, &inner, v, depth, false))
        }),
        J::Array(items) => items.iter().fold(kind_is("'array'"), |all, item| {
            all.and(sqlite_some_element(doc, at(), item, depth))
        }),
        scalar => {
            let here = sqlite_scalar(
                SeaExpr::cust_with_exprs("json_type(?, ?)", [doc.clone(), at()]),
                SeaExpr::cust_with_exprs("json_extract(?, ?)", [doc.clone(), at()]),
                scalar,
            );
            if top {
                // PostgreSQL's one exception: a top-level array contains a scalar.
                here.or(kind_is("'array'").and(sqlite_some_element(doc, at(), scalar, depth)))
            } else {
                here
            }
        }
    }
}

/// `EXISTS (SELECT 1 FROM json_each(doc, path) AS jN WHERE <element contains item>)`.
fn sqlite_some_element(
    doc: &SeaExpr,
    path: SeaExpr,
    item: &serde_json::Value,
    depth: usize,
) -> SeaExpr {
    let each = format!("\"azoth_json_{depth}\"");
    let cond = match item {
        serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
            // A scalar element's value is SQL text, not JSON: it must not be parsed.
            let element = SeaExpr::cust(format!(
                "CASE WHEN {each}.\"type\" IN ('object', 'array') THEN {each}.\"value\" END"
            ));
            sqlite_contains(&element, "$", item, depth + 1, false)
        }
        scalar => sqlite_scalar(
            SeaExpr::cust(format!("{each}.\"type\"")),
            SeaExpr::cust(format!("{each}.\"atom\"")),
            scalar,
        ),
    };
    SeaExpr::cust_with_exprs(
        format!("EXISTS (SELECT 1 FROM json_each(?, ?) AS {each} WHERE ?)"),
        [doc.clone(), path, cond],
    )
}

/// A JSON scalar equal in kind and value, given its `json_type` and its SQL value.
fn sqlite_scalar(kind: SeaExpr, sql_value: SeaExpr, scalar: &serde_json::Value) -> SeaExpr {
    use serde_json::Value as J;
    let kind_in = |kinds: &str| SeaExpr::cust_with_exprs(format!("? IN ({kinds})"), [kind.clone()]);
    match scalar {
        J::Null => kind_in("'null'"),
        J::Bool(true) => kind_in("'true'"),
        J::Bool(false) => kind_in("'false'"),
        J::String(text) => kind_in("'text'").and(sql_value.eq(text.as_str())),
        J::Number(n) => {
            let n = match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Value::from(i),
                (None, Some(f)) => Value::from(f),
                (None, None) => Value::from(n.to_string()),
            };
            kind_in("'integer', 'real'").and(sql_value.eq(SeaExpr::Value(n)))
        }
        // Objects and arrays are handled by the callers.
        J::Object(_) | J::Array(_) => crate::expr::truth(false),
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

    /// Whether the document contains `value` (PostgreSQL `@>`, MySQL `JSON_CONTAINS`, and on
    /// SQLite the same rules over `json_type`/`json_each`).
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
