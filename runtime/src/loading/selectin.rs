//! `selectin` loading: one `SELECT .. WHERE key IN (..)` per chunk of parent keys.
//!
//! As SQLAlchemy does it: a many-to-one asks for the targets by the foreign-key values the
//! parents hold (no join); a one-to-many asks `WHERE child.fk IN (parent keys)`; a many-to-many
//! joins the association table and carries the parent key in each row.

use std::sync::Arc;

use azoth_dsl::schema::relation::{Cardinality, Relation, RelationKind};
use azoth_dsl::schema::relation::{columns_equal, columns_expr};
use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::stmt::load::{LoadRel, Slot};
use azoth_dsl::{Backend, DecodeRow, Loaded, Model, RowSource};
use sea_query::{Alias, BinOper, Expr, ExprTrait, Order, SelectStatement, Value};

use super::joined_rows::{JoinedReader, Segment};
use super::key::{Key, KeyMap, KeyReader, KeySet, Targets, integer_key, key_of_values};
use super::{JoinedSpecs, Load, joined, render_select, share, slot, slot_owned};
use crate::errors::{Error, Result};
use crate::fetch::{DynRunner, fetch_all_dyn};

/// A loaded target, shared by every parent it belongs to.
type Shared<T, L> = Arc<Loaded<T, L>>;

/// No parent: the end of a chain in [`ParentsByKey`].
const NONE: usize = usize::MAX;

/// The parents holding each key: the first one by key, the next ones chained by index (a key
/// is usually held by one parent, by several for a many-to-one).
struct ParentsByKey {
    first: KeyMap<Key, usize>,
    next: Vec<usize>,
}

impl ParentsByKey {
    /// Indexes `keys` (one per parent); returns the index and whether each key is new.
    fn new(keys: &[Option<Key>]) -> (Self, Vec<bool>) {
        let mut first = KeyMap::with_capacity_and_hasher(keys.len(), Default::default());
        let mut last: Vec<usize> = vec![NONE; keys.len()];
        let mut next = vec![NONE; keys.len()];
        let mut new = vec![false; keys.len()];
        for (p, k) in keys.iter().enumerate() {
            let Some(k) = k else { continue };
            match first.get(k) {
                Some(&head) => {
                    // Append after the chain's last parent, kept in `last[head]`.
                    if let Some(l) = last.get_mut(head) {
                        let tail = if *l == NONE { head } else { *l };
                        *l = p;
                        if let Some(n) = next.get_mut(tail) {
                            *n = p;
                        }
                    }
                }
                None => {
                    first.insert(k.clone(), p);
                    if let Some(n) = new.get_mut(p) {
                        *n = true;
                    }
                }
            }
        }
        (ParentsByKey { first, next }, new)
    }

    /// The first parent holding `key`, or [`NONE`].
    fn head(&self, key: &Key) -> usize {
        self.first.get(key).copied().unwrap_or(NONE)
    }

    /// The parents chained from `head` (the first parent of a key).
    fn chain(&self, head: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors((head != NONE).then_some(head), |&p| {
            let n = self.next.get(p).copied().unwrap_or(NONE);
            (n != NONE).then_some(n)
        })
    }
}

/// `table.col IN (..)`, or a row-value IN for a composite key: `(a, b) IN ((?, ?), ..)`, which
/// SQLite spells `(a, b) IN (VALUES (?, ?), ..)`; on PostgreSQL a single-column key is one array
/// bind, `table.col IN (SELECT UNNEST($1))`. Every value is bound.
fn keys_in(table: &str, cols: &[&'static str], keys: &[Vec<Value>], backend: Backend) -> Expr {
    if let [col] = cols {
        let column = Expr::col((Alias::new(table), Alias::new(*col)));
        #[cfg(feature = "postgres")]
        if backend == Backend::Postgres
            && let Some(array) = super::pg_array::of_keys(keys)
        {
            // `IN (SELECT UNNEST($1))`, not `= ANY($1)`: once PostgreSQL switches the prepared
            // statement to its generic plan (after five runs), `= ANY($1)` compares each row with
            // the whole array, where the subquery is hashed.
            return column.binary(
                BinOper::In,
                // sea-query puts the parentheses around the right side of IN.
                Expr::cust_with_exprs("SELECT UNNEST($1)", [Expr::val(array)]),
            );
        }
        let values = keys.iter().filter_map(|k| k.first().cloned());
        return column.is_in(values);
    }
    let rows = keys.iter().map(|k| Expr::Values(k.clone()));
    let lhs = columns_expr(table, cols);
    match backend {
        Backend::Sqlite => {
            let marks = vec!["?"; keys.len()].join(", ");
            lhs.binary(
                BinOper::In,
                Expr::cust_with_exprs(format!("VALUES {marks}"), rows),
            )
        }
        _ => lhs.binary(BinOper::In, Expr::Tuple(rows.collect())),
    }
}

/// How many keys one query asks for: the size the user set, else all of them where they go in
/// one array bind (a single-column key on PostgreSQL), else 500 per `IN (..)` list.
fn chunk_len<R: Relation, N>(
    option: &LoadRel<R, N>,
    cols: &[&str],
    keys: &[Vec<Value>],
    backend: Backend,
) -> usize {
    if let Some(set) = option.chunk_size_set() {
        return set;
    }
    #[cfg(feature = "postgres")]
    if backend == Backend::Postgres
        && cols.len() == 1
        && super::pg_array::element_type(keys).is_some()
    {
        return keys.len().max(1);
    }
    let _ = (cols, keys, backend);
    option.chunk()
}

/// The SELECT of the target rows whose key columns hold one of `keys`.
fn targets_query<R: Relation, N>(
    option: &LoadRel<R, N>,
    keys: &[Vec<Value>],
    backend: Backend,
    sorts_here: bool,
) -> SelectStatement {
    let spec = R::SPEC;
    let table = <R::To as Model>::TABLE_NAME;
    let mut q = SelectStatement::new();
    for c in <R::To as Model>::META.columns {
        q.expr(Expr::col((table, c.name)));
    }
    q.from(table);
    match spec.through {
        Some(through) => {
            for c in through.parent_cols {
                q.expr(Expr::col((through.table, *c)));
            }
            q.inner_join(
                through.table,
                columns_equal(through.table, through.target_cols, table, spec.target_cols),
            );
            q.and_where(keys_in(through.table, through.parent_cols, keys, backend));
        }
        None => {
            q.and_where(keys_in(table, spec.target_cols, keys, backend));
        }
    }
    for f in option.filters() {
        q.and_where(f.lower_dyn(backend));
    }
    for o in option.order() {
        o.add_to(&mut q, o.expr.lower_dyn(backend));
    }
    if !sorted_here::<R, N>(option, sorts_here) {
        for c in <R::To as Model>::META.primary_key() {
            q.order_by((table, c.name), Order::Asc);
        }
    }
    q
}

/// The integer primary key rows of `R`'s target are put in order by, here rather than by the
/// server, when the option declares no order of its own (and, the caller decides, nothing is
/// joined under it): sorting one integer per row costs less than the server's sort of whole
/// rows (PostgreSQL sorted 10 000 comments in 2.5 of the query's 5.6 ms), and integers order the
/// same on both sides. `None` when the server orders the rows.
fn client_order_key<R: Relation, N>(option: &LoadRel<R, N>) -> Option<&'static str> {
    if !option.order().is_empty() {
        return None;
    }
    integer_key(<R::To as Model>::META)
}

/// Whether [`client_order_key`] orders the rows (then the query has no ORDER BY of its own).
fn sorted_here<R: Relation, N>(option: &LoadRel<R, N>, sorts_here: bool) -> bool {
    sorts_here && client_order_key(option).is_some()
}

pub(super) async fn load<M, R, N>(
    option: &LoadRel<R, N>,
    runner: &mut dyn DynRunner,
    parents: &[M],
) -> Result<Vec<Slot<R, Loaded<R::To, N::Rels>>>>
where
    M: Model,
    R: Relation,
    R::To: DecodeRow,
    N: Load<R::To>,
{
    let spec = R::SPEC;
    let parent_key = KeyReader::new::<M>(spec.parent_cols);
    let parent_keys: Vec<Option<Key>> = parents.iter().map(|p| parent_key.read(p)).collect();

    // Distinct non-NULL keys, in first-seen order, as values to bind.
    let (by_key, new) = ParentsByKey::new(&parent_keys);
    let values: Vec<Vec<Value>> = parents
        .iter()
        .zip(new)
        .filter(|(_, new)| *new)
        .filter_map(|(p, _)| p.values_of(spec.parent_cols))
        .collect();

    // A many-to-many row carries the parent key it belongs to after the target's columns.
    let parent_kinds: Vec<SqlKind> = match spec.kind {
        RelationKind::ManyToMany => spec
            .parent_cols
            .iter()
            .map(|c| {
                M::META.column(c).map(|c| c.kind).ok_or_else(|| {
                    Error::Unsupported(format!("relationship `{}`: no column `{c}`", spec.name))
                })
            })
            .collect::<Result<_>>()?,
        _ => Vec::new(),
    };

    // Options joined under this one come in the same statement.
    let backend = runner.dyn_backend();
    let key_cols = spec.through.map_or(spec.target_cols, |t| t.parent_cols);
    let table = <R::To as Model>::TABLE_NAME;
    let mut specs = JoinedSpecs::new(std::iter::once(table).chain(spec.through.map(|t| t.table)));
    option.nested().joined_specs(backend, table, &mut specs);

    // Distinct targets (a tag shared by two posts is loaded once), each (target, group key)
    // pair once, then the nested options on those targets.
    let mut targets = Targets::<R::To>::new();
    let mut row_target: Vec<(usize, Key)> = Vec::new();
    let mut links: KeySet<(usize, Key)> = KeySet::default();
    // The key rows are put in order by here (see `client_order_key`): all of them for a
    // many-to-many, each parent's own otherwise (fewer rows to move).
    let pk_cols = client_order_key(option).map(|pk| [pk]);
    let order_key = pk_cols.as_ref().map(|pk| KeyReader::new::<R::To>(pk));
    let mut sort_each_parent = false;
    let nested = if specs.is_empty() {
        let target_key = KeyReader::new::<R::To>(spec.target_cols);
        for chunk in values.chunks(chunk_len(option, key_cols, &values, backend)) {
            let rendered = render_select(&targets_query(option, chunk, backend, true), backend);
            if parent_kinds.is_empty() {
                // A target row of a relationship other than many-to-many comes once: it goes
                // straight to the targets, with its key (each parent's rows are put in order
                // by `by_head`).
                let (rows, row_target, target_key) =
                    (&mut targets.rows, &mut row_target, &target_key);
                let mut each = |src: &mut dyn RowSource| {
                    let target = <R::To as DecodeRow>::decode_row(src)?;
                    if let Some(k) = target_key.read(&target) {
                        row_target.push((rows.len(), k));
                        rows.push(target);
                    }
                    Ok(())
                };
                runner.fetch_each(rendered, usize::MAX, &mut each).await?;
                sort_each_parent = order_key.is_some();
                continue;
            }
            let kinds = &parent_kinds;
            let mut fetched = fetch_all_dyn(runner, rendered, move |src| {
                let target = <R::To as DecodeRow>::decode_row(src)?;
                let parent = kinds
                    .iter()
                    .map(|k| src.next_value(*k))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                Ok((target, key_of_values(&parent)))
            })
            .await?;
            if let Some(pk) = &order_key {
                fetched.sort_by_cached_key(|(t, _)| sort_key(pk, t));
            }
            for (t, k) in fetched {
                let Some(k) = k else { continue };
                // A many-to-many returns a target once per link; a duplicated link row lists
                // it once.
                let (i, _) = targets.add(t);
                if links.insert((i, k.clone())) {
                    row_target.push((i, k));
                }
            }
        }
        option.nested().load(runner, &targets.rows).await?
    } else {
        // Segments: the target's columns, a many-to-many row's parent key, then the joined
        // options' columns.
        let m2m = !parent_kinds.is_empty();
        let mut segments = vec![Segment::of::<R::To>()];
        if m2m {
            segments.push(Segment::plain(parent_kinds.clone()));
        }
        segments.extend(specs.as_slice().iter().map(joined::JoinedSpec::segment));
        let mut reader = JoinedReader::new(segments, usize::MAX);
        for chunk in values.chunks(chunk_len(option, key_cols, &values, backend)) {
            let mut q = targets_query(option, chunk, backend, false);
            joined::attach(&mut q, specs.as_slice(), true);
            let rendered = render_select(&q, backend);
            let r = &mut reader;
            fetch_all_dyn(runner, rendered, move |src| r.read(src)).await?;
        }
        let read = reader.finish();
        let decoded: Vec<R::To> = read.take(0)?.decode()?;
        let link_keys = if m2m { Some(read.take(1)?) } else { None };
        let target_keys: Vec<Option<Key>> = match &link_keys {
            Some(_) => Vec::new(),
            None => {
                let target_key = KeyReader::new::<R::To>(spec.target_cols);
                decoded.iter().map(|t| target_key.read(t)).collect()
            }
        };
        let target_rows = read.group(0..read.rows(), 0, decoded.len());
        for row in 0..read.rows() {
            let Some(i) = read.cell(row, 0) else { continue };
            let key = match &link_keys {
                Some(parents) => read.cell(row, 1).and_then(|l| parents.key(l)),
                None => target_keys.get(i).cloned().flatten(),
            };
            let Some(key) = key else { continue };
            if links.insert((i, key.clone())) {
                row_target.push((i, key));
            }
        }
        let first = if m2m { 2 } else { 1 };
        let (nested, _) = option
            .nested()
            .load_joined(runner, &decoded, &read, &target_rows, first)
            .await?;
        targets.rows = decoded;
        nested
    };

    // The first parent of each row's key, reusing the previous row's when the key repeats
    // (children of one parent often come together).
    let mut resolved: Vec<(usize, usize)> = Vec::with_capacity(row_target.len());
    let mut last: Option<(Key, usize)> = None;
    for (i, key) in row_target {
        let head = match &last {
            Some((k, head)) if *k == key => *head,
            _ => {
                let head = by_key.head(&key);
                last = Some((key, head));
                head
            }
        };
        if head != NONE {
            resolved.push((i, head));
        }
    }
    let once = spec.kind != RelationKind::ManyToMany;
    // A target row of a relationship other than many-to-many comes once, in order.
    if once && resolved.windows(2).all(|w| w[0].0 < w[1].0) {
        return by_head::<R, _, _>(
            &by_key,
            resolved,
            targets.rows,
            nested,
            &parent_keys,
            order_key.as_ref().filter(|_| sort_each_parent),
        );
    }
    let mut counts = vec![0usize; parents.len()];
    for &(_, head) in &resolved {
        for p in by_key.chain(head) {
            if let Some(n) = counts.get_mut(p) {
                *n += 1;
            }
        }
    }
    let mut found: Vec<Vec<Shared<R::To, N::Rels>>> =
        counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    // A target row of a relationship other than many-to-many comes once: the last parent
    // holding its key takes it instead of a copy.
    let mut loaded: Vec<Option<Shared<R::To, N::Rels>>> =
        share(targets.rows, nested).into_iter().map(Some).collect();
    for (i, head) in resolved {
        let Some(slot) = loaded.get_mut(i) else {
            continue;
        };
        let mut chain = by_key.chain(head).peekable();
        while let Some(p) = chain.next() {
            let t = if once && chain.peek().is_none() {
                slot.take()
            } else {
                slot.clone()
            };
            if let (Some(t), Some(f)) = (t, found.get_mut(p)) {
                f.push(t);
            }
        }
    }

    if let Some(pk) = order_key.as_ref().filter(|_| sort_each_parent) {
        for list in &mut found {
            list.sort_by_cached_key(|t| sort_key(pk, &***t));
        }
    }
    found
        .into_iter()
        .zip(parent_keys)
        .map(|(found, k)| slot::<R, _>(found, || format!("{k:?}")))
        .collect()
}

/// How the targets `T` of relationship `R` are stored for one parent.
type Stored<R, T> = <<R as Relation>::Card as Cardinality>::Data<T>;

/// Where a row sorts by the integer key `pk` reads (`client_order_key`): a row whose key is not
/// an integer (which an integer column cannot give) sorts last.
fn sort_key<M: Model>(pk: &KeyReader<'_>, row: &M) -> (u8, i64) {
    match pk.read(row) {
        Some(Key::Int(i)) => (0, i),
        _ => (1, 0),
    }
}

/// The slots of the parents when each target goes to one key: the targets of a key (listed
/// under its first parent in `resolved`, `(target, head)` pairs in increasing target order)
/// are stored once, handed over (`Cardinality::from_run`: a `has_many` keeps them in one
/// allocation), and the parents holding that key share them; `sort`, when given, puts each
/// key's targets in order by that integer key. A parent whose key found nothing gets an empty
/// slot, or [`Error::MissingRelated`] where a target is required.
fn by_head<R: Relation, M: Model + Send + Sync, L: Send + Sync + 'static>(
    by_key: &ParentsByKey,
    resolved: Vec<(usize, usize)>,
    rows: Vec<M>,
    nested: Vec<L>,
    parent_keys: &[Option<Key>],
    sort: Option<&KeyReader<'_>>,
) -> Result<Vec<Slot<R, Loaded<M, L>>>> {
    let mut data: Vec<Option<Stored<R, Loaded<M, L>>>> =
        (0..parent_keys.len()).map(|_| None).collect();
    let mut store = |head: usize, stored: Option<Stored<R, Loaded<M, L>>>| {
        let Some(stored) = stored else { return };
        for p in by_key.chain(head) {
            if let Some(d) = data.get_mut(p) {
                *d = Some(stored.clone());
            }
        }
    };
    let by_pk = |m: &M| sort.map_or((0, 0), |pk| sort_key(pk, m));
    match runs(&resolved, rows.len(), parent_keys.len()) {
        // Each key's targets in one stretch (the rows came grouped by key, as an index on the
        // key column gives them): each stretch moves once, into its key's storage.
        Some(runs) => {
            let (mut rows, mut nested) = (rows.into_iter(), nested.into_iter());
            for (head, len) in runs {
                let in_order = sort.is_none()
                    || rows
                        .as_slice()
                        .get(..len)
                        .is_some_and(|run| run.is_sorted_by_key(by_pk));
                let run = rows
                    .by_ref()
                    .take(len)
                    .zip(nested.by_ref().take(len))
                    .map(|(t, n)| Loaded::new(t, n));
                store(
                    head,
                    if in_order {
                        <R::Card as Cardinality>::from_run(run)
                    } else {
                        let mut run: Vec<_> = run.collect();
                        run.sort_by_cached_key(|t| by_pk(t));
                        <R::Card as Cardinality>::from_owned(run)
                    },
                );
            }
        }
        // Keys' targets interleaved: gathered per key first.
        None => {
            let mut counts = vec![0usize; parent_keys.len()];
            for &(_, head) in &resolved {
                if let Some(n) = counts.get_mut(head) {
                    *n += 1;
                }
            }
            let mut per_head: Vec<Vec<Loaded<M, L>>> =
                counts.iter().map(|&n| Vec::with_capacity(n)).collect();
            let mut targets = rows
                .into_iter()
                .zip(nested)
                .map(|(t, n)| Loaded::new(t, n))
                .enumerate();
            for (i, head) in resolved {
                let t = targets.by_ref().find(|(j, _)| *j == i).map(|(_, t)| t);
                if let (Some(t), Some(list)) = (t, per_head.get_mut(head)) {
                    list.push(t);
                }
            }
            for (head, mut found) in per_head.into_iter().enumerate() {
                if found.is_empty() {
                    continue;
                }
                if sort.is_some() && !found.is_sorted_by_key(|t| by_pk(t)) {
                    found.sort_by_cached_key(|t| by_pk(t));
                }
                store(head, <R::Card as Cardinality>::from_owned(found));
            }
        }
    }
    data.into_iter()
        .zip(parent_keys)
        .map(|(stored, k)| match stored {
            Some(stored) => Ok(Slot::new(stored)),
            None => slot_owned::<R, Loaded<M, L>>(Vec::new(), || format!("{k:?}")),
        })
        .collect()
}

/// The stretches `(head, length)` of `resolved` when every one of the `targets` is in it, in
/// order, and each head's targets come in one stretch; `None` otherwise.
fn runs(resolved: &[(usize, usize)], targets: usize, heads: usize) -> Option<Vec<(usize, usize)>> {
    if resolved.len() != targets {
        return None;
    }
    let mut seen = vec![false; heads];
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (k, &(i, head)) in resolved.iter().enumerate() {
        if i != k {
            return None;
        }
        match runs.last_mut() {
            Some((h, len)) if *h == head => *len += 1,
            _ => {
                let seen = seen.get_mut(head)?;
                if std::mem::replace(seen, true) {
                    return None;
                }
                runs.push((head, 1));
            }
        }
    }
    Some(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_found_only_when_each_head_comes_in_one_stretch() {
        // Targets 0..5 under heads 3, 3, 0, 7, 7.
        let grouped = [(0, 3), (1, 3), (2, 0), (3, 7), (4, 7)];
        assert_eq!(runs(&grouped, 5, 8), Some(vec![(3, 2), (0, 1), (7, 2)]));
        // Head 3 again after head 0: gathered per head instead.
        let interleaved = [(0, 3), (1, 0), (2, 3)];
        assert_eq!(runs(&interleaved, 3, 8), None);
        // A target without a parent (not in `resolved`) leaves a gap.
        assert_eq!(runs(&[(0, 3), (2, 3)], 3, 8), None);
        assert_eq!(runs(&[(0, 3), (1, 3)], 3, 8), None);
        // A head out of range is not a stretch of a parent.
        assert_eq!(runs(&[(0, 9)], 1, 8), None);
        assert_eq!(runs(&[], 0, 8), Some(vec![]));
    }

    fn render_where(cols: &[&'static str], backend: Backend) -> (String, usize) {
        let keys = vec![
            vec![Value::from("north"), Value::from(1i64)],
            vec![Value::from("south"), Value::from(2i64)],
        ];
        let mut q = SelectStatement::new();
        q.column(Alias::new("x"))
            .from(Alias::new("t"))
            .and_where(keys_in("t", cols, &keys, backend));
        let r = render_select(&q, backend);
        (r.0, r.1.0.len())
    }

    #[test]
    fn composite_keys_ask_with_a_row_value_in_and_bind_every_part() {
        let (pg, n) = render_where(&["store", "no"], Backend::Postgres);
        assert_eq!(
            pg,
            r#"SELECT "x" FROM "t" WHERE ("t"."store", "t"."no") IN (($1, $2), ($3, $4))"#
        );
        assert_eq!(n, 4);
        let (my, _) = render_where(&["store", "no"], Backend::MySql);
        assert_eq!(
            my,
            "SELECT `x` FROM `t` WHERE (`t`.`store`, `t`.`no`) IN ((?, ?), (?, ?))"
        );
        let (lite, n) = render_where(&["store", "no"], Backend::Sqlite);
        assert_eq!(
            lite,
            r#"SELECT "x" FROM "t" WHERE ("t"."store", "t"."no") IN (VALUES (?, ?), (?, ?))"#
        );
        assert_eq!(n, 4);
        let (one, n) = render_where(&["store"], Backend::Sqlite);
        assert_eq!(one, r#"SELECT "x" FROM "t" WHERE "t"."store" IN (?, ?)"#);
        assert_eq!(n, 2);
    }
}

#[cfg(all(test, feature = "postgres"))]
mod array_tests {
    use sea_query::{PostgresQueryBuilder, Query};

    use super::*;

    fn rendered(keys: &[Vec<Value>], cols: &[&'static str], backend: Backend) -> (String, usize) {
        let mut q = Query::select();
        q.expr(Expr::col("id"))
            .from("post")
            .and_where(keys_in("post", cols, keys, backend));
        let (sql, values) = match backend {
            Backend::Postgres => q.build(PostgresQueryBuilder),
            Backend::MySql => q.build(sea_query::MysqlQueryBuilder),
            Backend::Sqlite => q.build(sea_query::SqliteQueryBuilder),
        };
        (sql, values.0.len())
    }

    fn ids(n: i64) -> Vec<Vec<Value>> {
        (1..=n).map(|i| vec![Value::BigInt(Some(i))]).collect()
    }

    #[test]
    fn postgres_binds_single_column_keys_as_one_array_whatever_their_number() {
        let few = rendered(&ids(3), &["author_id"], Backend::Postgres);
        let many = rendered(&ids(70_000), &["author_id"], Backend::Postgres);
        let sql = r#"SELECT "id" FROM "post" WHERE "post"."author_id" IN (SELECT UNNEST($1))"#;
        assert_eq!(few, (sql.to_owned(), 1));
        assert_eq!(many, (sql.to_owned(), 1), "one statement text, one bind");
    }

    #[test]
    fn other_backends_and_composite_keys_keep_in_lists() {
        let (sql, binds) = rendered(&ids(2), &["author_id"], Backend::MySql);
        assert_eq!(
            sql,
            "SELECT `id` FROM `post` WHERE `post`.`author_id` IN (?, ?)"
        );
        assert_eq!(binds, 2);
        let pairs = vec![vec![Value::BigInt(Some(1)), Value::BigInt(Some(2))]];
        let (sql, binds) = rendered(&pairs, &["a", "b"], Backend::Postgres);
        assert_eq!(
            sql,
            r#"SELECT "id" FROM "post" WHERE ("post"."a", "post"."b") IN (($1, $2))"#
        );
        assert_eq!(binds, 2);
    }
}
