//! The typeset Five Case Model business case, as PDF.
//!
//! The pipeline, one module per step: [`chart`] draws the charts from the
//! results, [`view`] formats every figure and word into one serialisable
//! view (the narrative through [`markdown`] into a tree of plain data),
//! and [`typeset`] hands the view to the embedded typst templates and
//! exports PDF/A-2b + PDF/UA-1. Same case, same date: same bytes.

pub mod chart;
pub mod markdown;
pub mod typeset;
pub mod view;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;

pub use typeset::{PdfMeta, TypesetError};
pub use view::View;

use crate::compute::Results;
use crate::model::Case;

/// Typesets the business case for `case` and its `results`, dated `date`.
///
/// # Errors
/// A [`TypesetError`] when the templates fail or the PDF cannot meet its standards.
pub fn render(case: &Case, results: &Results, date: NaiveDate) -> Result<Vec<u8>, TypesetError> {
    let charts = view::charts(case, results);
    let view = view::build(case, results, date, charts);
    let json = to_json(&view)?;
    let doc = typeset::typeset(&json, false)?;
    typeset::export(&doc, &pdf_meta(case, date))
}

/// The view as the JSON the template reads.
///
/// # Errors
/// Only if serialisation fails, which plain strings and lists cannot do.
pub fn to_json(view: &View) -> Result<String, TypesetError> {
    serde_json::to_string(view).map_err(|e| TypesetError::Template(vec![format!("view: {e}")]))
}

/// The PDF's fixed metadata: its date, and an identifier stable across
/// builds of the same version of the same case.
pub fn pdf_meta(case: &Case, date: NaiveDate) -> PdfMeta {
    let m = &case.meta;
    PdfMeta {
        date,
        ident: format!("fivecase/{}/{}/{}", m.title, m.stage.code(), m.version),
    }
}
