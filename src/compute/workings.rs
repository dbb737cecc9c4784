//! The workings: every intermediate figure and total the outputs show
//! beyond the headline results (the discount-factor schedule, inflation
//! indices, each option's yearly sums, optimism-bias and risk amounts, the
//! totals of every table, the apportionment's footing check), computed once
//! here with checked arithmetic so that renderers only format and lay out.
//!
//! Each figure follows the definition the headline results use
//! (docs/methodology.md); the sums are the same sums the engine takes, in
//! the same order, so a renderer showing both shows figures that agree.

use rust_decimal::Decimal;

use super::apportion::to_penny;
use super::arith;
use super::totals::{Amounts, Indices, OptionTotals};
use super::{
    ApportionedTotals, Apportionment, ByIndex, ComputeError, FlowTotals, Flows, FlowsCheck,
    GapAfterCase, GapAfterCaseTotals, OptionAppraisal, OptionProfile, OptionWorkings,
    PartnerGapTotal, PartnerTotals, ProfileWorkings, ProfileYear, ScheduleYear, Workings, discount,
};
use crate::model::{Case, DiscountRate, OptionId};
use crate::params;

/// What the workings are computed from: the engine's intermediate results.
pub(super) struct Inputs<'a> {
    pub(super) case: &'a Case,
    pub(super) periods: &'a [u32],
    pub(super) df: &'a [Decimal],
    pub(super) indices: &'a Indices,
    pub(super) totals: &'a [OptionTotals],
    pub(super) baseline: OptionId,
    pub(super) appraisals: &'a [OptionAppraisal],
    pub(super) savings_profile: &'a [OptionProfile],
    pub(super) apportionment: &'a Apportionment,
    pub(super) key: &'a [Decimal],
    pub(super) gap_after_case: Option<&'a GapAfterCase>,
}

/// Computes the workings.
///
/// # Errors
/// When a figure overflows exact decimals; the error names the option, risk
/// or table.
pub(super) fn workings(i: &Inputs<'_>) -> Result<Workings, ComputeError> {
    let case = i.case;
    let n = case.years.len();
    let mut options = Vec::with_capacity(case.options.len());
    let base = i.appraisals.get(i.baseline.index());
    for ((index, option), t) in case.option_ids().zip(&case.options).zip(i.totals) {
        let within = |e: ComputeError| e.within(format!("option {}", option.id));
        let mut w = option_workings(index, option, t, i.df, n).map_err(within)?;
        if let (Some(a), Some(b)) = (i.appraisals.get(index.index()), base) {
            w.pv_incremental_costs =
                arith::sub(a.pv_costs, b.pv_costs, "incremental costs").map_err(within)?;
            w.pv_incremental_benefits =
                arith::sub(a.pv_benefits, b.pv_benefits, "incremental benefits").map_err(within)?;
        }
        options.push(w);
    }
    let mut risk_costs = Vec::with_capacity(case.risks.len());
    for risk in &case.risks {
        risk_costs.push(
            arith::mul(risk.probability, risk.impact, "expected cost of risk")
                .map_err(|e| e.within(format!("risk {}", risk.id)))?,
        );
    }
    let mut profiles = Vec::with_capacity(i.savings_profile.len());
    for p in i.savings_profile {
        let within = |e: ComputeError| {
            let id = case.option(p.option).map_or("", |o| o.id.as_str());
            e.within(format!("option {id}"))
        };
        let (Some(o), Some(b)) = (
            options.get(p.option.index()),
            options.get(i.baseline.index()),
        ) else {
            continue;
        };
        profiles.push(ProfileWorkings {
            option: p.option,
            capital_by_index: difference(&o.capital_by_index, &b.capital_by_index)
                .map_err(within)?,
            revenue_by_index: difference(&o.revenue_by_index, &b.revenue_by_index)
                .map_err(within)?,
            cashable_by_index: difference(&o.cashable_by_index, &b.cashable_by_index)
                .map_err(within)?,
            non_cashable_by_index: difference(&o.non_cashable_by_index, &b.non_cashable_by_index)
                .map_err(within)?,
            real_total: profile_total(&p.real).map_err(within)?,
            nominal_total: profile_total(&p.nominal).map_err(within)?,
        });
    }
    let mut apportioned = Vec::with_capacity(i.apportionment.options.len());
    let places = case.assumptions.unit.value.penny_places();
    for a in &i.apportionment.options {
        let within = |e: ComputeError| {
            let id = case.option(a.option).map_or("", |o| o.id.as_str());
            e.within(format!("apportioning option {id}"))
        };
        let profile = i.savings_profile.iter().find(|p| p.option == a.option);
        let mut partners = Vec::with_capacity(a.partners.len());
        for pf in &a.partners {
            partners.push(PartnerTotals {
                partner: pf.partner,
                real: flow_totals(&pf.real).map_err(within)?,
                nominal: flow_totals(&pf.nominal).map_err(within)?,
            });
        }
        let real: Vec<&Flows> = a.partners.iter().map(|p| &p.real).collect();
        let nominal: Vec<&Flows> = a.partners.iter().map(|p| &p.nominal).collect();
        apportioned.push(ApportionedTotals {
            option: a.option,
            partners,
            real: flows_check(&real, profile.map(|p| p.real.as_slice()), n, places)
                .map_err(within)?,
            nominal: flows_check(&nominal, profile.map(|p| p.nominal.as_slice()), n, places)
                .map_err(within)?,
        });
    }
    let gap_after_case = match i.gap_after_case {
        Some(g) => {
            let within = |e: ComputeError| e.within("gap after the case");
            let mut partners = Vec::with_capacity(g.partners.len());
            for p in &g.partners {
                partners.push(PartnerGapTotal {
                    partner: p.partner,
                    total: arith::sum(p.gap.iter().copied(), "gap totals").map_err(within)?,
                    with_contingency: arith::sum(p.with_contingency.iter().copied(), "gap totals")
                        .map_err(within)?,
                });
            }
            Some(GapAfterCaseTotals {
                region: arith::sum(g.region.iter().copied(), "gap totals").map_err(within)?,
                region_with_contingency: arith::sum(
                    g.region_with_contingency.iter().copied(),
                    "gap totals",
                )
                .map_err(within)?,
                partners,
            })
        }
        None => None,
    };
    Ok(Workings {
        schedule: schedule(case, i.periods)?,
        general_inflation: i.indices.general.clone(),
        pay_inflation: i.indices.pay.clone(),
        options,
        risk_costs,
        profiles,
        key_total: arith::sum(i.key.iter().copied(), "apportionment key total")?,
        shares_total: arith::sum(
            i.apportionment.shares.iter().copied(),
            "apportionment shares",
        )?,
        apportioned,
        gap_after_case,
    })
}

/// DF_t and its rate for every t from 0 to the last appraisal period.
fn schedule(case: &Case, periods: &[u32]) -> Result<Vec<ScheduleYear>, ComputeError> {
    let rate = case.assumptions.discount_rate.value;
    let edition = case.meta.edition;
    let max = periods.iter().copied().max().unwrap_or(0);
    let factors = discount::factors(rate, edition, max)?;
    let bands = params::discount_schedule(edition);
    Ok(factors
        .into_iter()
        .zip(0u32..)
        .map(|(factor, t)| ScheduleYear {
            t,
            rate: (t > 0).then(|| match rate {
                DiscountRate::GreenBook => bands.rate_for_year(t),
                DiscountRate::Fixed(r) => r,
            }),
            factor,
        })
        .collect())
}

fn zeros(n: usize) -> Vec<Decimal> {
    vec![Decimal::ZERO; n]
}

/// `pick`'s amounts of each index group, zeros where no line uses the index.
fn by_index(
    groups: &[Option<Amounts>; 3],
    pick: fn(&Amounts) -> &Vec<Decimal>,
    n: usize,
) -> ByIndex {
    let get = |k: usize| {
        groups
            .get(k)
            .and_then(Option::as_ref)
            .map_or_else(|| zeros(n), |a| pick(a).clone())
    };
    ByIndex {
        general: get(0),
        pay: get(1),
        none: get(2),
    }
}

fn option_workings(
    index: OptionId,
    option: &crate::model::CaseOption,
    t: &OptionTotals,
    df: &[Decimal],
    n: usize,
) -> Result<OptionWorkings, ComputeError> {
    let real = &t.all.real;
    let mut ob_capital = Vec::with_capacity(n);
    let mut ob_revenue = Vec::with_capacity(n);
    let mut adjusted = Vec::with_capacity(n);
    let mut benefits = Vec::with_capacity(n);
    for j in 0..n {
        let at = |v: &Vec<Decimal>| v.get(j).copied().unwrap_or_default();
        let (cap, rev, risk) = (at(&real.capital), at(&real.revenue), at(&t.risk));
        // The same sums, in the same order, as the appraisal's adjusted costs.
        let obc = arith::mul(cap, option.ob_capital.rate, "optimism bias")?;
        let obr = arith::mul(rev, option.ob_revenue.rate, "optimism bias")?;
        let ob = arith::add(obc, obr, "optimism bias")?;
        let unadjusted = arith::add(cap, rev, "costs")?;
        adjusted.push(arith::add(
            arith::add(unadjusted, ob, "adjusted costs")?,
            risk,
            "adjusted costs",
        )?);
        ob_capital.push(obc);
        ob_revenue.push(obr);
        benefits.push(arith::add(
            at(&real.cashable),
            at(&real.non_cashable),
            "benefits",
        )?);
    }
    Ok(OptionWorkings {
        option: index,
        capital_by_index: by_index(&t.by_index, |a| &a.capital, n),
        revenue_by_index: by_index(&t.by_index, |a| &a.revenue, n),
        cashable_by_index: by_index(&t.by_index, |a| &a.cashable, n),
        non_cashable_by_index: by_index(&t.by_index, |a| &a.non_cashable, n),
        capital: real.capital.clone(),
        revenue: real.revenue.clone(),
        pv_ob_capital: arith::dot(&ob_capital, df, "present value of optimism bias")?,
        pv_ob_revenue: arith::dot(&ob_revenue, df, "present value of optimism bias")?,
        ob_capital,
        ob_revenue,
        risk: t.risk.clone(),
        adjusted,
        cashable: real.cashable.clone(),
        non_cashable: real.non_cashable.clone(),
        benefits,
        pv_incremental_costs: Decimal::ZERO,
        pv_incremental_benefits: Decimal::ZERO,
    })
}

/// `a − b` for every index and year.
fn difference(a: &ByIndex, b: &ByIndex) -> Result<ByIndex, ComputeError> {
    Ok(ByIndex {
        general: arith::sub_each(&a.general, &b.general, "incremental costs")?,
        pay: arith::sub_each(&a.pay, &b.pay, "incremental costs")?,
        none: arith::sub_each(&a.none, &b.none, "incremental costs")?,
    })
}

/// The totals over the period of a cash view; cumulative net is the last year's.
pub(super) fn profile_total(years: &[ProfileYear]) -> Result<ProfileYear, ComputeError> {
    let sum = |f: fn(&ProfileYear) -> Decimal, what| arith::sum(years.iter().map(f), what);
    Ok(ProfileYear {
        cashable: sum(|y| y.cashable, "cashable savings")?,
        non_cashable: sum(|y| y.non_cashable, "non-cashable benefits")?,
        costs: sum(|y| y.costs, "costs")?,
        capital: sum(|y| y.capital, "capital costs")?,
        revenue: sum(|y| y.revenue, "revenue costs")?,
        net: sum(|y| y.net, "net savings")?,
        cumulative_net: years.last().map_or(Decimal::ZERO, |y| y.cumulative_net),
    })
}

pub(super) fn flow_totals(f: &Flows) -> Result<FlowTotals, ComputeError> {
    let sum = |v: &Vec<Decimal>| arith::sum(v.iter().copied(), "apportioned amounts");
    Ok(FlowTotals {
        costs: sum(&f.costs)?,
        capital: sum(&f.capital)?,
        revenue: sum(&f.revenue)?,
        savings: sum(&f.savings)?,
        net: sum(&f.net)?,
    })
}

/// The partners' flows added up each year, their total, and the footing
/// check against the cash view rounded to the penny.
fn flows_check(
    partners: &[&Flows],
    profile: Option<&[ProfileYear]>,
    n: usize,
    places: u32,
) -> Result<FlowsCheck, ComputeError> {
    let add_up = |pick: fn(&Flows) -> &Vec<Decimal>| -> Result<Vec<Decimal>, ComputeError> {
        let mut acc = zeros(n);
        for f in partners {
            arith::add_into(&mut acc, pick(f), "apportioned amounts")?;
        }
        Ok(acc)
    };
    let summed = Flows {
        costs: add_up(|f| &f.costs)?,
        capital: add_up(|f| &f.capital)?,
        revenue: add_up(|f| &f.revenue)?,
        savings: add_up(|f| &f.savings)?,
        net: add_up(|f| &f.net)?,
    };
    let year = |j: usize| profile.and_then(|p| p.get(j)).copied().unwrap_or_default();
    let rounded = |pick: fn(&ProfileYear) -> Decimal| -> Vec<Decimal> {
        (0..n).map(|j| to_penny(pick(&year(j)), places)).collect()
    };
    let cash_view = Flows {
        costs: rounded(|y| y.costs),
        capital: rounded(|y| y.capital),
        revenue: Vec::new(),
        savings: rounded(|y| y.cashable),
        net: Vec::new(),
    };
    let difference = Flows {
        costs: arith::sub_each(&summed.costs, &cash_view.costs, "apportioned amounts")?,
        capital: arith::sub_each(&summed.capital, &cash_view.capital, "apportioned amounts")?,
        revenue: Vec::new(),
        savings: arith::sub_each(&summed.savings, &cash_view.savings, "apportioned amounts")?,
        net: Vec::new(),
    };
    Ok(FlowsCheck {
        total: flow_totals(&summed)?,
        partners: summed,
        cash_view,
        difference,
    })
}
