//! The Appraisal sheet: each option's present values from the Economic
//! sheet, npsv and bcr against the baseline, and its payback year from the
//! Savings profile sheet.

use super::calc::{EconPos, NO_PAYBACK, NOT_APPLICABLE, vfm_text};
use super::profile::ProfilePos;
use super::{Ctx, ExportError, Sheet, a1, col, row};
use crate::compute::ValueForMoney;

/// Where the Appraisal sheet's figures are.
pub(super) struct AppraisalPos {
    pub(super) sheet: String,
    /// The row of each option, in `Case::options` order.
    pub(super) rows: Vec<u32>,
    pub(super) pv_costs_col: u16,
    pub(super) pv_benefits_col: u16,
    pub(super) npsv_col: u16,
    pub(super) bcr_col: u16,
    pub(super) payback_col: u16,
}

/// The Appraisal sheet.
///
/// # Errors
/// When a figure overflows or a sheet limit is reached.
pub(super) fn appraisal(
    ctx: &Ctx<'_>,
    econ: &EconPos,
    prof: &ProfilePos,
) -> Result<(Sheet, AppraisalPos), ExportError> {
    let fmt = ctx.fmt;
    let res = ctx.results;
    let case = ctx.case;
    let u = ctx.unit();
    let mut s = Sheet::new("Appraisal")?;
    s.text(
        0,
        0,
        &format!(
            "Appraisal against the baseline: present values ({u}, real prices of {})",
            res.base_year
        ),
        &fmt.title,
    )?;
    s.text(
        1,
        0,
        "npsv = incremental PV benefits − incremental PV costs; bcr = incremental PV benefits ÷ incremental PV costs where both are positive, otherwise the value for money in words: dominant (costs no more, delivers no less), dominated, cost-saving (both lower) or no difference",
        &fmt.note,
    )?;
    let heads = [
        "Option".to_string(),
        format!("PV capital ({u})"),
        format!("PV revenue ({u})"),
        format!("PV optimism bias ({u})"),
        format!("PV risk ({u})"),
        format!("PV costs ({u})"),
        format!("PV cashable ({u})"),
        format!("PV non-cashable ({u})"),
        format!("PV benefits ({u})"),
        format!("Incremental PV costs ({u})"),
        format!("Incremental PV benefits ({u})"),
        format!("NPSV ({u})"),
        "BCR".to_string(),
        "Payback year".to_string(),
    ];
    let hr = 3;
    for (c, h) in heads.iter().enumerate() {
        let style = if c == 0 {
            &fmt.header_left
        } else {
            &fmt.header
        };
        s.text(hr, col(0, c)?, h, style)?;
    }
    let base_row = row(hr + 1, case.baseline.index())?;
    let mut rows = Vec::new();
    for (i, opt) in case.option_ids().zip(&case.options) {
        let r = row(hr + 1, i.index())?;
        rows.push(r);
        let Some(a) = res.option(i) else { continue };
        let Some(b) = econ.blocks.get(i.index()) else {
            continue;
        };
        s.text(r, 0, &ctx.option_title(i), &fmt.label)?;
        let pv = |rr: u32| super::xref(&econ.sheet, rr, econ.pv_col);
        let cells = [
            (1, format!("={}", pv(b.capital)), a.pv_capital),
            (2, format!("={}", pv(b.revenue)), a.pv_revenue),
            (
                3,
                format!("={}+{}", pv(b.ob_capital), pv(b.ob_revenue)),
                a.pv_optimism_bias,
            ),
            (4, format!("={}", pv(b.risk)), a.pv_risk),
            (5, format!("={}", pv(b.adjusted)), a.pv_costs),
            (6, format!("={}", pv(b.cashable)), a.pv_cashable),
            (7, format!("={}", pv(b.non_cashable)), a.pv_non_cashable),
            (8, format!("={}", pv(b.benefits)), a.pv_benefits),
        ];
        for (c, f, v) in cells {
            let style = if c == 5 || c == 8 {
                &fmt.money_total
            } else {
                &fmt.money
            };
            s.formula(r, c, &f, v, style)?;
        }
        let w = res.workings.option(i).ok_or(ExportError::Mismatch)?;
        let (inc_costs, inc_benefits) = (w.pv_incremental_costs, w.pv_incremental_benefits);
        s.formula(
            r,
            9,
            &format!("={}-{}", a1(r, 5), a1(base_row, 5)),
            inc_costs,
            &fmt.money,
        )?;
        s.formula(
            r,
            10,
            &format!("={}-{}", a1(r, 8), a1(base_row, 8)),
            inc_benefits,
            &fmt.money,
        )?;
        s.formula(
            r,
            11,
            &format!("={}-{}", a1(r, 10), a1(r, 9)),
            a.npsv,
            &fmt.money_total,
        )?;
        if opt.baseline {
            s.text(r, 12, NOT_APPLICABLE, &fmt.right)?;
            s.text(r, 13, NOT_APPLICABLE, &fmt.right)?;
        } else {
            // The ratio where both increments are positive, else the
            // value-for-money category in words (docs/methodology.md).
            let f = format!(
                "=IF(AND({c}=0,{b}=0),\"{none}\",IF(AND({c}<=0,{b}>=0),\"{dominant}\",IF(AND({c}>=0,{b}<=0),\"{dominated}\",IF({c}>0,{b}/{c},\"{saving}\"))))",
                c = a1(r, 9),
                b = a1(r, 10),
                none = vfm_text(ValueForMoney::NoDifference),
                dominant = vfm_text(ValueForMoney::Dominant),
                dominated = vfm_text(ValueForMoney::Dominated),
                saving = vfm_text(ValueForMoney::CostSaving),
            );
            match a.bcr {
                Some(bcr) => s.formula(r, 12, &f, bcr, &fmt.ratio)?,
                None => s.formula_text(r, 12, &f, vfm_text(a.value_for_money), &fmt.right)?,
            }
            match prof.payback.get(&i) {
                Some(cell) => {
                    let label = a
                        .payback_year
                        .map_or_else(|| NO_PAYBACK.to_string(), |y| y.to_string());
                    s.formula_text(r, 13, &format!("={cell}"), &label, &fmt.right)?;
                }
                None => s.text(r, 13, NOT_APPLICABLE, &fmt.right)?,
            }
        }
    }
    s.width(0, 36.0);
    for c in 1..=11 {
        s.width(c, 14.0);
    }
    s.width(12, 9.0);
    s.width(13, 11.0);
    s.freeze(hr + 1, 1);
    Ok((
        s,
        AppraisalPos {
            sheet: "Appraisal".into(),
            rows,
            pv_costs_col: 5,
            pv_benefits_col: 8,
            npsv_col: 11,
            bcr_col: 12,
            payback_col: 13,
        },
    ))
}
