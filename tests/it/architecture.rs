//! The layering invariants of ARCHITECTURE.md, checked on the source.
//!
//! `compute/` is pure: it never does IO, never sees the workbook reader, the
//! typesetter or the xlsx writer, and never touches floating point. These
//! tests read its source so that a change breaking the rule fails here, not
//! in review.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines of code in `dir`, comments dropped, with their file and line number.
fn code_lines(dir: &str) -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("source file is UTF-8");
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            out.push((file.display().to_string(), i + 1, code.to_string()));
        }
    }
    out
}

fn offending(dir: &str, forbidden: &[&str]) -> Vec<String> {
    code_lines(dir)
        .into_iter()
        .filter(|(_, _, code)| {
            forbidden.iter().any(|word| {
                code.match_indices(word).any(|(at, _)| {
                    let before = code[..at].chars().next_back();
                    let after = code[at + word.len()..].chars().next();
                    let ident =
                        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    !ident(before) && !ident(after)
                })
            })
        })
        .map(|(file, line, code)| format!("{file}:{line}: {}", code.trim()))
        .collect()
}

#[test]
fn compute_does_no_io_and_no_floating_point() {
    let bad = offending(
        "src/compute",
        &[
            "f64",
            "f32",
            "calamine",
            "typst",
            "typst_pdf",
            "rust_xlsxwriter",
            "std::fs",
            "fs",
            "std::io",
            "std::path",
            "Path",
            "PathBuf",
            "std::net",
            "std::process",
            "std::env",
            "SystemTime",
            "Instant",
            "Utc",
            "Local",
            "ingest",
            "render",
            "cmd",
            "cli",
        ],
    );
    assert!(
        bad.is_empty(),
        "compute must stay pure:\n{}",
        bad.join("\n")
    );
}

#[test]
fn model_and_params_are_plain_data() {
    for dir in ["src/model", "src/params"] {
        let bad = offending(
            dir,
            &[
                "f64",
                "f32",
                "calamine",
                "typst",
                "rust_xlsxwriter",
                "std::fs",
                "std::io",
                "ingest",
                "compute",
                "render",
                "cmd",
            ],
        );
        assert!(
            bad.is_empty(),
            "{dir} must stay plain data:\n{}",
            bad.join("\n")
        );
    }
}

#[test]
fn the_checker_itself_catches_a_violation() {
    // Guard against a check that can never fail: the forbidden-word scan must
    // see this very file's use of `fs`.
    let bad = offending("tests/it", &["fs"]);
    assert!(bad.iter().any(|l| l.contains("architecture.rs")), "{bad:?}");
}
