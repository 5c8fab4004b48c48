//! What `join` and `left_join` take: `Model::TABLE.on(condition)`, or a relationship
//! (`User::posts`), whose ON clause comes from its foreign key.

use sea_query::Expr as SeaExpr;

use crate::backend::Backend;
use crate::expr::functions::IsBool;
use crate::expr::{BaseOf, DynExpr, Expression, Ghost, Lower, ValidIn};
use crate::schema::relation::{Relation, columns_equal};
use crate::schema::sources::{Cons, HasTable, Src};
use crate::schema::{Model, Table};
use crate::sql_types::NullFlag;

/// An explicit join: `Post::TABLE.on(Post::author_id.eq(User::id))`.
pub struct On<M, P> {
    pred: P,
    _m: Ghost<M>,
}

impl<M: Model> Table<M> {
    /// Joins this table on `condition` (checked against the query's tables where it is joined).
    pub fn on<P>(self, condition: P) -> On<M, P> {
        On {
            pred: condition,
            _m: Ghost::default(),
        }
    }
}

/// One `JOIN table ON condition` of a statement.
pub struct JoinPart {
    pub(crate) table: &'static str,
    pub(crate) on: DynExpr,
}

/// Something `join`/`left_join` can add to a query over sources `S`; `N` is the joined table's
/// nullability there (`IsNull` for a LEFT JOIN).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be joined to this query",
    label = "expected `Model::TABLE.on(condition)` or a relationship such as `User::posts`"
)]
pub trait JoinTarget<S, N, I> {
    /// The table the join adds.
    type Table: Model;
    /// The JOIN clauses, in order (a many-to-many relationship joins its association table too).
    fn parts(self) -> Vec<JoinPart>;
}

impl<M, P, S, N, I> JoinTarget<S, N, I> for On<M, P>
where
    M: Model,
    N: NullFlag,
    P: ValidIn<Cons<Src<M, N>, S>, I>,
    BaseOf<P::SqlType>: IsBool,
{
    type Table = M;
    fn parts(self) -> Vec<JoinPart> {
        vec![JoinPart {
            table: M::TABLE_NAME,
            on: Box::new(self.pred),
        }]
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

/// `a."col" = b."col" [AND ..]`: the ON clause of a relationship join.
struct ColumnsEqual {
    left: (&'static str, &'static [&'static str]),
    right: (&'static str, &'static [&'static str]),
}

impl Lower for ColumnsEqual {
    fn lower_dyn(&self, _: Backend) -> SeaExpr {
        columns_equal(self.left.0, self.left.1, self.right.0, self.right.1)
    }
}

impl<R, S, N, I> JoinTarget<S, N, I> for R
where
    R: Relation + RelationFrom<S, I>,
{
    type Table = R::To;
    fn parts(self) -> Vec<JoinPart> {
        let spec = R::SPEC;
        let (from, to) = (<R::From as Model>::TABLE_NAME, <R::To as Model>::TABLE_NAME);
        match spec.through {
            Some(t) => vec![
                JoinPart {
                    table: t.table,
                    on: Box::new(ColumnsEqual {
                        left: (t.table, t.parent_cols),
                        right: (from, spec.parent_cols),
                    }),
                },
                JoinPart {
                    table: to,
                    on: Box::new(ColumnsEqual {
                        left: (to, spec.target_cols),
                        right: (t.table, t.target_cols),
                    }),
                },
            ],
            None => vec![JoinPart {
                table: to,
                on: Box::new(ColumnsEqual {
                    left: (to, spec.target_cols),
                    right: (from, spec.parent_cols),
                }),
            }],
        }
    }
}

#[allow(unused_imports)]
use Expression as _;
