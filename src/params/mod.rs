//! Green Book parameter tables, versioned by edition, each with its source.
//!
//! These are data, not constants scattered through the code: a case names
//! its edition (case.toml `green_book_edition`), every output says which it
//! used, and a future change to the method is a new table here, not an edit
//! to an old one.

pub mod stages;

use rust_decimal::Decimal;
use rust_decimal::dec;

use crate::model::{Edition, ObCategory};

/// One band of the Social Time Preference Rate schedule: `rate` applies to
/// years `from..=to` (`to = None`: every later year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StprBand {
    pub from: u32,
    pub to: Option<u32>,
    pub rate: Decimal,
}

/// The discounting parameters of one Green Book edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscountSchedule {
    pub edition: Edition,
    pub bands: &'static [StprBand],
    pub source: &'static str,
}

impl DiscountSchedule {
    /// The rate for year `t` (t ≥ 1): the band `t` falls in.
    pub fn rate_for_year(&self, t: u32) -> Decimal {
        self.bands
            .iter()
            .find(|b| t >= b.from && b.to.is_none_or(|to| t <= to))
            .map_or(Decimal::ZERO, |b| b.rate)
    }
}

/// The standard STPR schedule: unchanged between the 2022 and 2026 editions.
const STANDARD_STPR: &[StprBand] = &[
    StprBand {
        from: 0,
        to: Some(30),
        rate: dec!(0.035),
    },
    StprBand {
        from: 31,
        to: Some(75),
        rate: dec!(0.030),
    },
    StprBand {
        from: 76,
        to: Some(125),
        rate: dec!(0.025),
    },
    StprBand {
        from: 126,
        to: Some(200),
        rate: dec!(0.020),
    },
    StprBand {
        from: 201,
        to: Some(300),
        rate: dec!(0.015),
    },
    StprBand {
        from: 301,
        to: None,
        rate: dec!(0.010),
    },
];

/// The discount schedule of `edition`.
pub fn discount_schedule(edition: Edition) -> DiscountSchedule {
    match edition {
        Edition::Gb2022 => DiscountSchedule {
            edition,
            bands: STANDARD_STPR,
            source: "HM Treasury, The Green Book (2022, updated 2023), Annex A6, Table 8: standard STPR schedule",
        },
        Edition::Gb2026 => DiscountSchedule {
            edition,
            bands: STANDARD_STPR,
            source: "HM Treasury, The Green Book (2026), chapter 6: standard STPR schedule",
        },
    }
}

/// Upper and lower bounds (fractions) of one optimism-bias measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObBounds {
    pub upper: Decimal,
    pub lower: Decimal,
}

/// One row of the optimism-bias table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObRow {
    pub category: ObCategory,
    /// The name as written in the table (and accepted in the workbook).
    pub name: &'static str,
    pub works_duration: Option<ObBounds>,
    pub capital: Option<ObBounds>,
    /// Operating expenditure: only outsourcing has bounds.
    pub operating: Option<ObBounds>,
}

/// The optimism-bias table of one edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObTable {
    pub edition: Edition,
    pub rows: &'static [ObRow],
    pub source: &'static str,
}

impl ObTable {
    pub fn row(&self, category: ObCategory) -> Option<&ObRow> {
        self.rows.iter().find(|r| r.category == category)
    }

    /// The category whose name matches `text` (case, spaces, `/` `-` `and` ignored).
    pub fn find(&self, text: &str) -> Option<&ObRow> {
        let key = normalise(text);
        self.rows.iter().find(|r| normalise(r.name) == key)
    }

    /// The names of every category, for messages.
    pub fn names(&self) -> Vec<&'static str> {
        self.rows.iter().map(|r| r.name).collect()
    }
}

fn normalise(text: &str) -> String {
    crate::names::category_key(text)
}

/// Table cells that have bounds (`None` marks a blank cell of the table).
#[allow(
    clippy::unnecessary_wraps,
    reason = "reads as the table's filled cells beside the blank ones"
)]
const fn bounds(upper: Decimal, lower: Decimal) -> Option<ObBounds> {
    Some(ObBounds { upper, lower })
}

/// Mott MacDonald (2002), as adopted in the Green Book supplementary guidance on optimism bias.
const MOTT_MACDONALD_2002: &[ObRow] = &[
    ObRow {
        category: ObCategory::StandardBuildings,
        name: "Standard buildings",
        works_duration: bounds(dec!(0.04), dec!(0.01)),
        capital: bounds(dec!(0.24), dec!(0.02)),
        operating: None,
    },
    ObRow {
        category: ObCategory::NonStandardBuildings,
        name: "Non-standard buildings",
        works_duration: bounds(dec!(0.39), dec!(0.02)),
        capital: bounds(dec!(0.51), dec!(0.04)),
        operating: None,
    },
    ObRow {
        category: ObCategory::StandardCivilEngineering,
        name: "Standard civil engineering",
        works_duration: bounds(dec!(0.20), dec!(0.01)),
        capital: bounds(dec!(0.44), dec!(0.03)),
        operating: None,
    },
    ObRow {
        category: ObCategory::NonStandardCivilEngineering,
        name: "Non-standard civil engineering",
        works_duration: bounds(dec!(0.25), dec!(0.03)),
        capital: bounds(dec!(0.66), dec!(0.06)),
        operating: None,
    },
    ObRow {
        category: ObCategory::EquipmentDevelopment,
        name: "Equipment/development",
        works_duration: bounds(dec!(0.54), dec!(0.10)),
        capital: bounds(dec!(2.00), dec!(0.10)),
        operating: None,
    },
    ObRow {
        category: ObCategory::Outsourcing,
        name: "Outsourcing",
        works_duration: None,
        capital: None,
        operating: bounds(dec!(0.41), dec!(0.00)),
    },
];

/// The optimism-bias table of `edition` (the same study underlies both editions).
pub fn optimism_bias_table(edition: Edition) -> ObTable {
    ObTable {
        edition,
        rows: MOTT_MACDONALD_2002,
        source: "Mott MacDonald (2002), Review of Large Public Procurement in the UK, as adopted in HM Treasury's Green Book supplementary guidance: optimism bias",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_step_at_31_and_76() {
        let s = discount_schedule(Edition::CURRENT);
        assert_eq!(s.rate_for_year(1), dec!(0.035));
        assert_eq!(s.rate_for_year(30), dec!(0.035));
        assert_eq!(s.rate_for_year(31), dec!(0.03));
        assert_eq!(s.rate_for_year(75), dec!(0.03));
        assert_eq!(s.rate_for_year(76), dec!(0.025));
        assert_eq!(s.rate_for_year(301), dec!(0.01));
        assert_eq!(s.rate_for_year(10_000), dec!(0.01));
    }

    #[test]
    fn finds_categories_by_loose_name() {
        let t = optimism_bias_table(Edition::CURRENT);
        for text in [
            "Equipment/development",
            "equipment and development",
            "EQUIPMENT / DEVELOPMENT",
        ] {
            assert_eq!(
                t.find(text).unwrap().category,
                ObCategory::EquipmentDevelopment,
                "{text}"
            );
        }
        assert_eq!(
            t.find("non standard buildings").unwrap().category,
            ObCategory::NonStandardBuildings
        );
        assert!(t.find("software").is_none());
    }
}
