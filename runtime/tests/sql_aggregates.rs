//! `count_distinct`, `sum_distinct`, `avg_distinct` on every backend: exact values on a small
//! table, and a Chinook count distinct compared with the same query in raw SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;

#[tokio::test]
async fn sql_distinct_aggregates_count_each_value_once() {
    use common::blog::*;
    for engine in common::engines("sql_distinct_aggs").await {
        let db = common::name(&engine);
        engine.create_all::<(User, Post)>().await.unwrap();
        let mut s = engine.session();
        let ann = s.insert(new_user("ann")).await.unwrap();
        let bob = s.insert(new_user("bob")).await.unwrap();
        for (author, likes) in [(ann.id, 5), (ann.id, 5), (ann.id, 1), (bob.id, 2)] {
            s.insert(new_post(author, "p", likes)).await.unwrap();
        }
        let rows: Vec<(i64, i64, Option<i32>, Option<f64>)> = s
            .all(
                select((
                    Post::author_id,
                    count_distinct(Post::likes),
                    sum_distinct(Post::likes),
                    avg_distinct(Post::likes),
                ))
                .group_by(Post::author_id)
                .order_by(Post::author_id),
            )
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                (ann.id, 2, Some(6), Some(3.0)),
                (bob.id, 1, Some(2), Some(2.0))
            ],
            "{db}"
        );
        let authors: i64 = s
            .one(select(count_distinct(Post::author_id)))
            .await
            .unwrap();
        assert_eq!(authors, 2, "{db}");
        let with_repeats: Vec<i64> = s
            .all(
                select(Post::author_id)
                    .group_by(Post::author_id)
                    .having(count_distinct(Post::likes).lt(count(Post::likes))),
            )
            .await
            .unwrap();
        assert_eq!(with_repeats, [ann.id], "{db}: HAVING");
    }
}

#[tokio::test]
async fn sql_count_distinct_on_chinook_matches_raw_sql() {
    use chinook_data::*;
    let source = chinook_source("sql_count_distinct").await;
    for engine in common::engines("sql_count_distinct").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();
        // Per playlist: how many distinct albums its tracks come from.
        let got: Vec<(i64, i64)> = s
            .all(
                select((PlaylistTrack::playlist_id, count_distinct(Track::album_id)))
                    .join(Track::TABLE.on(Track::id.eq(PlaylistTrack::track_id)))
                    .group_by(PlaylistTrack::playlist_id)
                    .order_by(PlaylistTrack::playlist_id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT pt."PlaylistId", COUNT(DISTINCT t."AlbumId") FROM "PlaylistTrack" pt JOIN "Track" t ON t."TrackId" = pt."TrackId" GROUP BY pt."PlaylistId" ORDER BY pt."PlaylistId""#,
        );
        let want: Vec<(i64, i64)> = s.all(text(&raw).returns()).await.unwrap();
        assert!(want.len() > 10, "{db}");
        assert_eq!(got, want, "{db}");
        // The distinct count is below the plain one somewhere (a playlist with two tracks of one album).
        let plain: Vec<(i64, i64)> = s
            .all(
                select((PlaylistTrack::playlist_id, count(Track::album_id)))
                    .join(Track::TABLE.on(Track::id.eq(PlaylistTrack::track_id)))
                    .group_by(PlaylistTrack::playlist_id)
                    .order_by(PlaylistTrack::playlist_id),
            )
            .await
            .unwrap();
        assert!(plain.iter().zip(&got).any(|(p, d)| d.1 < p.1), "{db}");
    }
}
