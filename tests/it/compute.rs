//! `fivecase compute` through the real binary, and the engine's purity invariant.

use std::path::Path;
use std::process::Command;

fn fivecase(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fivecase"))
        .args(args)
        .output()
        .expect("the fivecase binary runs")
}

/// The engine does no IO and no floating point: no source file under
/// src/compute mentions a file, path, workbook or typesetting crate, or f64.
#[test]
fn compute_imports_nothing_that_does_io_or_floating_point() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/compute");
    let forbidden = [
        "std::fs",
        "std::path",
        "std::io",
        "std::net",
        "std::env",
        "std::time",
        "calamine",
        "typst",
        "rust_xlsxwriter",
        "crate::ingest",
        "crate::output",
        "crate::render",
        "f64",
        "f32",
        "from_f64",
        "to_f64",
    ];
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            files += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may use the renderers' formatting to compare published figures.
            // Comments may name what the engine avoids; code may not.
            let code: String = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{} mentions {word}: compute must stay pure",
                    path.display()
                );
            }
        }
    }
    assert!(
        files >= 8,
        "expected the engine's modules, found {files} files"
    );
}

#[test]
fn compute_reports_an_unreadable_case_with_exit_code_1() {
    let out = fivecase(&["compute", "/nonexistent/case-folder"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout for a failed case");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("/nonexistent/case-folder"),
        "errors name the file: {stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
}

#[test]
fn compute_offers_json() {
    let out = fivecase(&["compute", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--json"), "{help}");
}
