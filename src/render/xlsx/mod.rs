//! The model workbook (`fivecase export`): the case's input sheets, live
//! calculation sheets and a Summary, for finance leads who trust a number
//! only when they can trace it and recompute it.
//!
//! Every calculated figure is an Excel formula referring back to the input
//! sheets' cells, written with the value fivecase computed as its cached
//! result, so a reader that does not recalculate shows fivecase's numbers and
//! one that does arrives at the same ones. Apportioned amounts (whole pennies
//! by largest remainder, which a formula cannot express portably) are values,
//! with check formulas beside them.
//!
//! The sheets, in order: Summary; the calculation sheets Discounting,
//! Economic, Appraisal, Savings profile, Apportionment, Budget gap;
//! Scenarios (when case.toml has any: the engine's figures for each, with
//! the changes from the base case as formulas); then the input sheets (Assumptions, Partners, Options, Costs, Benefits, Budget,
//! Risks) in the input format, so the export is itself a case workbook.
//!
//! The workbook is byte-identical for the same case: its document properties
//! are fixed (the creation date is the case's document date, or 1 January
//! 2000), and nothing reads the clock.

// The sheet builders use spreadsheet notation throughout: `s` the sheet,
// `r` a row, `c` a column, `j` an appraisal year, `n` the number of years.
#![allow(
    clippy::many_single_char_names,
    clippy::similar_names,
    reason = "sheet builders name rows, columns and years as a spreadsheet does"
)]

mod apportion;
mod appraisal;
mod calc;
mod content;
mod financing;
mod gap;
mod inputs;
mod profile;
mod risk;
mod scenarios;
mod summary;
mod value;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};

use crate::compute::Results;
use crate::compute::scenario::Outcome;
use crate::model::{Case, CellRef, OptionId, PartnerId, column_letters};
use crate::render::workbook;

/// Why the model workbook could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The xlsx writer refused something (a name, a size limit).
    #[error("cannot build the model workbook: {0}")]
    Xlsx(String),
    /// A figure is beyond the range of exact decimals.
    #[error("cannot build the model workbook: a figure is too large to compute exactly")]
    Overflow,
    /// The results handed in were not computed from this case (an option
    /// or year they name is missing from it).
    #[error("cannot build the model workbook: the results do not belong to this case")]
    Mismatch,
}

impl From<XlsxError> for ExportError {
    fn from(err: XlsxError) -> Self {
        ExportError::Xlsx(err.to_string())
    }
}

/// Builds the model workbook of `case` from the engine's `results` and the
/// outcomes of case.toml's scenarios (`scenario::run_all`'s second part, in
/// order; empty for no Scenarios sheet).
///
/// # Errors
/// When the workbook exceeds what xlsx can hold (rows, columns, name
/// lengths) or a figure overflows exact decimals.
pub fn model_workbook(
    case: &Case,
    results: &Results,
    scenarios: &[Outcome],
) -> Result<Vec<u8>, ExportError> {
    model_workbook_with_risk(case, results, scenarios, None)
}

/// As [`model_workbook`], with a Risk analysis sheet after the Scenarios
/// sheet when `risk` is given (`compute::Computed::risk`).
///
/// # Errors
/// As [`model_workbook`].
pub fn model_workbook_with_risk(
    case: &Case,
    results: &Results,
    scenarios: &[Outcome],
    risk: Option<&crate::compute::risk::RiskAnalysis>,
) -> Result<Vec<u8>, ExportError> {
    let fmt = Formats::new(case.entered_decimals());
    let mut book = Workbook::new();

    let (input_sheets, layout) = inputs::describe(case)?;
    let layout = &layout;
    let ctx = Ctx {
        case,
        results,
        fmt: &fmt,
        layout,
    };
    let disc = calc::discounting(&ctx)?;
    let econ = calc::economic(&ctx, &disc.1)?;
    let prof = profile::write(&ctx, &econ.1)?;
    let appr = appraisal::appraisal(&ctx, &econ.1, &prof.1)?;
    let apport = apportion::write(&ctx, &prof.1)?;
    let fin = financing::write(&ctx, &econ.1, &prof.1, &apport.1)?;
    let gaps = gap::write(&ctx, fin.as_ref().map(|f| &f.1))?;
    let summ = summary::write(
        &ctx,
        &appr.1,
        &prof.1,
        &apport.1,
        gaps.as_ref().map(|g| &g.1),
    )?;
    let scen = scenarios::write(&ctx, scenarios)?;

    // Pushed one by one: a worksheet is large, and an array of six would sit on the stack.
    book.push_worksheet(summ.finish(case));
    book.push_worksheet(disc.0.finish(case));
    book.push_worksheet(econ.0.finish(case));
    book.push_worksheet(appr.0.finish(case));
    book.push_worksheet(prof.0.finish(case));
    book.push_worksheet(apport.0.finish(case));
    if let Some((sheet, _)) = fin {
        book.push_worksheet(sheet.finish(case));
    }
    if let Some((sheet, _)) = gaps {
        book.push_worksheet(sheet.finish(case));
    }
    if let Some(sheet) = scen {
        book.push_worksheet(sheet.finish(case));
    }
    if let Some(a) = risk {
        book.push_worksheet(risk::write(&ctx, a)?.finish(case));
    }
    workbook::add_sheets(&mut book, &input_sheets).map_err(|e| ExportError::Xlsx(e.to_string()))?;
    for sheet in &input_sheets.sheets {
        print_setup(book.worksheet_from_name(&sheet.name)?, case);
    }
    for (name, cell) in &layout.names {
        book.define_name(*name, &format!("={}", absolute(cell)))?;
    }
    book.set_properties(&properties(case)?);
    Ok(book.save_to_buffer()?)
}

/// Fixed document properties: the same case gives the same bytes.
fn properties(case: &Case) -> Result<DocProperties, ExportError> {
    let created = match case.meta.date {
        Some(d) => {
            use chrono::Datelike;
            let year = u16::try_from(d.year()).unwrap_or(2000);
            let month = u8::try_from(d.month()).unwrap_or(1);
            let day = u8::try_from(d.day()).unwrap_or(1);
            ExcelDateTime::from_ymd(year, month, day)
                .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?
        }
        None => ExcelDateTime::from_ymd(2000, 1, 1)?,
    };
    Ok(DocProperties::new()
        .set_title(format!("{}: model workbook", case.meta.title))
        .set_subject("Green Book Five Case Model: economic and financial model")
        .set_author(case.meta.sro.clone())
        .set_company(case.meta.programme.clone())
        .set_comment("Written by fivecase")
        .set_creation_datetime(&created))
}

/// What every sheet builder reads.
struct Ctx<'a> {
    case: &'a Case,
    results: &'a Results,
    fmt: &'a Formats,
    layout: &'a inputs::Layout,
}

impl Ctx<'_> {
    /// The unit label for headers, e.g. `£m`.
    fn unit(&self) -> &'static str {
        self.case.assumptions.unit.value.label()
    }

    /// Option `index`'s id and name, as `A: Shared control room`.
    fn option_title(&self, id: OptionId) -> String {
        self.case
            .option(id)
            .map(|o| format!("{}: {}", o.id, o.name))
            .unwrap_or_default()
    }

    /// Partner `index`'s name.
    fn partner(&self, id: PartnerId) -> &str {
        self.case.partners.name(id).unwrap_or_default()
    }
}

/// The cell formats of the workbook: finance conventions throughout.
#[derive(Debug)]
struct Formats {
    title: Format,
    note: Format,
    header: Format,
    header_left: Format,
    label: Format,
    label_bold: Format,
    text: Format,
    /// Text standing in a column of figures (a year, "n/a"): right-aligned.
    right: Format,
    money: Format,
    money_total: Format,
    /// Apportioned amounts are whole pennies: shown to the penny.
    pennies: Format,
    pennies_total: Format,
    factor: Format,
    percent: Format,
    share: Format,
    ratio: Format,
    integer: Format,
}

impl Formats {
    fn new(decimals: u32) -> Self {
        let places = |n: u32| {
            if n == 0 {
                String::new()
            } else {
                format!(".{}", "0".repeat(usize::try_from(n.min(10)).unwrap_or(2)))
            }
        };
        // Negatives in brackets; `_)` keeps positives aligned with them.
        let money = |n: u32| format!("#,##0{p}_);(#,##0{p})", p = places(n));
        let base = || Format::new().set_font_name("Arial").set_font_size(10);
        let header = base()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Right)
            .set_align(FormatAlign::Bottom)
            .set_border_bottom(FormatBorder::Thin)
            .set_background_color(0x00DD_E6F0);
        Self {
            title: base().set_bold().set_font_size(13),
            note: base().set_italic().set_font_color(0x0059_5959),
            header_left: header.clone().set_align(FormatAlign::Left),
            header,
            label: base(),
            label_bold: base().set_bold(),
            text: base(),
            right: base().set_align(FormatAlign::Right),
            money: base().set_num_format(money(decimals)),
            money_total: base()
                .set_bold()
                .set_num_format(money(decimals))
                .set_border_top(FormatBorder::Thin),
            pennies: base().set_num_format(money(2.max(decimals))),
            pennies_total: base()
                .set_bold()
                .set_num_format(money(2.max(decimals)))
                .set_border_top(FormatBorder::Thin),
            factor: base().set_num_format("0.0000"),
            percent: base().set_num_format("0.0##%"),
            share: base().set_num_format("0.00%"),
            ratio: base().set_num_format("0.00"),
            integer: base().set_num_format("0"),
        }
    }
}

/// A worksheet being written, with its name for references from other sheets.
struct Sheet {
    name: String,
    ws: Worksheet,
    /// Freeze panes below this row and right of this column.
    freeze: Option<(u32, u16)>,
    /// Print the rows above the frozen row on every page (sheets with one header).
    repeat: bool,
    /// Widths of the columns, set when the sheet is finished.
    widths: Vec<(u16, f64)>,
}

impl Sheet {
    fn new(name: &str) -> Result<Self, ExportError> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(Self {
            name: name.to_string(),
            ws,
            freeze: None,
            repeat: false,
            widths: Vec::new(),
        })
    }

    /// A reference to one of this sheet's cells from another sheet: `Economic!E7`.
    fn at(&self, row: u32, col: u16) -> String {
        xref(&self.name, row, col)
    }

    /// Freezes the header rows and label columns, and prints the header rows on every page.
    fn freeze(&mut self, row: u32, col: u16) {
        self.freeze = Some((row, col));
        self.repeat = true;
    }

    /// Freezes panes only: for sheets whose tables each carry their own header.
    fn freeze_panes(&mut self, row: u32, col: u16) {
        self.freeze = Some((row, col));
        self.repeat = false;
    }

    fn width(&mut self, col: u16, width: f64) {
        self.widths.push((col, width));
    }

    fn text(&mut self, row: u32, col: u16, text: &str, f: &Format) -> Result<(), ExportError> {
        self.ws.write_string_with_format(row, col, text, f)?;
        Ok(())
    }

    fn num(&mut self, row: u32, col: u16, value: Decimal, f: &Format) -> Result<(), ExportError> {
        self.ws
            .write_number_with_format(row, col, value::to_cell(value), f)?;
        Ok(())
    }

    /// A formula whose cached result is the number fivecase computed.
    fn formula(
        &mut self,
        row: u32,
        col: u16,
        formula: &str,
        cached: Decimal,
        f: &Format,
    ) -> Result<(), ExportError> {
        let formula = Formula::new(formula).set_result(value::cached_text(cached));
        self.ws.write_formula_with_format(row, col, formula, f)?;
        Ok(())
    }

    /// A formula whose cached result is text (a year label, "n/a").
    fn formula_text(
        &mut self,
        row: u32,
        col: u16,
        formula: &str,
        cached: &str,
        f: &Format,
    ) -> Result<(), ExportError> {
        let formula = Formula::new(formula).set_result(cached);
        self.ws.write_formula_with_format(row, col, formula, f)?;
        Ok(())
    }

    fn worksheet(&mut self) -> &mut Worksheet {
        &mut self.ws
    }

    /// Print setup, panes and widths: every sheet prints landscape, one page
    /// wide, with the protective marking top and bottom centre.
    fn finish(mut self, case: &Case) -> Worksheet {
        print_setup(&mut self.ws, case);
        if let Some((row, col)) = self.freeze {
            // Only fails for out-of-range cells, which the builders never pass.
            let _ = self.ws.set_freeze_panes(row, col);
            if row > 0 && self.repeat {
                let _ = self.ws.set_repeat_rows(0, row - 1);
            }
        }
        for (col, width) in self.widths {
            let _ = self.ws.set_column_width(col, width);
        }
        self.ws
    }
}

/// Landscape A4, one page wide, the protective marking top and bottom
/// centre and the case's title and page number in the footer.
fn print_setup(ws: &mut Worksheet, case: &Case) {
    let marking = escape_header(&case.meta.marking);
    let title = escape_header(&case.meta.title);
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&C&\"Arial,Bold\"{marking}"));
    ws.set_footer(format!(
        "&L{title}&C&\"Arial,Bold\"{marking}&RPage &P of &N"
    ));
}

/// `&` starts a code in Excel's header language; a literal one is doubled.
fn escape_header(text: &str) -> String {
    text.replace('&', "&&")
}

/// `Sheet!E7`, the sheet name quoted when it needs to be.
fn xref(sheet: &str, row: u32, col: u16) -> String {
    CellRef::new(sheet, row, u32::from(col)).to_string()
}

/// `E7`: a cell on the same sheet.
fn a1(row: u32, col: u16) -> String {
    format!("{}{}", column_letters(u32::from(col)), row + 1)
}

/// `Sheet!$E$7`, for defined names.
fn absolute(cell: &CellRef) -> String {
    let plain = cell.to_string();
    let (sheet, addr) = plain.rsplit_once('!').unwrap_or(("", &plain));
    let split = addr
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(addr.len());
    format!("{sheet}!${}${}", &addr[..split], &addr[split..])
}

/// `$E$7`: a cell fixed in both directions.
fn abs(row: u32, col: u16) -> String {
    format!("${}${}", column_letters(u32::from(col)), row + 1)
}

/// `E$7`: a cell fixed to its row, as for a row of factors.
fn row_fixed(row: u32, col: u16) -> String {
    format!("{}${}", column_letters(u32::from(col)), row + 1)
}

/// `E7:J7` on the same sheet.
fn span(row: u32, first: u16, last: u16) -> String {
    format!("{}:{}", a1(row, first), a1(row, last))
}

/// The value at `index`, or zero where a vector is shorter than expected
/// (results and case always align; this keeps a mismatch from panicking).
fn at(values: &[Decimal], index: usize) -> Decimal {
    values.get(index).copied().unwrap_or_default()
}

/// A column index for `n` columns after `first`, as the writer wants it.
fn col(first: u16, n: usize) -> Result<u16, ExportError> {
    u16::try_from(n)
        .ok()
        .and_then(|n| first.checked_add(n))
        .filter(|c| *c < 16_384)
        .ok_or_else(|| ExportError::Xlsx("more columns than a worksheet holds".into()))
}

/// A row index `n` rows after `first`.
fn row(first: u32, n: usize) -> Result<u32, ExportError> {
    u32::try_from(n)
        .ok()
        .and_then(|n| first.checked_add(n))
        .filter(|r| *r < 1_048_576)
        .ok_or_else(|| ExportError::Xlsx("more rows than a worksheet holds".into()))
}

#[cfg(test)]
mod tests;
