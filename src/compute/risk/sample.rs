//! The risk analysis's random draws, and the one place a draw becomes a
//! `Decimal`.
//!
//! Iteration `i` of a run with seed `s` draws from its own ChaCha8 stream:
//! key = `s` as 8 little-endian bytes followed by zeros, stream number `i`
//! (rand_chacha 0.9). So iteration `i` draws the same numbers whatever the
//! number of threads, the order iterations run in, or the machine. A draw
//! is the top 53 bits of one 64-bit output: an integer `k` in [0, 2^53),
//! the uniform u = k / 2^53.
//!
//! The transforms are integer arithmetic only (no floating point, no
//! platform maths library): a triangular quantile uses the exact integer
//! square root of `u128`, and the result, a position x in [0, 1] within the
//! range, is rounded half up to [`PLACES`] decimal places before it becomes
//! a `Decimal`. This module is allowed `f64` by tests/it/architecture.rs,
//! as the one place in compute a draw may pass through something other
//! than `Decimal`; it does not need it.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rust_decimal::Decimal;

use crate::model::Distribution;

/// The resolution of a draw: u = k / 2^53.
pub const BITS: u32 = 53;
const ONE: u64 = 1 << BITS;

/// Decimal places of a drawn position x (and so of a multiplier's or an
/// impact's fraction of its range).
pub const PLACES: u32 = 15;

/// The draws of one iteration.
#[derive(Debug, Clone)]
pub struct Stream(ChaCha8Rng);

impl Stream {
    /// Iteration `i`'s stream of the run seeded `seed`.
    pub fn new(seed: u64, i: u64) -> Self {
        let mut key = [0_u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(i);
        Self(rng)
    }

    /// The next draw: k in [0, 2^53).
    pub fn draw(&mut self) -> u64 {
        self.0.next_u64() >> (64 - BITS)
    }
}

/// A probability as the threshold of a draw: an event of probability `p`
/// happens when k < ⌈p × 2^53⌉ (p = 0: never; p = 1: always).
pub fn threshold(p: Decimal) -> u64 {
    let p = p.clamp(Decimal::ZERO, Decimal::ONE);
    let scaled = (p * Decimal::from(ONE)).ceil();
    u64::try_from(scaled.mantissa() / 10_i128.pow(scaled.scale())).unwrap_or(ONE)
}

/// The shape of a range: where its most likely value sits, as a position
/// in [0, 1] scaled to 2^53, and the distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    mode: u64,
    distribution: Distribution,
}

impl Shape {
    /// A range over [low, high] most likely at `mode` (low ≤ mode ≤ high,
    /// low < high); the mode's position is rounded to 2^-53.
    pub fn new(low: Decimal, mode: Decimal, high: Decimal, distribution: Distribution) -> Self {
        let width = high - low;
        let c = if width > Decimal::ZERO {
            ((mode - low) / width).clamp(Decimal::ZERO, Decimal::ONE)
        } else {
            Decimal::ZERO
        };
        let scaled = (c * Decimal::from(ONE)).round();
        let mode = u64::try_from(scaled.mantissa() / 10_i128.pow(scaled.scale())).unwrap_or(ONE);
        Self {
            mode: mode.min(ONE),
            distribution,
        }
    }

    /// The position x in [0, 1] of draw `k` within the range, to [`PLACES`]
    /// places: the quantile of u = k / 2^53.
    ///
    /// Triangular with mode c: x = √(u·c) for u < c, else 1 − √((1 − u)(1 − c)).
    pub fn position(self, k: u64) -> Decimal {
        let k = k.min(ONE - 1);
        let scaled = match self.distribution {
            Distribution::Uniform => u128::from(k),
            Distribution::Triangular => {
                let c = u128::from(self.mode);
                let k = u128::from(k);
                let one = u128::from(ONE);
                if k < c {
                    (k * c).isqrt()
                } else {
                    one - ((one - k) * (one - c)).isqrt()
                }
            }
        };
        // x = scaled / 2^53, rounded half up to PLACES places.
        let places = 10_u128.pow(PLACES);
        let x = (scaled * places + (1_u128 << (BITS - 1))) >> BITS;
        Decimal::from_i128_with_scale(i128::try_from(x).unwrap_or(0), PLACES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn streams_are_fixed_by_seed_and_iteration() {
        let a: Vec<u64> = (0..3).map(|_| Stream::new(7, 5).draw()).collect();
        assert!(a.iter().all(|x| *x == a[0]));
        let mut s = Stream::new(7, 5);
        let first = s.draw();
        assert_ne!(first, s.draw());
        assert_ne!(Stream::new(7, 6).draw(), first);
        assert_ne!(Stream::new(8, 5).draw(), first);
        assert!(first < ONE);
        // Pinned: a change of generator or of derivation would change every
        // published result, so it must show up here.
        assert_eq!(Stream::new(1, 0).draw(), 3_436_151_158_611_243);
    }

    #[test]
    fn thresholds_make_probabilities() {
        assert_eq!(threshold(Decimal::ZERO), 0);
        assert_eq!(threshold(Decimal::ONE), ONE);
        assert_eq!(threshold(dec!(0.5)), ONE / 2);
        // Every draw is below 2^53: probability 1 always happens.
        assert!(ONE - 1 < threshold(Decimal::ONE));
    }

    #[test]
    fn positions_are_quantiles() {
        let tri = Shape::new(dec!(-0.1), dec!(0), dec!(0.3), Distribution::Triangular);
        assert_eq!(tri.position(0), Decimal::ZERO);
        assert!(tri.position(ONE - 1) > dec!(0.99999999));
        // At u = c the quantile is the mode: c = 0.25.
        assert_eq!(tri.position(ONE / 4), dec!(0.25));
        let uni = Shape::new(dec!(0), dec!(0), dec!(1), Distribution::Uniform);
        assert_eq!(uni.position(ONE / 2), dec!(0.5));
        // Monotone: quantiles never decrease with the draw.
        let mut last = Decimal::ZERO;
        for i in 0..1000_u64 {
            let x = tri.position(i * (ONE / 1000));
            assert!(x >= last);
            last = x;
        }
        // A mode at either end is a right-angled triangle.
        let left = Shape::new(dec!(0), dec!(0), dec!(1), Distribution::Triangular);
        assert_eq!(left.position(ONE / 4), dec!(1) - dec!(0.866025403784439));
    }
}
