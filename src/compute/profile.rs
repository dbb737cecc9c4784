//! The cash view (savings profile) of each option, in real and nominal prices.
//!
//! This is the Financial Case's view: amounts as entered, without optimism
//! bias or risk, incremental to the baseline, year by year, with the running
//! net that shows when an option pays back.

use rust_decimal::Decimal;

use super::arith;
use super::totals::Amounts;
use super::{ComputeError, ProfileYear};
use crate::model::FiscalYear;

/// The incremental profile of `option` against `baseline`, year by year.
///
/// costs = capital + revenue; net = cashable − costs; cumulative_net is the
/// running sum of net from the first appraisal year.
///
/// # Errors
/// When a difference or running sum overflows.
pub(crate) fn incremental(
    option: &Amounts,
    baseline: &Amounts,
) -> Result<Vec<ProfileYear>, ComputeError> {
    let capital = arith::sub_each(
        &option.capital,
        &baseline.capital,
        "incremental capital costs",
    )?;
    let revenue = arith::sub_each(
        &option.revenue,
        &baseline.revenue,
        "incremental revenue costs",
    )?;
    let cashable = arith::sub_each(
        &option.cashable,
        &baseline.cashable,
        "incremental cashable savings",
    )?;
    let non_cashable = arith::sub_each(
        &option.non_cashable,
        &baseline.non_cashable,
        "incremental non-cashable benefits",
    )?;
    let mut cumulative = Decimal::ZERO;
    let mut out = Vec::with_capacity(capital.len());
    for t in 0..capital.len() {
        let costs = arith::add(capital[t], revenue[t], "incremental costs")?;
        let net = arith::sub(cashable[t], costs, "net savings")?;
        cumulative = arith::add(cumulative, net, "cumulative net savings")?;
        out.push(ProfileYear {
            cashable: cashable[t],
            non_cashable: non_cashable[t],
            costs,
            capital: capital[t],
            revenue: revenue[t],
            net,
            cumulative_net: cumulative,
        });
    }
    Ok(out)
}

/// The payback year: the first year whose cumulative net is ≥ 0 after an
/// earlier year's was negative; the first year if it is never negative;
/// `None` if it goes negative and never recovers within the period.
pub fn payback_year(profile: &[ProfileYear], years: &[FiscalYear]) -> Option<FiscalYear> {
    // An option that changes neither costs nor savings has nothing to pay back.
    if profile
        .iter()
        .all(|p| p.costs.is_zero() && p.cashable.is_zero())
    {
        return None;
    }
    let index = payback_index(profile.iter().map(|p| p.cumulative_net));
    index.and_then(|i| years.get(i).copied())
}

/// [`payback_year`] on a series of cumulative nets, as an index.
pub fn payback_index(cumulative: impl IntoIterator<Item = Decimal>) -> Option<usize> {
    let mut was_negative = false;
    let mut first = None;
    for (i, c) in cumulative.into_iter().enumerate() {
        if first.is_none() {
            first = Some(i);
        }
        if c < Decimal::ZERO {
            was_negative = true;
        } else if was_negative {
            return Some(i);
        }
    }
    if was_negative { None } else { first }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn no_payback_without_any_change_in_costs_or_savings() {
        let years = [
            FiscalYear::new(2025).unwrap(),
            FiscalYear::new(2026).unwrap(),
        ];
        let zero = ProfileYear {
            cashable: Decimal::ZERO,
            non_cashable: dec!(5),
            costs: Decimal::ZERO,
            capital: Decimal::ZERO,
            revenue: Decimal::ZERO,
            net: Decimal::ZERO,
            cumulative_net: Decimal::ZERO,
        };
        assert_eq!(payback_year(&[zero, zero], &years), None);
        let saving = ProfileYear {
            cashable: dec!(1),
            net: dec!(1),
            cumulative_net: dec!(1),
            ..zero
        };
        assert_eq!(payback_year(&[saving, zero], &years), Some(years[0]));
    }

    #[test]
    fn payback_is_the_first_recovery() {
        assert_eq!(
            payback_index([dec!(-5), dec!(-1), dec!(0), dec!(3)]),
            Some(2)
        );
        assert_eq!(payback_index([dec!(2), dec!(-1), dec!(4)]), Some(2));
        assert_eq!(payback_index([dec!(1), dec!(2)]), Some(0));
        assert_eq!(payback_index([dec!(-1), dec!(-2)]), None);
        assert_eq!(payback_index(Vec::<Decimal>::new()), None);
    }

    #[test]
    fn incremental_profile_nets_costs_against_savings() {
        let option = Amounts {
            capital: vec![dec!(10), dec!(0)],
            revenue: vec![dec!(2), dec!(2)],
            cashable: vec![dec!(0), dec!(20)],
            non_cashable: vec![dec!(1), dec!(1)],
        };
        let baseline = Amounts {
            capital: vec![dec!(0), dec!(0)],
            revenue: vec![dec!(1), dec!(1)],
            cashable: vec![dec!(0), dec!(0)],
            non_cashable: vec![dec!(0), dec!(0)],
        };
        let p = incremental(&option, &baseline).unwrap();
        assert_eq!(p[0].costs, dec!(11));
        assert_eq!(p[0].net, dec!(-11));
        assert_eq!(p[1].net, dec!(19));
        assert_eq!(p[1].cumulative_net, dec!(8));
        assert_eq!(p[1].non_cashable, dec!(1));
    }
}
