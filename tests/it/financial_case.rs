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

/// A risk naming a partner is that partner's contingency alone; a partner
/// name that is not on the Partners sheet is a located error with a hint;
/// a scenario leaving that partner out must drop its lines and risks.
#[test]
fn a_risk_naming_a_partner_is_its_contingency_alone() {
    use crate::support::{check_book, valid};
    let book = valid()
        .set("Risks", 0, 8, "Partner")
        .set("Risks", 1, 8, "Suffolk");
    let dir = temp_dir("risk-partner");
    book.write(&dir.join("wb.xlsx"));
    let run = run_in(&dir, &["compute", "--json", "wb.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let c = &v["contingency"];
    assert_ne!(c["region"]["2026/27"], "0");
    assert_eq!(c["partners"]["Suffolk"]["2026/27"], c["region"]["2026/27"]);
    assert_eq!(c["partners"]["Essex"]["2026/27"], "0");
    assert_eq!(c["partners"]["Kent"]["2026/27"], "0");

    let run = check_book(
        "risk-partner-typo",
        &valid()
            .set("Risks", 0, 8, "Partner")
            .set("Risks", 1, 8, "Kentt"),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("wb.xlsx: Risks!I2: unknown partner \"Kentt\"\n  hint: did you mean 'Kent'?"),
        "{}",
        run.stderr
    );

    // A scenario without Suffolk: an error naming the risk, unless its lines go.
    std::fs::write(
        dir.join("case.toml"),
        "workbook = \"wb.xlsx\"\n[[scenario]]\nname = \"no-suffolk\"\npartners = [\"Essex\", \"Kent\"]\n",
    )
    .unwrap();
    let run = run_in(&dir, &["scenarios", "case.toml"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("Risks row 2 (\"R1\") names \"Suffolk\", who does not join"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An option's `Asset life` sets the years over which its borrowing is
/// repaid: minimum revenue provision is the capital over that many years.
#[test]
fn an_options_asset_life_sets_its_minimum_revenue_provision() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let book = crate::support::valid()
        .set("Assumptions", 8, 0, "Capital financing")
        .set("Assumptions", 8, 1, "Borrowing")
        .set("Assumptions", 9, 0, "Borrowing rate")
        .set("Assumptions", 9, 1, "5%")
        .set("Options", 0, 6, "Asset life")
        .set("Options", 2, 6, "2");
    let dir = temp_dir("asset-life");
    book.write(&dir.join("wb.xlsx"));
    let run = run_in(&dir, &["compute", "--json", "wb.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let d = |x: &serde_json::Value| Decimal::from_str(x.as_str().unwrap()).unwrap();
    let essex = &v["financing"]["partners"]["Essex"];
    assert_eq!(essex["method"], "borrowing");
    let capital = d(&essex["capital"]["2025/26"]);
    assert!(capital > Decimal::ZERO);
    // Two years of MRP, each half the capital, then nothing after the period.
    assert_eq!(d(&essex["mrp"]["2026/27"]), capital / Decimal::TWO);
    assert_eq!(d(&essex["mrp"]["2027/28"]), capital / Decimal::TWO);
    assert_eq!(d(&essex["charges_after_period"]), Decimal::ZERO);

    let run = crate::support::check_book(
        "asset-life-bad",
        &crate::support::valid()
            .set("Options", 0, 6, "Asset life")
            .set("Options", 2, 6, "2.5"),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "wb.xlsx: Options!G3: expected an asset life of whole years from 1 to 100, found 2.5"
        ),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each kind's own mitigation column: a capital category mitigated by 50%
/// beside a revenue rate entered directly computes, and the model workbook
/// reads back to the same rates.
#[test]
fn a_mitigation_of_its_own_kind_sits_beside_an_entered_rate_and_reads_back() {
    let book = crate::support::valid()
        .set("Options", 0, 6, "Optimism bias mitigation capital")
        .set("Options", 2, 6, "50%");
    let dir = temp_dir("own-mitigation");
    book.write(&dir.join("wb.xlsx"));
    let first = run_in(&dir, &["compute", "--json", "wb.xlsx"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let export = run_in(&dir, &["export", "wb.xlsx", "-o", "model.xlsx"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let again = run_in(&dir, &["compute", "--json", "model.xlsx"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let a: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(a["options"], b["options"]);
    // The general column beside the entered revenue rate is still an error.
    let run = crate::support::check_book(
        "general-mitigation",
        &crate::support::valid()
            .set("Options", 0, 6, "Optimism bias mitigation")
            .set("Options", 2, 6, "50%"),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Options!G3: mitigation applies to a Green Book category"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
