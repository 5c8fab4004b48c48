//! Generating, applying and reverting migrations on an engine, through sqlx's migrator (its
//! checksums and its `_sqlx_migrations` table).

use std::path::Path;

use sqlx::migrate::{Migrate, MigrationType, Migrator};

use super::files::{self, Written};
use super::introspect::introspect;
use super::plan::{Plan, plan};
use crate::ddl::ModelSet;
use crate::engine::{Engine, Pools};
use crate::errors::{Error, Result};

/// Options of [`generate`].
///
/// ```
/// let options = azoth::migrate::GenerateOptions { allow_destructive: true };
/// assert!(options.allow_destructive);
/// assert!(!azoth::migrate::GenerateOptions::default().allow_destructive);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct GenerateOptions {
    /// Write destructive changes (dropped tables and columns, narrowed types); without it a
    /// migration having one is refused.
    pub allow_destructive: bool,
}

/// One migration in the directory, and whether the database has it (see [`status`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Its version.
    pub version: i64,
    /// Its description (the file name after the version).
    pub description: String,
    /// Whether it is applied (completely: see [`dirty`](Self::dirty)).
    pub applied: bool,
    /// Whether it failed half-way on a backend whose DDL is not transactional (MySQL, MariaDB):
    /// sqlx then refuses to run anything until the database is repaired and its row removed
    /// from `_sqlx_migrations`.
    pub dirty: bool,
    /// For an applied migration, whether the file still has the checksum it was applied with.
    pub checksum_matches: bool,
}

fn migrate_err(e: sqlx::migrate::MigrateError) -> Error {
    Error::Migrate(Box::new(e))
}

/// Reads the migrations of `dir`.
async fn migrator(dir: &Path) -> Result<Migrator> {
    if !dir.exists() {
        return Ok(Migrator::with_migrations(Vec::new()));
    }
    Migrator::new(dir.to_path_buf()).await.map_err(migrate_err)
}

/// Leaves a SQLite connection as the engine opened it after a migration, applied or failed: a
/// table rebuild runs with foreign keys off in its own transaction (`-- no-transaction`), and a
/// statement failing half-way would return the connection to the pool inside that transaction
/// and with foreign keys unchecked. Rolls back what is open (nothing after a success) and turns
/// foreign-key checks back on.
#[cfg(feature = "sqlite")]
async fn sqlite_restore(conn: &mut sqlx::SqliteConnection) -> Result<()> {
    // "cannot rollback - no transaction is active" after a success: nothing to undo.
    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
    sqlx::raw_sql("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Runs `$body` with `$pool` bound to the engine's typed pool.
macro_rules! on_pool {
    ($engine:expr, |$pool:ident| $body:expr) => {
        match $engine.pools() {
            #[cfg(feature = "postgres")]
            Pools::Postgres($pool) => $body,
            #[cfg(feature = "mysql")]
            Pools::MySql($pool) => $body,
            #[cfg(feature = "sqlite")]
            Pools::Sqlite($pool) => $body,
        }
    };
}

/// The migration the models need, compared with the engine's database, without writing it.
/// The database must have every migration of `dir` applied (else the plan would repeat them).
///
/// ```
/// use azoth::prelude::*;
/// use azoth::migrate::{self, GenerateOptions};
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64 } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// # let dir = std::env::temp_dir().join(format!("azoth-doc-plan-for-{}", std::process::id()));
/// let engine = Engine::connect("sqlite::memory:").await?;
/// let written = migrate::generate::<(Note,), _>(&engine, &dir, "notes", GenerateOptions::default()).await?.unwrap();
/// // Pending: refused until run.
/// assert!(migrate::plan_for::<(Note,), _>(&engine, &dir).await.is_err());
/// migrate::run(&engine, &dir).await?;
/// assert!(migrate::plan_for::<(Note,), _>(&engine, &dir).await?.is_empty());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(())
/// # }
/// ```
pub async fn plan_for<Models: ModelSet, B>(engine: &Engine<B>, dir: &Path) -> Result<Plan> {
    let pending: Vec<MigrationStatus> = status(engine, dir)
        .await?
        .into_iter()
        .filter(|s| !s.applied)
        .collect();
    if let Some(first) = pending.first() {
        return Err(Error::Migration(format!(
            "{} migration(s) in {} are not applied yet (first: {}_{}): run them before generating \
             a new one",
            pending.len(),
            dir.display(),
            first.version,
            first.description
        )));
    }
    let live = introspect(engine).await?;
    Ok(plan(&Models::metas(), &live, engine.backend()))
}

/// Writes the migration taking the engine's database to the models' schema into `dir` (see
/// [`backend_dir`](super::backend_dir)), named `name`; `None` when the schema already matches.
/// A destructive change without [`GenerateOptions::allow_destructive`] is refused with the list.
///
/// ```
/// use azoth::prelude::*;
/// use azoth::migrate::{GenerateOptions, generate};
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, pub body: String } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// # let tmp = std::env::temp_dir().join(format!("azoth-doc-generate-{}", std::process::id()));
/// let engine = Engine::connect("sqlite::memory:").await?;
/// let dir = azoth::migrate::backend_dir(&tmp, engine.backend());
/// let written = generate::<(Note,), _>(&engine, &dir, "create notes", GenerateOptions::default()).await?;
/// assert!(written.unwrap().up.to_string_lossy().ends_with("_create_notes.up.sql"));
/// azoth::migrate::run(&engine, &dir).await?;
/// // The database now matches: nothing more to generate.
/// assert!(generate::<(Note,), _>(&engine, &dir, "again", GenerateOptions::default()).await?.is_none());
/// # std::fs::remove_dir_all(&tmp).ok();
/// # Ok(())
/// # }
/// ```
pub async fn generate<Models: ModelSet, B>(
    engine: &Engine<B>,
    dir: &Path,
    name: &str,
    options: GenerateOptions,
) -> Result<Option<Written>> {
    let plan = plan_for::<Models, B>(engine, dir).await?;
    if plan.is_empty() {
        return Ok(None);
    }
    let destructive: Vec<String> = plan.destructive().map(|c| c.describe()).collect();
    if !destructive.is_empty() && !options.allow_destructive {
        return Err(Error::Migration(format!(
            "the migration would {}; generate it with `allow_destructive` (the CLI's \
             `--allow-destructive`) to write it{}",
            destructive.join("; "),
            if plan.renames.is_empty() {
                String::new()
            } else {
                format!(". {}", plan.renames.join(". "))
            }
        )));
    }
    files::write(&plan, dir, name).map(Some)
}

/// Applies the pending migrations of `dir`, oldest first; returns their versions.
///
/// ```
/// use azoth::prelude::*;
/// use azoth::migrate::{self, GenerateOptions};
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64 } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// # let dir = std::env::temp_dir().join(format!("azoth-doc-run-{}", std::process::id()));
/// let engine = Engine::connect("sqlite::memory:").await?;
/// let written = migrate::generate::<(Note,), _>(&engine, &dir, "notes", GenerateOptions::default()).await?.unwrap();
/// assert_eq!(migrate::run(&engine, &dir).await?, [written.version]);
/// assert!(migrate::run(&engine, &dir).await?.is_empty());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(())
/// # }
/// ```
pub async fn run<B>(engine: &Engine<B>, dir: &Path) -> Result<Vec<i64>> {
    let before: Vec<i64> = status(engine, dir)
        .await?
        .into_iter()
        .filter(|s| !s.applied)
        .map(|s| s.version)
        .collect();
    let m = migrator(dir).await?;
    match engine.pools() {
        #[cfg(feature = "sqlite")]
        Pools::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            let result = m.run(&mut *conn).await.map_err(migrate_err);
            sqlite_restore(&mut conn).await?;
            result?;
        }
        #[allow(unreachable_patterns)]
        _ => on_pool!(engine, |pool| m.run(pool).await.map_err(migrate_err))?,
    }
    Ok(before)
}

/// Reverts the last applied migration of `dir` with its `.down.sql`; returns its version, or
/// `None` when none is applied.
///
/// ```
/// use azoth::prelude::*;
/// use azoth::migrate::{self, GenerateOptions};
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64 } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// # let dir = std::env::temp_dir().join(format!("azoth-doc-revert-{}", std::process::id()));
/// let engine = Engine::connect("sqlite::memory:").await?;
/// let written = migrate::generate::<(Note,), _>(&engine, &dir, "notes", GenerateOptions::default()).await?.unwrap();
/// migrate::run(&engine, &dir).await?;
/// assert_eq!(migrate::revert(&engine, &dir).await?, Some(written.version));
/// assert_eq!(migrate::revert(&engine, &dir).await?, None);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(())
/// # }
/// ```
pub async fn revert<B>(engine: &Engine<B>, dir: &Path) -> Result<Option<i64>> {
    let applied: Vec<i64> = status(engine, dir)
        .await?
        .into_iter()
        .filter(|s| s.applied)
        .map(|s| s.version)
        .collect();
    let Some(&last) = applied.last() else {
        return Ok(None);
    };
    let target = applied.len().checked_sub(2).map_or(0, |i| applied[i]);
    let m = migrator(dir).await?;
    match engine.pools() {
        #[cfg(feature = "sqlite")]
        Pools::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            let result = m.undo(&mut *conn, target).await.map_err(migrate_err);
            sqlite_restore(&mut conn).await?;
            result?;
        }
        #[allow(unreachable_patterns)]
        _ => on_pool!(engine, |pool| m
            .undo(pool, target)
            .await
            .map_err(migrate_err))?,
    }
    Ok(Some(last))
}

/// The migrations of `dir` and whether each is applied.
///
/// ```
/// use azoth::prelude::*;
/// use azoth::migrate::{self, GenerateOptions};
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64 } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// # let dir = std::env::temp_dir().join(format!("azoth-doc-status-{}", std::process::id()));
/// let engine = Engine::connect("sqlite::memory:").await?;
/// let written = migrate::generate::<(Note,), _>(&engine, &dir, "notes", GenerateOptions::default()).await?.unwrap();
/// let before = migrate::status(&engine, &dir).await?;
/// assert_eq!((before[0].version, before[0].description.as_str(), before[0].applied), (written.version, "notes", false));
/// migrate::run(&engine, &dir).await?;
/// let after = migrate::status(&engine, &dir).await?;
/// assert!(after[0].applied && after[0].checksum_matches);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(())
/// # }
/// ```
pub async fn status<B>(engine: &Engine<B>, dir: &Path) -> Result<Vec<MigrationStatus>> {
    let m = migrator(dir).await?;
    let (applied, dirty) = on_pool!(engine, |pool| {
        let mut conn = pool.acquire().await?;
        conn.ensure_migrations_table(&m.table_name)
            .await
            .map_err(migrate_err)?;
        let dirty = conn
            .dirty_version(&m.table_name)
            .await
            .map_err(migrate_err)?;
        let applied = conn
            .list_applied_migrations(&m.table_name)
            .await
            .map_err(migrate_err)?;
        (applied, dirty)
    });
    Ok(m.iter()
        .filter(|x| !matches!(x.migration_type, MigrationType::ReversibleDown))
        .map(|x| {
            let done = applied.iter().find(|a| a.version == x.version);
            let is_dirty = dirty == Some(x.version);
            MigrationStatus {
                version: x.version,
                description: x.description.to_string(),
                applied: done.is_some() && !is_dirty,
                dirty: is_dirty,
                checksum_matches: done.is_none_or(|a| a.checksum == x.checksum),
            }
        })
        .collect())
}

/// The SQL `run` would apply (the pending migrations' up files), without applying it: a dry run.
///
/// ```
/// use azoth::prelude::*;
/// use azoth::migrate::{self, GenerateOptions};
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64 } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// # let dir = std::env::temp_dir().join(format!("azoth-doc-dry-run-{}", std::process::id()));
/// let engine = Engine::connect("sqlite::memory:").await?;
/// let written = migrate::generate::<(Note,), _>(&engine, &dir, "notes", GenerateOptions::default()).await?.unwrap();
/// let pending = migrate::dry_run(&engine, &dir).await?;
/// assert_eq!(pending[0].0, written.version);
/// assert!(pending[0].1.contains("CREATE TABLE IF NOT EXISTS \"notes\""));
/// assert!(migrate::introspect(&engine).await?.tables.is_empty());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(())
/// # }
/// ```
pub async fn dry_run<B>(engine: &Engine<B>, dir: &Path) -> Result<Vec<(i64, String)>> {
    let pending: Vec<i64> = status(engine, dir)
        .await?
        .into_iter()
        .filter(|s| !s.applied)
        .map(|s| s.version)
        .collect();
    let m = migrator(dir).await?;
    Ok(m.iter()
        .filter(|x| {
            !matches!(x.migration_type, MigrationType::ReversibleDown)
                && pending.contains(&x.version)
        })
        .map(|x| (x.version, x.sql.as_str().to_owned()))
        .collect())
}
