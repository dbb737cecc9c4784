//! Discount factors: the Green Book's STPR schedule or one fixed rate.
//!
//! Green Book (2026) chapter 6 and Annex A6: t counts years since the base
//! year, DF_0 = 1 and DF_t = DF_(t−1) / (1 + r_t), where r_t is the rate of
//! the band year t falls in (3.5% to year 30, 3.0% from 31, ...). The
//! recurrence, not 1/(1+r)^t, is what makes the schedule's steps at 31 and 76
//! continue from the previous factor. Each division is at rust_decimal's full
//! precision; nothing is rounded here.

use rust_decimal::Decimal;

use super::ComputeError;
use super::arith;
use crate::model::{DiscountRate, Edition};
use crate::params;

/// Discount factors for periods 0..=`max_period`: `factors[t]` is DF_t.
///
/// # Errors
/// When a fixed rate of −100% (or below) makes a factor undefined or overflow.
pub fn factors(
    rate: DiscountRate,
    edition: Edition,
    max_period: u32,
) -> Result<Vec<Decimal>, ComputeError> {
    let schedule = params::discount_schedule(edition);
    let capacity = usize::try_from(max_period).unwrap_or(0).saturating_add(1);
    let mut out = Vec::with_capacity(capacity.min(1 << 16));
    let mut df = Decimal::ONE;
    out.push(df);
    for t in 1..=max_period {
        let r = match rate {
            DiscountRate::GreenBook => schedule.rate_for_year(t),
            DiscountRate::Fixed(r) => r,
        };
        let growth = arith::add(Decimal::ONE, r, "discount rate")?;
        if growth <= Decimal::ZERO {
            return Err(ComputeError::overflow("discount factors"));
        }
        df = arith::div(df, growth, "discount factors")?;
        out.push(df);
    }
    Ok(out)
}

/// The discount factor of each period in `periods` (years since the base year).
///
/// # Errors
/// As [`factors`].
pub fn for_periods(
    rate: DiscountRate,
    edition: Edition,
    periods: &[u32],
) -> Result<Vec<Decimal>, ComputeError> {
    let max = periods.iter().copied().max().unwrap_or(0);
    let all = factors(rate, edition, max)?;
    Ok(periods
        .iter()
        .map(|&t| {
            usize::try_from(t)
                .ok()
                .and_then(|i| all.get(i))
                .copied()
                .unwrap_or(Decimal::ZERO)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    /// Green Book standard STPR factors to four places (GREENBOOK.md; they agree
    /// with the Green Book's published discount factor table where it was seen).
    #[test]
    fn green_book_factors_to_four_places() {
        let df = factors(DiscountRate::GreenBook, Edition::CURRENT, 100).unwrap();
        let published = [
            (1, "0.9662"),
            (2, "0.9335"),
            (5, "0.8420"),
            (10, "0.7089"),
            (20, "0.5026"),
            (30, "0.3563"),
            (31, "0.3459"),
            (40, "0.2651"),
            (50, "0.1973"),
            (60, "0.1468"),
            (75, "0.0942"),
            (100, "0.0508"),
        ];
        for (t, want) in published {
            // Four places, half away from zero, as the published table rounds.
            let shown = df[t]
                .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            assert_eq!(shown.to_string(), want, "year {t}");
        }
        assert_eq!(df[0], Decimal::ONE);
    }

    #[test]
    fn schedule_steps_continue_from_the_previous_factor() {
        let df = factors(DiscountRate::GreenBook, Edition::CURRENT, 80).unwrap();
        // D_31 = D_30 / 1.03 and D_76 = D_75 / 1.025, each at full precision.
        assert_eq!(df[31], df[30] / dec!(1.03));
        assert_eq!(df[76], df[75] / dec!(1.025));
        assert_eq!(df[30], df[29] / dec!(1.035));
    }

    #[test]
    fn fixed_rate_and_zero_rate() {
        let df = factors(DiscountRate::Fixed(dec!(0.25)), Edition::CURRENT, 3).unwrap();
        assert_eq!(df, vec![dec!(1), dec!(0.8), dec!(0.64), dec!(0.512)]);
        let zero = factors(DiscountRate::Fixed(Decimal::ZERO), Edition::CURRENT, 5).unwrap();
        assert!(zero.iter().all(|d| *d == Decimal::ONE));
        assert!(factors(DiscountRate::Fixed(dec!(-1)), Edition::CURRENT, 2).is_err());
    }

    proptest! {
        #[test]
        fn factors_strictly_decrease_for_positive_rates(bp in 1u32..2_000, years in 1u32..200) {
            let rate = Decimal::new(i64::from(bp), 4);
            let df = factors(DiscountRate::Fixed(rate), Edition::CURRENT, years).unwrap();
            for w in df.windows(2) {
                prop_assert!(w[1] < w[0], "{} !< {}", w[1], w[0]);
            }
        }

        #[test]
        fn green_book_factors_strictly_decrease(years in 1u32..400) {
            let df = factors(DiscountRate::GreenBook, Edition::CURRENT, years).unwrap();
            for w in df.windows(2) {
                prop_assert!(w[1] < w[0]);
            }
        }
    }
}
