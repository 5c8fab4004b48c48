//! `joined` loading: the relationship comes in the parent query through LEFT OUTER JOINs.
//!
//! The parent query becomes a subquery aliased with the parent table's name (so its `limit` and
//! `offset` count parents and its ORDER BY still applies outside), each joined relationship adds
//! its target table (and, for many-to-many, the association table), and the rows are folded back
//! into one object per row of the parent query (told apart by a row number), in its order.

use azoth_dsl::lower::retable;
use azoth_dsl::schema::relation::{Relation, columns_equal};
use azoth_dsl::stmt::load::{LoadRel, Slot};
use azoth_dsl::stmt::order::{OrderItem, order_by};
use azoth_dsl::{Backend, DecodeRow, Loaded, Model, Rendered, TableMeta};
use sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, NullOrdering, Order, SelectStatement,
    WindowStatement,
};

use super::joined_rows::{Joined, Segment};
use super::key::integer_key;
use super::{JoinedRows, Load, render_select, share, slot, slot_owned, slot_run};
use crate::errors::Result;
use crate::fetch::DynRunner;

/// What one joined relationship adds to the statement reading its parents.
pub struct JoinedSpec {
    meta: &'static TableMeta,
    /// How the relationship's columns sit in the rows, and where its targets are decoded.
    segment: fn() -> Segment,
    alias: String,
    joins: Vec<(String, String, Expr)>,
    filters: Vec<Expr>,
    /// The relationship's ORDER BY terms, read from its alias: direction and NULLS placement.
    order: Vec<(Expr, Order, Option<NullOrdering>)>,
}

impl JoinedSpec {
    /// How the relationship's columns sit in the rows.
    pub(crate) fn segment(&self) -> Segment {
        (self.segment)()
    }

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
) -> JoinedSpec
where
    R::To: DecodeRow,
{
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
        segment: Segment::of::<R::To>,
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

/// Adds the joined relationships `specs` to `q`: their columns, their LEFT JOINs (narrowing
/// conditions in the ON clause, so that parents without matches stay) and, after `q`'s own
/// ORDER BY, their order and key.
/// Whether the rows of `specs` can be put in order here rather than by the server: no joined
/// relationship declares an order, and each has a single integer key (what
/// [`JoinedReader::finish_sorted`](super::joined_rows::JoinedReader::finish_sorted) orders by).
pub(crate) fn sortable_here(specs: &JoinedSpecs) -> bool {
    specs
        .as_slice()
        .iter()
        .all(|s| s.order.is_empty() && integer_key(s.meta).is_some())
}

/// Adds each joined relationship's columns and LEFT JOINs to `q`, then, when `order`, its
/// ORDER BY terms: the relationship's declared order and its key.
pub(crate) fn attach(q: &mut SelectStatement, specs: &[JoinedSpec], order: bool) {
    for spec in specs {
        for c in spec.meta.columns {
            q.expr(Expr::col((Alias::new(&spec.alias), Alias::new(c.name))));
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
    if !order {
        return;
    }
    for spec in specs {
        for (e, o, nulls) in &spec.order {
            order_by(q, e.clone(), o.clone(), *nulls);
        }
        for c in spec.meta.primary_key() {
            q.order_by((Alias::new(&spec.alias), Alias::new(c.name)), Order::Asc);
        }
    }
}

/// The column numbering the parent query's rows inside a joined statement.
pub(crate) const ROW_NUMBER: &str = "azoth_row";

/// The name of the parent query inside the layer that numbers its rows.
pub(crate) const NUMBERED: &str = "azoth_parent";

/// How the parent query sits in the joined statement, from what its rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParentShape {
    /// Every row of the parent table the filters keep, one row each (no join, grouping,
    /// DISTINCT, LIMIT or OFFSET): the joins are added to the parent query itself, and rows are
    /// told apart by primary key.
    Whole,
    /// One row each, but a LIMIT or OFFSET counts them: the parent query is a subquery (so the
    /// limit counts parents, not joined rows); rows are told apart by primary key.
    Paged,
    /// Rows that may repeat (a join, grouping, DISTINCT) or have no key: the parent query is a
    /// subquery whose rows are numbered, and told apart by number.
    Numbered,
    /// As [`Whole`](Self::Whole), but the statement has no ORDER BY: the parents are numbered in
    /// their order (`ROW_NUMBER() OVER (ORDER BY ..)`, a sort of the parents alone), and the
    /// joined rows are put in order by that number and each relationship's integer key after
    /// reading. On PostgreSQL the server's sort of the joined rows cost more than the rest of
    /// the statement (users x posts x comments: 4.6 ms with it, 1.8 ms without).
    SortedHere,
}

/// The combined statement, and how its columns fall into segments: the parent's, then each
/// joined relationship's.
///
/// The order is the parent query's, then its primary key, then each joined relationship's
/// declared order and key: what makes the rows of a parent come together and each collection
/// come in the order `selectin` gives. In the subquery shapes the parent's ORDER BY may name
/// tables the subquery hides (a table it joins): each order term is therefore also selected
/// inside the subquery (as `azoth_order_N`) and the outer statement orders by that column. The
/// numbered shape numbers each parent row (`ROW_NUMBER() OVER ()`, in a layer of its own so that
/// a DISTINCT parent query stays distinct), so that the rows fold back into exactly the parent
/// query's rows, repeats included: what `selectin` returns too.
pub(crate) fn query<M: Model + DecodeRow>(
    mut parent: SelectStatement,
    parent_order: &[OrderItem],
    shape: ParentShape,
    specs: &JoinedSpecs,
    backend: Backend,
) -> (Rendered, Vec<Segment>) {
    let table = M::TABLE_NAME;
    let mut segments = vec![match shape {
        ParentShape::Numbered | ParentShape::SortedHere => Segment::numbered::<M>(),
        ParentShape::Whole | ParentShape::Paged => Segment::of::<M>(),
    }];
    segments.extend(specs.as_slice().iter().map(JoinedSpec::segment));
    if shape == ParentShape::Whole {
        for c in M::META.primary_key() {
            parent.order_by((Alias::new(table), Alias::new(c.name)), Order::Asc);
        }
        attach(&mut parent, specs.as_slice(), true);
        return (render_select(&parent, backend), segments);
    }
    let here = shape == ParentShape::SortedHere;
    let mut q = SelectStatement::new();
    if shape == ParentShape::Numbered || here {
        // The row number first: it tells the parent rows apart (see `Segment::numbered`).
        q.expr(Expr::col((Alias::new(table), Alias::new(ROW_NUMBER))));
    }
    for c in M::META.columns {
        q.expr(Expr::col((table, c.name)));
    }
    // The parents' order: the outer statement's ORDER BY, or the numbering's when the rows are
    // put in order here.
    let mut numbering = WindowStatement::new();
    for (i, o) in parent_order.iter().enumerate() {
        let name = format!("azoth_order_{i}");
        parent.expr_as(o.expr.lower_dyn(backend), Alias::new(&name));
        if here {
            let term = Expr::col((Alias::new(NUMBERED), Alias::new(&name)));
            match o.null_ordering() {
                Some(n) => numbering.order_by_expr_with_nulls(term, o.order(), n),
                None => numbering.order_by_expr(term, o.order()),
            };
        } else {
            o.add_to(&mut q, Expr::col((Alias::new(table), Alias::new(&name))));
        }
    }
    for c in M::META.primary_key() {
        if here {
            numbering.order_by_expr(
                Expr::col((Alias::new(NUMBERED), Alias::new(c.name))),
                Order::Asc,
            );
        } else {
            q.order_by((table, c.name), Order::Asc);
        }
    }
    if shape == ParentShape::Numbered || here {
        let mut numbered = SelectStatement::new();
        numbered.column((Alias::new(NUMBERED), Asterisk));
        if here {
            numbered.expr_window_as(
                Expr::cust("ROW_NUMBER()"),
                numbering,
                Alias::new(ROW_NUMBER),
            );
        } else {
            numbered.expr_as(Expr::cust("ROW_NUMBER() OVER ()"), Alias::new(ROW_NUMBER));
        }
        numbered.from_subquery(parent, Alias::new(NUMBERED));
        q.from_subquery(numbered, table);
        if !here {
            q.order_by((Alias::new(table), Alias::new(ROW_NUMBER)), Order::Asc);
        }
    } else {
        q.from_subquery(parent, table);
    }
    attach(&mut q, specs.as_slice(), !here);
    (render_select(&q, backend), segments)
}

/// The slots of joined relationship `R` for each parent, from segment `segment` of each
/// parent's rows; then the options nested under it, on the distinct targets with their rows.
/// Returns the slots and the number of segments read (`R`'s and its joined descendants').
pub(crate) async fn assemble<R, N>(
    option: &LoadRel<R, N>,
    runner: &mut dyn DynRunner,
    joined: &Joined,
    rows: &JoinedRows,
    segment: usize,
) -> Result<(Vec<Slot<R, Loaded<R::To, N::Rels>>>, usize)>
where
    R: Relation,
    R::To: DecodeRow + azoth_dsl::ModelRowDecode,
    N: Load<R::To>,
{
    // Each distinct target, decoded once.
    let targets: Vec<R::To> = joined.take(segment)?.decode()?;
    // The rows each target is on: what the joined options nested under it read (none is
    // gathered without them: one allocation per target saved).
    let gather = option.nested().reads_rows();
    let target_rows: Vec<Vec<usize>> = if gather {
        joined.group(rows.iter().flatten().copied(), segment, targets.len())
    } else {
        Vec::new()
    };
    // `added_to[i]` = 1 + the last parent target `i` was added to: a parent lists a target once
    // however many rows (of sibling or nested collections) repeat it.
    let mut added_to: Vec<usize> = vec![0; targets.len()];
    let mut per_parent: Vec<Vec<usize>> = Vec::with_capacity(rows.len());
    for (p, parent_rows) in rows.iter().enumerate() {
        // At most one target a row: one allocation, never grown.
        let mut mine: Vec<usize> = Vec::with_capacity(parent_rows.len());
        for &row in parent_rows {
            // None: the LEFT JOIN found no target for this row.
            let Some(i) = joined.cell(row, segment) else {
                continue;
            };
            if let Some(a) = added_to.get_mut(i)
                && *a != p + 1
            {
                *a = p + 1;
                mine.push(i);
            }
        }
        per_parent.push(mine);
    }
    let (nested, nested_segments) = option
        .nested()
        .load_joined(runner, &targets, joined, &target_rows, segment + 1)
        .await?;
    // Each target under one parent at most (a has_many's are), or under parents that all have
    // the same targets (a parent a join repeats): handed over and stored once per distinct list
    // of targets (`Cardinality::from_owned`), which the repeats share.
    if let Some(owner) = owners(&per_parent, targets.len()) {
        // Each parent's targets right after the previous parent's (the rows came in parent
        // order and key order, as the statement's ORDER BY gives them): each parent's stretch
        // moves once, into its storage. Otherwise each target is taken out by its index.
        let stretches = in_stretches(&per_parent, &owner, targets.len());
        let mut in_order = targets
            .into_iter()
            .zip(nested)
            .map(|(t, n)| Loaded::new(t, n));
        let mut by_index: Vec<Option<Loaded<R::To, N::Rels>>> = if stretches {
            Vec::new()
        } else {
            in_order.by_ref().map(Some).collect()
        };
        let mut slots: Vec<Slot<R, _>> = Vec::with_capacity(per_parent.len());
        for (p, mine) in per_parent.iter().enumerate() {
            let repeat = owner
                .get(p)
                .filter(|&&o| o != p)
                .and_then(|&o| slots.get(o));
            let slot = match repeat {
                Some(shared) => Slot::clone(shared),
                None if stretches => {
                    slot_run::<R, _>(in_order.by_ref().take(mine.len()), || "(joined)".into())?
                }
                None => {
                    let found = mine
                        .iter()
                        .filter_map(|&i| by_index.get_mut(i).and_then(Option::take))
                        .collect();
                    slot_owned::<R, _>(found, || "(joined)".into())?
                }
            };
            slots.push(slot);
        }
        return Ok((slots, 1 + nested_segments));
    }
    let loaded = share(targets, nested);
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
    Ok((slots, 1 + nested_segments))
}

/// Whether the parents that own their targets (`owner`, from [`owners`]) list targets
/// `0..targets` one after the other, each parent's in increasing order.
fn in_stretches(per_parent: &[Vec<usize>], owner: &[usize], targets: usize) -> bool {
    let mut next = 0;
    for (p, mine) in per_parent.iter().enumerate() {
        if owner.get(p) != Some(&p) {
            continue;
        }
        for &i in mine {
            if i != next {
                return false;
            }
            next += 1;
        }
    }
    next == targets
}

/// For each parent, the first parent with the same targets (itself for the first one), when
/// every target is under one parent or under parents with the same targets; `None` otherwise (a
/// target two different parents share: a many-to-one's).
fn owners(per_parent: &[Vec<usize>], targets: usize) -> Option<Vec<usize>> {
    let mut first_under = vec![usize::MAX; targets];
    let mut owner = Vec::with_capacity(per_parent.len());
    for (p, mine) in per_parent.iter().enumerate() {
        let earlier = mine
            .first()
            .and_then(|&i| first_under.get(i).copied())
            .filter(|&q| q != usize::MAX);
        match earlier {
            Some(q) if per_parent.get(q) == Some(mine) => owner.push(q),
            Some(_) => return None,
            None => {
                for &i in mine {
                    match first_under.get_mut(i) {
                        Some(f) if *f == usize::MAX => *f = p,
                        _ => return None,
                    }
                }
                owner.push(p);
            }
        }
    }
    Some(owner)
}

#[cfg(test)]
mod tests {
    use azoth_dsl::prelude::*;
    use azoth_dsl::stmt::load::joined;

    use super::*;
    use crate::loading::Load;

    azoth_dsl::model! {
        #[table = "j_users"]
        pub struct User { #[primary_key] pub id: i64, pub name: String }
        relations { posts: has_many(Post, Post::user_id) }
    }
    azoth_dsl::model! {
        #[table = "j_posts"]
        pub struct Post { #[primary_key] pub id: i64, pub user_id: i64, pub title: String }
        relations { comments: has_many(Comment, Comment::post_id) }
    }
    azoth_dsl::model! {
        #[table = "j_comments"]
        pub struct Comment { #[primary_key] pub id: i64, pub post_id: i64, pub text: String }
    }

    /// The joined statement for users with posts with comments, for `parent` in `shape`.
    fn sql(
        parent: &azoth_dsl::Select<
            impl Send + Sync,
            azoth_dsl::stmt::selection::Whole<User>,
            azoth_dsl::stmt::select::Natural,
            impl Send + Sync,
        >,
        shape: ParentShape,
        backend: Backend,
    ) -> (String, usize) {
        let options = joined(User::posts).then(joined(Post::comments));
        let mut specs = JoinedSpecs::new([User::TABLE_NAME, NUMBERED]);
        Load::<User>::joined_specs(&options, backend, User::TABLE_NAME, &mut specs);
        let (r, segments) = query::<User>(
            parent.to_sea(backend),
            parent.order_items(),
            shape,
            &specs,
            backend,
        );
        (r.0, segments.len())
    }

    const JOINS: &str = r#"LEFT JOIN "j_posts" AS "j_posts_posts" ON "j_posts_posts"."user_id" = "j_users"."id" LEFT JOIN "j_comments" AS "j_posts_posts_comments" ON "j_posts_posts_comments"."post_id" = "j_posts_posts"."id""#;
    const COLUMNS: &str = r#""j_posts_posts"."id", "j_posts_posts"."user_id", "j_posts_posts"."title", "j_posts_posts_comments"."id", "j_posts_posts_comments"."post_id", "j_posts_posts_comments"."text""#;

    #[test]
    fn a_whole_table_parent_takes_the_joins_itself_and_orders_by_its_order_then_keys() {
        let users = User::select().order_by(User::name.desc());
        let (pg, segments) = sql(&users, ParentShape::Whole, Backend::Postgres);
        assert_eq!(
            pg,
            format!(
                r#"SELECT "j_users"."id", "j_users"."name", {COLUMNS} FROM "j_users" {JOINS} ORDER BY "j_users"."name" DESC, "j_users"."id" ASC, "j_posts_posts"."id" ASC, "j_posts_posts_comments"."id" ASC"#
            )
        );
        assert_eq!(segments, 3, "users, posts, comments");
        let (lite, _) = sql(&users, ParentShape::Whole, Backend::Sqlite);
        assert_eq!(lite, pg, "SQLite quotes like PostgreSQL here");
        let (my, _) = sql(&users, ParentShape::Whole, Backend::MySql);
        assert_eq!(my, pg.replace('"', "`"));
    }

    #[test]
    fn a_paged_parent_is_a_subquery_so_its_limit_counts_parents() {
        let users = User::select().order_by(User::name).limit(2).offset(1);
        let (pg, _) = sql(&users, ParentShape::Paged, Backend::Postgres);
        assert_eq!(
            pg,
            format!(
                r#"SELECT "j_users"."id", "j_users"."name", {COLUMNS} FROM (SELECT "j_users"."id", "j_users"."name", "j_users"."name" AS "azoth_order_0" FROM "j_users" ORDER BY "j_users"."name" ASC LIMIT $1 OFFSET $2) AS "j_users" {JOINS} ORDER BY "j_users"."azoth_order_0" ASC, "j_users"."id" ASC, "j_posts_posts"."id" ASC, "j_posts_posts_comments"."id" ASC"#
            )
        );
        let (lite, _) = sql(&users, ParentShape::Paged, Backend::Sqlite);
        assert_eq!(lite, pg.replace("$1", "?").replace("$2", "?"));
        let (my, _) = sql(&users, ParentShape::Paged, Backend::MySql);
        assert_eq!(my, lite.replace('"', "`"));
    }

    #[test]
    fn a_parent_whose_rows_may_repeat_is_numbered() {
        let users = User::select().join(User::posts).order_by(User::id);
        let (pg, segments) = sql(&users, ParentShape::Numbered, Backend::Postgres);
        assert_eq!(
            pg,
            format!(
                r#"SELECT "j_users"."azoth_row", "j_users"."id", "j_users"."name", {COLUMNS} FROM (SELECT "azoth_parent".*, ROW_NUMBER() OVER () AS "azoth_row" FROM (SELECT "j_users"."id", "j_users"."name", "j_users"."id" AS "azoth_order_0" FROM "j_users" INNER JOIN "j_posts" ON "j_posts"."user_id" = "j_users"."id" ORDER BY "j_users"."id" ASC) AS "azoth_parent") AS "j_users" {JOINS} ORDER BY "j_users"."azoth_order_0" ASC, "j_users"."id" ASC, "j_users"."azoth_row" ASC, "j_posts_posts"."id" ASC, "j_posts_posts_comments"."id" ASC"#
            )
        );
        assert_eq!(segments, 3);
    }

    #[test]
    fn rows_put_in_order_here_number_the_parents_in_their_order_and_have_no_order_by() {
        let users = User::select().order_by(User::name.desc());
        let (pg, segments) = sql(&users, ParentShape::SortedHere, Backend::Postgres);
        assert_eq!(
            pg,
            format!(
                r#"SELECT "j_users"."azoth_row", "j_users"."id", "j_users"."name", {COLUMNS} FROM (SELECT "azoth_parent".*, ROW_NUMBER() OVER (  ORDER BY "azoth_parent"."azoth_order_0" DESC, "azoth_parent"."id" ASC ) AS "azoth_row" FROM (SELECT "j_users"."id", "j_users"."name", "j_users"."name" AS "azoth_order_0" FROM "j_users" ORDER BY "j_users"."name" DESC) AS "azoth_parent") AS "j_users" {JOINS}"#
            )
        );
        assert_eq!(segments, 3, "users (numbered), posts, comments");
        let mut specs = JoinedSpecs::new([User::TABLE_NAME, NUMBERED]);
        let options = joined(User::posts).then(joined(Post::comments));
        Load::<User>::joined_specs(&options, Backend::Postgres, User::TABLE_NAME, &mut specs);
        assert!(sortable_here(&specs), "integer keys, no declared order");
        let mut specs = JoinedSpecs::new([User::TABLE_NAME, NUMBERED]);
        let ordered = joined(User::posts).order_by(Post::title);
        Load::<User>::joined_specs(&ordered, Backend::Postgres, User::TABLE_NAME, &mut specs);
        assert!(!sortable_here(&specs), "a declared order is the server's");
    }

    #[test]
    fn stretches_are_the_owning_parents_targets_one_after_the_other() {
        // Parent 1 repeats parent 0 (the same targets); parent 2 has none.
        let per_parent = vec![vec![0, 1], vec![0, 1], vec![], vec![2]];
        let owner = owners(&per_parent, 3).unwrap();
        assert_eq!(owner, [0, 0, 2, 3]);
        assert!(in_stretches(&per_parent, &owner, 3));
        // Out of order within a parent, or a parent's targets before the previous one's.
        let swapped = vec![vec![1, 0], vec![2]];
        assert!(!in_stretches(&swapped, &owners(&swapped, 3).unwrap(), 3));
        let back = vec![vec![2], vec![0, 1]];
        assert!(!in_stretches(&back, &owners(&back, 3).unwrap(), 3));
        // A target no parent holds.
        let gap = vec![vec![0], vec![2]];
        assert!(!in_stretches(&gap, &owners(&gap, 3).unwrap(), 3));
    }

    #[test]
    fn the_shape_follows_from_the_parent_query() {
        assert!(User::select().reads_table_rows());
        assert!(!User::select().is_paged());
        assert!(User::select().limit(1).is_paged());
        assert!(User::select().offset(1).is_paged());
        assert!(!User::select().join(User::posts).reads_table_rows());
        assert!(!User::select().distinct().reads_table_rows());
    }
}
