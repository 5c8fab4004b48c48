//! Rust values in expressions: always bound as parameters, never spliced into SQL.

use sea_query::{Expr as SeaExpr, Value};

use super::{Expression, Ghost, NoTable, ValidIn};
use crate::backend::Backend;
use crate::sql_types::{
    BaseType, BigInt, Blob, Bool, Date, Double, Integer, Json, Nullable, Numeric, Real, SmallInt,
    SqlType, Text, Time, Timestamp, TimestampTz, Uuid,
};

/// A bound value of SQL type `ST`.
pub struct Bind<ST> {
    value: Value,
    _st: Ghost<ST>,
}

impl<ST> Bind<ST> {
    /// Wraps a value already converted to its SQL representation.
    pub fn new(value: Value) -> Self {
        Bind {
            value,
            _st: Ghost::default(),
        }
    }
}

impl<ST: SqlType> Expression for Bind<ST> {
    type SqlType = ST;
    type Table = NoTable;
    type Agg = super::aggregate::NoColumns;
    fn lower(&self, _: Backend) -> SeaExpr {
        SeaExpr::Value(self.value.clone())
    }
    fn shape(&self, _: Backend, s: &mut crate::shape::Shape) {
        s.ty::<Self>();
        s.value(self.value.clone());
    }
}

impl<ST: SqlType, S> ValidIn<S, ()> for Bind<ST> {
    type Null = ST::Null;
    type Cols = super::grouping::NoCols;
    type Key = super::grouping::NoCols;
}

/// What may stand where an expression of base SQL type `ST` is compared: a Rust value of that type
/// or an expression (column, function) whose type has base `ST`, nullable or not.
#[diagnostic::on_unimplemented(
    message = "expected a value or expression of SQL type `{ST}`, found `{Self}`",
    label = "this has another SQL type",
    note = "use a value or column of the same SQL type, or convert with `cast::<sql_types::T, _>(..)`"
)]
pub trait AsOperand<ST: BaseType> {
    /// The expression this operand becomes.
    type Expr: Expression;
    /// Converts into the expression.
    fn into_operand(self) -> Self::Expr;
}

/// `Self` has base type `ST` (`Text` and `Nullable<Text>` both have base `Text`).
#[diagnostic::on_unimplemented(message = "expected SQL type `{ST}`, found `{Self}`")]
pub trait SameBase<ST> {}
impl<T: BaseType> SameBase<T> for T {}
impl<T: BaseType> SameBase<T> for Nullable<T> {}

/// `Self` is the base type of `T` (`Text` of `Text` and of `Nullable<Text>`): [`SameBase`] the
/// other way round, the bound of an expression's [`AsOperand`] impl. With `Self` the operand's
/// type, rustc reports a mismatch with `AsOperand`'s message alone, not "but `AsOperand<Integer>`
/// is implemented" and the impl's source.
pub trait BaseTypeOf<T> {}
impl<T: BaseType> BaseTypeOf<T> for T {}
impl<T: BaseType> BaseTypeOf<Nullable<T>> for T {}

/// What may be stored into a column of SQL type `ST` (`set`, `values`): the exact type, a non-null
/// value for a nullable column, or `None` only for a nullable column.
#[diagnostic::on_unimplemented(
    message = "a column of SQL type `{ST}` cannot be set to `{Self}`",
    label = "expected a value of SQL type `{ST}`",
    note = "`None` needs a nullable column (an `Option<_>` field in the model)"
)]
pub trait AsValue<ST: SqlType> {
    /// The expression this value becomes.
    type Expr: Expression;
    /// Converts into the expression.
    fn into_value_expr(self) -> Self::Expr;
}

/// An expression of SQL type `Self` can be stored into a column of SQL type `ST`.
#[diagnostic::on_unimplemented(
    message = "a column of SQL type `{ST}` cannot be set to an expression of SQL type `{Self}`"
)]
pub trait AssignableTo<ST> {}
impl<T: BaseType> AssignableTo<T> for T {}
impl<T: BaseType> AssignableTo<Nullable<T>> for T {}
impl<T: BaseType> AssignableTo<Nullable<T>> for Nullable<T> {}

/// A value or expression, as an expression of its own SQL type (`"x"` → a bound `Text`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither an expression nor a value with a SQL type",
    label = "expected a column, an expression or a value such as `1`, `\"text\"`, `true`"
)]
pub trait IntoExpr {
    /// The expression.
    type Expr: Expression;
    /// Converts.
    fn into_expr(self) -> Self::Expr;
}

fn value_of<T: Into<Value>>(v: T) -> Value {
    v.into()
}

macro_rules! value_impls {
    ($($rust:ty => $st:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl AsOperand<$st> for $rust {
            type Expr = Bind<$st>;
            fn into_operand(self) -> Bind<$st> { Bind::new(value_of(self)) }
        }
        impl IntoExpr for $rust {
            type Expr = Bind<$st>;
            fn into_expr(self) -> Bind<$st> { Bind::new(value_of(self)) }
        }
        #[diagnostic::do_not_recommend]
        impl AsValue<$st> for $rust {
            type Expr = Bind<$st>;
            fn into_value_expr(self) -> Bind<$st> { Bind::new(value_of(self)) }
        }
        #[diagnostic::do_not_recommend]
        impl AsValue<Nullable<$st>> for $rust {
            type Expr = Bind<Nullable<$st>>;
            fn into_value_expr(self) -> Bind<Nullable<$st>> { Bind::new(value_of(self)) }
        }
        // Generic over the column's type, so that `None` for a required column is reported with
        // `AsValue`'s message alone (not "but `AsValue<Nullable<_>>` is implemented").
        #[diagnostic::do_not_recommend]
        impl<ST: SqlType + crate::__private::Is<Nullable<$st>>> AsValue<ST> for Option<$rust> {
            type Expr = Bind<Nullable<$st>>;
            fn into_value_expr(self) -> Bind<Nullable<$st>> { Bind::new(value_of(self)) }
        }
    )*};
}

value_impls! {
    bool => Bool;
    i16 => SmallInt;
    i32 => Integer;
    i64 => BigInt;
    f32 => Real;
    f64 => Double;
    rust_decimal::Decimal => Numeric;
    String => Text;
    Vec<u8> => Blob;
    chrono::NaiveDate => Date;
    chrono::NaiveTime => Time;
    chrono::NaiveDateTime => Timestamp;
    chrono::DateTime<chrono::Utc> => TimestampTz;
    uuid::Uuid => Uuid;
    serde_json::Value => Json;
}

macro_rules! borrowed_operands {
    ($($rust:ty => $st:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<'a> AsOperand<$st> for &'a $rust {
            type Expr = Bind<$st>;
            fn into_operand(self) -> Bind<$st> { Bind::new(value_of(self.clone())) }
        }
    )*};
}

borrowed_operands! {
    String => Text;
    Vec<u8> => Blob;
    uuid::Uuid => Uuid;
    serde_json::Value => Json;
    rust_decimal::Decimal => Numeric;
}

#[diagnostic::do_not_recommend]
impl AsOperand<Text> for &str {
    type Expr = Bind<Text>;
    fn into_operand(self) -> Bind<Text> {
        Bind::new(value_of(self))
    }
}
#[diagnostic::do_not_recommend]
impl IntoExpr for &str {
    type Expr = Bind<Text>;
    fn into_expr(self) -> Bind<Text> {
        Bind::new(value_of(self))
    }
}
#[diagnostic::do_not_recommend]
impl AsValue<Text> for &str {
    type Expr = Bind<Text>;
    fn into_value_expr(self) -> Bind<Text> {
        Bind::new(value_of(self))
    }
}
#[diagnostic::do_not_recommend]
impl AsValue<Nullable<Text>> for &str {
    type Expr = Bind<Nullable<Text>>;
    fn into_value_expr(self) -> Bind<Nullable<Text>> {
        Bind::new(value_of(self))
    }
}

/// Implements [`AsOperand`], [`AsValue`] and [`IntoExpr`] for an expression type: an expression
/// stands wherever a value of its SQL type may.
///
/// Spelled out per type (not a blanket impl over `Expression`) so that a value of the wrong type
/// gives exactly one error, at the value.
#[doc(hidden)]
#[macro_export]
macro_rules! __expression_impls {
    (impl[$($g:tt)*] $ty:ty) => {
        #[diagnostic::do_not_recommend]
        impl<$($g)* __ST: $crate::sql_types::BaseType> $crate::AsOperand<__ST> for $ty
        where
            for<'__e> $ty: $crate::Expression,
            for<'__e> __ST: $crate::expr::BaseTypeOf<<$ty as $crate::Expression>::SqlType>,
        {
            type Expr = Self;
            fn into_operand(self) -> Self {
                self
            }
        }
        #[diagnostic::do_not_recommend]
        impl<$($g)* __ST: $crate::sql_types::SqlType> $crate::AsValue<__ST> for $ty
        where
            for<'__e> $ty: $crate::Expression,
            for<'__e> <$ty as $crate::Expression>::SqlType: $crate::expr::AssignableTo<__ST>,
        {
            type Expr = Self;
            fn into_value_expr(self) -> Self {
                self
            }
        }
        #[diagnostic::do_not_recommend]
        impl<$($g)*> $crate::IntoExpr for $ty
        where
            for<'__e> $ty: $crate::Expression,
        {
            type Expr = Self;
            fn into_expr(self) -> Self {
                self
            }
        }
        impl<$($g)* __S, __I> $crate::stmt::order::OrderTerm<__S, __I> for $ty
        where
            for<'__e> $ty: $crate::ValidIn<__S, __I>,
        {
            type Cols = <$ty as $crate::ValidIn<__S, __I>>::Cols;
            fn into_item(self) -> $crate::stmt::order::OrderItem {
                $crate::stmt::order::OrderItem::ascending(self)
            }
        }
        impl<$($g)* __S, __I> $crate::stmt::select::ExprList<__S, $crate::stmt::select::One<__I>> for $ty
        where
            for<'__e> $ty: $crate::ValidIn<__S, __I>,
        {
            type Keys = <$ty as $crate::ValidIn<__S, __I>>::Key;
            fn push_exprs(self, out: &mut ::std::vec::Vec<$crate::expr::DynExpr>) {
                out.push(::std::boxed::Box::new(self));
            }
        }
        impl<$($g)*> $crate::stmt::selection::Selection for $ty
        where
            for<'__e> $ty: $crate::Expression,
        {
            type Table = <$ty as $crate::Expression>::Table;
            type Agg = <$ty as $crate::Expression>::Agg;
            fn lower_items(
                &self,
                backend: $crate::Backend,
                out: &mut ::std::vec::Vec<($crate::__private::SeaExpr, ::core::option::Option<&'static str>)>,
            ) {
                $crate::stmt::selection::push_expression(self, backend, out)
            }
            fn shape(&self, backend: $crate::Backend, s: &mut $crate::shape::Shape) {
                s.name(<$ty as $crate::Expression>::selected_name(self).unwrap_or(""));
                <$ty as $crate::Expression>::shape(self, backend, s)
            }
        }
        impl<$($g)* __S, __I> $crate::stmt::selection::SelectionIn<__S, __I> for $ty
        where
            for<'__e> $ty: $crate::ValidIn<__S, __I>,
        {
            type Row = $crate::stmt::selection::ExprRow<$ty, __S, __I>;
            type SqlTypes = $crate::stmt::selection::ExprSqlType<$ty, __S, __I>;
            type Cols = <$ty as $crate::ValidIn<__S, __I>>::Cols;
        }
    };
}

crate::__expression_impls!(impl[ST,] Bind<ST>);
