//! `Json<T>`: a typed JSON column, any serde type stored as `JSONB` (PostgreSQL), `JSON` (MySQL)
//! or `TEXT` (SQLite).

use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ColumnType, DecodeNullable, decode_nullable, short_type_name};
use crate::error::Error;
use crate::row::RowSource;

/// A value stored as JSON and read back as `T` (serde): `pub meta: Json<Meta>` in a model.
///
/// `Json<Meta>` is its own SQL type (it compares only with `Json<Meta>`). It serializes as `T`
/// itself, so a model deriving serde traits shows the plain value. A stored document that is not
/// a `T` is an [`Error::Unrepresentable`] naming `T` and serde's reason; a `T` whose
/// serialization fails (a map with non-text keys) is refused when the statement is bound.
///
/// ```
/// use azoth_dsl::prelude::*;
/// use azoth_dsl::Json;
///
/// #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// pub struct Meta { pub tags: Vec<String> }
///
/// azoth_dsl::model! { pub struct Doc { #[primary_key] pub id: i64, pub meta: Json<Meta> } }
///
/// let new = NewDoc { meta: Json(Meta { tags: vec!["a".into()] }) };
/// let (sql, values) = insert(new).to_sql(Backend::MySql);
/// assert_eq!(sql, "INSERT INTO `doc` (`meta`) VALUES (?)");
/// assert_eq!(values.0, [azoth_dsl::Value::from(serde_json::json!({"tags": ["a"]}))]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The value inside.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Json<T> {
    fn from(value: T) -> Self {
        Json(value)
    }
}

impl<T: Serialize> Serialize for Json<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Json<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Json)
    }
}

/// The key of the object a `Json<T>` binds as when `T` cannot be serialized: the runtime refuses
/// to bind it, with the message it holds.
#[doc(hidden)]
pub const SERIALIZE_ERROR_KEY: &str = "$azoth: Json<T> could not be serialized";

/// The message of a `Json<T>` that could not be serialized (see [`SERIALIZE_ERROR_KEY`]).
#[doc(hidden)]
pub fn serialize_error(doc: &serde_json::Value) -> Option<&str> {
    match doc.as_object() {
        Some(o) if o.len() == 1 => o.get(SERIALIZE_ERROR_KEY).and_then(|m| m.as_str()),
        _ => None,
    }
}

/// At most `max` characters of `text`, marked when cut.
fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

impl<T> ColumnType for Json<T>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    type Stored = crate::sql_types::Json;

    fn to_stored(self) -> serde_json::Value {
        serde_json::to_value(&self.0).unwrap_or_else(|e| {
            let message = format!(
                "a `Json<{}>` could not be serialized to JSON: {e}",
                short_type_name::<T>()
            );
            serde_json::Value::Object(
                std::iter::once((SERIALIZE_ERROR_KEY.to_owned(), message.into())).collect(),
            )
        })
    }

    fn from_stored(value: serde_json::Value) -> Result<Self, String> {
        let text = excerpt(&value.to_string(), 200);
        serde_json::from_value(value).map(Json).map_err(|e| {
            format!(
                "the stored JSON {text} is not a `{}`: {e}",
                short_type_name::<T>()
            )
        })
    }
}

impl<T> DecodeNullable for Json<T>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    fn decode_nullable(src: &mut dyn RowSource) -> Result<Option<Self>, Error> {
        decode_nullable(src)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn a_document_of_another_shape_is_an_error_naming_the_type() {
        let e = <Json<Vec<i32>>>::from_stored(serde_json::json!({"a": 1})).unwrap_err();
        assert!(
            e.contains(r#"the stored JSON {"a":1} is not a `Vec<i32>`"#),
            "{e}"
        );
    }

    #[test]
    fn an_unserializable_value_carries_its_error() {
        let bad: HashMap<(i32, i32), i32> = [((1, 2), 3)].into();
        let doc = Json(bad).to_stored();
        let message = serialize_error(&doc).expect("the error object");
        assert!(message.contains("could not be serialized"), "{message}");
        assert_eq!(serialize_error(&serde_json::json!({"a": "b"})), None);
    }

    #[test]
    fn excerpts_cut_long_text() {
        assert_eq!(excerpt("abcdef", 3), "abc...");
        assert_eq!(excerpt("abc", 3), "abc");
    }
}
