//! SQL functions: aggregates, text functions, `coalesce`, `now`, `cast`, `label`, `case`.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub title: String, pub likes: i32 } }
//! let q = select((upper(Post::title), count(Post::id), sum(Post::likes))).group_by(Post::title);
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT UPPER("post"."title"), COUNT("post"."id"), SUM("post"."likes") FROM "post" GROUP BY "post"."title""#
//! );
//! ```

use sea_query::{Alias, Expr as SeaExpr, Func};

use super::aggregate::{AggKind, Aggregate, NoColumns};
use super::grouping::{Both, NoCols};
use super::{AsOperand, BaseOf, Expression, Ghost, IntoExpr, NoTable, NullOf, TableHint, ValidIn};
use crate::backend::Backend;
use crate::sql_types::{
    BaseType, BigInt, Bool, Double, Integer, IsNull, NotNull, NullFlag, Nullable, NumericType,
    SqlKind, TextType, TimestampTz,
};

/// How a one-argument function types its result and renders.
pub trait FuncKind: Send + Sync + 'static {
    /// Base type of the result, from the argument's base type.
    type Base<T: BaseType>: BaseType;
    /// Nullability of the result, from the argument's.
    type Null<N: NullFlag>: NullFlag;
    /// Aggregation kind of the call, from the argument's: an aggregate, or the argument's.
    type Agg<K: AggKind>: AggKind;
    /// The columns the call uses outside aggregates, from the argument's: none for an
    /// aggregate, else the argument's.
    type Cols<L>;
    /// Renders the call for `backend`.
    fn lower(arg: SeaExpr, backend: Backend) -> SeaExpr;
}

/// A one-argument function call `F(arg)`.
pub struct Call<E, F> {
    pub(crate) arg: E,
    pub(crate) _f: Ghost<F>,
}

impl<E, F> Call<E, F> {
    fn new(arg: E) -> Self {
        Call {
            arg,
            _f: Ghost::default(),
        }
    }
}

impl<E: Expression, F: FuncKind> Expression for Call<E, F> {
    type SqlType = <F::Null<NullOf<E::SqlType>> as NullFlag>::Apply<F::Base<BaseOf<E::SqlType>>>;
    type Table = E::Table;
    type Agg = F::Agg<E::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        F::lower(self.arg.lower(b), b)
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        self.arg.shape(b, s);
    }
}

impl<S, E: ValidIn<S, I>, F: FuncKind, I> ValidIn<S, I> for Call<E, F> {
    type Null = F::Null<E::Null>;
    type Cols = F::Cols<E::Cols>;
    type Key = NoCols;
}

macro_rules! func_kind {
    ($(#[$doc:meta])* $name:ident, base<$t:ident> = $base:ty, null<$n:ident> = $null:ty, agg<$k:ident> = $agg:ty, cols<$l:ident> = $cols:ty, |$a:ident, $b:ident| $lower:expr) => {
        $(#[$doc])*
        pub struct $name;
        impl FuncKind for $name {
            type Base<$t: BaseType> = $base;
            type Null<$n: NullFlag> = $null;
            type Agg<$k: AggKind> = $agg;
            type Cols<$l> = $cols;
            fn lower($a: SeaExpr, $b: Backend) -> SeaExpr {
                $lower
            }
        }
    };
}

func_kind!(/// `COUNT(e)`: never NULL.
    CountFn, base<T> = BigInt, null<N> = NotNull, agg<K> = Aggregate, cols<L> = NoCols, |a, _b| Func::count(a).into());
func_kind!(/// `SUM(e)`: NULL over no rows.
    SumFn, base<T> = T, null<N> = IsNull, agg<K> = Aggregate, cols<L> = NoCols, |a, _b| Func::sum(a).into());
func_kind!(/// `AVG(e)` as a double: NULL over no rows.
    AvgFn, base<T> = Double, null<N> = IsNull, agg<K> = Aggregate, cols<L> = NoCols, |a, b| cast_to(Func::avg(a).into(), SqlKind::Double, b));
func_kind!(/// `MIN(e)`: NULL over no rows.
    MinFn, base<T> = T, null<N> = IsNull, agg<K> = Aggregate, cols<L> = NoCols, |a, _b| Func::min(a).into());
func_kind!(/// `MAX(e)`: NULL over no rows.
    MaxFn, base<T> = T, null<N> = IsNull, agg<K> = Aggregate, cols<L> = NoCols, |a, _b| Func::max(a).into());
func_kind!(/// `LOWER(e)`
    LowerFn, base<T> = T, null<N> = N, agg<K> = K, cols<L> = L, |a, _b| Func::lower(a).into());
func_kind!(/// `UPPER(e)`
    UpperFn, base<T> = T, null<N> = N, agg<K> = K, cols<L> = L, |a, _b| Func::upper(a).into());
func_kind!(/// `CHAR_LENGTH(e)` (`LENGTH` on SQLite): length in characters.
LengthFn, base<T> = Integer, null<N> = N, agg<K> = K, cols<L> = L, |a, b| match b {
    Backend::Sqlite => Func::cust("LENGTH").arg(a).into(),
    _ => Func::char_length(a).into(),
});

/// `COUNT(e)`: the number of rows where `e` is not NULL.
pub fn count<E: Expression>(e: E) -> Call<E, CountFn> {
    Call::new(e)
}

/// `SUM(e)` of a numeric expression; NULL (`None`) over no rows.
pub fn sum<E: Expression>(e: E) -> Call<E, SumFn>
where
    BaseOf<E::SqlType>: NumericType,
{
    Call::new(e)
}

/// `AVG(e)` of a numeric expression, as a double; NULL over no rows.
pub fn avg<E: Expression>(e: E) -> Call<E, AvgFn>
where
    BaseOf<E::SqlType>: NumericType,
{
    Call::new(e)
}

/// `MIN(e)`; NULL over no rows.
pub fn min<E: Expression>(e: E) -> Call<E, MinFn> {
    Call::new(e)
}

/// `MAX(e)`; NULL over no rows.
pub fn max<E: Expression>(e: E) -> Call<E, MaxFn> {
    Call::new(e)
}

/// `LOWER(e)` of a text expression.
pub fn lower<E: Expression>(e: E) -> Call<E, LowerFn>
where
    BaseOf<E::SqlType>: TextType,
{
    Call::new(e)
}

/// `UPPER(e)` of a text expression.
pub fn upper<E: Expression>(e: E) -> Call<E, UpperFn>
where
    BaseOf<E::SqlType>: TextType,
{
    Call::new(e)
}

/// The length of a text expression in characters.
pub fn length<E: Expression>(e: E) -> Call<E, LengthFn>
where
    BaseOf<E::SqlType>: TextType,
{
    Call::new(e)
}

/// `COUNT(*)`.
pub struct CountAll;

/// `COUNT(*)`: the number of rows.
pub fn count_all() -> CountAll {
    CountAll
}

impl Expression for CountAll {
    type SqlType = BigInt;
    type Table = NoTable;
    type Agg = Aggregate;
    fn lower(&self, _: Backend) -> SeaExpr {
        Func::count(SeaExpr::col(sea_query::Asterisk)).into()
    }
    fn shape(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
    }
}

impl<S> ValidIn<S, ()> for CountAll {
    type Null = NotNull;
    type Cols = NoCols;
    type Key = NoCols;
}

/// `CURRENT_TIMESTAMP`.
pub struct Now;

/// The current timestamp (`CURRENT_TIMESTAMP`), with time zone.
pub const fn now() -> Now {
    Now
}

impl Expression for Now {
    type SqlType = TimestampTz;
    type Table = NoTable;
    type Agg = NoColumns;
    fn lower(&self, _: Backend) -> SeaExpr {
        SeaExpr::current_timestamp()
    }
    fn shape(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
    }
}

impl<S> ValidIn<S, ()> for Now {
    type Null = NotNull;
    type Cols = NoCols;
    type Key = NoCols;
}

/// `COALESCE(a, b)`: `a` unless it is NULL, then `b`.
pub struct Coalesce<A, B> {
    a: A,
    b: B,
}

/// `COALESCE(a, b)`; NULL only if both are. `b` must have `a`'s SQL type.
// `E` rather than `B::Expr` in the signature: a `B` of another type is then reported once.
pub fn coalesce<A, B, E>(a: A, b: B) -> Coalesce<A, E>
where
    A: Expression,
    B: AsOperand<BaseOf<A::SqlType>, Expr = E>,
{
    Coalesce {
        a,
        b: b.into_operand(),
    }
}

impl<A: Expression, B: Expression> Expression for Coalesce<A, B> {
    type SqlType = <<NullOf<A::SqlType> as NullFlag>::And<NullOf<B::SqlType>> as NullFlag>::Apply<
        BaseOf<A::SqlType>,
    >;
    type Table = <A::Table as TableHint>::Or<B::Table>;
    type Agg = <A::Agg as AggKind>::With<B::Agg>;
    fn lower(&self, backend: Backend) -> SeaExpr {
        Func::coalesce([self.a.lower(backend), self.b.lower(backend)]).into()
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        self.a.shape(b, s);
        self.b.shape(b, s);
    }
}

impl<S, A: ValidIn<S, IA>, B: ValidIn<S, IB>, IA, IB> ValidIn<S, (IA, IB)> for Coalesce<A, B> {
    type Null = <A::Null as NullFlag>::And<B::Null>;
    type Cols = Both<A::Cols, B::Cols>;
    type Key = NoCols;
}

/// `CAST(e AS T)`.
pub struct Cast<E, T> {
    e: E,
    _t: Ghost<T>,
}

/// `CAST(e AS T)`: the same value as SQL type `T` (`cast::<Text, _>(User::id)`).
///
/// A fraction cast to an integer type is truncated toward zero on every backend (2.7 and
/// -2.7 give 2 and -2): `TRUNC` first on PostgreSQL, `TRUNCATE(.., 0)` on MySQL.
pub fn cast<T: BaseType, E: Expression>(e: E) -> Cast<E, T> {
    Cast {
        e,
        _t: Ghost::default(),
    }
}

/// The type name `CAST(.. AS name)` takes for `kind` on `backend`.
pub(crate) fn cast_type_name(kind: SqlKind, backend: Backend) -> &'static str {
    use SqlKind::*;
    match backend {
        Backend::Postgres => match kind {
            Bool => "BOOLEAN",
            SmallInt => "SMALLINT",
            Integer => "INTEGER",
            BigInt => "BIGINT",
            Real => "REAL",
            Double => "DOUBLE PRECISION",
            Numeric => "NUMERIC",
            Text => "TEXT",
            Blob => "BYTEA",
            Date => "DATE",
            Time => "TIME",
            Timestamp => "TIMESTAMP",
            TimestampTz => "TIMESTAMPTZ",
            Uuid => "UUID",
            Json => "JSONB",
        },
        Backend::MySql => match kind {
            Bool | SmallInt | Integer | BigInt => "SIGNED",
            Real | Double => "DOUBLE",
            Numeric => "DECIMAL(65, 30)",
            Text | Uuid => "CHAR",
            Blob => "BINARY",
            Date => "DATE",
            Time => "TIME",
            Timestamp | TimestampTz => "DATETIME(6)",
            Json => "JSON",
        },
        Backend::Sqlite => match kind {
            Bool | SmallInt | Integer | BigInt => "INTEGER",
            Real | Double => "REAL",
            Numeric => "NUMERIC",
            Blob => "BLOB",
            Text | Uuid | Json | Date | Time | Timestamp | TimestampTz => "TEXT",
        },
    }
}

fn cast_to(e: SeaExpr, kind: SqlKind, backend: Backend) -> SeaExpr {
    if backend == Backend::Sqlite && matches!(kind, SqlKind::Double | SqlKind::Real) {
        // SQLite's AVG is already REAL.
        return e;
    }
    Func::cast_as(e, Alias::new(cast_type_name(kind, backend))).into()
}

impl<E: Expression, T: BaseType> Expression for Cast<E, T> {
    type SqlType = <NullOf<E::SqlType> as NullFlag>::Apply<T>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let e = self.e.lower(b);
        let e = if is_integer(T::KIND) && !is_integer(<BaseOf<E::SqlType> as BaseType>::KIND) {
            truncated(e, <BaseOf<E::SqlType> as BaseType>::KIND, b)
        } else {
            e
        };
        Func::cast_as(e, Alias::new(cast_type_name(T::KIND, b))).into()
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        self.e.shape(b, s);
    }
}

fn is_integer(kind: SqlKind) -> bool {
    matches!(kind, SqlKind::SmallInt | SqlKind::Integer | SqlKind::BigInt)
}

/// A fractional number cast to an integer drops its fraction on every backend (toward zero, as
/// SQLite's CAST and Rust's `as` do): PostgreSQL and MySQL's CAST would round.
fn truncated(e: SeaExpr, from: SqlKind, backend: Backend) -> SeaExpr {
    if !matches!(from, SqlKind::Real | SqlKind::Double | SqlKind::Numeric) {
        return e;
    }
    match backend {
        Backend::Postgres => Func::cust("TRUNC").arg(e).into(),
        Backend::MySql => Func::cust("TRUNCATE")
            .args([e, SeaExpr::Constant(0i32.into())])
            .into(),
        Backend::Sqlite => e,
    }
}

impl<S, E: ValidIn<S, I>, T: BaseType, I> ValidIn<S, I> for Cast<E, T> {
    type Null = E::Null;
    type Cols = E::Cols;
    type Key = NoCols;
}

/// An expression with a name in the selection: `expr AS name`.
pub struct Labeled<E> {
    pub(crate) e: E,
    pub(crate) name: &'static str,
}

/// Names a selected expression (`SELECT COUNT(*) AS "n"`).
pub fn label<E: Expression>(e: E, name: &'static str) -> Labeled<E> {
    Labeled { e, name }
}

impl<E: Expression> Expression for Labeled<E> {
    type SqlType = E::SqlType;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        self.e.lower(b)
    }
    fn selected_name(&self) -> Option<&'static str> {
        Some(self.name)
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        s.name(self.name);
        self.e.shape(b, s);
    }
}

impl<S, E: ValidIn<S, I>, I> ValidIn<S, I> for Labeled<E> {
    type Null = E::Null;
    type Cols = E::Cols;
    type Key = E::Key;
}

/// `CASE WHEN .. THEN .. [ELSE ..] END`, built with [`case_when`].
///
/// `Arms` is the type-level list of arms (checked against the query's tables); the result is
/// NULL when no arm matches and there is no `otherwise`.
pub struct Case<ST, Arms, Else> {
    arms: Arms,
    otherwise: Else,
    _st: Ghost<ST>,
}

/// One `WHEN cond THEN value` arm after the arms `P`.
pub struct Arm<P, C, V> {
    prev: P,
    cond: C,
    then: V,
}

/// Lowering and checking of a list of arms.
pub trait Arms: Send + Sync + 'static {
    /// The first table mentioned.
    type Table: TableHint;
    /// NULL if any THEN may be NULL.
    type Null: NullFlag;
    /// The aggregation kind of the conditions and values.
    type Agg: AggKind;
    /// Appends each arm's condition and value, in order.
    fn push(&self, b: Backend, out: &mut Vec<SeaExpr>);
}

impl Arms for () {
    type Table = NoTable;
    type Null = NotNull;
    type Agg = NoColumns;
    fn push(&self, _: Backend, _: &mut Vec<SeaExpr>) {}
}

impl<P: Arms, C: Expression, V: Expression> Arms for Arm<P, C, V> {
    type Table = <<P::Table as TableHint>::Or<C::Table> as TableHint>::Or<V::Table>;
    type Null = <P::Null as NullFlag>::Or<NullOf<V::SqlType>>;
    type Agg = <<P::Agg as AggKind>::With<C::Agg> as AggKind>::With<V::Agg>;
    fn push(&self, b: Backend, out: &mut Vec<SeaExpr>) {
        self.prev.push(b, out);
        out.push(self.cond.lower(b));
        out.push(self.then.lower(b));
    }
}

/// Checks each arm against the query's sources.
pub trait ArmsIn<S, I> {
    /// NULL if any THEN may be NULL in that query.
    type Null: NullFlag;
    /// The columns the conditions and values use outside aggregates.
    type Cols;
}
impl<S> ArmsIn<S, ()> for () {
    type Null = NotNull;
    type Cols = NoCols;
}
impl<S, P, C, V, IP, IC, IV> ArmsIn<S, (IP, IC, IV)> for Arm<P, C, V>
where
    P: ArmsIn<S, IP>,
    C: ValidIn<S, IC>,
    V: ValidIn<S, IV>,
{
    type Null = <P::Null as NullFlag>::Or<V::Null>;
    type Cols = Both<P::Cols, Both<C::Cols, V::Cols>>;
}

/// No `ELSE`: the result is NULL when no arm matches.
pub struct NoElse;

/// A CASE with its first arm, before `when`/`otherwise`.
pub type FirstArm<C, V> = Case<BaseOf<<V as Expression>::SqlType>, Arm<(), C, V>, NoElse>;

/// `CASE WHEN cond THEN then`: starts a CASE expression whose type is `then`'s.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Track { #[primary_key] pub id: i64, pub ms: i64 } }
/// let size = case_when(Track::ms.gt(300_000), "long").when(Track::ms.gt(60_000), "medium").otherwise("short");
/// let (sql, values) = select(size).to_sql(Backend::Sqlite);
/// assert_eq!(sql, r#"SELECT (CASE WHEN ("track"."ms" > ?) THEN ? WHEN ("track"."ms" > ?) THEN ? ELSE ? END) FROM "track""#);
/// assert_eq!(values.0.len(), 5);
/// ```
pub fn case_when<C, V>(cond: C, then: V) -> FirstArm<C, V::Expr>
where
    C: Expression,
    BaseOf<C::SqlType>: IsBool,
    V: IntoExpr,
{
    Case {
        arms: Arm {
            prev: (),
            cond,
            then: v_into(then),
        },
        otherwise: NoElse,
        _st: Ghost::default(),
    }
}

fn v_into<V: IntoExpr>(v: V) -> V::Expr {
    v.into_expr()
}

/// Boolean SQL types: what `filter`, `and`, `or`, `not` and CASE conditions take.
#[diagnostic::on_unimplemented(
    message = "expected a condition (SQL type `Bool`), found SQL type `{Self}`",
    label = "not a condition",
    note = "compare it to something: `.eq(..)`, `.is_null()`, `.gt(..)`"
)]
pub trait IsBool {}
impl IsBool for Bool {}

impl<ST: BaseType, A: Arms> Case<ST, A, NoElse> {
    /// Adds `WHEN cond THEN then`.
    pub fn when<C, V>(self, cond: C, then: V) -> Case<ST, Arm<A, C, V::Expr>, NoElse>
    where
        C: Expression,
        BaseOf<C::SqlType>: IsBool,
        V: AsOperand<ST>,
    {
        Case {
            arms: Arm {
                prev: self.arms,
                cond,
                then: then.into_operand(),
            },
            otherwise: NoElse,
            _st: Ghost::default(),
        }
    }

    /// Adds `ELSE value`, ending the CASE.
    pub fn otherwise<V: AsOperand<ST>>(self, value: V) -> Case<ST, A, V::Expr> {
        Case {
            arms: self.arms,
            otherwise: value.into_operand(),
            _st: Ghost::default(),
        }
    }
}

/// `(CASE WHEN (c1) THEN v1 .. [ELSE e] END)` from the arms' conditions and values, as a template
/// over the lowered parts (not sea-query's `CaseStatement`, whose parts are out of reach): so
/// that a CASE inside a relationship condition reads the aliased table like any other expression
/// ([`retable`](crate::lower::retable) rewrites the parts of a template).
fn case_expr(b: Backend, mut parts: Vec<SeaExpr>, otherwise: Option<SeaExpr>) -> SeaExpr {
    let mut tmpl = String::from("(CASE");
    for _ in 0..parts.len() / 2 {
        tmpl.push_str(" WHEN (?) THEN ?");
    }
    if let Some(e) = otherwise {
        tmpl.push_str(" ELSE ?");
        parts.push(e);
    }
    tmpl.push_str(" END)");
    super::template::custom(b, &tmpl, parts)
}

impl<ST: BaseType, A: Arms> Expression for Case<ST, A, NoElse> {
    type SqlType = Nullable<ST>;
    type Table = A::Table;
    type Agg = A::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let mut parts = Vec::new();
        self.arms.push(b, &mut parts);
        case_expr(b, parts, None)
    }
}

impl<ST: BaseType, A: Arms + ArmsIn<S, I>, S, I> ValidIn<S, I> for Case<ST, A, NoElse> {
    type Null = IsNull;
    type Cols = A::Cols;
    type Key = NoCols;
}

impl<ST: BaseType, A: Arms, E: Expression> Expression for Case<ST, A, E> {
    type SqlType = <<A::Null as NullFlag>::Or<NullOf<E::SqlType>> as NullFlag>::Apply<ST>;
    type Table = <A::Table as TableHint>::Or<E::Table>;
    type Agg = <A::Agg as AggKind>::With<E::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        let mut parts = Vec::new();
        self.arms.push(b, &mut parts);
        case_expr(b, parts, Some(self.otherwise.lower(b)))
    }
}

impl<ST: BaseType, A: Arms + ArmsIn<S, IA>, E: ValidIn<S, IE>, S, IA, IE> ValidIn<S, (IA, IE)>
    for Case<ST, A, E>
{
    type Null = <<A as ArmsIn<S, IA>>::Null as NullFlag>::Or<E::Null>;
    type Cols = Both<<A as ArmsIn<S, IA>>::Cols, E::Cols>;
    type Key = NoCols;
}

crate::__expression_impls!(impl[E, F,] Call<E, F>);
crate::__expression_impls!(impl[] CountAll);
crate::__expression_impls!(impl[] Now);
crate::__expression_impls!(impl[A, B,] Coalesce<A, B>);
crate::__expression_impls!(impl[E, T,] Cast<E, T>);
crate::__expression_impls!(impl[E,] Labeled<E>);
crate::__expression_impls!(impl[T, A, E,] Case<T, A, E>);
