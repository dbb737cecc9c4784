//! Benchmarks of the quantified risk analysis (results in docs/performance.md):
//! - `risk/sample`: 10,000 iterations of the sample case (`fixtures/sample`,
//!   every option, the preferred option's partners, the gap after the case)
//!   on every core;
//! - `risk/national`: 1,000 iterations of the national-scale synthetic case
//!   (43 partners, 12 options, 5,000 cost and 5,000 benefit lines, 60 years)
//!   with a range on every line and every risk.
//!
//! Run with `cargo bench --bench risk`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fivecase::compute::{self, risk, synthetic};
use fivecase::ingest;
use fivecase::model::{Case, Iterations, RiskSettings};

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

fn analyse(case: &Case, iterations: u32) -> u32 {
    let results = compute::compute(case).expect("computes");
    let run = risk::Run {
        settings: RiskSettings {
            iterations: Iterations::Fixed(iterations),
            ..RiskSettings::default()
        },
        threads: threads(),
    };
    risk::analyse(case, &results, &run, &|_, _| {})
        .expect("analyses")
        .iterations
}

fn sample(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    let case = ingest::load(&dir).unwrap_or_else(|d| panic!("{d:?}")).case;
    let mut group = c.benchmark_group("risk");
    group.throughput(Throughput::Elements(10_000));
    group.sample_size(10);
    group.bench_function("sample, 10000 iterations", |b| {
        b.iter(|| analyse(black_box(&case), 10_000));
    });
    group.finish();
}

fn national(c: &mut Criterion) {
    let case = synthetic::with_ranges(synthetic::large(43, 12, 5_000, 60));
    let mut group = c.benchmark_group("risk");
    group.throughput(Throughput::Elements(1_000));
    group.sample_size(10);
    group.bench_function("national, 1000 iterations", |b| {
        b.iter(|| analyse(black_box(&case), 1_000));
    });
    group.finish();
}

criterion_group!(benches, sample, national);
criterion_main!(benches);
