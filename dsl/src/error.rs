//! The DSL's errors: decoding a database value into the Rust type a query promised, and
//! statements a backend cannot take.

use crate::backend::Backend;
use crate::sql_types::SqlKind;

/// What can go wrong turning a database row into Rust values, or a statement into one the
/// backend takes.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A NULL arrived where the Rust type cannot hold one.
    #[error(
        "column `{column}` is NULL, but its Rust type cannot hold NULL: decode it into `Option<_>`"
    )]
    UnexpectedNull {
        /// Column name (or position) in the result.
        column: String,
    },
    /// The database sent a value of another type than the query's SQL type.
    #[error("column `{column}`: expected a {expected:?} value, the database sent {found}")]
    WrongType {
        /// Column name (or position) in the result.
        column: String,
        /// The SQL kind the query expects.
        expected: SqlKind,
        /// What arrived.
        found: String,
    },
    /// The row has fewer columns than the row type reads.
    #[error("the row has {found} columns, the row type reads more")]
    MissingColumn {
        /// Number of columns in the row.
        found: usize,
    },
    /// The database sent a value the Rust type cannot hold exactly (out of range, or more digits
    /// than it keeps): azoth reports it rather than rounding, truncating or reading NULL.
    #[error("column `{column}`: {problem}")]
    Unrepresentable {
        /// Column name (or position) in the result.
        column: String,
        /// The value (where known) and why the Rust type cannot hold it.
        problem: String,
    },
    /// A statement binds more values than the backend takes in one statement (a long `in_`
    /// list, thousands of run-time conditions); found before anything is sent.
    #[error(
        "too many bound values: {count}, {} takes at most {max} in one statement; split the list or the filter into several queries, or use `in_query`",
        .backend.name()
    )]
    TooManyBinds {
        /// Values the statement binds.
        count: usize,
        /// The backend's limit ([`Backend::max_binds`]).
        max: usize,
        /// The backend rendered for.
        backend: Backend,
    },
}
