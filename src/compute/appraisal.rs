//! The economic appraisal: present values, optimism bias, risk, npsv and bcr.
//!
//! Green Book (2026) chapters 5 and 6 and the supplementary guidance on
//! optimism bias: costs are uplifted by the option's optimism-bias rates
//! (capital and revenue separately) and the expected cost of its risks
//! (probability × impact) is added, all in real prices; present values use
//! the discount factors; every option is measured against the baseline
//! (business as usual), so npsv and bcr are incremental.

use rust_decimal::Decimal;

use super::arith;
use super::totals::OptionTotals;
use super::{ComputeError, Difference, ValueForMoney};
use crate::model::{Case, CaseOption, OptionId};

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
/// When a difference overflows, or the ratio does: then
/// [`ComputeError::TinyDivisor`], naming `id`, the option's.
pub fn against_baseline(
    id: OptionId,
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
        Some(arith::ratio(
            d_benefits,
            d_costs,
            "benefit-cost ratio",
            id,
            Difference::Costs,
        )?)
    } else {
        None
    };
    Ok((npsv, bcr))
}

/// How an option's value for money against the baseline is stated, and the
/// figures that state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vfm {
    pub category: ValueForMoney,
    /// Δpv_costs − Δpv_cashable.
    pub net_public_cost: Decimal,
    /// Δpv_costs / Δpv_benefits, for a `cost-saving` option only.
    pub savings_per_benefit_forgone: Option<Decimal>,
}

/// The value-for-money category of an option against the baseline, from
/// Δcosts = Δpv_costs (optimism bias and risk included) and Δbenefits =
/// Δpv_benefits: both zero, no difference; costs no higher and benefits no
/// lower, dominant; costs no lower and benefits no higher, dominated; both
/// positive, a ratio (the bcr); both negative, cost-saving, with the
/// savings per unit of benefit forgone (Δcosts / Δbenefits).
///
/// # Errors
/// As [`against_baseline`].
pub fn value_for_money(
    id: OptionId,
    option: &PresentValues,
    baseline: &PresentValues,
) -> Result<Vfm, ComputeError> {
    let d_benefits = arith::sub(
        option.pv_benefits,
        baseline.pv_benefits,
        "incremental benefits",
    )?;
    let d_costs = arith::sub(option.pv_costs, baseline.pv_costs, "incremental costs")?;
    let d_cashable = arith::sub(
        option.pv_cashable,
        baseline.pv_cashable,
        "incremental cashable savings",
    )?;
    let net_public_cost = arith::sub(d_costs, d_cashable, "net public cost")?;
    let zero = Decimal::ZERO;
    let category = if d_costs.is_zero() && d_benefits.is_zero() {
        ValueForMoney::NoDifference
    } else if d_costs <= zero && d_benefits >= zero {
        ValueForMoney::Dominant
    } else if d_costs >= zero && d_benefits <= zero {
        ValueForMoney::Dominated
    } else if d_costs > zero {
        ValueForMoney::Ratio
    } else {
        ValueForMoney::CostSaving
    };
    let savings_per_benefit_forgone = if category == ValueForMoney::CostSaving {
        Some(arith::ratio(
            d_costs,
            d_benefits,
            "savings per benefit forgone",
            id,
            Difference::Benefits,
        )?)
    } else {
        None
    };
    Ok(Vfm {
        category,
        net_public_cost,
        savings_per_benefit_forgone,
    })
}

/// The option the rule recommends: the non-baseline option with the highest
/// npsv, ties to the first in Options-sheet order, provided that npsv is
/// positive; otherwise the baseline (no option offers better value for
/// money than business as usual).
pub(crate) fn best(case: &Case, npsv: &[Decimal]) -> OptionId {
    let mut best: Option<(OptionId, Decimal)> = None;
    for (i, v) in OptionId::all(npsv.len()).zip(npsv) {
        if i == case.baseline {
            continue;
        }
        if best.is_none_or(|(_, b)| *v > b) {
            best = Some((i, *v));
        }
    }
    best.filter(|(_, v)| *v > Decimal::ZERO)
        .map_or(case.baseline, |(i, _)| i)
}

/// The preferred option: the pinned one, else [`best`]'s.
pub(crate) fn preferred(case: &Case, npsv: &[Decimal]) -> (OptionId, bool) {
    match case.preferred.filter(|p| p.index() < case.options.len()) {
        Some(p) => (p, true),
        None => (best(case, npsv), false),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::dec;

    use super::*;

    /// Present values with the given costs, benefits and cashable part.
    fn pv(costs: Decimal, benefits: Decimal, cashable: Decimal) -> PresentValues {
        PresentValues {
            pv_capital: Decimal::ZERO,
            pv_revenue: costs,
            pv_optimism_bias: Decimal::ZERO,
            pv_risk: Decimal::ZERO,
            pv_costs: costs,
            pv_cashable: cashable,
            pv_non_cashable: benefits - cashable,
            pv_benefits: benefits,
        }
    }

    /// The worked examples of docs/methodology.md, "Value for money": business
    /// as usual costs 100 in present value and delivers nothing.
    #[test]
    fn value_for_money_worked_examples() {
        let bau = pv(dec!(100), dec!(0), dec!(0));
        let id = OptionId::new(1);
        let vfm = |c, b, k| value_for_money(id, &pv(c, b, k), &bau).unwrap();
        let npsv = |c, b, k| against_baseline(id, &pv(c, b, k), &bau).unwrap();

        // A: costs 90, benefits 10 (all cashable): dominant, pays for itself.
        let opt_a = vfm(dec!(90), dec!(10), dec!(10));
        assert_eq!(opt_a.category, ValueForMoney::Dominant);
        assert_eq!(opt_a.net_public_cost, dec!(-20));
        assert_eq!(npsv(dec!(90), dec!(10), dec!(10)), (dec!(20), None));

        // B: costs 110, benefits 0: dominated.
        let opt_b = vfm(dec!(110), dec!(0), dec!(0));
        assert_eq!(opt_b.category, ValueForMoney::Dominated);
        assert_eq!(opt_b.net_public_cost, dec!(10));

        // C: costs 130, benefits 45 (15 cashable): a ratio of 1.5.
        let opt_c = vfm(dec!(130), dec!(45), dec!(15));
        assert_eq!(opt_c.category, ValueForMoney::Ratio);
        assert_eq!(opt_c.net_public_cost, dec!(15));
        assert_eq!(
            npsv(dec!(130), dec!(45), dec!(15)),
            (dec!(15), Some(dec!(1.5)))
        );

        // D: costs 80, benefits −5 (all cashable): saves 4 per 1 forgone.
        let opt_d = vfm(dec!(80), dec!(-5), dec!(-5));
        assert_eq!(opt_d.category, ValueForMoney::CostSaving);
        assert_eq!(opt_d.net_public_cost, dec!(-15));
        assert_eq!(opt_d.savings_per_benefit_forgone, Some(dec!(4)));

        // E: the same as business as usual.
        let opt_e = vfm(dec!(100), dec!(0), dec!(0));
        assert_eq!(opt_e.category, ValueForMoney::NoDifference);
        assert_eq!(opt_e.net_public_cost, dec!(0));

        // Only cost-saving options carry savings per benefit forgone.
        for x in [opt_a, opt_b, opt_c, opt_e] {
            assert_eq!(x.savings_per_benefit_forgone, None);
        }
    }
}
