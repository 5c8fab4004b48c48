//! `ORDER BY` items: an expression with a direction and a NULLS placement.

use sea_query::{NullOrdering, Order};

use crate::expr::grouping::CoveredBy;
use crate::expr::{DynExpr, Expression, ValidIn};

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `ASC`
    Asc,
    /// `DESC`
    Desc,
}

/// Where NULLs sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// `NULLS FIRST`
    First,
    /// `NULLS LAST`
    Last,
}

/// An expression with a direction: `User::id.desc()`.
pub struct Ordered<E> {
    pub(crate) e: E,
    pub(crate) dir: Direction,
    pub(crate) nulls: Option<Nulls>,
}

impl<E: Expression> Ordered<E> {
    pub(crate) fn new(e: E, dir: Direction) -> Self {
        Ordered {
            e,
            dir,
            nulls: None,
        }
    }

    /// NULLs sort before other values.
    pub fn nulls_first(mut self) -> Self {
        self.nulls = Some(Nulls::First);
        self
    }

    /// NULLs sort after other values.
    pub fn nulls_last(mut self) -> Self {
        self.nulls = Some(Nulls::Last);
        self
    }
}

/// One lowered-on-demand ORDER BY item, stored in a statement.
pub struct OrderItem {
    /// The expression.
    #[doc(hidden)]
    pub expr: DynExpr,
    pub(crate) dir: Direction,
    pub(crate) nulls: Option<Nulls>,
}

impl OrderItem {
    /// `expr ASC`.
    #[doc(hidden)]
    pub fn ascending<E: Expression>(e: E) -> Self {
        OrderItem {
            expr: Box::new(e),
            dir: Direction::Asc,
            nulls: None,
        }
    }

    /// The direction, for sea-query.
    #[doc(hidden)]
    pub fn order(&self) -> Order {
        match self.dir {
            Direction::Asc => Order::Asc,
            Direction::Desc => Order::Desc,
        }
    }

    /// The NULLS placement, for sea-query.
    #[doc(hidden)]
    pub fn null_ordering(&self) -> Option<NullOrdering> {
        self.nulls.map(|n| match n {
            Nulls::First => NullOrdering::First,
            Nulls::Last => NullOrdering::Last,
        })
    }

    /// Adds `ORDER BY expr` to `q` with this item's direction and NULLS placement (`expr` is
    /// this item's expression, lowered, or a column standing for it).
    #[doc(hidden)]
    pub fn add_to(&self, q: &mut sea_query::SelectStatement, expr: sea_query::Expr) {
        order_by(q, expr, self.order(), self.null_ordering());
    }

    /// Adds its shape and values ([`shape`](crate::shape)).
    #[doc(hidden)]
    pub fn shape(&self, backend: crate::Backend, s: &mut crate::shape::Shape) {
        let nulls = match self.nulls {
            None => 0,
            Some(Nulls::First) => 1,
            Some(Nulls::Last) => 2,
        };
        s.num(self.dir as u64 | nulls << 1);
        self.expr.shape_dyn(backend, s);
    }
}

/// Adds `ORDER BY expr` with direction `order` and NULLS placement `nulls` to `q`.
#[doc(hidden)]
pub fn order_by(
    q: &mut sea_query::SelectStatement,
    expr: sea_query::Expr,
    order: Order,
    nulls: Option<NullOrdering>,
) {
    match nulls {
        Some(n) => q.order_by_expr_with_nulls(expr, order, n),
        None => q.order_by_expr(expr, order),
    };
}

/// One ORDER BY term: an expression (ascending) or an [`Ordered`] one, checked against sources `S`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in ORDER BY here",
    label = "expected an expression over this query's tables, or `expr.asc()` / `expr.desc()`"
)]
pub trait OrderTerm<S, I> {
    /// The columns it uses outside aggregates ([`grouping`](crate::expr::grouping)).
    type Cols;
    /// Converts into the stored item.
    fn into_item(self) -> OrderItem;
}

impl<S, E: ValidIn<S, I>, I> OrderTerm<S, I> for Ordered<E> {
    type Cols = E::Cols;
    fn into_item(self) -> OrderItem {
        OrderItem {
            expr: Box::new(self.e),
            dir: self.dir,
            nulls: self.nulls,
        }
    }
}

/// One or several ORDER BY terms (a tuple).
pub trait OrderList<S, I> {
    /// The columns the terms use outside aggregates.
    type Cols;
    /// Appends the items in order.
    fn push_items(self, out: &mut Vec<OrderItem>);
}

macro_rules! fold_cols {
    ($a:ident) => { $a::Cols };
    ($a:ident $($rest:ident)+) => { crate::expr::grouping::Both<$a::Cols, fold_cols!($($rest)+)> };
}

macro_rules! order_list_tuples {
    ($(($($t:ident $i:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<S, $($t: OrderTerm<S, $i>, $i),+> OrderList<S, ($($i,)+)> for ($($t,)+) {
            type Cols = fold_cols!($($t)+);
            #[allow(non_snake_case)]
            fn push_items(self, out: &mut Vec<OrderItem>) {
                let ($($t,)+) = self;
                $(out.push($t.into_item());)+
            }
        }
    )*};
}

order_list_tuples! {
    (A IA)
    (A IA, B IB)
    (A IA, B IB, C IC)
    (A IA, B IB, C IC, D ID)
    (A IA, B IB, C IC, D ID, E IE)
    (A IA, B IB, C IC, D ID, E IE, F IF)
}

/// ORDER BY terms `Self` fit a query of grouping `G`: after `group_by`, they use grouped
/// columns only, outside aggregates ([`grouping`](crate::expr::grouping)).
pub trait OrderFits<S, I, G> {}

impl<O: OrderList<S, I>, S, I, G> OrderFits<S, I, G> for O where O::Cols: CoveredBy<G> {}

/// A single term is a list of one.
pub struct Single<I>(I);

impl<S, T: OrderTerm<S, I>, I> OrderList<S, Single<I>> for T {
    type Cols = T::Cols;
    fn push_items(self, out: &mut Vec<OrderItem>) {
        out.push(self.into_item());
    }
}
