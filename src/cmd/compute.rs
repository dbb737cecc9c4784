//! `fivecase compute`: read a case, compute it, print its tables or JSON.

use std::io::Write as _;
use std::path::Path;

use super::{CmdError, print_diagnostics};
use crate::compute;
use crate::ingest;
use crate::render::{json, terminal};

/// Runs the command: tables on stdout, or one JSON document with `json`.
///
/// # Errors
/// Every problem with the case (nothing is printed on stdout then), an
/// amount beyond exact decimal arithmetic, or stdout closed.
pub fn run(path: &Path, as_json: bool) -> Result<(), CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    print_diagnostics(&loaded.warnings);
    let results = compute::compute(&loaded.case)
        .map_err(|e| CmdError::Message(format!("{}: {e}", path.display())))?;
    let text = if as_json {
        json::render(&loaded.case, &results)
    } else {
        let mut t = terminal::render(&loaded.case, &results);
        t.push('\n');
        t
    };
    write_stdout(&text)
}

/// Writes to stdout without panicking when it is closed (`| head`).
///
/// # Errors
/// When stdout cannot be written.
pub(crate) fn write_stdout(text: &str) -> Result<(), CmdError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CmdError::io(Path::new("<stdout>"), "write", e))
}
