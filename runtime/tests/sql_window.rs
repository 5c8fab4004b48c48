//! Window functions on every backend: ranks with ties, buckets, lag/lead with offsets and
//! defaults, frames, and Chinook analytics compared with the same query in raw SQL.

mod chinook_data;
mod common;

use azoth::prelude::*;

azoth::model! {
    #[table = "win_scores"]
    pub struct Score {
        #[primary_key(manual)] pub id: i64,
        pub team: String,
        pub points: i32,
        pub bonus: Option<i32>,
    }
}

/// Team a: 10, 20, 20, 30 (a tie in the middle); team b: 5, 5 (a tie for first); bonus NULL on 3.
async fn scores(engine: &Engine) {
    engine.create_all::<(Score,)>().await.unwrap();
    let rows = [
        (1, "a", 10, Some(1)),
        (2, "a", 20, Some(2)),
        (3, "a", 20, None),
        (4, "a", 30, Some(4)),
        (5, "b", 5, Some(5)),
        (6, "b", 5, Some(6)),
    ];
    engine
        .session()
        .execute(insert_many(rows.into_iter().map(
            |(id, team, points, bonus)| NewScore {
                id,
                team: team.to_owned(),
                points,
                bonus,
            },
        )))
        .await
        .unwrap();
}

fn by_team_points() -> Window<score::team, score::points> {
    Window::new()
        .partition_by(Score::team)
        .order_by(Score::points)
}

#[tokio::test]
async fn win_ranks_with_ties_and_buckets() {
    for engine in common::engines("win_ranks").await {
        let db = common::name(&engine);
        scores(&engine).await;
        let mut s = engine.session();
        let got: Vec<(i64, i64, i64, i64, i64)> = s
            .all(
                select((
                    Score::id,
                    row_number().over(
                        Window::new()
                            .partition_by(Score::team)
                            .order_by((Score::points, Score::id)),
                    ),
                    rank().over(by_team_points()),
                    dense_rank().over(by_team_points()),
                    ntile(2).over(Window::new().order_by(Score::id)),
                ))
                .order_by(Score::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [
                (1, 1, 1, 1, 1),
                (2, 2, 2, 2, 1),
                (3, 3, 2, 2, 1),
                (4, 4, 4, 3, 2),
                (5, 1, 1, 1, 2),
                (6, 2, 1, 1, 2),
            ],
            "{db}"
        );
    }
}

#[tokio::test]
async fn win_lag_lead_offsets_and_defaults() {
    for engine in common::engines("win_lag_lead").await {
        let db = common::name(&engine);
        scores(&engine).await;
        let mut s = engine.session();
        let w = || Window::new().partition_by(Score::team).order_by(Score::id);
        type Row = (i64, Option<i32>, Option<i32>, Option<i32>, i32, Option<i32>);
        let got: Vec<Row> = s
            .all(
                select((
                    Score::id,
                    lag(Score::points).over(w()),
                    lead(Score::points).over(w()),
                    lag(Score::points).offset(2).over(w()),
                    lead(Score::points).offset(2).default(-1).over(w()),
                    // A default does not replace the NULL of a row that is there (id 3's bonus).
                    lag(Score::bonus).default(0).over(w()),
                ))
                .order_by(Score::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [
                (1, None, Some(20), None, 20, Some(0)),
                (2, Some(10), Some(20), None, 30, Some(1)),
                (3, Some(20), Some(30), Some(10), -1, Some(2)),
                (4, Some(20), None, Some(20), -1, None),
                (5, None, Some(5), None, -1, Some(0)),
                (6, Some(5), None, None, -1, Some(5)),
            ],
            "{db}"
        );
    }
}

#[tokio::test]
async fn win_frames_and_edges() {
    for engine in common::engines("win_frames").await {
        let db = common::name(&engine);
        scores(&engine).await;
        let mut s = engine.session();
        let moving = Window::new()
            .partition_by(Score::team)
            .order_by(Score::id)
            .rows(Preceding(1), Following(1));
        let whole = || {
            Window::new()
                .partition_by(Score::team)
                .order_by(Score::id)
                .rows(UnboundedPreceding, UnboundedFollowing)
        };
        let ahead = Window::new()
            .partition_by(Score::team)
            .order_by(Score::id)
            .rows(Following(1), Following(2));
        // RANGE: the rows whose points are within 10 below the current row's.
        let near = Window::new()
            .partition_by(Score::team)
            .order_by(Score::points)
            .range(Preceding(10), CurrentRow);
        type Row = (i64, Option<i32>, i64, i64, Option<i64>, i64);
        let got: Vec<Row> = s
            .all(
                select((
                    Score::id,
                    sum(Score::points).over(moving),
                    first_value(Score::id).over(whole()),
                    last_value(Score::id).over(whole()),
                    first_value(Score::id).over(ahead),
                    count_all().over(near),
                ))
                .order_by(Score::id),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            [
                (1, Some(30), 1, 4, Some(2), 1),
                (2, Some(50), 1, 4, Some(3), 3),
                (3, Some(70), 1, 4, Some(4), 3),
                (4, Some(50), 1, 4, None, 3),
                (5, Some(10), 5, 6, Some(6), 2),
                (6, Some(10), 5, 6, None, 2),
            ],
            "{db}"
        );
        // Aggregates over the whole partition, next to plain columns (no GROUP BY).
        type Shares = (i64, i64, Option<i32>, Option<f64>, Option<i32>, Option<i32>);
        let shares: Vec<Shares> = s
            .all(
                select((
                    Score::id,
                    count(Score::bonus).over(Window::new().partition_by(Score::team)),
                    sum(Score::points).over(Window::new().partition_by(Score::team)),
                    avg(Score::points).over(Window::new().partition_by(Score::team)),
                    min(Score::points).over(Window::new().partition_by(Score::team)),
                    max(Score::points).over(Window::new()),
                ))
                .filter(Score::id.le(2).or(Score::id.eq(5)))
                .order_by(Score::id),
            )
            .await
            .unwrap();
        assert_eq!(
            shares,
            [
                (1, 2, Some(30), Some(15.0), Some(10), Some(20)),
                (2, 2, Some(30), Some(15.0), Some(10), Some(20)),
                (5, 1, Some(5), Some(5.0), Some(5), Some(20)),
            ],
            "{db}: windows see the filtered rows only"
        );
    }
}

#[tokio::test]
async fn win_labels_order_by_and_groups() {
    for engine in common::engines("win_order_groups").await {
        let db = common::name(&engine);
        scores(&engine).await;
        let mut s = engine.session();
        let place = || rank().over(Window::new().order_by(Score::points.desc()));
        // Ordered by a window function, labelled in the selection.
        let got: Vec<(i64, i64)> = s
            .all(select((Score::id, place().label("place"))).order_by((place(), Score::id.desc())))
            .await
            .unwrap();
        assert_eq!(
            got,
            [(4, 1), (3, 2), (2, 2), (1, 4), (6, 5), (5, 5)],
            "{db}"
        );
        // A grouped query: teams ranked by their total points.
        let teams: Vec<(String, Option<i32>, i64)> = s
            .all(
                select((
                    Score::team,
                    sum(Score::points),
                    rank()
                        .over(Window::new().order_by(sum(Score::points).desc()))
                        .label("place"),
                ))
                .group_by(Score::team)
                .order_by(Score::team),
            )
            .await
            .unwrap();
        assert_eq!(
            teams,
            [("a".to_owned(), Some(80), 1), ("b".to_owned(), Some(10), 2)],
            "{db}"
        );
    }
}

azoth::model! {
    /// Chinook's invoices (the columns the analytics use).
    #[table = "Invoice"]
    pub struct Invoice {
        #[primary_key(manual)] #[column = "InvoiceId"] pub id: i64,
        #[column = "CustomerId"] pub customer_id: i64,
        #[column = "InvoiceDate"] pub date: chrono::NaiveDateTime,
        #[column = "Total"] pub total: rust_decimal::Decimal,
    }
}

/// Chinook's modelled tables and its invoices, copied from `source` into `target`.
async fn chinook_with_invoices(source: &Engine, target: &Engine) {
    chinook_data::copy(source, target).await;
    target.create_all::<(Invoice,)>().await.unwrap();
    let invoices = source
        .session()
        .all(Invoice::select().order_by(Invoice::id))
        .await
        .unwrap();
    assert!(invoices.len() > 400);
    target
        .session()
        .execute(insert_many(invoices.into_iter().map(|i| NewInvoice {
            id: i.id,
            customer_id: i.customer_id,
            date: i.date,
            total: i.total,
        })))
        .await
        .unwrap();
}

#[tokio::test]
async fn win_chinook_analytics_match_raw_sql() {
    use chinook_data::*;
    let source = chinook_source("win_chinook").await;
    for engine in common::engines("win_chinook").await {
        let db = common::name(&engine);
        chinook_with_invoices(&source.engine, &engine).await;
        let mut s = engine.session();

        // Each track's place by length within its album (ties share a place).
        let by_length = || {
            Window::new()
                .partition_by(Track::album_id)
                .order_by(Track::milliseconds.desc())
        };
        let got: Vec<(i64, i64, i64, i64)> = s
            .all(
                select((
                    Track::id,
                    rank().over(by_length()),
                    dense_rank().over(by_length()),
                    row_number().over(
                        Window::new()
                            .partition_by(Track::album_id)
                            .order_by((Track::milliseconds.desc(), Track::id)),
                    ),
                ))
                .order_by(Track::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT "TrackId", RANK() OVER (PARTITION BY "AlbumId" ORDER BY "Milliseconds" DESC), DENSE_RANK() OVER (PARTITION BY "AlbumId" ORDER BY "Milliseconds" DESC), ROW_NUMBER() OVER (PARTITION BY "AlbumId" ORDER BY "Milliseconds" DESC, "TrackId") FROM "Track" ORDER BY "TrackId""#,
        );
        let want: Vec<(i64, i64, i64, i64)> = s.all(text(&raw).returns()).await.unwrap();
        assert!(want.len() > 3000, "{db}");
        assert_eq!(got, want, "{db}: track ranks");

        // Running total of each customer's invoices, and the date of the invoice before.
        let per_customer = || {
            Window::new()
                .partition_by(Invoice::customer_id)
                .order_by((Invoice::date, Invoice::id))
        };
        type Row = (
            i64,
            Option<rust_decimal::Decimal>,
            Option<chrono::NaiveDateTime>,
            i64,
        );
        let got: Vec<Row> = s
            .all(
                select((
                    Invoice::id,
                    sum(Invoice::total).over(per_customer().rows(UnboundedPreceding, CurrentRow)),
                    lag(Invoice::date).over(per_customer()),
                    ntile(4).over(per_customer()),
                ))
                .order_by(Invoice::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT "InvoiceId", SUM("Total") OVER (PARTITION BY "CustomerId" ORDER BY "InvoiceDate", "InvoiceId" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), LAG("InvoiceDate") OVER (PARTITION BY "CustomerId" ORDER BY "InvoiceDate", "InvoiceId"), NTILE(4) OVER (PARTITION BY "CustomerId" ORDER BY "InvoiceDate", "InvoiceId") FROM "Invoice" ORDER BY "InvoiceId""#,
        );
        let want: Vec<Row> = s.all(text(&raw).returns()).await.unwrap();
        assert_eq!(got.len(), want.len(), "{db}");
        assert_eq!(got, want, "{db}: running totals and previous dates");
        assert!(got.iter().any(|r| r.2.is_none()) && got.iter().any(|r| r.2.is_some()));

        // Albums ranked by total length within their artist: a window over an aggregate.
        let total = || sum(Track::milliseconds);
        let got: Vec<(i64, Option<i64>, i64)> = s
            .all(
                select((
                    Album::id,
                    total(),
                    rank()
                        .over(
                            Window::new()
                                .partition_by(Album::artist_id)
                                .order_by(total().desc()),
                        )
                        .label("place"),
                ))
                .join(Track::TABLE.on(Track::album_id.eq(Album::id)))
                .group_by((Album::id, Album::artist_id))
                .order_by(Album::id),
            )
            .await
            .unwrap();
        let raw = quoted(
            &engine,
            r#"SELECT a."AlbumId", SUM(t."Milliseconds"), RANK() OVER (PARTITION BY a."ArtistId" ORDER BY SUM(t."Milliseconds") DESC) FROM "Album" a JOIN "Track" t ON t."AlbumId" = a."AlbumId" GROUP BY a."AlbumId", a."ArtistId" ORDER BY a."AlbumId""#,
        );
        let want: Vec<(i64, Option<i64>, i64)> = s.all(text(&raw).returns()).await.unwrap();
        assert!(want.len() > 300, "{db}");
        assert_eq!(got, want, "{db}: albums ranked within their artist");
        assert!(got.iter().any(|r| r.2 > 1), "{db}");
    }
}
