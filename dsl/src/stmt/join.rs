//! What `join` and `left_join` take: `Model::TABLE.on(condition)`, or a relationship
//! (`User::posts`), whose ON clause comes from its foreign key.

use std::borrow::Cow;

use sea_query::Expr as SeaExpr;

use crate::backend::Backend;
use crate::expr::functions::IsBool;
use crate::expr::{BaseOf, DynExpr, Expression, Ghost, Lower, ValidIn};
use crate::schema::alias::{AliasOf, TableRef};
use crate::schema::relation::{Relation, columns_equal};
use crate::schema::sources::{Cons, HasTable, Src};
use crate::schema::{Model, Table};
use crate::sql_types::NullFlag;

/// An explicit join: `Post::TABLE.on(Post::author_id.eq(User::id))`.
pub struct On<M, P> {
    pred: P,
    _m: Ghost<M>,
}

impl<M: TableRef> Table<M> {
    /// Joins this table (or alias: `Manager::TABLE`) on `condition`, checked against the
    /// query's tables where it is joined.
    pub fn on<P>(self, condition: P) -> On<M, P> {
        On::new(condition)
    }
}

impl<M, P> On<M, P> {
    pub(crate) fn new(condition: P) -> Self {
        On {
            pred: condition,
            _m: Ghost::default(),
        }
    }
}

/// One `JOIN table [AS alias] ON condition` of a statement.
pub struct JoinPart {
    pub(crate) table: &'static str,
    pub(crate) alias: Option<String>,
    pub(crate) on: DynExpr,
    /// A derived table or CTE joined instead of a model's table.
    pub(crate) virt: Option<super::derived::VirtualTable>,
}

/// Something `join`/`left_join` can add to a query over sources `S`; `N` is the joined table's
/// nullability there (`IsNull` for a LEFT JOIN).
///
/// The message is the one a table given alone meets (`join(Tag::TABLE)`): other wrong arguments
/// are reported on what they lack (`Relation`, a table of the query).
#[diagnostic::on_unimplemented(
    message = "a join needs `.on(condition)` or a relationship: `{Self}` alone does not say which rows match",
    label = "add `.on(condition)`, or join a relationship such as `User::posts`",
    note = "write `Model::TABLE.on(condition)`, e.g. `Post::TABLE.on(Post::author_id.eq(User::id))`, or declare a relationship under the model's `relations` and join along it"
)]
pub trait JoinTarget<S, N, I> {
    /// The table the join adds to the query's sources: a model, or an [`Alias`] of one.
    type Table;
    /// The JOIN clauses, in order (a many-to-many relationship joins its association table too).
    fn parts(self) -> Vec<JoinPart>;
}

// Bounds inline where they can be: rustc quotes the header and where clause when it lists the
// implementations of `JoinTarget`.
#[diagnostic::do_not_recommend]
impl<M: TableRef, P, S, N: NullFlag, I> JoinTarget<S, N, I> for On<M, P>
where
    P: ValidIn<Cons<Src<M, N>, S>, I>,
    BaseOf<P::SqlType>: IsBool,
{
    type Table = M;
    fn parts(self) -> Vec<JoinPart> {
        on_parts(
            <M::Model as Model>::TABLE_NAME,
            M::ALIASED.then_some(M::NAME),
            Box::new(self.pred),
        )
    }
}

/// The one JOIN of `table [AS alias] ON on` (not generic: compiled once, not per join).
fn on_parts(table: &'static str, alias: Option<&'static str>, on: DynExpr) -> Vec<JoinPart> {
    vec![JoinPart {
        table,
        alias: alias.map(str::to_owned),
        on,
        virt: None,
    }]
}

/// Never implemented: a table given alone to `join` matches this impl rather than the
/// relationship one, so that the error says the join needs `.on(..)` instead of listing every
/// relationship of the schema.
pub trait JoinNeedsOn {
    /// Never called: no type implements this trait.
    fn never() -> Vec<JoinPart>;
}

#[diagnostic::do_not_recommend]
impl<M: TableRef + JoinNeedsOn, S, N> JoinTarget<S, N, ()> for Table<M> {
    type Table = M;
    fn parts(self) -> Vec<JoinPart> {
        M::never()
    }
}

/// Relationship `Self` starts at a table already in the query's sources `S`.
#[diagnostic::on_unimplemented(
    message = "relationship `{Self}` does not start at a table of this query",
    label = "join along relationships of tables already selected from or joined",
    note = "select from (or join) the model the relationship is declared on first"
)]
pub trait RelationFrom<S, I> {}

#[diagnostic::do_not_recommend]
impl<R: Relation, S, I> RelationFrom<S, I> for R where S: HasTable<R::From, I> {}

/// A table's name in a query with some of its columns: one side of a relationship's ON clause.
type Side = (Cow<'static, str>, &'static [&'static str]);

/// `a."col" = b."col" [AND ..]`: the ON clause of a relationship join.
struct ColumnsEqual {
    left: Side,
    right: Side,
}

impl Lower for ColumnsEqual {
    fn lower_dyn(&self, _: Backend) -> SeaExpr {
        columns_equal(&self.left.0, self.left.1, &self.right.0, self.right.1)
    }
    fn shape_dyn(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        for (table, cols) in [&self.left, &self.right] {
            s.text(table);
            s.num(cols.len() as u64);
            for c in *cols {
                s.name(c);
            }
        }
    }
}

/// The longest association-table alias made up here (MySQL refuses names over 64 characters).
const MAX_ALIAS: usize = 60;

/// The JOIN clauses of relationship `R` from the table named `from` to its target, named `to`
/// (an alias when `aliased`); a many-to-many joins its association table first.
fn relation_parts<R: Relation>(
    from: &'static str,
    to: &'static str,
    aliased: bool,
) -> Vec<JoinPart> {
    let spec = R::SPEC;
    let target = <R::To as Model>::TABLE_NAME;
    let on = |left: Side, right: Side| -> DynExpr { Box::new(ColumnsEqual { left, right }) };
    match spec.through {
        // Under an alias, the association table gets a name of its own too, so that the same
        // relationship may be joined twice.
        Some(t) => {
            let through: Cow<'static, str> = if !aliased {
                Cow::Borrowed(t.table)
            } else if to.len() + 1 + t.table.len() <= MAX_ALIAS {
                Cow::Owned(format!("{to}_{}", t.table))
            } else {
                Cow::Owned(format!("{to}_link"))
            };
            vec![
                JoinPart {
                    table: t.table,
                    alias: aliased.then(|| through.to_string()),
                    on: on(
                        (through.clone(), t.parent_cols),
                        (Cow::Borrowed(from), spec.parent_cols),
                    ),
                    virt: None,
                },
                JoinPart {
                    table: target,
                    alias: aliased.then(|| to.to_owned()),
                    on: on(
                        (Cow::Borrowed(to), spec.target_cols),
                        (through, t.target_cols),
                    ),
                    virt: None,
                },
            ]
        }
        None => vec![JoinPart {
            table: target,
            alias: aliased.then(|| to.to_owned()),
            on: on(
                (Cow::Borrowed(to), spec.target_cols),
                (Cow::Borrowed(from), spec.parent_cols),
            ),
            virt: None,
        }],
    }
}

impl<R, S, N, I> JoinTarget<S, N, I> for R
where
    R: Relation + RelationFrom<S, I>,
{
    type Table = R::To;
    fn parts(self) -> Vec<JoinPart> {
        relation_parts::<R>(
            <R::From as Model>::TABLE_NAME,
            <R::To as Model>::TABLE_NAME,
            false,
        )
    }
}

/// A relationship joined from, or to, an aliased table: `Post::editor.aliased(Editor)`,
/// `Employee::manager.starting_at(Manager)`.
pub struct RelationJoin<R, F, T>(Ghost<(R, F, T)>);

impl<R: Relation, F, T> RelationJoin<R, F, T> {
    pub(crate) fn new() -> Self {
        RelationJoin(Ghost::default())
    }

    /// Names the relationship's target `alias` in the query.
    pub fn aliased<A: AliasOf<R::To>>(self, alias: A) -> RelationJoin<R, F, A> {
        let _ = alias;
        RelationJoin(Ghost::default())
    }

    /// Starts the relationship at `alias`, a name of its parent model's table in the query.
    pub fn starting_at<A: AliasOf<R::From>>(self, alias: A) -> RelationJoin<R, A, T> {
        let _ = alias;
        RelationJoin(Ghost::default())
    }
}

/// The relationship starts at a table of the query under the name `F`.
#[diagnostic::on_unimplemented(
    message = "`{F}` is not a table of this query",
    label = "join along relationships of tables already selected from or joined",
    note = "select from (or join) `{F}` first"
)]
pub trait AliasInQuery<F, S, I> {}

#[diagnostic::do_not_recommend]
impl<R, F, S: HasTable<F, I>, I> AliasInQuery<F, S, I> for R {}

#[diagnostic::do_not_recommend]
impl<R, F: TableRef, T: TableRef, S, N, I> JoinTarget<S, N, I> for RelationJoin<R, F, T>
where
    R: Relation + AliasInQuery<F, S, I>,
{
    type Table = T;
    fn parts(self) -> Vec<JoinPart> {
        relation_parts::<R>(F::NAME, T::NAME, T::ALIASED)
    }
}

#[allow(unused_imports)]
use Expression as _;
