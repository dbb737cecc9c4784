//! The Budget gap sheet: the medium-term financial plan's gap lines for the
//! region and each partner, with residual and risk-adjusted gaps as
//! formulas, and the gap remaining once the Financial Case option's net
//! revenue effect is set against the risk-adjusted gap, without and with
//! its contingency.

use std::collections::BTreeMap;

use super::financing::FinPos;
use super::inputs::BUDGET_FIRST_YEAR;
use super::{Ctx, ExportError, Sheet, a1, at, col, span};
use crate::compute::{GapLine, GapTable, PartnerGap};
use crate::model::{BudgetLine, PartnerId};

/// Where the Budget gap sheet's figures are.
pub(super) struct GapPos {
    pub(super) sheet: String,
    pub(super) first_year_col: u16,
    pub(super) total_col: u16,
    /// The region table's row of each line.
    pub(super) region: BTreeMap<GapLine, u32>,
    /// The gap-after-case table: its year columns (budget-year indices) and region row.
    pub(super) after: Option<AfterPos>,
}

/// The gap remaining after this case, on the Budget gap sheet.
pub(super) struct AfterPos {
    pub(super) region_row: u32,
    /// Budget-year index of each of its years, in order.
    pub(super) years: Vec<usize>,
    pub(super) total_col: u16,
}

fn input_line(line: GapLine) -> Option<BudgetLine> {
    match line {
        GapLine::BaseBudgetGap => Some(BudgetLine::BaseBudgetGap),
        GapLine::UseOfReserves => Some(BudgetLine::UseOfReserves),
        GapLine::CashReleasingEfficiencies => Some(BudgetLine::CashReleasingEfficiencies),
        GapLine::IdentifiedRiskGap => Some(BudgetLine::IdentifiedRiskGap),
        GapLine::LossOfGrantToFloors => Some(BudgetLine::LossOfGrantToFloors),
        GapLine::IncreaseInBorrowing => Some(BudgetLine::IncreaseInBorrowing),
        GapLine::ResidualGap | GapLine::RiskAdjustedGap => None,
    }
}

/// The Budget gap sheet, when the case has a Budget sheet.
///
/// # Errors
/// When a figure overflows or a sheet limit is reached.
pub(super) fn write(
    ctx: &Ctx<'_>,
    fin: Option<&FinPos>,
) -> Result<Option<(Sheet, GapPos)>, ExportError> {
    let (Some(budget), Some(bg)) = (&ctx.case.budget, &ctx.results.budget_gap) else {
        return Ok(None);
    };
    let fmt = ctx.fmt;
    let u = ctx.unit();
    let n = bg.years.len();
    let fy = 1u16;
    let last = col(fy, n.saturating_sub(1))?;
    let total_col = col(fy, n)?;
    // Recurring shortfalls do not add across years: no Total columns.
    let add = bg.basis.totals();
    let name = "Budget gap";
    let mut s = Sheet::new(name)?;
    s.text(0, 0, &format!("Budget gap and risk gap ({u})"), &fmt.title)?;
    s.text(
        1,
        0,
        "From the Budget sheet: reserves and efficiencies reduce the gap (shown in brackets); residual gap = base gap + reserves + efficiencies; risk adjusted gap = residual gap + identified risk gap",
        &fmt.note,
    )?;

    // A table's input-line cell: the Budget sheet rows of that partner (None: Region) and line.
    // One partner's rows of a line (`partner` None: the Region rows); like
    // the engine, each row of a reduction is taken as −|entered| before summing.
    let source = |partner: Option<PartnerId>,
                  line: BudgetLine,
                  j: usize|
     -> Result<Option<String>, ExportError> {
        let c = col(BUDGET_FIRST_YEAR, j)?;
        let cells: Vec<String> = budget
            .rows
            .iter()
            .zip(&ctx.layout.budget_rows)
            .filter(|(br, _)| br.line == line && br.partner == partner)
            .map(|(_, r)| super::xref("Budget", *r, c))
            .collect();
        if cells.is_empty() {
            return Ok(None);
        }
        let reduction = matches!(
            line,
            BudgetLine::UseOfReserves | BudgetLine::CashReleasingEfficiencies
        );
        Ok(Some(if reduction {
            cells
                .iter()
                .map(|c| format!("-ABS({c})"))
                .collect::<Vec<_>>()
                .concat()
        } else {
            cells.join("+")
        }))
    };

    let mut r = 3;
    let mut partner_tables: Vec<(PartnerId, BTreeMap<GapLine, u32>)> = Vec::new();
    // Partner tables are written below the region's; their rows are known in advance.
    let table_height = u32::try_from(GapLine::ALL.len()).unwrap_or(8) + 3;
    let region_first = r;
    let mut next = region_first + table_height;
    for PartnerGap { partner: p, .. } in &bg.partners {
        let rows = GapLine::ALL
            .iter()
            .enumerate()
            .map(|(k, l)| (*l, next + 1 + u32::try_from(k).unwrap_or(0)))
            .collect();
        partner_tables.push((*p, rows));
        next += table_height;
    }

    let write_table = |s: &mut Sheet,
                       first: u32,
                       title: &str,
                       table: &GapTable,
                       partner: Option<Option<PartnerId>>|
     -> Result<BTreeMap<GapLine, u32>, ExportError> {
        s.text(first, 0, &format!("{title} ({u})"), &fmt.header_left)?;
        for (j, y) in bg.years.iter().enumerate() {
            s.text(first, col(fy, j)?, &y.to_string(), &fmt.header)?;
        }
        if add {
            s.text(first, total_col, "Total", &fmt.header)?;
        }
        let mut rows = BTreeMap::new();
        for (k, line) in GapLine::ALL.iter().enumerate() {
            rows.insert(*line, first + 1 + u32::try_from(k).unwrap_or(0));
        }
        for line in GapLine::ALL {
            let rr = rows[&line];
            let gr = table.row(line);
            let style_label = if line.is_subtotal() {
                &fmt.label_bold
            } else {
                &fmt.label
            };
            let style = if line.is_subtotal() {
                &fmt.money_total
            } else {
                &fmt.money
            };
            s.text(rr, 0, line.label(), style_label)?;
            for j in 0..n {
                let c = col(fy, j)?;
                let v = at(&gr.values, j);
                let f = match (line, input_line(line)) {
                    (GapLine::ResidualGap, _) => Some(format!(
                        "={}+{}+{}",
                        a1(rows[&GapLine::BaseBudgetGap], c),
                        a1(rows[&GapLine::UseOfReserves], c),
                        a1(rows[&GapLine::CashReleasingEfficiencies], c)
                    )),
                    (GapLine::RiskAdjustedGap, _) => Some(format!(
                        "={}+{}",
                        a1(rows[&GapLine::ResidualGap], c),
                        a1(rows[&GapLine::IdentifiedRiskGap], c)
                    )),
                    (_, Some(input)) => match partner {
                        // A partner's table, or the region from Region rows.
                        Some(p) => source(p, input, j)?.map(|f| format!("={f}")),
                        // The region as the sum of the partner tables.
                        None => Some(format!(
                            "={}",
                            partner_tables
                                .iter()
                                .map(|(_, pr)| a1(pr[&line], c))
                                .collect::<Vec<_>>()
                                .join("+")
                        )),
                    },
                    (_, None) => None,
                };
                match f {
                    Some(f) => s.formula(rr, c, &f, v, style)?,
                    None => s.num(rr, c, v, style)?,
                }
            }
            if n > 0 && add {
                s.formula(
                    rr,
                    total_col,
                    &format!("=SUM({})", span(rr, fy, last)),
                    gr.total,
                    style,
                )?;
            }
        }
        Ok(rows)
    };

    let region_source = if bg.partners.is_empty() {
        Some(None)
    } else {
        None
    };
    let region = write_table(&mut s, region_first, "Region", &bg.region, region_source)?;
    r = region_first + table_height;
    for PartnerGap { partner: p, table } in &bg.partners {
        write_table(&mut s, r, ctx.partner(*p), table, Some(Some(*p)))?;
        r += table_height;
    }

    let mut after = None;
    if let (Some(gac), Some(fin)) = (&ctx.results.gap_after_case, fin) {
        let gac_totals = ctx
            .results
            .workings
            .gap_after_case
            .as_ref()
            .ok_or(ExportError::Mismatch)?;
        let mut budget_j = Vec::new();
        let mut appraisal_j = Vec::new();
        for y in &gac.years {
            budget_j.push(bg.years.iter().position(|b| b == y).unwrap_or(0));
            appraisal_j.push(ctx.case.years.iter().position(|a| a == y).unwrap_or(0));
        }
        let m = gac.years.len();
        let a_total = col(fy, m)?;
        let fc_partner = |p: PartnerId| {
            ctx.results
                .financial_case
                .as_ref()
                .and_then(|fc| fc.partners.iter().position(|f| f.partner == p))
        };
        let mut gap_rows: Vec<(PartnerId, u32)> = Vec::new();
        let mut region_gap_row = 0;
        for with_contingency in [false, true] {
            let title = if with_contingency {
                format!(
                    "Gap remaining after this case, with contingency: {} ({u}, nominal)",
                    ctx.option_title(gac.option)
                )
            } else {
                format!(
                    "Gap remaining after this case: {} ({u}, nominal)",
                    ctx.option_title(gac.option)
                )
            };
            s.text(r, 0, &title, &fmt.title)?;
            r += 1;
            let note = if with_contingency {
                "The gap after the case + the contingency (Financial case sheet)"
            } else {
                "Risk adjusted gap − the net revenue effect (Financial case sheet); the region's is the partners' sum"
            };
            s.text(r, 0, note, &fmt.note)?;
            r += 1;
            s.text(r, 0, u, &fmt.header_left)?;
            for (k, y) in gac.years.iter().enumerate() {
                s.text(r, col(fy, k)?, &y.to_string(), &fmt.header)?;
            }
            if add {
                s.text(r, a_total, "Total", &fmt.header)?;
            }
            r += 1;
            for (after_p, total) in gac.partners.iter().zip(&gac_totals.partners) {
                let p = after_p.partner;
                let Some((_, prow)) = partner_tables.iter().find(|(pp, _)| *pp == p) else {
                    continue;
                };
                let k_fin = fc_partner(p);
                s.text(r, 0, ctx.partner(p), &fmt.label)?;
                for k in 0..m {
                    let c = col(fy, k)?;
                    let f = if with_contingency {
                        let gap_row = gap_rows
                            .iter()
                            .find(|(pp, _)| *pp == p)
                            .map_or(r, |(_, gr)| *gr);
                        match k_fin.and_then(|i| fin.contingency.get(i)) {
                            Some(cr) => {
                                format!("={}+{}", a1(gap_row, c), fin.cell(*cr, appraisal_j[k]))
                            }
                            None => format!("={}", a1(gap_row, c)),
                        }
                    } else {
                        let gap_cell = a1(prow[&GapLine::RiskAdjustedGap], col(fy, budget_j[k])?);
                        match k_fin.and_then(|i| fin.effect.get(i)) {
                            Some(er) => format!("={gap_cell}-{}", fin.cell(*er, appraisal_j[k])),
                            None => format!("={gap_cell}"),
                        }
                    };
                    let values = if with_contingency {
                        &after_p.with_contingency
                    } else {
                        &after_p.gap
                    };
                    s.formula(r, c, &f, at(values, k), &fmt.money)?;
                }
                if m > 0 && add {
                    s.formula(
                        r,
                        a_total,
                        &format!("=SUM({})", span(r, fy, col(fy, m - 1)?)),
                        if with_contingency {
                            total.with_contingency
                        } else {
                            total.total
                        },
                        &fmt.money,
                    )?;
                }
                if !with_contingency {
                    gap_rows.push((p, r));
                }
                r += 1;
            }
            s.text(r, 0, "Region", &fmt.label_bold)?;
            for k in 0..m {
                let c = col(fy, k)?;
                let (f, v) = if with_contingency {
                    (
                        format!(
                            "={}+{}",
                            a1(region_gap_row, c),
                            fin.cell(fin.contingency_region, appraisal_j[k])
                        ),
                        at(&gac.region_with_contingency, k),
                    )
                } else {
                    let gap_cell = a1(region[&GapLine::RiskAdjustedGap], col(fy, budget_j[k])?);
                    (
                        format!(
                            "={gap_cell}-{}",
                            fin.cell(fin.effect_region, appraisal_j[k])
                        ),
                        at(&gac.region, k),
                    )
                };
                s.formula(r, c, &f, v, &fmt.money_total)?;
            }
            if m > 0 && add {
                s.formula(
                    r,
                    a_total,
                    &format!("=SUM({})", span(r, fy, col(fy, m - 1)?)),
                    if with_contingency {
                        gac_totals.region_with_contingency
                    } else {
                        gac_totals.region
                    },
                    &fmt.money_total,
                )?;
            }
            if with_contingency {
                r += 1;
            } else {
                region_gap_row = r;
                after = Some(AfterPos {
                    region_row: r,
                    years: budget_j.clone(),
                    total_col: a_total,
                });
                r += 2;
            }
        }
    }
    s.width(0, 40.0);
    for j in 0..n.max(1) {
        s.width(col(fy, j)?, 13.0);
    }
    s.width(total_col, 13.0);
    s.freeze_panes(0, 1);
    Ok(Some((
        s,
        GapPos {
            sheet: name.into(),
            first_year_col: fy,
            total_col,
            region,
            after,
        },
    )))
}
