//! The typst machinery: embedded templates and fonts, compilation of the document tree
//! into pages, and export to PDF/A-2b + PDF/UA-1.
//!
//! typst sees exactly three things: the templates compiled into the binary,
//! the fonts compiled into the binary, and the tree handed over as a JSON
//! string in `sys.inputs`. No file-system or package resolver is installed,
//! so a template (or anything that reached one) cannot read a file, and no
//! system font can change the output from one machine to the next.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Dict, IntoValue, Smart};
use typst::syntax::{DiagSpanKind, Source};
use typst::text::Font;
use typst_as_lib::{TypstAsLibError, TypstEngine};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::fonts::LIBERATION;

/// The main template: the whole document.
const MAIN: (&str, &str) = ("case.typ", include_str!("../../../templates/case.typ"));
/// Rendering of the narrative's CommonMark tree and of data tables.
const LIB: (&str, &str) = ("lib.typ", include_str!("../../../templates/lib.typ"));
/// Every template, by the name typst knows it by.
const TEMPLATES: [(&str, &str); 2] = [MAIN, LIB];

/// A problem typst found in a template or with the data handed to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypesetError {
    /// Compilation failed (or, in strict mode, warned): `template.typ:LINE:COL: message` lines.
    #[error("the document template failed:\n{}", .0.join("\n"))]
    Template(Vec<String>),
    /// PDF export failed, e.g. a PDF/A or PDF/UA rule was broken.
    #[error("the PDF could not be written:\n{}", .0.join("\n"))]
    Export(Vec<String>),
}

/// The document's PDF metadata that typst cannot take from the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfMeta {
    /// The document date: the PDF's creation date.
    pub date: NaiveDate,
    /// A stable identifier of the document (title, stage, version), hashed into the PDF's ID.
    pub ident: String,
}

/// Every font typst may use, parsed once: typst-assets' faces and Liberation Sans.
fn fonts() -> Vec<Font> {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            typst_assets::fonts()
                .chain(LIBERATION)
                .flat_map(|data| Font::iter(typst::foundations::Bytes::new(data)))
                .collect()
        })
        .clone()
}

/// Text as the embedded fonts can show it.
///
/// PDF/A forbids text without a glyph, so a character no embedded font
/// covers (an emoji, say) would stop the export: it becomes U+FFFD (or `?`).
/// Control characters are dropped (tabs become spaces), as are the bidi
/// override controls, which could make a figure read differently from
/// what was written.
pub fn displayable(text: &str) -> String {
    static COVERED: OnceLock<Vec<Font>> = OnceLock::new();
    let fonts = COVERED.get_or_init(fonts);
    let covered = |c: char| {
        fonts
            .iter()
            .any(|f| f.info().coverage.contains(u32::from(c)))
    };
    let replacement = if covered('\u{fffd}') { '\u{fffd}' } else { '?' };
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => None,
            c if c.is_control() => None,
            c if c.is_ascii() || c == '\u{200b}' || covered(c) => Some(c),
            _ => Some(replacement),
        })
        .collect()
}

/// The engine, built once per process: templates and fonts only.
fn engine() -> &'static TypstEngine {
    static ENGINE: OnceLock<TypstEngine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            // One call: a second `.fonts` would replace the first.
            .fonts(fonts())
            .with_static_source_file_resolver(TEMPLATES)
            // typst's memoised layouts are freed by `release`, off the critical path.
            .comemo_evict_max_age(None)
            .build()
    })
}

/// Lays out the document described by `view_json` (the view, serialised).
///
/// With `strict`, typst's warnings (an unknown font name, for one) are
/// errors too: tests run strict so that a silent fallback cannot slip in.
///
/// # Errors
/// [`TypesetError::Template`] with every error (and in strict mode, warning)
/// located in the template it came from.
pub fn typeset(view_json: &str, strict: bool) -> Result<PagedDocument, TypesetError> {
    let mut inputs = Dict::new();
    inputs.insert("view".into(), view_json.into_value());
    inputs.insert("layout".into(), layout_json().into_value());
    let Warned { output, warnings } = engine().compile_with_input(MAIN.0, inputs);
    let mut problems: Vec<String> = Vec::new();
    let doc = match output {
        Ok(doc) => Some(doc),
        Err(TypstAsLibError::TypstSource(diags)) => {
            problems.extend(diags.iter().map(describe));
            None
        }
        Err(other) => {
            problems.push(plain_error(&other));
            None
        }
    };
    if strict {
        problems.extend(warnings.iter().map(describe));
    }
    match doc {
        Some(doc) if problems.is_empty() => Ok(doc),
        _ => Err(TypesetError::Template(problems)),
    }
}

/// Frees a laid-out document and typst's memoised layouts on a thread of
/// their own, so that nobody waits for it: `fivecase build` exits as soon
/// as the PDF is written (freeing takes about a tenth of the layout time),
/// and a process that typesets document after document still returns the
/// memory each one used.
pub fn release(doc: PagedDocument) {
    let free = move || {
        drop(doc);
        comemo::evict(0);
    };
    if std::thread::Builder::new()
        .name("typst-release".into())
        .spawn(free)
        .is_err()
    {
        // No thread to be had: free in place, as typst itself would.
        comemo::evict(0);
    }
}

/// The page geometry and table type the tables were measured with
/// ([`fit::layout`](super::fit::layout)), as the JSON the templates read.
fn layout_json() -> &'static str {
    static LAYOUT: OnceLock<String> = OnceLock::new();
    LAYOUT.get_or_init(|| serde_json::to_string(&super::fit::layout()).unwrap_or_default())
}

/// Writes the laid-out document as PDF/A-2b and PDF/UA-1, tagged, with a
/// fixed date and identifier so the same case gives the same bytes.
///
/// # Errors
/// [`TypesetError::Export`] when typst's validation of the standards fails.
pub fn export(doc: &PagedDocument, meta: &PdfMeta) -> Result<Vec<u8>, TypesetError> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b, PdfStandard::Ua_1])
        .map_err(|e| TypesetError::Export(vec![e.message().to_string()]))?;
    let timestamp = date_time(meta.date).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(meta.ident.clone()),
        creator: Smart::Custom(Some(format!("fivecase {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options)
        .map_err(|diags| TypesetError::Export(diags.iter().map(describe).collect()))
}

/// A date as typst's datetime (noon is irrelevant: only the date is meaningful).
fn date_time(date: NaiveDate) -> Option<Datetime> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    Datetime::from_ymd_hms(date.year(), month, day, 0, 0, 0)
}

/// One diagnostic as `template.typ:LINE:COL: message`, hints on following lines.
fn describe(diag: &SourceDiagnostic) -> String {
    let severity = match diag.severity {
        Severity::Error => "",
        Severity::Warning => "warning: ",
    };
    let place = locate(diag).unwrap_or_else(|| "template".to_string());
    let mut out = format!("{place}: {severity}{}", diag.message);
    for hint in &diag.hints {
        out.push_str("\n  hint: ");
        out.push_str(&hint.v);
    }
    out
}

/// `file:line:col` (1-based) of a diagnostic in one of the embedded templates.
fn locate(diag: &SourceDiagnostic) -> Option<String> {
    let (id, range) = match diag.span.get() {
        DiagSpanKind::Detached => return None,
        DiagSpanKind::Number { id, num, sub_range } => {
            let name = id.vpath().get_without_slash();
            let text = TEMPLATES.iter().find(|(n, _)| *n == name)?.1;
            // Re-parsing the template gives the same span numbers typst used.
            let source = Source::new(id, text.to_string());
            let range = source.range(num, sub_range)?;
            (id, range)
        }
        DiagSpanKind::Range { id, range } => (id, range),
    };
    let name = id.vpath().get_without_slash();
    let text = TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
    let Some(text) = text else {
        return Some(name.to_string());
    };
    let before = text.get(..range.start)?;
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some(format!("{name}:{line}:{col}"))
}

/// typst-as-lib's own errors, without its Debug formatting.
fn plain_error(err: &TypstAsLibError) -> String {
    match err {
        TypstAsLibError::TypstSource(diags) => {
            diags.iter().map(describe).collect::<Vec<_>>().join("\n")
        }
        TypstAsLibError::TypstFile(e) => format!("template: {e}"),
        TypstAsLibError::MainSourceFileDoesNotExist(_) => {
            format!("template: {} is missing", MAIN.0)
        }
        TypstAsLibError::HintedString(h) => format!("template: {}", h.message()),
        TypstAsLibError::Unspecified(s) => format!("template: {s}"),
    }
}
