//! The two tables, the random rows loaded into them, and the cells results are compared as.

use azoth::prelude::*;
use proptest::prelude::*;

use super::ast::{lower_text, meta_text, small};

azoth::model! {
    /// The main table: integers (one nullable) and texts (one nullable, with metacharacters).
    #[table = "diff_item"]
    pub struct Item {
        #[primary_key(manual)] pub id: i64,
        pub a: i32,
        pub b: Option<i32>,
        #[max_len = 8] pub s: String,
        #[max_len = 8] pub t: Option<String>,
    }
}

azoth::model! {
    /// Rows that may belong to an item.
    #[table = "diff_part"]
    pub struct Part {
        #[primary_key(manual)] pub id: i64,
        #[references(Item::id)] pub item_id: Option<i64>,
        pub n: i32,
    }
}

/// The rows of one case.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub items: Vec<Item>,
    pub parts: Vec<Part>,
}

/// One value of a result row: integers widened to `i64`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cell {
    I(Option<i64>),
    S(Option<String>),
}

/// A result row.
pub type Row = Vec<Cell>;

pub fn int_cell(v: impl Into<Option<i32>>) -> Cell {
    Cell::I(v.into().map(i64::from))
}

/// An average, in millionths: the averages here are of at most 10 small integers, so a
/// correctly rounded double is never near a rounding boundary of the sixth decimal.
pub fn avg_cell(v: Option<f64>) -> Cell {
    Cell::I(v.map(|v| (v * 1e6).round() as i64))
}

pub fn item_row(i: &Item) -> Row {
    vec![
        Cell::I(Some(i.id)),
        int_cell(i.a),
        int_cell(i.b),
        Cell::S(Some(i.s.clone())),
        Cell::S(i.t.clone()),
    ]
}

pub fn part_row(p: &Part) -> Row {
    vec![Cell::I(Some(p.id)), Cell::I(p.item_id), int_cell(p.n)]
}

pub fn dataset() -> impl Strategy<Value = Dataset> {
    let item = (
        small(),
        proptest::option::weighted(0.7, small()),
        lower_text(),
        proptest::option::weighted(0.7, meta_text()),
    );
    proptest::collection::vec(item, 0..10).prop_flat_map(|items| {
        let n = items.len() as i64;
        let part = (
            if n == 0 {
                Just(None).boxed()
            } else {
                proptest::option::weighted(0.85, 1..=n).boxed()
            },
            small(),
        );
        (Just(items), proptest::collection::vec(part, 0..12)).prop_map(|(items, parts)| Dataset {
            items: items
                .into_iter()
                .zip(1..)
                .map(|((a, b, s, t), id)| Item { id, a, b, s, t })
                .collect(),
            parts: parts
                .into_iter()
                .zip(1..)
                .map(|((item_id, n), id)| Part { id, item_id, n })
                .collect(),
        })
    })
}

/// Replaces the rows of both tables with `data`, in one transaction.
pub async fn load(engine: &Engine, data: &Dataset) -> azoth::Result<()> {
    let mut s = engine.session();
    let mut tx = s.begin().await?;
    tx.execute(delete(Part::TABLE)).await?;
    tx.execute(delete(Item::TABLE)).await?;
    if !data.items.is_empty() {
        tx.execute(insert_many(data.items.iter().map(|i| NewItem {
            id: i.id,
            a: i.a,
            b: i.b,
            s: i.s.clone(),
            t: i.t.clone(),
        })))
        .await?;
    }
    if !data.parts.is_empty() {
        tx.execute(insert_many(data.parts.iter().map(|p| NewPart {
            id: p.id,
            item_id: p.item_id,
            n: p.n,
        })))
        .await?;
    }
    tx.commit().await
}
