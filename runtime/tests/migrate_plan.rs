//! `azoth::migrate::plan`: the exact statements of a migration per backend (no database: the
//! live schema is described by models).

use azoth::Backend;
use azoth::migrate::{Change, Schema, plan};

mod old {
    use azoth::Model;
    azoth::model! {
        #[table = "mig_p_items"]
        pub struct Item {
            #[primary_key] pub id: i64,
            #[index] pub code: String,
            pub note: String,
            #[server_default(1)] pub qty: i32,
        }
    }
    pub fn metas() -> Vec<&'static azoth::TableMeta> {
        vec![Item::META]
    }
}

mod new {
    use azoth::Model;
    azoth::model! {
        #[table = "mig_p_items"]
        pub struct Item {
            #[primary_key] pub id: i64,
            #[unique] #[max_len = 20] pub code: String,
            pub note: Option<String>,
            #[server_default(2)] pub qty: i32,
        }
    }
    pub fn metas() -> Vec<&'static azoth::TableMeta> {
        vec![Item::META]
    }
}

fn sql(backend: Backend) -> (Vec<String>, Vec<String>, Vec<Change>) {
    let live = Schema::from_models(&old::metas(), backend);
    let p = plan(&new::metas(), &live, backend);
    (p.up, p.down, p.changes)
}

#[test]
fn mig_plan_postgres_alters_in_place() {
    let (up, down, changes) = sql(Backend::Postgres);
    assert!(changes.iter().any(|c| c.is_destructive()), "{changes:?}");
    assert_eq!(
        up,
        [
            r#"DROP INDEX "ix_mig_p_items_code""#,
            r#"ALTER TABLE "mig_p_items" ALTER COLUMN "code" TYPE VARCHAR(20) USING "code"::VARCHAR(20)"#,
            r#"ALTER TABLE "mig_p_items" ALTER COLUMN "note" DROP NOT NULL"#,
            r#"ALTER TABLE "mig_p_items" ALTER COLUMN "qty" SET DEFAULT 2"#,
            r#"ALTER TABLE "mig_p_items" ADD CONSTRAINT "mig_p_items_code_key" UNIQUE ("code")"#,
        ]
    );
    assert_eq!(
        down,
        [
            r#"ALTER TABLE "mig_p_items" DROP CONSTRAINT "mig_p_items_code_key""#,
            r#"ALTER TABLE "mig_p_items" ALTER COLUMN "code" TYPE TEXT USING "code"::TEXT"#,
            r#"ALTER TABLE "mig_p_items" ALTER COLUMN "note" SET NOT NULL"#,
            r#"ALTER TABLE "mig_p_items" ALTER COLUMN "qty" SET DEFAULT 1"#,
            r#"CREATE INDEX "ix_mig_p_items_code" ON "mig_p_items" ("code")"#,
        ]
    );
}

#[test]
fn mig_plan_mysql_modifies_columns() {
    let (up, down, _) = sql(Backend::MySql);
    assert_eq!(
        up,
        [
            r#"DROP INDEX `ix_mig_p_items_code` ON `mig_p_items`"#,
            r#"ALTER TABLE `mig_p_items` MODIFY COLUMN `code` VARCHAR(20) NOT NULL"#,
            r#"ALTER TABLE `mig_p_items` MODIFY COLUMN `note` LONGTEXT"#,
            r#"ALTER TABLE `mig_p_items` MODIFY COLUMN `qty` INTEGER NOT NULL DEFAULT 2"#,
            r#"ALTER TABLE `mig_p_items` ADD UNIQUE INDEX `code` (`code`)"#,
        ]
    );
    assert_eq!(
        down,
        [
            r#"ALTER TABLE `mig_p_items` DROP INDEX `code`"#,
            r#"ALTER TABLE `mig_p_items` MODIFY COLUMN `code` VARCHAR(255) NOT NULL"#,
            r#"ALTER TABLE `mig_p_items` MODIFY COLUMN `note` LONGTEXT NOT NULL"#,
            r#"ALTER TABLE `mig_p_items` MODIFY COLUMN `qty` INTEGER NOT NULL DEFAULT 1"#,
            r#"CREATE INDEX `ix_mig_p_items_code` ON `mig_p_items` (`code`)"#,
        ]
    );
}

#[test]
fn mig_plan_sqlite_rebuilds_the_table() {
    let (up, down, _) = sql(Backend::Sqlite);
    assert_eq!(
        up,
        [
            r#"PRAGMA foreign_keys = OFF"#,
            r#"BEGIN"#,
            r#"DROP INDEX "ix_mig_p_items_code""#,
            r#"CREATE TABLE "_azoth_new_mig_p_items" ( "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "code" VARCHAR(20) NOT NULL UNIQUE, "note" TEXT, "qty" INTEGER NOT NULL DEFAULT (2) )"#,
            r#"INSERT INTO "_azoth_new_mig_p_items" ("id", "code", "note", "qty") SELECT "id", "code", "note", "qty" FROM "mig_p_items""#,
            r#"DROP TABLE "mig_p_items""#,
            r#"ALTER TABLE "_azoth_new_mig_p_items" RENAME TO "mig_p_items""#,
            r#"COMMIT"#,
            r#"PRAGMA foreign_keys = ON"#,
        ]
    );
    assert_eq!(
        down,
        [
            r#"PRAGMA foreign_keys = OFF"#,
            r#"BEGIN"#,
            r#"CREATE TABLE "_azoth_new_mig_p_items" ( "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "code" TEXT NOT NULL, "note" TEXT NOT NULL, "qty" INTEGER NOT NULL DEFAULT (1) )"#,
            r#"INSERT INTO "_azoth_new_mig_p_items" ("id", "code", "note", "qty") SELECT "id", "code", "note", "qty" FROM "mig_p_items""#,
            r#"DROP TABLE "mig_p_items""#,
            r#"ALTER TABLE "_azoth_new_mig_p_items" RENAME TO "mig_p_items""#,
            r#"CREATE INDEX "ix_mig_p_items_code" ON "mig_p_items" ("code")"#,
            r#"COMMIT"#,
            r#"PRAGMA foreign_keys = ON"#,
        ]
    );
}

#[test]
fn mig_plan_of_a_matching_schema_is_empty() {
    for backend in [Backend::Postgres, Backend::MySql, Backend::Sqlite] {
        let live = Schema::from_models(&new::metas(), backend);
        let p = plan(&new::metas(), &live, backend);
        assert!(
            p.is_empty() && p.up.is_empty() && p.down.is_empty(),
            "{backend:?}: {p:?}"
        );
    }
}

/// The statements run: up gives the new models' schema, down the old one, on every backend.
#[tokio::test]
async fn mig_plan_statements_apply_and_revert() {
    use azoth::prelude::*;
    for engine in azoth::testing::engines("mig_plan_apply").await {
        let backend = engine.backend();
        engine.create_all::<(old::Item,)>().await.unwrap();
        let live = azoth::migrate::introspect(&engine).await.unwrap();
        let p = plan(&new::metas(), &live, backend);
        let mut s = engine.session();
        for stmt in &p.up {
            s.execute(text(stmt)).await.unwrap();
        }
        let now = azoth::migrate::introspect(&engine).await.unwrap();
        assert!(
            now.same_as(&Schema::from_models(&new::metas(), backend), backend),
            "{backend:?}: {now:#?}"
        );
        for stmt in &p.down {
            s.execute(text(stmt)).await.unwrap();
        }
        let back = azoth::migrate::introspect(&engine).await.unwrap();
        assert!(back.same_as(&live, backend), "{backend:?}: {back:#?}");
    }
}
