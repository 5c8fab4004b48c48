//! PostgreSQL: `pg_catalog`, in the connection's current schema.

use azoth_dsl::{Backend, OnDelete};
use sqlx::Row;
use sqlx::postgres::PgPool;

use super::table_mut;
use crate::errors::Result;
use crate::migrate::schema::{
    ColumnSchema, ForeignKeySchema, IndexSchema, TableSchema, normalize_default, normalize_type,
};

const COLUMNS: &str = "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), \
    NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text <> '' \
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
    JOIN pg_namespace n ON n.oid = c.relnamespace \
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 \
    AND NOT a.attisdropped ORDER BY c.relname, a.attnum";

const CONSTRAINTS: &str = "SELECT c.relname::text, con.conname::text, con.contype::text, \
    ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o), \
    fc.relname::text, \
    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o), \
    con.confdeltype::text \
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
    JOIN pg_namespace n ON n.oid = c.relnamespace \
    LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
    WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f') \
    ORDER BY c.relname, con.conname";

const INDEXES: &str = "SELECT t.relname::text, i.relname::text, ix.indisunique, \
    ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o) \
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) \
    FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
    JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
    WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'p') AND NOT EXISTS \
    (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u')) \
    ORDER BY t.relname, i.relname";

pub(super) async fn tables(pool: &PgPool) -> Result<Vec<TableSchema>> {
    let mut tables = Vec::new();
    for row in sqlx::query(COLUMNS).fetch_all(pool).await? {
        let table: String = row.try_get(0)?;
        let default: Option<String> = row.try_get(4)?;
        let identity: bool = row.try_get(5)?;
        let serial = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        let (data_type, max_len) = normalize_type(&row.try_get::<String, _>(2)?, Backend::Postgres);
        let column = ColumnSchema {
            name: row.try_get(1)?,
            data_type,
            max_len,
            nullable: row.try_get(3)?,
            default: default.and_then(|d| normalize_default(&d, Backend::Postgres)),
            auto_increment: identity || serial,
        };
        table_mut(&mut tables, &table).columns.push(column);
    }
    for row in sqlx::query(CONSTRAINTS).fetch_all(pool).await? {
        let table: String = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        let kind: String = row.try_get(2)?;
        let columns: Vec<String> = row.try_get(3)?;
        let t = table_mut(&mut tables, &table);
        match kind.as_str() {
            "p" => t.primary_key = columns,
            "u" => t.uniques.push(columns),
            _ => t.foreign_keys.push(ForeignKeySchema {
                name: Some(name),
                columns,
                ref_table: row.try_get::<Option<String>, _>(4)?.unwrap_or_default(),
                ref_columns: row.try_get(5)?,
                on_delete: match row.try_get::<String, _>(6)?.as_str() {
                    "c" => OnDelete::Cascade,
                    "n" => OnDelete::SetNull,
                    "r" => OnDelete::Restrict,
                    _ => OnDelete::NoAction,
                },
            }),
        }
    }
    for row in sqlx::query(INDEXES).fetch_all(pool).await? {
        let table: String = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        let unique: bool = row.try_get(2)?;
        let columns: Vec<String> = row.try_get(3)?;
        let t = table_mut(&mut tables, &table);
        if unique {
            t.uniques.push(columns);
        } else {
            t.indexes.push(IndexSchema { name, columns });
        }
    }
    Ok(tables)
}
