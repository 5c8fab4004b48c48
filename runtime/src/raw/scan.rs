//! Finding the `:name` binds of raw SQL: a small lexer that skips what is not SQL code, by each
//! backend's rules.
//!
//! Skipped everywhere: `-- ..` and `/* .. */` comments, `'..'` strings (`''` inside), and `::`
//! (a PostgreSQL cast). Per backend:
//! - PostgreSQL: `"..."` identifiers, `E'..'` strings with backslash escapes, `$$..$$` and
//!   `$tag$..$tag$` dollar-quoted strings, nested `/* /* */ */` comments.
//! - MySQL / MariaDB: backslash escapes in `'..'` and `"..."` (a string there), `` `..` ``
//!   identifiers, `#` comments; `--` starts a comment only before a space or a control character.
//! - SQLite: `"..."`, `` `..` `` and `[..]` identifiers.
//!
//! A `:` right after a letter, digit or `_` is not a bind either (`arr[1:n]`).

use std::ops::Range;

use azoth_dsl::Backend;

/// The byte ranges of the `:name` binds in `sql` (colon included), in order.
pub(crate) fn binds(sql: &str, backend: Backend) -> Vec<Range<usize>> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        i = match (b[i], backend) {
            (b'\'', _) => quoted(b, i, b'\'', backend == Backend::MySql),
            (b'"', _) => quoted(b, i, b'"', backend == Backend::MySql),
            (b'`', Backend::MySql | Backend::Sqlite) => quoted(b, i, b'`', false),
            (b'[', Backend::Sqlite) => after(b, i + 1, b"]"),
            (b'-', _)
                if next == Some(b'-') && line_comment_dashes(next_after(b, i + 1), backend) =>
            {
                after(b, i, b"\n")
            }
            (b'#', Backend::MySql) => after(b, i, b"\n"),
            (b'/', _) if next == Some(b'*') => block_comment(b, i, backend == Backend::Postgres),
            (b'E' | b'e', Backend::Postgres) if next == Some(b'\'') && !ident_before(b, i) => {
                quoted(b, i + 1, b'\'', true)
            }
            (b'$', Backend::Postgres) if !ident_before(b, i) => dollar_quoted(b, i),
            (b':', _) if next == Some(b':') => {
                let mut j = i;
                while b.get(j) == Some(&b':') {
                    j += 1;
                }
                j
            }
            (b':', _)
                if next.is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
                    && !ident_before(b, i) =>
            {
                let mut end = i + 1;
                while b
                    .get(end)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    end += 1;
                }
                out.push(i..end);
                end
            }
            _ => i + 1,
        };
    }
    out
}

fn next_after(b: &[u8], i: usize) -> Option<u8> {
    b.get(i + 1).copied()
}

/// Whether `--` followed by `after` starts a comment: always, except on MySQL, where it needs a
/// space or a control character after it (`5--1` is 5 - -1 there).
fn line_comment_dashes(after: Option<u8>, backend: Backend) -> bool {
    backend != Backend::MySql
        || after.is_none_or(|c| c.is_ascii_whitespace() || c.is_ascii_control())
}

/// Whether the byte before `i` belongs to an identifier or a number (non-ASCII letters included).
fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && {
        let c = b[i - 1];
        c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
    }
}

/// The index just past `end` searched from `from`, or the end of the text.
fn after(b: &[u8], from: usize, end: &[u8]) -> usize {
    b.get(from..)
        .and_then(|rest| rest.windows(end.len()).position(|w| w == end))
        .map_or(b.len(), |k| from + k + end.len())
}

/// The index just past the text quoted by `q` that opens at `open`: a doubled quote stands for
/// one, and with `backslash` a backslash escapes the next byte.
fn quoted(b: &[u8], open: usize, q: u8, backslash: bool) -> usize {
    let mut j = open + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if backslash => j += 2,
            c if c == q && b.get(j + 1) == Some(&q) => j += 2,
            c if c == q => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// The index just past the comment opening at `open` (`/*`); PostgreSQL's nest.
fn block_comment(b: &[u8], open: usize, nested: bool) -> usize {
    let mut depth = 1;
    let mut j = open + 2;
    while j < b.len() {
        if b[j..].starts_with(b"*/") {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else if nested && b[j..].starts_with(b"/*") {
            depth += 1;
            j += 2;
        } else {
            j += 1;
        }
    }
    b.len()
}

/// The index just past a PostgreSQL dollar-quoted string opening at `open` (`$$` or `$tag$`, a
/// tag being an identifier), or `open + 1` when the `$` opens none (`$1` is a parameter).
fn dollar_quoted(b: &[u8], open: usize) -> usize {
    let tag_start = open + 1;
    let mut j = tag_start;
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80)
    {
        j += 1;
    }
    let starts_with_digit = b.get(tag_start).is_some_and(u8::is_ascii_digit);
    if b.get(j) != Some(&b'$') || starts_with_digit {
        return open + 1;
    }
    let delimiter = &b[open..=j];
    after(b, j + 1, delimiter)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bind names found in `sql` on `backend`.
    fn names(sql: &str, backend: Backend) -> Vec<&str> {
        binds(sql, backend)
            .into_iter()
            .map(|r| &sql[r.start + 1..r.end])
            .collect()
    }

    fn everywhere(sql: &str) -> Vec<&str> {
        let found = names(sql, Backend::Postgres);
        for backend in [Backend::MySql, Backend::Sqlite] {
            assert_eq!(names(sql, backend), found, "{backend:?}: {sql}");
        }
        found
    }

    #[test]
    fn binds_outside_strings_and_comments() {
        assert_eq!(everywhere("SELECT :a, :b_2 + :a FROM t"), ["a", "b_2", "a"]);
        assert_eq!(
            everywhere("x = :a AND y <> ':no' AND z = 'it''s :no' OR w = :b"),
            ["a", "b"]
        );
        assert_eq!(
            everywhere("-- :no it's\nSELECT :a -- :no\n, :b"),
            ["a", "b"]
        );
        assert_eq!(
            everywhere("SELECT /* :no it's */ :a /* multi\nline :no */"),
            ["a"]
        );
        assert_eq!(everywhere("SELECT :a::BIGINT, :b"), ["a", "b"]);
        assert_eq!(everywhere("SELECT arr[1:n], x:y, :a"), ["a"]);
        assert_eq!(everywhere("SELECT ':' || :a, 'ü:no' || :ü_no"), ["a"]);
        assert_eq!(everywhere("SELECT 'unterminated :no"), Vec::<&str>::new());
        assert_eq!(everywhere("SELECT :a /* unterminated :no"), ["a"]);
    }

    #[test]
    fn postgres_strings_identifiers_and_comments() {
        let pg = |sql| names(sql, Backend::Postgres);
        assert_eq!(pg(r"SELECT E'it\'s :no', e'\\', :a"), ["a"]);
        assert_eq!(
            pg(r"SELECT 'a\', :a"),
            ["a"],
            "a backslash is text in a standard string"
        );
        assert_eq!(pg("SELECT $$ it's :no $$, :a"), ["a"]);
        assert_eq!(pg("SELECT $fn$ $$ :no $$ ' $fn$, :a"), ["a"]);
        assert_eq!(pg("SELECT $1, a$b, :a"), ["a"], "$1 and a$b open no string");
        assert_eq!(pg(r#"SELECT "col :no""x", :a"#), ["a"]);
        assert_eq!(
            pg("SELECT /* /* :no */ it's :no */ :a"),
            ["a"],
            "comments nest"
        );
        assert_eq!(pg("SELECT :a::text::int, :b::int[]"), ["a", "b"]);
        assert_eq!(
            pg("SELECT name'x' :a"),
            ["a"],
            "an E only at the start of a token"
        );
    }

    #[test]
    fn mysql_strings_identifiers_and_comments() {
        let my = |sql| names(sql, Backend::MySql);
        assert_eq!(my(r"SELECT 'it\'s :no', :a"), ["a"]);
        assert_eq!(my(r"SELECT 'a\\', :a"), ["a"]);
        assert_eq!(
            my(r#"SELECT "say \":no\" it's", :a"#),
            ["a"],
            "a string on MySQL"
        );
        assert_eq!(my("SELECT `we:ird``:no`, :a"), ["a"]);
        assert_eq!(my("SELECT :a # :no it's\n, :b"), ["a", "b"]);
        assert_eq!(
            my("SELECT 5--:a\n"),
            ["a"],
            "-- without a space is not a comment"
        );
        assert_eq!(my("SELECT 5 -- :no\n, :a"), ["a"]);
        assert_eq!(my("SELECT /* /* */ :a"), ["a"], "comments do not nest");
        assert_eq!(my("SET @x := :a"), ["a"]);
    }

    #[test]
    fn sqlite_identifiers() {
        let lite = |sql| names(sql, Backend::Sqlite);
        assert_eq!(lite(r#"SELECT "we:ird", `b:no`, [c :no], :a"#), ["a"]);
        assert_eq!(lite(r"SELECT 'a\', :a"), ["a"], "no backslash escapes");
        assert_eq!(lite("SELECT /* /* */ :a"), ["a"]);
    }
}
