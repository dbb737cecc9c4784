//! `fivecase compute` and `fivecase scenarios` through the real binary.
//! (The engine's purity is checked in architecture.rs.)

use std::process::Command;

fn fivecase(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fivecase"))
        .args(args)
        .output()
        .expect("the fivecase binary runs")
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
