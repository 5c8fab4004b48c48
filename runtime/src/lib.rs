//! # azoth
//!
//! Typed queries whose schema mistakes are compile errors, run on PostgreSQL, MySQL/MariaDB and
//! SQLite over sqlx pools. This is the crate users depend on: it re-exports the DSL
//! ([`azoth_dsl`]) and adds engines, sessions, transactions, typed results and DDL.
//!
//! ```
//! use azoth::prelude::*;
//!
//! azoth::model! {
//!     #[table = "users"]
//!     pub struct User { #[primary_key] pub id: i64, pub name: String, pub bio: Option<String> }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> azoth::Result<()> {
//! let engine = Engine::connect("sqlite::memory:").await?;
//! engine.create_all::<(User,)>().await?;
//! let mut s = engine.session();
//! let ann = s.insert(NewUser { name: "ann".into(), bio: None }).await?;
//! let names: Vec<String> = s.all(select(User::name).filter(User::id.eq(ann.id))).await?;
//! assert_eq!(names, ["ann"]);
//! # Ok(())
//! # }
//! ```
//!
//! ## Tour
//! - [`Engine`]: a pool for one database; the URL picks the backend.
//! - [`Session`] and [`Transaction`]: `all`, `one`, `one_or_none`, `first`, `exists`,
//!   `execute`, `insert`, `stream`; `begin`, `commit`, `rollback`, savepoints.
//! - [`Db`]: the trait of those methods, for helper functions that take any of them.
//! - [`Router`] and [`RoutingSession`]: reads to replicas, writes to the primary.
//! - [`Error`]: one enum, each variant saying what to do.
//! - DDL: [`Engine::create_all`] and [`Engine::drop_all`].
//! - [`migrate`]: introspection, migrations generated from the models and applied with sqlx's
//!   migrator, models generated from an existing database.

#![warn(missing_docs)]

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!(
    "azoth needs at least one backend: enable its `sqlite`, `postgres` or `mysql` feature"
);

mod bind;
mod classify;
mod connect;
mod ddl;
mod decode;
mod distinct_on;
mod engine;
mod errors;
mod execute;
mod fetch;
pub mod loading;
pub mod migrate;
mod query_trait;
mod raw;
mod routing;
mod session;
#[cfg(feature = "sqlite")]
mod sqlite_fast;
mod statement_end;
#[cfg(feature = "testing")]
pub mod testing;
mod tx;
mod url;

/// The DSL's decoding error, kept as the source of [`Error::Decode`].
pub use azoth_dsl::Error as DecodeError;
pub use azoth_dsl::*;
pub use ddl::ModelSet;
pub use distinct_on::SelectDistinctOn;
pub use engine::{Engine, EngineOptions, typed};
pub use errors::{ConflictKind, ConstraintKind, Error, Result};
pub use execute::Outcome;
pub use fetch::RowLocking;
pub use fetch::{Execute, Fetch, Raw};
pub use fetch::{Returning, UpdateReturning};
pub use query_trait::Db;
pub use raw::{RawQuery, Text, text};
pub use routing::{Router, RoutingSession};
pub use session::{Session, Transaction};

/// Everything a query-writing module needs: `use azoth::prelude::*;`.
pub mod prelude {
    pub use crate::Db;
    pub use crate::loading::SelectOptions as _;
    pub use crate::{Engine, Session, Transaction, text};
    pub use azoth_dsl::prelude::*;
    pub use futures::TryStreamExt as _;
}

/// The README's code, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
