//! Constraint violations and transaction conflicts as kinds a service can act on, with the
//! constraint's name, table and columns as far as each backend reports them.

mod common;

use azoth::prelude::*;
use azoth::{ConflictKind, ConstraintKind, Engine, Error};

azoth::model! {
    #[table = "err_accounts"]
    pub struct Account { #[primary_key] pub id: i64, #[unique] pub email: String, pub name: String }
}

azoth::model! {
    #[table = "err_orders"]
    pub struct Order {
        #[primary_key] pub id: i64,
        #[references(Account::id)] pub account_id: i64,
        pub total: i32,
    }
}

fn account(email: &str) -> NewAccount {
    NewAccount {
        email: email.into(),
        name: "n".into(),
    }
}

/// What a violation is expected to name: constraint, table, columns.
type Named<'a> = (Option<&'a str>, Option<&'a str>, &'a [&'a str]);

/// Asserts that `err` is a violation of `kind` naming `want`, through the fields and the
/// accessors alike.
fn assert_violation(db: &str, err: &Error, kind: ConstraintKind, want: Named<'_>) {
    let (constraint, table, columns) = want;
    match err {
        Error::Constraint {
            kind: got,
            constraint: c,
            table: t,
            columns: cols,
            ..
        } => {
            assert_eq!(*got, kind, "{db}: {err:?}");
            assert_eq!(
                (c.as_deref(), t.as_deref(), cols.as_slice()),
                (
                    constraint,
                    table,
                    &columns.iter().map(|c| c.to_string()).collect::<Vec<_>>()[..]
                ),
                "{db}: {err:?}"
            );
        }
        other => panic!("{db}: expected a {kind} violation, got {other:?}"),
    }
    assert_eq!(err.constraint_kind(), Some(kind), "{db}");
    assert_eq!(err.constraint_name(), constraint, "{db}");
    assert_eq!(err.constraint_table(), table, "{db}");
    assert_eq!(err.constraint_columns(), columns, "{db}");
    assert_eq!(
        err.is_unique_violation(),
        kind == ConstraintKind::Unique,
        "{db}"
    );
    assert!(!err.is_retryable() && !err.is_not_found(), "{db}");
}

async fn setup(engine: &Engine) -> (Session, Account) {
    engine.create_all::<(Account, Order)>().await.unwrap();
    let mut s = engine.session();
    let ann = s.insert(account("ann@x.org")).await.unwrap();
    (s, ann)
}

#[tokio::test]
async fn err_a_unique_violation_names_its_key_per_backend() {
    for engine in common::engines("err_unique").await {
        let db = common::name(&engine);
        let (mut s, ann) = setup(&engine).await;
        let err = s.insert(account("ann@x.org")).await.unwrap_err();
        let want: Named = match engine.backend() {
            Backend::Postgres => (
                Some("err_accounts_email_key"),
                Some("err_accounts"),
                &["email"],
            ),
            Backend::MySql => (Some("email"), None, &[]),
            Backend::Sqlite => (None, Some("err_accounts"), &["email"]),
        };
        assert_violation(db, &err, ConstraintKind::Unique, want);

        // The primary key.
        let sql = format!(
            "INSERT INTO err_accounts (id, email, name) VALUES ({}, 'other', 'n')",
            ann.id
        );
        let err = s.execute(text(&sql)).await.unwrap_err();
        let want: Named = match engine.backend() {
            Backend::Postgres => (Some("err_accounts_pkey"), Some("err_accounts"), &["id"]),
            Backend::MySql => (Some("PRIMARY"), None, &[]),
            Backend::Sqlite => (None, Some("err_accounts"), &["id"]),
        };
        assert_violation(db, &err, ConstraintKind::Unique, want);

        // A unique index over two columns.
        s.execute(text(
            "CREATE UNIQUE INDEX err_ix_pair ON err_orders (account_id, total)",
        ))
        .await
        .unwrap();
        let order = || NewOrder {
            account_id: ann.id,
            total: 5,
        };
        s.insert(order()).await.unwrap();
        let err = s.insert(order()).await.unwrap_err();
        let want: Named = match engine.backend() {
            Backend::Postgres => (
                Some("err_ix_pair"),
                Some("err_orders"),
                &["account_id", "total"],
            ),
            Backend::MySql => (Some("err_ix_pair"), None, &[]),
            Backend::Sqlite => (None, Some("err_orders"), &["account_id", "total"]),
        };
        assert_violation(db, &err, ConstraintKind::Unique, want);
        // The session stays usable.
        s.insert(account("bob@x.org")).await.unwrap();
    }
}

#[tokio::test]
async fn err_a_foreign_key_violation_names_its_constraint_per_backend() {
    for engine in common::engines("err_foreign_key").await {
        let db = common::name(&engine);
        let (mut s, ann) = setup(&engine).await;
        // A row that points at no account.
        let orphan = NewOrder {
            account_id: ann.id + 1000,
            total: 1,
        };
        let err = s.insert(orphan).await.unwrap_err();
        let want: Named = match engine.backend() {
            Backend::Postgres => (
                Some("fk_err_orders_account_id"),
                Some("err_orders"),
                &["account_id"],
            ),
            Backend::MySql => (
                Some("fk_err_orders_account_id"),
                Some("err_orders"),
                &["account_id"],
            ),
            // SQLite says only "FOREIGN KEY constraint failed".
            Backend::Sqlite => (None, None, &[]),
        };
        assert_violation(db, &err, ConstraintKind::ForeignKey, want);

        // Deleting an account an order still points at.
        s.insert(NewOrder {
            account_id: ann.id,
            total: 1,
        })
        .await
        .unwrap();
        let err = s
            .execute(delete(Account::TABLE).filter(Account::id.eq(ann.id)))
            .await
            .unwrap_err();
        let want: Named = match engine.backend() {
            // PostgreSQL's detail names the referenced key here, not the constraint's columns.
            Backend::Postgres => (Some("fk_err_orders_account_id"), Some("err_orders"), &[]),
            Backend::MySql => (
                Some("fk_err_orders_account_id"),
                Some("err_orders"),
                &["account_id"],
            ),
            Backend::Sqlite => (None, None, &[]),
        };
        assert_violation(db, &err, ConstraintKind::ForeignKey, want);
    }
}

#[tokio::test]
async fn err_a_not_null_violation_names_its_column_per_backend() {
    for engine in common::engines("err_not_null").await {
        let db = common::name(&engine);
        let (mut s, _) = setup(&engine).await;
        for sql in [
            "INSERT INTO err_accounts (email, name) VALUES ('a', NULL)",
            // No value and no default (MySQL: "Field 'name' doesn't have a default value").
            "INSERT INTO err_accounts (email) VALUES ('b')",
        ] {
            let err = s.execute(text(sql)).await.unwrap_err();
            let want: Named = match engine.backend() {
                Backend::Postgres | Backend::Sqlite => (None, Some("err_accounts"), &["name"]),
                Backend::MySql => (None, None, &["name"]),
            };
            assert_violation(db, &err, ConstraintKind::NotNull, want);
        }
    }
}

#[tokio::test]
async fn err_a_check_violation_names_its_constraint_per_backend() {
    for engine in common::engines("err_check").await {
        let db = common::name(&engine);
        let mut s = engine.session();
        s.execute(text(
            "CREATE TABLE err_limits (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, \
             other INTEGER CHECK (other < 5), CONSTRAINT err_amount_nonneg CHECK (amount >= 0))",
        ))
        .await
        .unwrap();
        let named = "INSERT INTO err_limits (id, amount, other) VALUES (1, -1, 0)";
        let err = s.execute(text(named)).await.unwrap_err();
        let want: Named = match engine.backend() {
            Backend::Postgres | Backend::MySql => {
                (Some("err_amount_nonneg"), Some("err_limits"), &[])
            }
            Backend::Sqlite => (Some("err_amount_nonneg"), None, &[]),
        };
        assert_violation(db, &err, ConstraintKind::Check, want);

        // An unnamed check on a column: each backend names it its own way.
        let unnamed = "INSERT INTO err_limits (id, amount, other) VALUES (1, 1, 9)";
        let err = s.execute(text(unnamed)).await.unwrap_err();
        let want: Named = match engine.backend() {
            Backend::Postgres => (Some("err_limits_other_check"), Some("err_limits"), &[]),
            // MariaDB names a column's check after the column.
            Backend::MySql => (Some("other"), Some("err_limits"), &[]),
            // SQLite shows the expression, `other < 5`, which is no name.
            Backend::Sqlite => (None, None, &[]),
        };
        assert_violation(db, &err, ConstraintKind::Check, want);
    }
}

/// An engine on which a transaction can read, let another connection commit a change to the
/// row it read, then try to change that row itself. SQLite needs a file in WAL mode for two
/// connections; the others run on `engine`.
async fn two_writer_engine(engine: Engine, test: &str) -> Engine {
    if engine.backend() != Backend::Sqlite {
        return engine;
    }
    let path = std::env::temp_dir().join(format!("azoth_{test}_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let engine = Engine::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    engine
        .session()
        .execute(text("PRAGMA journal_mode = WAL"))
        .await
        .unwrap();
    engine
}

/// Reads account `id` in a transaction, lets another session change it, then changes it too:
/// the error of that last update, and whether the transaction then refuses to go on.
async fn lose_a_race(engine: &Engine, id: i64, in_savepoint: bool) -> (Error, Option<Error>) {
    let rename = |name: &str| {
        update(Account::TABLE)
            .set(Account::name, name.to_string())
            .filter(Account::id.eq(id))
    };
    let mut s = engine.session();
    let mut tx = s.begin().await.unwrap();
    match engine.backend() {
        Backend::Postgres => {
            tx.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
                .await
                .unwrap();
        }
        Backend::MySql => {
            tx.execute(text("SET SESSION innodb_snapshot_isolation = ON"))
                .await
                .unwrap();
        }
        Backend::Sqlite => {}
    }
    let read: Vec<String> = tx.all(select(Account::name)).await.unwrap();
    assert_eq!(read, ["n"]);
    engine.session().execute(rename("other")).await.unwrap();
    let err = if in_savepoint {
        let mut sp = tx.begin_nested().await.unwrap();
        sp.execute(rename("mine")).await.unwrap_err()
    } else {
        tx.execute(rename("mine")).await.unwrap_err()
    };
    let after = tx.all(select(Account::name)).await.err();
    (err, after)
}

#[tokio::test]
async fn err_a_serialization_failure_is_a_retryable_conflict_per_backend() {
    for engine in common::engines("err_serialization").await {
        let db = common::name(&engine);
        let engine = two_writer_engine(engine, "err_serialization").await;
        let (_s, ann) = setup(&engine).await;
        let (err, after) = lose_a_race(&engine, ann.id, false).await;
        assert!(
            matches!(
                err,
                Error::Conflict {
                    kind: ConflictKind::Serialization,
                    ..
                }
            ),
            "{db}: {err:?}"
        );
        assert!(err.is_retryable(), "{db}");
        assert_eq!(err.constraint_kind(), None, "{db}");
        let after = after.expect("the transaction refuses to go on");
        assert!(
            matches!(
                after,
                Error::TransactionFailed {
                    retryable: true,
                    ..
                }
            ),
            "{db}: {after:?}"
        );
        assert!(after.is_retryable(), "{db}");
        // The other session's change stands.
        let names: Vec<String> = engine.session().all(select(Account::name)).await.unwrap();
        assert_eq!(names, ["other"], "{db}");
        engine.close().await;
    }
    let file =
        std::env::temp_dir().join(format!("azoth_err_serialization_{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

/// MariaDB rolls the whole transaction back on its serialization failure, so a savepoint cannot
/// contain it: the transaction must not go on as if only the savepoint had failed (its next
/// statements would run outside any transaction).
#[tokio::test]
async fn err_a_serialization_failure_in_a_savepoint_fails_the_whole_transaction_on_mariadb() {
    for engine in common::engines("err_serialization_savepoint").await {
        if engine.backend() != Backend::MySql {
            continue; // PostgreSQL recovers at the savepoint; SQLite is covered by its BUSY rule
        }
        let (_s, ann) = setup(&engine).await;
        let (err, after) = lose_a_race(&engine, ann.id, true).await;
        assert!(err.is_retryable(), "{err:?}");
        let after = after.expect("the transaction refuses to go on");
        assert!(
            matches!(
                after,
                Error::TransactionFailed {
                    retryable: true,
                    ..
                }
            ),
            "{after:?}"
        );
    }
}
