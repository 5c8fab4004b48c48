//! The rows of a joined load as read: each table's distinct rows once, and for each result row
//! which of them it holds.
//!
//! The columns of each table in a joined row (the parent's, then each joined relationship's)
//! form a segment. A segment's columns are read up to its key (the primary key, or the row
//! number of a numbered parent); when that key was read before, the rest of the segment is
//! passed over undecoded: a parent repeated on 100 rows is decoded once, and so is a post
//! repeated once per comment.

use std::sync::Mutex;

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{DecodeRow, RowSource, TableMeta};
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
}

impl Segment {
    /// A model's columns, told apart by its primary key.
    pub(crate) fn of(meta: &TableMeta) -> Self {
        let kinds: Vec<SqlKind> = meta.columns.iter().map(|c| c.kind).collect();
        let key = meta
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.primary_key != azoth_dsl::schema::KeyKind::None)
            .map(|(i, _)| i)
            .collect();
        Segment {
            width: kinds.len(),
            kinds,
            key,
            lead: 0,
        }
    }

    /// Columns with no key: each row is kept (the parent key a many-to-many row carries).
    pub(crate) fn plain(kinds: Vec<SqlKind>) -> Self {
        Segment {
            width: kinds.len(),
            kinds,
            key: Vec::new(),
            lead: 0,
        }
    }

    /// A row number followed by a model's columns: the number tells the rows apart, and comes
    /// first so that a repeated parent's columns are passed over unread.
    pub(crate) fn numbered(meta: &TableMeta) -> Self {
        let kinds: Vec<SqlKind> = std::iter::once(SqlKind::BigInt)
            .chain(meta.columns.iter().map(|c| c.kind))
            .collect();
        Segment {
            width: kinds.len() - 1,
            kinds,
            key: vec![0],
            lead: 1,
        }
    }

    /// How many columns the key needs read: up to its last column (all of them without a key).
    fn key_end(&self) -> usize {
        self.key
            .iter()
            .max()
            .map_or(self.kinds.len(), |&last| last + 1)
    }
}

/// The distinct rows of one segment, in the order first read: `width` values each.
pub(crate) struct Entries {
    values: Vec<Value>,
    width: usize,
}

impl Entries {
    /// How many distinct rows there are.
    fn len(&self) -> usize {
        self.values.len().checked_div(self.width).unwrap_or(0)
    }

    /// The key made of all the values of row `i`; `None` when a value is NULL.
    pub(crate) fn key(&self, i: usize) -> Option<Key> {
        let row = self.values.get(i * self.width..(i + 1) * self.width)?;
        key_of_values(row)
    }

    /// Decodes each distinct row once, moving its values; `names` are the columns' names.
    pub(crate) fn decode<T: DecodeRow>(mut self, names: &[&'static str]) -> Result<Vec<T>> {
        let n = self.len();
        let mut out = Vec::with_capacity(n);
        if self.width == 0 {
            return Ok(out);
        }
        for chunk in self.values.chunks_mut(self.width) {
            let mut src = TakeSlice {
                values: chunk,
                names,
                next: 0,
            };
            out.push(T::decode_row(&mut src)?);
        }
        Ok(out)
    }
}

/// Reads a slice of values, moving each out as it is read.
struct TakeSlice<'a> {
    values: &'a mut [Value],
    names: &'a [&'static str],
    next: usize,
}

impl RowSource for TakeSlice<'_> {
    fn next_value(&mut self, _kind: SqlKind) -> std::result::Result<Value, azoth_dsl::Error> {
        let found = self.values.len();
        let v = self
            .values
            .get_mut(self.next)
            .ok_or(azoth_dsl::Error::MissingColumn { found })?;
        self.next += 1;
        Ok(std::mem::replace(v, Value::Bool(None)))
    }
    fn last_column(&self) -> String {
        let i = self.next.saturating_sub(1);
        self.names
            .get(i)
            .map_or_else(|| format!("#{i}"), |n| (*n).to_owned())
    }
}

/// A segment's distinct rows being read, found by key.
struct Store {
    /// The rows with an integer key (a row number, an integer primary key: the usual case),
    /// hashed as plain integers.
    by_int: KeyMap<i64, u32>,
    /// The rows with any other key.
    by_key: KeyMap<Key, u32>,
    /// The key of the previous row and its index: the rows of one parent come together, so a
    /// repeated key is usually the previous row's (no hashing then).
    last: Option<(Key, u32)>,
    entries: Entries,
}

impl Store {
    /// The index of the row keyed `key`, if it was read before.
    fn find(&self, key: &Key) -> Option<u32> {
        match key {
            Key::Int(i) => self.by_int.get(i).copied(),
            other => self.by_key.get(other).copied(),
        }
    }

    /// Records that the row keyed `key` has index `index`.
    fn insert(&mut self, key: Key, index: u32) {
        match key {
            Key::Int(i) => {
                self.by_int.insert(i, index);
            }
            other => {
                self.by_key.insert(other, index);
            }
        }
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
            .map(|s| Store {
                by_int: KeyMap::default(),
                by_key: KeyMap::default(),
                last: None,
                entries: Entries {
                    values: Vec::new(),
                    width: s.width,
                },
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
            let key_end = seg.key_end();
            let (head, rest) = seg.kinds.split_at(key_end.min(seg.kinds.len()));
            for kind in head {
                buf.push(src.next_value(*kind)?);
            }
            let key = key_at(buf, &seg.key);
            let seen = key.as_ref().and_then(|k| match &store.last {
                Some((last, i)) if last == k => Some(*i),
                _ => store.find(k),
            });
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
            for kind in rest {
                buf.push(src.next_value(*kind)?);
            }
            // Without a key, a row of NULLs is the LEFT JOIN finding nothing.
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
            let end = (seg.lead + seg.width).min(buf.len());
            store
                .entries
                .values
                .extend(buf.drain(seg.lead.min(end)..end));
            if let Some(k) = key {
                store.insert(k.clone(), index);
                store.last = Some((k, index));
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
        let keys: Vec<Vec<i64>> = self
            .stores
            .iter()
            .map(|st| {
                let mut k = vec![i64::MIN; st.entries.len()];
                for (&v, &i) in &st.by_int {
                    if let Some(slot) = k.get_mut(i as usize) {
                        *slot = v;
                    }
                }
                k
            })
            .collect();
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
            let width = st.entries.width;
            if width == 0 {
                continue;
            }
            // Each new index's old one, then the values moved over in the new order.
            let mut old_of = vec![ABSENT; map.len()];
            for (old, &new) in map.iter().enumerate() {
                if let Some(o) = old_of.get_mut(new as usize) {
                    *o = old as u32;
                }
            }
            let mut values = Vec::with_capacity(st.entries.values.len());
            for &old in old_of.iter().filter(|&&o| o != ABSENT) {
                let start = old as usize * width;
                if let Some(chunk) = st.entries.values.get_mut(start..start + width) {
                    values.extend(
                        chunk
                            .iter_mut()
                            .map(|v| std::mem::replace(v, Value::Bool(None))),
                    );
                }
            }
            st.entries.values = values;
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

    /// The distinct rows of `segment`, taken (each relationship reads its segment once).
    pub(crate) fn take(&self, segment: usize) -> Result<Entries> {
        let missing = || Error::Unsupported(format!("joined columns {segment} read twice"));
        let slot = self.entries.get(segment).ok_or_else(missing)?;
        let mut guard = slot.lock().map_err(|_| missing())?;
        guard.take().ok_or_else(missing)
    }
}
