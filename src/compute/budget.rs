//! Budget-gap and risk-gap tables, and the gap remaining after the case.
//!
//! The layout is the regional financial forecast of a collaboration plan
//! (East Midlands, 2008/09 to 2010/11): the base budget gap, less reserves
//! and one-off grant and cash-releasing efficiencies, leaves the residual
//! gap; adding the identified risk gap gives the risk-adjusted gap; loss of
//! grant to floors and the increase in borrowing are memo lines. The
//! reductions are shown negative whatever sign they were entered with.

use rust_decimal::Decimal;

use super::arith;
use super::{
    BudgetGap, ComputeError, FinancialCase, GapAfterCase, GapLine, GapRow, GapTable, PartnerGap,
    PartnerGapAfterCase,
};
use crate::model::{Budget, BudgetLine, BudgetRow, FiscalYear, PartnerId};

/// The entered lines of one table, summed where a line is entered twice.
///
/// Reductions (reserves, efficiencies) are made negative row by row, before
/// summing: forces may enter them with either sign, and a region built from
/// a force that typed 5.2 and one that typed (5.0) must show (10.2), not (0.2).
fn entered<'a>(
    rows: impl Iterator<Item = &'a BudgetRow>,
    n: usize,
) -> Result<[Vec<Decimal>; 6], ComputeError> {
    let mut lines: [Vec<Decimal>; 6] = std::array::from_fn(|_| vec![Decimal::ZERO; n]);
    for row in rows {
        let slot = match row.line {
            BudgetLine::BaseBudgetGap => 0,
            BudgetLine::UseOfReserves => 1,
            BudgetLine::CashReleasingEfficiencies => 2,
            BudgetLine::IdentifiedRiskGap => 3,
            BudgetLine::LossOfGrantToFloors => 4,
            BudgetLine::IncreaseInBorrowing => 5,
        };
        if matches!(
            row.line,
            BudgetLine::UseOfReserves | BudgetLine::CashReleasingEfficiencies
        ) {
            let reduction: Vec<Decimal> = row.values.iter().map(|v| -v.abs()).collect();
            arith::add_into(&mut lines[slot], &reduction, "budget gap lines")?;
        } else {
            arith::add_into(&mut lines[slot], &row.values, "budget gap lines")?;
        }
    }
    Ok(lines)
}

fn row(line: GapLine, values: Vec<Decimal>) -> Result<GapRow, ComputeError> {
    let total = arith::sum(values.iter().copied(), "budget gap totals")?;
    Ok(GapRow {
        line,
        values,
        total,
    })
}

/// One budget-gap table from its entered lines.
///
/// use_of_reserves = −|entered|, cash_releasing_efficiencies = −|entered|,
/// residual_gap = base_budget_gap + use_of_reserves + cash_releasing_efficiencies,
/// risk_adjusted_gap = residual_gap + identified_risk_gap; memo lines pass through.
///
/// # Errors
/// When a sum overflows.
pub fn table<'a>(
    rows: impl Iterator<Item = &'a BudgetRow>,
    n: usize,
) -> Result<GapTable, ComputeError> {
    let [base, reserves, efficiencies, risk, floors, borrowing] = entered(rows, n)?;
    let mut residual = base.clone();
    arith::add_into(&mut residual, &reserves, "residual gap")?;
    arith::add_into(&mut residual, &efficiencies, "residual gap")?;
    let mut adjusted = residual.clone();
    arith::add_into(&mut adjusted, &risk, "risk adjusted gap")?;
    Ok(GapTable {
        rows: vec![
            row(GapLine::BaseBudgetGap, base)?,
            row(GapLine::UseOfReserves, reserves)?,
            row(GapLine::CashReleasingEfficiencies, efficiencies)?,
            row(GapLine::ResidualGap, residual)?,
            row(GapLine::IdentifiedRiskGap, risk)?,
            row(GapLine::RiskAdjustedGap, adjusted)?,
            row(GapLine::LossOfGrantToFloors, floors)?,
            row(GapLine::IncreaseInBorrowing, borrowing)?,
        ],
    })
}

/// The region's table and each partner's: the region is the sum of the
/// partner rows; where only Region rows exist they are the region and there
/// are no partner tables.
///
/// # Errors
/// When a sum overflows.
pub fn budget_gap(budget: &Budget, partners: usize) -> Result<BudgetGap, ComputeError> {
    let n = budget.years.len();
    let has_partner_rows = budget.rows.iter().any(|r| r.partner.is_some());
    let region = if has_partner_rows {
        table(budget.rows.iter().filter(|r| r.partner.is_some()), n)?
    } else {
        table(budget.rows.iter(), n)?
    };
    let mut tables = Vec::new();
    for p in PartnerId::all(partners) {
        if budget.rows.iter().any(|r| r.partner == Some(p)) {
            tables.push(PartnerGap {
                partner: p,
                table: table(budget.rows.iter().filter(|r| r.partner == Some(p)), n)?,
            });
        }
    }
    Ok(BudgetGap {
        years: budget.years.clone(),
        basis: budget.basis,
        region,
        partners: tables,
    })
}

/// The gap left once the option of the Financial Case is in place, for each
/// year in both the Budget and the appraisal ranges:
/// gap_after_case = risk_adjusted_gap − net revenue effect, and
/// gap_after_case_with_contingency = gap_after_case + contingency; per
/// partner against its own figures, for the region against the partners'
/// sum (docs/methodology.md, "The gap after the case").
///
/// # Errors
/// When a difference overflows.
pub fn gap_after_case(
    gap: &BudgetGap,
    years: &[FiscalYear],
    fc: &FinancialCase,
) -> Result<GapAfterCase, ComputeError> {
    // (index in budget years, index in appraisal years) of each common year.
    let common: Vec<(usize, usize)> = gap
        .years
        .iter()
        .enumerate()
        .filter_map(|(b, y)| years.iter().position(|a| a == y).map(|a| (b, a)))
        .collect();
    let at = |v: &[Decimal], j: usize| v.get(j).copied().unwrap_or_default();
    let after = |table: &GapTable,
                 effect: &[Decimal],
                 contingency: &[Decimal]|
     -> Result<(Vec<Decimal>, Vec<Decimal>), ComputeError> {
        let adjusted = &table.row(GapLine::RiskAdjustedGap).values;
        let mut gap = Vec::with_capacity(common.len());
        let mut with = Vec::with_capacity(common.len());
        for &(b, a) in &common {
            let g = arith::sub(at(adjusted, b), at(effect, a), "gap after case")?;
            with.push(arith::add(
                g,
                at(contingency, a),
                "gap after case with contingency",
            )?);
            gap.push(g);
        }
        Ok((gap, with))
    };
    let (region, region_with_contingency) = after(
        &gap.region,
        &fc.region_net_revenue_effect,
        &fc.region_contingency,
    )?;
    let mut partners = Vec::with_capacity(gap.partners.len());
    for PartnerGap { partner, table } in &gap.partners {
        let (effect, contingency) = fc
            .partners
            .iter()
            .find(|f| f.partner == *partner)
            .map_or((&[][..], &[][..]), |f| {
                (f.net_revenue_effect.as_slice(), f.contingency.as_slice())
            });
        let (gap, with_contingency) = after(table, effect, contingency)?;
        partners.push(PartnerGapAfterCase {
            partner: *partner,
            gap,
            with_contingency,
        });
    }
    Ok(GapAfterCase {
        option: fc.option,
        years: common.iter().map(|&(b, _)| gap.years[b]).collect(),
        region,
        region_with_contingency,
        partners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn region_row(line: BudgetLine, values: [Decimal; 3]) -> BudgetRow {
        BudgetRow {
            partner: None,
            line,
            values: values.to_vec(),
            row: 0,
        }
    }

    /// The regional financial forecast of the East Midlands collaboration
    /// plan, £m, 2008/09 to 2010/11 (GREENBOOK.md, "Police collaboration context").
    #[test]
    fn reproduces_the_east_midlands_regional_forecast() {
        let years: Vec<FiscalYear> = (2008..=2010).map(|y| FiscalYear::new(y).unwrap()).collect();
        let budget = Budget {
            years,
            rows: vec![
                region_row(BudgetLine::BaseBudgetGap, [dec!(7.4), dec!(8.1), dec!(6.2)]),
                // Entered as positive amounts: reductions are shown negative regardless.
                region_row(BudgetLine::UseOfReserves, [dec!(5.2), dec!(5.0), dec!(4.3)]),
                region_row(
                    BudgetLine::CashReleasingEfficiencies,
                    [dec!(-2.2), dec!(-3.1), dec!(-1.9)],
                ),
                region_row(
                    BudgetLine::IdentifiedRiskGap,
                    [dec!(13.5), dec!(13.8), dec!(14.1)],
                ),
                region_row(
                    BudgetLine::LossOfGrantToFloors,
                    [dec!(20.5), dec!(19.1), dec!(17.6)],
                ),
                region_row(
                    BudgetLine::IncreaseInBorrowing,
                    [dec!(20.3), dec!(11.7), dec!(6.6)],
                ),
            ],
            year_cols: vec![1, 2, 3],
            basis: crate::model::GapBasis::InYear,
        };
        let gap = budget_gap(&budget, 4).unwrap();
        assert!(gap.partners.is_empty());
        let expect = |line: GapLine, values: [Decimal; 3], total: Decimal| {
            let row = gap.region.row(line);
            assert_eq!(row.values, values.to_vec(), "{line:?}");
            assert_eq!(row.total, total, "{line:?}");
        };
        expect(
            GapLine::BaseBudgetGap,
            [dec!(7.4), dec!(8.1), dec!(6.2)],
            dec!(21.7),
        );
        expect(
            GapLine::UseOfReserves,
            [dec!(-5.2), dec!(-5.0), dec!(-4.3)],
            dec!(-14.5),
        );
        expect(
            GapLine::CashReleasingEfficiencies,
            [dec!(-2.2), dec!(-3.1), dec!(-1.9)],
            dec!(-7.2),
        );
        expect(GapLine::ResidualGap, [dec!(0), dec!(0), dec!(0)], dec!(0));
        expect(
            GapLine::IdentifiedRiskGap,
            [dec!(13.5), dec!(13.8), dec!(14.1)],
            dec!(41.4),
        );
        expect(
            GapLine::RiskAdjustedGap,
            [dec!(13.5), dec!(13.8), dec!(14.1)],
            dec!(41.4),
        );
        expect(
            GapLine::LossOfGrantToFloors,
            [dec!(20.5), dec!(19.1), dec!(17.6)],
            dec!(57.2),
        );
        expect(
            GapLine::IncreaseInBorrowing,
            [dec!(20.3), dec!(11.7), dec!(6.6)],
            dec!(38.6),
        );
    }

    #[test]
    fn the_region_is_the_sum_of_partner_rows() {
        let years: Vec<FiscalYear> = (2025..=2026).map(|y| FiscalYear::new(y).unwrap()).collect();
        let partner_row = |p, v: [Decimal; 2]| BudgetRow {
            partner: Some(PartnerId::new(p)),
            line: BudgetLine::BaseBudgetGap,
            values: v.to_vec(),
            row: 0,
        };
        let budget = Budget {
            years,
            rows: vec![
                partner_row(1, [dec!(1), dec!(2)]),
                partner_row(0, [dec!(3), dec!(4)]),
            ],
            year_cols: vec![1, 2],
            basis: crate::model::GapBasis::InYear,
        };
        let gap = budget_gap(&budget, 2).unwrap();
        assert_eq!(
            gap.region.row(GapLine::BaseBudgetGap).values,
            vec![dec!(4), dec!(6)]
        );
        assert_eq!(
            gap.partners.iter().map(|p| p.partner).collect::<Vec<_>>(),
            vec![PartnerId::new(0), PartnerId::new(1)]
        );
    }

    /// Forces enter reductions with either sign; the region must be the sum of
    /// the forces' tables, line by line, not the table of the summed entries.
    #[test]
    fn the_region_foots_to_its_forces_when_reductions_are_entered_with_either_sign() {
        let years: Vec<FiscalYear> = (2026..=2027).map(|y| FiscalYear::new(y).unwrap()).collect();
        let at = |p, line, v: [Decimal; 2]| BudgetRow {
            partner: Some(PartnerId::new(p)),
            line,
            values: v.to_vec(),
            row: 0,
        };
        let budget = Budget {
            years,
            rows: vec![
                at(0, BudgetLine::BaseBudgetGap, [dec!(7.4), dec!(8.1)]),
                at(0, BudgetLine::UseOfReserves, [dec!(5.2), dec!(5.0)]),
                at(
                    0,
                    BudgetLine::CashReleasingEfficiencies,
                    [dec!(1.0), dec!(1.0)],
                ),
                at(1, BudgetLine::BaseBudgetGap, [dec!(6.0), dec!(6.5)]),
                at(1, BudgetLine::UseOfReserves, [dec!(-5.0), dec!(-4.3)]),
                at(
                    1,
                    BudgetLine::CashReleasingEfficiencies,
                    [dec!(-2.2), dec!(-3.1)],
                ),
            ],
            year_cols: vec![1, 2],
            basis: crate::model::GapBasis::InYear,
        };
        let gap = budget_gap(&budget, 2).unwrap();
        assert_eq!(
            gap.region.row(GapLine::UseOfReserves).values,
            vec![dec!(-10.2), dec!(-9.3)]
        );
        assert_eq!(
            gap.region.row(GapLine::ResidualGap).values,
            vec![dec!(0.0), dec!(1.2)]
        );
        for line in GapLine::ALL {
            for y in 0..2 {
                let sum: Decimal = gap
                    .partners
                    .iter()
                    .map(|p| p.table.row(line).values[y])
                    .sum();
                assert_eq!(gap.region.row(line).values[y], sum, "{line:?} year {y}");
            }
        }
    }

    /// docs/methodology.md, "Gap remaining after this case": two partners
    /// with Budget rows, two appraisal years of which the second is in the
    /// plan.
    #[test]
    fn gap_after_case_worked_example() {
        use crate::compute::PartnerFinance;
        use crate::compute::financing::Financed;
        use crate::model::{Financing, OptionId};
        let y = |start| FiscalYear::new(start).unwrap();
        let row = |p: usize, line, value| BudgetRow {
            partner: Some(PartnerId::new(p)),
            line,
            values: vec![value],
            row: 0,
        };
        let budget = Budget {
            years: vec![y(2027)],
            rows: vec![
                row(0, BudgetLine::BaseBudgetGap, dec!(400)),
                row(0, BudgetLine::IdentifiedRiskGap, dec!(100)),
                row(1, BudgetLine::BaseBudgetGap, dec!(300)),
            ],
            year_cols: vec![1],
            basis: crate::model::GapBasis::InYear,
        };
        let gap = budget_gap(&budget, 2).unwrap();
        let partner = |p: usize, effect: [Decimal; 2], contingency: [Decimal; 2]| PartnerFinance {
            partner: PartnerId::new(p),
            method: Financing::Revenue,
            capital: vec![dec!(0); 2],
            financed: Financed::default(),
            net_revenue_effect: effect.to_vec(),
            contingency: contingency.to_vec(),
            after_contingency: Vec::new(),
            total: dec!(0),
            years_costing: Vec::new(),
            cost_in_those_years: dec!(0),
        };
        let fc = FinancialCase {
            option: OptionId::new(1),
            years: vec![y(2027)],
            partners: vec![
                partner(0, [dec!(-50), dec!(120)], [dec!(1), dec!(6.12)]),
                partner(1, [dec!(-10), dec!(40.01)], [dec!(0), dec!(2.04)]),
            ],
            region_capital: Vec::new(),
            capital_needed: dec!(0),
            capital_avoided: dec!(0),
            region: Financed::default(),
            region_net_revenue_effect: vec![dec!(-60), dec!(160.01)],
            region_contingency: vec![dec!(1), dec!(8.16)],
            region_after_contingency: Vec::new(),
            region_total: dec!(0),
            self_funding: true,
        };
        let after = gap_after_case(&gap, &[y(2026), y(2027)], &fc).unwrap();
        assert_eq!(after.years, [y(2027)]);
        // 500 − 120 = 380, + 6.12 = 386.12; 300 − 40.01 = 259.99, + 2.04 = 262.03.
        assert_eq!(after.partners[0].gap, [dec!(380)]);
        assert_eq!(after.partners[0].with_contingency, [dec!(386.12)]);
        assert_eq!(after.partners[1].gap, [dec!(259.99)]);
        assert_eq!(after.partners[1].with_contingency, [dec!(262.03)]);
        // The region: 800 − 160.01 = 639.99, + 8.16 = 648.15.
        assert_eq!(after.region, [dec!(639.99)]);
        assert_eq!(after.region_with_contingency, [dec!(648.15)]);
    }
}
