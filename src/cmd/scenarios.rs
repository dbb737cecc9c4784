//! `fivecase scenarios`: the base case and every `[[scenario]]` of case.toml
//! side by side, with differences from the base case.

use std::path::Path;

use super::compute::{scenario_error, write_stdout};
use super::{CmdError, print_figure_warnings};
use crate::compute::scenario::{self, RunError};
use crate::ingest;
use crate::render::{json, terminal};

/// Runs the command.
///
/// # Errors
/// Every problem with the case, a scenario that cannot be applied, an amount
/// beyond exact decimal arithmetic, or stdout closed.
pub fn run(path: &Path, as_json: bool) -> Result<(), CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    print_figure_warnings(&loaded);
    let (base, scenarios) = run_all(&loaded, path)?;
    let text = if as_json {
        json::scenarios(&base, &scenarios)
    } else {
        terminal::scenarios(&base, &scenarios)
    };
    write_stdout(&text)
}

/// The base case and every scenario of a loaded case, computed; for
/// `scenarios` and `export`.
///
/// # Errors
/// A scenario that cannot be applied (at its line of case.toml), or an
/// amount beyond exact decimal arithmetic.
pub(crate) fn run_all(
    loaded: &ingest::Loaded,
    path: &Path,
) -> Result<(scenario::Outcome, Vec<scenario::Outcome>), CmdError> {
    scenario::run_all(&loaded.case).map_err(|e| match e {
        RunError::Scenario(e) => {
            let line = loaded
                .case
                .meta
                .scenarios
                .iter()
                .find(|s| s.name == e.scenario)
                .map_or(1, |s| s.line);
            scenario_error(loaded, line, &e)
        }
        other @ RunError::Compute(..) => CmdError::Message(format!("{}: {other}", path.display())),
    })
}
