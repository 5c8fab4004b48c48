//! Keyset pagination: `q.keyset(ordering).after(last_values)` continues after the last row of a
//! page, with a WHERE condition on the ordering's columns instead of an OFFSET (which reads and
//! drops every earlier row, and skips or repeats rows when others are inserted meanwhile).
//!
//! The ordering is a term `expr.asc()` / `expr.desc()` or a tuple of them; the values after which
//! the page starts are a value or a tuple of values of the same SQL types, checked at compile
//! time. Where every term has the same direction the condition is a row-value comparison
//! (`(a, b) > ($1, $2)`, which PostgreSQL, MySQL/MariaDB and SQLite all compare
//! lexicographically, and which an index on `(a, b)` serves); mixed directions expand to
//! `a > $1 OR (a = $1 AND b < $2)`.
//!
//! The ordering must be total, ending in a unique key (`Track::id`), or rows that tie across a
//! page boundary are lost. Its columns must be `NOT NULL` in the query (a compile error
//! otherwise): NULL compares as unknown, and backends sort NULLs at different ends, so no
//! condition continues past them on all three.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub name: String } }
//! let page = Track::select()
//!     .keyset((Track::name.asc(), Track::id.asc()))
//!     .after(("Bohemian Rhapsody", 412))
//!     .limit(20);
//! assert_eq!(
//!     page.to_sql(Backend::Postgres).0,
//!     r#"SELECT "track"."id", "track"."name" FROM "track" WHERE ("track"."name", "track"."id") > ($1, $2) ORDER BY "track"."name" ASC, "track"."id" ASC LIMIT $3"#
//! );
//! let mixed = Track::select().keyset((Track::name.desc(), Track::id.asc())).after(("B", 7));
//! assert_eq!(
//!     mixed.to_sql(Backend::Sqlite).0,
//!     r#"SELECT "track"."id", "track"."name" FROM "track" WHERE "track"."name" < ? OR ("track"."name" = ? AND "track"."id" > ?) ORDER BY "track"."name" DESC, "track"."id" ASC"#
//! );
//! ```

use std::sync::Arc;

use sea_query::{BinOper, Expr as SeaExpr};

use super::order::{Direction, OrderFits, OrderItem, OrderList, OrderTerm, Ordered};
use super::select::{One, Select};
use crate::backend::Backend;
use crate::expr::{AsValue, DynExpr, Expression, Ghost, Lower, ValidIn};
use crate::sql_types::{NotNull, SqlType};

/// A query with its keyset ordering `O`, waiting for the values after which the page starts.
pub struct Keyset<Q, O> {
    query: Q,
    keys: Arc<Vec<OrderItem>>,
    _o: Ghost<O>,
}

/// A keyset ordering column is never NULL in the query.
#[diagnostic::on_unimplemented(
    message = "keyset pagination needs ordering columns that are never NULL",
    label = "this ordering term may be NULL in this query",
    note = "NULL compares as unknown and sorts first or last depending on the backend: order by NOT NULL columns (and a unique key last), or filter the NULLs out and page over `coalesce(..)`"
)]
pub trait KeysetNotNull {}
impl KeysetNotNull for NotNull {}

/// A keyset ordering: `expr.asc()`, `expr.desc()` or a tuple of them, over the query's tables.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a keyset ordering of this query",
    label = "expected `expr.asc()`, `expr.desc()` or a tuple of them, over this query's tables",
    note = "give each term its direction: `.keyset((Track::name.asc(), Track::id.asc()))`"
)]
pub trait KeysetOrder<S, I> {
    /// Appends the ORDER BY items in order.
    fn push_keys(self, out: &mut Vec<OrderItem>);
}

impl<S, E, I> KeysetOrder<S, One<I>> for Ordered<E>
where
    E: ValidIn<S, I>,
    E::Null: KeysetNotNull,
{
    fn push_keys(self, out: &mut Vec<OrderItem>) {
        out.push(OrderTerm::<S, I>::into_item(self));
    }
}

/// A value after which a keyset page starts, for an ordering term of SQL type `ST`.
#[diagnostic::on_unimplemented(
    message = "a keyset `after` value of type `{Self}` does not match its ordering column of SQL type `{ST}`",
    label = "expected a value of SQL type `{ST}`",
    note = "`after(..)` takes the last row's values of the ordering's columns, in the ordering's order"
)]
pub trait KeysetValue<ST: SqlType> {
    /// The bound value, as an expression.
    fn into_key_value(self) -> DynExpr;
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType, V: AsValue<ST>> KeysetValue<ST> for V {
    fn into_key_value(self) -> DynExpr {
        Box::new(self.into_value_expr())
    }
}

/// The values after which a page starts, for keyset ordering `O`: one value per term.
#[diagnostic::on_unimplemented(
    message = "the keyset `after` values `{Self}` do not match the ordering `{O}`",
    label = "expected one value per ordering term, in order, of that term's SQL type",
    note = "`.keyset((a.asc(), b.asc())).after((last_a, last_b))`: the last row's values of `a` and `b`"
)]
pub trait AfterValues<O> {
    /// The bound values, in order.
    fn push_values(self, out: &mut Vec<DynExpr>);
}

#[diagnostic::do_not_recommend]
impl<E: Expression, V: KeysetValue<E::SqlType>> AfterValues<Ordered<E>> for V {
    fn push_values(self, out: &mut Vec<DynExpr>) {
        out.push(self.into_key_value());
    }
}

macro_rules! keyset_tuples {
    ($(($($e:ident $v:ident $i:ident),+))*) => {$(
        impl<S, $($e, $i),+> KeysetOrder<S, ($($i,)+)> for ($(Ordered<$e>,)+)
        where
            $($e: ValidIn<S, $i>, $e::Null: KeysetNotNull,)+
        {
            #[allow(non_snake_case)]
            fn push_keys(self, out: &mut Vec<OrderItem>) {
                let ($($e,)+) = self;
                $(out.push(OrderTerm::<S, $i>::into_item($e));)+
            }
        }

        #[diagnostic::do_not_recommend]
        impl<$($e: Expression, $v: KeysetValue<$e::SqlType>),+> AfterValues<($(Ordered<$e>,)+)> for ($($v,)+) {
            #[allow(non_snake_case)]
            fn push_values(self, out: &mut Vec<DynExpr>) {
                let ($($v,)+) = self;
                $(out.push($v.into_key_value());)+
            }
        }
    )*};
}

keyset_tuples! {
    (A VA IA)
    (A VA IA, B VB IB)
    (A VA IA, B VB IB, C VC IC)
    (A VA IA, B VB IB, C VC IC, D VD ID)
}

impl<S, Sel, R, G> Select<S, Sel, R, G> {
    /// Keyset pagination by `order` (`expr.asc()`, `expr.desc()` or a tuple of them, NOT NULL,
    /// ending in a unique key); then [`after`](Keyset::after) the last row's values, or
    /// [`first_page`](Keyset::first_page). The ordering is appended to any `order_by` before.
    pub fn keyset<O, I, I2>(self, order: O) -> Keyset<Self, O>
    where
        O: KeysetOrder<S, I> + OrderList<S, I2> + OrderFits<S, I2, G>,
    {
        let mut keys = Vec::new();
        order.push_keys(&mut keys);
        Keyset {
            query: self,
            keys: Arc::new(keys),
            _o: Ghost::default(),
        }
    }
}

impl<S, Sel, R, G, O> Keyset<Select<S, Sel, R, G>, O> {
    /// The ORDER BY items, reading the shared keys.
    fn order_items(&self) -> Vec<OrderItem> {
        (0..self.keys.len())
            .map(|i| OrderItem {
                expr: Box::new(SharedKey(self.keys.clone(), i)),
                dir: self.keys[i].dir,
                nulls: self.keys[i].nulls,
            })
            .collect()
    }

    /// The first page: the query ordered by the keyset ordering.
    pub fn first_page(self) -> Select<S, Sel, R, G> {
        let order = self.order_items();
        self.query.push_order_and_filter(order, None)
    }

    /// The page after the row whose ordering values are `values` (one per term, of the terms'
    /// SQL types): the query ordered by the keyset ordering, with the rows after it only.
    pub fn after<V: AfterValues<O>>(self, values: V) -> Select<S, Sel, R, G> {
        let mut bound = Vec::new();
        values.push_values(&mut bound);
        let order = self.order_items();
        let filter = KeysetAfter {
            keys: self.keys.clone(),
            values: bound,
        };
        self.query
            .push_order_and_filter(order, Some(Box::new(filter)))
    }

    /// [`after`](Self::after) the given values, or the [`first_page`](Self::first_page) for
    /// `None`: a loop's "next page after the last row seen, if any".
    pub fn after_opt<V: AfterValues<O>>(self, values: Option<V>) -> Select<S, Sel, R, G> {
        match values {
            Some(v) => self.after(v),
            None => self.first_page(),
        }
    }
}

/// The `i`th keyset term, shared by the ORDER BY and the WHERE condition.
struct SharedKey(Arc<Vec<OrderItem>>, usize);

impl Lower for SharedKey {
    fn lower_dyn(&self, backend: Backend) -> SeaExpr {
        self.0[self.1].expr.lower_dyn(backend)
    }
    fn shape_dyn(&self, backend: Backend, s: &mut crate::shape::Shape) {
        self.0[self.1].expr.shape_dyn(backend, s)
    }
}

/// `keys > values` in the keys' directions.
struct KeysetAfter {
    keys: Arc<Vec<OrderItem>>,
    values: Vec<DynExpr>,
}

/// `>` for an ascending term, `<` for a descending one.
fn past(dir: Direction) -> BinOper {
    match dir {
        Direction::Asc => BinOper::GreaterThan,
        Direction::Desc => BinOper::SmallerThan,
    }
}

fn binary(l: SeaExpr, op: BinOper, r: SeaExpr) -> SeaExpr {
    SeaExpr::Binary(Box::new(l), op, Box::new(r))
}

impl Lower for KeysetAfter {
    /// Rendered each time: the expanded form repeats the keys and values.
    fn shape_dyn(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.uncacheable();
    }
    fn lower_dyn(&self, b: Backend) -> SeaExpr {
        let keys: Vec<SeaExpr> = self.keys.iter().map(|k| k.expr.lower_dyn(b)).collect();
        let values: Vec<SeaExpr> = self.values.iter().map(|v| v.lower_dyn(b)).collect();
        let dirs: Vec<Direction> = self.keys.iter().map(|k| k.dir).collect();
        let uniform = dirs.windows(2).all(|w| w[0] == w[1]);
        match (keys.len(), dirs.first()) {
            (1, Some(&d)) => {
                let (k, v) = (keys[0].clone(), values[0].clone());
                binary(k, past(d), v)
            }
            (_, Some(&d)) if uniform => {
                binary(SeaExpr::Tuple(keys), past(d), SeaExpr::Tuple(values))
            }
            _ => {
                // a > x OR (a = x AND b > y) OR (a = x AND b = y AND c > z) ...
                let alternatives = (0..keys.len()).map(|n| {
                    let equal =
                        (0..n).map(|j| binary(keys[j].clone(), BinOper::Equal, values[j].clone()));
                    let beyond = binary(keys[n].clone(), past(dirs[n]), values[n].clone());
                    crate::expr::conjunction(equal.chain([beyond]), true)
                });
                crate::expr::chain(alternatives, BinOper::Or, false)
            }
        }
    }
}
