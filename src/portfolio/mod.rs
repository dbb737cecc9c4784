//! The programme view: many cases rolled up by force and prioritised into tiers.
//!
//! A portfolio is a folder holding `portfolio.toml` ([`mod@file`]), which lists
//! case folders, the option each counts, their scores and the tiers. [`load`]
//! reads every case through `ingest` exactly as `check` does (in parallel),
//! computes each once through `compute` and keeps only the figures the
//! roll-up needs; [`rollup`] adds them up by force and year in the
//! portfolio's unit and [`tiers`] places and ranks the cases. The outputs
//! ([`json`], [`terminal`], [`document`]) only format the [`rollup::Programme`].
//!
//! Layering: this module sits above ingest, compute, document and render
//! and below `cmd`; its [`rollup`] and [`tiers`] are pure, like compute.

pub mod document;
pub mod export;
pub mod file;
pub mod json;
pub mod rollup;
pub mod sample;
pub mod terminal;
pub mod tiers;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::compute;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::ingest;
use crate::model::OptionId;

use file::{CaseEntry, MAX_CASES, MAX_PORTFOLIO_TOML_BYTES, PortfolioFile};
use rollup::{CaseFigures, CaseInput, Programme};

/// A portfolio read, every case valid and computed, rolled up.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub file: PortfolioFile,
    /// The folder holding portfolio.toml.
    pub dir: PathBuf,
    pub programme: Programme,
    /// Every warning: portfolio.toml's, each case's, and the roll-up's.
    pub warnings: Diagnostics,
}

/// Reads the portfolio at `path` (its folder or its portfolio.toml), every
/// case in it, and rolls them up.
///
/// # Errors
/// Every problem found: in portfolio.toml, in any case (each at its own
/// files, whose paths begin with the case's), an option that is not the
/// case's, or a figure beyond exact arithmetic.
pub fn load(path: &Path) -> Result<Loaded, Diagnostics> {
    let (toml, dir) = if path.is_dir() {
        (path.join("portfolio.toml"), path.to_path_buf())
    } else {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (path.to_path_buf(), parent)
    };
    let label = toml.display().to_string();
    let err = |m: String| -> Diagnostics { Diagnostic::error(&label, Location::File, m).into() };
    if !toml.is_file() {
        let d = Diagnostic::error(
            &label,
            Location::File,
            "no such file: a portfolio is a folder holding portfolio.toml",
        )
        .with_hint("`fivecase new --portfolio DIR` writes a sample programme to start from");
        return Err(d.into());
    }
    let meta = std::fs::metadata(&toml).map_err(|e| err(format!("cannot read the file: {e}")))?;
    if meta.len() > MAX_PORTFOLIO_TOML_BYTES {
        return Err(err(format!(
            "the file is {} KiB, more than the {} KiB fivecase reads",
            meta.len() / 1024,
            MAX_PORTFOLIO_TOML_BYTES / 1024
        )));
    }
    let bytes = std::fs::read(&toml).map_err(|e| err(format!("cannot read the file: {e}")))?;
    let raw = String::from_utf8(bytes).map_err(|_| err("the file is not UTF-8 text".into()))?;
    let title = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Programme".into());
    let (mut pf, mut diags) = file::parse(&label, &raw, &title)?;
    if pf.cases.is_empty() {
        pf.cases = discover(&dir, &pf, &label, &mut diags);
    }
    // One folder listed twice under two spellings would count twice.
    let mut seen: Vec<(PathBuf, &str)> = Vec::new();
    for entry in &pf.cases {
        let Ok(real) = dir.join(&entry.path).canonicalize() else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == real) {
            diags.push(Diagnostic::error(
                &label,
                entry.at.clone(),
                format!(
                    "case {:?} is the same folder as case {first:?}: it would be counted twice",
                    entry.path
                ),
            ));
        } else {
            seen.push((real, &entry.path));
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let results = read_cases(&dir, &label, &pf.cases);
    let mut inputs = Vec::with_capacity(results.len());
    let mut loaded_units = Vec::new();
    for (entry, result) in pf.cases.iter().zip(results) {
        match result {
            Ok((figures, warnings)) => {
                diags.extend(warnings);
                loaded_units.push(figures.unit);
                inputs.push(CaseInput {
                    figures,
                    included: entry.include,
                    scores: entry.scores.clone(),
                    rationale: entry.rationale.clone(),
                    tier_override: entry.tier_override,
                    override_reason: entry.override_reason.clone(),
                });
            }
            Err(problems) => diags.extend(problems),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let unit = pf
        .display_unit
        .or_else(|| loaded_units.first().copied())
        .unwrap_or(crate::model::Unit::Pounds);
    let mut programme = rollup::roll_up(&pf, unit, inputs).map_err(|e| err(e.to_string()))?;
    if let Some((file, _)) = &pf.budget {
        let shown = dir.join(file).display().to_string();
        let b = ingest::load_budget(&dir.join(file), &shown, &programme.partners)?;
        diags.extend(b.warnings);
        let gap =
            compute::budget::budget_gap(&b.budget, programme.partners.len()).map_err(|e| {
                Diagnostics::from(Diagnostic::error(&shown, Location::File, e.to_string()))
            })?;
        programme.gap_after = Some(
            rollup::gap_after_programme(&programme, &gap, b.unit)
                .map_err(|e| err(e.to_string()))?,
        );
        for d in rollup::budget_disagreements(&programme, &b.budget, &gap, b.unit) {
            let Some(c) = programme.cases.get(d.case) else {
                continue;
            };
            let more = if d.count > 1 {
                format!(" ({} figures of {} differ in all)", d.count, d.force)
            } else {
                String::new()
            };
            diags.push(
                Diagnostic::warning(
                    c.figures.workbook.clone(),
                    Location::Cell {
                        cell: d.case_cell.clone(),
                        index: usize::MAX,
                    },
                    format!(
                        "{}'s {} for {} differs from the programme budget's, {shown}: {}{more}",
                        d.force,
                        d.line.label().to_lowercase(),
                        d.year,
                        d.programme_cell
                    ),
                )
                .with_hint(
                    "the programme's gaps are the programme budget's; bring the two plans into line",
                ),
            );
        }
    }
    for (ci, name, near) in &programme.near_names {
        if let Some(c) = programme.cases.get(*ci) {
            diags.push(
                Diagnostic::warning(
                    c.figures.workbook.clone(),
                    Location::Sheet {
                        name: "Partners".into(),
                        index: 0,
                    },
                    format!("force {name:?} is a partner in no other case of the programme"),
                )
                .with_hint(crate::names::did_you_mean(near)),
            );
        }
    }
    Ok(Loaded {
        file: pf,
        dir,
        programme,
        warnings: diags,
    })
}

/// Every subfolder of `dir` holding a case.toml, in name order, with the defaults.
fn discover(
    dir: &Path,
    pf: &PortfolioFile,
    label: &str,
    diags: &mut Diagnostics,
) -> Vec<CaseEntry> {
    let mut found: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("case.toml").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => {
            diags.push(Diagnostic::error(
                label,
                Location::File,
                format!("cannot list the portfolio's folder: {e}"),
            ));
            return Vec::new();
        }
    };
    found.sort();
    if found.is_empty() {
        diags.push(
            Diagnostic::error(
                label,
                Location::File,
                "the portfolio lists no [[case]] and no subfolder holds a case.toml",
            )
            .with_hint("add a [[case]] with `path = \"FOLDER\"` for each case"),
        );
    }
    if found.len() > MAX_CASES {
        diags.push(Diagnostic::error(
            label,
            Location::File,
            format!(
                "{} subfolders hold a case.toml: a portfolio holds at most {MAX_CASES} cases",
                found.len()
            ),
        ));
        return Vec::new();
    }
    found.into_iter().map(|p| pf.default_entry(p)).collect()
}

type CaseResult = Result<(CaseFigures, Diagnostics), Diagnostics>;

/// Reads, validates and computes every case, on as many threads as the
/// machine has cores; each keeps only its figures, so memory stays
/// proportional to the programme, not to the cases' workbooks.
fn read_cases(dir: &Path, label: &str, entries: &[CaseEntry]) -> Vec<CaseResult> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(entries.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<CaseResult>>> = entries.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(entry) = entries.get(i) else {
                        break;
                    };
                    let result = read_case(dir, label, entry);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(Diagnostics::new()))
        })
        .collect()
}

/// One case: read as `check` reads it, its counted option resolved, computed once.
fn read_case(dir: &Path, label: &str, entry: &CaseEntry) -> CaseResult {
    let path = dir.join(&entry.path);
    let loaded = ingest::load(&path)?;
    let case = &loaded.case;
    let shown = path.display().to_string();
    // A ratio over a sub-penny difference is at the cells that make it, as
    // `check` on the case reports it; anything else (an overflow the bounds
    // of ingest should have made impossible) at the case.
    let failed = |e: compute::ComputeError| {
        crate::locate::tiny_divisor(&loaded, None, &e).unwrap_or_else(|| {
            Diagnostics::from(Diagnostic::error(&shown, Location::File, e.to_string()))
        })
    };
    let (results, option) = match &entry.option {
        // The preferred option's Financial Case is what `compute` shows.
        None => {
            let r = compute::compute(case).map_err(failed)?;
            let option = (!r.no_option_recommended()).then_some(r.preferred);
            (r, option)
        }
        Some((id, at)) => {
            let o = resolve_option(case, id, label, at, &entry.path)?;
            (compute::compute_showing(case, o).map_err(failed)?, Some(o))
        }
    };
    let mut figures = rollup::figures(&entry.path, case, &results, option);
    figures.workbook.clone_from(&loaded.summary.workbook);
    Ok((figures, loaded.warnings))
}

/// The non-baseline option `id` of the case, or an error at portfolio.toml's `option`.
fn resolve_option(
    case: &crate::model::Case,
    id: &str,
    label: &str,
    at: &Location,
    path: &str,
) -> Result<OptionId, Diagnostics> {
    let others = || {
        case.options
            .iter()
            .filter(|o| !o.baseline)
            .map(|o| o.id.as_str())
    };
    match case.option_index(id) {
        Some(i) if i != case.baseline => Ok(i),
        Some(_) => Err(Diagnostic::error(
            label,
            at.clone(),
            format!("`option` in [[case]] {path:?}: {id:?} is business as usual, which the programme cannot count"),
        )
        .with_hint(format!("the other options are {}", others().collect::<Vec<_>>().join(", ")))
        .into()),
        None => Err(Diagnostic::error(
            label,
            at.clone(),
            format!("`option` in [[case]] {path:?}: the case has no option {id:?}"),
        )
        .with_hint(crate::names::hint(id, others(), "options"))
        .into()),
    }
}
