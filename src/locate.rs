//! Where the engine's refusals come from: a [`ComputeError`] that the
//! figures of a loaded case cause, as diagnostics at the workbook cells or
//! case.toml lines that cause it.
//!
//! The engine names options and sheets, not cells (it does no IO and knows
//! no workbook); ingest knows the cells but not the engine. This layer sits
//! above both, so that every command and the portfolio locate the engine's
//! refusals one way.

use crate::compute::{ComputeError, Difference};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::ingest::Loaded;
use crate::model::{BenefitKind, CellRef, FiscalYear};

/// A ratio the engine could not compute because an option's present value
/// differs from the baseline's by a tiny fraction of the unit: an error at
/// each cell of the option's and the baseline's lines (on the sheet the
/// difference comes from) whose amount has digits below a penny, since
/// those are what make such a difference; at the sheet when no cell has
/// (at the scenario's table in case.toml when a scenario, named by
/// `scenario`, made it tiny). `None` for any other error, which has no
/// cells to blame.
pub fn tiny_divisor(
    loaded: &Loaded,
    scenario: Option<&str>,
    e: &ComputeError,
) -> Option<Diagnostics> {
    let ComputeError::TinyDivisor {
        what,
        option,
        of,
        divisor,
        ..
    } = e
    else {
        return None;
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
    let within = scenario.map_or_else(String::new, |name| format!(" in scenario {name:?}"));
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
    let mut diags = Diagnostics::new();
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
        return Some(diags);
    }
    // No amount has digits below a penny: under a scenario, what the
    // scenario does to them (a realisation or key this small) made the
    // difference tiny, so the error is at its table in case.toml.
    let table =
        scenario.and_then(|name| loaded.case.meta.scenarios.iter().find(|s| s.name == name));
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
    Some(d.into())
}
