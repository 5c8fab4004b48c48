//! What the session's methods accept: typed queries from the DSL and raw SQL.

use azoth_dsl::{Backend, DecodeRow, Query, Rendered, Statement};

use crate::errors::Result;
use crate::raw::{RawQuery, Text};

/// A statement that returns rows of type `Row`: any DSL [`Query`], or [`RawQuery`].
///
/// `I` is an inferred witness (the DSL's check that the selection's tables are in the query);
/// `B` is the engine's backend, when known at compile time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query that returns rows",
    label = "expected a select (`Model::select()`, `select(..)`) or `text(..).returns::<Row>()`",
    note = "for INSERT, UPDATE and DELETE use `execute`"
)]
pub trait Fetch<I, B>: Send {
    /// The type each row decodes into.
    type Row: DecodeRow + Send + 'static;
    /// Renders for `backend`.
    fn render_rows(&self, backend: Backend) -> Result<Rendered>;
    /// Renders asking for at most one row where the statement allows it.
    fn render_first(&self, backend: Backend) -> Result<Rendered> {
        self.render_rows(backend)
    }
}

impl<Q: Query<I>, I, B> Fetch<I, B> for Q
where
    Q::Row: DecodeRow + Send,
{
    type Row = Q::Row;
    fn render_rows(&self, backend: Backend) -> Result<Rendered> {
        Ok(self.render(backend))
    }
    fn render_first(&self, backend: Backend) -> Result<Rendered> {
        Ok(self.render_limit(backend, 1))
    }
}

/// Witness for raw SQL in [`Fetch`].
pub struct Raw;

impl<R: DecodeRow + Send + 'static, B> Fetch<Raw, B> for RawQuery<R> {
    type Row = R;
    fn render_rows(&self, backend: Backend) -> Result<Rendered> {
        self.text().render(backend)
    }
}

/// A statement that changes data: any DSL [`Statement`] or raw SQL ([`Text`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a statement `execute` can run",
    label = "expected `insert(..)`, `update(..)`, `delete(..)` or `text(..)`"
)]
pub trait Execute: Send {
    /// Renders as one or more statements of at most `max_params` bound values each.
    fn render_batches(&self, backend: Backend, max_params: usize) -> Result<Vec<Rendered>>;
}

impl<S: Statement> Execute for S {
    fn render_batches(&self, backend: Backend, max_params: usize) -> Result<Vec<Rendered>> {
        Ok(self.to_sql_batches(backend, max_params))
    }
}

impl Execute for Text {
    fn render_batches(&self, backend: Backend, _: usize) -> Result<Vec<Rendered>> {
        Ok(vec![self.render(backend)?])
    }
}
