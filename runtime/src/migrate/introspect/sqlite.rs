//! SQLite: `sqlite_master` and the `pragma_*` table functions.

use azoth_dsl::Backend;
use sqlx::Row;
use sqlx::sqlite::SqlitePool;

use crate::errors::Result;
use crate::migrate::schema::{
    ColumnSchema, ForeignKeySchema, IndexSchema, TableSchema, normalize_default, normalize_type,
    on_delete_from,
};

pub(super) async fn tables(pool: &SqlitePool) -> Result<Vec<TableSchema>> {
    let names = sqlx::query(
        "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut tables = Vec::new();
    for row in names {
        let name: String = row.try_get(0)?;
        let sql: String = row.try_get(1)?;
        tables.push(table(pool, name, &sql).await?);
    }
    Ok(tables)
}

async fn table(pool: &SqlitePool, name: String, sql: &str) -> Result<TableSchema> {
    let autoincrement = sql.to_uppercase().contains("AUTOINCREMENT");
    let mut columns = Vec::new();
    let mut keys: Vec<(i64, String)> = Vec::new();
    let rows = sqlx::query(
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
    )
    .bind(&name)
    .fetch_all(pool)
    .await?;
    let key_count = rows
        .iter()
        .filter(|r| r.try_get::<i64, _>(4).unwrap_or(0) > 0)
        .count();
    for row in rows {
        let column: String = row.try_get(0)?;
        let (data_type, max_len) = normalize_type(&row.try_get::<String, _>(1)?, Backend::Sqlite);
        let pk: i64 = row.try_get(4)?;
        if pk > 0 {
            keys.push((pk, column.clone()));
        }
        let default: Option<String> = row.try_get(3)?;
        columns.push(ColumnSchema {
            name: column,
            auto_increment: autoincrement && pk > 0 && key_count == 1 && data_type == "INTEGER",
            data_type,
            max_len,
            nullable: row.try_get::<i64, _>(2)? == 0 && pk == 0,
            default: default.and_then(|d| normalize_default(&d, Backend::Sqlite)),
        });
    }
    keys.sort();
    let mut table = TableSchema {
        name,
        columns,
        primary_key: keys.into_iter().map(|(_, c)| c).collect(),
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
    };
    let indexes = sqlx::query("SELECT name, \"unique\", origin FROM pragma_index_list(?)")
        .bind(&table.name)
        .fetch_all(pool)
        .await?;
    for row in indexes {
        let index: String = row.try_get(0)?;
        let unique: i64 = row.try_get(1)?;
        let origin: String = row.try_get(2)?;
        if origin == "pk" {
            continue;
        }
        let cols: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                .bind(&index)
                .fetch_all(pool)
                .await?;
        if unique != 0 {
            table.uniques.push(cols);
        } else {
            table.indexes.push(IndexSchema {
                name: index,
                columns: cols,
            });
        }
    }
    let fks = sqlx::query(
        "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) \
         ORDER BY id, seq",
    )
    .bind(&table.name)
    .fetch_all(pool)
    .await?;
    let mut last = None;
    for row in fks {
        let id: i64 = row.try_get(0)?;
        let from: String = row.try_get(2)?;
        let to: Option<String> = row.try_get(3)?;
        match (last == Some(id), table.foreign_keys.last_mut()) {
            (true, Some(fk)) => {
                fk.columns.push(from);
                fk.ref_columns.push(to.unwrap_or_default());
            }
            _ => table.foreign_keys.push(ForeignKeySchema {
                name: None,
                columns: vec![from],
                ref_table: row.try_get(1)?,
                ref_columns: vec![to.unwrap_or_default()],
                on_delete: on_delete_from(&row.try_get::<String, _>(4)?),
            }),
        }
        last = Some(id);
    }
    // `REFERENCES t` without columns names t's primary key: its `to` is NULL, kept empty here
    // (`models_source` reads the referenced table's key).
    Ok(table)
}
