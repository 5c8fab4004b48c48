//! Building and rendering statements to PostgreSQL SQL with their bound values: a trivial select,
//! a medium select (a join, three filters, an order, a limit), an insert of 100 rows, an update
//! with two sets and an upsert. azoth (through its render-once cache, and rendered afresh) against
//! sea-query by hand, Diesel, SeaORM's query builder and the floor (`format!` + pushing values).
//! `benches/src/build.rs` holds the statements; its tests check that every peer renders the same.

use std::hint::black_box;
use std::time::{Duration, Instant};

use azoth_benches::build::{
    Row, azoth_peer, diesel_peer, floor, rows, sea_orm_peer, sea_query_peer,
};
use criterion::{Criterion, criterion_group, criterion_main};

type Job = Box<dyn FnOnce() + Send>;

/// A thread whose render-once cache is full of other shapes, so that azoth renders each
/// statement it is given afresh (filled once: filling takes a while).
struct Uncached(std::sync::mpsc::Sender<Job>);

impl Uncached {
    fn start() -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        std::thread::spawn(move || {
            azoth_peer::fill_cache();
            for job in rx {
                job();
            }
        });
        Uncached(tx)
    }

    /// Times `iters` runs of `f` on the thread.
    fn time<R>(&self, iters: u64, f: impl Fn() -> R + Send + 'static) -> Duration {
        let (tx, rx) = std::sync::mpsc::channel();
        self.0
            .send(Box::new(move || {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(f());
                }
                let _ = tx.send(start.elapsed());
            }))
            .unwrap();
        rx.recv().unwrap()
    }
}

fn build_and_render(c: &mut Criterion) {
    let worker = &Uncached::start();
    let mut g = c.benchmark_group("build_trivial_select");
    g.bench_function("azoth", |b| b.iter(|| azoth_peer::trivial(black_box(7))));
    g.bench_function("azoth_uncached", |b| {
        b.iter(|| azoth_peer::trivial_uncached(black_box(7)))
    });
    g.bench_function("sea_query_by_hand", |b| {
        b.iter(|| sea_query_peer::trivial(black_box(7)))
    });
    g.bench_function("diesel", |b| b.iter(|| diesel_peer::trivial(black_box(7))));
    g.bench_function("sea_orm", |b| {
        b.iter(|| sea_orm_peer::trivial(black_box(7)))
    });
    g.bench_function("floor", |b| b.iter(|| floor::trivial(black_box(7))));
    g.finish();

    let args = || (black_box(7), black_box(3), black_box("%rust%"));
    let mut g = c.benchmark_group("build_medium_select");
    g.bench_function("azoth", |b| {
        b.iter(|| {
            let (a, l, n) = args();
            azoth_benches::azoth_medium(a, l, n)
        })
    });
    g.bench_function("azoth_uncached", |b| {
        b.iter(|| {
            let (a, l, n) = args();
            azoth_peer::medium_uncached(a, l, n)
        })
    });
    g.bench_function("sea_query_by_hand", |b| {
        b.iter(|| {
            let (a, l, n) = args();
            sea_query_peer::medium(a, l, n)
        })
    });
    g.bench_function("diesel", |b| {
        b.iter(|| {
            let (a, l, n) = args();
            diesel_peer::medium(a, l, n)
        })
    });
    g.bench_function("sea_orm", |b| {
        b.iter(|| {
            let (a, l, n) = args();
            sea_orm_peer::medium(a, l, n)
        })
    });
    g.bench_function("floor", |b| {
        b.iter(|| {
            let (a, l, n) = args();
            floor::medium(a, l, n)
        })
    });
    g.finish();

    let rs: Vec<Row> = rows(100);
    let mut g = c.benchmark_group("build_insert_100_rows");
    g.bench_function("azoth", |b| b.iter(|| azoth_peer::insert(black_box(&rs))));
    g.bench_function("azoth_uncached", |b| {
        let rs = rs.clone();
        b.iter_custom(move |n| {
            let rs = rs.clone();
            worker.time(n, move || azoth_peer::insert(black_box(&rs)))
        })
    });
    g.bench_function("sea_query_by_hand", |b| {
        b.iter(|| sea_query_peer::insert(black_box(&rs)))
    });
    g.bench_function("diesel", |b| b.iter(|| diesel_peer::insert(black_box(&rs))));
    g.bench_function("sea_orm", |b| {
        b.iter(|| sea_orm_peer::insert(black_box(&rs)))
    });
    g.bench_function("floor", |b| b.iter(|| floor::insert(black_box(&rs))));
    g.finish();

    let args = || (black_box(7), black_box("ann"), black_box(3));
    let mut g = c.benchmark_group("build_update_two_sets");
    g.bench_function("azoth", |b| {
        b.iter(|| {
            let (i, n, k) = args();
            azoth_peer::update(i, n, k)
        })
    });
    g.bench_function("azoth_uncached", |b| {
        b.iter_custom(|n| {
            worker.time(n, move || {
                let (i, n, k) = args();
                azoth_peer::update(i, n, k)
            })
        })
    });
    g.bench_function("sea_query_by_hand", |b| {
        b.iter(|| {
            let (i, n, k) = args();
            sea_query_peer::update(i, n, k)
        })
    });
    g.bench_function("diesel", |b| {
        b.iter(|| {
            let (i, n, k) = args();
            diesel_peer::update(i, n, k)
        })
    });
    g.bench_function("sea_orm", |b| {
        b.iter(|| {
            let (i, n, k) = args();
            sea_orm_peer::update(i, n, k)
        })
    });
    g.bench_function("floor", |b| {
        b.iter(|| {
            let (i, n, k) = args();
            floor::update(i, n, k)
        })
    });
    g.finish();

    let one = rs[0].clone();
    let mut g = c.benchmark_group("build_upsert");
    g.bench_function("azoth", |b| b.iter(|| azoth_peer::upsert(black_box(&one))));
    g.bench_function("azoth_uncached", |b| {
        let one = one.clone();
        b.iter_custom(move |n| {
            let one = one.clone();
            worker.time(n, move || azoth_peer::upsert(black_box(&one)))
        })
    });
    g.bench_function("sea_query_by_hand", |b| {
        b.iter(|| sea_query_peer::upsert(black_box(&one)))
    });
    g.bench_function("diesel", |b| {
        b.iter(|| diesel_peer::upsert(black_box(&one)))
    });
    g.bench_function("sea_orm", |b| {
        b.iter(|| sea_orm_peer::upsert(black_box(&one)))
    });
    g.bench_function("floor", |b| b.iter(|| floor::upsert(black_box(&one))));
    g.finish();
}

criterion_group!(benches, build_and_render);
criterion_main!(benches);
