//! The model workbook's Risk analysis sheet: the settings, the percentile
//! tables, the npsv histogram with a native chart, and the first
//! iterations' draws and results (docs/methodology.md, "Quantified risk
//! analysis"). Values only: the simulation is not a spreadsheet formula.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType};

use super::{Ctx, ExportError, Sheet, col, row};
use crate::compute::risk::{RiskAnalysis, Summary};

/// The sheet's name.
pub(super) const NAME: &str = "Risk analysis";

/// Writes the sheet.
///
/// # Errors
/// When the sheet exceeds what xlsx holds.
pub(super) fn write(ctx: &Ctx<'_>, a: &RiskAnalysis) -> Result<Sheet, ExportError> {
    let case = ctx.case;
    let fmt = ctx.fmt;
    let u = ctx.unit();
    let mut s = Sheet::new(NAME)?;
    s.text(
        0,
        0,
        &format!("Quantified risk analysis ({u}; no optimism bias)"),
        &fmt.title,
    )?;
    s.text(
        1,
        0,
        "Monte Carlo simulation of the case's ranges and risks; values, not formulas. docs/methodology.md defines every figure.",
        &fmt.note,
    )?;
    let mut r = 3;
    for (label, value) in [
        ("Iterations", a.iterations.to_string()),
        ("Seed", a.seed.to_string()),
        (
            "Percentiles",
            a.percentiles
                .iter()
                .map(|q| format!("P{q}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Iterations chosen",
            if a.auto {
                "auto: until every option's P80 PV costs is known to 0.5%".into()
            } else {
                "as set".into()
            },
        ),
    ] {
        s.text(r, 0, label, &fmt.label)?;
        s.text(r, 1, &value, &fmt.text)?;
        r += 1;
    }

    // Percentiles of every figure.
    r += 1;
    s.text(r, 0, "Percentiles by option (present values)", &fmt.title)?;
    r += 1;
    let mut head = vec!["Option".to_string(), "Figure".to_string()];
    head.extend(a.percentiles.iter().map(|q| format!("P{q}")));
    head.extend(["Mean".to_string(), "Std error".to_string()]);
    for (k, h) in head.iter().enumerate() {
        let f = if k < 2 { &fmt.header_left } else { &fmt.header };
        s.text(r, col(0, k)?, h, f)?;
    }
    r += 1;
    let summary_row = |s: &mut Sheet, r: u32, label: &str, what: &str, x: &Summary| {
        s.text(r, 0, label, &fmt.label)?;
        s.text(r, 1, what, &fmt.text)?;
        let mut c = 2;
        for p in &x.percentiles {
            s.num(r, c, p.value, &fmt.money)?;
            c += 1;
        }
        s.num(r, c, x.mean, &fmt.money)?;
        s.num(r, c + 1, x.std_error, &fmt.money)?;
        Ok::<(), ExportError>(())
    };
    for o in &a.options {
        let label = ctx.option_title(o.option);
        summary_row(&mut s, r, &label, "PV costs", &o.pv_costs)?;
        summary_row(&mut s, r + 1, &label, "PV benefits", &o.pv_benefits)?;
        summary_row(&mut s, r + 2, &label, "NPSV", &o.npsv)?;
        r += 3;
    }
    r += 1;
    s.text(r, 0, "Probabilities", &fmt.title)?;
    r += 1;
    for (k, h) in ["Option", "NPSV > 0", "NPSV above the preferred option's"]
        .iter()
        .enumerate()
    {
        let f = if k == 0 {
            &fmt.header_left
        } else {
            &fmt.header
        };
        s.text(r, col(0, k)?, h, f)?;
    }
    r += 1;
    for o in &a.options {
        s.text(r, 0, &ctx.option_title(o.option), &fmt.label)?;
        s.num(r, 1, o.prob_npsv_positive, &fmt.share)?;
        match o.prob_beats_preferred {
            Some(p) => s.num(r, 2, p, &fmt.share)?,
            None => s.text(r, 2, "n/a", &fmt.right)?,
        }
        r += 1;
    }

    if let Some(partners) = &a.partners {
        r += 1;
        s.text(
            r,
            0,
            &format!(
                "Risk allowances by partner: {} (nominal, over the appraisal period)",
                ctx.option_title(a.preferred)
            ),
            &fmt.title,
        )?;
        r += 1;
        for (k, h) in [
            "Partner",
            "Net revenue effect",
            "After risk P20",
            "After risk P50",
            "After risk P80",
            "Allowance at 50%",
            "Allowance at 80%",
        ]
        .iter()
        .enumerate()
        {
            let f = if k == 0 {
                &fmt.header_left
            } else {
                &fmt.header
            };
            s.text(r, col(0, k)?, h, f)?;
        }
        r += 1;
        for p in partners {
            s.text(r, 0, ctx.partner(p.partner), &fmt.label)?;
            for (c, v) in [
                p.deterministic,
                p.net_after_risk.p(20),
                p.net_after_risk.p(50),
                p.net_after_risk.p(80),
                p.allowance_p50,
                p.allowance_p80,
            ]
            .into_iter()
            .enumerate()
            {
                s.num(r, col(1, c)?, v, &fmt.money)?;
            }
            r += 1;
        }
    }

    if !a.gap_after_case.is_empty() {
        r += 1;
        s.text(
            r,
            0,
            "Region's gap after the case with risk (nominal)",
            &fmt.title,
        )?;
        r += 1;
        let mut head = vec!["Year".to_string()];
        head.extend(a.percentiles.iter().map(|q| format!("P{q}")));
        head.extend(["Mean".to_string(), "Std error".to_string()]);
        for (k, h) in head.iter().enumerate() {
            let f = if k == 0 {
                &fmt.header_left
            } else {
                &fmt.header
            };
            s.text(r, col(0, k)?, h, f)?;
        }
        r += 1;
        for g in &a.gap_after_case {
            s.text(r, 0, &g.year.to_string(), &fmt.label)?;
            let mut c = 1;
            for p in &g.gap.percentiles {
                s.num(r, c, p.value, &fmt.money)?;
                c += 1;
            }
            s.num(r, c, g.gap.mean, &fmt.money)?;
            s.num(r, c + 1, g.gap.std_error, &fmt.money)?;
            r += 1;
        }
    }

    // The histogram and its chart.
    r += 1;
    let h = &a.histogram;
    s.text(
        r,
        0,
        &format!(
            "NPSV histogram: {} ({} equal bins between the sample's minimum and maximum)",
            ctx.option_title(h.option),
            h.counts.len()
        ),
        &fmt.title,
    )?;
    r += 1;
    for (k, t) in ["Bin from", "Bin to", "Iterations"].iter().enumerate() {
        s.text(r, col(0, k)?, t, &fmt.header)?;
    }
    r += 1;
    let first = r;
    for (lower, count) in h.lower.iter().zip(&h.counts) {
        s.num(r, 0, *lower, &fmt.money)?;
        s.num(r, 1, *lower + h.width, &fmt.money)?;
        s.num(r, 2, Decimal::from(*count), &fmt.integer)?;
        r += 1;
    }
    let last = r.saturating_sub(1);
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(&format!(
        "NPSV of {} over {} iterations ({u})",
        case.option(h.option).map_or("", |o| o.id.as_str()),
        a.iterations
    ));
    chart
        .add_series()
        .set_name("Iterations")
        .set_categories((NAME, first, 0, last, 0))
        .set_values((NAME, first, 2, last, 2))
        .set_gap(10);
    chart.legend().set_hidden();
    chart.set_width(640).set_height(320);
    s.worksheet().insert_chart(first, 4, &chart)?;

    // The first iterations' draws and results.
    r += 1;
    s.text(
        r,
        0,
        &format!(
            "The first {} iterations: each line's multiplier, each risk's drawn cost (0: it did not occur), each option's NPSV",
            a.kept.len()
        ),
        &fmt.title,
    )?;
    r += 1;
    s.text(r, 0, "Iteration", &fmt.header_left)?;
    let mut c = 1;
    for item in &a.items {
        let option = case.option(item.option).map_or("", |o| o.id.as_str());
        s.text(
            r,
            col(0, c)?,
            &format!(
                "{} row {}: {} ({option})",
                item.sheet,
                item.row + 1,
                item.name
            ),
            &fmt.header,
        )?;
        c += 1;
    }
    for o in &a.options {
        s.text(
            r,
            col(0, c)?,
            &format!(
                "NPSV {}",
                case.option(o.option).map_or("", |x| x.id.as_str())
            ),
            &fmt.header,
        )?;
        c += 1;
    }
    r += 1;
    for (i, k) in a.kept.iter().enumerate() {
        s.num(r, 0, Decimal::from(i + 1), &fmt.integer)?;
        let mut c = 1;
        for (d, item) in k.draws.iter().zip(&a.items) {
            let f = if item.sheet == "Risks" {
                &fmt.money
            } else {
                &fmt.factor
            };
            s.num(r, col(0, c)?, *d, f)?;
            c += 1;
        }
        for v in &k.npsv {
            s.num(r, col(0, c)?, *v, &fmt.money)?;
            c += 1;
        }
        r = row(r, 1)?;
    }
    s.width(0, 40.0);
    for c in 1..=12 {
        s.width(c, 14.0);
    }
    Ok(s)
}
