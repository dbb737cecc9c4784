//! The one-page summary for Police and Crime Commissioners that opens the
//! document, and the words every generated sentence shares (the bodies'
//! names, plurals, articles).
//!
//! Every figure on the page is one the rest of the document prints from the
//! results (the preferred option's npsv, each force's costs and savings from
//! the apportionment's workings, each risk's expected cost): no arithmetic
//! happens here, only choosing and ordering.

use chrono::NaiveDate;

use super::{Block, Builder, NarrativePart, capitalise, heading, list, span};

/// Risks of the preferred option the summary names.
const SUMMARY_RISKS: usize = 3;

/// The next milestone of the case, as the summary names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Milestone {
    /// What is reached ("Full Business Case to the Summit").
    pub(super) what: String,
    /// When, as the document writes dates ("31 March 2027").
    pub(super) when: String,
}

impl Builder<'_> {
    /// The case's next milestone: the earliest on the Milestones sheet
    /// dated on or after the document's `date` (ties: the first listed).
    pub(super) fn next_milestone(&self, date: NaiveDate) -> Option<Milestone> {
        let m = self
            .case
            .content
            .milestones
            .iter()
            .filter(|m| m.date >= date)
            .min_by_key(|m| m.date)?;
        Some(Milestone {
            what: m.name.trim().to_string(),
            when: m.date.format("%-d %B %Y").to_string(),
        })
    }

    /// The summary page: the decision asked for, the preferred option, what
    /// it costs and saves each force, its three largest risks, what happens
    /// next and the SRO's own paragraph (`summary.md`, where written).
    pub(super) fn pcc_summary(&self, date: NaiveDate) -> Vec<Block> {
        let r = self.results;
        let mut blocks = vec![
            heading(2, "The decision asked for"),
            Block::para(self.recommendation()),
        ];
        if !r.no_option_recommended() {
            blocks.push(heading(2, "The preferred option"));
            blocks.push(Block::para(self.preferred_in_brief()));
            if let Some(mut table) = self.net_position_table() {
                blocks.push(heading(2, "What it costs and saves each force"));
                table.caption = "Costs and savings of each force under the preferred option".into();
                blocks.push(table.block());
            }
            blocks.push(heading(2, "Its largest risks"));
            blocks.extend(self.largest_risks());
        }
        blocks.push(heading(2, "What happens next"));
        blocks.push(Block::para(self.asked_to()));
        blocks.push(list(true, self.decisions()));
        if let Some(m) = self.next_milestone(date) {
            blocks.push(Block::para(format!(
                "The next milestone is {}, by {}.",
                m.what, m.when
            )));
        }
        if let Some(text) = self.case.narrative.parts.get(&NarrativePart::Summary) {
            blocks.push(heading(2, "From the Senior Responsible Owner"));
            blocks.extend(super::narrative_blocks(super::markdown::parse(text), 2));
        }
        blocks
    }

    /// The preferred option in two sentences: what it is, and its value for money.
    fn preferred_in_brief(&self) -> String {
        let r = self.results;
        let Some(o) = r.option(r.preferred) else {
            return String::new();
        };
        let name = capitalise(&self.option_name(r.preferred));
        let description = self
            .case
            .option(r.preferred)
            .map(|o| lower_first(o.description.trim().trim_end_matches('.')))
            .unwrap_or_default();
        let what = if description.is_empty() {
            format!("{name} is the preferred option.")
        } else {
            format!("{name} is the preferred option: {description}.")
        };
        format!(
            "{what} Over {} it has a net present social value of {} ({}), as the Economic Case sets out.",
            span(&r.years),
            self.phrase(o.npsv),
            self.vfm_words(o)
        )
    }

    /// The preferred option's risks with the highest expected cost, largest
    /// first (the register's order among equals), as a list.
    fn largest_risks(&self) -> Vec<Block> {
        let c = self.case;
        let expected = &self.results.workings.risk_costs;
        let mut risks: Vec<(usize, &crate::model::Risk)> = c
            .risks
            .iter()
            .enumerate()
            .filter(|(_, k)| k.option == self.results.preferred)
            .collect();
        if risks.is_empty() {
            return vec![Block::para(
                "The risk register records no quantified risk of the preferred option.",
            )];
        }
        let ev = |i: usize| expected.get(i).copied().unwrap_or_default();
        risks.sort_by_key(|k| std::cmp::Reverse(ev(k.0)));
        let items = risks.iter().take(SUMMARY_RISKS).map(|(i, k)| {
            let owner = if k.owner.trim().is_empty() {
                String::new()
            } else {
                format!("; owner: {}", k.owner.trim())
            };
            format!(
                "{} ({}): expected cost {}, a {} chance of {}{owner}",
                k.description.trim().trim_end_matches('.'),
                k.id,
                self.phrase(ev(*i)),
                crate::format::percent(k.probability, 1),
                self.phrase(k.impact),
            )
        });
        let mut blocks = vec![list(false, items)];
        if risks.len() > SUMMARY_RISKS {
            blocks.push(Block::para(format!(
                "The risk register in the Management Case lists {} more.",
                risks.len() - SUMMARY_RISKS
            )));
        }
        blocks
    }
}

/// `text` with its first letter in lower case, to follow a colon, unless
/// the word is an acronym or a name in capitals ("HR", "ERSOU").
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::document::build::{capitalise, plural};
    use crate::model::with_article;

    use std::fmt::Write as _;

    use crate::document::Chart;

    /// The sample case's document with two of the preferred option's
    /// partner lines given one label, as a case of per-force lines has.
    fn twin_lines() -> (crate::document::Document, Vec<String>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
        let mut case = crate::ingest::load(&path)
            .unwrap_or_else(|d| panic!("{d:?}"))
            .case;
        let hub = case.option_index("HUB").unwrap();
        let mut partners = Vec::new();
        for line in case
            .benefits
            .iter_mut()
            .filter(|l| l.option == hub && l.partner.is_some())
        {
            if partners.len() < 2 {
                line.line = "Force vetting posts removed".into();
                // Large enough to be among the largest effects the table and chart show.
                for v in &mut line.values {
                    *v *= rust_decimal::Decimal::from(50);
                }
                partners.push(
                    case.partners
                        .name(line.partner.unwrap())
                        .unwrap()
                        .to_string(),
                );
            }
        }
        assert_eq!(partners.len(), 2, "the sample has partner lines of HUB");
        let results = crate::compute::compute(&case).unwrap_or_else(|e| panic!("{e}"));
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        (
            crate::document::build::build(&case, &results, None, date),
            partners,
        )
    }

    #[test]
    fn sensitivity_rows_and_tornado_bars_name_the_partner_of_lines_that_share_a_label() {
        let (doc, partners) = twin_lines();
        let labels: Vec<String> = partners
            .iter()
            .map(|p| format!("Force vetting posts removed ({p})"))
            .collect();
        let table = doc
            .tables()
            .find(|t| t.caption.starts_with("Sensitivity of the preferred option"))
            .unwrap();
        let rows: Vec<(String, String)> = table
            .rows
            .iter()
            .map(|r| (r.cells[0].text.clone(), r.cells[1].text.clone()))
            .collect();
        for label in &labels {
            assert!(
                rows.iter()
                    .any(|(l, w)| l == label && w.starts_with("Benefits sheet, ")),
                "{label} not in {rows:?}"
            );
        }
        assert!(
            !rows.iter().any(|(l, _)| l == "Force vetting posts removed"),
            "a twin line without its partner: {rows:?}"
        );
        // A line whose label is its own keeps it as written.
        assert!(
            rows.iter()
                .any(|(l, _)| l == "Business support staff savings")
        );
        let bars: Vec<String> = doc
            .figures()
            .find_map(|f| match &f.chart {
                Chart::Tornado { lines, .. } => {
                    Some(lines.iter().map(|l| l.label.clone()).collect())
                }
                _ => None,
            })
            .unwrap();
        for label in &labels {
            assert!(bars.contains(label), "{label} not in {bars:?}");
        }
    }

    #[test]
    fn generated_sentences_name_an_option_as_it_is_referred_to() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
        let mut case = crate::ingest::load(&path)
            .unwrap_or_else(|d| panic!("{d:?}"))
            .case;
        let hub = case.option_index("HUB").unwrap();
        assert_eq!(case.referred_to(hub), "the shared business services hub");
        case.options[hub.index()].referred_to = String::new();
        assert_eq!(case.referred_to(hub), "the Shared business services hub");
        case.options[hub.index()].referred_to = "our regional hub".into();
        assert_eq!(case.referred_to(hub), "our regional hub");
        let results = crate::compute::compute(&case).unwrap_or_else(|e| panic!("{e}"));
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let doc = crate::document::build::build(&case, &results, None, date);
        let paras: Vec<String> = doc
            .parts
            .iter()
            .filter_map(|p| match p {
                crate::document::Part::Section(s) => Some(s),
                crate::document::Part::Contents { .. } => None,
            })
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                crate::document::Block::Paragraph(runs) => {
                    Some(runs.iter().fold(String::new(), |mut out, r| {
                        let _ = write!(out, "{r:?}");
                        out
                    }))
                }
                _ => None,
            })
            .collect();
        assert!(
            paras
                .iter()
                .any(|p| p.contains("recommends our regional hub (option HUB)")),
            "{paras:#?}"
        );
        assert!(
            paras
                .iter()
                .any(|p| p.contains("Our regional hub (option HUB) is the preferred option")),
            "the summary page starts a sentence with it, capitalised"
        );
    }

    #[test]
    fn plurals_are_words_not_brackets() {
        assert_eq!(plural(0_u32, "year"), "0 years");
        assert_eq!(plural(1_u32, "year"), "1 year");
        assert_eq!(plural(2_u32, "year"), "2 years");
        assert_eq!(plural(1_u32, "decimal place"), "1 decimal place");
        assert_eq!(plural(3_u32, "decimal place"), "3 decimal places");
    }

    #[test]
    fn option_names_take_the_article_unless_they_have_one() {
        assert_eq!(
            with_article("Regional joint vetting unit"),
            "the Regional joint vetting unit"
        );
        assert_eq!(with_article("The hub"), "The hub");
        assert_eq!(with_article("a shared service"), "a shared service");
        assert_eq!(with_article("Anchor force model"), "the Anchor force model");
        assert_eq!(with_article(""), "");
    }

    #[test]
    fn a_description_after_a_colon_starts_in_lower_case_unless_an_acronym() {
        assert_eq!(super::lower_first("One regional hub"), "one regional hub");
        assert_eq!(super::lower_first("HR shared"), "HR shared");
        assert_eq!(super::lower_first("A"), "A");
        assert_eq!(super::lower_first(""), "");
    }

    #[test]
    fn sentences_start_with_a_capital() {
        assert_eq!(capitalise("the Summit"), "The Summit");
        assert_eq!(capitalise("éire board"), "Éire board");
        assert_eq!(capitalise(""), "");
    }
}
