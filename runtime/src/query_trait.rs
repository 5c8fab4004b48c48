//! [`Db`]: one trait for everything that runs queries (a [`Session`], a [`Transaction`], a
//! [`RoutingSession`](crate::RoutingSession)), so that a helper function takes any of them.

use azoth_dsl::schema::relation::ManyToManyRel;
use azoth_dsl::stmt::selection::SelectionIn;
use azoth_dsl::{DecodeRow, From1, Insert, Insertable, Model, PrimaryKey};
use futures::FutureExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;

use crate::engine::typed::InsertReturning;
use crate::errors::Result;
use crate::execute::Outcome;
use crate::fetch::{Execute, Fetch, Render};
use crate::session::{Session, Transaction};

/// Something that runs queries: a [`Session`], a [`Transaction`] (or savepoint), a
/// [`RoutingSession`](crate::RoutingSession). Write helper functions against it (sqlx's
/// `Executor`, Diesel's `Connection`) so that callers pass whichever they hold.
///
/// `Backend` is the engine's backend type ([`typed::Any`](crate::typed::Any) unless the engine
/// was opened with `connect_typed`); a helper for one backend says so:
/// `db: &mut impl Db<Backend = typed::Postgres>`. The methods return boxed `Send` futures, so a
/// generic helper can run inside `tokio::spawn` or a web handler.
///
/// ```
/// use azoth::prelude::*;
/// azoth::model! { pub struct Note { #[primary_key] pub id: i64, pub text: String } }
///
/// /// One helper for a session and a transaction alike.
/// async fn add_note(db: &mut impl Db, text: &str) -> azoth::Result<Note> {
///     db.insert(NewNote { text: text.into() }).await
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = Engine::connect("sqlite::memory:").await?;
/// engine.create_all::<(Note,)>().await?;
/// let mut s = engine.session();
/// add_note(&mut s, "on a session").await?;
/// let mut tx = s.begin().await?;
/// add_note(&mut tx, "in a transaction").await?;
/// tx.commit().await?;
/// assert_eq!(s.all(select(Note::text).order_by(Note::id.asc())).await?, ["on a session", "in a transaction"]);
/// # Ok(())
/// # }
/// ```
pub trait Db: Send {
    /// The engine's backend type: [`typed::Any`](crate::typed::Any), or a typed backend.
    type Backend;

    /// Every row of the query.
    fn all<'s, Q: Fetch<I, Self::Backend> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Vec<Q::Row>>>;

    /// The one row of the query: [`Error::NotFound`](crate::Error::NotFound) if none,
    /// [`Error::MultipleRows`](crate::Error::MultipleRows) if several.
    fn one<'s, Q: Fetch<I, Self::Backend> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Q::Row>>;

    /// The row of the query if there is one;
    /// [`Error::MultipleRows`](crate::Error::MultipleRows) if several.
    fn one_or_none<'s, Q: Fetch<I, Self::Backend> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Option<Q::Row>>>;

    /// The first row of the query (`LIMIT 1`), if any.
    fn first<'s, Q: Fetch<I, Self::Backend> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Option<Q::Row>>>;

    /// The value of a one-column query's first row, if any: [`first`](Self::first) named for
    /// single-value selections such as `count_all()`.
    fn scalar<'s, Q: Fetch<I, Self::Backend> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<Option<Q::Row>>> {
        self.first(query)
    }

    /// Whether the query returns at least one row (`LIMIT 1`, nothing decoded).
    fn exists<'s, Q: Render<I, Self::Backend> + 's, I: 's>(
        &'s mut self,
        query: Q,
    ) -> BoxFuture<'s, Result<bool>>;

    /// The rows of the query as a stream that holds one row at a time (constant memory).
    fn stream<'s, Q: Render<I, Self::Backend> + 's, I>(
        &'s mut self,
        query: Q,
    ) -> BoxStream<'s, Result<Q::Row>>;

    /// The row of model `M` whose primary key is `key` (a tuple for a composite key), if any.
    fn get<M>(&mut self, key: M::Key) -> BoxFuture<'_, Result<Option<M>>>
    where
        M: PrimaryKey + DecodeRow + Send;

    /// Runs an INSERT, UPDATE or DELETE; returns the number of rows it affected.
    fn execute<'s, S: Execute + 's>(&'s mut self, statement: S) -> BoxFuture<'s, Result<u64>>;

    /// Runs a statement and returns what it did, generated key included.
    fn execute_outcome<'s, S: Execute + 's>(
        &'s mut self,
        statement: S,
    ) -> BoxFuture<'s, Result<Outcome>>;

    /// Inserts one new row and returns it as stored, with generated keys and defaults.
    fn insert<N: Insertable>(&mut self, row: N) -> BoxFuture<'_, Result<N::Model>>
    where
        N::Model: DecodeRow + Send;

    /// Runs `insert(..).returning(cols)` and returns the inserted rows' columns (not on MySQL).
    fn insert_returning<M: Model, Sel, I>(
        &mut self,
        statement: Insert<M, Sel>,
    ) -> BoxFuture<'_, Result<Vec<Sel::Row>>>
    where
        Self::Backend: InsertReturning,
        Sel: SelectionIn<From1<M>, I>,
        Sel::Row: DecodeRow + Send;

    /// Links `parent` and `target` through a many-to-many relationship.
    fn link<'s, R: ManyToManyRel>(
        &'s mut self,
        rel: R,
        parent: &'s R::From,
        target: &'s R::To,
    ) -> BoxFuture<'s, Result<()>>;

    /// Removes the link between `parent` and `target`; returns how many association rows went.
    fn unlink<'s, R: ManyToManyRel>(
        &'s mut self,
        rel: R,
        parent: &'s R::From,
        target: &'s R::To,
    ) -> BoxFuture<'s, Result<u64>>;

    /// A transaction nested in what this runs on: on a session a new transaction, in a
    /// transaction a savepoint (as sqlx's `Acquire::begin`), on a routing session a transaction
    /// on the writer.
    fn begin(&mut self) -> BoxFuture<'_, Result<Transaction<'_, Self::Backend>>>;
}

/// Implements [`Db`] for a session or a transaction by calling its own methods of the same name
/// (inherent methods come first in `Type::method` paths), so both keep one implementation.
macro_rules! forward_db {
    ($ty:ty, $begin:ident) => {
        type Backend = B;

        fn all<'s, Q: Fetch<I, B> + 's, I>(
            &'s mut self,
            query: Q,
        ) -> BoxFuture<'s, Result<Vec<Q::Row>>> {
            <$ty>::all(self, query)
        }

        fn one<'s, Q: Fetch<I, B> + 's, I>(
            &'s mut self,
            query: Q,
        ) -> BoxFuture<'s, Result<Q::Row>> {
            <$ty>::one(self, query)
        }

        fn one_or_none<'s, Q: Fetch<I, B> + 's, I>(
            &'s mut self,
            query: Q,
        ) -> BoxFuture<'s, Result<Option<Q::Row>>> {
            <$ty>::one_or_none(self, query)
        }

        fn first<'s, Q: Fetch<I, B> + 's, I>(
            &'s mut self,
            query: Q,
        ) -> BoxFuture<'s, Result<Option<Q::Row>>> {
            <$ty>::first(self, query)
        }

        fn exists<'s, Q: Render<I, B> + 's, I: 's>(
            &'s mut self,
            query: Q,
        ) -> BoxFuture<'s, Result<bool>> {
            <$ty>::exists(self, query).boxed()
        }

        fn stream<'s, Q: Render<I, B> + 's, I>(
            &'s mut self,
            query: Q,
        ) -> BoxStream<'s, Result<Q::Row>> {
            <$ty>::stream(self, query)
        }

        fn get<M>(&mut self, key: M::Key) -> BoxFuture<'_, Result<Option<M>>>
        where
            M: PrimaryKey + DecodeRow + Send,
        {
            <$ty>::get(self, key).boxed()
        }

        fn execute<'s, S: Execute + 's>(&'s mut self, statement: S) -> BoxFuture<'s, Result<u64>> {
            <$ty>::execute(self, statement).boxed()
        }

        fn execute_outcome<'s, S: Execute + 's>(
            &'s mut self,
            statement: S,
        ) -> BoxFuture<'s, Result<Outcome>> {
            <$ty>::execute_outcome(self, statement).boxed()
        }

        fn insert<N: Insertable>(&mut self, row: N) -> BoxFuture<'_, Result<N::Model>>
        where
            N::Model: DecodeRow + Send,
        {
            <$ty>::insert(self, row).boxed()
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
            <$ty>::insert_returning(self, statement)
        }

        fn link<'s, R: ManyToManyRel>(
            &'s mut self,
            rel: R,
            parent: &'s R::From,
            target: &'s R::To,
        ) -> BoxFuture<'s, Result<()>> {
            <$ty>::link(self, rel, parent, target)
        }

        fn unlink<'s, R: ManyToManyRel>(
            &'s mut self,
            rel: R,
            parent: &'s R::From,
            target: &'s R::To,
        ) -> BoxFuture<'s, Result<u64>> {
            <$ty>::unlink(self, rel, parent, target)
        }

        fn begin(&mut self) -> BoxFuture<'_, Result<Transaction<'_, B>>> {
            <$ty>::$begin(self).boxed()
        }
    };
}

impl<B> Db for Session<B> {
    forward_db!(Session<B>, begin);
}

impl<'c, B> Db for Transaction<'c, B> {
    forward_db!(Transaction<'c, B>, begin_nested);
}
