//! The methods every expression has: comparisons, logic, text matching, arithmetic, ordering.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String, pub bio: Option<String> } }
//! let q = User::select().filter(
//!     User::name.ilike("%ann%").and(User::id.between(1, 10)).and(User::bio.is_not_null()),
//! );
//! assert_eq!(
//!     q.to_sql(Backend::MySql).0,
//!     "SELECT `user`.`id`, `user`.`name`, `user`.`bio` FROM `user` WHERE \
//!      LOWER(`user`.`name`) LIKE LOWER(?) ESCAPE '!' AND (`user`.`id` BETWEEN ? AND ?) AND `user`.`bio` IS NOT NULL"
//! );
//! ```

use super::Ghost;
use super::functions::{IsBool, Labeled};
use super::operators::{
    Arithmetic, Between, BinOp, Binary, InList, IsNotNullOp, IsNullOp, Like, Literal, NegOp, NotOp,
    Predicate, Unary, escape_like,
};
use super::subquery::{InQuery, ScalarSubquery};
use super::{AsOperand, BaseOf, Bind, Expression};
use crate::sql_types::{Bool, NumericType, Text, TextType};
use crate::stmt::order::{Direction, Ordered};

/// `self <op> rhs` with `rhs` of the same SQL type.
pub type Compare<L, R> =
    Binary<L, <R as AsOperand<BaseOf<<L as Expression>::SqlType>>>::Expr, Predicate>;
/// `self <arith> rhs`.
pub type Arith<L, R> =
    Binary<L, <R as AsOperand<BaseOf<<L as Expression>::SqlType>>>::Expr, Arithmetic>;
/// `self AND rhs`, `self OR rhs`.
pub type Logic<L, R> = Binary<L, <R as AsOperand<Bool>>::Expr, Predicate>;

/// Methods on every [`Expression`]; in the prelude.
// `is_null` builds an expression: it takes `self` by value like every other builder here.
#[allow(clippy::wrong_self_convention)]
pub trait ExpressionMethods: Expression + Sized {
    /// `self = rhs`
    fn eq<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Compare<Self, R> {
        Binary::new(self, BinOp::Eq, rhs.into_operand())
    }
    /// `self <> rhs`
    fn ne<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Compare<Self, R> {
        Binary::new(self, BinOp::Ne, rhs.into_operand())
    }
    /// `self < rhs`
    fn lt<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Compare<Self, R> {
        Binary::new(self, BinOp::Lt, rhs.into_operand())
    }
    /// `self <= rhs`
    fn le<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Compare<Self, R> {
        Binary::new(self, BinOp::Le, rhs.into_operand())
    }
    /// `self > rhs`
    fn gt<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Compare<Self, R> {
        Binary::new(self, BinOp::Gt, rhs.into_operand())
    }
    /// `self >= rhs`
    fn ge<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Compare<Self, R> {
        Binary::new(self, BinOp::Ge, rhs.into_operand())
    }

    /// `self IN (items...)`; an empty list matches nothing.
    fn in_<I, V>(self, items: I) -> InList<Self, V::Expr>
    where
        I: IntoIterator<Item = V>,
        V: AsOperand<BaseOf<Self::SqlType>>,
    {
        InList {
            e: self,
            items: items.into_iter().map(AsOperand::into_operand).collect(),
            negated: false,
        }
    }
    /// `self NOT IN (items...)`; an empty list matches everything.
    fn not_in<I, V>(self, items: I) -> InList<Self, V::Expr>
    where
        I: IntoIterator<Item = V>,
        V: AsOperand<BaseOf<Self::SqlType>>,
    {
        InList {
            e: self,
            items: items.into_iter().map(AsOperand::into_operand).collect(),
            negated: true,
        }
    }
    /// `self IN (subquery)`: the subquery must select one value of this expression's SQL type.
    ///
    /// ```
    /// # use azoth_dsl::prelude::*;
    /// # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub karma: i32 } }
    /// # azoth_dsl::model! { pub struct Post { #[primary_key] pub id: i64, pub author_id: i64 } }
    /// let q = Post::select().filter(Post::author_id.in_query(select(User::id).filter(User::karma.gt(9))));
    /// assert!(q.to_sql(Backend::Sqlite).0.contains(r#"IN (SELECT "user"."id" FROM "user""#));
    /// ```
    fn in_query<Q, I>(self, subquery: Q) -> InQuery<Self, Q::Null, Q::Sources>
    where
        Q: ScalarSubquery<BaseOf<Self::SqlType>, I>,
    {
        InQuery {
            e: self,
            q: Box::new(subquery),
            negated: false,
            _n: Ghost::default(),
        }
    }
    /// `self NOT IN (subquery)`.
    fn not_in_query<Q, I>(self, subquery: Q) -> InQuery<Self, Q::Null, Q::Sources>
    where
        Q: ScalarSubquery<BaseOf<Self::SqlType>, I>,
    {
        InQuery {
            e: self,
            q: Box::new(subquery),
            negated: true,
            _n: Ghost::default(),
        }
    }
    /// `self BETWEEN lo AND hi`
    fn between<A, B>(self, lo: A, hi: B) -> Between<Self, A::Expr, B::Expr>
    where
        A: AsOperand<BaseOf<Self::SqlType>>,
        B: AsOperand<BaseOf<Self::SqlType>>,
    {
        Between {
            e: self,
            lo: lo.into_operand(),
            hi: hi.into_operand(),
            negated: false,
        }
    }
    /// `self NOT BETWEEN lo AND hi`
    fn not_between<A, B>(self, lo: A, hi: B) -> Between<Self, A::Expr, B::Expr>
    where
        A: AsOperand<BaseOf<Self::SqlType>>,
        B: AsOperand<BaseOf<Self::SqlType>>,
    {
        Between {
            e: self,
            lo: lo.into_operand(),
            hi: hi.into_operand(),
            negated: true,
        }
    }
    /// `self IS NULL`
    fn is_null(self) -> Unary<Self, IsNullOp> {
        Unary::new(self)
    }
    /// `self IS NOT NULL`
    fn is_not_null(self) -> Unary<Self, IsNotNullOp> {
        Unary::new(self)
    }

    /// `self LIKE pattern ESCAPE '!'` (`%` any run, `_` one character, `!` makes the next
    /// character literal: see [`escape_like`](crate::escape_like)); the same on every backend.
    fn like<P: AsOperand<Text>>(self, pattern: P) -> Like<Self, P::Expr>
    where
        BaseOf<Self::SqlType>: TextType,
    {
        Like {
            e: self,
            pattern: pattern.into_operand(),
            case_insensitive: false,
            negated: false,
            literal: None,
        }
    }
    /// `self NOT LIKE pattern`
    fn not_like<P: AsOperand<Text>>(self, pattern: P) -> Like<Self, P::Expr>
    where
        BaseOf<Self::SqlType>: TextType,
    {
        Like {
            e: self,
            pattern: pattern.into_operand(),
            case_insensitive: false,
            negated: true,
            literal: None,
        }
    }
    /// Case-insensitive LIKE: `ILIKE` on PostgreSQL, `LOWER(self) LIKE LOWER(pattern)` elsewhere,
    /// with `ESCAPE '!'` like [`like`](Self::like).
    fn ilike<P: AsOperand<Text>>(self, pattern: P) -> Like<Self, P::Expr>
    where
        BaseOf<Self::SqlType>: TextType,
    {
        Like {
            e: self,
            pattern: pattern.into_operand(),
            case_insensitive: true,
            negated: false,
            literal: None,
        }
    }
    /// Case-insensitive NOT LIKE.
    fn not_ilike<P: AsOperand<Text>>(self, pattern: P) -> Like<Self, P::Expr>
    where
        BaseOf<Self::SqlType>: TextType,
    {
        Like {
            e: self,
            pattern: pattern.into_operand(),
            case_insensitive: true,
            negated: true,
            literal: None,
        }
    }
    /// The text contains `part` literally (`%` and `_` in `part` match only themselves):
    /// `LIKE` with `part` escaped, on SQLite a byte comparison (`instr`), since its `LIKE` stops
    /// at a NUL character.
    fn contains(self, part: &str) -> Like<Self, Bind<Text>>
    where
        BaseOf<Self::SqlType>: TextType,
    {
        literal_like(
            self,
            format!("%{}%", escape_like(part)),
            Literal::Anywhere(part.into()),
        )
    }
    /// The text starts with `prefix` literally (like [`contains`](Self::contains)).
    fn starts_with(self, prefix: &str) -> Like<Self, Bind<Text>>
    where
        BaseOf<Self::SqlType>: TextType,
    {
        literal_like(
            self,
            format!("{}%", escape_like(prefix)),
            Literal::Start(prefix.into()),
        )
    }
    /// The text ends with `suffix` literally (like [`contains`](Self::contains); `substr` on
    /// SQLite).
    fn ends_with(self, suffix: &str) -> Like<Self, Bind<Text>>
    where
        BaseOf<Self::SqlType>: TextType,
    {
        literal_like(
            self,
            format!("%{}", escape_like(suffix)),
            Literal::End(suffix.into()),
        )
    }

    /// `self AND rhs`
    fn and<R: AsOperand<Bool>>(self, rhs: R) -> Logic<Self, R>
    where
        BaseOf<Self::SqlType>: IsBool,
    {
        Binary::new(self, BinOp::And, rhs.into_operand())
    }
    /// `self OR rhs`
    fn or<R: AsOperand<Bool>>(self, rhs: R) -> Logic<Self, R>
    where
        BaseOf<Self::SqlType>: IsBool,
    {
        Binary::new(self, BinOp::Or, rhs.into_operand())
    }
    /// `NOT self`
    fn not(self) -> Unary<Self, NotOp>
    where
        BaseOf<Self::SqlType>: IsBool,
    {
        Unary::new(self)
    }

    /// `self + rhs`
    fn add<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Arith<Self, R>
    where
        BaseOf<Self::SqlType>: NumericType,
    {
        Binary::new(self, BinOp::Add, rhs.into_operand())
    }
    /// `self - rhs`
    fn sub<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Arith<Self, R>
    where
        BaseOf<Self::SqlType>: NumericType,
    {
        Binary::new(self, BinOp::Sub, rhs.into_operand())
    }
    /// `self * rhs`
    fn mul<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Arith<Self, R>
    where
        BaseOf<Self::SqlType>: NumericType,
    {
        Binary::new(self, BinOp::Mul, rhs.into_operand())
    }
    /// `self / rhs` (integer division for integer types, as in SQL).
    fn div<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Arith<Self, R>
    where
        BaseOf<Self::SqlType>: NumericType,
    {
        Binary::new(self, BinOp::Div, rhs.into_operand())
    }
    /// `self % rhs`
    fn rem<R: AsOperand<BaseOf<Self::SqlType>>>(self, rhs: R) -> Arith<Self, R>
    where
        BaseOf<Self::SqlType>: NumericType,
    {
        Binary::new(self, BinOp::Rem, rhs.into_operand())
    }
    /// `-self`
    fn neg(self) -> Unary<Self, NegOp>
    where
        BaseOf<Self::SqlType>: NumericType,
    {
        Unary::new(self)
    }

    /// Ascending order (`ORDER BY self ASC`).
    fn asc(self) -> Ordered<Self> {
        Ordered::new(self, Direction::Asc)
    }
    /// Descending order (`ORDER BY self DESC`).
    fn desc(self) -> Ordered<Self> {
        Ordered::new(self, Direction::Desc)
    }
    /// Names the expression in a selection (`expr AS name`).
    fn label(self, name: &'static str) -> Labeled<Self> {
        super::functions::label(self, name)
    }
}

impl<E: Expression> ExpressionMethods for E {}

fn literal_like<E: Expression>(e: E, pattern: String, literal: Literal) -> Like<E, Bind<Text>> {
    Like {
        e,
        pattern: Bind::new(pattern.into()),
        case_insensitive: false,
        negated: false,
        literal: Some(literal),
    }
}
