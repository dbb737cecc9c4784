//! Stage two of ingest: raw sheets → a validated [`Case`](crate::model::Case), every problem collected.
//!
//! Each sheet is found by name, its header row by its key header, its columns
//! by header in any order, all as [`crate::schema`] declares them and under
//! the common name rule of [`crate::names`]; choices are read through the
//! schema's spellings and numbers checked against [`schema::bounds`], so no
//! value that reaches the engine can overflow it. Every value is checked
//! where it is read and every problem is recorded at its cell, so one run of
//! `check` lists them all. Nothing reaches the model unless it is valid: the
//! engine relies on that and never checks again. The rules are the public
//! contract in docs/workbook.md.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{
    Assumptions, BenefitKind, BenefitLine, Budget, BudgetLine, BudgetRow, CaseOption, CellRef,
    CostKind, CostLine, DiscountRate, Edition, FiscalYear, Inflation, ObOrigin, OptimismBias,
    OptionId, PartnerId, Partners, Risk, SheetSource, Sourced, Uncertainty, Unit,
};
use crate::names;
use crate::params;
use crate::schema::{self, Column, bounds};

use super::number;
use super::raw::{RawRow, RawSheet, RawValue};

pub use crate::schema::bounds::{MAX_BASE_YEAR_GAP, MAX_YEARS};

/// Collects diagnostics for one workbook file.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub file: &'a str,
    pub diags: Diagnostics,
    /// Rows skipped per sheet (blank key and empty, or a total), in reading order.
    pub skipped: Vec<(String, usize)>,
    /// Where the preferred option was pinned (file and place), when it was.
    pub preferred_at: Option<(String, Location)>,
}

pub(super) fn cell_loc(sheet: &RawSheet, row: u32, col: u32) -> Location {
    Location::Cell {
        cell: CellRef::new(sheet.name.clone(), row, col),
        index: sheet.index,
    }
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str) -> Self {
        Self {
            file,
            diags: Diagnostics::new(),
            skipped: Vec::new(),
            preferred_at: None,
        }
    }

    pub fn error(&mut self, sheet: &RawSheet, row: u32, col: u32, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(
            self.file,
            cell_loc(sheet, row, col),
            message,
        ));
    }

    pub fn error_hint(
        &mut self,
        sheet: &RawSheet,
        row: u32,
        col: u32,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut d = Diagnostic::error(self.file, cell_loc(sheet, row, col), message);
        d.hint = hint;
        self.diags.push(d);
    }

    pub fn warning(&mut self, sheet: &RawSheet, row: u32, col: u32, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(
            self.file,
            cell_loc(sheet, row, col),
            message,
        ));
    }

    pub fn sheet_error(&mut self, sheet: &RawSheet, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(
            self.file,
            Location::Sheet {
                name: sheet.name.clone(),
                index: sheet.index,
            },
            message,
        ));
    }
}

/// Header text as matched: the common name rule ([`names::key`]).
pub fn norm(text: &str) -> String {
    names::key(text)
}

/// True for the words that mean the Green Book's STPR schedule.
pub fn is_green_book(text: &str) -> bool {
    schema::GREEN_BOOK.find(text).is_some()
}

/// The accepted discount rates ([`bounds::DISCOUNT_RATE`]); a number above 1
/// was probably meant as a percentage.
///
/// # Errors
/// A message and, where the fix can be guessed, a hint.
pub fn check_discount_rate(rate: Decimal) -> Result<(), (String, Option<String>)> {
    check_rate(rate, &bounds::DISCOUNT_RATE)
}

fn check_inflation(rate: Decimal) -> Result<(), (String, Option<String>)> {
    check_rate(rate, &bounds::INFLATION)
}

/// The hint for a number above 1 that was probably typed as a percentage
/// (`3.5` for 3.5%): offered up to 100, beyond which no percentage was meant.
pub fn percent_hint(value: Decimal) -> Option<String> {
    (value > Decimal::ONE && value <= Decimal::ONE_HUNDRED)
        .then(|| format!("did you mean {}?", number::as_percent_text(value)))
}

fn check_rate(rate: Decimal, bound: &bounds::Bound) -> Result<(), (String, Option<String>)> {
    let what = bound.what;
    if rate > Decimal::ONE {
        return Err((
            format!(
                "expected {what} as a fraction such as 0.035, found {}",
                crate::format::shown(rate)
            ),
            percent_hint(rate),
        ));
    }
    if !bound.contains(rate) {
        return Err((
            format!(
                "expected {what} from {}, found {}",
                bound.shown,
                crate::format::percent_exact(rate)
            ),
            None,
        ));
    }
    Ok(())
}

/// A cell's content as a number.
///
/// # Errors
/// Why it is not one, with a hint where the fix can be guessed.
pub fn number(v: &RawValue, percent: bool) -> Result<Decimal, (String, Option<String>)> {
    match v {
        RawValue::Number(f) => number::decimal_from_f64(*f).ok_or_else(|| {
            let what = if f.is_finite() {
                format!("the number {}", crate::format::shown_f64(*f))
            } else {
                "the number (beyond 1.8e308)".to_string()
            };
            (
                format!("{what} is too large: fivecase reads numbers below about 7.9e28"),
                None,
            )
        }),
        RawValue::Int(i) => Ok(Decimal::from(*i)),
        RawValue::Text(t) => number::parse_text(t, percent).map_err(|m| {
            let hint = (t.to_lowercase().ends_with('m') || t.to_lowercase().ends_with('k'))
                .then(|| "enter amounts in the workbook's unit (see Unit on the Assumptions sheet), without a suffix".to_string());
            (m, hint)
        }),
        RawValue::Bool(b) => Err((
            format!(
                "expected a number, found {}",
                if *b { "TRUE" } else { "FALSE" }
            ),
            None,
        )),
        RawValue::Date | RawValue::Day(_) => Err((
            "expected a number, found a date".into(),
            Some("format the cell as a number, not a date".into()),
        )),
        other => Err(formula_problem(other)),
    }
}

fn formula_problem(v: &RawValue) -> (String, Option<String>) {
    match v {
        RawValue::Error(e) => (
            format!("the cell's formula gives the error {e}"),
            Some("correct the formula, or type the value".into()),
        ),
        _ => (
            "the cell holds a formula whose value was never calculated and saved".into(),
            Some("open the workbook in Excel and save it, so its formulas are calculated".into()),
        ),
    }
}

/// A cell's content as text (numbers as their shortest text).
///
/// # Errors
/// A date, an error value or a formula without a saved value.
pub fn text(v: &RawValue) -> Result<String, (String, Option<String>)> {
    match v {
        RawValue::Text(t) => match super::limits::text_problem(t, super::limits::MAX_TEXT_CHARS) {
            Some(m) => Err((
                m,
                Some("keep labels and descriptions short; the narrative holds the prose".into()),
            )),
            None => Ok(t.trim().to_string()),
        },
        RawValue::Number(f) => Ok(f.to_string()),
        RawValue::Int(i) => Ok(i.to_string()),
        RawValue::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.to_string()),
        RawValue::Date | RawValue::Day(_) => Err(("expected text, found a date".into(), None)),
        other => Err(formula_problem(other)),
    }
}

/// A located sheet's header row and columns.
#[derive(Debug)]
pub struct Table<'s> {
    pub sheet: &'s RawSheet,
    /// The sheet's declaration in the schema.
    pub spec: &'static schema::Sheet,
    pub header_row: u32,
    header_pos: usize,
    pub key_col: u32,
    /// Normalised header → column (first occurrence).
    pub columns: BTreeMap<String, u32>,
    /// Year columns in column order.
    pub years: Vec<(FiscalYear, u32)>,
}

/// Finds the key header of `spec` on `sheet` and reads its header row;
/// reports problems with year headers.
pub fn find_table<'s>(
    ctx: &mut Ctx<'_>,
    sheet: &'s RawSheet,
    spec: &'static schema::Sheet,
) -> Option<Table<'s>> {
    let key = spec.key().header;
    let found = sheet.rows.iter().enumerate().find_map(|(pos, row)| {
        row.cells.iter().find_map(|c| match &c.value {
            RawValue::Text(t) if spec.key().matches(t) => Some((pos, row.row, c.col)),
            _ => None,
        })
    });
    let Some((header_pos, header_row, key_col)) = found else {
        ctx.sheet_error(
            sheet,
            format!("no header row: expected a row with the header `{key}`"),
        );
        return None;
    };
    let mut columns = BTreeMap::new();
    let mut years: Vec<(FiscalYear, u32)> = Vec::new();
    let header_cells = sheet.rows.get(header_pos).map_or(&[][..], |r| &r.cells[..]);
    for c in header_cells {
        let RawValue::Text(t) = &c.value else {
            continue;
        };
        match FiscalYear::from_str(t) {
            Ok(y) => years.push((y, c.col)),
            Err(e) => {
                let trimmed = t.trim();
                let looks_like_year = trimmed.len() >= 4
                    && (trimmed.bytes().take(4).all(|b| b.is_ascii_digit())
                        || trimmed.to_lowercase().starts_with("fy"))
                    && trimmed.contains(['/', '-']);
                if looks_like_year {
                    ctx.error(sheet, header_row, c.col, e.to_string());
                } else {
                    columns.entry(norm(t)).or_insert(c.col);
                }
            }
        }
    }
    Some(Table {
        sheet,
        spec,
        header_row,
        header_pos,
        key_col,
        columns,
        years,
    })
}

impl<'s> Table<'s> {
    /// The column `column` is in: under its header or one of its aliases.
    pub fn col(&self, column: &Column) -> Option<u32> {
        std::iter::once(column.header)
            .chain(column.aliases.iter().copied())
            .find_map(|h| self.columns.get(&norm(h)).copied())
    }

    /// The column `column` is in, or an error at the key header cell.
    pub fn require(&self, ctx: &mut Ctx<'_>, column: &Column) -> Option<u32> {
        let col = self.col(column);
        let name = column.header;
        if col.is_none() {
            let hint = names::code_hint(name, self.columns.keys().map(String::as_str))
                .map(|h| format!("{h} headers are matched ignoring case and spaces"));
            ctx.error_hint(
                self.sheet,
                self.header_row,
                self.key_col,
                format!("missing column `{name}` in the header row"),
                hint,
            );
        }
        col
    }

    /// Reports every required column of the sheet's declaration missing from
    /// the header row (the key and the year columns are checked elsewhere),
    /// in declaration order; true when none is missing.
    pub fn required(&self, ctx: &mut Ctx<'_>) -> bool {
        let mut complete = true;
        for c in self.spec.columns.iter().skip(1) {
            if c.required && c.kind != schema::Kind::Years {
                complete &= self.require(ctx, c).is_some();
            }
        }
        complete
    }

    /// Checks the year columns are consecutive; returns them, or `None` after reporting.
    pub fn consecutive_years(&self, ctx: &mut Ctx<'_>) -> Option<Vec<(FiscalYear, u32)>> {
        if self.years.is_empty() {
            ctx.error(
                self.sheet,
                self.header_row,
                self.key_col,
                "no year columns in the header row: expected headers such as 2025/26",
            );
            return None;
        }
        let mut ok = true;
        for pair in self.years.windows(2) {
            let (prev, _) = pair[0];
            let (year, col) = pair[1];
            if year != prev.next() || year == prev {
                ctx.error(
                    self.sheet,
                    self.header_row,
                    col,
                    format!(
                        "years must be consecutive: expected {} after {prev}, found {year}",
                        prev.next()
                    ),
                );
                ok = false;
            }
        }
        if self.years.len() > MAX_YEARS {
            ctx.error(
                self.sheet,
                self.header_row,
                self.years.get(MAX_YEARS).map_or(self.key_col, |(_, c)| *c),
                format!("too many years: fivecase appraises at most {MAX_YEARS} years"),
            );
            ok = false;
        }
        ok.then(|| self.years.clone())
    }

    /// Rows after the header that hold data; blank-key rows are skipped (empty or a total) or reported.
    pub fn data_rows(&self, ctx: &mut Ctx<'_>) -> Vec<&'s RawRow> {
        let key_name = self.spec.key().header;
        let used: Vec<u32> = self
            .columns
            .values()
            .copied()
            .chain(self.years.iter().map(|(_, c)| *c))
            .collect();
        let mut out = Vec::new();
        let mut skipped = 0;
        let after = self.header_pos.saturating_add(1);
        for row in self.sheet.rows.get(after..).unwrap_or_default() {
            if row.get(self.key_col).is_some() {
                out.push(row);
                continue;
            }
            let is_total = row.cells.iter().any(|c| match &c.value {
                RawValue::Text(t) => t
                    .split(|ch: char| !ch.is_alphanumeric())
                    .any(|w| schema::TOTAL_WORDS.contains(&w.to_lowercase().as_str())),
                _ => false,
            });
            let empty = !row.cells.iter().any(|c| used.contains(&c.col));
            if empty || is_total {
                skipped += 1;
            } else {
                ctx.error_hint(
                    self.sheet,
                    row.row,
                    self.key_col,
                    format!("the row has values but no {key_name}"),
                    Some(format!(
                        "fill in the {key_name}, label the row as a total, or clear it"
                    )),
                );
            }
        }
        if skipped > 0 {
            ctx.skipped.push((self.sheet.name.clone(), skipped));
        }
        out
    }

    pub fn source(&self, rows: &[&RawRow]) -> SheetSource {
        let mut columns: BTreeMap<String, u32> = self.columns.clone();
        for (y, c) in &self.years {
            columns.insert(y.to_string(), *c);
        }
        SheetSource {
            name: self.sheet.name.clone(),
            header_row: self.header_row,
            columns,
            first_data_row: rows.first().map_or(self.header_row + 1, |r| r.row),
            last_data_row: rows.last().map_or(self.header_row, |r| r.row),
        }
    }

    /// Reads a number from `row`'s cell in `col`; blank is `None`.
    pub fn num(&self, ctx: &mut Ctx<'_>, row: &RawRow, col: u32, percent: bool) -> Option<Decimal> {
        let v = row.get(col)?;
        match number(v, percent) {
            Ok(d) => Some(d),
            Err((m, h)) => {
                ctx.error_hint(self.sheet, row.row, col, m, h);
                None
            }
        }
    }

    /// Reads an amount (blank = 0), within the amount limit.
    pub fn amount(&self, ctx: &mut Ctx<'_>, row: &RawRow, col: u32) -> Option<Decimal> {
        match row.get(col) {
            None => return Some(Decimal::ZERO),
            // Accountants type a dash for nil.
            Some(RawValue::Text(t)) if is_nil_dash(t) => return Some(Decimal::ZERO),
            Some(_) => {}
        }
        let d = self.num(ctx, row, col, false)?;
        if !bounds::MONEY.contains(d) {
            ctx.error_hint(
                self.sheet,
                row.row,
                col,
                format!("the amount {} is too large: fivecase reads amounts below 10^15 in the workbook's unit", crate::format::shown(d)),
                Some("check the Unit on the Assumptions sheet".into()),
            );
            return None;
        }
        Some(d)
    }

    /// Reads text from `row`'s cell in `col` (blank = empty string).
    pub fn txt(&self, ctx: &mut Ctx<'_>, row: &RawRow, col: Option<u32>) -> Option<String> {
        let Some(col) = col else {
            return Some(String::new());
        };
        let Some(v) = row.get(col) else {
            return Some(String::new());
        };
        match text(v) {
            Ok(t) => Some(t),
            Err((m, h)) => {
                ctx.error_hint(self.sheet, row.row, col, m, h);
                None
            }
        }
    }
}

/// Assumption rows as read, before defaults are resolved.
#[derive(Debug, Default)]
pub struct RawAssumptions {
    pub base_year: Option<Sourced<FiscalYear>>,
    pub unit: Option<Sourced<Unit>>,
    pub discount_rate: Option<Sourced<DiscountRate>>,
    pub general_inflation: Option<Sourced<Decimal>>,
    pub pay_inflation: Option<Sourced<Decimal>>,
    pub apportionment_key: Option<Sourced<String>>,
    pub preferred: Option<Sourced<String>>,
    pub edition: Option<Edition>,
    pub financing: Option<Sourced<crate::model::Financing>>,
    pub budget_basis: Option<crate::model::GapBasis>,
    pub borrowing_rate: Option<Sourced<Decimal>>,
    pub asset_life: Option<Sourced<u32>>,
    pub source: Option<SheetSource>,
}

fn src_at<T>(at: &CellRef, value: T) -> Sourced<T> {
    Sourced {
        value,
        at: Some(at.clone()),
    }
}

/// Parses a unit label, as [`schema::UNITS`] spells them.
pub fn parse_unit(text: &str) -> Option<Unit> {
    Some(match schema::UNITS.find(text)? {
        0 => Unit::Pounds,
        1 => Unit::Thousands,
        _ => Unit::Millions,
    })
}

pub fn read_assumptions(ctx: &mut Ctx<'_>, sheet: &RawSheet) -> RawAssumptions {
    use schema::assumptions as a;
    let mut out = RawAssumptions::default();
    let Some(table) = find_table(ctx, sheet, &schema::ASSUMPTIONS) else {
        return out;
    };
    let Some(value_col) = table
        .required(ctx)
        .then(|| table.col(&schema::assumptions::VALUE))
        .flatten()
    else {
        return out;
    };
    let rows = table.data_rows(ctx);
    let known_names = || schema::ASSUMPTIONS.rows.iter().map(|r| r.name);
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for row in &rows {
        let Some(name) = table.txt(ctx, row, Some(table.key_col)) else {
            continue;
        };
        let key = norm(&name);
        let at = CellRef::new(sheet.name.clone(), row.row, value_col);
        let Some(known) = schema::ASSUMPTIONS
            .rows
            .iter()
            .find(|r| norm(r.name) == key)
        else {
            if let Some(hint) = names::code_hint(&name, known_names()) {
                let mut d = Diagnostic::warning(
                    ctx.file,
                    cell_loc(sheet, row.row, table.key_col),
                    format!("assumption {name:?} is not one fivecase reads; it is ignored"),
                );
                d.hint = Some(hint);
                ctx.diags.push(d);
            }
            continue;
        };
        if let Some(first) = seen.insert(key.clone(), row.row) {
            ctx.error(
                sheet,
                row.row,
                table.key_col,
                format!(
                    "`{}` is given twice (first in row {})",
                    known.name,
                    first.saturating_add(1)
                ),
            );
            continue;
        }
        let Some(v) = row.get(value_col) else {
            continue; // blank: the default applies
        };
        let is = |r: &schema::Row| known == r;
        match known.name {
            _ if is(&a::BASE_YEAR) => {
                let year = match v {
                    RawValue::Text(t) => FiscalYear::from_str(t).map_err(|e| e.to_string()),
                    // A whole number is the calendar year the fiscal year starts in.
                    RawValue::Number(_) | RawValue::Int(_) => {
                        let t = text(v).unwrap_or_default();
                        t.parse::<u16>()
                            .map_err(|_| format!("expected a fiscal year like 2025/26, found {t}"))
                            .and_then(|n| FiscalYear::new(n).map_err(|e| e.to_string()))
                    }
                    other => Err(match text(other) {
                        Ok(t) => format!("expected a fiscal year like 2025/26, found {t:?}"),
                        Err((m, _)) => m,
                    }),
                };
                match year {
                    Ok(y) => out.base_year = Some(src_at(&at, y)),
                    Err(m) => ctx.error(sheet, row.row, value_col, m),
                }
            }
            _ if is(&a::UNIT) => match text(v) {
                Ok(t) => match parse_unit(&t) {
                    Some(u) => out.unit = Some(src_at(&at, u)),
                    None => ctx.error_hint(
                        sheet,
                        row.row,
                        value_col,
                        format!("expected a unit of £, £k or £m, found {t:?}"),
                        Some("£000 and £'000 also mean £k; £million and £mn mean £m".into()),
                    ),
                },
                Err((m, h)) => ctx.error_hint(sheet, row.row, value_col, m, h),
            },
            _ if is(&a::DISCOUNT_RATE) => {
                if let RawValue::Text(t) = v
                    && is_green_book(t)
                {
                    out.discount_rate = Some(src_at(&at, DiscountRate::GreenBook));
                    continue;
                }
                let Some(rate) = table.num(ctx, row, value_col, true) else {
                    continue;
                };
                match check_discount_rate(rate) {
                    Ok(()) => out.discount_rate = Some(src_at(&at, DiscountRate::Fixed(rate))),
                    Err((m, h)) => ctx.error_hint(sheet, row.row, value_col, m, h),
                }
            }
            _ if is(&a::GENERAL_INFLATION) || is(&a::PAY_INFLATION) => {
                let Some(rate) = table.num(ctx, row, value_col, true) else {
                    continue;
                };
                match check_inflation(rate) {
                    Ok(()) if is(&a::PAY_INFLATION) => {
                        out.pay_inflation = Some(src_at(&at, rate));
                    }
                    Ok(()) => out.general_inflation = Some(src_at(&at, rate)),
                    Err((m, h)) => ctx.error_hint(sheet, row.row, value_col, m, h),
                }
            }
            _ if is(&a::CAPITAL_FINANCING) => {
                let found = choice_cell(
                    ctx,
                    sheet,
                    row.row,
                    value_col,
                    v,
                    &schema::CAPITAL_FINANCING,
                    "a capital financing",
                );
                if let Some(i) = found {
                    out.financing = Some(src_at(&at, financing_at(i)));
                }
            }
            _ if is(&a::BUDGET_GAP_BASIS) => {
                let found = choice_cell(
                    ctx,
                    sheet,
                    row.row,
                    value_col,
                    v,
                    &schema::BUDGET_GAP_BASIS,
                    "a budget gap basis",
                );
                out.budget_basis = match found {
                    Some(0) => Some(crate::model::GapBasis::InYear),
                    Some(_) => Some(crate::model::GapBasis::Recurring),
                    None => out.budget_basis,
                };
            }
            _ if is(&a::BORROWING_RATE) => {
                let Some(rate) = table.num(ctx, row, value_col, true) else {
                    continue;
                };
                match check_rate(rate, &bounds::BORROWING_RATE) {
                    Ok(()) => out.borrowing_rate = Some(src_at(&at, rate)),
                    Err((m, h)) => ctx.error_hint(sheet, row.row, value_col, m, h),
                }
            }
            _ if is(&a::ASSET_LIFE) => {
                let Some(years) = table.num(ctx, row, value_col, false) else {
                    continue;
                };
                match whole_years(years) {
                    Some(y) => out.asset_life = Some(src_at(&at, y)),
                    None => ctx.error(
                        sheet,
                        row.row,
                        value_col,
                        format!(
                            "expected an asset life of whole years from 1 to 100, found {years}"
                        ),
                    ),
                }
            }
            _ if is(&a::APPORTIONMENT_KEY) || is(&a::PREFERRED_OPTION) => {
                if let Some(t) = table.txt(ctx, row, Some(value_col)) {
                    if is(&a::PREFERRED_OPTION) {
                        out.preferred = Some(src_at(&at, t));
                    } else {
                        out.apportionment_key = Some(src_at(&at, t));
                    }
                }
            }
            _ => match text(v)
                .ok()
                .as_deref()
                .map(|t| (t, schema::EDITIONS.find(t)))
            {
                Some((_, Some(0))) => out.edition = Some(Edition::Gb2026),
                Some((_, Some(_))) => out.edition = Some(Edition::Gb2022),
                other => ctx.error(
                    sheet,
                    row.row,
                    value_col,
                    format!(
                        "expected a Green Book edition of 2026 or 2022, found {:?}",
                        other.map_or("", |(t, _)| t.trim())
                    ),
                ),
            },
        }
    }
    out.source = Some(table.source(&rows));
    out
}

/// The Partners sheet as read.
#[derive(Debug)]
pub struct PartnersRead {
    pub partners: Partners,
    pub source: SheetSource,
    /// Numeric columns that add up to zero: unusable as keys, but known, so a
    /// reference to one gets its own message.
    pub zero_total: Vec<String>,
    /// Each partner's `Capital financing`, where given.
    pub financing: Vec<Option<crate::model::Financing>>,
}

/// The Partners sheet, plus key columns that add up to zero (unusable as keys).
pub fn read_partners(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    wanted_key: &str,
) -> Option<PartnersRead> {
    let table = find_table(ctx, sheet, &schema::PARTNERS)?;
    let rows = table.data_rows(ctx);
    let mut names: Vec<String> = Vec::new();
    let mut partner_rows = Vec::new();
    for row in &rows {
        let Some(name) = table.txt(ctx, row, Some(table.key_col)) else {
            continue;
        };
        let key = norm(&name);
        if names::same(&name, schema::lines::PARTNER.shared())
            || names::same(&name, schema::budget::PARTNER.shared())
        {
            ctx.error(
                sheet,
                row.row,
                table.key_col,
                format!("{name:?} cannot be a partner's name: it means every partner on the Costs, Benefits and Budget sheets"),
            );
            continue;
        }
        if let Some(first) = names.iter().position(|n| norm(n) == key) {
            ctx.error(
                sheet,
                row.row,
                table.key_col,
                format!(
                    "partner {name:?} is listed twice (first in row {})",
                    partner_rows.get(first).map_or(0, |r: &&RawRow| r.row + 1)
                ),
            );
            continue;
        }
        names.push(name);
        partner_rows.push(*row);
    }
    if let Some(extra) = partner_rows.get(super::limits::MAX_PARTNERS) {
        ctx.error(
            sheet,
            extra.row,
            table.key_col,
            format!(
                "the sheet lists {} partners, more than the {} fivecase apportions between",
                names.len(),
                super::limits::MAX_PARTNERS
            ),
        );
        return None;
    }
    if names.is_empty() && !rows.is_empty() {
        return None;
    }
    if names.is_empty() {
        ctx.sheet_error(
            sheet,
            "no partners: expected one row per partner below the header",
        );
        return None;
    }
    // Key columns: every other header whose cells are all numbers (or blank);
    // a column of text is the user's notes. The chosen key must be numeric.
    let mut candidates: Vec<(String, u32)> = Vec::new();
    let header_cells = &sheet.rows.iter().find(|r| r.row == table.header_row)?.cells;
    for c in header_cells {
        if c.col == table.key_col {
            continue;
        }
        let RawValue::Text(h) = &c.value else {
            continue;
        };
        if table.columns.get(&norm(h)) != Some(&c.col) {
            continue;
        }
        candidates.push((h.trim().to_string(), c.col));
    }
    let wanted = norm(wanted_key);
    let mut key_columns: Vec<String> = Vec::new();
    let mut key_values: Vec<Vec<Decimal>> = Vec::new();
    let mut zero_total = Vec::new();
    for (header, col) in &candidates {
        let forced = norm(header) == wanted || schema::partners::GOVERNMENT_GRANT.matches(header);
        let numeric = partner_rows.iter().all(|r| match r.get(*col) {
            None
            | Some(
                RawValue::Number(_)
                | RawValue::Int(_)
                | RawValue::Error(_)
                | RawValue::NoCachedValue,
            ) => true,
            Some(RawValue::Text(t)) => number::parse_text(t, false).is_ok(),
            Some(_) => false,
        });
        if !numeric && !forced {
            continue;
        }
        let mut values = Vec::new();
        let mut ok = true;
        for r in &partner_rows {
            let v = if r.get(*col).is_none() {
                Some(Decimal::ZERO)
            } else {
                table.num(ctx, r, *col, false)
            };
            match v {
                Some(d) if d < Decimal::ZERO => {
                    ctx.error(
                        sheet,
                        r.row,
                        *col,
                        format!(
                            "expected a key value of zero or more, found {}",
                            crate::format::shown(d)
                        ),
                    );
                    ok = false;
                }
                Some(d) if !bounds::KEY_VALUE.contains(d) => {
                    ctx.error(
                        sheet,
                        r.row,
                        *col,
                        format!(
                            "the value {} is too large: fivecase reads values below 10^15",
                            d.normalize()
                        ),
                    );
                    ok = false;
                }
                Some(d) => values.push(d),
                None => ok = false,
            }
        }
        if !ok {
            // Reported; keep the column so references to it still resolve.
            values.resize(partner_rows.len(), Decimal::ZERO);
        }
        let total: Decimal = values.iter().copied().sum();
        if total <= Decimal::ZERO {
            zero_total.push(header.clone());
            if norm(header) == wanted {
                ctx.error(
                    sheet,
                    table.header_row,
                    *col,
                    format!("the apportionment key `{header}` adds up to zero: expected a positive total"),
                );
            }
            continue;
        }
        key_columns.push(header.clone());
        key_values.push(values);
    }
    // `Government grant` first when present, the others in column order.
    if let Some(pos) = key_columns
        .iter()
        .position(|k| schema::partners::GOVERNMENT_GRANT.matches(k))
        && pos > 0
    {
        let k = key_columns.remove(pos);
        let v = key_values.remove(pos);
        key_columns.insert(0, k);
        key_values.insert(0, v);
    }
    let values: Vec<Vec<Decimal>> = (0..names.len())
        .map(|p| key_values.iter().map(|col| col[p]).collect())
        .collect();
    let source = table.source(&rows);
    let financing_col = table.col(&schema::partners::CAPITAL_FINANCING);
    let financing = partner_rows
        .iter()
        .map(|r| {
            let col = financing_col?;
            let t = table.txt(ctx, r, Some(col)).filter(|t| !t.is_empty())?;
            if let Some(i) = schema::CAPITAL_FINANCING.find(&t) {
                Some(financing_at(i))
            } else {
                ctx.error(
                    sheet,
                    r.row,
                    col,
                    format!(
                        "expected a capital financing of {}, found {t:?}",
                        schema::CAPITAL_FINANCING.names().join(", ")
                    ),
                );
                None
            }
        })
        .collect();
    Some(PartnersRead {
        financing,
        partners: Partners {
            names,
            key_columns,
            values,
            rows: partner_rows.iter().map(|r| r.row).collect(),
        },
        source,
        zero_total,
    })
}

/// Reads Yes/No.
fn yes_no(v: &RawValue) -> Result<bool, String> {
    match v {
        RawValue::Bool(b) => Ok(*b),
        other => {
            let t = text(other).map_err(|(m, _)| m)?;
            match schema::YES_NO.find(&t) {
                Some(0) => Ok(true),
                Some(_) => Ok(false),
                None => Err(format!("expected Yes or No, found {t:?}")),
            }
        }
    }
}

/// A partner name from a cell, or an error with a "did you mean" hint.
fn resolve_partner(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    row: u32,
    col: u32,
    name: &str,
    partners: &Partners,
) -> Result<PartnerId, ()> {
    let names = || partners.names.iter().map(String::as_str);
    if let Some(p) = names::find(names(), name) {
        return Ok(PartnerId::new(p));
    }
    let hint = names::hint(name, names(), "partners");
    ctx.error_hint(
        sheet,
        row,
        col,
        format!("unknown partner {name:?}"),
        Some(hint),
    );
    Err(())
}

/// An option id from a cell, or an error with a "did you mean" hint (none
/// when the Options sheet could not be read: that is reported already).
pub(super) fn resolve_option(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    row: u32,
    col: u32,
    id: &str,
    options: &[CaseOption],
) -> Result<OptionId, ()> {
    if options.is_empty() {
        return Err(());
    }
    let ids = || options.iter().map(|o| o.id.as_str());
    if let Some(i) = names::find(ids(), id) {
        return Ok(OptionId::new(i));
    }
    let hint = names::hint(id, ids(), "options");
    ctx.error_hint(
        sheet,
        row,
        col,
        format!("unknown option {id:?}"),
        Some(hint),
    );
    Err(())
}

/// Reads one optimism-bias cell (a rate or a category) with its mitigation.
#[allow(clippy::too_many_arguments, reason = "one cell's context, read once")]
fn optimism_bias(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    col: Option<u32>,
    mitigation: Option<(Decimal, u32)>,
    capital: bool,
    edition: Edition,
) -> OptimismBias {
    let sheet = table.sheet;
    let Some(col) = col else {
        return OptimismBias::NONE;
    };
    let Some(v) = row.get(col) else {
        return OptimismBias::NONE;
    };
    let ob_table = params::optimism_bias_table(edition);
    let (rate, origin) = match v {
        RawValue::Text(t) if number::parse_text(t, true).is_err() => {
            let Some(found) = ob_table.find(t) else {
                let categories = ob_table.names();
                let hint = names::hint(t, categories.iter().copied(), "Green Book categories");
                ctx.error_hint(
                    sheet,
                    row.row,
                    col,
                    format!("expected a rate such as 24% or a Green Book category, found {t:?}"),
                    Some(hint),
                );
                return OptimismBias::NONE;
            };
            let limits = if capital {
                found.capital
            } else {
                found.operating
            };
            let Some(limits) = limits else {
                let message = if capital {
                    format!(
                        "`{}` has no capital-expenditure bound in the Green Book table",
                        found.name
                    )
                } else {
                    format!(
                        "`{}` has no operating-expenditure bound in the Green Book table; only Outsourcing has one",
                        found.name
                    )
                };
                ctx.error(sheet, row.row, col, message);
                return OptimismBias::NONE;
            };
            let m = mitigation.map_or(Decimal::ZERO, |(m, _)| m);
            // Both factors are at most 2 and 1: no overflow.
            let rate = limits.upper * (Decimal::ONE - m);
            if rate < limits.lower {
                ctx.warning(
                    sheet,
                    row.row,
                    col,
                    format!(
                        "mitigation of {} takes `{}` to {}, below the Green Book lower bound of {}",
                        crate::format::percent(m, 2),
                        found.name,
                        crate::format::percent(rate, 2),
                        crate::format::percent(limits.lower, 2)
                    ),
                );
            }
            (
                rate,
                ObOrigin::Category {
                    category: found.category,
                    upper: limits.upper,
                    lower: limits.lower,
                    mitigation: m,
                },
            )
        }
        _ => {
            let Some(rate) = table.num(ctx, row, col, true) else {
                return OptimismBias::NONE;
            };
            if let Some((_, mcol)) = mitigation {
                ctx.error(
                    sheet,
                    row.row,
                    mcol,
                    "mitigation applies to a Green Book category, not to a rate entered directly",
                );
            }
            (rate, ObOrigin::Entered)
        }
    };
    if rate < bounds::OPTIMISM_BIAS.low {
        ctx.error(
            sheet,
            row.row,
            col,
            format!(
                "expected an optimism bias of 0% or more, found {}",
                crate::format::percent_exact(rate)
            ),
        );
        return OptimismBias::NONE;
    }
    if !bounds::OPTIMISM_BIAS.contains(rate) {
        let hint = matches!(v, RawValue::Number(_))
            .then(|| percent_hint(rate))
            .flatten();
        ctx.error_hint(
            sheet,
            row.row,
            col,
            format!(
                "optimism bias of {} is above the 500% fivecase accepts",
                crate::format::percent_exact(rate)
            ),
            hint,
        );
        return OptimismBias::NONE;
    }
    if rate > bounds::OPTIMISM_BIAS_WARNING {
        ctx.warning(
            sheet,
            row.row,
            col,
            format!(
                "optimism bias of {} is above 100%; check it",
                crate::format::percent(rate, 4)
            ),
        );
    }
    OptimismBias { rate, origin }
}

/// The Options sheet as read.
#[derive(Debug)]
pub struct OptionsRead {
    pub options: Vec<CaseOption>,
    /// `None` (after reporting) unless exactly one option is marked.
    pub baseline: Option<OptionId>,
    pub source: SheetSource,
}

/// Reads Options; the baseline is `None` (after reporting) unless exactly one option is marked.
pub fn read_options(ctx: &mut Ctx<'_>, sheet: &RawSheet, edition: Edition) -> Option<OptionsRead> {
    use schema::options as o;
    let table = find_table(ctx, sheet, &schema::OPTIONS)?;
    table.required(ctx);
    let name_col = table.col(&o::NAME);
    let baseline_col = table.col(&o::BASELINE);
    let desc_col = table.col(&o::DESCRIPTION);
    let obc = table.col(&o::OB_CAPITAL);
    let obr = table.col(&o::OB_REVENUE);
    let obm = table.col(&o::OB_MITIGATION);
    let obb = table.col(&o::OB_BASIS);
    let own_capital = table.col(&o::OB_MITIGATION_CAPITAL);
    let own_revenue = table.col(&o::OB_MITIGATION_REVENUE);
    let life_col = table.col(&o::ASSET_LIFE);
    let referred_col = table.col(&o::REFERRED_TO_AS);
    let rows = table.data_rows(ctx);
    let (name_col, baseline_col) = (name_col?, baseline_col?);
    let mut options: Vec<CaseOption> = Vec::new();
    let mut baselines: Vec<(usize, u32)> = Vec::new();
    for row in &rows {
        let Some(id) = table.txt(ctx, row, Some(table.key_col)) else {
            continue;
        };
        if let Some(first) = options.iter().find(|o| norm(&o.id) == norm(&id)) {
            ctx.error(
                sheet,
                row.row,
                table.key_col,
                format!(
                    "duplicate option id {id:?} (first in row {})",
                    first.row + 1
                ),
            );
            continue;
        }
        let name = table.txt(ctx, row, Some(name_col)).unwrap_or_default();
        let description = table.txt(ctx, row, desc_col).unwrap_or_default();
        let baseline = match row.get(baseline_col) {
            None => false,
            Some(v) => match yes_no(v) {
                Ok(b) => b,
                Err(m) => {
                    ctx.error(sheet, row.row, baseline_col, m);
                    false
                }
            },
        };
        if baseline {
            baselines.push((options.len(), row.row));
        }
        let mut mitigation_in = |col: Option<u32>| {
            col.and_then(|c| {
                let m = table.num(ctx, row, c, true)?;
                if !bounds::MITIGATION.contains(m) {
                    ctx.error(
                        sheet,
                        row.row,
                        c,
                        format!(
                            "expected a mitigation from 0% to 100%, found {}",
                            crate::format::percent_exact(m)
                        ),
                    );
                    return None;
                }
                Some((m, c))
            })
        };
        // A kind's own mitigation column, where its cell is filled, else the
        // general one.
        let general = mitigation_in(obm);
        let for_capital = mitigation_in(own_capital).or(general);
        let for_revenue = mitigation_in(own_revenue).or(general);
        let ob_capital = optimism_bias(ctx, &table, row, obc, for_capital, true, edition);
        let ob_revenue = optimism_bias(ctx, &table, row, obr, for_revenue, false, edition);
        let ob_basis = table.txt(ctx, row, obb).unwrap_or_default();
        let asset_life = life_col.and_then(|c| {
            let years = table.num(ctx, row, c, false)?;
            let life = whole_years(years);
            if life.is_none() {
                ctx.error(
                    sheet,
                    row.row,
                    c,
                    format!("expected an asset life of whole years from 1 to 100, found {years}"),
                );
            }
            life
        });
        options.push(CaseOption {
            id,
            name,
            description,
            baseline,
            ob_capital,
            ob_revenue,
            ob_basis,
            asset_life,
            referred_to: table.txt(ctx, row, referred_col).unwrap_or_default(),
            row: row.row,
        });
    }
    if let Some(extra) = options.get(super::limits::MAX_OPTIONS) {
        ctx.error(
            sheet,
            extra.row,
            table.key_col,
            format!(
                "the sheet lists {} options, more than the {} fivecase appraises",
                options.len(),
                super::limits::MAX_OPTIONS
            ),
        );
        return None;
    }
    let source = table.source(&rows);
    match baselines.as_slice() {
        [] => {
            if options.is_empty() {
                ctx.sheet_error(
                    sheet,
                    "no options: expected the baseline and at least one option below the header",
                );
            } else {
                ctx.error(
                    sheet,
                    table.header_row,
                    baseline_col,
                    "no option is marked as the baseline: expected Yes against exactly one option",
                );
            }
            Some(OptionsRead {
                options,
                baseline: None,
                source,
            })
        }
        [(b, _)] => Some(OptionsRead {
            baseline: Some(OptionId::new(*b)),
            options,
            source,
        }),
        [(first, first_row), rest @ ..] => {
            for (i, r) in rest {
                ctx.error(
                    sheet,
                    *r,
                    baseline_col,
                    format!(
                        "a second baseline: {} is marked as the baseline, but {} (row {}) already is; expected exactly one",
                        options[*i].id, options[*first].id, first_row + 1
                    ),
                );
            }
            Some(OptionsRead {
                options,
                baseline: None,
                source,
            })
        }
    }
}

/// Costs or Benefits as read.
#[derive(Debug)]
pub struct LinesRead {
    pub rows: Vec<LineRow>,
    /// The year columns: each year and its column.
    pub years: Vec<(FiscalYear, u32)>,
    /// Where the sheet's data sits.
    pub source: SheetSource,
}

/// What Costs and Benefits rows share.
#[derive(Debug)]
pub struct LineRow {
    pub option: OptionId,
    pub line: String,
    /// The `Type` cell's text, a cost or benefit type `read_lines` has checked.
    pub kind_text: String,
    pub partner: Option<PartnerId>,
    pub values: Vec<Decimal>,
    pub row: u32,
    pub inflation: Inflation,
    pub key: Option<usize>,
    /// `Range low`, `Range high`, `Distribution`, `Group`.
    pub uncertainty: Uncertainty,
}

/// The columns of the quantified risk analysis a sheet has.
#[derive(Debug, Clone, Copy)]
struct RangeCols {
    low: Option<u32>,
    high: Option<u32>,
    distribution: Option<u32>,
    group: Option<u32>,
}

impl RangeCols {
    fn find(table: &Table<'_>, low: &Column, high: &Column) -> Self {
        Self {
            low: table.col(low),
            high: table.col(high),
            distribution: table.col(&schema::lines::DISTRIBUTION),
            group: table.col(&schema::lines::GROUP),
        }
    }
}

/// A row's `Distribution` and `Group` (blank: Triangular, no group), with
/// located errors; `None` when a cell is refused.
fn distribution_and_group(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    cols: RangeCols,
) -> Option<(crate::model::Distribution, Option<String>)> {
    use crate::model::Distribution;
    let mut ok = true;
    let distribution = match cols.distribution.and_then(|c| row.get(c).map(|_| c)) {
        None => Distribution::Triangular,
        Some(c) => {
            let t = table.txt(ctx, row, Some(c)).unwrap_or_default();
            match schema::DISTRIBUTIONS.find(&t) {
                Some(0) => Distribution::Triangular,
                Some(_) => Distribution::Uniform,
                None if t.trim().is_empty() => Distribution::Triangular,
                None => {
                    ctx.error(
                        table.sheet,
                        row.row,
                        c,
                        format!("expected a distribution of Triangular or Uniform, found {t:?}"),
                    );
                    ok = false;
                    Distribution::Triangular
                }
            }
        }
    };
    let group = match table.txt(ctx, row, cols.group) {
        Some(g) if g.trim().is_empty() => None,
        Some(g) => Some(g.trim().to_string()),
        None => {
            ok = false;
            None
        }
    };
    ok.then_some((distribution, group))
}

/// A line's `Range low` and `Range high` (blank: 0), each within its bound.
fn line_range(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    cols: RangeCols,
) -> Option<Uncertainty> {
    let mut ok = true;
    let mut entered = false;
    let mut side = |col: Option<u32>, bound: &bounds::Bound, example: &str| -> Decimal {
        let Some(c) = col.filter(|c| row.get(*c).is_some()) else {
            return Decimal::ZERO;
        };
        entered = true;
        match table.num(ctx, row, c, true) {
            Some(v) if bound.contains(v) => v,
            Some(v) => {
                ctx.error(
                    table.sheet,
                    row.row,
                    c,
                    format!(
                        "expected {} from {} as a fraction such as {example}, found {}",
                        bound.what,
                        bound.shown,
                        crate::format::percent_exact(v)
                    ),
                );
                ok = false;
                Decimal::ZERO
            }
            None => {
                ok = false;
                Decimal::ZERO
            }
        }
    };
    let low = side(cols.low, &bounds::RANGE_LOW, "-0.1");
    let high = side(cols.high, &bounds::RANGE_HIGH, "0.3");
    let (distribution, group) = distribution_and_group(ctx, table, row, cols)?;
    ok.then_some(Uncertainty {
        low,
        high,
        distribution,
        group,
        entered,
    })
}

/// A risk's `Impact low` and `Impact high` (blank: the impact), with low ≤
/// impact ≤ high.
fn impact_range(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    cols: RangeCols,
    impact: Option<Decimal>,
) -> Option<Uncertainty> {
    let mut ok = true;
    let mut entered = false;
    let mut side = |col: Option<u32>| -> Option<(Decimal, u32)> {
        let c = col.filter(|c| row.get(*c).is_some())?;
        entered = true;
        let v = table.amount(ctx, row, c);
        if v.is_none() {
            ok = false;
        }
        v.map(|v| (v, c))
    };
    let low = side(cols.low);
    let high = side(cols.high);
    let (distribution, group) = distribution_and_group(ctx, table, row, cols)?;
    let impact = impact?;
    if let Some((l, c)) = low
        && l > impact
    {
        ctx.error(
            table.sheet,
            row.row,
            c,
            format!(
                "expected an Impact low of at most the Impact ({}), found {}",
                impact.normalize(),
                l.normalize()
            ),
        );
        ok = false;
    }
    if let Some((h, c)) = high
        && h < impact
    {
        ctx.error(
            table.sheet,
            row.row,
            c,
            format!(
                "expected an Impact high of at least the Impact ({}), found {}",
                impact.normalize(),
                h.normalize()
            ),
        );
        ok = false;
    }
    ok.then_some(Uncertainty {
        low: low.map_or(impact, |(l, _)| l),
        high: high.map_or(impact, |(h, _)| h),
        distribution,
        group,
        entered,
    })
}

/// Reads Costs or Benefits; `None` when the sheet cannot be read at all.
pub fn read_lines(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    options: &[CaseOption],
    partners: Option<&Partners>,
    costs: bool,
) -> Option<LinesRead> {
    use schema::lines as l;
    let spec = if costs {
        &schema::COSTS
    } else {
        &schema::BENEFITS
    };
    let table = find_table(ctx, sheet, spec)?;
    table.required(ctx);
    let line_col = table.col(&l::LINE);
    let type_col = table.col(if costs {
        &l::COST_TYPE
    } else {
        &l::BENEFIT_TYPE
    });
    let partner_col = table.col(&l::PARTNER);
    let key_col = table.col(&l::KEY);
    let inflation_col = table.col(&l::INFLATION);
    let range_cols = RangeCols::find(&table, &l::RANGE_LOW, &l::RANGE_HIGH);
    let years = table.consecutive_years(ctx);
    let rows = table.data_rows(ctx);
    let (line_col, type_col, years) = (line_col?, type_col?, years?);
    let mut out = Vec::new();
    for row in &rows {
        let mut ok = true;
        let option = match table.txt(ctx, row, Some(table.key_col)) {
            Some(id) => resolve_option(ctx, sheet, row.row, table.key_col, &id, options).ok(),
            None => None,
        };
        let line = table.txt(ctx, row, Some(line_col)).unwrap_or_default();
        if line.is_empty() {
            ctx.error(
                sheet,
                row.row,
                line_col,
                "expected a line name, found nothing",
            );
            ok = false;
        }
        let kind = table.txt(ctx, row, Some(type_col));
        let (types, expected) = if costs {
            (&schema::COST_TYPES, "a cost type of Capital or Revenue")
        } else {
            (
                &schema::BENEFIT_TYPES,
                "a benefit type of Cashable or Non-cashable",
            )
        };
        if let Some(k) = kind.as_deref()
            && types.find(k).is_none()
        {
            ctx.error(
                sheet,
                row.row,
                type_col,
                format!("expected {expected}, found {k:?}"),
            );
            ok = false;
        }
        ok &= kind.is_some();
        let kind = kind.unwrap_or_default();
        let partner = match partner_col.and_then(|c| row.get(c).map(|_| c)) {
            None => Some(None),
            Some(c) => match table.txt(ctx, row, Some(c)) {
                Some(p) if names::same(&p, schema::lines::PARTNER.shared()) || p.is_empty() => {
                    Some(None)
                }
                Some(p) => match partners {
                    Some(ps) => resolve_partner(ctx, sheet, row.row, c, &p, ps)
                        .ok()
                        .map(Some),
                    None => None,
                },
                None => None,
            },
        };
        let inflation = match inflation_col.and_then(|c| row.get(c).map(|_| c)) {
            None => Inflation::General,
            Some(c) => {
                let t = table.txt(ctx, row, Some(c)).map(|t| norm(&t));
                match t.as_deref().map(|t| (t, schema::INFLATION_INDICES.find(t))) {
                    Some((_, Some(0)) | ("", _)) | None => Inflation::General,
                    Some((_, Some(1))) => Inflation::Pay,
                    Some((_, Some(_))) => Inflation::None,
                    Some((other, None)) => {
                        ctx.error(sheet, row.row, c, format!("expected an inflation index of General, Pay or None, found {other:?}"));
                        ok = false;
                        Inflation::General
                    }
                }
            }
        };
        let mut values = Vec::with_capacity(years.len());
        for (_, col) in &years {
            match table.amount(ctx, row, *col) {
                Some(d) => values.push(d),
                None => ok = false,
            }
        }
        let key = line_key(ctx, &table, row, key_col, partners).ok();
        let uncertainty = line_range(ctx, &table, row, range_cols);
        if let (true, Some(option), Some(partner), Some(key), Some(uncertainty)) =
            (ok, option, partner, key, uncertainty)
        {
            out.push(LineRow {
                uncertainty,
                option,
                line,
                kind_text: kind,
                partner,
                values,
                row: row.row,
                inflation,
                key,
            });
        }
    }
    let source = table.source(&rows);
    Some(LinesRead {
        rows: out,
        years,
        source,
    })
}

/// The cost lines of rows `read_lines` accepted (their types are checked there).
pub fn cost_lines(rows: Vec<LineRow>) -> Vec<CostLine> {
    let mut out = Vec::new();
    for r in rows {
        let kind = match schema::COST_TYPES.find(&r.kind_text) {
            Some(0) => CostKind::Capital,
            Some(_) => CostKind::Revenue,
            // Refused, located, by read_lines: such a row never gets here.
            None => continue,
        };
        out.push(CostLine {
            option: r.option,
            line: r.line,
            kind,
            partner: r.partner,
            inflation: r.inflation,
            values: r.values,
            key: r.key,
            row: r.row,
            uncertainty: r.uncertainty,
        });
    }
    out
}

/// The benefit lines of rows `read_lines` accepted (their types are checked there).
pub fn benefit_lines(rows: Vec<LineRow>) -> Vec<BenefitLine> {
    let mut out = Vec::new();
    for r in rows {
        let kind = match schema::BENEFIT_TYPES.find(&r.kind_text) {
            Some(0) => BenefitKind::Cashable,
            Some(_) => BenefitKind::NonCashable,
            // Refused, located, by read_lines: such a row never gets here.
            None => continue,
        };
        out.push(BenefitLine {
            option: r.option,
            line: r.line,
            kind,
            partner: r.partner,
            inflation: r.inflation,
            values: r.values,
            key: r.key,
            row: r.row,
            uncertainty: r.uncertainty,
        });
    }
    out
}

/// A Budget line label: an input line, or one of the two check lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BudgetLabel {
    Input(BudgetLine),
    ResidualGap,
    RiskAdjustedGap,
}

/// A check line of the Budget as entered, compared once every input line is read.
struct CheckRow {
    /// The partner (`None`: Region).
    partner: Option<PartnerId>,
    label: BudgetLabel,
    row: u32,
    /// The values as entered (`None` where a cell was refused).
    values: Vec<Option<Decimal>>,
}

/// A Budget input line already reported: the checks it feeds are skipped.
struct Refused {
    /// Whose line (`None`: a partner cell that was refused, so anyone's).
    partner: Whose,
    /// Which line (`None`: a line cell that was refused).
    line: Option<BudgetLine>,
}

impl Refused {
    /// Whether `partner`'s `line` may be the one refused.
    fn covers(&self, partner: Option<PartnerId>, line: BudgetLine) -> bool {
        let whose = match self.partner {
            Whose::Of(p) => p == partner,
            Whose::NotKnown => true,
        };
        whose && self.line.is_none_or(|l| l == line)
    }
}

/// Whose Budget line was refused.
#[derive(Debug, Clone, Copy)]
enum Whose {
    /// A partner's (`None`: Region's).
    Of(Option<PartnerId>),
    /// A partner cell that was itself refused.
    NotKnown,
}

/// The input lines of the risk adjusted gap; the residual gap uses the first three.
const RESIDUAL_INPUTS: [BudgetLine; 4] = [
    BudgetLine::BaseBudgetGap,
    BudgetLine::UseOfReserves,
    BudgetLine::CashReleasingEfficiencies,
    BudgetLine::IdentifiedRiskGap,
];

/// The Budget line `text` names, as [`schema::BUDGET_LINES`] lists them.
fn budget_label(text: &str) -> Option<BudgetLabel> {
    Some(match schema::BUDGET_LINES.find(text)? {
        0 => BudgetLabel::Input(BudgetLine::BaseBudgetGap),
        1 => BudgetLabel::Input(BudgetLine::UseOfReserves),
        2 => BudgetLabel::Input(BudgetLine::CashReleasingEfficiencies),
        3 => BudgetLabel::Input(BudgetLine::IdentifiedRiskGap),
        4 => BudgetLabel::Input(BudgetLine::LossOfGrantToFloors),
        5 => BudgetLabel::Input(BudgetLine::IncreaseInBorrowing),
        6 => BudgetLabel::ResidualGap,
        _ => BudgetLabel::RiskAdjustedGap,
    })
}

pub fn read_budget(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    partners: &Partners,
    penny_places: u32,
) -> Option<(Budget, SheetSource)> {
    let table = find_table(ctx, sheet, &schema::BUDGET)?;
    table.required(ctx);
    let line_col = table.col(&schema::budget::LINE);
    let years = table.consecutive_years(ctx);
    let rows = table.data_rows(ctx);
    let (line_col, years) = (line_col?, years?);
    let mut inputs: Vec<BudgetRow> = Vec::new();
    // The check rows: partner, label, sheet row, values as entered.
    let mut checks: Vec<CheckRow> = Vec::new();
    // Input lines already reported: the checks derived from them are skipped.
    let mut refused: Vec<Refused> = Vec::new();
    for row in &rows {
        // Every cell of the row is read, whatever its neighbours hold.
        // `None`: the partner cell was refused (reported); `Some(None)`: Region.
        let partner = match table.txt(ctx, row, Some(table.key_col)) {
            Some(who) if names::same(&who, schema::budget::PARTNER.shared()) => Some(None),
            Some(who) => resolve_partner(ctx, sheet, row.row, table.key_col, &who, partners)
                .ok()
                .map(Some),
            None => None,
        };
        let label = match table.txt(ctx, row, Some(line_col)) {
            Some(label_text) => {
                let label = budget_label(&label_text);
                if label.is_none() {
                    ctx.error_hint(
                        sheet,
                        row.row,
                        line_col,
                        format!("unknown budget line {label_text:?}"),
                        Some(format!(
                            "the lines are {}",
                            schema::BUDGET_LINES.names().join("; ")
                        )),
                    );
                }
                label
            }
            None => None,
        };
        let mut values = Vec::new();
        let mut ok = true;
        for (_, col) in &years {
            let v = table.amount(ctx, row, *col);
            ok &= v.is_some();
            values.push(v);
        }
        let (Some(partner), Some(label)) = (partner, label) else {
            // Whose line, or which line, is not known: any check it could feed is skipped
            // (a check line not read feeds nothing).
            match label {
                Some(BudgetLabel::Input(line)) => refused.push(Refused {
                    partner: partner.map_or(Whose::NotKnown, Whose::Of),
                    line: Some(line),
                }),
                Some(_) => {}
                None => refused.push(Refused {
                    partner: partner.map_or(Whose::NotKnown, Whose::Of),
                    line: None,
                }),
            }
            continue;
        };
        let who_name = partner
            .and_then(|p| partners.name(p))
            .map_or(schema::budget::PARTNER.shared(), |n| n)
            .to_string();
        let duplicate = match label {
            BudgetLabel::Input(line) => inputs
                .iter()
                .any(|r| r.partner == partner && r.line == line),
            _ => checks
                .iter()
                .any(|c| c.partner == partner && c.label == label),
        };
        if duplicate {
            ctx.error(
                sheet,
                row.row,
                line_col,
                format!("{who_name} has this line twice"),
            );
            if let BudgetLabel::Input(line) = label {
                refused.push(Refused {
                    partner: Whose::Of(partner),
                    line: Some(line),
                });
            }
            continue;
        }
        match label {
            BudgetLabel::Input(line) => {
                if !ok {
                    refused.push(Refused {
                        partner: Whose::Of(partner),
                        line: Some(line),
                    });
                    continue;
                }
                let values: Vec<Decimal> = values
                    .into_iter()
                    .map(std::option::Option::unwrap_or_default)
                    .collect();
                if matches!(
                    line,
                    BudgetLine::UseOfReserves | BudgetLine::CashReleasingEfficiencies
                ) {
                    let first_sign = values
                        .iter()
                        .find(|v| !v.is_zero())
                        .map(rust_decimal::Decimal::is_sign_negative);
                    if let Some(neg) = first_sign
                        && let Some((i, odd)) = values
                            .iter()
                            .enumerate()
                            .find(|(_, v)| !v.is_zero() && v.is_sign_negative() != neg)
                    {
                        ctx.error_hint(
                            sheet,
                            row.row,
                            years.get(i).map_or(line_col, |(_, c)| *c),
                            format!(
                                "this line mixes signs: expected every amount {}, found {}",
                                if neg { "negative" } else { "positive" },
                                odd.normalize()
                            ),
                            Some(
                                "enter reductions all as positive or all as negative numbers"
                                    .into(),
                            ),
                        );
                        refused.push(Refused {
                            partner: Whose::Of(partner),
                            line: Some(line),
                        });
                        continue;
                    }
                }
                inputs.push(BudgetRow {
                    partner,
                    line,
                    values,
                    row: row.row,
                });
            }
            _ => checks.push(CheckRow {
                partner,
                label,
                row: row.row,
                values,
            }),
        }
    }
    let reduce = |line: BudgetLine, v: Decimal| match line {
        BudgetLine::UseOfReserves | BudgetLine::CashReleasingEfficiencies => -v.abs(),
        _ => v,
    };
    let value_of = |partner: Option<PartnerId>, line: BudgetLine, i: usize| {
        inputs
            .iter()
            .find(|r| r.partner == partner && r.line == line)
            .and_then(|r| r.values.get(i))
            .map_or(Decimal::ZERO, |v| reduce(line, *v))
    };
    // The check rows: compare to the penny.
    for CheckRow {
        partner,
        label,
        row,
        values,
    } in &checks
    {
        let uses = match label {
            BudgetLabel::ResidualGap => &RESIDUAL_INPUTS[..3],
            _ => &RESIDUAL_INPUTS[..],
        };
        if refused
            .iter()
            .any(|r| uses.iter().any(|line| r.covers(*partner, *line)))
        {
            continue;
        }
        for (i, v) in values.iter().enumerate() {
            let Some(entered) = v else { continue };
            // Amounts are below 10^15 (bounds::MONEY): these sums cannot overflow.
            let residual = value_of(*partner, BudgetLine::BaseBudgetGap, i)
                + value_of(*partner, BudgetLine::UseOfReserves, i)
                + value_of(*partner, BudgetLine::CashReleasingEfficiencies, i);
            let (expected, name) = match label {
                BudgetLabel::ResidualGap => (residual, "residual gap"),
                _ => (
                    residual + value_of(*partner, BudgetLine::IdentifiedRiskGap, i),
                    "risk adjusted gap",
                ),
            };
            let round = |d: Decimal| {
                d.round_dp_with_strategy(
                    penny_places,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                )
            };
            if round(*entered) != round(expected) {
                let how = if matches!(label, BudgetLabel::ResidualGap) {
                    "base budget gap less reserves and efficiencies"
                } else {
                    "residual gap plus identified risk gap"
                };
                let col = years.get(i).map_or(line_col, |(_, c)| *c);
                ctx.error(
                    sheet,
                    *row,
                    col,
                    format!(
                        "the {name} does not add up: {how} is {}, found {}",
                        round(expected).normalize(),
                        entered.normalize()
                    ),
                );
            }
        }
    }
    // Region rows equal the partners' sum where both exist.
    if inputs.iter().any(|r| r.partner.is_some()) {
        for region in inputs.iter().filter(|r| {
            // Skipped where any partner's (or Region's) row of this line was refused.
            r.partner.is_none() && !refused.iter().any(|x| x.line.is_none_or(|l| l == r.line))
        }) {
            for (i, (_, col)) in years.iter().enumerate() {
                // At most 200,000 rows below 10^15 each: the sum stays within range.
                let sum: Decimal = inputs
                    .iter()
                    .filter(|r| r.partner.is_some() && r.line == region.line)
                    .filter_map(|r| r.values.get(i))
                    .map(|v| reduce(region.line, *v))
                    .sum();
                let entered = region
                    .values
                    .get(i)
                    .map_or(Decimal::ZERO, |v| reduce(region.line, *v));
                if sum != entered {
                    ctx.error(
                        sheet,
                        region.row,
                        *col,
                        format!("the Region row does not equal the partners' sum: the partners' rows add up to {}, found {}", sum.normalize(), entered.normalize()),
                    );
                }
            }
        }
    }
    let source = table.source(&rows);
    Some((
        Budget {
            years: years.iter().map(|(y, _)| *y).collect(),
            rows: inputs,
            year_cols: years.iter().map(|(_, c)| *c).collect(),
            basis: crate::model::GapBasis::InYear,
        },
        source,
    ))
}

/// Reads Risks; `base` is the base year, `years` the appraisal years.
pub fn read_risks(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    options: &[CaseOption],
    years: &[FiscalYear],
    base: FiscalYear,
    partners: Option<&Partners>,
) -> Option<(Vec<Risk>, SheetSource)> {
    use schema::risks as r;
    let table = find_table(ctx, sheet, &schema::RISKS)?;
    table.required(ctx);
    let option_col = table.col(&r::OPTION);
    let prob_col = table.col(&r::PROBABILITY);
    let impact_col = table.col(&r::IMPACT);
    let (desc_col, year_col, owner_col, mit_col) = (
        table.col(&r::DESCRIPTION),
        table.col(&r::YEAR),
        table.col(&r::OWNER),
        table.col(&r::MITIGATION),
    );
    let partner_col = table.col(&r::PARTNER);
    let key_col = table.col(&schema::lines::KEY);
    let range_cols = RangeCols::find(&table, &r::IMPACT_LOW, &r::IMPACT_HIGH);
    let rows = table.data_rows(ctx);
    let (option_col, prob_col, impact_col) = (option_col?, prob_col?, impact_col?);
    let mut out = Vec::new();
    for row in &rows {
        let id = table.txt(ctx, row, Some(table.key_col)).unwrap_or_default();
        let option = match table.txt(ctx, row, Some(option_col)) {
            Some(o) if o.is_empty() => {
                ctx.error(
                    sheet,
                    row.row,
                    option_col,
                    "expected the option the risk belongs to, found nothing",
                );
                None
            }
            Some(o) => resolve_option(ctx, sheet, row.row, option_col, &o, options).ok(),
            None => None,
        };
        let probability = match table.num(ctx, row, prob_col, true) {
            Some(p) if bounds::PROBABILITY.contains(p) => Some(p),
            Some(p) => {
                let hint = percent_hint(p);
                ctx.error_hint(
                    sheet,
                    row.row,
                    prob_col,
                    format!(
                        "expected a probability from 0 to 1, found {}",
                        crate::format::shown(p)
                    ),
                    hint,
                );
                None
            }
            None => {
                if row.get(prob_col).is_none() {
                    ctx.error(
                        sheet,
                        row.row,
                        prob_col,
                        "expected a probability from 0 to 1, found nothing",
                    );
                }
                None
            }
        };
        let impact = table.amount(ctx, row, impact_col);
        let year = match year_col.and_then(|c| row.get(c).map(|v| (c, v))) {
            None => {
                if let Some(i) = years.iter().position(|y| *y == base) {
                    ctx.warning(
                        sheet,
                        row.row,
                        year_col.unwrap_or(table.key_col),
                        format!("no Year given: the risk is costed in the base year {base}"),
                    );
                    Some(i)
                } else {
                    ctx.error(sheet, row.row, year_col.unwrap_or(table.key_col), format!("no Year given, so the risk falls in the base year {base}, which is not an appraisal year"));
                    None
                }
            }
            Some((col, v)) => {
                let parsed = match v {
                    RawValue::Text(t) => FiscalYear::from_str(t).map_err(|e| e.to_string()),
                    other => Err(match text(other) {
                        Ok(t) => format!("expected a fiscal year like 2025/26, found {t:?}"),
                        Err((m, _)) => m,
                    }),
                };
                match parsed {
                    Ok(y) => {
                        if let Some(i) = years.iter().position(|a| *a == y) {
                            Some(i)
                        } else {
                            let range = match (years.first(), years.last()) {
                                (Some(a), Some(b)) => format!("{a} to {b}"),
                                _ => String::new(),
                            };
                            ctx.error(
                                sheet,
                                row.row,
                                col,
                                format!("expected one of the appraisal years ({range}), found {y}"),
                            );
                            None
                        }
                    }
                    Err(m) => {
                        ctx.error(sheet, row.row, col, m);
                        None
                    }
                }
            }
        };
        let description = table.txt(ctx, row, desc_col).unwrap_or_default();
        let owner = table.txt(ctx, row, owner_col).unwrap_or_default();
        let mitigation = table.txt(ctx, row, mit_col).unwrap_or_default();
        let partner = match partner_col.and_then(|c| row.get(c).map(|_| c)) {
            None => Some(None),
            Some(c) => match table.txt(ctx, row, Some(c)) {
                Some(p) if names::same(&p, r::PARTNER.shared()) || p.is_empty() => Some(None),
                Some(p) => match partners {
                    Some(ps) => resolve_partner(ctx, sheet, row.row, c, &p, ps)
                        .ok()
                        .map(Some),
                    None => None,
                },
                None => None,
            },
        };
        let key = line_key(ctx, &table, row, key_col, partners).ok();
        let uncertainty = impact_range(ctx, &table, row, range_cols, impact);
        if let (
            Some(option),
            Some(probability),
            Some(impact),
            Some(year),
            Some(partner),
            Some(key),
            Some(uncertainty),
        ) = (option, probability, impact, year, partner, key, uncertainty)
        {
            out.push(Risk {
                id,
                description,
                option,
                probability,
                impact,
                year,
                owner,
                mitigation,
                partner,
                key,
                row: row.row,
                uncertainty,
            });
        }
    }
    let source = table.source(&rows);
    Some((out, source))
}

/// Resolves Assumptions defaults once the years and partners are known.
pub fn assumptions(raw: &RawAssumptions, first: FiscalYear, key: usize) -> Assumptions {
    Assumptions {
        base_year: raw
            .base_year
            .clone()
            .unwrap_or(Sourced::default_value(first)),
        unit: raw
            .unit
            .clone()
            .unwrap_or(Sourced::default_value(Unit::Pounds)),
        discount_rate: raw
            .discount_rate
            .clone()
            .unwrap_or(Sourced::default_value(DiscountRate::GreenBook)),
        general_inflation: raw
            .general_inflation
            .clone()
            .unwrap_or(Sourced::default_value(default_percent(
                &schema::assumptions::GENERAL_INFLATION,
            ))),
        pay_inflation: raw.pay_inflation.clone().unwrap_or(Sourced::default_value(
            default_percent(&schema::assumptions::PAY_INFLATION),
        )),
        apportionment_key: Sourced {
            value: key,
            at: raw.apportionment_key.as_ref().and_then(|k| k.at.clone()),
        },
    }
}

/// The position in `choices` of an Assumptions value, or an error at its
/// cell naming what was expected (`what`: "a capital financing").
fn choice_cell(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    row: u32,
    col: u32,
    v: &RawValue,
    choices: &schema::Choices,
    what: &str,
) -> Option<usize> {
    match text(v) {
        Ok(t) => {
            let found = choices.find(&t);
            if found.is_none() {
                ctx.error(
                    sheet,
                    row,
                    col,
                    format!(
                        "expected {what} of {}, found {t:?}",
                        choices.names().join(", ")
                    ),
                );
            }
            found
        }
        Err((m, h)) => {
            ctx.error_hint(sheet, row, col, m, h);
            None
        }
    }
}

/// A line's or risk's `Key`: blank is the case's key (`Ok(None)`); a
/// name is one of the Partners sheet's key columns (`Ok(Some(column))`);
/// anything else is an error at the cell (`Err`).
fn line_key(
    ctx: &mut Ctx<'_>,
    table: &Table<'_>,
    row: &RawRow,
    col: Option<u32>,
    partners: Option<&Partners>,
) -> Result<Option<usize>, ()> {
    let Some(c) = col.filter(|c| row.get(*c).is_some()) else {
        return Ok(None);
    };
    let name = table.txt(ctx, row, Some(c)).ok_or(())?;
    if name.is_empty() {
        return Ok(None);
    }
    let partners = partners.ok_or(())?;
    let columns = || partners.key_columns.iter().map(String::as_str);
    if let Some(k) = names::find(columns(), &name) {
        return Ok(Some(k));
    }
    ctx.error_hint(
        table.sheet,
        row.row,
        c,
        format!("unknown key {name:?}: expected a numeric column of the Partners sheet"),
        Some(names::hint(&name, columns(), "key columns")),
    );
    Err(())
}

/// `-`, `–` or `—` alone: an accountant's nil.
fn is_nil_dash(text: &str) -> bool {
    matches!(text.trim(), "-" | "\u{2013}" | "\u{2014}")
}

/// An asset life: whole years from 1 to 100.
fn whole_years(years: Decimal) -> Option<u32> {
    let whole = years.normalize();
    (whole.fract().is_zero() && whole >= Decimal::ONE && whole <= Decimal::ONE_HUNDRED)
        .then(|| rust_decimal::prelude::ToPrimitive::to_u32(&whole))
        .flatten()
}

/// The method at position `i` of [`schema::CAPITAL_FINANCING`].
fn financing_at(i: usize) -> crate::model::Financing {
    use crate::model::Financing as F;
    [F::Revenue, F::Reserves, F::Grant, F::Borrowing]
        .get(i)
        .copied()
        .unwrap_or_default()
}

/// How capital is financed, from the Assumptions rows: Revenue by default;
/// Borrowing needs a `Borrowing rate`, and its absence is an error naming
/// the row to add.
pub fn financing(
    ctx: &mut Ctx<'_>,
    raw: &RawAssumptions,
    sheet: Option<&RawSheet>,
    partners: &[Option<crate::model::Financing>],
) -> Option<crate::model::CapitalFinancing> {
    use crate::model::{CapitalFinancing, Financing};
    let mut out = CapitalFinancing {
        partners: partners.to_vec(),
        ..CapitalFinancing::default()
    };
    if let Some(m) = &raw.financing {
        out.method = m.value;
    }
    let borrows = PartnerId::all(partners.len().max(1)).any(|p| out.of(p) == Financing::Borrowing);
    if let Some(life) = &raw.asset_life {
        out.asset_life = life.value;
    }
    match (&raw.borrowing_rate, borrows) {
        (Some(rate), _) => out.borrowing_rate = rate.value,
        (None, true) => {
            let message = "capital is financed by Borrowing, but there is no `Borrowing rate` row: add one with the interest rate, such as 4.5%";
            match (sheet, raw.financing.as_ref().and_then(|m| m.at.as_ref())) {
                (Some(s), Some(at)) => ctx.error(s, at.row, at.col, message),
                (Some(s), None) => ctx.sheet_error(s, message),
                (None, _) => ctx.diags.push(crate::diag::Diagnostic::error(
                    ctx.file,
                    crate::diag::Location::Sheet {
                        name: schema::ASSUMPTIONS.name.into(),
                        index: 0,
                    },
                    message,
                )),
            }
            return None;
        }
        (None, false) => {}
    }
    Some(out)
}

/// The default of an Assumptions row that defaults to a percentage.
fn default_percent(row: &schema::Row) -> Decimal {
    row.default
        .and_then(schema::Value::percent)
        .unwrap_or_default()
}
