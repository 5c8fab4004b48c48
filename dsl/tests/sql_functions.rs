//! Portable math, text and date functions: the exact SQL each backend gets.

mod common;

use azoth_dsl::Value;
use azoth_dsl::prelude::*;
use common::*;

azoth_dsl::model! {
    #[table = "fn_items"]
    pub struct Item {
        #[primary_key] pub id: i64,
        pub n: i64,
        pub x: f64,
        pub price: rust_decimal::Decimal,
        pub name: String,
        pub note: Option<String>,
        pub day: chrono::NaiveDate,
        pub at: chrono::NaiveDateTime,
        pub at_tz: chrono::DateTime<chrono::Utc>,
    }
}

fn dump(name: &str, got: [azoth_dsl::Rendered; 3]) {
    for (sql, values) in got {
        println!("{name}: {sql}  {:?}", values.0);
    }
}

#[test]
fn dump_all() {
    dump("abs", all(|b| select(abs(Item::x)).to_sql(b)));
    dump("round double", all(|b| select(round(Item::x)).to_sql(b)));
    dump(
        "round_to double",
        all(|b| select(round_to(Item::x, 2)).to_sql(b)),
    );
    dump(
        "round numeric",
        all(|b| select(round_to(Item::price, 1)).to_sql(b)),
    );
    dump("round int", all(|b| select(round(Item::n)).to_sql(b)));
    dump("floor", all(|b| select(floor(Item::x)).to_sql(b)));
    dump("ceil", all(|b| select(ceil(Item::x)).to_sql(b)));
    dump("trunc", all(|b| select(trunc(Item::x)).to_sql(b)));
    dump(
        "trunc numeric",
        all(|b| select(trunc(Item::price)).to_sql(b)),
    );
    dump(
        "trunc avg",
        all(|b| select(cast::<sql_types::BigInt, _>(trunc(avg(Item::n)))).to_sql(b)),
    );
    dump(
        "concat",
        all(|b| select(concat((Item::name, "-", Item::note))).to_sql(b)),
    );
    dump(
        "substring",
        all(|b| select(substring(Item::name, 2, 3)).to_sql(b)),
    );
    dump(
        "trim",
        all(|b| select((trim(Item::name), ltrim(Item::name), rtrim(Item::note))).to_sql(b)),
    );
    dump(
        "replace",
        all(|b| select(replace(Item::name, "a", "b")).to_sql(b)),
    );
    dump(
        "extract",
        all(|b| {
            select((
                extract(DatePart::Year, Item::day),
                extract(DatePart::Second, Item::at),
                extract(DatePart::DayOfWeek, Item::at_tz),
            ))
            .to_sql(b)
        }),
    );
    dump(
        "date_add",
        all(|b| {
            select((
                date_add(Item::day, months(1)),
                date_add(Item::at, hours(-2)),
                date_add(Item::at_tz, days(3)),
            ))
            .to_sql(b)
        }),
    );
    dump("current_date", all(|b| select(current_date()).to_sql(b)));
}
