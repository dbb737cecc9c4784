//! The bounds of every number fivecase accepts, and why they keep the engine
//! within exact decimal range.
//!
//! rust_decimal holds magnitudes up to about 7.9 × 10^28. The largest figure
//! the engine can form from a valid case is a sum over every amount it reads,
//! each inflated, uplifted and overrun:
//!
//! ```text
//!   3,000,000 cells          (the most filled cells ingest reads, MAX_CELLS)
//! × 10^15                    (the largest amount, MONEY)
//! × 10^5                     (the largest inflation index, MAX_INFLATION_INDEX)
//! × 6                        (1 + the largest optimism bias, 500%)
//! × 6                        (1 + the largest scenario overrun, 500%)
//! = 1.08 × 10^28             below 7.9 × 10^28
//! ```
//!
//! The quantified risk analysis runs on the base case only (no scenario
//! overrun) and draws each amount up to 1 + the largest range high (11
//! times): 3 × 10^6 × 10^15 × 10^5 × 6 × 11 = 1.98 × 10^28, also below.
//!
//! Every other factor the engine applies is at most one: discount factors
//! (rates are never negative), probabilities, realisation fractions, key
//! shares. So no arithmetic on a valid case can overflow; the engine still
//! checks, so that a future rule cannot turn a slip into a panic, and
//! `check` runs the engine on the base case and every scenario, so that a
//! case it accepts never fails later (an overflow there is reported by
//! `check`, at the line and option that caused it).

use rust_decimal::Decimal;
use rust_decimal::dec;

/// Most filled cells ingest reads over the sheets it reads.
pub const MAX_CELLS: usize = 3_000_000;
/// Most appraisal years a case may have.
pub const MAX_YEARS: usize = 200;
/// Furthest the base year may lie before the first appraisal year.
pub const MAX_BASE_YEAR_GAP: u32 = 50;

/// A closed or half-open interval of accepted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// What the value is, as messages name it: `a discount rate`.
    pub what: &'static str,
    pub low: Decimal,
    pub high: Decimal,
    /// True when `high` itself is refused (amounts: below 10^15).
    pub high_open: bool,
    /// True when `low` itself is refused (sensitivity fractions: above 0).
    pub low_open: bool,
    /// True for magnitudes: `|x|` is compared with `high`, and `low` is unused.
    pub magnitude: bool,
    /// The range as docs/workbook.md and messages write it.
    pub shown: &'static str,
    /// Why the bound is where it is, for the reference table.
    pub why: &'static str,
}

impl Bound {
    /// True when `value` is within the bound.
    pub fn contains(&self, value: Decimal) -> bool {
        if self.magnitude {
            return value.abs() < self.high;
        }
        let above_low = if self.low_open {
            value > self.low
        } else {
            value >= self.low
        };
        let below_high = if self.high_open {
            value < self.high
        } else {
            value <= self.high
        };
        above_low && below_high
    }
}

/// An amount in the workbook's unit: Costs, Benefits, Budget, Risks' impact.
pub const MONEY: Bound = Bound {
    what: "an amount",
    low: dec!(0),
    high: dec!(1_000_000_000_000_000),
    high_open: true,
    low_open: false,
    magnitude: true,
    shown: "magnitude below 10^15 in the workbook's unit",
    why: "a thousand times the largest public budget, in any unit",
};

/// A value of an apportionment key column on Partners.
pub const KEY_VALUE: Bound = Bound {
    what: "a key value",
    low: dec!(0),
    high: dec!(1_000_000_000_000_000),
    high_open: true,
    low_open: false,
    magnitude: false,
    shown: "0 or more, below 10^15",
    why: "shares are key ÷ total: the size of a key only needs to be plausible",
};

/// A discount rate given instead of the Green Book schedule (workbook or case.toml).
pub const DISCOUNT_RATE: Bound = Bound {
    what: "a discount rate",
    low: dec!(0),
    high: dec!(0.2),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "0% to 20%",
    why: "the Green Book's STPR is 3.5% or less; a negative rate would make discount factors grow",
};

/// General and pay inflation.
pub const BORROWING_RATE: Bound = Bound {
    what: "a borrowing rate",
    low: dec!(0),
    high: dec!(1),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "0% to 100%",
    why: "an annual interest rate; PWLB rates have stayed well below 10%",
};

pub const INFLATION: Bound = Bound {
    what: "an inflation rate",
    low: dec!(-0.1),
    high: dec!(0.1),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "-10% to 10%",
    why: "a long-run assumption; UK CPI peaked at 11.1% in 2022 for a few months only",
};

/// The largest inflation index the appraisal may reach: general or pay
/// inflation compounded from the base year to the last appraisal year.
pub const MAX_INFLATION_INDEX: Decimal = dec!(100_000);

/// A probability on Risks.
pub const PROBABILITY: Bound = Bound {
    what: "a probability",
    low: dec!(0),
    high: dec!(1),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "0 to 1",
    why: "a probability",
};

/// Optimism-bias mitigation on Options.
pub const MITIGATION: Bound = Bound {
    what: "a mitigation",
    low: dec!(0),
    high: dec!(1),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "0% to 100%",
    why: "the share of the upper bound mitigated",
};

/// An optimism-bias rate (Options, or a scenario's override).
pub const OPTIMISM_BIAS: Bound = Bound {
    what: "an optimism bias",
    low: dec!(0),
    high: dec!(5),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "0% to 500% (warning above 100%)",
    why: "the Green Book's largest upper bound is 200% (equipment and development)",
};

/// Above this an optimism bias is accepted with a warning.
pub const OPTIMISM_BIAS_WARNING: Decimal = dec!(1);

/// A scenario's `savings_realisation` or `benefits_realisation`.
pub const REALISATION: Bound = Bound {
    what: "a fraction",
    low: dec!(0),
    high: dec!(1),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "0 to 1",
    why: "the share of benefits realised",
};

/// A scenario's `cost_overrun`, `capital_overrun` or `revenue_overrun`.
pub const OVERRUN: Bound = Bound {
    what: "a fraction",
    low: dec!(-0.5),
    high: dec!(5),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "-0.5 to 5",
    why: "from half the cost to six times it",
};

/// Each of case.toml's `sensitivity` fractions.
pub const SENSITIVITY: Bound = Bound {
    what: "a fraction",
    low: dec!(0),
    high: dec!(1),
    high_open: false,
    low_open: true,
    magnitude: false,
    shown: "above 0, at most 1",
    why: "a change of up to the whole amount",
};

/// `Range low` on Costs and Benefits: a line's amounts may fall to nothing.
pub const RANGE_LOW: Bound = Bound {
    what: "a range low",
    low: dec!(-1),
    high: dec!(0),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "-100% to 0%",
    why: "the multiplier 1 + low is never negative: a cost cannot become a saving",
};

/// `Range high` on Costs and Benefits.
pub const RANGE_HIGH: Bound = Bound {
    what: "a range high",
    low: dec!(0),
    high: dec!(10),
    high_open: false,
    low_open: false,
    magnitude: false,
    shown: "0% to 1000%",
    why: "an eleven-fold outturn is beyond any reference-class estimate; the bound keeps drawn amounts within exact decimals",
};

/// Every bound, in the order docs/workbook.md lists them.
pub const ALL: &[(&str, &Bound)] = &[
    ("amounts", &MONEY),
    ("apportionment keys", &KEY_VALUE),
    ("discount rate (or `Green Book`)", &DISCOUNT_RATE),
    ("general and pay inflation", &INFLATION),
    ("probabilities", &PROBABILITY),
    ("optimism bias", &OPTIMISM_BIAS),
    ("optimism-bias mitigation", &MITIGATION),
    ("scenario realisation", &REALISATION),
    ("scenario overruns", &OVERRUN),
    ("sensitivity fractions", &SENSITIVITY),
    ("range low (Costs, Benefits)", &RANGE_LOW),
    ("range high (Costs, Benefits)", &RANGE_HIGH),
];

/// `(1 + rate)^periods`, or `None` once it passes [`MAX_INFLATION_INDEX`]
/// (never overflowing on the way: the loop stops as soon as it is passed).
pub fn inflation_index(rate: Decimal, periods: u32) -> Option<Decimal> {
    let factor = Decimal::ONE.checked_add(rate)?;
    let mut index = Decimal::ONE;
    for _ in 0..periods {
        index = index.checked_mul(factor)?;
        if index > MAX_INFLATION_INDEX {
            return None;
        }
    }
    Some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_case_stays_within_decimal_range() {
        let cells = Decimal::from(MAX_CELLS);
        let uplift = Decimal::ONE + OPTIMISM_BIAS.high;
        let overrun = Decimal::ONE + OVERRUN.high;
        let worst = cells
            .checked_mul(MONEY.high)
            .and_then(|x| x.checked_mul(MAX_INFLATION_INDEX))
            .and_then(|x| x.checked_mul(uplift))
            .and_then(|x| x.checked_mul(overrun))
            .expect("within range");
        assert!(worst < Decimal::MAX / Decimal::from(7));
        // The risk analysis: the base case with every amount drawn at its range high.
        let drawn = cells
            .checked_mul(MONEY.high)
            .and_then(|x| x.checked_mul(MAX_INFLATION_INDEX))
            .and_then(|x| x.checked_mul(uplift))
            .and_then(|x| x.checked_mul(Decimal::ONE + RANGE_HIGH.high))
            .expect("within range");
        assert!(drawn < Decimal::MAX / Decimal::from(3));
    }

    #[test]
    fn bounds_hold_their_edges() {
        assert!(MONEY.contains(dec!(-999_999_999_999_999)));
        assert!(!MONEY.contains(dec!(1_000_000_000_000_000)));
        assert!(DISCOUNT_RATE.contains(dec!(0.2)));
        assert!(!DISCOUNT_RATE.contains(dec!(-0.0001)));
        assert!(!SENSITIVITY.contains(dec!(0)));
        assert!(SENSITIVITY.contains(dec!(1)));
        assert!(!INFLATION.contains(dec!(-1e27)));
    }

    #[test]
    fn the_index_stops_at_its_limit() {
        assert_eq!(inflation_index(dec!(0.02), 0), Some(Decimal::ONE));
        assert_eq!(inflation_index(dec!(0.1), 2), Some(dec!(1.21)));
        // The longest appraisal: the base year 50 years before 200 years.
        let periods = MAX_BASE_YEAR_GAP + u32::try_from(MAX_YEARS).unwrap() - 1;
        assert_eq!(periods, 249);
        assert!(inflation_index(dec!(0.02), periods).is_some());
        assert!(inflation_index(dec!(0.1), periods).is_none());
        assert!(inflation_index(INFLATION.low, periods).is_some());
        assert!(inflation_index(dec!(0.1), 120).is_some());
        assert!(inflation_index(dec!(0.1), 121).is_none());
    }
}
