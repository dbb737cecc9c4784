//! `fivecase portfolio show`: the programme as plain aligned text.
//!
//! The ranking with tiers and scores, then each force's yearly net revenue
//! effect case by case and over the programme. Every figure is one the
//! roll-up computed; this module only rounds for display and lays out.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::rollup::Programme;
use super::tiers::Placement;
use crate::format::money;
use crate::model::Unit;

/// Display decimals of the portfolio's unit: whole pounds and £k, £m to 2 places.
pub fn decimals(unit: Unit) -> u32 {
    match unit {
        Unit::Pounds | Unit::Thousands => 0,
        Unit::Millions => 2,
    }
}

/// A table whose first `left` columns are text (left-aligned) and the rest figures.
fn table(out: &mut String, head: &[String], rows: &[Vec<String>], left: usize) {
    let cols = head.len();
    let mut width = vec![0; cols];
    for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, row: &[String]| {
        let mut text = String::new();
        for (i, (cell, w)) in row.iter().zip(&width).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let pad = w - cell.chars().count();
            if i < left {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(out, head);
    let _ = writeln!(
        out,
        "{}",
        "-".repeat(width.iter().sum::<usize>() + 2 * (cols - 1))
    );
    for row in rows {
        line(out, row);
    }
    out.push('\n');
}

/// The whole terminal view.
pub fn render(title: &str, p: &Programme) -> String {
    let dp = decimals(p.unit);
    let u = p.unit.label();
    let mut out = String::new();
    let included = p.cases.iter().filter(|c| c.included).count();
    let _ = writeln!(
        out,
        "{title}: {} cases ({included} counted), {} forces, {} to {}, in {u}\n",
        p.cases.len(),
        p.partners.len(),
        p.years.first().map(ToString::to_string).unwrap_or_default(),
        p.years.last().map(ToString::to_string).unwrap_or_default(),
    );
    let _ = writeln!(out, "Tiers and ranking");
    let mut ranked: Vec<&super::rollup::CaseLine> = p.cases.iter().collect();
    ranked.sort_by_key(|c| c.rank);
    let head: Vec<String> = [
        "Rank",
        "Case",
        "Tier",
        "Option",
        "Counted",
        "Strategic",
        "Practicality",
        "Combined",
        &format!("npsv {u}"),
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let mean = |d: Option<Decimal>| d.map_or_else(|| "-".to_string(), |d| format!("{d:.2}"));
    let rows: Vec<Vec<String>> = ranked
        .iter()
        .map(|c| {
            let mut tier = c.tier.name(&p.tiers).to_string();
            if c.override_reason.is_some() {
                tier.push_str(" (override)");
            }
            vec![
                c.rank.to_string(),
                c.figures.path.clone(),
                tier,
                c.figures.option.clone().unwrap_or_else(|| "none".into()),
                if c.included { "yes" } else { "no" }.to_string(),
                mean(c.scores.map(|s| s.strategic.mean())),
                mean(c.scores.map(|s| s.practicality.mean())),
                mean(c.scores.map(|s| s.combined().mean())),
                money(c.npsv, dp),
            ]
        })
        .collect();
    table(&mut out, &head, &rows, 5);
    for c in &ranked {
        if let Some(reason) = &c.override_reason {
            let _ = writeln!(
                out,
                "  {}: {} by override (scores give {}): {reason}",
                c.figures.path,
                c.tier.name(&p.tiers),
                c.placement.name(&p.tiers)
            );
        }
        if let Placement::Unranked(reason) = &c.tier {
            let _ = writeln!(out, "  {}: Unranked: {reason}", c.figures.path);
        }
        if c.figures.option.is_none() {
            let _ = writeln!(
                out,
                "  {}: recommends no option; counted as zero",
                c.figures.path
            );
        }
    }
    match &p.npsv_total {
        Ok(t) => {
            let _ = writeln!(out, "  npsv of the counted cases: {} {u}\n", money(*t, dp));
        }
        Err(note) => {
            let _ = writeln!(out, "  {note}\n");
        }
    }

    let years: Vec<String> = p.years.iter().map(ToString::to_string).collect();
    for (pi, name) in p.partners.iter().enumerate() {
        let _ = writeln!(
            out,
            "{name}: net revenue effect by case ({u}, nominal; negative is a cost to the force)"
        );
        let mut head = vec!["Case".to_string()];
        head.extend(years.iter().cloned());
        head.push("Total".into());
        let mut rows = Vec::new();
        for (ci, c) in p.cases.iter().enumerate() {
            let Some(figs) = &c.by_partner[pi] else {
                continue;
            };
            let mut row = vec![if c.included {
                c.figures.path.clone()
            } else {
                format!("{} (not counted)", c.figures.path)
            }];
            row.extend(figs.iter().map(|f| money(f.net_revenue_effect, dp)));
            row.push(money(
                p.net_position[pi].by_case[ci].unwrap_or_default(),
                dp,
            ));
            rows.push(row);
        }
        let mut row = vec!["Programme".to_string()];
        row.extend(
            p.partner_totals[pi]
                .iter()
                .map(|f| money(f.net_revenue_effect, dp)),
        );
        row.push(money(p.net_position[pi].programme, dp));
        rows.push(row);
        table(&mut out, &head, &rows, 1);
    }
    let list = |ix: &[usize]| -> String {
        ix.iter()
            .filter_map(|&i| p.partners.get(i).map(String::as_str))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if p.net_contributors.is_empty() {
        let _ = writeln!(out, "No force is a net contributor over the programme.");
    } else {
        let _ = writeln!(
            out,
            "Net contributors over the programme: {}.",
            list(&p.net_contributors)
        );
    }
    if !p.gain_overall.is_empty() {
        let _ = writeln!(
            out,
            "Contributing in some case but gaining over the programme: {}.",
            list(&p.gain_overall)
        );
    }
    match &p.gap_after {
        None => {
            let _ = writeln!(
                out,
                "Gap after the programme: the portfolio names no programme budget."
            );
        }
        Some(g) => {
            out.push('\n');
            let _ = writeln!(
                out,
                "Gap after the programme ({u}, nominal): the risk-adjusted gap less the counted cases' net revenue effect, and with their contingency kept back"
            );
            let mut head = vec!["Force".to_string(), "Line".to_string()];
            head.extend(g.years.iter().map(ToString::to_string));
            let mut rows = Vec::new();
            let region = "Region".to_string();
            for pg in g.partners.iter().chain(std::iter::once(&g.region)) {
                let name = p.partners.get(pg.partner).unwrap_or(&region);
                for (label, values) in [
                    ("Risk-adjusted gap", &pg.risk_adjusted),
                    ("After the programme", &pg.gap),
                    ("With contingency", &pg.with_contingency),
                ] {
                    let mut row = vec![
                        if label == "Risk-adjusted gap" {
                            name.clone()
                        } else {
                            String::new()
                        },
                        label.to_string(),
                    ];
                    row.extend(values.iter().map(|v| money(*v, dp)));
                    rows.push(row);
                }
            }
            table(&mut out, &head, &rows, 2);
        }
    }
    out
}
