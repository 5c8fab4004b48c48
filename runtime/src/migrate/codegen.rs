//! Models from an existing database: `model!` declarations for every table of a [`Schema`], with
//! `#[table]`/`#[column]` renames, keys, references, indexes, server defaults, and relations
//! guessed from the foreign keys (`belongs_to` on the referencing table, `has_many` on the
//! referenced one).

use std::fmt::Write as _;

use azoth_dsl::{Backend, OnDelete};

use super::schema::{ColumnSchema, Schema, TableSchema};

/// Rust's reserved words: a field named so gets a trailing `_` (and a `#[column]`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match",
    "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct",
    "super", "trait", "true", "try", "type", "typeof", "unsafe", "use", "virtual", "where",
    "while", "yield",
];

/// `InvoiceLine`, `invoice_line`, `invoice-line` -> `invoice_line`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("t_{out}")
    } else {
        out
    }
}

/// `invoice_line` -> `InvoiceLine`.
fn pascal(name: &str) -> String {
    snake(name)
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn field_name(column: &str) -> String {
    let s = snake(column);
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

fn plural(s: &str) -> String {
    if s.ends_with('s') || s.ends_with('x') || s.ends_with("ch") || s.ends_with("sh") {
        format!("{s}es")
    } else if s.ends_with('y') && !s.ends_with("ay") && !s.ends_with("ey") && !s.ends_with("oy") {
        format!("{}ies", &s[..s.len() - 1])
    } else {
        format!("{s}s")
    }
}

/// The Rust type a column decodes into on `backend`, or `None` for a type azoth does not map.
fn rust_type(c: &ColumnSchema, backend: Backend) -> Option<&'static str> {
    let t = c.data_type.as_str();
    let base = t.split('(').next().unwrap_or(t).trim();
    Some(match base {
        "VARCHAR" | "NVARCHAR" | "CHAR" | "NCHAR" | "CHARACTER" | "TEXT" | "LONGTEXT"
        | "MEDIUMTEXT" | "TINYTEXT" | "CLOB" | "NATIONAL CHARACTER" => "String",
        "BOOLEAN" => "bool",
        "TINYINT" if t == "TINYINT(1)" => "bool",
        "SMALLINT" => "i16",
        // SQLite's INTEGER is 64 bits.
        "INTEGER" | "MEDIUMINT" if backend == Backend::Sqlite => "i64",
        "INTEGER" | "MEDIUMINT" => "i32",
        "BIGINT" => "i64",
        "REAL" if backend == Backend::Sqlite => "f64",
        "REAL" | "FLOAT" => "f32",
        "DOUBLE" | "DOUBLE PRECISION" => "f64",
        "NUMERIC" | "DECIMAL" => "rust_decimal::Decimal",
        "BLOB" | "BYTEA" | "LONGBLOB" | "VARBINARY" => "Vec<u8>",
        "BINARY" if t == "BINARY(16)" => "uuid::Uuid",
        "DATE" => "chrono::NaiveDate",
        "TIME" => "chrono::NaiveTime",
        "TIMESTAMP" | "DATETIME" => "chrono::NaiveDateTime",
        "TIMESTAMPTZ" => "chrono::DateTime<chrono::Utc>",
        "UUID" => "uuid::Uuid",
        "JSON" | "JSONB" => "serde_json::Value",
        _ => return None,
    })
}

/// A server default as a `#[server_default(..)]` argument: integers, decimals, strings and
/// `CURRENT_TIMESTAMP`; `None` for others.
fn default_arg(d: &str) -> Option<String> {
    if d == "CURRENT_TIMESTAMP" {
        return Some("now()".into());
    }
    if let Some(s) = d.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Some(format!("{:?}", s.replace("''", "'")));
    }
    (d.parse::<i64>().is_ok()).then(|| d.to_owned())
}

/// The struct name of each table, made unique.
fn struct_names(schema: &Schema) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = Vec::new();
    for t in &schema.tables {
        let mut n = pascal(&t.name);
        while names.iter().any(|(_, m)| *m == n) {
            n.push('_');
        }
        names.push((t.name.clone(), n));
    }
    names
}

/// `model!` declarations for every table of `schema` (read on `backend`), as Rust source.
///
/// ```
/// use azoth::prelude::*;
/// azoth::model! { #[table = "Notes"] pub struct Note { #[primary_key] #[column = "NoteId"] pub id: i64, #[max_len = 40] pub title: String } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> azoth::Result<()> {
/// let engine = Engine::connect("sqlite::memory:").await?;
/// engine.create_all::<(Note,)>().await?;
/// let source = azoth::migrate::models_source(&azoth::migrate::introspect(&engine).await?, engine.backend());
/// assert!(source.contains("#[table = \"Notes\"]\n    pub struct Notes {"));
/// assert!(source.contains("#[primary_key] #[column = \"NoteId\"] pub note_id: i64,"));
/// assert!(source.contains("#[max_len = 40] pub title: String,"));
/// # Ok(())
/// # }
/// ```
pub fn models_source(schema: &Schema, backend: Backend) -> String {
    let names = struct_names(schema);
    let struct_of = |table: &str| {
        names
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, n)| n.clone())
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Generated by azoth::migrate::models_source from a {} database.",
        backend.name()
    );
    for t in &schema.tables {
        let Some(name) = struct_of(&t.name) else {
            continue;
        };
        out.push('\n');
        write_model(&mut out, t, &name, schema, backend, &struct_of);
    }
    out
}

fn write_model(
    out: &mut String,
    t: &TableSchema,
    name: &str,
    schema: &Schema,
    backend: Backend,
    struct_of: &dyn Fn(&str) -> Option<String>,
) {
    let _ = writeln!(out, "azoth::model! {{");
    if snake(name) != t.name {
        let _ = writeln!(out, "    #[table = {:?}]", t.name);
    }
    let _ = writeln!(out, "    pub struct {name} {{");
    let single_auto = t.primary_key.len() == 1
        && t.column(&t.primary_key[0])
            .is_some_and(|c| c.auto_increment);
    let fields: Vec<String> = t.columns.iter().map(|c| field_name(&c.name)).collect();
    for (c, field) in t.columns.iter().zip(&fields) {
        let mut attrs: Vec<String> = Vec::new();
        let in_key = t.primary_key.contains(&c.name);
        if in_key {
            attrs.push(
                if single_auto {
                    "#[primary_key]"
                } else {
                    "#[primary_key(manual)]"
                }
                .into(),
            );
        }
        if *field != c.name {
            attrs.push(format!("#[column = {:?}]", c.name));
        }
        if let Some(n) = c.max_len
            && matches!(c.data_type.as_str(), "VARCHAR" | "NVARCHAR")
        {
            attrs.push(format!("#[max_len = {n}]"));
        }
        if t.uniques.iter().any(|u| u.len() == 1 && u[0] == c.name) {
            attrs.push("#[unique]".into());
        }
        // A single-column index, not the one MySQL makes for a foreign key.
        let fk_names: Vec<&str> = t
            .foreign_keys
            .iter()
            .filter_map(|f| f.name.as_deref())
            .collect();
        if t.indexes.iter().any(|i| {
            i.columns.len() == 1 && i.columns[0] == c.name && !fk_names.contains(&i.name.as_str())
        }) {
            attrs.push("#[index]".into());
        }
        let mut notes = Vec::new();
        if let Some(d) = &c.default {
            match default_arg(d) {
                Some(arg) => attrs.push(format!("#[server_default({arg})]")),
                None => notes.push(format!("server default `{d}` not carried over")),
            }
        }
        if let Some(fk) = t
            .foreign_keys
            .iter()
            .find(|f| f.columns == [c.name.clone()])
            && let (Some(target), Some(ref_table)) =
                (struct_of(&fk.ref_table), schema.table(&fk.ref_table))
        {
            let ref_col = fk
                .ref_columns
                .first()
                .filter(|r| !r.is_empty())
                .cloned()
                .or_else(|| ref_table.primary_key.first().cloned())
                .unwrap_or_default();
            let action = match fk.on_delete {
                OnDelete::NoAction => String::new(),
                OnDelete::Cascade => ", on_delete = cascade".into(),
                OnDelete::SetNull => ", on_delete = set_null".into(),
                OnDelete::Restrict => ", on_delete = restrict".into(),
            };
            attrs.push(format!(
                "#[references({target}::{}{action})]",
                field_name(&ref_col)
            ));
        }
        let ty = match rust_type(c, backend) {
            Some(ty) => ty.to_owned(),
            None => {
                notes.push(format!("type `{}` read as text", c.sql_type()));
                "String".to_owned()
            }
        };
        let ty = if c.nullable && !in_key {
            format!("Option<{ty}>")
        } else {
            ty
        };
        for n in notes {
            let _ = writeln!(out, "        // {n}");
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!("{} ", attrs.join(" "))
        };
        let _ = writeln!(out, "        {attrs}pub {field}: {ty},");
    }
    let _ = writeln!(out, "    }}");
    let relations = relations(t, name, schema, &fields, struct_of);
    if !relations.is_empty() {
        let _ = writeln!(out, "    relations {{");
        for r in relations {
            let _ = writeln!(out, "        {r},");
        }
        let _ = writeln!(out, "    }}");
    }
    let _ = writeln!(out, "}}");
}

/// `belongs_to` for each foreign key of `t`, `has_many` for each foreign key referencing it.
fn relations(
    t: &TableSchema,
    name: &str,
    schema: &Schema,
    fields: &[String],
    struct_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    let mut taken: Vec<String> = fields.to_vec();
    let mut out = Vec::new();
    let pick = |want: String, alt: String, taken: &mut Vec<String>| {
        let mut n = if taken.contains(&want) { alt } else { want };
        while taken.contains(&n) {
            n.push('_');
        }
        taken.push(n.clone());
        n
    };
    let key = |owner: &str, cols: &[String]| {
        let parts: Vec<String> = cols
            .iter()
            .map(|c| format!("{owner}::{}", field_name(c)))
            .collect();
        if parts.len() == 1 {
            parts[0].clone()
        } else {
            format!("({})", parts.join(", "))
        }
    };
    for fk in &t.foreign_keys {
        let Some(target) = struct_of(&fk.ref_table) else {
            continue;
        };
        let base = field_name(&fk.columns[0]);
        let stem = base.strip_suffix("_id").unwrap_or(&base).to_owned();
        let rel = pick(
            if fk.columns.len() == 1 && stem != base {
                stem.clone()
            } else {
                snake(&target)
            },
            format!("{stem}_rel"),
            &mut taken,
        );
        out.push(format!(
            "{rel}: belongs_to({target}, {})",
            key(name, &fk.columns)
        ));
    }
    for other in &schema.tables {
        let Some(child) = struct_of(&other.name) else {
            continue;
        };
        let referencing: Vec<_> = other
            .foreign_keys
            .iter()
            .filter(|f| f.ref_table == t.name)
            .collect();
        for fk in &referencing {
            let many = plural(&snake(&child));
            let by = field_name(&fk.columns[0]);
            let rel = pick(
                if referencing.len() == 1 {
                    many.clone()
                } else {
                    format!("{many}_by_{by}")
                },
                format!("{many}_by_{by}"),
                &mut taken,
            );
            out.push(format!(
                "{rel}: has_many({child}, {})",
                key(&child, &fk.columns)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake("InvoiceLine"), "invoice_line");
        assert_eq!(snake("PlaylistTrack"), "playlist_track");
        assert_eq!(snake("EmployeeId"), "employee_id");
        assert_eq!(snake("HTTPCode"), "http_code");
        assert_eq!(pascal("invoice_line"), "InvoiceLine");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("address"), "addresses");
    }
}
