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
        RunError::Compute(scenario, e) => compute_error(loaded, path, Some(&scenario), &e),
    }
}

/// What every command says when the engine refuses `loaded`'s case (or
/// its scenario named `scenario`; `base` is the case as it stands): a ratio
/// over a sub-penny difference at the cells that make it, anything else (an
/// overflow the bounds of ingest should have made impossible) as a message
/// naming the case.
pub(crate) fn compute_error(
    loaded: &Loaded,
    path: &Path,
    scenario: Option<&str>,
    e: &compute::ComputeError,
) -> CmdError {
    match (e, scenario) {
        (compute::ComputeError::TinyDivisor { .. }, _) => {
            CmdError::Invalid(tiny_divisor(loaded, scenario.unwrap_or("base"), e))
        }
        (_, Some(name)) => CmdError::Message(format!("{}: scenario {name:?}: {e}", path.display())),
        (_, None) => CmdError::Message(format!("{}: {e}", path.display())),
    }
}

/// A ratio the engine could not compute because an option's present value
/// differs from the baseline's by a tiny fraction of the unit: an error at
/// each cell of the option's and the baseline's lines (on the sheet the
/// difference comes from) whose amount has digits below a penny, since
/// those are what make such a difference; at the sheet when no cell has.
fn tiny_divisor(
    loaded: &Loaded,
    scenario: &str,
    e: &compute::ComputeError,
) -> crate::diag::Diagnostics {
    use crate::compute::Difference;
    use crate::model::{BenefitKind, CellRef, FiscalYear};
    let compute::ComputeError::TinyDivisor {
        what,
        option,
        of,
        divisor,
        ..
    } = e
    else {
        return crate::diag::Diagnostics::new();
    };
    let case = &loaded.case;
    let (sheet, schema_sheet) = match of {
        Difference::Costs => (&case.sources.costs, &crate::schema::COSTS),
        Difference::Benefits | Difference::CashableSavings => {
            (&case.sources.benefits, &crate::schema::BENEFITS)
        }
    };
    let index = crate::schema::SHEETS
        .iter()
        .position(|s| s.name == schema_sheet.name)
        .unwrap_or(usize::MAX);
    let involved = |o| o == *option || o == case.baseline;
    let lines: Vec<(u32, &[rust_decimal::Decimal])> = match of {
        Difference::Costs => case
            .costs
            .iter()
            .filter(|l| involved(l.option))
            .map(|l| (l.row, l.values.as_slice()))
            .collect(),
        Difference::Benefits | Difference::CashableSavings => case
            .benefits
            .iter()
            .filter(|l| involved(l.option))
            .filter(|l| *of == Difference::Benefits || l.kind == BenefitKind::Cashable)
            .map(|l| (l.row, l.values.as_slice()))
            .collect(),
    };
    let column = |year: FiscalYear| {
        sheet
            .columns
            .iter()
            .find(|(name, _)| name.parse::<FiscalYear>().ok() == Some(year))
            .map(|(_, c)| *c)
    };
    let penny = case.assumptions.unit.value.penny_places();
    let file = case.sources.workbook.clone();
    let id = case.option(*option).map_or("", |o| o.id.as_str());
    let within = if scenario == "base" {
        String::new()
    } else {
        format!(" in scenario {scenario:?}")
    };
    let message = format!(
        "option {id}'s {} differ from the baseline's by only {} in present value{within}, \
         so its {what} (a division by that difference) is too large to compute exactly \
         (beyond about 7.9 × 10^28)",
        of.words(),
        crate::format::shown(*divisor),
    );
    let hint = format!(
        "round the amounts to the penny (a fraction of a penny is usually a formula's \
         rounding residue), or make option {id}'s {} equal to the baseline's",
        of.words()
    );
    let mut diags = crate::diag::Diagnostics::new();
    for (row, values) in lines {
        for (v, year) in values.iter().zip(&case.years) {
            if v.normalize().scale() <= penny {
                continue;
            }
            let Some(col) = column(*year) else { continue };
            diags.push(
                Diagnostic::error(
                    file.clone(),
                    Location::Cell {
                        cell: CellRef::new(sheet.name.clone(), row, col),
                        index,
                    },
                    format!(
                        "{} has digits below a penny: with such amounts, {message}",
                        crate::format::shown(*v)
                    ),
                )
                .with_hint(hint.clone()),
            );
        }
    }
    if !diags.is_empty() {
        return diags;
    }
    // No amount has digits below a penny: under a scenario, what the
    // scenario does to them (a realisation or key this small) made the
    // difference tiny, so the error is at its table in case.toml.
    let table = loaded
        .case
        .meta
        .scenarios
        .iter()
        .find(|s| s.name == scenario);
    let d = match table {
        Some(spec) => Diagnostic::error(
            loaded.case_dir.join("case.toml").display().to_string(),
            Location::Text {
                line: spec.line,
                col: 1,
            },
            message,
        )
        .with_hint(format!(
            "a scenario that scales option {id}'s {} almost to nothing does this: \
             look at its realisation, overruns and the keys of the partners it keeps",
            of.words()
        )),
        None => Diagnostic::error(
            file,
            Location::Sheet {
                name: sheet.name.clone(),
                index,
            },
            message,
        )
        .with_hint(hint),
    };
    d.into()
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
