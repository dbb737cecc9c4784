//! Prioritisation: criterion scores, tiers and the ranking (docs/methodology.md,
//! "Programme prioritisation").
//!
//! Pure and exact. A case meets a criterion's minimum m when
//! Σ weight × score ≥ m × Σ weight: no division, so a weighted mean that is
//! exactly on a threshold meets it. The weighted mean is computed only for
//! display. Combined scores are compared by cross-multiplying.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::file::{Criterion, SubCriterion, Tier};

pub use super::file::UNRANKED;

/// One criterion's weighted score: Σ weight × score over its sub-criteria and Σ weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub weighted: Decimal,
    pub weights: Decimal,
}

impl Score {
    /// True when the weighted mean is at least `min`, compared exactly.
    pub fn meets(self, min: Decimal) -> bool {
        self.weighted >= min * self.weights
    }

    /// The weighted mean, for display only, to 2 places, half away from zero.
    pub fn mean(self) -> Decimal {
        self.weighted
            .checked_div(self.weights)
            .unwrap_or_default()
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    }

    fn plus(self, other: Score) -> Score {
        Score {
            weighted: self.weighted + other.weighted,
            weights: self.weights + other.weights,
        }
    }
}

/// A scored case's criterion scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scores {
    pub strategic: Score,
    pub practicality: Score,
}

impl Scores {
    /// Both criteria together: Σ over every sub-criterion of weight × score, and Σ weight.
    pub fn combined(self) -> Score {
        self.strategic.plus(self.practicality)
    }
}

/// The criterion scores of `scores` (aligned with `criteria`); `None` when
/// the case is not scored.
///
/// Weights are at most 1,000,000, scores at most 5 and sub-criteria at most
/// 50 per criterion (portfolio.toml's limits), so the sums cannot overflow.
pub fn score(criteria: &[SubCriterion], scores: &[u8]) -> Option<Scores> {
    if scores.is_empty() || scores.len() != criteria.len() {
        return None;
    }
    let mut out = Scores {
        strategic: Score {
            weighted: Decimal::ZERO,
            weights: Decimal::ZERO,
        },
        practicality: Score {
            weighted: Decimal::ZERO,
            weights: Decimal::ZERO,
        },
    };
    for (c, s) in criteria.iter().zip(scores) {
        let slot = match c.criterion {
            Criterion::Strategic => &mut out.strategic,
            Criterion::Practicality => &mut out.practicality,
        };
        slot.weighted += c.weight * Decimal::from(*s);
        slot.weights += c.weight;
    }
    Some(out)
}

/// Where a case stands among the tiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// The index of the `[[tier]]` (the first whose minimums it meets, or the override).
    Tier(usize),
    /// Meets no tier, with the reason.
    Unranked(String),
}

impl Placement {
    /// The position in the ranking's tier order: tiers as written, Unranked last.
    pub fn order(&self, tiers: usize) -> usize {
        match self {
            Placement::Tier(i) => *i,
            Placement::Unranked(_) => tiers,
        }
    }

    /// The tier's name.
    pub fn name<'a>(&self, tiers: &'a [Tier]) -> &'a str {
        match self {
            Placement::Tier(i) => tiers.get(*i).map_or(UNRANKED, |t| t.name.as_str()),
            Placement::Unranked(_) => UNRANKED,
        }
    }
}

/// The first tier, in the order written, whose minimums the scores meet.
pub fn place(tiers: &[Tier], scores: Option<Scores>) -> Placement {
    let Some(s) = scores else {
        return Placement::Unranked("not scored".into());
    };
    if tiers.is_empty() {
        return Placement::Unranked("the portfolio declares no [[tier]]".into());
    }
    for (i, t) in tiers.iter().enumerate() {
        if s.strategic.meets(t.min_strategic) && s.practicality.meets(t.min_practicality) {
            return Placement::Tier(i);
        }
    }
    Placement::Unranked(format!(
        "strategic {} and practicality {} meet no tier's minimums",
        s.strategic.mean().normalize(),
        s.practicality.mean().normalize()
    ))
}

/// What the ranking orders a case by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankKey<'a> {
    /// [`Placement::order`].
    pub tier: usize,
    pub combined: Option<Score>,
    /// In the portfolio's unit.
    pub npsv: Decimal,
    pub path: &'a str,
}

/// Higher combined score first, compared exactly (a/b > c/d as a·d > c·b,
/// weights positive); an unscored case after every scored one.
fn by_combined(a: Option<Score>, b: Option<Score>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => (b.weighted * a.weights).cmp(&(a.weighted * b.weights)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Each key's rank from 1: by tier (as written, Unranked last), then by
/// combined score (highest first), then by npsv (highest first), then by path.
pub fn rank(keys: &[RankKey<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&keys[i], &keys[j]);
        a.tier
            .cmp(&b.tier)
            .then_with(|| by_combined(a.combined, b.combined))
            .then_with(|| b.npsv.cmp(&a.npsv))
            .then_with(|| a.path.cmp(b.path))
    });
    let mut ranks = vec![0; keys.len()];
    for (position, i) in order.into_iter().enumerate() {
        ranks[i] = position + 1;
    }
    ranks
}

#[cfg(test)]
mod tests {
    //! The hand-worked example of docs/methodology.md, "Programme prioritisation".
    use super::*;
    use rust_decimal::dec;

    fn criteria() -> Vec<SubCriterion> {
        let c = |criterion, name: &str, weight| SubCriterion {
            criterion,
            name: name.into(),
            weight,
            descriptors: vec![String::new(); 5],
        };
        vec![
            c(Criterion::Strategic, "Savings", dec!(2)),
            c(Criterion::Strategic, "Service improvement", dec!(1)),
            c(Criterion::Practicality, "Deliverability", dec!(1)),
        ]
    }

    fn tiers() -> Vec<Tier> {
        let t = |name: &str, s, p| Tier {
            name: name.into(),
            description: String::new(),
            min_strategic: s,
            min_practicality: p,
        };
        vec![
            t("Tier 1", dec!(3.5), dec!(3)),
            t("Tier 2", dec!(2.5), dec!(2)),
        ]
    }

    #[test]
    fn hand_worked_scores_tiers_and_ranks() {
        let (crit, t) = (criteria(), tiers());
        // A: Savings 4, Service 3, Deliverability 4: strategic (8+3)/3 = 3.67 ≥ 3.5, practicality 4: Tier 1.
        let a = score(&crit, &[4, 3, 4]).unwrap();
        assert_eq!(a.strategic.weighted, dec!(11));
        assert_eq!(a.strategic.weights, dec!(3));
        assert_eq!(a.strategic.mean(), dec!(3.67));
        assert_eq!(place(&t, Some(a)), Placement::Tier(0));
        // B: 3, 4, 5: strategic 10/3 = 3.33 < 3.5 → Tier 2 (≥ 2.5, 5 ≥ 2).
        let b = score(&crit, &[3, 4, 5]).unwrap();
        assert_eq!(place(&t, Some(b)), Placement::Tier(1));
        // C: just below Tier 1: strategic (2·4 + 1·2) = 10 < 3.5 × 3.
        let on_line = score(&crit, &[4, 2, 3]).unwrap();
        assert_eq!(on_line.strategic.weighted, dec!(10));
        assert_eq!(
            place(&t, Some(on_line)),
            Placement::Tier(1),
            "10 < 3.5 × 3 = 10.5"
        );
        let exact = score(&crit, &[3, 5, 3]).unwrap();
        assert_eq!(exact.strategic.weighted, dec!(11));
        assert!(
            exact.practicality.meets(dec!(3)),
            "3 × 1 ≥ 3 × 1: exactly on the minimum meets it"
        );
        // D: 2, 2, 1: strategic 2 < 2.5: Unranked.
        let d = score(&crit, &[2, 2, 1]).unwrap();
        assert!(matches!(place(&t, Some(d)), Placement::Unranked(_)));
        // Combined: A (8+3+4)/4 = 3.75; B (6+4+5)/4 = 3.75, equal: npsv decides.
        assert_eq!(a.combined().weighted, dec!(15));
        assert_eq!(b.combined().weighted, dec!(15));
        let keys = [
            RankKey {
                tier: 1,
                combined: Some(b.combined()),
                npsv: dec!(2),
                path: "b",
            },
            RankKey {
                tier: 0,
                combined: Some(a.combined()),
                npsv: dec!(1),
                path: "a",
            },
            RankKey {
                tier: 2,
                combined: Some(d.combined()),
                npsv: dec!(9),
                path: "d",
            },
            // Tier 1 by override, with a lower combined score (3.25): after A.
            RankKey {
                tier: 0,
                combined: Some(score(&crit, &[3, 3, 4]).unwrap().combined()),
                npsv: dec!(5),
                path: "e",
            },
            // Same tier and combined score as B, higher npsv: before B.
            RankKey {
                tier: 1,
                combined: Some(b.combined()),
                npsv: dec!(3),
                path: "f",
            },
            // Same everything as F: the path decides.
            RankKey {
                tier: 1,
                combined: Some(b.combined()),
                npsv: dec!(3),
                path: "c",
            },
        ];
        assert_eq!(rank(&keys), vec![5, 1, 6, 2, 4, 3]);
    }

    #[test]
    fn unscored_and_tierless_cases_are_unranked_with_a_reason() {
        assert_eq!(
            place(&tiers(), None),
            Placement::Unranked("not scored".into())
        );
        let a = score(&criteria(), &[4, 3, 4]);
        assert!(matches!(place(&[], a), Placement::Unranked(r) if r.contains("no [[tier]]")));
        assert_eq!(score(&criteria(), &[]), None);
    }
}
