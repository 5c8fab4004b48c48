//! The end of a statement run by sqlx on SQLite: a reply that stops before the statement's result
//! lost sqlx's driver thread mid-statement, and is an error, not "no more rows".
//!
//! sqlx 0.9 runs a SQLite connection on its own thread and sends each statement's rows, then its
//! result (rows changed, last rowid), over a channel. When that thread stops, the channel closes
//! and the rows stream simply ends. It stops on a panic that one schema change triggers: a table
//! gained columns after a statement over it was prepared (sqlx keeps the columns it saw at
//! prepare time; SQLite prepares the statement again at its first step and returns the new ones,
//! and sqlx indexes past its list). Unchecked, a `SELECT *` gives `Ok` with no rows, and a
//! statement with `RETURNING *` reports nothing changed.
//!
//! Two guards, on sqlx's SQLite path only:
//! - a statement that may return every column of a table (`*`) runs behind one that makes the
//!   connection read the schema again, and is prepared anew each time ([`current_columns`]):
//!   sqlx then records the table's current columns;
//! - a reply that still stops before its result (a change between those two statements) is a
//!   lost connection ([`CheckedEnd`], [`Error::Connection`](crate::Error::Connection)), never
//!   "no more rows".

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures::Stream;
use futures::stream::StreamExt;
use sqlx::Either;

/// The steps of one statement (rows on the right, a statement's result on the left), ending with
/// an error when they stop where no statement's result was sent.
pub(crate) struct CheckedEnd<S> {
    steps: S,
    /// How many statements' results are still owed (an error ends the reply: none then).
    owed: usize,
    /// A statement is under way: its last step was a row.
    in_rows: bool,
    reported: bool,
}

impl<S> CheckedEnd<S> {
    /// Checks that `steps` end with the results of `statements` statements at least (see
    /// [`statements_owed`]), and not within a statement's rows.
    pub(crate) fn new(steps: S, statements: usize) -> Self {
        CheckedEnd {
            steps,
            owed: statements,
            in_rows: false,
            reported: false,
        }
    }
}

/// How many statements' results the steps of `sql` (with `guarded`: behind the guard of
/// [`current_columns`]) must hold on `DB`: none but on SQLite, whose driver thread can stop
/// silently; there one per statement known (a text may hold more).
pub(crate) fn statements_owed<DB: sqlx::Database>(sql: &str, guarded: bool) -> usize {
    match DB::NAME == "SQLite" && has_statement(sql) {
        true => 1 + usize::from(guarded),
        false => 0,
    }
}

impl<S, Q, R> Stream for CheckedEnd<S>
where
    S: Stream<Item = Result<Either<Q, R>, sqlx::Error>> + Unpin,
{
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match ready!(self.steps.poll_next_unpin(cx)) {
            Some(step) => {
                self.in_rows = matches!(step, Ok(Either::Right(_)));
                match &step {
                    Ok(Either::Left(_)) => self.owed = self.owed.saturating_sub(1),
                    Ok(Either::Right(_)) => {}
                    Err(_) => self.owed = 0,
                }
                Poll::Ready(Some(step))
            }
            None if (self.owed == 0 && !self.in_rows) || self.reported => Poll::Ready(None),
            None => {
                self.reported = true;
                Poll::Ready(Some(Err(sqlx::Error::WorkerCrashed)))
            }
        }
    }
}

/// The text sqlx runs for `sql` on `DB`, and whether it runs behind the guard (then sqlx must
/// not keep it prepared, and the guard's result, first, is not the statement's): on SQLite, a
/// statement that may return every column of a table (`*`, but not `COUNT(*)`) runs after
/// [`GUARD`], which makes the connection load the schema again if
/// another connection changed it, and is prepared anew (sqlx prepares the statements of a text
/// one after the other, once the one before has run).
pub(crate) fn current_columns<DB: sqlx::Database>(sql: String) -> (String, bool) {
    if DB::NAME == "SQLite" && every_column(&sql) {
        (format!("{GUARD};\n{sql}"), true)
    } else {
        (sql, false)
    }
}

/// The statement run before one that may return every column (see [`current_columns`]).
const GUARD: &str = "SELECT 1 FROM sqlite_schema WHERE 0";

/// Whether `sql` may select every column of a table: it holds a `*` that does not follow `(`
/// (`t.*`, `RETURNING *`; a product `a * b` is counted too, which costs only the guard).
fn every_column(sql: &str) -> bool {
    sql.match_indices('*')
        .any(|(at, _)| !sql[..at].trim_end().ends_with('('))
}

/// Whether `sql` holds a statement: anything but blanks, `;` and comments (SQLite sends no result
/// for a text without one).
fn has_statement(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
        if let Some(line) = rest.strip_prefix("--") {
            rest = line.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(block) = rest.strip_prefix("/*") {
            rest = block.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return !rest.is_empty();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    type Step = Result<Either<u64, &'static str>, sqlx::Error>;

    fn ends(steps: Vec<Step>, sql: &str) -> Vec<String> {
        let owed = usize::from(has_statement(sql));
        CheckedEnd::new(futures::stream::iter(steps), owed)
            .map(|step| match step {
                Ok(Either::Left(n)) => format!("done {n}"),
                Ok(Either::Right(row)) => row.to_owned(),
                Err(e) => format!("error: {e}"),
            })
            .collect()
            .now_or_never()
            .expect("the steps are ready")
    }

    #[test]
    fn a_reply_that_stops_mid_statement_ends_with_an_error() {
        let lost = "error: attempted to communicate with a crashed background worker";
        assert_eq!(ends(vec![], "SELECT 1"), [lost]);
        assert_eq!(ends(vec![Ok(Either::Right("a"))], "SELECT 1"), ["a", lost]);
        assert_eq!(
            ends(
                vec![Ok(Either::Left(0)), Ok(Either::Right("b"))],
                "SELECT 1; SELECT 2"
            ),
            ["done 0", "b", lost]
        );
        // Behind the guard: two results are owed.
        let guarded = CheckedEnd::new(futures::stream::iter(vec![Ok(Either::Left(0))]), 2);
        let steps: Vec<Step> = guarded.collect().now_or_never().expect("ready");
        assert!(matches!(
            steps[..],
            [Ok(Either::Left(0)), Err(sqlx::Error::WorkerCrashed)]
        ));
    }

    #[test]
    fn a_reply_that_ends_with_a_result_or_an_error_is_complete() {
        let rows = vec![
            Ok(Either::Right("a")),
            Ok(Either::Right("b")),
            Ok(Either::Left(0)),
        ];
        assert_eq!(ends(rows, "SELECT 1"), ["a", "b", "done 0"]);
        let failed = vec![Ok(Either::Right("a")), Err(sqlx::Error::RowNotFound)];
        assert_eq!(
            ends(failed, "SELECT 1"),
            [
                "a",
                "error: no rows returned by a query that expected to return at least one row"
            ]
        );
        for blank in ["", "  ;\n", "-- nothing\n", "/* nothing */ ;", "--"] {
            assert_eq!(ends(vec![], blank), Vec::<String>::new(), "{blank:?}");
        }
        let unchecked = CheckedEnd::new(futures::stream::iter(Vec::<Step>::new()), 0);
        assert_eq!(unchecked.count().now_or_never(), Some(0));
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn every_column_statements_read_the_schema_first() {
        for sql in [
            "SELECT * FROM t",
            "SELECT t.* FROM t",
            "UPDATE t SET a = 1 RETURNING *",
            "SELECT count( * ), u.* FROM u",
        ] {
            let (text, guarded) = current_columns::<sqlx::Sqlite>(sql.to_owned());
            assert_eq!(text, format!("SELECT 1 FROM sqlite_schema WHERE 0;\n{sql}"));
            assert!(guarded);
        }
        for sql in [
            "SELECT a FROM t",
            "SELECT COUNT(*) FROM t",
            "SELECT count( *) FROM t",
        ] {
            assert_eq!(
                current_columns::<sqlx::Sqlite>(sql.to_owned()),
                (sql.to_owned(), false)
            );
        }
    }

    #[test]
    fn statements_are_found_after_blanks_and_comments() {
        for sql in ["SELECT 1", " -- c\nSELECT 1", "/* c */SELECT 1", ";\n;x"] {
            assert!(has_statement(sql), "{sql:?}");
        }
        for sql in ["", " ; ", "-- only", "/* open", "/**/--\n;"] {
            assert!(!has_statement(sql), "{sql:?}");
        }
    }
}
