//! Benchmark of `fivecase build`: where the time goes and how much memory
//! it takes, beside LibreOffice converting the same workbook to PDF.
//!
//! Not a timed test: it prints a table for docs/performance.md. Run with
//! `cargo bench --bench build [-- CASE]` (default `fixtures/sample`).
//! Phases are timed in process over warm runs (median); the binary is also
//! timed end to end as a user runs it, cold, with its peak memory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use fivecase::document;
use fivecase::render::pdf::{self, encode, typeset};
use fivecase::{compute, ingest};

const RUNS: usize = 20;
/// Rounds of the end-to-end comparison: each times the binary
/// `BUILDS_PER_ROUND` times, then LibreOffice once.
const ROUNDS: usize = 5;
const BUILDS_PER_ROUND: usize = 3;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident memory of this process so far (VmHWM), in MB.
fn peak_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

struct Phases {
    ingest: Duration,
    compute: Duration,
    document: Duration,
    encode: Duration,
    typeset: Duration,
    export: Duration,
    bytes: usize,
}

fn run(case: &Path, date: NaiveDate) -> Phases {
    let t0 = Instant::now();
    let loaded = ingest::load(case).unwrap_or_else(|d| panic!("{d:?}"));
    let t1 = Instant::now();
    let results = compute::compute(&loaded.case).unwrap_or_else(|e| panic!("{e}"));
    let compared =
        compute::scenario::compare(&loaded.case, &results).unwrap_or_else(|e| panic!("{e}"));
    let compared = (!loaded.case.meta.scenarios.is_empty()).then_some(&compared);
    let t2 = Instant::now();
    let doc = document::build(&loaded.case, &results, compared.map(Into::into), date);
    let t3 = Instant::now();
    let json = pdf::to_json(&encode::encode(&doc)).unwrap_or_else(|e| panic!("{e}"));
    let t4 = Instant::now();
    let doc = typeset::typeset(&json, false).unwrap_or_else(|e| panic!("{e}"));
    let t5 = Instant::now();
    let bytes =
        typeset::export(&doc, &pdf::pdf_meta(&loaded.case, date)).unwrap_or_else(|e| panic!("{e}"));
    let t6 = Instant::now();
    // As `fivecase build` leaves it to a thread nobody waits for; here it
    // is done in full before the next run, so that no run finds another's
    // layouts in typst's caches.
    drop(doc);
    comemo::evict(0);
    Phases {
        ingest: t1 - t0,
        compute: t2 - t1,
        document: t3 - t2,
        encode: t4 - t3,
        typeset: t5 - t4,
        export: t6 - t5,
        bytes: bytes.len(),
    }
}

/// Wall time of one command, and its peak memory through GNU time when installed.
fn timed(cmd: &mut Command) -> (Duration, Option<u64>) {
    let start = Instant::now();
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    let wall = start.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| {
            l.strip_prefix("maxrss_kb=")
                .and_then(|v| v.trim().parse::<u64>().ok())
        })
        .map(|kb| kb / 1024);
    (wall, peak)
}

fn with_time(program: &str) -> Command {
    if Path::new("/usr/bin/time").exists() {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "maxrss_kb=%M", program]);
        c
    } else {
        Command::new(program)
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let case = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(|| root.join("fixtures/sample"), PathBuf::from);
    let date = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();

    let cold = run(&case, date);
    let cold_peak = peak_mb();
    let warm: Vec<Phases> = (0..RUNS).map(|_| run(&case, date)).collect();
    let m = |f: fn(&Phases) -> Duration| median(warm.iter().map(f).collect());
    let (ingest, compute, document, encode, typeset, export) = (
        m(|p| p.ingest),
        m(|p| p.compute),
        m(|p| p.document),
        m(|p| p.encode),
        m(|p| p.typeset),
        m(|p| p.export),
    );
    let own = ingest + compute + document + encode;
    let total = own + typeset + export;

    // The binary as a user runs it, a fresh process each time, and
    // LibreOffice converting the same workbook, taken in turns so that
    // both see the same machine (other builds come and go).
    let out_dir = std::env::temp_dir().join(format!("fivecase-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&out_dir);
    let out = out_dir.join("case.pdf");
    let bin = env!("CARGO_BIN_EXE_fivecase");
    let workbook = std::fs::read_dir(&case)
        .ok()
        .and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        })
        .unwrap_or_else(|| case.clone());
    let soffice = Command::new("soffice").arg("--version").output().is_ok();
    let profile = out_dir.join("lo-profile");
    let convert = || {
        timed(with_time("soffice").args([
            &format!("-env:UserInstallation=file://{}", profile.display()),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            &out_dir.display().to_string(),
            &workbook.display().to_string(),
        ]))
    };
    if soffice {
        // The first conversion creates LibreOffice's profile: not timed.
        let _ = convert();
    }
    let (mut walls, mut bin_peak) = (Vec::new(), None);
    let (mut lo_walls, mut lo_peak) = (Vec::new(), None);
    for _ in 0..ROUNDS {
        for _ in 0..BUILDS_PER_ROUND {
            let (wall, peak) = timed(with_time(bin).args([
                "build",
                &case.display().to_string(),
                "-o",
                &out.display().to_string(),
                "--date",
                "2026-11-20",
            ]));
            walls.push(wall);
            bin_peak = bin_peak.max(peak);
        }
        if soffice {
            let (wall, peak) = convert();
            lo_walls.push(wall);
            lo_peak = lo_peak.max(peak);
        }
    }
    let binary = median(walls);
    let lo = soffice.then(|| (median(lo_walls), lo_peak));
    let _ = std::fs::remove_dir_all(&out_dir);

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "fivecase build on {} ({} bytes of PDF)",
        case.display(),
        cold.bytes
    );
    println!(
        "load average at the end: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!();
    println!("| phase | median of {RUNS} warm runs | first run |");
    println!("|---|---:|---:|");
    for (name, warm, first) in [
        ("ingest", ingest, cold.ingest),
        ("compute", compute, cold.compute),
        (
            "document (every section, table and figure)",
            document,
            cold.document,
        ),
        (
            "encode (charts, table measuring, JSON for typst)",
            encode,
            cold.encode,
        ),
        ("typesetting (typst layout)", typeset, cold.typeset),
        ("PDF export (PDF/A-2b + PDF/UA-1)", export, cold.export),
    ] {
        println!("| {name} | {} | {} |", ms(warm), ms(first));
    }
    println!(
        "| **fivecase's own share** (ingest to encode) | **{}** | |",
        ms(own)
    );
    println!("| **total in process** | **{}** | |", ms(total));
    println!();
    println!(
        "| end to end (fresh process, median of {}, in turns with LibreOffice) | wall | peak memory |",
        ROUNDS * BUILDS_PER_ROUND
    );
    println!("|---|---:|---:|");
    let mb = |p: Option<u64>| p.map_or_else(|| "n/a".to_string(), |v| format!("{v} MB"));
    println!(
        "| `fivecase build` | {} | {} |",
        ms(binary),
        mb(bin_peak.or(cold_peak))
    );
    match lo {
        Some((wall, peak)) => {
            println!(
                "| `soffice --headless --convert-to pdf` (median of {ROUNDS}) | {} | {} |",
                ms(wall),
                mb(peak)
            );
            println!();
            println!(
                "fivecase is {:.1}x faster than LibreOffice end to end",
                wall.as_secs_f64() / binary.as_secs_f64()
            );
        }
        None => println!("| LibreOffice | not installed | |"),
    }
    println!("in-process peak after the first run: {}", mb(cold_peak));
    println!();
    let passes = layout_passes(&case, date);
    println!(
        "typst's layout passes (one more run, timed by typst): {}",
        passes
            .iter()
            .map(|(name, d)| format!("{name} {}", ms(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// How many times typst laid the document out, and how long each pass
/// took, from typst's own timing events.
fn layout_passes(case: &Path, date: NaiveDate) -> Vec<(String, Duration)> {
    let loaded = ingest::load(case).unwrap_or_else(|d| panic!("{d:?}"));
    let results = compute::compute(&loaded.case).unwrap_or_else(|e| panic!("{e}"));
    let compared =
        compute::scenario::compare(&loaded.case, &results).unwrap_or_else(|e| panic!("{e}"));
    let compared = (!loaded.case.meta.scenarios.is_empty()).then_some(&compared);
    let doc = document::build(&loaded.case, &results, compared.map(Into::into), date);
    let json = pdf::to_json(&encode::encode(&doc)).unwrap_or_else(|e| panic!("{e}"));
    typst_timing::clear();
    typst_timing::enable();
    let doc = typeset::typeset(&json, false).unwrap_or_else(|e| panic!("{e}"));
    typst_timing::disable();
    drop(doc);
    comemo::evict(0);
    let mut events = Vec::new();
    let _ = typst_timing::export_json(&mut events, |_| (String::new(), 0));
    let events: Vec<serde_json::Value> = serde_json::from_slice(&events).unwrap_or_default();
    let mut passes = Vec::new();
    let mut open: Vec<(String, f64)> = Vec::new();
    for e in &events {
        let name = e["name"].as_str().unwrap_or_default();
        if !name.starts_with("iter (") {
            continue;
        }
        let at = e["ts"].as_f64().unwrap_or_default();
        if e["ph"] == "B" {
            open.push((name.to_string(), at));
        } else if let Some((name, start)) = open.pop() {
            passes.push((name, Duration::from_secs_f64((at - start).max(0.0) / 1e6)));
        }
    }
    passes
}
