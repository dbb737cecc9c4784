//! Hostile inputs read exactly: cell references beyond the sheet, cells
//! defined twice, and inputs that are not regular files (a FIFO must not hang).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, rewrite_entry, temp_dir, valid};

/// The Costs sheet's part in the workbooks `valid()` writes.
const COSTS: &str = "xl/worksheets/sheet4.xml";
/// The Benefits sheet's part.
const BENEFITS: &str = "xl/worksheets/sheet5.xml";

/// Runs `fivecase ARGS` in `dir`, killing it if it has not finished within
/// 30 seconds (a hang is a failure, not a stuck test suite).
fn run_within(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fivecase"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("fivecase {args:?} did not finish within 30 s: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn assert_exactly(run: &Run, lines: &[&str]) {
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let errors = lines.iter().filter(|l| !l.starts_with("  hint:")).count();
    let mut expected: Vec<String> = lines.iter().map(ToString::to_string).collect();
    expected.push(format!(
        "fivecase: {errors} problem{} found; nothing was written",
        if errors == 1 { "" } else { "s" }
    ));
    assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected);
    assert_eq!(run.stdout, "");
}

/// The valid workbook as `wb.xlsx`, with `edits` applied to sheet parts in turn.
fn hostile(name: &str, edits: &[(&str, &dyn Fn(String) -> String)]) -> std::path::PathBuf {
    let dir = temp_dir(name);
    valid().write(&dir.join("step0.xlsx"));
    for (i, (part, edit)) in edits.iter().enumerate() {
        rewrite_entry(
            &dir.join(format!("step{i}.xlsx")),
            &dir.join(format!("step{}.xlsx", i + 1)),
            part,
            edit,
        );
    }
    std::fs::rename(
        dir.join(format!("step{}.xlsx", edits.len())),
        dir.join("wb.xlsx"),
    )
    .unwrap();
    dir
}

const BEYOND: &str = "the cell reference is beyond an Excel sheet's 1,048,576 rows and 16,384 columns: the sheet is damaged or crafted; open it in Excel and save it again";

#[test]
fn a_row_that_would_wrap_onto_another_cell_is_an_error_at_that_reference() {
    // 4294967298 is 2^32 + 2: read modulo 2^32 it would land on E2 and
    // change a cost silently.
    let dir = hostile(
        "wrap",
        &[(COSTS, &|x: String| {
            assert!(x.contains("r=\"E2\""));
            x.replacen("r=\"E2\"", "r=\"E4294967298\"", 1)
        })],
    );
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_exactly(&run, &[&format!("wb.xlsx: Costs!E4294967298: {BEYOND}")]);
}

#[test]
fn every_reference_beyond_the_sheet_is_reported_at_once_as_written() {
    let nines = "A99999999999999999999";
    let dir = hostile(
        "beyond",
        &[
            (COSTS, &|x: String| {
                x.replacen("r=\"A2\"", &format!("r=\"{nines}\""), 1)
                    .replacen("r=\"B2\"", "r=\"XFE2\"", 1)
            }),
            (BENEFITS, &|x: String| {
                x.replacen("r=\"A2\"", "r=\"a1048577\"", 1)
            }),
        ],
    );
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_exactly(
        &run,
        &[
            &format!("wb.xlsx: Costs!{nines}: {BEYOND}"),
            &format!("wb.xlsx: Costs!XFE2: {BEYOND}"),
            &format!("wb.xlsx: Benefits!a1048577: {BEYOND}"),
        ],
    );
}

#[test]
fn a_row_number_beyond_the_sheet_is_an_error_at_that_row() {
    let dir = hostile(
        "row-beyond",
        &[(COSTS, &|x: String| {
            assert!(x.contains("<row r=\"2\""));
            x.replacen("<row r=\"2\"", "<row r=\"4294967298\"", 1)
        })],
    );
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_exactly(
        &run,
        &[
            "wb.xlsx: Costs!4294967298:4294967298: the row number is beyond an Excel sheet's 1,048,576 rows: the sheet is damaged or crafted; open it in Excel and save it again",
        ],
    );
}

#[test]
fn the_last_cells_of_an_excel_sheet_are_not_beyond_it() {
    // XFD1048576 is inside Excel's sheet: only fivecase's own, smaller limit refuses it.
    let dir = hostile(
        "last-cell",
        &[(COSTS, &|x: String| {
            x.replacen("r=\"E2\"", "r=\"XFD1048576\"", 1)
        })],
    );
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("wb.xlsx: Costs: the sheet is too large: it has a value at XFD1048576"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("beyond an Excel sheet"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_cell_defined_twice_is_an_error_naming_it() {
    // F2 rewritten as a second E2: the last must not silently win.
    let dir = hostile(
        "twice",
        &[(COSTS, &|x: String| {
            assert!(x.contains("<c r=\"F2\""));
            x.replacen("<c r=\"F2\"", "<c r=\"E2\"", 1)
        })],
    );
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_exactly(
        &run,
        &[
            "wb.xlsx: Costs!E2: the cell is defined twice in the sheet's XML: the sheet is damaged; open it in Excel and save it again",
        ],
    );
}

#[test]
fn a_cell_defined_twice_out_of_order_is_an_error_naming_it() {
    // A2 again after the row's other cells: found when the cells are sorted.
    let dir = hostile(
        "twice-late",
        &[(COSTS, &|x: String| {
            x.replacen("<c r=\"F2\"", "<c r=\"A2\"", 1)
        })],
    );
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_exactly(
        &run,
        &[
            "wb.xlsx: Costs!A2: the cell is defined twice in the sheet's XML: the sheet is damaged; open it in Excel and save it again",
        ],
    );
}

fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        _ => {
            fivecase::testkit::skip("mkfifo failed: skipped a FIFO test (coreutils)");
            false
        }
    }
}

#[test]
fn a_workbook_that_is_a_fifo_is_refused_without_hanging() {
    let dir = temp_dir("fifo-wb");
    if !mkfifo(&dir.join("wb.xlsx")) {
        return;
    }
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_exactly(
        &run,
        &["wb.xlsx: this is a named pipe (FIFO), not a regular file: fivecase reads only files"],
    );
}

#[test]
fn a_workbook_that_is_a_folder_is_refused() {
    let dir = temp_dir("folder-wb");
    std::fs::create_dir(dir.join("wb.xlsx")).unwrap();
    let run = run_within(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // A folder is taken for a case folder, which it is not.
    assert!(
        run.stderr.starts_with("wb.xlsx: not a case folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_workbook_that_is_a_device_is_refused() {
    let dir = temp_dir("device-wb");
    std::fs::write(dir.join("case.toml"), "workbook = \"/dev/zero\"\n").unwrap();
    let run = run_within(&dir, &["check", "case.toml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "/dev/zero: this is a device, not a regular file: fivecase reads only files"
        ),
        "{}",
        run.stderr
    );
}

/// A case folder written by `fivecase new`.
fn new_case(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let run = run_within(&dir, &["new", "case"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

#[test]
fn a_case_toml_that_is_a_fifo_is_refused_without_hanging() {
    let dir = new_case("fifo-toml");
    std::fs::remove_file(dir.join("case/case.toml")).unwrap();
    if !mkfifo(&dir.join("case/case.toml")) {
        return;
    }
    let run = run_within(&dir, &["check", "case"]);
    assert_exactly(
        &run,
        &[
            "case/case.toml: this is a named pipe (FIFO), not a regular file: fivecase reads only files",
        ],
    );
    let run = run_within(&dir, &["check", "case/case.toml"]);
    assert_exactly(
        &run,
        &[
            "case/case.toml: this is a named pipe (FIFO), not a regular file: fivecase reads only files",
        ],
    );
}

#[test]
fn narrative_files_that_are_a_fifo_or_a_folder_are_refused_not_missing() {
    let dir = new_case("fifo-narrative");
    let narrative = dir.join("case/narrative");
    std::fs::remove_file(narrative.join("strategic.md")).unwrap();
    if !mkfifo(&narrative.join("strategic.md")) {
        return;
    }
    std::fs::remove_file(narrative.join("economic.md")).unwrap();
    std::fs::create_dir(narrative.join("economic.md")).unwrap();
    let run = run_within(&dir, &["check", "case"]);
    assert_exactly(
        &run,
        &[
            "case/narrative/economic.md: this is a folder, not a regular file: fivecase reads only files",
            "case/narrative/strategic.md: this is a named pipe (FIFO), not a regular file: fivecase reads only files",
        ],
    );
}
