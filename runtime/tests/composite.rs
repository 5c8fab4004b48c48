//! Relationships over composite keys: joins pair the key columns, `selectin` asks with a
//! row-value IN (`(a, b) IN (..)`), `joined` folds on the whole key; on every backend.

mod common;

use azoth::prelude::*;

azoth::model! {
    /// An invoice, numbered per store: its key is (store, no).
    #[table = "c_invoices"]
    pub struct Invoice {
        #[primary_key(manual)] pub store: String,
        #[primary_key(manual)] pub no: i64,
        pub customer: String,
    }
    relations {
        /// The invoice's lines (doc comments are kept on relationships).
        lines: has_many(Line, (Line::store, Line::invoice_no)),
        promos: many_to_many(Promo, InvoicePromo, (InvoicePromo::store, InvoicePromo::invoice_no), InvoicePromo::promo_id),
    }
}

azoth::model! {
    #[table = "c_lines"]
    pub struct Line {
        #[primary_key] pub id: i64,
        pub store: String,
        pub invoice_no: i64,
        pub item: String,
    }
    relations {
        invoice: belongs_to(Invoice, (Line::store, Line::invoice_no)),
    }
}

azoth::model! {
    /// A refund may name the invoice it refunds, or not (both key parts NULL).
    #[table = "c_refunds"]
    pub struct Refund {
        #[primary_key] pub id: i64,
        pub store: Option<String>,
        pub invoice_no: Option<i64>,
    }
    relations {
        invoice: belongs_to(Invoice, (Refund::store, Refund::invoice_no)),
    }
}

azoth::model! {
    #[table = "c_promos"]
    pub struct Promo {
        #[primary_key] pub id: i64,
        pub code: String,
    }
}

azoth::model! {
    #[table = "c_invoice_promos"]
    pub struct InvoicePromo {
        #[primary_key(manual)] pub store: String,
        #[primary_key(manual)] pub invoice_no: i64,
        #[primary_key(manual)] pub promo_id: i64,
    }
}

type Models = (Invoice, Line, Refund, Promo, InvoicePromo);

/// Invoices ("north", 1), ("north", 2), ("south", 1) and ("south", 2): the same numbers in two
/// stores, so a match on one key column alone would mix them up.
async fn seed(s: &mut Session) {
    for (store, no, customer) in [
        ("north", 1, "ann"),
        ("north", 2, "bob"),
        ("south", 1, "cy"),
        ("south", 2, "dee"),
    ] {
        s.insert(NewInvoice {
            store: store.into(),
            no,
            customer: customer.into(),
        })
        .await
        .unwrap();
    }
    for (store, no, item) in [
        ("north", 1, "tea"),
        ("south", 1, "cake"),
        ("north", 1, "milk"),
        ("south", 1, "jam"),
        ("north", 2, "salt"),
    ] {
        s.insert(NewLine {
            store: store.into(),
            invoice_no: no,
            item: item.into(),
        })
        .await
        .unwrap();
    }
    for (store, no) in [
        (Some("south"), Some(1)),
        (None, None),
        (Some("north"), Some(2)),
    ] {
        s.insert(NewRefund {
            store: store.map(Into::into),
            invoice_no: no,
        })
        .await
        .unwrap();
    }
    for code in ["spring", "loyal"] {
        s.insert(NewPromo { code: code.into() }).await.unwrap();
    }
    for (store, no, promo) in [("north", 1, 1), ("south", 1, 2), ("south", 1, 1)] {
        s.insert(NewInvoicePromo {
            store: store.into(),
            invoice_no: no,
            promo_id: promo,
        })
        .await
        .unwrap();
    }
}

fn items(lines: &[Loaded<Line, ()>]) -> Vec<&str> {
    lines.iter().map(|l| l.item.as_str()).collect()
}

#[tokio::test]
async fn one_to_many_and_many_to_one_match_on_every_key_column() {
    for engine in common::engines("composite_one_to_many").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let order = || {
            Invoice::select()
                .order_by(Invoice::store)
                .order_by(Invoice::no)
        };
        for (strategy, options) in [
            ("selectin", selectin(Invoice::lines)),
            ("joined", joined(Invoice::lines)),
        ] {
            let before = engine.statements_run();
            let invoices = s.all(order().options(options)).await.unwrap();
            let ran = engine.statements_run() - before;
            // Loaded rows clone, sharing what was loaded.
            let copy = invoices.clone();
            assert_eq!(copy, invoices, "{db}");
            assert_eq!(
                ran,
                if strategy == "joined" { 1 } else { 2 },
                "{db} {strategy}"
            );
            let got: Vec<(&str, i64, Vec<&str>)> = invoices
                .iter()
                .map(|i| (i.store.as_str(), i.no, items(i.get(Invoice::lines))))
                .collect();
            assert_eq!(
                got,
                [
                    ("north", 1, vec!["tea", "milk"]),
                    ("north", 2, vec!["salt"]),
                    ("south", 1, vec!["cake", "jam"]),
                    ("south", 2, vec![]),
                ],
                "{db} {strategy}"
            );
        }

        for options in [selectin(Line::invoice), joined(Line::invoice)] {
            let lines = s
                .all(Line::select().order_by(Line::id).options(options))
                .await
                .unwrap();
            let owners: Vec<(&str, &str)> = lines
                .iter()
                .map(|l| (l.item.as_str(), l.get(Line::invoice).customer.as_str()))
                .collect();
            assert_eq!(
                owners,
                [
                    ("tea", "ann"),
                    ("cake", "cy"),
                    ("milk", "ann"),
                    ("jam", "cy"),
                    ("salt", "bob")
                ],
                "{db}"
            );
        }
    }
}

#[tokio::test]
async fn a_nullable_composite_foreign_key_gives_an_option() {
    for engine in common::engines("composite_nullable").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        for options in [selectin(Refund::invoice), joined(Refund::invoice)] {
            let refunds = s
                .all(Refund::select().order_by(Refund::id).options(options))
                .await
                .unwrap();
            let customers: Vec<Option<&str>> = refunds
                .iter()
                .map(|r| r.get(Refund::invoice).map(|i| i.customer.as_str()))
                .collect();
            assert_eq!(customers, [Some("cy"), None, Some("bob")], "{db}");
        }
    }
}

#[tokio::test]
async fn many_to_many_through_a_composite_association_key() {
    for engine in common::engines("composite_many_to_many").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let query = || {
            Invoice::select()
                .order_by(Invoice::store)
                .order_by(Invoice::no)
        };
        for options in [selectin(Invoice::promos), joined(Invoice::promos)] {
            let invoices = s.all(query().options(options)).await.unwrap();
            let codes: Vec<Vec<&str>> = invoices
                .iter()
                .map(|i| {
                    i.get(Invoice::promos)
                        .iter()
                        .map(|p| p.code.as_str())
                        .collect()
                })
                .collect();
            assert_eq!(
                codes,
                [vec!["spring"], vec![], vec!["spring", "loyal"], vec![]],
                "{db}"
            );
        }

        // Links and the write-only form pair the key columns too.
        let north2 = s
            .one(
                Invoice::select()
                    .filter(Invoice::store.eq("north"))
                    .filter(Invoice::no.eq(2)),
            )
            .await
            .unwrap();
        let loyal = s.get::<Promo>(2).await.unwrap().unwrap();
        s.link(Invoice::promos, &north2, &loyal).await.unwrap();
        let codes: Vec<String> = s
            .all(Invoice::promos.of(&north2))
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(codes, ["loyal"], "{db}");
        let lines: Vec<String> = s
            .all(Invoice::lines.of(&north2))
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.item)
            .collect();
        assert_eq!(lines, ["salt"], "{db}");
        assert_eq!(s.unlink(Invoice::promos, &north2, &loyal).await.unwrap(), 1);
        assert!(s.all(Invoice::promos.of(&north2)).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn joins_pair_every_key_column_and_keys_are_chunked() {
    for engine in common::engines("composite_join_chunks").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        seed(&mut s).await;
        let pairs: Vec<(String, String)> = s
            .all(
                select((Invoice::customer, Line::item))
                    .join(Invoice::lines)
                    .order_by(Line::id),
            )
            .await
            .unwrap();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(c, i)| (c.as_str(), i.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("ann", "tea"),
                ("cy", "cake"),
                ("ann", "milk"),
                ("cy", "jam"),
                ("bob", "salt")
            ],
            "{db}"
        );

        // Chunks of 1 key: one statement per distinct (store, no) of the parents.
        let before = engine.statements_run();
        let lines = s
            .all(
                Line::select()
                    .order_by(Line::id)
                    .options(selectin(Line::invoice).chunk_size(1)),
            )
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 1 + 3, "{db}");
        assert_eq!(lines[4].get(Line::invoice).customer, "bob", "{db}");
    }
}
