//! Scenarios and switching values checked through real workbooks: each
//! scenario's result must equal `fivecase compute` on a copy of the sample
//! workbook edited by hand the same way, and applying a reported switching
//! value to a workbook copy must make the option's npsv zero to the penny.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use fivecase::model::{
    BenefitKind, Case, CostKind, DiscountRate, ObOrigin, OptionId, PartnerId, Sourced,
};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{run_in, temp_dir};

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample")
}

fn sample_case() -> Case {
    fivecase::ingest::load(&sample_dir()).unwrap().case
}

/// Writes `case` as a bare workbook in a fresh folder and computes it.
fn compute_edited(name: &str, case: &Case) -> Value {
    let results = fivecase::compute::compute(case).unwrap();
    let bytes = fivecase::render::xlsx::model_workbook(case, &results, &[]).unwrap();
    let dir = temp_dir(name);
    std::fs::write(dir.join("edited.xlsx"), bytes).unwrap();
    let run = run_in(&dir, &["compute", "edited.xlsx", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// Computes the sample with `scenario`, appended to a copy of its case.toml.
fn compute_scenario(name: &str, scenario: &str) -> Value {
    let dir = temp_dir(name);
    for f in ["case.toml", "workbook.xlsx"] {
        std::fs::copy(sample_dir().join(f), dir.join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(dir.join("case.toml")).unwrap();
    let extra = format!("\n[[scenario]]\nname = \"under-test\"\ndescription = \"x\"\n{scenario}\n");
    std::fs::write(dir.join("case.toml"), toml + &extra).unwrap();
    let run = run_in(
        &dir,
        &["compute", ".", "--scenario", "under-test", "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn dec(v: &Value) -> Option<Decimal> {
    v.as_str().and_then(|s| Decimal::from_str(s).ok())
}

/// Compares two JSON values, decimal strings numerically to 1e-8.
fn same(path: &str, a: &Value, b: &Value) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let kx: Vec<_> = x.keys().collect();
            let ky: Vec<_> = y.keys().collect();
            assert_eq!(kx, ky, "{path}: keys differ");
            for (k, v) in x {
                same(&format!("{path}.{k}"), v, &y[k]);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: lengths differ");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                same(&format!("{path}[{i}]"), v, w);
            }
        }
        _ => match (dec(a), dec(b)) {
            (Some(x), Some(y)) => assert!(
                (x - y).abs() < Decimal::new(1, 8),
                "{path}: {x} (scenario) != {y} (edited workbook)"
            ),
            _ => assert_eq!(a, b, "{path}"),
        },
    }
}

const COMPARED: [&str; 6] = [
    "options",
    "savings_profile",
    "savings_profile_nominal",
    "apportionment",
    "budget_gap",
    "gap_after_case",
];

fn check(name: &str, scenario: &str, edit: impl FnOnce(&mut Case)) {
    let mut case = sample_case();
    edit(&mut case);
    let edited = compute_edited(name, &case);
    let scen = compute_scenario(name, scenario);
    for key in COMPARED {
        same(key, &scen[key], &edited[key]);
    }
}

fn scale(values: &mut [Decimal], f: Decimal) {
    for v in values {
        *v *= f;
    }
}

#[test]
fn savings_realisation_equals_scaled_cashable_lines() {
    check("sr", "savings_realisation = 0.8", |c| {
        let base = c.baseline;
        for l in c
            .benefits
            .iter_mut()
            .filter(|l| l.kind == BenefitKind::Cashable && l.option != base)
        {
            scale(&mut l.values, Decimal::new(8, 1));
        }
    });
}

#[test]
fn benefits_realisation_equals_scaled_benefit_lines() {
    check("br", "benefits_realisation = 0.7", |c| {
        let base = c.baseline;
        for l in c.benefits.iter_mut().filter(|l| l.option != base) {
            scale(&mut l.values, Decimal::new(7, 1));
        }
    });
}

#[test]
fn savings_delay_equals_shifted_cashable_lines() {
    check("delay", "savings_delay_years = 2", |c| {
        let base = c.baseline;
        for l in c
            .benefits
            .iter_mut()
            .filter(|l| l.kind == BenefitKind::Cashable && l.option != base)
        {
            let n = l.values.len();
            let mut shifted = vec![Decimal::ZERO; n];
            for (i, v) in l.values.iter().enumerate() {
                if i + 2 < n {
                    shifted[i + 2] = *v;
                }
            }
            l.values = shifted;
        }
    });
}

#[test]
fn cost_overrun_equals_scaled_cost_lines() {
    check("overrun", "cost_overrun = 0.1", |c| {
        let base = c.baseline;
        for l in c.costs.iter_mut().filter(|l| l.option != base) {
            scale(&mut l.values, Decimal::new(11, 1));
        }
    });
}

#[test]
fn capital_overrun_equals_scaled_capital_lines() {
    check("capital", "capital_overrun = 0.25", |c| {
        let base = c.baseline;
        for l in c
            .costs
            .iter_mut()
            .filter(|l| l.kind == CostKind::Capital && l.option != base)
        {
            scale(&mut l.values, Decimal::new(125, 2));
        }
    });
}

#[test]
fn baseline_cost_overrun_equals_scaled_business_as_usual_lines() {
    check("baseline", "baseline_cost_overrun = 0.15", |c| {
        let base = c.baseline;
        for l in c.costs.iter_mut().filter(|l| l.option == base) {
            scale(&mut l.values, Decimal::new(115, 2));
        }
    });
}

#[test]
fn revenue_overrun_with_cost_overrun_equals_scaled_lines_by_kind() {
    check(
        "revenue",
        "cost_overrun = 0.1\nrevenue_overrun = -0.2",
        |c| {
            let base = c.baseline;
            for l in c.costs.iter_mut().filter(|l| l.option != base) {
                let f = match l.kind {
                    CostKind::Capital => Decimal::new(11, 1),
                    CostKind::Revenue => Decimal::new(8, 1),
                };
                scale(&mut l.values, f);
            }
        },
    );
}

#[test]
fn apportionment_key_equals_edited_assumption() {
    check(
        "key",
        "apportionment_key = \"Net revenue expenditure\"",
        |c| {
            let col = c
                .partners
                .key_columns
                .iter()
                .position(|k| k == "Net revenue expenditure")
                .unwrap();
            c.assumptions.apportionment_key = Sourced::default_value(col);
        },
    );
}

#[test]
fn discount_rate_equals_edited_assumption() {
    check("rate", "discount_rate = 0.05", |c| {
        c.assumptions.discount_rate =
            Sourced::default_value(DiscountRate::Fixed(Decimal::new(5, 2)));
    });
}

#[test]
fn optimism_bias_equals_edited_option() {
    check(
        "ob",
        "[scenario.optimism_bias.HUB]\ncapital = 0.4\nrevenue = 0.1",
        |c| {
            let i = c.option_index("HUB").unwrap();
            c.options[i].ob_capital.rate = Decimal::new(4, 1);
            c.options[i].ob_capital.origin = ObOrigin::Entered;
            c.options[i].ob_revenue.rate = Decimal::new(1, 1);
            c.options[i].ob_revenue.origin = ObOrigin::Entered;
        },
    );
}

/// Multiplies option `index`'s and the baseline's benefit (or cost and risk)
/// lines by `f`, so the option's incremental present value scales by `f`.
fn scale_incremental(case: &mut Case, index: OptionId, benefits: bool, f: Decimal) {
    let base = case.baseline;
    let mine = |o: OptionId| o == index || o == base;
    if benefits {
        for l in case.benefits.iter_mut().filter(|l| mine(l.option)) {
            scale(&mut l.values, f);
        }
    } else {
        for l in case.costs.iter_mut().filter(|l| mine(l.option)) {
            scale(&mut l.values, f);
        }
        for r in case.risks.iter_mut().filter(|r| mine(r.option)) {
            r.impact *= f;
            // The impact's range moves with it (it must hold the impact).
            r.uncertainty.low *= f;
            r.uncertainty.high *= f;
        }
    }
}

#[test]
fn switching_values_applied_to_a_workbook_zero_the_npsv() {
    let out = run_in(&sample_dir(), &["compute", ".", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let sv = json["switching_values"].as_object().unwrap();
    assert!(!sv.is_empty());
    for (id, values) in sv {
        for (field, benefits) in [("benefits_change", true), ("costs_change", false)] {
            let change = dec(&values[field]).unwrap();
            let mut case = sample_case();
            let index = case.option_index(id).unwrap();
            scale_incremental(&mut case, index, benefits, Decimal::ONE + change);
            let edited = compute_edited(&format!("sv-{id}-{field}"), &case);
            let option = edited["options"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["id"] == id.as_str())
                .unwrap();
            let npsv = dec(&option["npsv"]).unwrap();
            assert!(
                npsv.abs() < Decimal::new(5, 5),
                "{id} {field} {change}: npsv {npsv} after the change"
            );
        }
    }
}

/// Old index → new index after keeping the `keep` entries in order.
fn remap(keep: &[bool]) -> Vec<Option<usize>> {
    let mut next = 0;
    keep.iter()
        .map(|k| {
            k.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// Keeps the entries of `v` whose `keep` flag is set, in order.
fn retain_kept<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    v.retain(|_| flags.next().copied().unwrap_or(false));
}

#[test]
fn partners_subset_equals_workbook_without_their_rows() {
    check(
        "partners",
        "partners = [\"Bedfordshire\", \"Cambridgeshire\", \"Essex\", \"Hertfordshire\", \"Kent\"]\n\
         drop_partner_lines = true",
        |c| {
            let keep: Vec<bool> = c
                .partners
                .names
                .iter()
                .map(|n| n != "Norfolk" && n != "Suffolk")
                .collect();
            assert_eq!(keep.iter().filter(|k| !**k).count(), 2);
            let map = remap(&keep);
            let gone = |p: Option<PartnerId>| p.is_some_and(|p| map[p.index()].is_none());
            let new = |p: Option<PartnerId>| p.and_then(|p| map[p.index()]).map(PartnerId::new);
            c.costs.retain(|l| !gone(l.partner));
            c.benefits.retain(|l| !gone(l.partner));
            for l in &mut c.costs {
                l.partner = new(l.partner);
            }
            for l in &mut c.benefits {
                l.partner = new(l.partner);
            }
            let budget = c.budget.as_mut().unwrap();
            budget.rows.retain(|r| !gone(r.partner));
            for r in &mut budget.rows {
                r.partner = new(r.partner);
            }
            retain_kept(&mut c.partners.names, &keep);
            retain_kept(&mut c.partners.values, &keep);
            retain_kept(&mut c.partners.rows, &keep);
        },
    );
}

#[test]
fn options_subset_equals_workbook_without_the_option() {
    check("options", "options = [\"HUB\"]", |c| {
        let keep: Vec<bool> = c.options.iter().map(|o| o.id != "MERGE").collect();
        assert_eq!(keep.iter().filter(|k| !**k).count(), 1);
        let map = remap(&keep);
        c.costs.retain(|l| keep[l.option.index()]);
        c.benefits.retain(|l| keep[l.option.index()]);
        c.risks.retain(|r| keep[r.option.index()]);
        for l in &mut c.costs {
            l.option = OptionId::new(map[l.option.index()].unwrap());
        }
        for l in &mut c.benefits {
            l.option = OptionId::new(map[l.option.index()].unwrap());
        }
        for r in &mut c.risks {
            r.option = OptionId::new(map[r.option.index()].unwrap());
        }
        c.baseline = OptionId::new(map[c.baseline.index()].unwrap());
        c.preferred = c.preferred.and_then(|p| map[p.index()]).map(OptionId::new);
        retain_kept(&mut c.options, &keep);
    });
}
