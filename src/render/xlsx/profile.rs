//! The Savings profile sheet: the cash view of each option against the
//! baseline, from amounts as entered (no optimism bias, no risk), in real
//! prices and in nominal prices, with cumulative net and the payback year.
//!
//! Nominal amounts are real amounts times an inflation index
//! (1 + rate)^t, t counted from the base year: general inflation for
//! benefits and for cost lines marked `General`, pay inflation for lines
//! marked `Pay`, none for `None`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::calc::{EconPos, NO_PAYBACK};
use super::inputs::{
    BENEFIT_FIRST_YEAR, BENEFIT_INFLATION, COST_FIRST_YEAR, COST_INFLATION, LINE_OPTION, LINE_TYPE,
    benefit_name, inflation_name,
};
use super::{Ctx, ExportError, Sheet, a1, at, col, row_fixed, span};
use crate::compute::ProfileYear;
use crate::model::{BenefitKind, Inflation, OptionId};

/// The rows of one price basis of an option's profile.
#[derive(Debug, Clone, Copy)]
pub(super) struct ProfileRows {
    pub(super) capital: u32,
    pub(super) revenue: u32,
    pub(super) costs: u32,
    pub(super) cashable: u32,
    pub(super) non_cashable: u32,
    pub(super) net: u32,
    pub(super) cumulative: u32,
}

/// The row of the general inflation index on the Savings profile sheet.
pub(super) const GENERAL_INFLATION_ROW: u32 = 5;

/// Where the Savings profile sheet's figures are.
pub(super) struct ProfilePos {
    pub(super) sheet: String,
    pub(super) first_year_col: u16,
    pub(super) total_col: u16,
    pub(super) year_row: u32,
    /// (real, nominal) rows of each non-baseline option, by option.
    pub(super) blocks: BTreeMap<OptionId, (ProfileRows, ProfileRows)>,
    /// The payback-year cell of each non-baseline option (`'Savings profile'!C20`).
    pub(super) payback: BTreeMap<OptionId, String>,
}

impl ProfilePos {
    /// `'Savings profile'!E9`: row `r`, appraisal year `j`.
    pub(super) fn cell(&self, r: u32, j: usize) -> String {
        let c = col(self.first_year_col, j).unwrap_or(self.first_year_col);
        super::xref(&self.sheet, r, c)
    }

    /// The row's Total column.
    pub(super) fn total(&self, r: u32) -> String {
        super::xref(&self.sheet, r, self.total_col)
    }
}

fn index_label(kind: Inflation) -> &'static str {
    match kind {
        Inflation::General => "general inflation",
        Inflation::Pay => "pay inflation",
        Inflation::None => "no inflation",
    }
}

/// The Savings profile sheet.
///
/// # Errors
/// When a figure overflows or a sheet limit is reached.
pub(super) fn write(ctx: &Ctx<'_>, econ: &EconPos) -> Result<(Sheet, ProfilePos), ExportError> {
    let fmt = ctx.fmt;
    let case = ctx.case;
    let res = ctx.results;
    let u = ctx.unit();
    let n = case.years.len();
    let fy = 2u16;
    let last = col(fy, n.saturating_sub(1))?;
    let total_col = col(fy, n)?;
    let name = "Savings profile";
    let mut s = Sheet::new(name)?;
    s.text(
        0,
        0,
        &format!("Savings profile: each option against the baseline ({u})"),
        &fmt.title,
    )?;
    s.text(
        1,
        0,
        "Amounts as entered, without optimism bias or risk; net = cashable savings − costs; payback: the first year cumulative net is back at or above zero",
        &fmt.note,
    )?;
    let year_row = 3;
    s.text(year_row, 0, u, &fmt.header_left)?;
    for (j, y) in case.years.iter().enumerate() {
        s.text(year_row, col(fy, j)?, &y.to_string(), &fmt.header)?;
    }
    s.text(year_row, total_col, &format!("Total ({u})"), &fmt.header)?;
    let t_row = 4;
    s.text(
        t_row,
        0,
        &format!("Years since the base year ({})", res.base_year),
        &fmt.label,
    )?;
    let periods = case.periods();
    for (j, t) in periods.iter().enumerate() {
        s.num(t_row, col(fy, j)?, Decimal::from(*t), &fmt.integer)?;
    }
    let general = &res.workings.general_inflation;
    let pay = &res.workings.pay_inflation;
    let gen_row = GENERAL_INFLATION_ROW;
    let pay_row = 6;
    for (rr, label, name, values) in [
        (
            gen_row,
            "General inflation index",
            "GeneralInflation",
            general,
        ),
        (pay_row, "Pay inflation index", "PayInflation", pay),
    ] {
        s.text(rr, 0, label, &fmt.label)?;
        for j in 0..n {
            let c = col(fy, j)?;
            let f = format!("=(1+{name})^{}", a1(t_row, c));
            s.formula(rr, c, &f, at(values, j), &fmt.factor)?;
        }
    }
    let idx_row = |k: Inflation| match k {
        Inflation::General => Some(gen_row),
        Inflation::Pay => Some(pay_row),
        Inflation::None => None,
    };
    let used: Vec<Inflation> = [Inflation::General, Inflation::Pay, Inflation::None]
        .into_iter()
        .filter(|k| case.costs.iter().any(|l| l.inflation == *k))
        .collect();
    // Benefits are split by index only where some benefit is not on general
    // inflation (otherwise nominal = real × the general index, as before).
    let benefit_used: Vec<Inflation> = if case
        .benefits
        .iter()
        .all(|l| l.inflation == Inflation::General)
    {
        Vec::new()
    } else {
        [Inflation::General, Inflation::Pay, Inflation::None]
            .into_iter()
            .filter(|k| case.benefits.iter().any(|l| l.inflation == *k))
            .collect()
    };

    let base = case.baseline;
    let base_block = econ.blocks.get(base.index()).copied();
    let mut blocks = BTreeMap::new();
    let mut payback = BTreeMap::new();
    let mut r = 8;
    for p in &res.savings_profile {
        let i = p.option;
        let (Some(opt_block), Some(base_block), Some(w)) = (
            econ.blocks.get(i.index()).copied(),
            base_block,
            res.workings.profile(i),
        ) else {
            continue;
        };
        s.text(r, 0, &ctx.option_title(i), &fmt.title)?;
        r += 1;
        s.text(
            r,
            0,
            &format!("Real prices ({} prices)", res.base_year),
            &fmt.label_bold,
        )?;
        let real = rows_from(r + 1);
        let econ_diff = |rr_opt: u32, rr_base: u32, j: usize| {
            format!("={}-{}", econ.cell(rr_opt, j), econ.cell(rr_base, j))
        };
        for j in 0..n {
            let c = col(fy, j)?;
            let y = p.real.get(j).copied().unwrap_or_default();
            s.formula(
                real.capital,
                c,
                &econ_diff(opt_block.capital, base_block.capital, j),
                y.capital,
                &fmt.money,
            )?;
            s.formula(
                real.revenue,
                c,
                &econ_diff(opt_block.revenue, base_block.revenue, j),
                y.revenue,
                &fmt.money,
            )?;
            s.formula(
                real.cashable,
                c,
                &econ_diff(opt_block.cashable, base_block.cashable, j),
                y.cashable,
                &fmt.money,
            )?;
            s.formula(
                real.non_cashable,
                c,
                &econ_diff(opt_block.non_cashable, base_block.non_cashable, j),
                y.non_cashable,
                &fmt.money,
            )?;
        }
        common_rows(&mut s, ctx, &real, &p.real, &w.real_total, fy, n)?;
        // Payback: a helper row marks the year cumulative net recovers.
        let flag = real.cumulative + 1;
        let pay_row_at = real.cumulative + 2;
        s.text(flag, 0, "Recovers this year (1 = yes)", &fmt.note)?;
        for j in 0..n {
            let c = col(fy, j)?;
            if j == 0 {
                s.num(flag, c, Decimal::ZERO, &fmt.integer)?;
            } else {
                let negative = |k: usize| {
                    p.real
                        .get(k)
                        .is_some_and(|y| y.cumulative_net < Decimal::ZERO)
                };
                let recovered = !negative(j) && (0..j).any(negative);
                let prev = col(fy, j - 1)?;
                let f = format!(
                    "=IF(AND({}>=0,MIN({}:{})<0),1,0)",
                    a1(real.cumulative, c),
                    super::abs(real.cumulative, fy),
                    a1(real.cumulative, prev)
                );
                s.formula(
                    flag,
                    c,
                    &f,
                    Decimal::from(u8::from(recovered)),
                    &fmt.integer,
                )?;
            }
        }
        s.text(pay_row_at, 0, "Payback year", &fmt.label_bold)?;
        let label = res
            .option(i)
            .and_then(|a| a.payback_year)
            .map_or_else(|| NO_PAYBACK.to_string(), |y| y.to_string());
        if n > 0 {
            let years = format!("{}:{}", row_fixed(year_row, fy), row_fixed(year_row, last));
            // Nothing to pay back when neither costs nor savings change.
            let f = format!(
                "=IF(SUMPRODUCT(ABS({costs}))+SUMPRODUCT(ABS({cashable}))=0,\"{NO_PAYBACK}\",IF(MIN({cum})>=0,{first},IFERROR(INDEX({years},MATCH(1,{flags},0)),\"{NO_PAYBACK}\")))",
                costs = span(real.costs, fy, last),
                cashable = span(real.cashable, fy, last),
                cum = span(real.cumulative, fy, last),
                first = row_fixed(year_row, fy),
                flags = span(flag, fy, last),
            );
            s.formula_text(pay_row_at, fy, &f, &label, &fmt.label_bold)?;
            payback.insert(i, s.at(pay_row_at, fy));
        }

        // Nominal prices: the real differences split by inflation index, then indexed.
        r = pay_row_at + 2;
        s.text(r, 0, "Nominal prices", &fmt.label_bold)?;
        r += 1;
        let mut split_rows: Vec<(bool, Inflation, u32)> = Vec::new();
        let costs = &ctx.layout.costs;
        let opt_id = ctx
            .layout
            .options
            .get(i.index())
            .map(|c| c.id.to_string())
            .unwrap_or_default();
        let base_id = ctx
            .layout
            .options
            .get(base.index())
            .map(|c| c.id.to_string())
            .unwrap_or_default();
        for capital in [true, false] {
            let kind = if capital { "Capital" } else { "Revenue" };
            for k in &used {
                s.text(
                    r,
                    0,
                    &format!("{kind} at {} (real)", index_label(*k)),
                    &fmt.note,
                )?;
                let incremental = if capital {
                    w.capital_by_index.get(*k)
                } else {
                    w.revenue_by_index.get(*k)
                };
                for j in 0..n {
                    let c = col(fy, j)?;
                    let v = at(incremental, j);
                    let part = |id: &str| -> Option<String> {
                        Some(format!(
                            "SUMPRODUCT(({}={id})*({}=\"{kind}\")*({}=\"{}\")*{})",
                            costs.column(LINE_OPTION)?,
                            costs.column(LINE_TYPE)?,
                            costs.column(COST_INFLATION)?,
                            inflation_name(*k),
                            costs.column(col(COST_FIRST_YEAR, j).ok()?)?
                        ))
                    };
                    match (part(&opt_id), part(&base_id)) {
                        (Some(a), Some(b)) => {
                            s.formula(r, c, &format!("={a}-{b}"), v, &fmt.money)?;
                        }
                        _ => s.num(r, c, v, &fmt.money)?,
                    }
                }
                split_rows.push((capital, *k, r));
                r += 1;
            }
        }
        // Benefits made nominal by an index other than general inflation:
        // the real differences split by index, as for costs.
        let mut benefit_rows: Vec<(BenefitKind, Inflation, u32)> = Vec::new();
        if !benefit_used.is_empty() {
            let benefits = &ctx.layout.benefits;
            for kind in [BenefitKind::Cashable, BenefitKind::NonCashable] {
                let name = benefit_name(kind);
                for k in &benefit_used {
                    s.text(
                        r,
                        0,
                        &format!("{name} at {} (real)", index_label(*k)),
                        &fmt.note,
                    )?;
                    let incremental = match kind {
                        BenefitKind::Cashable => w.cashable_by_index.get(*k),
                        BenefitKind::NonCashable => w.non_cashable_by_index.get(*k),
                    };
                    for j in 0..n {
                        let c = col(fy, j)?;
                        let v = at(incremental, j);
                        let part = |id: &str| -> Option<String> {
                            Some(format!(
                                "SUMPRODUCT(({}={id})*({}=\"{name}\")*({}=\"{}\")*{})",
                                benefits.column(LINE_OPTION)?,
                                benefits.column(LINE_TYPE)?,
                                benefits.column(BENEFIT_INFLATION)?,
                                inflation_name(*k),
                                benefits.column(col(BENEFIT_FIRST_YEAR, j).ok()?)?
                            ))
                        };
                        match (part(&opt_id), part(&base_id)) {
                            (Some(a), Some(b)) => {
                                s.formula(r, c, &format!("={a}-{b}"), v, &fmt.money)?;
                            }
                            _ => s.num(r, c, v, &fmt.money)?,
                        }
                    }
                    benefit_rows.push((kind, *k, r));
                    r += 1;
                }
            }
        }
        let nominal = rows_from(r);
        for j in 0..n {
            let c = col(fy, j)?;
            let y = p.nominal.get(j).copied().unwrap_or_default();
            for (capital, target, cached) in [
                (true, nominal.capital, y.capital),
                (false, nominal.revenue, y.revenue),
            ] {
                let terms: Vec<String> = split_rows
                    .iter()
                    .filter(|(cap, _, _)| *cap == capital)
                    .map(|(_, k, rr)| match idx_row(*k) {
                        Some(ir) => format!("{}*{}", a1(*rr, c), row_fixed(ir, c)),
                        None => a1(*rr, c),
                    })
                    .collect();
                let f = if terms.is_empty() {
                    "=0".to_string()
                } else {
                    format!("={}", terms.join("+"))
                };
                s.formula(target, c, &f, cached, &fmt.money)?;
            }
            for (kind, target, real_row, cached) in [
                (
                    BenefitKind::Cashable,
                    nominal.cashable,
                    real.cashable,
                    y.cashable,
                ),
                (
                    BenefitKind::NonCashable,
                    nominal.non_cashable,
                    real.non_cashable,
                    y.non_cashable,
                ),
            ] {
                let f = if benefit_used.is_empty() {
                    format!("={}*{}", a1(real_row, c), row_fixed(gen_row, c))
                } else {
                    let terms: Vec<String> = benefit_rows
                        .iter()
                        .filter(|(kd, _, _)| *kd == kind)
                        .map(|(_, k, rr)| match idx_row(*k) {
                            Some(ir) => format!("{}*{}", a1(*rr, c), row_fixed(ir, c)),
                            None => a1(*rr, c),
                        })
                        .collect();
                    if terms.is_empty() {
                        "=0".to_string()
                    } else {
                        format!("={}", terms.join("+"))
                    }
                };
                s.formula(target, c, &f, cached, &fmt.money)?;
            }
        }
        common_rows(&mut s, ctx, &nominal, &p.nominal, &w.nominal_total, fy, n)?;
        blocks.insert(i, (real, nominal));
        r = nominal.cumulative + 2;
    }
    s.width(0, 40.0);
    s.width(1, 2.0);
    for j in 0..n {
        s.width(col(fy, j)?, 12.0);
    }
    s.width(total_col, 14.0);
    s.freeze(year_row + 1, fy);
    Ok((
        s,
        ProfilePos {
            sheet: name.into(),
            first_year_col: fy,
            total_col,
            year_row,
            blocks,
            payback,
        },
    ))
}

fn rows_from(first: u32) -> ProfileRows {
    ProfileRows {
        capital: first,
        revenue: first + 1,
        costs: first + 2,
        cashable: first + 3,
        non_cashable: first + 4,
        net: first + 5,
        cumulative: first + 6,
    }
}

type Pick = fn(&ProfileYear) -> Decimal;

/// Labels, costs, net, cumulative net and totals: the same for both price bases.
fn common_rows(
    s: &mut Sheet,
    ctx: &Ctx<'_>,
    rows: &ProfileRows,
    years: &[ProfileYear],
    totals: &ProfileYear,
    fy: u16,
    n: usize,
) -> Result<(), ExportError> {
    let fmt = ctx.fmt;
    let bold = [rows.costs, rows.net, rows.cumulative];
    for (rr, label) in [
        (rows.capital, "Capital costs"),
        (rows.revenue, "Revenue costs"),
        (rows.costs, "Costs"),
        (rows.cashable, "Cashable savings"),
        (rows.non_cashable, "Non-cashable benefits"),
        (rows.net, "Net (cashable savings − costs)"),
        (rows.cumulative, "Cumulative net"),
    ] {
        let style = if bold.contains(&rr) {
            &fmt.label_bold
        } else {
            &fmt.label
        };
        s.text(rr, 0, label, style)?;
    }
    for j in 0..n {
        let c = col(fy, j)?;
        let y = years.get(j).copied().unwrap_or_default();
        s.formula(
            rows.costs,
            c,
            &format!("={}+{}", a1(rows.capital, c), a1(rows.revenue, c)),
            y.costs,
            &fmt.money_total,
        )?;
        s.formula(
            rows.net,
            c,
            &format!("={}-{}", a1(rows.cashable, c), a1(rows.costs, c)),
            y.net,
            &fmt.money_total,
        )?;
        let f = if j == 0 {
            format!("={}", a1(rows.net, c))
        } else {
            format!(
                "={}+{}",
                a1(rows.cumulative, col(fy, j - 1)?),
                a1(rows.net, c)
            )
        };
        s.formula(rows.cumulative, c, &f, y.cumulative_net, &fmt.money)?;
    }
    if n > 0 {
        let last = col(fy, n - 1)?;
        let total_col = col(fy, n)?;
        let picks: [(u32, Pick); 6] = [
            (rows.capital, |y| y.capital),
            (rows.revenue, |y| y.revenue),
            (rows.costs, |y| y.costs),
            (rows.cashable, |y| y.cashable),
            (rows.non_cashable, |y| y.non_cashable),
            (rows.net, |y| y.net),
        ];
        for (rr, pick) in picks {
            let total = pick(totals);
            let style = if bold.contains(&rr) {
                &fmt.money_total
            } else {
                &fmt.money
            };
            s.formula(
                rr,
                total_col,
                &format!("=SUM({})", span(rr, fy, last)),
                total,
                style,
            )?;
        }
    }
    Ok(())
}
