//! `fivecase build`: the typeset business case as PDF, HTML and Word.
//!
//! Reads and validates the case, computes it and its scenarios once,
//! builds the document from them, encodes it in every format asked for,
//! and writes each file through `output::write_atomic`, beside the others
//! with its own extension. The document date comes from `--date` or
//! case.toml, never from the clock, so a rebuild gives the same bytes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{CmdError, no_date, print_diagnostics};
use crate::document;
use crate::ingest;
use crate::model::{Case, Meta, NarrativePart};
use crate::output;
use crate::render::{docx, html, pdf};

/// A format the business case can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Format {
    /// PDF/A-2b and PDF/UA-1, for the Summit papers.
    Pdf,
    /// One self-contained, accessible HTML file, for publishing.
    Html,
    /// A Word document with real styles, for governance teams to edit.
    Docx,
}

impl Format {
    /// Every format, in the order files are written.
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Html, Format::Docx];

    /// The file extension, without the dot.
    /// The output, as a message names it.
    pub fn what(self) -> &'static str {
        match self {
            Format::Pdf => "the PDF",
            Format::Html => "the HTML document",
            Format::Docx => "the Word document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }

    /// What a failed write says it was doing.
    fn action(self) -> &'static str {
        match self {
            Format::Pdf => "write the PDF",
            Format::Html => "write the HTML",
            Format::Docx => "write the Word document",
        }
    }
}

/// The formats asked for, each once, in [`Format::ALL`] order; PDF when none.
pub fn normalise(formats: &[Format]) -> Vec<Format> {
    let mut out: Vec<Format> = Format::ALL
        .into_iter()
        .filter(|f| formats.contains(f))
        .collect();
    if out.is_empty() {
        out.push(Format::Pdf);
    }
    out
}

/// Runs the command; prints each path written.
///
/// # Errors
/// Every problem with the case; no document date; a failed typesetting or write.
pub fn run(
    path: &Path,
    out: Option<&Path>,
    date: Option<NaiveDate>,
    formats: &[Format],
) -> Result<(), CmdError> {
    run_under(path, out, date, formats, None)
}

/// As [`run`], typesetting the case under the scenario of case.toml named
/// `scenario` when one is given (`build --scenario NAME`).
///
/// # Errors
/// As [`run`]; a scenario the case does not define.
pub fn run_under(
    path: &Path,
    out: Option<&Path>,
    date: Option<NaiveDate>,
    formats: &[Format],
    scenario: Option<&str>,
) -> Result<(), CmdError> {
    for written in build_under(path, out, date, formats, scenario)? {
        println!("wrote {}", written.display());
    }
    Ok(())
}

/// Builds the business case in every format of `formats` and returns the
/// paths written, in [`Format::ALL`] order (for `demo` and `watch` too).
/// `out` names the file when one format is asked for; with several, the
/// caller has refused it already, and it is ignored here.
///
/// Every format is encoded before any file is written, so a format that
/// fails leaves the previous outputs of all of them in place.
///
/// # Errors
/// As [`run`].
pub fn build(
    path: &Path,
    out: Option<&Path>,
    date: Option<NaiveDate>,
    formats: &[Format],
) -> Result<Vec<PathBuf>, CmdError> {
    build_under(path, out, date, formats, None)
}

/// As [`build`], under the scenario of case.toml named `scenario` when one
/// is given: the whole document (its narrative's live figures too) is
/// built from the scenario's full results, its title page and every
/// page's running title name the scenario, and its default file name ends
/// with the scenario's name, so it never replaces the base case's.
///
/// # Errors
/// As [`run`]; a scenario the case does not define.
pub fn build_under(
    path: &Path,
    out: Option<&Path>,
    date: Option<NaiveDate>,
    formats: &[Format],
    scenario: Option<&str>,
) -> Result<Vec<PathBuf>, CmdError> {
    let formats = normalise(formats);
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    print_diagnostics(&loaded.warnings);
    let chosen = scenario
        .map(|name| find_scenario(&loaded, name))
        .transpose()?;
    let case = &loaded.case;
    let date = date
        .or(case.meta.date)
        .ok_or_else(|| no_date(loaded.summary.case_toml.as_deref(), "the document"))?;
    let mut stem = default_stem(&case.meta);
    if let Some(spec) = chosen.and_then(|i| case.meta.scenarios.get(i)) {
        stem.push('-');
        stem.push_str(&slug(&spec.name));
    }
    let targets: Vec<(Format, PathBuf)> = formats
        .iter()
        .map(|&f| {
            let target = match out {
                Some(o) if formats.len() == 1 => o.to_path_buf(),
                _ => loaded.case_dir.join(format!("{stem}.{}", f.extension())),
            };
            (f, target)
        })
        .collect();
    for (format, target) in &targets {
        refuse_inputs(target, path, case)?;
        super::expect_extension(
            target,
            format.extension(),
            format.what(),
            &loaded
                .case_dir
                .join(format!("{stem}.{}", format.extension())),
        )?;
    }
    // The engine runs once: the results and every scenario's outcome. A
    // scenario the engine cannot run stops the build, rather than reaching
    // the Summit papers as an apology.
    let computed = super::scenarios::run_case_with_risk(&loaded, path)?;
    // Under a scenario, the scenario's case is computed in full (its risk
    // analysis too), as the base case is; the scenario comparison still
    // sets every scenario beside the base case.
    let under = match chosen.and_then(|i| computed.scenarios.get(i)) {
        Some(outcome) => {
            let mut scenario_case = outcome.case.clone();
            scenario_case.meta.scenarios.clear();
            Some(
                crate::compute::run_case_with_risk(&scenario_case).map_err(|e| match e {
                    crate::compute::scenario::RunError::Compute(_, e) => {
                        super::scenarios::compute_error(&loaded, path, Some(&outcome.name), &e)
                    }
                    other @ crate::compute::scenario::RunError::Scenario(_) => {
                        super::scenarios::run_error(&loaded, path, other)
                    }
                })?,
            )
        }
        None => None,
    };
    let (case, shown) = match &under {
        Some(u) => (&u.base.case, u),
        None => (case, &computed),
    };
    // A placeholder that does not resolve stops the build; stale literals are `check`'s warnings.
    let mut figures = crate::diag::Diagnostics::new();
    for d in super::check::narrative_diagnostics(&loaded, case, shown.results()) {
        if d.is_error() {
            figures.push(d);
        }
    }
    if figures.has_errors() {
        return Err(CmdError::Invalid(figures));
    }
    let scenarios = (!loaded.case.meta.scenarios.is_empty()).then(|| (&computed).into());
    let mut doc =
        document::build_with_risk(case, shown.results(), scenarios, shown.risk.as_ref(), date);
    if let Some(s) = chosen.and_then(|i| loaded.case.meta.scenarios.get(i)) {
        document::under_scenario(&mut doc, &s.name, &s.description);
    }
    let mut encoded = Vec::with_capacity(targets.len());
    for (format, target) in targets {
        let bytes = match format {
            Format::Pdf => pdf::render(&doc, &pdf::pdf_meta(case, date))
                .map_err(|e| CmdError::Message(e.to_string()))?,
            Format::Html => html::render(&doc).into_bytes(),
            Format::Docx => docx::render(&doc)
                .map_err(|e| CmdError::Message(format!("{}: {e}", target.display())))?,
        };
        encoded.push((format, target, bytes));
    }
    let mut written = Vec::with_capacity(encoded.len());
    for (format, target, bytes) in encoded {
        output::write_atomic(&target, &bytes)
            .map_err(|e| CmdError::io(&target, format.action(), e))?;
        written.push(target);
    }
    Ok(written)
}

/// The position of the scenario `name` among case.toml's, by the common name rule.
fn find_scenario(loaded: &ingest::Loaded, name: &str) -> Result<usize, CmdError> {
    let scenarios = &loaded.case.meta.scenarios;
    let names = || scenarios.iter().map(|s| s.name.as_str());
    crate::names::find(names(), name).ok_or_else(|| {
        let file = loaded.case_dir.join("case.toml");
        let hint = if scenarios.is_empty() {
            "case.toml defines no [[scenario]]".to_string()
        } else {
            crate::names::hint(name, names(), "scenarios")
        };
        CmdError::Message(format!(
            "{}: unknown scenario '{name}'\n  hint: {hint}",
            file.display()
        ))
    })
}

/// `<slug>-<stage>-v<version>.pdf`: `regional-forensics-obc-v1.2.pdf`.
pub fn default_file_name(meta: &Meta) -> String {
    format!("{}.pdf", default_stem(meta))
}

/// `<slug>-<stage>-v<version>`: every format's file name without its extension.
pub fn default_stem(meta: &Meta) -> String {
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
        "{}-{}-v{}",
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
            "{}: is an input of the case; refusing to overwrite it\n  hint: name another file with -o FILE",
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
