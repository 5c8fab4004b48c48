//! Where a constraint violation happened: the constraint's name, its table and its columns, as
//! far as each backend reports them. PostgreSQL sends them as fields of the error (the columns of
//! a key in its detail); MySQL/MariaDB and SQLite only write them into the message, so they are
//! read from there.

use sqlx::error::DatabaseError;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgDatabaseError;

use crate::errors::ConstraintKind;

/// The constraint, table and columns a violation names.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    /// The constraint's (or unique key's, or index's) name.
    pub constraint: Option<String>,
    /// The table the constraint belongs to (for a foreign key, the referencing table).
    pub table: Option<String>,
    /// The columns the constraint covers.
    pub columns: Vec<String>,
}

/// Where the violation `db` (of kind `kind`) happened, from whichever backend it comes.
#[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
pub(crate) fn locate(db: &dyn DatabaseError, kind: ConstraintKind) -> Located {
    #[cfg(feature = "postgres")]
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        return postgres(pg, kind);
    }
    #[cfg(feature = "mysql")]
    if db
        .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
        .is_some()
    {
        return mysql(db.message(), kind);
    }
    #[cfg(feature = "sqlite")]
    if crate::sqlite_fast::is_sqlite(db) {
        return sqlite(db.message(), kind);
    }
    Located::default()
}

/// PostgreSQL: the constraint and table fields; the column field of a not-null violation; the
/// key columns of a unique or foreign-key violation from the detail, `Key (a, b)=(..) ..`.
#[cfg(feature = "postgres")]
fn postgres(pg: &PgDatabaseError, kind: ConstraintKind) -> Located {
    let columns = match kind {
        ConstraintKind::NotNull => pg.column().map(str::to_owned).into_iter().collect(),
        ConstraintKind::Unique => pg.detail().map(pg_key_columns).unwrap_or_default(),
        // Only the referencing row's detail names the constraint's own columns; deleting a
        // referenced row names the referenced table's key.
        ConstraintKind::ForeignKey => pg
            .detail()
            .filter(|d| d.contains(" is not present in table "))
            .map(pg_key_columns)
            .unwrap_or_default(),
        ConstraintKind::Check => Vec::new(),
    };
    Located {
        constraint: pg.constraint().map(str::to_owned),
        table: pg.table().map(str::to_owned),
        columns,
    }
}

/// The columns of PostgreSQL's `Key (a, "B c")=(..) ...` detail; none when the key is an
/// expression.
#[cfg(feature = "postgres")]
fn pg_key_columns(detail: &str) -> Vec<String> {
    let Some(inner) = detail
        .strip_prefix("Key (")
        .and_then(|rest| rest.split_once(")=(").map(|(cols, _)| cols))
    else {
        return Vec::new();
    };
    let mut columns = Vec::new();
    for part in inner.split(", ") {
        let column = match part.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None if is_identifier(part) => part.to_owned(),
            None => return Vec::new(),
        };
        columns.push(column);
    }
    columns
}

/// MySQL/MariaDB messages:
/// - unique: `Duplicate entry '..' for key 'email'` (MariaDB), `.. for key 'users.email'`
///   (MySQL 8: table and key);
/// - foreign key: `.. a foreign key constraint fails (`db`.`posts`, CONSTRAINT `fk` FOREIGN KEY
///   (`author_id`) REFERENCES ..)`;
/// - not null: `Column 'name' cannot be null`, `Field 'name' doesn't have a default value`;
/// - check: `CONSTRAINT `name` failed for `db`.`table`` (MariaDB; a column's own check is named
///   `table.column`), `Check constraint 'name' is violated.` (MySQL 8).
#[cfg(feature = "mysql")]
fn mysql(message: &str, kind: ConstraintKind) -> Located {
    let mut at = Located::default();
    match kind {
        ConstraintKind::Unique => {
            if let Some(key) = message
                .rfind(" for key '")
                .map(|i| &message[i + " for key '".len()..])
                .and_then(|rest| rest.strip_suffix('\''))
            {
                match key.split_once('.') {
                    Some((table, key)) => {
                        at.table = Some(table.to_owned());
                        at.constraint = Some(key.to_owned());
                    }
                    None => at.constraint = Some(key.to_owned()),
                }
            }
        }
        ConstraintKind::ForeignKey => {
            if let Some(rest) = message
                .find("constraint fails (")
                .map(|i| &message[i + "constraint fails (".len()..])
                && let Some((path, rest)) = backticked_path(rest)
            {
                at.table = path.last().cloned();
                if let Some(rest) = rest.strip_prefix(", CONSTRAINT ")
                    && let Some((name, rest)) = backticked(rest)
                {
                    at.constraint = Some(name);
                    if let Some(mut rest) = rest.strip_prefix(" FOREIGN KEY (") {
                        while let Some((column, after)) = backticked(rest) {
                            at.columns.push(column);
                            rest = after.strip_prefix(", ").unwrap_or(after);
                        }
                    }
                }
            }
        }
        ConstraintKind::NotNull => {
            let column = message
                .strip_prefix("Column '")
                .and_then(|r| r.strip_suffix("' cannot be null"))
                .or_else(|| {
                    message
                        .strip_prefix("Field '")
                        .and_then(|r| r.strip_suffix("' doesn't have a default value"))
                });
            at.columns.extend(column.map(str::to_owned));
        }
        ConstraintKind::Check => {
            if let Some(rest) = message.strip_prefix("CONSTRAINT ")
                && let Some((name, rest)) = backticked(rest)
            {
                let table = rest
                    .strip_prefix(" failed for ")
                    .and_then(backticked_path)
                    .and_then(|(path, _)| path.last().cloned());
                // A column's own check is named after the column, shown as `table.column`.
                let name = match &table {
                    Some(t) => name
                        .strip_prefix(t.as_str())
                        .and_then(|n| n.strip_prefix('.'))
                        .map(str::to_owned)
                        .unwrap_or(name),
                    None => name,
                };
                at.constraint = Some(name);
                at.table = table;
            } else if let Some(name) = message
                .strip_prefix("Check constraint '")
                .and_then(|r| r.strip_suffix("' is violated."))
            {
                at.constraint = Some(name.to_owned());
            }
        }
    }
    at
}

/// A `` `quoted` `` identifier at the start of `s` (a doubled backtick stands for one), and the
/// text after it.
#[cfg(feature = "mysql")]
fn backticked(s: &str) -> Option<(String, &str)> {
    let mut rest = s.strip_prefix('`')?;
    let mut name = String::new();
    loop {
        let end = rest.find('`')?;
        name.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.strip_prefix('`') {
            Some(after) => {
                name.push('`');
                rest = after;
            }
            None => return Some((name, rest)),
        }
    }
}

/// A dotted path of quoted identifiers, `` `db`.`table` ``, and the text after it.
#[cfg(feature = "mysql")]
fn backticked_path(s: &str) -> Option<(Vec<String>, &str)> {
    let (first, mut rest) = backticked(s)?;
    let mut path = vec![first];
    while let Some((next, after)) = rest.strip_prefix('.').and_then(backticked) {
        path.push(next);
        rest = after;
    }
    Some((path, rest))
}

/// SQLite messages:
/// - unique (and primary key): `UNIQUE constraint failed: users.email` (table and columns,
///   several for a composite key), `UNIQUE constraint failed: index 'name'` (an expression
///   index);
/// - not null: `NOT NULL constraint failed: users.name`;
/// - check: `CHECK constraint failed: name` (an unnamed check shows its expression instead, which
///   is not kept as a name);
/// - foreign key: `FOREIGN KEY constraint failed`, nothing more.
#[cfg(feature = "sqlite")]
fn sqlite(message: &str, kind: ConstraintKind) -> Located {
    let mut at = Located::default();
    let detail = match kind {
        ConstraintKind::Unique => message.strip_prefix("UNIQUE constraint failed: "),
        ConstraintKind::NotNull => message.strip_prefix("NOT NULL constraint failed: "),
        ConstraintKind::Check => message.strip_prefix("CHECK constraint failed: "),
        ConstraintKind::ForeignKey => None,
    };
    let Some(detail) = detail else {
        return at;
    };
    if kind == ConstraintKind::Check {
        at.constraint = is_identifier(detail).then(|| detail.to_owned());
        return at;
    }
    if let Some(index) = detail
        .strip_prefix("index '")
        .and_then(|r| r.strip_suffix('\''))
    {
        at.constraint = Some(index.to_owned());
        return at;
    }
    for part in detail.split(", ") {
        let Some((table, column)) = part.split_once('.') else {
            return Located::default();
        };
        at.table.get_or_insert_with(|| table.to_owned());
        at.columns.push(column.to_owned());
    }
    at
}

/// Whether `s` is a plain identifier (letters, digits, `_`, `$`, not starting with a digit).
#[cfg(any(feature = "postgres", feature = "sqlite"))]
fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use super::*;

    #[allow(dead_code)]
    fn at(constraint: Option<&str>, table: Option<&str>, columns: &[&str]) -> Located {
        Located {
            constraint: constraint.map(str::to_owned),
            table: table.map(str::to_owned),
            columns: columns.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn postgres_key_details_give_their_columns_unless_the_key_is_an_expression() {
        assert_eq!(
            pg_key_columns("Key (email)=(a@x) already exists."),
            ["email"]
        );
        assert_eq!(
            pg_key_columns("Key (account_id, \"Total \"\"x\"\"\")=(1, 1) already exists."),
            ["account_id", "Total \"x\""]
        );
        assert!(pg_key_columns("Key (lower(email))=(a@x) already exists.").is_empty());
        assert!(pg_key_columns("Failing row contains (1, null).").is_empty());
    }

    #[cfg(feature = "mysql")]
    #[test]
    fn mysql_and_mariadb_messages_give_constraint_table_and_columns() {
        use ConstraintKind::*;
        let cases = [
            (
                Unique,
                "Duplicate entry 'a@x' for key 'email'",
                at(Some("email"), None, &[]),
            ),
            (
                Unique,
                "Duplicate entry '1' for key 'PRIMARY'",
                at(Some("PRIMARY"), None, &[]),
            ),
            (
                Unique,
                "Duplicate entry 'x for key 'y'' for key 'users.email'",
                at(Some("email"), Some("users"), &[]),
            ),
            (
                ForeignKey,
                "Cannot add or update a child row: a foreign key constraint fails (`db`.`err_orders`, CONSTRAINT `fk_a` FOREIGN KEY (`account_id`, `x``y`) REFERENCES `err_accounts` (`id`, `z`))",
                at(Some("fk_a"), Some("err_orders"), &["account_id", "x`y"]),
            ),
            (
                ForeignKey,
                "Cannot add or update a child row: a foreign key constraint fails",
                at(None, None, &[]),
            ),
            (
                NotNull,
                "Column 'name' cannot be null",
                at(None, None, &["name"]),
            ),
            (
                NotNull,
                "Field 'name' doesn't have a default value",
                at(None, None, &["name"]),
            ),
            (
                Check,
                "CONSTRAINT `err_amount_nonneg` failed for `db`.`err_limits`",
                at(Some("err_amount_nonneg"), Some("err_limits"), &[]),
            ),
            (
                Check,
                "CONSTRAINT `err_limits.other` failed for `db`.`err_limits`",
                at(Some("other"), Some("err_limits"), &[]),
            ),
            (
                Check,
                "Check constraint 'balance_nonneg' is violated.",
                at(Some("balance_nonneg"), None, &[]),
            ),
        ];
        for (kind, message, want) in cases {
            assert_eq!(mysql(message, kind), want, "{message}");
        }
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn sqlite_messages_give_table_and_columns_or_a_name() {
        use ConstraintKind::*;
        let cases = [
            (
                Unique,
                "UNIQUE constraint failed: users.email",
                at(None, Some("users"), &["email"]),
            ),
            (
                Unique,
                "UNIQUE constraint failed: orders.account_id, orders.total",
                at(None, Some("orders"), &["account_id", "total"]),
            ),
            (
                Unique,
                "UNIQUE constraint failed: index 'ix_lower_email'",
                at(Some("ix_lower_email"), None, &[]),
            ),
            (
                NotNull,
                "NOT NULL constraint failed: users.name",
                at(None, Some("users"), &["name"]),
            ),
            (
                Check,
                "CHECK constraint failed: amount_nonneg",
                at(Some("amount_nonneg"), None, &[]),
            ),
            (
                Check,
                "CHECK constraint failed: other < 5",
                at(None, None, &[]),
            ),
            (
                ForeignKey,
                "FOREIGN KEY constraint failed",
                at(None, None, &[]),
            ),
        ];
        for (kind, message, want) in cases {
            assert_eq!(sqlite(message, kind), want, "{message}");
        }
    }
}
