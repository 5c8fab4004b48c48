//! Relationship conditions nested in one another (`any` inside `any`), two and three levels deep
//! and self-referential, on Chinook: the same rows as the query written in raw SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

#[tokio::test]
async fn sql_nested_any_two_and_three_levels_match_raw_sql() {
    let source = chinook_source("sql_nested_any").await;
    for engine in common::engines("sql_nested_any").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        // Two levels: artists with an album with a track over 20 minutes.
        let got: Vec<i64> = s
            .all(
                select(Artist::id)
                    .filter(
                        Artist::albums.any(Album::tracks.any(Track::milliseconds.gt(1_200_000))),
                    )
                    .order_by(Artist::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT a."ArtistId" FROM "Artist" a WHERE EXISTS (SELECT 1 FROM "Album" al JOIN "Track" t ON t."AlbumId" = al."AlbumId" WHERE al."ArtistId" = a."ArtistId" AND t."Milliseconds" > 1200000) ORDER BY a."ArtistId""#,
        );
        let want: Vec<i64> = s.all(text(&raw).returns()).await.unwrap();
        assert!(!want.is_empty(), "{db}");
        assert_eq!(got, want, "{db}: two levels");

        // Three levels, the last through the playlist association table.
        let got: Vec<i64> = s
            .all(
                select(Artist::id)
                    .filter(
                        Artist::albums.any(
                            Album::tracks.any(Track::playlists.any(Playlist::name.eq("Grunge"))),
                        ),
                    )
                    .order_by(Artist::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT DISTINCT a."ArtistId" FROM "Artist" a JOIN "Album" al ON al."ArtistId" = a."ArtistId" JOIN "Track" t ON t."AlbumId" = al."AlbumId" JOIN "PlaylistTrack" pt ON pt."TrackId" = t."TrackId" JOIN "Playlist" p ON p."PlaylistId" = pt."PlaylistId" WHERE p."Name" = 'Grunge' ORDER BY a."ArtistId""#,
        );
        let want: Vec<i64> = s.all(text(&raw).returns()).await.unwrap();
        assert!(want.len() > 1, "{db}");
        assert_eq!(got, want, "{db}: three levels");

        // Self-referential: who manages a manager of someone named Jane (Chinook: Andrew).
        let got: Vec<String> = s
            .all(
                select(Employee::first_name)
                    .filter(
                        Employee::reports
                            .any(Employee::reports.any(Employee::first_name.eq("Jane"))),
                    )
                    .order_by(Employee::id),
            )
            .await
            .unwrap();
        assert_eq!(got, ["Andrew"], "{db}: self-referential, two levels");
        // Who manages someone who manages anyone: Andrew (over Nancy and Michael).
        let got: Vec<String> = s
            .all(
                select(Employee::first_name)
                    .filter(Employee::reports.any(Employee::reports.exists()))
                    .order_by(Employee::id),
            )
            .await
            .unwrap();
        assert_eq!(got, ["Andrew"], "{db}: self-referential exists");
    }
}

#[tokio::test]
async fn sql_relationship_count_matches_a_raw_correlated_subquery() {
    let source = chinook_source("sql_related_count").await;
    for engine in common::engines("sql_related_count").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        // The five artists with the most albums, and how many albums with a long track they have.
        let got: Vec<(i64, i64, i64)> = s
            .all(
                select((
                    Artist::id,
                    Artist::albums.count(),
                    Artist::albums.count_where(Album::tracks.any(Track::milliseconds.gt(400_000))),
                ))
                .filter(Artist::albums.count().ge(3))
                .order_by((Artist::albums.count().desc(), Artist::id))
                .limit(5),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT a."ArtistId",
                 (SELECT COUNT(*) FROM "Album" al WHERE al."ArtistId" = a."ArtistId") AS n,
                 (SELECT COUNT(*) FROM "Album" al WHERE al."ArtistId" = a."ArtistId"
                    AND EXISTS (SELECT 1 FROM "Track" t WHERE t."AlbumId" = al."AlbumId" AND t."Milliseconds" > 400000)) AS long_ones
               FROM "Artist" a
               WHERE (SELECT COUNT(*) FROM "Album" al WHERE al."ArtistId" = a."ArtistId") >= 3
               ORDER BY n DESC, a."ArtistId" LIMIT 5"#,
        );
        let want: Vec<(i64, i64, i64)> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(want[0], (90, 21, want[0].2), "{db}: Iron Maiden first");
        assert_eq!(got, want, "{db}");
    }
}
