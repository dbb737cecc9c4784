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
use super::totals::{Amounts, Bucket, OptionTotals};
use super::{ComputeError, Flows, OptionApportionment, PartnerFlows};
use crate::model::{Case, OptionId, PartnerId};

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
    Key::new(key).split(total, places)
}

/// Buffers reused across splits.
#[derive(Debug, Default)]
struct Scratch {
    floors: Vec<u128>,
    remainders: Vec<(u128, usize)>,
}

/// An apportionment key prepared for many splits: the values as given and,
/// where they fit, as integers over a common scale, so each share is an
/// exact integer quotient and remainder.
#[derive(Debug, Clone)]
pub struct Key {
    values: Vec<Decimal>,
    /// The key as integers (each value × 10^scale) and their sum; `None`
    /// when a value is negative or the integers would not fit.
    integers: Option<(Vec<u128>, u128)>,
}

impl Key {
    /// Prepares `values` (one per partner, in sheet order).
    pub fn new(values: &[Decimal]) -> Self {
        Self {
            values: values.to_vec(),
            integers: integer_key(values),
        }
    }

    /// As [`split`].
    ///
    /// # Errors
    /// As [`split`].
    pub fn split(&self, total: Decimal, places: u32) -> Result<Vec<Decimal>, ComputeError> {
        let mut parts = vec![Decimal::ZERO; self.values.len()];
        self.split_into(total, places, &mut parts, &mut Scratch::default())?;
        Ok(parts)
    }

    /// As [`Key::split`], writing the parts into `parts` (one per partner)
    /// and reusing `scratch`, so a run of splits allocates nothing.
    fn split_into(
        &self,
        total: Decimal,
        places: u32,
        parts: &mut [Decimal],
        scratch: &mut Scratch,
    ) -> Result<(), ComputeError> {
        let total = to_penny(total, places);
        parts.fill(Decimal::ZERO);
        if total.is_zero() {
            return Ok(());
        }
        let magnitude = total.abs();
        // Whole pennies are exact only while their count fits a decimal's
        // 96-bit mantissa (about 7.9 × 10^28 pennies); beyond it a penny
        // added to a share would be rounded away and the parts could not foot.
        let pennies_fit = 10i128
            .checked_pow(places.saturating_sub(magnitude.scale()))
            .and_then(|f| magnitude.mantissa().checked_mul(f))
            .is_some_and(|p| p <= Decimal::MAX.mantissa());
        if !pennies_fit {
            return Err(ComputeError::overflow("apportioned amounts"));
        }
        if !self.split_integers(magnitude, places, parts, scratch) {
            self.split_decimals(magnitude, places, parts)?;
        }
        if total.is_sign_negative() {
            for p in parts.iter_mut() {
                *p = -*p;
            }
        }
        Ok(())
    }

    /// The split in whole pennies: partner p's exact share is
    /// (pennies × key_p) / Σ key, whose integer quotient is the truncated
    /// share and whose remainder (over the same Σ key for every partner)
    /// orders the leftover pennies exactly. `None` where a product would
    /// not fit in 128 bits; the decimal path then applies.
    fn split_integers(
        &self,
        magnitude: Decimal,
        places: u32,
        parts: &mut [Decimal],
        scratch: &mut Scratch,
    ) -> bool {
        self.try_split_integers(magnitude, places, parts, scratch)
            .is_some()
    }

    fn try_split_integers(
        &self,
        magnitude: Decimal,
        places: u32,
        parts: &mut [Decimal],
        scratch: &mut Scratch,
    ) -> Option<()> {
        let (keys, key_total) = self.integers.as_ref()?;
        if *key_total == 0 || parts.len() != keys.len() {
            return None;
        }
        let scale = magnitude.scale();
        let pennies = u128::try_from(magnitude.mantissa())
            .ok()?
            .checked_mul(10u128.checked_pow(places.checked_sub(scale)?)?)?;
        let floors = &mut scratch.floors;
        let remainders = &mut scratch.remainders;
        floors.clear();
        remainders.clear();
        let mut allocated: u128 = 0;
        for (i, k) in keys.iter().enumerate() {
            let product = pennies.checked_mul(*k)?;
            let floor = product / key_total;
            allocated = allocated.checked_add(floor)?;
            floors.push(floor);
            remainders.push((product % key_total, i));
        }
        // Σ floor ≤ pennies < Σ floor + partners: each leftover penny goes to a different partner.
        let leftover = usize::try_from(pennies.checked_sub(allocated)?).ok()?;
        if leftover > 0 {
            // Largest remainder first; the stable sort keeps sheet order among ties.
            remainders.sort_by_key(|r| std::cmp::Reverse(r.0));
        }
        for (_, i) in remainders.iter().take(leftover) {
            floors[*i] += 1;
        }
        for (part, f) in parts.iter_mut().zip(floors.iter()) {
            *part = Decimal::try_from_i128_with_scale(i128::try_from(*f).ok()?, places).ok()?;
        }
        Some(())
    }

    /// The same split in decimal arithmetic, for keys or amounts too large
    /// for the integer path.
    fn split_decimals(
        &self,
        magnitude: Decimal,
        places: u32,
        parts: &mut [Decimal],
    ) -> Result<(), ComputeError> {
        let key = &self.values;
        let key_total = arith::sum(key.iter().copied(), "apportionment key")?;
        if key.is_empty() || key_total <= Decimal::ZERO {
            return Err(ComputeError::NothingToApportionBy);
        }
        let penny = penny(places);
        let mut remainders = Vec::with_capacity(key.len());
        // The same remainders times Σ key, exact where every product is:
        // the quotient is rounded to 28 digits, and two remainders that are
        // equal (a tie, settled in Partners order) could otherwise compare
        // unequal in their last digit.
        let mut scaled: Option<Vec<(Decimal, usize)>> = Some(Vec::with_capacity(key.len()));
        let mut allocated = Decimal::ZERO;
        for (i, k) in key.iter().enumerate() {
            // (magnitude × key) / Σ key, as the definition reads; where the
            // product is too large for rust_decimal, magnitude × (key / Σ key).
            let product = magnitude.checked_mul(*k);
            let exact = match product {
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
            scaled = scaled.and_then(|mut v| {
                let rem = product?.checked_sub(floor.checked_mul(key_total)?)?;
                v.push((rem, i));
                Some(v)
            });
        }
        if let Some(exact) = scaled {
            remainders = exact;
        }
        remainders.sort_by_key(|r| std::cmp::Reverse(r.0));
        let mut leftover = arith::sub(magnitude, allocated, "apportioned total")?;
        // Mathematically 0 ≤ leftover < one penny per partner; the loops also
        // cover a rounding in the division, so the parts always foot.
        let mut order = remainders.iter().cycle();
        while leftover >= penny {
            let Some((_, i)) = order.next() else { break };
            parts[*i] = arith::add(parts[*i], penny, "apportioned share")?;
            leftover = arith::sub(leftover, penny, "apportioned total")?;
        }
        let mut reverse = remainders.iter().rev().cycle();
        while leftover < Decimal::ZERO {
            let Some((_, i)) = reverse.next() else { break };
            if parts[*i] >= penny {
                parts[*i] = arith::sub(parts[*i], penny, "apportioned share")?;
                leftover = arith::add(leftover, penny, "apportioned total")?;
            }
        }
        Ok(())
    }
}

/// The key as integers over a common scale, with their sum; `None` when a
/// value is negative or they do not fit.
fn integer_key(values: &[Decimal]) -> Option<(Vec<u128>, u128)> {
    let scale = values.iter().map(Decimal::scale).max().unwrap_or(0);
    let mut ints = Vec::with_capacity(values.len());
    let mut total: u128 = 0;
    for v in values {
        let m = u128::try_from(v.mantissa()).ok()?;
        let i = m.checked_mul(10u128.checked_pow(scale - v.scale())?)?;
        total = total.checked_add(i)?;
        ints.push(i);
    }
    Some((ints, total))
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

/// One year's amount of a measure.
fn at(a: &Amounts, m: Measure, t: usize) -> Result<Decimal, ComputeError> {
    let get = |v: &[Decimal]| v.get(t).copied().unwrap_or_default();
    match m {
        Measure::Costs => arith::add(get(&a.capital), get(&a.revenue), "costs"),
        Measure::Capital => Ok(get(&a.capital)),
        Measure::Savings => Ok(get(&a.cashable)),
    }
}

/// Apportions one measure of one option in one price basis: for each
/// partner, a vector of yearly whole-penny amounts.
///
/// The total is rounded to the penny; each partner's own lines (incremental,
/// rounded to the penny) go to that partner; what remains is split by key.
/// When every amount is a whole number of pennies this is exactly the
/// definition; otherwise the parts still sum to the rounded total.
#[allow(clippy::too_many_arguments)]
fn apportion_measure(
    option: &OptionTotals,
    baseline: &OptionTotals,
    measure: Measure,
    nominal: bool,
    key: &Key,
    keyed: &[(usize, Key)],
    places: u32,
    scratch: &mut Scratch,
) -> Result<Vec<Vec<Decimal>>, ComputeError> {
    fn pick(b: &Bucket, nominal: bool) -> &Amounts {
        if nominal { &b.nominal } else { &b.real }
    }
    let n = option.all.real.capital.len();
    let partners = key.values.len();
    let mut out = vec![vec![Decimal::ZERO; n]; partners];
    let mut parts = vec![Decimal::ZERO; partners];
    // Partners with lines of their own in the option or the baseline.
    let has_own: Vec<bool> = (0..partners)
        .map(|p| {
            let some = |o: &OptionTotals| o.partner.get(p).is_some_and(Option::is_some);
            some(option) || some(baseline)
        })
        .collect();
    for t in 0..n {
        let total = arith::sub(
            at(pick(&option.all, nominal), measure, t)?,
            at(pick(&baseline.all, nominal), measure, t)?,
            "incremental amounts",
        )?;
        let rounded = to_penny(total, places);
        // Each partner's own lines, incremental, to the penny.
        let mut own_sum = Decimal::ZERO;
        for (p, row) in out.iter_mut().enumerate() {
            if !has_own[p] {
                continue;
            }
            let own_of = |t_: &OptionTotals| -> Result<Decimal, ComputeError> {
                match t_.partner.get(p).and_then(Option::as_ref) {
                    Some(b) => at(pick(b, nominal), measure, t),
                    None => Ok(Decimal::ZERO),
                }
            };
            let own = to_penny(
                arith::sub(
                    own_of(option)?,
                    own_of(baseline)?,
                    "a partner's own amounts",
                )?,
                places,
            );
            row[t] = own;
            own_sum = arith::add(own_sum, own, "partners' own amounts")?;
        }
        let mut shared = arith::sub(rounded, own_sum, "shared amounts")?;
        // Shared lines with a key of their own: each group's incremental
        // total to the penny, split by its key; the default key's group
        // gets the rest.
        for (column, group_key) in keyed {
            let of = |t_: &OptionTotals| -> Result<Decimal, ComputeError> {
                match t_.keyed.iter().find(|(k, _)| k == column) {
                    Some((_, b)) => at(pick(b, nominal), measure, t),
                    None => Ok(Decimal::ZERO),
                }
            };
            let group = to_penny(
                arith::sub(of(option)?, of(baseline)?, "a key's amounts")?,
                places,
            );
            if group.is_zero() {
                continue;
            }
            group_key.split_into(group, places, &mut parts, scratch)?;
            for (row, part) in out.iter_mut().zip(&parts) {
                row[t] = arith::add(row[t], *part, "apportioned amounts")?;
            }
            shared = arith::sub(shared, group, "shared amounts")?;
        }
        key.split_into(shared, places, &mut parts, scratch)?;
        for (row, part) in out.iter_mut().zip(&parts) {
            row[t] = arith::add(row[t], *part, "apportioned amounts")?;
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

/// The values of key column `column`, one per partner.
pub fn key_values(case: &Case, column: usize) -> Vec<Decimal> {
    case.partners
        .values
        .iter()
        .map(|row| row.get(column).copied().unwrap_or_default())
        .collect()
}

/// The keys of the shared lines with a `Key` of their own in an option or
/// its baseline, prepared, by column (ascending).
fn keyed_keys(case: &Case, option: &OptionTotals, baseline: &OptionTotals) -> Vec<(usize, Key)> {
    let mut columns: Vec<usize> = option
        .keyed
        .iter()
        .chain(&baseline.keyed)
        .map(|(k, _)| *k)
        .collect();
    columns.sort_unstable();
    columns.dedup();
    columns
        .into_iter()
        .map(|c| (c, Key::new(&key_values(case, c))))
        .collect()
}

/// Apportions one non-baseline option between the partners.
///
/// # Errors
/// When there is something to split but the key totals zero, or on overflow.
pub(crate) fn option(
    case: &Case,
    index: OptionId,
    option: &OptionTotals,
    baseline: &OptionTotals,
    key: &[Decimal],
) -> Result<OptionApportionment, ComputeError> {
    let places = case.assumptions.unit.value.penny_places();
    let prepared = Key::new(key);
    let key = &prepared;
    let keyed = keyed_keys(case, option, baseline);
    let mut scratch = Scratch::default();
    let mut per_basis = Vec::with_capacity(2);
    for nominal in [false, true] {
        let mut measures = Vec::with_capacity(3);
        for m in [Measure::Costs, Measure::Capital, Measure::Savings] {
            measures.push(apportion_measure(
                option,
                baseline,
                m,
                nominal,
                key,
                &keyed,
                places,
                &mut scratch,
            )?);
        }
        per_basis.push(measures);
    }
    let mut partners = Vec::with_capacity(key.values.len());
    let mut net_contributors = Vec::new();
    #[allow(
        clippy::needless_range_loop,
        reason = "p indexes the innermost of three nested tables"
    )]
    for id in PartnerId::all(key.values.len()) {
        let p = id.index();
        let take = |basis: usize, m: usize| per_basis[basis][m][p].clone();
        let real = flows(take(0, 0), take(0, 1), take(0, 2))?;
        let nominal = flows(take(1, 0), take(1, 1), take(1, 2))?;
        if arith::sum(real.net.iter().copied(), "a partner's net position")? < Decimal::ZERO {
            net_contributors.push(id);
        }
        partners.push(PartnerFlows {
            partner: id,
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
        fn integer_and_decimal_paths_agree(
            total in amount(),
            key in prop::collection::vec(1u64..1_000_000, 1..45),
            places in prop::sample::select(vec![2u32, 5, 8]),
        ) {
            let key: Vec<Decimal> = key.into_iter().map(|k| Decimal::new(i64::try_from(k).unwrap(), 2)).collect();
            let prepared = Key::new(&key);
            let magnitude = to_penny(total, places).abs();
            prop_assume!(!magnitude.is_zero());
            let mut integers = vec![Decimal::ZERO; key.len()];
            prop_assert!(prepared.split_integers(magnitude, places, &mut integers, &mut Scratch::default()));
            let mut decimals = vec![Decimal::ZERO; key.len()];
            prepared.split_decimals(magnitude, places, &mut decimals).unwrap();
            prop_assert_eq!(integers, decimals);
        }

        #[test]
        fn a_single_partner_takes_the_whole_total(total in amount()) {
            prop_assert_eq!(split(total, &[dec!(7)], 5).unwrap(), vec![to_penny(total, 5)]);
        }
    }
}

#[cfg(test)]
mod limits {
    use super::*;

    /// Former panic and hang: 10^27 in £m is 10^35 pennies, beyond a
    /// decimal's mantissa; the split is an error, quickly, whatever the key.
    #[test]
    fn pennies_beyond_exact_decimals_are_an_error_not_a_panic_or_a_hang() {
        let big = Decimal::from_scientific("1e27").unwrap_or_default();
        let fine = Decimal::from_scientific("13418.380938654042137900896926").unwrap_or_default();
        for key in [vec![Decimal::ONE, Decimal::ONE], vec![fine, Decimal::ONE]] {
            let e = split(big, &key, 8).unwrap_err();
            assert_eq!(
                e.to_string(),
                "the apportioned amounts would be too large to compute exactly (beyond about 7.9 × 10^28)"
            );
            assert!(split(-big, &key, 8).is_err());
        }
        // The largest amount whose pennies fit still splits and foots.
        let most = Decimal::from_i128_with_scale(Decimal::MAX.mantissa(), 8);
        let parts = split(most, &[fine, Decimal::ONE], 8).unwrap();
        assert_eq!(parts.iter().copied().sum::<Decimal>(), most);
    }
}
