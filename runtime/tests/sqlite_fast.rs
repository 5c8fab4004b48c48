//! SQLite's fast read path (`EngineOptions::sqlite_fast_reads`, on by default) gives the same
//! rows and the same errors as sqlx's path: the same queries run on two engines over one
//! database file, one with the fast path and one without, and their answers are compared.

use azoth::prelude::*;
use azoth::{EngineOptions, Error};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rust_decimal::Decimal;

azoth::model! {
    /// One column of each supported type, and a nullable twin of each.
    #[table = "fastpath_every"]
    pub struct Every {
        #[primary_key] pub id: i64,
        pub flag: bool,
        pub small: i16,
        pub int: i32,
        pub big: i64,
        pub real: f32,
        pub double: f64,
        pub price: Decimal,
        pub text: String,
        pub bytes: Vec<u8>,
        pub day: NaiveDate,
        pub clock: NaiveTime,
        pub stamp: NaiveDateTime,
        pub stamp_tz: chrono::DateTime<Utc>,
        pub key: uuid::Uuid,
        pub doc: serde_json::Value,
        pub maybe_flag: Option<bool>,
        pub maybe_small: Option<i16>,
        pub maybe_int: Option<i32>,
        pub maybe_big: Option<i64>,
        pub maybe_real: Option<f32>,
        pub maybe_double: Option<f64>,
        pub maybe_price: Option<Decimal>,
        pub maybe_text: Option<String>,
        pub maybe_bytes: Option<Vec<u8>>,
        pub maybe_day: Option<NaiveDate>,
        pub maybe_clock: Option<NaiveTime>,
        pub maybe_stamp: Option<NaiveDateTime>,
        pub maybe_stamp_tz: Option<chrono::DateTime<Utc>>,
        pub maybe_key: Option<uuid::Uuid>,
        pub maybe_doc: Option<serde_json::Value>,
    }
}

azoth::model! {
    /// A row that may point at an `Every` (for outer joins).
    #[table = "fastpath_tag"]
    pub struct Tag {
        #[primary_key] pub id: i64,
        pub every_id: Option<i64>,
        pub label: String,
    }
}

fn sample(i: i64, some: bool) -> NewEvery {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap() + chrono::Days::new(i as u64);
    let clock = NaiveTime::from_hms_micro_opt(23, 59, 58, 123_456).unwrap();
    let stamp_tz =
        Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap() + chrono::Duration::seconds(i);
    let key = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0 + i as u128);
    let doc = serde_json::json!({"a": [1, 2.5, {"b": null}], "c": "ü", "i": i});
    NewEvery {
        flag: i % 2 == 0,
        small: -12 * i as i16,
        int: (1 << 30) - i as i32,
        big: -(1 << 60) + i,
        real: 1.5 * i as f32,
        double: 2.25 / (i + 1) as f64,
        price: Decimal::new(1999 + i, 2),
        text: format!("it's \"quoted\" ü ✓ {i}"),
        bytes: vec![0, 1, 255, i as u8],
        day,
        clock,
        stamp: day.and_time(clock),
        stamp_tz,
        key,
        doc: doc.clone(),
        maybe_flag: some.then_some(false),
        maybe_small: some.then_some(i16::MIN),
        maybe_int: some.then_some(i32::MAX),
        maybe_big: some.then_some(i64::MIN),
        maybe_real: some.then_some(-0.25),
        maybe_double: some.then_some(f64::MAX),
        maybe_price: some.then(|| Decimal::new(-5, 1)),
        maybe_text: some.then(String::new),
        maybe_bytes: some.then(Vec::new),
        maybe_day: some.then_some(day),
        maybe_clock: some.then_some(clock),
        maybe_stamp: some.then_some(day.and_time(clock)),
        maybe_stamp_tz: some.then_some(stamp_tz),
        maybe_key: some.then_some(key),
        maybe_doc: some.then_some(serde_json::Value::Null),
    }
}

/// The URL of a fresh database file for `test` (left over files of an earlier run removed).
fn fresh_url(test: &str) -> String {
    let path =
        std::env::temp_dir().join(format!("azoth-fastpath-{test}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    format!("sqlite:{}", path.display())
}

/// Two engines over one fresh database file: fast reads on, then off.
async fn engines(test: &str) -> (Engine, Engine) {
    let url = fresh_url(test);
    let fast = Engine::connect_with(&url, EngineOptions::default())
        .await
        .unwrap();
    let slow = Engine::connect_with(&url, EngineOptions::default().sqlite_fast_reads(false))
        .await
        .unwrap();
    (fast, slow)
}

/// What `Display` says of an error, for comparing errors of both paths.
fn outcome<T>(r: azoth::Result<T>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

/// Runs `q` on both engines and asserts the same answer; returns it.
macro_rules! same {
    ($fast:expr, $slow:expr, $method:ident, $q:expr) => {{
        let f = outcome($fast.session().$method($q).await);
        let s = outcome($slow.session().$method($q).await);
        assert_eq!(f, s, "fast path (left) and sqlx path (right) differ");
        f
    }};
}

#[tokio::test]
async fn every_type_reads_the_same_on_both_paths() {
    let (fast, slow) = engines("types").await;
    fast.create_all::<(Every, Tag)>().await.unwrap();
    let mut s = fast.session();
    for i in 0..6 {
        s.insert(sample(i, i % 3 != 0)).await.unwrap();
    }
    s.insert(NewTag {
        every_id: Some(2),
        label: "two".into(),
    })
    .await
    .unwrap();
    s.insert(NewTag {
        every_id: None,
        label: "none".into(),
    })
    .await
    .unwrap();

    let rows = same!(fast, slow, all, Every::select().order_by(Every::id.asc())).unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1].text, sample(1, true).text);
    assert_eq!(rows[0].maybe_doc, None);
    assert_eq!(rows[1].maybe_doc, Some(serde_json::Value::Null));

    // Each value as a bound parameter finds its row on both paths (the same encodings).
    let one = sample(4, true);
    macro_rules! finds {
        ($col:expr, $v:expr) => {{
            let ids = same!(fast, slow, all, select(Every::id).filter($col.eq($v))).unwrap();
            assert_eq!(ids, [5], "{}", stringify!($col));
        }};
    }
    finds!(Every::small, one.small);
    finds!(Every::int, one.int);
    finds!(Every::big, one.big);
    finds!(Every::real, one.real);
    finds!(Every::double, one.double);
    finds!(Every::price, one.price);
    finds!(Every::text, one.text.clone());
    finds!(Every::bytes, one.bytes.clone());
    finds!(Every::day, one.day);
    finds!(Every::stamp, one.stamp);
    finds!(Every::stamp_tz, one.stamp_tz);
    finds!(Every::key, one.key);
    let flags = same!(
        fast,
        slow,
        all,
        select(Every::id).filter(Every::flag.eq(true))
    )
    .unwrap();
    assert_eq!(flags, [1, 3, 5]);

    // Single columns, tuples, `Option`s, aggregates, an outer-joined model.
    same!(
        fast,
        slow,
        all,
        select((Every::maybe_int, Every::maybe_text, Every::maybe_key))
    )
    .unwrap();
    same!(
        fast,
        slow,
        one,
        select(Every::clock).filter(Every::id.eq(2))
    )
    .unwrap();
    same!(
        fast,
        slow,
        one_or_none,
        select(Every::maybe_day).filter(Every::id.eq(1))
    )
    .unwrap();
    same!(
        fast,
        slow,
        first,
        Every::select().order_by(Every::id.desc())
    )
    .unwrap();
    same!(fast, slow, exists, Every::select().filter(Every::id.eq(99))).unwrap();
    let counts = same!(
        fast,
        slow,
        one,
        select((
            count_all(),
            max(Every::big),
            sum(Every::small),
            min(Every::stamp)
        ))
    )
    .unwrap();
    assert_eq!(counts.0, 6);
    let joined = same!(
        fast,
        slow,
        all,
        select((Tag::label, Whole::<Every>::new()))
            .left_join(Every::TABLE.on(Tag::every_id.eq(Every::id)))
            .order_by(Tag::id.asc())
    )
    .unwrap();
    assert!(joined[0].1.is_some() && joined[1].1.is_none());
}

#[tokio::test]
async fn values_stored_by_others_read_the_same_on_both_paths() {
    let (fast, slow) = engines("stored").await;
    // What other programs write: timestamps as text in several formats, as Unix seconds and as
    // Julian days; numbers as text; integers where doubles are expected; invalid UTF-8.
    let stamps = "SELECT '2024-01-02T03:04:05Z' UNION ALL SELECT '2024-01-02 03:04:05.5' \
                  UNION ALL SELECT '2024-01-02T03:04' UNION ALL SELECT '2024-01-02 03:04:05+02:00' \
                  UNION ALL SELECT 1700000000 UNION ALL SELECT 2460000.25 UNION ALL SELECT NULL";
    same!(
        fast,
        slow,
        all,
        text(stamps).returns::<Option<NaiveDateTime>>()
    )
    .unwrap();
    same!(
        fast,
        slow,
        all,
        text(stamps).returns::<Option<chrono::DateTime<Utc>>>()
    )
    .unwrap();
    same!(
        fast,
        slow,
        all,
        text("SELECT '12:30' UNION ALL SELECT '12:30:01.25'").returns::<NaiveTime>()
    )
    .unwrap();
    same!(
        fast,
        slow,
        all,
        text("SELECT 1.5, 2, '3.25', 7").returns::<(Decimal, Decimal, Decimal, f64)>()
    )
    .unwrap_err();
    same!(
        fast,
        slow,
        all,
        text("SELECT 1.5, 2, '3.25', 7.0").returns::<(Decimal, Decimal, Decimal, f64)>()
    )
    .unwrap();
    same!(
        fast,
        slow,
        all,
        text("SELECT 'abc', x'00ff', 'text as bytes'").returns::<(String, Vec<u8>, Vec<u8>)>()
    )
    .unwrap();
    same!(fast, slow, all, text("SELECT 1e300").returns::<f32>()).unwrap_err();
    same!(fast, slow, all, text("SELECT 1e300").returns::<f64>()).unwrap();
    same!(
        fast,
        slow,
        all,
        text("SELECT 0, 1, 2").returns::<(bool, bool, bool)>()
    )
    .unwrap();
    same!(
        fast,
        slow,
        all,
        text("SELECT '{\"a\": [1, true]}'").returns::<serde_json::Value>()
    )
    .unwrap();
    same!(
        fast,
        slow,
        all,
        text("SELECT x'0102030405060708090a0b0c0d0e0f10'").returns::<uuid::Uuid>()
    )
    .unwrap();
    same!(
        fast,
        slow,
        all,
        text("SELECT 1 UNION ALL SELECT 2; ").returns::<i64>()
    )
    .unwrap();
    // A NULL read as a decimal from a column declared REAL, INTEGER or TEXT is NULL.
    let mut s = fast.session();
    s.execute(text(
        "CREATE TABLE fastpath_decl (r REAL, i INTEGER, t TEXT, d DECIMAL(10, 2))",
    ))
    .await
    .unwrap();
    s.execute(text(
        "INSERT INTO fastpath_decl VALUES (NULL, NULL, NULL, NULL)",
    ))
    .await
    .unwrap();
    let nulls = same!(
        fast,
        slow,
        one,
        text("SELECT r, i, t, d FROM fastpath_decl").returns::<(
            Option<Decimal>,
            Option<Decimal>,
            Option<Decimal>,
            Option<Decimal>
        )>()
    )
    .unwrap();
    assert_eq!(nulls, (None, None, None, None));
    // Several statements in one text run through sqlx on both.
    same!(fast, slow, all, text("SELECT 1; SELECT 2").returns::<i64>()).unwrap();
}

#[tokio::test]
async fn errors_are_the_same_on_both_paths() {
    let (fast, slow) = engines("errors").await;
    let wrong = [
        "SELECT 'abc'",
        "SELECT 1.5",
        "SELECT x'00'",
        "SELECT NULL",
        "SELECT 4294967296",
        "SELECT * FROM fastpath_missing",
        "SELEC 1",
    ];
    for sql in wrong {
        let e = same!(fast, slow, all, text(sql).returns::<(i32,)>()).unwrap_err();
        assert!(!e.is_empty());
    }
    for sql in [
        "SELECT 'abc'",
        "SELECT x'ff'",
        "SELECT 'not a date'",
        "SELECT 12",
    ] {
        same!(fast, slow, all, text(sql).returns::<NaiveDate>()).unwrap_err();
        same!(fast, slow, all, text(sql).returns::<NaiveDateTime>()).ok();
        same!(fast, slow, all, text(sql).returns::<uuid::Uuid>()).unwrap_err();
        same!(fast, slow, all, text(sql).returns::<serde_json::Value>()).ok();
        same!(fast, slow, all, text(sql).returns::<String>()).ok();
        same!(fast, slow, all, text(sql).returns::<i16>()).ok();
    }
    same!(fast, slow, all, text("SELECT 70000").returns::<i16>()).unwrap_err();
    // More columns than the row type reads: the first ones.
    same!(fast, slow, all, text("SELECT 1, 2").returns::<(i32,)>()).unwrap();
    same!(fast, slow, all, text("SELECT '1e40'").returns::<Decimal>()).unwrap_err();
    same!(
        fast,
        slow,
        all,
        text("SELECT CAST(x'ff' AS TEXT)").returns::<String>()
    )
    .unwrap_err();
    // `one` on two rows, and on none.
    same!(
        fast,
        slow,
        one,
        text("SELECT 1 UNION ALL SELECT 2").returns::<i64>()
    )
    .unwrap_err();
    same!(fast, slow, one, text("SELECT 1 WHERE 0").returns::<i64>()).unwrap_err();
}

#[tokio::test]
async fn a_failed_read_fails_its_transaction() {
    let (fast, _slow) = engines("tx").await;
    fast.create_all::<(Tag,)>().await.unwrap();
    let mut tx = fast.begin().await.unwrap();
    tx.insert(NewTag {
        every_id: None,
        label: "kept?".into(),
    })
    .await
    .unwrap();
    // Reads in a transaction see its own writes.
    let labels: Vec<String> = tx.all(select(Tag::label)).await.unwrap();
    assert_eq!(labels, ["kept?"]);
    let err = tx
        .all(text("SELECT * FROM fastpath_missing").returns::<(i64,)>())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    let err = tx.commit().await.unwrap_err();
    assert!(matches!(err, Error::TransactionFailed { .. }), "{err:?}");
    let n: i64 = fast
        .session()
        .one(select(count_all()).from(Tag::TABLE))
        .await
        .unwrap();
    assert_eq!(n, 0, "the failed transaction rolled back");
}

/// A read while another connection holds the database's exclusive lock waits for it, as sqlx
/// does, instead of stalling the calling task: on a current-thread runtime the task that will
/// commit must get to run (the fast path does not busy-wait on the calling thread; it hands a
/// statement that cannot start to sqlx, which waits on its own thread).
#[tokio::test(flavor = "current_thread")]
async fn a_read_waits_for_a_lock_held_elsewhere_without_stalling_the_task() {
    use sqlx::Connection;
    let (fast, _slow) = engines("locked").await;
    fast.create_all::<(Every,)>().await.unwrap();
    let path =
        std::env::temp_dir().join(format!("azoth-fastpath-locked-{}.db", std::process::id()));
    let url = format!("sqlite:{}", path.display());
    let mut writer = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut writer)
        .await
        .unwrap();
    let committer = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        sqlx::query("COMMIT").execute(&mut writer).await.unwrap();
    });
    let n = fast
        .session()
        .all(select(count_all()).from(Every::TABLE))
        .await;
    committer.await.unwrap();
    assert_eq!(n.ok(), Some(vec![0]), "the read waited for the lock");
}

/// Many reads in one transaction run to the end. Each fast-path read takes the connection's
/// handle from sqlx's worker thread with a message; when the worker had not yet taken the handle
/// back after the previous read, the message stays queued. In a transaction nothing else drained
/// those messages, the worker's queue filled up, and the next read waited forever for a worker
/// that waited for the handle (a hang after some thousands of reads).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_reads_in_one_transaction_do_not_hang() {
    let (fast, _slow) = engines("many-reads").await;
    fast.create_all::<(Tag,)>().await.unwrap();
    fast.session()
        .insert(NewTag {
            every_id: None,
            label: "one".into(),
        })
        .await
        .unwrap();
    let reads = async {
        for _ in 0..100 {
            let mut tx = fast.begin().await.unwrap();
            for _ in 0..1000 {
                let labels: Vec<String> = tx.all(select(Tag::label)).await.unwrap();
                assert_eq!(labels, ["one"]);
            }
            tx.rollback().await.unwrap();
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(120), reads)
        .await
        .expect("100 000 reads in transactions finished within two minutes (a hang otherwise)");
}

/// Reads outside a transaction run on the connection a file engine keeps for them: each sees
/// what was committed before it and nothing a transaction has not committed, and none leaves a
/// read open that would keep a writer from committing (the writer would wait for its busy
/// timeout and fail with "database is locked").
#[tokio::test]
async fn reads_outside_a_transaction_see_each_commit_and_hold_no_lock() {
    let (fast, _slow) = engines("resident").await;
    fast.create_all::<(Tag,)>().await.unwrap();
    let count = || async {
        fast.session()
            .one(select(count_all()).from(Tag::TABLE))
            .await
            .unwrap()
    };
    assert_eq!(count().await, 0);
    for round in 1..=3 {
        let mut tx = fast.begin().await.unwrap();
        tx.insert(NewTag {
            every_id: None,
            label: format!("round {round}"),
        })
        .await
        .unwrap();
        assert_eq!(count().await, round - 1, "not committed yet");
        // A read left open would hold its lock: the commit would wait for the busy timeout
        // (5 s) and fail with "database is locked".
        let started = std::time::Instant::now();
        tx.commit().await.unwrap();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(4),
            "the commit waited for a lock: {:?}",
            started.elapsed()
        );
        assert_eq!(count().await, round, "committed");
    }
    let labels: Vec<String> = fast
        .session()
        .all(select(Tag::label).order_by(Tag::id.asc()))
        .await
        .unwrap();
    assert_eq!(labels, ["round 1", "round 2", "round 3"]);
}

/// Many tasks reading at once all get their rows: one at a time runs on the kept connection,
/// the others on pooled ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_outside_transactions_all_get_their_rows() {
    let (fast, _slow) = engines("resident-concurrent").await;
    fast.create_all::<(Tag,)>().await.unwrap();
    for i in 0..10 {
        fast.session()
            .insert(NewTag {
                every_id: Some(i),
                label: format!("tag {i}"),
            })
            .await
            .unwrap();
    }
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let engine = fast.clone();
            tokio::spawn(async move {
                for i in 0..200 {
                    let want: i64 = (t * 200 + i) % 10;
                    let got: Vec<String> = engine
                        .session()
                        .all(select(Tag::label).filter(Tag::every_id.eq(want)))
                        .await
                        .unwrap();
                    assert_eq!(got, [format!("tag {want}")]);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

/// A closed engine reads nothing, though it kept a connection for reads.
#[tokio::test]
async fn a_closed_engine_reads_nothing() {
    let (fast, _slow) = engines("resident-closed").await;
    fast.create_all::<(Tag,)>().await.unwrap();
    let labels: Vec<String> = fast.session().all(select(Tag::label)).await.unwrap();
    assert!(labels.is_empty());
    fast.close().await;
    let err = fast.session().all(select(Tag::label)).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
}

/// An engine that outlives its runtime drops without a panic, closing the connection it kept.
#[test]
fn an_engine_dropped_after_its_runtime_is_gone_closes_quietly() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let engine = runtime.block_on(async {
        let (fast, _slow) = engines("resident-outlives").await;
        fast.create_all::<(Tag,)>().await.unwrap();
        let labels: Vec<String> = fast.session().all(select(Tag::label)).await.unwrap();
        assert!(labels.is_empty());
        fast
    });
    drop(runtime);
    drop(engine);
}

/// Creates the tag table through `engine` with one row: tag 7, "seven".
async fn create_tag_seven(engine: &Engine) {
    engine.create_all::<(Tag,)>().await.unwrap();
    engine
        .session()
        .insert(NewTag {
            every_id: Some(7),
            label: "seven".into(),
        })
        .await
        .unwrap();
}

/// A statement the kept connection prepared once follows later schema changes: a table that
/// gains a column reads with it, and a dropped table fails as on sqlx's path.
#[tokio::test]
async fn kept_statements_follow_schema_changes() {
    let (fast, slow) = engines("resident-schema").await;
    create_tag_seven(&fast).await;
    let star = "SELECT * FROM fastpath_tag";
    for _ in 0..2 {
        let rows = same!(
            fast,
            slow,
            all,
            text(star).returns::<(i64, Option<i64>, String)>()
        );
        assert_eq!(rows, Ok(vec![(1, Some(7), "seven".to_owned())]));
    }
    slow.session()
        .execute(text(
            "ALTER TABLE fastpath_tag ADD COLUMN extra INTEGER NOT NULL DEFAULT 42",
        ))
        .await
        .unwrap();
    // Not compared with sqlx's path here: sqlx 0.9 reads its cached `SELECT *` with the old
    // columns (its worker thread panics, and the read gives no rows).
    let rows: Vec<(i64, Option<i64>, String, i64)> =
        fast.session().all(text(star).returns()).await.unwrap();
    assert_eq!(rows, [(1, Some(7), "seven".to_owned(), 42)]);
    slow.session()
        .execute(text("DROP TABLE fastpath_tag"))
        .await
        .unwrap();
    let gone = same!(
        fast,
        slow,
        all,
        text(star).returns::<(i64, Option<i64>, String, i64)>()
    );
    assert!(gone.is_err(), "{gone:?}");
}

/// In a transaction, reads keep the connection's handle between them; a write, a savepoint, the
/// commit or the rollback get it back first: each step sees the transaction's own writes, and a
/// transaction dropped while its reads hold the handle rolls back and frees its connection.
#[tokio::test]
async fn reads_in_a_transaction_hand_the_connection_back_for_everything_else() {
    // One connection: a connection the transaction failed to give back would hang the reads
    // after it (bounded by the acquire timeout).
    let engine = Engine::connect_with(
        &fresh_url("tx-handle"),
        EngineOptions::default()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(5)),
    )
    .await
    .unwrap();
    engine.create_all::<(Tag,)>().await.unwrap();
    let tag = |label: &str| NewTag {
        every_id: None,
        label: label.into(),
    };
    let labels = || select(Tag::label).order_by(Tag::id.asc());

    let mut tx = engine.begin().await.unwrap();
    let none: Vec<String> = tx.all(labels()).await.unwrap();
    assert!(none.is_empty());
    tx.insert(tag("a")).await.unwrap();
    assert_eq!(tx.all(labels()).await.unwrap(), ["a"]);
    assert_eq!(tx.all(labels()).await.unwrap(), ["a"], "read again");
    {
        let mut sp = tx.begin_nested().await.unwrap();
        assert_eq!(sp.all(labels()).await.unwrap(), ["a"]);
        sp.insert(tag("b")).await.unwrap();
        assert_eq!(sp.all(labels()).await.unwrap(), ["a", "b"]);
        sp.rollback().await.unwrap();
    }
    assert_eq!(tx.all(labels()).await.unwrap(), ["a"], "savepoint undone");
    tx.insert(tag("c")).await.unwrap();
    assert_eq!(tx.all(labels()).await.unwrap(), ["a", "c"]);
    tx.commit().await.unwrap();
    assert_eq!(engine.session().all(labels()).await.unwrap(), ["a", "c"]);

    // Dropped while its last read holds the handle: rolled back, its connection free again.
    let mut tx = engine.begin().await.unwrap();
    tx.insert(tag("dropped")).await.unwrap();
    assert_eq!(tx.all(labels()).await.unwrap(), ["a", "c", "dropped"]);
    drop(tx);
    assert_eq!(engine.session().all(labels()).await.unwrap(), ["a", "c"]);

    // Rolled back while its last read holds the handle.
    let mut tx = engine.begin().await.unwrap();
    tx.insert(tag("undone")).await.unwrap();
    assert_eq!(tx.all(labels()).await.unwrap(), ["a", "c", "undone"]);
    tx.rollback().await.unwrap();
    assert_eq!(engine.session().all(labels()).await.unwrap(), ["a", "c"]);
}

/// With no statement cache (`statement_cache_capacity(0)`), and with a cache smaller than the
/// texts read, the kept connection reads the same rows.
#[tokio::test]
async fn reads_are_the_same_whatever_the_statement_cache_holds() {
    for capacity in [0, 1] {
        let engine = Engine::connect_with(
            &fresh_url(&format!("cache-{capacity}")),
            EngineOptions::default().statement_cache_capacity(capacity),
        )
        .await
        .unwrap();
        engine.create_all::<(Tag,)>().await.unwrap();
        for i in 0..3 {
            engine
                .session()
                .insert(NewTag {
                    every_id: Some(i),
                    label: format!("tag {i}"),
                })
                .await
                .unwrap();
        }
        for round in 0..3 {
            for i in 0..3i64 {
                let by_key: Vec<String> = engine
                    .session()
                    .all(select(Tag::label).filter(Tag::every_id.eq(i)))
                    .await
                    .unwrap();
                assert_eq!(
                    by_key,
                    [format!("tag {i}")],
                    "capacity {capacity}, round {round}"
                );
                let n: i64 = engine
                    .session()
                    .one(select(count_all()).from(Tag::TABLE))
                    .await
                    .unwrap();
                assert_eq!(n, 3);
            }
        }
        engine.close().await;
    }
}

/// A table that gained a column after a connection last read it: sqlx's path (a stream, reads
/// with the fast path off, a write that returns rows) reads `*` with the current columns, where
/// sqlx 0.9 alone stops its driver thread and gives no rows. With one connection and with two
/// (both read the table before each change).
#[tokio::test]
async fn a_column_added_meanwhile_is_read_on_sqlxs_path() {
    for connections in [1, 2] {
        let url = fresh_url(&format!("sqlx-stale-columns-{connections}"));
        let options = || EngineOptions::default().max_connections(connections);
        let reader = Engine::connect_with(&url, options().sqlite_fast_reads(false))
            .await
            .unwrap();
        let streamer = Engine::connect_with(&url, options()).await.unwrap();
        let writer = Engine::connect_with(&url, options()).await.unwrap();
        create_tag_seven(&writer).await;
        let star = "SELECT * FROM fastpath_tag";
        let bound = "SELECT * FROM fastpath_tag WHERE id >= :min";
        let old = (1, Some(7), "seven".to_owned());
        for engine in [&reader, &streamer]
            .into_iter()
            .filter(|_| connections == 2)
        {
            // Both connections of the pool read the table: a transaction holds one while the
            // pool serves the read on the other.
            let mut tx = engine.begin().await.unwrap();
            let first: Vec<(i64, Option<i64>, String)> =
                tx.all(text(star).returns()).await.unwrap();
            let second: Vec<(i64, Option<i64>, String)> =
                engine.session().all(text(star).returns()).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!((first, second), (vec![old.clone()], vec![old.clone()]));
        }
        for sql in [star, bound] {
            read_both(&reader, &streamer, sql, old.clone()).await;
        }
        let add = |n: i64| {
            let writer = writer.clone();
            async move {
                let sql = format!(
                    "ALTER TABLE fastpath_tag ADD COLUMN extra{n} INTEGER NOT NULL DEFAULT {n}"
                );
                writer.session().execute(text(&sql)).await.unwrap();
            }
        };
        add(0).await;
        read_both(
            &reader,
            &streamer,
            star,
            (1, Some(7), "seven".to_owned(), 0),
        )
        .await;
        add(1).await;
        // A statement with values, which sqlx keeps prepared with its old columns.
        let wider = (1, Some(7), "seven".to_owned(), 0, 1);
        read_both(&reader, &streamer, bound, wider).await;
        add(2).await;
        let widest = (1, Some(7), "seven".to_owned(), 0, 1, 2);
        read_both(&reader, &streamer, star, widest).await;
        // A statement that writes and returns every column: the change is made once, and its
        // rows (sqlx alone gives none) or its count (sqlx alone reports none) are returned.
        let update = "UPDATE fastpath_tag SET label = label || '!' RETURNING *";
        add(3).await;
        let returned = reader
            .session()
            .all(text(update).returns::<(i64, Option<i64>, String, i64, i64, i64, i64)>())
            .await;
        let changed = (1, Some(7), "seven!".to_owned(), 0, 1, 2, 3);
        assert_eq!(outcome(returned), Ok(vec![changed]));
        // The reader's connection reads the table before the next change.
        let ids: Vec<i64> = reader
            .session()
            .all(text("SELECT id FROM fastpath_tag").returns())
            .await
            .unwrap();
        assert_eq!(ids, [1]);
        add(4).await;
        let executed = reader.session().execute(text(update)).await;
        assert_eq!(executed.ok(), Some(1));
        let label: String = writer
            .session()
            .one(text("SELECT label FROM fastpath_tag").returns())
            .await
            .unwrap();
        assert_eq!(label, "seven!!");
    }
}

/// `sql` read through `all` on `reader` and through `stream` on `streamer` gives the one row
/// `expected`.
async fn read_both<T>(reader: &Engine, streamer: &Engine, sql: &'static str, expected: T)
where
    T: azoth::DecodeRow + std::fmt::Debug + PartialEq + Clone + Send + 'static,
{
    let query = || match sql.contains(":min") {
        true => text(sql).bind("min", 0),
        false => text(sql),
    };
    let read = reader.session().all(query().returns::<T>()).await;
    assert_eq!(outcome(read), Ok(vec![expected.clone()]), "{sql}");
    let mut s = streamer.session();
    let streamed: Result<Vec<T>, Error> = s.stream(query().returns::<T>()).try_collect().await;
    assert_eq!(outcome(streamed), Ok(vec![expected]), "{sql}");
}
