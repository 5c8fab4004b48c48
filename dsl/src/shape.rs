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
use std::sync::Arc;

use sea_query::{Value, Values};

use crate::backend::Backend;
use crate::lower::Rendered;

/// Most shapes one thread keeps: beyond it, new shapes are rendered each time (a query built with
/// run-time-length lists has a shape per length).
const CAPACITY: usize = 4096;

/// One part of a shape key.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Token {
    Type(TypeId),
    Num(u64),
    Str(&'static str),
    Text(Box<str>),
}

/// What decides a statement's SQL text, and its bound values in placeholder order.
pub struct Shape {
    key: Vec<Token>,
    values: Vec<Value>,
    cacheable: bool,
}

impl Shape {
    /// An empty shape for `backend`.
    pub fn new(backend: Backend) -> Self {
        let mut key = Vec::with_capacity(24);
        key.push(Token::Num(backend as u64));
        Shape {
            key,
            values: Vec::new(),
            cacheable: true,
        }
    }

    /// Adds a type: for an expression, its own type, which fixes its text up to its run-time parts.
    pub fn ty<T: ?Sized + 'static>(&mut self) {
        self.key.push(Token::Type(TypeId::of::<T>()));
    }

    /// Adds a number that decides the text (a list's length, a flag, an operator).
    pub fn num(&mut self, n: u64) {
        self.key.push(Token::Num(n));
    }

    /// Adds a static name that is written into the text (a label, a table).
    pub fn name(&mut self, s: &'static str) {
        self.key.push(Token::Str(s));
    }

    /// Adds a run-time name that is written into the text (an alias).
    pub fn text(&mut self, s: &str) {
        self.key.push(Token::Text(s.into()));
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
}

thread_local! {
    static CACHE: RefCell<HashMap<Vec<Token>, Arc<str>, foldhash::fast::RandomState>> =
        RefCell::new(HashMap::default());
}

/// Renders through the cache: the cached text with `shape`'s values, or `fresh()` (cached when its
/// values are exactly the collected ones).
pub fn render_cached(shape: Shape, fresh: impl FnOnce() -> Rendered) -> Rendered {
    if !shape.cacheable {
        return fresh();
    }
    let Shape { key, values, .. } = shape;
    if let Some(sql) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return (sql.to_string(), Values(values));
    }
    let rendered = fresh();
    if rendered.1.0 == values {
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() < CAPACITY {
                c.insert(key, Arc::from(rendered.0.as_str()));
            }
        });
    }
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
    CACHE.with(|c| c.borrow().len())
}
