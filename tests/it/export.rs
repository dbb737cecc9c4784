//! `fivecase export`: the model workbook, run through the real binary on the
//! fixture cases.
//!
//! The central check recalculates each export in LibreOffice Calc (headless,
//! with a throw-away profile set to recalculate on load) and compares every
//! formula cell with the value fivecase cached in it. Without LibreOffice
//! (Debian package `libreoffice-calc-nogui`) it says it skipped, and fails
//! under CI (`fivecase::testkit`).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};
use fivecase::testkit::{pdf_text, print_xlsx, recalculate_xlsx};

use crate::support::{run_in, temp_dir};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Copies fixture folder `name` to a fresh folder and exports `case` (the
/// folder or a workbook in it) there; returns the folder and the export.
fn export_fixture(name: &str, case: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(&format!("export-{name}"));
    copy_dir(&fixtures().join(name), &dir.join(name));
    let run = run_in(&dir, &["export", case]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = run
        .stdout
        .strip_prefix("wrote ")
        .and_then(|s| s.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("unexpected stdout: {:?}", run.stdout));
    let path = dir.join(written);
    assert!(path.is_file(), "{}", path.display());
    assert!(
        written.starts_with(&format!("{name}/")) && written.ends_with("-model.xlsx"),
        "{written}"
    );
    (dir, path)
}

fn sheets(bytes: &[u8]) -> Vec<(String, Range<Data>, Range<String>)> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let values = book.worksheet_range(&name).unwrap();
            let formulas = book.worksheet_formula(&name).unwrap();
            (name, values, formulas)
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    let diff = (a - b).abs();
    diff <= 1e-9 || diff <= 1e-9 * a.abs().max(b.abs())
}

fn same(a: Option<&Data>, b: Option<&Data>) -> bool {
    match (a, b) {
        (Some(Data::Float(x)), Some(Data::Float(y))) => close(*x, *y),
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The Summary's figure beside the row whose label starts with `label`.
fn headline(book: &[(String, Range<Data>, Range<String>)], label: &str) -> f64 {
    let (_, values, _) = book.iter().find(|(n, _, _)| n == "Summary").unwrap();
    for row in values.rows() {
        if let Some(Data::String(s)) = row.first()
            && s.starts_with(label)
        {
            match row.get(1) {
                Some(Data::Float(f)) => return *f,
                other => panic!("{label}: expected a number, found {other:?}"),
            }
        }
    }
    panic!("no {label:?} on the Summary")
}

fn json_number(v: &serde_json::Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

fn recalculation_agrees(name: &str, case: &str) {
    let (dir, path) = export_fixture(name, case);
    let Some(recalculated) = recalculate_xlsx(&path, &dir) else {
        return;
    };
    let written = sheets(&std::fs::read(&path).unwrap());
    let fresh = sheets(&std::fs::read(recalculated).unwrap());
    let mut checked = 0;
    let mut bad = Vec::new();
    for (sheet, values, formulas) in &written {
        let Some((r0, c0)) = formulas.start() else {
            continue;
        };
        let (_, fresh_values, _) = fresh.iter().find(|(n, _, _)| n == sheet).unwrap();
        for (r, c, f) in formulas.cells() {
            if f.is_empty() {
                continue;
            }
            let at = (
                r0 + u32::try_from(r).unwrap(),
                c0 + u32::try_from(c).unwrap(),
            );
            checked += 1;
            let (a, b) = (values.get_value(at), fresh_values.get_value(at));
            if !same(a, b) {
                bad.push(format!(
                    "{sheet} {at:?} ={f}: cached {a:?}, recalculated {b:?}"
                ));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} formula cells in the {name} export"
    );
    assert!(
        bad.is_empty(),
        "{name}: {} of {checked} formula cells disagree:\n{}",
        bad.len(),
        bad.join("\n")
    );

    // The Summary's headline figures, as recalculated, are the engine's.
    let run = run_in(&dir, &["compute", "--json", case]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let preferred = json["preferred_option"].as_str().unwrap();
    let options = json["options"].as_array().unwrap();
    // With no option recommended the Summary shows the option ranked highest.
    let option = if json["no_option_recommended"] == true {
        options
            .iter()
            .filter(|o| o["baseline"] == false)
            .fold(None::<&serde_json::Value>, |best, o| match best {
                Some(b) if json_number(&b["npsv"]) >= json_number(&o["npsv"]) => Some(b),
                _ => Some(o),
            })
            .unwrap()
    } else {
        options.iter().find(|o| o["id"] == preferred).unwrap()
    };
    for (label, key) in [
        ("Net present social value", "npsv"),
        ("Benefit-cost ratio", "bcr"),
        ("Present value of costs", "pv_costs"),
        ("Present value of benefits", "pv_benefits"),
    ] {
        let got = headline(&fresh, label);
        let want = json_number(&option[key]);
        assert!(close(got, want), "{name}: {label}: {got} against {want}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn libreoffice_recalculates_the_sample_export_to_fivecases_values() {
    recalculation_agrees("sample", "sample");
}

#[test]
fn libreoffice_recalculates_the_east_midlands_export_to_fivecases_values() {
    recalculation_agrees("east-midlands", "east-midlands");
}

#[test]
fn libreoffice_recalculates_the_minimal_workbooks_export_to_fivecases_values() {
    recalculation_agrees("minimal", "minimal/workbook.xlsx");
}

#[test]
fn compute_on_the_export_gives_the_cases_json() {
    for (name, case) in [
        ("sample", "sample"),
        ("east-midlands", "east-midlands"),
        ("minimal", "minimal/workbook.xlsx"),
    ] {
        let (dir, path) = export_fixture(name, case);
        let original = run_in(&dir, &["compute", "--json", case]);
        let exported = run_in(&dir, &["compute", "--json", path.to_str().unwrap()]);
        assert_eq!(exported.code, 0, "{}", exported.stderr);
        assert!(
            original.stdout == exported.stdout,
            "{name}: the export computes differently"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn the_same_case_exports_to_the_same_bytes() {
    let (dir, path) = export_fixture("sample", "sample");
    let first = std::fs::read(&path).unwrap();
    let other = dir.join("again.xlsx");
    let run = run_in(&dir, &["export", "sample", "-o", "again.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "wrote again.xlsx\n");
    assert!(
        first == std::fs::read(&other).unwrap(),
        "two exports differ"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_never_writes_over_the_cases_workbook() {
    let dir = temp_dir("export-over-input");
    copy_dir(&fixtures().join("sample"), &dir.join("sample"));
    let before = std::fs::read(dir.join("sample/workbook.xlsx")).unwrap();
    let run = run_in(&dir, &["export", "sample", "-o", "sample/workbook.xlsx"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "fivecase: sample/workbook.xlsx: refusing to overwrite the case's workbook with the export\n  \
         hint: choose another file with -o, e.g. -o sample/eastern-region-business-support-collaboration-illustrative-model.xlsx\n"
    );
    assert!(run.stdout.is_empty());
    assert!(before == std::fs::read(dir.join("sample/workbook.xlsx")).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_names_the_output_option() {
    let run = run_in(&fixtures(), &["export", "--help"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("-o, --output <FILE.xlsx>"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("<slug>-model.xlsx"), "{}", run.stdout);
}

#[test]
fn a_case_that_cannot_be_read_writes_nothing_and_exits_1() {
    let dir = temp_dir("export-missing");
    let run = run_in(&dir, &["export", "no-such-case", "-o", "model.xlsx"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no-such-case"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(!dir.join("model.xlsx").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_printed_sample_export_has_no_overflowing_columns_or_raw_decimals() {
    let (dir, path) = export_fixture("sample", "sample");
    let Some(text) = print_xlsx(&path, &dir)
        .and_then(|pdf| pdf_text(&pdf, "-layout"))
        .map(|pages| pages.join("\u{c}"))
    else {
        return;
    };
    assert!(text.contains("Net present social value"), "{text}");
    assert!(
        !text.contains("###"),
        "a column is too narrow for its figures:\n{text}"
    );
    // A figure printed with seven or more decimals is an unformatted cell.
    let raw: Vec<&str> = text
        .split_whitespace()
        .filter(|w| {
            w.trim_matches(|c: char| !c.is_ascii_digit())
                .split_once('.')
                .is_some_and(|(_, frac)| {
                    frac.len() >= 7 && frac.bytes().all(|b| b.is_ascii_digit())
                })
        })
        .collect();
    assert!(raw.is_empty(), "unformatted figures: {raw:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_writes_only_xlsx_files() {
    let dir = temp_dir("export-not-xlsx");
    copy_dir(&fixtures().join("sample"), &dir.join("sample"));
    let before = std::fs::read(dir.join("sample/case.toml")).unwrap();
    let run = run_in(&dir, &["export", "sample", "-o", "sample/case.toml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "fivecase: sample/case.toml: expected an .xlsx file name for the model workbook\n  \
         hint: e.g. -o sample/eastern-region-business-support-collaboration-illustrative-model.xlsx\n"
    );
    assert!(before == std::fs::read(dir.join("sample/case.toml")).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The rows of the Scenarios sheet's table titled `title`: the header row's
/// cells and each following row up to the first empty one.
fn scenario_table<'a>(values: &'a Range<Data>, title: &str) -> (Vec<&'a [Data]>, u32) {
    let rows: Vec<&[Data]> = values.rows().collect();
    let start = rows
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s.starts_with(title)))
        .unwrap_or_else(|| panic!("no table {title:?} on the Scenarios sheet"));
    let body: Vec<&[Data]> = rows[start + 1..]
        .iter()
        .take_while(|r| !matches!(r.first(), None | Some(Data::Empty)))
        .copied()
        .collect();
    let first_row = values.start().unwrap().0 + u32::try_from(start).unwrap() + 1;
    (body, first_row)
}

fn text(d: &Data) -> &str {
    match d {
        Data::String(s) => s,
        other => panic!("expected text, found {other:?}"),
    }
}

fn float(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        other => panic!("expected a number, found {other:?}"),
    }
}

/// Checks one comparison table: the header, the base and each scenario's
/// figures (`want` gives a summary's figure for column `k`, `None` for
/// "n/a"), and the change-from-base rows as formulas against the base row.
fn check_comparison(
    values: &Range<Data>,
    formulas: &Range<String>,
    title: &str,
    summaries: &[&serde_json::Value],
    columns: std::ops::Range<usize>,
    want: &dyn Fn(&serde_json::Value, usize) -> Option<f64>,
) {
    let (rows, first) = scenario_table(values, title);
    let n = summaries.len();
    assert_eq!(text(&rows[0][0]), "Scenario");
    assert_eq!(rows.len(), 1 + n + 1 + (n - 1), "{title}: rows");
    let base_row = first + 1;
    for (i, s) in summaries.iter().enumerate() {
        let row = rows[1 + i];
        assert_eq!(text(&row[0]), s["name"].as_str().unwrap());
        for k in columns.clone() {
            match want(s, k) {
                Some(v) => assert!(
                    close(float(&row[1 + k]), v),
                    "{title}: {} column {k}: {:?} against {v}",
                    s["name"],
                    row[1 + k]
                ),
                None => assert_eq!(text(&row[1 + k]), "n/a"),
            }
        }
    }
    assert_eq!(text(&rows[1 + n][0]), "Change from base");
    for (i, s) in summaries.iter().enumerate().skip(1) {
        let row = rows[1 + n + i];
        let at = first + u32::try_from(1 + n + i).unwrap();
        assert_eq!(text(&row[0]), s["name"].as_str().unwrap());
        for k in columns.clone() {
            let column = 1 + u32::try_from(k).unwrap();
            match (want(s, k), want(summaries[0], k)) {
                (Some(value), Some(base)) => {
                    assert!(
                        close(float(&row[1 + k]), value - base),
                        "{title}: change {k}"
                    );
                    let f = formulas.get_value((at, column)).unwrap();
                    assert!(
                        f.ends_with(&format!("${}", base_row + 1)),
                        "{title}: {f} does not refer to the base row"
                    );
                }
                _ => assert_eq!(text(&row[1 + k]), "n/a"),
            }
        }
    }
}

#[test]
fn the_scenarios_sheet_holds_the_engines_figures_for_every_scenario() {
    let (dir, path) = export_fixture("sample", "sample");
    let run = run_in(&dir, &["scenarios", "--json", "sample"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut summaries = vec![&json["base"]];
    summaries.extend(json["scenarios"].as_array().unwrap());
    assert_eq!(summaries.len(), 7, "the sample has six scenarios");

    let book = sheets(&std::fs::read(&path).unwrap());
    let names: Vec<&str> = book.iter().map(|(n, _, _)| n.as_str()).collect();
    let at = names.iter().position(|n| *n == "Scenarios").unwrap();
    assert_eq!(names[at - 1], "Budget gap", "{names:?}");
    // The sample has ranges: its Risk analysis sheet follows the Scenarios.
    assert_eq!(names[at + 1], "Risk analysis", "{names:?}");
    assert_eq!(names[at + 2], "Assumptions", "{names:?}");
    let (_, values, formulas) = &book[at];

    // What each scenario is and changes.
    let (rows, _) = scenario_table(values, "What each scenario changes");
    let rows = &rows[1..];
    for (row, s) in rows.iter().zip(&summaries) {
        assert_eq!(text(&row[0]), s["name"].as_str().unwrap());
        assert_eq!(text(&row[1]), s["description"].as_str().unwrap());
    }
    let settings: Vec<String> = rows
        .iter()
        .map(|r| {
            r.iter()
                .skip(2)
                .find_map(|d| match d {
                    Data::String(s) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(settings[0], "none");
    assert_eq!(settings[1], "cashable savings delayed 1 year");
    assert_eq!(settings[2], "cashable savings realised 80%");
    assert_eq!(settings[3], "cost overrun 10%");
    assert_eq!(
        settings[4],
        "partners joining: Bedfordshire, Cambridgeshire, Essex, Hertfordshire, Kent (the others' own lines dropped)"
    );
    assert_eq!(settings[5], "apportionment key: Net revenue expenditure");
    assert_eq!(settings[6], "business as usual cost overrun 5%");

    // Appraisal: npsv and bcr of the non-baseline options, preferred, payback, savings.
    let ids = ["HUB", "MERGE"];
    let option = |s: &serde_json::Value, id: &str| -> serde_json::Value {
        s["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .cloned()
            .unwrap()
    };
    let (rows, _) = scenario_table(values, "Appraisal");
    assert_eq!(text(&rows[0][1]), "NPSV HUB (£k)");
    check_comparison(values, formulas, "Appraisal", &summaries, 0..4, &|s, k| {
        let o = option(s, ids[k % 2]);
        Some(json_number(if k < 2 { &o["npsv"] } else { &o["bcr"] }))
    });
    check_comparison(values, formulas, "Appraisal", &summaries, 6..7, &|s, _| {
        Some(json_number(&s["total_cashable_savings"]))
    });
    for (i, s) in summaries.iter().enumerate() {
        let row = rows[1 + i];
        assert_eq!(text(&row[5]), s["preferred_option"].as_str().unwrap());
        let preferred = option(s, s["preferred_option"].as_str().unwrap());
        assert_eq!(text(&row[6]), preferred["payback_year"].as_str().unwrap());
    }
    let changes: Vec<&str> = rows[summaries.len() + 2..]
        .iter()
        .map(|r| text(&r[6]))
        .collect();
    assert_eq!(
        changes,
        ["changed", "same", "same", "same", "same", "changed"]
    );

    // Each partner's net position; the five-forces scenario has no Norfolk or Suffolk.
    let partners = [
        "Bedfordshire",
        "Cambridgeshire",
        "Essex",
        "Hertfordshire",
        "Kent",
        "Norfolk",
        "Suffolk",
    ];
    check_comparison(
        values,
        formulas,
        "Net position",
        &summaries,
        0..partners.len(),
        &|s, k| s["partners"].get(partners[k]).map(json_number),
    );

    // The gap remaining after the case, region, each year.
    let years: Vec<String> = json["base"]["gap_after_case"]["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap().to_string())
        .collect();
    let (rows, _) = scenario_table(values, "Gap remaining");
    let header: Vec<&str> = rows[0][1..=years.len()].iter().map(text).collect();
    assert_eq!(header, years);
    check_comparison(
        values,
        formulas,
        "Gap remaining",
        &summaries,
        0..years.len(),
        &|s, k| Some(json_number(&s["gap_after_case"]["region"][&years[k]])),
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_case_without_scenarios_exports_no_scenarios_sheet() {
    let (dir, path) = export_fixture("east-midlands", "east-midlands");
    let book = sheets(&std::fs::read(&path).unwrap());
    assert!(
        !book.iter().any(|(n, _, _)| n == "Scenarios"),
        "{:?}",
        book.iter().map(|(n, _, _)| n).collect::<Vec<_>>()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_that_cannot_be_applied_stops_the_export() {
    let dir = temp_dir("export-bad-scenario");
    copy_dir(&fixtures().join("sample"), &dir.join("sample"));
    let toml = dir.join("sample/case.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(
        "\n[[scenario]]\nname = \"no-such\"\ndescription = \"x\"\npartners = [\"Atlantis\"]\n",
    );
    std::fs::write(&toml, text).unwrap();
    let run = run_in(&dir, &["export", "sample", "-o", "model.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("scenario \"no-such\""),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    assert!(!dir.join("model.xlsx").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
