//! `selectin` loading: one `SELECT .. WHERE key IN (..)` per chunk of parent keys.
//!
//! As SQLAlchemy does it: a many-to-one asks for the targets by the foreign-key values the
//! parents hold (no join); a one-to-many asks `WHERE child.fk IN (parent keys)`; a many-to-many
//! joins the association table and carries the parent key in each row.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use azoth_dsl::schema::relation::{Cardinality, Relation, RelationKind};
use azoth_dsl::stmt::load::{LoadRel, Slot};
use azoth_dsl::{Backend, DecodeRow, Loaded, Model};
use sea_query::{Expr, ExprTrait, Order, SelectStatement, Value};

use super::key::{Key, identity};
use super::{Load, render_select};
use crate::errors::{Error, Result};
use crate::fetch::{DynRunner, fetch_all_dyn};

/// A loaded target, shared by every parent it belongs to.
type Shared<T, L> = Arc<Loaded<T, L>>;

/// Loaded targets by the key they group under.
type Groups<T, L> = HashMap<Key, Vec<Shared<T, L>>>;

/// The SELECT of the target rows whose `col` is one of `keys`.
fn targets_query<R: Relation, N>(
    option: &LoadRel<R, N>,
    keys: &[Value],
    backend: Backend,
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
            q.expr(Expr::col((through.table, through.parent_col)));
            q.inner_join(
                through.table,
                Expr::col((through.table, through.target_col)).equals((table, spec.target_col)),
            );
            q.and_where(Expr::col((through.table, through.parent_col)).is_in(keys.iter().cloned()));
        }
        None => {
            q.and_where(Expr::col((table, spec.target_col)).is_in(keys.iter().cloned()));
        }
    }
    for f in option.filters() {
        q.and_where(f.lower_dyn(backend));
    }
    for o in option.order() {
        match o.null_ordering() {
            Some(n) => q.order_by_expr_with_nulls(o.expr.lower_dyn(backend), o.order(), n),
            None => q.order_by_expr(o.expr.lower_dyn(backend), o.order()),
        };
    }
    for c in <R::To as Model>::META.primary_key() {
        q.order_by((table, c.name), Order::Asc);
    }
    q
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
    let parent_keys: Vec<Option<Key>> = parents
        .iter()
        .map(|p| p.value_of(spec.parent_col).as_ref().and_then(Key::of))
        .collect();

    // Distinct non-NULL keys, in first-seen order, as values to bind.
    let mut seen = HashSet::new();
    let mut values = Vec::new();
    for (p, k) in parents.iter().zip(&parent_keys) {
        if let Some(k) = k
            && seen.insert(k.clone())
            && let Some(v) = p.value_of(spec.parent_col)
        {
            values.push(v);
        }
    }

    // Target rows, each with the key it groups under (the parent's key for many-to-many).
    let mut rows: Vec<(R::To, Key)> = Vec::new();
    let parent_kind = M::META.column(spec.parent_col).map(|c| c.kind);
    for chunk in values.chunks(option.chunk()) {
        let backend = runner.dyn_backend();
        let rendered = render_select(&targets_query(option, chunk, backend), backend);
        let fetched = match (spec.kind, parent_kind) {
            (RelationKind::ManyToMany, Some(kind)) => {
                fetch_all_dyn(runner, rendered, move |src| {
                    let target = <R::To as DecodeRow>::decode_row(src)?;
                    let parent = src.next_value(kind)?;
                    Ok((target, Key::of(&parent)))
                })
                .await?
            }
            _ => {
                let target_col = spec.target_col;
                fetch_all_dyn(runner, rendered, move |src| {
                    let target = <R::To as DecodeRow>::decode_row(src)?;
                    let key = target.value_of(target_col).as_ref().and_then(Key::of);
                    Ok((target, key))
                })
                .await?
            }
        };
        rows.extend(fetched.into_iter().filter_map(|(t, k)| k.map(|k| (t, k))));
    }

    // One object per distinct target (a tag shared by two posts is loaded once), then the
    // nested options on those objects.
    let mut index_of: HashMap<Vec<Key>, usize> = HashMap::new();
    let mut targets: Vec<R::To> = Vec::new();
    let mut row_target: Vec<(usize, Key)> = Vec::with_capacity(rows.len());
    for (t, group) in rows {
        let identity = identity(&t);
        let i = match identity {
            Some(id) => match index_of.get(&id) {
                Some(&i) => i,
                None => {
                    index_of.insert(id, targets.len());
                    targets.push(t);
                    targets.len() - 1
                }
            },
            None => {
                targets.push(t);
                targets.len() - 1
            }
        };
        row_target.push((i, group));
    }
    let nested = option.nested().load(runner, &targets).await?;
    let loaded: Vec<Shared<R::To, N::Rels>> = targets
        .into_iter()
        .zip(nested)
        .map(|(t, n)| Arc::new(Loaded::new(t, n)))
        .collect();

    let mut groups: Groups<R::To, N::Rels> = HashMap::new();
    for (i, group) in row_target {
        if let Some(t) = loaded.get(i) {
            groups.entry(group).or_default().push(t.clone());
        }
    }

    parent_keys
        .into_iter()
        .map(|k| {
            let found = k
                .as_ref()
                .and_then(|k| groups.get(k))
                .cloned()
                .unwrap_or_default();
            <R::Card as Cardinality>::from_found(found)
                .map(Slot::new)
                .ok_or_else(|| Error::MissingRelated {
                    relation: spec.name,
                    key: format!("{k:?}"),
                })
        })
        .collect()
}
