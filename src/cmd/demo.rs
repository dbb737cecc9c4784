//! `fivecase demo [DIR]`: everything fivecase can do, on the built-in sample case.
//!
//! The first run writes the sample case to DIR; later runs find its
//! case.toml and use the case as it stands, so a user can edit the sample
//! and see the effect. The steps are one list, [`STEPS`], so a new capability
//! joins the demo by adding one line.

use std::path::Path;

use super::{CmdError, build, check, compute, export, new, risk};

/// One thing the demo does with the case, in order.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// The command a user would run for the same result.
    pub command: &'static str,
    pub run: fn(&Path) -> Result<(), CmdError>,
}

/// What the demo runs on the case, in order; each step prints where its outputs are.
pub const STEPS: &[Step] = &[
    Step {
        command: "check",
        run: check::run,
    },
    Step {
        command: "compute",
        run: compute::summary,
    },
    Step {
        command: "scenarios",
        run: compute::scenarios,
    },
    Step {
        command: "risk",
        run: |dir| risk::run(dir, None, None, false),
    },
    Step {
        command: "build --format pdf,html,docx",
        run: |dir| build::run(dir, None, None, &build::Format::ALL),
    },
    Step {
        command: "export",
        run: export::run_default,
    },
];

/// Writes the sample case to `dir` unless it already holds one, then runs every step on it.
///
/// # Errors
/// When `dir` holds other files but no case.toml, a file cannot be written,
/// or a step fails (an edited case that no longer validates, say).
pub fn run(dir: &Path) -> Result<(), CmdError> {
    if dir.join("case.toml").is_file() {
        println!(
            "using the case in {} as it stands (delete the folder to start again from the sample)",
            dir.display()
        );
    } else if new::is_new_or_empty(dir)? {
        new::write_sample(dir)?;
    } else {
        return Err(CmdError::Message(format!(
            "{}: expected a case folder (with a case.toml) or a new or empty folder, found other files\n  \
             hint: run `fivecase demo` with a folder name that does not exist yet",
            dir.display()
        )));
    }
    for step in STEPS {
        println!();
        println!("== fivecase {} {} ==", step.command, dir.display());
        (step.run)(dir)?;
    }
    programme(&dir.join("programme"))?;
    println!();
    println!(
        "the case is in {}: edit its workbook.xlsx, case.toml or narrative/ and run `fivecase demo {}` again",
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// The programme view, on the sample programme of four cases in `dir`
/// (written there on the first run, used as it stands after).
///
/// # Errors
/// As [`run`].
fn programme(dir: &Path) -> Result<(), CmdError> {
    println!();
    if dir.join("portfolio.toml").is_file() {
        println!("using the programme in {} as it stands", dir.display());
    } else if new::is_new_or_empty(dir)? {
        super::portfolio::write_sample(dir)?;
    } else {
        return Err(CmdError::Message(format!(
            "{}: expected a programme folder (with a portfolio.toml) or a new or empty folder, found other files",
            dir.display()
        )));
    }
    println!();
    println!("== fivecase portfolio show {} ==", dir.display());
    super::portfolio::show(dir, false)?;
    println!();
    println!("== fivecase portfolio build {} ==", dir.display());
    super::portfolio::build(dir, None, None)
}
