//! The typeset Five Case Model business case, as PDF: an exporter of the
//! [`Document`].
//!
//! The pipeline, one module per step: [`encode`] turns the document into
//! the tree the templates walk ([`tree`]), measuring each table with the
//! embedded [`fonts`] as it goes ([`fit`], which also holds the page
//! geometry the templates lay out with), and deciding what goes on
//! landscape pages and how a table too wide for any page is split; the
//! charts are drawn by [`crate::render::chart`]; [`typeset`] hands the tree
//! to the embedded typst templates and exports PDF/A-2b + PDF/UA-1. Same
//! document, same date: same bytes. Nothing here runs the engine or decides
//! what the document says.

pub mod encode;
pub mod fit;
pub mod fonts;
pub mod tree;
pub mod typeset;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;

pub use tree::Tree;
pub use typeset::{PdfMeta, TypesetError};

use crate::document::Document;
use crate::model::Case;

/// Typesets `doc` as PDF with the fixed metadata `meta`.
///
/// # Errors
/// A [`TypesetError`] when the templates fail or the PDF cannot meet its standards.
pub fn render(doc: &Document, meta: &PdfMeta) -> Result<Vec<u8>, TypesetError> {
    let json = to_json(&encode::encode(doc))?;
    let laid_out = typeset::typeset(&json, false)?;
    let pdf = typeset::export(&laid_out, meta);
    typeset::release(laid_out);
    pdf
}

/// The tree as the JSON the template reads.
///
/// # Errors
/// Only if serialisation fails, which plain strings and lists cannot do.
pub fn to_json(tree: &Tree) -> Result<String, TypesetError> {
    let fail = |e: serde_json::Error| TypesetError::Template(vec![format!("view: {e}")]);
    let mut value = serde_json::to_value(tree).map_err(fail)?;
    make_displayable(&mut value);
    serde_json::to_string(&value).map_err(fail)
}

/// Every string of the tree through [`typeset::displayable`]; every string
/// that is laid out as text also gets break opportunities in long words.
fn make_displayable(value: &mut serde_json::Value) {
    walk(value, true);
}

fn walk(value: &mut serde_json::Value, laid_out: bool) {
    match value {
        serde_json::Value::String(s) => {
            let mut clean = typeset::displayable(s);
            if laid_out {
                clean = breakable(&clean);
            }
            if clean != *s {
                *s = clean;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| walk(v, laid_out)),
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                // Link targets, SVG source and alt text are not laid out as lines.
                walk(
                    v,
                    laid_out && !matches!(key.as_str(), "url" | "svg" | "alt"),
                );
            }
        }
        _ => {}
    }
}

/// Words longer than this get break opportunities.
const LONG_WORD: usize = 24;

/// Inserts zero-width spaces into long words (addresses, identifiers) after
/// `/`, `-`, `_`, `.`, `&`, `=`, `?`, and at least every 16 characters, so
/// that no word can push past a table cell or the page edge.
fn breakable(text: &str) -> String {
    fn flush(word: &mut String, out: &mut String) {
        if word.chars().count() <= LONG_WORD {
            out.push_str(word);
        } else {
            let mut since = 0;
            for c in word.chars() {
                out.push(c);
                since += 1;
                if matches!(c, '/' | '-' | '_' | '.' | '&' | '=' | '?') || since >= 16 {
                    out.push('\u{200b}');
                    since = 0;
                }
            }
        }
        word.clear();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
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

#[cfg(test)]
mod unit_tests {
    use super::breakable;

    #[test]
    fn only_long_words_get_break_opportunities() {
        assert_eq!(
            breakable("a short line\twith tabs"),
            "a short line\twith tabs"
        );
        let long = "https://example.org/averyveryverylongpathsegment";
        let broken = breakable(&format!("see {long} now"));
        assert_eq!(broken.replace('\u{200b}', ""), format!("see {long} now"));
        assert!(broken.contains("https:/\u{200b}/\u{200b}"), "{broken:?}");
        assert!(
            broken
                .split('\u{200b}')
                .all(|part| part.chars().count() <= 20),
            "{broken:?}"
        );
    }
}
