//! `fivecase compute` and `fivecase scenarios` through the real binary.
//! (The engine's purity is checked in architecture.rs.)

use std::process::Command;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

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

#[test]
fn scenarios_reports_an_unreadable_case_with_exit_code_1() {
    let out = fivecase(&["scenarios", "/nonexistent/case-folder", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let out = fivecase(&[
        "compute",
        "/nonexistent/case-folder",
        "--scenario",
        "late savings",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

fn fixture(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn json_of(args: &[&str]) -> Value {
    let out = fivecase(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("a decimal string")).expect("a decimal")
}

/// The regional financial forecast of the East Midlands collaboration plan
/// (£m, 2008/09 to 2010/11), read from the fixture workbook and computed.
#[test]
fn east_midlands_regional_forecast_through_the_workbook() {
    let v = json_of(&["compute", &fixture("east-midlands"), "--json"]);
    let gap = &v["budget_gap"];
    assert_eq!(
        gap["years"],
        serde_json::json!(["2008/09", "2009/10", "2010/11"])
    );
    assert_eq!(gap["partners"], serde_json::json!({}));
    let expected: [(&str, [&str; 3], &str); 8] = [
        ("base_budget_gap", ["7.4", "8.1", "6.2"], "21.7"),
        ("use_of_reserves", ["-5.2", "-5.0", "-4.3"], "-14.5"),
        (
            "cash_releasing_efficiencies",
            ["-2.2", "-3.1", "-1.9"],
            "-7.2",
        ),
        ("residual_gap", ["0", "0", "0"], "0"),
        ("identified_risk_gap", ["13.5", "13.8", "14.1"], "41.4"),
        ("risk_adjusted_gap", ["13.5", "13.8", "14.1"], "41.4"),
        ("loss_of_grant_to_floors", ["20.5", "19.1", "17.6"], "57.2"),
        ("increase_in_borrowing", ["20.3", "11.7", "6.6"], "38.6"),
    ];
    for (line, years, total) in expected {
        let row = &gap["region"][line];
        for (year, want) in ["2008/09", "2009/10", "2010/11"].iter().zip(years) {
            assert_eq!(
                dec(&row[*year]),
                Decimal::from_str(want).unwrap(),
                "{line} {year}"
            );
        }
        assert_eq!(
            dec(&row["total"]),
            Decimal::from_str(total).unwrap(),
            "{line} total"
        );
    }
}

#[test]
fn east_midlands_budget_table_in_the_terminal() {
    let out = fivecase(&["compute", &fixture("east-midlands")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let table = "\
Budget gap and risk gap: region (£m)

                                   2008/09  2009/10  2010/11   Total
---------------------------------  -------  -------  -------  ------
Base budget gap                        7.4      8.1      6.2    21.7
Use of reserves and one-off grant    (5.2)    (5.0)    (4.3)  (14.5)
Cash releasing efficiencies          (2.2)    (3.1)    (1.9)   (7.2)
---------------------------------  -------  -------  -------  ------
Residual gap                           0.0      0.0      0.0     0.0
---------------------------------  -------  -------  -------  ------
Identified risk gap                   13.5     13.8     14.1    41.4
---------------------------------  -------  -------  -------  ------
Risk adjusted gap                     13.5     13.8     14.1    41.4
---------------------------------  -------  -------  -------  ------
Loss of grant to floors (memo)        20.5     19.1     17.6    57.2
Increase in borrowing (memo)          20.3     11.7      6.6    38.6
";
    assert!(text.contains(table), "{text}");
}

/// Summed over partners, apportioned costs, capital and savings equal the
/// cash view's totals rounded to the penny (£k: five places), every year.
#[test]
fn sample_apportionment_foots_to_the_cash_view() {
    let v = json_of(&["compute", &fixture("sample"), "--json"]);
    let penny = |d: Decimal| {
        d.round_dp_with_strategy(5, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    let options = v["apportionment"]["options"].as_object().unwrap();
    assert!(!options.is_empty());
    for (basis, profile_key) in [
        (None, "savings_profile"),
        (Some("nominal"), "savings_profile_nominal"),
    ] {
        for (option, partners) in options {
            let profile = v[profile_key][option].as_object().unwrap();
            for (year, p) in profile {
                for (measure, field) in [
                    ("costs", "costs"),
                    ("capital", "capital"),
                    ("savings", "cashable"),
                ] {
                    let sum: Decimal = partners
                        .as_object()
                        .unwrap()
                        .values()
                        .map(|f| dec(&basis.map_or(f, |b| &f[b])[measure][year]))
                        .sum();
                    assert_eq!(
                        sum,
                        penny(dec(&p[field])),
                        "{option} {year} {measure} {basis:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn sample_json_is_byte_identical_across_runs() {
    let a = fivecase(&["compute", &fixture("sample"), "--json"]);
    let b = fivecase(&["compute", &fixture("sample"), "--json"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let v: Value = serde_json::from_slice(&a.stdout).unwrap();
    for key in [
        "unit",
        "base_year",
        "years",
        "green_book_edition",
        "discount_factors",
        "options",
        "preferred_option",
        "savings_profile",
        "savings_profile_nominal",
        "apportionment",
        "budget_gap",
        "gap_after_case",
        "switching_values",
        "sensitivity",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn sample_scenarios_side_by_side_in_json() {
    let v = json_of(&["scenarios", &fixture("sample"), "--json"]);
    assert_eq!(v["base"]["name"], "base");
    let names: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "savings-late",
            "realisation-80",
            "overrun-10",
            "five-forces",
            "by-nre",
            "bau-dearer"
        ]
    );
    // Norfolk and Suffolk do not join the five-forces scenario.
    let five = &v["scenarios"][3]["partners"];
    assert_eq!(five.as_object().unwrap().len(), 5);
    assert!(five.get("Norfolk").is_none());
    // 80% realisation: the preferred option's savings are 80% of the base's.
    let base = dec(&v["base"]["total_cashable_savings"]);
    let eighty = dec(&v["scenarios"][1]["total_cashable_savings"]);
    assert_eq!(eighty, base * Decimal::new(8, 1));
}

#[test]
fn compute_one_scenario_names_it_in_the_json() {
    let v = json_of(&[
        "compute",
        &fixture("sample"),
        "--scenario",
        "by-nre",
        "--json",
    ]);
    assert_eq!(v["scenario"], "by-nre");
    assert_eq!(v["apportionment"]["key"], "Net revenue expenditure");
}

#[test]
fn an_unknown_scenario_lists_the_ones_there_are() {
    let out = fivecase(&["compute", &fixture("sample"), "--scenario", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fivecase: no scenario \"nope\" in case.toml\n  \
         hint: the scenarios are savings-late, realisation-80, overrun-10, five-forces, by-nre, bau-dearer\n"
    );
    // Scenario names follow the common name rule; a near miss gets the one hint format.
    let out = fivecase(&[
        "compute",
        &fixture("sample"),
        "--scenario",
        " Savings-LATE ",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = fivecase(&["compute", &fixture("sample"), "--scenario", "savings-lat"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fivecase: no scenario \"savings-lat\" in case.toml\n  hint: did you mean 'savings-late'?\n"
    );
}

#[test]
fn option_shows_another_options_financial_case() {
    let sample = fixture("sample");
    let base = json_of(&["compute", "--json", &sample]);
    let merge = json_of(&["compute", "--json", "--option", "MERGE", &sample]);
    // The appraisal and the preferred option are the case's; only the
    // Financial Case figures are the option asked for.
    assert_eq!(merge["preferred_option"], base["preferred_option"]);
    assert_eq!(merge["options"], base["options"]);
    for key in [
        "financing",
        "contingency",
        "net_revenue_effect",
        "affordability",
    ] {
        assert_eq!(base[key]["option"], "HUB", "{key}");
        assert_eq!(merge[key]["option"], "MERGE", "{key}");
    }
    assert_ne!(merge["affordability"], base["affordability"]);

    let out = fivecase(&["compute", "--option", "MERG", &sample]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fivecase: no option \"MERG\"\n  hint: did you mean 'MERGE'?\n"
    );
    let out = fivecase(&["compute", "--option", "BAU", &sample]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("business as usual"));
}
