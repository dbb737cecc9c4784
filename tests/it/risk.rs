//! The quantified risk analysis: its workbook columns and case.toml table
//! in `check`, and `fivecase risk`.

use crate::support::{check_book, valid};

/// The valid workbook with ranges on Costs (row 2: BAU control rooms; row
/// 4: OPT1 running costs), Benefits (row 2) and the risk's impact range.
pub(crate) fn ranged() -> crate::support::Book {
    valid()
        // Costs: headers after the year columns.
        .set("Costs", 0, 7, "Range low")
        .set("Costs", 0, 8, "Range high")
        .set("Costs", 0, 9, "Distribution")
        .set("Costs", 0, 10, "Group")
        .set("Costs", 1, 7, "-0.05")
        .set("Costs", 1, 8, "0.1")
        .set("Costs", 3, 7, "-10%")
        .set("Costs", 3, 8, "30%")
        .set("Costs", 3, 9, "Uniform")
        .set("Costs", 3, 10, "Staffing")
        .set("Benefits", 0, 7, "Range low")
        .set("Benefits", 0, 8, "Range high")
        .set("Benefits", 0, 10, "Group")
        .set("Benefits", 1, 7, "-0.4")
        .set("Benefits", 1, 8, "0.1")
        .set("Benefits", 1, 10, "staffing")
        .set("Risks", 0, 8, "Impact low")
        .set("Risks", 0, 9, "Impact high")
        .set("Risks", 1, 8, "20")
        .set("Risks", 1, 9, "120")
}

#[test]
fn ranges_check_clean() {
    let run = check_book("risk-ranges-ok", &ranged());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn every_bad_range_cell_is_located() {
    let book = ranged()
        .set("Costs", 1, 7, "0.1")
        .set("Costs", 1, 8, "-0.2")
        .set("Costs", 3, 9, "Normal")
        .set("Benefits", 1, 7, "-150%")
        .set("Benefits", 1, 8, "lots")
        .set("Risks", 1, 8, "60")
        .set("Risks", 1, 9, "40");
    let run = check_book("risk-ranges-bad", &book);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("wb.xlsx:") && !l.contains("warning"))
        .collect();
    assert_eq!(
        errors,
        [
            "wb.xlsx: Costs!H2: expected a range low from -100% to 0% as a fraction such as -0.1, found 10%",
            "wb.xlsx: Costs!I2: expected a range high from 0% to 1000% as a fraction such as 0.3, found -20%",
            "wb.xlsx: Costs!J4: expected a distribution of Triangular or Uniform, found \"Normal\"",
            "wb.xlsx: Benefits!H2: expected a range low from -100% to 0% as a fraction such as -0.1, found -150%",
            "wb.xlsx: Benefits!I2: expected a number or a percentage, found \"lots\"",
            "wb.xlsx: Risks!I2: expected an Impact low of at most the Impact (50), found 60",
            "wb.xlsx: Risks!J2: expected an Impact high of at least the Impact (50), found 40",
        ],
        "{}",
        run.stderr
    );
}

/// Writes `book` as wb.xlsx and runs `fivecase ARGS` beside it.
fn run_book(name: &str, book: &crate::support::Book, args: &[&str]) -> crate::support::Run {
    let dir = crate::support::temp_dir(name);
    book.write(&dir.join("wb.xlsx"));
    crate::support::run_in(&dir, args)
}

#[test]
#[allow(
    clippy::many_single_char_names,
    reason = "v, r, o, s, p: the document and its parts"
)]
fn risk_json_follows_its_contract_and_is_reproducible() {
    let args = ["risk", "wb.xlsx", "--json", "--iterations", "3000"];
    let run = run_book("risk-json", &ranged(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = run_book("risk-json-again", &ranged(), &args);
    assert_eq!(
        run.stdout, again.stdout,
        "the same seed gives the same bytes"
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let r = &v["risk_analysis"];
    assert_eq!(r["iterations"], 3000);
    assert_eq!(r["seed"], 1);
    assert_eq!(r["percentiles"], serde_json::json!([10, 20, 50, 80, 90]));
    for option in ["BAU", "OPT1"] {
        let o = &r["options"][option];
        for figure in ["pv_costs", "pv_benefits", "npsv"] {
            let s = &o[figure];
            for key in ["mean", "std_error", "p10", "p20", "p50", "p80", "p90"] {
                assert!(s[key].is_string(), "{option} {figure} {key}: {s}");
            }
            for key in ["p10", "p20", "p50", "p80", "p90"] {
                assert_eq!(s["ci95"][key].as_array().unwrap().len(), 2);
            }
            let p = |k: &str| s[k].as_str().unwrap().parse::<f64>().unwrap();
            assert!(p("p10") <= p("p20") && p("p20") <= p("p50") && p("p50") <= p("p80"));
            let ci = |k: &str, i: usize| s["ci95"][k][i].as_str().unwrap().parse::<f64>().unwrap();
            assert!(ci("p80", 0) <= p("p80") && p("p80") <= ci("p80", 1));
        }
        assert!(o["prob_npsv_positive"].is_string());
    }
    // The running costs' range and the risk move OPT1's costs.
    let costs = &r["options"]["OPT1"]["pv_costs"];
    assert_ne!(costs["p20"], costs["p80"]);
    let kent = &r["partners"]["Kent"];
    assert!(kent["allowance_p80"].is_string());
    let p50: f64 = kent["allowance_p50"].as_str().unwrap().parse().unwrap();
    let p80: f64 = kent["allowance_p80"].as_str().unwrap().parse().unwrap();
    assert!(
        p80 >= p50,
        "holding for 80% confidence takes more than for 50%"
    );
    // The Budget sheet's years within the appraisal.
    let gap = r["gap_after_case_with_risk"].as_object().unwrap();
    assert_eq!(gap.keys().collect::<Vec<_>>(), ["2025/26", "2026/27"]);

    // Another seed, other draws.
    let other = run_book(
        "risk-json-seed",
        &ranged(),
        &[
            "risk",
            "wb.xlsx",
            "--json",
            "--iterations",
            "3000",
            "--seed",
            "2",
        ],
    );
    assert_ne!(run.stdout, other.stdout);
}

#[test]
fn risk_tables_show_both_views() {
    let run = run_book(
        "risk-tables",
        &ranged(),
        &["risk", "wb.xlsx", "--iterations", "500"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Quantified risk analysis: 500 iterations, seed 1; no optimism bias")
    );
    for text in [
        "PV costs P80",
        "with OB",
        "Risk allowance by partner",
        "Allowance 80%",
        "Region's gap after the case with risk",
    ] {
        assert!(run.stdout.contains(text), "{text}:\n{}", run.stdout);
    }
}

#[test]
fn bad_iterations_are_a_usage_error() {
    let run = run_book(
        "risk-usage",
        &ranged(),
        &["risk", "wb.xlsx", "--iterations", "0"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("expected a whole number from 1 to 1,000,000, or auto, found \"0\""),
        "{}",
        run.stderr
    );
}

#[test]
fn export_writes_the_risk_analysis_sheet_and_keeps_the_ranges() {
    use calamine::{Data, Reader as _};
    let dir = crate::support::temp_dir("risk-export");
    ranged().write(&dir.join("wb.xlsx"));
    let run = crate::support::run_in(&dir, &["export", "wb.xlsx", "-o", "model.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("model.xlsx")).unwrap();
    let sheet = book.worksheet_range("Risk analysis").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(3, 0), Data::String("Iterations".into()));
    assert_eq!(cell(3, 1), Data::String("10000".into()));
    // The histogram's counts add up to the iterations.
    let title = (0..u32::try_from(sheet.height()).unwrap())
        .find(|r| matches!(cell(*r, 0), Data::String(s) if s.starts_with("NPSV histogram")))
        .expect("a histogram");
    let counts: f64 = (title + 2..title + 42)
        .map(|r| match cell(r, 2) {
            Data::Float(f) => f,
            other => panic!("row {r}: {other:?}"),
        })
        .sum();
    assert!((counts - 10_000.0).abs() < f64::EPSILON);
    // The exported input sheets carry the ranges: the model workbook runs
    // to the same analysis, byte for byte.
    let from_export = crate::support::run_in(&dir, &["risk", "model.xlsx", "--json"]);
    let from_input = crate::support::run_in(&dir, &["risk", "wb.xlsx", "--json"]);
    assert_eq!(from_export.code, 0, "{}", from_export.stderr);
    assert_eq!(from_export.stdout, from_input.stdout);
}

#[test]
fn a_case_without_ranges_exports_and_builds_without_the_analysis() {
    use calamine::Reader as _;
    let dir = crate::support::temp_dir("risk-none");
    valid().write(&dir.join("wb.xlsx"));
    let run = crate::support::run_in(&dir, &["export", "wb.xlsx", "-o", "model.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("model.xlsx")).unwrap();
    assert!(!book.sheet_names().iter().any(|s| s == "Risk analysis"));
}

#[test]
fn the_sample_pdf_shows_the_analysis_with_the_figures_risk_prints() {
    let dir = crate::support::temp_dir("risk-pdf");
    assert_eq!(crate::support::run_in(&dir, &["new", "case"]).code, 0);
    let run = crate::support::run_in(&dir, &["build", "case", "-o", "case.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = crate::support::run_in(&dir, &["risk", "case", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let Some(pages) = fivecase::testkit::pdf_text(&dir.join("case.pdf"), "-layout") else {
        return;
    };
    let text = pages.join("\n");
    for heading in [
        "Quantified risk analysis",
        "cumulative probability (S-curve)",
        "The quantified view beside the optimism-bias view",
        "Risk allowances by partner",
        "The 80% figures are those the case is 80% likely to do no worse than",
    ] {
        assert!(text.contains(heading), "{heading} missing");
    }
    // HUB's NPSV P20, rounded to £k as the document shows it.
    let p20: f64 = v["risk_analysis"]["options"]["HUB"]["npsv"]["p20"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let shown = format!("{:.0}", p20.round());
    let with_commas = {
        let digits: Vec<char> = shown.chars().collect();
        let mut out = String::new();
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(*c);
        }
        out
    };
    assert!(text.contains(&with_commas), "{with_commas} not in the PDF");
}
