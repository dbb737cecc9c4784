//! Reading the Five Case content sheets (Objectives, Long list, Benefits
//! register, Risk allocation, Milestones) into [`Content`], every problem
//! located at its cell.
//!
//! The sheets are optional and independent of the figures: a problem here is
//! an error like any other (check and build refuse the case), but the content
//! never changes what the engine computes. A sheet with a header row and no
//! data rows (a blank input workbook's) is read as absent.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::content::{
    Allocation, Assessment, Content, ContentSources, Dimension, LongList, Milestone, Objective,
    ObjectiveKind, Outcome, Possibility, RegisterEntry, RegisterKind, Share,
};
use crate::model::{CaseOption, FiscalYear, OptionId};
use crate::names;
use crate::schema::{self, Choices, Column};

use super::raw::{RawRow, RawSheet, RawValue};
use super::validate::{Ctx, Table, find_table, number, resolve_option, text};

/// The content sheets as read from the workbook (each absent where the workbook has none).
#[derive(Debug, Default)]
pub struct Sheets {
    pub objectives: Option<RawSheet>,
    pub long_list: Option<RawSheet>,
    pub register: Option<RawSheet>,
    pub allocation: Option<RawSheet>,
    pub milestones: Option<RawSheet>,
}

/// Reads every content sheet present. `options` are the case's options and
/// `benefit_lines` each Benefits-sheet line's option and name, for the
/// register's `Option` and `Line`.
pub fn read(
    ctx: &mut Ctx<'_>,
    sheets: &Sheets,
    options: &[CaseOption],
    benefit_lines: &[(OptionId, String)],
) -> Content {
    let mut content = Content::default();
    let mut sources = ContentSources::default();
    if let Some(s) = &sheets.objectives
        && let Some((o, src)) = read_objectives(ctx, s)
    {
        content.objectives = o;
        sources.objectives = Some(src);
    }
    if let Some(s) = &sheets.long_list
        && let Some((l, src)) =
            read_long_list(ctx, s, &content.objectives, sheets.objectives.is_some())
    {
        content.long_list = l;
        sources.long_list = Some(src);
    }
    if let Some(s) = &sheets.register
        && let Some((r, src)) = read_register(ctx, s, options, benefit_lines)
    {
        content.register = r;
        sources.register = Some(src);
    }
    if let Some(s) = &sheets.allocation
        && let Some((a, src)) = read_allocation(ctx, s)
    {
        content.allocation = a;
        sources.allocation = Some(src);
    }
    if let Some(s) = &sheets.milestones
        && let Some((m, src)) = read_milestones(ctx, s)
    {
        content.milestones = m;
        sources.milestones = Some(src);
    }
    content.sources = sources;
    content
}

/// The sheet's table and its data rows; `None` when it has no data rows.
fn table_rows<'s>(
    ctx: &mut Ctx<'_>,
    sheet: &'s RawSheet,
    spec: &'static schema::Sheet,
) -> Option<(Table<'s>, Vec<&'s RawRow>)> {
    let table = find_table(ctx, sheet, spec)?;
    let rows = table.data_rows(ctx);
    if rows.is_empty() {
        return None;
    }
    table.required(ctx);
    Some((table, rows))
}

/// Each row's key, reporting blank-free duplicates under the common name rule.
fn ids(ctx: &mut Ctx<'_>, table: &Table<'_>, rows: &[&RawRow]) -> Vec<Option<String>> {
    // A map, not a scan: a sheet may have 200,000 rows.
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(id) = table.txt(ctx, row, Some(table.key_col)) else {
            out.push(None);
            continue;
        };
        let key = names::key(&id);
        if let Some(first) = seen.get(&key) {
            let what = table.spec.key().header;
            ctx.error(
                table.sheet,
                row.row,
                table.key_col,
                format!("{what} {id:?} is given twice (first in row {})", first + 1),
            );
            out.push(None);
            continue;
        }
        seen.insert(key, row.row);
        out.push(Some(id));
    }
    out
}

/// A choice cell: its value's position in `choices`; blank is `Ok(None)`.
fn choice(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    col: Option<u32>,
    choices: &Choices,
    header: &str,
) -> Result<Option<usize>, ()> {
    let Some(col) = col else { return Ok(None) };
    if row.get(col).is_none() {
        return Ok(None);
    }
    let t = table.txt(ctx, row, Some(col)).ok_or(())?;
    if let Some(i) = choices.find(&t) {
        return Ok(Some(i));
    }
    let hint = names::nearest(&t, choices.names()).map(names::did_you_mean);
    ctx.error_hint(
        table.sheet,
        row.row,
        col,
        format!(
            "expected {header} {}, found {t:?}",
            one_of(&choices.names())
        ),
        hint,
    );
    Err(())
}

/// `A, B or C`.
fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

/// A required choice: blank is an error at the cell.
fn required_choice(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    column: &Column,
    choices: &Choices,
) -> Option<usize> {
    let col = table.col(column)?;
    match choice(ctx, table, row, Some(col), choices, column.header) {
        Ok(Some(i)) => Some(i),
        Ok(None) => {
            ctx.error(
                table.sheet,
                row.row,
                col,
                format!(
                    "expected {} {}, found nothing",
                    column.header,
                    one_of(&choices.names())
                ),
            );
            None
        }
        Err(()) => None,
    }
}

/// A required text cell: blank is an error at the cell.
fn required_text(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    column: &Column,
) -> Option<String> {
    let col = table.col(column)?;
    let t = table.txt(ctx, row, Some(col))?;
    if t.is_empty() {
        ctx.error(
            table.sheet,
            row.row,
            col,
            format!("expected {}, found nothing", column.doc),
        );
        return None;
    }
    Some(t)
}

fn read_objectives(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
) -> Option<(Vec<Objective>, crate::model::SheetSource)> {
    use schema::objectives as c;
    let (table, rows) = table_rows(ctx, sheet, &schema::OBJECTIVES)?;
    let ids = ids(ctx, &table, &rows);
    let mut out = Vec::new();
    for (row, id) in rows.iter().zip(ids) {
        let kind = required_choice(ctx, &table, row, &c::KIND, &schema::OBJECTIVE_KINDS);
        let description = required_text(ctx, &table, row, &c::DESCRIPTION);
        let measure = table.txt(ctx, row, table.col(&c::MEASURE));
        if let (Some(id), Some(kind), Some(description), Some(measure)) =
            (id, kind, description, measure)
        {
            out.push(Objective {
                id,
                kind: if kind == 0 {
                    ObjectiveKind::SpendingObjective
                } else {
                    ObjectiveKind::CriticalSuccessFactor
                },
                description,
                measure,
                row: row.row,
            });
        }
    }
    Some((out, table.source(&rows)))
}

/// The Long list's assessment columns: every text header the sheet does
/// not declare (the declared placeholder `SO1 ...` aside), with its column.
fn assessment_headers(table: &Table<'_>) -> Vec<(String, u32)> {
    let Some(header) = table.sheet.rows.iter().find(|r| r.row == table.header_row) else {
        return Vec::new();
    };
    header
        .cells
        .iter()
        .filter_map(|c| match &c.value {
            RawValue::Text(t) if table.spec.column(t).is_none() => {
                Some((t.trim().to_string(), c.col))
            }
            _ => None,
        })
        .collect()
}

#[allow(clippy::too_many_lines, reason = "one sheet's rules, read in one pass")]
fn read_long_list(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    objectives: &[Objective],
    has_objectives_sheet: bool,
) -> Option<(LongList, crate::model::SheetSource)> {
    use schema::long_list as c;
    let (table, rows) = table_rows(ctx, sheet, &schema::LONG_LIST)?;
    // Each assessment column names an objective.
    let mut columns: Vec<(usize, u32)> = Vec::new();
    let by_key: HashMap<String, usize> = objectives
        .iter()
        .enumerate()
        .map(|(i, o)| (names::key(&o.id), i))
        .collect();
    let mut used = vec![false; objectives.len()];
    for (header, col) in assessment_headers(&table) {
        match by_key.get(&names::key(&header)).copied() {
            Some(i) => {
                if used.get(i).copied().unwrap_or(true) {
                    ctx.error(
                        sheet,
                        table.header_row,
                        col,
                        format!("the objective `{header}` has two columns"),
                    );
                } else {
                    used[i] = true;
                    columns.push((i, col));
                }
            }
            None if !has_objectives_sheet => ctx.error_hint(
                sheet,
                table.header_row,
                col,
                format!("the column `{header}` assesses an objective, but the workbook has no Objectives sheet"),
                Some("add an Objectives sheet with this id, or delete the column".into()),
            ),
            None => {
                let hint = if objectives.is_empty() {
                    "the Objectives sheet lists no objective".to_string()
                } else {
                    names::hint(
                        &header,
                        objectives.iter().map(|o| o.id.as_str()),
                        "objectives",
                    )
                };
                ctx.error_hint(
                    sheet,
                    table.header_row,
                    col,
                    format!(
                        "the column `{header}` is not an objective: expected an id from the Objectives sheet"
                    ),
                    Some(hint),
                );
            }
        }
    }
    let ids = ids(ctx, &table, &rows);
    let reason_col = table.col(&c::REASON);
    let outcome_col = table.col(&c::OUTCOME);
    let mut out = Vec::new();
    for (row, id) in rows.iter().zip(ids) {
        let dimension = required_choice(ctx, &table, row, &c::DIMENSION, &schema::DIMENSIONS);
        let description = required_text(ctx, &table, row, &c::DESCRIPTION);
        let outcome = required_choice(ctx, &table, row, &c::OUTCOME, &schema::OUTCOMES);
        let reason = table.txt(ctx, row, reason_col);
        let mut assessments = Vec::with_capacity(columns.len());
        let mut ok = true;
        for (i, col) in &columns {
            let header = objectives.get(*i).map_or("", |o| o.id.as_str());
            match choice(ctx, &table, row, Some(*col), &schema::ASSESSMENTS, header) {
                Ok(Some(0)) => assessments.push(Assessment::Yes),
                Ok(Some(1)) => assessments.push(Assessment::Partly),
                Ok(Some(_)) => assessments.push(Assessment::No),
                Ok(None) => assessments.push(Assessment::NotAssessed),
                Err(()) => ok = false,
            }
        }
        let outcome = outcome.map(|o| match o {
            0 => Outcome::Preferred,
            1 => Outcome::CarriedForward,
            _ => Outcome::Discounted,
        });
        if let (Some(Outcome::Discounted), Some(r)) = (outcome, &reason)
            && r.is_empty()
        {
            ctx.error_hint(
                sheet,
                row.row,
                reason_col.or(outcome_col).unwrap_or(table.key_col),
                "a Discounted possibility needs a reason",
                Some("say in the Reason column why it was discounted".into()),
            );
            ok = false;
        }
        if let (Some(id), Some(dimension), Some(description), Some(outcome), Some(reason), true) =
            (id, dimension, description, outcome, reason, ok)
        {
            out.push(Possibility {
                id,
                dimension: Dimension::ALL[dimension.min(4)],
                description,
                assessments,
                outcome,
                reason,
                row: row.row,
            });
        }
    }
    // Exactly one Preferred in each dimension present.
    for d in Dimension::ALL {
        let of: Vec<&Possibility> = out.iter().filter(|p| p.dimension == d).collect();
        let Some(first) = of.first() else { continue };
        let preferred: Vec<&&Possibility> = of
            .iter()
            .filter(|p| p.outcome == Outcome::Preferred)
            .collect();
        let col = outcome_col.unwrap_or(table.key_col);
        match preferred.as_slice() {
            [] => ctx.error_hint(
                sheet,
                first.row,
                col,
                format!(
                    "the {} dimension has no Preferred possibility: expected exactly one",
                    d.name()
                ),
                Some("mark the possibility the case takes forward as Preferred".into()),
            ),
            [_] => {}
            [one, rest @ ..] => {
                for p in rest {
                    ctx.error(
                        sheet,
                        p.row,
                        col,
                        format!(
                            "a second Preferred possibility in the {} dimension (the first is {:?}, row {}): expected exactly one",
                            d.name(),
                            one.id,
                            one.row + 1
                        ),
                    );
                }
            }
        }
    }
    let list = LongList {
        objectives: columns.iter().map(|(i, _)| *i).collect(),
        possibilities: out,
    };
    Some((list, table.source(&rows)))
}

fn read_register(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    options: &[CaseOption],
    benefit_lines: &[(OptionId, String)],
) -> Option<(Vec<RegisterEntry>, crate::model::SheetSource)> {
    use schema::register as c;
    let (table, rows) = table_rows(ctx, sheet, &schema::BENEFITS_REGISTER)?;
    let ids = ids(ctx, &table, &rows);
    let (option_col, line_col, from_col) = (
        table.col(&c::OPTION),
        table.col(&c::LINE),
        table.col(&c::FROM),
    );
    // Each option's benefit lines, and each line by option and key: the
    // register and the Benefits sheet may each have many rows.
    let mut of_option: HashMap<OptionId, Vec<&str>> = HashMap::new();
    let mut line_at: HashMap<(OptionId, String), &str> = HashMap::new();
    for (o, l) in benefit_lines {
        of_option.entry(*o).or_default().push(l.as_str());
        line_at.entry((*o, names::key(l))).or_insert(l.as_str());
    }
    let mut out = Vec::new();
    for (row, id) in rows.iter().zip(ids) {
        let description = required_text(ctx, &table, row, &c::DESCRIPTION);
        let kind = required_choice(ctx, &table, row, &c::TYPE, &schema::REGISTER_TYPES);
        let owner = table.txt(ctx, row, table.col(&c::OWNER));
        let measure = table.txt(ctx, row, table.col(&c::MEASURE));
        let baseline = table.txt(ctx, row, table.col(&c::BASELINE));
        let target = table.txt(ctx, row, table.col(&c::TARGET));
        let from = match from_col.filter(|c| row.get(*c).is_some()) {
            None => Some(None),
            Some(col) => fiscal_year(ctx, &table, row, col).map(Some),
        };
        let option = table.txt(ctx, row, option_col);
        let line_name = table.txt(ctx, row, line_col);
        let line = match (option, line_name) {
            (Some(o), Some(l)) if o.is_empty() && l.is_empty() => Some(None),
            (Some(o), Some(l)) if o.is_empty() || l.is_empty() => {
                let (col, missing) = if o.is_empty() {
                    (option_col, "Option")
                } else {
                    (line_col, "Line")
                };
                ctx.error(
                    sheet,
                    row.row,
                    col.unwrap_or(table.key_col),
                    format!(
                        "expected the {missing} too: Option and Line together name the Benefits-sheet line that values the benefit"
                    ),
                );
                None
            }
            (Some(o), Some(l)) => {
                let oc = option_col.unwrap_or(table.key_col);
                match resolve_option(ctx, sheet, row.row, oc, &o, options) {
                    Ok(opt) => {
                        let of = of_option.get(&opt).map_or(&[][..], Vec::as_slice);
                        if let Some(found) = line_at.get(&(opt, names::key(&l))) {
                            Some(Some((opt, (*found).to_string())))
                        } else {
                            let hint = if of.is_empty() {
                                format!("the Benefits sheet has no line for option {o:?}")
                            } else {
                                names::hint(&l, of.iter().copied(), "option's benefit lines")
                            };
                            ctx.error_hint(
                                sheet,
                                row.row,
                                line_col.unwrap_or(table.key_col),
                                format!("no Benefits line {l:?} for option {o:?}"),
                                Some(hint),
                            );
                            None
                        }
                    }
                    Err(()) => None,
                }
            }
            _ => None,
        };
        if let (
            Some(id),
            Some(description),
            Some(kind),
            Some(owner),
            Some(measure),
            Some(baseline),
            Some(target),
            Some(from),
            Some(line),
        ) = (
            id,
            description,
            kind,
            owner,
            measure,
            baseline,
            target,
            from,
            line,
        ) {
            out.push(RegisterEntry {
                id,
                description,
                kind: match kind {
                    0 => RegisterKind::Cashable,
                    1 => RegisterKind::NonCashable,
                    _ => RegisterKind::NonMonetised,
                },
                owner,
                measure,
                baseline,
                target,
                from,
                line,
                row: row.row,
            });
        }
    }
    Some((out, table.source(&rows)))
}

fn fiscal_year(ctx: &mut Ctx<'_>, table: &Table<'_>, row: &RawRow, col: u32) -> Option<FiscalYear> {
    let v = row.get(col)?;
    let parsed = match v {
        RawValue::Text(t) => FiscalYear::from_str(t).map_err(|e| e.to_string()),
        other => Err(match text(other) {
            Ok(t) => format!("expected a fiscal year like 2025/26, found {t:?}"),
            Err((m, _)) => m,
        }),
    };
    match parsed {
        Ok(y) => Some(y),
        Err(m) => {
            ctx.error(table.sheet, row.row, col, m);
            None
        }
    }
}

/// One allocation cell: blank or `No` is no share, `Yes` a share, a number a fraction.
fn share(ctx: &mut Ctx<'_>, table: &Table<'_>, row: &RawRow, col: Option<u32>) -> Option<Share> {
    let Some(col) = col else {
        return Some(Share::None);
    };
    let Some(v) = row.get(col) else {
        return Some(Share::None);
    };
    if let RawValue::Text(t) = v {
        match schema::YES_NO.find(t) {
            Some(0) => return Some(Share::Yes),
            Some(_) => return Some(Share::None),
            None => {}
        }
    }
    match number(v, true) {
        Ok(d) if d >= Decimal::ZERO && d <= Decimal::ONE => Some(Share::Part(d)),
        Ok(d) => {
            ctx.error_hint(
                table.sheet,
                row.row,
                col,
                format!(
                    "expected a percentage from 0% to 100%, found {}",
                    crate::format::percent(d, 2)
                ),
                None,
            );
            None
        }
        Err(_) => {
            let shown = text(v).unwrap_or_default();
            ctx.error(
                table.sheet,
                row.row,
                col,
                format!("expected Yes or a percentage, found {shown:?}"),
            );
            None
        }
    }
}

fn read_allocation(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
) -> Option<(Vec<Allocation>, crate::model::SheetSource)> {
    use schema::allocation as c;
    let (table, rows) = table_rows(ctx, sheet, &schema::RISK_ALLOCATION)?;
    let ids = ids(ctx, &table, &rows);
    let cols = [
        table.col(&c::PUBLIC),
        table.col(&c::PRIVATE),
        table.col(&c::SHARED),
    ];
    if cols.iter().all(Option::is_none) {
        ctx.error(
            sheet,
            table.header_row,
            table.key_col,
            "missing columns `Public`, `Private` and `Shared` in the header row: expected at least one",
        );
        return None;
    }
    let mut out = Vec::new();
    for (row, id) in rows.iter().zip(ids) {
        let read: Vec<Option<Share>> = cols.iter().map(|c| share(ctx, &table, row, *c)).collect();
        let [Some(public), Some(private), Some(shared)] = read[..] else {
            continue;
        };
        let all = [public, private, shared];
        let yes = all.iter().filter(|s| matches!(s, Share::Yes)).count();
        let parts: Vec<Decimal> = all
            .iter()
            .filter_map(|s| match s {
                Share::Part(d) => Some(*d),
                _ => None,
            })
            .collect();
        let last_col = cols
            .iter()
            .zip(all)
            .rev()
            .find_map(|(c, s)| (!matches!(s, Share::None)).then_some(*c).flatten())
            .unwrap_or(table.key_col);
        let problem = if yes == 0 && parts.is_empty() {
            Some(
                "no one bears this risk: expected Yes or a percentage in Public, Private or Shared"
                    .to_string(),
            )
        } else if yes > 0 && !parts.is_empty() {
            Some("expected Yes or percentages across the row, not both".to_string())
        } else if !parts.is_empty() {
            let sum: Decimal = parts.iter().copied().sum();
            (sum != Decimal::ONE).then(|| {
                format!(
                    "the shares add up to {}: expected 100%",
                    crate::format::percent(sum, 2)
                )
            })
        } else {
            None
        };
        if let Some(m) = problem {
            ctx.error(sheet, row.row, last_col, m);
            continue;
        }
        if let Some(category) = id {
            out.push(Allocation {
                category,
                public,
                private,
                shared,
                row: row.row,
            });
        }
    }
    Some((out, table.source(&rows)))
}

/// A milestone's date: a date cell, or text `YYYY-MM-DD`.
fn date(ctx: &mut Ctx<'_>, table: &Table<'_>, row: &RawRow, col: u32) -> Option<NaiveDate> {
    let problem = match row.get(col) {
        None => "expected a date, found nothing".to_string(),
        Some(RawValue::Day(d)) => return Some(*d),
        Some(RawValue::Text(t)) => match NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d") {
            Ok(d) => return Some(d),
            Err(_) => format!("expected a date written YYYY-MM-DD, found {:?}", t.trim()),
        },
        Some(RawValue::Number(_) | RawValue::Int(_)) => {
            ctx.error_hint(
                table.sheet,
                row.row,
                col,
                "expected a date, found a number",
                Some("format the cell as a date, or type the date as YYYY-MM-DD".into()),
            );
            return None;
        }
        Some(other) => match text(other) {
            Ok(t) => format!("expected a date, found {t:?}"),
            Err((m, _)) => m.replace("expected text", "expected a date"),
        },
    };
    ctx.error(table.sheet, row.row, col, problem);
    None
}

fn read_milestones(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
) -> Option<(Vec<Milestone>, crate::model::SheetSource)> {
    use schema::milestones as c;
    let (table, rows) = table_rows(ctx, sheet, &schema::MILESTONES)?;
    let ids = ids(ctx, &table, &rows);
    let date_col = table.col(&c::DATE);
    let mut out = Vec::new();
    for (row, id) in rows.iter().zip(ids) {
        let date = date_col.and_then(|col| date(ctx, &table, row, col));
        let owner = table.txt(ctx, row, table.col(&c::OWNER));
        let gateway = table.txt(ctx, row, table.col(&c::GATEWAY));
        if let (Some(name), Some(date), Some(owner), Some(gateway)) = (id, date, owner, gateway) {
            out.push(Milestone {
                name,
                date,
                owner,
                gateway,
                row: row.row,
            });
        }
    }
    out.sort_by_key(|m| m.date);
    Some((out, table.source(&rows)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::raw::RawCell;

    /// A sheet from rows of cells; `""` is blank, `d:YYYY-MM-DD` a date cell, a number a number.
    fn sheet(name: &str, rows: &[&[&str]]) -> RawSheet {
        let rows = rows
            .iter()
            .enumerate()
            .map(|(r, cells)| RawRow {
                row: u32::try_from(r).unwrap(),
                cells: cells
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(c, v)| RawCell {
                        col: u32::try_from(c).unwrap(),
                        value: if let Some(d) = v.strip_prefix("d:") {
                            RawValue::Day(NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
                        } else if let Ok(n) = v.parse::<f64>() {
                            RawValue::Number(n)
                        } else {
                            RawValue::Text((*v).to_string())
                        },
                    })
                    .collect(),
            })
            .filter(|r| !r.cells.is_empty())
            .collect();
        RawSheet {
            name: name.into(),
            index: 0,
            rows,
        }
    }

    fn option(id: &str) -> CaseOption {
        let none = crate::model::OptimismBias::NONE;
        CaseOption {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            referred_to: String::new(),
            baseline: id == "BAU",
            ob_capital: none,
            ob_revenue: none,
            ob_basis: String::new(),
            asset_life: None,
            row: 0,
        }
    }

    const OBJECTIVES: &[&[&str]] = &[
        &["Objective", "Kind", "Description", "Measure"],
        &["SO1", "Spending objective", "Save money", "£"],
        &["SO2", "SO", "Faster vetting", "days"],
        &["CSF1", "CSF", "Affordable", ""],
    ];

    /// Reads `sheets` and returns the content and every message, `Sheet!A1: message`.
    fn read_all(sheets: &Sheets) -> (Content, Vec<String>) {
        let mut ctx = Ctx::new("wb.xlsx");
        let options = [option("BAU"), option("HUB")];
        let lines = [(OptionId::new(1), "Staff savings".to_string())];
        let content = read(&mut ctx, sheets, &options, &lines);
        let messages = ctx
            .diags
            .sorted()
            .iter()
            .map(|d| {
                let s = d.to_string();
                s.trim_start_matches("wb.xlsx: ").to_string()
            })
            .collect();
        (content, messages)
    }

    fn long_list(rows: &[&[&str]]) -> (Content, Vec<String>) {
        read_all(&Sheets {
            objectives: Some(sheet("Objectives", OBJECTIVES)),
            long_list: Some(sheet("Long list", rows)),
            ..Sheets::default()
        })
    }

    const HEAD: &[&str] = &[
        "Possibility",
        "Dimension",
        "Description",
        "SO1",
        "SO2",
        "CSF1",
        "Outcome",
        "Reason",
    ];

    #[test]
    fn a_valid_long_list_reads_in_column_order() {
        let (c, m) = long_list(&[
            HEAD,
            &[
                "S1",
                "Scope",
                "Vetting only",
                "Yes",
                "Partly",
                "No",
                "Preferred",
                "",
            ],
            &[
                "S2",
                "Scope",
                "All HR",
                "Partly",
                "",
                "No",
                "Discounted",
                "Too big",
            ],
            &[
                "D1",
                "Service delivery",
                "In house",
                "Y",
                "Y",
                "Y",
                "Preferred",
                "",
            ],
        ]);
        assert!(m.is_empty(), "{m:?}");
        assert_eq!(c.objectives.len(), 3);
        assert_eq!(c.long_list.objectives, vec![0, 1, 2]);
        let p = &c.long_list.possibilities;
        assert_eq!(p.len(), 3);
        assert_eq!(
            p[0].assessments,
            vec![Assessment::Yes, Assessment::Partly, Assessment::No]
        );
        assert_eq!(p[1].assessments[1], Assessment::NotAssessed);
        assert_eq!(p[2].dimension, Dimension::Delivery);
        assert_eq!(
            c.long_list.dimensions(),
            vec![Dimension::Scope, Dimension::Delivery]
        );
    }

    #[test]
    fn an_assessment_column_must_name_an_objective_at_its_header() {
        let mut head = HEAD.to_vec();
        head[4] = "SO3";
        let (_, m) = long_list(&[
            &head,
            &[
                "S1",
                "Scope",
                "Vetting only",
                "Yes",
                "Yes",
                "No",
                "Preferred",
                "",
            ],
        ]);
        assert_eq!(
            m,
            vec!["'Long list'!E1: the column `SO3` is not an objective: expected an id from the Objectives sheet\n  hint: did you mean 'SO1'?".to_string()]
        );
        let (_, m) = read_all(&Sheets {
            long_list: Some(sheet(
                "Long list",
                &[
                    HEAD,
                    &["S1", "Scope", "x", "Yes", "Yes", "No", "Preferred", ""],
                ],
            )),
            ..Sheets::default()
        });
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].starts_with("'Long list'!D1: the column `SO1` assesses an objective, but the workbook has no Objectives sheet"));
    }

    #[test]
    fn each_dimension_present_has_exactly_one_preferred() {
        let (_, m) = long_list(&[
            HEAD,
            &[
                "S1",
                "Scope",
                "a",
                "Yes",
                "Yes",
                "Yes",
                "Carried forward",
                "",
            ],
            &[
                "S2",
                "Scope",
                "b",
                "Yes",
                "Yes",
                "Yes",
                "Carried forward",
                "",
            ],
            &["F1", "Funding", "c", "Yes", "Yes", "Yes", "Preferred", ""],
            &["F2", "Funding", "d", "Yes", "Yes", "Yes", "Preferred", ""],
        ]);
        assert_eq!(
            m,
            vec![
                "'Long list'!G2: the Scope dimension has no Preferred possibility: expected exactly one\n  hint: mark the possibility the case takes forward as Preferred".to_string(),
                "'Long list'!G5: a second Preferred possibility in the Funding dimension (the first is \"F1\", row 4): expected exactly one".to_string(),
            ]
        );
    }

    #[test]
    fn a_discounted_possibility_needs_a_reason_and_cells_are_yes_partly_or_no() {
        let (_, m) = long_list(&[
            HEAD,
            &["S1", "Scope", "a", "Yes", "Maybe", "Yes", "Preferred", ""],
            &["S2", "Scope", "b", "No", "No", "No", "Discounted", ""],
            &["S2", "Scoop", "c", "No", "No", "No", "Dropped", ""],
        ]);
        assert_eq!(
            m,
            vec![
                "'Long list'!E2: expected SO2 Yes, Partly or No, found \"Maybe\"".to_string(),
                "'Long list'!H3: a Discounted possibility needs a reason\n  hint: say in the Reason column why it was discounted".to_string(),
                "'Long list'!A4: Possibility \"S2\" is given twice (first in row 3)".to_string(),
                "'Long list'!B4: expected Dimension Scope, Solution, Delivery, Implementation or Funding, found \"Scoop\"\n  hint: did you mean 'Scope'?".to_string(),
                "'Long list'!G4: expected Outcome Preferred, Carried forward or Discounted, found \"Dropped\"".to_string(),
            ]
        );
    }

    #[test]
    fn objectives_ids_are_unique_and_kinds_are_checked() {
        let (_, m) = read_all(&Sheets {
            objectives: Some(sheet(
                "Objectives",
                &[
                    &["Objective", "Kind", "Description"],
                    &["SO1", "Spending objective", "a"],
                    &["so1", "CSF", "b"],
                    &["SO2", "Goal", "c"],
                    &["SO3", "CSF", ""],
                ],
            )),
            ..Sheets::default()
        });
        assert_eq!(
            m,
            vec![
                "Objectives!A3: Objective \"so1\" is given twice (first in row 2)".to_string(),
                "Objectives!B4: expected Kind Spending objective or Critical success factor, found \"Goal\"".to_string(),
                "Objectives!C5: expected the objective, in a sentence, found nothing".to_string(),
            ]
        );
    }

    const REGISTER_HEAD: &[&str] = &[
        "Benefit",
        "Description",
        "Type",
        "Owner",
        "From",
        "Option",
        "Line",
    ];

    #[test]
    fn a_register_entry_names_an_existing_benefits_line_and_a_fiscal_year() {
        let (c, m) = read_all(&Sheets {
            register: Some(sheet(
                "Benefits register",
                &[
                    REGISTER_HEAD,
                    &[
                        "B1",
                        "Savings",
                        "Cashable",
                        "CFO",
                        "2026/27",
                        "hub",
                        "staff savings",
                    ],
                    &["B2", "Confidence", "Non-monetised", "", "", "", ""],
                    &[
                        "B3",
                        "Savings",
                        "Cashable",
                        "CFO",
                        "2026",
                        "HUB",
                        "Staff saving",
                    ],
                    &[
                        "B4",
                        "Savings",
                        "Cashable",
                        "CFO",
                        "",
                        "HBU",
                        "Staff savings",
                    ],
                    &["B5", "Savings", "Cashable", "CFO", "", "HUB", ""],
                    &["B6", "Savings", "Money", "CFO", "", "", ""],
                ],
            )),
            ..Sheets::default()
        });
        assert_eq!(c.register.len(), 2);
        assert_eq!(
            c.register[0].line,
            Some((OptionId::new(1), "Staff savings".to_string()))
        );
        assert_eq!(c.register[1].kind, RegisterKind::NonMonetised);
        assert_eq!(m.len(), 5, "{m:?}");
        assert!(m[0].starts_with("'Benefits register'!E4: "), "{m:?}");
        assert_eq!(
            m[1],
            "'Benefits register'!G4: no Benefits line \"Staff saving\" for option \"HUB\"\n  hint: did you mean 'Staff savings'?"
        );
        assert_eq!(
            m[2],
            "'Benefits register'!F5: unknown option \"HBU\"\n  hint: did you mean 'BAU'?"
        );
        assert!(m[3].starts_with("'Benefits register'!G6: expected the Line too"));
        assert!(m[4].starts_with(
            "'Benefits register'!C7: expected Type Cashable, Non-cashable or Non-monetised"
        ));
    }

    #[test]
    fn a_risk_allocation_row_is_yes_or_percentages_adding_to_100() {
        let (c, m) = read_all(&Sheets {
            allocation: Some(sheet(
                "Risk allocation",
                &[
                    &["Risk category", "Public", "Private", "Shared"],
                    &["Design", "Yes", "", ""],
                    &["Operating", "0.6", "0.4", ""],
                    &["Demand", "50%", "", "40%"],
                    &["Legislative", "Yes", "0.5", ""],
                    &["Residual", "", "", ""],
                    &["Technology", "Maybe", "", ""],
                ],
            )),
            ..Sheets::default()
        });
        assert_eq!(c.allocation.len(), 2);
        assert_eq!(c.allocation[1].public, Share::Part(Decimal::new(6, 1)));
        assert_eq!(
            m,
            vec![
                "'Risk allocation'!D4: the shares add up to 90%: expected 100%".to_string(),
                "'Risk allocation'!C5: expected Yes or percentages across the row, not both".to_string(),
                "'Risk allocation'!A6: no one bears this risk: expected Yes or a percentage in Public, Private or Shared".to_string(),
                "'Risk allocation'!B7: expected Yes or a percentage, found \"Maybe\"".to_string(),
            ]
        );
    }

    #[test]
    fn milestone_dates_are_date_cells_or_iso_text_and_sorted() {
        let (c, m) = read_all(&Sheets {
            milestones: Some(sheet(
                "Milestones",
                &[
                    &["Milestone", "Date", "Owner", "Gateway"],
                    &["Go live", "2027-04-01", "SRO", "Gate 4"],
                    &["Contract", "d:2026-10-01", "Head of procurement", ""],
                    &["Bad", "1/4/2027", "", ""],
                    &["Serial", "46000", "", ""],
                    &["Go live", "2027-05-01", "", ""],
                ],
            )),
            ..Sheets::default()
        });
        let names: Vec<&str> = c.milestones.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, vec!["Contract", "Go live"]);
        assert_eq!(
            m,
            vec![
                "Milestones!B4: expected a date written YYYY-MM-DD, found \"1/4/2027\"".to_string(),
                "Milestones!B5: expected a date, found a number\n  hint: format the cell as a date, or type the date as YYYY-MM-DD".to_string(),
                "Milestones!A6: Milestone \"Go live\" is given twice (first in row 2)".to_string(),
            ]
        );
    }

    #[test]
    fn a_sheet_with_only_its_header_row_is_absent() {
        let (c, m) = read_all(&Sheets {
            objectives: Some(sheet(
                "Objectives",
                &[&["Objective", "Kind", "Description"]],
            )),
            long_list: Some(sheet("Long list", &[HEAD])),
            milestones: Some(sheet("Milestones", &[&["Milestone", "Date"]])),
            ..Sheets::default()
        });
        assert!(m.is_empty(), "{m:?}");
        assert!(c.is_empty());
    }

    /// 20,000 register rows against 20,000 Benefits lines and as many
    /// long-list rows read in linear time (a scan per row would take minutes).
    #[test]
    fn large_sheets_read_quickly() {
        const N: usize = 20_000;
        let ids: Vec<String> = (0..N).map(|i| format!("B{i}")).collect();
        let lines: Vec<String> = (0..N).map(|i| format!("Line {i}")).collect();
        let mut register: Vec<Vec<&str>> =
            vec![vec!["Benefit", "Description", "Type", "Option", "Line"]];
        for (id, line) in ids.iter().zip(lines.iter().rev()) {
            register.push(vec![id, "x", "Cashable", "HUB", line]);
        }
        let mut list: Vec<Vec<&str>> = vec![HEAD.to_vec()];
        for (i, id) in ids.iter().enumerate() {
            let outcome = if i == 0 {
                "Preferred"
            } else {
                "Carried forward"
            };
            list.push(vec![id, "Scope", "x", "Yes", "No", "Partly", outcome, ""]);
        }
        let register: Vec<&[&str]> = register.iter().map(Vec::as_slice).collect();
        let list: Vec<&[&str]> = list.iter().map(Vec::as_slice).collect();
        let sheets = Sheets {
            objectives: Some(sheet("Objectives", OBJECTIVES)),
            long_list: Some(sheet("Long list", &list)),
            register: Some(sheet("Benefits register", &register)),
            ..Sheets::default()
        };
        let benefit_lines: Vec<(OptionId, String)> = lines
            .iter()
            .map(|l| (OptionId::new(1), l.clone()))
            .collect();
        let started = std::time::Instant::now();
        let mut ctx = Ctx::new("wb.xlsx");
        let content = read(
            &mut ctx,
            &sheets,
            &[option("BAU"), option("HUB")],
            &benefit_lines,
        );
        assert!(ctx.diags.is_empty(), "{:?}", ctx.diags.sorted().first());
        assert_eq!(content.register.len(), N);
        assert_eq!(content.long_list.possibilities.len(), N);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }
}
