//! The random queries: a small AST that `dsl.rs` turns into azoth queries and `reference.rs`
//! evaluates over the rows in memory, and the proptest strategies that generate it.

use proptest::prelude::*;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// An arithmetic operator (`/` and `%` are [`Int::Div`], by a nonzero literal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
}

/// A text column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrCol {
    /// `item.s`: lowercase letters, never NULL.
    S,
    /// `item.t`: letters and LIKE metacharacters, nullable.
    T,
}

/// An integer expression over `item`.
#[derive(Clone, Debug)]
pub enum Int {
    /// `item.a` (never NULL).
    A,
    /// `item.b` (nullable).
    B,
    /// `length(col)`.
    Len(StrCol),
    /// A bound integer.
    Lit(i32),
    /// A bound NULL integer.
    Null,
    /// `l op r`.
    Bin(Box<Int>, Arith, Box<Int>),
    /// `l / d` (`rem`: `l % d`) by a nonzero literal: integer division truncating toward zero
    /// (division by zero is an error on PostgreSQL and NULL elsewhere).
    Div(Box<Int>, bool, i32),
    /// `-e`.
    Neg(Box<Int>),
    /// `coalesce(l, r)`.
    Coalesce(Box<Int>, Box<Int>),
}

/// A text expression over `item`.
#[derive(Clone, Debug)]
pub enum Str {
    Col(StrCol),
    /// A bound text.
    Lit(String),
    /// A bound NULL text.
    Null,
}

/// How a text is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikeOp {
    Contains,
    StartsWith,
    EndsWith,
    Like,
    NotLike,
    ILike,
    NotILike,
}

/// A condition over `item`.
#[derive(Clone, Debug)]
pub enum Pred {
    CmpInt(Int, Cmp, Int),
    CmpStr(Str, Cmp, Str),
    IntIsNull(Int, bool),
    StrIsNull(Str, bool),
    Like(Str, LikeOp, String),
    /// `e [NOT] IN (items)`.
    In(Int, Vec<Option<i32>>, bool),
    /// `e [NOT] BETWEEN lo AND hi`.
    Between(Int, Option<i32>, Option<i32>, bool),
    /// `lhs [NOT] IN (SELECT part.item_id | part.n FROM part [WHERE pp])`.
    InParts(SubLhs, Option<PPred>, bool),
    /// `EXISTS (SELECT part.id FROM part [WHERE pp])` (uncorrelated).
    Exists(Option<PPred>),
    And(Box<Pred>, Box<Pred>),
    Or(Box<Pred>, Box<Pred>),
    Not(Box<Pred>),
    All(Vec<Pred>),
    Any(Vec<Pred>),
}

/// The left side of an IN subquery over `part`.
#[derive(Clone, Debug)]
pub enum SubLhs {
    /// `item.id IN (SELECT part.item_id ..)`: a nullable column in the subquery.
    Id,
    /// `expr IN (SELECT part.n ..)`.
    Int(Int),
}

/// A condition over `part` (NULL columns when a LEFT JOIN found no part).
#[derive(Clone, Debug)]
pub enum PPred {
    /// `part.n op lit`.
    N(Cmp, i32),
    /// `part.item_id IS [NOT] NULL`.
    ItemIdIsNull(bool),
    And(Box<PPred>, Box<PPred>),
    Or(Box<PPred>, Box<PPred>),
    Not(Box<PPred>),
}

/// What an ORDER BY term sorts on.
#[derive(Clone, Debug)]
pub enum OrdKey {
    Int(Int),
    /// `item.s` (lowercase letters: the same order under every collation).
    S,
}

/// One ORDER BY term.
#[derive(Clone, Debug)]
pub struct Order {
    pub key: OrdKey,
    pub desc: bool,
    /// `Some(true)`: NULLS FIRST; `Some(false)`: NULLS LAST; `None`: the backend's default.
    pub nulls_first: Option<bool>,
}

/// LIMIT and OFFSET.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// The GROUP BY key of an aggregate query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKey {
    A,
    B,
    S,
}

/// A HAVING condition.
#[derive(Clone, Debug)]
pub enum Having {
    /// `COUNT(*) op n`.
    Count(Cmp, i64),
    /// `SUM(arg) op n`.
    Sum(Cmp, i32),
}

/// One query.
#[derive(Clone, Debug)]
pub enum Query {
    /// `SELECT item.* WHERE pred ORDER BY .., id`.
    Rows {
        pred: Pred,
        order: Vec<Order>,
        page: Page,
    },
    /// `SELECT item.id, expr WHERE pred ORDER BY .., id`.
    Exprs {
        sel: Int,
        pred: Pred,
        order: Vec<Order>,
        page: Page,
    },
    /// `SELECT key, COUNT(*), COUNT(arg), SUM(arg), MIN(arg), MAX(arg), COUNT(t), MIN(s),
    /// MAX(s) WHERE pred GROUP BY key
    /// HAVING .. ORDER BY key`; without a key, the whole table is one group.
    Agg {
        key: Option<GroupKey>,
        arg: Int,
        pred: Pred,
        having: Option<Having>,
        desc: bool,
        nulls_first: Option<bool>,
        page: Page,
    },
    /// `SELECT item.id, item.a, part.id, part.n FROM item [LEFT] JOIN part ON part.item_id =
    /// item.id WHERE pred AND ppred [AND part.n op item.a] ORDER BY .., item.id, part.id`.
    Join {
        left: bool,
        pred: Pred,
        ppred: Option<PPred>,
        cross: Option<Cmp>,
        order: Vec<Order>,
        page: Page,
    },
    /// `SELECT DISTINCT item.b, item.s WHERE pred ORDER BY b, s`.
    Distinct {
        pred: Pred,
        desc: bool,
        nulls_first: Option<bool>,
        page: Page,
    },
    /// `UPDATE item SET b = expr WHERE pred`: the rows it reports, then every item.
    Update { set: Int, pred: Pred },
    /// `DELETE FROM part WHERE pp`: the rows it reports, then every part.
    DeleteParts { pred: PPred },
    /// `SELECT item.id, COUNT(part.id), SUM(part.n), MIN(part.n), MAX(part.n) FROM item [LEFT]
    /// JOIN part .. WHERE pred GROUP BY item.id HAVING .. ORDER BY item.id`.
    JoinAgg {
        left: bool,
        pred: Pred,
        ppred: Option<PPred>,
        having: Option<(Cmp, i64)>,
    },
}

impl Query {
    /// Whether the query changes rows (the next one needs them loaded again).
    pub fn writes(&self) -> bool {
        matches!(self, Query::Update { .. } | Query::DeleteParts { .. })
    }
}

/// Whether OFFSET is generated without LIMIT (issue 8, item 8: a syntax error on SQLite and
/// MariaDB until fixed).
pub const OFFSET_WITHOUT_LIMIT: bool = true;

pub fn cmp() -> impl Strategy<Value = Cmp> {
    prop_oneof![
        Just(Cmp::Eq),
        Just(Cmp::Ne),
        Just(Cmp::Lt),
        Just(Cmp::Le),
        Just(Cmp::Gt),
        Just(Cmp::Ge)
    ]
}

fn str_col() -> impl Strategy<Value = StrCol> {
    prop_oneof![Just(StrCol::S), Just(StrCol::T)]
}

/// Small integers: sums and products of a few rows stay far from overflow.
pub fn small() -> impl Strategy<Value = i32> {
    -4i32..=4
}

pub fn int() -> BoxedStrategy<Int> {
    let leaf = prop_oneof![
        3 => Just(Int::A),
        3 => Just(Int::B),
        1 => str_col().prop_map(Int::Len),
        2 => small().prop_map(Int::Lit),
        1 => Just(Int::Null),
    ];
    leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            3 => (
                inner.clone(),
                prop_oneof![Just(Arith::Add), Just(Arith::Sub), Just(Arith::Mul)],
                inner.clone()
            )
                .prop_map(|(l, op, r)| Int::Bin(Box::new(l), op, Box::new(r))),
            1 => (inner.clone(), any::<bool>(), prop_oneof![-3i32..=-1, 1i32..=3])
                .prop_map(|(l, rem, d)| Int::Div(Box::new(l), rem, d)),
            1 => inner.clone().prop_map(|e| Int::Neg(Box::new(e))),
            1 => (inner.clone(), inner).prop_map(|(l, r)| Int::Coalesce(Box::new(l), Box::new(r))),
        ]
    })
    .boxed()
}

/// Lowercase letters only (ordered comparisons and ORDER BY agree under every collation).
pub fn lower_text() -> impl Strategy<Value = String> {
    "[abc]{0,3}"
}

/// Letters (one of two bytes in UTF-8) and the characters LIKE and azoth's escaping treat
/// specially.
pub fn meta_text() -> impl Strategy<Value = String> {
    r"[abé%_!\\]{0,4}"
}

/// Any text operand; `ordered` keeps to those whose order is the same everywhere.
fn str_operand(ordered: bool) -> BoxedStrategy<Str> {
    if ordered {
        prop_oneof![
            3 => Just(Str::Col(StrCol::S)),
            3 => lower_text().prop_map(Str::Lit),
            1 => Just(Str::Null),
        ]
        .boxed()
    } else {
        prop_oneof![
            2 => str_col().prop_map(Str::Col),
            1 => lower_text().prop_map(Str::Lit),
            1 => meta_text().prop_map(Str::Lit),
            1 => Just(Str::Null),
        ]
        .boxed()
    }
}

fn like_op() -> impl Strategy<Value = LikeOp> {
    prop_oneof![
        Just(LikeOp::Contains),
        Just(LikeOp::StartsWith),
        Just(LikeOp::EndsWith),
        Just(LikeOp::Like),
        Just(LikeOp::NotLike),
        Just(LikeOp::ILike),
        Just(LikeOp::NotILike),
    ]
}

/// The pattern or literal text of a match: literal parts may hold every metacharacter; LIKE
/// patterns (escape character `!` on every backend, a backslash is an ordinary character) do not
/// end with a lone `!` (an error on PostgreSQL, no match elsewhere) and, for case-sensitive LIKE,
/// hold no uppercase (SQLite's LIKE ignores ASCII case).
fn like_arg(op: LikeOp) -> BoxedStrategy<String> {
    let pattern = |chars: &'static str| {
        chars
            .prop_filter("a pattern may not end with a lone escape character", |p| {
                p.chars().rev().take_while(|c| *c == '!').count() % 2 == 0
            })
            .boxed()
    };
    match op {
        LikeOp::Contains | LikeOp::StartsWith | LikeOp::EndsWith => meta_text().boxed(),
        LikeOp::Like | LikeOp::NotLike => pattern("[abé%_!\\\\]{0,4}"),
        LikeOp::ILike | LikeOp::NotILike => pattern("[abéAB%_!\\\\]{0,4}"),
    }
}

pub fn pred() -> BoxedStrategy<Pred> {
    let leaf = prop_oneof![
        4 => (int(), cmp(), int()).prop_map(|(l, op, r)| Pred::CmpInt(l, op, r)),
        2 => (str_operand(true), cmp(), str_operand(true))
            .prop_map(|(l, op, r)| Pred::CmpStr(l, op, r)),
        2 => (str_operand(false), prop_oneof![Just(Cmp::Eq), Just(Cmp::Ne)], str_operand(false))
            .prop_map(|(l, op, r)| Pred::CmpStr(l, op, r)),
        1 => (int(), any::<bool>()).prop_map(|(e, n)| Pred::IntIsNull(e, n)),
        1 => (str_operand(false), any::<bool>()).prop_map(|(e, n)| Pred::StrIsNull(e, n)),
        3 => (str_operand(false), like_op())
            .prop_flat_map(|(e, op)| (Just(e), Just(op), like_arg(op)))
            .prop_map(|(e, op, p)| Pred::Like(e, op, p)),
        1 => (int(), proptest::collection::vec(proptest::option::weighted(0.85, small()), 0..4), any::<bool>())
            .prop_map(|(e, items, n)| Pred::In(e, items, n)),
        1 => (int(), proptest::option::weighted(0.9, small()), proptest::option::weighted(0.9, small()), any::<bool>())
            .prop_map(|(e, lo, hi, n)| Pred::Between(e, lo, hi, n)),
        1 => (
            prop_oneof![Just(SubLhs::Id), int().prop_map(SubLhs::Int)],
            proptest::option::weighted(0.6, ppred()),
            any::<bool>()
        )
            .prop_map(|(lhs, pp, n)| Pred::InParts(lhs, pp, n)),
        1 => proptest::option::weighted(0.8, ppred()).prop_map(Pred::Exists),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            2 => (inner.clone(), inner.clone()).prop_map(|(l, r)| Pred::And(Box::new(l), Box::new(r))),
            2 => (inner.clone(), inner.clone()).prop_map(|(l, r)| Pred::Or(Box::new(l), Box::new(r))),
            2 => inner.clone().prop_map(|p| Pred::Not(Box::new(p))),
            1 => proptest::collection::vec(inner.clone(), 0..4).prop_map(Pred::All),
            1 => proptest::collection::vec(inner, 0..4).prop_map(Pred::Any),
        ]
    })
    .boxed()
}

fn ppred() -> BoxedStrategy<PPred> {
    let leaf = prop_oneof![
        3 => (cmp(), small()).prop_map(|(op, v)| PPred::N(op, v)),
        1 => any::<bool>().prop_map(PPred::ItemIdIsNull),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| PPred::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| PPred::Or(Box::new(l), Box::new(r))),
            inner.prop_map(|p| PPred::Not(Box::new(p))),
        ]
    })
    .boxed()
}

fn nulls() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(true)), Just(Some(false))]
}

/// Whether `e` mentions a column (MariaDB refuses `ORDER BY ?`: "Unknown column '-4'").
pub fn has_column(e: &Int) -> bool {
    match e {
        Int::A | Int::B | Int::Len(_) => true,
        Int::Lit(_) | Int::Null => false,
        Int::Bin(l, _, r) => has_column(l) || has_column(r),
        Int::Neg(e) | Int::Div(e, _, _) => has_column(e),
        Int::Coalesce(l, r) => has_column(l) || has_column(r),
    }
}

fn order() -> impl Strategy<Value = Vec<Order>> {
    let key = prop_oneof![
        3 => int().prop_filter("ORDER BY needs a column", has_column).prop_map(OrdKey::Int),
        1 => Just(OrdKey::S)
    ];
    proptest::collection::vec(
        (key, any::<bool>(), nulls()).prop_map(|(key, desc, nulls_first)| Order {
            key,
            desc,
            nulls_first,
        }),
        0..3,
    )
}

fn page() -> impl Strategy<Value = Page> {
    (
        proptest::option::weighted(0.5, 0u64..8),
        proptest::option::weighted(0.4, 0u64..6),
    )
        .prop_map(|(limit, offset)| {
            let offset = if limit.is_none() && !OFFSET_WITHOUT_LIMIT {
                None
            } else {
                offset
            };
            Page { limit, offset }
        })
}

fn group_key() -> impl Strategy<Value = Option<GroupKey>> {
    prop_oneof![
        1 => Just(None),
        2 => Just(Some(GroupKey::A)),
        2 => Just(Some(GroupKey::B)),
        2 => Just(Some(GroupKey::S)),
    ]
}

fn having() -> impl Strategy<Value = Option<Having>> {
    proptest::option::weighted(
        0.4,
        prop_oneof![
            (cmp(), 0i64..4).prop_map(|(op, n)| Having::Count(op, n)),
            (cmp(), -6i32..=6).prop_map(|(op, n)| Having::Sum(op, n)),
        ],
    )
}

pub fn query() -> BoxedStrategy<Query> {
    prop_oneof![
        3 => (pred(), order(), page()).prop_map(|(pred, order, page)| Query::Rows { pred, order, page }),
        2 => (int(), pred(), order(), page())
            .prop_map(|(sel, pred, order, page)| Query::Exprs { sel, pred, order, page }),
        3 => (group_key(), int(), pred(), having(), any::<bool>(), nulls(), page()).prop_map(
            |(key, arg, pred, having, desc, nulls_first, page)| Query::Agg {
                key,
                arg,
                pred,
                having,
                desc,
                nulls_first,
                page
            }
        ),
        2 => (
            any::<bool>(),
            pred(),
            proptest::option::weighted(0.5, ppred()),
            proptest::option::weighted(0.3, cmp()),
            order(),
            page()
        )
            .prop_map(|(left, pred, ppred, cross, order, page)| Query::Join {
                left,
                pred,
                ppred,
                cross,
                order,
                page
            }),
        1 => (int(), pred()).prop_map(|(set, pred)| Query::Update { set, pred }),
        1 => ppred().prop_map(|pred| Query::DeleteParts { pred }),
        1 => (pred(), any::<bool>(), nulls(), page()).prop_map(|(pred, desc, nulls_first, page)| {
            Query::Distinct {
                pred,
                desc,
                nulls_first,
                page,
            }
        }),
        1 => (
            any::<bool>(),
            pred(),
            proptest::option::weighted(0.4, ppred()),
            proptest::option::weighted(0.3, (cmp(), 0i64..3))
        )
            .prop_map(|(left, pred, ppred, having)| Query::JoinAgg {
                left,
                pred,
                ppred,
                having
            }),
    ]
    .boxed()
}
