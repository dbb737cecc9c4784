//! Problems reported to the user, in the user's terms.
//!
//! Every problem is one line `FILE: Sheet!Cell: message`, optionally followed
//! by a `hint:` line. Helpers deeper down return plain messages; the caller
//! that knows the file and cell wraps them into a [`Diagnostic`]. A command
//! collects every diagnostic it can find before it stops, and they are
//! printed sorted by where they point: file, then sheet order, row, column.
//! Hints that suggest a name are written by [`crate::names`], in one format.

use std::fmt;

use crate::model::CellRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// Where in an input a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// The whole file.
    File,
    /// A whole sheet, e.g. a missing sheet or column (index = the sheet's position in the workbook).
    Sheet { name: String, index: usize },
    /// One cell (index = the sheet's position in the workbook, for ordering).
    Cell { cell: CellRef, index: usize },
    /// A position in a text file such as case.toml (1-based line and column).
    Text { line: usize, col: usize },
}

/// One problem with an input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it.
    pub file: String,
    pub location: Location,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, location: Location, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            location,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        file: impl Into<String>,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, location, message)
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The key that orders diagnostics as the workbook reads: sheet order, row, column.
    fn order_key(&self) -> (u8, usize, u32, u32, usize, usize) {
        match &self.location {
            Location::File => (0, 0, 0, 0, 0, 0),
            Location::Text { line, col } => (1, 0, 0, 0, *line, *col),
            Location::Sheet { index, .. } => (2, *index, 0, 0, 0, 0),
            Location::Cell { cell, index } => (2, *index, cell.row + 1, cell.col, 0, 0),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        match &self.location {
            Location::File => write!(f, "{}: {prefix}{}", self.file, self.message)?,
            Location::Sheet { name, .. } => {
                write!(f, "{}: {name}: {prefix}{}", self.file, self.message)?;
            }
            Location::Cell { cell, .. } => {
                write!(f, "{}: {cell}: {prefix}{}", self.file, self.message)?;
            }
            Location::Text { line, col } => {
                write!(f, "{}:{line}:{col}: {prefix}{}", self.file, self.message)?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, errors and warnings together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// The diagnostics in reading order (stable: equal positions keep the order found), duplicates removed.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut out: Vec<&Diagnostic> = self.items.iter().collect();
        out.sort_by(|a, b| {
            a.file
                .cmp(&b.file)
                .then_with(|| a.order_key().cmp(&b.order_key()))
        });
        out.dedup();
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self { items: vec![d] }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The nearest of `candidates` to `word`, for "did you mean" hints: see
/// [`crate::names::nearest`], where names are matched.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    crate::names::nearest(word, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_file_sheet_cell_message() {
        let d = Diagnostic::error(
            "workbook.xlsx",
            Location::Cell {
                cell: CellRef::new("Costs", 6, 5),
                index: 4,
            },
            "expected a number, found \"tbc\"",
        );
        assert_eq!(
            d.to_string(),
            "workbook.xlsx: Costs!F7: expected a number, found \"tbc\""
        );
        let d = Diagnostic::error(
            "case.toml",
            Location::Text { line: 3, col: 1 },
            "unknown key `titel`",
        )
        .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "case.toml:3:1: unknown key `titel`\n  hint: did you mean `title`?"
        );
    }

    #[test]
    fn sorts_in_workbook_order() {
        let at = |sheet: &str, index, row, col| Location::Cell {
            cell: CellRef::new(sheet, row, col),
            index,
        };
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("w.xlsx", at("Costs", 4, 9, 1), "c"));
        ds.push(Diagnostic::error("w.xlsx", at("Partners", 2, 3, 2), "b"));
        ds.push(Diagnostic::error("w.xlsx", at("Costs", 4, 2, 7), "d"));
        ds.push(Diagnostic::error("w.xlsx", Location::File, "a"));
        let order: Vec<&str> = ds.sorted().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["a", "b", "d", "c"]);
    }

    #[test]
    fn suggests_near_names_only() {
        let forces = ["Bedfordshire", "Cambridgeshire", "Essex"];
        assert_eq!(nearest("Cambridgshire", forces), Some("Cambridgeshire"));
        assert_eq!(nearest("Lincolnshire", forces), None);
    }
}
