//! Benchmark of the HTML and Word exporters, and of `fivecase watch` from a
//! saved change to the finished PDF.
//!
//! Not a timed test: it prints rows for docs/performance.md. Run with
//! `cargo bench --bench formats [-- CASE]` (default `fixtures/sample`).
//! The exporters are timed in process on the sample's Document (median of
//! 20 warm runs). `watch` is timed as a user meets it: the release binary
//! watches a copy of the case, a narrative file is saved, and the time from
//! the save to the line saying the PDF is written is measured; the build's
//! own time, as `watch` prints it, is subtracted to give what watching adds
//! (the debounce and the event's way in).

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fivecase::document;
use fivecase::render::{docx, html};
use fivecase::{compute, ingest};

const RUNS: usize = 20;
const SAVES: usize = 9;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn copy_case(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("narrative")).unwrap_or_else(|e| panic!("{e}"));
    for f in ["case.toml", "workbook.xlsx"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap_or_else(|e| panic!("{e}"));
    }
    for e in std::fs::read_dir(from.join("narrative")).unwrap_or_else(|e| panic!("{e}")) {
        let p = e.unwrap_or_else(|e| panic!("{e}")).path();
        std::fs::copy(
            &p,
            to.join("narrative").join(p.file_name().unwrap_or_default()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// (save → PDF written, the build's own time as `watch` printed it), per save.
fn watch_latency(case: &Path) -> Vec<(Duration, Duration)> {
    let dir = std::env::temp_dir().join(format!("fivecase-bench-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_case(case, &dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_fivecase"))
        .args(["watch", &dir.display().to_string(), "--format", "pdf"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send((Instant::now(), line));
        }
    });
    let built = |rx: &mpsc::Receiver<(Instant, String)>| loop {
        let (at, line) = rx
            .recv_timeout(Duration::from_mins(1))
            .unwrap_or_else(|e| panic!("watch said nothing: {e}"));
        if let Some(rest) = line.strip_prefix("built in ") {
            let n: u64 = rest
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_default();
            return (at, Duration::from_millis(n));
        }
    };
    built(&rx);
    let narrative = dir.join("narrative/strategic.md");
    let text = std::fs::read_to_string(&narrative).unwrap_or_default();
    let mut out = Vec::new();
    for i in 0..SAVES {
        std::thread::sleep(Duration::from_millis(300));
        let saved = Instant::now();
        std::fs::write(&narrative, format!("{text}\nSave {i}.\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        let (at, own) = built(&rx);
        out.push((at - saved, own));
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let case = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(|| root.join("fixtures/sample"), PathBuf::from);
    let loaded = ingest::load(&case).unwrap_or_else(|d| panic!("{d:?}"));
    let results = compute::compute(&loaded.case).unwrap_or_else(|e| panic!("{e}"));
    let compared =
        compute::scenario::compare(&loaded.case, &results).unwrap_or_else(|e| panic!("{e}"));
    let compared = (!loaded.case.meta.scenarios.is_empty()).then_some(&compared);
    let date = loaded.case.meta.date.unwrap_or_default();
    let doc = document::build(&loaded.case, &results, compared.map(Into::into), date);

    let time = |f: &dyn Fn() -> usize| {
        let bytes = f();
        let runs: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        (median(runs), bytes)
    };
    let (html_t, html_b) = time(&|| html::render(&doc).len());
    let (docx_t, docx_b) = time(&|| docx::render(&doc).map(|b| b.len()).unwrap_or_default());

    let saves = watch_latency(&case);
    let latency = median(saves.iter().map(|s| s.0).collect());
    let own = median(saves.iter().map(|s| s.1).collect());
    let added = median(saves.iter().map(|s| s.0.saturating_sub(s.1)).collect());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();

    println!(
        "formats on {} (load average {})",
        case.display(),
        load.trim()
    );
    println!("| step | median | size |");
    println!("|---|---|---|");
    println!(
        "| HTML exporter (in process, {RUNS} runs) | {} | {html_b} bytes |",
        ms(html_t)
    );
    println!(
        "| Word exporter, charts rasterised at 150 dpi (in process, {RUNS} runs) | {} | {docx_b} bytes |",
        ms(docx_t)
    );
    println!(
        "| `watch --format pdf`: save → PDF written ({SAVES} saves) | {} | the build's own time {}; watching adds {} |",
        ms(latency),
        ms(own),
        ms(added)
    );
}
