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

mod scan;

/// Raw SQL with `:name` binds. Values are always bound, never spliced into the text.
#[derive(Debug, Clone)]
pub struct Text {
    sql: String,
    binds: Vec<(String, Value)>,
}

/// Starts a raw SQL statement; `:name` marks a bind (not inside strings, quoted identifiers or
/// comments, nor `::`, by the backend's rules: see the guide's raw SQL section).
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
        let mut copied = 0;
        for range in scan::binds(&self.sql, backend) {
            sql.push_str(&self.sql[copied..range.start]);
            copied = range.end;
            let name = &self.sql[range.start + 1..range.end];
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
        }
        sql.push_str(&self.sql[copied..]);
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
