//! Portable text functions: `concat`, `substring`, `trim`, `ltrim`, `rtrim`, `replace`, with one
//! meaning on every backend.
//!
//! - `concat((a, b, ..))` is NULL if any part is NULL (SQL's `||`; MySQL's `CONCAT`), so its type
//!   is nullable exactly when a part's is; `coalesce(part, "")` skips a NULL part instead.
//!   PostgreSQL's `CONCAT` would skip NULLs, so it lowers to `||` there.
//! - `substring(x, start, len)` counts characters, not bytes, from 1.
//! - `trim`, `ltrim`, `rtrim` remove spaces (U+0020) only, not tabs or newlines.
//! - `replace(x, from, to)` replaces every occurrence, case-sensitively; an empty `from` leaves
//!   `x` as it is.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub first: String, pub last: String } }
//! let full = concat((User::first, " ", User::last));
//! assert_eq!(select(full).to_sql(Backend::MySql).0, "SELECT CONCAT(`user`.`first`, ?, `user`.`last`) FROM `user`");
//! let full = concat((User::first, " ", User::last));
//! assert_eq!(select(full).to_sql(Backend::Postgres).0, r#"SELECT "user"."first" || $1 || "user"."last" FROM "user""#);
//! ```

use sea_query::{Expr as SeaExpr, Func};

use super::aggregate::AggKind;
use super::functions::{Call, FuncKind};
use super::grouping::{Both, NoCols};
use super::template::custom;
use super::{AsOperand, BaseOf, Expression, Ghost, IntoExpr, NullOf, TableHint, ValidIn};
use crate::backend::Backend;
use crate::sql_types::{BaseType, NullFlag, Text, TextType};

/// The parts of a `concat`, as a list: [`Link`]s ending in a [`Last`].
pub trait ConcatChain: Send + Sync + 'static {
    /// NULL if any part may be NULL.
    type Null: NullFlag;
    /// The first table a part mentions.
    type Table: TableHint;
    /// The aggregation kind of the parts.
    type Agg: AggKind;
    /// Lowers each part, in order.
    fn push(&self, b: Backend, out: &mut Vec<SeaExpr>);
}

/// Checks each part of a `concat` against the query's sources.
pub trait ConcatIn<S, I> {
    /// NULL if any part may be NULL in that query.
    type Null: NullFlag;
    /// The columns the parts use outside aggregates.
    type Cols;
}

/// The last part of a `concat`.
pub struct Last<E>(E);
/// A part of a `concat` followed by the others.
pub struct Link<E, R>(E, R);

impl<E: Expression> ConcatChain for Last<E> {
    type Null = NullOf<E::SqlType>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn push(&self, b: Backend, out: &mut Vec<SeaExpr>) {
        out.push(self.0.lower(b));
    }
}

impl<E: Expression, R: ConcatChain> ConcatChain for Link<E, R> {
    type Null = <NullOf<E::SqlType> as NullFlag>::Or<R::Null>;
    type Table = <E::Table as TableHint>::Or<R::Table>;
    type Agg = <E::Agg as AggKind>::With<R::Agg>;
    fn push(&self, b: Backend, out: &mut Vec<SeaExpr>) {
        out.push(self.0.lower(b));
        self.1.push(b, out);
    }
}

impl<S, E: ValidIn<S, I>, I> ConcatIn<S, I> for Last<E> {
    type Null = E::Null;
    type Cols = E::Cols;
}

impl<S, E: ValidIn<S, IE>, R: ConcatIn<S, IR>, IE, IR> ConcatIn<S, (IE, IR)> for Link<E, R> {
    type Null = <E::Null as NullFlag>::Or<R::Null>;
    type Cols = Both<E::Cols, R::Cols>;
}

/// What `concat` takes: a tuple of 2 to 8 text values or expressions.
#[diagnostic::on_unimplemented(
    message = "`concat` takes a tuple of 2 to 8 text values or expressions, found `{Self}`",
    label = "expected `(a, b, ..)` of text",
    note = "cast a non-text part first: `cast::<sql_types::Text, _>(expr)`"
)]
pub trait ConcatParts {
    /// The parts as a [`ConcatChain`].
    type Chain: ConcatChain;
    /// Converts.
    fn into_chain(self) -> Self::Chain;
}

/// The SQL types `concat` joins: text only.
#[diagnostic::on_unimplemented(
    message = "`concat` joins text, found a part of SQL type `{Self}`",
    label = "this tuple has a part that is not text",
    note = "cast that part first: `cast::<sql_types::Text, _>(expr)`"
)]
pub trait ConcatText: BaseType {}
impl ConcatText for Text {}

macro_rules! chain_ty {
    ($last:ident) => { Last<<$last as IntoExpr>::Expr> };
    ($first:ident, $($rest:ident),+) => { Link<<$first as IntoExpr>::Expr, chain_ty!($($rest),+)> };
}

macro_rules! chain_val {
    ($last:ident) => { Last($last.into_expr()) };
    ($first:ident, $($rest:ident),+) => { Link($first.into_expr(), chain_val!($($rest),+)) };
}

macro_rules! concat_parts {
    ($($p:ident $v:ident),+) => {
        impl<$($p: IntoExpr),+> ConcatParts for ($($p,)+)
        where
            $(BaseOf<<$p::Expr as Expression>::SqlType>: ConcatText,)+
        {
            type Chain = chain_ty!($($p),+);
            #[allow(non_snake_case)]
            fn into_chain(self) -> Self::Chain {
                let ($($v,)+) = self;
                chain_val!($($v),+)
            }
        }
    };
}

concat_parts!(A a, B b);
concat_parts!(A a, B b, C c);
concat_parts!(A a, B b, C c, D d);
concat_parts!(A a, B b, C c, D d, E e);
concat_parts!(A a, B b, C c, D d, E e, F f);
concat_parts!(A a, B b, C c, D d, E e, F f, G g);
concat_parts!(A a, B b, C c, D d, E e, F f, G g, H h);

/// The text parts joined, NULL if any part is NULL.
pub struct Concat<C> {
    parts: C,
}

/// `a || b || ..` (`CONCAT(a, b, ..)` on MySQL): the parts of a tuple joined; NULL if any part is
/// NULL (wrap a part in `coalesce(part, "")` to skip it instead).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String, pub bio: Option<String> } }
/// let (sql, _) = select(concat((User::name, ": ", coalesce(User::bio, "")))).to_sql(Backend::Sqlite);
/// assert_eq!(sql, r#"SELECT "user"."name" || ? || COALESCE("user"."bio", ?) FROM "user""#);
/// ```
// `C` rather than `P::Chain` in the signature: a part of another type is then reported once.
pub fn concat<P: ConcatParts<Chain = C>, C>(parts: P) -> Concat<C> {
    Concat {
        parts: parts.into_chain(),
    }
}

impl<C: ConcatChain> Expression for Concat<C> {
    type SqlType = <C::Null as NullFlag>::Apply<Text>;
    type Table = C::Table;
    type Agg = C::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let mut parts = Vec::new();
        self.parts.push(b, &mut parts);
        if b == Backend::MySql {
            // MySQL's `||` is OR unless PIPES_AS_CONCAT; its CONCAT is NULL if a part is.
            return Func::cust("CONCAT").args(parts).into();
        }
        let tmpl = vec!["?"; parts.len()].join(" || ");
        custom(b, &tmpl, parts)
    }
}

impl<S, C: ConcatChain + ConcatIn<S, I>, I> ValidIn<S, I> for Concat<C> {
    type Null = <C as ConcatIn<S, I>>::Null;
    type Cols = <C as ConcatIn<S, I>>::Cols;
    type Key = NoCols;
}

/// Characters `start` to `start + len - 1` of a text, counted from 1.
pub struct Substring<E> {
    e: E,
    start: i32,
    len: i32,
}

/// The `len` characters of `x` from character `start` (1 is the first), as PostgreSQL's
/// `SUBSTRING`: a `start` of 0 counts one position before the first character, so it gives
/// `len - 1` characters. Characters, not bytes, on every backend; `start` and `len` are bound.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// let (sql, values) = select(substring(User::name, 2, 3)).to_sql(Backend::Postgres);
/// assert_eq!(sql, r#"SELECT SUBSTRING("user"."name", $1, $2) FROM "user""#);
/// assert_eq!(values.0.len(), 2);
/// ```
pub fn substring<E: Expression>(e: E, start: u32, len: u32) -> Substring<E>
where
    BaseOf<E::SqlType>: TextType,
{
    let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    // MySQL gives "" from position 0 and SQLite counts from the end below it: from 1 instead,
    // one character shorter, as PostgreSQL does.
    let (start, len) = if start == 0 {
        (1, len.saturating_sub(1))
    } else {
        (start, len)
    };
    Substring {
        e,
        start: clamp(start),
        len: clamp(len),
    }
}

impl<E: Expression> Expression for Substring<E> {
    type SqlType = E::SqlType;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        Func::cust("SUBSTRING")
            .args([
                self.e.lower(b),
                SeaExpr::Value(self.start.into()),
                SeaExpr::Value(self.len.into()),
            ])
            .into()
    }
}

impl<S, E: ValidIn<S, I>, I> ValidIn<S, I> for Substring<E> {
    type Null = E::Null;
    type Cols = E::Cols;
    type Key = NoCols;
}

macro_rules! text_fn {
    ($(#[$doc:meta])* $kind:ident, $name:ident, $sql:literal) => {
        #[doc = concat!("`", $sql, "(e)`.")]
        pub struct $kind;
        impl FuncKind for $kind {
            type Base<T: BaseType> = T;
            type Null<N: NullFlag> = N;
            type Agg<K: AggKind> = K;
            type Cols<L> = L;
            fn lower(arg: SeaExpr, _: Backend) -> SeaExpr {
                Func::cust($sql).arg(arg).into()
            }
        }
        $(#[$doc])*
        pub fn $name<E: Expression>(e: E) -> Call<E, $kind>
        where
            BaseOf<E::SqlType>: TextType,
        {
            Call {
                arg: e,
                _f: Ghost::default(),
            }
        }
    };
}

text_fn!(
    /// `x` without leading and trailing spaces (U+0020 only; tabs and newlines stay).
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// assert_eq!(select(trim(User::name)).to_sql(Backend::MySql).0, "SELECT TRIM(`user`.`name`) FROM `user`");
    /// ```
    TrimFn, trim, "TRIM"
);
text_fn!(
    /// `x` without leading spaces (U+0020 only).
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// assert_eq!(select(ltrim(User::name)).to_sql(Backend::Sqlite).0, r#"SELECT LTRIM("user"."name") FROM "user""#);
    /// ```
    LtrimFn, ltrim, "LTRIM"
);
text_fn!(
    /// `x` without trailing spaces (U+0020 only).
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
    /// assert_eq!(select(rtrim(User::name)).to_sql(Backend::Postgres).0, r#"SELECT RTRIM("user"."name") FROM "user""#);
    /// ```
    RtrimFn, rtrim, "RTRIM"
);

/// `REPLACE(x, from, to)`.
pub struct Replace<E, F, T> {
    e: E,
    from: F,
    to: T,
}

/// `x` with every occurrence of `from` replaced by `to` (case-sensitive; an empty `from` leaves
/// `x` as it is); NULL if any argument is.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// let (sql, values) = select(replace(User::name, "-", " ")).to_sql(Backend::Sqlite);
/// assert_eq!(sql, r#"SELECT REPLACE("user"."name", ?, ?) FROM "user""#);
/// assert_eq!(values.0.len(), 2);
/// ```
pub fn replace<E, F, T>(e: E, from: F, to: T) -> Replace<E, F::Expr, T::Expr>
where
    E: Expression,
    BaseOf<E::SqlType>: TextType,
    F: AsOperand<Text>,
    T: AsOperand<Text>,
{
    Replace {
        e,
        from: from.into_operand(),
        to: to.into_operand(),
    }
}

impl<E: Expression, F: Expression, T: Expression> Expression for Replace<E, F, T> {
    type SqlType = <<<NullOf<E::SqlType> as NullFlag>::Or<NullOf<F::SqlType>> as NullFlag>::Or<
        NullOf<T::SqlType>,
    > as NullFlag>::Apply<Text>;
    type Table = <<E::Table as TableHint>::Or<F::Table> as TableHint>::Or<T::Table>;
    type Agg = <<E::Agg as AggKind>::With<F::Agg> as AggKind>::With<T::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        Func::cust("REPLACE")
            .args([self.e.lower(b), self.from.lower(b), self.to.lower(b)])
            .into()
    }
}

impl<S, E, F, T, IE, IF, IT> ValidIn<S, (IE, IF, IT)> for Replace<E, F, T>
where
    E: ValidIn<S, IE>,
    F: ValidIn<S, IF>,
    T: ValidIn<S, IT>,
{
    type Null = <<E::Null as NullFlag>::Or<F::Null> as NullFlag>::Or<T::Null>;
    type Cols = Both<E::Cols, Both<F::Cols, T::Cols>>;
    type Key = NoCols;
}

crate::__expression_impls!(impl[C,] Concat<C>);
crate::__expression_impls!(impl[E,] Substring<E>);
crate::__expression_impls!(impl[E, F, T,] Replace<E, F, T>);
