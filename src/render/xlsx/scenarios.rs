//! The Scenarios sheet: the base case and every `[[scenario]]` of case.toml
//! side by side, for the Oversight Group's chief finance officers.
//!
//! A spreadsheet cannot re-run a scenario (it changes the case's lines,
//! partners and keys before the engine runs), so each scenario's figures are
//! the values fivecase's engine computed, and the sheet says so. What a
//! finance lead can audit is the comparison: every "change from base" cell
//! is a formula against the base row, cached with the engine's difference.
//! The base row's figures are the same engine results the calculation sheets
//! derive by formula.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign};

use super::calc::{NO_BCR, NO_PAYBACK};
use super::{Ctx, ExportError, Sheet, a1, col, row, row_fixed, span};
use crate::compute::scenario::{Change, Outcome};
use crate::format::percent;
use crate::model::{DiscountRate, ScenarioSpec};

/// The name of the sheet.
pub(super) const NAME: &str = "Scenarios";

/// Shown in place of a figure a scenario does not have (an option it leaves
/// out, a partner that does not join).
const MISSING: &str = "n/a";

/// Width of a column of figures, in characters.
const FIGURE_WIDTH: f64 = 14.0;

/// One row of the comparison: the base case or a scenario.
struct Line<'a> {
    name: &'a str,
    description: &'a str,
    settings: String,
    npsv: Vec<Option<Decimal>>,
    bcr: Vec<Option<Decimal>>,
    preferred: String,
    payback: String,
    savings: Decimal,
    partners: Vec<Option<Decimal>>,
    gap: Vec<Option<Decimal>>,
    /// The gap after the case over its years, as the engine summed it.
    gap_total: Option<Decimal>,
    /// The engine's change from the base case (`None` for the base case).
    change: Option<&'a Change>,
}

/// A cell of a table: a figure, a text, or nothing to show.
#[derive(Clone)]
enum Cell {
    Figure(Decimal),
    Text(String),
    Missing,
}

/// A table of the sheet: its title, its column headers and each line's cells.
struct Table {
    title: String,
    headers: Vec<String>,
    /// The format of each column's figures.
    formats: Vec<Format>,
    rows: Vec<Vec<Cell>>,
    /// Each row's change from the base row, the engine's, column by column
    /// (empty for the base row).
    changes: Vec<Vec<Option<Decimal>>>,
    /// A total column (a `SUM` of the row) after the others, with each
    /// row's total and each change's total, the engine's.
    total: Option<Totals>,
}

/// The totals of a table's rows and of their changes from the base row.
struct Totals {
    rows: Vec<Option<Decimal>>,
    changes: Vec<Option<Decimal>>,
}

/// The Scenarios sheet, when case.toml has scenarios; `None` otherwise
/// (docs/export.md: a case without scenarios has no Scenarios sheet).
///
/// # Errors
/// When a difference overflows or a sheet limit is reached.
pub(super) fn write(ctx: &Ctx<'_>, scenarios: &[Outcome]) -> Result<Option<Sheet>, ExportError> {
    if scenarios.is_empty() {
        return Ok(None);
    }
    let case = ctx.case;
    let fmt = ctx.fmt;
    let u = ctx.unit();
    // The base case's headline totals, as the engine summed them.
    let res = ctx.results;
    let savings = res
        .workings
        .profile(res.preferred)
        .map_or(Decimal::ZERO, |p| p.real_total.cashable);
    let partner_net: Vec<Decimal> = match res.workings.apportioned(res.preferred) {
        Some(a) => a.partners.iter().map(|p| p.real.net).collect(),
        None => vec![Decimal::ZERO; case.partners.len()],
    };
    let options: Vec<&str> = case
        .options
        .iter()
        .filter(|o| !o.baseline)
        .map(|o| o.id.as_str())
        .collect();
    let gap_years = ctx
        .results
        .gap_after_case
        .as_ref()
        .map(|g| g.years.clone())
        .unwrap_or_default();

    let mut base = line(
        ScenarioSpec::BASE_NAME,
        ScenarioSpec::BASE_DESCRIPTION,
        "none".into(),
        case,
        ctx.results,
        savings,
        &partner_net,
        &options,
        &gap_years,
        &case.partners.names,
    );
    base.gap_total = res.workings.gap_after_case.as_ref().map(|g| g.region);
    let mut lines = vec![base];
    for o in scenarios {
        let spec = case.meta.scenarios.iter().find(|s| s.name == o.name);
        let mut l = line(
            &o.name,
            &o.description,
            spec.map_or_else(String::new, settings),
            &o.case,
            &o.results,
            o.total_cashable_savings,
            &o.partner_net,
            &options,
            &gap_years,
            &case.partners.names,
        );
        l.gap_total = o.gap_total;
        l.change = o.change.as_ref();
        lines.push(l);
    }

    let mut tables = vec![appraisal_table(ctx, &options, &lines)];
    if !case.partners.names.is_empty() {
        tables.push(Table {
            title: format!(
                "Net position of each partner, preferred option ({u}, real, over the period)"
            ),
            headers: case.partners.names.clone(),
            formats: vec![fmt.money.clone(); case.partners.len()],
            rows: lines
                .iter()
                .map(|l| l.partners.iter().map(|v| figure(*v)).collect())
                .collect(),
            changes: changes(&lines, |c| c.partner_net.clone()),
            total: None,
        });
    }
    if !gap_years.is_empty() {
        tables.push(Table {
            title: format!("Gap remaining after this case, region ({u}, nominal)"),
            headers: gap_years.iter().map(ToString::to_string).collect(),
            formats: vec![fmt.money.clone(); gap_years.len()],
            rows: lines
                .iter()
                .map(|l| l.gap.iter().map(|v| figure(*v)).collect())
                .collect(),
            changes: changes(&lines, |c| c.gap_after_case.clone()),
            total: Some(Totals {
                rows: lines.iter().map(|l| l.gap_total).collect(),
                changes: lines
                    .iter()
                    .skip(1)
                    .map(|l| l.change.map(|c| c.gap_after_case_total))
                    .collect(),
            }),
        });
    }
    let columns = tables
        .iter()
        .map(|t| t.headers.len() + usize::from(t.total.is_some()))
        .max()
        .unwrap_or(0)
        .max(4);

    let mut s = Sheet::new(NAME)?;
    s.text(
        0,
        0,
        &format!("Scenarios: the base case and case.toml's scenarios ({u})"),
        &fmt.title,
    )?;
    s.text(
        1,
        0,
        "Each scenario's figures are fivecase's engine results for the case with that scenario applied:",
        &fmt.note,
    )?;
    s.text(
        2,
        0,
        "a spreadsheet cannot re-run a scenario, so they are values; each change from base is a formula against the base row",
        &fmt.note,
    )?;
    let mut r = 4;
    r = settings_table(ctx, &mut s, r, columns, &lines)?;
    for (k, t) in tables.iter().enumerate() {
        if k == 1 {
            // The partners' and the gap's tables start a printed page, so
            // no table is split from its changes by a page break.
            s.worksheet().set_page_breaks(&[r])?;
        }
        r = write_table(ctx, &mut s, r + 1, t, &lines)?;
    }
    let name_width = lines
        .iter()
        .map(|l| l.name.chars().count())
        .chain([18])
        .max()
        .unwrap_or(18);
    #[expect(
        clippy::cast_precision_loss,
        reason = "a name's length in characters, far below f64's exact range"
    )]
    s.width(0, (name_width.min(60) + 3) as f64);
    for k in 0..columns {
        s.width(col(1, k)?, FIGURE_WIDTH);
    }
    s.freeze_panes(0, 1);
    Ok(Some(s))
}

/// The headline figures of one outcome, against the base case's options,
/// partners and years.
#[expect(
    clippy::too_many_arguments,
    reason = "one outcome's parts, gathered once for every table"
)]
fn line<'a>(
    name: &'a str,
    description: &'a str,
    settings: String,
    case: &crate::model::Case,
    results: &crate::compute::Results,
    savings: Decimal,
    partner_net: &[Decimal],
    options: &[&str],
    gap_years: &[crate::model::FiscalYear],
    partners: &[String],
) -> Line<'a> {
    let appraisal = |id: &str| results.options.iter().find(|a| a.id == id);
    let gac = results.gap_after_case.as_ref();
    Line {
        name,
        description,
        settings,
        npsv: options
            .iter()
            .map(|id| appraisal(id).map(|a| a.npsv))
            .collect(),
        bcr: options
            .iter()
            .map(|id| appraisal(id).and_then(|a| a.bcr))
            .collect(),
        preferred: case
            .option(results.preferred)
            .map(|o| o.id.clone())
            .unwrap_or_default(),
        payback: results
            .option(results.preferred)
            .and_then(|a| a.payback_year)
            .map_or_else(|| NO_PAYBACK.to_string(), |y| y.to_string()),
        savings,
        gap_total: None,
        change: None,
        partners: partners
            .iter()
            .map(|n| {
                case.partners
                    .names
                    .iter()
                    .position(|m| m == n)
                    .and_then(|p| partner_net.get(p).copied())
            })
            .collect(),
        gap: gap_years
            .iter()
            .map(|y| {
                gac.and_then(|g| {
                    g.years
                        .iter()
                        .position(|x| x == y)
                        .and_then(|i| g.region.get(i).copied())
                })
            })
            .collect(),
    }
}

fn figure(v: Option<Decimal>) -> Cell {
    v.map_or(Cell::Missing, Cell::Figure)
}

/// Each scenario's changes from the base case, as `pick` takes them from
/// the engine's [`Change`] (the base line has none).
fn changes(
    lines: &[Line<'_>],
    pick: fn(&Change) -> Vec<Option<Decimal>>,
) -> Vec<Vec<Option<Decimal>>> {
    lines
        .iter()
        .skip(1)
        .map(|l| l.change.map(pick).unwrap_or_default())
        .collect()
}

/// The appraisal table: npsv and bcr of each option, the preferred option,
/// its payback year and its total cashable savings.
fn appraisal_table(ctx: &Ctx<'_>, options: &[&str], lines: &[Line<'_>]) -> Table {
    let fmt = ctx.fmt;
    let u = ctx.unit();
    let mut headers: Vec<String> = options.iter().map(|o| format!("NPSV {o} ({u})")).collect();
    headers.extend(options.iter().map(|o| format!("BCR {o}")));
    headers.push("Preferred option".into());
    headers.push("Payback (preferred)".into());
    headers.push(format!("Cashable savings ({u})"));
    let mut formats = vec![fmt.money.clone(); options.len()];
    formats.extend(vec![fmt.ratio.clone(); options.len()]);
    formats.push(fmt.right.clone());
    formats.push(fmt.right.clone());
    formats.push(fmt.money.clone());
    let rows = lines
        .iter()
        .map(|l| {
            let mut cells: Vec<Cell> = l.npsv.iter().map(|v| figure(*v)).collect();
            cells.extend(l.bcr.iter().map(|v| match v {
                Some(v) => Cell::Figure(*v),
                None => Cell::Text(NO_BCR.into()),
            }));
            cells.push(Cell::Text(l.preferred.clone()));
            cells.push(Cell::Text(l.payback.clone()));
            cells.push(Cell::Figure(l.savings));
            cells
        })
        .collect();
    let changes = changes(lines, |c| {
        let mut v = c.npsv.clone();
        v.extend(c.bcr.iter().copied());
        // The preferred option and the payback year are compared as texts.
        v.extend([None, None, Some(c.total_cashable_savings)]);
        v
    });
    Table {
        title: format!(
            "Appraisal ({u}, real; npsv and the preferred option's cashable savings over the period)"
        ),
        headers,
        formats,
        rows,
        changes,
        total: None,
    }
}

/// The first table: each scenario's description and the settings it
/// changes, in merged cells wide enough to read. Returns the next free row.
fn settings_table(
    ctx: &Ctx<'_>,
    s: &mut Sheet,
    first: u32,
    columns: usize,
    lines: &[Line<'_>],
) -> Result<u32, ExportError> {
    let fmt = ctx.fmt;
    let wrap = Format::new()
        .set_font_name("Arial")
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let name_fmt = fmt.label.clone().set_align(FormatAlign::Top);
    // Description on the left half of the figure columns, settings on the right.
    let desc_cols = columns / 2;
    let desc_last = col(1, desc_cols.saturating_sub(1))?;
    let set_first = col(1, desc_cols)?;
    let set_last = col(1, columns.saturating_sub(1))?;
    s.text(first, 0, "What each scenario changes", &fmt.title)?;
    let first = row(first, 1)?;
    let header_left = fmt.header_left.clone();
    merged(s, first, 1, desc_last, "Description", &header_left)?;
    merged(
        s,
        first,
        set_first,
        set_last,
        "Settings changed",
        &header_left,
    )?;
    s.text(first, 0, "Scenario", &header_left)?;
    let mut r = first;
    for l in lines {
        r = row(r, 1)?;
        s.text(r, 0, l.name, &name_fmt)?;
        merged(s, r, 1, desc_last, l.description, &wrap)?;
        merged(s, r, set_first, set_last, &l.settings, &wrap)?;
        // Merged cells do not grow to fit their text: the height is set here.
        let lines_needed = text_lines(l.description, desc_cols)
            .max(text_lines(&l.settings, columns - desc_cols))
            .max(text_lines(l.name, 0));
        let height = 13.5 * f64::from(u32::try_from(lines_needed).unwrap_or(1).min(40));
        s.worksheet().set_row_height(r, height)?;
    }
    row(r, 1)
}

/// How many lines `text` takes in `columns` figure columns (0: the name
/// column, which is as wide as the longest name).
fn text_lines(text: &str, columns: usize) -> usize {
    if columns == 0 {
        return 1;
    }
    // About one character per unit of width in Arial 10, less a margin.
    // Arial 10 averages about 1.4 characters per unit of column width.
    let per_line = (columns * 14 * 7 / 5).saturating_sub(2).max(8);
    text.chars().count().div_ceil(per_line).max(1)
}

/// Text across `first..=last` of row `r`, merged when that is more than one cell.
fn merged(
    s: &mut Sheet,
    r: u32,
    first: u16,
    last: u16,
    text: &str,
    f: &Format,
) -> Result<(), ExportError> {
    if last > first {
        s.worksheet().merge_range(r, first, r, last, text, f)?;
        Ok(())
    } else {
        s.text(r, first, text, f)
    }
}

/// One comparison table: a header, the base row and the scenarios' rows
/// (values), then the change of each scenario from the base row (formulas).
/// Returns the next free row.
fn write_table(
    ctx: &Ctx<'_>,
    s: &mut Sheet,
    first: u32,
    t: &Table,
    lines: &[Line<'_>],
) -> Result<u32, ExportError> {
    let fmt = ctx.fmt;
    let n = t.headers.len();
    s.text(first, 0, &t.title, &fmt.title)?;
    let head = row(first, 1)?;
    s.text(head, 0, "Scenario", &fmt.header_left)?;
    for (k, h) in t.headers.iter().enumerate() {
        s.text(head, col(1, k)?, h, &fmt.header)?;
    }
    // Headers wrap; the row is made tall enough for two lines when one is long.
    if t.headers.iter().any(|h| h.chars().count() > 14) {
        s.worksheet().set_row_height(head, 26.0)?;
    }
    let total_col = col(1, n)?;
    if t.total.is_some() {
        s.text(head, total_col, "Total", &fmt.header)?;
    }
    let base_row = row(head, 1)?;
    let mut r = head;
    for (i, (l, cells)) in lines.iter().zip(&t.rows).enumerate() {
        r = row(r, 1)?;
        let label = if r == base_row {
            &fmt.label_bold
        } else {
            &fmt.label
        };
        s.text(r, 0, l.name, label)?;
        for (k, cell) in cells.iter().enumerate() {
            let c = col(1, k)?;
            let f = t.formats.get(k).unwrap_or(&fmt.money);
            match cell {
                Cell::Figure(v) => s.num(r, c, *v, f)?,
                Cell::Text(text) => s.text(r, c, text, &fmt.right)?,
                Cell::Missing => s.text(r, c, MISSING, &fmt.right)?,
            }
        }
        if let Some(totals) = &t.total
            && n > 0
        {
            let sum = totals.rows.get(i).copied().flatten();
            total(s, r, n, sum, t.formats.first().unwrap_or(&fmt.money))?;
        }
    }

    r = row(r, 1)?;
    s.text(r, 0, "Change from base", &fmt.label_bold)?;
    let base = t.rows.first().cloned().unwrap_or_default();
    for (i, (l, cells)) in lines.iter().zip(&t.rows).enumerate().skip(1) {
        r = row(r, 1)?;
        s.text(r, 0, l.name, &fmt.label)?;
        let value_row = row(base_row, i)?;
        let change = t.changes.get(i - 1);
        for (k, (cell, b)) in cells.iter().zip(&base).enumerate() {
            let c = col(1, k)?;
            let f = t.formats.get(k).unwrap_or(&fmt.money);
            let here = a1(value_row, c);
            let there = row_fixed(base_row, c);
            match (cell, b) {
                (Cell::Figure(_), Cell::Figure(_)) => {
                    match change.and_then(|ch| ch.get(k).copied().flatten()) {
                        Some(d) => s.formula(r, c, &format!("={here}-{there}"), d, f)?,
                        None => s.text(r, c, MISSING, &fmt.right)?,
                    }
                }
                (Cell::Text(v), Cell::Text(bv)) => {
                    let same = if v == bv { "same" } else { "changed" };
                    s.formula_text(
                        r,
                        c,
                        &format!("=IF({here}={there},\"same\",\"changed\")"),
                        same,
                        &fmt.right,
                    )?;
                }
                _ => s.text(r, c, MISSING, &fmt.right)?,
            }
        }
        if let Some(totals) = &t.total
            && n > 0
        {
            let sum = totals.changes.get(i - 1).copied().flatten();
            total(s, r, n, sum, t.formats.first().unwrap_or(&fmt.money))?;
        }
    }
    row(r, 1)
}

/// A row's total column: the `SUM` of its `n` figure cells, cached with the
/// engine's sum of the same figures (`SUM` skips the text "n/a", and so does
/// the engine).
fn total(
    s: &mut Sheet,
    r: u32,
    n: usize,
    sum: Option<Decimal>,
    f: &Format,
) -> Result<(), ExportError> {
    let sum = sum.ok_or(ExportError::Mismatch)?;
    let last = col(1, n - 1)?;
    s.formula(
        r,
        col(1, n)?,
        &format!("=SUM({})", span(r, 1, last)),
        sum,
        f,
    )
}

/// The settings a scenario changes, in words: `cashable savings realised
/// 80%; cost overrun 10%`.
fn settings(spec: &ScenarioSpec) -> String {
    let pct = |v: Decimal| percent(v, 4);
    let mut out = Vec::new();
    if let Some(v) = spec.savings_realisation {
        out.push(format!("cashable savings realised {}", pct(v)));
    }
    if let Some(v) = spec.benefits_realisation {
        out.push(format!("benefits realised {}", pct(v)));
    }
    if let Some(v) = spec.savings_delay_years {
        let s = if v == 1 { "" } else { "s" };
        out.push(format!("cashable savings delayed {v} year{s}"));
    }
    if let Some(v) = spec.cost_overrun {
        out.push(format!("cost overrun {}", pct(v)));
    }
    if let Some(v) = spec.capital_overrun {
        out.push(format!("capital overrun {}", pct(v)));
    }
    if let Some(v) = spec.revenue_overrun {
        out.push(format!("revenue overrun {}", pct(v)));
    }
    if let Some(v) = spec.baseline_cost_overrun {
        out.push(format!("business as usual cost overrun {}", pct(v)));
    }
    if let Some(p) = &spec.partners {
        let mut text = format!("partners joining: {}", p.join(", "));
        if spec.drop_partner_lines {
            text.push_str(" (the others' own lines dropped)");
        }
        out.push(text);
    }
    if let Some(k) = &spec.apportionment_key {
        out.push(format!("apportionment key: {k}"));
    }
    match spec.discount_rate {
        Some(DiscountRate::GreenBook) => out.push("discount rate: Green Book STPR".into()),
        Some(DiscountRate::Fixed(v)) => out.push(format!("discount rate {}", pct(v))),
        None => {}
    }
    for (id, ob) in &spec.optimism_bias {
        let mut parts = Vec::new();
        if let Some(v) = ob.capital {
            parts.push(format!("capital {}", pct(v)));
        }
        if let Some(v) = ob.revenue {
            parts.push(format!("revenue {}", pct(v)));
        }
        out.push(format!("optimism bias {id}: {}", parts.join(", ")));
    }
    if let Some(o) = &spec.options {
        out.push(format!("options: {}", o.join(", ")));
    }
    if out.is_empty() {
        "none".into()
    } else {
        out.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ObOverride;
    use rust_decimal::dec;

    #[test]
    fn settings_name_every_key_a_scenario_sets() {
        let mut spec = ScenarioSpec {
            name: "all".into(),
            savings_realisation: Some(dec!(0.8)),
            benefits_realisation: Some(dec!(0.95)),
            savings_delay_years: Some(2),
            cost_overrun: Some(dec!(0.1)),
            capital_overrun: Some(dec!(0.125)),
            revenue_overrun: Some(dec!(-0.05)),
            partners: Some(vec!["Essex".into(), "Kent".into()]),
            drop_partner_lines: false,
            apportionment_key: Some("Population".into()),
            discount_rate: Some(DiscountRate::Fixed(dec!(0.035))),
            options: Some(vec!["OPT1".into()]),
            ..ScenarioSpec::default()
        };
        spec.optimism_bias.insert(
            "OPT1".into(),
            ObOverride {
                capital: Some(dec!(0.2)),
                revenue: None,
            },
        );
        assert_eq!(
            settings(&spec),
            "cashable savings realised 80%; benefits realised 95%; cashable savings delayed 2 years; \
             cost overrun 10%; capital overrun 12.5%; revenue overrun -5%; partners joining: Essex, Kent; \
             apportionment key: Population; discount rate 3.5%; optimism bias OPT1: capital 20%; options: OPT1"
        );
        assert_eq!(settings(&ScenarioSpec::default()), "none");
        let green = ScenarioSpec {
            discount_rate: Some(DiscountRate::GreenBook),
            ..ScenarioSpec::default()
        };
        assert_eq!(settings(&green), "discount rate: Green Book STPR");
    }

    #[test]
    fn long_texts_take_more_lines() {
        assert_eq!(text_lines("short", 3), 1);
        assert_eq!(text_lines(&"x".repeat(200), 3), 4);
        assert_eq!(text_lines(&"x".repeat(200), 0), 1);
        assert_eq!(text_lines("", 3), 1);
    }
}
