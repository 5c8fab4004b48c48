//! What changes take a database from one schema to another: [`diff`].

use azoth_dsl::Backend;

use super::schema::{
    ColumnSchema, ForeignKeySchema, IndexSchema, Schema, TableSchema, same_fk, same_type,
};

/// One change between two schemas.
///
/// ```
/// use azoth::Backend;
/// use azoth::migrate::{Schema, diff};
/// mod old { azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, pub body: String } } }
/// mod new { azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64 } } }
/// let changes = diff(&Schema::of::<(new::Note,)>(Backend::Sqlite), &Schema::of::<(old::Note,)>(Backend::Sqlite), Backend::Sqlite);
/// assert_eq!(changes[0].table(), "notes");
/// assert!(changes[0].is_destructive());
/// assert_eq!(changes[0].describe(), "drop column notes.body (its values are lost)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// A table the target has and the current schema lacks.
    CreateTable(TableSchema),
    /// A table the current schema has and the target lacks (destructive).
    DropTable(TableSchema),
    /// A new column.
    AddColumn {
        /// The table.
        table: String,
        /// The column, as the target has it.
        column: ColumnSchema,
    },
    /// A column the target lacks (destructive).
    DropColumn {
        /// The table.
        table: String,
        /// The column, as it is now.
        column: ColumnSchema,
    },
    /// A column whose type, length, nullability or default changes.
    AlterColumn {
        /// The table.
        table: String,
        /// The column now.
        from: ColumnSchema,
        /// The column wanted.
        to: ColumnSchema,
    },
    /// A new primary key (or a changed one).
    SetPrimaryKey {
        /// The table.
        table: String,
        /// The key's columns now.
        from: Vec<String>,
        /// The key's columns wanted.
        to: Vec<String>,
    },
    /// A new non-unique index.
    AddIndex {
        /// The table.
        table: String,
        /// The index.
        index: IndexSchema,
    },
    /// An index the target lacks.
    DropIndex {
        /// The table.
        table: String,
        /// The index.
        index: IndexSchema,
    },
    /// A new unique constraint.
    AddUnique {
        /// The table.
        table: String,
        /// Its columns.
        columns: Vec<String>,
    },
    /// A unique constraint the target lacks.
    DropUnique {
        /// The table.
        table: String,
        /// Its columns.
        columns: Vec<String>,
    },
    /// A new foreign key.
    AddForeignKey {
        /// The referencing table.
        table: String,
        /// The key.
        fk: ForeignKeySchema,
    },
    /// A foreign key the target lacks.
    DropForeignKey {
        /// The referencing table.
        table: String,
        /// The key.
        fk: ForeignKeySchema,
    },
}

impl Change {
    /// The table the change is on.
    pub fn table(&self) -> &str {
        match self {
            Change::CreateTable(t) | Change::DropTable(t) => &t.name,
            Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::AlterColumn { table, .. }
            | Change::SetPrimaryKey { table, .. }
            | Change::AddIndex { table, .. }
            | Change::DropIndex { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. } => table,
        }
    }

    /// Whether applying the change may lose data: dropping a table or a column, narrowing a
    /// type or a length.
    pub fn is_destructive(&self) -> bool {
        match self {
            Change::DropTable(_) | Change::DropColumn { .. } => true,
            Change::AlterColumn { from, to, .. } => narrows(from, to),
            _ => false,
        }
    }

    /// One line saying what the change does, for the migration file and the `diff` command.
    pub fn describe(&self) -> String {
        let cols = |c: &[String]| c.join(", ");
        match self {
            Change::CreateTable(t) => format!("create table {}", t.name),
            Change::DropTable(t) => format!("drop table {} (its rows are lost)", t.name),
            Change::AddColumn { table, column } => {
                format!("add column {table}.{} {}", column.name, column.sql_type())
            }
            Change::DropColumn { table, column } => {
                format!("drop column {table}.{} (its values are lost)", column.name)
            }
            Change::AlterColumn { table, from, to } => {
                let mut what = Vec::new();
                if from.sql_type() != to.sql_type() {
                    what.push(format!("type {} -> {}", from.sql_type(), to.sql_type()));
                }
                if from.nullable != to.nullable {
                    what.push(
                        if to.nullable {
                            "NULL allowed"
                        } else {
                            "NOT NULL"
                        }
                        .to_owned(),
                    );
                }
                if from.default != to.default {
                    what.push(format!(
                        "default {} -> {}",
                        from.default.as_deref().unwrap_or("none"),
                        to.default.as_deref().unwrap_or("none")
                    ));
                }
                let narrowing = if narrows(from, to) {
                    " (narrowing: values that do not fit are lost or refused)"
                } else {
                    ""
                };
                format!(
                    "alter column {table}.{}: {}{narrowing}",
                    to.name,
                    what.join(", ")
                )
            }
            Change::SetPrimaryKey { table, from, to } => {
                format!("primary key of {table}: ({}) -> ({})", cols(from), cols(to))
            }
            Change::AddIndex { table, index } => {
                format!(
                    "add index {} on {table} ({})",
                    index.name,
                    cols(&index.columns)
                )
            }
            Change::DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            Change::AddUnique { table, columns } => {
                format!("add unique ({}) on {table}", cols(columns))
            }
            Change::DropUnique { table, columns } => {
                format!("drop unique ({}) on {table}", cols(columns))
            }
            Change::AddForeignKey { table, fk } => format!(
                "add foreign key {table} ({}) -> {} ({})",
                cols(&fk.columns),
                fk.ref_table,
                cols(&fk.ref_columns)
            ),
            Change::DropForeignKey { table, fk } => format!(
                "drop foreign key {table} ({}) -> {}",
                cols(&fk.columns),
                fk.ref_table
            ),
        }
    }
}

/// Integer and float widths, narrowest first: a change to a later one keeps every value.
const WIDENING: &[&[&str]] = &[
    &["SMALLINT", "INTEGER", "BIGINT"],
    &["REAL", "FLOAT", "DOUBLE PRECISION", "DOUBLE"],
    &["VARCHAR", "TEXT", "LONGTEXT"],
];

/// Whether `from` -> `to` may lose values.
fn narrows(from: &ColumnSchema, to: &ColumnSchema) -> bool {
    if from.data_type == to.data_type {
        return match (from.max_len, to.max_len) {
            (Some(a), Some(b)) => b < a,
            (None, Some(_)) => true,
            _ => false,
        };
    }
    let rank = |t: &str| {
        WIDENING.iter().find_map(|chain| {
            chain
                .iter()
                .position(|x| *x == t)
                .map(|i| (chain.as_ptr(), i))
        })
    };
    match (rank(&from.data_type), rank(&to.data_type)) {
        (Some((ca, a)), Some((cb, b))) if ca == cb => {
            b < a || (to.data_type == "VARCHAR" && to.max_len.is_some())
        }
        _ => true,
    }
}

/// The changes that take a database with schema `current` to schema `target` on `backend`.
/// Tables are matched by name, columns by name: a renamed column is a drop and an add (see
/// [`renames`]).
///
/// ```
/// use azoth::migrate::{Change, Schema, diff};
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64 } }
/// let target = Schema::of::<(Note,)>(azoth::Backend::Sqlite);
/// let changes = diff(&target, &Schema::default(), azoth::Backend::Sqlite);
/// assert!(matches!(&changes[..], [Change::CreateTable(t)] if t.name == "notes"));
/// assert!(diff(&target, &target, azoth::Backend::Sqlite).is_empty());
/// ```
pub fn diff(target: &Schema, current: &Schema, backend: Backend) -> Vec<Change> {
    let mut out = Vec::new();
    for t in &target.tables {
        match current.table(&t.name) {
            None => out.push(Change::CreateTable(t.clone())),
            Some(c) => diff_table(t, c, backend, &mut out),
        }
    }
    for c in &current.tables {
        if target.table(&c.name).is_none() {
            out.push(Change::DropTable(c.clone()));
        }
    }
    out
}

fn diff_table(t: &TableSchema, c: &TableSchema, backend: Backend, out: &mut Vec<Change>) {
    let table = || t.name.clone();
    for col in &t.columns {
        match c.column(&col.name) {
            None => out.push(Change::AddColumn {
                table: table(),
                column: col.clone(),
            }),
            Some(now) => {
                let same = same_type(&now.data_type, &col.data_type, backend)
                    && now.max_len == col.max_len
                    && now.nullable == col.nullable
                    && now.default == col.default;
                if !same {
                    out.push(Change::AlterColumn {
                        table: table(),
                        from: now.clone(),
                        to: col.clone(),
                    });
                }
            }
        }
    }
    for col in &c.columns {
        if t.column(&col.name).is_none() {
            out.push(Change::DropColumn {
                table: table(),
                column: col.clone(),
            });
        }
    }
    if t.primary_key != c.primary_key {
        out.push(Change::SetPrimaryKey {
            table: table(),
            from: c.primary_key.clone(),
            to: t.primary_key.clone(),
        });
    }
    for u in &t.uniques {
        if !c.uniques.contains(u) {
            out.push(Change::AddUnique {
                table: table(),
                columns: u.clone(),
            });
        }
    }
    for u in &c.uniques {
        if !t.uniques.contains(u) {
            out.push(Change::DropUnique {
                table: table(),
                columns: u.clone(),
            });
        }
    }
    for ix in &t.indexes {
        if !c.indexes.contains(ix) {
            out.push(Change::AddIndex {
                table: table(),
                index: ix.clone(),
            });
        }
    }
    for ix in &c.indexes {
        if !t.indexes.contains(ix) {
            out.push(Change::DropIndex {
                table: table(),
                index: ix.clone(),
            });
        }
    }
    for fk in &t.foreign_keys {
        if !c.foreign_keys.iter().any(|x| same_fk(x, fk)) {
            out.push(Change::AddForeignKey {
                table: table(),
                fk: fk.clone(),
            });
        }
    }
    for fk in &c.foreign_keys {
        if !t.foreign_keys.iter().any(|x| same_fk(x, fk)) {
            out.push(Change::DropForeignKey {
                table: table(),
                fk: fk.clone(),
            });
        }
    }
}

/// What looks like a rename: a table dropped and one created, or in one table a column dropped
/// and one added. Never applied as a rename: said, with how to write one.
///
/// ```
/// use azoth::Backend;
/// use azoth::migrate::{Schema, diff, renames};
/// mod old { azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, pub body: String } } }
/// mod new { azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, pub text: String } } }
/// let changes = diff(&Schema::of::<(new::Note,)>(Backend::Postgres), &Schema::of::<(old::Note,)>(Backend::Postgres), Backend::Postgres);
/// assert!(renames(&changes)[0].contains("`ALTER TABLE notes RENAME COLUMN body TO text`"));
/// ```
pub fn renames(changes: &[Change]) -> Vec<String> {
    let mut out = Vec::new();
    let dropped: Vec<&TableSchema> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(t),
            _ => None,
        })
        .collect();
    for c in changes {
        if let Change::CreateTable(t) = c {
            for d in &dropped {
                out.push(format!(
                    "table {} is dropped and table {} created: if it is a rename, replace both \
                     with `ALTER TABLE {} RENAME TO {}` in the migration (its rows are kept)",
                    d.name, t.name, d.name, t.name
                ));
            }
        }
    }
    for c in changes {
        if let Change::AddColumn { table, column } = c {
            for d in changes {
                if let Change::DropColumn {
                    table: t2,
                    column: old,
                } = d
                    && t2 == table
                {
                    out.push(format!(
                        "column {table}.{} is dropped and {table}.{} added: if it is a rename, \
                         replace both with `ALTER TABLE {table} RENAME COLUMN {} TO {}` in the \
                         migration (its values are kept)",
                        old.name, column.name, old.name, column.name
                    ));
                }
            }
        }
    }
    out
}
