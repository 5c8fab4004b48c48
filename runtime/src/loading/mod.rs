//! Eager loading: running the loader options of a query ([`azoth_dsl::selectin`]) after its
//! parent rows, and assembling [`Loaded`] rows.
//!
//! Nothing is loaded lazily: every relationship a row carries was fetched by the query that
//! returned it, with a number of statements fixed by the options (1 + one per `selectin` level
//! and chunk of 500 keys; none for empty parents).

mod key;
mod selectin;

use std::marker::PhantomData;

use azoth_dsl::Select;
use azoth_dsl::schema::relation::{Relation, StartsAt};
use azoth_dsl::stmt::load::{LoadRel, Slot, Strategy};
use azoth_dsl::stmt::select::Natural;
use azoth_dsl::stmt::selection::Whole;
use azoth_dsl::{Backend, DecodeRow, Loaded, Model, Rendered};
use futures::FutureExt;
use futures::future::BoxFuture;
use sea_query::SelectStatement;

use crate::errors::{Error, Result};
use crate::fetch::{DynRunner, Fetch, Runner, Want};

/// Loader options the runtime can run for parents of model `M`.
pub trait Load<M>: Send + Sync {
    /// What each parent gets: a tuple of slots.
    type Rels: Send + Sync + 'static;
    /// Loads for `parents`, one entry per parent, in order.
    fn load<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
    ) -> BoxFuture<'a, Result<Vec<Self::Rels>>>;
}

/// One loader option for parents of model `M`.
pub trait LoadOne<M>: Send + Sync {
    /// What each parent gets.
    type Slot: Send + Sync + 'static;
    /// Loads for `parents`, one entry per parent, in order.
    fn load_one<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
    ) -> BoxFuture<'a, Result<Vec<Self::Slot>>>;
}

impl<M: Sync> Load<M> for () {
    type Rels = ();
    fn load<'a>(
        &'a self,
        _: &'a mut dyn DynRunner,
        parents: &'a [M],
    ) -> BoxFuture<'a, Result<Vec<()>>> {
        futures::future::ready(Ok(vec![(); parents.len()])).boxed()
    }
}

impl<M, R, N> LoadOne<M> for LoadRel<R, N>
where
    M: Model,
    R: Relation + StartsAt<M>,
    R::To: DecodeRow,
    N: Load<R::To>,
{
    type Slot = Slot<R, Loaded<R::To, N::Rels>>;
    fn load_one<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
    ) -> BoxFuture<'a, Result<Vec<Self::Slot>>> {
        match self.strategy() {
            Strategy::SelectIn => selectin::load::<M, R, N>(self, runner, parents).boxed(),
        }
    }
}

impl<M, R, N> Load<M> for LoadRel<R, N>
where
    M: Sync,
    LoadRel<R, N>: LoadOne<M>,
{
    type Rels = (<LoadRel<R, N> as LoadOne<M>>::Slot,);
    fn load<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
    ) -> BoxFuture<'a, Result<Vec<Self::Rels>>> {
        async move {
            Ok(self
                .load_one(runner, parents)
                .await?
                .into_iter()
                .map(|s| (s,))
                .collect())
        }
        .boxed()
    }
}

macro_rules! load_tuples {
    ($(($($t:ident $v:ident $i:tt),+))*) => {$(
        impl<M: Sync, $($t: LoadOne<M>),+> Load<M> for ($($t,)+) {
            type Rels = ($($t::Slot,)+);
            fn load<'a>(&'a self, runner: &'a mut dyn DynRunner, parents: &'a [M]) -> BoxFuture<'a, Result<Vec<Self::Rels>>> {
                async move {
                    $(let mut $v = self.$i.load_one(runner, parents).await?.into_iter();)+
                    let mut out = Vec::with_capacity(parents.len());
                    for _ in 0..parents.len() {
                        match ($($v.next(),)+) {
                            ($(Some($v),)+) => out.push(($($v,)+)),
                            _ => return Err(Error::Unsupported("a loader returned fewer rows than parents".into())),
                        }
                    }
                    Ok(out)
                }
                .boxed()
            }
        }
    )*};
}

load_tuples! {
    (A a 0)
    (A a 0, B b 1)
    (A a 0, B b 1, C c 2)
    (A a 0, B b 1, C c 2, D d 3)
    (A a 0, B b 1, C c 2, D d 3, E e 4)
    (A a 0, B b 1, C c 2, D d 3, E e 4, F f 5)
}

/// A model query with loader options: run it with the session's `all`, `one`, `first`, ...
///
/// The options are checked and boxed when the query is built, so a mistake in them is reported
/// once, where the options are written.
pub struct WithOptions<Q, M, L> {
    query: Q,
    loader: Box<dyn Load<M, Rels = L>>,
}

/// `Model::select().options(..)`: in the prelude.
pub trait SelectOptions<M>: Sized {
    /// Loads relationships of `M` with the rows: `selectin(User::posts)`, or a tuple of options.
    /// Rows then decode into [`Loaded`], which reads them with `.get(User::posts)`.
    ///
    /// Each option must start at `M` (or, inside `.then(..)`, at the model the outer relationship
    /// leads to).
    fn options<O: Load<M> + 'static>(self, options: O) -> WithOptions<Self, M, O::Rels>;
}

impl<S, M: Model> SelectOptions<M> for Select<S, Whole<M>, Natural> {
    fn options<O: Load<M> + 'static>(self, options: O) -> WithOptions<Self, M, O::Rels> {
        WithOptions {
            query: self,
            loader: Box::new(options),
        }
    }
}

/// Witness for queries with loader options in [`Fetch`].
pub struct Loading<I>(PhantomData<I>);

impl<Q, M, L, I, B> Fetch<Loading<I>, B> for WithOptions<Q, M, L>
where
    Q: Fetch<I, B, Row = M>,
    M: Model + DecodeRow,
    L: Send + Sync + 'static,
{
    type Row = Loaded<M, L>;
    fn fetch<'a, X: Runner>(
        self,
        runner: &'a mut X,
        want: Want,
    ) -> BoxFuture<'a, Result<Vec<Self::Row>>>
    where
        Self: 'a,
    {
        async move {
            let WithOptions { query, loader } = self;
            let parents = query.fetch(runner, want).await?;
            let rels = loader.load(runner, &parents).await?;
            Ok(parents
                .into_iter()
                .zip(rels)
                .map(|(p, r)| Loaded::new(p, r))
                .collect())
        }
        .boxed()
    }
}

/// Renders a sea-query SELECT for `backend`.
pub(crate) fn render_select(q: &SelectStatement, backend: Backend) -> Rendered {
    match backend {
        Backend::Postgres => q.build(sea_query::PostgresQueryBuilder),
        Backend::MySql => q.build(sea_query::MysqlQueryBuilder),
        Backend::Sqlite => q.build(sea_query::SqliteQueryBuilder),
    }
}
