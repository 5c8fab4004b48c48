//! `stream` holds one row at a time: over 200 000 rows its peak memory stays a small fraction of
//! what `all` needs for the same rows. Measured with a counting allocator, not a timer; this file
//! holds a single test so nothing else allocates meanwhile.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use azoth::prelude::*;
use futures::TryStreamExt;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak bytes allocated above the level at the start of `f`.
async fn peak_during<F: std::future::Future<Output = T>, T>(f: F) -> (T, usize) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f.await;
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

azoth::model! {
    #[table = "stream_rows"]
    pub struct Item {
        #[primary_key] pub id: i64,
        pub label: String,
        pub n: i32,
    }
}

const ROWS: i32 = 200_000;

#[tokio::test(flavor = "current_thread")]
async fn stream_holds_one_row_at_a_time() {
    for engine in common::engines("stream_memory").await {
        let db = common::name(&engine);
        engine.create_all::<(Item,)>().await.unwrap();
        let mut s = engine.session();
        let rows = (0..ROWS).map(|i| NewItem {
            label: format!("item number {i:08}"),
            n: i % 7,
        });
        assert_eq!(
            s.execute(insert_many(rows)).await.unwrap(),
            ROWS as u64,
            "{db}"
        );

        let ((count, sum), streamed) = peak_during(async {
            let mut stream = s.stream(Item::select());
            let (mut count, mut sum) = (0u64, 0i64);
            while let Some(item) = stream.try_next().await.unwrap() {
                count += 1;
                sum += i64::from(item.n);
            }
            (count, sum)
        })
        .await;
        assert_eq!(count, ROWS as u64, "{db}");
        assert_eq!(
            sum,
            (0..ROWS).map(|i| i64::from(i % 7)).sum::<i64>(),
            "{db}"
        );

        let (all, collected) = peak_during(s.all(Item::select())).await;
        assert_eq!(all.unwrap().len(), ROWS as usize, "{db}");
        eprintln!("{db}: peak while streaming {streamed} B, while collecting {collected} B");
        assert!(
            streamed < 4 << 20,
            "{db}: streaming peaked at {streamed} bytes"
        );
        assert!(
            streamed * 8 < collected,
            "{db}: streaming {streamed} B vs collecting {collected} B"
        );
    }
}
