//! Benchmark: fivecase's ingest of a 50,000-row Costs sheet against calamine alone.
//!
//! Generates a workbook (50,000 cost lines × 12 years, with the other sheets a
//! case needs) in the system temporary folder, then times
//! `fivecase::ingest::load` (zip checks, streaming read of every sheet,
//! validation, exact decimals) and calamine's own `worksheet_range` read of
//! the Costs sheet, and prints the ratio. Run with
//! `cargo bench --bench ingest`; docs/performance.md records the results.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx, open_workbook};
use criterion::{Criterion, criterion_group, criterion_main};
use fivecase::schema::{self, assumptions as a, lines as l, options as o, partners as p};
use rust_xlsxwriter::Workbook;

const ROWS: u32 = 50_000;
const YEARS: u16 = 12;

fn generate(path: &Path) {
    let mut wb = Workbook::new();
    let assumptions = wb.add_worksheet();
    assumptions.set_name(schema::ASSUMPTIONS.name).unwrap();
    for (r, (k, v)) in [
        (a::NAME.header, a::VALUE.header),
        (a::BASE_YEAR.name, "2025/26"),
        (a::UNIT.name, "£"),
    ]
    .iter()
    .enumerate()
    {
        let r = u32::try_from(r).unwrap();
        assumptions.write_string(r, 0, *k).unwrap();
        assumptions.write_string(r, 1, *v).unwrap();
    }
    let partners = wb.add_worksheet();
    partners.set_name(schema::PARTNERS.name).unwrap();
    partners.write_string(0, 0, p::PARTNER.header).unwrap();
    partners
        .write_string(0, 1, p::GOVERNMENT_GRANT.header)
        .unwrap();
    for (i, name) in ["Essex", "Kent", "Suffolk", "Norfolk"].iter().enumerate() {
        let r = u32::try_from(i).unwrap() + 1;
        partners.write_string(r, 0, *name).unwrap();
        partners.write_number(r, 1, f64::from(r) * 100.0).unwrap();
    }
    let options = wb.add_worksheet();
    options.set_name(schema::OPTIONS.name).unwrap();
    for (c, h) in [o::OPTION.header, o::NAME.header, o::BASELINE.header]
        .iter()
        .enumerate()
    {
        options
            .write_string(0, u16::try_from(c).unwrap(), *h)
            .unwrap();
    }
    for (r, (id, base)) in [("BAU", "Yes"), ("OPT1", "No")].iter().enumerate() {
        let r = u32::try_from(r).unwrap() + 1;
        options.write_string(r, 0, *id).unwrap();
        options.write_string(r, 1, *id).unwrap();
        options.write_string(r, 2, *base).unwrap();
    }
    for sheet in [schema::COSTS.name, schema::BENEFITS.name] {
        let s = wb.add_worksheet();
        s.set_name(sheet).unwrap();
        let headers = [
            l::OPTION.header,
            l::LINE.header,
            l::COST_TYPE.header,
            l::PARTNER.header,
        ];
        for (c, h) in headers.iter().enumerate() {
            s.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
        }
        for y in 0..YEARS {
            s.write_string(0, 4 + y, format!("{}/{:02}", 2025 + y, (26 + y) % 100))
                .unwrap();
        }
        let costs = sheet == schema::COSTS.name;
        let rows = if costs { ROWS } else { 10 };
        for r in 1..=rows {
            s.write_string(r, 0, if r % 2 == 0 { "BAU" } else { "OPT1" })
                .unwrap();
            s.write_string(r, 1, format!("Line {r}")).unwrap();
            let kind = match (costs, r % 3) {
                (true, 0) => schema::COST_TYPES.names()[0],
                (true, _) => schema::COST_TYPES.names()[1],
                _ => schema::BENEFIT_TYPES.names()[0],
            };
            s.write_string(r, 2, kind).unwrap();
            s.write_string(r, 3, ["", "Essex", "Kent", "All"][(r % 4) as usize])
                .unwrap();
            for y in 0..YEARS {
                // Pence values, as a finance team's workbook holds them.
                let v = f64::from((r * 7919 + u32::from(y) * 104_729) % 10_000_000) / 100.0;
                s.write_number(r, 4 + y, v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn fivecase_ingest(path: &Path) {
    let loaded = fivecase::ingest::load(path).expect("the generated case is valid");
    assert_eq!(loaded.case.costs.len(), ROWS as usize);
    black_box(loaded);
}

fn calamine_alone(path: &Path) {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(schema::COSTS.name).unwrap();
    assert_eq!(range.height(), ROWS as usize + 1);
    black_box(range);
}

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// The generated workbook: in `FIVECASE_BENCH_DIR` when set (and kept there,
/// e.g. to measure `fivecase check` on it), else in a temporary folder.
fn workbook() -> PathBuf {
    let dir = std::env::var_os("FIVECASE_BENCH_DIR").map_or_else(
        || std::env::temp_dir().join(format!("fivecase-bench-ingest-{}", std::process::id())),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("costs-50000.xlsx");
    generate(&path);
    path
}

fn bench(c: &mut Criterion) {
    let path = workbook();
    let mut group = c.benchmark_group("ingest 50,000-row Costs sheet");
    group.sample_size(10);
    group.bench_function("fivecase ingest::load", |b| {
        b.iter(|| fivecase_ingest(&path));
    });
    group.bench_function("calamine worksheet_range", |b| {
        b.iter(|| calamine_alone(&path));
    });
    group.finish();

    let ours = median(|| fivecase_ingest(&path), 7);
    let theirs = median(|| calamine_alone(&path), 7);
    println!(
        "fivecase ingest {:.0} ms, calamine alone {:.0} ms: ratio {:.2} (median of 7)",
        ours.as_secs_f64() * 1000.0,
        theirs.as_secs_f64() * 1000.0,
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    if std::env::var_os("FIVECASE_BENCH_DIR").is_none() {
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
