//! Benchmark of the programme view (results in docs/performance.md): a
//! synthetic programme of 500 cases across 43 forces, every case read from
//! its workbook, validated, computed and rolled up, the cases read in
//! parallel on the machine's cores.
//!
//! Run with `cargo bench --bench portfolio`. The programme is written once
//! to `target/portfolio-bench/` (left there, so the binary can be timed on
//! it too: `/usr/bin/time -v target/release/fivecase portfolio show --json
//! target/portfolio-bench > /dev/null`).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};

fn programme(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/portfolio-bench");
    if !dir.join("portfolio.toml").is_file() {
        fivecase::portfolio::sample::write_synthetic(&dir, 500, 43)
            .unwrap_or_else(|(p, e)| panic!("{}: {e}", p.display()));
    }
    let mut group = c.benchmark_group("portfolio");
    group.sample_size(10);
    group.bench_function("500 cases x 43 forces", |b| {
        b.iter(|| {
            let loaded = fivecase::portfolio::load(black_box(&dir)).unwrap();
            assert_eq!(loaded.programme.cases.len(), 500);
            assert_eq!(loaded.programme.partners.len(), 43);
            loaded.programme.total.len()
        });
    });
    group.finish();
}

criterion_group!(benches, programme);
criterion_main!(benches);
