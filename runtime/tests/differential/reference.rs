//! The reference: each query evaluated over the rows in memory, with SQL's three-valued logic
//! (a comparison with NULL is unknown, NOT unknown is unknown, WHERE keeps only true).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use azoth::Backend;

use super::ast::*;
use super::data::{Cell, Dataset, Item, Part, Row, avg_cell, int_cell, item_row, part_row};

fn arith(l: i64, op: Arith, r: i64) -> i64 {
    match op {
        Arith::Add => l + r,
        Arith::Sub => l - r,
        Arith::Mul => l * r,
    }
}

fn col(c: StrCol, i: &Item) -> Option<String> {
    match c {
        StrCol::S => Some(i.s.clone()),
        StrCol::T => i.t.clone(),
    }
}

pub fn int(e: &Int, i: &Item) -> Option<i64> {
    match e {
        Int::A => Some(i.a.into()),
        Int::B => i.b.map(i64::from),
        Int::Len(c) => col(*c, i).map(|s| s.chars().count() as i64),
        Int::Lit(v) => Some((*v).into()),
        Int::Null => None,
        Int::Bin(l, op, r) => Some(arith(int(l, i)?, *op, int(r, i)?)),
        // Rust's `/` and `%` truncate toward zero, as SQL's integer division does.
        Int::Div(l, rem, d) => int(l, i).map(|v| {
            if *rem {
                v % i64::from(*d)
            } else {
                v / i64::from(*d)
            }
        }),
        Int::Neg(e) => int(e, i).map(|v| -v),
        Int::Coalesce(l, r) => int(l, i).or_else(|| int(r, i)),
    }
}

fn text(e: &Str, i: &Item) -> Option<String> {
    match e {
        Str::Col(c) => col(*c, i),
        Str::Lit(s) => Some(s.clone()),
        Str::Null => None,
    }
}

fn compare<T: Ord>(l: Option<T>, op: Cmp, r: Option<T>) -> Option<bool> {
    let o = l?.cmp(&r?);
    Some(match op {
        Cmp::Eq => o == Ordering::Equal,
        Cmp::Ne => o != Ordering::Equal,
        Cmp::Lt => o == Ordering::Less,
        Cmp::Le => o != Ordering::Greater,
        Cmp::Gt => o == Ordering::Greater,
        Cmp::Ge => o != Ordering::Less,
    })
}

fn and(l: Option<bool>, r: Option<bool>) -> Option<bool> {
    match (l, r) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or(l: Option<bool>, r: Option<bool>) -> Option<bool> {
    match (l, r) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn not(v: Option<bool>) -> Option<bool> {
    v.map(|b| !b)
}

/// SQL LIKE without an escape character: `%` any run, `_` one character.
/// SQL's LIKE with azoth's `ESCAPE '!'`: `!x` matches `x` itself.
fn like(text: &[char], pat: &[char]) -> bool {
    match pat.split_first() {
        None => text.is_empty(),
        Some(('!', [c, rest @ ..])) => text.first() == Some(c) && like(&text[1..], rest),
        Some(('%', rest)) => (0..=text.len()).any(|k| like(&text[k..], rest)),
        Some(('_', rest)) => !text.is_empty() && like(&text[1..], rest),
        Some((c, rest)) => text.first() == Some(c) && like(&text[1..], rest),
    }
}

fn matches(text: &str, op: LikeOp, arg: &str) -> bool {
    let chars = |s: &str| s.chars().collect::<Vec<_>>();
    match op {
        LikeOp::Contains => text.contains(arg),
        LikeOp::StartsWith => text.starts_with(arg),
        LikeOp::EndsWith => text.ends_with(arg),
        LikeOp::Like => like(&chars(text), &chars(arg)),
        LikeOp::NotLike => !like(&chars(text), &chars(arg)),
        LikeOp::ILike => like(&chars(&text.to_lowercase()), &chars(&arg.to_lowercase())),
        LikeOp::NotILike => !like(&chars(&text.to_lowercase()), &chars(&arg.to_lowercase())),
    }
}

/// `v [NOT] IN (items)`: an empty list (or subquery) is false for IN and true for NOT IN,
/// whatever `v` is.
fn in_values(
    v: Option<i64>,
    items: impl Iterator<Item = Option<i64>>,
    negated: bool,
) -> Option<bool> {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return Some(negated);
    }
    let found = items.map(|x| compare(v, Cmp::Eq, x)).fold(Some(false), or);
    if negated { not(found) } else { found }
}

pub fn pred(p: &Pred, i: &Item, parts: &[Part]) -> Option<bool> {
    match p {
        Pred::CmpInt(l, op, r) => compare(int(l, i), *op, int(r, i)),
        Pred::CmpStr(l, op, r) => compare(text(l, i), *op, text(r, i)),
        Pred::IntIsNull(e, negated) => Some(int(e, i).is_none() != *negated),
        Pred::StrIsNull(e, negated) => Some(text(e, i).is_none() != *negated),
        Pred::Like(e, op, arg) => text(e, i).map(|t| matches(&t, *op, arg)),
        Pred::In(e, items, negated) => {
            in_values(int(e, i), items.iter().map(|v| v.map(i64::from)), *negated)
        }
        Pred::InParts(lhs, pp, negated) => {
            let chosen = parts.iter().filter(|p| {
                pp.as_ref()
                    .is_none_or(|pp| ppred(pp, Some(p)) == Some(true))
            });
            match lhs {
                SubLhs::Id => in_values(Some(i.id), chosen.map(|p| p.item_id), *negated),
                SubLhs::Int(e) => {
                    in_values(int(e, i), chosen.map(|p| Some(i64::from(p.n))), *negated)
                }
            }
        }
        Pred::Exists(pp) => Some(parts.iter().any(|p| {
            pp.as_ref()
                .is_none_or(|pp| ppred(pp, Some(p)) == Some(true))
        })),
        Pred::Between(e, lo, hi, negated) => {
            let v = int(e, i);
            let inside = and(
                compare(lo.map(i64::from), Cmp::Le, v),
                compare(v, Cmp::Le, hi.map(i64::from)),
            );
            if *negated { not(inside) } else { inside }
        }
        Pred::And(l, r) => and(pred(l, i, parts), pred(r, i, parts)),
        Pred::Or(l, r) => or(pred(l, i, parts), pred(r, i, parts)),
        Pred::Not(p) => not(pred(p, i, parts)),
        Pred::All(ps) => ps.iter().map(|p| pred(p, i, parts)).fold(Some(true), and),
        Pred::Any(ps) => ps.iter().map(|p| pred(p, i, parts)).fold(Some(false), or),
    }
}

fn ppred(p: &PPred, part: Option<&Part>) -> Option<bool> {
    match p {
        PPred::N(op, v) => compare(part.map(|p| i64::from(p.n)), *op, Some(i64::from(*v))),
        PPred::ItemIdIsNull(negated) => Some(part.and_then(|p| p.item_id).is_none() != *negated),
        PPred::And(l, r) => and(ppred(l, part), ppred(r, part)),
        PPred::Or(l, r) => or(ppred(l, part), ppred(r, part)),
        PPred::Not(p) => not(ppred(p, part)),
    }
}

/// Whether NULLs come first for a term without NULLS FIRST/LAST: PostgreSQL sorts NULL as the
/// largest value, SQLite and MySQL as the smallest.
fn default_nulls_first(backend: Backend, desc: bool) -> bool {
    match backend {
        Backend::Postgres => desc,
        Backend::MySql | Backend::Sqlite => !desc,
    }
}

/// Compares two sort keys of one term.
fn cmp_key(a: &Cell, b: &Cell, desc: bool, nulls_first: bool) -> Ordering {
    let null = |c: &Cell| matches!(c, Cell::I(None) | Cell::S(None));
    match (null(a), null(b)) {
        (true, true) => Ordering::Equal,
        (true, false) if nulls_first => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, true) if nulls_first => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) if desc => b.cmp(a),
        (false, false) => a.cmp(b),
    }
}

fn key(k: &OrdKey, i: &Item) -> Cell {
    match k {
        OrdKey::Int(e) => Cell::I(int(e, i)),
        OrdKey::S => Cell::S(Some(i.s.clone())),
    }
}

/// Sorts `rows` by the terms `order` (evaluated on each row's item), then by `tail`.
fn sort<T>(
    rows: &mut [T],
    backend: Backend,
    order: &[Order],
    item: impl Fn(&T) -> &Item,
    tail: impl Fn(&T, &T) -> Ordering,
) {
    rows.sort_by(|x, y| {
        order
            .iter()
            .map(|o| {
                let nf = o
                    .nulls_first
                    .unwrap_or_else(|| default_nulls_first(backend, o.desc));
                cmp_key(&key(&o.key, item(x)), &key(&o.key, item(y)), o.desc, nf)
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| tail(x, y))
    });
}

fn paginate<T>(rows: Vec<T>, page: Page) -> Vec<T> {
    let offset = page.offset.unwrap_or(0) as usize;
    let limit = page.limit.map_or(usize::MAX, |n| n as usize);
    rows.into_iter().skip(offset).take(limit).collect()
}

fn filtered<'a>(data: &'a Dataset, p: &Pred) -> Vec<&'a Item> {
    data.items
        .iter()
        .filter(|i| pred(p, i, &data.parts) == Some(true))
        .collect()
}

/// COUNT(x), SUM(x), MIN(x), MAX(x) of `values`.
fn aggregates(values: impl Iterator<Item = Option<i64>>) -> [Cell; 4] {
    let v: Vec<i64> = values.flatten().collect();
    [
        Cell::I(Some(v.len() as i64)),
        Cell::I((!v.is_empty()).then(|| v.iter().sum())),
        Cell::I(v.iter().min().copied()),
        Cell::I(v.iter().max().copied()),
    ]
}

/// The expected rows of `q` over `data` on `backend`.
pub fn eval(q: &Query, data: &Dataset, backend: Backend) -> Vec<Row> {
    match q {
        Query::Rows { pred, order, page } => {
            let mut rows = filtered(data, pred);
            sort(&mut rows, backend, order, |i| i, |x, y| x.id.cmp(&y.id));
            paginate(rows, *page).into_iter().map(item_row).collect()
        }
        Query::Exprs {
            sel,
            pred,
            order,
            page,
        } => {
            let mut rows = filtered(data, pred);
            sort(&mut rows, backend, order, |i| i, |x, y| x.id.cmp(&y.id));
            paginate(rows, *page)
                .into_iter()
                .map(|i| vec![Cell::I(Some(i.id)), Cell::I(int(sel, i))])
                .collect()
        }
        Query::Agg {
            key,
            arg,
            pred,
            having,
            desc,
            nulls_first,
            page,
        } => {
            let mut groups: BTreeMap<Cell, Vec<&Item>> = BTreeMap::new();
            let rows = filtered(data, pred);
            if key.is_none() {
                groups.insert(Cell::I(None), Vec::new());
            }
            for i in rows {
                let k = match key {
                    None => Cell::I(None),
                    Some(GroupKey::A) => int_cell(i.a),
                    Some(GroupKey::B) => int_cell(i.b),
                    Some(GroupKey::S) => Cell::S(Some(i.s.clone())),
                };
                groups.entry(k).or_default().push(i);
            }
            let mut out: Vec<(Cell, Row)> = Vec::new();
            for (k, items) in groups {
                let count = items.len() as i64;
                let aggs = aggregates(items.iter().map(|i| int(arg, i)));
                let keep = match having {
                    None => Some(true),
                    Some(Having::Count(op, n)) => compare(Some(count), *op, Some(*n)),
                    Some(Having::Sum(op, n)) => {
                        let Cell::I(sum) = aggs[1] else {
                            unreachable!()
                        };
                        compare(sum, *op, Some(i64::from(*n)))
                    }
                };
                if keep != Some(true) {
                    continue;
                }
                let mut row = Vec::new();
                if key.is_some() {
                    row.push(k.clone());
                }
                row.push(Cell::I(Some(count)));
                row.extend(aggs);
                row.push(Cell::I(Some(
                    items.iter().filter(|i| i.t.is_some()).count() as i64,
                )));
                row.push(Cell::S(items.iter().map(|i| i.s.clone()).min()));
                row.push(Cell::S(items.iter().map(|i| i.s.clone()).max()));
                let v: Vec<i64> = items.iter().filter_map(|i| int(arg, i)).collect();
                row.push(avg_cell(
                    (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64),
                ));
                out.push((k, row));
            }
            let nf = nulls_first.unwrap_or_else(|| default_nulls_first(backend, *desc));
            out.sort_by(|x, y| cmp_key(&x.0, &y.0, *desc, nf));
            paginate(out, *page).into_iter().map(|(_, r)| r).collect()
        }
        Query::Join {
            left,
            pred,
            ppred: pp,
            cross,
            order,
            page,
        } => {
            let mut rows: Vec<(&Item, Option<&Part>)> = Vec::new();
            for i in &data.items {
                let mine: Vec<&Part> = data
                    .parts
                    .iter()
                    .filter(|p| p.item_id == Some(i.id))
                    .collect();
                if mine.is_empty() && *left {
                    rows.push((i, None));
                }
                rows.extend(mine.into_iter().map(|p| (i, Some(p))));
            }
            rows.retain(|(i, p)| {
                let mut ok = self::pred(pred, i, &data.parts);
                if let Some(pp) = pp {
                    ok = and(ok, ppred(pp, *p));
                }
                if let Some(op) = cross {
                    ok = and(
                        ok,
                        compare(p.map(|p| i64::from(p.n)), *op, Some(i64::from(i.a))),
                    );
                }
                ok == Some(true)
            });
            sort(
                &mut rows,
                backend,
                order,
                |r| r.0,
                |x, y| (x.0.id, x.1.map(|p| p.id)).cmp(&(y.0.id, y.1.map(|p| p.id))),
            );
            paginate(rows, *page)
                .into_iter()
                .map(|(i, p)| {
                    vec![
                        Cell::I(Some(i.id)),
                        int_cell(i.a),
                        Cell::I(p.map(|p| p.id)),
                        int_cell(p.map(|p| p.n)),
                    ]
                })
                .collect()
        }
        Query::Update { set, pred } => {
            let mut changed = 0;
            let mut rows = Vec::new();
            for i in &data.items {
                let mut i = i.clone();
                if self::pred(pred, &i, &data.parts) == Some(true) {
                    changed += 1;
                    i.b = int(set, &i).map(|v| i32::try_from(v).unwrap());
                }
                rows.push(item_row(&i));
            }
            let mut out = vec![vec![Cell::I(Some(changed))]];
            out.extend(rows);
            out
        }
        Query::DeleteParts { pred } => {
            let (gone, kept): (Vec<&Part>, Vec<&Part>) = data
                .parts
                .iter()
                .partition(|p| ppred(pred, Some(p)) == Some(true));
            let mut out = vec![vec![Cell::I(Some(gone.len() as i64))]];
            out.extend(kept.into_iter().map(part_row));
            out
        }
        Query::Distinct {
            pred,
            desc,
            nulls_first,
            page,
        } => {
            let mut rows: Vec<(Cell, Cell)> = filtered(data, pred)
                .into_iter()
                .map(|i| (int_cell(i.b), Cell::S(Some(i.s.clone()))))
                .collect();
            rows.sort();
            rows.dedup();
            let nf = nulls_first.unwrap_or_else(|| default_nulls_first(backend, *desc));
            rows.sort_by(|x, y| cmp_key(&x.0, &y.0, *desc, nf).then_with(|| x.1.cmp(&y.1)));
            paginate(rows, *page)
                .into_iter()
                .map(|(b, s)| vec![b, s])
                .collect()
        }
        Query::JoinAgg {
            left,
            pred,
            ppred: pp,
            having,
        } => {
            let mut out = Vec::new();
            for i in &data.items {
                if self::pred(pred, i, &data.parts) != Some(true) {
                    continue;
                }
                let mut mine: Vec<Option<&Part>> = data
                    .parts
                    .iter()
                    .filter(|p| p.item_id == Some(i.id))
                    .map(Some)
                    .collect();
                if mine.is_empty() && *left {
                    mine.push(None);
                }
                if let Some(pp) = pp {
                    mine.retain(|p| ppred(pp, *p) == Some(true));
                }
                if mine.is_empty() {
                    continue;
                }
                let [count, sum, min, max] =
                    aggregates(mine.iter().map(|p| p.map(|p| i64::from(p.n))));
                let count_ids = mine.iter().filter(|p| p.is_some()).count() as i64;
                debug_assert_eq!(count, Cell::I(Some(count_ids)));
                if let Some((op, n)) = having
                    && compare(Some(count_ids), *op, Some(*n)) != Some(true)
                {
                    continue;
                }
                out.push(vec![Cell::I(Some(i.id)), count, sum, min, max]);
            }
            out
        }
    }
}
