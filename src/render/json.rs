//! `fivecase compute --json`: the computed results as one JSON document.
//!
//! The key names are a contract documented in docs/json.md. Money, rates,
//! shares and factors are strings carrying the full-precision decimal as
//! rust_decimal prints it, so no consumer loses a penny to binary floating
//! point; bcr and payback_year are null where there is none. Objects are
//! written with sorted keys (years sort chronologically as `2025/26`), so
//! the same case always gives the same bytes.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::compute::financing::Financed;
use crate::compute::{Flows, GapTable, ProfileYear, Results};
use crate::model::{Case, DiscountRate, FiscalYear, OptionId, PartnerId};

/// A decimal as a JSON string: full precision, trailing zeros dropped
/// (`18.6000` → `18.6`; the value is unchanged).
fn s(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

fn year_map(years: &[FiscalYear], values: &[Decimal]) -> Map<String, Value> {
    years
        .iter()
        .zip(values)
        .map(|(y, v)| (y.to_string(), s(*v)))
        .collect()
}

fn by_year(years: &[FiscalYear], values: &[Decimal]) -> Value {
    Value::Object(year_map(years, values))
}

fn option_id(case: &Case, id: OptionId) -> String {
    case.option(id).map(|o| o.id.clone()).unwrap_or_default()
}

fn partner_name(case: &Case, id: PartnerId) -> String {
    case.partners
        .name(id)
        .map(str::to_string)
        .unwrap_or_default()
}

fn profile(years: &[FiscalYear], profile: &[ProfileYear]) -> Value {
    Value::Object(
        years
            .iter()
            .zip(profile)
            .map(|(y, p)| {
                (
                    y.to_string(),
                    json!({
                        "cashable": s(p.cashable),
                        "non_cashable": s(p.non_cashable),
                        "costs": s(p.costs),
                        "capital": s(p.capital),
                        "revenue": s(p.revenue),
                        "net": s(p.net),
                        "cumulative_net": s(p.cumulative_net),
                    }),
                )
            })
            .collect(),
    )
}

fn flows(years: &[FiscalYear], f: &Flows) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("costs".into(), by_year(years, &f.costs));
    m.insert("capital".into(), by_year(years, &f.capital));
    m.insert("revenue".into(), by_year(years, &f.revenue));
    m.insert("savings".into(), by_year(years, &f.savings));
    m.insert("net".into(), by_year(years, &f.net));
    m
}

fn gap_table(years: &[FiscalYear], table: &GapTable) -> Value {
    Value::Object(
        table
            .rows
            .iter()
            .map(|row| {
                let mut m = year_map(years, &row.values);
                m.insert("total".into(), s(row.total));
                (row.line.key().to_string(), Value::Object(m))
            })
            .collect(),
    )
}

/// The financing figures of one partner or of the region, each by year.
fn financed(years: &[FiscalYear], capital: &[Decimal], f: &Financed) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("capital".into(), by_year(years, capital));
    m.insert("charge".into(), by_year(years, &f.charge));
    m.insert("mrp".into(), by_year(years, &f.mrp));
    m.insert("interest".into(), by_year(years, &f.interest));
    m.insert("reserves".into(), by_year(years, &f.reserves));
    m.insert("grant".into(), by_year(years, &f.grant));
    m.insert("charges_after_period".into(), s(f.charges_after_period));
    m
}

/// `financing`, `net_revenue_effect`, `contingency` and `affordability` of
/// the Financial Case shown, each null where business as usual is preferred.
fn financial_case(case: &Case, r: &Results) -> (Value, Value, Value, Value) {
    let Some(fc) = &r.financial_case else {
        return (Value::Null, Value::Null, Value::Null, Value::Null);
    };
    let years = &r.years;
    let option = option_id(case, fc.option);
    let list =
        |ys: &[FiscalYear]| -> Value { ys.iter().map(|y| Value::String(y.to_string())).collect() };
    let mut partners = Map::new();
    let mut effects = Map::new();
    let mut afford = Map::new();
    let mut contingency = Map::new();
    for p in &fc.partners {
        let name = partner_name(case, p.partner);
        let mut m = financed(years, &p.capital, &p.financed);
        m.insert("method".into(), Value::String(p.method.key().into()));
        partners.insert(name.clone(), Value::Object(m));
        effects.insert(name.clone(), by_year(years, &p.net_revenue_effect));
        contingency.insert(name.clone(), by_year(years, &p.contingency));
        afford.insert(
            name,
            json!({
                "total": s(p.total),
                "years_costing": list(&p.years_costing),
                "cost_in_years_costing": s(p.cost_in_those_years),
            }),
        );
    }
    (
        json!({
            "option": option,
            "partners": partners,
            "region": financed(years, &fc.region_capital, &fc.region),
        }),
        json!({
            "option": option,
            "region": by_year(years, &fc.region_net_revenue_effect),
            "partners": effects,
        }),
        json!({
            "option": option,
            "region": by_year(years, &fc.region_contingency),
            "partners": contingency,
        }),
        json!({
            "option": option,
            "self_funding": fc.self_funding,
            "years": list(&fc.years),
            "partners": afford,
            "region": { "total": s(fc.region_total) },
        }),
    )
}

/// The results as a JSON value (the document `--json` prints).
pub fn value(case: &Case, r: &Results) -> Value {
    let years = &r.years;
    let options: Vec<Value> = r
        .options
        .iter()
        .map(|o| {
            json!({
                "id": o.id,
                "name": o.name,
                "baseline": o.baseline,
                "pv_capital": s(o.pv_capital),
                "pv_revenue": s(o.pv_revenue),
                "pv_optimism_bias": s(o.pv_optimism_bias),
                "pv_risk": s(o.pv_risk),
                "pv_costs": s(o.pv_costs),
                "pv_cashable": s(o.pv_cashable),
                "pv_non_cashable": s(o.pv_non_cashable),
                "pv_benefits": s(o.pv_benefits),
                "npsv": s(o.npsv),
                "bcr": o.bcr.map_or(Value::Null, s),
                "payback_year": o.payback_year.map_or(Value::Null, |y| Value::String(y.to_string())),
                "payback_year_nominal": o.payback_year_nominal.map_or(Value::Null, |y| Value::String(y.to_string())),
                "value_for_money": o.value_for_money.key(),
                "net_public_cost": s(o.net_public_cost),
                "savings_per_benefit_forgone": o.savings_per_benefit_forgone.map_or(Value::Null, s),
            })
        })
        .collect();
    let savings_profile: Map<String, Value> = r
        .savings_profile
        .iter()
        .map(|p| (option_id(case, p.option), profile(years, &p.real)))
        .collect();
    let savings_profile_nominal: Map<String, Value> = r
        .savings_profile
        .iter()
        .map(|p| (option_id(case, p.option), profile(years, &p.nominal)))
        .collect();
    let shares: Map<String, Value> = r
        .apportionment
        .shares
        .iter()
        .zip(case.partners.ids())
        .map(|(share, p)| (partner_name(case, p), s(*share)))
        .collect();
    // Every key a line is split by: the case's own first, then the lines' own.
    let mut keys = Map::new();
    keys.insert(r.apportionment.key.clone(), Value::Object(shares.clone()));
    for k in &r.apportionment.line_keys {
        let by_partner: Map<String, Value> = k
            .shares
            .iter()
            .zip(case.partners.ids())
            .map(|(share, p)| (partner_name(case, p), s(*share)))
            .collect();
        keys.insert(k.key.clone(), Value::Object(by_partner));
    }
    let mut apportioned = Map::new();
    let mut net_contributors = Map::new();
    for o in &r.apportionment.options {
        let partners: Map<String, Value> = o
            .partners
            .iter()
            .map(|pf| {
                let mut m = flows(years, &pf.real);
                m.insert("nominal".into(), Value::Object(flows(years, &pf.nominal)));
                (partner_name(case, pf.partner), Value::Object(m))
            })
            .collect();
        apportioned.insert(option_id(case, o.option), Value::Object(partners));
        net_contributors.insert(
            option_id(case, o.option),
            Value::Array(
                o.net_contributors
                    .iter()
                    .map(|p| Value::String(partner_name(case, *p)))
                    .collect(),
            ),
        );
    }
    let budget_gap = r.budget_gap.as_ref().map_or(Value::Null, |g| {
        let partners: Map<String, Value> = g
            .partners
            .iter()
            .map(|p| (partner_name(case, p.partner), gap_table(&g.years, &p.table)))
            .collect();
        json!({
            "years": g.years.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "basis": g.basis.key(),
            "region": gap_table(&g.years, &g.region),
            "partners": partners,
        })
    });
    let after = |with_contingency: bool| {
        r.gap_after_case.as_ref().map_or(Value::Null, |g| {
            let partners: Map<String, Value> = g
                .partners
                .iter()
                .map(|p| {
                    let values = if with_contingency {
                        &p.with_contingency
                    } else {
                        &p.gap
                    };
                    (partner_name(case, p.partner), by_year(&g.years, values))
                })
                .collect();
            let region = if with_contingency {
                &g.region_with_contingency
            } else {
                &g.region
            };
            json!({
                "option": option_id(case, g.option),
                "years": g.years.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "region": by_year(&g.years, region),
                "partners": partners,
            })
        })
    };
    let gap_after_case = after(false);
    let gap_after_case_with_contingency = after(true);
    let switching_values: Map<String, Value> = r
        .switching_values
        .iter()
        .map(|v| {
            (
                option_id(case, v.option),
                json!({
                    "benefits_change": v.benefits_change.map_or(Value::Null, s),
                    "costs_change": v.costs_change.map_or(Value::Null, s),
                    "savings_change_to_switch": v.savings_change_to_switch.map_or(Value::Null, s),
                    "payback_delay_years": v.payback_delay_years,
                }),
            )
        })
        .collect();
    let sensitivity: Vec<Value> = r
        .sensitivity
        .iter()
        .map(|e| {
            json!({
                "sheet": e.sheet,
                "row": e.row,
                "line": e.line,
                "change": s(e.change),
                "npsv": s(e.npsv),
            })
        })
        .collect();
    let (financing, net_revenue_effect, contingency, affordability) = financial_case(case, r);
    json!({
        "financing": financing,
        "contingency": contingency,
        "net_revenue_effect": net_revenue_effect,
        "affordability": affordability,
        "switching_values": switching_values,
        "sensitivity": sensitivity,
        "unit": r.unit.label(),
        "base_year": r.base_year.to_string(),
        "years": years.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "green_book_edition": r.edition.year(),
        "discount_rate": match r.discount_rate {
            DiscountRate::GreenBook => Value::String("Green Book".into()),
            DiscountRate::Fixed(rate) => s(rate),
        },
        "discount_factors": by_year(years, &r.discount_factors),
        "options": options,
        "preferred_option": option_id(case, r.preferred),
        "preferred_pinned": r.preferred_pinned,
        "recommended_option": option_id(case, r.recommended),
        "no_option_recommended": r.no_option_recommended(),
        "savings_profile": savings_profile,
        "savings_profile_nominal": savings_profile_nominal,
        "apportionment": {
            "key": r.apportionment.key,
            "shares": shares,
            "keys": keys,
            "options": apportioned,
            "net_contributors": net_contributors,
        },
        "budget_gap": budget_gap,
        "gap_after_case": gap_after_case,
        "gap_after_case_with_contingency": gap_after_case_with_contingency,
    })
}

/// The results as pretty-printed JSON text ending in a newline.
pub fn render(case: &Case, r: &Results) -> String {
    let mut text = serde_json::to_string_pretty(&value(case, r)).unwrap_or_default();
    text.push('\n');
    text
}

/// One scenario's summary: the S of `fivecase scenarios --json`.
fn scenario_summary(o: &crate::compute::scenario::Outcome) -> Value {
    let case = &o.case;
    let r = &o.results;
    let options: Vec<Value> = r
        .options
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "npsv": s(a.npsv),
                "bcr": a.bcr.map_or(Value::Null, s),
                "payback_year": a.payback_year.map_or(Value::Null, |y| Value::String(y.to_string())),
            })
        })
        .collect();
    let partners: Map<String, Value> = o
        .partner_net
        .iter()
        .zip(case.partners.ids())
        .map(|(net, p)| (partner_name(case, p), s(*net)))
        .collect();
    let full = value(case, r);
    json!({
        "name": o.name,
        "description": o.description,
        "options": options,
        "preferred_option": option_id(case, r.preferred),
        "total_cashable_savings": s(o.total_cashable_savings),
        "partners": partners,
        "gap_after_case": full["gap_after_case"].clone(),
    })
}

/// `fivecase scenarios --json`: `{"base": S, "scenarios": [S, ...]}`.
pub fn scenarios(
    base: &crate::compute::scenario::Outcome,
    scenarios: &[crate::compute::scenario::Outcome],
) -> String {
    let doc = json!({
        "base": scenario_summary(base),
        "scenarios": scenarios.iter().map(scenario_summary).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// `fivecase compute --scenario NAME --json`: compute's document plus `"scenario": NAME`.
pub fn render_scenario(case: &Case, r: &Results, name: &str) -> String {
    let mut v = value(case, r);
    if let Value::Object(m) = &mut v {
        m.insert("scenario".into(), Value::String(name.to_string()));
    }
    let mut text = serde_json::to_string_pretty(&v).unwrap_or_default();
    text.push('\n');
    text
}

/// One figure's distribution (the S of docs/json.md, "risk_analysis").
fn risk_summary(summary: &crate::compute::risk::Summary) -> Value {
    let mut m = Map::new();
    m.insert("mean".into(), s(summary.mean));
    m.insert("std_error".into(), s(summary.std_error));
    let mut ci = Map::new();
    for p in &summary.percentiles {
        m.insert(format!("p{}", p.q), s(p.value));
        ci.insert(format!("p{}", p.q), json!([s(p.ci95.0), s(p.ci95.1)]));
    }
    m.insert("ci95".into(), Value::Object(ci));
    Value::Object(m)
}

/// The value of `fivecase risk --json`: `{"risk_analysis": …}`.
pub fn risk_value(case: &Case, _r: &Results, a: &crate::compute::risk::RiskAnalysis) -> Value {
    let options: Map<String, Value> = a
        .options
        .iter()
        .map(|o| {
            (
                option_id(case, o.option),
                json!({
                    "pv_costs": risk_summary(&o.pv_costs),
                    "pv_benefits": risk_summary(&o.pv_benefits),
                    "npsv": risk_summary(&o.npsv),
                    "prob_npsv_positive": s(o.prob_npsv_positive),
                    "prob_beats_preferred": o.prob_beats_preferred.map_or(Value::Null, s),
                }),
            )
        })
        .collect();
    let partners = a.partners.as_ref().map_or(Value::Null, |ps| {
        Value::Object(
            ps.iter()
                .map(|p| {
                    (
                        partner_name(case, p.partner),
                        json!({
                            "net_revenue_effect": s(p.deterministic),
                            "net_after_risk": risk_summary(&p.net_after_risk),
                            "allowance_p50": s(p.allowance_p50),
                            "allowance_p80": s(p.allowance_p80),
                        }),
                    )
                })
                .collect(),
        )
    });
    let gap: Map<String, Value> = a
        .gap_after_case
        .iter()
        .map(|g| (g.year.to_string(), risk_summary(&g.gap)))
        .collect();
    json!({
        "risk_analysis": {
            "iterations": a.iterations,
            "seed": a.seed,
            "percentiles": a.percentiles,
            "preferred": option_id(case, a.preferred),
            "options": options,
            "partners": partners,
            "gap_after_case_with_risk": gap,
        }
    })
}

/// `fivecase risk --json`: one document, sorted keys, the same bytes for
/// the same case and seed.
pub fn render_risk(case: &Case, r: &Results, a: &crate::compute::risk::RiskAnalysis) -> String {
    let mut text = serde_json::to_string_pretty(&risk_value(case, r, a)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{self, synthetic};

    #[test]
    fn worked_case_json() {
        let case = synthetic::worked();
        let results = compute::compute(&case).unwrap();
        let text = render(&case, &results);
        assert_eq!(text, render(&case, &results), "deterministic");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["options"][1]["npsv"], "18.6");
        assert_eq!(v["options"][0]["bcr"], Value::Null);
        assert_eq!(v["preferred_option"], "OPT2");
        assert_eq!(v["discount_factors"]["2026/27"], "0.8");
        insta::assert_snapshot!(text);
    }
}
