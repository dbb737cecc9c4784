//! Tests of the model workbook on a small case built here: three partners, a
//! baseline and two options, three years, a budget.
//!
//! The engine's results for it are computed by a plain reference
//! implementation of the method's definitions below (written line by line,
//! not shared with the renderer), so that the workbook's formulas are tested
//! against the definitions and not against themselves. The LibreOffice test
//! recalculates the workbook in a real spreadsheet engine and checks every
//! formula cell against the value fivecase cached in it.

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy, dec};

use super::model_workbook;
use crate::compute::{
    Apportionment, BudgetGap, Flows, GapAfterCase, GapLine, GapRow, GapTable, OptionApportionment,
    OptionAppraisal, OptionProfile, PartnerFlows, PartnerGap, PartnerGapAfterCase, ProfileYear,
    Results,
};
use crate::model::{
    Assumptions, BenefitKind, BenefitLine, Budget, BudgetLine, BudgetRow, Case, CaseOption,
    CostKind, CostLine, DiscountRate, Edition, FiscalYear, Inflation, Meta, Narrative, ObCategory,
    ObOrigin, OptimismBias, OptionId, PartnerId, Partners, Risk, Sourced, Sources, Stage, Unit,
};
use crate::params;

fn fy(start: u16) -> FiscalYear {
    FiscalYear::new(start).unwrap()
}

fn category(
    category: ObCategory,
    upper: Decimal,
    lower: Decimal,
    mitigation: Decimal,
) -> OptimismBias {
    OptimismBias {
        rate: upper * (Decimal::ONE - mitigation),
        origin: ObOrigin::Category {
            category,
            upper,
            lower,
            mitigation,
        },
    }
}

fn entered(rate: Decimal) -> OptimismBias {
    OptimismBias {
        rate,
        origin: ObOrigin::Entered,
    }
}

fn option(
    id: &str,
    name: &str,
    baseline: bool,
    cap: OptimismBias,
    rev: OptimismBias,
    row: u32,
) -> CaseOption {
    CaseOption {
        id: id.into(),
        name: name.into(),
        description: format!("{name}, as described in the economic case"),
        baseline,
        ob_capital: cap,
        ob_revenue: rev,
        ob_basis: String::new(),
        asset_life: None,
        referred_to: String::new(),
        row,
    }
}

fn cost(
    option: usize,
    line: &str,
    kind: CostKind,
    partner: Option<usize>,
    inflation: Inflation,
    values: [Decimal; 3],
) -> CostLine {
    CostLine {
        uncertainty: crate::model::Uncertainty::default(),
        option: OptionId::new(option),
        line: line.into(),
        kind,
        partner: partner.map(PartnerId::new),
        inflation,
        values: values.to_vec(),
        key: None,
        row: 0,
    }
}

fn benefit(
    option: usize,
    line: &str,
    kind: BenefitKind,
    partner: Option<usize>,
    values: [Decimal; 3],
) -> BenefitLine {
    BenefitLine {
        uncertainty: crate::model::Uncertainty::default(),
        option: OptionId::new(option),
        line: line.into(),
        kind,
        partner: partner.map(PartnerId::new),
        values: values.to_vec(),
        key: None,
        inflation: Inflation::General,
        row: 0,
    }
}

/// The small case: a regional control room, £m.
pub(super) fn small_case() -> Case {
    let years = vec![fy(2026), fy(2027), fy(2028)];
    let budget_rows = {
        let mut rows = Vec::new();
        let lines = [
            (BudgetLine::BaseBudgetGap, [dec!(2.4), dec!(2.7), dec!(2.1)]),
            (BudgetLine::UseOfReserves, [dec!(1.7), dec!(1.6), dec!(1.4)]),
            (
                BudgetLine::CashReleasingEfficiencies,
                [dec!(-0.7), dec!(-1.1), dec!(-0.7)],
            ),
            (
                BudgetLine::IdentifiedRiskGap,
                [dec!(4.5), dec!(4.6), dec!(4.7)],
            ),
            (
                BudgetLine::LossOfGrantToFloors,
                [dec!(6.8), dec!(6.4), dec!(5.9)],
            ),
            (
                BudgetLine::IncreaseInBorrowing,
                [dec!(6.7), dec!(3.9), dec!(2.2)],
            ),
        ];
        for p in 0..3 {
            for (line, values) in lines {
                let bump = Decimal::from(p) / dec!(10);
                rows.push(BudgetRow {
                    partner: Some(PartnerId::new(p)),
                    line,
                    values: values.iter().map(|v| v + bump).collect(),
                    row: 0,
                });
            }
        }
        rows
    };
    Case {
        meta: Meta {
            title: "Regional Control Room & Contact".into(),
            programme: "East Region Collaboration".into(),
            stage: Stage::Obc,
            version: "0.3".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 31),
            sro: "A. Chief Constable".into(),
            marking: "OFFICIAL-SENSITIVE".into(),
            preferred_reason: String::new(),
            edition: Edition::Gb2026,
            display_decimals: None,
            history: Vec::new(),
            approvals: Vec::new(),
            distribution: Vec::new(),
            sensitivity: Vec::new(),
            scenarios: Vec::new(),
            risk_analysis: None,
            decision_body: "the Summit".into(),
            recommending_body: "the Oversight Group".into(),
            display_unit: None,
        },
        assumptions: Assumptions {
            base_year: Sourced::default_value(fy(2026)),
            unit: Sourced::default_value(Unit::Millions),
            discount_rate: Sourced::default_value(DiscountRate::GreenBook),
            general_inflation: Sourced::default_value(dec!(0.02)),
            pay_inflation: Sourced::default_value(dec!(0.025)),
            apportionment_key: Sourced::default_value(0),
        },
        partners: Partners {
            names: vec![
                "Derbyshire".into(),
                "Leicestershire".into(),
                "Nottinghamshire".into(),
            ],
            key_columns: vec!["Government grant".into(), "Population".into()],
            values: vec![
                vec![dec!(101.3), dec!(1.05)],
                vec![dec!(108.7), dec!(1.10)],
                vec![dec!(135.9), dec!(1.15)],
            ],
            rows: vec![1, 2, 3],
        },
        options: vec![
            option(
                "A",
                "Do nothing: separate control rooms",
                true,
                OptimismBias::NONE,
                OptimismBias::NONE,
                1,
            ),
            option(
                "B",
                "Shared control room",
                false,
                entered(dec!(0.12)),
                entered(dec!(0.05)),
                2,
            ),
            option(
                "C",
                "Shared control room, outsourced",
                false,
                category(
                    ObCategory::EquipmentDevelopment,
                    dec!(2.00),
                    dec!(0.10),
                    dec!(0.7),
                ),
                category(ObCategory::Outsourcing, dec!(0.41), dec!(0), dec!(0.7)),
                3,
            ),
        ],
        baseline: OptionId::new(0),
        preferred: None,
        years: years.clone(),
        costs: vec![
            cost(
                0,
                "Control room staff",
                CostKind::Revenue,
                None,
                Inflation::Pay,
                [dec!(10.0), dec!(10.0), dec!(10.0)],
            ),
            cost(
                0,
                "Systems",
                CostKind::Revenue,
                None,
                Inflation::General,
                [dec!(1.2), dec!(1.2), dec!(1.2)],
            ),
            cost(
                1,
                "Building works",
                CostKind::Capital,
                None,
                Inflation::General,
                [dec!(4.75), dec!(0.5), dec!(0)],
            ),
            cost(
                1,
                "Control room staff",
                CostKind::Revenue,
                None,
                Inflation::Pay,
                [dec!(9.6), dec!(8.1), dec!(7.4)],
            ),
            cost(
                1,
                "Systems",
                CostKind::Revenue,
                None,
                Inflation::General,
                [dec!(1.5), dec!(1.1), dec!(1.1)],
            ),
            cost(
                1,
                "Derbyshire estates exit",
                CostKind::Revenue,
                Some(0),
                Inflation::None,
                [dec!(0.333), dec!(0), dec!(0)],
            ),
            cost(
                2,
                "Building and equipment",
                CostKind::Capital,
                None,
                Inflation::General,
                [dec!(7.9), dec!(2.15), dec!(0)],
            ),
            cost(
                2,
                "Outsourced service",
                CostKind::Revenue,
                None,
                Inflation::General,
                [dec!(8.9), dec!(7.7), dec!(7.6)],
            ),
        ],
        benefits: vec![
            benefit(
                1,
                "Shift pattern savings",
                BenefitKind::Cashable,
                None,
                [dec!(0.9), dec!(3.1), dec!(4.2)],
            ),
            benefit(
                1,
                "Call handling time",
                BenefitKind::NonCashable,
                None,
                [dec!(0.25), dec!(0.5), dec!(0.5)],
            ),
            benefit(
                2,
                "Contract savings",
                BenefitKind::Cashable,
                None,
                [dec!(0), dec!(2.9), dec!(3.8)],
            ),
        ],
        budget: Some(Budget {
            years: years.clone(),
            rows: budget_rows,
            year_cols: vec![2, 3, 4],
            basis: crate::model::GapBasis::InYear,
        }),
        risks: vec![
            Risk {
                uncertainty: crate::model::Uncertainty::default(),
                id: "R1".into(),
                description: "Building works overrun".into(),
                option: OptionId::new(1),
                probability: dec!(0.3),
                impact: dec!(1.25),
                year: 1,
                owner: "Programme director".into(),
                mitigation: "Fixed-price contract".into(),
                partner: None,
                row: 1,
                key: None,
            },
            Risk {
                uncertainty: crate::model::Uncertainty::default(),
                id: "R2".into(),
                description: "Contract transition".into(),
                option: OptionId::new(2),
                probability: dec!(0.5),
                impact: dec!(1.5),
                year: 2,
                owner: "Head of procurement".into(),
                mitigation: "Parallel running".into(),
                partner: None,
                row: 2,
                key: None,
            },
        ],
        financing: crate::model::CapitalFinancing::default(),
        narrative: Narrative::default(),
        sources: Sources::default(),
        content: crate::model::content::Content::default(),
    }
}

// ---- A reference implementation of the engine's definitions (issue 3). ----

fn inflate(case: &Case, kind: Inflation, t: u32) -> Decimal {
    let rate = match kind {
        Inflation::General => case.assumptions.general_inflation.value,
        Inflation::Pay => case.assumptions.pay_inflation.value,
        Inflation::None => return Decimal::ONE,
    };
    let mut f = Decimal::ONE;
    for _ in 0..t {
        f *= Decimal::ONE + rate;
    }
    f
}

/// Σ over an option's lines of `value × factor`, per year, for lines passing `keep`.
fn line_sum<L>(
    lines: &[L],
    n: usize,
    keep: impl Fn(&L) -> bool,
    value: impl Fn(&L, usize) -> Decimal,
) -> Vec<Decimal> {
    (0..n)
        .map(|j| lines.iter().filter(|l| keep(l)).map(|l| value(l, j)).sum())
        .collect()
}

/// Largest-remainder split of `total` (whole pennies at `places`) by `key`.
fn split(total: Decimal, key: &[Decimal], places: u32) -> Vec<Decimal> {
    let penny = Decimal::new(1, places);
    let magnitude = total.abs();
    let sum: Decimal = key.iter().sum();
    let exact: Vec<Decimal> = key.iter().map(|k| magnitude * k / sum).collect();
    let mut parts: Vec<Decimal> = exact
        .iter()
        .map(|e| e.round_dp_with_strategy(places, RoundingStrategy::ToZero))
        .collect();
    let mut left = ((magnitude - parts.iter().sum::<Decimal>()) / penny).round();
    let mut order: Vec<usize> = (0..key.len()).collect();
    order.sort_by(|a, b| {
        (exact[*b] - parts[*b])
            .cmp(&(exact[*a] - parts[*a]))
            .then(a.cmp(b))
    });
    for p in order {
        if left <= Decimal::ZERO {
            break;
        }
        parts[p] += penny;
        left -= Decimal::ONE;
    }
    if total.is_sign_negative() {
        parts.iter().map(|p| -p).collect()
    } else {
        parts
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "the method's definitions, one after another"
)]
pub(super) fn reference(case: &Case) -> Results {
    let n = case.years.len();
    let periods = case.periods();
    let schedule = params::discount_schedule(case.meta.edition);
    let max_t = periods.iter().copied().max().unwrap_or(0);
    let mut dfs = vec![Decimal::ONE];
    for t in 1..=max_t {
        let prev = dfs[dfs.len() - 1];
        let rate = match case.assumptions.discount_rate.value {
            DiscountRate::GreenBook => schedule.rate_for_year(t),
            DiscountRate::Fixed(r) => r,
        };
        dfs.push(prev / (Decimal::ONE + rate));
    }
    let df: Vec<Decimal> = periods.iter().map(|t| dfs[*t as usize]).collect();
    let pv = |v: &[Decimal]| -> Decimal { v.iter().zip(&df).map(|(a, b)| a * b).sum() };
    let kind_sum = |o: usize, kind: CostKind| {
        line_sum(
            &case.costs,
            n,
            |l| l.option.index() == o && l.kind == kind,
            |l, j| l.values[j],
        )
    };
    let ben_sum = |o: usize, kind: BenefitKind| {
        line_sum(
            &case.benefits,
            n,
            |l| l.option.index() == o && l.kind == kind,
            |l, j| l.values[j],
        )
    };

    let mut options = Vec::new();
    for (i, o) in case.options.iter().enumerate() {
        let cap = kind_sum(i, CostKind::Capital);
        let rev = kind_sum(i, CostKind::Revenue);
        let risk: Vec<Decimal> = (0..n)
            .map(|j| {
                case.risks
                    .iter()
                    .filter(|r| r.option.index() == i && r.year == j)
                    .map(|r| r.probability * r.impact)
                    .sum()
            })
            .collect();
        let adjusted: Vec<Decimal> = (0..n)
            .map(|j| {
                cap[j] * (Decimal::ONE + o.ob_capital.rate)
                    + rev[j] * (Decimal::ONE + o.ob_revenue.rate)
                    + risk[j]
            })
            .collect();
        let cash = ben_sum(i, BenefitKind::Cashable);
        let non = ben_sum(i, BenefitKind::NonCashable);
        let pv_capital = pv(&cap);
        let pv_revenue = pv(&rev);
        let pv_costs = pv(&adjusted);
        let pv_risk = pv(&risk);
        options.push(OptionAppraisal {
            option: OptionId::new(i),
            id: o.id.clone(),
            name: o.name.clone(),
            baseline: o.baseline,
            pv_capital,
            pv_revenue,
            pv_costs_unadjusted: pv_capital + pv_revenue,
            pv_optimism_bias: pv_costs - pv_capital - pv_revenue - pv_risk,
            pv_risk,
            pv_costs,
            pv_cashable: pv(&cash),
            pv_non_cashable: pv(&non),
            pv_benefits: pv(&cash) + pv(&non),
            npsv: Decimal::ZERO,
            bcr: None,
            payback_year: None,
            payback_year_nominal: None,
            // The baseline's; the others' are set below.
            value_for_money: crate::compute::ValueForMoney::Baseline,
            net_public_cost: Decimal::ZERO,
            savings_per_benefit_forgone: None,
        });
    }
    let base = options[case.baseline.index()].clone();
    for o in &mut options {
        if o.baseline {
            continue;
        }
        let dc = o.pv_costs - base.pv_costs;
        let db = o.pv_benefits - base.pv_benefits;
        o.npsv = db - dc;
        o.bcr = (dc > Decimal::ZERO).then(|| db / dc);
        let zero = Decimal::ZERO;
        o.value_for_money = if dc == zero && db == zero {
            crate::compute::ValueForMoney::NoDifference
        } else if dc <= zero && db >= zero {
            crate::compute::ValueForMoney::Dominant
        } else if dc >= zero && db <= zero {
            crate::compute::ValueForMoney::Dominated
        } else if dc > zero {
            crate::compute::ValueForMoney::Ratio
        } else {
            crate::compute::ValueForMoney::CostSaving
        };
    }

    // Cash view, real and nominal.
    let profile = |i: usize, nominal: bool| -> Vec<ProfileYear> {
        let b = case.baseline.index();
        let f = |l_kind: Inflation, j: usize| {
            if nominal {
                inflate(case, l_kind, periods[j])
            } else {
                Decimal::ONE
            }
        };
        let cost_of = |o: usize, kind: CostKind| {
            line_sum(
                &case.costs,
                n,
                |l| l.option.index() == o && l.kind == kind,
                |l, j| l.values[j] * f(l.inflation, j),
            )
        };
        let ben_of = |o: usize, kind: BenefitKind| {
            line_sum(
                &case.benefits,
                n,
                |l| l.option.index() == o && l.kind == kind,
                |l, j| l.values[j] * f(Inflation::General, j),
            )
        };
        let (c1, c0) = (cost_of(i, CostKind::Capital), cost_of(b, CostKind::Capital));
        let (r1, r0) = (cost_of(i, CostKind::Revenue), cost_of(b, CostKind::Revenue));
        let (s1, s0) = (
            ben_of(i, BenefitKind::Cashable),
            ben_of(b, BenefitKind::Cashable),
        );
        let (n1, n0) = (
            ben_of(i, BenefitKind::NonCashable),
            ben_of(b, BenefitKind::NonCashable),
        );
        let mut cumulative = Decimal::ZERO;
        (0..n)
            .map(|j| {
                let capital = c1[j] - c0[j];
                let revenue = r1[j] - r0[j];
                let costs = capital + revenue;
                let cashable = s1[j] - s0[j];
                let net = cashable - costs;
                cumulative += net;
                ProfileYear {
                    cashable,
                    non_cashable: n1[j] - n0[j],
                    costs,
                    capital,
                    revenue,
                    net,
                    cumulative_net: cumulative,
                }
            })
            .collect()
    };
    let mut savings_profile = Vec::new();
    for (i, o) in case.options.iter().enumerate() {
        if o.baseline {
            continue;
        }
        let real = profile(i, false);
        let mut ever_negative = false;
        let mut payback = None;
        for (j, y) in real.iter().enumerate() {
            if y.cumulative_net < Decimal::ZERO {
                ever_negative = true;
            } else if ever_negative && payback.is_none() {
                payback = Some(case.years[j]);
            }
        }
        if !ever_negative {
            payback = case.years.first().copied();
        }
        options[i].payback_year = payback;
        savings_profile.push(OptionProfile {
            option: OptionId::new(i),
            real,
            nominal: profile(i, true),
        });
    }

    // Apportionment.
    let places = case.assumptions.unit.value.penny_places();
    let key = case.partners.key(case.assumptions.apportionment_key.value);
    let key_sum: Decimal = key.iter().sum();
    let shares: Vec<Decimal> = key.iter().map(|k| k / key_sum).collect();
    let p_count = case.partners.len();
    let mut ap_options = Vec::new();
    for (i, o) in case.options.iter().enumerate() {
        if o.baseline {
            continue;
        }
        let b = case.baseline.index();
        let mut flows: Vec<(Flows, Flows)> = vec![(Flows::default(), Flows::default()); p_count];
        for nominal in [false, true] {
            let f = |kind: Inflation, j: usize| {
                if nominal {
                    inflate(case, kind, periods[j])
                } else {
                    Decimal::ONE
                }
            };
            let cost_part = |who: Option<usize>, capital_only: bool, j: usize| -> Decimal {
                let sum_for = |opt: usize| -> Decimal {
                    case.costs
                        .iter()
                        .filter(|l| {
                            l.option.index() == opt
                                && l.partner.map(PartnerId::index) == who
                                && (!capital_only || l.kind == CostKind::Capital)
                        })
                        .map(|l| l.values[j] * f(l.inflation, j))
                        .sum()
                };
                sum_for(i) - sum_for(b)
            };
            let saving_part = |who: Option<usize>, j: usize| -> Decimal {
                let sum_for = |opt: usize| -> Decimal {
                    case.benefits
                        .iter()
                        .filter(|l| {
                            l.option.index() == opt
                                && l.partner.map(PartnerId::index) == who
                                && l.kind == BenefitKind::Cashable
                        })
                        .map(|l| l.values[j] * f(Inflation::General, j))
                        .sum()
                };
                sum_for(i) - sum_for(b)
            };
            for j in 0..n {
                let to_penny = |v: Decimal| {
                    v.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
                };
                let costs = split(to_penny(cost_part(None, false, j)), &key, places);
                let capital = split(to_penny(cost_part(None, true, j)), &key, places);
                let savings = split(to_penny(saving_part(None, j)), &key, places);
                for p in 0..p_count {
                    let own_costs = to_penny(cost_part(Some(p), false, j));
                    let own_capital = to_penny(cost_part(Some(p), true, j));
                    let own_savings = to_penny(saving_part(Some(p), j));
                    let target = if nominal {
                        &mut flows[p].1
                    } else {
                        &mut flows[p].0
                    };
                    let c = costs[p] + own_costs;
                    let k = capital[p] + own_capital;
                    let s = savings[p] + own_savings;
                    target.costs.push(c);
                    target.capital.push(k);
                    target.revenue.push(c - k);
                    target.savings.push(s);
                    target.net.push(s - c);
                }
            }
        }
        let partners: Vec<PartnerFlows> = flows
            .into_iter()
            .enumerate()
            .map(|(p, (real, nominal))| PartnerFlows {
                partner: PartnerId::new(p),
                real,
                nominal,
            })
            .collect();
        let net_contributors = partners
            .iter()
            .filter(|pf| pf.real.net.iter().sum::<Decimal>() < Decimal::ZERO)
            .map(|pf| pf.partner)
            .collect();
        ap_options.push(OptionApportionment {
            option: OptionId::new(i),
            partners,
            net_contributors,
        });
    }

    // Budget gap.
    let budget = case.budget.as_ref().unwrap();
    let m = budget.years.len();
    let table = |who: Option<usize>| -> GapTable {
        let entered = |line: BudgetLine| -> Vec<Decimal> {
            (0..m)
                .map(|j| {
                    budget
                        .rows
                        .iter()
                        .filter(|r| r.partner.map(PartnerId::index) == who && r.line == line)
                        .map(|r| r.values[j])
                        .sum()
                })
                .collect()
        };
        let base_gap = entered(BudgetLine::BaseBudgetGap);
        let reserves: Vec<Decimal> = entered(BudgetLine::UseOfReserves)
            .iter()
            .map(|v| -v.abs())
            .collect();
        let cre: Vec<Decimal> = entered(BudgetLine::CashReleasingEfficiencies)
            .iter()
            .map(|v| -v.abs())
            .collect();
        let residual: Vec<Decimal> = (0..m).map(|j| base_gap[j] + reserves[j] + cre[j]).collect();
        let risk = entered(BudgetLine::IdentifiedRiskGap);
        let adjusted: Vec<Decimal> = (0..m).map(|j| residual[j] + risk[j]).collect();
        let rows = [
            (GapLine::BaseBudgetGap, base_gap),
            (GapLine::UseOfReserves, reserves),
            (GapLine::CashReleasingEfficiencies, cre),
            (GapLine::ResidualGap, residual),
            (GapLine::IdentifiedRiskGap, risk),
            (GapLine::RiskAdjustedGap, adjusted),
            (
                GapLine::LossOfGrantToFloors,
                entered(BudgetLine::LossOfGrantToFloors),
            ),
            (
                GapLine::IncreaseInBorrowing,
                entered(BudgetLine::IncreaseInBorrowing),
            ),
        ];
        GapTable {
            rows: rows
                .into_iter()
                .map(|(line, values)| GapRow {
                    line,
                    total: values.iter().sum(),
                    values,
                })
                .collect(),
        }
    };
    let partner_tables: Vec<PartnerGap> = (0..p_count)
        .map(|p| PartnerGap {
            partner: PartnerId::new(p),
            table: table(Some(p)),
        })
        .collect();
    let region = GapTable {
        rows: GapLine::ALL
            .iter()
            .map(|line| {
                let values: Vec<Decimal> = (0..m)
                    .map(|j| {
                        partner_tables
                            .iter()
                            .map(|p| p.table.row(*line).values[j])
                            .sum()
                    })
                    .collect();
                GapRow {
                    line: *line,
                    total: values.iter().sum(),
                    values,
                }
            })
            .collect(),
    };
    let preferred = case.preferred.unwrap_or_else(|| {
        options
            .iter()
            .filter(|o| !o.baseline)
            .max_by(|a, b| a.npsv.cmp(&b.npsv))
            .map_or(OptionId::new(0), |o| o.option)
    });
    let common: Vec<FiscalYear> = budget
        .years
        .iter()
        .copied()
        .filter(|y| case.years.contains(y))
        .collect();
    let pref_ap = ap_options.iter().find(|a| a.option == preferred).unwrap();
    let bj = |y: &FiscalYear| budget.years.iter().position(|b| b == y).unwrap();
    let aj = |y: &FiscalYear| case.years.iter().position(|a| a == y).unwrap();
    // The Financial Case (financing and contingency) is the engine's; the
    // gap after the case is worked here from it: every partner finances by
    // revenue contribution in this case, so its net revenue effect is its
    // nominal net, and the region's is the partners' sum.
    let engine = crate::compute::compute(case).expect("the small case computes");
    let fc = engine.financial_case.clone().expect("a Financial Case");
    let region_net =
        |y: &FiscalYear| -> Decimal { pref_ap.partners.iter().map(|p| p.nominal.net[aj(y)]).sum() };
    let region_gap: Vec<Decimal> = common
        .iter()
        .map(|y| region.row(GapLine::RiskAdjustedGap).values[bj(y)] - region_net(y))
        .collect();
    let gap_after_case = GapAfterCase {
        option: preferred,
        years: common.clone(),
        region_with_contingency: common
            .iter()
            .zip(&region_gap)
            .map(|(y, g)| g + fc.region_contingency[aj(y)])
            .collect(),
        region: region_gap,
        partners: partner_tables
            .iter()
            .map(|p| {
                let gap: Vec<Decimal> = common
                    .iter()
                    .map(|y| {
                        p.table.row(GapLine::RiskAdjustedGap).values[bj(y)]
                            - pref_ap.partners[p.partner.index()].nominal.net[aj(y)]
                    })
                    .collect();
                let contingency = &fc.partners[p.partner.index()].contingency;
                PartnerGapAfterCase {
                    partner: p.partner,
                    with_contingency: common
                        .iter()
                        .zip(&gap)
                        .map(|(y, g)| g + contingency[aj(y)])
                        .collect(),
                    gap,
                }
            })
            .collect(),
    };

    Results {
        unit: case.assumptions.unit.value,
        base_year: case.assumptions.base_year.value,
        years: case.years.clone(),
        edition: case.meta.edition,
        discount_rate: case.assumptions.discount_rate.value,
        discount_factors: df,
        options,
        preferred,
        preferred_pinned: case.preferred.is_some(),
        recommended: preferred,
        savings_profile,
        apportionment: Apportionment {
            key: case.partners.key_columns[case.assumptions.apportionment_key.value].clone(),
            shares,
            line_keys: Vec::new(),
            every_key: Vec::new(),
            options: ap_options,
        },
        budget_gap: Some(BudgetGap {
            basis: crate::model::GapBasis::InYear,
            years: budget.years.clone(),
            region,
            partners: partner_tables,
        }),
        gap_after_case: Some(gap_after_case),
        switching_values: Vec::new(),
        sensitivity: Vec::new(),
        // The intermediate figures are the engine's: the workbook's formulas,
        // recalculated, check them.
        workings: engine.workings,
        financial_case: Some(fc),
    }
}

// ---- Reading workbooks back. ----

/// Every formula cell of a workbook: (sheet, row, col, formula).
fn formulas(bytes: &[u8]) -> Vec<(String, u32, u32, String)> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_formula(&name).unwrap();
        let Some((r0, c0)) = range.start() else {
            continue;
        };
        for (r, c, f) in range.cells() {
            if !f.is_empty() {
                out.push((
                    name.clone(),
                    r0 + u32::try_from(r).unwrap(),
                    c0 + u32::try_from(c).unwrap(),
                    f.clone(),
                ));
            }
        }
    }
    out
}

/// The value of every cell: sheet name → range.
fn values(bytes: &[u8]) -> Vec<(String, calamine::Range<Data>)> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            (name, range)
        })
        .collect()
}

fn value_at<'a>(
    vals: &'a [(String, calamine::Range<Data>)],
    sheet: &str,
    r: u32,
    c: u32,
) -> Option<&'a Data> {
    vals.iter()
        .find(|(n, _)| n == sheet)
        .and_then(|(_, range)| range.get_value((r, c)))
}

fn close(a: f64, b: f64) -> bool {
    let diff = (a - b).abs();
    diff <= 1e-9 || diff <= 1e-9 * a.abs().max(b.abs())
}

/// Cached and recalculated values agree: numbers within 1e-9 relative (or
/// absolute near zero), text exactly.
fn same(cached: Option<&Data>, recalculated: Option<&Data>) -> bool {
    match (cached, recalculated) {
        (Some(Data::Float(a)), Some(Data::Float(b))) => close(*a, *b),
        (Some(Data::Float(a)), Some(Data::Int(b))) | (Some(Data::Int(b)), Some(Data::Float(a))) => {
            #[allow(
                clippy::cast_precision_loss,
                reason = "test comparison of small integers"
            )]
            let b = *b as f64;
            close(*a, b)
        }
        (Some(Data::String(a)), Some(Data::String(b))) => a == b,
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

// ---- LibreOffice (through `crate::testkit`, which refuses to skip under CI). ----

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fivecase-xlsx-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Checks every formula cell of `bytes` after LibreOffice recalculates it;
/// returns false (after saying so) when LibreOffice is missing.
pub(super) fn check_recalculation(bytes: &[u8], name: &str) -> bool {
    let dir = scratch(name);
    let input = dir.join(format!("{name}.xlsx"));
    std::fs::write(&input, bytes).unwrap();
    let Some(output) = crate::testkit::recalculate_xlsx(&input, &dir) else {
        return false;
    };
    let recalculated = std::fs::read(&output).unwrap();
    let cached = values(bytes);
    let fresh = values(&recalculated);
    let cells = formulas(bytes);
    assert!(
        cells.len() > 50,
        "expected a workbook full of formulas, found {}",
        cells.len()
    );
    let mut bad = Vec::new();
    for (sheet, r, c, f) in &cells {
        let a = value_at(&cached, sheet, *r, *c);
        let b = value_at(&fresh, sheet, *r, *c);
        if !same(a, b) {
            bad.push(format!(
                "{sheet}!{}{}: ={f}: cached {a:?}, recalculated {b:?}",
                crate::model::column_letters(*c),
                r + 1
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        bad.is_empty(),
        "{} of {} formula cells disagree:\n{}",
        bad.len(),
        cells.len(),
        bad.join("\n")
    );
    true
}

// ---- The tests. ----

fn small_workbook() -> (Case, Results, Vec<u8>) {
    let case = small_case();
    let results = reference(&case);
    let bytes = model_workbook(&case, &results, &[]).unwrap();
    (case, results, bytes)
}

#[test]
fn the_same_case_gives_the_same_bytes() {
    let (case, results, bytes) = small_workbook();
    assert_eq!(model_workbook(&case, &results, &[]).unwrap(), bytes);
}

#[test]
fn sheets_come_in_reading_order() {
    let (_, _, bytes) = small_workbook();
    let book = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Parameters",
            "Economic",
            "Appraisal",
            "Savings profile",
            "Apportionment",
            "Financial case",
            "Budget gap",
            "Assumptions",
            "Partners",
            "Options",
            "Costs",
            "Benefits",
            "Budget",
            "Risks"
        ]
    );
}

/// The headline figure beside `label` (column A starts with it) on the Summary.
fn headline(vals: &[(String, calamine::Range<Data>)], label: &str) -> Data {
    let (_, range) = vals.iter().find(|(n, _)| n == "Summary").unwrap();
    for row in range.rows() {
        if let Some(Data::String(s)) = row.first()
            && s.starts_with(label)
        {
            return row.get(1).cloned().unwrap_or(Data::Empty);
        }
    }
    panic!("no {label:?} on the Summary");
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn decimal_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap()
}

#[test]
fn summary_headline_figures_are_the_engines() {
    let (_, results, bytes) = small_workbook();
    let vals = values(&bytes);
    let pref = results.option(results.preferred).unwrap();
    assert!(close(
        number(&headline(&vals, super::summary::NPSV)),
        decimal_f64(pref.npsv)
    ));
    assert!(close(
        number(&headline(&vals, super::summary::BCR)),
        decimal_f64(pref.bcr.unwrap())
    ));
    assert!(close(
        number(&headline(&vals, super::summary::PV_COSTS)),
        decimal_f64(pref.pv_costs)
    ));
    assert!(close(
        number(&headline(&vals, super::summary::PV_BENEFITS)),
        decimal_f64(pref.pv_benefits)
    ));
}

#[test]
fn input_sheets_hold_the_case_values_exactly() {
    let (case, _, bytes) = small_workbook();
    let vals = values(&bytes);
    let (_, costs) = vals.iter().find(|(n, _)| n == "Costs").unwrap();
    let header = costs
        .rows()
        .position(|r| r.first() == Some(&Data::String("Option".into())))
        .unwrap();
    let first = u32::try_from(header).unwrap() + 1 + costs.start().unwrap().0;
    let exact = |d: &Data| match d {
        Data::Float(f) => Decimal::from_str_exact(&f.to_string()).unwrap(),
        other => panic!("expected a number, found {other:?}"),
    };
    for (i, line) in case.costs.iter().enumerate() {
        let r = first + u32::try_from(i).unwrap();
        assert_eq!(
            value_at(&vals, "Costs", r, 1),
            Some(&Data::String(line.line.clone()))
        );
        for (j, want) in line.values.iter().enumerate() {
            let got = value_at(&vals, "Costs", r, 5 + u32::try_from(j).unwrap()).unwrap();
            assert_eq!(exact(got), *want, "Costs line {i} year {j}");
        }
    }
}

#[test]
fn libreoffice_recalculates_a_deliberately_wrong_cache() {
    // Guards the recalculation check itself: if LibreOffice kept cached
    // values, every comparison would pass vacuously.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for r in 0..60 {
        ws.write_formula(r, 0, rust_xlsxwriter::Formula::new("=1+1").set_result("7"))
            .unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let dir = scratch("guard");
    let input = dir.join("guard.xlsx");
    std::fs::write(&input, &bytes).unwrap();
    let Some(out) = crate::testkit::recalculate_xlsx(&input, &dir) else {
        return;
    };
    let vals = values(&std::fs::read(out).unwrap());
    assert_eq!(value_at(&vals, "Sheet1", 0, 0), Some(&Data::Float(2.0)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn libreoffice_agrees_with_every_cached_value() {
    let (_, _, bytes) = small_workbook();
    check_recalculation(&bytes, "small");
}

#[test]
fn libreoffice_agrees_with_a_fixed_rate_case_in_pounds() {
    let mut case = small_case();
    case.assumptions.unit.value = Unit::Pounds;
    case.assumptions.discount_rate.value = DiscountRate::Fixed(dec!(0.04));
    case.assumptions.base_year.value = fy(2024);
    case.assumptions.apportionment_key.value = 1;
    case.preferred = Some(OptionId::new(1));
    for line in &mut case.costs {
        for v in &mut line.values {
            *v *= dec!(1000000.07);
        }
    }
    for line in &mut case.benefits {
        for v in &mut line.values {
            *v *= dec!(1000000.03);
        }
    }
    let results = reference(&case);
    let bytes = model_workbook(&case, &results, &[]).unwrap();
    check_recalculation(&bytes, "pounds");
}

#[test]
fn libreoffice_agrees_without_budget_risks_bcr_or_payback() {
    // Option B's savings never recover its costs (payback "none"); option C
    // costs less than the baseline (bcr "n/a"); no Budget sheet, no risks.
    let mut case = small_case();
    case.risks.clear();
    case.benefits.retain(|b| b.kind == BenefitKind::NonCashable);
    for line in &mut case.costs {
        if line.option == OptionId::new(2) {
            line.values = vec![dec!(0.5), dec!(1), dec!(1)];
        }
    }
    let mut results = reference(&case);
    case.budget = None;
    results.budget_gap = None;
    results.gap_after_case = None;
    results.workings.gap_after_case = None;
    assert_eq!(results.option(OptionId::new(1)).unwrap().payback_year, None);
    assert_eq!(results.option(OptionId::new(2)).unwrap().bcr, None);
    let bytes = model_workbook(&case, &results, &[]).unwrap();
    let book = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert!(
        !book
            .sheet_names()
            .iter()
            .any(|n| n == "Budget gap" || n == "Budget")
    );
    let vals = values(&bytes);
    let (_, appraisal) = vals.iter().find(|(n, _)| n == "Appraisal").unwrap();
    let texts: Vec<&str> = appraisal
        .cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    // Option 2 has no ratio: its value for money is stated in words.
    let words = super::calc::vfm_text(results.option(OptionId::new(2)).unwrap().value_for_money);
    assert!(texts.contains(&words), "{texts:?}");
    assert!(texts.contains(&super::calc::NO_PAYBACK), "{texts:?}");
    check_recalculation(&bytes, "edges");
}

/// A Budget sheet of recurring shortfalls: no Total columns on the gap
/// tables, the Summary quotes the last year, every formula still recalculates
/// to the engine's value, and the export reads back to the same basis.
#[test]
fn a_recurring_budget_has_no_gap_totals_and_reads_back() {
    let mut case = small_case();
    if let Some(b) = case.budget.as_mut() {
        b.basis = crate::model::GapBasis::Recurring;
    }
    let results = crate::compute::compute(&case).unwrap();
    assert_eq!(
        results.budget_gap.as_ref().map(|g| g.basis),
        Some(crate::model::GapBasis::Recurring)
    );
    let bytes = model_workbook(&case, &results, &[]).unwrap();
    let vals = values(&bytes);
    let (_, gap) = vals.iter().find(|(n, _)| n == "Budget gap").unwrap();
    let totals = gap
        .rows()
        .flatten()
        .filter(|c| matches!(c, Data::String(s) if s == "Total"))
        .count();
    assert_eq!(totals, 0, "the Budget gap sheet has no Total column");
    let (_, summary) = vals.iter().find(|(n, _)| n == "Summary").unwrap();
    assert!(
        summary
            .rows()
            .flatten()
            .any(|c| matches!(c, Data::String(s) if s.starts_with("Recurring gap remaining after this case in"))),
        "the Summary quotes the last year"
    );
    check_recalculation(&bytes, "recurring");
    let dir = scratch("recurring-readback");
    let path = dir.join("model.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let back = crate::ingest::load(&path).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(
        back.case.budget.map(|b| b.basis),
        Some(crate::model::GapBasis::Recurring)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A saving that moves with pay: its nominal amounts follow the pay index,
/// in the engine and in the workbook's formulas, which LibreOffice
/// recalculates to the engine's values; the export reads back to the same
/// index.
#[test]
fn a_benefit_on_pay_inflation_recalculates_and_reads_back() {
    let mut case = small_case();
    let line = case
        .benefits
        .iter_mut()
        .find(|l| l.kind == BenefitKind::Cashable && !l.values.iter().all(Decimal::is_zero))
        .expect("a cashable line");
    line.inflation = Inflation::Pay;
    let option = line.option;
    let results = crate::compute::compute(&case).unwrap();
    // Nominal cashable = Σ real × index: with pay inflation above general,
    // the nominal savings exceed what general inflation alone would give.
    let general = crate::compute::compute(&small_case()).unwrap();
    let nominal = |r: &Results| -> Decimal {
        r.savings_profile
            .iter()
            .find(|p| p.option == option)
            .map(|p| p.nominal.iter().map(|y| y.cashable).sum())
            .unwrap_or_default()
    };
    assert_ne!(nominal(&results), nominal(&general));
    let bytes = model_workbook(&case, &results, &[]).unwrap();
    check_recalculation(&bytes, "pay-benefit");
    let dir = scratch("pay-benefit-readback");
    let path = dir.join("model.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let back = crate::ingest::load(&path).unwrap_or_else(|d| panic!("{d:?}"));
    assert!(
        back.case
            .benefits
            .iter()
            .any(|l| l.inflation == Inflation::Pay)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
