//! Benchmarks of the case engine (results in docs/performance.md):
//! - `compute`: a large synthetic case, 43 partners, 12 options, 5,000 cost
//!   lines and 5,000 benefit lines, 60 years;
//! - `sweep`: 10,000 generated scenarios over a sample-sized case, on two
//!   threads, each computing the headline results (npsv and bcr of every
//!   option, the cash view, apportionment, the gap remaining).
//!
//! Run with `cargo bench --bench compute`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fivecase::compute::{self, scenario, synthetic};

fn large_case(c: &mut Criterion) {
    let case = synthetic::large(43, 12, 5_000, 60);
    c.bench_function("compute/large", |b| {
        b.iter(|| compute::compute(black_box(&case)).map(|r| r.options.len()));
    });
}

fn sweep(c: &mut Criterion) {
    let case = synthetic::sample_like();
    let specs = synthetic::scenario_specs(&case, 10_000);
    let mut group = c.benchmark_group("sweep");
    group.throughput(Throughput::Elements(10_000));
    group.sample_size(10);
    group.bench_function("10000 scenarios, 2 threads", |b| {
        b.iter(|| {
            let out = scenario::sweep(black_box(&case), &specs, 2);
            assert!(out.iter().all(Result::is_ok));
            out.len()
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = large_case, sweep
}
criterion_main!(benches);
