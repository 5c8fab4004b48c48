//! `joined` loading: the relationship comes in the parent query through LEFT OUTER JOINs.
//!
//! The parent query becomes a subquery aliased with the parent table's name (so its `limit` and
//! `offset` count parents and its ORDER BY still applies outside), each joined relationship adds
//! its target table (and, for many-to-many, the association table), and the rows are folded back
//! into one object per row of the parent query (told apart by a row number), in its order.

use azoth_dsl::lower::retable;
use azoth_dsl::schema::relation::{Relation, columns_equal};
use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::stmt::load::{LoadRel, Slot};
use azoth_dsl::stmt::order::{OrderItem, order_by};
use azoth_dsl::{Backend, DecodeRow, Loaded, Model, Rendered, RowSource, TableMeta};
use sea_query::{Alias, Asterisk, Expr, ExprTrait, JoinType, NullOrdering, Order, SelectStatement};

use super::{JoinedRow, JoinedRows, Load, RowTargets, column_names, render_select, share, slot};
use crate::errors::{Error, Result};
use crate::fetch::DynRunner;

/// What one joined relationship adds to the statement reading its parents.
pub struct JoinedSpec {
    meta: &'static TableMeta,
    alias: String,
    joins: Vec<(String, String, Expr)>,
    filters: Vec<Expr>,
    /// The relationship's ORDER BY terms, read from its alias: direction and NULLS placement.
    order: Vec<(Expr, Order, Option<NullOrdering>)>,
}

impl JoinedSpec {
    /// The name the relationship's table has in the statement.
    pub fn alias(&self) -> &str {
        &self.alias
    }
}

/// The longest alias azoth makes up (MySQL refuses names over 64 characters, PostgreSQL cuts
/// them at 63).
const MAX_ALIAS: usize = 60;

/// The joined relationships of one statement, in column order, with the table names the
/// statement already uses (which made-up aliases must avoid).
pub struct JoinedSpecs {
    specs: Vec<JoinedSpec>,
    reserved: Vec<String>,
}

impl JoinedSpecs {
    /// No relationship yet, in a statement naming the tables `reserved`.
    pub(crate) fn new<I: IntoIterator<Item = S>, S: Into<String>>(reserved: I) -> Self {
        JoinedSpecs {
            specs: Vec::new(),
            reserved: reserved.into_iter().map(Into::into).collect(),
        }
    }

    pub(crate) fn push(&mut self, spec: JoinedSpec) {
        self.specs.push(spec);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    pub(crate) fn as_slice(&self) -> &[JoinedSpec] {
        &self.specs
    }

    /// Whether the statement already names a table `name`.
    fn uses(&self, name: &str) -> bool {
        self.reserved.iter().any(|r| r == name)
            || self
                .specs
                .iter()
                .any(|s| s.alias == name || s.joins.iter().any(|(_, a, _)| a == name))
    }

    /// A name for a joined table the statement does not use yet: `base`, or `j{n}` when `base`
    /// is too long or taken.
    fn alias_for(&self, base: String) -> String {
        if base.len() <= MAX_ALIAS && !self.uses(&base) {
            return base;
        }
        let mut n = self.specs.len();
        loop {
            let name = format!("j{n}");
            if !self.uses(&name) {
                return name;
            }
            n += 1;
        }
    }
}

/// The joins, columns and ON conditions of joined relationship `R` under its parents' table
/// `parent` (the parent query's table, or the alias of an outer joined relationship).
pub(crate) fn spec<R: Relation, N>(
    option: &LoadRel<R, N>,
    backend: Backend,
    parent: &str,
    taken: &JoinedSpecs,
) -> JoinedSpec {
    let s = R::SPEC;
    let to = <R::To as Model>::TABLE_NAME;
    // Each joined relationship gets its own name for its table: two relationships may lead to the
    // same table (an author and an editor), or back to the parent's (a manager).
    let base = if parent == <R::From as Model>::TABLE_NAME {
        format!("{to}_{}", s.name)
    } else {
        format!("{parent}_{}", s.name)
    };
    let alias = taken.alias_for(base);
    let joins = match s.through {
        Some(t) => {
            let mut through_alias = taken.alias_for(format!("{}_{}", t.table, s.name));
            if through_alias == alias {
                through_alias = format!("{alias}_t");
            }
            vec![
                (
                    t.table.to_owned(),
                    through_alias.clone(),
                    columns_equal(&through_alias, t.parent_cols, parent, s.parent_cols),
                ),
                (
                    to.to_owned(),
                    alias.clone(),
                    columns_equal(&alias, s.target_cols, &through_alias, t.target_cols),
                ),
            ]
        }
        None => vec![(
            to.to_owned(),
            alias.clone(),
            columns_equal(&alias, s.target_cols, parent, s.parent_cols),
        )],
    };
    let lower = |o: &OrderItem| {
        let e = retable(o.expr.lower_dyn(backend), to, &alias);
        (e, o.order(), o.null_ordering())
    };
    JoinedSpec {
        meta: <R::To as Model>::META,
        filters: option
            .filters()
            .iter()
            .map(|f| retable(f.lower_dyn(backend), to, &alias))
            .collect(),
        order: option.order().iter().map(lower).collect(),
        alias,
        joins,
    }
}

/// Adds the joined relationships `specs` to `q`: their columns (returning their kinds), their
/// LEFT JOINs (narrowing conditions in the ON clause, so that parents without matches stay) and,
/// after `q`'s own ORDER BY, their order and key.
pub(crate) fn attach(q: &mut SelectStatement, specs: &[JoinedSpec]) -> Vec<SqlKind> {
    let mut kinds = Vec::new();
    for spec in specs {
        for c in spec.meta.columns {
            q.expr(Expr::col((Alias::new(&spec.alias), Alias::new(c.name))));
            kinds.push(c.kind);
        }
        let last = spec.joins.len().saturating_sub(1);
        for (i, (t, alias, on)) in spec.joins.iter().enumerate() {
            let mut on = on.clone();
            if i == last {
                for f in &spec.filters {
                    on = on.and(f.clone());
                }
            }
            q.join_as(JoinType::LeftJoin, Alias::new(t), Alias::new(alias), on);
        }
    }
    for spec in specs {
        for (e, o, nulls) in &spec.order {
            order_by(q, e.clone(), o.clone(), *nulls);
        }
        for c in spec.meta.primary_key() {
            q.order_by((Alias::new(&spec.alias), Alias::new(c.name)), Order::Asc);
        }
    }
    kinds
}

/// The column numbering the parent query's rows inside a joined statement.
pub(crate) const ROW_NUMBER: &str = "azoth_row";

/// The name of the parent query inside the layer that numbers its rows.
pub(crate) const NUMBERED: &str = "azoth_parent";

/// The combined statement: the parent query as a subquery named like the parent table, every
/// joined relationship LEFT JOINed, the parent order kept; and the kinds of all the columns it
/// selects: the parent's, then its row number, then each joined relationship's.
///
/// The parent's ORDER BY may name tables the subquery hides (a table it joins): each order
/// term is therefore also selected inside the subquery (as `azoth_order_N`) and the outer
/// statement orders by that column. Each parent row is numbered (`ROW_NUMBER() OVER ()`, in a
/// layer of its own so that a DISTINCT parent query stays distinct), so that the rows fold back
/// into exactly the parent query's rows, repeats included: what `selectin` returns too.
pub(crate) fn query<M: Model>(
    mut parent: SelectStatement,
    parent_order: &[OrderItem],
    specs: &JoinedSpecs,
    backend: Backend,
) -> (Rendered, Vec<SqlKind>) {
    let table = M::TABLE_NAME;
    let mut q = SelectStatement::new();
    let mut kinds = Vec::new();
    for c in M::META.columns {
        q.expr(Expr::col((table, c.name)));
        kinds.push(c.kind);
    }
    q.expr(Expr::col((Alias::new(table), Alias::new(ROW_NUMBER))));
    kinds.push(SqlKind::BigInt);
    for (i, o) in parent_order.iter().enumerate() {
        let name = format!("azoth_order_{i}");
        parent.expr_as(o.expr.lower_dyn(backend), Alias::new(&name));
        o.add_to(&mut q, Expr::col((Alias::new(table), Alias::new(&name))));
    }
    let mut numbered = SelectStatement::new();
    numbered
        .column((Alias::new(NUMBERED), Asterisk))
        .expr_as(Expr::cust("ROW_NUMBER() OVER ()"), Alias::new(ROW_NUMBER))
        .from_subquery(parent, Alias::new(NUMBERED));
    q.from_subquery(numbered, table);
    for c in M::META.primary_key() {
        q.order_by((table, c.name), Order::Asc);
    }
    q.order_by((Alias::new(table), Alias::new(ROW_NUMBER)), Order::Asc);
    kinds.extend(attach(&mut q, specs.as_slice()));
    (render_select(&q, backend), kinds)
}

/// Reads every column of a combined row as values.
pub(crate) fn read_row(
    src: &mut dyn RowSource,
    kinds: &[SqlKind],
) -> std::result::Result<JoinedRow, azoth_dsl::Error> {
    kinds.iter().map(|k| src.next_value(*k)).collect()
}

/// The slots of joined relationship `R` for each parent, from the columns at `offset` of each
/// parent's rows; then the options nested under it, on the distinct targets with their rows.
/// Returns the slots and the number of columns read (`R`'s and its joined descendants').
pub(crate) async fn assemble<R, N>(
    option: &LoadRel<R, N>,
    runner: &mut dyn DynRunner,
    rows: &JoinedRows<'_>,
    offset: usize,
) -> Result<(Vec<Slot<R, Loaded<R::To, N::Rels>>>, usize)>
where
    R: Relation,
    R::To: DecodeRow + azoth_dsl::ModelRowDecode,
    N: Load<R::To>,
{
    let width = <R::To as Model>::META.columns.len();
    let names = column_names::<R::To>();
    let mut found = RowTargets::<R::To>::new();
    // `added_to[i]` = 1 + the last parent target `i` was added to: a parent lists a target once
    // however many rows (of sibling or nested collections) repeat it.
    let mut added_to: Vec<usize> = Vec::new();
    let mut per_parent: Vec<Vec<usize>> = Vec::with_capacity(rows.len());
    for (p, parent_rows) in rows.iter().enumerate() {
        let mut mine: Vec<usize> = Vec::new();
        for &row in parent_rows {
            let Some(part) = row.get(offset..offset + width) else {
                return Err(Error::Decode(azoth_dsl::Error::MissingColumn {
                    found: row.len(),
                }));
            };
            // Every column NULL: the LEFT JOIN found no target for this row.
            if part.iter().all(|v| !v.is_some()) {
                continue;
            }
            let mut replay = azoth_dsl::row::ReplaySlice::new(part, &names);
            let i = found.add(<R::To as DecodeRow>::decode_row(&mut replay)?, row);
            if added_to.len() <= i {
                added_to.resize(i + 1, 0);
            }
            if let Some(a) = added_to.get_mut(i)
                && *a != p + 1
            {
                *a = p + 1;
                mine.push(i);
            }
        }
        per_parent.push(mine);
    }
    let (nested, nested_width) = option
        .nested()
        .load_joined(runner, &found.targets.rows, &found.rows, offset + width)
        .await?;
    let loaded = share(found.targets.rows, nested);
    let slots = per_parent
        .into_iter()
        .map(|mine| {
            let targets = mine
                .iter()
                .filter_map(|&i| loaded.get(i).cloned())
                .collect();
            slot::<R, _>(targets, || "(joined)".into())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((slots, width + nested_width))
}
