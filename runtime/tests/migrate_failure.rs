//! A migration that fails half-way reports `Error::Migrate`, is not recorded as applied, and
//! leaves the engine usable; on SQLite, whose table rebuilds run with foreign keys off in their own
//! transaction, the connection goes back to the pool with that transaction rolled back and
//! foreign-key checks on.

use azoth::prelude::*;

#[tokio::test]
async fn mig_a_failing_migration_leaves_the_connection_as_it_was() {
    for engine in azoth::testing::engines("mig_fail").await {
        let backend = engine.backend();
        let dir = std::env::temp_dir().join(format!(
            "azoth-mig-fail-{}-{}",
            backend.name(),
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let up = match backend {
            // What a generated SQLite rebuild looks like, failing before its COMMIT.
            Backend::Sqlite => {
                "-- no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\n\
                 CREATE TABLE mig_fail_a (id INTEGER PRIMARY KEY);\n\
                 INSERT INTO mig_fail_missing VALUES (1);\nCOMMIT;\nPRAGMA foreign_keys = ON;\n"
            }
            _ => {
                "CREATE TABLE mig_fail_b (id INT PRIMARY KEY);\nINSERT INTO mig_fail_missing VALUES (1);\n"
            }
        };
        std::fs::write(dir.join("1_bad.up.sql"), up).unwrap();
        std::fs::write(dir.join("1_bad.down.sql"), "SELECT 1;\n").unwrap();

        let err = azoth::migrate::run(&engine, &dir).await.unwrap_err();
        assert!(
            matches!(err, azoth::Error::Migrate(_)),
            "{backend:?}: {err:?}"
        );
        let status = azoth::migrate::status(&engine, &dir).await.unwrap();
        assert!(
            !status[0].applied,
            "{backend:?}: a failed migration is not applied"
        );
        // MySQL's DDL commits as it goes: sqlx records the migration as failed half-way.
        assert_eq!(status[0].dirty, backend == Backend::MySql, "{backend:?}");

        let mut s = engine.session();
        let one: Vec<(i64,)> = s.all(text("SELECT 1").returns()).await.unwrap();
        assert_eq!(one, [(1,)], "{backend:?}: the engine still works");
        if backend == Backend::Sqlite {
            let fk: Vec<(i64,)> = s.all(text("PRAGMA foreign_keys").returns()).await.unwrap();
            assert_eq!(fk, [(1,)], "foreign-key checks are back on");
            let tables: Vec<(i64,)> = s
                .all(text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'mig_fail_a'").returns())
                .await
                .unwrap();
            assert_eq!(tables, [(0,)], "the half-done rebuild was rolled back");
            // No transaction is left open: one can begin and commit.
            let tx = engine.begin().await.unwrap();
            tx.commit().await.unwrap();
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
