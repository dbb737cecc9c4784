//! The Summary sheet: what the Oversight Group reads first. Headline figures
//! of the preferred option, the appraisal table, each partner's share and net
//! position, the budget-gap table with the gap remaining after this case, and
//! two native charts (the savings profile with cumulative net; npsv by
//! option). Every figure refers to the calculation sheets.

use rust_xlsxwriter::{Chart, ChartAxisLabelPosition, ChartFont, ChartType};

use super::apportion::ApportionPos;
use super::appraisal::AppraisalPos;
use super::calc::{NO_PAYBACK, NOT_APPLICABLE, vfm_text};
use super::gap::GapPos;
use super::profile::ProfilePos;
use super::{Ctx, ExportError, Sheet, a1, at, col, xref};
use crate::compute::GapLine;

/// Labels of the headline rows, in column A; tests find the figures by them.
pub(super) const NPSV: &str = "Net present social value";
pub(super) const BCR: &str = "Benefit-cost ratio";
pub(super) const PV_COSTS: &str = "Present value of costs";
pub(super) const PV_BENEFITS: &str = "Present value of benefits";

/// The Summary sheet.
///
/// # Errors
/// When a figure overflows or a sheet limit is reached.
pub(super) fn write(
    ctx: &Ctx<'_>,
    appr: &AppraisalPos,
    prof: &ProfilePos,
    apport: &ApportionPos,
    gap: Option<&GapPos>,
) -> Result<Sheet, ExportError> {
    let fmt = ctx.fmt;
    let case = ctx.case;
    let res = ctx.results;
    let u = ctx.unit();
    let mut s = Sheet::new("Summary")?;
    s.text(0, 0, &case.meta.title, &fmt.title)?;
    let date = case
        .meta
        .date
        .map(|d| format!(", {}", d.format("%-d %B %Y")))
        .unwrap_or_default();
    s.text(
        1,
        0,
        &format!(
            "{}: model workbook, version {}{date}",
            case.meta.stage.words(),
            case.meta.version
        ),
        &fmt.note,
    )?;
    s.text(
        2,
        0,
        &format!(
            "Figures in {u}; present values in real prices of {}, discounted under the Green Book {}; {}",
            res.base_year, res.edition, case.meta.marking
        ),
        &fmt.note,
    )?;

    // Headline figures of the preferred option; where no option is
    // recommended, of the option ranked highest, marked as not recommended.
    let none = res.no_option_recommended();
    let pref = if none {
        res.options
            .iter()
            .filter(|o| !o.baseline)
            .fold(
                None::<&crate::compute::OptionAppraisal>,
                |best, o| match best {
                    Some(b) if b.npsv >= o.npsv => Some(b),
                    _ => Some(o),
                },
            )
            .map_or(res.preferred, |o| o.option)
    } else {
        res.preferred
    };
    let pa = res.option(pref);
    let pr = appr.rows.get(pref.index()).copied().unwrap_or(0);
    let mut r = 4;
    s.text(r, 0, "Headline figures", &fmt.header_left)?;
    s.text(r, 1, "", &fmt.header)?;
    r += 1;
    let how = if res.preferred_pinned {
        ""
    } else {
        " (highest npsv)"
    };
    s.text(r, 0, &format!("Preferred option{how}"), &fmt.label)?;
    if none {
        s.text(
            r,
            1,
            "None: no option offers better value for money than business as usual",
            &fmt.label_bold,
        )?;
        r += 1;
        s.text(r, 0, "Highest npsv (not recommended)", &fmt.label)?;
        s.formula_text(
            r,
            1,
            &format!("={}", xref(&appr.sheet, pr, 0)),
            &ctx.option_title(pref),
            &fmt.label,
        )?;
    } else {
        s.formula_text(
            r,
            1,
            &format!("={}", xref(&appr.sheet, pr, 0)),
            &ctx.option_title(pref),
            &fmt.label_bold,
        )?;
    }
    r += 1;
    let cell = |c: u16| format!("={}", xref(&appr.sheet, pr, c));
    if let Some(a) = pa {
        s.text(r, 0, &format!("{NPSV} ({u})"), &fmt.label)?;
        s.formula(r, 1, &cell(appr.npsv_col), a.npsv, &fmt.money_total)?;
        r += 1;
        s.text(r, 0, BCR, &fmt.label)?;
        match a.bcr {
            Some(b) => s.formula(r, 1, &cell(appr.bcr_col), b, &fmt.ratio)?,
            None => s.formula_text(
                r,
                1,
                &cell(appr.bcr_col),
                vfm_text(a.value_for_money),
                &fmt.right,
            )?,
        }
        r += 1;
        s.text(r, 0, &format!("{PV_COSTS} ({u})"), &fmt.label)?;
        s.formula(r, 1, &cell(appr.pv_costs_col), a.pv_costs, &fmt.money)?;
        r += 1;
        s.text(r, 0, &format!("{PV_BENEFITS} ({u})"), &fmt.label)?;
        s.formula(r, 1, &cell(appr.pv_benefits_col), a.pv_benefits, &fmt.money)?;
        r += 1;
        s.text(r, 0, "Payback year", &fmt.label)?;
        let label = a
            .payback_year
            .map_or_else(|| NO_PAYBACK.to_string(), |y| y.to_string());
        if prof.payback.contains_key(&pref) {
            s.formula_text(r, 1, &cell(appr.payback_col), &label, &fmt.right)?;
        } else {
            s.text(r, 1, NOT_APPLICABLE, &fmt.right)?;
        }
        r += 1;
    }
    if let (Some((real, nominal)), Some(p)) = (prof.blocks.get(&pref), res.workings.profile(pref)) {
        let real_net = p.real_total.net;
        let nominal_net = p.nominal_total.net;
        s.text(
            r,
            0,
            &format!("Net cash saving over the period, real ({u})"),
            &fmt.label,
        )?;
        s.formula(
            r,
            1,
            &format!("={}", prof.total(real.net)),
            real_net,
            &fmt.money,
        )?;
        r += 1;
        s.text(
            r,
            0,
            &format!("Net cash saving over the period, nominal ({u})"),
            &fmt.label,
        )?;
        s.formula(
            r,
            1,
            &format!("={}", prof.total(nominal.net)),
            nominal_net,
            &fmt.money,
        )?;
        r += 1;
    }
    if let (Some(g), Some(after), Some(_)) =
        (gap, gap.and_then(|g| g.after.as_ref()), &res.gap_after_case)
    {
        match (&res.budget_gap, &res.gap_after_case) {
            (Some(bg), Some(gac)) if !bg.basis.totals() && !after.years.is_empty() => {
                let k = after.years.len() - 1;
                let y = gac
                    .years
                    .get(k)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                s.text(
                    r,
                    0,
                    &format!("Recurring gap remaining after this case in {y}, region ({u})"),
                    &fmt.label,
                )?;
                s.formula(
                    r,
                    1,
                    &format!(
                        "={}",
                        xref(&g.sheet, after.region_row, col(g.first_year_col, k)?)
                    ),
                    at(&gac.region, k),
                    &fmt.money,
                )?;
            }
            _ => {
                s.text(
                    r,
                    0,
                    &format!("Gap remaining after this case, region ({u})"),
                    &fmt.label,
                )?;
                s.formula(
                    r,
                    1,
                    &format!("={}", xref(&g.sheet, after.region_row, after.total_col)),
                    gac_total(res)?,
                    &fmt.money,
                )?;
            }
        }
        r += 1;
    }

    // The appraisal table.
    r += 1;
    let heads = [
        "Option".to_string(),
        format!("PV costs ({u})"),
        format!("PV benefits ({u})"),
        format!("NPSV ({u})"),
        "BCR".into(),
        "Payback year".into(),
    ];
    for (c, h) in heads.iter().enumerate() {
        s.text(
            r,
            col(0, c)?,
            h,
            if c == 0 {
                &fmt.header_left
            } else {
                &fmt.header
            },
        )?;
    }
    r += 1;
    let appraisal_first = r;
    for i in case.option_ids() {
        let (Some(a), Some(&ar)) = (res.option(i), appr.rows.get(i.index())) else {
            continue;
        };
        let link = |c: u16| format!("={}", xref(&appr.sheet, ar, c));
        s.formula_text(r, 0, &link(0), &ctx.option_title(i), &fmt.label)?;
        s.formula(r, 1, &link(appr.pv_costs_col), a.pv_costs, &fmt.money)?;
        s.formula(r, 2, &link(appr.pv_benefits_col), a.pv_benefits, &fmt.money)?;
        s.formula(r, 3, &link(appr.npsv_col), a.npsv, &fmt.money_total)?;
        if a.baseline {
            s.formula_text(r, 4, &link(appr.bcr_col), NOT_APPLICABLE, &fmt.right)?;
            s.formula_text(r, 5, &link(appr.payback_col), NOT_APPLICABLE, &fmt.right)?;
        } else {
            match a.bcr {
                Some(b) => s.formula(r, 4, &link(appr.bcr_col), b, &fmt.ratio)?,
                None => s.formula_text(
                    r,
                    4,
                    &link(appr.bcr_col),
                    vfm_text(a.value_for_money),
                    &fmt.right,
                )?,
            }
            if prof.payback.contains_key(&i) {
                let label = a
                    .payback_year
                    .map_or_else(|| NO_PAYBACK.to_string(), |y| y.to_string());
                s.formula_text(r, 5, &link(appr.payback_col), &label, &fmt.right)?;
            } else {
                s.text(r, 5, NOT_APPLICABLE, &fmt.right)?;
            }
        }
        r += 1;
    }
    let appraisal_last = r.saturating_sub(1);

    // Each partner's share and net position under the preferred option (real prices).
    r += 1;
    s.text(
        r,
        0,
        &format!(
            "Partners under {} (real prices, {u})",
            ctx.option_title(pref)
        ),
        &fmt.label_bold,
    )?;
    r += 1;
    let heads = [
        "Partner".to_string(),
        "Share".into(),
        format!("Costs ({u})"),
        format!("Savings ({u})"),
        format!("Net position ({u})"),
        "Position".into(),
    ];
    for (c, h) in heads.iter().enumerate() {
        s.text(
            r,
            col(0, c)?,
            h,
            if c == 0 {
                &fmt.header_left
            } else {
                &fmt.header
            },
        )?;
    }
    r += 1;
    if let (Some(oa), Some(totals), Some((rows, _))) = (
        res.apportioned(pref),
        res.workings.apportioned(pref),
        apport.options.get(&pref),
    ) {
        for (pos, pf) in totals.partners.iter().enumerate() {
            s.text(r, 0, ctx.partner(pf.partner), &fmt.label)?;
            if let Some(share) = apport.shares.get(pf.partner.index()) {
                s.formula(
                    r,
                    1,
                    &format!("={share}"),
                    at(&res.apportionment.shares, pf.partner.index()),
                    &fmt.share,
                )?;
            }
            let (costs, savings, net) = (pf.real.costs, pf.real.savings, pf.real.net);
            if let (Some(cr), Some(sr), Some(nr)) = (
                rows.costs.get(pos),
                rows.savings.get(pos),
                rows.net.get(pos),
            ) {
                s.formula(
                    r,
                    2,
                    &format!("={}", apport.total(*cr)),
                    costs,
                    &fmt.pennies,
                )?;
                s.formula(
                    r,
                    3,
                    &format!("={}", apport.total(*sr)),
                    savings,
                    &fmt.pennies,
                )?;
                s.formula(r, 4, &format!("={}", apport.total(*nr)), net, &fmt.pennies)?;
                let contributor = oa.net_contributors.contains(&pf.partner);
                let text = if contributor {
                    "Net contributor"
                } else {
                    "Net beneficiary"
                };
                s.formula_text(
                    r,
                    5,
                    &format!(
                        "=IF({}<0,\"Net contributor\",\"Net beneficiary\")",
                        a1(r, 4)
                    ),
                    text,
                    &fmt.right,
                )?;
            }
            r += 1;
        }
    }

    // The region's budget gap and the gap remaining after this case.
    if let (Some(g), Some(bg)) = (gap, &res.budget_gap) {
        r += 1;
        s.text(r, 0, &format!("Budget gap, region ({u})"), &fmt.label_bold)?;
        r += 1;
        s.text(r, 0, u, &fmt.header_left)?;
        for (j, y) in bg.years.iter().enumerate() {
            s.text(r, col(1, j)?, &y.to_string(), &fmt.header)?;
        }
        let total_c = col(1, bg.years.len())?;
        let add = bg.basis.totals();
        if add {
            s.text(r, total_c, "Total", &fmt.header)?;
        }
        r += 1;
        for line in GapLine::ALL {
            let Some(&gr) = g.region.get(&line) else {
                continue;
            };
            let row = bg.region.row(line);
            let (ls, ms) = if line.is_subtotal() {
                (&fmt.label_bold, &fmt.money_total)
            } else {
                (&fmt.label, &fmt.money)
            };
            s.text(r, 0, line.label(), ls)?;
            for j in 0..bg.years.len() {
                let c = col(g.first_year_col, j)?;
                s.formula(
                    r,
                    col(1, j)?,
                    &format!("={}", xref(&g.sheet, gr, c)),
                    at(&row.values, j),
                    ms,
                )?;
            }
            if !add {
                r += 1;
                continue;
            }
            s.formula(
                r,
                total_c,
                &format!("={}", xref(&g.sheet, gr, g.total_col)),
                row.total,
                ms,
            )?;
            r += 1;
        }
        if let (Some(after), Some(gac)) = (&g.after, &res.gap_after_case) {
            s.text(r, 0, "Gap remaining after this case", &fmt.label_bold)?;
            for (k, bj) in after.years.iter().enumerate() {
                let src = xref(&g.sheet, after.region_row, col(g.first_year_col, k)?);
                s.formula(
                    r,
                    col(1, *bj)?,
                    &format!("={src}"),
                    at(&gac.region, k),
                    &fmt.money_total,
                )?;
            }
            if add {
                s.formula(
                    r,
                    total_c,
                    &format!("={}", xref(&g.sheet, after.region_row, after.total_col)),
                    gac_total(res)?,
                    &fmt.money_total,
                )?;
            }
            r += 1;
        }
    }

    // Charts, below the tables, on a printed page of their own.
    r += 2;
    s.worksheet().set_page_breaks(&[r])?;
    if let Some((real, _)) = prof.blocks.get(&pref) {
        let n = case.years.len();
        if n > 0 {
            let first = prof.first_year_col;
            let last = col(first, n - 1)?;
            let cats = (
                prof.sheet.as_str(),
                prof.year_row,
                first,
                prof.year_row,
                last,
            );
            let mut chart = Chart::new(ChartType::Column);
            chart.title().set_name(&format!(
                "Savings profile: {} ({u}, real)",
                ctx.option_title(pref)
            ));
            for (row, name) in [(real.cashable, "Cashable savings"), (real.costs, "Costs")] {
                chart
                    .add_series()
                    .set_name(name)
                    .set_categories(cats)
                    .set_values((prof.sheet.as_str(), row, first, row, last));
            }
            let mut line = Chart::new(ChartType::Line);
            line.add_series()
                .set_name("Cumulative net")
                .set_categories(cats)
                .set_values((
                    prof.sheet.as_str(),
                    real.cumulative,
                    first,
                    real.cumulative,
                    last,
                ));
            chart.combine(&line);
            chart
                .y_axis()
                .set_num_format(money_axis(case.entered_decimals()));
            chart
                .x_axis()
                .set_label_position(ChartAxisLabelPosition::Low);
            chart.title().set_font(ChartFont::new().set_size(11));
            chart
                .legend()
                .set_position(rust_xlsxwriter::ChartLegendPosition::Bottom);
            chart.set_width(640).set_height(320);
            s.worksheet().insert_chart(r, 0, &chart)?;
        }
    }
    if appraisal_last >= appraisal_first {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(&format!("NPSV by option ({u})"));
        chart
            .add_series()
            .set_name("NPSV")
            .set_categories(("Summary", appraisal_first, 0, appraisal_last, 0))
            .set_values(("Summary", appraisal_first, 3, appraisal_last, 3));
        chart
            .x_axis()
            .set_num_format(money_axis(case.entered_decimals()));
        chart
            .y_axis()
            .set_label_position(ChartAxisLabelPosition::Low);
        chart.title().set_font(ChartFont::new().set_size(11));
        chart.legend().set_hidden();
        chart.set_width(480).set_height(320);
        s.worksheet().insert_chart(r, 4, &chart)?;
    }
    s.width(0, 46.0);
    for c in 1..=12 {
        s.width(c, 14.0);
    }
    Ok(s)
}

fn money_axis(decimals: u32) -> String {
    let places = if decimals == 0 {
        String::new()
    } else {
        format!(
            ".{}",
            "0".repeat(usize::try_from(decimals.min(4)).unwrap_or(1))
        )
    };
    format!("#,##0{places};(#,##0{places})")
}

/// The region's gap after the case over its years, as the engine totals it.
fn gac_total(res: &crate::compute::Results) -> Result<rust_decimal::Decimal, ExportError> {
    res.workings
        .gap_after_case
        .as_ref()
        .map(|g| g.region)
        .ok_or(ExportError::Mismatch)
}
