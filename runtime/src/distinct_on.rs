//! Running `SELECT DISTINCT ON` (PostgreSQL only): refused on a typed MySQL or SQLite engine at
//! compile time, on an untyped one at run time before anything is sent.

use azoth_dsl::{Backend, DecodeRow, DistinctOn, Query, Select};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::errors::{Error, Result};
use crate::fetch::{Fetch, Runner, Want};

/// The backend has `SELECT DISTINCT ON`: PostgreSQL ([`Any`](crate::typed::Any) checks at run
/// time).
///
/// ```
/// # use azoth::prelude::*;
/// # azoth::model! { pub struct Visit { #[primary_key] pub id: i64, pub page: String } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = Engine::connect("sqlite::memory:").await?;
/// engine.create_all::<(Visit,)>().await?;
/// let mut s = engine.session();
/// let err = s.all(Visit::select().distinct_on(Visit::page)).await.unwrap_err();
/// assert!(matches!(err, azoth::Error::Unsupported(_)));
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `SELECT DISTINCT ON`",
    label = "this DISTINCT ON query cannot run on this engine's backend",
    note = "DISTINCT ON is PostgreSQL's; elsewhere keep the first row of each group with a window function (`row_number() = 1`) or a GROUP BY"
)]
pub trait SelectDistinctOn {}

#[diagnostic::do_not_recommend]
impl SelectDistinctOn for crate::typed::Any {}
#[diagnostic::do_not_recommend]
impl SelectDistinctOn for crate::typed::Postgres {}

/// The error for DISTINCT ON on `backend`.
fn refused(backend: Backend) -> Error {
    Error::Unsupported(format!(
        "{} has no SELECT DISTINCT ON (PostgreSQL only): keep the first row of each group with a window function or a GROUP BY",
        backend.name()
    ))
}

impl<S, Sel, R, G, I, B> Fetch<I, B> for DistinctOn<Select<S, Sel, R, G>>
where
    Select<S, Sel, R, G>: Query<I>,
    <Select<S, Sel, R, G> as Query<I>>::Row: DecodeRow + Send,
    Sel: azoth_dsl::stmt::selection::Selection,
    S: Send,
    R: Send,
    G: Send,
    B: SelectDistinctOn,
{
    type Row = <Select<S, Sel, R, G> as Query<I>>::Row;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        let backend = runner.backend();
        if backend != Backend::Postgres {
            return futures::future::ready(Err(refused(backend))).boxed();
        }
        let mut q = self.to_sea_distinct_on(backend);
        if want == Want::First {
            q.limit(self.limit_of().map_or(1, |own| Ord::min(own, 1)));
        }
        runner.fetch_with(
            azoth_dsl::lower::render(&q, backend),
            want.max(),
            <Self::Row as DecodeRow>::decode_row,
        )
    }
}
