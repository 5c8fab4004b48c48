//! `create_all` / `drop_all`: tables, keys, foreign keys, unique constraints, indexes and
//! server defaults (`#[server_default(..)]`; a `#[default(..)]` is computed per row in Rust and
//! never written here) from the models' metadata, in dependency order.

use azoth_dsl::sql_types::SqlKind;
use azoth_dsl::{Backend, ColumnMeta, KeyKind, Model, OnDelete, TableMeta};
use sea_query::{
    ColumnDef, ForeignKey, ForeignKeyAction, Index, MysqlQueryBuilder, PostgresQueryBuilder,
    SchemaStatementBuilder, SqliteQueryBuilder, Table,
};

use crate::engine::Engine;
use crate::errors::Result;
use crate::execute::{self, Target};

/// A set of models to create or drop together: a tuple `(User, Post, ...)`.
pub trait ModelSet {
    /// The tables' metadata, in the tuple's order.
    fn metas() -> Vec<&'static TableMeta>;
}

macro_rules! model_set_tuples {
    ($(($($t:ident),+))*) => {$(
        impl<$($t: Model),+> ModelSet for ($($t,)+) {
            fn metas() -> Vec<&'static TableMeta> {
                vec![$($t::META),+]
            }
        }
    )*};
}

model_set_tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
    (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H)
    (A, B, C, D, E, F, G, H, J)
    (A, B, C, D, E, F, G, H, J, K)
    (A, B, C, D, E, F, G, H, J, K, L)
    (A, B, C, D, E, F, G, H, J, K, L, M)
}

/// Orders tables so that each comes after the tables it references (within the set).
pub(crate) fn dependency_order(metas: Vec<&'static TableMeta>) -> Vec<&'static TableMeta> {
    let mut done: Vec<&'static TableMeta> = Vec::with_capacity(metas.len());
    let mut left = metas;
    while !left.is_empty() {
        let before = left.len();
        let mut i = 0;
        while i < left.len() {
            let t = left[i];
            let ready = t.columns.iter().filter_map(|c| c.references).all(|fk| {
                fk.table == t.name
                    || done.iter().any(|d| d.name == fk.table)
                    || !left.iter().any(|l| l.name == fk.table)
            });
            if ready {
                done.push(left.remove(i));
            } else {
                i += 1;
            }
        }
        if left.len() == before {
            // A cycle: keep the declared order for the rest.
            done.append(&mut left);
        }
    }
    done
}

/// The column type for `kind` on `backend`.
pub(crate) fn type_name(c: &ColumnMeta, backend: Backend) -> String {
    use SqlKind::*;
    let keyed = c.primary_key != KeyKind::None || c.unique || c.indexed || c.references.is_some();
    match (c.kind, backend) {
        (Text, _) if c.max_len.is_some() => format!("VARCHAR({})", c.max_len.unwrap_or(255)),
        // MySQL cannot index or key an unbounded TEXT.
        (Text, Backend::MySql) if keyed => "VARCHAR(255)".into(),
        (Text, Backend::MySql) => "LONGTEXT".into(),
        (Text, _) => "TEXT".into(),
        (Bool, _) => "BOOLEAN".into(),
        (SmallInt, _) => "SMALLINT".into(),
        (Integer, _) => "INTEGER".into(),
        (BigInt, Backend::Sqlite) => "INTEGER".into(),
        (BigInt, _) => "BIGINT".into(),
        (Real, Backend::MySql) => "FLOAT".into(),
        (Real, _) => "REAL".into(),
        (Double, Backend::Postgres) => "DOUBLE PRECISION".into(),
        (Double, Backend::MySql) => "DOUBLE".into(),
        (Double, Backend::Sqlite) => "REAL".into(),
        (Numeric, Backend::Postgres) => "NUMERIC".into(),
        // Every `Decimal` exactly: up to 28 places after the point, 37 before (a Decimal has 29).
        (Numeric, Backend::MySql) => "DECIMAL(65, 28)".into(),
        (Numeric, Backend::Sqlite) => "NUMERIC".into(),
        (Blob, Backend::Postgres) => "BYTEA".into(),
        (Blob, Backend::MySql) => "LONGBLOB".into(),
        (Blob, Backend::Sqlite) => "BLOB".into(),
        (Date, _) => "DATE".into(),
        (Time, _) => "TIME".into(),
        (Timestamp, Backend::MySql) => "DATETIME(6)".into(),
        (Timestamp, _) => "TIMESTAMP".into(),
        (TimestampTz, Backend::Postgres) => "TIMESTAMPTZ".into(),
        (TimestampTz, Backend::MySql) => "DATETIME(6)".into(),
        (TimestampTz, Backend::Sqlite) => "TIMESTAMP".into(),
        (Uuid, Backend::Postgres) => "UUID".into(),
        (Uuid, Backend::MySql) => "BINARY(16)".into(),
        (Uuid, Backend::Sqlite) => "BLOB".into(),
        (Json, Backend::Postgres) => "JSONB".into(),
        (Json, Backend::MySql) => "JSON".into(),
        (Json, Backend::Sqlite) => "TEXT".into(),
    }
}

pub(crate) fn on_delete(a: OnDelete) -> ForeignKeyAction {
    match a {
        OnDelete::NoAction => ForeignKeyAction::NoAction,
        OnDelete::Restrict => ForeignKeyAction::Restrict,
        OnDelete::Cascade => ForeignKeyAction::Cascade,
        OnDelete::SetNull => ForeignKeyAction::SetNull,
    }
}

pub(crate) fn build<S: SchemaStatementBuilder>(stmt: &S, backend: Backend) -> String {
    match backend {
        Backend::Postgres => stmt.build(PostgresQueryBuilder),
        Backend::MySql => stmt.build(MysqlQueryBuilder),
        Backend::Sqlite => stmt.build(SqliteQueryBuilder),
    }
}

/// The statements creating one table and its indexes.
pub(crate) fn create_table_sql(t: &TableMeta, backend: Backend) -> Vec<String> {
    let mut stmt = Table::create();
    stmt.table(t.name).if_not_exists();
    let keys: Vec<&ColumnMeta> = t.primary_key().collect();
    let single_auto = keys.len() == 1 && keys[0].primary_key == KeyKind::Auto;
    for c in t.columns {
        let mut def = ColumnDef::new(c.name);
        let auto = single_auto && c.primary_key == KeyKind::Auto;
        let ty = match (auto, backend) {
            (true, Backend::Postgres) => {
                format!("{} GENERATED BY DEFAULT AS IDENTITY", type_name(c, backend))
            }
            (true, Backend::Sqlite) => "INTEGER".into(),
            _ => type_name(c, backend),
        };
        def.custom(sea_query::Alias::new(ty));
        if !c.nullable {
            def.not_null();
        }
        if auto {
            def.primary_key();
            if backend != Backend::Postgres {
                def.auto_increment();
            }
        }
        if c.unique {
            def.unique_key();
        }
        if let Some(d) = c.default {
            def.default((d.0)(backend));
        }
        stmt.col(def);
    }
    if !single_auto && !keys.is_empty() {
        let mut pk = Index::create();
        for k in &keys {
            pk.col(k.name);
        }
        stmt.primary_key(&mut pk);
    }
    for c in t.columns {
        if let Some(fk) = c.references {
            stmt.foreign_key(
                ForeignKey::create()
                    .name(format!("fk_{}_{}", t.name, c.name))
                    .from(t.name, c.name)
                    .to(fk.table, fk.column)
                    .on_delete(on_delete(fk.on_delete)),
            );
        }
    }
    let mut separate = Vec::new();
    for c in t.columns.iter().filter(|c| c.indexed) {
        let mut ix = Index::create();
        ix.name(format!("ix_{}_{}", t.name, c.name))
            .table(t.name)
            .col(c.name);
        if backend == Backend::MySql {
            // MySQL has no CREATE INDEX IF NOT EXISTS: declare it in the (idempotent) CREATE TABLE.
            stmt.index(&mut ix);
        } else {
            ix.if_not_exists();
            separate.push(build(&ix, backend));
        }
    }
    let mut out = vec![build(&stmt, backend)];
    out.extend(separate);
    out
}

impl<B> Engine<B> {
    /// Creates the tables of `Models` (a tuple), referenced tables first; existing tables are kept.
    pub async fn create_all<Models: ModelSet>(&self) -> Result<()> {
        for t in dependency_order(Models::metas()) {
            for sql in create_table_sql(t, self.backend()) {
                execute::execute(
                    self.core(),
                    Target::Pool(self.pools()),
                    (sql, sea_query::Values(vec![])),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Drops the tables of `Models` (a tuple) that exist, referencing tables first.
    pub async fn drop_all<Models: ModelSet>(&self) -> Result<()> {
        let mut order = dependency_order(Models::metas());
        order.reverse();
        for t in order {
            let sql = build(Table::drop().table(t.name).if_exists(), self.backend());
            execute::execute(
                self.core(),
                Target::Pool(self.pools()),
                (sql, sea_query::Values(vec![])),
            )
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    azoth_dsl::model! {
        #[table = "t_parent"]
        pub struct Parent { #[primary_key] pub id: i64 }
    }
    azoth_dsl::model! {
        #[table = "t_child"]
        pub struct Child {
            #[primary_key] pub id: i64,
            #[references(Parent::id, on_delete = cascade)] #[index] pub parent_id: i64,
            #[unique] #[max_len = 20] pub code: String,
            #[server_default(3)] pub n: i32,
            #[default(4)] pub m: i32,
        }
    }

    #[test]
    fn create_table_per_backend() {
        let pg = create_table_sql(Child::META, Backend::Postgres);
        assert_eq!(
            pg,
            [
                r#"CREATE TABLE IF NOT EXISTS "t_child" ( "id" BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL PRIMARY KEY, "parent_id" BIGINT NOT NULL, "code" VARCHAR(20) NOT NULL UNIQUE, "n" INTEGER NOT NULL DEFAULT 3, "m" INTEGER NOT NULL, CONSTRAINT "fk_t_child_parent_id" FOREIGN KEY ("parent_id") REFERENCES "t_parent" ("id") ON DELETE CASCADE )"#,
                r#"CREATE INDEX IF NOT EXISTS "ix_t_child_parent_id" ON "t_child" ("parent_id")"#,
            ]
        );
        let my = create_table_sql(Child::META, Backend::MySql);
        assert_eq!(my.len(), 1, "{my:?}");
        assert!(
            my[0].contains("`id` BIGINT NOT NULL PRIMARY KEY AUTO_INCREMENT"),
            "{}",
            my[0]
        );
        assert!(my[0].contains("`ix_t_child_parent_id`"), "{}", my[0]);
        let lite = create_table_sql(Child::META, Backend::Sqlite);
        assert_eq!(
            lite[0],
            r#"CREATE TABLE IF NOT EXISTS "t_child" ( "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "parent_id" INTEGER NOT NULL, "code" VARCHAR(20) NOT NULL UNIQUE, "n" INTEGER NOT NULL DEFAULT 3, "m" INTEGER NOT NULL, FOREIGN KEY ("parent_id") REFERENCES "t_parent" ("id") ON DELETE CASCADE )"#
        );
    }

    #[test]
    fn referenced_tables_come_first() {
        let order = dependency_order(vec![Child::META, Parent::META]);
        assert_eq!(
            order.iter().map(|t| t.name).collect::<Vec<_>>(),
            ["t_parent", "t_child"]
        );
    }
}
