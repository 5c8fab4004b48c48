//! Each chapter of the guide is included here so that `cargo test` compiles its code blocks.
//!
//! The guide is the mdBook in `docs/` (`docs/src/*.md`); this module is compiled only under
//! `cfg(doctest)`, so its items exist only to carry the chapters' code blocks as doctests.

/// The chapter "Introduction".
#[doc = include_str!("../../docs/src/introduction.md")]
pub struct Introduction;

/// The chapter "Models".
#[doc = include_str!("../../docs/src/models.md")]
pub struct Models;

/// The chapter "Queries".
#[doc = include_str!("../../docs/src/queries.md")]
pub struct Queries;

/// The chapter "Running queries": engines, sessions, transactions, raw SQL, streaming, DDL. Its
/// examples run on in-memory SQLite.
#[doc = include_str!("../../docs/src/runtime.md")]
pub struct Runtime;

/// The chapter "Relationships": declaring them, joining along them, eager loading, write-only
/// collections. Its examples run on in-memory SQLite.
#[doc = include_str!("../../docs/src/relationships.md")]
pub struct Relationships;

/// The chapter "Compile errors": each `compile_fail` block must fail, with the error code given.
#[doc = include_str!("../../docs/src/errors.md")]
pub struct Errors;

/// The chapter "Coming from SQLAlchemy".
#[doc = include_str!("../../docs/src/sqlalchemy.md")]
pub struct Sqlalchemy;

/// The chapter "Building a service", section "Connecting: TLS and features".
#[doc = include_str!("../../docs/src/service/connect.md")]
pub struct ServiceConnect;

/// The chapter "Building a service", section "An axum service" (its code is the example's own,
/// included by mdBook; the blocks here are not compiled twice).
#[doc = include_str!("../../docs/src/service/axum.md")]
pub struct ServiceAxum;
/// The chapter "Building a service", section "Row structs and RETURNING". Its examples run on
/// in-memory SQLite.
#[doc = include_str!("../../docs/src/service/rows.md")]
pub struct ServiceRows;
/// The section "Enums, newtypes and typed JSON" of "Building a service". Its examples run on
/// in-memory SQLite.
#[doc = include_str!("../../docs/src/service/types.md")]
pub struct ServiceTypes;
/// The chapter "Building a service": "Errors a service can act on" (error kinds, HTTP statuses,
/// retries). Its examples run on in-memory SQLite.
#[doc = include_str!("../../docs/src/service/errors.md")]
pub struct ServiceErrors;

/// The chapter "Building a service": "Testing with `azoth::testing`".
#[doc = include_str!("../../docs/src/service/testing.md")]
pub struct ServiceTesting;
/// The chapter "Building a service", section "Models: JSON, request bodies, defaults". Its
/// example runs on in-memory SQLite.
#[doc = include_str!("../../docs/src/service/models.md")]
pub struct ServiceModels;
/// The section "Query helpers and read replicas" of "Building a service": the `Db` trait and
/// routing between a primary and replicas. Its examples run on in-memory SQLite.
#[doc = include_str!("../../docs/src/service/queries.md")]
pub struct ServiceQueries;
/// The chapter "Migrations": generating, applying and reverting migrations from the models, and
/// models from an existing database. Its examples run on in-memory SQLite.
#[doc = include_str!("../../docs/src/migrations.md")]
pub struct Migrations;

/// The chapter "JSON fields, DISTINCT ON, keyset pages". Its examples run on in-memory SQLite.
#[doc = include_str!("../../docs/src/json_and_paging.md")]
pub struct JsonAndPaging;

/// The chapter "Window functions" (a section of "Queries").
#[doc = include_str!("../../docs/src/window.md")]
pub struct WindowFunctions;
