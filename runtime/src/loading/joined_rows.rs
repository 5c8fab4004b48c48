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
    /// How many of the first columns are the model's (what is kept).
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
        }
    }

    /// Columns with no key: each row is kept (the parent key a many-to-many row carries).
    pub(crate) fn plain(kinds: Vec<SqlKind>) -> Self {
        Segment {
            width: kinds.len(),
            kinds,
            key: Vec::new(),
        }
    }

    /// A model's columns followed by a row number, which tells the rows apart.
    pub(crate) fn numbered(meta: &TableMeta) -> Self {
        let mut kinds: Vec<SqlKind> = meta.columns.iter().map(|c| c.kind).collect();
        let width = kinds.len();
        kinds.push(SqlKind::BigInt);
        Segment {
            kinds,
            key: vec![width],
            width,
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
    index_of: KeyMap<Key, u32>,
    /// The key of the previous row and its index: the rows of one parent come together, so a
    /// repeated key is usually the previous row's (no hashing then).
    last: Option<(Key, u32)>,
    entries: Entries,
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
                index_of: KeyMap::default(),
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
                _ => store.index_of.get(k).copied(),
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
            store.entries.values.extend(buf.drain(..).take(seg.width));
            if let Some(k) = key {
                store.index_of.insert(k.clone(), index);
                store.last = Some((k, index));
            }
            cells.push(index);
        }
        Ok(())
    }

    /// The rows read.
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
