//! `fivecase check`.

use std::path::Path;

use super::CmdError;

/// Runs the command.
///
/// # Errors
/// Any problem with the case or the files it writes.
pub fn run(_path: &Path) -> Result<(), CmdError> {
    Err(CmdError::Message("`check` is being built".into()))
}
