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
    for word in [
        "-o, --output <FILE>",
        "--date <YYYY-MM-DD>",
        "--format <FORMATS>",
        "<CASE>",
    ] {
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

// ---- Building real cases: the sample and the East Midlands fixture. ----

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use fivecase::format;
use fivecase::testkit::pdf_text;
use rust_decimal::Decimal;

use crate::support::{Run, run_in, temp_dir, valid};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Copies a fixture case into a fresh folder: tests never write into fixtures/.
fn copy_case(name: &str, test: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = temp_dir(test).join(name);
    copy(&fixture(name), &dir);
    dir
}

/// The PDF's text by `pdftotext -layout`, page by page; `None` (said on
/// stderr, a failure under CI) when poppler-utils is not installed.
fn pdf_pages(pdf: &Path) -> Option<Vec<String>> {
    pdf_text(pdf, "-layout")
}

/// Runs of spaces made one, so a table row reads `Base budget gap 7.4 8.1`.
fn squeeze(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn build(case: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", case.to_str().unwrap()];
    args.extend(extra);
    run_in(case.parent().unwrap(), &args)
}

fn assert_marking_and_page_numbers(pages: &[String], marking: &str) {
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.matches(marking).count() >= 2,
            "page {} lacks the marking top and bottom:\n{page}",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {total}", i + 1)),
            "page {}:\n{page}",
            i + 1
        );
    }
}

#[test]
fn the_sample_builds_to_its_default_name_with_every_part_and_the_computed_headlines() {
    let case = copy_case("sample", "build-sample");
    let run = build(&case, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = case.join("eastern-region-business-support-collaboration-illustrative-obc-v0.3.pdf");
    assert_eq!(run.stdout, format!("wrote {}\n", pdf.display()));
    assert!(fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let Some(pages) = pdf_pages(&pdf) else { return };
    assert!(pages.len() > 10, "{} pages", pages.len());
    assert_marking_and_page_numbers(&pages, "OFFICIAL");
    let text = squeeze(&pages.join("\n"));
    for heading in [
        "Outline Business Case (OBC)",
        "16 November 2026",
        "Document control",
        "Contents",
        "Executive summary",
        "1 Strategic Case",
        "2 Economic Case",
        "3 Commercial Case",
        "4 Financial Case",
        "5 Management Case",
        "Appendix A: Assumptions and their sources",
        "Appendix B: Methodology",
        "Appendix C: Stage readiness",
        "Appendix D: Source map",
        "Risk register",
    ] {
        assert!(text.contains(heading), "missing {heading:?}");
    }
    assert!(
        !text.contains("[to be completed]"),
        "the sample has every narrative part"
    );

    // The headline figures are the engine's, as `fivecase compute --json` gives them.
    let json = run_in(&case, &["compute", case.to_str().unwrap(), "--json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let results: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let preferred = results["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == results["preferred_option"])
        .unwrap_or_else(|| panic!("no preferred option in {}", json.stdout));
    let figure = |key: &str, places: u32| {
        let d = Decimal::from_str(preferred[key].as_str().unwrap()).unwrap();
        if places == 2 {
            format::fixed(d, 2)
        } else {
            format::money(d, places)
        }
    };
    let npsv = figure("npsv", 0);
    let bcr = figure("bcr", 2);
    assert!(
        text.contains(&format!(
            "Net present social value (£k, present value) {npsv}"
        )),
        "npsv {npsv}"
    );
    assert!(
        text.contains(&format!("Benefit-cost ratio {bcr}")),
        "bcr {bcr}"
    );
    assert!(text.contains(&format!(
        "Payback year (real prices) {}",
        preferred["payback_year"].as_str().unwrap()
    )));
    for force in [
        "Bedfordshire",
        "Cambridgeshire",
        "Essex",
        "Hertfordshire",
        "Kent",
        "Norfolk",
        "Suffolk",
    ] {
        assert!(text.contains(force), "{force}");
    }
    assert!(text.contains("Regional gap remaining after this case"));
}

#[test]
fn the_same_case_gives_byte_identical_pdfs() {
    let case = copy_case("sample", "build-twice");
    let first = case.join("first.pdf");
    let second = case.join("second.pdf");
    assert_eq!(build(&case, &["-o", first.to_str().unwrap()]).code, 0);
    assert_eq!(build(&case, &["-o", second.to_str().unwrap()]).code, 0);
    assert!(
        fs::read(&first).unwrap() == fs::read(&second).unwrap(),
        "the two builds differ"
    );
}

#[test]
fn the_east_midlands_budget_gap_table_prints_as_the_plan_does() {
    let case = copy_case("east-midlands", "build-em");
    let out = case.join("em.pdf");
    let run = build(&case, &["-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No narrative files: each part says so visibly, and the user was warned.
    assert!(
        run.stderr.contains("strategic.md: warning: missing"),
        "{}",
        run.stderr
    );
    let Some(pages) = pdf_pages(&out) else { return };
    assert_marking_and_page_numbers(&pages, "OFFICIAL");
    let text = squeeze(&pages.join("\n"));
    assert!(text.contains("Strategic Outline Case (SOC)"));
    // Six narrative parts, and the options' optimism-bias basis, are missing.
    assert!(text.matches("[to be completed]").count() >= 6, "{text}");
    // The plan's regional financial forecast, £m 2008/09 to 2010/11 (GREENBOOK.md).
    for row in [
        "2008/09 2009/10 2010/11 Total",
        "Base budget gap 7.4 8.1 6.2 21.7",
        "Use of reserves and one-off grant (5.2) (5.0) (4.3) (14.5)",
        "Cash releasing efficiencies (2.2) (3.1) (1.9) (7.2)",
        "Residual gap 0.0 0.0 0.0 0.0",
        "Identified risk gap 13.5 13.8 14.1 41.4",
        "Risk adjusted gap 13.5 13.8 14.1 41.4",
        "Loss of grant to floors (memo) 20.5 19.1 17.6 57.2",
        "Increase in borrowing (memo) 20.3 11.7 6.6 38.6",
    ] {
        assert!(text.contains(row), "missing budget-gap row {row:?}");
    }
}

#[test]
fn without_a_date_build_stops_and_says_how_to_give_one() {
    let case = copy_case("east-midlands", "build-no-date");
    let toml = case.join("case.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let undated = text
        .lines()
        .filter(|l| !l.starts_with("date ="))
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(text, undated, "the fixture has a date line");
    fs::write(&toml, undated).unwrap();
    let run = build(&case, &[]);
    assert_eq!(run.code, 1);
    // At the file that would hold the date, as the user named it, after
    // the case's warnings.
    assert!(
        run.stderr.ends_with(&format!(
            "{}: the document has no date\n  hint: add `date = \"2026-11-20\"` to it, or give one with --date YYYY-MM-DD\n\
             fivecase: 1 problem found; nothing was written\n",
            toml.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        !fs::read_dir(&case).unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "pdf"))
    );
    let out = case.join("dated.pdf");
    let run = build(
        &case,
        &["--date", "2008-04-01", "-o", out.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_pages(&out) else { return };
    assert!(pages[0].contains("1 April 2008"), "{}", pages[0]);
}

#[test]
fn build_never_overwrites_an_input() {
    let case = copy_case("east-midlands", "build-inputs");
    let workbook = case.join("workbook.xlsx");
    let before = fs::read(&workbook).unwrap();
    let run = build(&case, &["-o", workbook.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("is an input of the case; refusing to overwrite it"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&workbook).unwrap(), before);
}

const INJECTIONS: [&str; 5] = [
    "#import \"/etc/passwd\": *",
    "#read(\"/etc/passwd\")",
    "$x^2$ @ref <label> ] #set text(red)",
    "a \\ b",
    "2 * 3 and snake_case_name",
];

#[test]
fn template_syntax_in_narrative_and_workbook_prints_literally() {
    let case = copy_case("sample", "build-injection");
    fs::write(case.join("narrative/strategic.md"), INJECTIONS.join("\n\n")).unwrap();
    let out = case.join("injected.pdf");
    let run = build(&case, &["-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_text(&out, "-raw") else {
        return;
    };
    let text = pages.join("\n");
    for s in INJECTIONS {
        assert!(text.contains(s), "{s:?} did not print literally");
    }

    // Workbook text is data too: a bare workbook whose option description is template code.
    let dir = temp_dir("build-injection-workbook");
    valid()
        .set("Options", 2, 2, "#read(\"/etc/passwd\") $x$ <b>")
        .write(&dir.join("wb.xlsx"));
    let run = run_in(
        &dir,
        &["build", "wb.xlsx", "--date", "2026-11-20", "-o", "wb.pdf"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_pages(&dir.join("wb.pdf")) else {
        return;
    };
    assert!(pages.join("\n").contains("#read(\"/etc/passwd\") $x$ <b>"));
}

#[test]
fn the_economic_case_shows_a_tornado_chart_of_the_sensitivity() {
    let case = copy_case("sample", "build-tornado");
    let out = case.join("tornado.pdf");
    let run = build(&case, &["-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_pages(&out) else { return };
    let text = squeeze(&pages.join("\n"));
    // case.toml's largest sensitivity fraction is the default 25%.
    assert!(
        text.contains("Tornado chart: the preferred option's NPSV with each line moved by ±25%"),
        "no tornado caption"
    );
    let page = pages.iter().find(|p| p.contains("Tornado chart")).unwrap();
    let page = squeeze(page);
    // Its widest swing, the staff savings, labels the top bar; the axis is in the unit.
    assert!(page.contains("Business support staff savings"), "{page}");
    assert!(
        page.contains("NPSV of the preferred option (£k, present value)"),
        "{page}"
    );
}

#[test]
fn the_sample_compares_its_scenarios_with_the_base_case() {
    let case = copy_case("sample", "build-scenarios");
    let out = case.join("scenarios.pdf");
    let run = build(&case, &["-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_pages(&out) else { return };
    let table = pages
        .iter()
        .find(|p| p.contains("Scenario comparison"))
        .map(|p| squeeze(p))
        .expect("no scenario comparison table");
    // The base case and every scenario of case.toml, one row each, in order.
    let names = [
        "base",
        "savings-late",
        "realisation-80",
        "overrun-10",
        "five-forces",
        "by-nre",
    ];
    let rows: Vec<usize> = names
        .iter()
        .map(|n| {
            table
                .lines()
                .position(|l| l.starts_with(&format!("{n} ")))
                .unwrap_or_else(|| panic!("no row for {n:?} in\n{table}"))
        })
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
    // Compared with `fivecase scenarios --json`: the late savings' npsv and payback.
    let json = run_in(&case, &["scenarios", case.to_str().unwrap(), "--json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let late = &v["scenarios"][0];
    let preferred = late["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == late["preferred_option"])
        .unwrap();
    let npsv = format::money(
        Decimal::from_str(preferred["npsv"].as_str().unwrap()).unwrap(),
        0,
    );
    let late_row = table.lines().nth(rows[1]).unwrap();
    assert!(late_row.contains(&format!(" {npsv} ")), "{late_row}");
    // Every partner's net position under every scenario, in the Financial Case;
    // Norfolk does not join five-forces.
    let partners = pages
        .iter()
        // The table's caption with its unit: not the Contents entry.
        .find(|p| p.contains("Each partner's net position under the scenarios") && p.contains("(£"))
        .map(|p| squeeze(p))
        .expect("no partners' table");
    let norfolk = partners
        .lines()
        .find(|l| l.starts_with("Norfolk "))
        .unwrap_or_else(|| panic!("{partners}"));
    assert!(norfolk.contains(" – "), "{norfolk}");
}
