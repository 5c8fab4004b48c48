//! A UNION (INTERSECT, EXCEPT) read as a derived table or a CTE, its first part or the whole
//! with its own ORDER BY / LIMIT, on every backend, on Chinook: the same rows as the query
//! written in raw SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

azoth::derived! { pub struct SotNames { label: Option<String> } }
azoth::derived! { pub struct SotPairs { who: i64, label: String } }

/// Albums 343..347 but the last, as `(id, title)`, ordered by title, a page of 3 after the first.
fn pairs() -> impl Query<(), Row = (i64, String)> {
    select((Album::id, Album::title))
        .order_by(Album::id.desc())
        .limit(5)
        .except(select((Album::id, Album::title)).filter(Album::id.eq(347)))
        .order_by((Album::title, Album::id.desc()))
        .limit(3)
        .offset(1)
}

const RAW_PAIRS: &str = r#"SELECT * FROM (SELECT "AlbumId" AS "who", "Title" AS "label" FROM "Album" ORDER BY "AlbumId" DESC LIMIT 5) AS "p1" EXCEPT SELECT "AlbumId", "Title" FROM "Album" WHERE "AlbumId" = 347 ORDER BY "label", "who" DESC LIMIT 3 OFFSET 1"#;

#[tokio::test]
async fn sql_set_op_tables_on_chinook_match_raw_sql() {
    let source = chinook_source("sql_set_op_tables").await;
    for engine in common::engines("sql_set_op_tables").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        // The first part with its own ORDER BY / LIMIT: the first 3 artists, and every playlist.
        let got: Vec<Option<String>> = s
            .all(
                select(SotNames::label)
                    .from(SotNames::from_query(
                        select(Artist::name)
                            .order_by(Artist::id)
                            .limit(3)
                            .union(select(Playlist::name)),
                    ))
                    .order_by(SotNames::label),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT "label" FROM (SELECT * FROM (SELECT "Name" AS "label" FROM "Artist" ORDER BY "ArtistId" LIMIT 3) AS "p1" UNION SELECT "Name" FROM "Playlist") AS "d" ORDER BY "label""#,
        );
        let want: Vec<Option<String>> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(
            want.len(),
            17,
            "{db}: 3 artists and 14 distinct playlist names"
        );
        assert_eq!(got, want, "{db}: derived table, first part limited");

        // The whole with its ORDER BY / LIMIT, filtered by the outer query.
        let got: Vec<Option<String>> = s
            .all(
                select(SotNames::label)
                    .from(SotNames::from_query(
                        select(Artist::name)
                            .filter(Artist::name.starts_with("B"))
                            .union_all(select(Playlist::name))
                            .order_by(Artist::name.desc())
                            .limit(8),
                    ))
                    .filter(SotNames::label.ne("Music"))
                    .order_by(SotNames::label),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT "label" FROM (SELECT "Name" AS "label" FROM "Artist" WHERE "Name" LIKE 'B%' UNION ALL SELECT "Name" FROM "Playlist" ORDER BY "label" DESC LIMIT 8) AS "d" WHERE "label" <> 'Music' ORDER BY "label""#,
        );
        let want: Vec<Option<String>> = s.all(text(&raw).returns()).await.unwrap();
        assert!(!want.is_empty() && want.len() <= 8, "{db}: {want:?}");
        assert_eq!(got, want, "{db}: derived table, whole limited");

        // Both, as a derived table joined by the outer query: the tracks of those albums.
        let got: Vec<(String, String)> = s
            .all(
                select((Track::name, SotPairs::label))
                    .join(SotPairs::from_query(pairs()).on(SotPairs::who.eq(Track::album_id)))
                    .order_by(Track::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            &format!(
                r#"SELECT "Track"."Name", "d"."label" FROM "Track" INNER JOIN ({RAW_PAIRS}) AS "d" ON "d"."who" = "Track"."AlbumId" ORDER BY "Track"."TrackId""#
            ),
        );
        let want: Vec<(String, String)> = s.all(text(&raw).returns()).await.unwrap();
        assert!(!want.is_empty(), "{db}");
        assert_eq!(got, want, "{db}: derived table joined, both limited");

        // Both, as a CTE joined by the outer query.
        let got: Vec<(String, String)> = s
            .all(
                select((Track::name, SotPairs::label))
                    .join(SotPairs::cte(pairs()).on(SotPairs::who.eq(Track::album_id)))
                    .order_by(Track::id),
            )
            .await
            .unwrap();
        assert_eq!(got, want, "{db}: CTE joined, both limited");

        // A CTE over a union whose first part is limited, filtered by the outer query.
        let got: Vec<Option<String>> = s
            .all(
                select(SotNames::label)
                    .from(SotNames::cte(
                        select(Artist::name)
                            .order_by(Artist::id)
                            .limit(3)
                            .union(select(Playlist::name))
                            .order_by(Artist::name)
                            .limit(6),
                    ))
                    .filter(SotNames::label.ne("Accept"))
                    .order_by(SotNames::label.desc()),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"WITH "d" ("label") AS (SELECT * FROM (SELECT "Name" AS "label" FROM "Artist" ORDER BY "ArtistId" LIMIT 3) AS "p1" UNION SELECT "Name" FROM "Playlist" ORDER BY "label" LIMIT 6) SELECT "label" FROM "d" WHERE "label" <> 'Accept' ORDER BY "label" DESC"#,
        );
        let want: Vec<Option<String>> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(want.len(), 5, "{db}: {want:?}");
        assert_eq!(got, want, "{db}: CTE, both limited");
    }
}
