//! The built-in sample case: `fixtures/sample/` compiled into the binary.
//!
//! `fivecase new` and `fivecase demo` write it out so a user can see every
//! part of a case (case.toml, the workbook, the six narrative files) and what
//! fivecase makes of them, with nothing but the binary. The files are the
//! committed fixtures themselves (`include_bytes!`), so the sample the tests
//! check and the sample users get are the same bytes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::output;

/// One file of the sample case: its path relative to the case folder, `/`-separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleFile {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! sample_file {
    ($path:literal) => {
        SampleFile {
            path: $path,
            bytes: include_bytes!(concat!("../../fixtures/sample/", $path)),
        }
    };
}

/// Every file of the sample case, in the order they are written.
pub const FILES: &[SampleFile] = &[
    sample_file!("case.toml"),
    sample_file!("workbook.xlsx"),
    sample_file!("narrative/executive-summary.md"),
    sample_file!("narrative/strategic.md"),
    sample_file!("narrative/economic.md"),
    sample_file!("narrative/commercial.md"),
    sample_file!("narrative/financial.md"),
    sample_file!("narrative/management.md"),
    sample_file!("narrative/summary.md"),
];

/// Writes the sample case into `dir` (created if missing), each file through
/// [`output::write_atomic`], and returns the paths written.
///
/// Existing files of the same names are replaced; callers decide whether the
/// folder may be written to at all.
///
/// # Errors
/// The path that could not be created or written, with the reason.
pub fn write_to(dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, io::Error)> {
    let mut written = Vec::with_capacity(FILES.len());
    for file in FILES {
        let path = file
            .path
            .split('/')
            .fold(dir.to_path_buf(), |p, part| p.join(part));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
        }
        output::write_atomic(&path, file.bytes).map_err(|e| (path.clone(), e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NarrativePart;

    #[test]
    fn holds_case_workbook_and_every_narrative_part() {
        let paths: Vec<&str> = FILES.iter().map(|f| f.path).collect();
        assert!(paths.contains(&"case.toml"));
        assert!(paths.contains(&"workbook.xlsx"));
        for part in NarrativePart::ALL {
            let path = format!("narrative/{}", part.file_name());
            assert!(paths.contains(&path.as_str()), "missing {path}");
        }
        assert!(FILES.iter().all(|f| !f.bytes.is_empty()));
    }

    #[test]
    fn narrative_is_marked_illustrative_and_has_subsections() {
        for file in FILES.iter().filter(|f| f.path.starts_with("narrative/")) {
            let text = std::str::from_utf8(file.bytes).unwrap();
            assert!(
                text.contains("llustrative"),
                "{} is not marked illustrative",
                file.path
            );
            assert!(
                text.contains("\n## ") || text.starts_with("## "),
                "{} has no ## subsections",
                file.path
            );
        }
    }
}
