//! What `model!`'s generated `NewX::builder()` and `#[default(..)]` stand on: a typestate for
//! required fields and the conversions a field setter or a client default accepts.
//!
//! ```
//! use azoth_dsl::prelude::*;
//!
//! azoth_dsl::model! {
//!     pub struct Post {
//!         #[primary_key] pub id: i64,
//!         pub title: String,
//!         pub author_id: i64,
//!         #[default(0)] pub likes: i32,
//!         pub summary: Option<String>,
//!     }
//! }
//!
//! // Required fields once each, defaulted ones only if wanted, and plain values (no `Some`).
//! let new = NewPost::builder().title("Hello").author_id(1).summary(None).likes(3).build();
//! assert_eq!(new, NewPost { title: "Hello".into(), author_id: 1, likes: Some(3), summary: None });
//! ```

use std::marker::PhantomData;

/// The state of a required field of a `NewX` builder that has not been set yet; `C` is its column.
pub struct Missing<C>(PhantomData<fn() -> C>);

impl<C> Missing<C> {
    /// The unset state.
    pub const fn new() -> Self {
        Missing(PhantomData)
    }
}

impl<C> Default for Missing<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C> Clone for Missing<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C> Copy for Missing<C> {}

impl<C> std::fmt::Debug for Missing<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Missing<{}>", std::any::type_name::<C>())
    }
}

/// A required field of a `NewX` builder that `build()` can read: set (a `T`), not [`Missing`].
#[diagnostic::on_unimplemented(
    message = "the required field `{C}` is not set",
    label = "call `.{C}(..)` before `.build()`"
)]
pub trait Provided<T, C> {
    /// The field's value.
    fn provide(self) -> T;
}

impl<T, C> Provided<T, C> for T {
    fn provide(self) -> T {
        self
    }
}

/// A value a builder setter takes for a field of type `T`: a `T`, a `&str` for a `String`, and a
/// plain value for an `Option` (no `Some(..)` needed).
#[diagnostic::on_unimplemented(
    message = "expected a value of type `{T}`, found `{Self}`",
    label = "expected `{T}`"
)]
pub trait IntoField<T> {
    /// Converts.
    fn into_field(self) -> T;
}

impl<T> IntoField<T> for T {
    fn into_field(self) -> T {
        self
    }
}

impl<T> IntoField<Option<T>> for T {
    fn into_field(self) -> Option<T> {
        Some(self)
    }
}

impl IntoField<String> for &str {
    fn into_field(self) -> String {
        self.to_owned()
    }
}

impl IntoField<Option<String>> for &str {
    fn into_field(self) -> Option<String> {
        Some(self.to_owned())
    }
}

/// What `#[default(expr)]` accepts for a field of type `T`: a Rust value computed for each new row.
#[diagnostic::on_unimplemented(
    message = "`#[default(..)]` is computed in Rust for each new row: expected the field's type `{T}`, found `{Self}`",
    label = "not a `{T}`",
    note = "for a default the database fills in (a constant or `now()`, written into the table's DDL), write `#[server_default(..)]`"
)]
pub trait ClientDefault<T> {
    /// The default value.
    fn into_default(self) -> T;
}

#[diagnostic::do_not_recommend]
impl<T, V: IntoField<T>> ClientDefault<T> for V {
    fn into_default(self) -> T {
        self.into_field()
    }
}

/// Evaluates a `#[default(..)]` expression for one new row (called by `model!`).
#[doc(hidden)]
pub fn client_default<T, V: ClientDefault<T>>(value: V) -> T {
    value.into_default()
}
