//! The totals and differences the document prints beside the engine's own
//! figures, taken here so that no exporter sums or subtracts money.
//!
//! Each figure is a plain sum or difference of results the engine has
//! already computed: the Total column of a row of yearly amounts, each
//! option's benefits and costs less business as usual's (printed beside its
//! npsv so a reader can follow it), each partner's totals over the period,
//! the apportionment key's total and each risk's expected value. All of it
//! is checked arithmetic: an overflow is a [`ComputeError`], never a
//! saturated or clamped figure.

use rust_decimal::Decimal;

use super::arith::{add, mul, sub};
use super::{ComputeError, Flows, ProfileYear, Results};
use crate::model::Case;

/// The document's sums and differences of the engine's results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Derived {
    /// Every option's present values against business as usual's, in `Results::options` order.
    pub increments: Vec<Increment>,
    /// Totals over the appraisal period of each option's savings profile, in `Results::savings_profile` order.
    pub profile_totals: Vec<ProfileTotals>,
    /// The preferred option's totals for each partner and for all partners together.
    pub partner_totals: Option<PartnerTotals>,
    /// Totals over the budget years of the gap remaining after the case.
    pub gap_after_case_totals: Option<GapAfterCaseTotals>,
    /// The total of the apportionment key's values over every partner.
    pub key_total: Decimal,
    /// Each risk's expected value (probability × impact), in `Case::risks` order.
    pub risk_expected_values: Vec<Decimal>,
}

/// One option's present value of benefits and of costs less business as usual's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Increment {
    /// Index into `Case::options`.
    pub option: usize,
    pub benefits: Decimal,
    pub costs: Decimal,
}

/// Totals of one option's savings profile, real and nominal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileTotals {
    /// Index into `Case::options`.
    pub option: usize,
    /// Each field the sum over the years, except `cumulative_net`: the last year's.
    pub real: ProfileYear,
    pub nominal: ProfileYear,
}

/// Totals of one partner's flows over the appraisal period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlowTotals {
    pub capital: Decimal,
    pub revenue: Decimal,
    pub costs: Decimal,
    pub savings: Decimal,
    pub net: Decimal,
}

/// One partner's totals of the preferred option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerTotal {
    /// Index into `Partners::names`.
    pub partner: usize,
    pub real: FlowTotals,
    pub nominal: FlowTotals,
}

/// The preferred option's totals by partner, and their sums over the partners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerTotals {
    /// Index into `Case::options`.
    pub option: usize,
    /// In the order of the option's apportionment.
    pub partners: Vec<PartnerTotal>,
    /// The sum over the partners of each field.
    pub all: PartnerTotal,
}

/// The gap remaining after the case, summed over its years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapAfterCaseTotals {
    pub region: Decimal,
    /// (partner index, total), in the order of `GapAfterCase::partners`.
    pub partners: Vec<(usize, Decimal)>,
}

impl Derived {
    /// The increment of option `index` against business as usual.
    pub fn increment(&self, index: usize) -> Option<&Increment> {
        self.increments.iter().find(|i| i.option == index)
    }

    /// The totals of option `index`'s savings profile.
    pub fn profile_totals(&self, index: usize) -> Option<&ProfileTotals> {
        self.profile_totals.iter().find(|p| p.option == index)
    }

    /// The preferred option's totals of partner `index`.
    pub fn partner(&self, index: usize) -> Option<&PartnerTotal> {
        self.partner_totals
            .as_ref()?
            .partners
            .iter()
            .find(|p| p.partner == index)
    }
}

/// The sum of `values`, or an overflow error naming `what`.
///
/// # Errors
/// [`ComputeError::Overflow`] when the sum leaves rust_decimal's range.
pub fn total(values: &[Decimal], what: &'static str) -> Result<Decimal, ComputeError> {
    values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| add(acc, *v, what))
}

/// The totals of a run of profile years: each field summed, except the
/// cumulative net, which is the last year's.
///
/// # Errors
/// [`ComputeError::Overflow`] when a sum leaves rust_decimal's range.
pub fn profile_total(years: &[ProfileYear]) -> Result<ProfileYear, ComputeError> {
    let mut t = ProfileYear {
        cumulative_net: years.last().map_or(Decimal::ZERO, |y| y.cumulative_net),
        ..ProfileYear::default()
    };
    for y in years {
        t.cashable = add(t.cashable, y.cashable, "total cashable savings")?;
        t.non_cashable = add(
            t.non_cashable,
            y.non_cashable,
            "total non-cashable benefits",
        )?;
        t.costs = add(t.costs, y.costs, "total costs")?;
        t.capital = add(t.capital, y.capital, "total capital costs")?;
        t.revenue = add(t.revenue, y.revenue, "total revenue costs")?;
        t.net = add(t.net, y.net, "total net saving")?;
    }
    Ok(t)
}

/// The totals of a partner's yearly flows.
///
/// # Errors
/// [`ComputeError::Overflow`] when a sum leaves rust_decimal's range.
pub fn flow_total(f: &Flows) -> Result<FlowTotals, ComputeError> {
    Ok(FlowTotals {
        capital: total(&f.capital, "a partner's total capital costs")?,
        revenue: total(&f.revenue, "a partner's total revenue costs")?,
        costs: total(&f.costs, "a partner's total costs")?,
        savings: total(&f.savings, "a partner's total savings")?,
        net: total(&f.net, "a partner's total net saving")?,
    })
}

fn add_flows(a: FlowTotals, b: FlowTotals) -> Result<FlowTotals, ComputeError> {
    let what = "the partners' total";
    Ok(FlowTotals {
        capital: add(a.capital, b.capital, what)?,
        revenue: add(a.revenue, b.revenue, what)?,
        costs: add(a.costs, b.costs, what)?,
        savings: add(a.savings, b.savings, what)?,
        net: add(a.net, b.net, what)?,
    })
}

/// Every sum and difference the document prints of `results` for `case`.
///
/// # Errors
/// [`ComputeError::Overflow`] when a sum or difference leaves rust_decimal's range.
pub fn derive(case: &Case, results: &Results) -> Result<Derived, ComputeError> {
    let base = results.options.iter().find(|o| o.baseline);
    let (base_benefits, base_costs) = base.map_or((Decimal::ZERO, Decimal::ZERO), |b| {
        (b.pv_benefits, b.pv_costs)
    });
    let increments = results
        .options
        .iter()
        .map(|o| {
            Ok(Increment {
                option: o.option,
                benefits: sub(o.pv_benefits, base_benefits, "incremental benefits")
                    .map_err(|e| e.within(format!("option {}", o.id)))?,
                costs: sub(o.pv_costs, base_costs, "incremental costs")
                    .map_err(|e| e.within(format!("option {}", o.id)))?,
            })
        })
        .collect::<Result<_, ComputeError>>()?;
    let profile_totals = results
        .savings_profile
        .iter()
        .map(|p| {
            Ok(ProfileTotals {
                option: p.option,
                real: profile_total(&p.real)?,
                nominal: profile_total(&p.nominal)?,
            })
        })
        .collect::<Result<_, ComputeError>>()?;
    let partner_totals = match results.apportioned(results.preferred) {
        Some(app) => {
            let mut all = PartnerTotal {
                partner: usize::MAX,
                real: FlowTotals::default(),
                nominal: FlowTotals::default(),
            };
            let mut partners = Vec::with_capacity(app.partners.len());
            for pf in &app.partners {
                let t = PartnerTotal {
                    partner: pf.partner,
                    real: flow_total(&pf.real)?,
                    nominal: flow_total(&pf.nominal)?,
                };
                all.real = add_flows(all.real, t.real)?;
                all.nominal = add_flows(all.nominal, t.nominal)?;
                partners.push(t);
            }
            Some(PartnerTotals {
                option: app.option,
                partners,
                all,
            })
        }
        None => None,
    };
    let gap_after_case_totals = match &results.gap_after_case {
        Some(after) => Some(GapAfterCaseTotals {
            region: total(&after.region, "the gap remaining after the case")?,
            partners: after
                .partners
                .iter()
                .map(|(p, v)| Ok((*p, total(v, "a partner's gap remaining after the case")?)))
                .collect::<Result<_, ComputeError>>()?,
        }),
        None => None,
    };
    let key_total = total(
        &case.partners.key(case.assumptions.apportionment_key.value),
        "the apportionment key's total",
    )?;
    let risk_expected_values = case
        .risks
        .iter()
        .map(|k| {
            mul(k.probability, k.impact, "a risk's expected value")
                .map_err(|e| e.within(format!("risk {}", k.id)))
        })
        .collect::<Result<_, ComputeError>>()?;
    Ok(Derived {
        increments,
        profile_totals,
        partner_totals,
        gap_after_case_totals,
        key_total,
        risk_expected_values,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal::dec;

    use super::*;

    #[test]
    fn totals_are_checked_not_saturated() {
        assert_eq!(total(&[dec!(1.5), dec!(2.25)], "x"), Ok(dec!(3.75)));
        assert!(total(&[Decimal::MAX, Decimal::ONE], "x").is_err());
    }

    #[test]
    fn a_profile_total_keeps_the_last_cumulative_net() {
        let y = |net: Decimal, cumulative_net: Decimal| ProfileYear {
            net,
            cumulative_net,
            ..ProfileYear::default()
        };
        let t = profile_total(&[y(dec!(-2), dec!(-2)), y(dec!(5), dec!(3))]).unwrap();
        assert_eq!((t.net, t.cumulative_net), (dec!(3), dec!(3)));
    }
}
