//! `fivecase portfolio`: the programme roll-up, checked against each case's
//! own `compute --json --option ID`, and its refusals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{run_in, temp_dir};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    root().join("fixtures/portfolio-sample")
}

/// Copies the sample programme to a fresh folder, to edit.
fn copy_sample(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let run = run_in(&dir, &["new", "--portfolio", "programme"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir.join("programme")
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let run = run_in(dir, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))).unwrap()
}

/// `value` in `from` expressed in `to` (the test's own conversion: by powers of ten, exactly).
fn convert(value: Decimal, from: &str, to: &str) -> Decimal {
    let step = |u: &str| match u {
        "£" => 0,
        "£k" => 1,
        "£m" => 2,
        other => panic!("unit {other}"),
    };
    let mut v = value;
    for _ in step(to)..step(from) {
        v *= Decimal::from(1000);
    }
    for _ in step(from)..step(to) {
        v /= Decimal::from(1000);
    }
    v
}

/// Each case's figures from its own `compute --json --option ID`, converted
/// to `unit`: partner → year → key → amount.
type Figures = BTreeMap<String, BTreeMap<String, BTreeMap<&'static str, Decimal>>>;

fn case_figures(dir: &Path, path: &str, option: &str, unit: &str) -> Figures {
    let c = json(dir, &["compute", "--json", "--option", option, path]);
    let from = c["unit"].as_str().unwrap().to_string();
    let mut out = Figures::new();
    let years: Vec<String> = c["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap().to_string())
        .collect();
    let apportioned = c["apportionment"]["options"][option].as_object().unwrap();
    for (partner, flows) in apportioned {
        for y in &years {
            let mut fig = BTreeMap::new();
            for key in ["costs", "capital", "revenue", "savings", "net"] {
                fig.insert(key, dec(&flows["nominal"][key][y]));
            }
            fig.insert(
                "net_revenue_effect",
                dec(&c["net_revenue_effect"]["partners"][partner][y]),
            );
            fig.insert(
                "contingency",
                dec(&c["contingency"]["partners"][partner][y]),
            );
            fig.insert(
                "financing_charge",
                dec(&c["financing"]["partners"][partner]["charge"][y]),
            );
            for v in fig.values_mut() {
                *v = convert(*v, &from, unit);
            }
            out.entry(partner.clone())
                .or_default()
                .insert(y.clone(), fig);
        }
    }
    out
}

const KEYS: [&str; 8] = [
    "costs",
    "capital",
    "revenue",
    "savings",
    "net",
    "net_revenue_effect",
    "contingency",
    "financing_charge",
];

/// Checks that every force's figure each year is the sum of the included
/// cases' own figures, and the total the sum over forces.
fn assert_foots(dir: &Path) -> Value {
    let p = json(dir, &["portfolio", "show", "--json", "."]);
    let unit = p["unit"].as_str().unwrap().to_string();
    let mut sum: Figures = Figures::new();
    for case in p["cases"].as_array().unwrap() {
        if !case["included"].as_bool().unwrap() {
            continue;
        }
        let option = case["option"].as_str().unwrap();
        let figures = case_figures(dir, case["path"].as_str().unwrap(), option, &unit);
        for (partner, years) in figures {
            for (year, fig) in years {
                let slot = sum
                    .entry(partner.clone())
                    .or_default()
                    .entry(year)
                    .or_default();
                for (k, v) in fig {
                    *slot.entry(k).or_default() += v;
                }
            }
        }
    }
    let years: Vec<&str> = p["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap())
        .collect();
    let partners = p["partners"].as_object().unwrap();
    assert_eq!(partners.len(), 7);
    let mut checked = 0;
    for (partner, by_year) in partners {
        for y in &years {
            for key in KEYS {
                let expected = sum
                    .get(partner)
                    .and_then(|m| m.get(*y))
                    .and_then(|f| f.get(key))
                    .copied()
                    .unwrap_or_default();
                assert_eq!(
                    dec(&by_year[*y][key]),
                    expected,
                    "{partner} {y} {key} in {unit}"
                );
                checked += 1;
            }
        }
    }
    for y in &years {
        for key in KEYS {
            let total: Decimal = partners.values().map(|v| dec(&v[*y][key])).sum();
            assert_eq!(dec(&p["total"][*y][key]), total, "total {y} {key}");
        }
    }
    assert_eq!(checked, 7 * years.len() * KEYS.len());
    p
}

#[test]
fn the_sample_programme_is_the_committed_fixture() {
    let dir = copy_sample("fixture");
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert_eq!(files.len(), 35);
    for f in files {
        let rel = f.strip_prefix(&dir).unwrap();
        let committed = std::fs::read(fixture().join(rel)).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: run `fivecase new --portfolio fixtures/portfolio-sample`",
                rel.display()
            )
        });
        assert!(
            std::fs::read(&f).unwrap() == committed,
            "{} differs from the fixture",
            rel.display()
        );
    }
}

#[test]
fn the_sample_programme_prints_what_is_expected_of_it() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(fixture().join("expected"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (name, args) in [
            (
                "show",
                &["portfolio", "show", "fixtures/portfolio-sample"][..],
            ),
            (
                "show-json",
                &["portfolio", "show", "--json", "fixtures/portfolio-sample"][..],
            ),
        ] {
            let run = run_in(&root(), args);
            let text = format!(
                "$ fivecase {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
                args.join(" "),
                run.code,
                run.stdout,
                run.stderr
            );
            insta::assert_snapshot!(name, text);
        }
    });
}

#[test]
fn the_programme_foots_against_each_cases_own_compute_in_every_unit() {
    // The sample mixes £k cases with a £m one; the roll-up is checked in £m
    // (as written), in £k and in £, exactly.
    let dir = copy_sample("foots");
    let p = assert_foots(&dir);
    assert_eq!(p["unit"], "£m");
    let units: Vec<&str> = p["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["£k", "£k", "£m", "£k"]);
    let toml = dir.join("portfolio.toml");
    edit(&toml, "display_unit = \"£m\"", "display_unit = \"£k\"");
    assert_eq!(assert_foots(&dir)["unit"], "£k");
    edit(&toml, "display_unit = \"£k\"", "display_unit = \"£\"");
    assert_eq!(assert_foots(&dir)["unit"], "£");
}

#[test]
fn excluding_a_case_changes_each_force_by_exactly_that_case() {
    let dir = copy_sample("include");
    let before = json(&dir, &["portfolio", "show", "--json", "."]);
    edit(
        &dir.join("portfolio.toml"),
        "path = \"forensics\"",
        "path = \"forensics\"\ninclude = false",
    );
    let after = json(&dir, &["portfolio", "show", "--json", "."]);
    let forensics = case_figures(&dir, "forensics", "FCMS", "£m");
    assert_eq!(forensics.keys().collect::<Vec<_>>(), ["Essex", "Kent"]);
    let years: Vec<&str> = before["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap())
        .collect();
    let mut nonzero = 0;
    for (partner, by_year) in before["partners"].as_object().unwrap() {
        for y in &years {
            for key in KEYS {
                let change = dec(&by_year[*y][key]) - dec(&after["partners"][partner][*y][key]);
                let expected = forensics
                    .get(partner)
                    .and_then(|m| m.get(*y))
                    .and_then(|f| f.get(key))
                    .copied()
                    .unwrap_or_default();
                assert_eq!(change, expected, "{partner} {y} {key}");
                if !change.is_zero() {
                    nonzero += 1;
                }
            }
        }
    }
    assert!(
        nonzero > 20,
        "the forensic case moved only {nonzero} figures"
    );
    // Still listed and ranked, but out of the totals and the npsv total.
    let case = &after["cases"][2];
    assert_eq!(case["path"], "forensics");
    assert_eq!(case["included"], false);
    // npsv carries 28 significant digits, so sums agree to 20 places, not to the last digit.
    assert_eq!(
        (dec(&before["npsv_total"]) - dec(&after["npsv_total"])).round_dp(20),
        dec(&before["cases"][2]["npsv"]).round_dp(20)
    );
    assert!(after["net_position"]["Essex"]["by_case"]["forensics"].is_string());
}

#[test]
fn a_case_whose_baseline_is_preferred_counts_as_zero() {
    let dir = copy_sample("baseline");
    edit(
        &dir.join("firearms/case.toml"),
        "preferred = \"RANGE\"\n",
        "",
    );
    // Without the pin, RANGE's negative npsv leaves business as usual preferred.
    let p = json(&dir, &["portfolio", "show", "--json", "."]);
    let case = &p["cases"][3];
    assert_eq!(case["path"], "firearms");
    assert_eq!(case["option"], Value::Null);
    assert_eq!(case["npsv"], "0");
    assert_eq!(case["value_for_money"], "baseline");
    for (partner, n) in p["net_position"].as_object().unwrap() {
        if let Some(v) = n["by_case"].get("firearms") {
            assert_eq!(v, "0", "{partner}");
        }
    }
    let run = run_in(&dir, &["portfolio", "show", "."]);
    assert!(
        run.stdout
            .contains("firearms: recommends no option; counted as zero"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_invalid_case_refuses_the_portfolio_naming_the_case_path() {
    let dir = copy_sample("invalid");
    // A workbook that is not one, and an option the case does not have.
    std::fs::write(dir.join("vetting/workbook.xlsx"), b"not a workbook").unwrap();
    edit(
        &dir.join("portfolio.toml"),
        "path = \"forensics\"",
        "path = \"forensics\"\noption = \"FCSM\"",
    );
    let run = run_in(&dir, &["portfolio", "show", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("./vetting/workbook.xlsx: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("./portfolio.toml:49:10: `option` in [[case]] \"forensics\": the case has no option \"FCSM\"\n  hint: did you mean 'FCMS'?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("fivecase: 2 problems found; nothing was written\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_programme_paper_without_a_date_is_an_error_at_portfolio_toml() {
    let dir = copy_sample("undated");
    edit(&dir.join("portfolio.toml"), "date = 2026-11-23\n", "");
    let run = run_in(&dir, &["portfolio", "build", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "./portfolio.toml: the programme paper has no date\n  hint: add `date = \"2026-11-20\"` \
         to it, or give one with --date YYYY-MM-DD\nfivecase: 1 problem found; nothing was written\n"
    );
    assert!(
        !std::fs::read_dir(&dir).unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "pdf"))
    );
}

#[test]
fn portfolio_toml_problems_are_located_with_hints() {
    let dir = temp_dir("toml");
    std::fs::write(
        dir.join("portfolio.toml"),
        r#"titel = "x"
display_unit = "£bn"

[prioritisation]
strategic = [{ name = "Savings", weight = 0, descriptors = ["a", "b", "c", "d", "e"] }]
practicality = [{ name = "Deliverability", weight = 1, descriptors = ["a", "b"] }]

[[tier]]
name = "Tier 1"
min_strategic = 3.5
min_practicality = 3

[[case]]
path = "a"
scores = { "Savngs" = 4, "Deliverability" = 6 }
tier_override = "Tier One"
"#,
    )
    .unwrap();
    let run = run_in(&dir, &["portfolio", "show", "."]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr, @r#"
    ./portfolio.toml:1:1: unknown key `titel`
      hint: did you mean `title`?
    ./portfolio.toml:2:16: `display_unit`: expected £, £k or £m, found "£bn"
    ./portfolio.toml:5:43: `weight` in [prioritisation] `strategic` "Savings": expected a number above 0 and at most 1,000,000, found 0
    ./portfolio.toml:6:70: `descriptors` in [prioritisation] `practicality` "Deliverability": expected 5, one for each score from 1 to 5, found 2
    ./portfolio.toml:13:1: `scores` in [[case]] "a" has no score for "Savings"
    ./portfolio.toml:15:12: `scores` in [[case]] "a": no sub-criterion "Savngs"
      hint: did you mean 'Savings'?
    ./portfolio.toml:15:26: `scores` in [[case]] "a": "Deliverability": expected a whole score from 1 to 5, found 6
    ./portfolio.toml:16:17: `tier_override` in [[case]] "a": no tier "Tier One"
      hint: the tiers are Tier 1
    ./portfolio.toml:16:17: `tier_override` in [[case]] "a" needs an `override_reason`: the reasonableness test is shown wherever the tier is
    fivecase: 9 problems found; nothing was written
    "#);
}

#[test]
fn more_than_2000_cases_is_a_located_error() {
    let dir = temp_dir("limit");
    let mut text = String::new();
    for i in 0..=2000 {
        text.push_str("[[case]]\npath = \"c");
        text.push_str(&i.to_string());
        text.push_str("\"\n");
    }
    std::fs::write(dir.join("portfolio.toml"), text).unwrap();
    let run = run_in(&dir, &["portfolio", "show", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("./portfolio.toml:4001:1: more than 2000 [[case]] entries: a portfolio holds at most 2000 cases\n"),
        "{}",
        run.stderr
    );
}

/// The exact figures of a table's row labelled `label`, in column order.
fn row_values(table: &fivecase::document::Table, label: &str) -> Vec<Decimal> {
    let row = table
        .rows
        .iter()
        .find(|r| r.cells[0].text == label)
        .unwrap_or_else(|| panic!("no row {label:?} in {:?}", table.caption));
    row.cells[1..].iter().map(|c| c.value.unwrap()).collect()
}

#[test]
fn the_programme_paper_shows_the_figures_of_portfolio_show() {
    let dir = copy_sample("paper");
    let p = json(&dir, &["portfolio", "show", "--json", "."]);
    let loaded = fivecase::portfolio::load(&dir).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let doc = fivecase::portfolio::document::build(&loaded.file, &loaded.programme, date);
    let tables: Vec<&fivecase::document::Table> = doc.tables().collect();
    let years: Vec<&str> = p["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap())
        .collect();
    // The programme by year: every figure of `total`, each year.
    let summary = tables
        .iter()
        .find(|t| t.caption == "The programme by year")
        .unwrap();
    for (label, key) in [
        ("Costs", "costs"),
        ("of which capital", "capital"),
        ("Cashable savings", "savings"),
        ("Net (savings less costs)", "net"),
        ("Financing charges", "financing_charge"),
        ("Net revenue effect", "net_revenue_effect"),
        ("Contingency", "contingency"),
    ] {
        let values = row_values(summary, label);
        for (y, v) in years.iter().zip(&values) {
            assert_eq!(*v, dec(&p["total"][*y][key]), "{label} {y}");
        }
    }
    // Each force's position: every case's row and the programme's, with the net position totals.
    let mut forces = 0;
    for (partner, n) in p["net_position"].as_object().unwrap() {
        let caption = format!("{partner}: net revenue effect by case");
        let t = tables.iter().find(|t| t.caption == caption).unwrap();
        let programme = row_values(t, "Programme");
        for (y, v) in years.iter().zip(&programme) {
            assert_eq!(
                *v,
                dec(&p["partners"][partner][*y]["net_revenue_effect"]),
                "{partner} {y}"
            );
        }
        assert_eq!(
            *programme.last().unwrap(),
            dec(&n["programme"]),
            "{partner}"
        );
        for (case, total) in n["by_case"].as_object().unwrap() {
            assert_eq!(
                *row_values(t, case).last().unwrap(),
                dec(total),
                "{partner} {case}"
            );
        }
        forces += 1;
    }
    assert_eq!(forces, 7);
    // The ranking: rank, scores and npsv of every case.
    let ranking = tables
        .iter()
        .find(|t| t.caption == "The cases in order of priority")
        .unwrap();
    for case in p["cases"].as_array().unwrap() {
        let path = case["path"].as_str().unwrap();
        let row = ranking
            .rows
            .iter()
            .find(|r| r.cells[1].text == path)
            .unwrap();
        assert_eq!(
            row.cells[0].value,
            Some(Decimal::from(case["rank"].as_u64().unwrap()))
        );
        assert_eq!(row.cells[3].value, Some(dec(&case["strategic"])), "{path}");
        assert_eq!(row.cells[6].value, Some(dec(&case["npsv"])), "{path}");
    }

    // The gap after the programme: each force's three lines, as --json gives them.
    let gap = tables
        .iter()
        .find(|t| t.caption == "The gap after the programme")
        .unwrap();
    let gap_years: Vec<String> = p["gap_after_programme"]["region"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut force = String::new();
    let mut gap_rows = 0;
    for row in &gap.rows {
        if !row.cells[0].text.is_empty() {
            force.clone_from(&row.cells[0].text);
        }
        let key = match row.cells[1].text.as_str() {
            "Risk-adjusted gap" => "risk_adjusted_gap",
            "After the programme" => "gap_after_programme",
            "With contingency" => "gap_after_programme_with_contingency",
            other => panic!("{other}"),
        };
        let expected = if force == "Region" {
            &p[key]["region"]
        } else {
            &p[key]["partners"][&force]
        };
        for (y, cell) in gap_years.iter().zip(&row.cells[2..]) {
            assert_eq!(cell.value, Some(dec(&expected[y])), "{force} {key} {y}");
        }
        gap_rows += 1;
    }
    assert_eq!(gap_rows, 8 * 3);

    // And the PDF a user gets prints them.
    let run = run_in(&dir, &["portfolio", "build", ".", "-o", "paper.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "wrote paper.pdf\n");
    let Some(pages) = fivecase::testkit::pdf_text(&dir.join("paper.pdf"), "-layout") else {
        return;
    };
    let text = pages.join("\n");
    for needle in [
        "Programme summary",
        "Tier 1 (override)",
        "Priority matrix",
        "against the combined risk-adjusted gap",
        "The gap after the programme",
        "Kent: net revenue effect by case",
        "The Summit treats vetting capacity",
        "Planning consent for the",
    ] {
        assert!(text.contains(needle), "{needle:?} not in the PDF");
    }
    let kent = dec(&p["net_position"]["Kent"]["programme"]).round_dp(2);
    assert!(
        text.contains(&kent.to_string()),
        "Kent's programme total {kent} not in the PDF"
    );
    // Reproducible: the same inputs give the same bytes.
    let again = run_in(&dir, &["portfolio", "build", ".", "-o", "again.pdf"]);
    assert_eq!(again.code, 0);
    assert!(
        std::fs::read(dir.join("paper.pdf")).unwrap()
            == std::fs::read(dir.join("again.pdf")).unwrap()
    );
}

#[test]
fn a_synthetic_programme_across_43_forces_rolls_up() {
    // The benchmark's programme, smaller: every case valid, every force found.
    let dir = temp_dir("synthetic");
    fivecase::portfolio::sample::write_synthetic(&dir, 30, 43).unwrap();
    let run = run_in(&dir, &["portfolio", "show", "--json", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let p: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(p["cases"].as_array().unwrap().len(), 30);
    assert_eq!(p["partners"].as_object().unwrap().len(), 43);
    let ranks: std::collections::BTreeSet<u64> = p["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=30).collect());
}

#[test]
fn the_gap_after_the_programme_is_the_risk_adjusted_gap_less_the_net_revenue_effect() {
    let dir = copy_sample("gap");
    let p = json(&dir, &["portfolio", "show", "--json", "."]);
    // The programme budget is the same plan as the hub's own Budget sheet (in £k).
    let hub = json(&dir, &["compute", "--json", "hub"]);
    let gap = &p["gap_after_programme"];
    let with = &p["gap_after_programme_with_contingency"];
    let rag = &p["risk_adjusted_gap"];
    let mut checked = 0;
    let mut region_nre: BTreeMap<String, Decimal> = BTreeMap::new();
    for (partner, years) in gap["partners"].as_object().unwrap() {
        for (y, g) in years.as_object().unwrap() {
            let fig = &p["partners"][partner][y];
            let r = dec(&rag["partners"][partner][y]);
            assert_eq!(
                r,
                convert(
                    dec(&hub["budget_gap"]["partners"][partner]["risk_adjusted_gap"][y]),
                    "£k",
                    "£m"
                ),
                "{partner} {y}"
            );
            assert_eq!(dec(g), r - dec(&fig["net_revenue_effect"]), "{partner} {y}");
            assert_eq!(
                dec(&with["partners"][partner][y]),
                dec(g) + dec(&fig["contingency"]),
                "{partner} {y}"
            );
            *region_nre.entry(y.clone()).or_default() += dec(&fig["net_revenue_effect"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 7 * 4);
    for (y, nre) in region_nre {
        assert_eq!(
            dec(&gap["region"][&y]),
            dec(&rag["region"][&y]) - nre,
            "region {y}"
        );
    }
    let run = run_in(&dir, &["portfolio", "show", "."]);
    assert!(
        run.stdout.contains("Gap after the programme (£m, nominal)"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn a_case_budget_disagreeing_with_the_programme_budget_is_warned_naming_both_cells() {
    let dir = copy_sample("disagree");
    // The programme office's plan for Essex alone, its 2027/28 base gap 1 £k above the hub's.
    crate::support::Book::new()
        .sheet("Assumptions", &[&["Name", "Value"], &["Unit", "£k"]])
        .sheet(
            "Budget",
            &[
                &["Partner", "Line", "2026/27", "2027/28"],
                &["Essex", "Base budget gap", "6959", "8597"],
                &["Essex", "Use of reserves and one off grant", "2456", "2047"],
                &["Essex", "Cash releasing efficiencies", "3275", "4093"],
                &["Essex", "Identified risk gap", "1023", "1433"],
                &["Essex", "Loss of grant to floors", "819", "1433"],
                &["Essex", "Increase in borrowing", "4298", "3070"],
            ],
        )
        .write(&dir.join("budget.xlsx"));
    let hub = json(&dir, &["compute", "--json", "hub"]);
    let base = &hub["budget_gap"]["partners"]["Essex"]["base_budget_gap"];
    assert_eq!(base["2026/27"], "6959", "the hub's own plan");
    assert_eq!(base["2027/28"], "8596", "the hub's own plan");
    let run = run_in(&dir, &["portfolio", "show", "--json", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "./hub/workbook.xlsx: Budget!D21: warning: Essex's base budget gap for 2027/28 differs from the programme budget's, ./budget.xlsx: Budget!D2\n  \
         hint: the programme's gaps are the programme budget's; bring the two plans into line\n"
    );
    let p: Value = serde_json::from_str(&run.stdout).unwrap();
    // Only Essex has rows: the region is Essex.
    let gap = &p["gap_after_programme"];
    assert_eq!(gap["partners"].as_object().unwrap().len(), 1);
    assert_eq!(gap["region"], gap["partners"]["Essex"]);
    assert_eq!(gap["region"].as_object().unwrap().len(), 2);
}

/// Every sheet's values and formulas.
fn xlsx_sheets(
    bytes: &[u8],
) -> Vec<(
    String,
    calamine::Range<calamine::Data>,
    calamine::Range<String>,
)> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
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

#[test]
fn the_programme_workbook_recalculates_to_the_engines_figures() {
    use calamine::Data;
    let dir = copy_sample("export");
    let run = run_in(&dir, &["portfolio", "export", ".", "-o", "programme.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "wrote programme.xlsx\n");
    let path = dir.join("programme.xlsx");
    let written = xlsx_sheets(&std::fs::read(&path).unwrap());
    let names: Vec<&str> = written.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["Totals", "Programme", "Gap", "Ranking", "Cases"]);
    // The cached results are the engine's figures: each force's year by year, as show --json gives them.
    let p = json(&dir, &["portfolio", "show", "--json", "."]);
    let (_, programme, _) = written.iter().find(|(n, _, _)| n == "Programme").unwrap();
    let years: Vec<String> = p["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap().to_string())
        .collect();
    let keys: BTreeMap<&str, &str> = [
        ("Costs", "costs"),
        ("Capital", "capital"),
        ("Revenue", "revenue"),
        ("Savings", "savings"),
        ("Net", "net"),
        ("Net revenue effect", "net_revenue_effect"),
        ("Contingency", "contingency"),
        ("Financing charge", "financing_charge"),
    ]
    .into_iter()
    .collect();
    let mut rows = 0;
    for row in programme.rows().skip(1) {
        let (Some(Data::String(force)), Some(Data::String(figure))) = (row.first(), row.get(1))
        else {
            continue;
        };
        for (i, y) in years.iter().enumerate() {
            let expected: f64 = p["partners"][force][y][keys[figure.as_str()]]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            let Some(Data::Float(v)) = row.get(2 + i) else {
                panic!("{force} {figure} {y}: {:?}", row.get(2 + i));
            };
            assert!(
                close(*v, expected),
                "{force} {figure} {y}: {v} vs {expected}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 7 * 8);
    // LibreOffice recalculates every formula to its cached result.
    let Some(recalculated) = fivecase::testkit::recalculate_xlsx(&path, &dir) else {
        return;
    };
    let fresh = xlsx_sheets(&std::fs::read(recalculated).unwrap());
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
            match (values.get_value(at), fresh_values.get_value(at)) {
                (Some(Data::Float(a)), Some(Data::Float(b))) if close(*a, *b) => {}
                (a, b) => bad.push(format!(
                    "{sheet} {at:?} ={f}: cached {a:?}, recalculated {b:?}"
                )),
            }
        }
    }
    assert!(checked > 500, "only {checked} formulas");
    assert!(
        bad.is_empty(),
        "{} of {checked} differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn a_force_name_close_to_another_cases_gets_a_did_you_mean_warning() {
    let dir = copy_sample("near");
    let wb = dir.join("forensics/workbook.xlsx");
    let copy = dir.join("forensics/original.xlsx");
    std::fs::rename(&wb, &copy).unwrap();
    crate::support::rewrite_entry(&copy, &wb, "xl/sharedStrings.xml", |t| {
        t.replace("<t>Kent</t>", "<t>Kentt</t>")
    });
    std::fs::remove_file(&copy).unwrap();
    let run = run_in(&dir, &["portfolio", "show", "--json", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "./forensics/workbook.xlsx: Partners: warning: force \"Kentt\" is a partner in no other case of the programme\n  hint: did you mean 'Kent'?\n"
    );
    // Kentt is a force of its own until the name is put right.
    let p: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(p["partners"].as_object().unwrap().len(), 8);
}

#[test]
fn without_any_case_entry_every_subfolder_holding_a_case_is_read_in_name_order() {
    let dir = copy_sample("discover");
    std::fs::write(
        dir.join("portfolio.toml"),
        "title = \"Discovered\"\ndisplay_unit = \"£k\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.join("notes")).unwrap();
    let p = json(&dir, &["portfolio", "show", "--json", "."]);
    let paths: Vec<&str> = p["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["firearms", "forensics", "hub", "vetting"]);
    assert!(
        p["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["tier"] == "Unranked" && c["unranked_reason"] == "not scored")
    );
    assert_eq!(p["unit"], "£k");
    assert_eq!(p["title"], "Discovered");
    // An empty folder is refused with a hint.
    let empty = temp_dir("discover-empty");
    std::fs::write(empty.join("portfolio.toml"), "").unwrap();
    let run = run_in(&empty, &["portfolio", "show", "."]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "./portfolio.toml: the portfolio lists no [[case]] and no subfolder holds a case.toml\n  hint: add a [[case]] with `path = \"FOLDER\"` for each case\nfivecase: 1 problem found; nothing was written\n"
    );
    let none = run_in(&empty, &["portfolio", "show", "nowhere"]);
    assert_eq!(none.code, 1);
    assert!(
        none.stderr
            .starts_with("nowhere: no such file: a portfolio is a folder holding portfolio.toml\n"),
        "{}",
        none.stderr
    );
}

#[test]
fn outputs_never_overwrite_the_portfolios_inputs() {
    let dir = copy_sample("inputs");
    let before = std::fs::read(dir.join("budget.xlsx")).unwrap();
    for (args, what) in [
        (
            &["portfolio", "export", ".", "-o", "budget.xlsx"][..],
            "FILE.xlsx",
        ),
        (
            &["portfolio", "export", ".", "-o", "vetting/workbook.xlsx"][..],
            "FILE.xlsx",
        ),
        (
            &["portfolio", "build", ".", "-o", "portfolio.toml"][..],
            "FILE.pdf",
        ),
    ] {
        let run = run_in(&dir, args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(
            run.stderr.ends_with(&format!(
                ": is an input of the portfolio; refusing to overwrite it\n  hint: name another file with -o {what}\n"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(std::fs::read(dir.join("budget.xlsx")).unwrap() == before);
    // The same case under a second spelling would be counted twice.
    let toml = dir.join("portfolio.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[[case]]\npath = \"./hub/\"\n")).unwrap();
    let twice = run_in(&dir, &["portfolio", "show", "."]);
    assert_eq!(twice.code, 1);
    assert!(
        twice.stderr.starts_with("./portfolio.toml:57:1: case \"./hub/\" is the same folder as case \"hub\": it would be counted twice\n"),
        "{}",
        twice.stderr
    );
    std::fs::write(&toml, text).unwrap();
    let run = run_in(&dir, &["portfolio", "build", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "wrote ./eastern-region-seven-force-programme-illustrative-programme.pdf\n"
    );
}
