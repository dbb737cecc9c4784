//! Stage readiness as diagnostics: each item of the checklist
//! ([`crate::params::stages`]) the case's stage expects and the case lacks
//! is a warning at SOC and OBC and an error at FBC, so `check` and `build`
//! refuse an incomplete Full Business Case. A bare workbook, which has no
//! stage of its own, gets none.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{Case, NarrativePart, Stage};
use crate::params::stages::{self, Need, Origin};

/// Where the case's files are, as the user names them.
pub(super) struct Labels<'a> {
    pub workbook: &'a str,
    pub case_toml: &'a str,
}

/// The narrative parts missing at `stage`: errors at FBC (every part is
/// expected), nothing otherwise (reading the narrative warns of each).
pub(super) fn narrative(stage: Stage, missing: &[NarrativePart], narrative: &Path) -> Diagnostics {
    let mut out = Diagnostics::new();
    let every = stages::CHECKLIST
        .iter()
        .any(|i| i.stage == stage && i.need == Need::EveryNarrativePart);
    if every {
        for part in missing {
            out.push(Diagnostic::error(
                narrative.join(part.file_name()).display().to_string(),
                Location::File,
                format!(
                    "missing: {} needs every part of the narrative",
                    with_article(stage, false)
                ),
            ));
        }
    }
    out
}

/// Every other item the case's stage expects and the case lacks: errors at
/// FBC; at SOC and OBC, warnings once the case uses the Five Case content
/// sheets (a case that keeps its objectives and plans in the narrative alone,
/// as every case did before those sheets, is not warned on every command;
/// `check --stage-report` and the document's appendix still list them).
pub(super) fn items(case: &Case, labels: &Labels<'_>) -> Diagnostics {
    let stage = case.meta.stage;
    let mut out = Diagnostics::new();
    if stage != Stage::Fbc && case.content.is_empty() {
        return out;
    }
    for f in stages::evaluate(case, stage) {
        if f.found || f.item.file == Origin::Narrative {
            continue;
        }
        let file = match f.item.file {
            Origin::Workbook => labels.workbook,
            Origin::CaseToml => labels.case_toml,
            Origin::Narrative => continue,
        };
        let message = format!(
            "{} needs {} ({}): {}",
            with_article(stage, false),
            f.item.what,
            f.item.from,
            f.detail
        );
        let hint = format!(
            "`fivecase check --stage-report` lists what {} needs",
            with_article(stage, false)
        );
        let d = if stage == Stage::Fbc {
            Diagnostic::error(file, Location::File, message)
        } else {
            Diagnostic::warning(file, Location::File, message)
        };
        // The hint once, on the first.
        out.push(if out.is_empty() { d.with_hint(hint) } else { d });
    }
    out
}

/// "a Strategic Outline Case", "an Outline Business Case", "a Full Business Case".
fn with_article(stage: Stage, capital: bool) -> String {
    let article = match (stage == Stage::Obc, capital) {
        (true, true) => "An",
        (true, false) => "an",
        (false, true) => "A",
        (false, false) => "a",
    };
    format!("{article} {}", stage.words())
}
