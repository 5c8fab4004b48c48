//! Predicates built at run time: boxed, but still typed by the table they use.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String, pub email: String } }
//! fn search_users(name: Option<&str>, email: Option<&str>) -> Select<From1<User>, Whole<User>> {
//!     let mut filters: Vec<Boxed<User>> = Vec::new();
//!     if let Some(name) = name {
//!         filters.push(User::name.contains(name).boxed());
//!     }
//!     if let Some(email) = email {
//!         filters.push(User::email.eq(email.to_owned()).boxed());
//!     }
//!     User::select().filter(and_all(filters))
//! }
//! let (sql, values) = search_users(Some("an"), None).to_sql(Backend::Postgres);
//! assert_eq!(sql, r#"SELECT "user"."id", "user"."name", "user"."email" FROM "user" WHERE "user"."name" LIKE $1 ESCAPE '!'"#);
//! assert_eq!(values.0.len(), 1);
//! ```

use sea_query::{BinOper, Expr as SeaExpr};

use super::aggregate::{AggKind, NotAggregate, Plain};
use super::functions::IsBool;
use super::{BaseOf, DynExpr, Expression, Ghost, ValidIn};
use crate::backend::Backend;
use crate::schema::Model;
use crate::schema::sources::{From1, HasTable};
use crate::sql_types::{Bool, Nullable, SqlType};

/// An expression of SQL type `ST` that uses only table `M`, boxed for run-time composition; `K`
/// is its [aggregation kind](super::aggregate).
///
/// `Boxed<M>` is a condition (`.boxed()`), typed as a nullable boolean so that conditions on
/// nullable columns and on required ones go in the same `Vec`.
pub struct Boxed<M, ST = Nullable<Bool>, K = Plain> {
    inner: DynExpr,
    _p: Ghost<(M, ST, K)>,
}

impl<M: Model, ST: SqlType, K: AggKind> Expression for Boxed<M, ST, K> {
    type SqlType = ST;
    type Table = M;
    type Agg = K;
    fn lower(&self, b: Backend) -> SeaExpr {
        self.inner.lower_dyn(b)
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        self.inner.shape_dyn(b, s)
    }
}

impl<S, M: Model, ST: SqlType, K: AggKind, I> ValidIn<S, I> for Boxed<M, ST, K>
where
    S: HasTable<M, I>,
{
    type Null = <ST as SqlType>::Null;
    // Columns of `M` only, not known one by one; none if it aggregates them all.
    type Cols = K::Outside<super::grouping::AnyOf<M, I>>;
    type Key = super::grouping::NoCols;
}

impl<M, ST, K> Boxed<M, ST, K> {
    /// Wraps lowering code the caller vouches for (SQL type `ST`, only table `M`).
    pub(crate) fn from_lower(inner: DynExpr) -> Self {
        Boxed {
            inner,
            _p: Ghost::default(),
        }
    }
}

/// Boxing of an expression that uses only one table; in the prelude.
pub trait BoxExpression: Expression + Sized {
    /// Boxes a condition over table `M` (what `filter`, [`and_all`] and [`or_any`] take); it
    /// may not aggregate.
    fn boxed<M: Model, I>(self) -> Boxed<M>
    where
        Self: ValidIn<From1<M>, I>,
        BaseOf<Self::SqlType>: IsBool,
        Self::Agg: NotAggregate,
        Self::Agg: super::window::NoWindowInWhere,
    {
        Boxed {
            inner: Box::new(self),
            _p: Ghost::default(),
        }
    }

    /// Boxes any expression over table `M`, keeping its SQL type and aggregation kind.
    fn boxed_expr<M: Model, I>(self) -> Boxed<M, Self::SqlType, Self::Agg>
    where
        Self: ValidIn<From1<M>, I>,
    {
        Boxed {
            inner: Box::new(self),
            _p: Ghost::default(),
        }
    }
}

impl<E: Expression> BoxExpression for E {}

/// All of `preds` (`AND`); true when there are none.
pub fn and_all<M: Model, ST: SqlType, K: AggKind>(
    preds: impl IntoIterator<Item = Boxed<M, ST, K>>,
) -> Boxed<M, ST, K> {
    fold(preds, true)
}

/// Any of `preds` (`OR`); false when there are none.
pub fn or_any<M: Model, ST: SqlType, K: AggKind>(
    preds: impl IntoIterator<Item = Boxed<M, ST, K>>,
) -> Boxed<M, ST, K> {
    fold(preds, false)
}

struct Fold {
    parts: Vec<DynExpr>,
    all: bool,
}

impl super::Lower for Fold {
    fn lower_dyn(&self, b: Backend) -> SeaExpr {
        let op = if self.all { BinOper::And } else { BinOper::Or };
        super::chain(self.parts.iter().map(|p| p.lower_dyn(b)), op, self.all)
    }
    fn shape_dyn(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        s.num(u64::from(self.all));
        s.num(self.parts.len() as u64);
        for p in &self.parts {
            p.shape_dyn(b, s);
        }
    }
}

fn fold<M: Model, ST: SqlType, K: AggKind>(
    preds: impl IntoIterator<Item = Boxed<M, ST, K>>,
    all: bool,
) -> Boxed<M, ST, K> {
    let parts = preds.into_iter().map(|p| p.inner).collect();
    Boxed {
        inner: Box::new(Fold { parts, all }),
        _p: Ghost::default(),
    }
}

crate::__expression_impls!(impl[M, T, K,] Boxed<M, T, K>);
