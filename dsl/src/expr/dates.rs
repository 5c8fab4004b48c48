//! Portable date functions: `extract` of a date part, date arithmetic with intervals
//! (`date_add(expr, days(n))`), `current_date()`; one meaning on every backend.
//!
//! - Timestamps with time zone are read in UTC on every backend (PostgreSQL would use the
//!   session's time zone).
//! - Adding months or years keeps the day of the month, or takes the month's last day when it
//!   has fewer days (Jan 31 + 1 month → Feb 29 in 2024), as PostgreSQL and MySQL do; SQLite needs
//!   its `'floor'` modifier for that (SQLite 3.46, which the bundled build is).
//! - SQLite's date functions keep milliseconds: a timestamp moved there loses microseconds.
//! - The interval amount is a bound value; a negative amount goes back.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Order { #[primary_key] pub id: i64, pub placed: chrono::NaiveDate } }
//! let due = date_add(Order::placed, days(30));
//! let (sql, values) = select((extract(DatePart::Year, Order::placed), due)).to_sql(Backend::MySql);
//! assert_eq!(sql, "SELECT EXTRACT(YEAR FROM `order`.`placed`), DATE_ADD(`order`.`placed`, INTERVAL ? DAY) FROM `order`");
//! assert_eq!(values.0, [azoth_dsl::Value::Int(Some(30))]);
//! ```

use sea_query::{Alias, Expr as SeaExpr, ExprTrait, Func};

use super::aggregate::NoColumns;
use super::grouping::NoCols;
use super::template::custom;
use super::{BaseOf, Expression, Ghost, NoTable, NullOf, ValidIn};
use crate::backend::Backend;
use crate::sql_types::{
    BaseType, Date, Integer, NotNull, NullFlag, SqlKind, Timestamp, TimestampTz,
};

/// The date and time SQL types `extract` and `date_add` take.
#[diagnostic::on_unimplemented(
    message = "`extract` and `date_add` need a date or timestamp, found SQL type `{Self}`",
    label = "not a date or timestamp",
    note = "date types are Date (NaiveDate), Timestamp (NaiveDateTime) and TimestampTz (DateTime<Utc>)"
)]
pub trait DateLike: BaseType {}
#[diagnostic::do_not_recommend]
impl DateLike for Date {}
#[diagnostic::do_not_recommend]
impl DateLike for Timestamp {}
#[diagnostic::do_not_recommend]
impl DateLike for TimestampTz {}

/// A part of a date or timestamp, for [`extract`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    /// The year (2024).
    Year,
    /// The month, 1 to 12.
    Month,
    /// The day of the month, 1 to 31.
    Day,
    /// The hour, 0 to 23 (0 for a date).
    Hour,
    /// The minute, 0 to 59 (0 for a date).
    Minute,
    /// The whole seconds, 0 to 59, fraction dropped (0 for a date).
    Second,
    /// The day of the week, 0 (Sunday) to 6 (Saturday).
    DayOfWeek,
}

impl DatePart {
    fn sql(self) -> &'static str {
        match self {
            DatePart::Year => "YEAR",
            DatePart::Month => "MONTH",
            DatePart::Day => "DAY",
            DatePart::Hour => "HOUR",
            DatePart::Minute => "MINUTE",
            DatePart::Second => "SECOND",
            DatePart::DayOfWeek => "DOW",
        }
    }

    fn strftime(self) -> &'static str {
        match self {
            DatePart::Year => "'%Y'",
            DatePart::Month => "'%m'",
            DatePart::Day => "'%d'",
            DatePart::Hour => "'%H'",
            DatePart::Minute => "'%M'",
            DatePart::Second => "'%S'",
            DatePart::DayOfWeek => "'%w'",
        }
    }
}

/// A part of a date or timestamp, as an integer.
pub struct Extract<E> {
    e: E,
    part: DatePart,
}

/// The `part` of a date or timestamp as an integer (`EXTRACT(YEAR FROM x)`); in UTC for a
/// timestamp with time zone; NULL if `x` is.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Order { #[primary_key] pub id: i64, pub placed: chrono::NaiveDate } }
/// assert_eq!(
///     select(extract(DatePart::Month, Order::placed)).to_sql(Backend::Sqlite).0,
///     r#"SELECT CAST(STRFTIME('%m', "order"."placed") AS INTEGER) FROM "order""#
/// );
/// ```
pub fn extract<E: Expression>(part: DatePart, e: E) -> Extract<E>
where
    BaseOf<E::SqlType>: DateLike,
{
    Extract { e, part }
}

impl<E: Expression> Expression for Extract<E> {
    type SqlType = <NullOf<E::SqlType> as NullFlag>::Apply<Integer>;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let x = self.e.lower(b);
        let kind = <BaseOf<E::SqlType> as BaseType>::KIND;
        let part = self.part;
        match b {
            Backend::Postgres => {
                let x = match kind {
                    // EXTRACT(HOUR FROM date) is an error on PostgreSQL 14+.
                    SqlKind::Date => Func::cast_as(x, Alias::new("TIMESTAMP")).into(),
                    SqlKind::TimestampTz => custom(b, "? AT TIME ZONE 'UTC'", vec![x]),
                    _ => x,
                };
                let tmpl = if part == DatePart::Second {
                    // Seconds carry their fraction; CAST would round 59.9 up to 60.
                    format!("CAST(TRUNC(EXTRACT({} FROM ?)) AS INTEGER)", part.sql())
                } else {
                    format!("CAST(EXTRACT({} FROM ?) AS INTEGER)", part.sql())
                };
                custom(b, &tmpl, vec![x])
            }
            Backend::MySql => match part {
                // DAYOFWEEK counts from 1 (Sunday).
                DatePart::DayOfWeek => Func::cust("DAYOFWEEK")
                    .arg(x)
                    .sub(SeaExpr::Constant(1i32.into())),
                _ => custom(b, &format!("EXTRACT({} FROM ?)", part.sql()), vec![x]),
            },
            Backend::Sqlite => custom(
                b,
                &format!("CAST(STRFTIME({}, ?) AS INTEGER)", part.strftime()),
                vec![x],
            ),
        }
    }
}

impl<S, E: ValidIn<S, I>, I> ValidIn<S, I> for Extract<E> {
    type Null = E::Null;
    type Cols = E::Cols;
    type Key = NoCols;
}

/// The unit of an [`Interval`].
pub trait IntervalUnit: Send + Sync + 'static {
    /// `DAY`, `HOUR`, .. (MySQL's `INTERVAL ? DAY`).
    const MYSQL: &'static str;
    /// `days`, `hours`, .. (PostgreSQL's `MAKE_INTERVAL(days => ..)`).
    const POSTGRES: &'static str;
    /// `days`, `hours`, .. (SQLite's modifier `'3 days'`).
    const SQLITE: &'static str;
}

macro_rules! units {
    ($($(#[$doc:meta])* $unit:ident, $fn:ident, $my:literal, $pg:literal, $lite:literal;)*) => {$(
        $(#[$doc])*
        pub struct $unit;
        impl IntervalUnit for $unit {
            const MYSQL: &'static str = $my;
            const POSTGRES: &'static str = $pg;
            const SQLITE: &'static str = $lite;
        }
        #[doc = concat!("An interval of `n` ", $lite, " (negative to go back), for [`date_add`].")]
        ///
        /// ```
        /// # use azoth_dsl::prelude::*;
        /// # azoth_dsl::model! { pub struct Event { #[primary_key] pub id: i64, pub at: chrono::NaiveDateTime } }
        #[doc = concat!("let (_, values) = select(date_add(Event::at, ", stringify!($fn), "(2))).to_sql(Backend::Postgres);")]
        /// assert_eq!(values.0, [azoth_dsl::Value::Int(Some(2))]);
        /// ```
        pub fn $fn(n: i32) -> Interval<$unit> {
            Interval { n, _u: Ghost::default() }
        }
    )*};
}

units! {
    /// Years, for [`years`].
    Years, years, "YEAR", "years", "years";
    /// Months, for [`months`].
    Months, months, "MONTH", "months", "months";
    /// Days, for [`days`].
    Days, days, "DAY", "days", "days";
    /// Hours, for [`hours`].
    Hours, hours, "HOUR", "hours", "hours";
    /// Minutes, for [`minutes`].
    Minutes, minutes, "MINUTE", "mins", "minutes";
    /// Seconds, for [`seconds`].
    Seconds, seconds, "SECOND", "secs", "seconds";
}

/// `n` units of time, bound as a value: `days(3)`, `hours(-2)`.
pub struct Interval<U> {
    n: i32,
    _u: Ghost<U>,
}

/// Which intervals a date type takes: a date takes years, months and days; a timestamp any.
#[diagnostic::on_unimplemented(
    message = "a `{T}` cannot be moved by an interval of `{Self}`",
    label = "a date moves by years, months or days only",
    note = "cast the date to a timestamp first: `cast::<sql_types::Timestamp, _>(date)`"
)]
pub trait IntervalOf<T> {}
macro_rules! interval_of {
    ($t:ty: $($u:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl IntervalOf<$t> for $u {}
    )*};
}
interval_of!(Date: Years, Months, Days);
interval_of!(Timestamp: Years, Months, Days, Hours, Minutes, Seconds);
interval_of!(TimestampTz: Years, Months, Days, Hours, Minutes, Seconds);

/// A date or timestamp moved by an interval.
pub struct DateAdd<E, U> {
    e: E,
    n: i32,
    _u: Ghost<U>,
}

/// `x` moved by `interval` (`date_add(Order::placed, days(30))`), of `x`'s type; NULL if `x` is.
/// Adding months or years to the 31st gives the month's last day when it is shorter.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// # azoth_dsl::model! { pub struct Order { #[primary_key] pub id: i64, pub placed: chrono::NaiveDate } }
/// let q = select(date_add(Order::placed, months(1)));
/// assert_eq!(q.to_sql(Backend::Sqlite).0, r#"SELECT DATE("order"."placed", ? || ' months', 'floor') FROM "order""#);
/// assert_eq!(
///     q.to_sql(Backend::Postgres).0,
///     r#"SELECT CAST("order"."placed" + MAKE_INTERVAL(months => $1) AS DATE) FROM "order""#
/// );
/// ```
pub fn date_add<E, U>(e: E, interval: Interval<U>) -> DateAdd<E, U>
where
    E: Expression,
    BaseOf<E::SqlType>: DateLike,
    U: IntervalUnit + IntervalOf<BaseOf<E::SqlType>>,
{
    DateAdd {
        e,
        n: interval.n,
        _u: Ghost::default(),
    }
}

impl<E: Expression, U: IntervalUnit> Expression for DateAdd<E, U> {
    type SqlType = E::SqlType;
    type Table = E::Table;
    type Agg = E::Agg;
    fn lower(&self, b: Backend) -> SeaExpr {
        let x = self.e.lower(b);
        let n = SeaExpr::Value(self.n.into());
        let kind = <BaseOf<E::SqlType> as BaseType>::KIND;
        match b {
            Backend::Postgres => {
                let by = format!("MAKE_INTERVAL({} => ?)", U::POSTGRES);
                match kind {
                    SqlKind::Date => custom(b, &format!("CAST(? + {by} AS DATE)"), vec![x, n]),
                    // In UTC, as the other backends, whatever the session's time zone.
                    SqlKind::TimestampTz => custom(
                        b,
                        &format!("(? AT TIME ZONE 'UTC' + {by}) AT TIME ZONE 'UTC'"),
                        vec![x, n],
                    ),
                    _ => custom(b, &format!("? + {by}"), vec![x, n]),
                }
            }
            Backend::MySql => custom(
                b,
                &format!("DATE_ADD(?, INTERVAL ? {})", U::MYSQL),
                vec![x, n],
            ),
            Backend::Sqlite => {
                // 'floor': Jan 31 + 1 month is Feb 29, not Mar 2.
                let floor = if matches!(U::SQLITE, "months" | "years") {
                    ", 'floor'"
                } else {
                    ""
                };
                let tmpl = if kind == SqlKind::Date {
                    format!("DATE(?, ? || ' {}'{floor})", U::SQLITE)
                } else {
                    format!(
                        "STRFTIME('%Y-%m-%d %H:%M:%f', ?, ? || ' {}'{floor})",
                        U::SQLITE
                    )
                };
                custom(b, &tmpl, vec![x, n])
            }
        }
    }
}

impl<S, E: ValidIn<S, I>, U: IntervalUnit, I> ValidIn<S, I> for DateAdd<E, U> {
    type Null = E::Null;
    type Cols = E::Cols;
    type Key = NoCols;
}

/// `CURRENT_DATE`.
pub struct CurrentDate;

/// Today's date (`CURRENT_DATE`): in the session's time zone on PostgreSQL and MySQL, in UTC on
/// SQLite.
///
/// ```
/// # use azoth_dsl::prelude::*;
/// assert_eq!(select(current_date()).to_sql(Backend::Postgres).0, "SELECT CURRENT_DATE");
/// ```
pub const fn current_date() -> CurrentDate {
    CurrentDate
}

impl Expression for CurrentDate {
    type SqlType = Date;
    type Table = NoTable;
    type Agg = NoColumns;
    fn lower(&self, _: Backend) -> SeaExpr {
        SeaExpr::current_date()
    }
}

impl<S> ValidIn<S, ()> for CurrentDate {
    type Null = NotNull;
    type Cols = NoCols;
    type Key = NoCols;
}

crate::__expression_impls!(impl[E,] Extract<E>);
crate::__expression_impls!(impl[E, U,] DateAdd<E, U>);
crate::__expression_impls!(impl[] CurrentDate);
