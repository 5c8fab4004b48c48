//! Building and rendering a medium query (a join, three filters, an order, a limit) to
//! PostgreSQL SQL: azoth against the same query hand-built with sea-query.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

fn build_and_render(c: &mut Criterion) {
    let mut g = c.benchmark_group("medium_query_to_postgres");
    g.bench_function("azoth", |b| {
        b.iter(|| azoth_benches::azoth_medium(black_box(7), black_box(3), black_box("%rust%")))
    });
    g.bench_function("sea_query_by_hand", |b| {
        b.iter(|| azoth_benches::sea_query_medium(black_box(7), black_box(3), black_box("%rust%")))
    });
    g.finish();
}

criterion_group!(benches, build_and_render);
criterion_main!(benches);
