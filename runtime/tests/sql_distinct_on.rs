//! `DISTINCT ON` on Chinook: on PostgreSQL, the longest track of each album, the same rows as
//! the query in raw SQL; MySQL/MariaDB and SQLite refuse it (untyped engine) before sending.

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

#[tokio::test]
async fn sql_distinct_on_longest_track_per_album() {
    let source = chinook_source("js_distinct_on").await;
    for engine in common::engines("js_distinct_on").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();
        let longest = || {
            select((Track::album_id, Track::id, Track::milliseconds))
                .distinct_on(Track::album_id)
                .order_by((Track::milliseconds.desc(), Track::id))
        };

        if engine.backend() != Backend::Postgres {
            let before = engine.statements_run();
            let err = s.all(longest()).await.unwrap_err();
            assert!(
                matches!(&err, azoth::Error::Unsupported(m) if m.contains("has no SELECT DISTINCT ON")),
                "{db}: {err}"
            );
            let err = s.first(longest()).await.unwrap_err();
            assert!(matches!(err, azoth::Error::Unsupported(_)), "{db}: {err}");
            assert_eq!(engine.statements_run(), before, "{db}: nothing sent");
            continue;
        }

        let got: Vec<(Option<i64>, i64, i64)> = s.all(longest()).await.unwrap();
        let want: Vec<(Option<i64>, i64, i64)> = s
            .all(
                text(
                    r#"SELECT DISTINCT ON ("AlbumId") "AlbumId", "TrackId", "Milliseconds" FROM "Track" ORDER BY "AlbumId", "Milliseconds" DESC, "TrackId""#,
                )
                .returns(),
            )
            .await
            .unwrap();
        assert_eq!(got.len(), 347, "{db}: one row per album");
        assert_eq!(got, want, "{db}");

        // The same answer from a GROUP BY: each album's longest duration.
        let max_per_album: Vec<(Option<i64>, Option<i64>)> = s
            .all(
                select((Track::album_id, max(Track::milliseconds)))
                    .group_by(Track::album_id)
                    .order_by(Track::album_id),
            )
            .await
            .unwrap();
        let durations: Vec<(Option<i64>, Option<i64>)> =
            got.iter().map(|(a, _, ms)| (*a, Some(*ms))).collect();
        assert_eq!(durations, max_per_album, "{db}");

        // Filter and limit after `distinct_on`, and `first`.
        let page: Vec<(Option<i64>, i64, i64)> = s
            .all(longest().filter(Track::album_id.lt(10)).limit(3))
            .await
            .unwrap();
        assert_eq!(page, want[..3], "{db}");
        let first = s.first(longest()).await.unwrap();
        assert_eq!(first, Some(want[0]), "{db}");
    }
}
