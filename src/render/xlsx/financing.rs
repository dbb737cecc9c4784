//! The Financial case sheet: how each partner finances its capital, the
//! case's net effect on each revenue budget, and the contingency held for
//! the option's risks (docs/methodology.md, "Capital financing").
//!
//! Everything that is arithmetic on cells is a formula: capital, revenue
//! and savings refer to the Apportionment sheet; minimum revenue provision,
//! the balance outstanding, interest and the financing charge follow the
//! borrowing recurrence cell by cell, run on past the appraisal period
//! while borrowing is repaid; the net revenue effect is savings − revenue −
//! charge. The contingency is apportioned to the penny by largest
//! remainder, so, like the apportioned lines, it is written as values with a
//! check row against the Economic sheet's risk rows.

use rust_decimal::Decimal;

use super::apportion::ApportionPos;
use super::calc::EconPos;
use super::profile::ProfilePos;
use super::{Ctx, ExportError, Sheet, a1, abs, at, col, span};
use crate::compute::FinancialCase;
use crate::compute::financing::LaterYear;
use crate::model::Financing;

/// Where the Financial case sheet's figures are.
pub(super) struct FinPos {
    pub(super) sheet: String,
    pub(super) first_year_col: u16,
    /// Net revenue effect: each partner's row (Partners-sheet order) and the region's.
    pub(super) effect: Vec<u32>,
    pub(super) effect_region: u32,
    /// Contingency: each partner's row and the region's.
    pub(super) contingency: Vec<u32>,
    pub(super) contingency_region: u32,
}

impl FinPos {
    /// `'Financial case'!E9`: row `r`, appraisal year `j`.
    pub(super) fn cell(&self, r: u32, j: usize) -> String {
        let c = col(self.first_year_col, j).unwrap_or(self.first_year_col);
        super::xref(&self.sheet, r, c)
    }
}

fn method_name(m: Financing) -> &'static str {
    match m {
        Financing::Revenue => "Revenue contribution",
        Financing::Reserves => "Reserves",
        Financing::Grant => "Capital grants and receipts",
        Financing::Borrowing => "Borrowing",
    }
}

/// How one cell of a partner table is written.
enum Entry {
    Formula(String),
    Value,
    Blank,
}

/// The Financial case sheet, when the results carry a Financial Case.
///
/// # Errors
/// When a figure overflows or a sheet limit is reached.
#[allow(clippy::too_many_lines)]
pub(super) fn write(
    ctx: &Ctx<'_>,
    econ: &EconPos,
    prof: &ProfilePos,
    apport: &ApportionPos,
) -> Result<Option<(Sheet, FinPos)>, ExportError> {
    let Some(fc) = &ctx.results.financial_case else {
        return Ok(None);
    };
    let Some((_, nominal)) = apport.options.get(&fc.option) else {
        return Err(ExportError::Mismatch);
    };
    let fmt = ctx.fmt;
    let case = ctx.case;
    let u = ctx.unit();
    let n = case.years.len();
    let later = fc
        .partners
        .iter()
        .map(|p| p.financed.after_period.len())
        .max()
        .unwrap_or(0);
    let fy = 1u16;
    let width = n.saturating_add(later);
    let total_col = col(fy, width)?;
    let after_col = col(fy, width.saturating_add(1))?;
    let name = "Financial case";
    let mut s = Sheet::new(name)?;
    let option = ctx.option_title(fc.option);
    s.text(
        0,
        0,
        &format!("Financial case: {option} ({u}, nominal)"),
        &fmt.title,
    )?;
    s.text(
        1,
        0,
        "Each partner's apportioned capital, financed by its method; net revenue effect = savings − revenue − the capital's charge; contingency = the partner's share of the option's expected risk cost",
        &fmt.note,
    )?;
    let f = &case.financing;
    s.text(3, 0, "Borrowing rate", &fmt.label)?;
    match ctx.layout.names.iter().find(|(n, _)| *n == "BorrowingRate") {
        Some(_) => s.formula(3, 1, "=BorrowingRate", f.borrowing_rate, &fmt.percent)?,
        None => s.num(3, 1, f.borrowing_rate, &fmt.percent)?,
    }
    s.text(4, 0, "Asset life (years)", &fmt.label)?;
    let asset_life = case.asset_life(fc.option).max(1);
    s.num(4, 1, Decimal::from(asset_life), &fmt.integer)?;
    s.text(
        4,
        2,
        "MRP is straight line over the asset life from the year after spend; each MRP formula spans that many years",
        &fmt.note,
    )?;
    let rate_cell = abs(3, 1);
    let life_cell = abs(4, 1);
    let life = usize::try_from(asset_life).unwrap_or(usize::MAX);

    s.text(6, 0, "Partner", &fmt.header_left)?;
    s.text(6, 1, "Capital financing", &fmt.header_left)?;
    for (k, p) in fc.partners.iter().enumerate() {
        let r = super::row(7, k)?;
        s.text(r, 0, ctx.partner(p.partner), &fmt.label)?;
        s.text(r, 1, method_name(p.method), &fmt.text)?;
    }
    let mut r = super::row(7, fc.partners.len())? + 1;

    // Year headers: the appraisal years, then the years after the period
    // in which borrowing is still repaid.
    let mut year_labels: Vec<String> = case.years.iter().map(ToString::to_string).collect();
    if let Some(last) = case.years.last() {
        let mut y = *last;
        for _ in 0..later {
            y = y.next();
            year_labels.push(format!("{y} (after)"));
        }
    }

    let p_count = fc.partners.len();
    let mut tables: Vec<Vec<u32>> = Vec::new();
    // Writes one table: a title, a row per partner, a region row summing them.
    let mut table = |s: &mut Sheet,
                     r: &mut u32,
                     title: &str,
                     after: bool,
                     values: &dyn Fn(usize) -> (Vec<Decimal>, Vec<Decimal>),
                     region: (&[Decimal], &[Decimal]),
                     entry: &dyn Fn(usize, usize) -> Entry|
     -> Result<(Vec<u32>, u32), ExportError> {
        s.text(*r, 0, title, &fmt.label_bold)?;
        for (j, y) in year_labels.iter().enumerate() {
            if j < n || after {
                s.text(*r, col(fy, j)?, y, &fmt.header)?;
            }
        }
        s.text(*r, total_col, &format!("Total ({u})"), &fmt.header)?;
        if after {
            s.text(*r, after_col, "After the period", &fmt.header)?;
        }
        *r += 1;
        let first = *r;
        let mut rows = Vec::with_capacity(p_count);
        for (k, p) in fc.partners.iter().enumerate() {
            let (v, later_v) = values(k);
            s.text(*r, 0, ctx.partner(p.partner), &fmt.label)?;
            for j in 0..width {
                if j >= n && !after {
                    break;
                }
                let c = col(fy, j)?;
                let value = if j < n {
                    at(&v, j)
                } else {
                    at(&later_v, j - n)
                };
                match entry(k, j) {
                    Entry::Formula(f) => s.formula(*r, c, &f, value, &fmt.pennies)?,
                    Entry::Value => s.num(*r, c, value, &fmt.pennies)?,
                    Entry::Blank => {}
                }
            }
            if n > 0 {
                let total = sum(v.iter().copied(), "financing totals")?;
                s.formula(
                    *r,
                    total_col,
                    &format!("=SUM({})", span(*r, fy, col(fy, n - 1)?)),
                    total,
                    &fmt.pennies,
                )?;
            }
            if after && later > 0 {
                let total = sum(later_v.iter().copied(), "financing totals")?;
                s.formula(
                    *r,
                    after_col,
                    &format!("=SUM({})", span(*r, col(fy, n)?, col(fy, width - 1)?)),
                    total,
                    &fmt.pennies,
                )?;
            }
            rows.push(*r);
            *r += 1;
        }
        let last = rows.last().copied().unwrap_or(first);
        s.text(*r, 0, "Region", &fmt.label_bold)?;
        let columns = if after { width } else { n };
        for j in 0..columns {
            let c = col(fy, j)?;
            let value = if j < n {
                at(region.0, j)
            } else {
                at(region.1, j - n)
            };
            let f = if rows.is_empty() {
                "=0".to_string()
            } else {
                format!("=SUM({}:{})", a1(first, c), a1(last, c))
            };
            s.formula(*r, c, &f, value, &fmt.pennies_total)?;
        }
        let region_total =
            sum(region.0.iter().copied(), "financing totals").map_err(|_| ExportError::Mismatch)?;
        if n > 0 {
            s.formula(
                *r,
                total_col,
                &format!("=SUM({})", span(*r, fy, col(fy, n - 1)?)),
                region_total,
                &fmt.pennies_total,
            )?;
        }
        if after && later > 0 {
            let total = sum(region.1.iter().copied(), "financing totals")
                .map_err(|_| ExportError::Mismatch)?;
            s.formula(
                *r,
                after_col,
                &format!("=SUM({})", span(*r, col(fy, n)?, col(fy, width - 1)?)),
                total,
                &fmt.pennies_total,
            )?;
        }
        let region_row = *r;
        *r += 2;
        tables.push(rows.clone());
        Ok((rows, region_row))
    };

    let partner = |k: usize| &fc.partners[k.min(p_count.saturating_sub(1))];
    let later_of = |k: usize, pick: fn(&LaterYear) -> Decimal| -> Vec<Decimal> {
        partner(k).financed.after_period.iter().map(pick).collect()
    };
    let region_later = |pick: fn(&LaterYear) -> Decimal| -> Vec<Decimal> {
        fc.region.after_period.iter().map(pick).collect()
    };
    let borrows = |k: usize| partner(k).method == Financing::Borrowing;
    let apport_row = |rows: &[u32], k: usize| -> Option<u32> {
        ctx.results
            .apportioned(fc.option)
            .and_then(|a| {
                a.partners
                    .iter()
                    .position(|p| p.partner == partner(k).partner)
            })
            .and_then(|pos| rows.get(pos).copied())
    };
    let from_apportionment = |rows: &[u32], k: usize, j: usize| -> Entry {
        if j >= n {
            return Entry::Blank;
        }
        match apport_row(rows, k) {
            Some(ar) => Entry::Formula(format!("={}", apport.cell(ar, j))),
            None => Entry::Value,
        }
    };

    let (capital, _) = table(
        &mut s,
        &mut r,
        "Capital (apportioned, incremental)",
        false,
        &|k| (partner(k).capital.clone(), Vec::new()),
        (&fc.region_capital, &[]),
        &|k, j| from_apportionment(&nominal.capital, k, j),
    )?;
    // Capital in later years is zero: the MRP spans read blank cells there.
    let cap = |k: usize, j: usize| a1(capital[k], col(fy, j).unwrap_or(fy));
    let (mrp, _) = table(
        &mut s,
        &mut r,
        "Minimum revenue provision (borrowing)",
        true,
        &|k| (partner(k).financed.mrp.clone(), later_of(k, |l| l.mrp)),
        (&fc.region.mrp, &region_later(|l| l.mrp)),
        &|k, j| {
            if !borrows(k) {
                return if j < n { Entry::Value } else { Entry::Blank };
            }
            if j == 0 {
                return Entry::Value;
            }
            let from = j.saturating_sub(life);
            let to = (j - 1).min(n.saturating_sub(1));
            if from > to {
                return Entry::Value;
            }
            Entry::Formula(format!("=SUM({}:{})/{life_cell}", cap(k, from), cap(k, to)))
        },
    )?;
    // The balance refers to the interest table's row above it only through
    // its own previous column, so it is written before the interest.
    let balance_first = r;
    let (balance, _) = table(
        &mut s,
        &mut r,
        "Borrowing outstanding at the year end",
        true,
        &|k| {
            (
                partner(k).financed.balance.clone(),
                later_of(k, |l| l.balance),
            )
        },
        (&fc.region.balance, &region_later(|l| l.balance)),
        &|k, j| {
            if !borrows(k) {
                return if j < n { Entry::Value } else { Entry::Blank };
            }
            let c = col(fy, j).unwrap_or(fy);
            // Balance rows sit below the MRP rows, one table height apart.
            let m = a1(mrp[k], c);
            let spend = if j < n {
                format!("+{}", cap(k, j))
            } else {
                String::new()
            };
            let prev = if j == 0 {
                "0".to_string()
            } else {
                a1(
                    balance_first + 1 + u32::try_from(k).unwrap_or(0),
                    col(fy, j - 1).unwrap_or(fy),
                )
            };
            Entry::Formula(format!("={prev}{spend}-{m}"))
        },
    )?;
    let (interest, _) = table(
        &mut s,
        &mut r,
        "Interest on the balance brought forward",
        true,
        &|k| {
            (
                partner(k).financed.interest.clone(),
                later_of(k, |l| l.interest),
            )
        },
        (&fc.region.interest, &region_later(|l| l.interest)),
        &|k, j| {
            if !borrows(k) {
                return if j < n { Entry::Value } else { Entry::Blank };
            }
            if j == 0 {
                return Entry::Value;
            }
            Entry::Formula(format!(
                "={rate_cell}*{}",
                a1(balance[k], col(fy, j - 1).unwrap_or(fy))
            ))
        },
    )?;
    let (charge, _) = table(
        &mut s,
        &mut r,
        "Revenue charge of the capital",
        true,
        &|k| {
            (
                partner(k).financed.charge.clone(),
                later_of(k, |l| l.charge),
            )
        },
        (&fc.region.charge, &region_later(|l| l.charge)),
        &|k, j| {
            let c = col(fy, j).unwrap_or(fy);
            match partner(k).method {
                Financing::Borrowing => {
                    Entry::Formula(format!("={}+{}", a1(mrp[k], c), a1(interest[k], c)))
                }
                Financing::Revenue if j < n => Entry::Formula(format!("={}", cap(k, j))),
                _ if j < n => Entry::Value,
                _ => Entry::Blank,
            }
        },
    )?;
    let met_by = |method: Financing| {
        move |k: usize, j: usize| {
            if j >= n {
                Entry::Blank
            } else if partner(k).method == method {
                Entry::Formula(format!("={}", cap(k, j)))
            } else {
                Entry::Value
            }
        }
    };
    table(
        &mut s,
        &mut r,
        "Capital met from reserves",
        false,
        &|k| (partner(k).financed.reserves.clone(), Vec::new()),
        (&fc.region.reserves, &[]),
        &met_by(Financing::Reserves),
    )?;
    table(
        &mut s,
        &mut r,
        "Capital met from grants and receipts",
        false,
        &|k| (partner(k).financed.grant.clone(), Vec::new()),
        (&fc.region.grant, &[]),
        &met_by(Financing::Grant),
    )?;
    let flows = ctx.results.apportioned(fc.option);
    let flow = |k: usize, pick: fn(&crate::compute::Flows) -> &Vec<Decimal>| -> Vec<Decimal> {
        flows
            .and_then(|a| a.partners.iter().find(|p| p.partner == partner(k).partner))
            .map(|p| pick(&p.nominal).clone())
            .unwrap_or_default()
    };
    // The partners' sums are the engine's footing check's.
    let region_flow = |pick: fn(&crate::compute::Flows) -> &Vec<Decimal>| -> Vec<Decimal> {
        ctx.results
            .workings
            .apportioned(fc.option)
            .map(|a| pick(&a.nominal.partners).clone())
            .unwrap_or_default()
    };
    let revenue_region = region_flow(|f| &f.revenue);
    let (revenue, _) = table(
        &mut s,
        &mut r,
        "Revenue costs (apportioned, incremental)",
        false,
        &|k| (flow(k, |f| &f.revenue), Vec::new()),
        (&revenue_region, &[]),
        &|k, j| from_apportionment(&nominal.revenue, k, j),
    )?;
    let savings_region = region_flow(|f| &f.savings);
    let (savings, _) = table(
        &mut s,
        &mut r,
        "Cashable savings (apportioned, incremental)",
        false,
        &|k| (flow(k, |f| &f.savings), Vec::new()),
        (&savings_region, &[]),
        &|k, j| from_apportionment(&nominal.savings, k, j),
    )?;
    let (effect, effect_region) = table(
        &mut s,
        &mut r,
        "Net revenue effect (savings − revenue − charge; positive improves the budget)",
        false,
        &|k| (partner(k).net_revenue_effect.clone(), Vec::new()),
        (&fc.region_net_revenue_effect, &[]),
        &|k, j| {
            let c = col(fy, j).unwrap_or(fy);
            Entry::Formula(format!(
                "={}-{}-{}",
                a1(savings[k], c),
                a1(revenue[k], c),
                a1(charge[k], c)
            ))
        },
    )?;
    let (contingency, contingency_region) = table(
        &mut s,
        &mut r,
        "Contingency (the partner's share of the option's expected risk cost; values to the penny)",
        false,
        &|k| (partner(k).contingency.clone(), Vec::new()),
        (&fc.region_contingency, &[]),
        &|_, _| Entry::Value,
    )?;
    contingency_check(ctx, &mut s, &mut r, fc, econ, prof, contingency_region)?;
    let judged: Vec<usize> = fc
        .years
        .iter()
        .filter_map(|y| case.years.iter().position(|a| a == y))
        .collect();
    let judged_col = after_col;
    let head = r;
    let (rows, region_row) = table(
        &mut s,
        &mut r,
        "Net revenue effect less contingency (the test of affordability)",
        false,
        &|k| (partner(k).after_contingency.clone(), Vec::new()),
        (&fc.region_after_contingency, &[]),
        &|k, j| {
            let c = col(fy, j).unwrap_or(fy);
            Entry::Formula(format!("={}-{}", a1(effect[k], c), a1(contingency[k], c)))
        },
    )?;
    // The total over the years affordability is judged over.
    s.text(head, judged_col, "Over the budget years", &fmt.header)?;
    let judged_sum = |row: u32| -> String {
        if judged.is_empty() {
            return "=0".into();
        }
        let cells: Vec<String> = judged
            .iter()
            .map(|&j| a1(row, col(fy, j).unwrap_or(fy)))
            .collect();
        format!("={}", cells.join("+"))
    };
    for (k, row) in rows.iter().enumerate() {
        s.formula(
            *row,
            judged_col,
            &judged_sum(*row),
            partner(k).total,
            &fmt.pennies,
        )?;
    }
    s.formula(
        region_row,
        judged_col,
        &judged_sum(region_row),
        fc.region_total,
        &fmt.pennies_total,
    )?;

    s.width(0, 40.0);
    s.width(1, 14.0);
    for j in 1..width {
        s.width(col(fy, j)?, 13.0);
    }
    s.width(total_col, 15.0);
    s.width(after_col, 15.0);
    s.freeze_panes(0, 1);
    let _ = tables;
    Ok(Some((
        s,
        FinPos {
            sheet: name.into(),
            first_year_col: fy,
            effect,
            effect_region,
            contingency,
            contingency_region,
        },
    )))
}

/// The check beneath the contingency: the partners' total against the
/// option's incremental expected risk cost made nominal, to the penny.
fn contingency_check(
    ctx: &Ctx<'_>,
    s: &mut Sheet,
    r: &mut u32,
    fc: &FinancialCase,
    econ: &EconPos,
    prof: &ProfilePos,
    region_row: u32,
) -> Result<(), ExportError> {
    let fmt = ctx.fmt;
    let case = ctx.case;
    let n = case.years.len();
    let fy = 1u16;
    let (Some(opt), Some(base)) = (
        econ.blocks.get(fc.option.index()),
        econ.blocks.get(case.baseline.index()),
    ) else {
        return Ok(());
    };
    let places = case.assumptions.unit.value.penny_places();
    // The check row sits above the gap the table left below the region row.
    let check = region_row + 1;
    s.text(
        check,
        0,
        "Check: region − expected risk cost, to the penny (must be zero)",
        &fmt.note,
    )?;
    for j in 0..n {
        let c = col(fy, j)?;
        s.formula(
            check,
            c,
            &format!(
                "={}-ROUND(({}-{})*{},{places})",
                a1(region_row, c),
                econ.cell(opt.risk, j),
                econ.cell(base.risk, j),
                prof.cell(super::profile::GENERAL_INFLATION_ROW, j)
            ),
            // The engine's contingency foots to the penny by construction.
            Decimal::ZERO,
            &fmt.pennies,
        )?;
    }
    *r += 1;
    Ok(())
}

/// The cached value of a `SUM` over `values`.
fn sum<'a>(
    values: impl Iterator<Item = Decimal> + 'a,
    _what: &str,
) -> Result<Decimal, ExportError> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, Decimal::checked_add)
        .ok_or_else(|| ExportError::Xlsx("a financing total is beyond exact decimals".into()))
}
