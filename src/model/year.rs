//! UK public-sector fiscal years (1 April to 31 March), written `2025/26`.

use std::fmt;
use std::str::FromStr;

/// A fiscal year, identified by the calendar year it starts in: 2025 is 2025/26.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalYear(u16);

/// The earliest and latest start years accepted; anything else is a typing slip.
const FIRST: u16 = 1900;
const LAST: u16 = 2999;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseYearError {
    #[error("expected a fiscal year like 2025/26, found {0:?}")]
    Format(String),
    #[error("{found:?} is not a fiscal year: the year after {start} is {expected}")]
    NotConsecutive {
        found: String,
        start: u16,
        expected: String,
    },
    #[error("fiscal year {0} is out of range ({FIRST} to {LAST})")]
    Range(u16),
}

impl FiscalYear {
    /// # Errors
    /// When `start` is outside 1900..=2999.
    pub fn new(start: u16) -> Result<Self, ParseYearError> {
        if (FIRST..=LAST).contains(&start) {
            Ok(Self(start))
        } else {
            Err(ParseYearError::Range(start))
        }
    }

    /// The calendar year the fiscal year starts in.
    pub fn start(self) -> u16 {
        self.0
    }

    /// The following fiscal year (saturating at the last one accepted).
    #[must_use]
    pub fn next(self) -> Self {
        Self((self.0 + 1).min(LAST))
    }

    /// The fiscal year `n` years later (saturating).
    #[must_use]
    pub fn plus(self, n: u16) -> Self {
        Self(self.0.saturating_add(n).min(LAST))
    }

    /// Whole years from `base` to `self`; 0 when `self` is not after `base`.
    pub fn periods_since(self, base: FiscalYear) -> u32 {
        u32::from(self.0.saturating_sub(base.0))
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl FromStr for FiscalYear {
    type Err = ParseYearError;

    /// Accepts `2025/26`, `2025-26`, `FY2025/26` and `2025/2026` (any case, trimmed).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let body = text
            .strip_prefix("FY")
            .or_else(|| text.strip_prefix("fy"))
            .or_else(|| text.strip_prefix("Fy"))
            .unwrap_or(text)
            .trim();
        let format_err = || ParseYearError::Format(s.to_string());
        let (start, end) = body.split_once(['/', '-']).ok_or_else(format_err)?;
        let (start, end) = (start.trim(), end.trim());
        if start.len() != 4 || !start.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format_err());
        }
        if !(end.len() == 2 || end.len() == 4) || !end.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format_err());
        }
        let start_n: u16 = start.parse().map_err(|_| format_err())?;
        let end_n: u16 = end.parse().map_err(|_| format_err())?;
        let year = FiscalYear::new(start_n)?;
        let expected_full = start_n + 1;
        let ok = if end.len() == 2 {
            end_n == expected_full % 100
        } else {
            end_n == expected_full
        };
        if !ok {
            return Err(ParseYearError::NotConsecutive {
                found: s.to_string(),
                start: start_n,
                expected: year.to_string(),
            });
        }
        Ok(year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_accepted_spellings() {
        for text in [
            "2025/26",
            "2025-26",
            "FY2025/26",
            "fy2025-26",
            " 2025/2026 ",
        ] {
            assert_eq!(text.parse::<FiscalYear>().unwrap().start(), 2025, "{text}");
        }
    }

    #[test]
    fn writes_the_police_finance_form() {
        assert_eq!(FiscalYear::new(2025).unwrap().to_string(), "2025/26");
        assert_eq!(FiscalYear::new(2099).unwrap().to_string(), "2099/00");
        assert_eq!(FiscalYear::new(2009).unwrap().to_string(), "2009/10");
    }

    #[test]
    fn rejects_years_that_do_not_follow_on() {
        assert!(matches!(
            "2025/27".parse::<FiscalYear>(),
            Err(ParseYearError::NotConsecutive { .. })
        ));
        assert!(matches!(
            "2025".parse::<FiscalYear>(),
            Err(ParseYearError::Format(_))
        ));
        assert!(matches!(
            "Year 1".parse::<FiscalYear>(),
            Err(ParseYearError::Format(_))
        ));
    }

    #[test]
    fn periods_count_from_the_base_year() {
        let base = FiscalYear::new(2025).unwrap();
        assert_eq!(FiscalYear::new(2025).unwrap().periods_since(base), 0);
        assert_eq!(FiscalYear::new(2035).unwrap().periods_since(base), 10);
    }
}
