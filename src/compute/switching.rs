//! Switching values and sensitivity of the appraisal.
//!
//! Green Book (2026) chapter 6 and the Five Case Model's Economic Case ask
//! for the value a key input would have to take to change the
//! recommendation. Where a closed form exists it is used, so the reported
//! change makes npsv exactly zero (to rust_decimal's precision), not
//! approximately as bisection would:
//! - benefits: npsv(x) = Δpv_benefits × (1 + x) − Δpv_costs = 0 gives
//!   x = −npsv / Δpv_benefits;
//! - costs: npsv(y) = Δpv_benefits − Δpv_costs × (1 + y) = 0 gives
//!   y = npsv / Δpv_costs;
//! - savings to switch: npsv moves by z × Δpv_cashable, so the ranking
//!   changes at z = (npsv of the rival − npsv) / Δpv_cashable;
//! - payback delay: the smallest whole-year shift of the incremental
//!   cashable savings after which the cumulative net never recovers.
//!
//! Sensitivity moves each of the preferred option's cost and benefit lines
//! by each of case.toml's `sensitivity` fractions, up and down. A line's
//! effect on npsv is linear: a cost line moves pv_costs by its present value
//! times (1 + its optimism bias); a benefit line moves pv_benefits by its
//! present value.

use rust_decimal::Decimal;

use super::appraisal::PresentValues;
use super::arith;
use super::profile::payback_index;
use super::{
    ComputeError, Difference, OptionAppraisal, OptionProfile, SensitivityEntry, SwitchingValues,
};
use crate::model::{Case, CostKind, OptionId};

/// Switching values of every non-baseline option.
///
/// # Errors
/// When a quotient or sum overflows.
pub(crate) fn switching_values(
    options: &[OptionAppraisal],
    pvs: &[PresentValues],
    baseline: OptionId,
    profiles: &[OptionProfile],
    pinned: bool,
) -> Result<Vec<SwitchingValues>, ComputeError> {
    let mut out = Vec::new();
    for (o, (benefits_change, costs_change, savings_change_to_switch)) in
        ratios(options, pvs, baseline, pinned)?
    {
        let payback_delay_years = profiles
            .iter()
            .find(|p| p.option == o.option)
            .map(payback_delay)
            .transpose()?
            .flatten();
        out.push(SwitchingValues {
            option: o.option,
            benefits_change,
            costs_change,
            savings_change_to_switch,
            payback_delay_years,
        });
    }
    Ok(out)
}

/// An option's switching values of benefits, costs and savings to switch.
type Ratios = (Option<Decimal>, Option<Decimal>, Option<Decimal>);

/// The three switching values that are ratios (benefits, costs, savings to
/// switch) of every non-baseline option. The headline results compute them
/// too, and drop them, so that a scenario whose ratios leave exact decimals
/// is refused by `check` (which runs the scenarios' headlines) as it would
/// be by `build --scenario` (which computes the scenario in full).
///
/// # Errors
/// When a difference overflows or a quotient does
/// ([`ComputeError::TinyDivisor`]).
pub(crate) fn ratios<'o>(
    options: &'o [OptionAppraisal],
    pvs: &[PresentValues],
    baseline: OptionId,
    pinned: bool,
) -> Result<Vec<(&'o OptionAppraisal, Ratios)>, ComputeError> {
    let base = pvs.get(baseline.index()).copied();
    let mut out = Vec::new();
    for o in options.iter().filter(|o| !o.baseline) {
        let (Some(pv), Some(base)) = (pvs.get(o.option.index()), base) else {
            continue;
        };
        let d_benefits = arith::sub(pv.pv_benefits, base.pv_benefits, "incremental benefits")?;
        let d_costs = arith::sub(pv.pv_costs, base.pv_costs, "incremental costs")?;
        let d_cashable = arith::sub(pv.pv_cashable, base.pv_cashable, "incremental savings")?;
        let benefits_change = if d_benefits.is_zero() {
            None
        } else {
            Some(arith::ratio(
                -o.npsv,
                d_benefits,
                "switching value of benefits",
                o.option,
                Difference::Benefits,
            )?)
        };
        let costs_change = if d_costs.is_zero() {
            None
        } else {
            Some(arith::ratio(
                o.npsv,
                d_costs,
                "switching value of costs",
                o.option,
                Difference::Costs,
            )?)
        };
        let savings_change_to_switch = if pinned || d_cashable.is_zero() {
            None
        } else {
            // The best npsv among the others (the baseline's 0 does not compete).
            let rival = options
                .iter()
                .filter(|r| !r.baseline && r.option != o.option)
                .map(|r| r.npsv)
                .max();
            match rival {
                Some(r) => Some(arith::ratio(
                    arith::sub(r, o.npsv, "switching value of savings")?,
                    d_cashable,
                    "switching value of savings",
                    o.option,
                    Difference::CashableSavings,
                )?),
                None => None,
            }
        };
        out.push((o, (benefits_change, costs_change, savings_change_to_switch)));
    }
    Ok(out)
}

/// The smallest shift of the incremental cashable savings after which the
/// option no longer pays back within the period.
fn payback_delay(profile: &OptionProfile) -> Result<Option<u32>, ComputeError> {
    let real = &profile.real;
    let n = real.len();
    for d in 0..=n {
        let mut cumulative = Decimal::ZERO;
        let mut series = Vec::with_capacity(n);
        for t in 0..n {
            let cash = if t >= d {
                real[t - d].cashable
            } else {
                Decimal::ZERO
            };
            let net = arith::sub(cash, real[t].costs, "delayed net savings")?;
            cumulative = arith::add(cumulative, net, "delayed cumulative net")?;
            series.push(cumulative);
        }
        if payback_index(series).is_none() {
            return Ok(u32::try_from(d).ok());
        }
    }
    Ok(None)
}

/// The preferred option's npsv with each of its lines moved by each
/// fraction up and down, largest effect first (ties in sheet order).
///
/// # Errors
/// When a product or sum overflows.
pub(crate) fn sensitivity(
    case: &Case,
    preferred: &OptionAppraisal,
    df: &[Decimal],
) -> Result<Vec<SensitivityEntry>, ComputeError> {
    if preferred.baseline {
        return Ok(Vec::new());
    }
    let Some(option) = case.option(preferred.option) else {
        return Ok(Vec::new());
    };
    let mut lines: Vec<(&'static str, u32, &str, Decimal)> = Vec::new();
    for l in case.costs.iter().filter(|l| l.option == preferred.option) {
        let ob = match l.kind {
            CostKind::Capital => option.ob_capital.rate,
            CostKind::Revenue => option.ob_revenue.rate,
        };
        let pv = arith::dot(&l.values, df, "present value of a cost line")?;
        let adjusted = arith::mul(
            pv,
            arith::add(Decimal::ONE, ob, "optimism bias")?,
            "present value of a cost line",
        )?;
        // A cost moves npsv the other way.
        lines.push(("Costs", l.row.saturating_add(1), &l.line, -adjusted));
    }
    for l in case
        .benefits
        .iter()
        .filter(|l| l.option == preferred.option)
    {
        let pv = arith::dot(&l.values, df, "present value of a benefit line")?;
        lines.push(("Benefits", l.row.saturating_add(1), &l.line, pv));
    }
    let mut out = Vec::with_capacity(lines.len() * case.meta.sensitivity.len() * 2);
    for (sheet, row, line, effect) in lines {
        for f in &case.meta.sensitivity {
            for change in [*f, -*f] {
                let delta = arith::mul(effect, change, "sensitivity")?;
                out.push((
                    delta.abs(),
                    SensitivityEntry {
                        sheet,
                        row,
                        line: line.to_string(),
                        change,
                        npsv: arith::add(preferred.npsv, delta, "sensitivity")?,
                    },
                ));
            }
        }
    }
    out.sort_by_key(|(effect, _)| std::cmp::Reverse(*effect));
    Ok(out.into_iter().map(|(_, e)| e).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::synthetic::CaseBuilder;
    use crate::compute::{compute, scenario};
    use crate::model::{BenefitKind, FiscalYear, Inflation, ScenarioSpec, Unit};
    use rust_decimal::dec;

    fn year(y: u16) -> FiscalYear {
        FiscalYear::new(y).unwrap()
    }

    /// A do-nothing baseline and two options; `benefit` and `cost` scale OPT1's lines.
    fn case(benefit: Decimal, cost: Decimal, extra_benefit: &[Decimal]) -> Case {
        let v = |x: [i64; 5], f: Decimal| x.map(|a| Decimal::from(a) * f).to_vec();
        CaseBuilder::new(year(2025), 5, Unit::Pounds)
            .partner("A", &[dec!(1)])
            .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
            .option("OPT1", false, dec!(0.24), dec!(0.1))
            .option("OPT2", false, Decimal::ZERO, Decimal::ZERO)
            .cost(
                0,
                CostKind::Revenue,
                None,
                Inflation::General,
                &v([0, 0, 0, 0, 0], dec!(1)),
            )
            .cost(
                1,
                CostKind::Capital,
                None,
                Inflation::General,
                &v([100_000, 0, 0, 0, 0], cost),
            )
            .cost(
                1,
                CostKind::Revenue,
                None,
                Inflation::General,
                &v([0, 20_000, 20_000, 20_000, 20_000], cost),
            )
            .benefit(
                1,
                BenefitKind::Cashable,
                None,
                &v([0, 50_000, 60_000, 60_000, 60_000], benefit),
            )
            .benefit(
                1,
                BenefitKind::NonCashable,
                None,
                &v([0, 5_000, 5_000, 5_000, 5_000], benefit),
            )
            .benefit(1, BenefitKind::NonCashable, None, extra_benefit)
            .cost(
                2,
                CostKind::Revenue,
                None,
                Inflation::General,
                &v([30_000, 10_000, 10_000, 10_000, 10_000], dec!(1)),
            )
            .benefit(
                2,
                BenefitKind::Cashable,
                None,
                &v([0, 30_000, 30_000, 30_000, 30_000], dec!(1)),
            )
            .build()
    }

    fn penny_zero(d: Decimal) -> bool {
        d.abs() < dec!(0.005)
    }

    #[test]
    fn a_sub_penny_difference_in_benefits_is_a_tiny_divisor_naming_the_option() {
        // OPT1's only benefit is 1e-27 in the first year: its switching value
        // of benefits, npsv over that difference, is beyond exact decimals.
        let tiny = Decimal::new(1, 27);
        let zeros = [Decimal::ZERO; 4];
        let extra = [&[tiny][..], &zeros].concat();
        let err = compute(&case(Decimal::ZERO, Decimal::ONE, &extra)).unwrap_err();
        let ComputeError::TinyDivisor {
            what,
            option,
            of,
            divisor,
            ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(
            (*what, *option, *of, *divisor),
            (
                "switching value of benefits",
                OptionId::new(1),
                Difference::Benefits,
                tiny
            )
        );
        assert!(
            err.to_string().starts_with(
                "option OPT1: the switching value of benefits is too large to compute exactly"
            ),
            "{err}"
        );
        // A penny's difference divides: the switching value is a (large) number.
        let penny = [&[Decimal::new(1, 2)][..], &zeros].concat();
        let r = compute(&case(Decimal::ZERO, Decimal::ONE, &penny)).unwrap();
        assert!(r.switching_values[0].benefits_change.unwrap() > dec!(1_000_000));
    }

    #[test]
    fn a_sub_penny_difference_in_costs_is_a_tiny_divisor_of_the_bcr() {
        // OPT1's costs are scaled down to about 2 × 10^-23 in all: its bcr,
        // benefits over that difference, leaves exact decimals first.
        let err = compute(&case(dec!(10), Decimal::new(1, 28), &[])).unwrap_err();
        let ComputeError::TinyDivisor {
            what, option, of, ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(
            (*what, *option, *of),
            ("benefit-cost ratio", OptionId::new(1), Difference::Costs)
        );
        assert!(
            err.to_string()
                .starts_with("option OPT1: the benefit-cost ratio is too large")
        );
    }

    #[test]
    fn applying_the_benefits_and_costs_switching_values_makes_npsv_zero() {
        let base = compute(&case(Decimal::ONE, Decimal::ONE, &[])).unwrap();
        let sv = base.switching_values[0];
        assert_eq!(sv.option, OptionId::new(1));
        let x = sv.benefits_change.unwrap();
        let y = sv.costs_change.unwrap();
        assert!(x < Decimal::ZERO && y > Decimal::ZERO, "{x} {y}");
        let edited = compute(&case(Decimal::ONE + x, Decimal::ONE, &[])).unwrap();
        assert!(
            penny_zero(edited.options[1].npsv),
            "{}",
            edited.options[1].npsv
        );
        let edited = compute(&case(Decimal::ONE, Decimal::ONE + y, &[])).unwrap();
        assert!(
            penny_zero(edited.options[1].npsv),
            "{}",
            edited.options[1].npsv
        );
    }

    #[test]
    fn against_a_baseline_with_benefits_the_change_applies_to_incremental_benefits() {
        // A baseline with benefits of its own: the change is to the
        // difference, so the edit adds x × (option − baseline) as a new line.
        let mut with_benefits = case(Decimal::ONE, Decimal::ONE, &[]);
        with_benefits.benefits.push(crate::model::BenefitLine {
            uncertainty: crate::model::Uncertainty::default(),
            option: OptionId::new(0),
            line: "BAU benefit".into(),
            kind: BenefitKind::Cashable,
            partner: None,
            values: vec![dec!(1000); 5],
            row: 99,
            key: None,
            inflation: Inflation::General,
        });
        let r = compute(&with_benefits).unwrap();
        let x = r.switching_values[0].benefits_change.unwrap();
        let p = r.profile(OptionId::new(1)).unwrap();
        let extra: Vec<Decimal> = p
            .real
            .iter()
            .map(|y| (y.cashable + y.non_cashable) * x)
            .collect();
        let mut edited = with_benefits.clone();
        edited.benefits.push(crate::model::BenefitLine {
            uncertainty: crate::model::Uncertainty::default(),
            option: OptionId::new(1),
            line: "switching edit".into(),
            kind: BenefitKind::NonCashable,
            partner: None,
            values: extra,
            row: 100,
            key: None,
            inflation: Inflation::General,
        });
        let e = compute(&edited).unwrap();
        assert!(penny_zero(e.options[1].npsv), "{}", e.options[1].npsv);
    }

    #[test]
    fn the_savings_switching_value_is_where_the_rival_catches_up() {
        let r = compute(&case(Decimal::ONE, Decimal::ONE, &[])).unwrap();
        let z = r.switching_values[0].savings_change_to_switch.unwrap();
        // Scale OPT1's cashable savings (the baseline has none) by 1 + z.
        let mut edited = case(Decimal::ONE, Decimal::ONE, &[]);
        for l in edited
            .benefits
            .iter_mut()
            .filter(|l| l.option == OptionId::new(1) && l.kind == BenefitKind::Cashable)
        {
            l.values = l.values.iter().map(|v| v * (Decimal::ONE + z)).collect();
        }
        let e = compute(&edited).unwrap();
        assert!(penny_zero(e.options[1].npsv - e.options[2].npsv), "{z}");
        // Pinned: no savings switching value.
        let mut pinned = case(Decimal::ONE, Decimal::ONE, &[]);
        pinned.preferred = Some(OptionId::new(1));
        assert_eq!(
            compute(&pinned).unwrap().switching_values[0].savings_change_to_switch,
            None
        );
    }

    #[test]
    fn the_payback_delay_is_the_first_delay_that_loses_payback() {
        let c = case(Decimal::ONE, Decimal::ONE, &[]);
        let r = compute(&c).unwrap();
        let d = r.switching_values[0].payback_delay_years.unwrap();
        assert!(d > 0);
        let delayed = |years: u32| {
            let spec = ScenarioSpec {
                savings_delay_years: Some(i64::from(years)),
                ..ScenarioSpec::default()
            };
            compute(&scenario::apply(&c, &spec).unwrap())
                .unwrap()
                .options[1]
                .payback_year
        };
        assert_eq!(delayed(d), None);
        assert!(delayed(d - 1).is_some());
    }

    #[test]
    fn sensitivity_moves_each_line_and_orders_by_effect() {
        let mut c = case(Decimal::ONE, Decimal::ONE, &[]);
        c.preferred = Some(OptionId::new(1));
        let r = compute(&c).unwrap();
        assert_eq!(r.preferred, OptionId::new(1));
        // Four lines of OPT1 with amounts, ±10% and ±25% each (the empty extra line too).
        assert_eq!(r.sensitivity.len(), 5 * 4);
        let effects: Vec<Decimal> = r
            .sensitivity
            .iter()
            .map(|e| (e.npsv - r.options[1].npsv).abs())
            .collect();
        assert!(effects.windows(2).all(|w| w[0] >= w[1]));
        // The first entry, recomputed by editing that line.
        let top = &r.sensitivity[0];
        let mut edited = c.clone();
        if top.sheet == "Costs" {
            let l = edited
                .costs
                .iter_mut()
                .find(|l| l.row + 1 == top.row)
                .unwrap();
            l.values = l
                .values
                .iter()
                .map(|v| v * (Decimal::ONE + top.change))
                .collect();
        } else {
            let l = edited
                .benefits
                .iter_mut()
                .find(|l| l.row + 1 == top.row)
                .unwrap();
            l.values = l
                .values
                .iter()
                .map(|v| v * (Decimal::ONE + top.change))
                .collect();
        }
        let recomputed = compute(&edited).unwrap().options[1].npsv;
        assert!(
            penny_zero(recomputed - top.npsv),
            "{recomputed} vs {}",
            top.npsv
        );
    }
}

/// One line of a tornado chart: the preferred option's npsv with the line
/// moved down and up by the same (largest) fraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornadoLine<'a> {
    /// The sensitivity entry moved up (for the line's sheet, row and name).
    pub entry: &'a SensitivityEntry,
    pub down: Decimal,
    pub up: Decimal,
}

/// The largest sensitivity fraction of `entries` and, at that fraction,
/// each line with both its moves, the widest swing (|up − down|) first,
/// ties in the order the engine gave. `None` when there is no line moved
/// both ways at a non-zero fraction.
pub fn tornado(entries: &[SensitivityEntry]) -> Option<(Decimal, Vec<TornadoLine<'_>>)> {
    let fraction = entries.iter().map(|e| e.change.abs()).max()?;
    if fraction.is_zero() {
        return None;
    }
    let mut lines: Vec<TornadoLine<'_>> = entries
        .iter()
        .filter(|e| e.change == fraction)
        .filter_map(|up| {
            entries
                .iter()
                .find(|d| d.change == -fraction && d.sheet == up.sheet && d.row == up.row)
                .map(|d| TornadoLine {
                    entry: up,
                    down: d.npsv,
                    up: up.npsv,
                })
        })
        .collect();
    let swing = |l: &TornadoLine<'_>| l.up.checked_sub(l.down).map_or(Decimal::MAX, |d| d.abs());
    lines.sort_by_key(|l| std::cmp::Reverse(swing(l)));
    if lines.is_empty() {
        None
    } else {
        Some((fraction, lines))
    }
}

#[cfg(test)]
mod tornado_tests {
    use super::*;
    use rust_decimal::dec;

    fn entry(row: u32, change: Decimal, npsv: Decimal) -> SensitivityEntry {
        SensitivityEntry {
            sheet: "Costs",
            row,
            line: format!("line {row}"),
            change,
            npsv,
        }
    }

    #[test]
    fn tornado_takes_the_largest_fraction_widest_swing_first() {
        let entries = [
            entry(2, dec!(0.25), dec!(9)),
            entry(2, dec!(-0.25), dec!(11)),
            entry(3, dec!(0.25), dec!(6)),
            entry(3, dec!(-0.25), dec!(14)),
            entry(3, dec!(0.1), dec!(8)),
            entry(3, dec!(-0.1), dec!(12)),
            // Moved one way only: left out.
            entry(4, dec!(0.25), dec!(1)),
        ];
        let (fraction, lines) = tornado(&entries).unwrap();
        assert_eq!(fraction, dec!(0.25));
        let got: Vec<_> = lines.iter().map(|l| (l.entry.row, l.down, l.up)).collect();
        assert_eq!(got, [(3, dec!(14), dec!(6)), (2, dec!(11), dec!(9))]);
        assert!(tornado(&[]).is_none());
        assert!(tornado(&entries[6..]).is_none());
    }
}
