//! Routing between engines (SQLAlchemy's `RoutingSession.get_bind`): a [`Router`] over one
//! writer and any number of readers (replicas), and the [`RoutingSession`] it opens.
//!
//! Where a [`RoutingSession`] sends a statement:
//! - writes (`execute`, `insert`, `link`, …) go to the writer;
//! - a transaction ([`begin`](RoutingSession::begin)) runs on the writer, every statement in it;
//! - reads go to the next reader, round robin, until the session writes or begins a transaction;
//!   from then on the session reads from the writer (read-your-writes: a replica may not have the
//!   write yet);
//! - a read whose main table (the `FROM` of the statement, as SQLAlchemy routes by the query's
//!   first entity) belongs to a model marked [`read_only`](Router::read_only) goes to a reader
//!   even after a write;
//! - [`on_writer`](RoutingSession::on_writer) and [`on_reader`](RoutingSession::on_reader)
//!   override the choice for the calls made on what they return.
//!
//! One call runs on one engine: the extra statements of eager loading go where the query went.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use azoth_dsl::schema::relation::ManyToManyRel;
use azoth_dsl::stmt::selection::SelectionIn;
use azoth_dsl::{
    Backend, DecodeRow, From1, Insert, Insertable, Model, PrimaryKey, Rendered, RowSource,
};
use futures::FutureExt;
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt};

use crate::engine::Engine;
use crate::engine::typed::{self, InsertReturning};
use crate::errors::{Error, Result};
use crate::execute::{self, Outcome, Target};
use crate::fetch::{Execute, Fetch, Render, Runner, Want};
use crate::query_trait::Db;
use crate::session::{Session, Transaction, begin_on, exactly_one};

/// A writer engine and its readers: opens [`RoutingSession`]s. Cheap to clone.
///
/// ```
/// use azoth::prelude::*;
/// use azoth::Router;
/// azoth::model! { pub struct Note { #[primary_key] pub id: i64, pub text: String } }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let writer = Engine::connect("sqlite::memory:").await?;
/// let replica = Engine::connect("sqlite::memory:").await?; // in production, a replica's URL
/// for engine in [&writer, &replica] {
///     engine.create_all::<(Note,)>().await?;
/// }
/// let router = Router::new(writer, [replica])?;
/// let mut s = router.session();
/// assert_eq!(s.all(Note::select()).await?, []); // read from the replica
/// s.insert(NewNote { text: "hi".into() }).await?; // written to the writer
/// assert_eq!(s.all(Note::select()).await?.len(), 1); // read your writes: from the writer
/// assert_eq!(s.on_reader().all(Note::select()).await?.len(), 0); // unless told otherwise
/// # Ok(())
/// # }
/// ```
pub struct Router<B = typed::Any> {
    writer: Engine<B>,
    readers: Arc<[Engine<B>]>,
    next: Arc<AtomicUsize>,
    read_only: Arc<[&'static str]>,
}

impl<B> Clone for Router<B> {
    fn clone(&self) -> Self {
        Router {
            writer: self.writer.clone(),
            readers: self.readers.clone(),
            next: self.next.clone(),
            read_only: self.read_only.clone(),
        }
    }
}

impl<B> std::fmt::Debug for Router<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("backend", &self.writer.backend())
            .field("readers", &self.readers.len())
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl<B> Router<B> {
    /// A router that writes to `writer` and reads from `readers` in turn (from the writer when
    /// there is none). Every engine must have the writer's backend, else
    /// [`Error::Unsupported`].
    pub fn new(writer: Engine<B>, readers: impl IntoIterator<Item = Engine<B>>) -> Result<Self> {
        let readers: Arc<[Engine<B>]> = readers.into_iter().collect();
        if let Some(other) = readers.iter().find(|r| r.backend() != writer.backend()) {
            return Err(Error::Unsupported(format!(
                "a router's engines must share one backend: the writer is {}, a reader is {}",
                writer.backend().name(),
                other.backend().name()
            )));
        }
        Ok(Router {
            writer,
            readers,
            next: Arc::default(),
            read_only: Arc::new([]),
        })
    }

    /// Marks `M` as read-only data (reference tables, reports): a read whose main table is
    /// `M`'s goes to a reader even after the session wrote.
    ///
    /// ```
    /// # azoth::model! { pub struct Country { #[primary_key] pub id: i64, pub name: String } }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// # let writer = azoth::Engine::connect("sqlite::memory:").await?;
    /// let router = azoth::Router::new(writer, [])?.read_only::<Country>();
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_only<M: Model>(mut self) -> Self {
        let mut tables = self.read_only.to_vec();
        tables.push(M::TABLE_NAME);
        self.read_only = tables.into();
        self
    }

    /// A new session that routes each statement.
    pub fn session(&self) -> RoutingSession<B> {
        RoutingSession {
            router: self.clone(),
            wrote: false,
        }
    }

    /// The writer.
    pub fn writer(&self) -> &Engine<B> {
        &self.writer
    }

    /// The readers.
    pub fn readers(&self) -> &[Engine<B>] {
        &self.readers
    }

    /// The next reader, round robin; the writer when there is none.
    fn next_reader(&self) -> &Engine<B> {
        match self.readers.len() {
            0 => &self.writer,
            n => &self.readers[self.next.fetch_add(1, Ordering::Relaxed) % n],
        }
    }

    /// Where a read of `table` (its main table, if known) goes, for a session that `wrote`
    /// (or not).
    fn for_read(&self, table: Option<&str>, wrote: bool) -> &Engine<B> {
        let read_only =
            table.is_some_and(|t| self.read_only.iter().any(|r| r.eq_ignore_ascii_case(t)));
        if wrote && !read_only {
            &self.writer
        } else {
            self.next_reader()
        }
    }
}

/// A session over a [`Router`]: reads from readers, writes to the writer (see the
/// [module](self) for the rules). It implements [`Db`], so helpers written for sessions take it.
///
/// ```
/// use azoth::prelude::*;
/// azoth::model! { pub struct Note { #[primary_key] pub id: i64, pub text: String } }
///
/// async fn count(db: &mut impl Db) -> azoth::Result<i64> {
///     Ok(db.scalar(select(count_all()).from(Note::TABLE)).await?.unwrap_or(0))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let writer = Engine::connect("sqlite::memory:").await?;
/// let reader = Engine::connect("sqlite::memory:").await?;
/// for engine in [&writer, &reader] {
///     engine.create_all::<(Note,)>().await?;
/// }
/// let mut s = azoth::Router::new(writer, [reader])?.session();
/// let mut tx = s.begin().await?; // on the writer
/// tx.insert(NewNote { text: "hi".into() }).await?;
/// tx.commit().await?;
/// assert!(s.has_written());
/// assert_eq!(count(&mut s).await?, 1); // the writer, which has the note
/// assert_eq!(count(&mut s.on_reader()).await?, 0); // the reader, told so
/// assert_eq!(count(&mut s.on_writer()).await?, 1);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RoutingSession<B = typed::Any> {
    router: Router<B>,
    wrote: bool,
}

impl<B> RoutingSession<B> {
    /// The router this session routes through.
    pub fn router(&self) -> &Router<B> {
        &self.router
    }

    /// Whether this session wrote (or began a transaction), so that its reads go to the writer.
    pub fn has_written(&self) -> bool {
        self.wrote
    }

    /// A plain session on the writer: `s.on_writer().all(q)` reads what was just committed,
    /// whatever the routing rules say. Statements through it do not change this session's
    /// routing.
    pub fn on_writer(&self) -> Session<B> {
        self.router.writer.session()
    }

    /// A plain session on the next reader (round robin): `s.on_reader().all(q)` reads from a
    /// replica even after this session wrote.
    pub fn on_reader(&self) -> Session<B> {
        self.router.next_reader().session()
    }

    /// Begins a transaction on the writer: every statement in it runs there, reads included,
    /// and the session's later reads go to the writer.
    pub async fn begin(&mut self) -> Result<Transaction<'_, B>> {
        self.wrote = true;
        begin_on(&self.router.writer).await
    }

    /// A plain session on the writer, for a write: later reads go to the writer too.
    fn write(&mut self) -> Session<B> {
        self.wrote = true;
        self.router.writer.session()
    }

    /// A runner for one read call: its first statement picks the engine, the others follow.
    fn read(&self) -> ReadRoute<'_, B> {
        ReadRoute {
            router: &self.router,
            wrote: self.wrote,
            chosen: None,
        }
    }
}

/// Where the statements of one read call run.
struct ReadRoute<'r, B> {
    router: &'r Router<B>,
    wrote: bool,
    chosen: Option<&'r Engine<B>>,
}

impl<B> Runner for ReadRoute<'_, B> {
    fn backend(&self) -> Backend {
        self.router.writer.backend()
    }

    fn fetch_with<'a, T, D>(
        &'a mut self,
        rendered: Rendered,
        limit: usize,
        decode: D,
    ) -> BoxFuture<'a, Result<Vec<T>>>
    where
        T: Send + 'a,
        D: FnMut(&mut dyn RowSource) -> std::result::Result<T, azoth_dsl::Error> + Send + 'a,
    {
        let engine = match self.chosen {
            Some(e) => e,
            None => *self
                .chosen
                .insert(self.router.for_read(main_table(&rendered.0), self.wrote)),
        };
        execute::fetch_up_to_with(
            engine.core(),
            Target::Pool(engine.pools()),
            rendered,
            limit,
            decode,
        )
        .boxed()
    }
}

impl<B> Db for RoutingSession<B> {
    type Backend = B;

    fn all<'s, Q: Fetch<I, B> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Vec<Q::Row>>> {
        async move { query.fetch(&mut self.read(), Want::All).await }.boxed()
    }

    fn one<'s, Q: Fetch<I, B> + 's, I>(&'s mut self, query: Q) -> BoxFuture<'s, Result<Q::Row>> {
        async move { exactly_one(query.fetch(&mut self.read(), Want::UpTo(2)).await?) }.boxed()
    }

    fn one_or_none<'s, Q: Fetch<I, B> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Option<Q::Row>>> {
        async move {
            match exactly_one(query.fetch(&mut self.read(), Want::UpTo(2)).await?) {
                Ok(row) => Ok(Some(row)),
                Err(Error::NotFound) => Ok(None),
                Err(e) => Err(e),
            }
        }
        .boxed()
    }

    fn first<'s, Q: Fetch<I, B> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Option<Q::Row>>> {
        async move { Ok(query.fetch(&mut self.read(), Want::First).await?.pop()) }.boxed()
    }

    fn exists<'s, Q: Render<I, B> + 's, I: 's>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<bool>> {
        async move {
            let sql = query.render_first(self.router.writer.backend())?.0;
            let mut on = self.router.for_read(main_table(&sql), self.wrote).session();
            on.exists(query).await
        }
        .boxed()
    }

    fn stream<'s, Q: Render<I, B> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxStream<'s, Result<Q::Row>> {
        let rendered = match query.render_rows(self.router.writer.backend()) {
            Ok(r) => r,
            Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
        };
        let engine = self.router.for_read(main_table(&rendered.0), self.wrote);
        execute::stream(engine.core(), Target::Pool(engine.pools()), rendered)
    }

    fn get<M>(&mut self, key: M::Key) -> BoxFuture<'_, Result<Option<M>>>
    where
        M: PrimaryKey + DecodeRow + Send,
    {
        let mut on = self
            .router
            .for_read(Some(M::TABLE_NAME), self.wrote)
            .session();
        async move { on.get::<M>(key).await }.boxed()
    }

    fn execute<'s, S: Execute + 's>(&'s mut self, statement: S) -> BoxFuture<'s, Result<u64>> {
        let mut on = self.write();
        async move { on.execute(statement).await }.boxed()
    }

    fn execute_outcome<'s, S: Execute + 's>(
        &'s mut self,
        statement: S,
    ) -> BoxFuture<'s, Result<Outcome>> {
        let mut on = self.write();
        async move { on.execute_outcome(statement).await }.boxed()
    }

    fn insert<N: Insertable>(&mut self, row: N) -> BoxFuture<'_, Result<N::Model>>
    where
        N::Model: DecodeRow + Send,
    {
        let mut on = self.write();
        async move { on.insert(row).await }.boxed()
    }

    fn insert_returning<M: Model, Sel, I>(
        &mut self,
        statement: Insert<M, Sel>,
    ) -> BoxFuture<'_, Result<Vec<Sel::Row>>>
    where
        B: InsertReturning,
        Sel: SelectionIn<From1<M>, I>,
        Sel::Row: DecodeRow + Send,
    {
        let mut on = self.write();
        async move { on.insert_returning(statement).await }.boxed()
    }

    fn link<'s, R: ManyToManyRel>(
        &'s mut self,
        rel: R,
        parent: &'s R::From,
        target: &'s R::To,
    ) -> BoxFuture<'s, Result<()>> {
        let mut on = self.write();
        async move { on.link(rel, parent, target).await }.boxed()
    }

    fn unlink<'s, R: ManyToManyRel>(
        &'s mut self,
        rel: R,
        parent: &'s R::From,
        target: &'s R::To,
    ) -> BoxFuture<'s, Result<u64>> {
        let mut on = self.write();
        async move { on.unlink(rel, parent, target).await }.boxed()
    }

    fn begin(&mut self) -> BoxFuture<'_, Result<Transaction<'_, B>>> {
        RoutingSession::begin(self).boxed()
    }
}

/// The main table of a SELECT: the first table named after the top-level `FROM` (outside
/// parentheses, quotes and string literals), without its schema. `None` when there is none.
fn main_table(sql: &str) -> Option<&str> {
    let bytes = sql.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            q @ (b'"' | b'`' | b'\'') => i = closing(bytes, i, q),
            b'f' | b'F'
                if depth == 0
                    && sql
                        .get(i..i + 4)
                        .is_some_and(|w| w.eq_ignore_ascii_case("from"))
                    && (i == 0 || !is_ident(bytes[i - 1]))
                    && bytes.get(i + 4).is_none_or(|b| !is_ident(*b)) =>
            {
                return first_name(sql, i + 4);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the quote closing the one at `start` (a doubled quote is an escaped one).
fn closing(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i;
        }
        i += 1;
    }
    bytes.len()
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// The last part of the (possibly schema-qualified, possibly quoted) name starting after `from`.
fn first_name(sql: &str, from: usize) -> Option<&str> {
    let bytes = sql.as_bytes();
    let mut i = from;
    let mut last = None;
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let start = i;
        match bytes.get(i) {
            Some(q @ (b'"' | b'`')) => {
                let end = closing(bytes, i, *q);
                last = sql.get(start + 1..end);
                i = end + 1;
            }
            Some(b) if is_ident(*b) => {
                while bytes.get(i).is_some_and(|b| is_ident(*b)) {
                    i += 1;
                }
                last = sql.get(start..i);
            }
            _ => return last,
        }
        if bytes.get(i) != Some(&b'.') {
            return last;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::main_table;

    #[test]
    fn route_main_table_is_the_top_level_from() {
        let cases = [
            (
                r#"SELECT "a"."id" FROM "notes" WHERE "id" = $1"#,
                Some("notes"),
            ),
            ("SELECT `id` FROM `countries` LIMIT 1", Some("countries")),
            (
                r#"SELECT (SELECT COUNT(*) FROM "posts") AS "from" FROM "public"."users""#,
                Some("users"),
            ),
            ("select * from Users u join posts p on 1=1", Some("Users")),
            ("SELECT 'FROM x' AS y FROM t", Some("t")),
            ("SELECT 1", None),
            (r#"SELECT "fromage" FROM "x""y""#, Some(r#"x""y"#)),
        ];
        for (sql, table) in cases {
            assert_eq!(main_table(sql), table, "{sql}");
        }
    }
}
