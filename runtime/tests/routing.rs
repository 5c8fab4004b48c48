//! `Router` / `RoutingSession`: a writer and readers standing for a primary and its replicas.
//! Each database holds different rows (no replication here), so which one answered is visible
//! in the results. Every body runs on SQLite (separate in-memory databases), PostgreSQL (one
//! schema each) and MySQL (one database each).

mod common;

use azoth::prelude::*;
use azoth::{Error, Router, RoutingSession};

azoth::model! {
    #[table = "notes"]
    pub struct Note { #[primary_key] pub id: i64, pub text: String }
    relations {
        remarks: has_many(Remark, Remark::note_id),
    }
}

azoth::model! {
    #[table = "remarks"]
    pub struct Remark {
        #[primary_key] pub id: i64,
        #[references(Note::id)] pub note_id: i64,
        pub text: String,
    }
}

azoth::model! {
    #[table = "countries"]
    pub struct Country { #[primary_key] pub id: i64, pub name: String }
}

/// Writer, first reader, second reader: one triple per backend, each database seeded with a
/// note and a country named after it.
async fn databases(test: &str) -> Vec<(Engine, Engine, Engine)> {
    let mut triples = Vec::new();
    let writers = common::engines(&format!("{test}_w")).await;
    let first = common::engines(&format!("{test}_r1")).await;
    let second = common::engines(&format!("{test}_r2")).await;
    for ((w, r1), r2) in writers.into_iter().zip(first).zip(second) {
        for (engine, name) in [(&w, "writer"), (&r1, "reader 1"), (&r2, "reader 2")] {
            engine
                .create_all::<(Note, Remark, Country)>()
                .await
                .unwrap();
            let mut s = engine.session();
            let note = s.insert(NewNote { text: name.into() }).await.unwrap();
            s.insert(NewRemark {
                note_id: note.id,
                text: name.into(),
            })
            .await
            .unwrap();
            s.insert(NewCountry { name: name.into() }).await.unwrap();
        }
        triples.push((w, r1, r2));
    }
    triples
}

async fn texts(db: &mut impl Db) -> Vec<String> {
    db.all(select(Note::text).order_by(Note::id.asc()))
        .await
        .unwrap()
}

#[tokio::test]
async fn route_reads_go_to_the_readers_in_turn_and_writes_to_the_writer() {
    for (w, r1, r2) in databases("route_rr").await {
        let db = common::name(&w);
        let router = Router::new(w.clone(), [r1.clone(), r2.clone()]).unwrap();
        let mut s = router.session();
        let writer_before = w.statements_run();
        // Round robin over the readers, every reading method.
        assert_eq!(texts(&mut s).await, ["reader 1"], "{db}");
        assert_eq!(texts(&mut s).await, ["reader 2"], "{db}");
        let one = s.one(Note::select()).await.unwrap();
        assert_eq!(one.text, "reader 1", "{db}");
        let first = s.first(select(Note::text)).await.unwrap();
        assert_eq!(first.as_deref(), Some("reader 2"), "{db}");
        let by_key = s.get::<Note>(1).await.unwrap().unwrap();
        assert_eq!(by_key.text, "reader 1", "{db}");
        let streamed: Vec<String> = s.stream(select(Note::text)).try_collect().await.unwrap();
        assert_eq!(streamed, ["reader 2"], "{db}");
        assert!(
            s.exists(Note::select().filter(Note::text.eq("reader 1")))
                .await
                .unwrap(),
            "{db}"
        );
        assert!(
            s.exists(Note::select().filter(Note::text.eq("reader 2")))
                .await
                .unwrap(),
            "{db}"
        );
        assert!(!s.has_written(), "{db}");
        assert_eq!(
            w.statements_run(),
            writer_before,
            "{db}: the writer ran no read"
        );

        // A write goes to the writer, and only there.
        let new = s.insert(NewNote { text: "new".into() }).await.unwrap();
        assert_eq!(new.id, 2, "{db}");
        assert!(s.has_written(), "{db}");
        assert_eq!(texts(&mut w.session()).await, ["writer", "new"], "{db}");
        assert_eq!(texts(&mut r1.session()).await, ["reader 1"], "{db}");
        assert_eq!(texts(&mut r2.session()).await, ["reader 2"], "{db}");
        let n = s
            .execute(
                update(Note::TABLE)
                    .set(Note::text, "changed")
                    .filter(Note::id.eq(2)),
            )
            .await
            .unwrap();
        assert_eq!(n, 1, "{db}");
        assert_eq!(texts(&mut w.session()).await, ["writer", "changed"], "{db}");
    }
}

#[tokio::test]
async fn route_after_a_write_the_session_reads_its_writes_from_the_writer() {
    for (w, r1, r2) in databases("route_ryw").await {
        let db = common::name(&w);
        let router = Router::new(w, [r1, r2]).unwrap();
        let mut s = router.session();
        s.insert(NewNote {
            text: "mine".into(),
        })
        .await
        .unwrap();
        assert_eq!(texts(&mut s).await, ["writer", "mine"], "{db}");
        assert_eq!(
            texts(&mut s).await,
            ["writer", "mine"],
            "{db}: still the writer"
        );
        assert_eq!(
            s.get::<Note>(2).await.unwrap().map(|n| n.text).as_deref(),
            Some("mine"),
            "{db}"
        );
        // Another session of the same router has not written: it reads from a reader.
        let mut other = router.session();
        assert!(texts(&mut other).await[0].starts_with("reader"), "{db}");
    }
}

#[tokio::test]
async fn route_a_transaction_runs_on_the_writer() {
    for (w, r1, r2) in databases("route_tx").await {
        let db = common::name(&w);
        let router = Router::new(w.clone(), [r1, r2]).unwrap();
        let mut s = router.session();
        let mut tx = s.begin().await.unwrap();
        assert_eq!(texts(&mut tx).await, ["writer"], "{db}: reads in it too");
        tx.insert(NewNote {
            text: "in tx".into(),
        })
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(
            texts(&mut w.session()).await,
            ["writer"],
            "{db}: rolled back"
        );
        assert!(s.has_written(), "{db}: a transaction counts as a write");
        assert_eq!(texts(&mut s).await, ["writer"], "{db}");

        // Through the trait, as a helper would.
        let mut s = router.session();
        let mut tx = Db::begin(&mut s).await.unwrap();
        tx.insert(NewNote {
            text: "committed".into(),
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(texts(&mut s).await, ["writer", "committed"], "{db}");
    }
}

#[tokio::test]
async fn route_a_read_only_model_reads_from_a_reader_even_after_a_write() {
    for (w, r1, r2) in databases("route_model").await {
        let db = common::name(&w);
        let router = Router::new(w, [r1, r2]).unwrap().read_only::<Country>();
        let mut s = router.session();
        s.insert(NewNote {
            text: "mine".into(),
        })
        .await
        .unwrap();
        // Notes come from the writer now; countries still from the readers, in turn.
        assert_eq!(texts(&mut s).await, ["writer", "mine"], "{db}");
        let names = |rows: Vec<Country>| rows.into_iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(
            names(s.all(Country::select()).await.unwrap()),
            ["reader 1"],
            "{db}"
        );
        assert_eq!(
            names(s.all(Country::select()).await.unwrap()),
            ["reader 2"],
            "{db}"
        );
        let name: Option<String> = s.first(select(Country::name)).await.unwrap();
        assert_eq!(name.as_deref(), Some("reader 1"), "{db}");
        let got = s.get::<Country>(1).await.unwrap().unwrap();
        assert_eq!(got.name, "reader 2", "{db}");
        // Raw SQL is routed by its FROM too.
        let raw: Vec<String> = s
            .all(text("SELECT name FROM countries").returns::<String>())
            .await
            .unwrap();
        assert_eq!(raw, ["reader 1"], "{db}");
    }
}

#[tokio::test]
async fn route_on_writer_and_on_reader_override_the_route() {
    for (w, r1, r2) in databases("route_override").await {
        let db = common::name(&w);
        let router = Router::new(w, [r1, r2]).unwrap();
        let mut s = router.session();
        assert_eq!(texts(&mut s.on_writer()).await, ["writer"], "{db}");
        assert_eq!(
            s.on_writer().all(select(Note::text)).await.unwrap(),
            ["writer"],
            "{db}"
        );
        assert!(!s.has_written(), "{db}: on_writer changes no routing");
        s.execute(delete(Remark::TABLE)).await.unwrap();
        s.execute(delete(Note::TABLE)).await.unwrap();
        assert_eq!(texts(&mut s).await, Vec::<String>::new(), "{db}");
        assert_eq!(
            s.on_reader().all(select(Note::text)).await.unwrap(),
            ["reader 1"],
            "{db}"
        );
        assert_eq!(texts(&mut s.on_reader()).await, ["reader 2"], "{db}");
    }
}

/// The statements of one call (a query and its eager loads) run on one engine.
#[tokio::test]
async fn route_one_call_runs_on_one_engine() {
    for (w, r1, r2) in databases("route_one_call").await {
        let db = common::name(&w);
        let router = Router::new(w.clone(), [r1.clone(), r2.clone()]).unwrap();
        let mut s = router.session();
        let counts = || (w.statements_run(), r1.statements_run(), r2.statements_run());
        let before = counts();
        let notes = s
            .all(Note::select().options(selectin(Note::remarks)))
            .await
            .unwrap();
        s.one(Note::select()).await.unwrap();
        let after = counts();
        assert_eq!(
            (after.0 - before.0, after.1 - before.1, after.2 - before.2),
            (0, 2, 1),
            "{db}: statements per engine (the query and its eager load on reader 1)"
        );
        let remarks: Vec<&str> = notes[0]
            .get(Note::remarks)
            .iter()
            .map(|r| r.row().text.as_str())
            .collect();
        assert_eq!(
            (notes[0].text.as_str(), remarks),
            ("reader 1", vec!["reader 1"]),
            "{db}"
        );
    }
}

#[tokio::test]
async fn route_engines_of_different_backends_are_refused() {
    let sqlite = Engine::connect("sqlite::memory:").await.unwrap();
    for other in common::engines("route_backends").await {
        if other.backend() == sqlite.backend() {
            continue;
        }
        let err = Router::new(sqlite.clone(), [other]).unwrap_err();
        assert!(
            matches!(&err, Error::Unsupported(m) if m.contains("share one backend")),
            "{err:?}"
        );
    }
}

/// With no reader, everything runs on the writer.
#[tokio::test]
async fn route_without_readers_everything_runs_on_the_writer() {
    for (w, _, _) in databases("route_no_readers").await {
        let db = common::name(&w);
        let mut s: RoutingSession = Router::new(w, []).unwrap().session();
        assert_eq!(texts(&mut s).await, ["writer"], "{db}");
    }
}
