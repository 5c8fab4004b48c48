//! Statements: SELECT, INSERT (with upsert), UPDATE, DELETE.

pub mod cte;
pub mod delete;
pub mod derived;
pub mod distinct_on;
pub mod insert;
pub mod join;
pub mod keyset;
pub mod load;
pub mod lock;
pub mod order;
pub mod query_not_condition;
mod returning;
pub mod select;
pub mod selection;
pub mod set_ops;
pub mod update;

use crate::expr::Expression;
use crate::schema::{Column, ColumnOf};

/// Columns of table `M`: one column or a tuple (`on_conflict`, `do_update`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column, or a tuple of columns, of table `{M}`",
    label = "expected columns of `{M}`",
    note = "`on_conflict` and `do_update` take columns of the table the statement inserts into"
)]
pub trait ColumnList<M> {
    /// The SQL names of the columns, in order (a constant: naming them allocates nothing).
    const NAMES: &'static [&'static str];
}

impl<M, C: Column + ColumnOf<M>> ColumnList<M> for C {
    const NAMES: &'static [&'static str] = &[C::NAME];
}

macro_rules! column_list_tuples {
    ($(($($t:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<M, $($t: Column + ColumnOf<M>),+> ColumnList<M> for ($($t,)+) {
            const NAMES: &'static [&'static str] = &[$($t::NAME),+];
        }
    )*};
}

column_list_tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
}

#[allow(unused_imports)]
use Expression as _;
