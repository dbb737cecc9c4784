//! Checked decimal arithmetic for the engine.
//!
//! rust_decimal's operators panic on overflow. Ingest bounds the inputs, but
//! the engine must not depend on that for safety: every sum, product and
//! quotient that an input could push past rust_decimal's range goes through
//! these helpers, which report what overflowed instead of panicking. The
//! caller names the quantity (`what`) and the enclosing context is added on
//! the way out with [`ComputeError::within`].

use rust_decimal::Decimal;

use super::{ComputeError, Difference};
use crate::model::OptionId;

/// `a + b`, or an overflow error naming `what`.
#[inline]
pub(crate) fn add(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, ComputeError> {
    // Many yearly amounts are zero; skipping the rescale keeps sums fast.
    if b.is_zero() {
        return Ok(a);
    }
    if a.is_zero() {
        return Ok(b);
    }
    a.checked_add(b).ok_or_else(|| ComputeError::overflow(what))
}

/// `a − b`, or an overflow error naming `what`.
#[inline]
pub(crate) fn sub(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, ComputeError> {
    if b.is_zero() {
        return Ok(a);
    }
    a.checked_sub(b).ok_or_else(|| ComputeError::overflow(what))
}

/// `a × b`, or an overflow error naming `what`.
pub(crate) fn mul(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, ComputeError> {
    a.checked_mul(b).ok_or_else(|| ComputeError::overflow(what))
}

/// `a ÷ b`, or an error naming `what` when `b` is zero or the quotient overflows.
pub(crate) fn div(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, ComputeError> {
    a.checked_div(b).ok_or_else(|| ComputeError::overflow(what))
}

/// `a ÷ b` where `b`, not zero, is `option`'s present value less the
/// baseline's in `of`: a quotient beyond rust_decimal's range means that
/// difference is a tiny fraction of the unit, which [`ComputeError::TinyDivisor`]
/// says (callers treat a zero `b` themselves).
pub(crate) fn ratio(
    a: Decimal,
    b: Decimal,
    what: &'static str,
    option: OptionId,
    of: Difference,
) -> Result<Decimal, ComputeError> {
    a.checked_div(b).ok_or_else(|| ComputeError::TinyDivisor {
        what,
        option,
        of,
        divisor: b,
        context: Vec::new(),
    })
}

/// The sum of `values`, checked.
pub(crate) fn sum(
    values: impl IntoIterator<Item = Decimal>,
    what: &'static str,
) -> Result<Decimal, ComputeError> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| add(acc, v, what))
}

/// `acc[i] += values[i]` for every year, checked.
pub(crate) fn add_into(
    acc: &mut [Decimal],
    values: &[Decimal],
    what: &'static str,
) -> Result<(), ComputeError> {
    for (a, v) in acc.iter_mut().zip(values) {
        *a = add(*a, *v, what)?;
    }
    Ok(())
}

/// `a[i] − b[i]` for every year, checked.
pub(crate) fn sub_each(
    a: &[Decimal],
    b: &[Decimal],
    what: &'static str,
) -> Result<Vec<Decimal>, ComputeError> {
    a.iter().zip(b).map(|(x, y)| sub(*x, *y, what)).collect()
}

/// Σ `values[i] × factors[i]`: a present value when `factors` are discount factors.
pub(crate) fn dot(
    values: &[Decimal],
    factors: &[Decimal],
    what: &'static str,
) -> Result<Decimal, ComputeError> {
    let mut total = Decimal::ZERO;
    for (v, f) in values.iter().zip(factors) {
        total = add(total, mul(*v, *f, what)?, what)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let err = add(Decimal::MAX, Decimal::ONE, "capital costs").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the capital costs would be too large to compute exactly (beyond about 7.9 × 10^28)"
        );
        assert!(mul(Decimal::MAX, dec!(2), "x").is_err());
        assert!(div(Decimal::ONE, Decimal::ZERO, "x").is_err());
        assert_eq!(sum([dec!(1.5), dec!(2.25)], "x").unwrap(), dec!(3.75));
    }
}
