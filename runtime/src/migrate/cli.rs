//! The migration command line: a one-line `main` in the user's project, since the models live in
//! its code.
//!
//! ```text
//! migrate [--database-url URL] [--source DIR] <command>
//!   generate <name> [--allow-destructive]   write the migration the models need
//!   run [--dry-run]                          apply the pending migrations (or print their SQL)
//!   revert                                   revert the last applied migration
//!   status                                   list the migrations and whether each is applied
//!   diff                                     print what the models change, without writing
//!   models                                   print model! declarations for the database
//! ```
//!
//! The URL comes from `--database-url` or `DATABASE_URL` (as for `sqlx migrate`); the files live
//! in `<source>/<backend>/` (`migrations/postgres/` by default for PostgreSQL), so
//! `sqlx migrate run --source migrations/postgres` applies the same files.

use std::io::Write;
use std::path::PathBuf;

use super::apply::{GenerateOptions, dry_run, generate, plan_for, revert, run, status};
use super::codegen::models_source;
use super::files::backend_dir;
use super::introspect::introspect;
use crate::ddl::ModelSet;
use crate::engine::Engine;
use crate::errors::{Error, Result};

const USAGE: &str = "usage: migrate [--database-url URL] [--source DIR] <command>
commands:
  generate <name> [--allow-destructive]  write the migration the models need
  run [--dry-run]                         apply the pending migrations (or print their SQL)
  revert                                  revert the last applied migration
  status                                  list the migrations and whether each is applied
  diff                                    print what the models change, without writing
  models                                  print model! declarations for the database
the URL defaults to $DATABASE_URL, the source to `migrations` (files in <source>/<backend>/)";

/// Runs the command line of the process for the models `Models` (a tuple), printing to stdout:
/// the whole `main` of a migration tool.
///
/// ```no_run
/// azoth::model! { pub struct User { #[primary_key] pub id: i64, pub name: String } }
/// azoth::model! { pub struct Post { #[primary_key] pub id: i64, #[references(User::id)] pub user_id: i64 } }
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> azoth::Result<()> {
///     azoth::migrate::cli::<(User, Post)>().await
/// }
/// ```
pub async fn cli<Models: ModelSet>() -> Result<()> {
    let mut stdout = std::io::stdout();
    cli_with::<Models>(std::env::args().skip(1), &mut stdout).await
}

/// [`cli`] with the arguments given (without the program name) and the output written to `out`.
///
/// ```
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, pub body: String } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let mut out = Vec::new();
/// let args = ["--database-url", "sqlite::memory:", "diff"].map(String::from);
/// azoth::migrate::cli_with::<(Note,)>(args, &mut out).await?;
/// assert_eq!(String::from_utf8(out).unwrap(), "create table notes\n");
/// # Ok(())
/// # }
/// ```
pub async fn cli_with<Models: ModelSet>(
    args: impl IntoIterator<Item = String>,
    out: &mut impl Write,
) -> Result<()> {
    let mut url = std::env::var("DATABASE_URL").ok();
    let mut source = PathBuf::from("migrations");
    let mut words = Vec::new();
    let mut allow_destructive = false;
    let mut dry = false;
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--database-url" => url = args.next(),
            "--source" => source = args.next().map(PathBuf::from).unwrap_or(source),
            "--allow-destructive" => allow_destructive = true,
            "--dry-run" => dry = true,
            "-h" | "--help" => {
                return print(out, USAGE);
            }
            _ => words.push(a),
        }
    }
    let Some(url) = url else {
        return Err(Error::Migration(format!(
            "no database: pass --database-url or set DATABASE_URL\n{USAGE}"
        )));
    };
    let engine = Engine::connect(&url).await?;
    let dir = backend_dir(&source, engine.backend());
    let text = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["generate", name] => {
            let options = GenerateOptions { allow_destructive };
            match generate::<Models, _>(&engine, &dir, name, options).await? {
                Some(w) => format!("wrote {}\nwrote {}", w.up.display(), w.down.display()),
                None => "the database matches the models: no migration written".into(),
            }
        }
        ["run"] if dry => dry_run(&engine, &dir)
            .await?
            .into_iter()
            .map(|(v, sql)| format!("-- version {v}\n{sql}"))
            .collect::<Vec<_>>()
            .join("\n"),
        ["run"] => {
            let applied = run(&engine, &dir).await?;
            if applied.is_empty() {
                "nothing to apply".into()
            } else {
                lines(applied.iter().map(|v| format!("applied {v}")))
            }
        }
        ["revert"] => match revert(&engine, &dir).await? {
            Some(v) => format!("reverted {v}"),
            None => "nothing to revert".into(),
        },
        ["status"] => lines(status(&engine, &dir).await?.into_iter().map(|m| {
            format!(
                "{} {}_{}{}",
                if m.dirty {
                    "failed half-way (repair the database, then remove its row from _sqlx_migrations):"
                } else if m.applied {
                    "applied"
                } else {
                    "pending"
                },
                m.version,
                m.description,
                if m.checksum_matches {
                    ""
                } else {
                    " (file changed since applied)"
                }
            )
        })),
        ["diff"] => {
            let plan = plan_for::<Models, _>(&engine, &dir).await?;
            lines(
                plan.changes
                    .iter()
                    .map(|c| {
                        if c.is_destructive() {
                            format!("DESTRUCTIVE: {}", c.describe())
                        } else {
                            c.describe()
                        }
                    })
                    .chain(plan.renames.iter().map(|r| format!("RENAME?: {r}"))),
            )
        }
        ["models"] => models_source(&introspect(&engine).await?, engine.backend()),
        _ => {
            engine.close().await;
            return Err(Error::Migration(format!(
                "unknown command `{}`\n{USAGE}",
                words.join(" ")
            )));
        }
    };
    engine.close().await;
    print(out, &text)
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("\n")
}

fn print(out: &mut impl Write, text: &str) -> Result<()> {
    let text = text.trim_end();
    if text.is_empty() {
        return Ok(());
    }
    writeln!(out, "{text}").map_err(|e| Error::Migration(format!("cannot write the output: {e}")))
}
