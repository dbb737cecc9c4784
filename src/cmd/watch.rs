//! `fivecase watch`: placeholder.
use super::CmdError;
use super::build::Format;
use std::path::Path;
/// Runs.
///
/// # Errors
/// Never yet.
pub fn run(
    _case: &Path,
    _formats: &[Format],
    _date: Option<chrono::NaiveDate>,
) -> Result<(), CmdError> {
    Ok(())
}
