//! Engine tests on whole cases: the Green Book's worked example and the
//! hand-worked case of docs/methodology.md.

use rust_decimal::Decimal;
use rust_decimal::dec;

use super::synthetic::CaseBuilder;
use super::*;
use crate::model::{BenefitKind, CostKind, DiscountRate, FiscalYear, Inflation, PartnerId, Unit};

fn year(start: u16) -> FiscalYear {
    FiscalYear::new(start).unwrap()
}

/// Green Book (2003) Box 15: £1m at year 0 against a flow of `annual` in
/// years 1–10, at 3.5%, end-of-year flows; in £k.
fn box_15(annual: Decimal) -> Decimal {
    let mut flows = vec![Decimal::ZERO];
    flows.extend([annual; 10]);
    let case = CaseBuilder::new(year(2025), 11, Unit::Thousands)
        .partner("A", &[dec!(1)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .cost(1, CostKind::Capital, None, Inflation::None, &[dec!(1000)])
        .benefit(1, BenefitKind::Cashable, None, &flows)
        .build();
    compute(&case).unwrap().options[1].npsv
}

#[test]
fn green_book_box_15_worked_example() {
    assert_eq!(box_15(dec!(150)).round_dp(2), dec!(247.49));
    assert_eq!(box_15(dec!(100)).round_dp(2), dec!(-168.34));
}

fn methodology_case() -> crate::model::Case {
    synthetic::worked()
}

#[test]
fn hand_worked_case_of_the_methodology() {
    let r = compute(&methodology_case()).unwrap();
    assert_eq!(r.discount_factors, vec![dec!(1), dec!(0.8), dec!(0.64)]);
    let [bau, opt1, opt2] = &r.options[..] else {
        panic!("three options")
    };
    assert_eq!(bau.pv_costs, dec!(244));
    assert_eq!(bau.npsv, Decimal::ZERO);
    assert_eq!(bau.bcr, None);

    assert_eq!(opt1.pv_capital, dec!(200));
    assert_eq!(opt1.pv_revenue, dec!(122));
    assert_eq!(opt1.pv_optimism_bias, dec!(60.2));
    assert_eq!(opt1.pv_risk, dec!(16));
    assert_eq!(opt1.pv_costs, dec!(398.2));
    assert_eq!(opt1.pv_cashable, dec!(144));
    assert_eq!(opt1.pv_non_cashable, dec!(28.8));
    assert_eq!(opt1.pv_benefits, dec!(172.8));
    assert_eq!(opt1.npsv, dec!(18.6));
    assert_eq!(opt1.bcr.unwrap().round_dp(4), dec!(1.1206));
    assert_eq!(opt1.bcr, Some(dec!(172.8) / dec!(154.2)));
    assert_eq!(opt1.payback_year, Some(year(2026)));

    assert_eq!(opt2.pv_costs, dec!(247.68));
    assert_eq!(opt2.pv_benefits, dec!(43.2));
    assert_eq!(opt2.npsv, dec!(39.52));
    assert_eq!(opt2.bcr.unwrap().round_dp(4), dec!(11.7391));
    // Not pinned: the highest npsv.
    assert_eq!((r.preferred, r.preferred_pinned), (OptionId::new(2), false));

    let p = r.profile(OptionId::new(1)).unwrap();
    let nets: Vec<_> = p.real.iter().map(|y| y.net).collect();
    assert_eq!(nets, vec![dec!(-150), dec!(150), dec!(150)]);
    let cumulative: Vec<_> = p.real.iter().map(|y| y.cumulative_net).collect();
    assert_eq!(cumulative, vec![dec!(-150), dec!(0), dec!(150)]);

    // Shared 60:40 by the key.
    let a = r.apportioned(OptionId::new(1)).unwrap();
    assert_eq!(
        a.partners[0].real.costs,
        vec![dec!(90), dec!(-30), dec!(-30)]
    );
    assert_eq!(
        a.partners[1].real.savings,
        vec![dec!(0), dec!(40), dec!(40)]
    );
    assert_eq!(a.net_contributors, Vec::<PartnerId>::new());
}

#[test]
fn pinned_preferred_option_wins_over_npsv() {
    let case = crate::model::Case {
        preferred: Some(OptionId::new(1)),
        ..methodology_case()
    };
    let r = compute(&case).unwrap();
    assert_eq!((r.preferred, r.preferred_pinned), (OptionId::new(1), true));
}

#[test]
fn nominal_prices_inflate_by_line_index_from_the_base_year() {
    let case = CaseBuilder::new(year(2025), 3, Unit::Pounds)
        .inflation(dec!(0.02), dec!(0.03))
        .partner("A", &[dec!(1)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .cost(
            1,
            CostKind::Revenue,
            None,
            Inflation::Pay,
            &[dec!(100), dec!(100), dec!(100)],
        )
        .cost(
            1,
            CostKind::Capital,
            None,
            Inflation::None,
            &[dec!(0), dec!(100), dec!(100)],
        )
        .benefit(
            1,
            BenefitKind::Cashable,
            None,
            &[dec!(0), dec!(100), dec!(100)],
        )
        .build();
    let r = compute(&case).unwrap();
    let nominal = &r.profile(OptionId::new(1)).unwrap().nominal;
    assert_eq!(nominal[2].revenue, dec!(106.09));
    assert_eq!(nominal[2].capital, dec!(100));
    assert_eq!(nominal[2].cashable, dec!(104.04));
    assert_eq!(nominal[0].costs, dec!(100));
}

#[test]
fn partner_lines_go_wholly_to_their_partner_and_parts_foot() {
    let case = CaseBuilder::new(year(2025), 2, Unit::Millions)
        .inflation(dec!(0.02), dec!(0.025))
        .partner("A", &[dec!(1)])
        .partner("B", &[dec!(1)])
        .partner("C", &[dec!(1)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .cost(
            1,
            CostKind::Revenue,
            None,
            Inflation::Pay,
            &[dec!(1), dec!(1)],
        )
        .cost(
            1,
            CostKind::Capital,
            Some(2),
            Inflation::General,
            &[dec!(0.5), dec!(0.5)],
        )
        .benefit(1, BenefitKind::Cashable, None, &[dec!(0.3333), dec!(2)])
        .build();
    let r = compute(&case).unwrap();
    let a = r.apportioned(OptionId::new(1)).unwrap();
    assert_eq!(a.partners[2].real.capital, vec![dec!(0.5), dec!(0.5)]);
    assert_eq!(a.partners[0].real.capital, vec![dec!(0), dec!(0)]);
    let profile = r.profile(OptionId::new(1)).unwrap();
    for (t, year) in profile.nominal.iter().enumerate() {
        let costs: Decimal = a.partners.iter().map(|p| p.nominal.costs[t]).sum();
        assert_eq!(costs, apportion::to_penny(year.costs, 8));
        let savings: Decimal = a.partners.iter().map(|p| p.nominal.savings[t]).sum();
        assert_eq!(savings, apportion::to_penny(year.cashable, 8));
    }
    // Each gets a third of 2.3333 savings against a third of 2 shared costs; C also bears 1 of capital.
    assert_eq!(a.net_contributors, vec![PartnerId::new(2)]);
}

#[test]
fn npv_at_zero_percent_is_the_plain_sum() {
    let case = CaseBuilder::new(year(2025), 4, Unit::Pounds)
        .discount_rate(DiscountRate::Fixed(Decimal::ZERO))
        .partner("A", &[dec!(1)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .cost(
            1,
            CostKind::Revenue,
            None,
            Inflation::General,
            &[dec!(1.5), dec!(2), dec!(3), dec!(4)],
        )
        .benefit(
            1,
            BenefitKind::Cashable,
            None,
            &[dec!(0), dec!(5), dec!(5), dec!(5)],
        )
        .build();
    let r = compute(&case).unwrap();
    assert_eq!(r.options[1].npsv, dec!(15) - dec!(10.5));
}

#[test]
fn overflow_is_reported_in_the_users_terms() {
    let huge = Decimal::MAX;
    let case = CaseBuilder::new(year(2025), 2, Unit::Pounds)
        .partner("A", &[dec!(1)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .cost(
            1,
            CostKind::Revenue,
            None,
            Inflation::General,
            &[huge, huge],
        )
        .cost(
            1,
            CostKind::Revenue,
            None,
            Inflation::General,
            &[huge, huge],
        )
        .build();
    let err = compute(&case).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Costs row 3 (\"Cost 2\"): the revenue costs would be too large to compute exactly (beyond about 7.9 × 10^28)"
    );
}

proptest::proptest! {
    #[test]
    fn npv_at_zero_percent_is_the_plain_sum_for_any_flows(
        flows in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 1..40)
    ) {
        let values: Vec<Decimal> = flows.iter().map(|v| Decimal::new(*v, 2)).collect();
        let n = u16::try_from(values.len()).unwrap();
        let case = CaseBuilder::new(year(2025), n, Unit::Pounds)
            .discount_rate(DiscountRate::Fixed(Decimal::ZERO))
            .partner("A", &[dec!(1)])
            .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
            .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
            .benefit(1, BenefitKind::Cashable, None, &values)
            .build();
        let r = compute(&case).unwrap();
        proptest::prop_assert_eq!(r.options[1].npsv, values.iter().copied().sum::<Decimal>());
    }
}

#[test]
fn the_large_synthetic_case_computes() {
    let case = synthetic::large(43, 12, 500, 60);
    let r = compute(&case).unwrap();
    assert_eq!(r.options.len(), 12);
    assert_eq!(r.apportionment.options.len(), 11);
    assert_eq!(r.budget_gap.as_ref().unwrap().partners.len(), 43);
    assert_eq!(r.gap_after_case.as_ref().unwrap().years.len(), 5);
}

fn any_decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
    use proptest::prelude::*;
    (any::<i64>(), any::<u32>(), 0u32..=28).prop_map(|(lo, hi, scale)| {
        Decimal::from_i128_with_scale(i128::from(lo) * i128::from(hi), scale)
    })
}

proptest::proptest! {
    /// Whatever the amounts, rates and keys, the engine answers: results or an error, never a panic.
    #[test]
    fn no_case_panics_the_engine(
        amounts in proptest::collection::vec(any_decimal(), 6),
        rate in any_decimal(),
        inflation in any_decimal(),
        ob in any_decimal(),
        key in any_decimal(),
        probability in any_decimal(),
    ) {
        let case = CaseBuilder::new(year(2025), 3, Unit::Millions)
            .discount_rate(DiscountRate::Fixed(rate))
            .inflation(inflation, inflation)
            .partner("A", &[key.abs()])
            .partner("B", &[dec!(1)])
            .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
            .option("OPT1", false, ob, ob)
            .cost(1, CostKind::Capital, None, Inflation::General, &amounts[..3])
            .cost(1, CostKind::Revenue, Some(0), Inflation::Pay, &amounts[3..])
            .benefit(1, BenefitKind::Cashable, None, &amounts[1..4])
            .risk(1, probability, amounts[0], 2)
            .build();
        let _ = compute(&case);
    }
}

#[test]
fn workings_agree_with_the_headline_figures() {
    let case = methodology_case();
    let r = compute(&case).unwrap();
    let w = &r.workings;
    let factors: Vec<Decimal> = w.schedule.iter().map(|y| y.factor).collect();
    assert_eq!(factors, r.discount_factors);
    assert_eq!(w.schedule[0].rate, None);
    for (o, a) in w.options.iter().zip(&r.options) {
        assert_eq!(o.option, a.option);
        assert_eq!(o.pv_ob_capital + o.pv_ob_revenue, a.pv_optimism_bias);
        let pv: Decimal = o
            .adjusted
            .iter()
            .zip(&r.discount_factors)
            .map(|(v, f)| v * f)
            .sum();
        assert_eq!(pv, a.pv_costs);
        let by_index: Vec<Decimal> = (0..r.years.len())
            .map(|j| {
                o.capital_by_index.general[j]
                    + o.capital_by_index.pay[j]
                    + o.capital_by_index.none[j]
            })
            .collect();
        assert_eq!(by_index, o.capital);
    }
    for (p, pw) in r.savings_profile.iter().zip(&w.profiles) {
        assert_eq!(pw.real_total, ProfileYear::total_of(&p.real));
        assert_eq!(pw.nominal_total, ProfileYear::total_of(&p.nominal));
    }
    for (a, t) in r.apportionment.options.iter().zip(&w.apportioned) {
        assert!(t.real.difference.costs.iter().all(Decimal::is_zero));
        assert!(t.nominal.difference.savings.iter().all(Decimal::is_zero));
        let net: Decimal = a.partners.iter().map(|p| total(&p.real.net)).sum();
        assert_eq!(t.real.total.net, net);
    }
    assert_eq!(w.risk_costs.len(), case.risks.len());
}

/// Former saturation and panic sites: each overflow is now a located error.
#[test]
fn a_risk_beyond_exact_decimals_is_an_error_naming_it() {
    let mut case = methodology_case();
    let risk = case.risks.first_mut().unwrap();
    risk.probability = dec!(1);
    risk.impact = Decimal::MAX;
    let mut big = risk.clone();
    big.probability = dec!(2);
    assert_eq!(big.expected_value(), None);
    case.risks.push(big);
    let e = compute(&case).unwrap_err();
    assert!(e.to_string().contains("risk"), "{e}");
}

#[test]
fn totals_beyond_exact_decimals_are_errors_not_saturation() {
    let half = Decimal::MAX / dec!(2) + dec!(1);
    let years = [ProfileYear {
        cashable: half,
        ..ProfileYear::default()
    }; 2];
    assert_eq!(
        workings::profile_total(&years).unwrap_err().to_string(),
        "the cashable savings would be too large to compute exactly (beyond about 7.9 × 10^28)"
    );
    let flows = Flows {
        net: vec![half, half],
        ..Flows::default()
    };
    assert!(workings::flow_totals(&flows).is_err());
    // The headline totals of a scenario outcome, summed by the engine.
    let case = methodology_case();
    let mut r = compute(&case).unwrap();
    let preferred = r.preferred;
    for p in &mut r.savings_profile {
        if p.option == preferred {
            for y in &mut p.real {
                y.cashable = half;
            }
        }
    }
    let e = scenario::headline_totals(&case, &r).unwrap_err();
    assert!(e.to_string().starts_with("the cashable savings"), "{e}");
}

/// A two-option case whose options' npsv are `a` and `b` (in £k: a benefit
/// of that amount in the base year, no costs).
fn two_options(a: Decimal, b: Decimal) -> crate::model::Case {
    CaseBuilder::new(year(2025), 1, Unit::Thousands)
        .partner("A", &[dec!(1)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .option("OPT2", false, Decimal::ZERO, Decimal::ZERO)
        .benefit(1, BenefitKind::NonCashable, None, &[a])
        .benefit(2, BenefitKind::NonCashable, None, &[b])
        .build()
}

#[test]
fn the_recommendation_is_the_highest_positive_npsv_or_business_as_usual() {
    let r = compute(&two_options(dec!(-1), dec!(-2))).unwrap();
    assert_eq!(
        (r.preferred, r.recommended),
        (OptionId::new(0), OptionId::new(0))
    );
    assert!(r.no_option_recommended());
    assert!(r.sensitivity.is_empty());

    let r = compute(&two_options(dec!(0), dec!(0))).unwrap();
    assert!(r.no_option_recommended(), "an npsv of zero is no better");

    let r = compute(&two_options(dec!(-1), dec!(3))).unwrap();
    assert_eq!(
        (r.preferred, r.recommended),
        (OptionId::new(2), OptionId::new(2))
    );
    assert!(!r.no_option_recommended() && !r.pinned_departs());
}

#[test]
fn a_pinned_option_the_appraisal_does_not_rank_first_is_flagged() {
    // Pinned below the highest.
    let mut c = two_options(dec!(1), dec!(3));
    c.preferred = Some(OptionId::new(1));
    let r = compute(&c).unwrap();
    assert_eq!(
        (r.preferred, r.recommended),
        (OptionId::new(1), OptionId::new(2))
    );
    assert!(r.preferred_pinned && r.pinned_departs());
    // Pinned with an npsv that is not positive, the only option.
    let mut c = two_options(dec!(-1), dec!(-2));
    c.preferred = Some(OptionId::new(1));
    let r = compute(&c).unwrap();
    assert_eq!(r.recommended, OptionId::new(0));
    assert!(r.pinned_departs() && !r.no_option_recommended());
    // Pinned on the highest, positive: nothing to say.
    let mut c = two_options(dec!(1), dec!(3));
    c.preferred = Some(OptionId::new(2));
    assert!(!compute(&c).unwrap().pinned_departs());
}

/// docs/methodology.md, "Contingency": the option's risks cost 10 (0.5 ×
/// 20) in year 2 against business as usual's 2 (0.25 × 8); 8 real, 8.16 at
/// 2% general inflation, split 3 : 1 as 6.12 and 2.04.
#[test]
fn contingency_worked_example() {
    let case = CaseBuilder::new(year(2025), 2, Unit::Pounds)
        .inflation(dec!(0.02), dec!(0.03))
        .partner("A", &[dec!(3)])
        .partner("B", &[dec!(1)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .benefit(1, BenefitKind::Cashable, None, &[dec!(100), dec!(100)])
        .risk(1, dec!(0.5), dec!(20), 1)
        .risk(0, dec!(0.25), dec!(8), 1)
        .build();
    let r = compute(&case).unwrap();
    let fc = r.financial_case.expect("a financial case");
    assert_eq!(fc.region_contingency, [dec!(0), dec!(8.16)]);
    assert_eq!(fc.partners[0].contingency, [dec!(0), dec!(6.12)]);
    assert_eq!(fc.partners[1].contingency, [dec!(0), dec!(2.04)]);
    // Affordability: savings (75 and 76.5 for A, 25 and 25.5 for B) less contingency.
    assert_eq!(fc.partners[0].total, dec!(75) + dec!(76.50) - dec!(6.12));
    assert!(fc.self_funding);
}

/// docs/methodology.md, "A key per line": capital split by grant (3 : 1),
/// running costs by workload (1 : 2), a saving shared by grant.
#[test]
fn per_line_keys_worked_example() {
    let mut case = CaseBuilder::new(year(2025), 1, Unit::Pounds)
        .key_column("Workload")
        .partner("A", &[dec!(3), dec!(1)])
        .partner("B", &[dec!(1), dec!(2)])
        .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
        .option("OPT1", false, Decimal::ZERO, Decimal::ZERO)
        .cost(1, CostKind::Capital, None, Inflation::None, &[dec!(100)])
        .cost(1, CostKind::Revenue, None, Inflation::None, &[dec!(60)])
        .benefit(1, BenefitKind::Cashable, None, &[dec!(200)])
        .build();
    case.costs[1].key = Some(1);
    let r = compute(&case).unwrap();
    let a = r.apportioned(OptionId::new(1)).unwrap();
    // Costs: capital 100 by grant (75, 25) + running 60 by workload (20, 40).
    assert_eq!(a.partners[0].real.costs, [dec!(95)]);
    assert_eq!(a.partners[1].real.costs, [dec!(65)]);
    assert_eq!(a.partners[0].real.capital, [dec!(75)]);
    assert_eq!(a.partners[1].real.capital, [dec!(25)]);
    // Savings by grant: 150 and 50.
    assert_eq!(a.partners[0].real.savings, [dec!(150)]);
    assert_eq!(a.partners[1].real.savings, [dec!(50)]);
    assert_eq!(r.apportionment.line_keys.len(), 1);
    assert_eq!(r.apportionment.line_keys[0].key, "Workload");
    // Without the line's key the whole 160 would go by grant: 120 and 40.
    case.costs[1].key = None;
    let r = compute(&case).unwrap();
    let a = r.apportioned(OptionId::new(1)).unwrap();
    assert_eq!(a.partners[0].real.costs, [dec!(120)]);
    assert_eq!(a.partners[1].real.costs, [dec!(40)]);
}
