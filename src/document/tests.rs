//! The document of the sample case, through the real reader and engine:
//! numbering, ids, provenance and the narrative as plain runs.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::compute::scenario;

fn sample() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    let loaded = crate::ingest::load(&path).unwrap_or_else(|d| panic!("{d:?}"));
    let case = &loaded.case;
    let results = crate::compute::compute(case).unwrap_or_else(|e| panic!("{e}"));
    let compared = scenario::compare(case, &results).unwrap_or_else(|e| panic!("{e}"));
    let compared = (!case.meta.scenarios.is_empty()).then_some(&compared);
    let date = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    build(case, &results, compared.map(Into::into), date)
}

#[test]
fn tables_and_figures_are_numbered_in_order() {
    let doc = sample();
    let tables: Vec<u32> = doc.tables().map(|t| t.number).collect();
    assert!(tables.len() > 10, "{tables:?}");
    assert_eq!(
        tables,
        (1..=u32::try_from(tables.len()).unwrap()).collect::<Vec<_>>()
    );
    let figures: Vec<u32> = doc.figures().map(|f| f.number).collect();
    assert_eq!(
        figures,
        (1..=u32::try_from(figures.len()).unwrap()).collect::<Vec<_>>()
    );
    assert!(
        doc.figures()
            .all(|f| !f.alt.is_empty() && !f.caption.is_empty())
    );
}

#[test]
fn sections_and_headings_have_unique_stable_ids() {
    let doc = sample();
    let mut ids = HashSet::new();
    for s in doc.sections() {
        assert!(ids.insert(s.id.clone()), "{} repeats", s.id);
        for b in &s.blocks {
            if let Block::Heading { id, level, .. } = b {
                assert!((2..=6).contains(level));
                assert!(!id.is_empty() && ids.insert(id.clone()), "{id} repeats");
            }
        }
    }
    assert!(ids.contains("2-economic-case"), "{ids:?}");
    assert!(ids.contains("appraisal-of-the-short-list"), "{ids:?}");
}

#[test]
fn the_source_map_cites_every_other_table() {
    let doc = sample();
    let map = doc.tables().last().expect("a source map");
    assert_eq!(map.caption, "Where each table's figures come from");
    let cited: Vec<&str> = map.rows.iter().map(|r| r.cells[1].text.as_str()).collect();
    let expected: Vec<String> = doc
        .tables()
        .filter(|t| t.number != map.number)
        .map(|t| format!("{}: {}", t.label(), t.caption))
        .collect();
    assert_eq!(cited, expected);
}

#[test]
fn every_figure_carries_its_value_and_where_it_came_from() {
    let doc = sample();
    let map = doc.tables().last().map(|t| t.number);
    for t in doc.tables().filter(|t| Some(t.number) != map) {
        assert_eq!(
            t.columns.len(),
            t.rows.first().map_or(t.columns.len(), |r| r.cells.len()),
            "{}",
            t.caption
        );
        for r in &t.rows {
            for (i, c) in r.cells.iter().enumerate() {
                if i == 0 {
                    assert_eq!(c.role, CellRole::Label);
                    continue;
                }
                if c.value.is_some() {
                    assert!(
                        !c.provenance.ranges.is_empty(),
                        "{}: {:?} has no source",
                        t.caption,
                        c.text
                    );
                    assert_eq!(c.align, Align::Right, "{}: {:?}", t.caption, c.text);
                }
            }
        }
    }
}

#[test]
fn the_npsv_of_each_option_is_traced_to_its_lines_and_definition() {
    let doc = sample();
    let appraisal = doc
        .tables()
        .find(|t| t.caption == "Appraisal of each option against business as usual")
        .expect("the appraisal table");
    let npsv = appraisal
        .rows
        .iter()
        .find(|r| r.cells[0].text == "Net present social value")
        .expect("an npsv row");
    assert_eq!(npsv.role, RowRole::Total);
    let cell = npsv
        .cells
        .iter()
        .find(|c| c.value.is_some())
        .expect("a figure");
    assert_eq!(cell.role, CellRole::Total);
    assert_eq!(cell.provenance.definition, Some(Definition::Npsv));
    assert_eq!(Definition::Npsv.anchor(), "npsv");
    let sheets: HashSet<&str> = cell
        .provenance
        .ranges
        .iter()
        .filter_map(|r| r.split('!').next())
        .collect();
    assert!(
        sheets.contains("Costs") && sheets.contains("Benefits"),
        "{sheets:?}"
    );
}

#[test]
fn narrative_is_plain_runs_and_missing_parts_are_placeholders() {
    let doc = sample();
    let strategic = doc
        .sections()
        .find(|s| s.title == "1 Strategic Case")
        .expect("a strategic case");
    assert!(
        strategic
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Paragraph(runs) if !runs.is_empty())),
        "{:?}",
        strategic.blocks.first()
    );
    let blocks = narrative_of("Costs rise by 5% and #read(\"/etc/passwd\") is *text*.");
    match blocks.first() {
        Some(Block::Paragraph(runs)) => {
            assert!(matches!(runs.first(), Some(Inline::Text { s }) if s.contains("#read(")));
            assert!(runs.iter().any(|r| matches!(r, Inline::Emph { .. })));
        }
        other => panic!("{other:?}"),
    }
}

fn narrative_of(text: &str) -> Vec<Block> {
    build::narrative_blocks(markdown::parse(text), 1)
}

#[test]
fn budget_gap_figures_cite_their_budget_rows() {
    let doc = sample();
    let gap = doc
        .tables()
        .find(|t| t.caption == "Regional budget gap and risk gap")
        .expect("a regional gap table");
    let base = &gap.rows[0].cells[1];
    let adjusted = gap
        .rows
        .iter()
        .find(|r| r.cells[0].text == "Risk adjusted gap")
        .map(|r| &r.cells[1])
        .expect("a risk adjusted gap");
    assert!(!base.provenance.ranges.is_empty());
    assert!(
        base.provenance
            .ranges
            .iter()
            .all(|r| r.starts_with("Budget!")),
        "{:?}",
        base.provenance.ranges
    );
    assert_ne!(
        base.provenance.ranges, gap.sources,
        "only the sheet, not its rows"
    );
    // The risk-adjusted gap is computed from more lines than the base gap alone.
    let rows = |c: &Cell| c.provenance.ranges.join(";");
    assert_ne!(rows(base), rows(adjusted));
}

/// The anchors docs/methodology.md defines: each heading's GitHub slug and
/// each explicit `<a id="...">`.
fn methodology_anchors() -> HashSet<String> {
    let text = include_str!("../../docs/methodology.md");
    let mut anchors = HashSet::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix('#') {
            let slug: String = heading
                .trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            anchors.insert(slug);
        }
        let mut rest = line;
        while let Some(at) = rest.find("<a id=\"") {
            let after = &rest[at + "<a id=\"".len()..];
            let Some(end) = after.find('"') else { break };
            anchors.insert(after[..end].to_string());
            rest = &after[end..];
        }
    }
    anchors
}

#[test]
fn every_definition_cited_has_its_anchor_in_the_methodology() {
    let anchors = methodology_anchors();
    let missing: Vec<&str> = Definition::ALL
        .iter()
        .map(|d| d.anchor())
        .filter(|a| !anchors.contains(*a))
        .collect();
    assert!(
        missing.is_empty(),
        "missing from docs/methodology.md: {missing:?}"
    );
    // The check can fail: an anchor nobody wrote is not found.
    assert!(!anchors.contains("no-such-definition"));
    assert!(anchors.contains("nominal-prices") && anchors.contains("sensitivity"));
}

#[test]
fn every_definition_is_in_the_list_the_anchor_test_reads() {
    // A new variant fails to compile here until it is placed in `ALL`.
    let place = |d: Definition| match d {
        Definition::Input => 0,
        Definition::DiscountFactor => 1,
        Definition::PresentValue => 2,
        Definition::OptimismBias => 3,
        Definition::RiskExpectedValue => 4,
        Definition::Npsv => 5,
        Definition::Bcr => 6,
        Definition::Payback => 7,
        Definition::SavingsProfile => 8,
        Definition::NominalPrices => 9,
        Definition::Apportionment => 10,
        Definition::BudgetGap => 11,
        Definition::GapAfterCase => 12,
        Definition::CapitalFinancing => 13,
        Definition::SwitchingValue => 14,
        Definition::Sensitivity => 15,
        Definition::Scenario => 16,
        Definition::Total => 17,
        Definition::QuantifiedRisk => 18,
    };
    for (i, d) in Definition::ALL.into_iter().enumerate() {
        assert_eq!(place(d), i, "{d:?}");
    }
}

#[test]
fn memo_lines_appear_only_where_the_budget_sheet_has_them() {
    use crate::model::BudgetLine;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    let mut case = crate::ingest::load(&path)
        .unwrap_or_else(|d| panic!("{d:?}"))
        .case;
    let memo_rows = |doc: &Document| {
        doc.tables()
            .flat_map(|t| t.rows.iter())
            .filter(|r| r.cells.first().is_some_and(|c| c.text.ends_with("(memo)")))
            .count()
    };
    let date = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    let results = crate::compute::compute(&case).unwrap_or_else(|e| panic!("{e}"));
    assert!(memo_rows(&build(&case, &results, None, date)) > 0);
    if let Some(b) = case.budget.as_mut() {
        b.rows.retain(|r| {
            !matches!(
                r.line,
                BudgetLine::LossOfGrantToFloors | BudgetLine::IncreaseInBorrowing
            )
        });
    }
    let results = crate::compute::compute(&case).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(memo_rows(&build(&case, &results, None, date)), 0);
}
