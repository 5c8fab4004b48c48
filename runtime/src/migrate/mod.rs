//! Migrations and schema introspection: read a live database's schema ([`introspect`]), compare
//! it with the models ([`diff`]), write the difference as sqlx migration files and apply or
//! revert them with sqlx's migrator.

mod apply;
mod cli;
mod codegen;
pub mod diff;
mod files;
mod introspect;
pub mod plan;
pub mod schema;

pub use apply::{
    GenerateOptions, MigrationStatus, dry_run, generate, plan_for, revert, run, status,
};
pub use cli::{cli, cli_with};
pub use codegen::models_source;
pub use diff::{Change, diff, renames};
pub use files::{Written, backend_dir, write};
pub use introspect::introspect;
pub use plan::{Plan, plan};
pub use schema::{ColumnSchema, ForeignKeySchema, IndexSchema, Schema, TableSchema};
