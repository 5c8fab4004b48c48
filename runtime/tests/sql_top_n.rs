//! Top-N per group on Chinook: a window function computed in a derived table, filtered outside
//! it (SQL refuses a window function in WHERE), on every backend, against the same query in raw
//! SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

azoth::derived! { pub struct TopRanked { album_id: Option<i64>, name: String, ms: i64, rn: i64 } }

#[tokio::test]
async fn sql_top_n_three_longest_tracks_per_album_match_raw_sql() {
    let source = chinook_source("sql_top_n").await;
    for engine in common::engines("sql_top_n").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        let ranked = TopRanked::from_query(select((
            Track::album_id,
            Track::name,
            Track::milliseconds,
            row_number().over(
                Window::new()
                    .partition_by(Track::album_id)
                    .order_by((Track::milliseconds.desc(), Track::id.asc())),
            ),
        )));
        let got: Vec<(Option<i64>, String, i64, i64)> = s
            .all(
                select((
                    TopRanked::album_id,
                    TopRanked::name,
                    TopRanked::ms,
                    TopRanked::rn,
                ))
                .from(ranked)
                .filter(TopRanked::rn.le(3))
                .order_by((TopRanked::album_id, TopRanked::rn)),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT album_id, name, ms, rn FROM (SELECT "AlbumId" AS album_id, "Name" AS name, "Milliseconds" AS ms, ROW_NUMBER() OVER (PARTITION BY "AlbumId" ORDER BY "Milliseconds" DESC, "TrackId" ASC) AS rn FROM "Track") AS t WHERE rn <= 3 ORDER BY album_id, rn"#,
        );
        let want: Vec<(Option<i64>, String, i64, i64)> = s.all(text(&raw).returns()).await.unwrap();
        // 347 albums, most with three tracks or more.
        assert!(
            want.len() > 700 && want.len() <= 3 * 347,
            "{db}: {} rows",
            want.len()
        );
        assert_eq!(got, want, "{db}: the three longest tracks of each album");
        // Per album: at most three, numbered 1.., longest first.
        for w in got.windows(2) {
            if w[0].0 == w[1].0 {
                assert_eq!(w[1].3, w[0].3 + 1, "{db}");
                assert!(w[1].2 <= w[0].2, "{db}: longest first");
            } else {
                assert_eq!(w[1].3, 1, "{db}");
            }
        }
    }
}
