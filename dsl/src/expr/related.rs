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
use super::{DynExpr, Expression, Ghost, ValidIn};
use crate::backend::Backend;
use crate::lower::retable;
use crate::schema::Model;
use crate::schema::relation::{Relation, columns_equal};
use crate::schema::sources::HasTable;
use crate::sql_types::{Bool, NotNull};

/// `EXISTS` a row related through `R` (matching the conditions, if any): made by
/// [`Relation::any`] and [`Relation::exists`].
pub struct RelatedExists<R> {
    pub(crate) conditions: Vec<DynExpr>,
    pub(crate) _r: Ghost<R>,
}

impl<R: Relation> RelatedExists<R> {
    /// The subquery: the related table under its own name (it may be the parent's table, for a
    /// self-referential relationship), correlated with the parent's row.
    fn subquery(&self, b: Backend) -> SelectStatement {
        let spec = R::SPEC;
        let parent = <R::From as Model>::TABLE_NAME;
        let to = <R::To as Model>::TABLE_NAME;
        let alias = format!("{to}_any");
        let mut q = SelectStatement::new();
        q.expr(SeaExpr::cust("1"));
        match spec.through {
            Some(t) => {
                let through = format!("{}_any", t.table);
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
                        parent,
                        spec.parent_cols,
                    ));
            }
            None => {
                q.from_as(Alias::new(to), Alias::new(&alias))
                    .and_where(columns_equal(
                        &alias,
                        spec.target_cols,
                        parent,
                        spec.parent_cols,
                    ));
            }
        }
        for c in &self.conditions {
            q.and_where(retable(c.lower_dyn(b), to, &alias));
        }
        q
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

#[allow(unused_imports)]
use ExprTrait as _;
