//! `fivecase export`: the model workbook, run through the real binary.

use std::path::PathBuf;
use std::process::Command;

fn fivecase() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fivecase"))
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("fivecase-it-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir
}

#[test]
fn help_names_the_output_option() {
    let out = fivecase()
        .args(["export", "--help"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("-o, --output <FILE.xlsx>"), "{text}");
    assert!(text.contains("<slug>-model.xlsx"), "{text}");
}

#[test]
fn a_case_that_cannot_be_read_writes_nothing_and_exits_1() {
    let dir = scratch("missing");
    let out_file = dir.join("model.xlsx");
    let out = fivecase()
        .arg("export")
        .arg(dir.join("no-such-case"))
        .arg("-o")
        .arg(&out_file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-case"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(!out_file.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
