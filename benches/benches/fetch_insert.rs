//! Fetching 1, 100 and 10 000 rows into structs (Diesel's "trivial query" workload), 16
//! one-row reads in one transaction, and inserting 1 000 rows: azoth against raw sqlx with
//! hand-written SQL, SeaORM and Diesel, on SQLite (a file, so all share it) and on PostgreSQL when
//! `AZOTH_BENCH_POSTGRES_URL` is set.

use azoth::prelude::*;
use criterion::{Criterion, criterion_group, criterion_main};

azoth::model! {
    #[table = "bench_items"]
    pub struct Item {
        #[primary_key] pub id: i64,
        pub name: String,
        pub email: String,
        pub karma: i32,
    }
}

/// The same row, filled by sqlx.
#[allow(dead_code)]
struct SqlxItem {
    id: i64,
    name: String,
    email: String,
    karma: i32,
}

const FETCH_ROWS: i32 = 10_000;

/// The fetch sizes, each with its benchmark group.
const FETCHES: [(i64, &str); 3] = [
    (1, "fetch_1_row"),
    (100, "fetch_100_rows"),
    (10_000, "fetch_10k_rows"),
];
const INSERT_ROWS: i32 = 1_000;

/// One-row reads in one transaction (a unit of work that reads several rows by key).
const READS_IN_TX: i64 = 16;

fn new_items(n: i32) -> Vec<NewItem> {
    (0..n)
        .map(|i| NewItem {
            name: format!("user {i}"),
            email: format!("user{i}@example.org"),
            karma: i,
        })
        .collect()
}

struct Setup {
    label: &'static str,
    engine: Engine,
    raw: Raw,
    sea: sea_orm::DatabaseConnection,
    diesel: DieselConn,
}

enum DieselConn {
    Sqlite(std::sync::Mutex<diesel::SqliteConnection>),
    Postgres(std::sync::Mutex<diesel::PgConnection>),
}

mod diesel_peer {
    use diesel::prelude::*;

    diesel::table! { bench_items (id) { id -> BigInt, name -> Text, email -> Text, karma -> Integer, } }

    #[derive(Queryable, Selectable)]
    #[diesel(table_name = bench_items)]
    #[allow(dead_code)]
    pub struct Item {
        pub id: i64,
        pub name: String,
        pub email: String,
        pub karma: i32,
    }

    #[derive(Insertable)]
    #[diesel(table_name = bench_items)]
    pub struct NewItem {
        pub name: String,
        pub email: String,
        pub karma: i32,
    }

    macro_rules! peer_fns {
        ($fetch:ident, $insert:ident, $conn:ty) => {
            pub fn $fetch(conn: &mut $conn, n: i64) -> Vec<Item> {
                bench_items::table
                    .filter(bench_items::id.le(n))
                    .select(Item::as_select())
                    .load(conn)
                    .unwrap()
            }

            pub fn $insert(conn: &mut $conn, rows: &[NewItem]) -> usize {
                diesel::insert_into(bench_items::table)
                    .values(rows)
                    .execute(conn)
                    .unwrap()
            }
        };
    }
    peer_fns!(fetch_sqlite, insert_sqlite, SqliteConnection);
    peer_fns!(fetch_pg, insert_pg, PgConnection);

    /// [`super::READS_IN_TX`] one-row reads in one transaction; the rows read.
    macro_rules! reads_in_tx {
        ($name:ident, $conn:ty) => {
            pub fn $name(conn: &mut $conn) -> usize {
                conn.transaction::<_, diesel::result::Error, _>(|conn| {
                    Ok((1..=super::READS_IN_TX)
                        .map(|id| {
                            bench_items::table
                                .filter(bench_items::id.eq(id))
                                .select(Item::as_select())
                                .load(conn)
                                .unwrap()
                                .len()
                        })
                        .sum())
                })
                .unwrap()
            }
        };
    }
    reads_in_tx!(reads_in_tx_sqlite, SqliteConnection);
    reads_in_tx!(reads_in_tx_pg, PgConnection);

    pub fn new_items(rows: Vec<super::NewItem>) -> Vec<NewItem> {
        rows.into_iter()
            .map(|r| NewItem {
                name: r.name,
                email: r.email,
                karma: r.karma,
            })
            .collect()
    }
}

mod sea_peer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "bench_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub email: String,
        pub karma: i32,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}

    pub async fn fetch(db: &DatabaseConnection, n: i64) -> Vec<Model> {
        Entity::find()
            .filter(Column::Id.lte(n))
            .all(db)
            .await
            .unwrap()
    }

    pub async fn insert(db: &DatabaseConnection, rows: Vec<super::NewItem>) {
        use sea_orm::ActiveValue::Set;
        Entity::insert_many(rows.into_iter().map(|r| ActiveModel {
            name: Set(r.name),
            email: Set(r.email),
            karma: Set(r.karma),
            ..Default::default()
        }))
        .exec(db)
        .await
        .unwrap();
    }
}

enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

async fn setups() -> Vec<Setup> {
    let mut out = Vec::new();
    let path = std::env::temp_dir().join("azoth-bench.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite:{}", path.display());
    let engine = Engine::connect(&url).await.expect("SQLite file");
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .expect("SQLite file for sqlx");
    use diesel::Connection as _;
    out.push(Setup {
        label: "sqlite",
        engine,
        raw: Raw::Sqlite(pool),
        sea: sea_orm::Database::connect(&url).await.expect("SeaORM"),
        diesel: DieselConn::Sqlite(
            diesel::SqliteConnection::establish(&path.display().to_string())
                .expect("Diesel")
                .into(),
        ),
    });
    if let Ok(url) = std::env::var("AZOTH_BENCH_POSTGRES_URL") {
        let engine = Engine::connect(&url).await.expect("PostgreSQL");
        let pool = sqlx::PgPool::connect(&url)
            .await
            .expect("PostgreSQL for sqlx");
        out.push(Setup {
            label: "postgres",
            engine,
            raw: Raw::Postgres(pool),
            sea: sea_orm::Database::connect(&url).await.expect("SeaORM"),
            diesel: DieselConn::Postgres(
                diesel::PgConnection::establish(&url)
                    .expect("Diesel")
                    .into(),
            ),
        });
    } else {
        eprintln!("AZOTH_BENCH_POSTGRES_URL is not set: PostgreSQL benchmarks skipped");
    }
    for s in &out {
        s.engine.drop_all::<(Item,)>().await.unwrap();
        s.engine.create_all::<(Item,)>().await.unwrap();
        s.engine
            .session()
            .execute(insert_many(new_items(FETCH_ROWS)))
            .await
            .unwrap();
    }
    out
}

/// [`READS_IN_TX`] one-row reads in one transaction, by hand; the rows read.
async fn sqlx_reads_in_tx(raw: &Raw) -> i64 {
    type Row = (i64, String, String, i32);
    // The same code for each pool type, with its placeholder.
    macro_rules! reads {
        ($pool:expr, $sql:literal) => {{
            let mut tx = $pool.begin().await.unwrap();
            let mut n = 0;
            for id in 1..=READS_IN_TX {
                let rows: Vec<Row> = sqlx::query_as($sql)
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await
                    .unwrap();
                n += rows.len() as i64;
            }
            tx.commit().await.unwrap();
            n
        }};
    }
    match raw {
        Raw::Sqlite(p) => reads!(
            p,
            "SELECT id, name, email, karma FROM bench_items WHERE id = ?"
        ),
        Raw::Postgres(p) => reads!(
            p,
            "SELECT id, name, email, karma FROM bench_items WHERE id = $1"
        ),
    }
}

async fn sqlx_fetch(raw: &Raw, n: i64) -> Vec<SqlxItem> {
    let rows: Vec<(i64, String, String, i32)> = match raw {
        Raw::Sqlite(p) => {
            sqlx::query_as("SELECT id, name, email, karma FROM bench_items WHERE id <= ?")
                .bind(n)
                .fetch_all(p)
                .await
                .unwrap()
        }
        Raw::Postgres(p) => {
            sqlx::query_as("SELECT id, name, email, karma FROM bench_items WHERE id <= $1")
                .bind(n)
                .fetch_all(p)
                .await
                .unwrap()
        }
    };
    rows.into_iter()
        .map(|(id, name, email, karma)| SqlxItem {
            id,
            name,
            email,
            karma,
        })
        .collect()
}

async fn sqlx_insert(raw: &Raw, rows: Vec<NewItem>) {
    macro_rules! insert_with {
        ($pool:expr, $db:ty) => {{
            let mut qb =
                sqlx::QueryBuilder::<$db>::new("INSERT INTO bench_items (name, email, karma) ");
            qb.push_values(rows, |mut b, r| {
                b.push_bind(r.name).push_bind(r.email).push_bind(r.karma);
            });
            qb.build().execute($pool).await.unwrap();
        }};
    }
    match raw {
        Raw::Sqlite(p) => insert_with!(p, sqlx::Sqlite),
        Raw::Postgres(p) => insert_with!(p, sqlx::Postgres),
    }
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let setups = rt.block_on(setups());
    for s in &setups {
        for (n, group) in FETCHES {
            let len = n as usize;
            let mut g = c.benchmark_group(format!("{group}/{}", s.label));
            g.sample_size(20);
            g.bench_function("azoth", |b| {
                b.to_async(&rt).iter(|| async {
                    let mut session = s.engine.session();
                    let rows = session
                        .all(Item::select().filter(Item::id.le(n)))
                        .await
                        .unwrap();
                    assert_eq!(rows.len(), len);
                    rows
                })
            });
            g.bench_function("sqlx_query_as", |b| {
                b.to_async(&rt).iter(|| async {
                    let rows = sqlx_fetch(&s.raw, n).await;
                    assert_eq!(rows.len(), len);
                    rows
                })
            });
            g.bench_function("sea_orm", |b| {
                b.to_async(&rt).iter(|| async {
                    let rows = sea_peer::fetch(&s.sea, n).await;
                    assert_eq!(rows.len(), len);
                    rows
                })
            });
            g.bench_function("diesel", |b| {
                b.iter(|| {
                    let rows = match &s.diesel {
                        DieselConn::Sqlite(c) => {
                            diesel_peer::fetch_sqlite(&mut c.lock().unwrap(), n)
                        }
                        DieselConn::Postgres(c) => diesel_peer::fetch_pg(&mut c.lock().unwrap(), n),
                    };
                    assert_eq!(rows.len(), len);
                    rows
                })
            });
            g.finish();
        }

        let mut g = c.benchmark_group(format!("reads_in_transaction/{}", s.label));
        g.sample_size(20);
        g.bench_function("azoth", |b| {
            b.to_async(&rt).iter(|| async {
                let mut session = s.engine.session();
                let mut tx = session.begin().await.unwrap();
                let mut n = 0;
                for id in 1..=READS_IN_TX {
                    n += tx
                        .all(Item::select().filter(Item::id.eq(id)))
                        .await
                        .unwrap()
                        .len();
                }
                tx.commit().await.unwrap();
                assert_eq!(n as i64, READS_IN_TX);
            })
        });
        g.bench_function("sqlx_query_as", |b| {
            b.to_async(&rt)
                .iter(|| async { assert_eq!(sqlx_reads_in_tx(&s.raw).await, READS_IN_TX) })
        });
        g.bench_function("diesel", |b| {
            b.iter(|| {
                let n = match &s.diesel {
                    DieselConn::Sqlite(c) => {
                        diesel_peer::reads_in_tx_sqlite(&mut c.lock().unwrap())
                    }
                    DieselConn::Postgres(c) => diesel_peer::reads_in_tx_pg(&mut c.lock().unwrap()),
                };
                assert_eq!(n as i64, READS_IN_TX);
            })
        });
        g.finish();

        let mut g = c.benchmark_group(format!("insert_1k_rows/{}", s.label));
        g.sample_size(20);
        g.bench_function("azoth", |b| {
            b.to_async(&rt).iter(|| async {
                let n = s
                    .engine
                    .session()
                    .execute(insert_many(new_items(INSERT_ROWS)))
                    .await
                    .unwrap();
                assert_eq!(n, INSERT_ROWS as u64);
            })
        });
        g.bench_function("sqlx_query_builder", |b| {
            b.to_async(&rt)
                .iter(|| async { sqlx_insert(&s.raw, new_items(INSERT_ROWS)).await })
        });
        g.bench_function("sea_orm", |b| {
            b.to_async(&rt)
                .iter(|| async { sea_peer::insert(&s.sea, new_items(INSERT_ROWS)).await })
        });
        g.bench_function("diesel", |b| {
            b.iter(|| {
                let rows = diesel_peer::new_items(new_items(INSERT_ROWS));
                let n = match &s.diesel {
                    DieselConn::Sqlite(c) => {
                        diesel_peer::insert_sqlite(&mut c.lock().unwrap(), &rows)
                    }
                    DieselConn::Postgres(c) => {
                        diesel_peer::insert_pg(&mut c.lock().unwrap(), &rows)
                    }
                };
                assert_eq!(n, INSERT_ROWS as usize);
            })
        });
        g.finish();
    }
}

criterion_group!(fetch_insert, benches);
criterion_main!(fetch_insert);
