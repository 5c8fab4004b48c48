//! Keyset pagination on Chinook, on every backend: the pages, each continuing after the last row
//! of the one before, put together are the whole ordered table; with one direction (a row-value
//! comparison) and with mixed directions (the expanded OR).

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

#[tokio::test]
async fn sql_keyset_pages_concatenate_to_the_full_ordering() {
    let source = chinook_source("js_keyset").await;
    for engine in common::engines("js_keyset").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        // By name, then id: ascending on both (a row value).
        let full: Vec<(String, i64)> = s
            .all(select((Track::name, Track::id)).order_by((Track::name.asc(), Track::id.asc())))
            .await
            .unwrap();
        assert_eq!(full.len(), 3503, "{db}");
        let mut pages: Vec<(String, i64)> = Vec::new();
        let mut queries = 0;
        loop {
            let last = pages.last().cloned();
            let page: Vec<(String, i64)> = s
                .all(
                    select((Track::name, Track::id))
                        .keyset((Track::name.asc(), Track::id.asc()))
                        .after_opt(last)
                        .limit(500),
                )
                .await
                .unwrap();
            queries += 1;
            if page.is_empty() {
                break;
            }
            pages.extend(page);
        }
        assert_eq!(queries, 9, "{db}: 8 pages and an empty one");
        assert_eq!(pages, full, "{db}: ascending pages");

        // Longest first, ties by id ascending (mixed directions: the expanded OR).
        let full: Vec<(i64, i64)> = s
            .all(
                select((Track::milliseconds, Track::id))
                    .order_by((Track::milliseconds.desc(), Track::id.asc())),
            )
            .await
            .unwrap();
        let mut pages: Vec<(i64, i64)> = Vec::new();
        loop {
            let q = select((Track::milliseconds, Track::id))
                .keyset((Track::milliseconds.desc(), Track::id.asc()));
            let q = match pages.last() {
                Some(&(ms, id)) => q.after((ms, id)),
                None => q.first_page(),
            };
            let page: Vec<(i64, i64)> = s.all(q.limit(700)).await.unwrap();
            if page.is_empty() {
                break;
            }
            pages.extend(page);
        }
        assert_eq!(pages, full, "{db}: mixed-direction pages");

        // A page in the middle, against the same page in raw SQL.
        let (ms, id) = full[1000];
        let got: Vec<i64> = s
            .all(
                select(Track::id)
                    .keyset((Track::milliseconds.desc(), Track::id.asc()))
                    .after((ms, id))
                    .limit(5),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            &format!(
                r#"SELECT "TrackId" FROM "Track" WHERE "Milliseconds" < {ms} OR ("Milliseconds" = {ms} AND "TrackId" > {id}) ORDER BY "Milliseconds" DESC, "TrackId" LIMIT 5"#
            ),
        );
        let want: Vec<i64> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(got, want, "{db}");
        assert_eq!(
            got,
            full[1001..1006].iter().map(|r| r.1).collect::<Vec<_>>(),
            "{db}"
        );
    }
}
