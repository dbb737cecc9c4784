//! The recommendation and the Financial Case as the documents state them:
//! terminal, JSON and the PDF's text read back by pdftotext.

use std::path::Path;
use std::process::Command;

use crate::support::{run_in, temp_dir};

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// The PDF's text in reading order, or `None` (said on stderr) without poppler-utils.
fn pdf_text(pdf: &Path) -> Option<String> {
    let Ok(out) = Command::new("pdftotext").arg(pdf).arg("-").output() else {
        eprintln!("pdftotext is not installed: skipped the assertions on the PDF's text");
        return None;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Lines are joined so a sentence broken across lines reads whole.
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The minimal workbook's only option has a negative npsv: no option is
/// recommended, and every output says so.
#[test]
fn a_case_whose_every_npsv_is_negative_recommends_no_option() {
    let dir = temp_dir("no-option");
    let book = fixture("minimal/workbook.xlsx");

    let json = run_in(&dir, &["compute", "--json", &book]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let options = v["options"].as_array().unwrap();
    assert!(
        options
            .iter()
            .filter(|o| o["baseline"] == false)
            .all(|o| o["npsv"].as_str().unwrap().starts_with('-'))
    );
    assert_eq!(v["no_option_recommended"], true);
    assert_eq!(v["preferred_option"], "BAU");
    assert_eq!(v["recommended_option"], "BAU");
    assert_eq!(v["sensitivity"], serde_json::json!([]));
    assert_eq!(v["gap_after_case"], serde_json::Value::Null);

    let terminal = run_in(&dir, &["compute", &book]);
    assert_eq!(terminal.code, 0, "{}", terminal.stderr);
    assert!(
        terminal.stdout.contains("No option recommended"),
        "{}",
        terminal.stdout
    );
    assert!(!terminal.stdout.contains("Preferred option:"));

    let pdf = dir.join("case.pdf");
    let build = run_in(
        &dir,
        &[
            "build",
            &book,
            "-o",
            &pdf.display().to_string(),
            "--date",
            "2026-11-20",
        ],
    );
    assert_eq!(build.code, 0, "{}", build.stderr);
    if let Some(text) = pdf_text(&pdf) {
        assert!(
            text.contains(
                "No option on the short list offers better value for money than business as usual"
            ),
            "{text}"
        );
        assert!(text.contains("recommends no option for approval"), "{text}");
        assert!(
            text.contains("note that no short-listed option offers better value for money"),
            "{text}"
        );
        assert!(!text.contains("for approval by the Summit"), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A copy of the sample case in a fresh folder, its case.toml passed through `edit`.
fn sample_with(test: &str, edit: impl Fn(String) -> String) -> std::path::PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                if entry.file_name() != "expected" {
                    copy(&entry.path(), &target);
                }
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = temp_dir(test).join("case");
    copy(Path::new(&fixture("sample")), &dir);
    let toml = dir.join("case.toml");
    let written = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, edit(written)).unwrap();
    dir
}

/// The sample prefers HUB, the highest npsv; pinning MERGE instead is
/// flagged by `check` at the key, and the recommendation says why.
#[test]
fn a_pinned_option_below_the_highest_npsv_is_flagged_and_explained() {
    let dir = sample_with("pinned", |t| {
        t.replace("preferred = \"HUB\"", "preferred = \"MERGE\"")
    });
    let check = run_in(&dir, &["check", "."]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("warning")
            && check
                .stderr
                .contains("the preferred option \"MERGE\" has an npsv of")
            && check.stderr.contains("below HUB's")
            && check.stderr.contains("preferred_reason"),
        "{}",
        check.stderr
    );
    let pdf = dir.join("case.pdf");
    let build = run_in(&dir, &["build", ".", "-o", &pdf.display().to_string()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    if let Some(text) = pdf_text(&pdf) {
        assert!(
            text.contains("It is not the option the appraisal ranks first")
                && text.contains("[reason to be given]"),
            "{text}"
        );
    }

    let dir = sample_with("pinned-reason", |t| {
        t.replace(
            "preferred = \"HUB\"",
            "preferred = \"MERGE\"\npreferred_reason = \"the forces' legal advice rules out a hosted unit\"",
        )
    });
    let pdf = dir.join("case.pdf");
    let build = run_in(&dir, &["build", ".", "-o", &pdf.display().to_string()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    if let Some(text) = pdf_text(&pdf) {
        assert!(
            text.contains("The case prefers it for this reason: the forces' legal advice rules out a hosted unit."),
            "{text}"
        );
        assert!(!text.contains("[reason to be given]"));
    }

    // Pinned on the highest npsv, as the sample is: no warning.
    let dir = sample_with("pinned-best", |t| t);
    let check = run_in(&dir, &["check", "."]);
    assert!(
        !check.stderr.contains("preferred option"),
        "{}",
        check.stderr
    );
}

/// The sample's Financial Case states its affordability conclusion with the
/// figures `compute --json` gives: the region's net revenue effect and each
/// partner that must find money, with the amount.
#[test]
fn the_affordability_conclusion_prints_the_engines_figures() {
    use std::str::FromStr;
    let dir = temp_dir("affordability");
    let sample = fixture("sample");
    let json = run_in(&dir, &["compute", "--json", &sample]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let a = &v["affordability"];
    assert_eq!(a["option"], v["preferred_option"]);
    // £k at no decimals, as the sample prints money.
    let money = |s: &serde_json::Value| {
        let d = rust_decimal::Decimal::from_str(s.as_str().unwrap()).unwrap();
        format!("£{}k", fivecase::format::money(d.abs(), 0))
    };
    let pdf = dir.join("case.pdf");
    let build = run_in(&dir, &["build", &sample, "-o", &pdf.display().to_string()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let Some(text) = pdf_text(&pdf) else { return };
    let at = text
        .find("Affordability Over")
        .expect("the affordability conclusion");
    let conclusion = &text[at..];
    assert!(
        conclusion.contains(&format!(
            "net revenue effect after contingency is {}",
            money(&a["region"]["total"])
        )),
        "{conclusion}"
    );
    assert_eq!(a["self_funding"], false);
    for (name, p) in a["partners"].as_object().unwrap() {
        let total = p["total"].as_str().unwrap();
        if total.starts_with('-') {
            assert!(
                conclusion.contains(&format!("{name} ({} over these years", money(&p["total"]))),
                "{name}: {conclusion}"
            );
        } else if p["years_costing"].as_array().unwrap().is_empty() {
            assert!(
                !conclusion.contains(&format!("{name} (")),
                "{name}: {conclusion}"
            );
        } else {
            // A partner that gains over the period but loses in some years
            // is named with what those years cost it.
            let years: Vec<&str> = p["years_costing"]
                .as_array()
                .unwrap()
                .iter()
                .map(|y| y.as_str().unwrap())
                .collect();
            let named = format!(
                "{name} ({} in {}",
                money(&p["cost_in_years_costing"]),
                years[0]
            );
            // pdftotext may break the line anywhere in the sentence.
            let flat = conclusion.replace('\n', " ");
            assert!(flat.contains(&named), "{named}: {conclusion}");
        }
    }
    // Essex borrows, Kent draws on reserves, the others contribute from revenue.
    let method = |p: &str| v["financing"]["partners"][p]["method"].clone();
    assert_eq!(method("Essex"), "borrowing");
    assert_eq!(method("Kent"), "reserves");
    assert_eq!(method("Norfolk"), "revenue");
    assert_eq!(
        v["financing"]["partners"]["Kent"]["charge"]["2026/27"], "0",
        "reserves reach no revenue budget"
    );
    assert!(conclusion.contains("Kent from reserves"), "{conclusion}");
    assert!(conclusion.contains("Essex by borrowing"), "{conclusion}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The gap after the case is a revenue gap less a revenue effect: for every
/// partner and year, risk-adjusted gap − net revenue effect, plus the
/// contingency for the second table; the region's subtracts the partners'
/// net revenue effects summed, so it foots with them.
#[test]
fn the_gap_after_the_case_is_the_risk_adjusted_gap_less_the_net_revenue_effect() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let dir = temp_dir("gap-after-case");
    let json = run_in(&dir, &["compute", "--json", &fixture("sample")]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let d = |x: &serde_json::Value| Decimal::from_str(x.as_str().unwrap()).unwrap();
    let after = &v["gap_after_case"];
    let with = &v["gap_after_case_with_contingency"];
    let years: Vec<&str> = after["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap())
        .collect();
    assert!(!years.is_empty());
    let partners = v["net_revenue_effect"]["partners"].as_object().unwrap();
    for y in &years {
        let mut effects = Decimal::ZERO;
        let mut contingencies = Decimal::ZERO;
        for (name, effect) in partners {
            let effect = d(&effect[*y]);
            let contingency = d(&v["contingency"]["partners"][name][*y]);
            effects += effect;
            contingencies += contingency;
            let adjusted = d(&v["budget_gap"]["partners"][name]["risk_adjusted_gap"][*y]);
            assert_eq!(
                d(&after["partners"][name][*y]),
                adjusted - effect,
                "{name} {y}"
            );
            assert_eq!(
                d(&with["partners"][name][*y]),
                adjusted - effect + contingency,
                "{name} {y}"
            );
        }
        let adjusted = d(&v["budget_gap"]["region"]["risk_adjusted_gap"][*y]);
        assert_eq!(d(&after["region"][*y]), adjusted - effects, "region {y}");
        assert_eq!(
            d(&with["region"][*y]),
            adjusted - effects + contingencies,
            "region {y}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Recurring shortfalls do not add across years: with `Budget gap basis`
/// Recurring the terminal's budget-gap tables have no Total column, JSON
/// says the basis, and a value that is neither basis is a located error.
#[test]
fn a_recurring_budget_gap_is_shown_without_totals() {
    use crate::support::{check_book, valid};
    let book =
        valid()
            .set("Assumptions", 8, 0, "Budget gap basis")
            .set("Assumptions", 8, 1, "Recurring");
    let dir = temp_dir("recurring-gap");
    book.write(&dir.join("wb.xlsx"));
    let run = run_in(&dir, &["compute", "wb.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Each table is its title, a blank line, then its body.
    let pieces: Vec<&str> = run.stdout.split("\n\n").collect();
    let tables: Vec<&str> = pieces
        .windows(2)
        .filter(|w| {
            w[0].starts_with("Budget gap and risk gap") || w[0].starts_with("Gap remaining")
        })
        .map(|w| w[1])
        .collect();
    assert_eq!(tables.len(), 4, "{}", run.stdout);
    for table in &tables {
        assert!(!table.contains("Total"), "{table}");
        assert!(table.contains("recurring shortfalls"), "{table}");
    }
    let in_year = run_in(&dir, &["compute", "--json", "wb.xlsx"]);
    let v: serde_json::Value = serde_json::from_str(&in_year.stdout).unwrap();
    assert_eq!(v["budget_gap"]["basis"], "recurring");
    assert!(v["budget_gap"]["region"]["risk_adjusted_gap"]["total"].is_string());
    let run = check_book(
        "bad-basis",
        &valid()
            .set("Assumptions", 8, 0, "Budget gap basis")
            .set("Assumptions", 8, 1, "Sometimes"),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "wb.xlsx: Assumptions!B9: expected a budget gap basis of In-year, Recurring, found \"Sometimes\""
        ),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
