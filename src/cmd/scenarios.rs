//! `fivecase scenarios`: the base case and every `[[scenario]]` of case.toml
//! side by side, with differences from the base case.

use std::path::Path;

use super::{CmdError, print_figure_warnings, write_stdout};
use crate::compute::scenario::{self, RunError};
use crate::compute::{self, Computed};
use crate::diag::{Diagnostic, Location};
use crate::ingest::{self, Loaded};
use crate::render::{json, terminal};

/// Runs the command.
///
/// # Errors
/// Every problem with the case, a scenario that cannot be applied, an amount
/// beyond exact decimal arithmetic, or stdout closed.
pub fn run(path: &Path, as_json: bool) -> Result<(), CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    print_figure_warnings(&loaded);
    let computed = run_case(&loaded, path)?;
    let text = if as_json {
        json::scenarios(&computed.base, &computed.scenarios)
    } else {
        terminal::scenarios(&computed.base, &computed.scenarios)
    };
    write_stdout(&text)
}

/// The base case and every scenario of a loaded case, computed once
/// ([`compute::run_case`]); for `scenarios` and `export`.
///
/// # Errors
/// A scenario that cannot be applied (at its line of case.toml), or an
/// amount beyond exact decimal arithmetic.
pub(crate) fn run_case(loaded: &Loaded, path: &Path) -> Result<Computed, CmdError> {
    run_with(loaded, path, compute::run_case)
}

/// As [`run_case`], with the quantified risk analysis when the case has
/// one ([`compute::run_case_with_risk`]); for `build` and `export`.
///
/// # Errors
/// As [`run_case`].
pub(crate) fn run_case_with_risk(loaded: &Loaded, path: &Path) -> Result<Computed, CmdError> {
    run_with(loaded, path, compute::run_case_with_risk)
}

fn run_with(
    loaded: &Loaded,
    path: &Path,
    run: fn(&crate::model::Case) -> Result<Computed, RunError>,
) -> Result<Computed, CmdError> {
    run(&loaded.case).map_err(|e| run_error(loaded, path, e))
}

/// What `check` and every command say when the engine refuses a loaded
/// case: located diagnostics ([`CmdError::Invalid`]) for a scenario that
/// cannot be applied and a ratio over a sub-penny difference, a message
/// naming the case otherwise (an overflow the bounds of ingest should have
/// made impossible).
pub(crate) fn run_error(loaded: &Loaded, path: &Path, e: RunError) -> CmdError {
    match e {
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
        RunError::Compute(scenario, e) => compute_error(loaded, path, scenario.as_deref(), &e),
    }
}

/// What every command says when the engine refuses `loaded`'s case (or
/// its scenario named `scenario`; `None` is the case as it stands): a ratio
/// over a sub-penny difference at the cells that make it
/// ([`crate::locate::tiny_divisor`]), anything else (an overflow the bounds
/// of ingest should have made impossible) as a message naming the case.
pub(crate) fn compute_error(
    loaded: &Loaded,
    path: &Path,
    scenario: Option<&str>,
    e: &compute::ComputeError,
) -> CmdError {
    match (crate::locate::tiny_divisor(loaded, scenario, e), scenario) {
        (Some(located), _) => CmdError::Invalid(located),
        (None, Some(name)) => {
            CmdError::Message(format!("{}: scenario {name:?}: {e}", path.display()))
        }
        (None, None) => CmdError::Message(format!("{}: {e}", path.display())),
    }
}

/// A scenario that cannot be applied, as a diagnostic at its table in case.toml.
pub(crate) fn scenario_error(
    loaded: &Loaded,
    line: usize,
    e: &scenario::ScenarioError,
) -> CmdError {
    let mut d = Diagnostic::error(
        loaded.case_dir.join("case.toml").display().to_string(),
        Location::Text { line, col: 1 },
        format!("scenario {:?}: {}: {}", e.scenario, e.key, e.message),
    );
    if let Some(h) = &e.hint {
        d = d.with_hint(h.clone());
    }
    CmdError::Invalid(d.into())
}
