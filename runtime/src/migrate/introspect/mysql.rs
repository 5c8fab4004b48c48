//! MySQL/MariaDB: `information_schema`, in the connection's current database.

use azoth_dsl::Backend;
use sqlx::Row;
use sqlx::mysql::MySqlPool;

use super::table_mut;
use crate::errors::Result;
use crate::migrate::schema::{
    ColumnSchema, ForeignKeySchema, IndexSchema, TableSchema, normalize_default, normalize_type,
    on_delete_from,
};

const COLUMNS: &str = "SELECT CAST(c.TABLE_NAME AS CHAR), CAST(c.COLUMN_NAME AS CHAR), \
    CAST(c.COLUMN_TYPE AS CHAR), CAST(c.IS_NULLABLE AS CHAR), CAST(c.COLUMN_DEFAULT AS CHAR), \
    CAST(c.EXTRA AS CHAR) \
    FROM information_schema.COLUMNS c JOIN information_schema.TABLES t \
    ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
    WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' \
    ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";

const INDEXES: &str = "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), \
    CAST(NON_UNIQUE AS SIGNED), CAST(COLUMN_NAME AS CHAR) \
    FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
    ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

const FOREIGN_KEYS: &str = "SELECT CAST(k.TABLE_NAME AS CHAR), CAST(k.CONSTRAINT_NAME AS CHAR), \
    CAST(k.COLUMN_NAME AS CHAR), CAST(k.REFERENCED_TABLE_NAME AS CHAR), \
    CAST(k.REFERENCED_COLUMN_NAME AS CHAR), CAST(r.DELETE_RULE AS CHAR) \
    FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
    ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
    AND r.TABLE_NAME = k.TABLE_NAME \
    WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
    ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

pub(super) async fn tables(pool: &MySqlPool) -> Result<Vec<TableSchema>> {
    let mut tables = Vec::new();
    for row in sqlx::query(COLUMNS).fetch_all(pool).await? {
        let table: String = row.try_get(0)?;
        let (data_type, max_len) = normalize_type(&row.try_get::<String, _>(2)?, Backend::MySql);
        let default: Option<String> = row.try_get(4)?;
        let extra: Option<String> = row.try_get(5)?;
        // MariaDB quotes a literal default ('new'); MySQL 8 does not (new) and marks expressions
        // DEFAULT_GENERATED: quote a literal of a text column as MariaDB does.
        let textual = data_type.contains("CHAR") || data_type.ends_with("TEXT");
        let generated = extra
            .as_deref()
            .is_some_and(|e| e.contains("DEFAULT_GENERATED"));
        let default = default.map(|d| {
            if textual && !generated && !d.starts_with('\'') && d != "NULL" {
                format!("'{}'", d.replace('\'', "''"))
            } else {
                d
            }
        });
        let column = ColumnSchema {
            name: row.try_get(1)?,
            data_type,
            max_len,
            nullable: row.try_get::<String, _>(3)? == "YES",
            default: default.and_then(|d| normalize_default(&d, Backend::MySql)),
            auto_increment: extra
                .unwrap_or_default()
                .to_lowercase()
                .contains("auto_increment"),
        };
        table_mut(&mut tables, &table).columns.push(column);
    }
    // One row per (index, column), in column order.
    let mut last: Option<(String, String)> = None;
    for row in sqlx::query(INDEXES).fetch_all(pool).await? {
        let table: String = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        let non_unique: i64 = row.try_get(2)?;
        let column: String = row.try_get(3)?;
        let t = table_mut(&mut tables, &table);
        let same = last.as_ref() == Some(&(table.clone(), name.clone()));
        if name == "PRIMARY" {
            t.primary_key.push(column);
        } else if non_unique == 0 {
            match (same, t.uniques.last_mut()) {
                (true, Some(u)) => u.push(column),
                _ => t.uniques.push(vec![column]),
            }
        } else {
            match (same, t.indexes.last_mut()) {
                (true, Some(ix)) => ix.columns.push(column),
                _ => t.indexes.push(IndexSchema {
                    name: name.clone(),
                    columns: vec![column],
                }),
            }
        }
        last = Some((table, name));
    }
    let mut last: Option<(String, String)> = None;
    for row in sqlx::query(FOREIGN_KEYS).fetch_all(pool).await? {
        let table: String = row.try_get(0)?;
        let name: String = row.try_get(1)?;
        let column: String = row.try_get(2)?;
        let ref_column: String = row.try_get(4)?;
        let t = table_mut(&mut tables, &table);
        let same = last.as_ref() == Some(&(table.clone(), name.clone()));
        match (same, t.foreign_keys.last_mut()) {
            (true, Some(fk)) => {
                fk.columns.push(column);
                fk.ref_columns.push(ref_column);
            }
            _ => t.foreign_keys.push(ForeignKeySchema {
                name: Some(name.clone()),
                columns: vec![column],
                ref_table: row.try_get(3)?,
                ref_columns: vec![ref_column],
                on_delete: on_delete_from(&row.try_get::<String, _>(5)?),
            }),
        }
        last = Some((table, name));
    }
    Ok(tables)
}
