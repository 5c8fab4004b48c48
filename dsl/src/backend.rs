//! The three SQL dialects azoth renders.

/// A SQL dialect: decides placeholders, quoting and the few constructs that differ.
///
/// ```
/// use azoth_dsl::Backend;
/// assert_eq!(Backend::Postgres.name(), "PostgreSQL");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// PostgreSQL (`$1` placeholders, `"` quoting).
    Postgres,
    /// MySQL and MariaDB (`?` placeholders, `` ` `` quoting).
    MySql,
    /// SQLite (`?` placeholders, `"` quoting).
    Sqlite,
}

impl Backend {
    /// All backends, for tests and tools that render for each.
    pub const ALL: [Backend; 3] = [Backend::Postgres, Backend::MySql, Backend::Sqlite];

    /// The most values one statement may bind: 65,535 on PostgreSQL and MySQL (a 16-bit count in
    /// their protocols), 32,766 on SQLite (its default `SQLITE_MAX_VARIABLE_NUMBER`).
    pub const fn max_binds(self) -> usize {
        match self {
            Backend::Postgres | Backend::MySql => 65_535,
            Backend::Sqlite => 32_766,
        }
    }

    /// The product name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "PostgreSQL",
            Backend::MySql => "MySQL",
            Backend::Sqlite => "SQLite",
        }
    }
}
