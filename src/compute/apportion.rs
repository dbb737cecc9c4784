//! Apportionment between partners by key, penny-exact by largest remainder.
//!
//! A collaboration agreement (section 22A, Police Act 1996) sets each
//! partner's contribution, most often in proportion to government grant.
//! Each yearly total is split so that the parts are whole pennies, sum
//! exactly to the (penny-rounded) total, and each is within one penny of the
//! partner's exact share:
//!
//! 1. a total that is not a whole number of pennies (0.01 £ in the unit: 2
//!    places for £, 5 for £k, 8 for £m) is rounded to the penny, half away
//!    from zero;
//! 2. its magnitude is split: each partner's exact share, (magnitude × key_p)
//!    / Σ key, truncated to the penny;
//! 3. the pennies still unallocated go one each to the partners with the
//!    largest truncated remainders, ties to the earlier partner in
//!    Partners-sheet order;
//! 4. the sign is restored.
//!
//! Lines naming a partner go wholly to that partner; the shared lines are
//! split by the key.

use rust_decimal::{Decimal, RoundingStrategy};

use super::arith;
use super::totals::{Amounts, OptionTotals};
use super::{ComputeError, Flows, OptionApportionment, PartnerFlows};
use crate::model::Case;

/// One penny in a unit with `places` penny places (0.01, 0.00001, ...).
pub fn penny(places: u32) -> Decimal {
    Decimal::new(1, places)
}

/// `value` rounded to the penny, half away from zero; unchanged when it is
/// already a whole number of pennies.
pub fn to_penny(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// Splits `total` between partners in proportion to `key`, by largest remainder.
///
/// The result has one part per key entry; the parts are whole pennies and
/// sum exactly to `to_penny(total, places)`.
///
/// # Errors
/// When there is something to split but the key totals zero (or there are
/// no partners), or when a product overflows.
pub fn split(total: Decimal, key: &[Decimal], places: u32) -> Result<Vec<Decimal>, ComputeError> {
    let total = to_penny(total, places);
    let mut parts = vec![Decimal::ZERO; key.len()];
    if total.is_zero() {
        return Ok(parts);
    }
    let key_total = arith::sum(key.iter().copied(), "apportionment key")?;
    if key.is_empty() || key_total <= Decimal::ZERO {
        return Err(ComputeError::NothingToApportionBy);
    }
    let magnitude = total.abs();
    let penny = penny(places);
    let mut remainders = Vec::with_capacity(key.len());
    let mut allocated = Decimal::ZERO;
    for (i, k) in key.iter().enumerate() {
        // (magnitude × key) / Σ key, as the definition reads; where the
        // product is too large for rust_decimal, magnitude × (key / Σ key).
        let exact = match magnitude.checked_mul(*k) {
            Some(product) => arith::div(product, key_total, "apportioned share")?,
            None => arith::mul(
                magnitude,
                arith::div(*k, key_total, "apportionment share")?,
                "apportioned share",
            )?,
        };
        let floor = exact.trunc_with_scale(places);
        parts[i] = floor;
        allocated = arith::add(allocated, floor, "apportioned total")?;
        remainders.push((arith::sub(exact, floor, "apportioned share")?, i));
    }
    // Largest remainder first; the stable sort keeps sheet order among ties.
    remainders.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut leftover = arith::sub(magnitude, allocated, "apportioned total")?;
    // Mathematically 0 ≤ leftover < one penny per partner; the loops also
    // cover a rounding in the division, so the parts always foot.
    let mut order = remainders.iter().cycle();
    while leftover >= penny {
        let Some((_, i)) = order.next() else { break };
        parts[*i] += penny;
        leftover -= penny;
    }
    let mut reverse = remainders.iter().rev().cycle();
    while leftover < Decimal::ZERO {
        let Some((_, i)) = reverse.next() else { break };
        if parts[*i] >= penny {
            parts[*i] -= penny;
            leftover += penny;
        }
    }
    if total.is_sign_negative() {
        for p in &mut parts {
            *p = -*p;
        }
    }
    Ok(parts)
}

/// Each partner's share of the key at full precision (zeros when the key totals zero).
///
/// # Errors
/// When the key's sum overflows.
pub fn shares(key: &[Decimal]) -> Result<Vec<Decimal>, ComputeError> {
    let total = arith::sum(key.iter().copied(), "apportionment key")?;
    if total <= Decimal::ZERO {
        return Ok(vec![Decimal::ZERO; key.len()]);
    }
    key.iter()
        .map(|k| arith::div(*k, total, "apportionment share"))
        .collect()
}

/// Which incremental series is being apportioned.
#[derive(Clone, Copy)]
enum Measure {
    Costs,
    Capital,
    Savings,
}

fn series(a: &Amounts, m: Measure) -> Result<Vec<Decimal>, ComputeError> {
    match m {
        Measure::Costs => a.costs(),
        Measure::Capital => Ok(a.capital.clone()),
        Measure::Savings => Ok(a.cashable.clone()),
    }
}

/// Apportions one measure of one option in one price basis: for each
/// partner, a vector of yearly whole-penny amounts.
///
/// The total is rounded to the penny; each partner's own lines (incremental,
/// rounded to the penny) go to that partner; what remains is split by key.
/// When every amount is a whole number of pennies this is exactly the
/// definition; otherwise the parts still sum to the rounded total.
fn apportion_measure(
    option: &OptionTotals,
    baseline: &OptionTotals,
    measure: Measure,
    nominal: bool,
    key: &[Decimal],
    places: u32,
) -> Result<Vec<Vec<Decimal>>, ComputeError> {
    let pick = |t: &OptionTotals| -> Result<Vec<Decimal>, ComputeError> {
        series(if nominal { &t.all.nominal } else { &t.all.real }, measure)
    };
    let pick_bucket =
        |b: Option<&super::totals::Bucket>, n: usize| -> Result<Vec<Decimal>, ComputeError> {
            match b {
                Some(b) => series(if nominal { &b.nominal } else { &b.real }, measure),
                None => Ok(vec![Decimal::ZERO; n]),
            }
        };
    let total = arith::sub_each(&pick(option)?, &pick(baseline)?, "incremental amounts")?;
    let n = total.len();
    let partners = key.len();
    // Each partner's own lines, incremental, to the penny.
    let mut own: Vec<Vec<Decimal>> = Vec::with_capacity(partners);
    for p in 0..partners {
        let o = pick_bucket(option.partner.get(p).and_then(Option::as_ref), n)?;
        let b = pick_bucket(baseline.partner.get(p).and_then(Option::as_ref), n)?;
        let diff = arith::sub_each(&o, &b, "a partner's own amounts")?;
        own.push(diff.into_iter().map(|v| to_penny(v, places)).collect());
    }
    let mut out = own.clone();
    for t in 0..n {
        let rounded = to_penny(total[t], places);
        let own_sum = arith::sum(own.iter().map(|v| v[t]), "partners' own amounts")?;
        let shared = arith::sub(rounded, own_sum, "shared amounts")?;
        let parts = split(shared, key, places)?;
        for (p, part) in parts.into_iter().enumerate() {
            out[p][t] = arith::add(out[p][t], part, "apportioned amounts")?;
        }
    }
    Ok(out)
}

fn flows(
    costs: Vec<Decimal>,
    capital: Vec<Decimal>,
    savings: Vec<Decimal>,
) -> Result<Flows, ComputeError> {
    let revenue = arith::sub_each(&costs, &capital, "apportioned revenue costs")?;
    let net = arith::sub_each(&savings, &costs, "apportioned net savings")?;
    Ok(Flows {
        costs,
        capital,
        revenue,
        savings,
        net,
    })
}

/// Apportions one non-baseline option between the partners.
///
/// # Errors
/// When there is something to split but the key totals zero, or on overflow.
pub(crate) fn option(
    case: &Case,
    index: usize,
    option: &OptionTotals,
    baseline: &OptionTotals,
    key: &[Decimal],
) -> Result<OptionApportionment, ComputeError> {
    let places = case.assumptions.unit.value.penny_places();
    let mut per_basis = Vec::with_capacity(2);
    for nominal in [false, true] {
        let mut measures = Vec::with_capacity(3);
        for m in [Measure::Costs, Measure::Capital, Measure::Savings] {
            measures.push(apportion_measure(
                option, baseline, m, nominal, key, places,
            )?);
        }
        per_basis.push(measures);
    }
    let mut partners = Vec::with_capacity(key.len());
    let mut net_contributors = Vec::new();
    #[allow(
        clippy::needless_range_loop,
        reason = "p indexes the innermost of three nested tables"
    )]
    for p in 0..key.len() {
        let take = |basis: usize, m: usize| per_basis[basis][m][p].clone();
        let real = flows(take(0, 0), take(0, 1), take(0, 2))?;
        let nominal = flows(take(1, 0), take(1, 1), take(1, 2))?;
        if arith::sum(real.net.iter().copied(), "a partner's net position")? < Decimal::ZERO {
            net_contributors.push(p);
        }
        partners.push(PartnerFlows {
            partner: p,
            real,
            nominal,
        });
    }
    Ok(OptionApportionment {
        option: index,
        partners,
        net_contributors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    #[test]
    fn leftover_pennies_go_to_the_largest_remainders() {
        // 1.00 by thirds: 0.33 each, one penny left, tie → first partner.
        assert_eq!(
            split(dec!(1), &[dec!(1), dec!(1), dec!(1)], 2).unwrap(),
            vec![dec!(0.34), dec!(0.33), dec!(0.33)]
        );
        // 10.00 by 1:2:3 → 1.666.., 3.333.., 5.00: remainders .0066 and .0033.
        assert_eq!(
            split(dec!(10), &[dec!(1), dec!(2), dec!(3)], 2).unwrap(),
            vec![dec!(1.67), dec!(3.33), dec!(5.00)]
        );
        // The sign is restored after splitting the magnitude.
        assert_eq!(
            split(dec!(-1), &[dec!(1), dec!(1), dec!(1)], 2).unwrap(),
            vec![dec!(-0.34), dec!(-0.33), dec!(-0.33)]
        );
    }

    #[test]
    fn a_total_between_pennies_is_rounded_half_away_from_zero() {
        assert_eq!(split(dec!(0.125), &[dec!(1)], 2).unwrap(), vec![dec!(0.13)]);
        assert_eq!(
            split(dec!(-0.125), &[dec!(1)], 2).unwrap(),
            vec![dec!(-0.13)]
        );
        // £m: a penny is 0.00000001.
        assert_eq!(
            split(dec!(0.000000015), &[dec!(1), dec!(1)], 8).unwrap(),
            vec![dec!(0.00000001), dec!(0.00000001)]
        );
    }

    #[test]
    fn nothing_to_split_needs_no_key() {
        assert_eq!(split(Decimal::ZERO, &[], 2).unwrap(), Vec::<Decimal>::new());
        assert!(split(dec!(1), &[Decimal::ZERO], 2).is_err());
        assert!(split(dec!(1), &[], 2).is_err());
    }

    fn amount() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), 0u32..10).prop_map(|(m, s)| Decimal::new(m % 1_000_000_000_000_000, s))
    }

    proptest! {
        #[test]
        fn parts_foot_and_stay_within_a_penny(
            total in amount(),
            key in prop::collection::vec(0u64..1_000_000_000, 1..45),
            places in prop::sample::select(vec![2u32, 5, 8]),
        ) {
            let mut key: Vec<Decimal> = key.into_iter().map(|k| Decimal::new(i64::try_from(k).unwrap(), 3)).collect();
            if key.iter().all(Decimal::is_zero) {
                key[0] = Decimal::ONE;
            }
            let parts = split(total, &key, places).unwrap();
            let rounded = to_penny(total, places);
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), rounded);
            let key_total: Decimal = key.iter().copied().sum();
            let penny = penny(places);
            for (part, k) in parts.iter().zip(&key) {
                prop_assert_eq!(part.trunc_with_scale(places), *part, "whole pennies");
                let exact = rounded * *k / key_total;
                prop_assert!((*part - exact).abs() <= penny, "{} vs exact {}", part, exact);
                if k.is_zero() {
                    prop_assert!(part.is_zero());
                }
            }
        }

        #[test]
        fn a_single_partner_takes_the_whole_total(total in amount()) {
            prop_assert_eq!(split(total, &[dec!(7)], 5).unwrap(), vec![to_penny(total, 5)]);
        }
    }
}
