//! `fivecase compute`: read a case, compute it (or one of its scenarios),
//! print its tables or JSON.

use std::path::Path;

use super::scenarios::scenario_error;
use super::{CmdError, print_figure_warnings, write_stdout};
use crate::compute::{self, scenario};
use crate::ingest::{self, Loaded};
use crate::render::{json, terminal};

/// Runs the command: tables on stdout, or one JSON document with `as_json`;
/// with `scenario`, on the case with that `[[scenario]]` applied.
///
/// # Errors
/// Every problem with the case (nothing is printed on stdout then), an
/// unknown or impossible scenario, an amount beyond exact decimal
/// arithmetic, or stdout closed.
pub fn run(
    path: &Path,
    as_json: bool,
    scenario_name: Option<&str>,
    option: Option<&str>,
) -> Result<(), CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    print_figure_warnings(&loaded);
    let applied;
    let case = match scenario_name {
        None => &loaded.case,
        Some(name) => {
            let spec = find_scenario(&loaded, name)?;
            applied = scenario::apply(&loaded.case, spec)
                .map_err(|e| scenario_error(&loaded, spec.line, &e))?;
            &applied
        }
    };
    let shown = match option {
        None => None,
        Some(id) => Some(find_option(case, id)?),
    };
    let results = match shown {
        None => compute::compute(case),
        Some(i) => compute::compute_showing(case, i),
    }
    .map_err(|e| super::scenarios::compute_error(&loaded, path, scenario_name, &e))?;
    let text = match (as_json, scenario_name) {
        (true, Some(name)) => json::render_scenario(case, &results, name),
        (true, None) => json::render(case, &results),
        (false, name) => {
            let mut t = name.map_or_else(String::new, |n| format!("Scenario: {n}\n"));
            t.push_str(&terminal::render(case, &results));
            t
        }
    };
    write_stdout(&text)
}

/// The non-baseline option `id`, or a message naming the options.
fn find_option(case: &crate::model::Case, id: &str) -> Result<crate::model::OptionId, CmdError> {
    let others = || {
        case.options
            .iter()
            .filter(|o| !o.baseline)
            .map(|o| o.id.as_str())
    };
    match case.option_index(id) {
        Some(i) if i != case.baseline => Ok(i),
        Some(_) => Err(CmdError::Message(format!(
            "--option {id:?} is business as usual, which has no Financial Case\n  hint: the other options are {}",
            others().collect::<Vec<_>>().join(", ")
        ))),
        None => Err(CmdError::Message(format!(
            "no option {id:?}\n  hint: {}",
            crate::names::hint(id, others(), "options")
        ))),
    }
}

fn find_scenario<'a>(
    loaded: &'a Loaded,
    name: &str,
) -> Result<&'a crate::model::ScenarioSpec, CmdError> {
    let scenarios = &loaded.case.meta.scenarios;
    if let Some(i) = crate::names::find(scenarios.iter().map(|s| s.name.as_str()), name) {
        return Ok(&scenarios[i]);
    }
    let message = if scenarios.is_empty() {
        format!("no scenario {name:?}: case.toml has no [[scenario]] tables")
    } else {
        let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
        format!(
            "no scenario {name:?} in case.toml\n  hint: {}",
            crate::names::hint(name, names.iter().copied(), "scenarios")
        )
    };
    Err(CmdError::Message(message))
}

/// The compute summary `fivecase demo` prints: the economic appraisal and the
/// preferred option (`fivecase compute` prints every table).
///
/// # Errors
/// As [`run`].
pub fn summary(path: &Path) -> Result<(), CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    let results = compute::compute(&loaded.case)
        .map_err(|e| super::scenarios::compute_error(&loaded, path, None, &e))?;
    write_stdout(&terminal::summary(&loaded.case, &results))
}

/// The scenario comparison for `fivecase demo`.
///
/// # Errors
/// As [`super::scenarios::run`].
pub fn scenarios(path: &Path) -> Result<(), CmdError> {
    super::scenarios::run(path, false)
}
