//! Number formatting shared by ingest's messages and every exporter: finance conventions.
//!
//! Money is shown in the case's unit to its display decimals, rounded half
//! away from zero (the convention of Excel's ROUND and of published finance
//! tables), with thousands separators and negatives in brackets. Rounding
//! here is for display only; computed values are never rounded by it.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds for display: `decimals` places, half away from zero.
pub fn round_display(value: Decimal, decimals: u32) -> Decimal {
    let r = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    // −0.0 after rounding prints as 0.0: a vanishing negative is not a bracketed figure.
    if r.is_zero() {
        Decimal::ZERO.round_dp(decimals) + r.abs()
    } else {
        r
    }
}

/// `1234567.891` at 1 place → `1,234,567.9`; `-5.2` → `(5.2)`.
pub fn money(value: Decimal, decimals: u32) -> String {
    let r = round_display(value, decimals);
    let body = group_thousands(&format_fixed(r.abs(), decimals));
    if r.is_sign_negative() && !r.is_zero() {
        format!("({body})")
    } else {
        body
    }
}

/// A fraction as a percentage: `0.035` → `3.5%`, trailing zeros dropped, at most `max_decimals` places.
///
/// Rounded half away from zero at `max_decimals + 2` places of the fraction
/// (the same as rounding the percentage at `max_decimals`), then the decimal
/// point is moved two places in the text: no multiplication, so any `Decimal`
/// prints, even one whose hundredfold is beyond rust_decimal's range.
pub fn percent(value: Decimal, max_decimals: u32) -> String {
    let places = max_decimals.saturating_add(2).min(28);
    let r = value
        .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let text = r.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let whole = format!("{int}{moved}");
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let rest = rest.trim_end_matches('0');
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    if rest.is_empty() {
        format!("{sign}{whole}%")
    } else {
        format!("{sign}{whole}.{rest}%")
    }
}

/// A number as a message quotes it: exactly as typed up to 15 digits
/// (`5.0000001`, `-0.25`), in scientific notation beyond (`1e27`, not 28
/// digits), so a refused value is recognisable and never a wall of digits.
pub fn shown(value: Decimal) -> String {
    let v = value.normalize();
    if v.abs() < Decimal::from(1_000_000_000_000_000_i64) {
        return v.to_string();
    }
    // At least 16 whole digits: the fraction, if any, is far below what is shown.
    let digits = v.abs().trunc().to_string();
    let exponent = digits.len() - 1;
    let (first, rest) = digits.split_at(1);
    let rest: String = rest.chars().take(14).collect();
    let rest = rest.trim_end_matches('0');
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if rest.is_empty() {
        format!("{sign}{first}e{exponent}")
    } else {
        format!("{sign}{first}.{rest}e{exponent}")
    }
}

/// A fraction as a percentage with every place it has (`5.0000001` →
/// `500.00001%`), so that a value just past a bound is never rounded onto
/// it; fractions of 10^13 or more are shown as numbers ([`shown`]).
pub fn percent_exact(value: Decimal) -> String {
    if value.abs() >= Decimal::from(10_000_000_000_000_i64) {
        return shown(value);
    }
    percent(value, value.normalize().scale().saturating_sub(2))
}

/// A finite `f64` that is no `Decimal` (beyond about 7.9 × 10^28), as a
/// message quotes it: `1e308`, never 309 digits.
pub fn shown_f64(value: f64) -> String {
    format!("{value:e}")
}

/// A decimal to exactly `places` places, half away from zero (discount factors, shares).
pub fn fixed(value: Decimal, places: u32) -> String {
    let r = round_display(value, places);
    if r.is_sign_negative() && !r.is_zero() {
        format!("-{}", format_fixed(r.abs(), places))
    } else {
        format_fixed(r.abs(), places)
    }
}

/// True when the displayed parts add up to the displayed total, as a reader
/// checking the table with a calculator would find.
///
/// Parts whose displayed sum is beyond rust_decimal's range do not foot.
pub fn foots(parts: &[Decimal], total: Decimal, decimals: u32) -> bool {
    parts
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| {
            acc.checked_add(round_display(*p, decimals))
        })
        .is_some_and(|sum| sum == round_display(total, decimals))
}

/// How money is shown: converted from the unit the workbook is entered in
/// to the unit the documents and terminal tables show (case.toml
/// `display_unit`), then rounded to `decimals` places. Every figure the
/// document and the terminal tables print goes through one `Shown`, so the
/// conversion happens in this one place; JSON and the model workbook stay in
/// the entered unit and do not use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// The unit amounts are computed in (the workbook's).
    pub entered: crate::model::Unit,
    /// The unit they are shown in.
    pub unit: crate::model::Unit,
    /// Display decimals in `unit`.
    pub decimals: u32,
}

impl Shown {
    /// Shown as entered, to `decimals` places: no conversion.
    pub fn entered(unit: crate::model::Unit, decimals: u32) -> Self {
        Self {
            entered: unit,
            unit,
            decimals,
        }
    }

    /// How `case` shows money: its `display_unit` (else the workbook's
    /// unit) and its display decimals.
    pub fn of(case: &crate::model::Case) -> Self {
        Self {
            entered: case.assumptions.unit.value,
            unit: case.display_unit(),
            decimals: case.display_decimals(),
        }
    }

    /// The unit as written in outputs: `£`, `£k`, `£m`.
    pub fn label(self) -> &'static str {
        self.unit.label()
    }

    /// `value`, in the entered unit, converted to the shown unit: an exact
    /// scaling by a power of 1,000. Dividing moves the decimal point (exact
    /// while the result keeps within rust_decimal's 28 places; beyond them
    /// the value is first rounded at 28 places, far below any displayed
    /// digit); multiplying saturates at rust_decimal's range, which the
    /// bounds on every amount (below 10^15) keep far away.
    pub fn value(self, value: Decimal) -> Decimal {
        let thousands = |u: crate::model::Unit| match u {
            crate::model::Unit::Pounds => 0_i32,
            crate::model::Unit::Thousands => 1,
            crate::model::Unit::Millions => 2,
        };
        let shift = thousands(self.unit) - thousands(self.entered);
        let places = 3 * shift.unsigned_abs();
        match shift.cmp(&0) {
            std::cmp::Ordering::Greater => {
                // A larger unit: fewer of them, the point moves left.
                let keep = 28 - places;
                let mut v = if value.scale() > keep {
                    value.round_dp_with_strategy(keep, RoundingStrategy::MidpointAwayFromZero)
                } else {
                    value
                };
                let _ = v.set_scale(v.scale() + places);
                v
            }
            std::cmp::Ordering::Less => {
                let factor = Decimal::from(10_i64.pow(places));
                value
                    .checked_mul(factor)
                    .unwrap_or(if value.is_sign_negative() {
                        Decimal::MIN
                    } else {
                        Decimal::MAX
                    })
            }
            std::cmp::Ordering::Equal => value,
        }
    }

    /// An amount in the entered unit as a figure in the shown unit: [`money`]
    /// of its converted value.
    pub fn money(self, value: Decimal) -> String {
        money(self.value(value), self.decimals)
    }

    /// [`round_display`] of the converted value: the figure as a table shows it.
    pub fn rounded(self, value: Decimal) -> Decimal {
        round_display(self.value(value), self.decimals)
    }

    /// [`foots`] of the converted parts and total, as the reader sees them.
    pub fn foots(self, parts: &[Decimal], total: Decimal) -> bool {
        let parts: Vec<Decimal> = parts.iter().map(|p| self.value(*p)).collect();
        foots(&parts, self.value(total), self.decimals)
    }
}

fn format_fixed(value: Decimal, places: u32) -> String {
    let mut v = value;
    v.rescale(places);
    v.to_string()
}

fn group_thousands(text: &str) -> String {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::with_capacity(text.len() + digits.len() / 3);
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn money_uses_brackets_and_separators() {
        assert_eq!(money(dec!(1234567.891), 1), "1,234,567.9");
        assert_eq!(money(dec!(-5.2), 1), "(5.2)");
        assert_eq!(money(dec!(-0.04), 1), "0.0");
        assert_eq!(money(dec!(0.05), 1), "0.1");
        assert_eq!(money(dec!(-0.05), 1), "(0.1)");
        assert_eq!(money(dec!(999.5), 0), "1,000");
        assert_eq!(money(dec!(100), 0), "100");
        assert_eq!(money(dec!(-1234), 2), "(1,234.00)");
    }

    #[test]
    fn shown_numbers_are_short_and_exact() {
        assert_eq!(shown(dec!(5.0000001)), "5.0000001");
        assert_eq!(shown(dec!(1e27)), "1e27");
        assert_eq!(shown(dec!(-1.5e20)), "-1.5e20");
        assert_eq!(
            shown(dec!(79_000_000_000_000_000_000_000_000_000)),
            "7.9e28"
        );
        assert_eq!(shown(dec!(999_999_999_999_999)), "999999999999999");
        assert_eq!(percent_exact(dec!(5.0000001)), "500.00001%");
        assert_eq!(percent_exact(dec!(0.035)), "3.5%");
        assert_eq!(percent_exact(dec!(-1e27)), "-1e27");
        assert_eq!(shown_f64(1e308), "1e308");
    }

    #[test]
    fn percent_drops_trailing_zeros() {
        assert_eq!(percent(dec!(0.035), 2), "3.5%");
        assert_eq!(percent(dec!(2.00), 2), "200%");
        assert_eq!(percent(dec!(0.0129), 2), "1.29%");
        assert_eq!(percent(dec!(-0.5), 2), "-50%");
        assert_eq!(percent(dec!(0.123456), 2), "12.35%");
        assert_eq!(percent(dec!(-0.00004), 2), "0%");
        assert_eq!(percent(Decimal::ZERO, 4), "0%");
    }

    #[test]
    fn percent_of_any_decimal_prints_without_overflow() {
        assert_eq!(percent(dec!(-1e27), 4), "-100000000000000000000000000000%");
        assert_eq!(percent(Decimal::MAX, 2), "7922816251426433759354395033500%");
        assert_eq!(percent(dec!(1e-28), 4), "0%");
    }

    #[test]
    fn fixed_places_for_factors() {
        assert_eq!(fixed(dec!(0.96618357), 4), "0.9662");
        assert_eq!(fixed(dec!(1), 4), "1.0000");
    }

    #[test]
    fn shown_converts_exactly_by_powers_of_a_thousand() {
        use crate::model::Unit;
        let k_to_m = Shown {
            entered: Unit::Thousands,
            unit: Unit::Millions,
            decimals: 1,
        };
        assert_eq!(k_to_m.value(dec!(12345.67)), dec!(12.34567));
        assert_eq!(k_to_m.money(dec!(12345.67)), "12.3");
        assert_eq!(k_to_m.money(dec!(-1250)), "(1.3)");
        let p_to_m = Shown {
            entered: Unit::Pounds,
            unit: Unit::Millions,
            decimals: 2,
        };
        assert_eq!(p_to_m.value(dec!(4_105_000)), dec!(4.105));
        assert_eq!(p_to_m.money(dec!(4_105_000)), "4.11");
        let m_to_p = Shown {
            entered: Unit::Millions,
            unit: Unit::Pounds,
            decimals: 0,
        };
        assert_eq!(m_to_p.value(dec!(1.234567)), dec!(1234567));
        assert_eq!(m_to_p.value(Decimal::MAX), Decimal::MAX);
        // 28 places of a pound in £m: rounded at 28 places, not panicking.
        let tiny = Decimal::new(1, 28);
        assert_eq!(p_to_m.value(tiny), Decimal::ZERO);
        let same = Shown::entered(Unit::Thousands, 0);
        assert_eq!(same.value(dec!(1.5)), dec!(1.5));
        // Footing is judged on the converted figures: 0.4 + 0.4 = 0.8 in £m
        // shows as 0 + 0 against 1 at no places.
        let whole_m = Shown {
            decimals: 0,
            ..k_to_m
        };
        assert!(!whole_m.foots(&[dec!(400), dec!(400)], dec!(800)));
        assert!(k_to_m.foots(&[dec!(400), dec!(400)], dec!(800)));
    }

    #[test]
    fn footing_is_judged_on_displayed_figures() {
        // 0.04 + 0.04 + 0.04 = 0.12: shows as 0.0 + 0.0 + 0.0 against 0.1.
        assert!(!foots(&[dec!(0.04), dec!(0.04), dec!(0.04)], dec!(0.12), 1));
        assert!(foots(&[dec!(7.4), dec!(-5.2), dec!(-2.2)], dec!(0), 1));
        // A displayed sum beyond exact decimals does not foot, and does not panic.
        assert!(!foots(&[Decimal::MAX, Decimal::MAX], Decimal::MAX, 0));
    }
}
