//! The one place the model workbook turns a `Decimal` into an `f64`: xlsx
//! stores every number as an IEEE double, so the workbook boundary is where
//! exactness must end.
//!
//! The conversion goes through the decimal's text and Rust's correctly
//! rounded parser, so the double written is the one nearest the exact value.
//! A value typed as a short decimal (money, rates) therefore reads back
//! through the shortest round-trip text as exactly the decimal written,
//! which is what makes the export a faithful input workbook.

use rust_decimal::Decimal;

use crate::render::workbook;

/// The double nearest `value`, for writing to a cell: the same conversion
/// as the input sheets' ([`workbook::excel_number`]), so the workbook has
/// one rule for its numbers.
pub(super) fn to_cell(value: Decimal) -> f64 {
    // Every Decimal is far inside f64's range, so the conversion never
    // fails; the fallback only keeps this free of a panic path.
    workbook::excel_number(value).unwrap_or(0.0)
}

/// The text of a formula's cached numeric result: the shortest text that
/// reads back as the same double.
pub(super) fn cached_text(value: Decimal) -> String {
    let f = to_cell(value);
    if f == 0.0 {
        // -0 would print as "-0"; a vanishing amount is shown as zero.
        "0".to_string()
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;
    use std::str::FromStr;

    #[test]
    fn short_decimals_round_trip_through_the_cell() {
        for d in [
            dec!(0.1),
            dec!(1234567.89),
            dec!(-0.00000001),
            dec!(0.035),
            dec!(99999999.99),
        ] {
            let back = Decimal::from_str(&to_cell(d).to_string()).unwrap();
            assert_eq!(back, d);
        }
    }

    #[test]
    fn long_decimals_land_on_the_nearest_double() {
        let df = Decimal::from_str("0.7089188136847754266025528117").unwrap();
        assert!((to_cell(df) - 0.708_918_813_684_775_4).abs() < 1e-16);
        assert_eq!(cached_text(dec!(-0.0)), "0");
        assert_eq!(cached_text(dec!(2.5)), "2.5");
    }
}
