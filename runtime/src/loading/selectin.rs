//! `selectin` loading: one `SELECT .. WHERE key IN (..)` per chunk of parent keys.
//!
//! As SQLAlchemy does it: a many-to-one asks for the targets by the foreign-key values the
//! parents hold (no join); a one-to-many asks `WHERE child.fk IN (parent keys)`; a many-to-many
//! joins the association table and carries the parent key in each row.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use azoth_dsl::schema::relation::{Cardinality, Relation, RelationKind};
use azoth_dsl::schema::relation::{columns_equal, columns_expr};
use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::stmt::load::{LoadRel, Slot};
use azoth_dsl::{Backend, DecodeRow, Loaded, Model};
use sea_query::{Alias, BinOper, Expr, ExprTrait, Order, SelectStatement, Value};

use super::key::{Key, identity, identity_columns, key_of, key_of_values, values_of};
use super::{Load, render_select};
use crate::errors::{Error, Result};
use crate::fetch::{DynRunner, fetch_all_dyn};

/// A loaded target, shared by every parent it belongs to.
type Shared<T, L> = Arc<Loaded<T, L>>;

/// Loaded targets by the key they group under.
type Groups<T, L> = HashMap<Key, Vec<Shared<T, L>>>;

/// `table.col IN (..)`, or a row-value IN for a composite key: `(a, b) IN ((?, ?), ..)`, which
/// SQLite spells `(a, b) IN (VALUES (?, ?), ..)`. Every value is bound.
fn keys_in(table: &str, cols: &[&'static str], keys: &[Vec<Value>], backend: Backend) -> Expr {
    if let [col] = cols {
        let values = keys.iter().filter_map(|k| k.first().cloned());
        return Expr::col((Alias::new(table), Alias::new(*col))).is_in(values);
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

/// The SELECT of the target rows whose key columns hold one of `keys`.
fn targets_query<R: Relation, N>(
    option: &LoadRel<R, N>,
    keys: &[Vec<Value>],
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
        .map(|p| key_of(p, spec.parent_cols))
        .collect();

    // Distinct non-NULL keys, in first-seen order, as values to bind.
    let mut seen = HashSet::new();
    let mut values: Vec<Vec<Value>> = Vec::new();
    for (p, k) in parents.iter().zip(&parent_keys) {
        if let Some(k) = k
            && seen.insert(k.clone())
            && let Some(v) = values_of(p, spec.parent_cols)
        {
            values.push(v);
        }
    }

    // Target rows, each with the key it groups under (the parent's key for many-to-many).
    let mut rows: Vec<(R::To, Key)> = Vec::new();
    let parent_kinds: Option<Vec<SqlKind>> = spec
        .parent_cols
        .iter()
        .map(|c| M::META.column(c).map(|c| c.kind))
        .collect();
    for chunk in values.chunks(option.chunk()) {
        let backend = runner.dyn_backend();
        let rendered = render_select(&targets_query(option, chunk, backend), backend);
        let fetched = match (spec.kind, &parent_kinds) {
            (RelationKind::ManyToMany, Some(kinds)) => {
                fetch_all_dyn(runner, rendered, move |src| {
                    let target = <R::To as DecodeRow>::decode_row(src)?;
                    let parent = kinds
                        .iter()
                        .map(|k| src.next_value(*k))
                        .collect::<std::result::Result<Vec<_>, _>>()?;
                    Ok((target, key_of_values(&parent)))
                })
                .await?
            }
            _ => {
                let target_cols = spec.target_cols;
                fetch_all_dyn(runner, rendered, move |src| {
                    let target = <R::To as DecodeRow>::decode_row(src)?;
                    let key = key_of(&target, target_cols);
                    Ok((target, key))
                })
                .await?
            }
        };
        rows.extend(fetched.into_iter().filter_map(|(t, k)| k.map(|k| (t, k))));
    }

    // One object per distinct target (a tag shared by two posts is loaded once), then the
    // nested options on those objects.
    let id_cols = identity_columns::<R::To>();
    let mut index_of: HashMap<Key, usize> = HashMap::new();
    let mut targets: Vec<R::To> = Vec::new();
    let mut row_target: Vec<(usize, Key)> = Vec::with_capacity(rows.len());
    for (t, group) in rows {
        let i = match identity(&t, &id_cols) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
