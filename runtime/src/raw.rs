//! Raw SQL with named binds, decoded into a typed row: [`text`].
//!
//! ```
//! use azoth::prelude::*;
//! azoth::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> azoth::Result<()> {
//! let engine = Engine::connect("sqlite::memory:").await?;
//! engine.create_all::<(User,)>().await?;
//! let mut s = engine.session();
//! s.insert(NewUser { name: "ann".into() }).await?;
//! let names: Vec<(i64, String)> =
//!     s.all(text("SELECT id, name FROM user WHERE name = :name").bind("name", "ann").returns()).await?;
//! assert_eq!(names, [(1, "ann".to_owned())]);
//! # Ok(())
//! # }
//! ```

use std::marker::PhantomData;

use azoth_dsl::{Backend, DecodeRow, Rendered};
use sea_query::{Value, Values};

use crate::errors::{Error, Result};

/// Raw SQL with `:name` binds. Values are always bound, never spliced into the text.
#[derive(Debug, Clone)]
pub struct Text {
    sql: String,
    binds: Vec<(String, Value)>,
}

/// Starts a raw SQL statement; `:name` marks a bind (`::` is left alone, as are quoted strings).
pub fn text(sql: &str) -> Text {
    Text {
        sql: sql.to_owned(),
        binds: Vec::new(),
    }
}

impl Text {
    /// Binds `value` to every `:name` in the SQL (`5`, `"ann"`, `Some(2.5)`, a `Uuid`, ...).
    pub fn bind<V: Into<Value>>(mut self, name: &str, value: V) -> Self {
        self.binds.push((name.to_owned(), value.into()));
        self
    }

    /// Declares the row type the statement returns: a model, a tuple or a single value.
    pub fn returns<R: DecodeRow>(self) -> RawQuery<R> {
        RawQuery {
            text: self,
            _row: PhantomData,
        }
    }

    /// Renders for `backend`: placeholders in order, values in that order, every bind used.
    pub fn render(&self, backend: Backend) -> Result<Rendered> {
        let mut sql = String::with_capacity(self.sql.len());
        let mut values = Vec::new();
        let mut used = vec![false; self.binds.len()];
        let bytes = self.sql.as_bytes();
        let mut i = 0;
        let mut quote: Option<u8> = None;
        while i < bytes.len() {
            let c = bytes[i];
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
            } else {
                match c {
                    b'\'' | b'"' | b'`' => quote = Some(c),
                    b':' if bytes.get(i + 1) == Some(&b':') => {
                        sql.push_str("::");
                        i += 2;
                        continue;
                    }
                    b':' if bytes
                        .get(i + 1)
                        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') =>
                    {
                        let start = i + 1;
                        let mut end = start;
                        while end < bytes.len()
                            && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                        {
                            end += 1;
                        }
                        let name = &self.sql[start..end];
                        let Some(k) = self.binds.iter().position(|(n, _)| n == name) else {
                            return Err(Error::RawBind(format!(
                                "`:{name}` is in the SQL but was not bound with `.bind(\"{name}\", ..)`"
                            )));
                        };
                        used[k] = true;
                        values.push(self.binds[k].1.clone());
                        match backend {
                            Backend::Postgres => sql.push_str(&format!("${}", values.len())),
                            Backend::MySql | Backend::Sqlite => sql.push('?'),
                        }
                        i = end;
                        continue;
                    }
                    _ => {}
                }
            }
            // Copy the whole UTF-8 character.
            let width = utf8_width(c);
            sql.push_str(&self.sql[i..i + width]);
            i += width;
        }
        if let Some((name, _)) = self
            .binds
            .iter()
            .zip(&used)
            .find(|(_, u)| !**u)
            .map(|(b, _)| b)
        {
            return Err(Error::RawBind(format!(
                "`{name}` was bound but the SQL has no `:{name}`"
            )));
        }
        Ok((sql, Values(values)))
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Raw SQL whose rows decode into `R`; run it with the session's `all`, `one`, `stream`, ...
#[derive(Debug, Clone)]
pub struct RawQuery<R> {
    text: Text,
    _row: PhantomData<fn() -> R>,
}

impl<R> RawQuery<R> {
    pub(crate) fn text(&self) -> &Text {
        &self.text
    }
}
