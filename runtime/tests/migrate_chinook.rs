//! Models from an existing database: `azoth::migrate::models_source` over the Chinook sample,
//! loaded whole into each backend from its own script. The generated models are checked in
//! (`tests/chinook_generated/<backend>.rs`, compiled here) and must equal a fresh generation;
//! typed queries over them return what the same queries in raw SQL return.
//! `AZOTH_BLESS=1` rewrites the checked-in files.

mod chinook_data;
mod common;

#[path = "chinook_generated/mysql.rs"]
mod gen_mysql;
#[path = "chinook_generated/postgres.rs"]
mod gen_postgres;
#[path = "chinook_generated/sqlite.rs"]
mod gen_sqlite;

use azoth::Backend;
use azoth::prelude::*;

/// The Chinook script for the backend, its tables created in the test engine's own schema or
/// database (the script's DROP/CREATE DATABASE and USE left out); SQLite: the Chinook file.
async fn chinook(test: &str) -> Vec<(Engine, Option<chinook_data::Source>)> {
    let mut out = Vec::new();
    for te in azoth::testing::engines(test).await {
        let file = match te.backend() {
            Backend::Sqlite => {
                let source = chinook_data::chinook_source(test).await;
                out.push((source.engine.clone(), Some(source)));
                continue;
            }
            Backend::Postgres => "Chinook_PostgreSql.sql",
            Backend::MySql => "Chinook_MySql.sql",
        };
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/chinook")
            .join(file);
        let sql = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("the Chinook script at {}: {e}", path.display()));
        let i = sql
            .find("Create Tables")
            .expect("the script's table section");
        let sql = sqlx::AssertSqlSafe(sql[sql[..i].rfind("/*").unwrap_or(i)..].to_owned());
        match te.backend() {
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(te.url()).await.unwrap();
                sqlx::raw_sql(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
            _ => {
                let pool = sqlx::MySqlPool::connect(te.url()).await.unwrap();
                sqlx::raw_sql(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
        }
        out.push((te.into_engine(), None));
    }
    out
}

/// Compares `source` with the checked-in file, or writes it under `AZOTH_BLESS=1`.
fn check_generated(source: &str, backend: Backend) {
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
        Backend::MySql => "mysql",
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/chinook_generated")
        .join(format!("{name}.rs"));
    if std::env::var_os("AZOTH_BLESS").is_some() {
        std::fs::write(&path, source).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        checked_in, source,
        "{name}: regenerate with AZOTH_BLESS=1 and review the diff"
    );
}

#[tokio::test]
async fn mig_chinook_models_are_generated_from_each_backend() {
    for (engine, _source) in chinook("mig_chinook_generate").await {
        let schema = azoth::migrate::introspect(&engine).await.unwrap();
        let source = azoth::migrate::models_source(&schema, engine.backend());
        check_generated(&source, engine.backend());
    }
}

/// Typed queries over the generated models `$m` and the same queries in raw SQL (`$raw_tracks`,
/// `$raw_media`) return the same rows; relations guessed from the foreign keys load.
macro_rules! typed_equals_raw {
    ($m:ident, $engine:expr, $id:ty, $raw_tracks:expr, $raw_media:expr) => {{
        use $m::*;
        let engine: &Engine = $engine;
        let db = common::name(engine);
        let mut s = engine.session();
        let got: Vec<($id, String, rust_decimal::Decimal)> = s
            .all(
                select((Track::track_id, Track::name, Track::unit_price))
                    .filter(Track::media_type_id.eq(2))
                    .order_by(Track::track_id),
            )
            .await
            .unwrap();
        let want: Vec<($id, String, rust_decimal::Decimal)> = s
            .all(text(&chinook_data::quoted(engine, $raw_tracks)).returns())
            .await
            .unwrap();
        assert_eq!(got.len(), 237, "{db}: protected AAC tracks");
        assert_eq!(got, want, "{db}");

        let got: Vec<(Option<String>, i64)> = s
            .all(
                select((MediaType::name, count(Track::track_id)))
                    .join(Track::TABLE.on(Track::media_type_id.eq(MediaType::media_type_id)))
                    .group_by(MediaType::name)
                    .order_by(MediaType::name),
            )
            .await
            .unwrap();
        let want: Vec<(Option<String>, i64)> = s
            .all(text(&chinook_data::quoted(engine, $raw_media)).returns())
            .await
            .unwrap();
        assert_eq!(got.len(), 5, "{db}");
        assert_eq!(got, want, "{db}");

        let artists = s
            .all(
                Artist::select()
                    .order_by(Artist::artist_id)
                    .options(selectin(Artist::albums)),
            )
            .await
            .unwrap();
        let albums: usize = artists.iter().map(|a| a.get(Artist::albums).len()).sum();
        assert_eq!((artists.len(), albums), (275, 347), "{db}");
        let line = s
            .one(
                InvoiceLine::select()
                    .order_by(InvoiceLine::invoice_line_id)
                    .limit(1)
                    .options(joined(InvoiceLine::track)),
            )
            .await
            .unwrap();
        assert_eq!(line.get(InvoiceLine::track).track_id, line.track_id, "{db}");
    }};
}

#[tokio::test]
async fn mig_chinook_generated_models_query_like_raw_sql() {
    for (engine, _source) in chinook("mig_chinook_query").await {
        match engine.backend() {
            Backend::Sqlite => typed_equals_raw!(
                gen_sqlite,
                &engine,
                i64,
                r#"SELECT "TrackId", "Name", "UnitPrice" FROM "Track" WHERE "MediaTypeId" = 2 ORDER BY "TrackId""#,
                r#"SELECT m."Name", COUNT(t."TrackId") FROM "MediaType" m JOIN "Track" t ON t."MediaTypeId" = m."MediaTypeId" GROUP BY m."Name" ORDER BY m."Name""#
            ),
            Backend::MySql => typed_equals_raw!(
                gen_mysql,
                &engine,
                i32,
                r#"SELECT "TrackId", "Name", "UnitPrice" FROM "Track" WHERE "MediaTypeId" = 2 ORDER BY "TrackId""#,
                r#"SELECT m."Name", COUNT(t."TrackId") FROM "MediaType" m JOIN "Track" t ON t."MediaTypeId" = m."MediaTypeId" GROUP BY m."Name" ORDER BY m."Name""#
            ),
            Backend::Postgres => typed_equals_raw!(
                gen_postgres,
                &engine,
                i32,
                "SELECT track_id, name, unit_price FROM track WHERE media_type_id = 2 ORDER BY track_id",
                "SELECT m.name, COUNT(t.track_id) FROM media_type m JOIN track t ON t.media_type_id = m.media_type_id GROUP BY m.name ORDER BY m.name"
            ),
        }
    }
}
