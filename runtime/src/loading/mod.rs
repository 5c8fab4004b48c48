//! Eager loading: running the loader options of a query ([`azoth_dsl::selectin`]) after its
//! parent rows, and assembling [`Loaded`] rows.
//!
//! Nothing is loaded lazily: every relationship a row carries was fetched by the query that
//! returned it, with a number of statements fixed by the options (1 + one per `selectin` level
//! and chunk of 500 keys; none for empty parents).

mod joined;
mod joined_rows;
mod key;
#[cfg(feature = "postgres")]
mod pg_array;
mod selectin;

use std::marker::PhantomData;
use std::sync::Arc;

use azoth_dsl::Select;
use azoth_dsl::schema::relation::{Cardinality, Relation, StartsAt};
use azoth_dsl::stmt::load::{LoadRel, Slot, Strategy};
use azoth_dsl::stmt::select::Natural;
use azoth_dsl::stmt::selection::Whole;
use azoth_dsl::{Backend, DecodeRow, Loaded, Model, Rendered};
use futures::FutureExt;
use futures::future::BoxFuture;
use sea_query::SelectStatement;

pub use joined::{JoinedSpec, JoinedSpecs};
pub use joined_rows::Joined;

use crate::errors::{Error, Result};
use crate::fetch::{DynRunner, Fetch, Runner, Want};

/// The rows of a joined query (their indexes in [`Joined`]), grouped by parent (a row may
/// belong to several parents of a nested level: a tag shared by two posts).
pub type JoinedRows = [Vec<usize>];

/// Loader options the runtime can run for parents of model `M`.
pub trait Load<M>: Send + Sync {
    /// What each parent gets: a tuple of slots.
    type Rels: Send + Sync + 'static;
    /// Appends what the joined options among these (and the joined options nested under them)
    /// add to the statement that reads the parents, in column order; `parent` names the
    /// parents' table there.
    fn joined_specs(&self, _backend: Backend, _parent: &str, _out: &mut JoinedSpecs) {}
    /// Whether [`load_joined`](Self::load_joined) reads the parents' `rows` (a joined option is
    /// among these): when not, the caller need not gather each parent's rows.
    fn reads_rows(&self) -> bool {
        false
    }
    /// Loads after a statement that carried [`joined_specs`](Self::joined_specs): joined
    /// options read their segments of `joined` on each parent's `rows` (starting at segment
    /// `segment`), the others query as usual. Returns the slots and how many segments were read.
    fn load_joined<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
        joined: &'a Joined,
        rows: &'a JoinedRows,
        segment: usize,
    ) -> BoxFuture<'a, Result<(Vec<Self::Rels>, usize)>> {
        let _ = (joined, rows, segment);
        let load = self.load(runner, parents);
        async move { Ok((load.await?, 0)) }.boxed()
    }
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
    /// See [`Load::joined_specs`].
    fn joined_specs(&self, backend: Backend, parent: &str, out: &mut JoinedSpecs);
    /// See [`Load::reads_rows`].
    fn reads_rows(&self) -> bool;
    /// See [`Load::load_joined`].
    fn load_one_joined<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
        joined: &'a Joined,
        rows: &'a JoinedRows,
        segment: usize,
    ) -> BoxFuture<'a, Result<(Vec<Self::Slot>, usize)>>;
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
    R::To: DecodeRow + azoth_dsl::ModelRowDecode,
    N: Load<R::To>,
{
    type Slot = Slot<R, Loaded<R::To, N::Rels>>;
    fn load_one<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
    ) -> BoxFuture<'a, Result<Vec<Self::Slot>>> {
        // A joined option always reaches its parents through the statement that read them
        // (`load_one_joined`); this path serves selectin, and joined only as a fallback.
        selectin::load::<M, R, N>(self, runner, parents).boxed()
    }

    fn reads_rows(&self) -> bool {
        self.strategy() == Strategy::Joined
    }

    fn joined_specs(&self, backend: Backend, parent: &str, out: &mut JoinedSpecs) {
        if self.strategy() == Strategy::Joined {
            let spec = joined::spec(self, backend, parent, out);
            let alias = spec.alias().to_owned();
            out.push(spec);
            self.nested().joined_specs(backend, &alias, out);
        }
    }

    fn load_one_joined<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
        joined: &'a Joined,
        rows: &'a JoinedRows,
        segment: usize,
    ) -> BoxFuture<'a, Result<(Vec<Self::Slot>, usize)>> {
        async move {
            if self.strategy() == Strategy::Joined {
                joined::assemble(self, runner, joined, rows, segment).await
            } else {
                Ok((self.load_one(runner, parents).await?, 0))
            }
        }
        .boxed()
    }
}

impl<M, R, N> Load<M> for LoadRel<R, N>
where
    M: Sync,
    LoadRel<R, N>: LoadOne<M>,
{
    type Rels = (<LoadRel<R, N> as LoadOne<M>>::Slot,);
    fn joined_specs(&self, backend: Backend, parent: &str, out: &mut JoinedSpecs) {
        LoadOne::joined_specs(self, backend, parent, out);
    }
    fn reads_rows(&self) -> bool {
        LoadOne::reads_rows(self)
    }
    fn load_joined<'a>(
        &'a self,
        runner: &'a mut dyn DynRunner,
        parents: &'a [M],
        joined: &'a Joined,
        rows: &'a JoinedRows,
        segment: usize,
    ) -> BoxFuture<'a, Result<(Vec<Self::Rels>, usize)>> {
        async move {
            let (slots, width) = self
                .load_one_joined(runner, parents, joined, rows, segment)
                .await?;
            Ok((slots.into_iter().map(|s| (s,)).collect(), width))
        }
        .boxed()
    }
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
            fn joined_specs(&self, backend: Backend, parent: &str, out: &mut JoinedSpecs) {
                $(self.$i.joined_specs(backend, parent, out);)+
            }
            fn reads_rows(&self) -> bool {
                $(self.$i.reads_rows())||+
            }
            fn load_joined<'a>(
                &'a self,
                runner: &'a mut dyn DynRunner,
                parents: &'a [M],
                joined: &'a Joined,
                rows: &'a JoinedRows,
                segment: usize,
            ) -> BoxFuture<'a, Result<(Vec<Self::Rels>, usize)>> {
                async move {
                    let start = segment;
                    let mut segment = segment;
                    $(
                        let ($v, width) = self.$i.load_one_joined(runner, parents, joined, rows, segment).await?;
                        segment += width;
                        let mut $v = $v.into_iter();
                    )+
                    Ok((zip_slots!(parents.len(); $($v)+)?, segment - start))
                }
                .boxed()
            }
            fn load<'a>(&'a self, runner: &'a mut dyn DynRunner, parents: &'a [M]) -> BoxFuture<'a, Result<Vec<Self::Rels>>> {
                async move {
                    $(let mut $v = self.$i.load_one(runner, parents).await?.into_iter();)+
                    zip_slots!(parents.len(); $($v)+)
                }
                .boxed()
            }
        }
    )*};
}

/// One tuple of slots per parent, from one iterator of slots per option.
macro_rules! zip_slots {
    ($n:expr; $($v:ident)+) => {{
        let mut out = Vec::with_capacity($n);
        let mut short = false;
        for _ in 0..$n {
            match ($($v.next(),)+) {
                ($(Some($v),)+) => out.push(($($v,)+)),
                _ => short = true,
            }
        }
        if short {
            Err(Error::Unsupported("a loader returned fewer rows than parents".into()))
        } else {
            Ok(out)
        }
    }};
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

impl<S, M: Model, G> SelectOptions<M> for Select<S, Whole<M>, Natural, G> {
    fn options<O: Load<M> + 'static>(self, options: O) -> WithOptions<Self, M, O::Rels> {
        WithOptions {
            query: self,
            loader: Box::new(options),
        }
    }
}

/// Witness for queries with loader options in [`Fetch`].
pub struct Loading<I>(PhantomData<I>);

/// The parent query of a query with options: a model select, which a joined load wraps.
pub trait ParentQuery: Send {
    /// The statement, as sea-query.
    fn statement(&self, backend: Backend) -> SelectStatement;
    /// Its ORDER BY items.
    fn order(&self) -> &[azoth_dsl::stmt::order::OrderItem];
    /// Whether each row is one row of the parent table (no join, grouping or DISTINCT).
    fn reads_table_rows(&self) -> bool;
    /// Whether it has a LIMIT or an OFFSET.
    fn is_paged(&self) -> bool;
}

impl<S: Send + Sync, M: Model, G> ParentQuery for Select<S, Whole<M>, Natural, G> {
    fn statement(&self, backend: Backend) -> SelectStatement {
        self.to_sea(backend)
    }
    fn order(&self) -> &[azoth_dsl::stmt::order::OrderItem] {
        self.order_items()
    }
    fn reads_table_rows(&self) -> bool {
        Select::reads_table_rows(self)
    }
    fn is_paged(&self) -> bool {
        Select::is_paged(self)
    }
}

impl<Q, M, L, I, B> Fetch<Loading<I>, B> for WithOptions<Q, M, L>
where
    Q: Fetch<I, B, Row = M> + ParentQuery,
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
            let backend = runner.backend();
            let mut specs = JoinedSpecs::new([M::TABLE_NAME, joined::NUMBERED]);
            loader.joined_specs(backend, M::TABLE_NAME, &mut specs);
            if specs.is_empty() {
                let parents = query.fetch(runner, want).await?;
                let rels = loader.load(runner, &parents).await?;
                return Ok(parents
                    .into_iter()
                    .zip(rels)
                    .map(|(p, r)| Loaded::new(p, r))
                    .collect());
            }
            let mut parent_sql = query.statement(backend);
            if want == Want::First {
                parent_sql.limit(1);
            }
            let shape = if M::META.primary_key().next().is_none() || !query.reads_table_rows() {
                joined::ParentShape::Numbered
            } else if query.is_paged() || want == Want::First {
                joined::ParentShape::Paged
            } else if backend == Backend::Postgres
                && want == Want::All
                && joined::sortable_here(&specs)
            {
                joined::ParentShape::SortedHere
            } else {
                joined::ParentShape::Whole
            };
            let (rendered, segments) =
                joined::query::<M>(parent_sql, query.order(), shape, &specs, backend);
            let mut reader = joined_rows::JoinedReader::new(segments, want.max());
            let r = &mut reader;
            runner
                .fetch_with(rendered, usize::MAX, move |src| r.read(src))
                .await?;
            let read = if shape == joined::ParentShape::SortedHere {
                reader.finish_sorted()
            } else {
                reader.finish()
            };
            let parents: Vec<M> = read.take(0)?.decode()?;
            // Each parent's rows, in order.
            let grouped = read.group(0..read.rows(), 0, parents.len());
            let dyn_runner: &mut dyn DynRunner = runner;
            let (rels, _) = loader
                .load_joined(dyn_runner, &parents, &read, &grouped, 1)
                .await?;
            Ok(parents
                .into_iter()
                .zip(rels)
                .map(|(p, r)| Loaded::new(p, r))
                .collect())
        }
        .boxed()
    }
}

/// Each distinct target with the options loaded under it, shared by the parents holding it.
pub(crate) fn share<T, L>(targets: Vec<T>, nested: Vec<L>) -> Vec<Arc<Loaded<T, L>>> {
    targets
        .into_iter()
        .zip(nested)
        .map(|(t, n)| Arc::new(Loaded::new(t, n)))
        .collect()
}

/// The slot of relationship `R` for one parent, from the targets found for it; an error when a
/// required target is missing (`key` describes the parent's key).
pub(crate) fn slot<R: Relation, T: Send + Sync + 'static>(
    found: Vec<Arc<T>>,
    key: impl FnOnce() -> String,
) -> Result<Slot<R, T>> {
    required::<R, T>(<R::Card as Cardinality>::from_found(found), key)
}

/// [`slot`] from targets handed over (see `Cardinality::from_owned`).
pub(crate) fn slot_owned<R: Relation, T: Send + Sync + 'static>(
    found: Vec<T>,
    key: impl FnOnce() -> String,
) -> Result<Slot<R, T>> {
    required::<R, T>(<R::Card as Cardinality>::from_owned(found), key)
}

/// [`slot_owned`] from a stretch of targets that knows its length (see `Cardinality::from_run`).
pub(crate) fn slot_run<R: Relation, T: Send + Sync + 'static>(
    run: impl ExactSizeIterator<Item = T>,
    key: impl FnOnce() -> String,
) -> Result<Slot<R, T>> {
    required::<R, T>(<R::Card as Cardinality>::from_run(run), key)
}

/// The slot holding `stored`, or [`Error::MissingRelated`] when there is none.
fn required<R: Relation, T: Send + Sync + 'static>(
    stored: Option<<R::Card as Cardinality>::Data<T>>,
    key: impl FnOnce() -> String,
) -> Result<Slot<R, T>> {
    stored.map(Slot::new).ok_or_else(|| Error::MissingRelated {
        relation: R::SPEC.name,
        key: key(),
    })
}

/// Renders a sea-query SELECT for `backend`.
pub(crate) fn render_select(q: &SelectStatement, backend: Backend) -> Rendered {
    azoth_dsl::lower::render(q, backend)
}
