//! Benchmark of the model workbook (`fivecase export`), results in
//! docs/performance.md:
//! - `export/sample`: the sample case (7 partners, 3 options, 10 years);
//! - `export/sample-scenarios`: the same with its five scenarios' outcomes
//!   (the Scenarios sheet), as `fivecase export` writes it;
//! - `export/large`: the engine's large synthetic case (43 partners, 12
//!   options, 5,000 cost and 5,000 benefit lines, 60 years).
//!
//! Each times `render::xlsx::model_workbook` alone (the engine's results are
//! computed once, outside the timing). Before timing, it prints the size of
//! each workbook and the process's peak memory after building the large one.
//! Run with `cargo bench --bench export`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use fivecase::compute::{self, synthetic};
use fivecase::ingest;
use fivecase::render::xlsx;

/// The process's peak resident memory (VmHWM), as Linux reports it.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn export(c: &mut Criterion) {
    let sample = ingest::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample"))
        .expect("the sample case loads")
        .case;
    let sample_results = compute::compute(&sample).expect("the sample case computes");
    let bytes = xlsx::model_workbook(&sample, &sample_results, &[]).expect("sample export");
    println!("export/sample: {} bytes", bytes.len());
    let outcomes = compute::run_case(&sample)
        .expect("the sample's scenarios run")
        .scenarios;
    let bytes = xlsx::model_workbook(&sample, &sample_results, &outcomes).expect("sample export");
    println!("export/sample-scenarios: {} bytes", bytes.len());

    let large = synthetic::large(43, 12, 5_000, 60);
    let large_results = compute::compute(&large).expect("the large case computes");
    let bytes = xlsx::model_workbook(&large, &large_results, &[]).expect("large export");
    println!(
        "export/large: {} bytes; peak memory after one export: {}",
        bytes.len(),
        peak_memory()
    );

    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.bench_function("sample", |b| {
        b.iter(|| xlsx::model_workbook(black_box(&sample), &sample_results, &[]).map(|v| v.len()));
    });
    group.bench_function("sample-scenarios", |b| {
        b.iter(|| {
            xlsx::model_workbook(black_box(&sample), &sample_results, &outcomes).map(|v| v.len())
        });
    });
    group.bench_function("large", |b| {
        b.iter(|| xlsx::model_workbook(black_box(&large), &large_results, &[]).map(|v| v.len()));
    });
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
