//! Sessions and transactions: where typed statements run.
//!
//! A [`Session`] runs each statement on a pooled connection (autocommit). [`Session::begin`]
//! gives a [`Transaction`] that holds one connection until `commit` or `rollback`; dropping it
//! uncommitted (an error returned with `?`, a cancelled task) rolls it back. Savepoints are
//! transactions too: [`Transaction::begin_nested`].

use azoth_dsl::lower::render;
use azoth_dsl::schema::relation::ManyToManyRel;
use azoth_dsl::stmt::selection::{SelectionIn, Whole};
use azoth_dsl::{Backend, DecodeRow, From1, Insert, Insertable, Model, PrimaryKey, Statement};
use futures::StreamExt;
use futures::future::{BoxFuture, FutureExt};
use futures::stream::BoxStream;
use sea_query::{Expr as SeaExpr, ExprTrait, SelectStatement, Value};

use crate::engine::typed::{self, InsertReturning};
use crate::engine::{Engine, Pools};
use crate::errors::{Error, Result};
use crate::execute::{self, Outcome, Target};
use crate::fetch::{Execute, Fetch, Render, Runner, Want};
use crate::tx::{TxConn, TxDriver, TxHealth};

/// A unit of work over an [`Engine`]: run queries, or [`begin`](Session::begin) a transaction.
///
/// ```
/// use azoth::prelude::*;
/// azoth::model! { pub struct Note { #[primary_key] pub id: i64, pub text: String } }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = Engine::connect("sqlite::memory:").await?;
/// engine.create_all::<(Note,)>().await?;
/// let mut s = engine.session();
/// let note = s.insert(NewNote { text: "hello".into() }).await?;
/// let found: Option<Note> = s.one_or_none(Note::select().filter(Note::id.eq(note.id))).await?;
/// assert_eq!(found, Some(note));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Session<B = typed::Any> {
    engine: Engine<B>,
}

impl<B> Clone for Session<B> {
    fn clone(&self) -> Self {
        Session {
            engine: self.engine.clone(),
        }
    }
}

/// A transaction (or a savepoint inside one): statements run on its connection.
///
/// Dropped without [`commit`](Transaction::commit), it rolls back.
pub struct Transaction<'c, B = typed::Any> {
    engine: Engine<B>,
    conn: TxConn<'c>,
}

impl<B> Session<B> {
    pub(crate) fn new(engine: Engine<B>) -> Self {
        Session { engine }
    }

    /// The engine this session runs on.
    pub fn engine(&self) -> &Engine<B> {
        &self.engine
    }

    fn target(&mut self) -> Target<'_, 'static> {
        Target::Pool(self.engine.pools())
    }

    /// A statement that ran in a transaction of its own failed: nothing to record.
    fn note_failure(&mut self, _: &Error) {}

    async fn begin_here(&mut self) -> Result<Transaction<'_, B>> {
        self.begin().await
    }

    /// Begins a transaction on a connection of the pool; the session waits until it ends.
    pub async fn begin(&mut self) -> Result<Transaction<'_, B>> {
        begin_on(&self.engine).await
    }
}

/// Begins a transaction on a connection of `engine`'s pool.
pub(crate) async fn begin_on<B>(engine: &Engine<B>) -> Result<Transaction<'static, B>> {
    let driver = match engine.pools() {
        #[cfg(feature = "postgres")]
        Pools::Postgres(p) => TxDriver::Postgres(p.begin().await?),
        #[cfg(feature = "mysql")]
        Pools::MySql(p) => TxDriver::MySql(p.begin().await?),
        #[cfg(feature = "sqlite")]
        Pools::Sqlite(p) => TxDriver::Sqlite(crate::sqlite_fast::SqliteTx::new(
            p.begin().await?,
            engine.core().sqlite_statements(),
        )),
    };
    engine.core().count_statement();
    Ok(Transaction {
        engine: engine.clone(),
        conn: TxConn {
            driver,
            health: TxHealth::new(engine.backend()),
        },
    })
}

impl<'c, B> Transaction<'c, B> {
    fn target(&mut self) -> Target<'_, 'c> {
        Target::Tx(&mut self.conn)
    }

    /// A statement that ran in a savepoint of its own failed: it fails this transaction as any
    /// failed statement does.
    fn note_failure(&mut self, err: &Error) {
        self.conn.health.note(err);
    }

    async fn begin_here(&mut self) -> Result<Transaction<'_, B>> {
        self.begin_nested().await
    }

    /// Makes the transaction's work permanent (`COMMIT`, or `RELEASE SAVEPOINT` when nested).
    ///
    /// `Ok` means every statement of the transaction is committed. After a failed statement
    /// (one not contained by a rolled-back savepoint), `commit` rolls the transaction back
    /// instead and returns [`Error::TransactionFailed`].
    pub async fn commit(self) -> Result<()> {
        self.engine.core().count_statement();
        let TxConn { driver, health } = self.conn;
        if let Err(failed) = health.check() {
            // Best effort: an error here means the connection or the savepoint is gone, and
            // the work with it.
            let _ = rollback_driver(driver).await;
            return Err(failed);
        }
        match driver {
            #[cfg(feature = "postgres")]
            TxDriver::Postgres(tx) => tx.commit().await?,
            #[cfg(feature = "mysql")]
            TxDriver::MySql(tx) => tx.commit().await?,
            #[cfg(feature = "sqlite")]
            TxDriver::Sqlite(tx) => tx.into_inner().commit().await?,
        }
        Ok(())
    }

    /// Undoes the transaction's work (`ROLLBACK`, or `ROLLBACK TO SAVEPOINT` when nested).
    pub async fn rollback(self) -> Result<()> {
        self.engine.core().count_statement();
        let TxConn { driver, health } = self.conn;
        match rollback_driver(driver).await {
            // The server already rolled back the whole transaction (the savepoint is gone with
            // it): what was asked for is done.
            Err(_) if health.whole_rolled_back() => Ok(()),
            result => result,
        }
    }

    /// A savepoint: a nested transaction whose rollback keeps this transaction's earlier work.
    ///
    /// A statement that fails inside it fails the savepoint only: after its rollback (or drop)
    /// this transaction can still commit.
    pub async fn begin_nested(&mut self) -> Result<Transaction<'_, B>> {
        self.conn.health.check()?;
        let driver = match &mut self.conn.driver {
            #[cfg(feature = "postgres")]
            TxDriver::Postgres(tx) => {
                TxDriver::Postgres(sqlx::Transaction::begin(&mut **tx, None).await?)
            }
            #[cfg(feature = "mysql")]
            TxDriver::MySql(tx) => {
                TxDriver::MySql(sqlx::Transaction::begin(&mut **tx, None).await?)
            }
            #[cfg(feature = "sqlite")]
            TxDriver::Sqlite(tx) => TxDriver::Sqlite(crate::sqlite_fast::SqliteTx::new(
                // SAVEPOINT goes through sqlx's worker (which drains its queue first), on the
                // connection the parent's reads give back.
                sqlx::Transaction::begin(tx.conn(), None).await?,
                self.engine.core().sqlite_statements(),
            )),
        };
        self.engine.core().count_statement();
        Ok(Transaction {
            engine: self.engine.clone(),
            conn: TxConn {
                driver,
                health: self.conn.health.nested(),
            },
        })
    }
}

/// `ROLLBACK` (or `ROLLBACK TO SAVEPOINT`) on a transaction's connection.
async fn rollback_driver(driver: TxDriver<'_>) -> Result<()> {
    match driver {
        #[cfg(feature = "postgres")]
        TxDriver::Postgres(tx) => tx.rollback().await?,
        #[cfg(feature = "mysql")]
        TxDriver::MySql(tx) => tx.rollback().await?,
        #[cfg(feature = "sqlite")]
        TxDriver::Sqlite(tx) => tx.into_inner().rollback().await?,
    }
    Ok(())
}

/// A row type that reads nothing: what `exists` fetches.
struct AnyRow;

impl DecodeRow for AnyRow {
    fn decode_row(_: &mut dyn azoth_dsl::RowSource) -> std::result::Result<Self, azoth_dsl::Error> {
        Ok(AnyRow)
    }
}

/// `SELECT <every column of M> FROM M WHERE <key> = <value> AND ...`.
fn select_by_key<M: Model>(key: &[(&'static str, Value)], backend: Backend) -> azoth_dsl::Rendered {
    let mut q = SelectStatement::new();
    for c in M::META.columns {
        q.expr(SeaExpr::col((M::TABLE_NAME, c.name)));
    }
    q.from(M::TABLE_NAME);
    for (col, v) in key {
        q.and_where(SeaExpr::col((M::TABLE_NAME, *col)).eq(SeaExpr::Value(v.clone())));
    }
    render(&q, backend)
}

/// The INSERT (or DELETE) of the association row linking `parent` and `target`.
fn link_statement<R: ManyToManyRel>(
    parent: &R::From,
    target: &R::To,
    insert: bool,
    backend: Backend,
) -> Result<azoth_dsl::Rendered> {
    let spec = R::SPEC;
    let through = spec.through.ok_or_else(|| {
        Error::Unsupported(format!(
            "relationship `{}` has no association table",
            spec.name
        ))
    })?;
    let key = |row: Option<Vec<Value>>, what: &str| {
        row.ok_or_else(|| {
            Error::Unsupported(format!(
                "relationship `{}`: the {what} has no key value",
                spec.name
            ))
        })
    };
    let p = key(parent.values_of(spec.parent_cols), "parent")?;
    let t = key(target.values_of(spec.target_cols), "target")?;
    let table = through.table;
    let pairs = through
        .parent_cols
        .iter()
        .zip(p)
        .chain(through.target_cols.iter().zip(t));
    let rendered = if insert {
        let (cols, vals): (Vec<&str>, Vec<SeaExpr>) =
            pairs.map(|(c, v)| (*c, SeaExpr::Value(v))).unzip();
        let mut q = sea_query::InsertStatement::new();
        q.into_table(table)
            .columns(cols)
            .values(vals)
            .map_err(|e| Error::Unsupported(e.to_string()))?;
        render(&q, backend)
    } else {
        let mut q = sea_query::DeleteStatement::new();
        q.from_table(table);
        for (c, v) in pairs {
            q.and_where(SeaExpr::col((table, *c)).eq(SeaExpr::Value(v)));
        }
        render(&q, backend)
    };
    Ok(rendered)
}

pub(crate) fn exactly_one<R>(mut rows: Vec<R>) -> Result<R> {
    match rows.len() {
        0 => Err(Error::NotFound),
        1 => rows.pop().ok_or(Error::NotFound),
        _ => Err(Error::MultipleRows),
    }
}

/// The query methods, the same on a session and a transaction.
macro_rules! query_methods {
    () => {
        // The fetching methods return boxed futures rather than being `async fn`s: an `async fn`
        // reports an unmet bound on its arguments three times (call, future, `.await`).

        /// Every row of the query.
        pub fn all<'s, Q: Fetch<I, B> + 's, I>(&'s mut self, query: Q) -> BoxFuture<'s, Result<Vec<Q::Row>>> {
            query.fetch(self, Want::All)
        }

        /// The one row of the query: [`Error::NotFound`] if none, [`Error::MultipleRows`] if several.
        pub fn one<'s, Q: Fetch<I, B> + 's, I>(&'s mut self, query: Q) -> BoxFuture<'s, Result<Q::Row>> {
            query.fetch(self, Want::UpTo(2)).map(|rows| exactly_one(rows?)).boxed()
        }

        /// The row of the query if there is one; [`Error::MultipleRows`] if several.
        pub fn one_or_none<'s, Q: Fetch<I, B> + 's, I>(&'s mut self, query: Q) -> BoxFuture<'s, Result<Option<Q::Row>>> {
            query
                .fetch(self, Want::UpTo(2))
                .map(|rows| match exactly_one(rows?) {
                    Ok(row) => Ok(Some(row)),
                    Err(Error::NotFound) => Ok(None),
                    Err(e) => Err(e),
                })
                .boxed()
        }

        /// The first row of the query (`LIMIT 1`), if any.
        pub fn first<'s, Q: Fetch<I, B> + 's, I>(&'s mut self, query: Q) -> BoxFuture<'s, Result<Option<Q::Row>>> {
            query.fetch(self, Want::First).map(|rows| Ok(rows?.pop())).boxed()
        }

        /// The value of a one-column query's first row, if any (SQLAlchemy's `scalar`): the same
        /// as [`first`](Self::first), named for single-value selections such as `count_all()`.
        pub fn scalar<'s, Q: Fetch<I, B> + 's, I>(&'s mut self, query: Q) -> BoxFuture<'s, Result<Option<Q::Row>>> {
            self.first(query)
        }

        /// Whether the query returns at least one row (`LIMIT 1`, nothing decoded).
        pub async fn exists<Q: Render<I, B>, I>(&mut self, query: Q) -> Result<bool> {
            let rendered = query.render_first(self.engine.backend())?;
            let engine = self.engine.clone();
            let engine = engine.core();
            Ok(
                !execute::fetch_up_to::<AnyRow>(engine, self.target(), rendered, 1)
                    .await?
                    .is_empty(),
            )
        }

        /// Runs an INSERT, UPDATE or DELETE; returns the number of rows it affected.
        ///
        /// A many-row insert is split into statements under the backend's bind-parameter limit;
        /// the parts run in a transaction of their own (a savepoint in a transaction), so all
        /// land or none.
        // A boxed future, not an `async fn`: an unmet `Execute` bound is then reported once.
        pub fn execute<'s, S: Execute + 's>(&'s mut self, statement: S) -> BoxFuture<'s, Result<u64>> {
            async move { Ok(self.execute_outcome(statement).await?.rows_affected) }.boxed()
        }

        /// Runs a statement and returns what it did, generated key included.
        ///
        /// A split statement's parts run one after the other, in a transaction of their own on a
        /// session and in a savepoint in a transaction, so that the statement lands whole or not
        /// at all; the outcome adds their rows up, with the first part's first key and the last part's
        /// last key.
        pub async fn execute_outcome<S: Execute>(&mut self, statement: S) -> Result<Outcome> {
            let backend = self.engine.backend();
            let batches = statement.into_batches(backend, backend.max_binds())?;
            let engine = self.engine.clone();
            let engine = engine.core();
            let mut total = Outcome::default();
            let mut parts = 0;
            let mut add = |o: Outcome| {
                if parts == 0 {
                    total.first_insert_id = o.first_insert_id;
                }
                parts += 1;
                total.rows_affected += o.rows_affected;
                total.last_insert_id = o.last_insert_id;
            };
            // Several parts run in a transaction of their own on a session, in a savepoint in a
            // transaction: the statement lands whole or not at all.
            if batches.len() > 1 {
                let mut tx = self.begin_here().await?;
                let mut done = Ok(());
                for rendered in batches {
                    match execute::execute(engine, tx.target(), rendered).await {
                        Ok(o) => add(o),
                        Err(e) => {
                            done = Err(e);
                            break;
                        }
                    }
                }
                let done = match done {
                    Ok(()) => tx.commit().await,
                    Err(e) => {
                        drop(tx); // rolled back
                        Err(e)
                    }
                };
                if let Err(e) = &done {
                    self.note_failure(e);
                }
                done?;
            } else {
                for rendered in batches {
                    add(execute::execute(engine, self.target(), rendered).await?);
                }
            }
            Ok(total)
        }

        /// Runs `insert(..).returning(cols)` and returns the inserted rows' columns
        /// (PostgreSQL, SQLite; MySQL has no `INSERT … RETURNING`: a compile error on a typed
        /// MySQL engine, [`Error::Unsupported`] on an untyped one).
        pub fn insert_returning<M: Model, Sel, I>(
            &mut self,
            statement: Insert<M, Sel>,
        ) -> BoxFuture<'_, Result<Vec<Sel::Row>>>
        where
            B: InsertReturning,
            Sel: SelectionIn<From1<M>, I>,
            Sel::Row: DecodeRow + Send,
        {
            // Not an `async fn`: its bounds would be reported again for the returned future.
            async move {
                let backend = self.engine.backend();
                if backend == Backend::MySql {
                    return Err(Error::Unsupported(
                        "MySQL has no INSERT … RETURNING; use `session.insert(row)`, which reads the stored row back"
                            .into(),
                    ));
                }
                let rendered = statement.to_sql(backend);
                let engine = self.engine.clone();
                execute::fetch_all(engine.core(), self.target(), rendered).await
            }
            .boxed()
        }

        /// Links `parent` and `target` through a many-to-many relationship (inserts the
        /// association row).
        pub fn link<'s, R: ManyToManyRel>(
            &'s mut self,
            _rel: R,
            parent: &'s R::From,
            target: &'s R::To,
        ) -> BoxFuture<'s, Result<()>> {
            async move {
                let statement = link_statement::<R>(parent, target, true, self.engine.backend())?;
                let engine = self.engine.clone();
                execute::execute(engine.core(), self.target(), statement).await.map(|_| ())
            }
            .boxed()
        }

        /// Removes the link between `parent` and `target`; returns how many association rows went.
        pub fn unlink<'s, R: ManyToManyRel>(
            &'s mut self,
            _rel: R,
            parent: &'s R::From,
            target: &'s R::To,
        ) -> BoxFuture<'s, Result<u64>> {
            async move {
                let statement = link_statement::<R>(parent, target, false, self.engine.backend())?;
                let engine = self.engine.clone();
                Ok(execute::execute(engine.core(), self.target(), statement).await?.rows_affected)
            }
            .boxed()
        }

        /// The row of model `M` whose primary key is `key` (a tuple for a composite key), if any.
        pub async fn get<M>(&mut self, key: M::Key) -> Result<Option<M>>
        where
            M: PrimaryKey + DecodeRow + Send,
        {
            let rendered = select_by_key::<M>(&M::key_values(key), self.engine.backend());
            let engine = self.engine.clone();
            let engine = engine.core();
            Ok(execute::fetch_up_to(engine, self.target(), rendered, 1)
                .await?
                .pop())
        }

        /// Inserts one new row and returns it as stored, with generated keys and defaults
        /// (`RETURNING` on PostgreSQL and SQLite; on MySQL the last insert id, then a read).
        pub async fn insert<N: Insertable>(&mut self, row: N) -> Result<N::Model>
        where
            N::Model: DecodeRow + Send,
        {
            let backend = self.engine.backend();
            let engine = self.engine.clone();
            let engine = engine.core();
            let stmt = azoth_dsl::insert(row);
            if backend != Backend::MySql {
                let rendered = stmt.returning(Whole::<N::Model>::new()).to_sql(backend);
                return exactly_one(
                    execute::fetch_up_to(engine, self.target(), rendered, 2).await?,
                );
            }
            let given: Vec<(&'static str, Value)> =
                stmt.first_row_values().to_vec();
            let outcome = execute::execute(engine, self.target(), stmt.to_sql(backend)).await?;
            let mut key = Vec::new();
            for c in <N::Model as Model>::META.primary_key() {
                match given.iter().find(|(name, _)| *name == c.name) {
                    Some((name, v)) => key.push((*name, v.clone())),
                    None => {
                        let id = outcome.last_insert_id.ok_or_else(|| {
                            Error::Unsupported(format!(
                                "MySQL reported no generated key for `{}`; give the key a value with `#[primary_key(manual)]`",
                                c.name
                            ))
                        })?;
                        key.push((c.name, Value::BigInt(Some(id))));
                    }
                }
            }
            let rendered = select_by_key::<N::Model>(&key, backend);
            exactly_one(execute::fetch_up_to(engine, self.target(), rendered, 2).await?)
        }
    };
}

impl<B> Session<B> {
    query_methods!();

    /// The rows of the query as a stream that holds one row at a time (constant memory).
    pub fn stream<'s, Q: Render<I, B>, I>(&'s mut self, query: Q) -> BoxStream<'s, Result<Q::Row>> {
        let rendered = match query.render_rows(self.engine.backend()) {
            Ok(r) => r,
            Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
        };
        execute::stream(
            self.engine.core(),
            Target::Pool(self.engine.pools()),
            rendered,
        )
    }
}

impl<'c, B> Transaction<'c, B> {
    query_methods!();

    /// The rows of the query as a stream that holds one row at a time (constant memory).
    pub fn stream<'s, Q: Render<I, B>, I>(&'s mut self, query: Q) -> BoxStream<'s, Result<Q::Row>> {
        let rendered = match query.render_rows(self.engine.backend()) {
            Ok(r) => r,
            Err(e) => return futures::stream::once(async move { Err(e) }).boxed(),
        };
        let engine = self.engine.clone();
        let engine = engine.core();
        execute::stream(engine, self.target(), rendered)
    }
}

/// Defines [`Runner`] for a session or a transaction.
macro_rules! runner_impl {
    () => {
        fn backend(&self) -> Backend {
            self.engine.backend()
        }

        fn fetch_with<'a, T, D>(
            &'a mut self,
            rendered: azoth_dsl::Rendered,
            limit: usize,
            decode: D,
        ) -> BoxFuture<'a, Result<Vec<T>>>
        where
            T: Send + 'a,
            D: FnMut(&mut dyn azoth_dsl::RowSource) -> std::result::Result<T, azoth_dsl::Error>
                + Send
                + 'a,
        {
            async move {
                let engine = self.engine.clone();
                execute::fetch_up_to_with(engine.core(), self.target(), rendered, limit, decode)
                    .await
            }
            .boxed()
        }
    };
}

impl<B> Runner for Session<B> {
    runner_impl!();
}

impl<B> Runner for Transaction<'_, B> {
    runner_impl!();
}

impl<B> Engine<B> {
    /// Begins a transaction that owns its pooled connection and borrows nothing: for one that
    /// must live in a struct or move between tasks, such as a web request's. Dropped without
    /// `commit`, it rolls back.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> azoth::Result<()> {
    /// let engine = azoth::Engine::connect("sqlite::memory:").await?;
    /// let tx: azoth::Transaction<'static> = engine.begin().await?;
    /// tx.rollback().await
    /// # }
    /// ```
    pub async fn begin(&self) -> Result<Transaction<'static, B>> {
        begin_on(self).await
    }
}
