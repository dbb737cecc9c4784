//! One module per subcommand: each reads its inputs through `ingest`,
//! computes through `compute`, writes through `render` and `output`.
//!
//! Commands return [`CmdError`]; `cli` prints it and maps it to exit code 1.

pub mod build;
pub mod check;
pub mod compute;
pub mod demo;
pub mod export;
pub mod new;
pub mod portfolio;
pub mod risk;
pub mod scenarios;
pub mod template;
pub mod watch;

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;

/// Why a command failed: always the user's inputs or outputs, never a bug.
#[derive(Debug, thiserror::Error)]
pub enum CmdError {
    /// The case has problems; every one found is listed.
    #[error("the case has {} problem(s)", .0.errors().count())]
    Invalid(Diagnostics),
    /// A file could not be read or written.
    #[error("{}: cannot {action}: {source}{}", path.display(), io_hint(source))]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: io::Error,
    },
    /// Anything else, already worded for the user.
    #[error("{0}")]
    Message(String),
}

/// What a user can do about a failed read or write, where the error says.
fn io_hint(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded => {
            "\n  hint: the disk is full, or the file is larger than this system allows; \
             free space and run again (the file there before, if any, is untouched)"
        }
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
            "\n  hint: the folder cannot be written; choose another with -o, or ask for write access"
        }
        _ => "",
    }
}

impl CmdError {
    pub fn io(path: &Path, action: &'static str, source: io::Error) -> Self {
        CmdError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
}

/// Prints diagnostics (warnings included) to stderr in workbook order.
/// An output named with `-o` must carry its format's extension (`ext`,
/// without the dot, matched ignoring case): a PDF written under an `.xlsx`
/// name would not open, and a slip such as `-o case.toml` would lose an
/// input. `what` names the output ("the PDF"), `example` a name to offer.
///
/// # Errors
/// The message saying which extension is expected, with the example.
pub fn expect_extension(
    path: &std::path::Path,
    ext: &str,
    what: &str,
    example: &std::path::Path,
) -> Result<(), CmdError> {
    let fits = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext));
    if fits {
        return Ok(());
    }
    // "an .xlsx", "a .pdf": the article of the letter's name.
    let article = if ext
        .chars()
        .next()
        .is_some_and(|c| "aefhilmnorsx".contains(c.to_ascii_lowercase()))
    {
        "an"
    } else {
        "a"
    };
    Err(CmdError::Message(format!(
        "{}: expected {article} .{ext} file name for {what}\n  hint: e.g. -o {}",
        path.display(),
        example.display()
    )))
}

pub fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.sorted() {
        eprintln!("{d}");
    }
}

/// Prints the warnings that bear on the figures, for the commands that
/// print no narrative (`compute`, `scenarios`, `export`): a narrative part
/// not written yet is left to `check` and `build`, which report it.
pub fn print_figure_warnings(loaded: &crate::ingest::Loaded) {
    let narrative: Vec<String> = loaded
        .summary
        .narrative_missing
        .iter()
        .map(|part| {
            std::path::Path::new(&loaded.summary.narrative_dir)
                .join(part.file_name())
                .display()
                .to_string()
        })
        .collect();
    for d in loaded.warnings.sorted() {
        if d.location == crate::diag::Location::File && narrative.contains(&d.file) {
            continue;
        }
        eprintln!("{d}");
    }
}

/// Writes to stdout without panicking when it is closed (`| head`).
///
/// # Errors
/// When stdout cannot be written.
pub(crate) fn write_stdout(text: &str) -> Result<(), CmdError> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CmdError::io(Path::new("<stdout>"), "write", e))
}

/// A paper with no date from `--date` or its settings file: an error at
/// that file (case.toml, portfolio.toml) when there is one, saying how to
/// give it; `what` names the paper ("the document").
pub(crate) fn no_date(file: Option<&str>, what: &str) -> CmdError {
    match file {
        Some(file) => CmdError::Invalid(
            crate::diag::Diagnostic::error(
                file,
                crate::diag::Location::File,
                format!("{what} has no date"),
            )
            .with_hint("add `date = \"2026-11-20\"` to it, or give one with --date YYYY-MM-DD")
            .into(),
        ),
        None => CmdError::Message(format!(
            "{what} has no date: give one with --date YYYY-MM-DD (a bare workbook has no case.toml to hold it)"
        )),
    }
}

/// Prints a failed command's error to stderr.
pub fn report(err: &CmdError) {
    match err {
        CmdError::Invalid(diags) => {
            print_diagnostics(diags);
            let n = diags.errors().count();
            eprintln!(
                "fivecase: {n} problem{} found; nothing was written",
                if n == 1 { "" } else { "s" }
            );
        }
        other => eprintln!("fivecase: {other}"),
    }
}
