//! Benchmark of the case engine on a large synthetic case: 43 partners,
//! 12 options, 5,000 cost lines and 5,000 benefit lines, 60 years.
//!
//! Run with `cargo bench --bench compute`; results and peak memory are
//! recorded in docs/performance.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fivecase::compute::{self, synthetic};

fn large_case(c: &mut Criterion) {
    let case = synthetic::large(43, 12, 5_000, 60);
    c.bench_function(
        "compute large case (43 partners, 12 options, 5,000+5,000 lines, 60 years)",
        |b| {
            b.iter(|| compute::compute(black_box(&case)).map(|r| r.options.len()));
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = large_case
}
criterion_main!(benches);
