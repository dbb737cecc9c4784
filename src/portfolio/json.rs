//! `fivecase portfolio show --json`: the programme as one JSON document.
//!
//! The key names are a contract documented in docs/json.md ("portfolio show
//! --json"). As in `compute --json`, every amount is a string carrying the
//! full-precision decimal, in the portfolio's unit; objects have sorted keys,
//! so the same portfolio always gives the same bytes.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::rollup::{Fig, Programme};
use super::tiers::Placement;
use crate::model::FiscalYear;

fn s(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

fn fig(f: &Fig) -> Value {
    Value::Object(
        Fig::KEYS
            .iter()
            .zip(f.values())
            .map(|(k, v)| ((*k).to_string(), s(v)))
            .collect(),
    )
}

fn by_year(years: &[FiscalYear], figs: &[Fig]) -> Value {
    Value::Object(
        years
            .iter()
            .zip(figs)
            .map(|(y, f)| (y.to_string(), fig(f)))
            .collect(),
    )
}

/// The programme as a JSON value.
pub fn value(title: &str, p: &Programme) -> Value {
    let tiers = &p.tiers;
    let cases: Vec<Value> = p
        .cases
        .iter()
        .map(|c| {
            let f = &c.figures;
            let mean = |x: Option<Decimal>| x.map_or(Value::Null, s);
            json!({
                "path": f.path,
                "title": f.title,
                "stage": f.stage.code(),
                "date": f.date.map(|d| d.to_string()),
                "unit": f.unit.label(),
                "option": f.option,
                "included": c.included,
                "tier": c.tier.name(tiers),
                "unranked_reason": match &c.tier {
                    Placement::Unranked(reason) => Value::String(reason.clone()),
                    Placement::Tier(_) => Value::Null,
                },
                "tier_override": c.override_reason.as_ref().map_or(Value::Null, |reason| json!({
                    "scored_tier": c.placement.name(tiers),
                    "reason": reason,
                })),
                "strategic": mean(c.scores.map(|x| x.strategic.mean())),
                "practicality": mean(c.scores.map(|x| x.practicality.mean())),
                "combined": mean(c.scores.map(|x| x.combined().mean())),
                "rank": c.rank,
                "base_year": f.base_year.to_string(),
                "npsv": s(c.npsv),
                "bcr": f.bcr.map_or(Value::Null, s),
                "value_for_money": f.value_for_money.key(),
                "payback_year": f.payback_year.map(|y| y.to_string()),
                "costs": s(c.costs),
                "savings": s(c.savings),
            })
        })
        .collect();
    let partners: Map<String, Value> = p
        .partners
        .iter()
        .zip(&p.partner_totals)
        .map(|(name, figs)| (name.clone(), by_year(&p.years, figs)))
        .collect();
    let net_position: Map<String, Value> = p
        .partners
        .iter()
        .zip(&p.net_position)
        .map(|(name, n)| {
            let by_case: Map<String, Value> = p
                .cases
                .iter()
                .zip(&n.by_case)
                .filter_map(|(c, v)| v.map(|v| (c.figures.path.clone(), s(v))))
                .collect();
            (
                name.clone(),
                json!({ "by_case": by_case, "programme": s(n.programme) }),
            )
        })
        .collect();
    let names = |ix: &[usize]| -> Value {
        ix.iter()
            .filter_map(|&i| p.partners.get(i))
            .map(|n| Value::String(n.clone()))
            .collect()
    };
    let (npsv_total, npsv_note) = match &p.npsv_total {
        Ok(t) => (s(*t), Value::Null),
        Err(note) => (Value::Null, Value::String(note.clone())),
    };
    let gaps = |pick: fn(&super::rollup::PartnerGapAfter) -> &Vec<Decimal>| -> Value {
        p.gap_after.as_ref().map_or(Value::Null, |g| {
            let years = |values: &[Decimal]| -> Value {
                Value::Object(
                    g.years
                        .iter()
                        .zip(values)
                        .map(|(y, v)| (y.to_string(), s(*v)))
                        .collect(),
                )
            };
            let partners: Map<String, Value> = g
                .partners
                .iter()
                .filter_map(|pg| {
                    p.partners
                        .get(pg.partner)
                        .map(|n| (n.clone(), years(pick(pg))))
                })
                .collect();
            json!({ "region": years(pick(&g.region)), "partners": partners })
        })
    };
    json!({
        "title": title,
        "unit": p.unit.label(),
        "years": p.years.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "tiers": p.tiers.iter().map(|t| json!({
            "name": t.name,
            "description": t.description,
            "min_strategic": s(t.min_strategic),
            "min_practicality": s(t.min_practicality),
        })).collect::<Vec<_>>(),
        "cases": cases,
        "partners": partners,
        "total": by_year(&p.years, &p.total),
        "net_position": net_position,
        "net_contributors": names(&p.net_contributors),
        "gain_overall": names(&p.gain_overall),
        "npsv_total": npsv_total,
        "npsv_total_note": npsv_note,
        "risk_adjusted_gap": gaps(|g| &g.risk_adjusted),
        "gap_after_programme": gaps(|g| &g.gap),
        "gap_after_programme_with_contingency": gaps(|g| &g.with_contingency),
    })
}

/// The programme as pretty-printed JSON text ending in a newline.
pub fn render(title: &str, p: &Programme) -> String {
    let mut text = serde_json::to_string_pretty(&value(title, p)).unwrap_or_default();
    text.push('\n');
    text
}
