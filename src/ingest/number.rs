//! Numbers from the workbook, read exactly.
//!
//! calamine hands every numeric cell over as an `f64`: the text the user typed
//! is gone. The one conversion to [`Decimal`] lives here and goes through the
//! shortest text that round-trips the `f64` (Rust's `Display`), so a cell typed
//! as 0.1 becomes the decimal 0.1, never 0.1000000000000000055511151231257827.
//! Nothing is rounded on the way in. Text cells that hold numbers are read by
//! [`parse_text`], whose accepted spellings are documented in docs/workbook.md.

use std::str::FromStr;

use rust_decimal::Decimal;

/// The largest magnitude accepted for an amount, exclusive: 10^15 in the case's unit.
///
/// It keeps every sum, uplift and inflation factor the engine computes within
/// `Decimal`'s range (about 7.9 × 10^28): see [`crate::schema::bounds`].
pub const AMOUNT_LIMIT: Decimal = crate::schema::bounds::MONEY.high;

/// The exact decimal a spreadsheet number stands for: the shortest decimal text
/// that round-trips `f`, parsed as a [`Decimal`].
///
/// Returns `None` for NaN, infinities and values outside `Decimal`'s range.
/// A value with more than 28 decimal places (far below a penny) is rounded by
/// `Decimal`'s parser to 28 places.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if let Some(d) = short_decimal(f) {
        return Some(d);
    }
    let text = f.to_string();
    Decimal::from_str(&text).ok()
}

/// Powers of ten exactly representable as `f64`, for [`short_decimal`].
const POW10: [f64; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/// The fast path of [`decimal_from_f64`] for the numbers workbooks hold:
/// `m / 10^k` with at most 15 significant digits and at most 10 places.
///
/// Such a decimal is the shortest text that round-trips `f` (the same result
/// as the text path, far cheaper): any decimal of at most 15 significant
/// digits survives a round trip through an `f64`, two decimals that far apart
/// can never round to the same `f64`, and trying `k = 0, 1, 2, ...` in turn
/// finds the one with the fewest digits first.
fn short_decimal(f: f64) -> Option<Decimal> {
    const MAX_MANTISSA: f64 = 1e15;
    // NaN would pass the round trip below (NaN / 1 keeps its bits) and
    // come out as zero; callers exclude it, but the function stands alone.
    if !f.is_finite() {
        return None;
    }
    for (k, pow) in POW10.iter().enumerate() {
        let scaled = (f * pow).round();
        if scaled.abs() >= MAX_MANTISSA {
            return None;
        }
        if (scaled / pow).to_bits() == f.to_bits() {
            // |scaled| < 10^15: the conversion to i64 is exact.
            #[allow(
                clippy::cast_possible_truncation,
                reason = "an integral value below 10^15"
            )]
            let m = scaled as i64;
            return Some(Decimal::new(m, u32::try_from(k).ok()?));
        }
    }
    None
}

/// Reads a number typed as text, as a finance lead would write it.
///
/// Accepted: surrounding spaces, a leading `£`, thousands separators
/// (`1,234,567.89`), a leading `-` or `+`, brackets for negatives (`(5.2)`),
/// and, where `percent` is true, a trailing `%` (`3.5%` is 0.035).
/// Refused: unit suffixes (`£1.2m`, `250k`), since the workbook's unit is set
/// once on the Assumptions sheet, and anything else that is not a number.
///
/// # Errors
/// A message `expected a number, found "TEXT"` (with the percentage spelling
/// where `percent` is true), for the caller to place at its cell.
pub fn parse_text(text: &str, percent: bool) -> Result<Decimal, String> {
    let fail = || {
        if percent {
            format!("expected a number or a percentage, found {text:?}")
        } else {
            format!("expected a number, found {text:?}")
        }
    };
    let mut s = text.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_prefix('£') {
        s = rest.trim_start();
    }
    if let Some(rest) = s.strip_prefix('-') {
        // "£-5" and "-£5" both occur.
        negative = !negative;
        s = rest.trim_start();
    }
    let mut is_percent = false;
    if let Some(rest) = s.strip_suffix('%') {
        if !percent {
            return Err(fail());
        }
        is_percent = true;
        s = rest.trim_end();
    }
    if s.is_empty() || !valid_grouping(s) {
        return Err(fail());
    }
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || digits.bytes().filter(|b| *b == b'.').count() > 1
        || !digits.bytes().any(|b| b.is_ascii_digit())
    {
        return Err(fail());
    }
    let mut value = Decimal::from_str(&digits).map_err(|_| {
        let whole = digits
            .split('.')
            .next()
            .unwrap_or("")
            .trim_start_matches('0');
        if whole.len() > 28 {
            format!(
                "the number of {} digits is too large: fivecase reads numbers below about 7.9e28",
                whole.len()
            )
        } else {
            fail()
        }
    })?;
    if is_percent {
        value = value.checked_div(Decimal::ONE_HUNDRED).ok_or_else(fail)?;
    }
    if negative {
        value = -value;
    }
    Ok(value)
}

/// Commas may only separate groups of three digits in the whole-number part.
fn valid_grouping(s: &str) -> bool {
    if !s.contains(',') {
        return true;
    }
    let int = s.split('.').next().unwrap_or("");
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 {
        return false;
    }
    groups.all(|g| g.len() == 3) && !s.split('.').skip(1).any(|f| f.contains(','))
}

/// A fraction as a percentage for hints: 3.5 → `3.5%`.
pub fn as_percent_text(value: Decimal) -> String {
    format!("{}%", value.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn converts_through_shortest_text() {
        assert_eq!(decimal_from_f64(0.1), Some(dec!(0.1)));
        assert_eq!(decimal_from_f64(0.1 + 0.2), Some(dec!(0.30000000000000004)));
        assert_eq!(decimal_from_f64(-1234.56), Some(dec!(-1234.56)));
        assert_eq!(decimal_from_f64(f64::NAN), None);
        assert_eq!(decimal_from_f64(f64::INFINITY), None);
        assert_eq!(decimal_from_f64(1e300), None);
        assert_eq!(short_decimal(f64::NAN), None);
        assert_eq!(short_decimal(f64::INFINITY), None);
    }

    proptest::proptest! {
        /// The fast path agrees with the shortest round-trip text wherever it answers.
        #[test]
        fn fast_path_matches_the_text_path(bits in proptest::prelude::any::<u64>(), pence in -10_000_000_000_000_i64..10_000_000_000_000, places in 0_u32..9) {
            for f in [f64::from_bits(bits), Decimal::new(pence, places).to_string().parse::<f64>().unwrap()] {
                if let Some(fast) = short_decimal(f) {
                    let text = Decimal::from_str(&f.to_string()).unwrap();
                    proptest::prop_assert_eq!(fast, text, "{}", f);
                    if !fast.is_zero() {
                        // Same digits and scale, not only the same value.
                        proptest::prop_assert_eq!(fast.to_string(), text.to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn amount_limit_is_ten_to_the_fifteen() {
        assert_eq!(AMOUNT_LIMIT, dec!(1_000_000_000_000_000));
    }

    #[test]
    fn reads_finance_spellings() {
        assert_eq!(parse_text(" 1,234.5 ", false), Ok(dec!(1234.5)));
        assert_eq!(parse_text("(5.2)", false), Ok(dec!(-5.2)));
        assert_eq!(parse_text("£1,000", false), Ok(dec!(1000)));
        assert_eq!(parse_text("-£3", false), Ok(dec!(-3)));
        assert_eq!(parse_text("3.5%", true), Ok(dec!(0.035)));
        assert_eq!(
            parse_text("tbc", false),
            Err("expected a number, found \"tbc\"".to_string())
        );
        assert!(parse_text("£1.2m", false).is_err());
        assert!(parse_text("3.5%", false).is_err());
        assert!(parse_text("1,23", false).is_err());
        assert!(parse_text("1.2.3", false).is_err());
        assert!(parse_text("", false).is_err());
        assert!(parse_text("-", false).is_err());
    }
}
