//! Every fixture case against the outputs expected of it, kept beside it.
//!
//! A fixture case is a folder under `fixtures/` holding a `case.toml` (a
//! case folder) or only a `workbook.xlsx` (a bare workbook); folders under
//! `fixtures/errors/` are cases that must be refused. For each, the binary
//! runs as a user would, from the repository root, and what it prints
//! (exit code, stdout, stderr) is compared with the insta snapshots in the
//! case's `expected/` folder:
//!
//! | snapshot | command |
//! |---|---|
//! | `check.snap` | `fivecase check CASE` |
//! | `compute.snap` | `fivecase compute CASE` |
//! | `compute-json.snap` | `fivecase compute --json CASE` |
//! | `scenarios.snap` | `fivecase scenarios CASE` |
//! | `scenarios-json.snap` | `fivecase scenarios --json CASE` |
//! | `risk.snap` | `fivecase risk CASE` (10,000 iterations, seed 1) |
//! | `risk-json.snap` | `fivecase risk --json CASE` |
//!
//! Adding a case is adding a folder. After a change that is meant to alter
//! outputs, regenerate every expectation and review the diff:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test it fixtures::
//! git diff fixtures/
//! ```
//!
//! Under CI a missing or different snapshot fails (insta never writes there).

use std::path::{Path, PathBuf};

use crate::support::run_in;

/// The commands each case is run through, and the snapshot each is kept in.
const COMMANDS: &[(&str, &[&str])] = &[
    ("check", &["check"]),
    ("compute", &["compute"]),
    ("compute-json", &["compute", "--json"]),
    ("scenarios", &["scenarios"]),
    ("scenarios-json", &["scenarios", "--json"]),
    ("risk", &["risk"]),
    ("risk-json", &["risk", "--json"]),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture case, as the argument a user would type from the root.
fn cases() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for parent in ["fixtures", "fixtures/errors"] {
        let Ok(entries) = std::fs::read_dir(root().join(parent)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let arg = if dir.join("case.toml").is_file() {
                format!("{parent}/{name}")
            } else if dir.join("workbook.xlsx").is_file() {
                format!("{parent}/{name}/workbook.xlsx")
            } else {
                continue;
            };
            out.push((dir, arg));
        }
    }
    out
}

/// What one run printed, as one reviewable text.
fn transcript(args: &[&str]) -> String {
    let run = run_in(&root(), args);
    format!(
        "$ fivecase {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        run.code,
        run.stdout,
        run.stderr
    )
}

fn check_case(dir: &Path, arg: &str) {
    let expected = dir.join("expected");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&expected);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(dir);
    settings.bind(|| {
        for (name, command) in COMMANDS {
            let mut args = command.to_vec();
            args.push(arg);
            insta::assert_snapshot!(*name, transcript(&args));
        }
    });
}

#[test]
fn every_fixture_case_prints_what_is_expected_of_it() {
    let cases = cases();
    let names: Vec<&str> = cases.iter().map(|(_, a)| a.as_str()).collect();
    // The three cases the tool is known by must be found, or this test checks nothing.
    for known in [
        "fixtures/sample",
        "fixtures/east-midlands",
        "fixtures/minimal/workbook.xlsx",
    ] {
        assert!(names.contains(&known), "{known} not found among {names:?}");
    }
    for (dir, arg) in &cases {
        check_case(dir, arg);
    }
}

#[test]
fn error_cases_are_refused_with_exit_1() {
    // Every case under fixtures/errors must fail `check` (and so every command).
    for (_, arg) in cases()
        .iter()
        .filter(|(_, a)| a.starts_with("fixtures/errors/"))
    {
        let run = run_in(&root(), &["check", arg]);
        assert_eq!(run.code, 1, "{arg}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{arg}: {}", run.stdout);
    }
}
