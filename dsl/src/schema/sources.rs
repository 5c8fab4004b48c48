//! The tables a query selects from, as a type-level list, and membership in it.
//!
//! A query's sources are `Cons<Src<Model, Null>, Cons<..., Nil>>`: the FROM table and each joined
//! table, with [`IsNull`](crate::sql_types::IsNull) for the right side of a LEFT JOIN. Membership is a
//! trait with an inferred index ([`Here`]/[`There`]), the way `frunk` selects from an HList, so no
//! table-pair impls are needed and a table's columns are usable exactly when it is in the list.

use std::marker::PhantomData;

use crate::sql_types::{IsNull, NotNull, NullFlag};

/// The empty source list.
pub struct Nil;
/// A source list: `H` then `T`.
pub struct Cons<H, T>(PhantomData<(H, T)>);
/// One source: table `M`, nullable (`IsNull`) when it is the right side of a LEFT JOIN.
pub struct Src<M, N>(PhantomData<(M, N)>);
/// A table of the enclosing query that a correlated subquery reads
/// ([`correlate`](crate::Select::correlate)): usable in the subquery, not in its FROM.
pub struct Outer<M>(PhantomData<M>);

/// Index witness: the table is the head of the list.
pub struct Here;
/// Index witness: the table is in the tail at `I`.
pub struct There<I>(PhantomData<I>);
/// Index witness of the unreachable end of the list.
pub struct Never;

/// Source list `Self` contains table `M`; `Null` tells whether its columns may be NULL there.
#[diagnostic::on_unimplemented(
    message = "table `{M}` is not in the FROM clause of this query",
    label = "`{M}` is neither selected from nor joined",
    note = "join it first: `.join({M}::TABLE.on(condition))`, or along a relationship; a subquery reading the outer query's row declares it: `.correlate::<{M}>()`"
)]
pub trait HasTable<M, I> {
    /// `IsNull` when `M` is on the nullable side of an outer join.
    type Null: NullFlag;
}

#[diagnostic::do_not_recommend]
impl<M, N: NullFlag, R> HasTable<M, Here> for Cons<Src<M, N>, R> {
    type Null = N;
}

// The outer row may come from the nullable side of an outer join: its columns may be NULL.
#[diagnostic::do_not_recommend]
impl<M, R> HasTable<M, Here> for Cons<Outer<M>, R> {
    type Null = IsNull;
}

#[diagnostic::do_not_recommend]
impl<M, H, R, I> HasTable<M, There<I>> for Cons<H, R>
where
    R: HasTable<M, I>,
{
    type Null = R::Null;
}

/// Never implemented: keeps rustc from guessing the index of a one-table list, so that a missing
/// table is reported with the message of [`HasTable`].
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is not in the FROM clause of this query",
    label = "`{Self}` is neither selected from nor joined",
    note = "join it first: `.join({Self}::TABLE.on(condition))`, or along a relationship; a subquery reading the outer query's row declares it: `.correlate::<{Self}>()`"
)]
pub trait NotInFrom {}

#[diagnostic::do_not_recommend]
impl<M: NotInFrom> HasTable<M, Never> for Nil {
    type Null = NotNull;
}

/// The sources of a query whose FROM is table `M` alone.
pub type From1<M> = Cons<Src<M, NotNull>, Nil>;
