//! Every committed fuzz input, replayed as an ordinary test.
//!
//! `fuzz/corpus/<target>/` holds each target's minimised corpus (seeded from
//! the fixtures) and `tests/fuzz-crashes/<target>/` every input a fuzzer
//! found that once broke a promise and no longer does;
//! `tests/fuzz-crashes/open/<target>/` holds those not fixed yet, replayed by
//! the ignored test `open_crashes` (`cargo test -- --ignored`). Each runs through the same harness the
//! fuzz target calls (`fivecase::fuzzing`), which panics where fivecase would
//! panic or fail without a location. No fuzzing happens here: the inputs are
//! fixed, so the suite stays fast and deterministic (docs/reliability.md).

use std::fs;
use std::path::{Path, PathBuf};

use fivecase::fuzzing;

/// The inputs of `target` in the corpus and crash folders, sorted by path.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    files(&[
        root.join("fuzz/corpus").join(target),
        root.join("tests/fuzz-crashes").join(target),
    ])
}

/// Every file of `dirs` but their READMEs, sorted by path.
fn files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        out.extend(
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_file() && p.file_name().is_none_or(|n| n != "README.md")),
        );
    }
    out.sort();
    out
}

/// A target's harness in `fivecase::fuzzing`.
type Harness = fn(&[u8]);

/// Runs every input of `target` through `harness`, naming the one that fails.
fn replay(target: &str, harness: fn(&[u8]), at_least: usize) {
    run_all(target, &inputs(target), harness, at_least);
}

fn run_all(target: &str, inputs: &[PathBuf], harness: fn(&[u8]), at_least: usize) {
    assert!(
        inputs.len() >= at_least,
        "{target}: expected at least {at_least} committed inputs, found {}",
        inputs.len()
    );
    for path in inputs {
        let data = fs::read(path).unwrap();
        let result = std::panic::catch_unwind(|| harness(&data));
        assert!(
            result.is_ok(),
            "{target}: {} breaks a promise",
            path.display()
        );
    }
}

#[test]
fn case_toml() {
    replay("case_toml", fuzzing::case_toml, 3);
}

#[test]
fn portfolio_toml() {
    replay("portfolio_toml", fuzzing::portfolio_toml, 1);
}

#[test]
fn narrative() {
    replay("narrative", fuzzing::narrative, 6);
}

#[test]
fn sheet_xml() {
    replay("sheet_xml", fuzzing::sheet_xml, 8);
}

#[test]
fn workbook_bytes() {
    replay("workbook_bytes", fuzzing::workbook_bytes, 3);
}

#[test]
fn structured() {
    replay("structured", fuzzing::structured, 1);
}

#[test]
fn risk() {
    replay("risk", fuzzing::risk, 1);
}

/// The replay can fail: a harness that panics is reported with its input.
#[test]
#[should_panic(expected = "breaks a promise")]
fn a_failing_input_fails_the_replay() {
    fn broken(data: &[u8]) {
        assert!(data.is_empty(), "a promise broken");
    }
    replay("case_toml", broken, 1);
}

/// The inputs a fuzzer found that still break a promise, each under its
/// target's folder of `tests/fuzz-crashes/open/`; docs/reliability.md says
/// what each one does and whose fix it waits for.
#[test]
#[ignore = "inputs the fuzzers found that are not fixed yet: see docs/reliability.md"]
fn open_crashes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-crashes/open");
    let targets: [(&str, Harness); 7] = [
        ("case_toml", fuzzing::case_toml),
        ("portfolio_toml", fuzzing::portfolio_toml),
        ("narrative", fuzzing::narrative),
        ("sheet_xml", fuzzing::sheet_xml),
        ("workbook_bytes", fuzzing::workbook_bytes),
        ("structured", fuzzing::structured),
        ("risk", fuzzing::risk),
    ];
    for (target, harness) in targets {
        run_all(target, &files(&[root.join(target)]), harness, 0);
    }
}
