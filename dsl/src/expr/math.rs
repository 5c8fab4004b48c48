//! Portable math: `abs`, `round`, `round_to`, `floor`, `ceil`, `trunc`, with one meaning on every
//! backend.
//!
//! - The result has the argument's SQL type (a `Double` stays a `Double`, a `Numeric` a
//!   `Numeric`); on an integer type `round`, `round_to`, `floor`, `ceil` and `trunc` are the value
//!   itself. Cast the result to an integer type with `cast` (exact: it is already whole).
//! - `round` rounds halves away from zero (2.5 → 3, -2.5 → -3, 1.25 to 1 digit → 1.3). On a
//!   `Double` or `Real` it computes the same double arithmetic on every backend: `s = x * 10^n`,
//!   its whole part, one more (away from zero) when the dropped fraction is at least a half, over
//!   `10^n`; so results are equal to the bit (2.675 to 2 digits → 2.68, as 2.675 * 100 is 267.5
//!   in doubles). PostgreSQL and MySQL round a double half to even, and SQLite's `ROUND` rounds
//!   0.49999999999999994 up, so none of them is called. On a `Numeric` it is `ROUND` (exact) on
//!   PostgreSQL and MySQL; SQLite stores decimals as doubles and rounds them as doubles.
//! - `trunc` drops the fraction (toward zero), `floor` goes down, `ceil` up.
//! - SQLite's bundled build has no `FLOOR`/`CEIL`/`TRUNC`: they lower to `CAST(x AS INTEGER)` and a
//!   correction there, kept for magnitudes below 2^52 (larger doubles are already whole).
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub genre: i32, pub ms: i64 } }
//! let q = select((Track::genre, cast::<sql_types::BigInt, _>(trunc(avg(Track::ms))))).group_by(Track::genre);
//! assert_eq!(
//!     q.to_sql(Backend::MySql).0,
//!     "SELECT `track`.`genre`, CAST(TRUNCATE(TRUNCATE(CAST(AVG(`track`.`ms`) AS DOUBLE), 0), 0) AS SIGNED) \
//!      FROM `track` GROUP BY `track`.`genre`"
//! );
//! ```

use sea_query::{Alias, Expr as SeaExpr, ExprTrait, Func};

use super::grouping::NoCols;
use super::template::custom;
use super::{BaseOf, Expression, IntoExpr, ValidIn};
use crate::backend::Backend;
use crate::sql_types::{BaseType, BigInt, Double, Integer, Numeric, Real, SmallInt, SqlKind};

/// The numeric SQL types `abs`, `round`, `round_to`, `floor`, `ceil` and `trunc` take.
#[diagnostic::on_unimplemented(
    message = "`abs`, `round`, `floor`, `ceil` and `trunc` need a number, found SQL type `{Self}`",
    label = "not a number",
    note = "numeric types are SmallInt, Integer, BigInt, Real, Double and Numeric"
)]
pub trait MathArg: BaseType {}
macro_rules! math_args {
    ($($t:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl MathArg for $t {}
    )*};
}
math_args!(SmallInt, Integer, BigInt, Real, Double, Numeric);

/// Which rounding a [`Math`] node applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathOp {
    /// `|x|`
    Abs,
    /// Nearest, halves away from zero, to a number of decimal digits.
    Round(u8),
    /// Down to a whole number.
    Floor,
    /// Up to a whole number.
    Ceil,
    /// Toward zero to a whole number.
    Trunc,
}

/// A math function of one numeric argument, typed as its argument.
pub struct Math<E> {
    e: E,
    op: MathOp,
}

fn math<E: Expression>(e: E, op: MathOp) -> Math<E>
where
    BaseOf<E::SqlType>: MathArg,
{
    Math { e, op }
}

/// `|x|`: the absolute value, of `x`'s type.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub likes: i32 } }
/// assert_eq!(select(abs(Post::likes)).to_sql(Backend::Sqlite).0, r#"SELECT ABS("post"."likes") FROM "post""#);
/// ```
pub fn abs<E: IntoExpr>(e: E) -> Math<E::Expr>
where
    BaseOf<<E::Expr as Expression>::SqlType>: MathArg,
{
    math(e.into_expr(), MathOp::Abs)
}

/// `x` rounded to a whole number, halves away from zero (2.5 → 3, -2.5 → -3) on every backend.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Item { #[primary_key] pub id: i64, pub price: rust_decimal::Decimal } }
/// assert_eq!(select(round(Item::price)).to_sql(Backend::Postgres).0, r#"SELECT ROUND("item"."price") FROM "item""#);
/// ```
pub fn round<E: IntoExpr>(e: E) -> Math<E::Expr>
where
    BaseOf<<E::Expr as Expression>::SqlType>: MathArg,
{
    math(e.into_expr(), MathOp::Round(0))
}

/// `x` rounded to `digits` decimal digits, halves away from zero (1.25 to 1 digit → 1.3); the
/// number of digits is a bound value.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub price: rust_decimal::Decimal } }
/// let (sql, values) = select(round_to(Post::price, 2)).to_sql(Backend::MySql);
/// assert_eq!(sql, "SELECT ROUND(`post`.`price`, ?) FROM `post`");
/// assert_eq!(values.0, [azoth_dsl::Value::Int(Some(2))]);
/// ```
pub fn round_to<E: IntoExpr>(e: E, digits: u8) -> Math<E::Expr>
where
    BaseOf<<E::Expr as Expression>::SqlType>: MathArg,
{
    math(e.into_expr(), MathOp::Round(digits))
}

/// The largest whole number not above `x` (-2.5 → -3), of `x`'s type.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub score: f64 } }
/// assert_eq!(select(floor(Post::score)).to_sql(Backend::MySql).0, "SELECT FLOOR(`post`.`score`) FROM `post`");
/// ```
pub fn floor<E: IntoExpr>(e: E) -> Math<E::Expr>
where
    BaseOf<<E::Expr as Expression>::SqlType>: MathArg,
{
    math(e.into_expr(), MathOp::Floor)
}

/// The smallest whole number not below `x` (-2.5 → -2), of `x`'s type.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub score: f64 } }
/// assert_eq!(select(ceil(Post::score)).to_sql(Backend::Postgres).0, r#"SELECT CEIL("post"."score") FROM "post""#);
/// ```
pub fn ceil<E: IntoExpr>(e: E) -> Math<E::Expr>
where
    BaseOf<<E::Expr as Expression>::SqlType>: MathArg,
{
    math(e.into_expr(), MathOp::Ceil)
}

/// `x` without its fraction, toward zero (2.7 → 2, -2.7 → -2), of `x`'s type.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub score: f64 } }
/// assert_eq!(select(trunc(Post::score)).to_sql(Backend::MySql).0, "SELECT TRUNCATE(`post`.`score`, 0) FROM `post`");
/// ```
pub fn trunc<E: IntoExpr>(e: E) -> Math<E::Expr>
where
    BaseOf<<E::Expr as Expression>::SqlType>: MathArg,
{
    math(e.into_expr(), MathOp::Trunc)
}

fn cast(e: SeaExpr, ty: &str) -> SeaExpr {
    Func::cast_as(e, Alias::new(ty)).into()
}

fn digits(d: u8) -> SeaExpr {
    SeaExpr::Value(i32::from(d).into())
}

/// `ROUND(x)` or `ROUND(x, digits)`.
fn round_call(x: SeaExpr, d: u8) -> SeaExpr {
    if d == 0 {
        Func::round(x).into()
    } else {
        Func::round_with_precision(x, digits(d)).into()
    }
}

/// `x` rounded to `d` digits in double arithmetic, the same on every backend: `s = x * 10^d`,
/// then `TRUNC(s)`, plus `SIGN(s)` when the dropped fraction is at least a half, over `10^d`.
/// (PostgreSQL and MySQL round a double half to even, SQLite's `ROUND` turns 0.49999999999999994
/// into 1: neither is used.)
fn round_double(x: SeaExpr, d: u8, b: Backend) -> SeaExpr {
    let scale = 10f64.powi(i32::from(d));
    let s = || {
        if d == 0 {
            x.clone()
        } else {
            x.clone().mul(SeaExpr::Value(scale.into()))
        }
    };
    // Templates rather than sea-query's CASE node: rewriting a column's table (an aliased
    // table in a correlated subquery) reaches their arguments.
    let whole = match b {
        Backend::Postgres => custom(
            b,
            "CASE WHEN ABS(? - TRUNC(?)) >= 0.5 THEN TRUNC(?) + SIGN(?) ELSE TRUNC(?) END",
            vec![s(), s(), s(), s(), s()],
        ),
        Backend::MySql => custom(
            b,
            "CASE WHEN ABS(? - TRUNCATE(?, 0)) >= 0.5 THEN TRUNCATE(?, 0) + SIGN(?) ELSE TRUNCATE(?, 0) END",
            vec![s(), s(), s(), s(), s()],
        ),
        // CAST(s AS INTEGER) saturates beyond 2^63: above 2^52 `s` is whole already.
        Backend::Sqlite => custom(
            b,
            "CASE WHEN ABS(?) < 4503599627370496 THEN CASE WHEN ABS(? - CAST(? AS INTEGER)) >= 0.5 \
             THEN CAST(? AS INTEGER) + SIGN(?) ELSE CAST(? AS INTEGER) END ELSE ? END",
            vec![s(), s(), s(), s(), s(), s(), s()],
        ),
    };
    if d == 0 {
        whole
    } else {
        whole.div(SeaExpr::Value(scale.into()))
    }
}

/// SQLite without math functions: `CAST(x AS INTEGER)` (toward zero), corrected by `adjust`
/// (a template of `x` `uses` times), for magnitudes below 2^52; larger ones are whole already.
fn lite_whole(x: SeaExpr, adjust: &str, uses: usize) -> SeaExpr {
    let mut exprs = vec![x.clone()];
    exprs.extend(std::iter::repeat_n(x.clone(), uses));
    exprs.push(x);
    custom(
        Backend::Sqlite,
        &format!("CASE WHEN ABS(?) < 4503599627370496 THEN {adjust} ELSE ? END"),
        exprs,
    )
}

fn lower_fraction(x: SeaExpr, op: MathOp, kind: SqlKind, b: Backend) -> SeaExpr {
    let float = matches!(kind, SqlKind::Real | SqlKind::Double);
    match (b, op) {
        (_, MathOp::Abs) => Func::abs(x).into(),
        (_, MathOp::Round(d)) if float || b == Backend::Sqlite => {
            let back = match (b, kind) {
                (Backend::Postgres, SqlKind::Real) => Some("REAL"),
                (Backend::Sqlite, SqlKind::Numeric) => None,
                (Backend::Sqlite, _) => Some("REAL"),
                _ => None,
            };
            let r = round_double(x, d, b);
            match back {
                Some(ty) => cast(r, ty),
                None => r,
            }
        }
        (_, MathOp::Round(d)) => round_call(x, d),
        (Backend::Postgres, MathOp::Floor) | (Backend::MySql, MathOp::Floor) => {
            Func::cust("FLOOR").arg(x).into()
        }
        (Backend::Postgres, MathOp::Ceil) => Func::cust("CEIL").arg(x).into(),
        (Backend::MySql, MathOp::Ceil) => Func::cust("CEILING").arg(x).into(),
        (Backend::Postgres, MathOp::Trunc) => Func::cust("TRUNC").arg(x).into(),
        (Backend::MySql, MathOp::Trunc) => Func::cust("TRUNCATE")
            .args([x, SeaExpr::Constant(0i32.into())])
            .into(),
        (Backend::Sqlite, op) => {
            let whole = match op {
                MathOp::Floor => lite_whole(x, "CAST(? AS INTEGER) - (? < CAST(? AS INTEGER))", 3),
                MathOp::Ceil => lite_whole(x, "CAST(? AS INTEGER) + (? > CAST(? AS INTEGER))", 3),
                _ => lite_whole(x, "CAST(? AS INTEGER)", 1),
            };
            if float { cast(whole, "REAL") } else { whole }
        }
    }
}

impl<E: Expression> Expression for Math<E> {
    type SqlType = E::SqlType;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let x = self.e.lower(b);
        let kind = <BaseOf<E::SqlType> as BaseType>::KIND;
        let whole = matches!(kind, SqlKind::SmallInt | SqlKind::Integer | SqlKind::BigInt);
        match self.op {
            MathOp::Abs => Func::abs(x).into(),
            // An integer is whole already: rounding it is itself (PostgreSQL's ROUND(int) would
            // be a double, SQLite's a REAL).
            _ if whole => x,
            op => lower_fraction(x, op, kind, b),
        }
    }
}

impl<S, E: ValidIn<S, I>, I> ValidIn<S, I> for Math<E> {
    type Null = E::Null;
    type Cols = E::Cols;
    type Key = NoCols;
}

crate::__expression_impls!(impl[E,] Math<E>);
