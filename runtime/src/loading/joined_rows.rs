//! The rows of a joined load as read: each table's distinct rows once, and for each result row
//! which of them it holds.
//!
//! The columns of each table in a joined row (the parent's, then each joined relationship's)
//! form a segment. A segment's columns are read up to its key (the primary key, or the row
//! number of a numbered parent); when that key was read before, the rest of the segment is
//! passed over undecoded: a parent repeated on 100 rows is decoded once, and so is a post
//! repeated once per comment.

use std::any::Any;
use std::sync::Mutex;

use azoth_dsl::row::Resume;
use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{DecodeRow, Model, RowSource};
use sea_query::Value;

use super::key::{Key, KeyMap, key_at, key_of_values};
use crate::errors::{Error, Result};

/// How one table's columns sit in a joined row.
pub(crate) struct Segment {
    /// The kinds of the columns read, in order.
    kinds: Vec<SqlKind>,
    /// The positions (in `kinds`) of the columns telling rows apart; none: every row is new.
    key: Vec<usize>,
    /// How many columns before the model's are not kept (a numbered parent's row number).
    lead: usize,
    /// How many columns after `lead` are the model's (what is kept).
    width: usize,
    /// How many columns the key needs read: up to its last column (all of them without a key).
    key_end: usize,
    /// Whether the key is one BIGINT, the first column (a row number, an integer primary key:
    /// the usual case), read straight as an integer where the source can.
    int_key: bool,
    /// Where a model's distinct rows are decoded as they are first read; `None`: the values
    /// are kept as read (a many-to-many row's parent key).
    rows: Option<fn() -> Box<dyn SegmentRows>>,
}

impl Segment {
    /// A model's columns, told apart by its primary key.
    pub(crate) fn of<T: Model + DecodeRow>() -> Self {
        let meta = T::META;
        let kinds: Vec<SqlKind> = meta.columns.iter().map(|c| c.kind).collect();
        let key = meta
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.primary_key != azoth_dsl::schema::KeyKind::None)
            .map(|(i, _)| i)
            .collect();
        Segment::new(kinds, key, 0, Some(rows_of::<T>))
    }

    /// Columns with no key: each row is kept (the parent key a many-to-many row carries).
    pub(crate) fn plain(kinds: Vec<SqlKind>) -> Self {
        Segment::new(kinds, Vec::new(), 0, None)
    }

    /// A row number followed by a model's columns: the number tells the rows apart, and comes
    /// first so that a repeated parent's columns are passed over unread.
    pub(crate) fn numbered<T: Model + DecodeRow>() -> Self {
        let kinds: Vec<SqlKind> = std::iter::once(SqlKind::BigInt)
            .chain(T::META.columns.iter().map(|c| c.kind))
            .collect();
        Segment::new(kinds, vec![0], 1, Some(rows_of::<T>))
    }

    /// A segment of columns `kinds`, told apart by those at `key`.
    fn new(
        kinds: Vec<SqlKind>,
        key: Vec<usize>,
        lead: usize,
        rows: Option<fn() -> Box<dyn SegmentRows>>,
    ) -> Self {
        let key_end = key.iter().max().map_or(kinds.len(), |&last| last + 1);
        Segment {
            int_key: key == [0] && kinds.first() == Some(&SqlKind::BigInt),
            width: kinds.len() - lead,
            kinds,
            key,
            lead,
            key_end,
            rows,
        }
    }
}

/// A model's distinct rows, decoded straight from the result rows as each is first read (no
/// `Value` kept between, but for the key columns read first).
pub(crate) trait SegmentRows: Send {
    /// Decodes one more row from `src`.
    fn push(&mut self, src: &mut dyn RowSource) -> std::result::Result<(), azoth_dsl::Error>;
    /// How many rows there are.
    fn len(&self) -> usize;
    /// Keeps the rows at `order`, in that order.
    fn reorder(&mut self, order: &[u32]);
    /// The rows, as a `Vec` of the model.
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send>;
}

impl<T: DecodeRow + Send + 'static> SegmentRows for Vec<T> {
    fn push(&mut self, src: &mut dyn RowSource) -> std::result::Result<(), azoth_dsl::Error> {
        Vec::push(self, T::decode_row(src)?);
        Ok(())
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn reorder(&mut self, order: &[u32]) {
        let mut slots: Vec<Option<T>> = std::mem::take(self).into_iter().map(Some).collect();
        self.extend(
            order
                .iter()
                .filter_map(|&o| slots.get_mut(o as usize).and_then(Option::take)),
        );
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

/// A row whose first column, an integer key, was read already: gives it back first (straight
/// as an `i64`, no `Value` between), then reads on from the row.
struct AfterKey<'a> {
    key: Option<i64>,
    rest: &'a mut dyn RowSource,
}

/// Declares the straight readers of [`AfterKey`]: the key's own, then the row's.
macro_rules! after_key {
    ($($next:ident: $t:ty;)*) => {
        impl RowSource for AfterKey<'_> {
            fn next_value(&mut self, kind: SqlKind) -> std::result::Result<Value, azoth_dsl::Error> {
                match self.key.take() {
                    Some(key) => Ok(Value::BigInt(Some(key))),
                    None => self.rest.next_value(kind),
                }
            }
            fn last_column(&self) -> String {
                self.rest.last_column()
            }
            fn skip(&mut self, kind: SqlKind) -> std::result::Result<(), azoth_dsl::Error> {
                match self.key.take() {
                    Some(_) => Ok(()),
                    None => self.rest.skip(kind),
                }
            }
            fn next_i64(&mut self) -> Option<Option<i64>> {
                match self.key.take() {
                    Some(key) => Some(Some(key)),
                    None => self.rest.next_i64(),
                }
            }
            $(
                fn $next(&mut self) -> Option<Option<$t>> {
                    // The key is read back through `next_value`.
                    if self.key.is_some() { None } else { self.rest.$next() }
                }
            )*
        }
    };
}

after_key! {
    next_bool: bool;
    next_i16: i16;
    next_i32: i32;
    next_f64: f64;
    next_string: String;
    next_bytes: Vec<u8>;
    next_date: chrono::NaiveDate;
    next_time: chrono::NaiveTime;
    next_datetime: chrono::NaiveDateTime;
    next_datetime_utc: chrono::DateTime<chrono::Utc>;
    next_uuid: uuid::Uuid;
    next_json: serde_json::Value;
}

/// An empty set of rows of model `T`.
fn rows_of<T: DecodeRow + Send + 'static>() -> Box<dyn SegmentRows> {
    Box::new(Vec::<T>::new())
}

/// The distinct rows of one segment, in the order first read.
pub(crate) enum Entries {
    /// A model's rows, decoded.
    Rows(Box<dyn SegmentRows>),
    /// Plain columns' values, `width` a row.
    Values { values: Vec<Value>, width: usize },
}

impl Entries {
    /// How many distinct rows there are.
    fn len(&self) -> usize {
        match self {
            Entries::Rows(rows) => rows.len(),
            Entries::Values { values, width } => values.len().checked_div(*width).unwrap_or(0),
        }
    }

    /// The key made of all the values of plain row `i`; `None` when a value is NULL (or the
    /// rows are a model's).
    pub(crate) fn key(&self, i: usize) -> Option<Key> {
        match self {
            Entries::Values { values, width } => {
                key_of_values(values.get(i * width..(i + 1) * width)?)
            }
            Entries::Rows(_) => None,
        }
    }

    /// The model's rows, each decoded once when first read.
    pub(crate) fn decode<T: DecodeRow + 'static>(self) -> Result<Vec<T>> {
        let wrong = || Error::Unsupported("joined columns read as another type".into());
        match self {
            Entries::Rows(rows) => rows
                .into_any()
                .downcast::<Vec<T>>()
                .map(|v| *v)
                .map_err(|_| wrong()),
            Entries::Values { .. } => Err(wrong()),
        }
    }
}

/// A segment's distinct rows being read, found by key.
struct Store {
    /// The integer keys of rows 0, 1, .. while each came greater than the one before (the rows
    /// read in key order, as an ORDER BY on the key gives them): a key past the last is new with
    /// no lookup, an earlier one is found by binary search. `None` once a key broke the order:
    /// the keys are then in `by_int`.
    rising: Option<Vec<i64>>,
    /// The rows with an integer key (a row number, an integer primary key: the usual case),
    /// hashed as plain integers, once they stopped rising.
    by_int: KeyMap<i64, u32>,
    /// The rows with any other key.
    by_key: KeyMap<Key, u32>,
    /// The key of the previous row and its index: the rows of one parent come together, so a
    /// repeated key is usually the previous row's (no hashing then).
    last: Option<(Key, u32)>,
    entries: Entries,
}

impl Store {
    fn new(entries: Entries) -> Self {
        Store {
            rising: Some(Vec::new()),
            by_int: KeyMap::default(),
            by_key: KeyMap::default(),
            last: None,
            entries,
        }
    }

    /// The index of the previous row when its key is the integer `key`.
    fn repeat_of(&self, key: i64) -> Option<u32> {
        match &self.last {
            Some((Key::Int(last), index)) if *last == key => Some(*index),
            _ => None,
        }
    }

    /// The index of the row keyed `key`, if it was read before.
    fn find(&self, key: &Key) -> Option<u32> {
        match &self.last {
            Some((last, i)) if last == key => Some(*i),
            _ => match (key, &self.rising) {
                (Key::Int(i), Some(rising)) => match rising.last() {
                    Some(max) if i <= max => rising
                        .binary_search(i)
                        .ok()
                        .and_then(|at| u32::try_from(at).ok()),
                    _ => None,
                },
                (Key::Int(i), None) => self.by_int.get(i).copied(),
                (other, _) => self.by_key.get(other).copied(),
            },
        }
    }

    /// Records that the row keyed `key` has index `index`.
    fn insert(&mut self, key: Key, index: u32) {
        match &key {
            Key::Int(i) => match &mut self.rising {
                Some(rising)
                    if rising.len() == index as usize && rising.last().is_none_or(|m| i > m) =>
                {
                    rising.push(*i);
                }
                _ => {
                    self.stop_rising();
                    self.by_int.insert(*i, index);
                }
            },
            other => {
                self.stop_rising();
                self.by_key.insert(other.clone(), index);
            }
        }
        self.last = Some((key, index));
    }

    /// Moves the rising keys to `by_int`.
    fn stop_rising(&mut self) {
        if let Some(rising) = self.rising.take() {
            self.by_int.extend(rising.into_iter().zip(0u32..));
        }
    }

    /// Each row's integer key, in row order (`i64::MIN` for a row without one).
    fn int_keys(&self) -> Vec<i64> {
        let mut keys = vec![i64::MIN; self.entries.len()];
        match &self.rising {
            Some(rising) => {
                for (k, &v) in keys.iter_mut().zip(rising) {
                    *k = v;
                }
            }
            None => {
                for (&v, &i) in &self.by_int {
                    if let Some(k) = keys.get_mut(i as usize) {
                        *k = v;
                    }
                }
            }
        }
        keys
    }
}

/// No row of the segment in this result row: the LEFT JOIN found nothing.
const ABSENT: u32 = u32::MAX;

/// Reads the rows of a joined statement, one call of [`read`](Self::read) per row.
pub(crate) struct JoinedReader {
    segments: Vec<Segment>,
    stores: Vec<Store>,
    cells: Vec<u32>,
    buf: Vec<Value>,
    max_parents: usize,
}

impl JoinedReader {
    /// A reader of rows made of `segments` (the parent's first), keeping the first
    /// `max_parents` parents.
    pub(crate) fn new(segments: Vec<Segment>, max_parents: usize) -> Self {
        let stores = segments
            .iter()
            .map(|s| {
                Store::new(match s.rows {
                    Some(rows) => Entries::Rows(rows()),
                    None => Entries::Values {
                        values: Vec::new(),
                        width: s.width,
                    },
                })
            })
            .collect();
        JoinedReader {
            segments,
            stores,
            cells: Vec::new(),
            buf: Vec::new(),
            max_parents,
        }
    }

    /// Reads one result row: each segment's key, and the rest of the segment only for a key not
    /// read before. A row of a parent past `max_parents` is left out.
    pub(crate) fn read(
        &mut self,
        src: &mut dyn RowSource,
    ) -> std::result::Result<(), azoth_dsl::Error> {
        let JoinedReader {
            segments,
            stores,
            cells,
            buf,
            max_parents,
        } = self;
        let start = cells.len();
        for (s, (seg, store)) in segments.iter().zip(stores.iter_mut()).enumerate() {
            buf.clear();
            let (head, rest) = seg.kinds.split_at(seg.key_end.min(seg.kinds.len()));
            let key = match head {
                // One BIGINT first (a row number, an integer primary key: the usual case): read
                // straight as an integer where the source can, leaving `buf` empty (its value is
                // made only for a row not read before).
                _ if seg.int_key => match src.next_i64() {
                    Some(Some(i)) => {
                        // The previous row's again (a parent or a post repeated on each of
                        // its children's rows): its other columns are passed over.
                        if let Some(index) = store.repeat_of(i) {
                            for kind in rest {
                                src.skip(*kind)?;
                            }
                            cells.push(index);
                            continue;
                        }
                        Some(Key::Int(i))
                    }
                    Some(None) => None,
                    None => {
                        buf.push(src.next_value(SqlKind::BigInt)?);
                        key_at(buf, &seg.key)
                    }
                },
                _ => {
                    for kind in head {
                        buf.push(src.next_value(*kind)?);
                    }
                    key_at(buf, &seg.key)
                }
            };
            let seen = key.as_ref().and_then(|k| store.find(k));
            // A key part is NULL: no row (a primary key or a row number is never NULL).
            let absent = key.is_none() && !seg.key.is_empty();
            if absent || seen.is_some() {
                for kind in rest {
                    src.skip(*kind)?;
                }
                if absent && s == 0 {
                    // No parent: not a row of the parent query.
                    cells.truncate(start);
                    return Ok(());
                }
                if let (Some(k), Some(i)) = (key, seen) {
                    store.last = Some((k, i));
                }
                cells.push(seen.unwrap_or(ABSENT));
                continue;
            }
            if s == 0 && store.entries.len() >= *max_parents {
                cells.truncate(start);
                return Ok(());
            }
            // Without a key, every column was read as the key's (`key_end`): a row of NULLs is
            // the LEFT JOIN finding nothing.
            if seg.key.is_empty() && s > 0 && buf.iter().all(|v| !v.is_some()) {
                cells.push(ABSENT);
                continue;
            }
            let index = u32::try_from(store.entries.len()).unwrap_or(ABSENT);
            if index == ABSENT {
                return Err(azoth_dsl::Error::Unrepresentable {
                    column: src.last_column(),
                    problem: "more distinct rows than a joined load numbers".into(),
                });
            }
            match (&key, buf.is_empty(), &mut store.entries) {
                // The model's first column, its integer key, read straight: given back as it is.
                (Some(Key::Int(i)), true, Entries::Rows(rows)) if seg.lead == 0 => {
                    rows.push(&mut AfterKey {
                        key: Some(*i),
                        rest: src,
                    })?;
                    store.insert(Key::Int(*i), index);
                    cells.push(index);
                    continue;
                }
                (Some(Key::Int(i)), true, _) => buf.push(Value::BigInt(Some(*i))),
                _ => {}
            }
            // The model's columns: those read for the key, then the rest straight from the row.
            let kept = buf.get_mut(seg.lead..).unwrap_or_default();
            match &mut store.entries {
                Entries::Rows(rows) => rows.push(&mut Resume::new(kept, src))?,
                Entries::Values { values, .. } => {
                    values.extend(
                        kept.iter_mut()
                            .map(|v| std::mem::replace(v, Value::Bool(None))),
                    );
                    for kind in rest {
                        values.push(src.next_value(*kind)?);
                    }
                }
            }
            if let Some(k) = key {
                store.insert(k, index);
            }
            cells.push(index);
        }
        Ok(())
    }

    /// The rows read.
    /// [`finish`](Self::finish), with the rows first put in order of each segment's integer
    /// key, segment by segment (a missing row first), and each segment's distinct rows numbered
    /// again in order of first appearance: what the ORDER BY of a statement that left the order
    /// to us would have given. A key that is not an integer orders first (the caller asks only
    /// for segments keyed by an integer: a row number or an integer primary key).
    pub(crate) fn finish_sorted(mut self) -> Joined {
        let n = self.segments.len();
        let rows = self.cells.len().checked_div(n).unwrap_or(0);
        if rows < 2 {
            return self.finish();
        }
        // Each distinct row's key, per segment.
        let keys: Vec<Vec<i64>> = self.stores.iter().map(Store::int_keys).collect();
        let cells = &self.cells;
        // Each row's keys, segment by segment: what the rows are sorted by.
        let flat: Vec<i64> = cells
            .iter()
            .enumerate()
            .map(|(i, &c)| match keys.get(i % n) {
                Some(k) if c != ABSENT => k.get(c as usize).copied().unwrap_or(i64::MIN),
                _ => i64::MIN,
            })
            .collect();
        let mut order: Vec<usize> = (0..rows).collect();
        // Rows with equal keys hold the same distinct rows: their order does not matter.
        order.sort_unstable_by(|&a, &b| {
            flat.get(a * n..(a + 1) * n)
                .cmp(&flat.get(b * n..(b + 1) * n))
        });
        // Renumber each segment's distinct rows in order of first appearance.
        let mut renumbered: Vec<Vec<u32>> = self
            .stores
            .iter()
            .map(|st| vec![ABSENT; st.entries.len()])
            .collect();
        let mut next = vec![0u32; n];
        let mut sorted = Vec::with_capacity(self.cells.len());
        for &row in &order {
            for s in 0..n {
                let c = cells.get(row * n + s).copied().unwrap_or(ABSENT);
                let new = match (renumbered.get_mut(s), next.get_mut(s)) {
                    (Some(map), Some(count)) if c != ABSENT => match map.get_mut(c as usize) {
                        Some(m) if *m == ABSENT => {
                            *m = *count;
                            *count += 1;
                            *m
                        }
                        Some(m) => *m,
                        None => ABSENT,
                    },
                    _ => ABSENT,
                };
                sorted.push(new);
            }
        }
        self.cells = sorted;
        for (st, map) in self.stores.iter_mut().zip(&renumbered) {
            // Each new index's old one, then the rows moved over in the new order.
            let mut old_of = vec![ABSENT; map.len()];
            for (old, &new) in map.iter().enumerate() {
                if let Some(o) = old_of.get_mut(new as usize) {
                    *o = old as u32;
                }
            }
            old_of.retain(|&o| o != ABSENT);
            match &mut st.entries {
                Entries::Rows(rows) => rows.reorder(&old_of),
                Entries::Values { values, width } => {
                    let width = *width;
                    let mut moved = Vec::with_capacity(values.len());
                    for &old in &old_of {
                        let start = old as usize * width;
                        if let Some(chunk) = values.get_mut(start..start + width) {
                            moved.extend(
                                chunk
                                    .iter_mut()
                                    .map(|v| std::mem::replace(v, Value::Bool(None))),
                            );
                        }
                    }
                    *values = moved;
                }
            }
        }
        self.finish()
    }

    pub(crate) fn finish(self) -> Joined {
        Joined {
            segments: self.segments.len(),
            cells: self.cells,
            entries: self
                .stores
                .into_iter()
                .map(|s| Mutex::new(Some(s.entries)))
                .collect(),
        }
    }
}

/// The rows of a joined statement: each segment's distinct rows, and for each result row the
/// index of the row each segment holds.
pub struct Joined {
    segments: usize,
    cells: Vec<u32>,
    entries: Vec<Mutex<Option<Entries>>>,
}

impl Joined {
    /// How many result rows were kept.
    pub(crate) fn rows(&self) -> usize {
        self.cells.len().checked_div(self.segments).unwrap_or(0)
    }

    /// The distinct row segment `segment` holds in result row `row`; `None` when there is none.
    pub(crate) fn cell(&self, row: usize, segment: usize) -> Option<usize> {
        let c = *self.cells.get(row * self.segments + segment)?;
        (c != ABSENT).then_some(c as usize)
    }

    /// The result rows among `rows` that hold each of the `n` distinct rows of `segment`, in
    /// the order of `rows` (each list allocated once, at its length).
    pub(crate) fn group(
        &self,
        rows: impl Iterator<Item = usize> + Clone,
        segment: usize,
        n: usize,
    ) -> Vec<Vec<usize>> {
        let mut counts = vec![0usize; n];
        for row in rows.clone() {
            if let Some(c) = self.cell(row, segment).and_then(|i| counts.get_mut(i)) {
                *c += 1;
            }
        }
        let mut groups: Vec<Vec<usize>> = counts.into_iter().map(Vec::with_capacity).collect();
        for row in rows {
            if let Some(g) = self.cell(row, segment).and_then(|i| groups.get_mut(i)) {
                g.push(row);
            }
        }
        groups
    }

    /// The distinct rows of `segment`, taken (each relationship reads its segment once).
    pub(crate) fn take(&self, segment: usize) -> Result<Entries> {
        let missing = || Error::Unsupported(format!("joined columns {segment} read twice"));
        let slot = self.entries.get(segment).ok_or_else(missing)?;
        let mut guard = slot.lock().map_err(|_| missing())?;
        guard.take().ok_or_else(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        Store::new(Entries::Values {
            values: Vec::new(),
            width: 1,
        })
    }

    #[test]
    fn rising_keys_are_found_without_hashing_and_moved_to_the_map_when_they_stop_rising() {
        let mut st = store();
        for (key, index) in [(10, 0), (20, 1), (30, 2)] {
            assert_eq!(st.find(&Key::Int(key)), None, "{key} is new");
            st.insert(Key::Int(key), index);
        }
        assert_eq!(st.by_int.len(), 0, "no hashing while the keys rise");
        assert_eq!(st.find(&Key::Int(20)), Some(1));
        assert_eq!(st.find(&Key::Int(15)), None);
        assert_eq!(st.find(&Key::Int(40)), None);
        // A key below the last: every key moves to the map, and is still found.
        st.insert(Key::Int(5), 3);
        assert!(st.rising.is_none());
        for (key, index) in [(10, 0), (20, 1), (30, 2), (5, 3)] {
            assert_eq!(st.find(&Key::Int(key)), Some(index), "{key}");
        }
        assert_eq!(st.find(&Key::Int(15)), None);
    }

    #[test]
    fn a_row_numbered_out_of_turn_or_keyed_otherwise_stops_the_rising_keys() {
        let mut st = store();
        st.insert(Key::Int(1), 0);
        // Index 2 after index 0: a row in between had no key.
        st.insert(Key::Int(2), 2);
        assert!(st.rising.is_none());
        assert_eq!(st.find(&Key::Int(1)), Some(0));
        assert_eq!(st.find(&Key::Int(2)), Some(2));
        let mut st = store();
        st.insert(Key::Int(1), 0);
        st.insert(Key::Text("a".into()), 1);
        assert!(st.rising.is_none());
        assert_eq!(st.find(&Key::Int(1)), Some(0));
        assert_eq!(st.find(&Key::Text("a".into())), Some(1));
    }
}
