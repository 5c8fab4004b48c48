//! Free-form correlated subqueries (`.correlate::<Outer>()`) on Chinook, on every backend: scalar
//! subqueries in the selection, ordering and filters, `EXISTS` / `NOT EXISTS`, `IN`, two and three
//! levels deep, an aliased outer table and one inside a relationship condition; the same rows as
//! the query written in raw SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

azoth::alias!(pub Other = Track);

#[tokio::test]
async fn sql_correlated_subqueries_match_raw_sql() {
    let source = chinook_source("sql_correlated").await;
    for engine in common::engines("sql_correlated").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        // A scalar count in the selection and the ordering.
        let albums = || {
            select(count_all())
                .from(Album::TABLE)
                .correlate::<Artist>()
                .filter(Album::artist_id.eq(Artist::id))
                .scalar()
        };
        let got: Vec<(i64, Option<i64>)> = s
            .all(
                select((Artist::id, albums()))
                    .order_by((albums().desc(), Artist::id))
                    .limit(10),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT a."ArtistId", (SELECT COUNT(*) FROM "Album" al WHERE al."ArtistId" = a."ArtistId") AS n FROM "Artist" a ORDER BY n DESC, a."ArtistId" LIMIT 10"#,
        );
        let want: Vec<(i64, i64)> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(want.len(), 10, "{db}");
        let want: Vec<(i64, Option<i64>)> = want.into_iter().map(|(a, n)| (a, Some(n))).collect();
        assert_eq!(
            got, want,
            "{db}: scalar count in the selection and ordering"
        );

        // Compared in a filter: the longest track(s) of each album (the inner query reads the
        // table under an alias, the outer row under its own name).
        let longest = select(max(Other.col(Track::milliseconds)))
            .from(Other::TABLE)
            .correlate::<Track>()
            .filter(Other.col(Track::album_id).eq(Track::album_id));
        let got: Vec<i64> = s
            .all(
                select(Track::id)
                    .filter(Track::milliseconds.eq(longest.scalar()))
                    .order_by(Track::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT t."TrackId" FROM "Track" t WHERE t."Milliseconds" = (SELECT MAX(t2."Milliseconds") FROM "Track" t2 WHERE t2."AlbumId" = t."AlbumId") ORDER BY t."TrackId""#,
        );
        let want: Vec<i64> = s.all(text(&raw).returns()).await.unwrap();
        assert!(want.len() > 300, "{db}");
        assert_eq!(got, want, "{db}: scalar in a filter");

        // The outer table under an alias: the correlated reference names the alias.
        let longer = select(max(Track::milliseconds))
            .correlate::<Other>()
            .filter(Track::album_id.eq(Other.col(Track::album_id)));
        let got: Vec<i64> = s
            .all(
                select(Other.col(Track::id))
                    .from(Other::TABLE)
                    .filter(Other.col(Track::milliseconds).eq(longer.scalar()))
                    .order_by(Other.col(Track::id)),
            )
            .await
            .unwrap();
        assert_eq!(got, want, "{db}: an aliased outer table");

        // NOT EXISTS and EXISTS.
        let has_album = || {
            select(Album::id)
                .correlate::<Artist>()
                .filter(Album::artist_id.eq(Artist::id))
        };
        let got: Vec<i64> = s
            .all(
                select(Artist::id)
                    .filter(not_exists(has_album()))
                    .order_by(Artist::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT a."ArtistId" FROM "Artist" a WHERE NOT EXISTS (SELECT 1 FROM "Album" al WHERE al."ArtistId" = a."ArtistId") ORDER BY a."ArtistId""#,
        );
        let want: Vec<i64> = s.all(text(&raw).returns()).await.unwrap();
        assert!(!want.is_empty(), "{db}");
        assert_eq!(got, want, "{db}: not exists");
        let with: Vec<i64> = s
            .all(select(Artist::id).filter(exists(has_album())))
            .await
            .unwrap();
        let all: i64 = s
            .one(select(count_all()).from(Artist::TABLE))
            .await
            .unwrap();
        assert_eq!(with.len() + want.len(), all as usize, "{db}: exists");

        // IN a correlated subquery: albums with a title track.
        let got: Vec<i64> = s
            .all(
                select(Album::id)
                    .filter(
                        Album::id.in_query(
                            select(Track::album_id)
                                .correlate::<Album>()
                                .filter(Track::name.eq(Album::title)),
                        ),
                    )
                    .order_by(Album::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT al."AlbumId" FROM "Album" al WHERE al."AlbumId" IN (SELECT t."AlbumId" FROM "Track" t WHERE t."Name" = al."Title") ORDER BY al."AlbumId""#,
        );
        let want: Vec<i64> = s.all(text(&raw).returns()).await.unwrap();
        assert!(want.len() > 10, "{db}");
        assert_eq!(got, want, "{db}: in a correlated subquery");

        // Three levels: artists with an album holding a track over 20 minutes that is not named
        // after the artist; the innermost level reads both levels above.
        let tracks = select(Track::id)
            .correlate::<Album>()
            .correlate::<Artist>()
            .filter(
                Track::album_id
                    .eq(Album::id)
                    .and(Track::milliseconds.gt(1_200_000))
                    .and(Track::name.ne(Artist::name)),
            );
        let albums = select(Album::id)
            .correlate::<Artist>()
            .filter(Album::artist_id.eq(Artist::id).and(exists(tracks)));
        let got: Vec<i64> = s
            .all(
                select(Artist::id)
                    .filter(exists(albums))
                    .order_by(Artist::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT a."ArtistId" FROM "Artist" a WHERE EXISTS (SELECT 1 FROM "Album" al WHERE al."ArtistId" = a."ArtistId" AND EXISTS (SELECT 1 FROM "Track" t WHERE t."AlbumId" = al."AlbumId" AND t."Milliseconds" > 1200000 AND t."Name" <> a."Name")) ORDER BY a."ArtistId""#,
        );
        let want: Vec<i64> = s.all(text(&raw).returns()).await.unwrap();
        assert!(!want.is_empty(), "{db}");
        assert_eq!(got, want, "{db}: three levels");

        // Inside a relationship condition: the subquery reads the related album under the
        // alias the EXISTS gives it (the same answer as the nested relationship condition).
        let long = select(Track::id).correlate::<Album>().filter(
            Track::album_id
                .eq(Album::id)
                .and(Track::milliseconds.gt(1_200_000)),
        );
        let got: Vec<i64> = s
            .all(
                select(Artist::id)
                    .filter(Artist::albums.any(exists(long)))
                    .order_by(Artist::id),
            )
            .await
            .unwrap();
        let nested: Vec<i64> = s
            .all(
                select(Artist::id)
                    .filter(
                        Artist::albums.any(Album::tracks.any(Track::milliseconds.gt(1_200_000))),
                    )
                    .order_by(Artist::id),
            )
            .await
            .unwrap();
        assert!(!nested.is_empty(), "{db}");
        assert_eq!(got, nested, "{db}: inside a relationship condition");
    }
}
