//! # azoth
//!
//! Typed queries whose schema mistakes are compile errors. This crate is the one users depend on:
//! it re-exports the DSL ([`azoth_dsl`]) and, as it grows, runs the statements on PostgreSQL,
//! MySQL/MariaDB and SQLite.
//!
//! ```
//! use azoth::prelude::*;
//!
//! azoth::model! {
//!     pub struct User { #[primary_key] pub id: i64, pub name: String }
//! }
//!
//! let (sql, _) = User::select().filter(User::id.eq(1)).to_sql(Backend::Sqlite);
//! assert_eq!(sql, r#"SELECT "user"."id", "user"."name" FROM "user" WHERE "user"."id" = ?"#);
//! ```

pub use azoth_dsl::model;
pub use azoth_dsl::*;

/// Everything a query-writing module needs: `use azoth::prelude::*;`.
pub mod prelude {
    pub use azoth_dsl::prelude::*;
}
