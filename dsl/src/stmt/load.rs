//! Eager loading: which relationships a query loads ([`selectin`], [`joined`]), and the typed
//! rows that carry them ([`Loaded`]). Nothing is ever loaded lazily: reading a relationship the
//! query did not load does not compile.
//!
//! The runtime runs the options (`azoth::loading`); `Select::options` comes from the runtime's
//! prelude.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! {
//! #     pub struct User { #[primary_key] pub id: i64, pub name: String }
//! #     relations { posts: has_many(Post, Post::author_id) }
//! # }
//! # azoth_dsl::model! {
//! #     pub struct Post { #[primary_key] pub id: i64, #[references(User::id)] pub author_id: i64 }
//! #     relations { author: belongs_to(User, Post::author_id) }
//! # }
//! // Users with their posts, each post with its author again: two levels.
//! let options = selectin(User::posts).then(selectin(Post::author));
//! assert_eq!(options.nested().chunk(), 500);
//! ```

use std::marker::PhantomData;
use std::ops::Deref;

use crate::expr::functions::IsBool;
use crate::expr::{BaseOf, DynExpr, ValidIn};
use crate::schema::relation::{Cardinality, Narrowable, Relation};
use crate::schema::sources::From1;
use crate::stmt::order::{OrderItem, OrderList};

/// A row of model `M` with the relationships `L` loaded alongside; derefs to `M`.
pub struct Loaded<M, L> {
    row: M,
    rels: L,
}

impl<M, L> Loaded<M, L> {
    /// Pairs a row with its loaded relationships.
    pub fn new(row: M, rels: L) -> Self {
        Loaded { row, rels }
    }

    /// The row itself.
    pub fn row(&self) -> &M {
        &self.row
    }

    /// The row, dropping what was loaded with it.
    pub fn into_row(self) -> M {
        self.row
    }

    /// The loaded relationship `rel`: `&T` (required many-to-one), `Option<&T>` (nullable
    /// many-to-one, one-to-one), `&[T]` (one-to-many) or `&[Arc<T>]` (many-to-many, whose targets
    /// parents share). Compiles only if the query loaded it.
    pub fn get<R: Relation, I>(
        &self,
        _rel: R,
    ) -> <R::Card as Cardinality>::View<'_, <L as Find<R, I>>::Target>
    where
        L: Find<R, I>,
    {
        R::Card::view(self.rels.find())
    }
}

impl<M, L> Deref for Loaded<M, L> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.row
    }
}

impl<M: std::fmt::Debug, L: std::fmt::Debug> std::fmt::Debug for Loaded<M, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("row", &self.row)
            .field("rels", &self.rels)
            .finish()
    }
}

impl<M: Clone, L: Clone> Clone for Loaded<M, L> {
    fn clone(&self) -> Self {
        Loaded {
            row: self.row.clone(),
            rels: self.rels.clone(),
        }
    }
}

impl<M: PartialEq, L: PartialEq> PartialEq for Loaded<M, L> {
    fn eq(&self, other: &Self) -> bool {
        self.row == other.row && self.rels == other.rels
    }
}

/// One loaded relationship of one parent.
pub struct Slot<R: Relation, T: Send + Sync + 'static> {
    data: <R::Card as Cardinality>::Data<T>,
}

impl<R: Relation, T: Send + Sync + 'static> Slot<R, T> {
    /// Wraps the stored targets.
    pub fn new(data: <R::Card as Cardinality>::Data<T>) -> Self {
        Slot { data }
    }
}

/// Cloning a slot shares the loaded targets (they are reference-counted).
impl<R: Relation, T: Send + Sync + 'static> Clone for Slot<R, T> {
    fn clone(&self) -> Self {
        Slot {
            data: self.data.clone(),
        }
    }
}

impl<R: Relation, T: Send + Sync + 'static> std::fmt::Debug for Slot<R, T>
where
    <R::Card as Cardinality>::Data<T>: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple(R::SPEC.name).field(&self.data).finish()
    }
}

impl<R: Relation, T: Send + Sync + 'static> PartialEq for Slot<R, T>
where
    <R::Card as Cardinality>::Data<T>: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
}

/// The loaded relationships `Self` contain relationship `R` (`I` is an inferred position).
#[diagnostic::on_unimplemented(
    message = "relationship `{R}` was not loaded by this query",
    label = "not loaded",
    note = "load it with `.options(selectin(..))` or `.options(joined(..))`: azoth never loads lazily"
)]
pub trait Find<R: Relation, I> {
    /// The loaded target type.
    type Target: Send + Sync + 'static;
    /// The stored targets.
    fn find(&self) -> &<R::Card as Cardinality>::Data<Self::Target>;
}

mod sealed {
    pub trait Sealed {}
}

/// Never implemented (and sealed): the fallback of [`Find`], so that a relationship missing from
/// the loaded ones is reported with this message rather than as a type mismatch.
#[diagnostic::on_unimplemented(
    message = "relationship `{Self}` was not loaded by this query",
    label = "not loaded",
    note = "load it with `.options(selectin(..))` or `.options(joined(..))`: azoth never loads lazily"
)]
pub trait NotLoaded: sealed::Sealed {}

#[diagnostic::do_not_recommend]
impl<R: Relation + NotLoaded, L> Find<R, position::Nowhere> for L {
    type Target = ();
    fn find(&self) -> &<R::Card as Cardinality>::Data<()> {
        unreachable_find::<R>()
    }
}

/// Never called: `NotLoaded` has no implementations, so the impl using it never applies.
fn unreachable_find<R: Relation + NotLoaded>() -> &'static <R::Card as Cardinality>::Data<()> {
    unreachable!("`NotLoaded` is never implemented")
}

/// Position markers for [`Find`].
pub mod position {
    /// Not in the list (see [`NotLoaded`](super::NotLoaded)).
    pub struct Nowhere;
    /// First.
    pub struct P0;
    /// Second.
    pub struct P1;
    /// Third.
    pub struct P2;
    /// Fourth.
    pub struct P3;
    /// Fifth.
    pub struct P4;
    /// Sixth.
    pub struct P5;
}

macro_rules! find_impls {
    ($( [$($before:ident)*] $pos:ident [$($after:ident)*] ;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<R: Relation, T: Send + Sync + 'static, $($before,)* $($after,)*> Find<R, position::$pos>
            for ($($before,)* Slot<R, T>, $($after,)*)
        {
            type Target = T;
            #[allow(non_snake_case, unused_variables)]
            fn find(&self) -> &<R::Card as Cardinality>::Data<T> {
                let ($($before,)* slot, $($after,)*) = self;
                &slot.data
            }
        }
    )*};
}

find_impls! {
    [] P0 [];
    [] P0 [B]; [A] P1 [];
    [] P0 [B C]; [A] P1 [C]; [A B] P2 [];
    [] P0 [B C D]; [A] P1 [C D]; [A B] P2 [D]; [A B C] P3 [];
    [] P0 [B C D E]; [A] P1 [C D E]; [A B] P2 [D E]; [A B C] P3 [E]; [A B C D] P4 [];
    [] P0 [B C D E F]; [A] P1 [C D E F]; [A B] P2 [D E F]; [A B C] P3 [E F]; [A B C D] P4 [F]; [A B C D E] P5 [];
}

/// How a relationship is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One `WHERE key IN (..)` query per relationship level, in chunks.
    SelectIn,
    /// In the parent query itself, through a LEFT OUTER JOIN.
    Joined,
}

/// The default number of keys in one `IN (..)` list of a `selectin` load.
pub const DEFAULT_CHUNK: usize = 500;

/// Load relationship `R`, then the options `N` on what it leads to.
pub struct LoadRel<R, N> {
    nested: N,
    strategy: Strategy,
    chunk: Option<usize>,
    filters: Vec<DynExpr>,
    order: Vec<OrderItem>,
    _r: PhantomData<fn() -> R>,
}

/// Loads `rel` with one extra `SELECT .. WHERE key IN (..)` per level (keys in chunks of 500;
/// on PostgreSQL a single-column key is bound as one array, `WHERE key IN (SELECT UNNEST($1))`, in one query).
pub fn selectin<R: Relation>(_rel: R) -> LoadRel<R, ()> {
    LoadRel {
        nested: (),
        strategy: Strategy::SelectIn,
        chunk: None,
        filters: Vec::new(),
        order: Vec::new(),
        _r: PhantomData,
    }
}

/// Loads `rel` in the parent query through a LEFT OUTER JOIN: one statement in all. Parent
/// rows repeated by a collection are folded back into one object each, in the parent query's
/// order, and the parent query's `limit`/`offset` count parents (it becomes a subquery).
pub fn joined<R: Relation>(_rel: R) -> LoadRel<R, ()> {
    LoadRel {
        nested: (),
        strategy: Strategy::Joined,
        chunk: None,
        filters: Vec::new(),
        order: Vec::new(),
        _r: PhantomData,
    }
}

impl<R: Relation, N> LoadRel<R, N> {
    /// Loads `options` on the related rows too (`selectin(User::posts).then(selectin(Post::tags))`);
    /// each must start at `R::To` (checked by `Select::options`).
    pub fn then<N2>(self, options: N2) -> LoadRel<R, N2> {
        LoadRel {
            nested: options,
            strategy: self.strategy,
            chunk: self.chunk,
            filters: self.filters,
            order: self.order,
            _r: PhantomData,
        }
    }

    /// Loads only the related rows matching `pred`, a condition on `R::To`
    /// (SQLAlchemy's `selectinload(User.posts.and_(..))`).
    pub fn filter<P, I>(mut self, pred: P) -> Self
    where
        P: ValidIn<From1<R::To>, I>,
        BaseOf<P::SqlType>: IsBool,
        P::Agg: crate::expr::aggregate::NotAggregate,
        P::Agg: crate::expr::window::NoWindowInWhere,
        R::Card: Narrowable,
    {
        self.filters.push(Box::new(pred));
        self
    }

    /// Orders the related rows of each parent (by default they come in key order).
    pub fn order_by<O: OrderList<From1<R::To>, I>, I>(mut self, terms: O) -> Self {
        terms.push_items(&mut self.order);
        self
    }

    /// The conditions on the related rows.
    pub fn filters(&self) -> &[DynExpr] {
        &self.filters
    }

    /// The order of the related rows.
    pub fn order(&self) -> &[OrderItem] {
        &self.order
    }

    /// Sets how many keys one query asks for (default: 500 per `IN (..)` list; on PostgreSQL,
    /// where a single-column key is bound as one array, all of them in one query).
    pub fn chunk_size(mut self, keys: usize) -> Self {
        self.chunk = Some(keys.max(1));
        self
    }

    /// The nested options.
    pub fn nested(&self) -> &N {
        &self.nested
    }

    /// The strategy.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// Keys per `IN (..)` list: the size set with [`chunk_size`](Self::chunk_size), else 500.
    pub fn chunk(&self) -> usize {
        self.chunk.unwrap_or(DEFAULT_CHUNK)
    }

    /// The size set with [`chunk_size`](Self::chunk_size), if any.
    pub fn chunk_size_set(&self) -> Option<usize> {
        self.chunk
    }
}
