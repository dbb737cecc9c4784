//! Writing input workbooks: the sheets of the workbook format (docs/workbook.md)
//! from a plain description, with a finance team's formatting.
//!
//! The sample case's fixtures, `fivecase template` and (later) `fivecase
//! export` all describe their sheets as data ([`WorkbookSpec`]: title rows, a
//! header row, typed rows) and hand them to [`write()`], so every workbook
//! fivecase produces looks alike and reads back through ingest exactly.
//!
//! Two promises hold for every workbook written here:
//! - **Exact numbers.** A [`Decimal`] is written as the f64 nearest to its
//!   decimal text ([`excel_number`]), so ingest's shortest round-trip reading
//!   gives back the same decimal for any value of up to 15 significant digits.
//! - **Reproducible bytes.** The document's creation time is fixed
//!   ([`WorkbookSpec::created`]) and nothing else depends on the clock or the
//!   host, so the same description gives byte-identical files.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::format;

/// Why a workbook could not be written: always a limit of the format, never the user's data.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// rust_xlsxwriter refused a value or a setting (a sheet name, a list too long, a number it cannot store).
    #[error("cannot write sheet {sheet}: {message}")]
    Sheet { sheet: String, message: String },
    /// A decimal too large for a spreadsheet's f64.
    #[error("cannot write sheet {sheet}: {value} is too large for a spreadsheet cell")]
    Number { sheet: String, value: Decimal },
}

/// One value of a row, typed so the writer can format it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing: the cell is left empty (but keeps its column's format).
    Blank,
    Text(String),
    /// An amount in the workbook's unit, shown with [`WorkbookSpec::money_decimals`].
    Money(Decimal),
    /// A count or other plain number (population, officers), shown with thousands separators.
    Number(Decimal),
    /// A fraction shown as a percentage (0.035 shows as 3.5%).
    Percent(Decimal),
    /// A formula with its cached result as text, for readers that do not recalculate.
    Formula {
        formula: String,
        result: String,
    },
}

impl Cell {
    /// Text from anything string-like.
    pub fn text(value: impl Into<String>) -> Self {
        Cell::Text(value.into())
    }
}

/// How a column's empty cells are formatted, so that what a user types there
/// shows the way the column means it: the schema's [`Format`](crate::schema::Format).
pub use crate::schema::Format as ColumnKind;

/// One column: its header and the format of its empty cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub kind: ColumnKind,
    /// Width in characters the column gets even when empty (a template's Description, say).
    pub min_width: usize,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Self {
        Self {
            header: header.into(),
            kind,
            min_width: 0,
        }
    }

    /// The same column, at least `width` characters wide.
    #[must_use]
    pub fn at_least(mut self, width: usize) -> Self {
        self.min_width = width;
        self
    }

    pub fn text(header: impl Into<String>) -> Self {
        Self::new(header, ColumnKind::Text)
    }

    pub fn money(header: impl Into<String>) -> Self {
        Self::new(header, ColumnKind::Money)
    }

    /// A column as the schema declares it: its header and number format.
    pub fn of(column: &crate::schema::Column) -> Self {
        Self::new(column.header, column.format)
    }
}

/// Where a drop-down list takes its values from.
#[derive(Debug, Clone, PartialEq)]
pub enum ListSource {
    /// A fixed list (at most 255 characters with commas, Excel's limit).
    Values(Vec<String>),
    /// A range of cells, e.g. `Options!$A$5:$A$24`.
    Range(String),
}

/// A drop-down on one column of a sheet's data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ListValidation {
    /// Zero-based column within the sheet.
    pub col: u16,
    pub source: ListSource,
    /// The message shown when a typed value is not in the list.
    pub message: String,
    /// Whether a value outside the list is refused (`true`) or only queried
    /// (`false`: the list suggests, as for optimism bias, which also takes a rate).
    pub strict: bool,
}

/// One sheet: title rows, then (after a blank row when there are titles) the
/// header row, then the data rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetSpec {
    pub name: String,
    /// Lines above the header (ingest ignores them); the first is shown as the sheet's title.
    pub titles: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Empty rows formatted (and validated) after the data, for a user to fill in.
    pub blank_rows: u32,
    /// Columns kept in view when scrolling right (the header row is always frozen).
    pub freeze_cols: u16,
    pub validations: Vec<ListValidation>,
    /// Hidden sheets hold helper lists for drop-downs.
    pub hidden: bool,
}

impl SheetSpec {
    /// Zero-based row of the header: after the titles and one blank row.
    pub fn header_row(&self) -> u32 {
        if self.titles.is_empty() {
            0
        } else {
            u32::try_from(self.titles.len()).unwrap_or(u32::MAX - 1) + 1
        }
    }

    /// Zero-based row of the first data row.
    pub fn first_data_row(&self) -> u32 {
        self.header_row() + 1
    }

    /// Zero-based row of the last row written or formatted (the header row when there is no data).
    pub fn last_row(&self) -> u32 {
        let n = u32::try_from(self.rows.len())
            .unwrap_or(u32::MAX)
            .saturating_add(self.blank_rows);
        self.header_row().saturating_add(n)
    }
}

/// A whole workbook: sheets in order, and what every sheet shares.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkbookSpec {
    /// The document title (file properties).
    pub title: String,
    pub sheets: Vec<SheetSpec>,
    /// Decimal places of money cells: the unit's display decimals as a rule.
    pub money_decimals: u32,
    /// The creation date recorded in the file: fixed, so output is reproducible.
    pub created: NaiveDate,
}

impl WorkbookSpec {
    /// The creation date used when none is given: a constant, never the clock.
    pub const DEFAULT_CREATED: NaiveDate = match NaiveDate::from_ymd_opt(2026, 1, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    };

    pub fn new(title: impl Into<String>, money_decimals: u32) -> Self {
        Self {
            title: title.into(),
            sheets: Vec::new(),
            money_decimals,
            created: Self::DEFAULT_CREATED,
        }
    }
}

/// Widest a column is made; longer text wraps.
const MAX_WIDTH: usize = 60;
/// Narrowest column, so headers like `Year` still have room to breathe.
const MIN_WIDTH: usize = 10;
/// Height of one line of text, in points, for rows whose text wraps.
const LINE_HEIGHT: f64 = 15.0;
/// Navy header fill with white text: readable, and distinct in greyscale.
const HEADER_FILL: u32 = 0x001F_3864;
const TITLE_COLOUR: u32 = 0x001F_3864;

/// The formats every sheet shares, built once.
struct Formats {
    title: Format,
    subtitle: Format,
    header_text: Format,
    header_number: Format,
    text: Format,
    wrap: Format,
    money: Format,
    number: Format,
    percent: Format,
}

impl Formats {
    fn new(money_decimals: u32) -> Self {
        let header = Format::new()
            .set_bold()
            .set_font_color(Color::White)
            .set_background_color(Color::RGB(HEADER_FILL))
            .set_border_bottom(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Self {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_font_color(Color::RGB(TITLE_COLOUR)),
            subtitle: Format::new().set_italic(),
            header_text: header.clone().set_align(FormatAlign::Left),
            header_number: header.set_align(FormatAlign::Right),
            text: Format::new().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            money: number_format(ColumnKind::Money, money_decimals),
            number: number_format(ColumnKind::Number, money_decimals),
            percent: number_format(ColumnKind::Percent, money_decimals),
        }
    }

    fn for_kind(&self, kind: ColumnKind) -> &Format {
        match kind {
            ColumnKind::Text => &self.text,
            ColumnKind::Money => &self.money,
            ColumnKind::Number => &self.number,
            ColumnKind::Percent => &self.percent,
        }
    }
}

/// A cell format of `kind`, top-aligned, with the schema's number format.
fn number_format(kind: ColumnKind, money_decimals: u32) -> Format {
    let format = Format::new().set_align(FormatAlign::Top);
    match kind.excel(money_decimals) {
        Some(f) => format.set_num_format(f),
        None => format,
    }
}

/// `#,##0_);(#,##0)` with `decimals` places: the schema's money format.
pub use crate::schema::money_format;

/// The f64 a spreadsheet stores for `value`: the nearest to its decimal text,
/// so that reading it back through its shortest round-trip text gives `value`
/// again (for up to 15 significant digits). This is the one place a Decimal
/// becomes an f64, and only for writing a file.
pub fn excel_number(value: Decimal) -> Option<f64> {
    value
        .normalize()
        .to_string()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

/// Writes `spec` as xlsx bytes.
///
/// # Errors
/// When a sheet name, list or value is beyond what the xlsx format allows.
pub fn write(spec: &WorkbookSpec) -> Result<Vec<u8>, WorkbookError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(spec.created.year()).unwrap_or(2026),
        u8::try_from(spec.created.month()).unwrap_or(1),
        u8::try_from(spec.created.day()).unwrap_or(1),
    )
    .map_err(|e| WorkbookError::Sheet {
        sheet: String::from("(properties)"),
        message: e.to_string(),
    })?;
    let properties = DocProperties::new()
        .set_title(&spec.title)
        .set_comment("Written by fivecase")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    add_sheets(&mut workbook, spec)?;
    workbook.save_to_buffer().map_err(|e| WorkbookError::Sheet {
        sheet: String::from("(workbook)"),
        message: e.to_string(),
    })
}

/// Writes `spec`'s sheets into `workbook` after the sheets it already has,
/// for a workbook that adds sheets of its own (the model workbook of
/// `fivecase export`, whose input sheets are written here). The workbook's
/// document properties are left to the caller.
///
/// # Errors
/// When a sheet name, list or value is beyond what the xlsx format allows.
pub fn add_sheets(workbook: &mut Workbook, spec: &WorkbookSpec) -> Result<(), WorkbookError> {
    let formats = Formats::new(spec.money_decimals);
    for sheet in &spec.sheets {
        let worksheet = workbook.add_worksheet();
        write_sheet(worksheet, sheet, spec, &formats).map_err(|e| match e {
            SheetError::Xlsx(err) => WorkbookError::Sheet {
                sheet: sheet.name.clone(),
                message: err.to_string(),
            },
            SheetError::Number(value) => WorkbookError::Number {
                sheet: sheet.name.clone(),
                value,
            },
        })?;
    }
    Ok(())
}

enum SheetError {
    Xlsx(XlsxError),
    Number(Decimal),
}

impl From<XlsxError> for SheetError {
    fn from(e: XlsxError) -> Self {
        SheetError::Xlsx(e)
    }
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &SheetSpec,
    spec: &WorkbookSpec,
    formats: &Formats,
) -> Result<(), SheetError> {
    ws.set_name(&sheet.name)?;
    ws.set_hidden(sheet.hidden);
    for (i, title) in sheet.titles.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(u32::MAX);
        let format = if i == 0 {
            &formats.title
        } else {
            &formats.subtitle
        };
        ws.write_string_with_format(row, 0, title, format)?;
    }
    let header_row = sheet.header_row();
    let numeric = numeric_columns(sheet);
    let widths = column_widths(sheet, spec.money_decimals);
    for (c, column) in sheet.columns.iter().enumerate() {
        let format = if numeric[c] {
            &formats.header_number
        } else {
            &formats.header_text
        };
        ws.write_string_with_format(header_row, col_num(c), &column.header, format)?;
        #[allow(
            clippy::cast_precision_loss,
            reason = "a column width of at most 60 characters is exact in f64"
        )]
        ws.set_column_width(col_num(c), widths[c].min(MAX_WIDTH) as f64)?;
    }
    let first = sheet.first_data_row();
    for (r, row) in sheet.rows.iter().enumerate() {
        let row_num = first.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
        for (c, cell) in row.iter().enumerate() {
            let kind = sheet.columns.get(c).map_or(ColumnKind::Text, |k| k.kind);
            // Text longer than the widest column wraps rather than spilling over its neighbour.
            let wrap = widths.get(c).is_some_and(|w| *w > MAX_WIDTH);
            write_cell(ws, row_num, col_num(c), cell, kind, wrap, formats)?;
        }
        // Spreadsheet programs do not all grow a row for wrapped text on
        // opening, so the row is given the height its longest text needs.
        let lines = wrapped_lines(row, &widths);
        if lines > 1 {
            #[allow(
                clippy::cast_precision_loss,
                reason = "a line count is far below f64's exact range"
            )]
            ws.set_row_height(row_num, LINE_HEIGHT * lines as f64)?;
        }
        // Cells a row leaves out keep their column's format, as blank rows do.
        for c in row.len()..sheet.columns.len() {
            ws.write_blank(row_num, col_num(c), formats.for_kind(sheet.columns[c].kind))?;
        }
    }
    let blank_from = first.saturating_add(u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX));
    for row_num in blank_from..=sheet.last_row() {
        if row_num < first {
            continue;
        }
        for (c, column) in sheet.columns.iter().enumerate() {
            ws.write_blank(row_num, col_num(c), formats.for_kind(column.kind))?;
        }
    }
    if !sheet.columns.is_empty() {
        ws.set_freeze_panes(header_row + 1, sheet.freeze_cols)?;
    }
    if sheet.last_row() >= first {
        for v in &sheet.validations {
            let validation = list_validation(v)?;
            ws.add_data_validation(first, v.col, sheet.last_row(), v.col, &validation)?;
        }
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Each column's width in characters: its widest header or value as shown,
/// plus a margin, at least [`MIN_WIDTH`]. Above [`MAX_WIDTH`] the column is
/// capped and its text wraps.
fn column_widths(sheet: &SheetSpec, money_decimals: u32) -> Vec<usize> {
    sheet
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let widest = sheet
                .rows
                .iter()
                .filter_map(|row| row.get(c))
                .map(|cell| shown_width(cell, money_decimals))
                // Bold header text is wider than body text of the same length.
                .chain(std::iter::once(column.header.chars().count() + 2))
                .max()
                .unwrap_or(0);
            (widest + 2).max(MIN_WIDTH).max(column.min_width)
        })
        .collect()
}

/// The lines the tallest wrapped text of `row` takes in columns capped at [`MAX_WIDTH`].
fn wrapped_lines(row: &[Cell], widths: &[usize]) -> usize {
    // Characters per line, kept below the column width because word wrapping
    // leaves the end of most lines short.
    let per_line = MAX_WIDTH - 6;
    row.iter()
        .zip(widths)
        .filter(|(_, w)| **w > MAX_WIDTH)
        .map(|(cell, _)| match cell {
            Cell::Text(text) => text.chars().count().div_ceil(per_line),
            _ => 1,
        })
        .max()
        .unwrap_or(1)
}

/// How many characters a cell shows, as a spreadsheet would display it.
fn shown_width(cell: &Cell, money_decimals: u32) -> usize {
    match cell {
        Cell::Blank => 0,
        Cell::Text(text) => text.chars().count(),
        // One more for the bracket or the padding `_)` leaves beside positives.
        Cell::Money(v) => format::money(*v, money_decimals).chars().count() + 1,
        Cell::Number(v) => format::money(*v, 0).chars().count() + 1,
        Cell::Percent(v) => format::percent(*v, 1).chars().count() + 1,
        Cell::Formula { result, .. } => result.chars().count(),
    }
}

/// Whether each column holds numbers (its header is then right-aligned over them).
fn numeric_columns(sheet: &SheetSpec) -> Vec<bool> {
    let is_number =
        |cell: &Cell| matches!(cell, Cell::Money(_) | Cell::Number(_) | Cell::Percent(_));
    sheet
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let cells = || sheet.rows.iter().filter_map(|row| row.get(c));
            column.kind != ColumnKind::Text
                || (cells().any(is_number)
                    && cells().all(|cell| is_number(cell) || *cell == Cell::Blank))
        })
        .collect()
}

fn col_num(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Writes one cell with the format its type calls for.
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    kind: ColumnKind,
    wrap: bool,
    formats: &Formats,
) -> Result<(), SheetError> {
    let number = |v: &Decimal| excel_number(*v).ok_or(SheetError::Number(*v));
    match cell {
        Cell::Blank => {
            ws.write_blank(row, col, formats.for_kind(kind))?;
        }
        Cell::Text(text) => {
            let format = if wrap { &formats.wrap } else { &formats.text };
            ws.write_string_with_format(row, col, text, format)?;
        }
        Cell::Money(v) => {
            ws.write_number_with_format(row, col, number(v)?, &formats.money)?;
        }
        Cell::Number(v) => {
            ws.write_number_with_format(row, col, number(v)?, &formats.number)?;
        }
        Cell::Percent(v) => {
            ws.write_number_with_format(row, col, number(v)?, &formats.percent)?;
        }
        Cell::Formula { formula, result } => {
            let f = Formula::new(formula).set_result(result);
            ws.write_formula_with_format(row, col, f, formats.for_kind(kind))?;
        }
    }
    Ok(())
}

fn list_validation(v: &ListValidation) -> Result<DataValidation, XlsxError> {
    let validation = match &v.source {
        ListSource::Values(values) => DataValidation::new().allow_list_strings(values)?,
        ListSource::Range(range) => {
            DataValidation::new().allow_list_formula(Formula::new(format!("={range}")))
        }
    };
    let style = if v.strict {
        DataValidationErrorStyle::Stop
    } else {
        DataValidationErrorStyle::Information
    };
    validation
        .set_error_style(style)
        .set_error_title("Not in the list")?
        .set_error_message(&v.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use rust_decimal::dec;
    use std::io::Cursor;
    use std::str::FromStr;

    fn sample_spec() -> WorkbookSpec {
        let mut spec = WorkbookSpec::new("Test", 0);
        spec.sheets.push(SheetSpec {
            name: "Costs".into(),
            titles: vec!["Costs (£k, illustrative)".into()],
            columns: vec![
                Column::text("Option"),
                Column::text("Line"),
                Column::money("2026/27"),
                Column::new("Rate", ColumnKind::Percent),
            ],
            rows: vec![
                vec![
                    Cell::text("HUB"),
                    Cell::text("Platform"),
                    Cell::Money(dec!(1234.5)),
                    Cell::Percent(dec!(0.035)),
                ],
                vec![
                    Cell::text("HUB"),
                    Cell::text("Staff"),
                    Cell::Money(dec!(-0.1)),
                ],
            ],
            blank_rows: 3,
            freeze_cols: 2,
            validations: vec![ListValidation {
                col: 0,
                source: ListSource::Values(vec!["BAU".into(), "HUB".into()]),
                message: "choose an option".into(),
                strict: true,
            }],
            hidden: false,
        });
        spec
    }

    #[test]
    fn writes_titles_header_and_exact_values() {
        let bytes = write(&sample_spec()).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Costs"]);
        let range = book.worksheet_range("Costs").unwrap();
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String("Costs (£k, illustrative)".into()))
        );
        assert_eq!(
            range.get_value((2, 2)),
            Some(&Data::String("2026/27".into()))
        );
        let read = |r, c| match range.get_value((r, c)) {
            Some(Data::Float(f)) => Decimal::from_str(&f.to_string()).unwrap(),
            other => panic!("expected a number at {r},{c}, found {other:?}"),
        };
        assert_eq!(read(3, 2), dec!(1234.5));
        assert_eq!(read(3, 3), dec!(0.035));
        assert_eq!(read(4, 2), dec!(-0.1));
    }

    #[test]
    fn same_description_same_bytes() {
        assert_eq!(
            write(&sample_spec()).unwrap(),
            write(&sample_spec()).unwrap()
        );
    }

    #[test]
    fn money_formats_bracket_negatives() {
        assert_eq!(money_format(0), "#,##0_);(#,##0)");
        assert_eq!(money_format(1), "#,##0.0_);(#,##0.0)");
    }

    #[test]
    fn header_sits_below_titles_and_a_gap() {
        let spec = sample_spec();
        assert_eq!(spec.sheets[0].header_row(), 2);
        assert_eq!(spec.sheets[0].last_row(), 2 + 2 + 3);
        let untitled = SheetSpec::default();
        assert_eq!(untitled.header_row(), 0);
    }

    #[test]
    fn a_list_beyond_excels_limit_is_an_error_not_a_panic() {
        let mut spec = sample_spec();
        spec.sheets[0].validations[0].source = ListSource::Values(vec!["x".repeat(300)]);
        let err = write(&spec).unwrap_err();
        assert!(
            err.to_string().starts_with("cannot write sheet Costs: "),
            "{err}"
        );
    }

    proptest::proptest! {
        #[test]
        fn decimals_round_trip_through_excel_numbers(mantissa in -999_999_999_999_999_i64..=999_999_999_999_999, scale in 0_u32..=8) {
            let value = Decimal::new(mantissa, scale);
            let f = excel_number(value).unwrap();
            proptest::prop_assert_eq!(Decimal::from_str(&f.to_string()).unwrap(), value);
        }
    }
}
