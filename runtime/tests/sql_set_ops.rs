//! UNION, UNION ALL, INTERSECT, EXCEPT on every backend, on Chinook: the same rows as the query
//! written in raw SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

#[tokio::test]
async fn sql_set_operations_on_chinook_match_raw_sql() {
    let source = chinook_source("sql_set_ops").await;
    for engine in common::engines("sql_set_ops").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        // Names that are an artist's or a playlist's, sorted, a page of them.
        let got: Vec<Option<String>> = s
            .all(
                select(Artist::name)
                    .filter(Artist::name.starts_with("A"))
                    .union(select(Playlist::name))
                    .order_by(Artist::name)
                    .limit(10)
                    .offset(3),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT "Name" FROM "Artist" WHERE "Name" LIKE 'A%' UNION SELECT "Name" FROM "Playlist" ORDER BY "Name" LIMIT 10 OFFSET 3"#,
        );
        let want: Vec<Option<String>> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(want.len(), 10, "{db}");
        assert_eq!(got, want, "{db}: union");

        // UNION ALL keeps duplicates: playlist names repeat ("Music", "Movies", ..).
        let all: Vec<Option<String>> = s
            .all(select(Playlist::name).union_all(select(Playlist::name)))
            .await
            .unwrap();
        let distinct: Vec<Option<String>> = s
            .all(select(Playlist::name).union(select(Playlist::name)))
            .await
            .unwrap();
        assert_eq!(all.len(), 36, "{db}: 18 playlists twice");
        assert!(distinct.len() < 18, "{db}: repeated names once");

        // INTERSECT and EXCEPT over ids: albums with a track over 20 minutes, and the others.
        let long = || select(Track::album_id).filter(Track::milliseconds.gt(1_200_000));
        let both: Vec<Option<i64>> = s
            .all(
                select(Track::album_id)
                    .filter(Track::name.starts_with("O"))
                    .intersect(long())
                    .order_by(Track::album_id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT "AlbumId" FROM "Track" WHERE "Name" LIKE 'O%' INTERSECT SELECT "AlbumId" FROM "Track" WHERE "Milliseconds" > 1200000 ORDER BY "AlbumId""#,
        );
        let want: Vec<Option<i64>> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(both, want, "{db}: intersect");
        let without: i64 = s
            .all(
                // `row` names the first part's rows as nullable, as the third part's are.
                select(Album::id)
                    .row::<Option<i64>, _>()
                    .union(select(Album::id).row::<Option<i64>, _>())
                    .except(select(Track::album_id).filter(Track::milliseconds.gt(1_200_000))),
            )
            .await
            .unwrap()
            .len() as i64;
        let long_albums: Vec<Option<i64>> = s.all(long().distinct()).await.unwrap();
        assert_eq!(without + long_albums.len() as i64, 347, "{db}: except");

        // A part with its own ORDER BY / LIMIT keeps them: the 3 longest tracks' albums and
        // album 1.
        let got: Vec<Option<i64>> = s
            .all(
                select(Track::album_id)
                    .order_by(Track::milliseconds.desc())
                    .limit(3)
                    .union(select(Track::album_id).filter(Track::album_id.eq(1)))
                    .order_by(Track::album_id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT * FROM (SELECT "AlbumId" FROM "Track" ORDER BY "Milliseconds" DESC LIMIT 3) AS t UNION SELECT "AlbumId" FROM "Track" WHERE "AlbumId" = 1 ORDER BY "AlbumId""#,
        );
        let want: Vec<Option<i64>> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(got, want, "{db}: a part with its own limit");
        assert_eq!(
            s.first(
                select(Album::id)
                    .union(select(Album::id))
                    .order_by(Album::id)
            )
            .await
            .unwrap(),
            Some(1),
            "{db}: first"
        );
    }
}
