//! The Apportionment sheet: each partner's share of the key, and each
//! option's incremental costs, capital, revenue, savings and net by partner,
//! in real and nominal prices.
//!
//! Shared amounts are split to the penny by largest remainder, which no
//! portable spreadsheet formula expresses, so the partners' costs, capital
//! and savings are written as values (the engine's). Revenue and net are
//! formulas of those, and beneath each table a check row sets the partners'
//! total against the cash view's total, rounded to the penny, and must show
//! zero.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::profile::{ProfilePos, ProfileRows};
use super::{Ctx, ExportError, Sheet, a1, at, col, row, span};
use crate::compute::{FlowTotals, Flows};
use crate::model::OptionId;

/// The partner rows of one option's tables, one price basis.
#[derive(Debug, Clone, Default)]
pub(super) struct MeasureRows {
    /// Row of each partner (in `PartnerFlows` order) in the costs table.
    pub(super) costs: Vec<u32>,
    pub(super) capital: Vec<u32>,
    pub(super) revenue: Vec<u32>,
    pub(super) savings: Vec<u32>,
    pub(super) net: Vec<u32>,
}

/// Where the Apportionment sheet's figures are.
pub(super) struct ApportionPos {
    pub(super) sheet: String,
    pub(super) first_year_col: u16,
    pub(super) total_col: u16,
    /// The share cell of each partner.
    pub(super) shares: Vec<String>,
    /// (real, nominal) rows by option.
    pub(super) options: BTreeMap<OptionId, (MeasureRows, MeasureRows)>,
}

impl ApportionPos {
    pub(super) fn cell(&self, r: u32, j: usize) -> String {
        let c = col(self.first_year_col, j).unwrap_or(self.first_year_col);
        super::xref(&self.sheet, r, c)
    }

    pub(super) fn total(&self, r: u32) -> String {
        super::xref(&self.sheet, r, self.total_col)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Measure {
    Costs,
    Capital,
    Revenue,
    Savings,
    Net,
}

impl Measure {
    const ALL: [Measure; 5] = [
        Measure::Costs,
        Measure::Capital,
        Measure::Revenue,
        Measure::Savings,
        Measure::Net,
    ];

    fn label(self) -> &'static str {
        match self {
            Measure::Costs => "Costs",
            Measure::Capital => "Capital costs",
            Measure::Revenue => "Revenue costs (costs − capital)",
            Measure::Savings => "Cashable savings",
            Measure::Net => "Net (savings − costs)",
        }
    }

    fn flows(self, f: &Flows) -> &[Decimal] {
        match self {
            Measure::Costs => &f.costs,
            Measure::Capital => &f.capital,
            Measure::Revenue => &f.revenue,
            Measure::Savings => &f.savings,
            Measure::Net => &f.net,
        }
    }

    fn total(self, t: &FlowTotals) -> Decimal {
        match self {
            Measure::Costs => t.costs,
            Measure::Capital => t.capital,
            Measure::Revenue => t.revenue,
            Measure::Savings => t.savings,
            Measure::Net => t.net,
        }
    }

    /// The cash-view row each apportioned measure must foot to.
    fn profile(self, rows: &ProfileRows) -> Option<u32> {
        match self {
            Measure::Costs => Some(rows.costs),
            Measure::Capital => Some(rows.capital),
            Measure::Savings => Some(rows.cashable),
            Measure::Revenue | Measure::Net => None,
        }
    }
}

/// The Apportionment sheet.
///
/// # Errors
/// When a figure overflows or a sheet limit is reached.
pub(super) fn write(
    ctx: &Ctx<'_>,
    prof: &ProfilePos,
) -> Result<(Sheet, ApportionPos), ExportError> {
    let fmt = ctx.fmt;
    let case = ctx.case;
    let ap = &ctx.results.apportionment;
    let u = ctx.unit();
    let n = case.years.len();
    let fy = 1u16;
    let last = col(fy, n.saturating_sub(1))?;
    let total_col = col(fy, n)?;
    let places = case.assumptions.unit.value.penny_places();
    let workings = &ctx.results.workings;
    let name = "Apportionment";
    let mut s = Sheet::new(name)?;
    s.text(
        0,
        0,
        &format!("Apportionment between partners by {} ({u})", ap.key),
        &fmt.title,
    )?;
    s.text(
        1,
        0,
        "Shared lines are split by the key to the penny by largest remainder (values); lines naming a partner go to that partner; each check row must show zero",
        &fmt.note,
    )?;
    s.text(3, 0, "Partner", &fmt.header_left)?;
    s.text(3, 1, &ap.key, &fmt.header)?;
    s.text(3, 2, "Share", &fmt.header)?;
    let p_count = case.partners.len();
    let first = 4;
    let last_p = row(first, p_count.saturating_sub(1))?;
    let mut shares = Vec::new();
    for id in case.partners.ids() {
        let p = id.index();
        let r = row(first, p)?;
        s.text(r, 0, ctx.partner(id), &fmt.label)?;
        let key_value = case
            .partners
            .values
            .get(p)
            .and_then(|v| v.get(case.assumptions.apportionment_key.value))
            .copied()
            .unwrap_or_default();
        match ctx.layout.partner_key.get(p) {
            Some(cell) => s.formula(r, 1, &format!("={cell}"), key_value, &fmt.money)?,
            None => s.num(r, 1, key_value, &fmt.money)?,
        }
        let f = format!(
            "={}/SUM({}:{})",
            a1(r, 1),
            super::abs(first, 1),
            super::abs(last_p, 1)
        );
        s.formula(r, 2, &f, at(&ap.shares, p), &fmt.share)?;
        shares.push(s.at(r, 2));
    }
    let key_total = workings.key_total;
    let tr = last_p + 1;
    s.text(tr, 0, "Total", &fmt.label_bold)?;
    s.formula(
        tr,
        1,
        &format!("=SUM({}:{})", a1(first, 1), a1(last_p, 1)),
        key_total,
        &fmt.money_total,
    )?;
    s.formula(
        tr,
        2,
        &format!("=SUM({}:{})", a1(first, 2), a1(last_p, 2)),
        workings.shares_total,
        &fmt.share,
    )?;

    let mut options = BTreeMap::new();
    let mut r = tr + 3;
    for oa in &ap.options {
        let i = oa.option;
        let Some(&(real_rows, nominal_rows)) = prof.blocks.get(&i) else {
            continue;
        };
        let totals = workings.apportioned(i).ok_or(ExportError::Mismatch)?;
        let mut both = Vec::new();
        for nominal in [false, true] {
            let check = if nominal {
                &totals.nominal
            } else {
                &totals.real
            };
            let basis = if nominal {
                "nominal prices".to_string()
            } else {
                format!("real prices of {}", ctx.results.base_year)
            };
            s.text(
                r,
                0,
                &format!("{}: {basis}", ctx.option_title(i)),
                &fmt.title,
            )?;
            r += 1;
            s.text(r, 0, &format!("Partner ({u})"), &fmt.header_left)?;
            for (j, y) in case.years.iter().enumerate() {
                s.text(r, col(fy, j)?, &y.to_string(), &fmt.header)?;
            }
            s.text(r, total_col, &format!("Total ({u})"), &fmt.header)?;
            r += 1;
            let mut rows = MeasureRows::default();
            let mut measure_rows: Vec<(Measure, Vec<u32>)> = Vec::new();
            for m in Measure::ALL {
                s.text(r, 0, m.label(), &fmt.label_bold)?;
                r += 1;
                let mut prow = Vec::new();
                for (pf, pt) in oa.partners.iter().zip(&totals.partners) {
                    let flows = if nominal { &pf.nominal } else { &pf.real };
                    let flow_totals = if nominal { &pt.nominal } else { &pt.real };
                    let values = m.flows(flows);
                    s.text(r, 0, ctx.partner(pf.partner), &fmt.label)?;
                    for j in 0..n {
                        let c = col(fy, j)?;
                        let v = at(values, j);
                        let from = |measure: Measure| {
                            measure_rows
                                .iter()
                                .find(|(mm, _)| *mm == measure)
                                .and_then(|(_, rs)| rs.get(prow.len()).copied())
                        };
                        match m {
                            Measure::Revenue => {
                                match (from(Measure::Costs), from(Measure::Capital)) {
                                    (Some(a), Some(b)) => {
                                        s.formula(
                                            r,
                                            c,
                                            &format!("={}-{}", a1(a, c), a1(b, c)),
                                            v,
                                            &fmt.pennies,
                                        )?;
                                    }
                                    _ => s.num(r, c, v, &fmt.pennies)?,
                                }
                            }
                            Measure::Net => match (from(Measure::Savings), from(Measure::Costs)) {
                                (Some(a), Some(b)) => {
                                    s.formula(
                                        r,
                                        c,
                                        &format!("={}-{}", a1(a, c), a1(b, c)),
                                        v,
                                        &fmt.pennies,
                                    )?;
                                }
                                _ => s.num(r, c, v, &fmt.pennies)?,
                            },
                            _ => s.num(r, c, v, &fmt.pennies)?,
                        }
                    }
                    if n > 0 {
                        s.formula(
                            r,
                            total_col,
                            &format!("=SUM({})", span(r, fy, last)),
                            m.total(flow_totals),
                            &fmt.pennies,
                        )?;
                    }
                    prow.push(r);
                    r += 1;
                }
                // The partners' total, and where the measure comes from the cash view, the check.
                let first_p = prow.first().copied().unwrap_or(r);
                let last_pr = prow.last().copied().unwrap_or(r);
                s.text(r, 0, "Total of partners", &fmt.label_bold)?;
                let partners_total = m.flows(&check.partners);
                for j in 0..n {
                    let c = col(fy, j)?;
                    let v = at(partners_total, j);
                    let f = if prow.is_empty() {
                        "=0".to_string()
                    } else {
                        format!("=SUM({}:{})", a1(first_p, c), a1(last_pr, c))
                    };
                    s.formula(r, c, &f, v, &fmt.pennies_total)?;
                }
                if n > 0 {
                    s.formula(
                        r,
                        total_col,
                        &format!("=SUM({})", span(r, fy, last)),
                        m.total(&check.total),
                        &fmt.pennies_total,
                    )?;
                }
                let total_row = r;
                r += 1;
                let prof_rows = if nominal { &nominal_rows } else { &real_rows };
                if let Some(pr) = m.profile(prof_rows) {
                    s.text(r, 0, "Cash view total, to the penny", &fmt.label)?;
                    s.text(r + 1, 0, "Check: difference (must be zero)", &fmt.note)?;
                    for j in 0..n {
                        let c = col(fy, j)?;
                        s.formula(
                            r,
                            c,
                            &format!("=ROUND({},{places})", prof.cell(pr, j)),
                            at(m.flows(&check.cash_view), j),
                            &fmt.pennies,
                        )?;
                        s.formula(
                            r + 1,
                            c,
                            &format!("={}-{}", a1(total_row, c), a1(r, c)),
                            at(m.flows(&check.difference), j),
                            &fmt.pennies,
                        )?;
                    }
                    r += 2;
                }
                match m {
                    Measure::Costs => rows.costs.clone_from(&prow),
                    Measure::Capital => rows.capital.clone_from(&prow),
                    Measure::Revenue => rows.revenue.clone_from(&prow),
                    Measure::Savings => rows.savings.clone_from(&prow),
                    Measure::Net => rows.net.clone_from(&prow),
                }
                measure_rows.push((m, prow));
                r += 1;
            }
            both.push(rows);
            r += 1;
        }
        let nominal = both.pop().unwrap_or_default();
        let real = both.pop().unwrap_or_default();
        options.insert(i, (real, nominal));
    }
    s.width(0, 34.0);
    for j in 0..n {
        s.width(col(fy, j)?, 13.0);
    }
    s.width(total_col, 15.0);
    s.width(1, 14.0);
    s.freeze_panes(0, 1);
    Ok((
        s,
        ApportionPos {
            sheet: name.into(),
            first_year_col: fy,
            total_col,
            shares,
            options,
        },
    ))
}
