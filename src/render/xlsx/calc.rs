//! The economic calculation sheets: Parameters (the STPR rates table, the
//! discount-factor schedule built from it, the optimism-bias table) and
//! Economic (each option's costs and benefits by year, adjusted for
//! optimism bias and risk, with present values); and the texts every sheet
//! shows where a figure does not apply.

use rust_decimal::Decimal;

use super::inputs::{
    BENEFIT_FIRST_YEAR, COST_FIRST_YEAR, LINE_OPTION, LINE_TYPE, RISK_IMPACT, RISK_OPTION,
    RISK_PROBABILITY, RISK_YEAR,
};
use super::{Ctx, ExportError, Sheet, a1, at, col, row, row_fixed, span};
use crate::model::{DiscountRate, ObOrigin, OptimismBias, OptionId};
use crate::params;

/// Where each appraisal year's discount factor is, on the Parameters sheet.
pub(super) struct DiscPos {
    /// `Parameters!D12` for each appraisal year.
    pub(super) df: Vec<String>,
    /// The optimism-bias table: `Parameters!$F$5:$J$10`.
    pub(super) ob_table: String,
}

/// The Parameters sheet.
///
/// # Errors
/// When the schedule is too long for a sheet or a factor overflows.
pub(super) fn discounting(ctx: &Ctx<'_>) -> Result<(Sheet, DiscPos), ExportError> {
    let fmt = ctx.fmt;
    let r = ctx.results;
    let mut s = Sheet::new("Parameters")?;
    let schedule = params::discount_schedule(r.edition);
    let (title, source) = match r.discount_rate {
        DiscountRate::GreenBook => (
            format!("Discount factors: Green Book {} STPR schedule", r.edition),
            schedule.source.to_string(),
        ),
        DiscountRate::Fixed(_) => (
            "Discount factors: fixed rate (Assumptions, DiscountRate)".to_string(),
            "A fixed annual rate set on the Assumptions sheet".to_string(),
        ),
    };
    s.text(0, 0, &title, &fmt.title)?;
    s.text(1, 0, &source, &fmt.note)?;
    s.text(3, 0, "From year (t)", &fmt.header)?;
    s.text(3, 1, "To year (t)", &fmt.header)?;
    s.text(3, 2, "Rate", &fmt.header)?;
    let bands: Vec<(u32, Option<u32>, Decimal)> = match r.discount_rate {
        DiscountRate::GreenBook => schedule
            .bands
            .iter()
            .map(|b| (b.from, b.to, b.rate))
            .collect(),
        DiscountRate::Fixed(rate) => vec![(0, None, rate)],
    };
    for (i, (from, to, rate)) in bands.iter().enumerate() {
        let rr = row(4, i)?;
        s.num(rr, 0, Decimal::from(*from), &fmt.integer)?;
        match to {
            Some(to) => s.num(rr, 1, Decimal::from(*to), &fmt.integer)?,
            None => s.text(rr, 1, "and later", &fmt.text)?,
        }
        match r.discount_rate {
            DiscountRate::GreenBook => s.num(rr, 2, *rate, &fmt.percent)?,
            DiscountRate::Fixed(_) => s.formula(rr, 2, "=DiscountRate", *rate, &fmt.percent)?,
        }
    }
    let last_band = row(4, bands.len().saturating_sub(1))?;
    let table = format!("$A$5:$C${}", last_band + 1);

    // The schedule: one row per year from the base year to the last appraisal year.
    let periods = ctx.case.periods();
    let max_t = periods.iter().copied().max().unwrap_or(0);
    let head = last_band + 2;
    for (c, t) in ["Year", "t", "Rate", "Discount factor"].iter().enumerate() {
        s.text(head, col(0, c)?, t, &fmt.header)?;
    }
    let mut df_rows = Vec::new();
    for t in 0..=max_t {
        let rr = row(head + 1, usize::try_from(t).unwrap_or(usize::MAX))?;
        let year = r.base_year.plus(u16::try_from(t).unwrap_or(u16::MAX));
        s.text(rr, 0, &year.to_string(), &fmt.text)?;
        s.num(rr, 1, Decimal::from(t), &fmt.integer)?;
        let step = usize::try_from(t)
            .ok()
            .and_then(|i| r.workings.schedule.get(i))
            .ok_or(ExportError::Mismatch)?;
        if let Some(rate) = step.rate {
            let df = step.factor;
            s.formula(
                rr,
                2,
                &format!("=VLOOKUP({},{table},3,TRUE)", a1(rr, 1)),
                rate,
                &fmt.percent,
            )?;
            s.formula(
                rr,
                3,
                &format!("={}/(1+{})", a1(rr - 1, 3), a1(rr, 2)),
                df,
                &fmt.factor,
            )?;
        } else {
            s.num(rr, 3, step.factor, &fmt.factor)?;
        }
        df_rows.push(rr);
    }
    let df_refs = periods
        .iter()
        .map(|t| {
            let rr = df_rows
                .get(usize::try_from(*t).unwrap_or(0))
                .copied()
                .unwrap_or(head + 1);
            s.at(rr, 3)
        })
        .collect();

    // The optimism-bias table, beside the rates.
    let ob = params::optimism_bias_table(ctx.case.meta.edition);
    s.text(3, 5, "Optimism bias category", &fmt.header_left)?;
    for (c, t) in [
        "Capital upper",
        "Capital lower",
        "Operating upper",
        "Operating lower",
    ]
    .iter()
    .enumerate()
    {
        s.text(3, col(6, c)?, t, &fmt.header)?;
    }
    for (i, ob_row) in ob.rows.iter().enumerate() {
        let rr = row(4, i)?;
        s.text(rr, 5, ob_row.name, &fmt.text)?;
        let cells = [
            ob_row.capital.map(|b| b.upper),
            ob_row.capital.map(|b| b.lower),
            ob_row.operating.map(|b| b.upper),
            ob_row.operating.map(|b| b.lower),
        ];
        for (c, v) in cells.iter().enumerate() {
            if let Some(v) = v {
                s.num(rr, col(6, c)?, *v, &fmt.percent)?;
            }
        }
    }
    let ob_last = row(4, ob.rows.len().saturating_sub(1))?;
    let note = row(ob_last, 2)?;
    s.text(note, 5, ob.source, &fmt.note)?;
    let ob_table = format!("Parameters!$F$5:$J${}", ob_last + 1);
    for (c, w) in [
        (0, 14.0),
        (1, 12.0),
        (2, 10.0),
        (3, 16.0),
        (4, 3.0),
        (5, 30.0),
        (6, 12.0),
        (7, 12.0),
        (8, 12.0),
        (9, 12.0),
    ] {
        s.width(c, w);
    }
    s.freeze_panes(0, 0);
    Ok((
        s,
        DiscPos {
            df: df_refs,
            ob_table,
        },
    ))
}

/// The rows of one option's block on the Economic sheet.
#[derive(Debug, Clone, Copy)]
pub(super) struct EconBlock {
    pub(super) capital: u32,
    pub(super) revenue: u32,
    pub(super) ob_capital: u32,
    pub(super) ob_revenue: u32,
    pub(super) risk: u32,
    pub(super) adjusted: u32,
    pub(super) cashable: u32,
    pub(super) non_cashable: u32,
    pub(super) benefits: u32,
}

/// Where the Economic sheet's figures are.
pub(super) struct EconPos {
    pub(super) sheet: String,
    pub(super) first_year_col: u16,
    pub(super) pv_col: u16,
    /// One block per option, in `Case::options` order.
    pub(super) blocks: Vec<EconBlock>,
}

impl EconPos {
    /// `Economic!E9`: row `r`, appraisal year `j`.
    pub(super) fn cell(&self, r: u32, j: usize) -> String {
        let c = col(self.first_year_col, j).unwrap_or(self.first_year_col);
        super::xref(&self.sheet, r, c)
    }
}

/// The optimism-bias rate formula: the rate cell itself, or the category's bound
/// from the Parameters table reduced by the mitigation.
#[allow(clippy::too_many_arguments)]
fn ob_formula(
    ctx: &Ctx<'_>,
    option: OptionId,
    ob: &OptimismBias,
    cell: &crate::model::CellRef,
    bound_col: u32,
    capital: bool,
    disc: &DiscPos,
) -> String {
    match ob.origin {
        ObOrigin::Entered => format!("={cell}"),
        ObOrigin::Category { mitigation, .. } => {
            let cells = ctx.layout.options.get(option.index());
            let written = cells.and_then(|c| {
                if capital {
                    c.mitigation_capital.as_ref()
                } else {
                    c.mitigation_revenue.as_ref()
                }
            });
            let m = match written {
                Some((cell, value)) if *value == mitigation => cell.to_string(),
                _ => mitigation.normalize().to_string(),
            };
            format!(
                "=VLOOKUP({cell},{},{bound_col},FALSE)*(1-{m})",
                disc.ob_table
            )
        }
    }
}

/// The Economic sheet.
///
/// # Errors
/// When the sheet exceeds xlsx limits or a figure overflows.
pub(super) fn economic(ctx: &Ctx<'_>, disc: &DiscPos) -> Result<(Sheet, EconPos), ExportError> {
    let fmt = ctx.fmt;
    let case = ctx.case;
    let res = ctx.results;
    let n = case.years.len();
    let mut s = Sheet::new("Economic")?;
    let fy = 2u16;
    let last = col(fy, n.saturating_sub(1))?;
    let pv_col = col(fy, n)?;
    s.text(
        0,
        0,
        &format!(
            "Economic appraisal: costs and benefits by option ({}, real prices of {})",
            ctx.unit(),
            res.base_year
        ),
        &fmt.title,
    )?;
    s.text(
        1,
        0,
        "Sums of the Costs, Benefits and Risks sheets; adjusted costs add optimism bias and the expected cost of risks (probability × impact)",
        &fmt.note,
    )?;
    let year_row = 3;
    s.text(
        year_row,
        0,
        &format!("{}, real prices", ctx.unit()),
        &fmt.header_left,
    )?;
    s.text(year_row, 1, "Rate", &fmt.header)?;
    for (j, y) in case.years.iter().enumerate() {
        s.text(year_row, col(fy, j)?, &y.to_string(), &fmt.header)?;
    }
    s.text(
        year_row,
        pv_col,
        &format!("Present value ({})", ctx.unit()),
        &fmt.header,
    )?;
    let df_row = 4;
    s.text(df_row, 0, "Discount factor", &fmt.label)?;
    for (j, cell) in disc.df.iter().enumerate() {
        s.formula(
            df_row,
            col(fy, j)?,
            &format!("={cell}"),
            at(&res.discount_factors, j),
            &fmt.factor,
        )?;
    }
    let df_span = format!("{}:{}", row_fixed(df_row, fy), row_fixed(df_row, last));

    let costs = &ctx.layout.costs;
    let benefits = &ctx.layout.benefits;
    let risks = &ctx.layout.risks;
    let mut blocks = Vec::new();
    let mut r = 6;
    for (i, opt) in case.option_ids().zip(&case.options) {
        let w = res.workings.option(i).ok_or(ExportError::Mismatch)?;
        let appraisal = res.option(i);
        let id_cell = ctx
            .layout
            .options
            .get(i.index())
            .map(|c| c.id.to_string())
            .unwrap_or_default();
        let title = if opt.baseline {
            format!("{} (baseline)", ctx.option_title(i))
        } else {
            ctx.option_title(i)
        };
        s.text(r, 0, &title, &fmt.label_bold)?;
        let b = EconBlock {
            capital: r + 1,
            revenue: r + 2,
            ob_capital: r + 3,
            ob_revenue: r + 4,
            risk: r + 5,
            adjusted: r + 6,
            cashable: r + 7,
            non_cashable: r + 8,
            benefits: r + 9,
        };
        let (capital, revenue) = (&w.capital, &w.revenue);
        let line_sum =
            |sheet: &super::inputs::Lines, kind: &str, year_col: u16| -> Option<String> {
                Some(format!(
                    "=SUMPRODUCT(({}={id_cell})*({}=\"{kind}\")*{})",
                    sheet.column(LINE_OPTION)?,
                    sheet.column(LINE_TYPE)?,
                    sheet.column(year_col)?
                ))
            };
        let rows: [(u32, &str, &Vec<Decimal>); 2] = [
            (b.capital, "Capital costs", capital),
            (b.revenue, "Revenue costs", revenue),
        ];
        for (rr, label, values) in rows {
            s.text(rr, 0, label, &fmt.label)?;
            let kind = if rr == b.capital {
                "Capital"
            } else {
                "Revenue"
            };
            for j in 0..n {
                let c = col(fy, j)?;
                match line_sum(costs, kind, col(COST_FIRST_YEAR, j)?) {
                    Some(f) => s.formula(rr, c, &f, at(values, j), &fmt.money)?,
                    None => s.num(rr, c, Decimal::ZERO, &fmt.money)?,
                }
            }
        }
        // Optimism bias: the rate in column B, the uplift by year beside it.
        let ob_rows = [
            (
                b.ob_capital,
                b.capital,
                "Optimism bias on capital",
                &opt.ob_capital,
                &w.ob_capital,
                2u32,
            ),
            (
                b.ob_revenue,
                b.revenue,
                "Optimism bias on revenue",
                &opt.ob_revenue,
                &w.ob_revenue,
                4u32,
            ),
        ];
        for (rr, base_row, label, ob, amounts, bound_col) in ob_rows {
            s.text(rr, 0, label, &fmt.label)?;
            let cells = ctx.layout.options.get(i.index());
            let cell = cells.map(|c| {
                if rr == b.ob_capital {
                    &c.ob_capital
                } else {
                    &c.ob_revenue
                }
            });
            match cell {
                Some(cell) => s.formula(
                    rr,
                    1,
                    &ob_formula(ctx, i, ob, cell, bound_col, rr == b.ob_capital, disc),
                    ob.rate,
                    &fmt.percent,
                )?,
                None => s.num(rr, 1, ob.rate, &fmt.percent)?,
            }
            for j in 0..n {
                let c = col(fy, j)?;
                s.formula(
                    rr,
                    c,
                    &format!("={}*$B${}", a1(base_row, c), rr + 1),
                    at(amounts, j),
                    &fmt.money,
                )?;
            }
        }
        s.text(b.risk, 0, "Expected cost of risks", &fmt.label)?;
        for j in 0..n {
            let c = col(fy, j)?;
            let f = (|| {
                Some(format!(
                    "=SUMPRODUCT(({}={id_cell})*({}={})*{}*{})",
                    risks.column(RISK_OPTION)?,
                    risks.column(RISK_YEAR)?,
                    row_fixed(year_row, c),
                    risks.column(RISK_PROBABILITY)?,
                    risks.column(RISK_IMPACT)?
                ))
            })();
            match f {
                Some(f) => s.formula(b.risk, c, &f, at(&w.risk, j), &fmt.money)?,
                None => s.num(b.risk, c, Decimal::ZERO, &fmt.money)?,
            }
        }
        s.text(b.adjusted, 0, "Adjusted costs", &fmt.label_bold)?;
        for j in 0..n {
            let c = col(fy, j)?;
            s.formula(
                b.adjusted,
                c,
                &format!("=SUM({}:{})", a1(b.capital, c), a1(b.risk, c)),
                at(&w.adjusted, j),
                &fmt.money_total,
            )?;
        }
        for (rr, label, kind, values) in [
            (b.cashable, "Cashable benefits", "Cashable", &w.cashable),
            (
                b.non_cashable,
                "Non-cashable benefits",
                "Non-cashable",
                &w.non_cashable,
            ),
        ] {
            s.text(rr, 0, label, &fmt.label)?;
            for j in 0..n {
                let c = col(fy, j)?;
                match line_sum(benefits, kind, col(BENEFIT_FIRST_YEAR, j)?) {
                    Some(f) => s.formula(rr, c, &f, at(values, j), &fmt.money)?,
                    None => s.num(rr, c, Decimal::ZERO, &fmt.money)?,
                }
            }
        }
        s.text(b.benefits, 0, "Total benefits", &fmt.label_bold)?;
        for j in 0..n {
            let c = col(fy, j)?;
            s.formula(
                b.benefits,
                c,
                &format!("={}+{}", a1(b.cashable, c), a1(b.non_cashable, c)),
                at(&w.benefits, j),
                &fmt.money_total,
            )?;
        }
        // Present values: the engine's.
        let a = appraisal;
        let pvs = [
            (b.capital, a.map(|a| a.pv_capital)),
            (b.revenue, a.map(|a| a.pv_revenue)),
            (b.ob_capital, Some(w.pv_ob_capital)),
            (b.ob_revenue, Some(w.pv_ob_revenue)),
            (b.risk, a.map(|a| a.pv_risk)),
            (b.adjusted, a.map(|a| a.pv_costs)),
            (b.cashable, a.map(|a| a.pv_cashable)),
            (b.non_cashable, a.map(|a| a.pv_non_cashable)),
            (b.benefits, a.map(|a| a.pv_benefits)),
        ];
        for (rr, pv) in pvs {
            let f = if n == 0 {
                "=0".to_string()
            } else {
                format!("=SUMPRODUCT({},{df_span})", span(rr, fy, last))
            };
            let total = rr == b.adjusted || rr == b.benefits;
            let style = if total { &fmt.money_total } else { &fmt.money };
            s.formula(rr, pv_col, &f, pv.unwrap_or_default(), style)?;
        }
        blocks.push(b);
        r = b.benefits + 2;
    }
    s.width(0, 36.0);
    s.width(1, 9.0);
    for j in 0..n {
        s.width(col(fy, j)?, 12.0);
    }
    s.width(pv_col, 16.0);
    s.freeze(year_row + 1, fy);
    Ok((
        s,
        EconPos {
            sheet: "Economic".into(),
            first_year_col: fy,
            pv_col,
            blocks,
        },
    ))
}

/// Text shown where a figure does not apply (the baseline's bcr and payback).
pub(super) const NOT_APPLICABLE: &str = "–";
/// The cached result of a bcr formula whose denominator is not positive.
pub(super) const NO_BCR: &str = "n/a";

/// What stands in a benefit-cost ratio's cell where there is no ratio: the
/// option's value-for-money category, as the Appraisal sheet's formula
/// states it.
pub(super) fn vfm_text(v: crate::compute::ValueForMoney) -> &'static str {
    use crate::compute::ValueForMoney as V;
    match v {
        V::Baseline => NOT_APPLICABLE,
        V::NoDifference => "no difference",
        V::Dominant => "dominant",
        V::Dominated => "dominated",
        V::CostSaving => "cost-saving",
        V::Ratio => NO_BCR,
    }
}
/// The cached result of a payback formula when the cumulative net never recovers.
pub(super) const NO_PAYBACK: &str = "none";
