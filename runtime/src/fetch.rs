//! What the session's methods accept: typed queries from the DSL, raw SQL, and queries with
//! loader options.

use azoth_dsl::{Backend, DecodeRow, Query, Rendered, RowSource, Statement};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::errors::{Error, Result};
use crate::raw::{RawQuery, Text};

/// How many rows a method wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Every row (`all`).
    All,
    /// At most this many, without changing the SQL (`one`, `one_or_none` ask for 2).
    UpTo(usize),
    /// The first row, with `LIMIT 1` where the statement allows it (`first`, `exists`).
    First,
}

impl Want {
    /// The most rows this asks for.
    pub(crate) fn max(self) -> usize {
        match self {
            Want::All => usize::MAX,
            Want::UpTo(n) => n,
            Want::First => 1,
        }
    }
}

/// Where a fetch runs: a session or a transaction.
pub trait Runner: Send {
    /// The backend the statements are rendered for.
    fn backend(&self) -> Backend;
    /// Runs `rendered` and decodes at most `limit` rows with `decode`.
    fn fetch_with<'a, T, D>(
        &'a mut self,
        rendered: Rendered,
        limit: usize,
        decode: D,
    ) -> BoxFuture<'a, Result<Vec<T>>>
    where
        T: Send + 'a,
        D: FnMut(&mut dyn RowSource) -> std::result::Result<T, azoth_dsl::Error> + Send + 'a;
}

/// [`Runner`] as a trait object: what loaders run on (they are boxed when the query is built,
/// before the session is known).
pub trait DynRunner: Send {
    /// The backend the statements are rendered for.
    fn dyn_backend(&self) -> Backend;
    /// Runs `rendered` and hands at most `limit` rows to `each`.
    fn fetch_each<'a>(
        &'a mut self,
        rendered: Rendered,
        limit: usize,
        each: &'a mut (
                    dyn FnMut(&mut dyn RowSource) -> std::result::Result<(), azoth_dsl::Error>
                        + Send
                ),
    ) -> BoxFuture<'a, Result<()>>;
}

impl<X: Runner> DynRunner for X {
    fn dyn_backend(&self) -> Backend {
        self.backend()
    }
    fn fetch_each<'a>(
        &'a mut self,
        rendered: Rendered,
        limit: usize,
        each: &'a mut (
                    dyn FnMut(&mut dyn RowSource) -> std::result::Result<(), azoth_dsl::Error>
                        + Send
                ),
    ) -> BoxFuture<'a, Result<()>> {
        self.fetch_with(rendered, limit, each)
            .map(|r| r.map(|_| ()))
            .boxed()
    }
}

/// Every row of `rendered`, decoded by `decode`, through a [`DynRunner`].
pub(crate) async fn fetch_all_dyn<T, D>(
    runner: &mut dyn DynRunner,
    rendered: Rendered,
    decode: D,
) -> Result<Vec<T>>
where
    T: Send,
    D: FnMut(&mut dyn RowSource) -> std::result::Result<T, azoth_dsl::Error> + Send,
{
    let mut decode = decode;
    let mut out = Vec::new();
    let mut each = |src: &mut dyn RowSource| {
        out.push(decode(src)?);
        Ok(())
    };
    runner.fetch_each(rendered, usize::MAX, &mut each).await?;
    Ok(out)
}

/// A statement rendered to one SQL text whose rows decode into `Row`: DSL queries and raw SQL.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query that returns rows",
    label = "expected a select (`Model::select()`, `select(..)`) or `text(..).returns::<Row>()`",
    note = "for INSERT, UPDATE and DELETE use `execute`"
)]
pub trait Render<I, B>: Send {
    /// The type each row decodes into.
    type Row: DecodeRow + Send + 'static;
    /// Renders for `backend`.
    fn render_rows(&self, backend: Backend) -> Result<Rendered>;
    /// Renders asking for at most one row where the statement allows it.
    fn render_first(&self, backend: Backend) -> Result<Rendered> {
        self.render_rows(backend)
    }
}

impl<Q: Query<I>, I, B> Render<I, B> for Q
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

/// `rendered`, unless it binds more values than `backend` takes in one statement: then
/// [`Error::Bind`]. Every statement is checked before it is sent; a split statement's parts are
/// checked here, before the first part runs.
pub(crate) fn within_bind_limit(rendered: Rendered, backend: Backend) -> Result<Rendered> {
    azoth_dsl::lower::check_binds(&rendered, backend).map_err(|e| Error::Bind(e.to_string()))?;
    Ok(rendered)
}

/// Witness for raw SQL in [`Render`].
pub struct Raw;

impl<R: DecodeRow + Send + 'static, B> Render<Raw, B> for RawQuery<R> {
    type Row = R;
    fn render_rows(&self, backend: Backend) -> Result<Rendered> {
        self.text().render(backend)
    }
}

/// A statement that returns rows of type `Row`: anything [`Render`]s, and model queries with
/// loader options (which run more than one statement).
///
/// `I` is an inferred witness (the DSL's check that the selection's tables are in the query);
/// `B` is the engine's backend, when known at compile time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query that returns rows",
    label = "expected a select (`Model::select()`, `select(..)`) or `text(..).returns::<Row>()`",
    note = "for INSERT, UPDATE and DELETE use `execute` (UPDATE and DELETE with `.returning(..)` run with `all`, `one`, `first`)"
)]
pub trait Fetch<I, B>: Send + Sized {
    /// The type of each row.
    type Row: Send + 'static;
    /// Runs on `runner`.
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a;
}

/// Fetches a statement that renders to one SQL text.
fn fetch_rendered<'a, T, I, B, X>(
    statement: T,
    runner: &'a mut X,
    want: Want,
) -> BoxFuture<'a, Result<Vec<T::Row>>>
where
    T: Render<I, B>,
    X: Runner,
{
    let backend = runner.backend();
    let rendered = if want == Want::First {
        statement.render_first(backend)
    } else {
        statement.render_rows(backend)
    };
    match rendered {
        Ok(r) => runner.fetch_with(r, want.max(), T::Row::decode_row),
        Err(e) => futures::future::ready(Err(e)).boxed(),
    }
}

// For `Select` itself rather than every `Query`: with a blanket impl, rustc would weigh it
// against the UPDATE/DELETE … RETURNING impls below and, both failing on a typed MySQL engine,
// report "not a query that returns rows" instead of the backend's missing RETURNING.
impl<S, Sel, R, G, I, B> Fetch<I, B> for azoth_dsl::Select<S, Sel, R, G>
where
    Self: Query<I>,
    <Self as Query<I>>::Row: DecodeRow + Send,
{
    type Row = <Self as Query<I>>::Row;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        fetch_rendered::<Self, I, B, X>(self, runner, want)
    }
}

impl<R: DecodeRow + Send + 'static, B> Fetch<Raw, B> for RawQuery<R> {
    type Row = R;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        fetch_rendered::<Self, Raw, B, X>(self, runner, want)
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

    /// Renders like [`render_batches`](Self::render_batches), moving the bound values out of the
    /// statement where it can.
    fn into_batches(self, backend: Backend, max_params: usize) -> Result<Vec<Rendered>>
    where
        Self: Sized,
    {
        self.render_batches(backend, max_params)
    }
}

impl<S: Statement> Execute for S {
    fn render_batches(&self, backend: Backend, max_params: usize) -> Result<Vec<Rendered>> {
        self.to_sql_batches(backend, max_params)
            .into_iter()
            .map(|r| within_bind_limit(r, backend))
            .collect()
    }

    fn into_batches(self, backend: Backend, max_params: usize) -> Result<Vec<Rendered>> {
        self.into_sql_batches(backend, max_params)
            .into_iter()
            .map(|r| within_bind_limit(r, backend))
            .collect()
    }
}

impl Execute for Text {
    fn render_batches(&self, backend: Backend, _: usize) -> Result<Vec<Rendered>> {
        Ok(vec![self.render(backend)?])
    }
}

/// Witness for `UPDATE … RETURNING` and `DELETE … RETURNING` in [`Fetch`]: `I` is the DSL's
/// check that the returned items are columns of the statement's table.
pub struct Returning<I>(std::marker::PhantomData<fn() -> I>);

/// The backend runs `UPDATE … RETURNING`: PostgreSQL and SQLite; MySQL and MariaDB do not
/// ([`typed::Any`](crate::typed::Any) checks at run time).
///
/// ```
/// use azoth::prelude::*;
/// azoth::model! { pub struct Note { #[primary_key] pub id: i64, pub hits: i32 } }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = Engine::<azoth::typed::Sqlite>::connect_typed("sqlite::memory:").await?;
/// engine.clone().into_any().create_all::<(Note,)>().await?;
/// let mut s = engine.session();
/// s.insert(NewNote { hits: 1 }).await?;
/// let hits: Vec<i32> = s.all(update(Note::TABLE).set(Note::hits, Note::hits.add(1)).returning(Note::hits)).await?;
/// assert_eq!(hits, [2]);
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `UPDATE … RETURNING`",
    label = "this statement cannot run on this engine's backend",
    note = "MySQL and MariaDB have no `UPDATE … RETURNING`: `execute` the UPDATE, then select the rows"
)]
pub trait UpdateReturning {}

#[diagnostic::do_not_recommend]
impl UpdateReturning for crate::typed::Any {}
#[diagnostic::do_not_recommend]
impl UpdateReturning for crate::typed::Postgres {}
#[diagnostic::do_not_recommend]
impl UpdateReturning for crate::typed::Sqlite {}

/// Runs an UPDATE or DELETE with RETURNING: every row is read (the statement changes all of
/// them whatever the caller keeps), then cut to what `want` asks for.
fn fetch_returning<'a, R, X>(
    rendered: Result<Rendered>,
    runner: &'a mut X,
    want: Want,
    what: &'static str,
) -> BoxFuture<'a, Result<Vec<R>>>
where
    R: DecodeRow + Send + 'a,
    X: Runner,
{
    let backend = runner.backend();
    async move {
        let mut rows = runner
            .fetch_with(rendered?, usize::MAX, R::decode_row)
            .await
            .map_err(|e| unsupported_returning(e, backend, what))?;
        rows.truncate(want.max());
        Ok(rows)
    }
    .boxed()
}

/// MySQL's answer to a RETURNING it lacks (a syntax error, number 1064) as
/// [`Error::Unsupported`]; other errors as they are.
fn unsupported_returning(e: Error, backend: Backend, what: &str) -> Error {
    #[cfg(feature = "mysql")]
    if backend == Backend::MySql
        && let Error::Database(sqlx::Error::Database(db)) = &e
        && db
            .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .is_some_and(|my| my.number() == 1064)
    {
        return Error::Unsupported(format!(
            "this server has no {what} … RETURNING (MariaDB has DELETE … RETURNING, MySQL has neither): {e}"
        ));
    }
    let _ = (backend, what);
    e
}

impl<M, Sel, I, B> Fetch<Returning<I>, B> for azoth_dsl::Update<M, Sel>
where
    M: azoth_dsl::Model,
    Sel: azoth_dsl::stmt::selection::SelectionIn<azoth_dsl::From1<M>, I>,
    B: UpdateReturning,
    Sel::Row: DecodeRow + Send,
{
    type Row = Sel::Row;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        let backend = runner.backend();
        let rendered = if backend == Backend::MySql {
            Err(Error::Unsupported(
                "MySQL and MariaDB have no UPDATE … RETURNING; `execute` the UPDATE, then select the rows"
                    .into(),
            ))
        } else {
            Ok(self.to_sql(backend))
        };
        fetch_returning(rendered, runner, want, "UPDATE")
    }
}

impl<M, Sel, I, B> Fetch<Returning<I>, B> for azoth_dsl::Delete<M, Sel>
where
    M: azoth_dsl::Model,
    Sel: azoth_dsl::stmt::selection::SelectionIn<azoth_dsl::From1<M>, I>,
    Sel::Row: DecodeRow + Send,
{
    type Row = Sel::Row;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        let backend = runner.backend();
        let rendered = Ok(self.to_sql(backend));
        fetch_returning(rendered, runner, want, "DELETE")
    }
}

/// The backend locks rows (`FOR UPDATE`, `FOR SHARE`): PostgreSQL, MySQL and MariaDB; SQLite
/// does not ([`Any`](crate::typed::Any) checks at run time).
///
/// ```
/// # use azoth::prelude::*;
/// # azoth::model! { pub struct Job { #[primary_key] pub id: i64, pub done: bool } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = Engine::connect("sqlite::memory:").await?;
/// engine.create_all::<(Job,)>().await?;
/// let mut s = engine.session();
/// let err = s.all(Job::select().for_update()).await.unwrap_err();
/// assert!(matches!(err, azoth::Error::Unsupported(_)));
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no row locks (`FOR UPDATE`, `FOR SHARE`)",
    label = "this locked query cannot run on this engine's backend",
    note = "SQLite locks the whole database for a write transaction: drop `.for_update()`/`.for_share()` and write in a transaction"
)]
pub trait RowLocking {}

#[diagnostic::do_not_recommend]
impl RowLocking for crate::typed::Any {}
#[diagnostic::do_not_recommend]
impl RowLocking for crate::typed::Postgres {}
#[diagnostic::do_not_recommend]
impl RowLocking for crate::typed::MySql {}

impl<Q, I, B> Fetch<I, B> for azoth_dsl::Locked<Q>
where
    Q: Query<I>,
    Q::Row: DecodeRow + Send,
    B: RowLocking,
{
    type Row = Q::Row;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        let backend = runner.backend();
        if backend == Backend::Sqlite {
            return futures::future::ready(Err(Error::Unsupported(
                "SQLite has no row locks (FOR UPDATE, FOR SHARE): a write transaction locks the whole database; drop `.for_update()`/`.for_share()`"
                    .into(),
            )))
            .boxed();
        }
        let mut q = self.to_sea_locked(backend);
        if want == Want::First {
            q.limit(self.limit_of().map_or(1, |own| Ord::min(own, 1)));
        }
        runner.fetch_with(
            azoth_dsl::lower::render(&q, backend),
            want.max(),
            Q::Row::decode_row,
        )
    }
}

impl<S, Row, K, B> Fetch<(), B> for azoth_dsl::SetOp<S, Row, K>
where
    Self: Query<(), Row = Row>,
    Row: DecodeRow + Send + 'static,
{
    type Row = Row;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        fetch_rendered::<Self, (), B, X>(self, runner, want)
    }
}
