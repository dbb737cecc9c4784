//! `fivecase new DIR`: writes the built-in sample case to a new folder, as a
//! starting point a user edits into their own case.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::CmdError;
use crate::output;
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

/// Writes the sample case into `dir` and lists what was written. The folder
/// appears whole or not at all ([`output::write_dir_atomic`]): a run stopped
/// halfway, or by a full disk, leaves no half-written case to refuse later.
///
/// # Errors
/// The file or folder that could not be written.
pub(crate) fn write_sample(dir: &Path) -> Result<(), CmdError> {
    let written = write_folder(dir, sample::write_to)?;
    println!(
        "wrote the sample case (illustrative figures) to {}:",
        dir.display()
    );
    for path in written {
        println!("  {}", path.display());
    }
    Ok(())
}

/// Writes a new folder `dir` whole with `fill`, returning the paths `fill`
/// wrote as they are named once the folder is in place.
///
/// # Errors
/// The path that could not be written, with the reason.
pub(crate) fn write_folder(
    dir: &Path,
    fill: impl FnOnce(&Path) -> Result<Vec<PathBuf>, (PathBuf, io::Error)>,
) -> Result<Vec<PathBuf>, CmdError> {
    output::write_dir_atomic(dir, |tmp| {
        // Paths as the user will find them, in messages too.
        let rebase = |p: PathBuf| p.strip_prefix(tmp).map_or(p.clone(), |rel| dir.join(rel));
        match fill(tmp) {
            Ok(paths) => Ok(paths.into_iter().map(rebase).collect()),
            Err((path, e)) => Err((rebase(path), e)),
        }
    })
    .map_err(|(path, e): (PathBuf, io::Error)| CmdError::io(&path, "write", e))
}
