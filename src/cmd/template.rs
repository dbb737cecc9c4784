//! `fivecase template`: writes a blank input workbook for a finance lead to fill in.

use std::path::Path;

use super::CmdError;
use crate::model::{FiscalYear, Unit};
use crate::output;
use crate::render::{template, workbook};

/// What `fivecase template` was asked for.
#[derive(Debug, Clone)]
pub struct Args<'a> {
    pub output: &'a Path,
    pub first_year: FiscalYear,
    pub years: u16,
    pub partners: u16,
    pub unit: Unit,
    /// Replace an existing file at `output`.
    pub force: bool,
}

/// Writes the template workbook to `args.output`, atomically.
///
/// # Errors
/// When the output exists and `force` is not given (a filled-in workbook is
/// never replaced by a blank one unasked), or it cannot be written.
pub fn run(args: &Args<'_>) -> Result<(), CmdError> {
    if args.output.exists() && !args.force {
        return Err(CmdError::Message(format!(
            "{}: the file already exists; the template is not written over it\n  \
             hint: choose another name with -o, or add --force to replace it",
            args.output.display()
        )));
    }
    if args.output.is_dir() {
        return Err(CmdError::Message(format!(
            "{}: expected a file name for the workbook, found a folder\n  \
             hint: name the file, e.g. -o {}",
            args.output.display(),
            args.output.join("fivecase-template.xlsx").display()
        )));
    }
    super::expect_extension(
        args.output,
        "xlsx",
        "the input workbook",
        &args.output.with_extension("xlsx"),
    )?;
    let last_start = u32::from(args.first_year.start()) + u32::from(args.years.saturating_sub(1));
    if FiscalYear::new(u16::try_from(last_start).unwrap_or(u16::MAX)).is_err() {
        return Err(CmdError::Message(format!(
            "--years {}: expected a period ending by 2999/00, found one starting {} that runs past it",
            args.years, args.first_year
        )));
    }
    let spec = template::template(&template::TemplateOptions {
        first_year: args.first_year,
        years: args.years,
        partners: args.partners,
        unit: args.unit,
    });
    let bytes = workbook::write(&spec).map_err(|e| CmdError::Message(e.to_string()))?;
    output::write_atomic(args.output, &bytes).map_err(|e| CmdError::io(args.output, "write", e))?;
    let last = args.first_year.plus(args.years.saturating_sub(1));
    println!(
        "wrote {}: an input workbook for {} partners, appraisal years {} to {}, amounts in {}",
        args.output.display(),
        args.partners,
        args.first_year,
        last,
        args.unit
    );
    println!(
        "fill it in, then run: fivecase check {}",
        args.output.display()
    );
    Ok(())
}

/// Reads `--unit`: any spelling the workbook's `Unit` accepts
/// ([`crate::schema::UNITS`]: `£`, `£k`, `£m`, `GBP`, `£000`, `£mn`, ...),
/// and on the command line also a bare `k` or `m`.
///
/// # Errors
/// A message naming the accepted units.
pub fn parse_unit(text: &str) -> Result<Unit, String> {
    if let Some(unit) = crate::ingest::validate::parse_unit(text) {
        return Ok(unit);
    }
    match text.trim().to_lowercase().as_str() {
        "k" => Ok(Unit::Thousands),
        "m" => Ok(Unit::Millions),
        _ => Err(format!("expected £, £k or £m, found {text:?}")),
    }
}
