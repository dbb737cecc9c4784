//! `fivecase build`: the command line, run as a user runs it.

use std::process::{Command, Output};

fn fivecase(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fivecase"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn build_is_a_command_with_output_and_date_options() {
    let o = fivecase(&["build", "--help"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let help = String::from_utf8_lossy(&o.stdout);
    for word in ["-o, --output <FILE.pdf>", "--date <YYYY-MM-DD>", "<CASE>"] {
        assert!(help.contains(word), "{word:?} missing from\n{help}");
    }
}

#[test]
fn a_malformed_date_is_a_usage_error_that_says_what_was_expected() {
    let o = fivecase(&["build", "somewhere", "--date", "20/11/2026"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("expected a date like 2026-11-20, found \"20/11/2026\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_case_fails_with_exit_code_1_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("fivecase-build-missing-{}", std::process::id()));
    let out = dir.join("out.pdf");
    let o = fivecase(&[
        "build",
        dir.join("no-such-case").to_str().unwrap_or_default(),
        "-o",
        out.to_str().unwrap_or_default(),
        "--date",
        "2026-11-20",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no-such-case"), "{}", stderr(&o));
    assert!(!out.exists());
}
