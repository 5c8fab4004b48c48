//! Operator nodes: comparisons, logic, arithmetic, LIKE, IN, BETWEEN, IS NULL.
//!
//! One generic node per shape ([`Binary`], [`Unary`], ...); a kind marker computes the result's SQL
//! type, so one `Expression` and one `ValidIn` impl serve every operator of that shape.

use super::aggregate::AggKind;
use super::grouping::{Both, NoCols};
use sea_query::{Alias, BinOper, Expr as SeaExpr, ExprTrait, Func};

use super::{BaseOf, Expression, Ghost, NullOf, TableHint, ValidIn};
use crate::backend::Backend;
use crate::sql_types::{BaseType, Bool, NotNull, NullFlag, SqlKind};

/// How a binary operator types its result from its left operand.
pub trait BinaryKind: Send + Sync + 'static {
    /// Base type of the result, from the left operand's base type.
    type Base<L: BaseType>: BaseType;
}

/// Comparison and logic: the result is a boolean.
pub struct Predicate;
impl BinaryKind for Predicate {
    type Base<L: BaseType> = Bool;
}

/// Arithmetic: the result has the left operand's type.
pub struct Arithmetic;
impl BinaryKind for Arithmetic {
    type Base<L: BaseType> = L;
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

/// `l <op> r`, its result typed by `K`; NULL if either side is NULL.
pub struct Binary<L, R, K> {
    pub(crate) l: L,
    pub(crate) r: R,
    pub(crate) op: BinOp,
    pub(crate) _k: Ghost<K>,
}

impl<L, R, K> Binary<L, R, K> {
    pub(crate) fn new(l: L, op: BinOp, r: R) -> Self {
        Binary {
            l,
            r,
            op,
            _k: Ghost::default(),
        }
    }
}

/// `l op r`; `integers` says whether the left side is an integer, so that MySQL divides as the
/// others do (not generic: compiled once rather than per operand types).
fn lower_bin(l: SeaExpr, op: BinOp, r: SeaExpr, integers: bool, b: Backend) -> SeaExpr {
    if op == BinOp::Div && integers && b == Backend::MySql {
        // MySQL's `/` is decimal division; `DIV` truncates toward zero as PostgreSQL's and
        // SQLite's integer `/` do.
        return l.binary(BinOper::Custom("DIV"), r);
    }
    match op {
        BinOp::Eq => l.eq(r),
        BinOp::Ne => l.ne(r),
        BinOp::Lt => l.lt(r),
        BinOp::Le => l.lte(r),
        BinOp::Gt => l.gt(r),
        BinOp::Ge => l.gte(r),
        BinOp::And => l.and(r),
        BinOp::Or => l.or(r),
        BinOp::Add => l.add(r),
        BinOp::Sub => l.sub(r),
        BinOp::Mul => l.mul(r),
        BinOp::Div => l.div(r),
        BinOp::Rem => l.modulo(r),
    }
}

impl<L: Expression, R: Expression, K: BinaryKind> Expression for Binary<L, R, K> {
    type SqlType = <<NullOf<L::SqlType> as NullFlag>::Or<NullOf<R::SqlType>> as NullFlag>::Apply<
        K::Base<BaseOf<L::SqlType>>,
    >;
    type Table = <L::Table as TableHint>::Or<R::Table>;
    type Agg = <L::Agg as AggKind>::With<R::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        let integers = matches!(
            <BaseOf<L::SqlType> as BaseType>::KIND,
            SqlKind::SmallInt | SqlKind::Integer | SqlKind::BigInt
        );
        lower_bin(self.l.lower(b), self.op, self.r.lower(b), integers, b)
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        s.num(self.op as u64);
        self.l.shape(b, s);
        self.r.shape(b, s);
    }
}

impl<S, L, R, K, IL, IR> ValidIn<S, (IL, IR)> for Binary<L, R, K>
where
    L: ValidIn<S, IL>,
    R: ValidIn<S, IR>,
    K: BinaryKind,
{
    type Null = <L::Null as NullFlag>::Or<R::Null>;
    type Cols = Both<L::Cols, R::Cols>;
    type Key = NoCols;
}

/// How a unary operator types its result.
pub trait UnaryKind: Send + Sync + 'static {
    /// Base type of the result.
    type Base<T: BaseType>: BaseType;
    /// Nullability of the result.
    type Null<N: NullFlag>: NullFlag;
    /// Lowers the operator applied to `e`.
    fn lower(e: SeaExpr) -> SeaExpr;
}

/// `NOT e`
pub struct NotOp;
impl UnaryKind for NotOp {
    type Base<T: BaseType> = Bool;
    type Null<N: NullFlag> = N;
    fn lower(e: SeaExpr) -> SeaExpr {
        e.not()
    }
}

/// `e IS NULL`: never NULL itself.
pub struct IsNullOp;
impl UnaryKind for IsNullOp {
    type Base<T: BaseType> = Bool;
    type Null<N: NullFlag> = NotNull;
    fn lower(e: SeaExpr) -> SeaExpr {
        e.is_null()
    }
}

/// `e IS NOT NULL`: never NULL itself.
pub struct IsNotNullOp;
impl UnaryKind for IsNotNullOp {
    type Base<T: BaseType> = Bool;
    type Null<N: NullFlag> = NotNull;
    fn lower(e: SeaExpr) -> SeaExpr {
        e.is_not_null()
    }
}

/// `-e` (as `0 - e`: sea-query has no unary minus).
pub struct NegOp;
impl UnaryKind for NegOp {
    type Base<T: BaseType> = T;
    type Null<N: NullFlag> = N;
    fn lower(e: SeaExpr) -> SeaExpr {
        SeaExpr::Constant(0i32.into()).sub(e)
    }
}

/// A unary operator applied to `e`.
pub struct Unary<E, K> {
    pub(crate) e: E,
    pub(crate) _k: Ghost<K>,
}

impl<E, K> Unary<E, K> {
    pub(crate) fn new(e: E) -> Self {
        Unary {
            e,
            _k: Ghost::default(),
        }
    }
}

impl<E: Expression, K: UnaryKind> Expression for Unary<E, K> {
    type SqlType = <K::Null<NullOf<E::SqlType>> as NullFlag>::Apply<K::Base<BaseOf<E::SqlType>>>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        K::lower(self.e.lower(b))
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        self.e.shape(b, s);
    }
}

impl<S, E: ValidIn<S, I>, K: UnaryKind, I> ValidIn<S, I> for Unary<E, K> {
    type Null = K::Null<E::Null>;
    type Cols = E::Cols;
    type Key = NoCols;
}

/// `e [NOT] LIKE pattern`, `e [NOT] ILIKE pattern`.
pub struct Like<E, P> {
    pub(crate) e: E,
    pub(crate) pattern: P,
    pub(crate) case_insensitive: bool,
    pub(crate) negated: bool,
    /// Set by `contains`/`starts_with`/`ends_with`: the text searched for, unescaped.
    pub(crate) literal: Option<Literal>,
}

/// A literal search: where the text must occur.
pub(crate) enum Literal {
    /// Anywhere (`contains`).
    Anywhere(String),
    /// At the start (`starts_with`).
    Start(String),
    /// At the end (`ends_with`).
    End(String),
}

impl Literal {
    /// SQLite's LIKE reads text up to its first NUL: the search compares the bytes instead
    /// (`instr`, `substr` of the text as a BLOB, which count bytes and see every one).
    fn sqlite(&self, e: SeaExpr) -> SeaExpr {
        let blob = |e: SeaExpr| -> SeaExpr { Func::cast_as(e, Alias::new("BLOB")).into() };
        let value = |s: &str| blob(SeaExpr::Value(s.into()));
        let instr = |e: SeaExpr, s: &str| -> SeaExpr {
            Func::cust("instr").args([blob(e), value(s)]).into()
        };
        let int = |n: i32| SeaExpr::Constant(n.into());
        match self {
            Literal::Anywhere(s) => instr(e, s).gt(int(0)),
            Literal::End(s) if s.is_empty() => instr(e, s).gt(int(0)),
            Literal::Start(s) => instr(e, s).eq(int(1)),
            Literal::End(s) => {
                let bytes = i64::try_from(s.len()).unwrap_or(i64::MAX);
                // `substr` of an empty BLOB is NULL, not an empty BLOB: compare only when the
                // text is long enough (NULL text stays NULL).
                let long_enough = SeaExpr::from(Func::cust("length").arg(blob(e.clone())))
                    .gte(SeaExpr::Value(bytes.into()));
                let tail = SeaExpr::from(
                    Func::cust("substr").args([blob(e), SeaExpr::Value((-bytes).into())]),
                );
                long_enough.and(tail.eq(value(s)))
            }
        }
    }
}

/// The escape character of every LIKE pattern azoth renders.
pub(crate) const LIKE_ESCAPE: char = '!';

/// Escapes `%`, `_` and `!` (the escape character of every LIKE azoth renders) in `s`, so that
/// it matches only itself inside a `like`/`ilike` pattern.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// let pattern = format!("%{}%", escape_like("50%_off!"));
/// assert_eq!(pattern, "%50!%!_off!!%");
/// let q = select(User::id).filter(User::name.ilike(pattern));
/// assert!(q.to_sql(Backend::Postgres).0.ends_with(r#""user"."name" ILIKE $1 ESCAPE '!'"#));
/// ```
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if c == '%' || c == '_' || c == LIKE_ESCAPE {
            out.push(LIKE_ESCAPE);
        }
        out.push(c);
    }
    out
}

impl<E: Expression, P: Expression> Expression for Like<E, P> {
    type SqlType =
        <<NullOf<E::SqlType> as NullFlag>::Or<NullOf<P::SqlType>> as NullFlag>::Apply<Bool>;
    type Table = <E::Table as TableHint>::Or<P::Table>;
    type Agg = <E::Agg as AggKind>::With<P::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        let (l, p) = (self.e.lower(b), self.pattern.lower(b));
        if let (Some(literal), Backend::Sqlite, false) = (&self.literal, b, self.case_insensitive) {
            let found = literal.sqlite(l);
            return if self.negated { found.not() } else { found };
        }
        let not = if self.negated { "NOT " } else { "" };
        if self.case_insensitive && b == Backend::Postgres {
            // sea-query would parenthesize `pattern ESCAPE '!'` after ILIKE.
            let template = format!("$1 {not}ILIKE $2 ESCAPE '{LIKE_ESCAPE}'");
            return SeaExpr::cust_with_exprs(template, [l, p]);
        }
        // No ILIKE outside PostgreSQL: compare lower-cased sides.
        let (l, p) = if self.case_insensitive {
            (Func::lower(l).into(), Func::lower(p).into())
        } else {
            (l, p)
        };
        // Every LIKE takes the same escape character: no backend's default applies.
        let escaped = SeaExpr::Binary(
            Box::new(p),
            BinOper::Escape,
            Box::new(SeaExpr::Constant(LIKE_ESCAPE.into())),
        );
        let op = if self.negated {
            BinOper::NotLike
        } else {
            BinOper::Like
        };
        l.binary(op, escaped)
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        if self.literal.is_some() && b == Backend::Sqlite && !self.case_insensitive {
            // SQLite compares a literal's bytes: its text follows the literal.
            s.uncacheable();
            return;
        }
        s.ty::<Self>();
        s.num(u64::from(self.negated) | u64::from(self.case_insensitive) << 1);
        self.e.shape(b, s);
        self.pattern.shape(b, s);
    }
}

impl<S, E: ValidIn<S, IE>, P: ValidIn<S, IP>, IE, IP> ValidIn<S, (IE, IP)> for Like<E, P> {
    type Null = <E::Null as NullFlag>::Or<P::Null>;
    type Cols = Both<E::Cols, P::Cols>;
    type Key = NoCols;
}

/// `e [NOT] IN (items...)`; an empty list is false (`IN`) or true (`NOT IN`).
pub struct InList<E, X> {
    pub(crate) e: E,
    pub(crate) items: Vec<X>,
    pub(crate) negated: bool,
}

impl<E: Expression, X: Expression> Expression for InList<E, X> {
    type SqlType =
        <<NullOf<E::SqlType> as NullFlag>::Or<NullOf<X::SqlType>> as NullFlag>::Apply<Bool>;
    type Table = <E::Table as TableHint>::Or<X::Table>;
    type Agg = <E::Agg as AggKind>::With<X::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        if self.items.is_empty() {
            // `IN ()` is not SQL; an empty list matches nothing.
            return super::truth(self.negated);
        }
        let items = self.items.iter().map(|x| x.lower(b));
        let l = self.e.lower(b);
        let r = SeaExpr::Tuple(items.collect());
        l.binary(
            if self.negated {
                BinOper::NotIn
            } else {
                BinOper::In
            },
            r,
        )
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        s.num(u64::from(self.negated));
        s.num(self.items.len() as u64);
        if self.items.is_empty() {
            return;
        }
        self.e.shape(b, s);
        for x in &self.items {
            x.shape(b, s);
        }
    }
}

impl<S, E: ValidIn<S, IE>, X: ValidIn<S, IX>, IE, IX> ValidIn<S, (IE, IX)> for InList<E, X> {
    type Null = <E::Null as NullFlag>::Or<X::Null>;
    type Cols = Both<E::Cols, X::Cols>;
    type Key = NoCols;
}

/// `e [NOT] BETWEEN lo AND hi`
pub struct Between<E, A, B> {
    pub(crate) e: E,
    pub(crate) lo: A,
    pub(crate) hi: B,
    pub(crate) negated: bool,
}

impl<E: Expression, A: Expression, B: Expression> Expression for Between<E, A, B> {
    type SqlType = <<<NullOf<E::SqlType> as NullFlag>::Or<NullOf<A::SqlType>> as NullFlag>::Or<
        NullOf<B::SqlType>,
    > as NullFlag>::Apply<Bool>;
    type Table = <<E::Table as TableHint>::Or<A::Table> as TableHint>::Or<B::Table>;
    type Agg = <<E::Agg as AggKind>::With<A::Agg> as AggKind>::With<B::Agg>;
    fn lower(&self, b: Backend) -> SeaExpr {
        let (e, lo, hi) = (self.e.lower(b), self.lo.lower(b), self.hi.lower(b));
        if self.negated {
            e.not_between(lo, hi)
        } else {
            e.between(lo, hi)
        }
    }
    fn shape(&self, b: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        s.num(u64::from(self.negated));
        self.e.shape(b, s);
        self.lo.shape(b, s);
        self.hi.shape(b, s);
    }
}

impl<S, E, A, B, IE, IA, IB> ValidIn<S, (IE, IA, IB)> for Between<E, A, B>
where
    E: ValidIn<S, IE>,
    A: ValidIn<S, IA>,
    B: ValidIn<S, IB>,
{
    type Null = <<E::Null as NullFlag>::Or<A::Null> as NullFlag>::Or<B::Null>;
    type Cols = Both<E::Cols, Both<A::Cols, B::Cols>>;
    type Key = NoCols;
}

crate::__expression_impls!(impl[L, R, K,] Binary<L, R, K>);
crate::__expression_impls!(impl[E, K,] Unary<E, K>);
crate::__expression_impls!(impl[E, P,] Like<E, P>);
crate::__expression_impls!(impl[E, X,] InList<E, X>);
crate::__expression_impls!(impl[E, A, B,] Between<E, A, B>);
