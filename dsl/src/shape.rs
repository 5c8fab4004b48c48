//! Rendering once per query shape: a statement's SQL text depends on its shape (the Rust types of
//! its parts, its clauses, list lengths, labels), not on its values; so the text is rendered once
//! per shape and backend, kept in a per-thread cache, and building the same shape again only
//! collects the bound values.
//!
//! Every part reports its shape and values through [`Expression::shape`](crate::Expression) in the
//! order the renderer writes its placeholders. A part that does not (or whose text depends on its
//! values) marks the statement uncacheable, and it is rendered by sea-query each time. A shape is
//! cached only after a fresh rendering bound exactly the values collected for it.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
//! let q = |name: &str| User::select().filter(User::name.eq(name.to_owned())).limit(10);
//! let first = q("ann").to_sql(Backend::Postgres); // rendered, then cached
//! let again = q("bob").to_sql(Backend::Postgres); // the cached text, the new values
//! assert_eq!(first.0, again.0);
//! assert_eq!(again.1, q("bob").to_sql_uncached(Backend::Postgres).1);
//! ```

use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use sea_query::{Value, Values};

use crate::backend::Backend;
use crate::lower::Rendered;

/// Most shapes one thread keeps: beyond it, new shapes are rendered each time (a query built with
/// run-time-length lists has a shape per length).
const CAPACITY: usize = 4096;

// A key is a stream of 64-bit words, each token tagged in its top two bits so that the stream reads
// back one way only, with the types it names kept beside it in order (a `TypeId` is compared whole).
const TAG_NUM: u64 = 0;
const TAG_TYPE: u64 = 1 << 62;
const TAG_STR: u64 = 2 << 62;
const TAG_TEXT: u64 = 3 << 62;
const PAYLOAD: u64 = (1 << 62) - 1;

/// What decides a statement's SQL text, and its bound values in placeholder order.
pub struct Shape {
    words: Vec<u64>,
    types: Vec<TypeId>,
    values: Vec<Value>,
    cacheable: bool,
}

thread_local! {
    /// The key buffers of the last shape, reused so that building a key allocates nothing.
    static SCRATCH: RefCell<(Vec<u64>, Vec<TypeId>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl Shape {
    /// An empty shape for `backend`.
    pub fn new(backend: Backend) -> Self {
        let (mut words, mut types) = SCRATCH
            .try_with(|s| std::mem::take(&mut *s.borrow_mut()))
            .unwrap_or_default();
        words.clear();
        types.clear();
        words.push(backend as u64);
        Shape {
            words,
            types,
            values: Vec::with_capacity(8),
            cacheable: true,
        }
    }

    /// Adds a type: for an expression, its own type, which fixes its text up to its run-time parts.
    pub fn ty<T: ?Sized + 'static>(&mut self) {
        self.words.push(TAG_TYPE);
        self.types.push(TypeId::of::<T>());
    }

    /// Adds a number that decides the text (a list's length, a flag, an operator).
    pub fn num(&mut self, n: u64) {
        if n <= PAYLOAD {
            self.words.push(TAG_NUM | n);
        } else {
            // Rare: a number too wide for one tagged word takes a marker and itself.
            self.words.extend([TAG_NUM | PAYLOAD, n]);
        }
    }

    /// Adds a static name that is written into the text (a label, a table).
    pub fn name(&mut self, s: &'static str) {
        // By address: the same text at two addresses only makes two entries, never a wrong one.
        self.words
            .extend([TAG_STR | s.len() as u64 & PAYLOAD, s.as_ptr() as u64]);
    }

    /// Adds a run-time name that is written into the text (an alias).
    pub fn text(&mut self, s: &str) {
        self.words.push(TAG_TEXT | s.len() as u64 & PAYLOAD);
        for chunk in s.as_bytes().chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.words.push(u64::from_le_bytes(w));
        }
    }

    /// Adds a bound value, in placeholder order.
    pub fn value(&mut self, v: Value) {
        self.values.push(v);
    }

    /// Marks the statement as one whose text is rendered each time.
    pub fn uncacheable(&mut self) {
        self.cacheable = false;
    }

    /// Whether the text can come from the cache.
    pub fn is_cacheable(&self) -> bool {
        self.cacheable
    }

    /// The key's hash: its words, then its types.
    fn hash(&self) -> u64 {
        let mut h = Mix(0x0061_7a6f_7468);
        for w in &self.words {
            h.write_u64(*w);
        }
        for t in &self.types {
            std::hash::Hash::hash(t, &mut h);
        }
        h.finish()
    }

    /// Gives the key buffers back for the next shape on this thread.
    fn recycle(words: Vec<u64>, types: Vec<TypeId>) {
        let _ = SCRATCH.try_with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                *s = (words, types);
            }
        });
    }
}

/// A multiply-rotate mix of 64-bit words: a few instructions a word, enough for a table whose keys
/// are compared whole.
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(26);
    }
}

/// One cached shape: its exact key and its text.
struct Entry {
    words: Box<[u64]>,
    types: Box<[TypeId]>,
    sql: Arc<str>,
}

/// Hashes a key's precomputed hash as itself.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed here; any other input still hashes.
        let mut m = Mix(self.0);
        m.write(bytes);
        self.0 = m.finish();
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Cached shapes by the hash of their key; the rare keys sharing a hash share its list.
type Cache = HashMap<u64, Vec<Entry>, BuildHasherDefault<Prehashed>>;

thread_local! {
    static CACHE: RefCell<(Cache, usize)> = RefCell::new((HashMap::default(), 0));
}

/// The cached text of `shape`, if any (for a statement that then moves its own values out).
pub(crate) fn cached_text(shape: Shape) -> Option<String> {
    let hit = if shape.cacheable {
        let hash = shape.hash();
        CACHE.with(|c| {
            c.borrow().0.get(&hash).and_then(|list| {
                list.iter()
                    .find(|e| *e.words == *shape.words && *e.types == *shape.types)
                    .map(|e| String::from(&*e.sql))
            })
        })
    } else {
        None
    };
    Shape::recycle(shape.words, shape.types);
    hit
}

/// Renders through the cache: the cached text with `shape`'s values, or `fresh()` (cached when its
/// values are exactly the collected ones).
///
/// `fresh` is a `dyn` closure so that this is compiled once, not once per query type.
pub fn render_cached(shape: Shape, fresh: &dyn Fn() -> Rendered) -> Rendered {
    if !shape.cacheable {
        Shape::recycle(shape.words, shape.types);
        return fresh();
    }
    let hash = shape.hash();
    let Shape {
        words,
        types,
        values,
        ..
    } = shape;
    let hit = CACHE.with(|c| {
        c.borrow().0.get(&hash).and_then(|list| {
            list.iter()
                .find(|e| *e.words == *words && *e.types == *types)
                .map(|e| String::from(&*e.sql))
        })
    });
    if let Some(sql) = hit {
        Shape::recycle(words, types);
        return (sql, Values(values));
    }
    let rendered = fresh();
    if rendered.1.0 == values {
        CACHE.with(|c| {
            let (map, len) = &mut *c.borrow_mut();
            if *len < CAPACITY {
                *len += 1;
                map.entry(hash).or_default().push(Entry {
                    words: words.as_slice().into(),
                    types: types.as_slice().into(),
                    sql: Arc::from(rendered.0.as_str()),
                });
            }
        });
    }
    Shape::recycle(words, types);
    rendered
}

/// Adds a list of conditions (joined with AND, or none) to `s`.
pub(crate) fn filters_shape(filters: &[crate::expr::DynExpr], backend: Backend, s: &mut Shape) {
    s.num(filters.len() as u64);
    for f in filters {
        f.shape_dyn(backend, s);
    }
}

/// How many shapes this thread has cached (for tests).
#[doc(hidden)]
pub fn cached_shapes() -> usize {
    CACHE.with(|c| c.borrow().1)
}
