//! Conditions along a relationship: `User::posts.any(cond)`, SQLAlchemy's `User.posts.any(..)` /
//! `Post.author.has(..)`: an `EXISTS` correlated with the row of the relationship's model.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! {
//! #     pub struct User { #[primary_key] pub id: i64, pub name: String }
//! #     relations { posts: has_many(Post, Post::author_id) }
//! # }
//! # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub likes: i32 } }
//! let q = select(User::name).filter(User::posts.any(Post::likes.gt(10)));
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "user"."name" FROM "user" WHERE EXISTS(SELECT 1 FROM "post" AS "post_any" WHERE "post_any"."author_id" = "user"."id" AND "post_any"."likes" > $1)"#
//! );
//! ```

use sea_query::{Alias, Expr as SeaExpr, ExprTrait, JoinType, SelectStatement};

use super::aggregate::Plain;
use super::functions::IsBool;
use super::{BaseOf, DynExpr, Expression, Ghost, ValidIn};
use crate::backend::Backend;
use crate::lower::retable;
use crate::schema::Model;
use crate::schema::relation::{Relation, columns_equal};
use crate::schema::sources::HasTable;
use crate::sql_types::{BigInt, Bool, NotNull};

/// `EXISTS` a row related through `R` (matching the conditions, if any): made by
/// [`Relation::any`] and [`Relation::exists`].
pub struct RelatedExists<R> {
    pub(crate) conditions: Vec<DynExpr>,
    pub(crate) _r: Ghost<R>,
}

impl<R: Relation> RelatedExists<R> {
    /// The `EXISTS` subquery.
    fn subquery(&self, b: Backend) -> SelectStatement {
        related_subquery::<R>(&self.conditions, SeaExpr::cust("1"), b)
    }
}

/// `SELECT what FROM <R's target> WHERE <correlated with R's parent> AND conditions`: the
/// related table under an alias of its own (it may be the parent's table, for a
/// self-referential relationship), correlated with the parent's row under the name the
/// enclosing level gave it (its alias when nested in another relationship condition).
fn related_subquery<R: Relation>(
    conditions: &[DynExpr],
    what: SeaExpr,
    b: Backend,
) -> SelectStatement {
    {
        let spec = R::SPEC;
        let to = <R::To as Model>::TABLE_NAME;
        let (parent, depth) = scope::visible(<R::From as Model>::TABLE_NAME);
        let alias = scope::alias(to, depth);
        let mut q = SelectStatement::new();
        q.expr(what);
        match spec.through {
            Some(t) => {
                let through = scope::alias(t.table, depth);
                q.from_as(Alias::new(t.table), Alias::new(&through))
                    .join_as(
                        JoinType::InnerJoin,
                        Alias::new(to),
                        Alias::new(&alias),
                        columns_equal(&alias, spec.target_cols, &through, t.target_cols),
                    )
                    .and_where(columns_equal(
                        &through,
                        t.parent_cols,
                        &parent,
                        spec.parent_cols,
                    ));
            }
            None => {
                q.from_as(Alias::new(to), Alias::new(&alias))
                    .and_where(columns_equal(
                        &alias,
                        spec.target_cols,
                        &parent,
                        spec.parent_cols,
                    ));
            }
        }
        // Conditions (and the `any` nested in them) are lowered with this level's alias in scope.
        let _level = scope::enter(to, &alias);
        for c in conditions {
            q.and_where(retable(c.lower_dyn(b), to, &alias));
        }
        q
    }
}

/// The tables that enclosing relationship subqueries alias while their conditions are lowered:
/// what a nested `any` correlates with. Lowering is synchronous, so a thread-local stack is
/// exact; each level pops itself when dropped (also on unwinding).
pub(crate) mod scope {
    use std::cell::RefCell;

    thread_local! {
        static LEVELS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    }

    /// The name `table` is visible under (the innermost enclosing alias of it, else itself), and
    /// the nesting depth.
    pub(crate) fn visible(table: &str) -> (String, usize) {
        LEVELS.with(|l| {
            let l = l.borrow();
            let name = l
                .iter()
                .rev()
                .find(|(t, _)| t == table)
                .map_or_else(|| table.to_owned(), |(_, a)| a.clone());
            (name, l.len())
        })
    }

    /// The alias of `table` at `depth`: `t_any` at the top, `t_any2`, `t_any3`.. below, so
    /// that no level hides the one it correlates with.
    pub(crate) fn alias(table: &str, depth: usize) -> String {
        match depth {
            0 => format!("{table}_any"),
            d => format!("{table}_any{}", d + 1),
        }
    }

    /// One level in scope until dropped.
    pub(crate) struct Level(());

    /// Puts `table` under `alias` in scope.
    pub(crate) fn enter(table: &str, alias: &str) -> Level {
        LEVELS.with(|l| l.borrow_mut().push((table.to_owned(), alias.to_owned())));
        Level(())
    }

    /// A query lowered on its own (a subquery written with `select`): the enclosing levels are
    /// not its scope; they come back when dropped.
    pub(crate) struct Fresh(Vec<(String, String)>);

    /// Clears the scope until the returned value is dropped.
    pub(crate) fn fresh() -> Fresh {
        Fresh(LEVELS.with(|l| std::mem::take(&mut *l.borrow_mut())))
    }

    impl Drop for Level {
        fn drop(&mut self) {
            LEVELS.with(|l| l.borrow_mut().pop());
        }
    }

    impl Drop for Fresh {
        fn drop(&mut self) {
            let saved = std::mem::take(&mut self.0);
            LEVELS.with(|l| *l.borrow_mut() = saved);
        }
    }
}

impl<R: Relation> Expression for RelatedExists<R> {
    type SqlType = Bool;
    type Table = R::From;
    type Agg = Plain;
    fn lower(&self, b: Backend) -> SeaExpr {
        SeaExpr::exists(self.subquery(b))
    }
}

impl<S, R: Relation, I> ValidIn<S, I> for RelatedExists<R>
where
    S: HasTable<R::From, I>,
{
    type Null = NotNull;
    // Correlated on the parent's relationship columns, not known one by one here.
    type Cols = super::grouping::AnyOf<R::From, I>;
    type Key = super::grouping::NoCols;
}

crate::__expression_impls!(impl[R,] RelatedExists<R>);

/// `(SELECT COUNT(*) FROM <target> WHERE <correlated> [AND conditions])`: the number of rows
/// related through `R`, a scalar subquery usable in the selection, filters and ordering; made by
/// [`RelationCount::count`] and [`RelationCount::count_where`].
pub struct RelatedCount<R> {
    conditions: Vec<DynExpr>,
    _r: Ghost<R>,
}

/// Counting along a relationship: a correlated scalar subquery (SQLAlchemy's
/// `select(func.count(Post.id)).where(Post.author_id == User.id).scalar_subquery()`).
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! {
/// #     pub struct User { #[primary_key] pub id: i64, pub name: String }
/// #     relations { posts: has_many(Post, Post::author_id) }
/// # }
/// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64, pub likes: i32 } }
/// let q = select((User::name, User::posts.count())).filter(User::posts.count_where(Post::likes.gt(10)).ge(2));
/// assert_eq!(
///     q.to_sql(Backend::Sqlite).0,
///     r#"SELECT "user"."name", (SELECT COUNT(*) FROM "post" AS "post_any" WHERE "post_any"."author_id" = "user"."id") FROM "user" WHERE (SELECT COUNT(*) FROM "post" AS "post_any" WHERE "post_any"."author_id" = "user"."id" AND "post_any"."likes" > ?) >= ?"#
/// );
/// ```
pub trait RelationCount: Relation {
    /// The number of related rows.
    fn count(self) -> RelatedCount<Self> {
        RelatedCount {
            conditions: Vec::new(),
            _r: Ghost::default(),
        }
    }

    /// The number of related rows matching `condition` (a condition on the target).
    fn count_where<P, I>(self, condition: P) -> RelatedCount<Self>
    where
        P: ValidIn<crate::schema::sources::From1<Self::To>, I>,
        BaseOf<P::SqlType>: IsBool,
        P::Agg: super::aggregate::NotAggregate,
        P::Agg: super::window::NoWindowInWhere,
    {
        RelatedCount {
            conditions: vec![Box::new(condition)],
            _r: Ghost::default(),
        }
    }
}

impl<R: Relation> RelationCount for R {}

impl<R: Relation> Expression for RelatedCount<R> {
    type SqlType = BigInt;
    type Table = R::From;
    type Agg = Plain;
    fn lower(&self, b: Backend) -> SeaExpr {
        let count = sea_query::Func::count(SeaExpr::col(sea_query::Asterisk));
        SeaExpr::SubQuery(
            None,
            Box::new(related_subquery::<R>(&self.conditions, count.into(), b).into()),
        )
    }
}

impl<S, R: Relation, I> ValidIn<S, I> for RelatedCount<R>
where
    S: HasTable<R::From, I>,
{
    type Null = NotNull;
    type Cols = super::grouping::AnyOf<R::From, I>;
    type Key = super::grouping::NoCols;
}

crate::__expression_impls!(impl[R,] RelatedCount<R>);

#[allow(unused_imports)]
use ExprTrait as _;
