//! Migrations and schema introspection: read a live database's schema ([`introspect`]), compare
//! it with the models ([`diff`]), write the difference as sqlx migration files and apply or
//! revert them with sqlx's migrator.

mod introspect;
pub mod schema;

pub use introspect::introspect;
pub use schema::{ColumnSchema, ForeignKeySchema, IndexSchema, Schema, TableSchema};
