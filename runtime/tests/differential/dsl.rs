//! The random queries as azoth queries, built at run time from boxed expressions, and run.

use azoth::IntoExpr;
use azoth::expr::Bind;
use azoth::expr::aggregate::{NoColumns, Plain};
use azoth::prelude::*;
use azoth::sql_types::{Integer, Nullable, Text};
use azoth::stmt::order::Ordered;
use azoth::{Backend, Value};

use super::ast::Query;
use super::ast::*;
use super::data::{Cell, Item, Part, Row, avg_cell, int_cell, item_row, part_row};

/// A boxed expression over `item` of base type `T`: required or nullable, with columns
/// (`Plain`) or only bound values (`NoColumns`), so that both kinds can be combined.
pub enum D<T: azoth::sql_types::BaseType> {
    NP(Boxed<Item, T, Plain>),
    QP(Boxed<Item, Nullable<T>, Plain>),
    NC(Boxed<Item, T, NoColumns>),
    QC(Boxed<Item, Nullable<T>, NoColumns>),
}

/// Puts a boxed expression in its [`D`] variant.
pub trait Wrap<T: azoth::sql_types::BaseType> {
    fn wrap(self) -> D<T>;
}

macro_rules! wraps {
    ($($ty:ty => $v:ident;)*) => {$(
        impl Wrap<Integer> for $ty { fn wrap(self) -> D<Integer> { D::$v(self) } }
    )*};
}
wraps! {
    Boxed<Item, Integer, Plain> => NP;
    Boxed<Item, Nullable<Integer>, Plain> => QP;
    Boxed<Item, Integer, NoColumns> => NC;
    Boxed<Item, Nullable<Integer>, NoColumns> => QC;
}

/// Runs `$body` with `$x` bound to the boxed expression in whichever variant `$d` is.
macro_rules! four {
    ($d:expr, |$x:ident| $body:expr) => {
        match $d {
            D::NP($x) => $body,
            D::QP($x) => $body,
            D::NC($x) => $body,
            D::QC($x) => $body,
        }
    };
}

/// `$l op $r`, of one type for every operator.
macro_rules! cmp_raw {
    ($l:expr, $op:expr, $r:expr) => {
        match $op {
            Cmp::Eq => $l.eq($r),
            Cmp::Ne => $l.ne($r),
            Cmp::Lt => $l.lt($r),
            Cmp::Le => $l.le($r),
            Cmp::Gt => $l.gt($r),
            Cmp::Ge => $l.ge($r),
        }
    };
}

fn lit_int(v: Option<i32>) -> Bind<Nullable<Integer>> {
    Bind::new(Value::from(v))
}

pub fn int(e: &Int) -> D<Integer> {
    match e {
        Int::A => D::NP(Item::a.boxed_expr()),
        Int::B => D::QP(Item::b.boxed_expr()),
        Int::Len(StrCol::S) => D::NP(length(Item::s).boxed_expr()),
        Int::Len(StrCol::T) => D::QP(length(Item::t).boxed_expr()),
        Int::Lit(v) => D::NC(v.into_expr().boxed_expr()),
        Int::Null => D::QC(lit_int(None).boxed_expr()),
        Int::Bin(l, op, r) => {
            let (l, r) = (int(l), int(r));
            four!(l, |x| four!(r, |y| match op {
                Arith::Add => x.add(y).boxed_expr::<Item, _>().wrap(),
                Arith::Sub => x.sub(y).boxed_expr::<Item, _>().wrap(),
                Arith::Mul => x.mul(y).boxed_expr::<Item, _>().wrap(),
            }))
        }
        Int::Div(l, rem, d) => four!(int(l), |x| if *rem {
            x.rem(*d).boxed_expr::<Item, _>().wrap()
        } else {
            x.div(*d).boxed_expr::<Item, _>().wrap()
        }),
        Int::Neg(e) => four!(int(e), |x| x.neg().boxed_expr::<Item, _>().wrap()),
        Int::Coalesce(l, r) => {
            let (l, r) = (int(l), int(r));
            four!(l, |x| four!(r, |y| coalesce(x, y)
                .boxed_expr::<Item, _>()
                .wrap()))
        }
    }
}

pub fn text(e: &Str) -> D<Text> {
    match e {
        Str::Col(StrCol::S) => D::NP(Item::s.boxed_expr()),
        Str::Col(StrCol::T) => D::QP(Item::t.boxed_expr()),
        Str::Lit(s) => D::NC(s.clone().into_expr().boxed_expr()),
        Str::Null => D::QC(Bind::<Nullable<Text>>::new(Value::from(None::<String>)).boxed_expr()),
    }
}

pub fn pred(p: &Pred) -> Boxed<Item> {
    match p {
        Pred::CmpInt(l, op, r) => {
            let (l, r) = (int(l), int(r));
            four!(l, |x| four!(r, |y| cmp_raw!(x, op, y).boxed()))
        }
        Pred::CmpStr(l, op, r) => {
            let (l, r) = (text(l), text(r));
            four!(l, |x| four!(r, |y| cmp_raw!(x, op, y).boxed()))
        }
        Pred::IntIsNull(e, negated) => four!(int(e), |x| if *negated {
            x.is_not_null().boxed()
        } else {
            x.is_null().boxed()
        }),
        Pred::StrIsNull(e, negated) => four!(text(e), |x| if *negated {
            x.is_not_null().boxed()
        } else {
            x.is_null().boxed()
        }),
        Pred::Like(e, op, arg) => four!(text(e), |x| match op {
            LikeOp::Contains => x.contains(arg).boxed(),
            LikeOp::StartsWith => x.starts_with(arg).boxed(),
            LikeOp::EndsWith => x.ends_with(arg).boxed(),
            LikeOp::Like => x.like(arg.clone()).boxed(),
            LikeOp::NotLike => x.not_like(arg.clone()).boxed(),
            LikeOp::ILike => x.ilike(arg.clone()).boxed(),
            LikeOp::NotILike => x.not_ilike(arg.clone()).boxed(),
        }),
        Pred::In(e, items, negated) => {
            let items = items.iter().map(|v| lit_int(*v));
            four!(int(e), |x| if *negated {
                x.not_in(items).boxed()
            } else {
                x.in_(items).boxed()
            })
        }
        Pred::Between(e, lo, hi, negated) => {
            let (lo, hi) = (lit_int(*lo), lit_int(*hi));
            four!(int(e), |x| if *negated {
                x.not_between(lo, hi).boxed()
            } else {
                x.between(lo, hi).boxed()
            })
        }
        Pred::InParts(SubLhs::Id, pp, negated) => {
            let mut sub = select(Part::item_id);
            if let Some(pp) = pp {
                sub = sub.filter(ppred(pp));
            }
            if *negated {
                Item::id.not_in_query(sub).boxed()
            } else {
                Item::id.in_query(sub).boxed()
            }
        }
        Pred::InParts(SubLhs::Int(e), pp, negated) => four!(int(e), |x| {
            let mut sub = select(Part::n);
            if let Some(pp) = pp {
                sub = sub.filter(ppred(pp));
            }
            if *negated {
                x.not_in_query(sub).boxed()
            } else {
                x.in_query(sub).boxed()
            }
        }),
        Pred::Exists(pp) => {
            let mut sub = select(Part::id);
            if let Some(pp) = pp {
                sub = sub.filter(ppred(pp));
            }
            exists(sub).boxed()
        }
        Pred::And(l, r) => pred(l).and(pred(r)).boxed(),
        Pred::Or(l, r) => pred(l).or(pred(r)).boxed(),
        Pred::Not(p) => pred(p).not().boxed(),
        Pred::All(ps) => and_all(ps.iter().map(pred)),
        Pred::Any(ps) => or_any(ps.iter().map(pred)),
    }
}

pub fn ppred(p: &PPred) -> Boxed<Part> {
    match p {
        PPred::N(op, v) => cmp_raw!(Part::n, op, *v).boxed(),
        PPred::ItemIdIsNull(true) => Part::item_id.is_not_null().boxed(),
        PPred::ItemIdIsNull(false) => Part::item_id.is_null().boxed(),
        PPred::And(l, r) => ppred(l).and(ppred(r)).boxed(),
        PPred::Or(l, r) => ppred(l).or(ppred(r)).boxed(),
        PPred::Not(p) => ppred(p).not().boxed(),
    }
}

fn term<E: Expression>(e: E, desc: bool, nulls_first: Option<bool>) -> Ordered<E> {
    let t = if desc { e.desc() } else { e.asc() };
    match nulls_first {
        None => t,
        Some(true) => t.nulls_first(),
        Some(false) => t.nulls_last(),
    }
}

/// Adds the ORDER BY terms `$order` (over `item`) to `$q`.
macro_rules! order_by {
    ($q:ident, $order:expr) => {
        for o in $order {
            $q = match o.key {
                OrdKey::Int(ref e) => {
                    four!(int(e), |x| $q.order_by(term(x, o.desc, o.nulls_first)))
                }
                OrdKey::S => $q.order_by(term(Item::s, o.desc, o.nulls_first)),
            };
        }
    };
}

/// Adds LIMIT/OFFSET `$page` to `$q`.
macro_rules! page {
    ($q:ident, $page:expr) => {
        if let Some(n) = $page.limit {
            $q = $q.limit(n);
        }
        if let Some(n) = $page.offset {
            $q = $q.offset(n);
        }
    };
}

/// What one backend did with one query.
#[derive(Debug)]
pub struct Got {
    pub backend: Backend,
    pub sql: String,
    pub values: String,
    pub rows: Result<Vec<Row>, String>,
}

/// Renders and runs `$query` on `$engine`, each row converted with `$conv`.
macro_rules! fetch {
    ($engine:expr, $query:expr, |$r:pat_param| $conv:expr) => {{
        let engine: &Engine = $engine;
        let q = $query;
        let (sql, values) = q.to_sql(engine.backend());
        let rows = engine
            .session()
            .all(q)
            .await
            .map(|rows| rows.into_iter().map(|$r| $conv).collect::<Vec<Row>>())
            .map_err(|e| format!("{e} [{e:?}]"));
        Got {
            backend: engine.backend(),
            sql,
            values: format!("{:?}", values.0),
            rows,
        }
    }};
}

fn s_cell(s: String) -> Cell {
    Cell::S(Some(s))
}

/// The aggregates of `arg`: COUNT, SUM, MIN, MAX.
macro_rules! aggs {
    ($arg:expr) => {
        (
            four!(int($arg), |x| count(x).boxed_expr::<Item, _>()),
            four!(int($arg), |x| sum(x).boxed_expr::<Item, _>()),
            four!(int($arg), |x| min(x).boxed_expr::<Item, _>()),
            four!(int($arg), |x| max(x).boxed_expr::<Item, _>()),
        )
    };
}

/// HAVING `$h` on `$q` (aggregates of `$arg`).
macro_rules! having_one {
    ($q:expr, $h:expr, $arg:expr) => {
        match $h {
            Having::Count(op, n) => $q.having(cmp_raw!(count_all(), op, *n)),
            Having::Sum(op, n) => $q.having(cmp_raw!(
                four!(int($arg), |x| sum(x).boxed_expr::<Item, _>()),
                op,
                *n
            )),
        }
    };
}

/// HAVING `$having` on `$q` (aggregates of `$arg`).
macro_rules! having {
    ($q:expr, $having:expr, $arg:expr) => {
        match $having {
            None => $q,
            Some(h) => having_one!($q, h, $arg),
        }
    };
}

/// A grouped aggregate query over key column `$key`.
macro_rules! grouped {
    ($engine:expr, $key:expr, $arg:expr, $pred:expr, $having:expr, $desc:expr, $nulls:expr, $page:expr, |$k:ident| $kconv:expr) => {{
        let (c, s, lo, hi) = aggs!($arg);
        let texts = (
            count(Item::t),
            min(Item::s),
            max(Item::s),
            four!(int($arg), |x| avg(x).boxed_expr::<Item, _>()),
        );
        let q = select(($key, count_all(), c, s, lo, hi, texts))
            .filter(pred($pred))
            .group_by($key);
        let mut q = having!(q, $having, $arg).order_by(term($key, $desc, $nulls));
        page!(q, $page);
        fetch!($engine, q, |(
            $k,
            n,
            c,
            s,
            lo,
            hi,
            (tc, smin, smax, mean),
        )| vec![
            $kconv,
            Cell::I(Some(n)),
            Cell::I(Some(c)),
            int_cell(s),
            int_cell(lo),
            int_cell(hi),
            Cell::I(Some(tc)),
            Cell::S(smin),
            Cell::S(smax),
            avg_cell(mean)
        ])
    }};
}

/// The rows of a join: item id and `a`, part id and `n`.
macro_rules! join_query {
    ($engine:expr, $join:ident, $pred:expr, $ppred:expr, $cross:expr, $order:expr, $page:expr) => {{
        let mut q = select((Item::id, Item::a, Part::id, Part::n))
            .$join(Part::TABLE.on(Part::item_id.eq(Item::id)))
            .filter(pred($pred));
        if let Some(pp) = $ppred {
            q = q.filter(ppred(pp));
        }
        if let Some(op) = $cross {
            q = q.filter(cmp_raw!(Part::n, op, Item::a));
        }
        order_by!(q, $order);
        let mut q = q.order_by((Item::id.asc(), Part::id.asc()));
        page!(q, $page);
        fetch!($engine, q, |(i, a, p, n)| vec![
            Cell::I(Some(i)),
            int_cell(a),
            Cell::I(p.into()),
            int_cell(n)
        ])
    }};
}

/// Per-item aggregates of its parts over a join.
macro_rules! join_agg {
    ($engine:expr, $join:ident, $pred:expr, $ppred:expr, $having:expr) => {{
        let mut q = select((
            Item::id,
            count(Part::id),
            sum(Part::n),
            min(Part::n),
            max(Part::n),
        ))
        .$join(Part::TABLE.on(Part::item_id.eq(Item::id)))
        .filter(pred($pred));
        if let Some(pp) = $ppred {
            q = q.filter(ppred(pp));
        }
        let q = q.group_by(Item::id);
        let q = match $having {
            None => q,
            Some((op, n)) => q.having(cmp_raw!(count(Part::id), op, *n)),
        }
        .order_by(Item::id);
        fetch!($engine, q, |(i, c, s, lo, hi)| vec![
            Cell::I(Some(i)),
            Cell::I(Some(c)),
            int_cell(s),
            int_cell(lo),
            int_cell(hi)
        ])
    }};
}

/// Runs the write `$stmt` on `$engine`, then reads back every row of `$table` with `$conv`.
macro_rules! write {
    ($engine:expr, $stmt:expr, $model:ident, $conv:expr) => {{
        let engine: &Engine = $engine;
        let stmt = $stmt;
        let (sql, values) = stmt.to_sql(engine.backend());
        let mut s = engine.session();
        let rows = async {
            let n = s.execute(stmt).await?;
            let all = s.all($model::select().order_by($model::id)).await?;
            let mut out = vec![vec![Cell::I(Some(n as i64))]];
            out.extend(all.iter().map($conv));
            Ok::<_, azoth::Error>(out)
        }
        .await
        .map_err(|e| format!("{e} [{e:?}]"));
        Got {
            backend: engine.backend(),
            sql,
            values: format!("{:?}", values.0),
            rows,
        }
    }};
}

/// Runs `q` on `engine`.
pub async fn run(engine: &Engine, q: &Query) -> Got {
    match q {
        Query::Update { set, pred: p } => four!(int(set), |x| write!(
            engine,
            update(Item::TABLE).set(Item::b, x).filter(pred(p)),
            Item, item_row
        )),
        Query::DeleteParts { pred } => write!(
            engine,
            delete(Part::TABLE).filter(ppred(pred)),
            Part, part_row
        ),
        Query::Rows {
            pred: p,
            order,
            page,
        } => {
            let mut q = Item::select().filter(pred(p));
            order_by!(q, order);
            let mut q = q.order_by(Item::id);
            page!(q, page);
            fetch!(engine, q, |i| item_row(&i))
        }
        Query::Exprs {
            sel,
            pred: p,
            order,
            page,
        } => {
            four!(int(sel), |x| {
                let mut q = select((Item::id, x)).filter(pred(p));
                order_by!(q, order);
                let mut q = q.order_by(Item::id);
                page!(q, page);
                fetch!(engine, q, |(i, v)| vec![Cell::I(Some(i)), int_cell(v)])
            })
        }
        Query::Agg {
            key,
            arg,
            pred: p,
            having,
            desc,
            nulls_first,
            page,
        } => match key {
            Some(GroupKey::A) => grouped!(
                engine,
                Item::a,
                arg,
                p,
                having,
                *desc,
                *nulls_first,
                page,
                |k| int_cell(k)
            ),
            Some(GroupKey::B) => grouped!(
                engine,
                Item::b,
                arg,
                p,
                having,
                *desc,
                *nulls_first,
                page,
                |k| int_cell(k)
            ),
            Some(GroupKey::S) => grouped!(
                engine,
                Item::s,
                arg,
                p,
                having,
                *desc,
                *nulls_first,
                page,
                |k| s_cell(k)
            ),
            None => {
                let (c, s, lo, hi) = aggs!(arg);
                let texts = (
                    count(Item::t),
                    min(Item::s),
                    max(Item::s),
                    four!(int(arg), |x| avg(x).boxed_expr::<Item, _>()),
                );
                let q = select((count_all(), c, s, lo, hi, texts)).filter(pred(p));
                type Texts = (i64, Option<String>, Option<String>, Option<f64>);
                let conv = |(n, c, s, lo, hi, (tc, smin, smax, mean)): (
                    i64,
                    i64,
                    Option<i32>,
                    Option<i32>,
                    Option<i32>,
                    Texts,
                )| {
                    vec![
                        Cell::I(Some(n)),
                        Cell::I(Some(c)),
                        int_cell(s),
                        int_cell(lo),
                        int_cell(hi),
                        Cell::I(Some(tc)),
                        Cell::S(smin),
                        Cell::S(smax),
                        avg_cell(mean),
                    ]
                };
                match having {
                    None => {
                        let mut q = q;
                        page!(q, page);
                        fetch!(engine, q, |r| conv(r))
                    }
                    Some(h) => {
                        let mut q = having_one!(q, h, arg);
                        page!(q, page);
                        fetch!(engine, q, |r| conv(r))
                    }
                }
            }
        },
        Query::Join {
            left,
            pred: p,
            ppred: pp,
            cross,
            order,
            page,
        } => {
            if *left {
                join_query!(engine, left_join, p, pp, cross, order, page)
            } else {
                join_query!(engine, join, p, pp, cross, order, page)
            }
        }
        Query::Distinct {
            pred: p,
            desc,
            nulls_first,
            page,
        } => {
            let mut q = select((Item::b, Item::s))
                .distinct()
                .filter(pred(p))
                .order_by((term(Item::b, *desc, *nulls_first), Item::s.asc()));
            page!(q, page);
            fetch!(engine, q, |(b, s)| vec![int_cell(b), s_cell(s)])
        }
        Query::JoinAgg {
            left,
            pred: p,
            ppred: pp,
            having,
        } => {
            if *left {
                join_agg!(engine, left_join, p, pp, having)
            } else {
                join_agg!(engine, join, p, pp, having)
            }
        }
    }
}
