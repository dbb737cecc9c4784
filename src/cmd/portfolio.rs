//! `fivecase portfolio show|build|export PORTFOLIO`: the programme view.
//!
//! Each reads the portfolio once (every case validated and computed once,
//! in parallel) and hands the same roll-up to its output.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{CmdError, print_diagnostics, write_stdout};
use crate::output;
use crate::portfolio::{self, json, terminal};

fn load(path: &Path) -> Result<portfolio::Loaded, CmdError> {
    let loaded = portfolio::load(path).map_err(CmdError::Invalid)?;
    print_diagnostics(&loaded.warnings);
    Ok(loaded)
}

/// `portfolio show`: the terminal tables, or the JSON document.
///
/// # Errors
/// Every problem with portfolio.toml or any case; stdout closed.
pub fn show(path: &Path, as_json: bool) -> Result<(), CmdError> {
    let loaded = load(path)?;
    let title = &loaded.file.title;
    let text = if as_json {
        json::render(title, &loaded.programme)
    } else {
        terminal::render(title, &loaded.programme)
    };
    write_stdout(&text)
}

/// `portfolio build`: the programme paper as PDF; prints the path written.
///
/// # Errors
/// As [`show`]; no document date; a failed typesetting or write.
pub fn build(path: &Path, out: Option<&Path>, date: Option<NaiveDate>) -> Result<(), CmdError> {
    let written = build_to(path, out, date)?;
    println!("wrote {}", written.display());
    Ok(())
}

/// Builds the programme PDF and returns where it was written (for `demo` too).
///
/// # Errors
/// As [`build`].
pub fn build_to(
    path: &Path,
    out: Option<&Path>,
    date: Option<NaiveDate>,
) -> Result<PathBuf, CmdError> {
    let loaded = load(path)?;
    let date = date.or(loaded.file.date).ok_or_else(|| {
        let file = loaded.dir.join("portfolio.toml");
        super::no_date(Some(&file.display().to_string()), "the programme paper")
    })?;
    let target = out.map_or_else(
        || {
            loaded.dir.join(format!(
                "{}-programme.pdf",
                super::build::slug(&loaded.file.title)
            ))
        },
        Path::to_path_buf,
    );
    refuse_inputs(&loaded, &target, "FILE.pdf")?;
    super::expect_extension(
        &target,
        "pdf",
        "the programme paper",
        &target.with_extension("pdf"),
    )?;
    let bytes = portfolio::document::pdf(&loaded, date).map_err(CmdError::Message)?;
    output::write_atomic(&target, &bytes).map_err(|e| CmdError::io(&target, "write the PDF", e))?;
    Ok(target)
}

/// `portfolio export`: the programme workbook of live formulas; prints the path written.
///
/// # Errors
/// As [`show`]; a workbook too large or a failed write.
pub fn export(path: &Path, out: Option<&Path>) -> Result<(), CmdError> {
    let loaded = load(path)?;
    let target = out.map_or_else(
        || {
            loaded.dir.join(format!(
                "{}-programme.xlsx",
                super::build::slug(&loaded.file.title)
            ))
        },
        Path::to_path_buf,
    );
    refuse_inputs(&loaded, &target, "FILE.xlsx")?;
    super::expect_extension(
        &target,
        "xlsx",
        "the programme workbook",
        &target.with_extension("xlsx"),
    )?;
    let bytes =
        portfolio::export::workbook(&loaded, loaded.file.date).map_err(CmdError::Message)?;
    output::write_atomic(&target, &bytes)
        .map_err(|e| CmdError::io(&target, "write the workbook", e))?;
    println!("wrote {}", target.display());
    Ok(())
}

/// Inputs are never overwritten: not portfolio.toml, not the programme budget,
/// not a case's workbook or case.toml.
fn refuse_inputs(loaded: &portfolio::Loaded, target: &Path, what: &str) -> Result<(), CmdError> {
    let same = |a: &Path| match (a.canonicalize(), target.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let mut inputs = vec![loaded.dir.join("portfolio.toml")];
    if let Some((b, _)) = &loaded.file.budget {
        inputs.push(loaded.dir.join(b));
    }
    for c in &loaded.programme.cases {
        inputs.push(PathBuf::from(&c.figures.workbook));
        inputs.push(loaded.dir.join(&c.figures.path).join("case.toml"));
    }
    if inputs.iter().any(|p| same(p)) {
        return Err(CmdError::Message(format!(
            "{}: is an input of the portfolio; refusing to overwrite it\n  hint: name another file with -o {what}",
            target.display()
        )));
    }
    Ok(())
}

/// `new --portfolio DIR`: the sample programme of four cases.
///
/// # Errors
/// When `dir` exists and is not empty, or a file cannot be written.
pub fn new(dir: &Path) -> Result<(), CmdError> {
    if !super::new::is_new_or_empty(dir)? {
        return Err(CmdError::Message(format!(
            "{}: expected a new or empty folder, found one that is not empty\n  \
             hint: name a folder that does not exist yet; `new` never writes over existing files",
            dir.display()
        )));
    }
    write_sample(dir)?;
    println!("next: fivecase portfolio show {}", dir.display());
    Ok(())
}

/// Writes the sample programme into `dir` and lists what was written.
///
/// # Errors
/// The file or folder that could not be written.
pub(crate) fn write_sample(dir: &Path) -> Result<(), CmdError> {
    let written = super::new::write_folder(dir, portfolio::sample::write_to)?;
    println!(
        "wrote the sample programme (illustrative figures, {} files) to {}",
        written.len(),
        dir.display()
    );
    Ok(())
}
