//! Stage one of ingest: the workbook's sheets as they are, cells with their positions.
//!
//! Sheets are read only through calamine's streaming cell reader, never
//! `worksheet_range`, which allocates a grid as large as the sheet's extent
//! (a sheet holding only A1 and XFD1048576 would need 17 billion cells).
//! Only non-blank cells are kept, and a sheet with a value beyond the limits
//! below is refused as soon as that value is seen, so memory is bounded by the
//! number of values, never by the sheet's declared dimensions. Nothing here
//! knows what a sheet means; `validate` does.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use super::{refs, safety};

/// Rows a sheet may use (a value in row 200,001 or below is refused).
pub const MAX_ROWS: u32 = 200_000;
/// Columns a sheet may use (a value in column ALM, the 1,001st, or beyond is refused).
pub const MAX_COLS: u32 = 1_000;
/// Non-blank cells read from one workbook, over every sheet fivecase reads.
pub const MAX_CELLS: usize = crate::schema::bounds::MAX_CELLS;

/// One non-blank cell's content, as calamine gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// A number as stored (xlsx numbers are binary floating point).
    Number(f64),
    /// A whole number (only older formats store these).
    Int(i64),
    /// Text, as typed (never blank: blank text is no cell).
    Text(String),
    Bool(bool),
    /// A date, time or duration.
    Date,
    /// A date cell holding a calendar day (a whole date, any time of day ignored).
    Day(chrono::NaiveDate),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose result was never saved.
    NoCachedValue,
}

/// One non-blank cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    /// Zero-based column.
    pub col: u32,
    pub value: RawValue,
}

/// The non-blank cells of one row, in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// Zero-based row.
    pub row: u32,
    pub cells: Vec<RawCell>,
}

impl RawRow {
    /// The cell in column `col`, if it is not blank.
    pub fn get(&self, col: u32) -> Option<&RawValue> {
        self.cells
            .binary_search_by_key(&col, |c| c.col)
            .ok()
            .map(|i| &self.cells[i].value)
    }
}

/// One sheet as read.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSheet {
    /// The name as written in the workbook.
    pub name: String,
    /// The sheet's position in the workbook, for ordering messages.
    pub index: usize,
    /// Rows holding at least one non-blank cell, in row order.
    pub rows: Vec<RawRow>,
}

/// Why a workbook or a sheet could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The whole file is refused.
    File {
        message: String,
        hint: Option<String>,
    },
    /// One sheet is refused (index = its position in the workbook).
    Sheet {
        name: String,
        index: usize,
        message: String,
    },
    /// Cells of one sheet are refused: each reference as written in the
    /// sheet's XML, with why.
    Cells {
        name: String,
        index: usize,
        problems: Vec<(String, String)>,
    },
}

/// Most bad cell references listed for one sheet.
const MAX_REF_PROBLEMS: usize = 100;

/// An open workbook whose sheets can be read one by one.
pub struct Workbook {
    xlsx: Xlsx<BufReader<File>>,
    path: std::path::PathBuf,
    /// Sheet names in workbook order.
    pub sheet_names: Vec<String>,
    cells_read: usize,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("sheet_names", &self.sheet_names)
            .finish_non_exhaustive()
    }
}

fn file_error(message: impl Into<String>, hint: Option<&str>) -> ReadError {
    ReadError::File {
        message: message.into(),
        hint: hint.map(str::to_string),
    }
}

/// Extensions of the spreadsheets a missing workbook's folder is searched for.
const SPREADSHEETS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "numbers"];

/// Most spreadsheet names a missing workbook's message lists.
const MAX_LISTED: usize = 10;

/// A missing workbook, with the spreadsheets its folder does hold (so that
/// `workbook.ods` beside a case.toml naming `workbook.xlsx` says what to do).
fn missing(path: &Path) -> ReadError {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            Path::new(n)
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| SPREADSHEETS.contains(&x.to_ascii_lowercase().as_str()))
        })
        .collect();
    if found.is_empty() {
        return file_error(
            "the workbook does not exist",
            Some("set `workbook` in case.toml to the workbook's file name"),
        );
    }
    found.sort();
    let more = found.len().saturating_sub(MAX_LISTED);
    found.truncate(MAX_LISTED);
    let listed = if more > 0 {
        format!("{} and {more} more", found.join(", "))
    } else {
        found.join(", ")
    };
    file_error(
        format!("the workbook does not exist; its folder holds {listed}"),
        Some("fivecase reads .xlsx: save it as .xlsx or set `workbook` in case.toml"),
    )
}

const RESAVE: &str = "open it in Excel and save it again as an Excel Workbook (.xlsx)";

impl Workbook {
    /// Opens the xlsx or xlsm file at `path` after the zip checks of [`safety`].
    ///
    /// # Errors
    /// The file is missing, empty, not a zip archive, beyond the limits, or
    /// not readable as a workbook.
    pub fn open(path: &Path) -> Result<Self, ReadError> {
        guard(|| Self::open_inner(path))
    }

    fn open_inner(path: &Path) -> Result<Self, ReadError> {
        // Never open what is not a regular file: a FIFO would block the read.
        if let Ok(meta) = std::fs::metadata(path)
            && let Some(what) = super::not_regular(&meta)
        {
            return Err(file_error(
                format!("{what}, not a regular file: fivecase reads only files"),
                None,
            ));
        }
        let file = File::open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                missing(path)
            } else {
                file_error(format!("cannot read the workbook: {e}"), None)
            }
        })?;
        let len = file.metadata().map_or(0, |m| m.len());
        if len == 0 {
            return Err(file_error(
                "not an xlsx workbook: the file is empty",
                Some(RESAVE),
            ));
        }
        let mut reader = BufReader::new(file);
        safety::check_zip(&mut reader).map_err(|r| ReadError::File {
            message: r.message,
            hint: r.hint,
        })?;
        reader
            .seek(SeekFrom::Start(0))
            .map_err(|e| file_error(format!("cannot read the workbook: {e}"), None))?;
        let xlsx = Xlsx::new(reader).map_err(|e| match e {
            calamine::XlsxError::Password => file_error(
                "the workbook is password-protected",
                Some("save a copy without a password for fivecase to read"),
            ),
            _ => file_error(
                "not a readable xlsx workbook: its contents are damaged or not a spreadsheet",
                Some(RESAVE),
            ),
        })?;
        let sheet_names = xlsx.sheet_names();
        Ok(Self {
            xlsx,
            path: path.to_path_buf(),
            sheet_names,
            cells_read: 0,
        })
    }

    /// The position of the sheet named `wanted`, under the common name rule.
    pub fn find_sheet(&self, wanted: &str) -> Option<usize> {
        crate::names::find(self.sheet_names.iter().map(String::as_str), wanted)
    }

    /// Reads the sheet at position `index`: every non-blank cell, in row and column order.
    ///
    /// # Errors
    /// The sheet is damaged, or holds a value beyond [`MAX_ROWS`] or
    /// [`MAX_COLS`], or the workbook holds more than [`MAX_CELLS`] values.
    pub fn read_sheet(&mut self, index: usize) -> Result<RawSheet, ReadError> {
        let name = self.sheet_names.get(index).cloned().unwrap_or_default();
        let result = guard(|| self.read_sheet_inner(index));
        result.map_err(|e| match e {
            ReadError::File { message, .. } => ReadError::Sheet {
                name,
                index,
                message: message.replace("the workbook is", "the sheet is"),
            },
            other @ (ReadError::Sheet { .. } | ReadError::Cells { .. }) => other,
        })
    }

    fn read_sheet_inner(&mut self, index: usize) -> Result<RawSheet, ReadError> {
        let name = self.sheet_names.get(index).cloned().unwrap_or_default();
        let sheet_error = |message: String| ReadError::Sheet {
            name: name.clone(),
            index,
            message,
        };
        // The reading library wraps a row or column beyond u32 onto another
        // cell: the references are checked exactly first, as written.
        let bad = refs::check_sheet(&self.path, &name);
        if !bad.is_empty() {
            return Err(ReadError::Cells {
                name,
                index,
                problems: bad,
            });
        }
        let mut reader = self.xlsx.worksheet_cells_reader(&name).map_err(|_| {
            sheet_error("the sheet is damaged or is not a worksheet (a chart sheet?)".into())
        })?;
        // Cells arrive in row and column order in every file Excel and other
        // writers produce; they go straight into rows. Out-of-order cells
        // (legal, but rare) are sorted once at the end.
        let mut rows: Vec<RawRow> = Vec::new();
        let mut sorted = true;
        let mut twice: Vec<(u32, u32)> = Vec::new();
        loop {
            // The metadata variant: it never expands shared formulas, whose
            // index a crafted file could set to any size.
            let next = reader
                .next_cell_with_formula_metadata()
                .map_err(|_| sheet_error("the sheet is damaged and cannot be read".into()))?;
            let Some(cell) = next else { break };
            let (row, col) = cell.pos;
            let value = match cell.value {
                DataRef::Empty if cell.formula.is_some() => RawValue::NoCachedValue,
                DataRef::Empty => continue,
                DataRef::Float(f) => RawValue::Number(f),
                DataRef::Int(i) => RawValue::Int(i),
                DataRef::String(s) => {
                    if s.trim().is_empty() {
                        continue;
                    }
                    RawValue::Text(s)
                }
                DataRef::SharedString(s) => {
                    if s.trim().is_empty() {
                        continue;
                    }
                    RawValue::Text(s.to_string())
                }
                DataRef::Bool(b) => RawValue::Bool(b),
                DataRef::DateTime(d) if d.is_datetime() => {
                    let (y, m, day, ..) = d.to_ymd_hms_milli();
                    chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
                        .map_or(RawValue::Date, RawValue::Day)
                }
                DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
                    RawValue::Date
                }
                DataRef::Error(e) => RawValue::Error(e.to_string()),
            };
            if row >= MAX_ROWS || col >= MAX_COLS {
                let at = crate::model::CellRef::new(name.clone(), row, col).a1();
                return Err(sheet_error(format!(
                    "the sheet is too large: it has a value at {at}, beyond the {} rows and {} columns fivecase reads",
                    group(MAX_ROWS),
                    group(MAX_COLS)
                )));
            }
            self.cells_read += 1;
            if self.cells_read > MAX_CELLS {
                return Err(sheet_error(format!(
                    "the workbook is too large: more than {} filled cells on the sheets fivecase reads",
                    group(u32::try_from(MAX_CELLS).unwrap_or(u32::MAX))
                )));
            }
            match rows.last_mut() {
                Some(last) if last.row == row => {
                    if last.cells.last().is_some_and(|c| c.col == col) {
                        twice.push((row, col));
                    } else if last.cells.last().is_some_and(|c| c.col > col) {
                        sorted = false;
                    }
                    last.cells.push(RawCell { col, value });
                }
                Some(last) if last.row > row => {
                    sorted = false;
                    rows.push(RawRow {
                        row,
                        cells: vec![RawCell { col, value }],
                    });
                }
                _ => rows.push(RawRow {
                    row,
                    cells: vec![RawCell { col, value }],
                }),
            }
        }
        if !sorted {
            rows = regroup(rows, &mut twice);
        }
        if !twice.is_empty() {
            twice.sort_unstable();
            twice.dedup();
            let problems = twice
                .into_iter()
                .take(MAX_REF_PROBLEMS)
                .map(|(row, col)| {
                    let at = crate::model::CellRef::new(name.clone(), row, col).a1();
                    let bare = at.rsplit('!').next().unwrap_or(&at).to_string();
                    (
                        bare,
                        "the cell is defined twice in the sheet's XML: the sheet is damaged; open it in Excel and save it again".to_string(),
                    )
                })
                .collect();
            return Err(ReadError::Cells {
                name,
                index,
                problems,
            });
        }
        Ok(RawSheet { name, index, rows })
    }
}

/// Sorts out-of-order cells into rows in row and column order; a position
/// held by two cells is recorded in `twice` (the later is kept meanwhile).
fn regroup(rows: Vec<RawRow>, twice: &mut Vec<(u32, u32)>) -> Vec<RawRow> {
    let mut cells: Vec<(u32, u32, RawValue)> = rows
        .into_iter()
        .flat_map(|r| {
            let row = r.row;
            r.cells.into_iter().map(move |c| (row, c.col, c.value))
        })
        .collect();
    // Stable: equal positions keep file order, so the later one is last.
    cells.sort_by_key(|c| (c.0, c.1));
    let mut out: Vec<RawRow> = Vec::new();
    for (row, col, value) in cells {
        match out.last_mut() {
            Some(last) if last.row == row => {
                if last.cells.last().is_some_and(|c| c.col == col) {
                    last.cells.pop();
                    twice.push((row, col));
                }
                last.cells.push(RawCell { col, value });
            }
            _ => out.push(RawRow {
                row,
                cells: vec![RawCell { col, value }],
            }),
        }
    }
    out
}

/// Runs a read, turning a panic inside the reading library (a crafted file
/// can reach arithmetic it does not check) into a plain refusal: a last line
/// of defence behind the checks above, so no input stops fivecase abruptly.
/// The panic message is silenced on this thread meanwhile (the user gets the
/// refusal, not a backtrace); every other thread's panics are reported as
/// before, and so are this thread's once the read is over, however many
/// threads read at once (a portfolio reads its cases in parallel).
fn guard<T>(read: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    thread_local! {
        static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    // Installed once, wrapping whatever hook the process had then: swapping
    // hooks per read would race between threads and could leave the
    // process's hook silenced for good.
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was_reading = READING.with(|r| r.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    READING.with(|r| r.set(was_reading));
    result.unwrap_or_else(|_| {
        Err(file_error(
            "the workbook is damaged and cannot be read",
            Some(RESAVE),
        ))
    })
}

/// 200000 → `200,000`.
fn group(n: u32) -> String {
    crate::format::money(rust_decimal::Decimal::from(n), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(col: u32, n: f64) -> RawCell {
        RawCell {
            col,
            value: RawValue::Number(n),
        }
    }

    #[test]
    fn regroup_orders_cells_and_keeps_the_later_of_two() {
        let rows = vec![
            RawRow {
                row: 3,
                cells: vec![cell(2, 1.0), cell(0, 2.0)],
            },
            RawRow {
                row: 1,
                cells: vec![cell(0, 3.0)],
            },
            RawRow {
                row: 3,
                cells: vec![cell(2, 4.0)],
            },
        ];
        let mut twice = Vec::new();
        let out = regroup(rows, &mut twice);
        assert_eq!(twice, vec![(3, 2)]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].row, 1);
        assert_eq!(out[1].row, 3);
        assert_eq!(out[1].cells, vec![cell(0, 2.0), cell(2, 4.0)]);
        assert_eq!(out[1].get(2), Some(&RawValue::Number(4.0)));
        assert_eq!(out[1].get(1), None);
    }
}
