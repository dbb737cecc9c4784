//! `fivecase risk`: the quantified risk analysis of a case, as tables or
//! JSON (docs/json.md, "risk_analysis").

use std::io::IsTerminal as _;
use std::path::Path;
use std::time::Instant;

use super::{CmdError, print_figure_warnings, write_stdout};
use crate::compute::{self, risk};
use crate::ingest;
use crate::model::Iterations;
use crate::render::{json, terminal};

/// Runs the command: case.toml's `[risk_analysis]` settings (or the
/// defaults), with `iterations` and `seed` from the command line winning.
/// A progress line on stderr, when it is a terminal, once the run passes a
/// second.
///
/// # Errors
/// Every problem with the case, an amount beyond exact decimals, or stdout closed.
pub fn run(
    path: &Path,
    iterations: Option<Iterations>,
    seed: Option<u64>,
    as_json: bool,
) -> Result<(), CmdError> {
    let loaded = ingest::load(path).map_err(CmdError::Invalid)?;
    print_figure_warnings(&loaded);
    let case = &loaded.case;
    let results = compute::compute(case)
        .map_err(|e| super::scenarios::compute_error(&loaded, path, None, &e))?;
    let mut settings = case.meta.risk_analysis.clone().unwrap_or_default();
    if let Some(n) = iterations {
        settings.iterations = n;
    }
    if let Some(s) = seed {
        settings.seed = s;
    }
    let started = Instant::now();
    let show = std::io::stderr().is_terminal();
    let progress = |done: u32, most: u32| {
        if show && started.elapsed().as_secs_f64() > 1.0 {
            eprint!("\rrisk analysis: {done} of at most {most} iterations");
        }
    };
    let run = risk::Run {
        settings,
        threads: risk::threads(),
    };
    let analysis = risk::analyse(case, &results, &run, &progress).map_err(|e| {
        CmdError::Message(format!("{}: {}", path.display(), e.within("risk analysis")))
    })?;
    if show && started.elapsed().as_secs_f64() > 1.0 {
        eprintln!();
    }
    let text = if as_json {
        json::render_risk(case, &results, &analysis)
    } else {
        terminal::risk(case, &results, &analysis)
    };
    write_stdout(&text)
}

/// `--iterations`: a whole number from 1 to 1,000,000, or `auto`.
///
/// # Errors
/// Anything else, in words for the usage message.
pub fn parse_iterations(text: &str) -> Result<Iterations, String> {
    if text.trim().eq_ignore_ascii_case("auto") {
        return Ok(Iterations::Auto);
    }
    match text.trim().replace(['_', ','], "").parse::<u32>() {
        Ok(n) if (1..=risk::MAX_ITERATIONS).contains(&n) => Ok(Iterations::Fixed(n)),
        _ => Err(format!(
            "expected a whole number from 1 to 1,000,000, or auto, found {text:?}"
        )),
    }
}
