//! Stage readiness: what the business case guidance expects a case to hold
//! at each stage (SOC, OBC, FBC), kept as data with its source like the
//! parameter tables, and [`evaluate`], which finds each item in a case.
//!
//! Each stage expects what the one before it expects, and more. Missing
//! items are warnings at SOC and OBC and errors at FBC (ingest reports them;
//! `check --stage-report` and the document's appendix list them all).

use crate::model::content::{Dimension, ObjectiveKind, Outcome};
use crate::model::{Case, NarrativePart, Stage};

/// Where the checklist comes from.
pub const SOURCE: &str = "HM Treasury, Guide to developing the project business case (Better Business Cases, 2018), the three stages of the business case; The Green Book (2026), chapter 3";

/// What an item asks of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    SpendingObjective,
    CriticalSuccessFactor,
    /// Every dimension of the options framework on the Long list, each with a preferred possibility.
    LongList,
    CostsAndBenefits,
    /// One narrative part.
    Narrative(NarrativePart),
    /// A short list of at least three options, the baseline among them.
    ShortList,
    PreferredOption,
    RiskRegister,
    Budget,
    BenefitsRegister,
    Milestones,
    BenefitOwners,
    RiskOwners,
    RiskAllocation,
    VersionHistory,
    Approvals,
    /// Every part of the narrative.
    EveryNarrativePart,
}

/// Where an item comes from, so a missing one can be located.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Workbook,
    CaseToml,
    Narrative,
}

/// One item of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// The first stage that expects it.
    pub stage: Stage,
    pub need: Need,
    /// What is expected, as the report says it.
    pub what: &'static str,
    /// Where it comes from, in the user's terms.
    pub from: &'static str,
    pub file: Origin,
}

const fn item(
    stage: Stage,
    need: Need,
    what: &'static str,
    from: &'static str,
    file: Origin,
) -> Item {
    Item {
        stage,
        need,
        what,
        from,
        file,
    }
}

/// The checklist, stage by stage.
pub const CHECKLIST: &[Item] = &[
    item(
        Stage::Soc,
        Need::SpendingObjective,
        "at least one spending objective",
        "Objectives sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Soc,
        Need::CriticalSuccessFactor,
        "at least one critical success factor",
        "Objectives sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Soc,
        Need::LongList,
        "a long list covering the five dimensions, each with a preferred possibility",
        "Long list sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Soc,
        Need::CostsAndBenefits,
        "costs and benefits",
        "Costs and Benefits sheets",
        Origin::Workbook,
    ),
    item(
        Stage::Soc,
        Need::Narrative(NarrativePart::Strategic),
        "the strategic narrative",
        "narrative/strategic.md",
        Origin::Narrative,
    ),
    item(
        Stage::Soc,
        Need::Narrative(NarrativePart::Economic),
        "the economic narrative",
        "narrative/economic.md",
        Origin::Narrative,
    ),
    item(
        Stage::Obc,
        Need::ShortList,
        "a short list of at least three options including the baseline",
        "Options sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Obc,
        Need::PreferredOption,
        "a preferred option",
        "case.toml `preferred` or the Assumptions sheet",
        Origin::CaseToml,
    ),
    item(
        Stage::Obc,
        Need::RiskRegister,
        "a risk register",
        "Risks sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Obc,
        Need::Budget,
        "the partners' budgets",
        "Budget sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Obc,
        Need::BenefitsRegister,
        "a benefits register with at least one entry",
        "Benefits register sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Obc,
        Need::Narrative(NarrativePart::Commercial),
        "the commercial narrative",
        "narrative/commercial.md",
        Origin::Narrative,
    ),
    item(
        Stage::Obc,
        Need::Narrative(NarrativePart::Financial),
        "the financial narrative",
        "narrative/financial.md",
        Origin::Narrative,
    ),
    item(
        Stage::Obc,
        Need::Narrative(NarrativePart::Management),
        "the management narrative",
        "narrative/management.md",
        Origin::Narrative,
    ),
    item(
        Stage::Fbc,
        Need::Milestones,
        "milestones",
        "Milestones sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Fbc,
        Need::BenefitOwners,
        "an owner for every benefit",
        "Benefits register sheet, Owner",
        Origin::Workbook,
    ),
    item(
        Stage::Fbc,
        Need::RiskOwners,
        "an owner and a mitigation for every risk",
        "Risks sheet, Owner and Mitigation",
        Origin::Workbook,
    ),
    item(
        Stage::Fbc,
        Need::RiskAllocation,
        "the risk allocation",
        "Risk allocation sheet",
        Origin::Workbook,
    ),
    item(
        Stage::Fbc,
        Need::VersionHistory,
        "a version history",
        "case.toml [[history]]",
        Origin::CaseToml,
    ),
    item(
        Stage::Fbc,
        Need::Approvals,
        "the approvals so far",
        "case.toml [[approval]]",
        Origin::CaseToml,
    ),
    item(
        Stage::Fbc,
        Need::EveryNarrativePart,
        "every part of the narrative",
        "the narrative folder",
        Origin::Narrative,
    ),
];

/// A stage's place in the order SOC, OBC, FBC.
fn rank(s: Stage) -> u8 {
    match s {
        Stage::Soc => 0,
        Stage::Obc => 1,
        Stage::Fbc => 2,
    }
}

/// One item as found in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub item: &'static Item,
    pub found: bool,
    /// What was found, or what is missing, in a few words.
    pub detail: String,
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Every item `stage` expects, found or missing in `case`, in checklist order.
pub fn evaluate(case: &Case, stage: Stage) -> Vec<Finding> {
    CHECKLIST
        .iter()
        .filter(|i| rank(i.stage) <= rank(stage))
        .map(|item| {
            let (found, detail) = find(case, item.need);
            Finding {
                item,
                found,
                detail,
            }
        })
        .collect()
}

#[allow(clippy::too_many_lines, reason = "one arm per item of the checklist")]
fn find(case: &Case, need: Need) -> (bool, String) {
    let c = &case.content;
    match need {
        Need::SpendingObjective => {
            let n = c.of_kind(ObjectiveKind::SpendingObjective).count();
            (n > 0, count(n, "spending objective", "spending objectives"))
        }
        Need::CriticalSuccessFactor => {
            let n = c.of_kind(ObjectiveKind::CriticalSuccessFactor).count();
            (
                n > 0,
                count(n, "critical success factor", "critical success factors"),
            )
        }
        Need::LongList => {
            let list = &c.long_list;
            if list.possibilities.is_empty() {
                return (false, "no long list".into());
            }
            let missing: Vec<&str> = Dimension::ALL
                .iter()
                .filter(|d| {
                    !list
                        .possibilities
                        .iter()
                        .any(|p| p.dimension == **d && p.outcome == Outcome::Preferred)
                })
                .map(|d| d.name())
                .collect();
            if missing.is_empty() {
                (
                    true,
                    count(list.possibilities.len(), "possibility", "possibilities")
                        + " in the five dimensions",
                )
            } else {
                (
                    false,
                    format!("no preferred possibility in {}", missing.join(", ")),
                )
            }
        }
        Need::CostsAndBenefits => {
            let ok = !case.costs.is_empty() && !case.benefits.is_empty();
            (
                ok,
                format!(
                    "{}, {}",
                    count(case.costs.len(), "cost line", "cost lines"),
                    count(case.benefits.len(), "benefit line", "benefit lines")
                ),
            )
        }
        Need::Narrative(part) => {
            let ok = case.narrative.parts.contains_key(&part);
            (ok, if ok { "written" } else { "missing" }.to_string())
        }
        Need::ShortList => {
            let n = case.options.len();
            (
                n >= 3,
                count(n, "option", "options") + " including the baseline",
            )
        }
        Need::PreferredOption => match case.preferred.and_then(|p| case.option(p)) {
            Some(o) => (true, o.id.clone()),
            None => (false, "none named".into()),
        },
        Need::RiskRegister => (
            !case.risks.is_empty(),
            count(case.risks.len(), "risk", "risks"),
        ),
        Need::Budget => match &case.budget {
            Some(b) => (true, count(b.rows.len(), "line", "lines")),
            None => (false, "no Budget sheet".into()),
        },
        Need::BenefitsRegister => (
            !c.register.is_empty(),
            count(c.register.len(), "entry", "entries"),
        ),
        Need::Milestones => (
            !c.milestones.is_empty(),
            count(c.milestones.len(), "milestone", "milestones"),
        ),
        Need::BenefitOwners => {
            if c.register.is_empty() {
                return (false, "no benefits register".into());
            }
            let without: Vec<&str> = c
                .register
                .iter()
                .filter(|b| b.owner.is_empty())
                .map(|b| b.id.as_str())
                .collect();
            if without.is_empty() {
                (true, "every benefit has an owner".into())
            } else {
                (false, format!("no owner for {}", without.join(", ")))
            }
        }
        Need::RiskOwners => {
            if case.risks.is_empty() {
                return (false, "no risk register".into());
            }
            let without: Vec<&str> = case
                .risks
                .iter()
                .filter(|r| r.owner.is_empty() || r.mitigation.is_empty())
                .map(|r| r.id.as_str())
                .collect();
            if without.is_empty() {
                (true, "every risk has an owner and a mitigation".into())
            } else {
                (
                    false,
                    format!("no owner or mitigation for {}", without.join(", ")),
                )
            }
        }
        Need::RiskAllocation => (
            !c.allocation.is_empty(),
            count(c.allocation.len(), "risk category", "risk categories"),
        ),
        Need::VersionHistory => (
            !case.meta.history.is_empty(),
            count(case.meta.history.len(), "version", "versions"),
        ),
        Need::Approvals => (
            !case.meta.approvals.is_empty(),
            count(case.meta.approvals.len(), "approval", "approvals"),
        ),
        Need::EveryNarrativePart => {
            let missing: Vec<&str> = NarrativePart::ALL
                .iter()
                .filter(|p| !case.narrative.parts.contains_key(p))
                .map(|p| p.file_name())
                .collect();
            if missing.is_empty() {
                (true, "all parts written".into())
            } else {
                (false, format!("missing {}", missing.join(", ")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checklist_runs_soc_then_obc_then_fbc_and_names_every_source() {
        let ranks: Vec<u8> = CHECKLIST.iter().map(|i| rank(i.stage)).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
        for stage in [Stage::Soc, Stage::Obc, Stage::Fbc] {
            assert!(CHECKLIST.iter().any(|i| i.stage == stage));
        }
        assert!(
            CHECKLIST
                .iter()
                .all(|i| !i.what.is_empty() && !i.from.is_empty())
        );
        // Every narrative part the SOC and OBC name is a part fivecase reads.
        for i in CHECKLIST {
            if let Need::Narrative(p) = i.need {
                assert!(i.from.ends_with(p.file_name()), "{}", i.from);
            }
        }
    }
}
