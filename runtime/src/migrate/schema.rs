//! A neutral description of a database schema: what introspection reads from a live database,
//! what the models declare (through [`Schema::from_models`]), and what [`diff`](super::diff)
//! compares.

use azoth_dsl::{Backend, KeyKind, OnDelete, TableMeta};

/// The tables of a database (or of a set of models), sorted by name.
///
/// ```
/// use azoth::migrate::Schema;
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, pub body: String } }
/// let schema = Schema::of::<(Note,)>(azoth::Backend::Sqlite);
/// assert_eq!(schema.table("notes").unwrap().columns[1].data_type, "TEXT");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    /// The tables, sorted by name.
    pub tables: Vec<TableSchema>,
}

/// One table: columns in their order, keys, indexes and foreign keys (each sorted).
///
/// ```
/// azoth::model! { #[table = "tags"] pub struct Tag { #[primary_key(manual)] pub post: i64, #[primary_key(manual)] #[unique] pub label: String } }
/// let schema = azoth::migrate::Schema::of::<(Tag,)>(azoth::Backend::Postgres);
/// let tags = schema.table("tags").unwrap();
/// assert_eq!(tags.primary_key, ["post", "label"]);
/// assert_eq!(tags.uniques, [vec!["label".to_owned()]]);
/// assert!(tags.column("label").is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    /// The table's name.
    pub name: String,
    /// The columns, in the table's order.
    pub columns: Vec<ColumnSchema>,
    /// The primary key's columns, in key order (empty: no primary key).
    pub primary_key: Vec<String>,
    /// Unique constraints (and unique indexes), by their columns.
    pub uniques: Vec<Vec<String>>,
    /// Non-unique indexes.
    pub indexes: Vec<IndexSchema>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKeySchema>,
}

/// One column.
///
/// ```
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, #[max_len = 40] pub title: Option<String> } }
/// let schema = azoth::migrate::Schema::of::<(Note,)>(azoth::Backend::MySql);
/// let title = schema.table("notes").unwrap().column("title").unwrap();
/// assert_eq!((title.sql_type(), title.nullable), ("VARCHAR(40)".to_owned(), true));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSchema {
    /// The column's name.
    pub name: String,
    /// The type, upper case, as the backend spells it in DDL without a `VARCHAR`'s length
    /// (`BIGINT`, `VARCHAR`, `TIMESTAMPTZ`, `DECIMAL(65,28)`).
    pub data_type: String,
    /// A `VARCHAR`'s length.
    pub max_len: Option<u32>,
    /// Whether NULL is admitted.
    pub nullable: bool,
    /// The server default, normalised (see [`normalize_default`]).
    pub default: Option<String>,
    /// Whether the database generates the value (identity, `AUTO_INCREMENT`, SQLite's
    /// `INTEGER PRIMARY KEY`).
    pub auto_increment: bool,
}

/// A non-unique index.
///
/// ```
/// azoth::model! { #[table = "notes"] pub struct Note { #[primary_key] pub id: i64, #[index] pub day: i32 } }
/// let schema = azoth::migrate::Schema::of::<(Note,)>(azoth::Backend::Sqlite);
/// let ix = &schema.table("notes").unwrap().indexes[0];
/// assert_eq!((ix.name.as_str(), &ix.columns[..]), ("ix_notes_day", &["day".to_owned()][..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexSchema {
    /// The index's name.
    pub name: String,
    /// Its columns, in order.
    pub columns: Vec<String>,
}

/// A foreign key.
///
/// ```
/// azoth::model! { #[table = "users"] pub struct User { #[primary_key] pub id: i64 } }
/// azoth::model! { #[table = "posts"] pub struct Post { #[primary_key] pub id: i64, #[references(User::id, on_delete = cascade)] pub user_id: i64 } }
/// let schema = azoth::migrate::Schema::of::<(User, Post)>(azoth::Backend::Postgres);
/// let fk = &schema.table("posts").unwrap().foreign_keys[0];
/// assert_eq!((fk.ref_table.as_str(), fk.on_delete), ("users", azoth::OnDelete::Cascade));
/// assert_eq!(fk.name.as_deref(), Some("fk_posts_user_id"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeySchema {
    /// The constraint's name, where the backend keeps one (SQLite does not).
    pub name: Option<String>,
    /// The referencing columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns.
    pub ref_columns: Vec<String>,
    /// The `ON DELETE` action.
    pub on_delete: OnDelete,
}

impl ColumnSchema {
    /// The type as written in DDL: `VARCHAR(20)`, `BIGINT`.
    pub fn sql_type(&self) -> String {
        match self.max_len {
            Some(n) => format!("{}({n})", self.data_type),
            None => self.data_type.clone(),
        }
    }
}

impl TableSchema {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnSchema> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Sorts keys, indexes and foreign keys, so that two descriptions of one table compare equal.
    pub(crate) fn normalize(&mut self) {
        self.uniques.sort();
        self.uniques.dedup();
        // A unique constraint on the primary key's columns adds nothing.
        let pk = self.primary_key.clone();
        self.uniques.retain(|u| *u != pk);
        self.indexes.sort();
        self.foreign_keys.sort_by(|a, b| {
            (&a.columns, &a.ref_table, &a.ref_columns).cmp(&(
                &b.columns,
                &b.ref_table,
                &b.ref_columns,
            ))
        });
    }

    /// Compares with `other` as a diff does: foreign-key names are not compared (SQLite has none).
    pub fn same_as(&self, other: &TableSchema, backend: Backend) -> bool {
        self.name == other.name
            && self.columns.len() == other.columns.len()
            && self
                .columns
                .iter()
                .zip(&other.columns)
                .all(|(a, b)| a.name == b.name && same_column(a, b, backend))
            && self.primary_key == other.primary_key
            && self.uniques == other.uniques
            && self.indexes == other.indexes
            && self.foreign_keys.len() == other.foreign_keys.len()
            && self
                .foreign_keys
                .iter()
                .zip(&other.foreign_keys)
                .all(|(a, b)| same_fk(a, b))
    }
}

/// Whether two columns have the same type, nullability, length and default.
pub(crate) fn same_column(a: &ColumnSchema, b: &ColumnSchema, backend: Backend) -> bool {
    same_type(&a.data_type, &b.data_type, backend)
        && a.max_len == b.max_len
        && a.nullable == b.nullable
        && a.default == b.default
}

/// Whether two foreign keys are the same (names aside).
pub(crate) fn same_fk(a: &ForeignKeySchema, b: &ForeignKeySchema) -> bool {
    a.columns == b.columns
        && a.ref_table == b.ref_table
        && a.ref_columns == b.ref_columns
        && on_delete_eq(a.on_delete, b.on_delete)
}

fn on_delete_eq(a: OnDelete, b: OnDelete) -> bool {
    a == b
}

/// Types the backend stores as one: MariaDB's `JSON` is a `LONGTEXT`.
pub(crate) fn same_type(a: &str, b: &str, backend: Backend) -> bool {
    a == b
        || (backend == Backend::MySql
            && matches!((a, b), ("JSON", "LONGTEXT") | ("LONGTEXT", "JSON")))
}

impl Schema {
    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&TableSchema> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Compares with `other` table by table (see [`TableSchema::same_as`]).
    pub fn same_as(&self, other: &Schema, backend: Backend) -> bool {
        self.tables.len() == other.tables.len()
            && self
                .tables
                .iter()
                .zip(&other.tables)
                .all(|(a, b)| a.same_as(b, backend))
    }

    /// What `create_all::<Models>()` creates on `backend`, described as introspection would
    /// read it back.
    pub fn of<Models: crate::ModelSet>(backend: Backend) -> Schema {
        Schema::from_models(&Models::metas(), backend)
    }

    /// [`Schema::of`] for tables' metadata (`User::META`, ...).
    pub fn from_models(metas: &[&TableMeta], backend: Backend) -> Schema {
        let mut tables: Vec<TableSchema> =
            metas.iter().map(|t| table_from_meta(t, backend)).collect();
        tables.sort_by(|a, b| a.name.cmp(&b.name));
        Schema { tables }
    }
}

/// One model's table, as introspection reads it back on `backend`.
pub(crate) fn table_from_meta(t: &TableMeta, backend: Backend) -> TableSchema {
    let keys: Vec<_> = t.primary_key().collect();
    let single_auto = keys.len() == 1 && keys[0].primary_key == KeyKind::Auto;
    let columns = t
        .columns
        .iter()
        .map(|c| {
            let (data_type, max_len) = normalize_type(&crate::ddl::type_name(c, backend), backend);
            let auto = single_auto && c.primary_key == KeyKind::Auto;
            let data_type = if auto && backend == Backend::Sqlite {
                "INTEGER".to_owned()
            } else {
                data_type
            };
            ColumnSchema {
                name: c.name.to_owned(),
                data_type,
                max_len,
                nullable: c.nullable,
                default: c.default.and_then(|d| {
                    normalize_default(&render_expr((d.0)(backend), backend), backend)
                }),
                auto_increment: auto,
            }
        })
        .collect();
    let mut table = TableSchema {
        name: t.name.to_owned(),
        columns,
        primary_key: keys.iter().map(|c| c.name.to_owned()).collect(),
        uniques: t
            .columns
            .iter()
            .filter(|c| c.unique)
            .map(|c| vec![c.name.to_owned()])
            .collect(),
        indexes: t
            .columns
            .iter()
            .filter(|c| c.indexed)
            .map(|c| IndexSchema {
                name: format!("ix_{}_{}", t.name, c.name),
                columns: vec![c.name.to_owned()],
            })
            .collect(),
        foreign_keys: t
            .columns
            .iter()
            .filter_map(|c| {
                c.references.map(|fk| ForeignKeySchema {
                    name: (backend != Backend::Sqlite).then(|| format!("fk_{}_{}", t.name, c.name)),
                    columns: vec![c.name.to_owned()],
                    ref_table: fk.table.to_owned(),
                    ref_columns: vec![fk.column.to_owned()],
                    on_delete: fk.on_delete,
                })
            })
            .collect(),
    };
    // MySQL gives every foreign key an index (named after the constraint) when none leads with
    // its columns.
    if backend == Backend::MySql {
        for fk in &table.foreign_keys {
            let covered = table
                .indexes
                .iter()
                .any(|i| i.columns.starts_with(&fk.columns))
                || table.uniques.iter().any(|u| u.starts_with(&fk.columns))
                || table.primary_key.starts_with(&fk.columns);
            if !covered {
                table.indexes.push(IndexSchema {
                    name: fk.name.clone().unwrap_or_default(),
                    columns: fk.columns.clone(),
                });
            }
        }
    }
    table.normalize();
    table
}

/// Renders a default expression alone, values inline.
fn render_expr(e: sea_query::Expr, backend: Backend) -> String {
    let q = sea_query::Query::select().expr(e).to_owned();
    let sql = match backend {
        Backend::Postgres => q.to_string(sea_query::PostgresQueryBuilder),
        Backend::MySql => q.to_string(sea_query::MysqlQueryBuilder),
        Backend::Sqlite => q.to_string(sea_query::SqliteQueryBuilder),
    };
    sql.strip_prefix("SELECT ").unwrap_or(&sql).to_owned()
}

/// A type name as the backend reports it, in the form [`ColumnSchema::data_type`] keeps:
/// upper case, one spelling per type, a `VARCHAR`'s length apart.
///
/// ```
/// use azoth::Backend;
/// use azoth::migrate::schema::normalize_type;
/// assert_eq!(normalize_type("character varying(20)", Backend::Postgres), ("VARCHAR".into(), Some(20)));
/// assert_eq!(normalize_type("bigint(20)", Backend::MySql), ("BIGINT".into(), None));
/// assert_eq!(normalize_type("decimal(65, 28)", Backend::MySql), ("DECIMAL(65,28)".into(), None));
/// ```
pub fn normalize_type(raw: &str, backend: Backend) -> (String, Option<u32>) {
    let mut t = raw.trim().to_uppercase().replace(", ", ",");
    if let Some(rest) = t.strip_suffix(" UNSIGNED") {
        t = rest.to_owned();
    }
    let (base, args) = match t.find('(') {
        Some(i) if t.ends_with(')') => (
            t[..i].trim().to_owned(),
            Some(t[i + 1..t.len() - 1].to_owned()),
        ),
        _ => (t.clone(), None),
    };
    let base = match base.as_str() {
        "CHARACTER VARYING" => "VARCHAR".to_owned(),
        "TIMESTAMP WITHOUT TIME ZONE" => "TIMESTAMP".to_owned(),
        "TIMESTAMP WITH TIME ZONE" => "TIMESTAMPTZ".to_owned(),
        "TIME WITHOUT TIME ZONE" => "TIME".to_owned(),
        "INT" | "INT4" => "INTEGER".to_owned(),
        "INT8" => "BIGINT".to_owned(),
        "INT2" => "SMALLINT".to_owned(),
        "BOOL" => "BOOLEAN".to_owned(),
        "FLOAT8" => "DOUBLE PRECISION".to_owned(),
        "FLOAT4" if backend == Backend::Postgres => "REAL".to_owned(),
        "BOOLEAN" if backend == Backend::MySql => "TINYINT(1)".to_owned(),
        _ => base,
    };
    match (base.as_str(), args) {
        ("VARCHAR" | "NVARCHAR" | "CHARACTER" | "CHAR" | "NCHAR", Some(n)) => {
            (base.clone(), n.parse().ok())
        }
        // MySQL's display widths say nothing about the type; TINYINT(1) is its BOOLEAN.
        ("TINYINT", Some(n)) if backend == Backend::MySql && n == "1" => {
            ("TINYINT(1)".into(), None)
        }
        ("TINYINT" | "SMALLINT" | "MEDIUMINT" | "INTEGER" | "BIGINT", Some(_))
            if backend == Backend::MySql =>
        {
            (base, None)
        }
        (_, Some(a)) => (format!("{base}({a})"), None),
        (_, None) => (base, None),
    }
}

/// A default as the backend reports it, in one spelling: PostgreSQL's casts dropped
/// (`'a'::text` is `'a'`), MariaDB's `NULL` (no default) is none, `now()` and
/// `current_timestamp()` are `CURRENT_TIMESTAMP`, keywords upper case.
///
/// ```
/// use azoth::Backend;
/// use azoth::migrate::schema::normalize_default;
/// assert_eq!(normalize_default("'new'::character varying", Backend::Postgres).as_deref(), Some("'new'"));
/// assert_eq!(normalize_default("current_timestamp(6)", Backend::MySql).as_deref(), Some("CURRENT_TIMESTAMP"));
/// assert_eq!(normalize_default("NULL", Backend::MySql), None);
/// assert_eq!(normalize_default("(0)", Backend::Sqlite).as_deref(), Some("0"));
/// ```
pub fn normalize_default(raw: &str, backend: Backend) -> Option<String> {
    let mut d = raw.trim().to_owned();
    loop {
        let before = d.clone();
        if d.starts_with('(') && d.ends_with(')') && !d.ends_with("()") {
            d = d[1..d.len() - 1].trim().to_owned();
        }
        if backend == Backend::Postgres {
            // Drop a trailing `::type` outside quotes.
            if let Some(i) = d.rfind("::")
                && !d[i..].contains('\'')
            {
                d = d[..i].trim().to_owned();
            }
        }
        if d == before {
            break;
        }
    }
    if d.is_empty() || d.eq_ignore_ascii_case("null") {
        return None;
    }
    if d.starts_with("nextval(") {
        return None;
    }
    if d.starts_with('\'') {
        return Some(d);
    }
    let upper = d.to_uppercase();
    let upper = match upper.as_str() {
        "NOW()" | "CURRENT_TIMESTAMP()" | "CURRENT_TIMESTAMP(6)" | "CURRENT_TIMESTAMP" => {
            "CURRENT_TIMESTAMP".to_owned()
        }
        "TRUE" if backend == Backend::MySql => "1".to_owned(),
        "FALSE" if backend == Backend::MySql => "0".to_owned(),
        _ => upper,
    };
    Some(upper)
}

/// An `ON DELETE` rule as information_schema / pragma spell it.
#[cfg(any(feature = "sqlite", feature = "mysql"))]
pub(crate) fn on_delete_from(rule: &str) -> OnDelete {
    match rule.trim().to_uppercase().as_str() {
        "CASCADE" => OnDelete::Cascade,
        "SET NULL" => OnDelete::SetNull,
        "RESTRICT" => OnDelete::Restrict,
        _ => OnDelete::NoAction,
    }
}
