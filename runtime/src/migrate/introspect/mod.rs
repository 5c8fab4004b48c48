//! Reading a live database's schema: `information_schema` / `pg_catalog` on PostgreSQL and
//! MySQL/MariaDB, `sqlite_master` and the `pragma_*` functions on SQLite.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use crate::engine::{Engine, Pools};
use crate::errors::Result;

use super::schema::{Schema, TableSchema};

/// The migrations table sqlx keeps: never part of the user's schema.
pub(crate) const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Reads the tables of the engine's database (PostgreSQL: its current schema; MySQL: its
/// current database), sqlx's `_sqlx_migrations` left out.
///
/// ```
/// use azoth::prelude::*;
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, #[max_len = 40] pub title: String } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = Engine::connect("sqlite::memory:").await?;
/// engine.create_all::<(Note,)>().await?;
/// let schema = azoth::migrate::introspect(&engine).await?;
/// let title = schema.table("notes").unwrap().column("title").unwrap();
/// assert_eq!((title.data_type.as_str(), title.max_len), ("VARCHAR", Some(40)));
/// # Ok(())
/// # }
/// ```
pub async fn introspect<B>(engine: &Engine<B>) -> Result<Schema> {
    let mut tables = match engine.pools() {
        #[cfg(feature = "postgres")]
        Pools::Postgres(pool) => postgres::tables(pool).await?,
        #[cfg(feature = "mysql")]
        Pools::MySql(pool) => mysql::tables(pool).await?,
        #[cfg(feature = "sqlite")]
        Pools::Sqlite(pool) => sqlite::tables(pool).await?,
    };
    tables.retain(|t| t.name != MIGRATIONS_TABLE);
    tables.iter_mut().for_each(TableSchema::normalize);
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Schema { tables })
}

/// The table named `name` in `tables`, added (empty) if missing.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) fn table_mut<'a>(tables: &'a mut Vec<TableSchema>, name: &str) -> &'a mut TableSchema {
    let i = match tables.iter().position(|t| t.name == name) {
        Some(i) => i,
        None => {
            tables.push(TableSchema {
                name: name.to_owned(),
                columns: Vec::new(),
                primary_key: Vec::new(),
                uniques: Vec::new(),
                indexes: Vec::new(),
                foreign_keys: Vec::new(),
            });
            tables.len() - 1
        }
    };
    &mut tables[i]
}
