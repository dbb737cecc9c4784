//! Cached values for the calculation sheets' intermediate cells.
//!
//! Every formula cell carries the value fivecase computed for it, so a reader
//! that does not recalculate still sees the right figures. Most of those
//! values are the engine's own (`compute::Results`); the few intermediate
//! rows the engine does not report (an option's capital in one year, the
//! optimism-bias uplift, the expected cost of risks, inflation indices) are
//! summed here from the case with the engine's definitions, exactly, in
//! Decimal, with checked arithmetic so that no input can overflow silently.

use rust_decimal::{Decimal, MathematicalOps};

use super::ExportError;
use crate::model::{BenefitKind, Case, CostKind, Inflation};

/// `a + b`, or an error naming what overflowed.
pub(super) fn add(a: Decimal, b: Decimal) -> Result<Decimal, ExportError> {
    a.checked_add(b).ok_or(ExportError::Overflow)
}

/// `a − b`, checked.
pub(super) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, ExportError> {
    a.checked_sub(b).ok_or(ExportError::Overflow)
}

/// `a × b`, checked.
pub(super) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ExportError> {
    a.checked_mul(b).ok_or(ExportError::Overflow)
}

/// The three inflation indices, in the order their rows are written.
pub(super) const INDICES: [Inflation; 3] = [Inflation::General, Inflation::Pay, Inflation::None];

/// One option's yearly totals, in real prices, before optimism bias and risk.
#[derive(Debug, Clone)]
pub(super) struct OptionSums {
    /// `capital[k][year]`: capital costs of lines using `INDICES[k]`.
    pub(super) capital: [Vec<Decimal>; 3],
    pub(super) revenue: [Vec<Decimal>; 3],
    pub(super) cashable: Vec<Decimal>,
    pub(super) non_cashable: Vec<Decimal>,
    /// Σ probability × impact of the option's risks falling in each year.
    pub(super) risk: Vec<Decimal>,
}

impl OptionSums {
    /// Capital over every inflation index, per year.
    pub(super) fn capital_total(&self) -> Result<Vec<Decimal>, ExportError> {
        total(&self.capital)
    }

    pub(super) fn revenue_total(&self) -> Result<Vec<Decimal>, ExportError> {
        total(&self.revenue)
    }
}

fn total(by_index: &[Vec<Decimal>; 3]) -> Result<Vec<Decimal>, ExportError> {
    let n = by_index[0].len();
    (0..n)
        .map(|y| {
            by_index
                .iter()
                .try_fold(Decimal::ZERO, |acc, v| add(acc, v[y]))
        })
        .collect()
}

fn index_of(kind: Inflation) -> usize {
    match kind {
        Inflation::General => 0,
        Inflation::Pay => 1,
        Inflation::None => 2,
    }
}

/// Yearly totals of every option, in `Case::options` order.
///
/// # Errors
/// When a sum overflows the decimal range.
pub(super) fn option_sums(case: &Case) -> Result<Vec<OptionSums>, ExportError> {
    let n = case.years.len();
    let zeros = || vec![Decimal::ZERO; n];
    let mut out: Vec<OptionSums> = case
        .options
        .iter()
        .map(|_| OptionSums {
            capital: [zeros(), zeros(), zeros()],
            revenue: [zeros(), zeros(), zeros()],
            cashable: zeros(),
            non_cashable: zeros(),
            risk: zeros(),
        })
        .collect();
    for line in &case.costs {
        let Some(sums) = out.get_mut(line.option) else {
            continue;
        };
        let k = index_of(line.inflation);
        let target = match line.kind {
            CostKind::Capital => &mut sums.capital[k],
            CostKind::Revenue => &mut sums.revenue[k],
        };
        for (slot, v) in target.iter_mut().zip(&line.values) {
            *slot = add(*slot, *v)?;
        }
    }
    for line in &case.benefits {
        let Some(sums) = out.get_mut(line.option) else {
            continue;
        };
        let target = match line.kind {
            BenefitKind::Cashable => &mut sums.cashable,
            BenefitKind::NonCashable => &mut sums.non_cashable,
        };
        for (slot, v) in target.iter_mut().zip(&line.values) {
            *slot = add(*slot, *v)?;
        }
    }
    for risk in &case.risks {
        let Some(slot) = out
            .get_mut(risk.option)
            .and_then(|s| s.risk.get_mut(risk.year))
        else {
            continue;
        };
        *slot = add(*slot, mul(risk.probability, risk.impact)?)?;
    }
    Ok(out)
}

/// `(1 + rate)^t` for each period in `periods`: the nominal-price index.
///
/// # Errors
/// When the index overflows the decimal range.
pub(super) fn index_series(rate: Decimal, periods: &[u32]) -> Result<Vec<Decimal>, ExportError> {
    let base = add(Decimal::ONE, rate)?;
    periods
        .iter()
        .map(|t| {
            base.checked_powi(i64::from(*t))
                .ok_or(ExportError::Overflow)
        })
        .collect()
}

/// Σ values × factors.
///
/// # Errors
/// When the sum overflows.
pub(super) fn sumproduct(values: &[Decimal], factors: &[Decimal]) -> Result<Decimal, ExportError> {
    values
        .iter()
        .zip(factors)
        .try_fold(Decimal::ZERO, |acc, (v, f)| add(acc, mul(*v, *f)?))
}

/// Σ values.
///
/// # Errors
/// When the sum overflows.
pub(super) fn sum(values: &[Decimal]) -> Result<Decimal, ExportError> {
    values.iter().try_fold(Decimal::ZERO, |acc, v| add(acc, *v))
}
