//! Derived tables and CTEs (`WITH RECURSIVE` too) on every backend, on Chinook: the same rows as
//! the query written in raw SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;
use chinook_data::*;

azoth::derived! { pub struct CteAlbumLen { album_id: Option<i64>, total_ms: Option<i64> } }
azoth::derived! { pub struct CteAvgLen { avg_ms: Option<f64> } }
azoth::derived! { pub struct CteManagers { id: i64, first_name: String, reports_to: Option<i64>, depth: i64 } }
azoth::derived! { pub struct CtePath { id: i64, label: String, up: Option<i64> } }

azoth::model! {
    #[table = "cte_node"]
    pub struct CteNode {
        #[primary_key(manual)] pub id: i64,
        #[max_len = 2] pub code: String,
        pub name: String,
        pub up: Option<i64>,
    }
}
azoth::derived! { pub struct CteBigArtist { artist_id: i64, albums: i64 } }

#[tokio::test]
async fn sql_cte_derived_tables_and_ctes_on_chinook_match_raw_sql() {
    let source = chinook_source("sql_cte").await;
    for engine in common::engines("sql_cte").await {
        let db = common::name(&engine);
        copy(&source.engine, &engine).await;
        let mut s = engine.session();

        // A derived table with an aggregate: albums longer than the average album, the average
        // itself a derived table over the first.
        let lens = || {
            CteAlbumLen::from_query(
                select((Track::album_id, sum(Track::milliseconds))).group_by(Track::album_id),
            )
        };
        let average = CteAvgLen::from_query(select(avg(CteAlbumLen::total_ms)).from(lens()));
        let got: Vec<(String, Option<i64>)> = s
            .all(
                select((Album::title, CteAlbumLen::total_ms))
                    .join(lens().on(CteAlbumLen::album_id.eq(Album::id)))
                    .join(average.on(CteAvgLen::avg_ms.is_not_null()))
                    .filter(
                        cast::<sql_types::Double, _>(CteAlbumLen::total_ms).gt(CteAvgLen::avg_ms),
                    )
                    .order_by(Album::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT "Album"."Title", CAST(l.total AS BIGINT) FROM "Album" JOIN (SELECT "AlbumId" AS id, SUM("Milliseconds") AS total FROM "Track" GROUP BY "AlbumId") AS l ON l.id = "Album"."AlbumId" WHERE l.total > (SELECT AVG(total) FROM (SELECT SUM("Milliseconds") AS total FROM "Track" GROUP BY "AlbumId") AS x) ORDER BY "Album"."AlbumId""#,
        );
        let raw = if engine.backend() == Backend::MySql {
            raw.replace("AS BIGINT", "AS SIGNED")
        } else {
            raw
        };
        let want: Vec<(String, Option<i64>)> = s.all(text(&raw).returns()).await.unwrap();
        assert!(
            want.len() > 50 && want.len() < 347,
            "{db}: {} albums",
            want.len()
        );
        assert_eq!(got, want, "{db}: albums longer than the average");

        // A recursive CTE: Laura Callahan's (8) chain of managers, up to the general manager.
        let chain = CteManagers::recursive(
            select((
                Employee::id,
                Employee::first_name,
                Employee::reports_to,
                0i64.into_expr(),
            ))
            .filter(Employee::id.eq(8)),
            |me| {
                select((
                    Employee::id,
                    Employee::first_name,
                    Employee::reports_to,
                    CteManagers::depth.add(1),
                ))
                .join(me.on(CteManagers::reports_to.eq(Employee::id)))
            },
        );
        let got: Vec<(i64, String, i64)> = s
            .all(
                select((CteManagers::id, CteManagers::first_name, CteManagers::depth))
                    .from(chain)
                    .order_by(CteManagers::depth),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"WITH RECURSIVE chain (id, first_name, reports_to, depth) AS (SELECT "EmployeeId", "FirstName", "ReportsTo", 0 FROM "Employee" WHERE "EmployeeId" = 8 UNION ALL SELECT e."EmployeeId", e."FirstName", e."ReportsTo", chain.depth + 1 FROM "Employee" AS e JOIN chain ON chain.reports_to = e."EmployeeId") SELECT id, first_name, depth FROM chain ORDER BY depth"#,
        );
        let want: Vec<(i64, String, i64)> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(
            want,
            vec![
                (8, "Laura".to_owned(), 0),
                (6, "Michael".to_owned(), 1),
                (1, "Andrew".to_owned(), 2)
            ],
            "{db}: the raw chain"
        );
        assert_eq!(got, want, "{db}: the chain of managers");

        // The anchor's text column is narrower than the recursive part's: MariaDB would take the
        // CTE column's type from the anchor, VARCHAR(2), and refuse "first" ("Data too long")
        // without the cast azoth adds there.
        engine.create_all::<(CteNode,)>().await.unwrap();
        s.execute(insert_many([
            NewCteNode {
                id: 1,
                code: "a".into(),
                name: "first".into(),
                up: None,
            },
            NewCteNode {
                id: 2,
                code: "b".into(),
                name: "second".into(),
                up: Some(1),
            },
        ]))
        .await
        .unwrap();
        let path = CtePath::recursive(
            select((CteNode::id, CteNode::code, CteNode::up)).filter(CteNode::id.eq(2)),
            |me| {
                select((CteNode::id, CteNode::name, CteNode::up))
                    .join(me.on(CtePath::up.eq(CteNode::id)))
            },
        );
        let got: Vec<String> = s
            .all(
                select(CtePath::label)
                    .from(path)
                    .order_by(CtePath::id.desc()),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            ["b", "first"],
            "{db}: a recursive part's text wider than the anchor's"
        );

        // A CTE joined to a model table: artists with more than 10 albums.
        let big = CteBigArtist::cte(
            select((Album::artist_id, count(Album::id)))
                .group_by(Album::artist_id)
                .having(count(Album::id).gt(10)),
        );
        let got: Vec<(Option<String>, i64)> = s
            .all(
                select((Artist::name, CteBigArtist::albums))
                    .join(big.on(CteBigArtist::artist_id.eq(Artist::id)))
                    .order_by((CteBigArtist::albums.desc(), Artist::id)),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"WITH big (artist_id, albums) AS (SELECT "ArtistId", COUNT("AlbumId") FROM "Album" GROUP BY "ArtistId" HAVING COUNT("AlbumId") > 10) SELECT "Artist"."Name", big.albums FROM "Artist" JOIN big ON big.artist_id = "Artist"."ArtistId" ORDER BY big.albums DESC, "Artist"."ArtistId""#,
        );
        let want: Vec<(Option<String>, i64)> = s.all(text(&raw).returns()).await.unwrap();
        assert!(!want.is_empty(), "{db}");
        assert_eq!(got, want, "{db}: a CTE joined to Artist");
    }
}
