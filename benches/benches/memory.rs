//! Peak heap of reading 200 000 rows: `session.all(..)` (every row in a `Vec`) against
//! `session.stream(..)` (one row at a time, each dropped after it is counted), on a SQLite file and
//! on PostgreSQL when `AZOTH_BENCH_POSTGRES_URL` is set. A counting global allocator records the
//! largest number of live heap bytes above what was live before each read. Results are printed
//! and written to `target/criterion/memory.json` for `benches/run.sh`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use azoth::prelude::*;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded to the system allocator with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded to the system allocator; `ptr` came from it with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let live = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

azoth::model! {
    #[table = "bench_mem_items"]
    pub struct Item {
        #[primary_key] pub id: i64,
        pub name: String,
        pub email: String,
        pub karma: i32,
    }
}

const ROWS: i64 = 200_000;

/// Peak live heap bytes while `f` runs, above those live when it starts.
async fn peak_of<F: std::future::Future<Output = usize>>(f: F) -> (usize, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let n = f.await;
    (PEAK.load(Ordering::Relaxed) - base, n)
}

async fn measure(label: &str, url: &str) -> String {
    let engine = Engine::connect(url).await.expect("database");
    engine.drop_all::<(Item,)>().await.unwrap();
    engine.create_all::<(Item,)>().await.unwrap();
    let mut s = engine.session();
    for chunk in 0..(ROWS / 10_000) {
        s.execute(insert_many((0..10_000).map(|i| {
            let i = chunk * 10_000 + i;
            NewItem {
                name: format!("user {i}"),
                email: format!("user{i}@example.org"),
                karma: i as i32,
            }
        })))
        .await
        .unwrap();
    }
    // Warm the pool and the caches so that neither read pays for them.
    let _ = s.all(Item::select().limit(10)).await.unwrap();
    let (all_peak, n_all) = peak_of(async {
        let rows = s.all(Item::select()).await.unwrap();
        rows.len()
    })
    .await;
    let (stream_peak, n_stream) = peak_of(async {
        let mut n = 0usize;
        let mut rows = s.stream(Item::select());
        while let Some(row) = rows.try_next().await.unwrap() {
            std::hint::black_box(&row);
            n += 1;
        }
        n
    })
    .await;
    assert_eq!(n_all, ROWS as usize);
    assert_eq!(n_stream, ROWS as usize);
    engine.drop_all::<(Item,)>().await.unwrap();
    println!(
        "memory/{label}: all() of {ROWS} rows peak {:.1} MiB, stream() peak {:.2} MiB",
        all_peak as f64 / 1048576.0,
        stream_peak as f64 / 1048576.0
    );
    format!(
        "\"{label}\": {{\"rows\": {ROWS}, \"all_peak_bytes\": {all_peak}, \"stream_peak_bytes\": {stream_peak}}}"
    )
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut parts = Vec::new();
    let path = std::env::temp_dir().join("azoth-bench-memory.db");
    let _ = std::fs::remove_file(&path);
    parts.push(rt.block_on(measure("sqlite", &format!("sqlite:{}", path.display()))));
    if let Ok(url) = std::env::var("AZOTH_BENCH_POSTGRES_URL") {
        parts.push(rt.block_on(measure("postgres", &url)));
    } else {
        eprintln!("AZOTH_BENCH_POSTGRES_URL is not set: PostgreSQL skipped");
    }
    let dir = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_owned());
    let out = std::path::Path::new(&dir).join("criterion");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("memory.json"),
        format!("{{{}}}\n", parts.join(", ")),
    )
    .unwrap();
}
