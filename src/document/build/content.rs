//! The Five Case content in the document: the spending objectives and
//! critical success factors (Strategic Case), the long list through the
//! options framework and the non-monetised benefits (Economic Case), the risk
//! allocation matrix (Commercial Case), the milestones and the benefits
//! register (Management Case). Each table appears only where its sheet has
//! rows: a case without the sheets prints as before.

use super::{Builder, Draft, Width, heading, plain, text_col, texts};
use crate::document::{Block, Cell, Definition, Row, RowRole};
use crate::format::percent;
use crate::model::SheetSource;
use crate::model::content::{Assessment, ObjectiveKind, RegisterKind, Share};

/// The range of a content sheet's data, for a table's sources.
fn sources(s: Option<&SheetSource>) -> Vec<String> {
    s.map(super::sheet_range).into_iter().collect()
}

/// An allocation cell as the matrix prints it.
fn share(s: Share) -> String {
    match s {
        Share::None => String::new(),
        Share::Yes => "Yes".into(),
        Share::Part(d) => percent(d, 0),
    }
}

/// The position of the first heading of `blocks` whose text contains one of
/// `keys` (lower case), if any.
pub(super) fn find_heading(blocks: &[Block], keys: &[&str]) -> Option<usize> {
    blocks.iter().position(|b| match b {
        Block::Heading { text, .. } => {
            let t = plain(text).to_lowercase();
            keys.iter().any(|k| t.contains(k))
        }
        _ => false,
    })
}

/// Puts `content` where the SRO's narrative has its subsection: right after
/// the first heading containing one of `keys`, ahead of the narrative under
/// it; without one, at the end under a heading `title` of its own. Nothing
/// happens when `content` is empty.
pub(super) fn place(blocks: &mut Vec<Block>, keys: &[&str], title: &str, content: Vec<Block>) {
    if content.is_empty() {
        return;
    }
    if let Some(i) = find_heading(blocks, keys) {
        let at = i + 1;
        blocks.splice(at..at, content);
    } else {
        blocks.push(heading(2, title));
        blocks.extend(content);
    }
}

impl Builder<'_> {
    /// The table of the spending objectives or of the critical success factors.
    pub(super) fn objectives(&self, kind: ObjectiveKind) -> Vec<Block> {
        let c = &self.case.content;
        let (caption, what) = match kind {
            ObjectiveKind::SpendingObjective => ("Spending objectives", "Objective"),
            ObjectiveKind::CriticalSuccessFactor => {
                ("Critical success factors", "Critical success factor")
            }
        };
        let rows: Vec<Row> = c
            .of_kind(kind)
            .map(|o| {
                texts(
                    RowRole::Body,
                    vec![o.id.clone(), o.description.clone(), o.measure.clone()],
                )
            })
            .collect();
        if rows.is_empty() {
            return Vec::new();
        }
        vec![
            Draft::inputs(
                caption,
                vec![
                    text_col("ID", Width::Auto),
                    text_col(what, Width::Share(24)),
                    text_col("Measure", Width::Share(14)),
                ],
                rows,
                sources(c.sources.objectives.as_ref()),
            )
            .block(),
        ]
    }

    /// The Economic Case's long list through the options framework: one
    /// table per dimension, each possibility against every objective.
    pub(super) fn long_list(&self) -> Vec<Block> {
        let c = &self.case.content;
        let list = &c.long_list;
        if list.possibilities.is_empty() {
            return Vec::new();
        }
        let ids: Vec<&str> = list
            .objectives
            .iter()
            .filter_map(|i| c.objectives.get(*i).map(|o| o.id.as_str()))
            .collect();
        let mut blocks = Vec::new();
        let mut intro = format!(
            "The long list was filtered through the options framework, one dimension at a time: each possibility was assessed against the spending objectives and critical success factors ({}) as meeting it (Yes), partly meeting it (Partly) or not (No). ",
            ids.join(", ")
        );
        intro.push_str("In each dimension one possibility is preferred; the others are carried forward to the short list as alternatives or discounted, with the reason.");
        blocks.push(Block::para(intro));
        for d in list.dimensions() {
            let mut columns = vec![
                text_col("Possibility", Width::Auto),
                text_col("Description", Width::Share(20)),
            ];
            columns.extend(ids.iter().map(|id| text_col(id, Width::Auto)));
            columns.push(text_col("Outcome", Width::Auto));
            columns.push(text_col("Reason", Width::Share(20)));
            let rows = list
                .possibilities
                .iter()
                .filter(|p| p.dimension == d)
                .map(|p| {
                    let mut cells = vec![p.id.clone(), p.description.clone()];
                    cells.extend(p.assessments.iter().map(|a| {
                        match a {
                            Assessment::Yes => "Yes",
                            Assessment::Partly => "Partly",
                            Assessment::No => "No",
                            Assessment::NotAssessed => "–",
                        }
                        .to_string()
                    }));
                    cells.push(p.outcome.words().to_string());
                    cells.push(p.reason.clone());
                    texts(RowRole::Body, cells)
                })
                .collect();
            let mut draft = Draft::inputs(
                &format!("Long list: {}", d.name().to_lowercase()),
                columns,
                rows,
                sources(c.sources.long_list.as_ref()),
            );
            draft.wide = ids.len() > 4;
            blocks.push(draft.block());
        }
        blocks
    }

    /// The Economic Case's non-monetised benefits, beside the monetised ones.
    pub(super) fn non_monetised(&self) -> Vec<Block> {
        let c = &self.case.content;
        let rows: Vec<Row> = c
            .register
            .iter()
            .filter(|b| b.kind == RegisterKind::NonMonetised)
            .map(|b| {
                texts(
                    RowRole::Body,
                    vec![
                        b.id.clone(),
                        b.description.clone(),
                        b.measure.clone(),
                        b.baseline.clone(),
                        b.target.clone(),
                    ],
                )
            })
            .collect();
        if rows.is_empty() {
            return Vec::new();
        }
        vec![
            Block::para(
                "Beside the benefits valued in the appraisal above, the preferred way forward is expected to bring benefits that are described and measured but not given a money value:",
            ),
            Draft::inputs(
                "Non-monetised benefits",
                vec![
                    text_col("ID", Width::Auto),
                    text_col("Benefit", Width::Share(22)),
                    text_col("Measure", Width::Share(14)),
                    text_col("Baseline", Width::Share(8)),
                    text_col("Target", Width::Share(8)),
                ],
                rows,
                sources(c.sources.register.as_ref()),
            )
            .block(),
        ]
    }

    /// The Commercial Case's risk allocation matrix.
    pub(super) fn risk_allocation(&self) -> Vec<Block> {
        let c = &self.case.content;
        if c.allocation.is_empty() {
            return Vec::new();
        }
        let rows = c
            .allocation
            .iter()
            .map(|a| {
                let mut cells = vec![Cell::text(a.category.clone())];
                for s in [a.public, a.private, a.shared] {
                    cells.push(match s {
                        Share::Part(d) => Cell::number(share(s), d),
                        _ => Cell::text(share(s)),
                    });
                }
                super::row(RowRole::Body, cells)
            })
            .collect();
        let mut draft = Draft::inputs(
            "Risk allocation",
            vec![
                text_col("Risk category", Width::Share(20)),
                super::num_col("Public"),
                super::num_col("Private"),
                super::num_col("Shared"),
            ],
            rows,
            sources(c.sources.allocation.as_ref()),
        );
        draft.notes = vec![
            "Who bears each category of risk: the partners (public), the supplier (private) or both (shared), by Yes or by percentage.".into(),
        ];
        draft.definition = Some(Definition::Input);
        vec![draft.block()]
    }

    /// The Management Case's milestones.
    pub(super) fn milestones(&self) -> Vec<Block> {
        let c = &self.case.content;
        let mut blocks = Vec::new();
        if !c.milestones.is_empty() {
            let rows = c
                .milestones
                .iter()
                .map(|m| {
                    texts(
                        RowRole::Body,
                        vec![
                            m.name.clone(),
                            m.date.format("%-d %B %Y").to_string(),
                            m.owner.clone(),
                            m.gateway.clone(),
                        ],
                    )
                })
                .collect();
            blocks.push(
                Draft::inputs(
                    "Milestones",
                    vec![
                        text_col("Milestone", Width::Share(24)),
                        text_col("Date", Width::Auto),
                        text_col("Owner", Width::Share(12)),
                        text_col("Gateway", Width::Share(10)),
                    ],
                    rows,
                    sources(c.sources.milestones.as_ref()),
                )
                .block(),
            );
            blocks.push(Block::Figure(self.timeline()));
        }
        blocks
    }

    /// The milestones as a timeline from the 1 April before the first to the one after the last.
    fn timeline(&self) -> crate::document::Figure {
        use chrono::{Datelike, NaiveDate};
        let ms = &self.case.content.milestones;
        let april = |y: i32| NaiveDate::from_ymd_opt(y, 4, 1);
        let first = ms.first().map(|m| m.date);
        let last = ms.last().map(|m| m.date);
        let start = first
            .and_then(|d| {
                april(if d.month() >= 4 {
                    d.year()
                } else {
                    d.year() - 1
                })
            })
            .or(first)
            .unwrap_or_default();
        let end_year = last.map_or(start.year() + 1, |d| {
            if d.month() >= 4 {
                d.year() + 1
            } else {
                d.year()
            }
        });
        let day = |d: NaiveDate| (d - start).num_days();
        let ticks = (start.year()..=end_year)
            .filter_map(|y| april(y).map(|d| (d.format("Apr %Y").to_string(), day(d))))
            .collect();
        let events = ms
            .iter()
            .map(|m| crate::document::TimelineEvent {
                label: m.name.clone(),
                date: m.date.format("%b %Y").to_string(),
                day: day(m.date),
                gateway: m.gateway.clone(),
            })
            .collect();
        let gateways = ms.iter().filter(|m| !m.gateway.is_empty()).count();
        let alt = match (ms.first(), ms.last()) {
            (Some(a), Some(b)) => format!(
                "A timeline of the {} milestones in date order, from {} ({}) to {} ({}); {} of them at a gateway, marked with a diamond.",
                ms.len(),
                a.name,
                a.date.format("%-d %B %Y"),
                b.name,
                b.date.format("%-d %B %Y"),
                gateways
            ),
            _ => String::new(),
        };
        super::figure(
            "Milestones on a timeline".into(),
            alt,
            crate::document::Chart::Timeline {
                events,
                ticks,
                gateway: "a gateway or decision point".into(),
            },
        )
    }

    /// The Management Case's benefits register.
    pub(super) fn register(&self) -> Vec<Block> {
        let c = &self.case.content;
        let mut blocks = Vec::new();
        if !c.register.is_empty() {
            let rows = c
                .register
                .iter()
                .map(|b| {
                    let valued = b.line.as_ref().map_or_else(String::new, |(o, line)| {
                        let name = self.case.option(*o).map_or("", |o| o.id.as_str());
                        format!("{name}: {line}")
                    });
                    texts(
                        RowRole::Body,
                        vec![
                            b.id.clone(),
                            b.description.clone(),
                            b.kind.words().to_string(),
                            b.owner.clone(),
                            b.measure.clone(),
                            b.baseline.clone(),
                            b.target.clone(),
                            b.from.map(|y| y.to_string()).unwrap_or_default(),
                            valued,
                        ],
                    )
                })
                .collect();
            let mut draft = Draft::inputs(
                "Benefits register",
                vec![
                    text_col("ID", Width::Auto),
                    text_col("Benefit", Width::Share(20)),
                    text_col("Type", Width::Auto),
                    text_col("Owner", Width::Share(10)),
                    text_col("Measure", Width::Share(12)),
                    text_col("Baseline", Width::Share(7)),
                    text_col("Target", Width::Share(7)),
                    text_col("From", Width::Auto),
                    text_col("Valued as", Width::Share(14)),
                ],
                rows,
                sources(c.sources.register.as_ref()),
            );
            draft.wide = true;
            draft.notes = vec![
                "Valued as: the option and benefit line of the appraisal that puts a money value on the benefit, where one does.".into(),
            ];
            blocks.push(draft.block());
        }
        blocks
    }
}

impl Builder<'_> {
    /// Places the objectives and the long list: the spending objectives in
    /// the Strategic Case; the critical success factors under the SRO's
    /// subsection of them in the Strategic Case, else in the Economic Case,
    /// else after the spending objectives; the long list in the Economic Case.
    pub(super) fn place_content(&self, strategic: &mut Vec<Block>, economic: &mut Vec<Block>) {
        place(
            strategic,
            &["spending objective"],
            "Spending objectives",
            self.objectives(ObjectiveKind::SpendingObjective),
        );
        let csf = &["critical success factor"];
        let target =
            if find_heading(strategic, csf).is_none() && find_heading(economic, csf).is_some() {
                &mut *economic
            } else {
                &mut *strategic
            };
        place(
            target,
            csf,
            "Critical success factors",
            self.objectives(ObjectiveKind::CriticalSuccessFactor),
        );
        place(
            economic,
            &["long list", "options framework"],
            "The long list and the options framework",
            self.long_list(),
        );
    }
}

impl Builder<'_> {
    /// The appendix of stage readiness: what the business case guidance
    /// expects at the case's stage, item by item, found or missing.
    pub(super) fn stage_readiness(&self) -> Vec<Block> {
        use crate::params::stages;
        let stage = self.case.meta.stage;
        let findings = stages::evaluate(self.case, stage);
        let found = findings.iter().filter(|f| f.found).count();
        let mut blocks = vec![Block::para(format!(
            "What the business case guidance expects of {} {} ({}), and what this case holds: {} of {} items{}.",
            if stage == crate::model::Stage::Obc {
                "an"
            } else {
                "a"
            },
            stage.words(),
            stages::SOURCE,
            found,
            findings.len(),
            if found == findings.len() {
                ", every one"
            } else {
                ""
            }
        ))];
        let rows = findings
            .iter()
            .map(|f| {
                texts(
                    RowRole::Body,
                    vec![
                        f.item.stage.code().to_string(),
                        capitalised(f.item.what),
                        if f.found { "Found" } else { "Missing" }.to_string(),
                        capitalised(&f.detail),
                    ],
                )
            })
            .collect();
        let mut draft = Draft::inputs(
            "Stage readiness",
            vec![
                text_col("Stage", Width::Auto),
                text_col("Expected", Width::Share(24)),
                text_col("Status", Width::Auto),
                text_col("In this case", Width::Share(16)),
            ],
            rows,
            Vec::new(),
        );
        draft.definition = None;
        blocks.push(draft.block());
        blocks
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
