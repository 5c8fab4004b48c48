//! The SQL text of `UPDATE … RETURNING` and `DELETE … RETURNING` on each backend.

use azoth_dsl::prelude::*;
use azoth_dsl::{Value, Values};

azoth_dsl::model! {
    #[table = "users"]
    pub struct User {
        #[primary_key] pub id: i64,
        pub name: String,
        pub bio: Option<String>,
        #[server_default(0)] pub karma: i32,
    }
}

fn values(v: &Values) -> Vec<Value> {
    v.0.clone()
}

#[test]
fn ret_update_returning_columns_renders_bare_names_after_the_where() {
    let stmt = update(User::TABLE)
        .set(User::karma, 5)
        .filter(User::name.eq("ann"))
        .returning((User::id, User::karma));
    let (pg, pg_values) = stmt.to_sql(Backend::Postgres);
    assert_eq!(
        pg,
        r#"UPDATE "users" SET "karma" = $1 WHERE "users"."name" = $2 RETURNING "id", "karma""#
    );
    assert_eq!(
        values(&pg_values),
        [Value::Int(Some(5)), Value::String(Some("ann".into()))]
    );
    assert_eq!(
        stmt.to_sql(Backend::Sqlite).0,
        r#"UPDATE "users" SET "karma" = ? WHERE "users"."name" = ? RETURNING "id", "karma""#
    );
    // Rendered as asked on MySQL too; the runtime refuses to send it (MySQL and MariaDB lack it).
    assert_eq!(
        stmt.to_sql(Backend::MySql).0,
        "UPDATE `users` SET `karma` = ? WHERE `users`.`name` = ? RETURNING `id`, `karma`"
    );
}

#[test]
fn ret_update_returning_model_lists_every_column_in_declaration_order() {
    let stmt = update(User::TABLE).set(User::bio, None).returning_model();
    assert_eq!(
        stmt.to_sql(Backend::Postgres).0,
        r#"UPDATE "users" SET "bio" = $1 RETURNING "id", "name", "bio", "karma""#
    );
}

#[test]
fn ret_update_returning_an_expression_binds_its_values_after_the_statement() {
    let stmt = update(User::TABLE)
        .set(User::karma, User::karma.add(1))
        .filter(User::id.eq(7))
        .returning(User::karma.mul(10));
    let (pg, pg_values) = stmt.to_sql(Backend::Postgres);
    assert_eq!(
        pg,
        r#"UPDATE "users" SET "karma" = "users"."karma" + $1 WHERE "users"."id" = $2 RETURNING "users"."karma" * $3"#
    );
    assert_eq!(
        values(&pg_values),
        [
            Value::Int(Some(1)),
            Value::BigInt(Some(7)),
            Value::Int(Some(10))
        ]
    );
    let (my, my_values) = stmt.to_sql(Backend::MySql);
    assert_eq!(
        my,
        "UPDATE `users` SET `karma` = `users`.`karma` + ? WHERE `users`.`id` = ? RETURNING `users`.`karma` * ?"
    );
    assert_eq!(values(&my_values), values(&pg_values));
}

#[test]
fn ret_delete_returning_renders_on_every_backend() {
    let stmt = delete(User::TABLE)
        .filter(User::karma.lt(0))
        .returning((User::id, User::name));
    let (pg, pg_values) = stmt.to_sql(Backend::Postgres);
    assert_eq!(
        pg,
        r#"DELETE FROM "users" WHERE "users"."karma" < $1 RETURNING "id", "name""#
    );
    assert_eq!(values(&pg_values), [Value::Int(Some(0))]);
    assert_eq!(
        stmt.to_sql(Backend::Sqlite).0,
        r#"DELETE FROM "users" WHERE "users"."karma" < ? RETURNING "id", "name""#
    );
    // MariaDB's `DELETE … RETURNING` (sea-query renders no RETURNING for MySQL: azoth appends it).
    let (my, my_values) = stmt.to_sql(Backend::MySql);
    assert_eq!(
        my,
        "DELETE FROM `users` WHERE `users`.`karma` < ? RETURNING `id`, `name`"
    );
    assert_eq!(values(&my_values), [Value::Int(Some(0))]);
}

#[test]
fn ret_delete_returning_model_and_unfiltered_delete() {
    assert_eq!(
        delete(User::TABLE)
            .returning_model()
            .to_sql(Backend::MySql)
            .0,
        "DELETE FROM `users` RETURNING `id`, `name`, `bio`, `karma`"
    );
    // Without RETURNING the statement is what it was.
    assert_eq!(
        delete(User::TABLE).to_sql(Backend::Postgres).0,
        r#"DELETE FROM "users""#
    );
    assert_eq!(
        update(User::TABLE)
            .set(User::karma, 1)
            .to_sql(Backend::Postgres)
            .0,
        r#"UPDATE "users" SET "karma" = $1"#
    );
}
