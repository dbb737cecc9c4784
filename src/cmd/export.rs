//! `fivecase export`: the model workbook a finance lead can audit, written
//! next to the case (or where `-o` says) through an atomic write.

use std::path::{Path, PathBuf};

use super::CmdError;
use crate::compute::Results;
use crate::compute::scenario::Outcome;
use crate::ingest::{self, Loaded};
use crate::output;
use crate::render::xlsx;

/// Runs the command: reads and validates the case, computes it and each of
/// its scenarios and writes the model workbook, printing its path.
///
/// # Errors
/// Every problem with the case (exit code 1, nothing written), or a failure
/// to build or write the workbook.
pub fn run(case: &Path, output: Option<&Path>) -> Result<(), CmdError> {
    let loaded = ingest::load(case).map_err(CmdError::Invalid)?;
    super::print_figure_warnings(&loaded);
    // Computed once: the base results fill the calculation sheets, the
    // scenarios the Scenarios sheet.
    let computed = super::scenarios::run_case_with_risk(&loaded, case)?;
    let path = write(
        &loaded,
        computed.results(),
        &computed.scenarios,
        computed.risk.as_ref(),
        output,
    )?;
    println!("wrote {}", path.display());
    Ok(())
}

/// `fivecase export CASE` with the default output path: a step of `fivecase demo`.
///
/// # Errors
/// As [`run`].
pub fn run_default(case: &Path) -> Result<(), CmdError> {
    run(case, None)
}

/// Writes the model workbook of a computed case (and the outcomes of its
/// scenarios) to `output`, or to `<case folder>/<slug>-model.xlsx`, and
/// returns the path written. For `export` and `demo`.
///
/// # Errors
/// When the workbook cannot be built, the destination is the case's own
/// workbook, or the file cannot be written.
pub fn write(
    loaded: &Loaded,
    results: &Results,
    scenarios: &[Outcome],
    risk: Option<&crate::compute::risk::RiskAnalysis>,
    output: Option<&Path>,
) -> Result<PathBuf, CmdError> {
    let path = output.map_or_else(|| default_path(loaded), Path::to_path_buf);
    refuse_input(&path, loaded)?;
    let bytes = xlsx::model_workbook_with_risk(&loaded.case, results, scenarios, risk)
        .map_err(|e| CmdError::Message(e.to_string()))?;
    output::write_atomic(&path, &bytes)
        .map_err(|e| CmdError::io(&path, "write the model workbook", e))?;
    Ok(path)
}

/// `<case folder>/<slug>-model.xlsx`.
pub fn default_path(loaded: &Loaded) -> PathBuf {
    loaded
        .case_dir
        .join(format!("{}-model.xlsx", slug(&loaded.case.meta.title)))
}

/// Inputs are never overwritten: the export may not replace the case's workbook.
/// An output that is not an `.xlsx` file is refused too: it could only be a
/// slip (`-o case.toml`), and it would not open as a workbook.
fn refuse_input(path: &Path, loaded: &Loaded) -> Result<(), CmdError> {
    super::expect_extension(path, "xlsx", "the model workbook", &default_path(loaded))?;
    let workbook = Path::new(&loaded.case.sources.workbook);
    let same = match (path.canonicalize(), workbook.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(CmdError::Message(format!(
            "{}: refusing to overwrite the case's workbook with the export\n  hint: choose another file with -o, e.g. -o {}",
            path.display(),
            default_path(loaded).display()
        )));
    }
    Ok(())
}

/// A file-name stem from a title: lower-cased, each run of characters other
/// than letters and digits turned into one `-`, none at either end; `case`
/// when nothing is left.
pub fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut gap = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        "case".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_collapse_punctuation_and_case() {
        assert_eq!(
            slug("Regional Control Room & Contact"),
            "regional-control-room-contact"
        );
        assert_eq!(
            slug("  East Midlands: ICT (2026/27) "),
            "east-midlands-ict-2026-27"
        );
        assert_eq!(slug("***"), "case");
        assert_eq!(slug("Île-de-France"), "île-de-france");
    }
}
