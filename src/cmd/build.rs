//! `fivecase build`: the typeset business case as PDF.
//!
//! Reads and validates the case, computes it and its scenarios once,
//! builds the document from them, and writes it as PDF through
//! `output::write_atomic`. The document date comes from `--date` or
//! case.toml, never from the clock, so a rebuild gives the same bytes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{CmdError, print_diagnostics};
use crate::document;
use crate::ingest;
use crate::model::{Case, Meta, NarrativePart};
use crate::output;
use crate::render::pdf;

/// Runs the command; prints the path written.
///
/// # Errors
/// Every problem with the case; no document date; a failed typesetting or write.
pub fn run(path: &Path, out: Option<&Path>, date: Option<NaiveDate>) -> Result<(), CmdError> {
    let written = build(path, out, date)?;
    println!("wrote {}", written.display());
    Ok(())
}

/// Builds the PDF and returns where it was written (for `demo` too).
///
/// # Errors
/// As [`run`].
pub fn build(
    path: &Path,
    out: Option<&Path>,
    date: Option<NaiveDate>,
) -> Result<PathBuf, CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    print_diagnostics(&loaded.warnings);
    let case = &loaded.case;
    let date = date.or(case.meta.date).ok_or_else(|| {
        CmdError::Message(
            "the document has no date: give one with --date YYYY-MM-DD, or add `date = 2026-11-20` to case.toml"
                .into(),
        )
    })?;
    let target = out.map_or_else(
        || loaded.case_dir.join(default_file_name(&case.meta)),
        Path::to_path_buf,
    );
    refuse_inputs(&target, path, case)?;
    // The engine runs once: the results and every scenario's outcome. A
    // scenario the engine cannot run stops the build, rather than reaching
    // the Summit papers as an apology.
    let computed = super::scenarios::run_case_with_risk(&loaded, path)?;
    let scenarios = (!case.meta.scenarios.is_empty()).then(|| (&computed).into());
    let doc = document::build_with_risk(
        case,
        computed.results(),
        scenarios,
        computed.risk.as_ref(),
        date,
    );
    let bytes = pdf::render(&doc, &pdf::pdf_meta(case, date))
        .map_err(|e| CmdError::Message(e.to_string()))?;
    output::write_atomic(&target, &bytes).map_err(|e| CmdError::io(&target, "write the PDF", e))?;
    Ok(target)
}

/// `<slug>-<stage>-v<version>.pdf`: `regional-forensics-obc-v1.2.pdf`.
pub fn default_file_name(meta: &Meta) -> String {
    let version: String = meta
        .version
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "{}-{}-v{}.pdf",
        slug(&meta.title),
        meta.stage.code().to_lowercase(),
        version.trim_matches(['-', '.'])
    )
}

/// The title in lower case, each run of characters other than letters and digits one `-`.
pub fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "business-case".into()
    } else {
        trimmed.into()
    }
}

/// Inputs are never overwritten: not the workbook, not case.toml, not a narrative file.
fn refuse_inputs(target: &Path, given: &Path, case: &Case) -> Result<(), CmdError> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let workbook = Path::new(&case.sources.workbook);
    let is_input = same(target, given)
        || same(target, workbook)
        || [
            given.to_path_buf(),
            given.parent().map(Path::to_path_buf).unwrap_or_default(),
        ]
        .iter()
        .any(|dir| {
            std::iter::once("case.toml")
                .chain(NarrativePart::ALL.iter().map(|p| p.file_name()))
                .any(|name| same(target, &dir.join(name)))
        });
    if is_input {
        return Err(CmdError::Message(format!(
            "{}: is an input of the case; refusing to overwrite it\n  hint: name another file with -o FILE.pdf",
            target.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_collapse_runs_of_other_characters() {
        assert_eq!(
            slug("Regional Forensics Collaboration"),
            "regional-forensics-collaboration"
        );
        assert_eq!(
            slug("  East Midlands: CID & Major Crime (2026) "),
            "east-midlands-cid-major-crime-2026"
        );
        assert_eq!(slug("***"), "business-case");
    }
}
