//! `fivecase new DIR`: writes the built-in sample case to a new folder, as a
//! starting point a user edits into their own case.

use std::fs;
use std::io;
use std::path::Path;

use super::CmdError;
use crate::sample;

/// Writes the sample case to `dir`, which must not exist or be empty.
///
/// # Errors
/// When `dir` exists and is not an empty folder (nothing is written then), or
/// a file cannot be written.
pub fn run(dir: &Path) -> Result<(), CmdError> {
    if !is_new_or_empty(dir)? {
        return Err(CmdError::Message(format!(
            "{}: expected a new or empty folder, found one that is not empty\n  \
             hint: name a folder that does not exist yet; `new` never writes over existing files",
            dir.display()
        )));
    }
    write_sample(dir)?;
    println!("next: fivecase check {}", dir.display());
    Ok(())
}

/// True when `dir` does not exist or is an empty folder.
///
/// # Errors
/// When `dir` is a file, or cannot be read.
pub(crate) fn is_new_or_empty(dir: &Path) -> Result<bool, CmdError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(_) if dir.exists() && !dir.is_dir() => Err(CmdError::Message(format!(
            "{}: expected a folder, found a file",
            dir.display()
        ))),
        Err(e) => Err(CmdError::io(dir, "read the folder", e)),
    }
}

/// Writes the sample case into `dir` and lists what was written.
///
/// # Errors
/// The file or folder that could not be written.
pub(crate) fn write_sample(dir: &Path) -> Result<(), CmdError> {
    let written = sample::write_to(dir).map_err(|(path, e)| CmdError::io(&path, "write", e))?;
    println!(
        "wrote the sample case (illustrative figures) to {}:",
        dir.display()
    );
    for path in written {
        println!("  {}", path.display());
    }
    Ok(())
}
