//! The sample case, its fixtures, `new` and `demo`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;

#[path = "../../fixtures/generate.rs"]
mod generate;

const BIN: &str = env!("CARGO_BIN_EXE_fivecase");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fresh, empty scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("fivecase-it-sample-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn fivecase(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Every file under `dir`, by `/`-separated path relative to it, with its bytes.
/// The sample case's files as `new` writes them: the fixture folder less
/// its expected outputs (`expected/`, kept beside the case for tests/it/fixtures.rs).
fn sample_case() -> BTreeMap<String, Vec<u8>> {
    let mut files = tree(&fixtures().join("sample"));
    files.retain(|name, _| !name.starts_with("expected/"));
    files
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn committed_fixtures_are_what_the_generator_writes() {
    let first = generate::fixtures().unwrap();
    let second = generate::fixtures().unwrap();
    assert!(first.len() >= 3);
    for ((name, bytes), (_, again)) in first.iter().zip(&second) {
        assert_eq!(bytes, again, "{name}: the generator is not deterministic");
        let committed = fs::read(fixtures().join(name)).unwrap();
        assert!(
            *bytes == committed,
            "fixtures/{name} differs from the generator's output: run `cargo run --example generate-fixtures`"
        );
    }
}

#[test]
fn generator_writes_every_fixture_into_a_folder() {
    let out = scratch("generate");
    for (name, bytes) in generate::fixtures().unwrap() {
        let path = out.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fivecase::output::write_atomic(&path, &bytes).unwrap();
    }
    let written = tree(&out);
    for (name, bytes) in &written {
        assert_eq!(*bytes, fs::read(fixtures().join(name)).unwrap(), "{name}");
    }
    assert!(written.contains_key("sample/workbook.xlsx"));
    assert!(written.contains_key("east-midlands/workbook.xlsx"));
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn new_writes_exactly_the_sample_case() {
    let dir = scratch("new");
    let out = fivecase(&["new", "case"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("wrote the sample case (illustrative figures) to case:\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("next: fivecase check case\n"), "{stdout}");
    let written = tree(&dir.join("case"));
    let sample = sample_case();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        sample.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &sample {
        assert!(
            written[name] == *bytes,
            "{name} differs from fixtures/sample"
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn new_writes_into_an_existing_empty_folder() {
    let dir = scratch("new-empty");
    fs::create_dir(dir.join("case")).unwrap();
    let out = fivecase(&["new", "case"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(dir.join("case/narrative/management.md").is_file());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let dir = scratch("new-refuses");
    fs::create_dir(dir.join("case")).unwrap();
    fs::write(dir.join("case/notes.txt"), "mine").unwrap();
    let out = fivecase(&["new", "case"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "fivecase: case: expected a new or empty folder, found one that is not empty\n  \
         hint: name a folder that does not exist yet; `new` never writes over existing files\n"
    );
    let left = tree(&dir.join("case"));
    assert_eq!(left.len(), 1, "new wrote into a non-empty folder");
    assert_eq!(left["notes.txt"], b"mine");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn new_refuses_a_file() {
    let dir = scratch("new-file");
    fs::write(dir.join("case"), "a file").unwrap();
    let out = fivecase(&["new", "case"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "fivecase: case: expected a folder, found a file\n"
    );
    assert_eq!(fs::read(dir.join("case")).unwrap(), b"a file");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_refuses_a_folder_holding_other_files() {
    let dir = scratch("demo-refuses");
    fs::create_dir(dir.join("stuff")).unwrap();
    fs::write(dir.join("stuff/budget.xlsx"), "not ours").unwrap();
    let out = fivecase(&["demo", "stuff"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "fivecase: stuff: expected a case folder (with a case.toml) or a new or empty folder, found other files\n  \
         hint: run `fivecase demo` with a folder name that does not exist yet\n"
    );
    assert_eq!(tree(&dir.join("stuff")).len(), 1);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_writes_the_sample_to_its_default_folder_then_checks_it() {
    let dir = scratch("demo-default");
    let out = fivecase(&["demo"], &dir);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("wrote the sample case (illustrative figures) to fivecase-demo:\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n== fivecase check fivecase-demo ==\n"),
        "{stdout}"
    );
    // The quantified risk analysis runs on the sample's ranges.
    assert!(
        stdout.contains("\n== fivecase risk fivecase-demo ==\nQuantified risk analysis: 10000 iterations, seed 1;"),
        "{stdout}"
    );
    // The demo's outputs sit beside the sample case, which is otherwise the fixture.
    let mut written = tree(&dir.join("fivecase-demo"));
    // The build step writes the PDF, HTML and Word document beside the
    // sample and prints their paths.
    let stem = "eastern-region-business-support-collaboration-illustrative-obc-v0.3";
    assert!(
        stdout.contains(&format!(
            "\n== fivecase build --format pdf,html,docx fivecase-demo ==\n\
             wrote fivecase-demo/{stem}.pdf\n\
             wrote fivecase-demo/{stem}.html\n\
             wrote fivecase-demo/{stem}.docx\n"
        )),
        "{stdout}"
    );
    assert!(
        written
            .remove(&format!("{stem}.pdf"))
            .is_some_and(|b| b.starts_with(b"%PDF-"))
    );
    assert!(
        written
            .remove(&format!("{stem}.html"))
            .is_some_and(|b| b.starts_with(b"<!DOCTYPE html>"))
    );
    assert!(
        written
            .remove(&format!("{stem}.docx"))
            .is_some_and(|b| b.starts_with(b"PK"))
    );
    let export = "eastern-region-business-support-collaboration-illustrative-model.xlsx";
    assert!(
        written.remove(export).is_some(),
        "no model workbook: {:?}",
        written.keys()
    );
    assert!(
        stdout.contains(&format!("\nwrote fivecase-demo/{export}\n")),
        "{stdout}"
    );
    // The programme view runs on the sample programme, written to a subfolder.
    let programme: Vec<String> = written
        .keys()
        .filter(|k| k.starts_with("programme/"))
        .cloned()
        .collect();
    assert!(
        programme.contains(&"programme/portfolio.toml".to_string())
            && programme.iter().any(|k| k.ends_with("-programme.pdf")),
        "{programme:?}"
    );
    for k in programme {
        written.remove(&k);
    }
    assert_eq!(written, sample_case());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_uses_an_existing_case_as_it_stands() {
    let dir = scratch("demo-reuse");
    assert_eq!(fivecase(&["new", "mine"], &dir).status.code(), Some(0));
    let toml = dir.join("mine/case.toml");
    let edited = fs::read_to_string(&toml).unwrap().replace(
        "title = \"Eastern Region Business Support Collaboration (illustrative)\"",
        "title = \"My edited case\"",
    );
    fs::write(&toml, &edited).unwrap();
    fs::remove_file(dir.join("mine/narrative/commercial.md")).unwrap();
    let before = tree(&dir.join("mine"));
    let out = fivecase(&["demo", "mine"], &dir);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "using the case in mine as it stands (delete the folder to start again from the sample)\n"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("wrote the sample case"), "{stdout}");
    // The user's edits survive: nothing of the sample is written over them.
    let after = tree(&dir.join("mine"));
    for (name, bytes) in &before {
        assert!(after[name] == *bytes, "demo changed {name}");
    }
    assert!(!after.contains_key("narrative/commercial.md"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The edits show: the new title, and the missing narrative part.
    assert!(
        stdout.contains("  title        My edited case\n"),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("mine/narrative/commercial.md: warning: missing"),
        "{}",
        text(&out.stderr)
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_fixture_case_passes_check() {
    for case in ["sample", "east-midlands", "minimal/workbook.xlsx"] {
        let out = fivecase(&["check", case], &fixtures());
        assert_eq!(
            out.status.code(),
            Some(0),
            "fivecase check {case}:\n{}",
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains(": the case is valid\n"));
    }
    // The sample is complete: not even a warning.
    let out = fivecase(&["check", "sample"], &fixtures());
    assert_eq!(text(&out.stderr), "");
}

// Reading the workbooks back as ingest will: by header, exactly.

type Grid = Vec<Vec<Data>>;

fn sheets(path: &Path) -> Vec<(String, Grid)> {
    let bytes = fs::read(path).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let grid = range.rows().map(<[Data]>::to_vec).collect();
            (name, grid)
        })
        .collect()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn number(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => Decimal::from_str(&f.to_string()).unwrap(),
        Data::Empty => Decimal::ZERO,
        other => panic!("expected a number, found {other:?}"),
    }
}

/// The header row (the first row whose first cell is `key`) and the rows below it.
fn table<'a>(grid: &'a Grid, key: &str) -> (Vec<String>, &'a [Vec<Data>]) {
    let at = grid
        .iter()
        .position(|row| row.first().map(cell_text).as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no header row starting {key}"));
    (grid[at].iter().map(cell_text).collect(), &grid[at + 1..])
}

#[test]
fn sample_workbook_has_every_sheet_in_order_with_titles_marked_illustrative() {
    let book = sheets(&fixtures().join("sample/workbook.xlsx"));
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Guide",
            "Assumptions",
            "Partners",
            "Options",
            "Costs",
            "Benefits",
            "Budget",
            "Risks",
            "Objectives",
            "Long list",
            "Benefits register",
            "Risk allocation",
            "Milestones"
        ]
    );
    for (name, grid) in &book {
        let title = cell_text(&grid[0][0]);
        assert!(title.contains("ILLUSTRATIVE"), "{name}: {title}");
    }
    let costs = &book[4].1;
    let (header, rows) = table(costs, "Option");
    // The year columns, then the lines' own Key and the risk analysis's range columns.
    let years: Vec<&str> = header[5..15].iter().map(String::as_str).collect();
    assert_eq!(
        &header[15..],
        ["Key", "Range low", "Range high", "Distribution", "Group"]
    );
    assert_eq!(years.first(), Some(&"2026/27"));
    assert_eq!(years.last(), Some(&"2035/36"));
    assert_eq!(years.len(), 10);
    assert_eq!(
        &header[..5],
        ["Option", "Line", "Type", "Partner", "Inflation"]
    );
    let inflation: Vec<String> = rows.iter().map(|r| cell_text(&r[4])).collect();
    for index in ["General", "Pay", "None"] {
        assert!(inflation.iter().any(|i| i == index), "no {index} line");
    }
}

#[test]
fn sample_budget_check_rows_are_exact_and_no_line_mixes_signs() {
    let book = sheets(&fixtures().join("sample/workbook.xlsx"));
    let (_, grid) = book.iter().find(|(n, _)| n == "Budget").unwrap();
    let (header, rows) = table(grid, "Partner");
    assert_eq!(
        header,
        [
            "Partner", "Line", "2026/27", "2027/28", "2028/29", "2029/30"
        ]
    );
    let mut by_force: BTreeMap<String, BTreeMap<String, Vec<Decimal>>> = BTreeMap::new();
    for row in rows {
        let values: Vec<Decimal> = row[2..].iter().map(number).collect();
        assert!(
            values.iter().all(|v| !v.is_sign_negative())
                || values.iter().all(|v| !v.is_sign_positive() || v.is_zero()),
            "{row:?} mixes signs"
        );
        by_force
            .entry(cell_text(&row[0]))
            .or_default()
            .insert(cell_text(&row[1]), values);
    }
    assert_eq!(by_force.len(), 7);
    let (mut negative_reserves, mut positive_reserves) = (0, 0);
    for (force, lines) in &by_force {
        let line = |name: &str| &lines[name];
        for y in 0..4 {
            let residual = line("Base budget gap")[y]
                - line("Use of reserves and one off grant")[y].abs()
                - line("Cash releasing efficiencies")[y].abs();
            assert_eq!(line("Residual gap")[y], residual, "{force} year {y}");
            assert_eq!(
                line("Risk adjusted gap")[y],
                residual + line("Identified risk gap")[y],
                "{force} year {y}"
            );
        }
        if line("Use of reserves and one off grant")[0].is_sign_negative() {
            negative_reserves += 1;
        } else {
            positive_reserves += 1;
        }
    }
    assert!(negative_reserves > 0 && positive_reserves > 0);
}

#[test]
fn east_midlands_budget_is_the_plans_regional_forecast() {
    let book = sheets(&fixtures().join("east-midlands/workbook.xlsx"));
    let (_, grid) = book.iter().find(|(n, _)| n == "Budget").unwrap();
    let (header, rows) = table(grid, "Partner");
    assert_eq!(&header[2..], ["2008/09", "2009/10", "2010/11"]);
    let got: Vec<(String, Vec<String>)> = rows
        .iter()
        .map(|r| {
            assert_eq!(cell_text(&r[0]), "Region");
            (
                cell_text(&r[1]),
                r[2..].iter().map(|d| number(d).to_string()).collect(),
            )
        })
        .collect();
    // East Midlands collaboration plan, regional financial forecast (£m).
    let plan = [
        ("Base budget gap", ["7.4", "8.1", "6.2"]),
        ("Use of reserves and one-off grant", ["-5.2", "-5", "-4.3"]),
        ("Cash-releasing efficiencies", ["-2.2", "-3.1", "-1.9"]),
        ("Residual gap", ["0", "0", "0"]),
        ("Identified risk gap", ["13.5", "13.8", "14.1"]),
        ("Risk adjusted gap", ["13.5", "13.8", "14.1"]),
        ("Loss of grant to floors", ["20.5", "19.1", "17.6"]),
        ("Increase in borrowing", ["20.3", "11.7", "6.6"]),
    ];
    let want: Vec<(String, Vec<String>)> = plan
        .iter()
        .map(|(l, v)| {
            (
                (*l).to_string(),
                v.iter().map(|s| (*s).to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(got, want);
}
