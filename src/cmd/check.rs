//! `fivecase check`: validate a case and print a one-screen summary, or every problem.
//!
//! Warnings go to stderr first, so a finance lead sees them above the summary;
//! an invalid case is reported through [`CmdError::Invalid`], every problem in
//! workbook order, and exits with code 1.

use std::fmt::Write as _;
use std::path::Path;

use super::{CmdError, print_diagnostics};
use crate::diag::Diagnostic;
use crate::ingest::{self, Loaded};
use crate::model::{BenefitKind, CostKind, OptionId, Stage};

/// Runs the command.
///
/// # Errors
/// Any problem with the case, as [`CmdError::Invalid`].
pub fn run(path: &Path) -> Result<(), CmdError> {
    run_with(path, None)
}

/// Runs the command; with `report` (`Some(stage)`, `None` for the case's
/// own), the stage readiness report follows the summary.
///
/// # Errors
/// Any problem with the case, as [`CmdError::Invalid`].
pub fn run_with(path: &Path, report: Option<Option<Stage>>) -> Result<(), CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    let computed = computes(&loaded, path)?;
    let mut warnings = loaded.warnings.clone();
    if let Some(d) = preferred_warning(&loaded) {
        warnings.push(d);
    }
    // The narrative's figures resolve against the full results, as `build` typesets them.
    for d in narrative_diagnostics(&loaded, &loaded.case, computed.results()) {
        warnings.push(d);
    }
    if warnings.has_errors() {
        return Err(CmdError::Invalid(warnings));
    }
    print_diagnostics(&warnings);
    print!("{}", summary(&loaded));
    if let Some(stage) = report {
        let stage = stage.unwrap_or(loaded.case.meta.stage);
        print!("{}", stage_report(&loaded.case, stage));
    }
    Ok(())
}

/// The problems of the narrative's live figures and money literals
/// of `case` (the loaded case, or a scenario's) against its `results`,
/// each at its place in `loaded`'s narrative files: a
/// placeholder that does not resolve is an error, a money literal that is
/// none of the case's headline figures a warning (docs/narrative.md).
pub(crate) fn narrative_diagnostics(
    loaded: &Loaded,
    case: &crate::model::Case,
    results: &crate::compute::Results,
) -> Vec<Diagnostic> {
    crate::document::narrative_problems(case, results)
        .into_iter()
        .map(|p| {
            let file = Path::new(&loaded.summary.narrative_dir)
                .join(p.part.file_name())
                .display()
                .to_string();
            let at = crate::diag::Location::Text {
                line: p.line,
                col: p.col,
            };
            let d = if p.error {
                Diagnostic::error(file, at, p.message)
            } else {
                Diagnostic::warning(file, at, p.message)
            };
            match p.hint {
                Some(h) => d.with_hint(h),
                None => d,
            }
        })
        .collect()
}

/// Whatever a later command would refuse, reported by `check` first: every
/// scenario that cannot be applied (each at its table in case.toml, all in
/// one run), then the engine on the base case and every scenario, as
/// `compute`, `scenarios`, `build` and `export` run it.
///
/// # Errors
/// Every scenario that cannot be applied, or what the engine refuses.
fn computes(loaded: &Loaded, path: &Path) -> Result<crate::compute::Computed, CmdError> {
    let mut problems = crate::diag::Diagnostics::new();
    for spec in &loaded.case.meta.scenarios {
        if let Err(e) = crate::compute::scenario::apply(&loaded.case, spec)
            && let CmdError::Invalid(d) = super::scenarios::scenario_error(loaded, spec.line, &e)
        {
            problems.extend(d);
        }
    }
    if problems.has_errors() {
        return Err(CmdError::Invalid(problems));
    }
    super::scenarios::run_case(loaded, path)
}

/// What `stage` expects of the case, item by item, found or missing.
pub fn stage_report(case: &crate::model::Case, stage: Stage) -> String {
    use crate::params::stages;
    let findings = stages::evaluate(case, stage);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nstage readiness for {} ({}), as the business case guidance expects",
        stage.code(),
        stage.words()
    );
    let _ = writeln!(out, "  source: {}", stages::SOURCE);
    for f in &findings {
        let _ = writeln!(
            out,
            "  {}  {:<7}  {} ({}): {}",
            f.item.stage.code(),
            if f.found { "found" } else { "MISSING" },
            f.item.what,
            f.item.from,
            f.detail
        );
    }
    let found = findings.iter().filter(|f| f.found).count();
    let verdict = if found == findings.len() {
        format!("ready for {}", stage.code())
    } else {
        format!(
            "not ready for {}: {} missing",
            stage.code(),
            findings.len() - found
        )
    };
    let _ = writeln!(
        out,
        "  {found} of {} items found; {verdict}",
        findings.len()
    );
    out
}

/// A warning where case.toml or the Assumptions sheet pins a preferred
/// option whose npsv is not the highest or not positive.
fn preferred_warning(loaded: &Loaded) -> Option<Diagnostic> {
    let (file, at) = loaded.preferred_at.clone()?;
    let r = crate::compute::headline(&loaded.case).ok()?;
    if !r.pinned_departs() {
        return None;
    }
    let p = r.option(r.preferred)?;
    let shown = crate::format::Shown::of(&loaded.case);
    let unit = shown.unit;
    let npsv = |v: rust_decimal::Decimal| {
        let body = shown.money(v.abs());
        let sign = if v.is_sign_negative() && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "-"
        } else {
            ""
        };
        match unit {
            crate::model::Unit::Pounds => format!("{sign}£{body}"),
            crate::model::Unit::Thousands => format!("{sign}£{body}k"),
            crate::model::Unit::Millions => format!("{sign}£{body}m"),
        }
    };
    let why = match r.option(r.recommended) {
        Some(best) if !best.baseline && best.npsv > p.npsv => {
            format!("below {}'s {}", best.id, npsv(best.npsv))
        }
        _ => "not positive".to_string(),
    };
    Some(
        Diagnostic::warning(
            file,
            at,
            format!(
                "the preferred option {:?} has an npsv of {}, {why}",
                p.id,
                npsv(p.npsv)
            ),
        )
        .with_hint(
            "the document says so in its recommendation; give the reason in case.toml `preferred_reason`",
        ),
    )
}

fn years_text(years: &[crate::model::FiscalYear]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => format!("{a} (1 year)"),
        (Some(a), Some(b)) => format!("{a} to {b} ({} years)", years.len()),
        _ => "none".into(),
    }
}

/// The Five Case content in a line: what each content sheet holds.
fn content_text(c: &crate::model::content::Content) -> String {
    use crate::model::content::ObjectiveKind;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if !c.objectives.is_empty() {
        parts.push(format!(
            "{}, {}",
            plural(
                c.of_kind(ObjectiveKind::SpendingObjective).count(),
                "spending objective",
                "spending objectives"
            ),
            plural(
                c.of_kind(ObjectiveKind::CriticalSuccessFactor).count(),
                "critical success factor",
                "critical success factors"
            )
        ));
    }
    if !c.long_list.possibilities.is_empty() {
        parts.push(format!(
            "a long list of {} in {}",
            plural(
                c.long_list.possibilities.len(),
                "possibility",
                "possibilities"
            ),
            plural(c.long_list.dimensions().len(), "dimension", "dimensions")
        ));
    }
    if !c.register.is_empty() {
        parts.push(plural(
            c.register.len(),
            "registered benefit",
            "registered benefits",
        ));
    }
    if !c.allocation.is_empty() {
        parts.push(plural(
            c.allocation.len(),
            "allocated risk category",
            "allocated risk categories",
        ));
    }
    if !c.milestones.is_empty() {
        parts.push(plural(c.milestones.len(), "milestone", "milestones"));
    }
    parts.join("; ")
}

/// The one-screen summary of a valid case.
/// The quantified risk analysis in a line: what has a range, and the run.
fn risk_text(case: &crate::model::Case) -> String {
    use crate::model::Iterations;
    let ranged = |u: &crate::model::Uncertainty| {
        u.low < rust_decimal::Decimal::ZERO || u.high > rust_decimal::Decimal::ZERO
    };
    let lines = case.costs.iter().filter(|l| ranged(&l.uncertainty)).count()
        + case
            .benefits
            .iter()
            .filter(|l| ranged(&l.uncertainty))
            .count();
    let risks = case
        .risks
        .iter()
        .filter(|r| r.uncertainty.low < r.uncertainty.high)
        .count();
    let mut groups: Vec<String> = case
        .costs
        .iter()
        .map(|l| &l.uncertainty)
        .chain(case.benefits.iter().map(|l| &l.uncertainty))
        .chain(case.risks.iter().map(|r| &r.uncertainty))
        .filter_map(|u| u.group.as_deref().map(crate::names::key))
        .collect();
    groups.sort();
    groups.dedup();
    let settings = case.meta.risk_analysis.clone().unwrap_or_default();
    let iterations = match settings.iterations {
        Iterations::Fixed(n) => format!(
            "{} iterations",
            crate::format::money(rust_decimal::Decimal::from(n), 0)
        ),
        Iterations::Auto => "iterations auto".into(),
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} and {} with ranges, {}; {iterations}, seed {}",
        plural(lines, "line"),
        plural(risks, "risk"),
        plural(groups.len(), "group"),
        settings.seed
    )
}

pub fn summary(loaded: &Loaded) -> String {
    let case = &loaded.case;
    let a = &case.assumptions;
    let mut out = String::new();
    let _ = writeln!(out, "{}: the case is valid", loaded.summary.workbook);
    let _ = writeln!(out, "  title        {}", case.meta.title);
    let _ = writeln!(
        out,
        "  stage        {} ({})",
        case.meta.stage.code(),
        case.meta.stage.words()
    );
    let _ = writeln!(out, "  unit         {}", a.unit.value);
    let _ = writeln!(out, "  base year    {}", a.base_year.value);
    let _ = writeln!(out, "  years        {}", years_text(&case.years));
    let key = case
        .partners
        .key_columns
        .get(a.apportionment_key.value)
        .map_or("", String::as_str);
    let _ = writeln!(
        out,
        "  partners     {} ({}), apportioned by {key}",
        case.partners.len(),
        case.partners.names.join(", ")
    );
    let options: Vec<String> = case
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut s = o.id.clone();
            if o.baseline {
                s.push_str(" (baseline)");
            }
            if case.preferred == Some(OptionId::new(i)) {
                s.push_str(" (preferred)");
            }
            s
        })
        .collect();
    let _ = writeln!(
        out,
        "  options      {} ({})",
        case.options.len(),
        options.join(", ")
    );
    let capital = case
        .costs
        .iter()
        .filter(|c| c.kind == CostKind::Capital)
        .count();
    let cashable = case
        .benefits
        .iter()
        .filter(|b| b.kind == BenefitKind::Cashable)
        .count();
    let _ = writeln!(
        out,
        "  lines        {} costs ({capital} capital, {} revenue), {} benefits ({cashable} cashable, {} non-cashable), {} risks",
        case.costs.len(),
        case.costs.len() - capital,
        case.benefits.len(),
        case.benefits.len() - cashable,
        case.risks.len()
    );
    match &case.budget {
        Some(b) => {
            let _ = writeln!(
                out,
                "  budget       {}, {} lines",
                years_text(&b.years),
                b.rows.len()
            );
        }
        None => {
            let _ = writeln!(out, "  budget       no Budget sheet");
        }
    }
    let missing = &loaded.summary.narrative_missing;
    if loaded.summary.case_toml.is_none() {
        let _ = writeln!(
            out,
            "  narrative    none (a bare workbook has no narrative folder)"
        );
    } else if missing.is_empty() {
        let _ = writeln!(out, "  narrative    all 6 parts");
    } else {
        let names: Vec<&str> = missing.iter().map(|p| p.file_name()).collect();
        let _ = writeln!(
            out,
            "  narrative    {} of 6 parts; missing {}",
            6 - missing.len(),
            names.join(", ")
        );
    }
    if !case.meta.scenarios.is_empty() {
        let names: Vec<&str> = case
            .meta
            .scenarios
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let _ = writeln!(out, "  scenarios    {} ({})", names.len(), names.join(", "));
    }
    if case.has_risk_analysis() {
        let _ = writeln!(out, "  risk         {}", risk_text(case));
    }
    if !case.content.is_empty() {
        let _ = writeln!(out, "  content      {}", content_text(&case.content));
    }
    if loaded.summary.rows_skipped.is_empty() {
        let _ = writeln!(out, "  skipped      no rows");
    } else {
        let parts: Vec<String> = loaded
            .summary
            .rows_skipped
            .iter()
            .map(|(sheet, n)| format!("{sheet} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "  skipped      {} (blank or total rows)",
            parts.join(", ")
        );
    }
    out
}
