//! Row locks on a SELECT: `.for_update()`, `.for_share()`, then `.skip_locked()` or `.nowait()`
//! (SQLAlchemy's `with_for_update(read=.., skip_locked=.., nowait=..)`).
//!
//! PostgreSQL renders `FOR UPDATE` / `FOR SHARE`, MySQL and MariaDB `FOR UPDATE` /
//! `LOCK IN SHARE MODE`. SQLite has no row locks (a write transaction locks the database): the
//! runtime refuses a locked query on a typed SQLite engine at compile time and on an untyped one
//! at run time, before anything is sent; rendered for SQLite here, the lock is left out.
//!
//! ```
//! # use azoth_dsl::prelude::*;
//! # azoth_dsl::model! { pub struct Job { #[primary_key] pub id: i64, pub done: bool } }
//! let q = Job::select().filter(Job::done.eq(false)).order_by(Job::id).limit(1).for_update().skip_locked();
//! assert_eq!(
//!     q.to_sql(Backend::Postgres).0,
//!     r#"SELECT "job"."id", "job"."done" FROM "job" WHERE "job"."done" = $1 ORDER BY "job"."id" ASC LIMIT $2 FOR UPDATE SKIP LOCKED"#
//! );
//! assert_eq!(
//!     select(Job::id).for_share().nowait().to_sql(Backend::MySql).0,
//!     "SELECT `job`.`id` FROM `job` LOCK IN SHARE MODE NOWAIT"
//! );
//! ```

use sea_query::{LockBehavior, LockType, SelectStatement};

use super::select::{Query, Select};
use crate::backend::Backend;
use crate::lower::{Rendered, render};

/// A SELECT that locks the rows it reads until the transaction ends: made by
/// [`Select::for_update`] and [`Select::for_share`].
pub struct Locked<Q> {
    query: Q,
    kind: LockType,
    behavior: Option<LockBehavior>,
}

impl<S, Sel, R, G> Select<S, Sel, R, G> {
    /// `FOR UPDATE`: locks the selected rows against other writers and lockers until the
    /// transaction ends (run it in a transaction).
    pub fn for_update(self) -> Locked<Self> {
        Locked {
            query: self,
            kind: LockType::Update,
            behavior: None,
        }
    }

    /// `FOR SHARE` (`LOCK IN SHARE MODE` on MySQL): other transactions may read and share-lock
    /// the rows, not change them.
    pub fn for_share(self) -> Locked<Self> {
        Locked {
            query: self,
            kind: LockType::Share,
            behavior: None,
        }
    }
}

impl<Q> Locked<Q> {
    /// `SKIP LOCKED`: rows another transaction holds are left out instead of waited for (a job
    /// queue's "take the next free job").
    pub fn skip_locked(mut self) -> Self {
        self.behavior = Some(LockBehavior::SkipLocked);
        self
    }

    /// `NOWAIT`: fail at once (a database error) instead of waiting for a row another transaction
    /// holds.
    pub fn nowait(mut self) -> Self {
        self.behavior = Some(LockBehavior::Nowait);
        self
    }

    /// Adds the lock clause to `q`.
    fn lock(&self, q: &mut SelectStatement) {
        match self.behavior {
            Some(b) => q.lock_with_behavior(self.kind, b),
            None => q.lock(self.kind),
        };
    }

    /// The query with its lock, lowered for `backend`.
    #[doc(hidden)]
    pub fn to_sea_locked<I>(&self, backend: Backend) -> SelectStatement
    where
        Q: Query<I>,
    {
        let mut q = self.query.to_sea_select(backend);
        if backend != Backend::Sqlite {
            self.lock(&mut q);
        }
        q
    }

    /// The query's own `LIMIT`, if any.
    #[doc(hidden)]
    pub fn limit_of<I>(&self) -> Option<u64>
    where
        Q: Query<I>,
    {
        self.query.limit_of()
    }

    /// Renders `(sql, values)` for `backend` (on SQLite, without the lock: see the module).
    pub fn to_sql<I>(&self, backend: Backend) -> Rendered
    where
        Q: Query<I>,
    {
        render(&self.to_sea_locked(backend), backend)
    }
}
