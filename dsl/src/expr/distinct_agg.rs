//! Aggregates over distinct values: `count_distinct(e)`, `sum_distinct(e)`, `avg_distinct(e)`
//! (`COUNT(DISTINCT e)`, ..), typed as their plain counterparts.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub likes: i32 } }
//! let q = select((count_distinct(Post::author_id), sum_distinct(Post::likes), avg_distinct(Post::likes)));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT COUNT(DISTINCT "post"."author_id"), SUM(DISTINCT "post"."likes"), CAST(AVG(DISTINCT "post"."likes") AS DOUBLE PRECISION) FROM "post""#
//! );
//! ```

use sea_query::{Alias, Expr as SeaExpr, Func};

use super::aggregate::{AggKind, Aggregate};
use super::functions::{Call, FuncKind};
use super::grouping::NoCols;
use super::{BaseOf, Expression, Ghost};
use crate::backend::Backend;
use crate::sql_types::{BaseType, BigInt, Double, IsNull, NotNull, NullFlag, NumericType};

/// `COUNT(DISTINCT e)`: never NULL.
pub struct CountDistinctFn;
/// `SUM(DISTINCT e)`: NULL over no rows.
pub struct SumDistinctFn;
/// `AVG(DISTINCT e)` as a double: NULL over no rows.
pub struct AvgDistinctFn;

/// `func(DISTINCT arg)`: a call whose argument carries the keyword, so that rewriting the
/// argument's columns (an aliased table) keeps it.
fn distinct(func: &'static str, arg: SeaExpr, b: Backend) -> SeaExpr {
    let marked = match b {
        Backend::Postgres => "DISTINCT $1",
        Backend::MySql | Backend::Sqlite => "DISTINCT ?",
    };
    Func::cust(func)
        .arg(SeaExpr::cust_with_expr(marked, arg))
        .into()
}

impl FuncKind for CountDistinctFn {
    type Base<T: BaseType> = BigInt;
    type Null<N: NullFlag> = NotNull;
    type Agg<K: AggKind> = Aggregate;
    type Cols<L> = NoCols;
    fn lower(arg: SeaExpr, b: Backend) -> SeaExpr {
        distinct("COUNT", arg, b)
    }
}

impl FuncKind for SumDistinctFn {
    type Base<T: BaseType> = T;
    type Null<N: NullFlag> = IsNull;
    type Agg<K: AggKind> = Aggregate;
    type Cols<L> = NoCols;
    fn lower(arg: SeaExpr, b: Backend) -> SeaExpr {
        distinct("SUM", arg, b)
    }
}

impl FuncKind for AvgDistinctFn {
    type Base<T: BaseType> = Double;
    type Null<N: NullFlag> = IsNull;
    type Agg<K: AggKind> = Aggregate;
    type Cols<L> = NoCols;
    fn lower(arg: SeaExpr, b: Backend) -> SeaExpr {
        // As `avg`: a double on every backend (SQLite's AVG already is one).
        let avg = distinct("AVG", arg, b);
        match b {
            Backend::Sqlite => avg,
            Backend::Postgres => Func::cast_as(avg, Alias::new("DOUBLE PRECISION")).into(),
            Backend::MySql => Func::cast_as(avg, Alias::new("DOUBLE")).into(),
        }
    }
}

/// `COUNT(DISTINCT e)`: the number of distinct non-NULL values of `e`.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64 } }
/// let q = select(count_distinct(Post::author_id));
/// assert_eq!(q.to_sql(Backend::MySql).0, "SELECT COUNT(DISTINCT `post`.`author_id`) FROM `post`");
/// ```
pub fn count_distinct<E: Expression>(e: E) -> Call<E, CountDistinctFn> {
    Call {
        arg: e,
        _f: Ghost::default(),
    }
}

/// `SUM(DISTINCT e)` of a numeric expression; NULL (`None`) over no rows.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub likes: i32 } }
/// let q = select(sum_distinct(Post::likes));
/// assert_eq!(q.to_sql(Backend::Sqlite).0, r#"SELECT SUM(DISTINCT "post"."likes") FROM "post""#);
/// ```
pub fn sum_distinct<E: Expression>(e: E) -> Call<E, SumDistinctFn>
where
    BaseOf<E::SqlType>: NumericType,
{
    Call {
        arg: e,
        _f: Ghost::default(),
    }
}

/// `AVG(DISTINCT e)` of a numeric expression, as a double; NULL over no rows.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub likes: i32 } }
/// let q = select(avg_distinct(Post::likes));
/// assert_eq!(q.to_sql(Backend::MySql).0, "SELECT CAST(AVG(DISTINCT `post`.`likes`) AS DOUBLE) FROM `post`");
/// ```
pub fn avg_distinct<E: Expression>(e: E) -> Call<E, AvgDistinctFn>
where
    BaseOf<E::SqlType>: NumericType,
{
    Call {
        arg: e,
        _f: Ghost::default(),
    }
}
