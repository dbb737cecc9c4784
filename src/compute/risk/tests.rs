//! The laws of the risk analysis (issue 13, "Done when").

use rust_decimal::Decimal;
use rust_decimal::dec;

use super::*;
use crate::compute::{compute, synthetic};
use crate::model::{Distribution, Iterations, RiskSettings, Uncertainty};

fn run(case: &Case, iterations: u32, threads: usize) -> RiskAnalysis {
    let results = compute(case).expect("computes");
    analyse(
        case,
        &results,
        &Run {
            settings: RiskSettings {
                iterations: Iterations::Fixed(iterations),
                ..RiskSettings::default()
            },
            threads,
        },
        &|_, _| {},
    )
    .expect("analyses")
}

/// A national-ish case with a Budget, its risks made certain (probability 1)
/// or impossible (0), and no ranges.
fn certain() -> Case {
    let mut case = synthetic::large(5, 3, 12, 6);
    for (i, r) in case.risks.iter_mut().enumerate() {
        r.probability = if i % 2 == 0 {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
    }
    case
}

#[test]
fn without_uncertainty_every_percentile_is_the_deterministic_figure() {
    deterministic_law(&certain());
}

/// The same law where risks name partners or keys of their own, lines are
/// split by keys of their own, and partners borrow or use reserves.
#[test]
fn the_law_holds_with_keys_partners_and_financing() {
    use crate::model::{Financing, PartnerId};
    let mut case = certain();
    case.partners.key_columns.push("Workload".into());
    for (i, row) in case.partners.values.iter_mut().enumerate() {
        row.resize(case.partners.key_columns.len() - 1, Decimal::ONE);
        row.push(Decimal::from(i + 1));
    }
    let workload = case.partners.key_columns.len() - 1;
    for (i, r) in case.risks.iter_mut().enumerate() {
        match i % 3 {
            0 => r.partner = Some(PartnerId::new(i % case.partners.len())),
            1 => r.key = Some(workload),
            _ => {}
        }
    }
    for (i, l) in case.costs.iter_mut().enumerate() {
        if l.partner.is_none() && i % 2 == 0 {
            l.key = Some(workload);
        }
    }
    case.financing.partners = vec![None; case.partners.len()];
    case.financing.partners[0] = Some(Financing::Borrowing);
    case.financing.partners[1] = Some(Financing::Reserves);
    case.financing.borrowing_rate = dec!(0.05);
    deterministic_law(&case);
}

fn deterministic_law(case: &Case) {
    let case = case.clone();
    let results = compute(&case).unwrap();
    let risk = run(&case, 200, 2);
    let tolerance = dec!(0.000000000000000001);
    let base = results.option(case.baseline).unwrap();
    for o in &results.options {
        // The deterministic npsv without optimism bias.
        let expected = o.npsv + (o.pv_optimism_bias - base.pv_optimism_bias);
        let r = risk.option(o.option).unwrap();
        for p in &r.npsv.percentiles {
            assert!(
                (p.value - expected).abs() <= tolerance,
                "{}: p{} {} against {}",
                o.id,
                p.q,
                p.value,
                expected
            );
        }
        assert!(r.npsv.std_error <= tolerance);
        let costs = o.pv_costs - o.pv_optimism_bias;
        assert!((r.pv_costs.p(80) - costs).abs() <= tolerance);
    }
    // Each partner's net after risk is its net revenue effect less its
    // contingency (exact with probabilities 0 and 1), within a penny a year.
    let fc = results.financial_case.as_ref().unwrap();
    let partners = risk.partners.as_ref().unwrap();
    let penny_a_year = dec!(0.00001) * Decimal::from(case.years.len());
    for (p, r) in fc.partners.iter().zip(partners) {
        let expected: Decimal =
            p.net_revenue_effect.iter().sum::<Decimal>() - p.contingency.iter().sum::<Decimal>();
        for q in &r.net_after_risk.percentiles {
            assert!(
                (q.value - expected).abs() <= penny_a_year,
                "partner {}: {} against {expected}",
                p.partner.index(),
                q.value
            );
        }
        assert!((r.allowance_p80 - p.contingency.iter().sum::<Decimal>()).abs() <= penny_a_year);
    }
    // The gap after the case with the risks in place of the contingency.
    let gap = results.gap_after_case.as_ref().unwrap();
    assert_eq!(risk.gap_after_case.len(), gap.years.len());
    for (g, (year, before)) in risk
        .gap_after_case
        .iter()
        .zip(gap.years.iter().zip(&gap.region))
    {
        let a = case.years.iter().position(|y| y == year).unwrap();
        let expected = before + fc.region_contingency[a];
        assert!(
            (g.gap.p(50) - expected).abs() <= dec!(0.00001) * Decimal::from(case.partners.len())
        );
    }
}

/// One option with one line and one risk, whose means are known in closed form.
fn closed_form(distribution: Distribution) -> Case {
    let mut case = synthetic::CaseBuilder::new(
        crate::model::FiscalYear::new(2025).unwrap(),
        3,
        crate::model::Unit::Thousands,
    )
    .discount_rate(crate::model::DiscountRate::Fixed(dec!(0.25)))
    .partner("North", &[dec!(60)])
    .partner("South", &[dec!(40)])
    .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
    .option("OPT1", false, dec!(0.2), dec!(0.2))
    .cost(
        1,
        CostKind::Revenue,
        None,
        Inflation::General,
        &[dec!(100), dec!(100), dec!(100)],
    )
    .benefit(
        1,
        crate::model::BenefitKind::Cashable,
        None,
        &[dec!(0), dec!(200), dec!(200)],
    )
    .risk(1, dec!(0.3), dec!(40), 1)
    .build();
    case.costs[0].uncertainty = Uncertainty {
        low: dec!(-0.1),
        high: dec!(0.4),
        distribution,
        group: None,
        entered: true,
    };
    case.risks[0].uncertainty = Uncertainty {
        low: dec!(10),
        high: dec!(100),
        distribution,
        group: None,
        entered: true,
    };
    case
}

#[test]
fn means_are_within_four_standard_errors_of_the_closed_form() {
    for distribution in [Distribution::Triangular, Distribution::Uniform] {
        let case = closed_form(distribution);
        let risk = run(&case, 20_000, 2);
        // pv of the line as entered: 100 + 80 + 64 (factors 1, 0.8, 0.64).
        let pv = dec!(244);
        let (line_mean, impact_mean) = match distribution {
            // Triangular (a + b + c) / 3 of the multiplier 0.9, 1, 1.4 and of 10, 40, 100.
            Distribution::Triangular => (dec!(3.3) / dec!(3), dec!(150) / dec!(3)),
            Distribution::Uniform => (dec!(1.15), dec!(55)),
        };
        // The risk: p × mean impact, in year index 1 (factor 0.8).
        let expected = pv * line_mean + dec!(0.3) * impact_mean * dec!(0.8);
        let o = risk.option(OptionId::new(1)).unwrap();
        let off = (o.pv_costs.mean - expected).abs();
        assert!(
            off <= dec!(4) * o.pv_costs.std_error,
            "{distribution:?}: mean {} against {expected}, se {}",
            o.pv_costs.mean,
            o.pv_costs.std_error
        );
        assert!(o.pv_costs.std_error > Decimal::ZERO);
    }
}

#[test]
fn results_do_not_depend_on_threads() {
    let case = synthetic::with_ranges(synthetic::large(4, 3, 15, 6));
    let one = run(&case, 3_000, 1);
    assert_eq!(one, run(&case, 3_000, 2));
    assert_eq!(one, run(&case, 3_000, 8));
    assert_eq!(one.iterations, 3_000);
    assert_eq!(one.kept.len(), KEPT);
    assert_eq!(one.histogram.counts.iter().sum::<u32>(), 3_000);
}

#[test]
fn a_group_moves_together() {
    // Two lines in one group with the same range draw the same multiplier.
    let mut case = closed_form(Distribution::Triangular);
    case.benefits[0].uncertainty = Uncertainty {
        group: Some("Staff".into()),
        ..case.costs[0].uncertainty.clone()
    };
    case.costs[0].uncertainty.group = Some(" STAFF ".into());
    let risk = run(&case, 50, 1);
    for k in &risk.kept {
        assert_eq!(k.draws[0], k.draws[1]);
    }
    assert!(risk.kept.windows(2).any(|w| w[0].draws[0] != w[1].draws[0]));
}

#[test]
fn ranks_follow_the_nearest_rank_rule() {
    assert_eq!(rank(80, 10), 8);
    assert_eq!(rank(80, 11), 9);
    assert_eq!(rank(20, 1), 1);
    assert_eq!(rank(50, 10_000), 5_000);
    // N = 10,000, q = 0.8: 8000 ∓ 1.96 × 40 = 7921.6 and 8078.4.
    assert_eq!(ci_ranks(80, 10_000), (7921, 8079));
    assert_eq!(ci_ranks(50, 1), (1, 1));
}

#[test]
fn auto_runs_whole_blocks_until_p80_costs_are_known_to_half_a_percent() {
    let case = closed_form(Distribution::Triangular);
    let results = compute(&case).unwrap();
    let risk = analyse(
        &case,
        &results,
        &Run {
            settings: RiskSettings {
                iterations: Iterations::Auto,
                ..RiskSettings::default()
            },
            threads: 2,
        },
        &|done, most| {
            assert_eq!(most, MAX_ITERATIONS);
            assert_eq!(done % BLOCK, 0);
        },
    )
    .unwrap();
    assert!(risk.auto);
    assert_eq!(risk.iterations % BLOCK, 0);
    let o = risk.option(OptionId::new(1)).unwrap();
    let p80 = o.pv_costs.percentiles.iter().find(|p| p.q == 80).unwrap();
    assert!(p80.ci95.1 - p80.ci95.0 < p80.value * AUTO_PRECISION);
}

#[test]
fn with_business_as_usual_preferred_there_are_no_partner_figures() {
    let mut case = closed_form(Distribution::Uniform);
    case.preferred = Some(case.baseline);
    let risk = run(&case, 500, 2);
    assert_eq!(risk.preferred, case.baseline);
    assert!(risk.partners.is_none());
    assert!(risk.gap_after_case.is_empty());
    assert!(
        risk.options
            .iter()
            .all(|o| o.prob_beats_preferred.is_none())
    );
    // The histogram shows the one other option.
    assert_eq!(risk.histogram.option, OptionId::new(1));
}

#[test]
fn a_case_without_options_is_answered_not_a_panic() {
    let case = synthetic::CaseBuilder::new(
        crate::model::FiscalYear::new(2025).unwrap(),
        3,
        crate::model::Unit::Pounds,
    )
    .build();
    let risk = run(&case, 10, 1);
    assert!(risk.options.is_empty());
    assert_eq!(risk.iterations, 0);
}
