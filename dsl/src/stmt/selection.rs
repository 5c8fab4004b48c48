//! What a SELECT returns: a whole model, one expression, or a tuple of up to 12 expressions;
//! and the row type each decodes into.

use sea_query::Expr as SeaExpr;

use crate::backend::Backend;
use crate::expr::aggregate::{AggKind, Plain};
use crate::expr::grouping::{AnyOf, Both, CoveredBy};
use crate::expr::{BaseOf, Expression, Ghost, RustOf, TableHint, ValidIn};
use crate::schema::Model;
use crate::schema::sources::HasTable;
use crate::sql_types::NullFlag;

/// A selection list.
pub trait Selection: Send + Sync + 'static {
    /// The first table it mentions: the FROM of `select(..)`.
    type Table: TableHint;
    /// Whether it selects aggregates, plain columns, or both.
    type Agg: AggKind;
    /// Lowers each selected item (with its label) in order.
    #[doc(hidden)]
    fn lower_items(&self, backend: Backend, out: &mut Vec<(SeaExpr, Option<&'static str>)>);
    /// Adds its shape and values ([`shape`](crate::shape)); by default it is rendered each time.
    #[doc(hidden)]
    fn shape(&self, backend: Backend, s: &mut crate::shape::Shape) {
        let _ = backend;
        s.uncacheable();
    }
}

/// A selection valid in a query over sources `S`, with the row it decodes into there.
#[diagnostic::on_unimplemented(
    message = "the selection `{Self}` uses a table that is not in the FROM clause of this query",
    label = "a selected column's table is neither selected from nor joined",
    note = "join the table first: `.join(Model::TABLE.on(condition))` or along a relationship"
)]
pub trait SelectionIn<S, I>: Selection {
    /// The Rust row type: `String` for `Text`, `Option<String>` for a nullable one, tuples for tuples.
    type Row: Send + 'static;
    /// The SQL types of the row, nullability included (what `.row::<R>()` checks `R` against).
    type SqlTypes;
    /// The columns selected outside aggregates ([`grouping`](crate::expr::grouping)).
    type Cols;
}

/// The selection `Self` fits a query of grouping `G`: after `group_by`, it uses grouped columns
/// only, outside aggregates ([`grouping`](crate::expr::grouping)).
pub trait SelectionFits<S, I, G> {}

impl<Sel: SelectionIn<S, I>, S, I, G> SelectionFits<S, I, G> for Sel where Sel::Cols: CoveredBy<G> {}

/// Selecting every column of model `M`: `User::select()`.
pub struct Whole<M>(Ghost<M>);

impl<M> Whole<M> {
    /// The selection of every column of `M`.
    pub fn new() -> Self {
        Whole(Ghost::default())
    }
}

impl<M> Default for Whole<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> Selection for Whole<M> {
    type Table = M;
    type Agg = Plain;
    fn lower_items(&self, _: Backend, out: &mut Vec<(SeaExpr, Option<&'static str>)>) {
        for c in M::META.columns {
            out.push((SeaExpr::col((M::TABLE_NAME, c.name)), None));
        }
    }
    fn shape(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
    }
}

/// The SQL row type of a whole model: only `M` (or `Option<M>` from an outer join) decodes it.
pub struct ModelRow<M>(Ghost<M>);

impl<S, M: Model, I> SelectionIn<S, I> for Whole<M>
where
    S: HasTable<M, I>,
{
    type Row = <<S as HasTable<M, I>>::Null as NullFlag>::Wrap<M>;
    type SqlTypes = <<S as HasTable<M, I>>::Null as NullFlag>::Wrap<ModelRow<M>>;
    type Cols = AnyOf<M, I>;
}

/// Lowers one selected expression with its label.
#[doc(hidden)]
pub fn push_expression<E: Expression>(
    e: &E,
    b: Backend,
    out: &mut Vec<(SeaExpr, Option<&'static str>)>,
) {
    out.push((e.lower(b), e.selected_name()));
}

/// The row type of expression `E` selected in sources `S`.
pub type ExprRow<E, S, I> =
    <<E as ValidIn<S, I>>::Null as NullFlag>::Wrap<RustOf<BaseOf<<E as Expression>::SqlType>>>;
/// The SQL type of expression `E` selected in sources `S`, nullability included.
pub type ExprSqlType<E, S, I> =
    <<E as ValidIn<S, I>>::Null as NullFlag>::Apply<BaseOf<<E as Expression>::SqlType>>;

macro_rules! fold_agg {
    ($a:ident) => { <$a as Selection>::Agg };
    ($a:ident $($rest:ident)+) => { <<$a as Selection>::Agg as AggKind>::With<fold_agg!($($rest)+)> };
}

macro_rules! fold_table {
    ($a:ident) => { <$a as Selection>::Table };
    ($a:ident $($rest:ident)+) => { <<$a as Selection>::Table as TableHint>::Or<fold_table!($($rest)+)> };
}

macro_rules! fold_cols {
    ($a:ident) => { $a::Cols };
    ($a:ident $($rest:ident)+) => { Both<$a::Cols, fold_cols!($($rest)+)> };
}

macro_rules! selection_tuples {
    ($(($($t:ident $i:ident),+))*) => {$(
        impl<$($t: Selection),+> Selection for ($($t,)+) {
            type Table = fold_table!($($t)+);
            type Agg = fold_agg!($($t)+);
            #[allow(non_snake_case)]
            fn lower_items(&self, b: Backend, out: &mut Vec<(SeaExpr, Option<&'static str>)>) {
                let ($($t,)+) = self;
                $($t.lower_items(b, out);)+
            }
            #[allow(non_snake_case)]
            fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
                let ($($t,)+) = self;
                $($t.shape(b, s);)+
            }
        }
        impl<S, $($t: SelectionIn<S, $i>, $i),+> SelectionIn<S, ($($i,)+)> for ($($t,)+) {
            type Row = ($($t::Row,)+);
            type SqlTypes = ($($t::SqlTypes,)+);
            type Cols = fold_cols!($($t)+);
        }
    )*};
}

selection_tuples! {
    (A IA)
    (A IA, B IB)
    (A IA, B IB, C IC)
    (A IA, B IB, C IC, D ID)
    (A IA, B IB, C IC, D ID, E IE)
    (A IA, B IB, C IC, D ID, E IE, F IF)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL, M IM)
}
