//! The economic appraisal: present values, optimism bias, risk, npsv and bcr.
//!
//! Green Book (2026) chapters 5 and 6 and the supplementary guidance on
//! optimism bias: costs are uplifted by the option's optimism-bias rates
//! (capital and revenue separately) and the expected cost of its risks
//! (probability × impact) is added, all in real prices; present values use
//! the discount factors; every option is measured against the baseline
//! (business as usual), so npsv and bcr are incremental.

use rust_decimal::Decimal;

use super::ComputeError;
use super::arith;
use super::totals::OptionTotals;
use crate::model::{Case, CaseOption};

/// Present values of one option, before comparison with the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresentValues {
    pub pv_capital: Decimal,
    pub pv_revenue: Decimal,
    pub pv_optimism_bias: Decimal,
    pub pv_risk: Decimal,
    pub pv_costs: Decimal,
    pub pv_cashable: Decimal,
    pub pv_non_cashable: Decimal,
    pub pv_benefits: Decimal,
}

/// Present values of one option's totals.
///
/// Adjusted cost in year t = capital_t × (1 + ob_capital) + revenue_t × (1 +
/// ob_revenue) + risk_t; pv_costs is the present value of that series.
///
/// # Errors
/// When a product or sum overflows.
pub(crate) fn present_values(
    option: &CaseOption,
    totals: &OptionTotals,
    df: &[Decimal],
) -> Result<PresentValues, ComputeError> {
    let real = &totals.all.real;
    let mut uplift = Vec::with_capacity(df.len());
    let mut adjusted = Vec::with_capacity(df.len());
    for t in 0..df.len() {
        let cap = real.capital.get(t).copied().unwrap_or_default();
        let rev = real.revenue.get(t).copied().unwrap_or_default();
        let risk = totals.risk.get(t).copied().unwrap_or_default();
        let ob = arith::add(
            arith::mul(cap, option.ob_capital.rate, "optimism bias")?,
            arith::mul(rev, option.ob_revenue.rate, "optimism bias")?,
            "optimism bias",
        )?;
        let unadjusted = arith::add(cap, rev, "costs")?;
        let adj = arith::add(
            arith::add(unadjusted, ob, "adjusted costs")?,
            risk,
            "adjusted costs",
        )?;
        uplift.push(ob);
        adjusted.push(adj);
    }
    let pv_capital = arith::dot(&real.capital, df, "present value of capital costs")?;
    let pv_revenue = arith::dot(&real.revenue, df, "present value of revenue costs")?;
    let pv_cashable = arith::dot(&real.cashable, df, "present value of cashable benefits")?;
    let pv_non_cashable = arith::dot(
        &real.non_cashable,
        df,
        "present value of non-cashable benefits",
    )?;
    Ok(PresentValues {
        pv_capital,
        pv_revenue,
        pv_optimism_bias: arith::dot(&uplift, df, "present value of optimism bias")?,
        pv_risk: arith::dot(&totals.risk, df, "present value of risks")?,
        pv_costs: arith::dot(&adjusted, df, "present value of costs")?,
        pv_cashable,
        pv_non_cashable,
        pv_benefits: arith::add(pv_cashable, pv_non_cashable, "present value of benefits")?,
    })
}

/// npsv and bcr of an option against the baseline.
///
/// npsv = Δpv_benefits − Δpv_costs; bcr = Δpv_benefits / Δpv_costs when
/// Δpv_costs is positive, otherwise `None` (a ratio over a saving or nothing
/// is not a benefit-cost ratio).
///
/// # Errors
/// When a difference or the ratio overflows.
pub fn against_baseline(
    option: &PresentValues,
    baseline: &PresentValues,
) -> Result<(Decimal, Option<Decimal>), ComputeError> {
    let d_benefits = arith::sub(
        option.pv_benefits,
        baseline.pv_benefits,
        "incremental benefits",
    )?;
    let d_costs = arith::sub(option.pv_costs, baseline.pv_costs, "incremental costs")?;
    let npsv = arith::sub(d_benefits, d_costs, "npsv")?;
    let bcr = if d_costs > Decimal::ZERO {
        Some(arith::div(d_benefits, d_costs, "benefit-cost ratio")?)
    } else {
        None
    };
    Ok((npsv, bcr))
}

/// The preferred option: the pinned one, else the non-baseline option with
/// the highest npsv, ties to the first in Options-sheet order (the baseline
/// when there is no other option).
pub(crate) fn preferred(case: &Case, npsv: &[Decimal]) -> (usize, bool) {
    if let Some(p) = case.preferred.filter(|p| *p < case.options.len()) {
        return (p, true);
    }
    let mut best: Option<(usize, Decimal)> = None;
    for (i, v) in npsv.iter().enumerate() {
        if i == case.baseline {
            continue;
        }
        if best.is_none_or(|(_, b)| *v > b) {
            best = Some((i, *v));
        }
    }
    (best.map_or(case.baseline, |(i, _)| i), false)
}
