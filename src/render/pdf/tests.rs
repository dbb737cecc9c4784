//! Rendering tests on a small case built by hand, so the document can be
//! checked before (and independently of) the workbook reader and engine.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::dec;

use super::tree::{self, Node, Tree};
use super::{encode, pdf_meta, to_json, typeset};
use crate::compute::{
    Apportionment, BudgetGap, Flows, GapAfterCase, GapLine, GapRow, GapTable, OptionApportionment,
    OptionAppraisal, OptionProfile, PartnerFlows, ProfileYear, Results, SensitivityEntry,
    SwitchingValues,
};
use crate::document::{self, markdown};
use crate::model::{
    Assumptions, Budget, BudgetLine, BudgetRow, Case, CaseOption, CellRef, DiscountRate, Edition,
    FiscalYear, HistoryEntry, Meta, Narrative, NarrativePart, ObCategory, ObOrigin, OptimismBias,
    OptionId, PartnerId, Partners, Risk, SheetSource, Sourced, Sources, Stage, Unit,
};

pub(crate) const INJECTIONS: [&str; 4] = [
    "#import \"/etc/passwd\": *",
    "#read(\"/etc/passwd\")",
    "$x$ @ref <label> \\ ] #set",
    "price = 2 * 3 and snake_case_name",
];

fn year(y: u16) -> FiscalYear {
    FiscalYear::new(y).unwrap()
}

fn sheet(name: &str, cols: &[(&str, u32)], last: u32) -> SheetSource {
    SheetSource {
        name: name.into(),
        header_row: 3,
        columns: cols.iter().map(|(k, v)| ((*k).to_string(), *v)).collect(),
        first_data_row: 4,
        last_data_row: last,
    }
}

fn option(id: &str, name: &str, baseline: bool, row: u32) -> CaseOption {
    let ob = if baseline {
        OptimismBias::NONE
    } else {
        OptimismBias {
            rate: dec!(0.12),
            origin: ObOrigin::Category {
                category: ObCategory::StandardBuildings,
                upper: dec!(0.24),
                lower: dec!(0.02),
                mitigation: dec!(0.5),
            },
        }
    };
    CaseOption {
        id: id.into(),
        name: name.into(),
        description: "#read(\"/x\") $x$ £ – ’".into(),
        baseline,
        ob_capital: ob,
        ob_revenue: OptimismBias::NONE,
        ob_basis: if baseline {
            String::new()
        } else {
            "Mitigated by a fixed-price contract".into()
        },
        asset_life: None,
        referred_to: String::new(),
        row,
    }
}

/// A three-force case over `n` years; `narrative` decides which parts exist.
pub(crate) fn sample_case(n: u16, narrative: &[(NarrativePart, &str)]) -> Case {
    let years: Vec<FiscalYear> = (0..n).map(|i| year(2025 + i)).collect();
    let at = |c| Some(CellRef::new("Assumptions", 3, c));
    Case {
        meta: Meta {
            title: "Regional Forensics Collaboration".into(),
            programme: "East of England Police Collaboration".into(),
            stage: Stage::Obc,
            version: "1.2".into(),
            date: None,
            sro: "ACC Jane Smith".into(),
            marking: "OFFICIAL-SENSITIVE".into(),
            preferred_reason: String::new(),
            edition: Edition::Gb2026,
            display_decimals: None,
            history: vec![HistoryEntry {
                version: "1.2".into(),
                date: "2026-11-01".into(),
                author: "Finance lead".into(),
                changes: "Updated costs ‘after’ review".into(),
            }],
            approvals: Vec::new(),
            distribution: vec!["Oversight Group".into(), "Summit members".into()],
            sensitivity: Vec::new(),
            scenarios: Vec::new(),
            risk_analysis: None,
            decision_body: "the Summit".into(),
            recommending_body: "the Oversight Group".into(),
            display_unit: None,
        },
        assumptions: Assumptions {
            base_year: Sourced {
                value: year(2025),
                at: at(1),
            },
            unit: Sourced {
                value: Unit::Millions,
                at: at(2),
            },
            discount_rate: Sourced::default_value(DiscountRate::GreenBook),
            general_inflation: Sourced {
                value: dec!(0.02),
                at: at(4),
            },
            pay_inflation: Sourced {
                value: dec!(0.025),
                at: at(5),
            },
            apportionment_key: Sourced::default_value(0),
        },
        partners: Partners {
            names: vec![
                "Bedfordshire".into(),
                "Cambridgeshire".into(),
                "Hertfordshire".into(),
            ],
            key_columns: vec!["Government grant".into()],
            values: vec![vec![dec!(60.1)], vec![dec!(80.4)], vec![dec!(110.9)]],
            rows: vec![4, 5, 6],
        },
        options: vec![
            option("BAU", "Business as usual", true, 4),
            option("A", "Shared regional hub", false, 5),
            option("B", "Outsourced service", false, 6),
        ],
        baseline: OptionId::new(0),
        preferred: None,
        years: years.clone(),
        costs: Vec::new(),
        benefits: Vec::new(),
        budget: Some(Budget {
            years: years[..3.min(years.len())].to_vec(),
            rows: vec![BudgetRow {
                partner: None,
                line: BudgetLine::BaseBudgetGap,
                values: vec![dec!(7.4), dec!(8.1), dec!(6.2)],
                row: 4,
            }],
            year_cols: vec![1, 2, 3],
            basis: crate::model::GapBasis::InYear,
        }),
        risks: vec![Risk {
            uncertainty: crate::model::Uncertainty::default(),
            id: "R1".into(),
            description: "Accreditation of the hub is delayed".into(),
            option: OptionId::new(1),
            probability: dec!(0.3),
            impact: dec!(1.5),
            year: 1,
            owner: "Head of forensics".into(),
            mitigation: "Early engagement with UKAS".into(),
            partner: None,
            row: 4,
            key: None,
        }],
        financing: crate::model::CapitalFinancing::default(),
        narrative: Narrative {
            parts: narrative
                .iter()
                .map(|(p, t)| (*p, (*t).to_string()))
                .collect::<BTreeMap<_, _>>(),
        },
        sources: Sources {
            workbook: "workbook.xlsx".into(),
            assumptions: Some(sheet("Assumptions", &[("name", 0), ("value", 1)], 10)),
            partners: sheet("Partners", &[("partner", 0), ("Government grant", 1)], 6),
            options: sheet("Options", &[("id", 0), ("basis", 6)], 6),
            costs: sheet(
                "Costs",
                &[("option", 0), ("2025/26", 5), ("2029/30", 9)],
                30,
            ),
            benefits: sheet("Benefits", &[("option", 0), ("2029/30", 8)], 20),
            budget: Some(sheet("Budget", &[("partner", 0), ("2027/28", 4)], 12)),
            risks: Some(sheet("Risks", &[("id", 0), ("mitigation", 9)], 5)),
        },
        content: crate::model::content::Content::default(),
    }
}

fn flows(n: usize, scale: Decimal) -> Flows {
    let capital: Vec<Decimal> = (0..n)
        .map(|i| {
            if i == 0 {
                dec!(1.234) * scale
            } else {
                Decimal::ZERO
            }
        })
        .collect();
    let revenue: Vec<Decimal> = (0..n).map(|_| dec!(0.333) * scale).collect();
    let costs: Vec<Decimal> = capital.iter().zip(&revenue).map(|(a, b)| a + b).collect();
    let savings: Vec<Decimal> = (0..n)
        .map(|i| Decimal::from(i) * dec!(0.71) * scale)
        .collect();
    let net = savings.iter().zip(&costs).map(|(s, c)| s - c).collect();
    Flows {
        costs,
        capital,
        revenue,
        savings,
        net,
    }
}

fn profile_years(n: usize) -> Vec<ProfileYear> {
    let mut cumulative = Decimal::ZERO;
    (0..n)
        .map(|i| {
            let capital = if i == 0 { dec!(3.704) } else { Decimal::ZERO };
            let revenue = dec!(1.0);
            let cashable = Decimal::from(i) * dec!(2.13);
            let costs = capital + revenue;
            let net = cashable - costs;
            cumulative += net;
            ProfileYear {
                cashable,
                non_cashable: dec!(0.2),
                costs,
                capital,
                revenue,
                net,
                cumulative_net: cumulative,
            }
        })
        .collect()
}

fn appraisal(option: usize, id: &str, npsv: Decimal) -> OptionAppraisal {
    OptionAppraisal {
        option: OptionId::new(option),
        id: id.into(),
        name: id.into(),
        baseline: option == 0,
        pv_capital: dec!(3.6),
        pv_revenue: dec!(4.21),
        pv_costs_unadjusted: dec!(7.81),
        pv_optimism_bias: dec!(0.44),
        pv_risk: dec!(0.43),
        pv_costs: dec!(8.68),
        pv_cashable: dec!(8.68) + npsv - dec!(0.9),
        pv_non_cashable: dec!(0.9),
        pv_benefits: dec!(8.68) + npsv,
        npsv,
        bcr: (option != 0).then(|| (dec!(8.68) + npsv) / dec!(8.68)),
        payback_year: (option != 0).then(|| year(2027)),
        payback_year_nominal: (option != 0).then(|| year(2027)),
        value_for_money: if option == 0 {
            crate::compute::ValueForMoney::Baseline
        } else {
            crate::compute::ValueForMoney::Ratio
        },
        net_public_cost: Decimal::ZERO,
        savings_per_benefit_forgone: None,
    }
}

pub(crate) fn sample_results(case: &Case) -> Results {
    let n = case.years.len();
    let gap_years: Vec<FiscalYear> = case
        .budget
        .as_ref()
        .map(|b| b.years.clone())
        .unwrap_or_default();
    let gap_row = |line: GapLine, values: Vec<Decimal>| GapRow {
        line,
        total: values.iter().sum(),
        values,
    };
    let region = GapTable {
        rows: GapLine::ALL
            .iter()
            .map(|l| match l {
                GapLine::BaseBudgetGap => gap_row(*l, vec![dec!(7.4), dec!(8.1), dec!(6.2)]),
                GapLine::UseOfReserves => gap_row(*l, vec![dec!(-5.2), dec!(-5.0), dec!(-4.3)]),
                GapLine::CashReleasingEfficiencies => {
                    gap_row(*l, vec![dec!(-2.2), dec!(-3.1), dec!(-1.9)])
                }
                GapLine::IdentifiedRiskGap | GapLine::RiskAdjustedGap => {
                    gap_row(*l, vec![dec!(13.5), dec!(13.8), dec!(14.1)])
                }
                GapLine::LossOfGrantToFloors => {
                    gap_row(*l, vec![dec!(20.5), dec!(19.1), dec!(17.6)])
                }
                GapLine::IncreaseInBorrowing => {
                    gap_row(*l, vec![dec!(20.3), dec!(11.7), dec!(6.6)])
                }
                GapLine::ResidualGap => gap_row(*l, vec![dec!(0.0), dec!(0.0), dec!(0.0)]),
            })
            .collect(),
    };
    let partner_flows = |scale| {
        (0..3)
            .map(|p| PartnerFlows {
                partner: PartnerId::new(p),
                real: flows(n, scale),
                nominal: flows(n, scale * dec!(1.02)),
            })
            .collect::<Vec<_>>()
    };
    Results {
        unit: Unit::Millions,
        base_year: year(2025),
        years: case.years.clone(),
        edition: Edition::Gb2026,
        discount_rate: DiscountRate::GreenBook,
        discount_factors: (0..n)
            .scan(Decimal::ONE, |d, i| {
                if i > 0 {
                    *d /= dec!(1.035);
                }
                Some(*d)
            })
            .collect(),
        options: vec![
            appraisal(0, "BAU", Decimal::ZERO),
            appraisal(1, "A", dec!(12.345)),
            appraisal(2, "B", dec!(-2.5)),
        ],
        preferred: OptionId::new(1),
        preferred_pinned: false,
        recommended: OptionId::new(1),
        savings_profile: vec![
            OptionProfile {
                option: OptionId::new(1),
                real: profile_years(n),
                nominal: profile_years(n),
            },
            OptionProfile {
                option: OptionId::new(2),
                real: profile_years(n),
                nominal: profile_years(n),
            },
        ],
        apportionment: Apportionment {
            key: "Government grant".into(),
            shares: vec![dec!(0.239), dec!(0.3198), dec!(0.4412)],
            line_keys: Vec::new(),
            every_key: Vec::new(),
            options: vec![OptionApportionment {
                option: OptionId::new(1),
                partners: partner_flows(dec!(1)),
                net_contributors: vec![PartnerId::new(0)],
            }],
        },
        budget_gap: Some(BudgetGap {
            basis: crate::model::GapBasis::InYear,
            years: gap_years.clone(),
            region,
            partners: Vec::new(),
        }),
        switching_values: vec![SwitchingValues {
            option: OptionId::new(1),
            benefits_change: Some(dec!(-0.5876)),
            costs_change: Some(dec!(1.4222)),
            savings_change_to_switch: None,
            payback_delay_years: Some(3),
        }],
        sensitivity: vec![SensitivityEntry {
            sheet: "Benefits",
            row: 7,
            line: "Shared hub savings".into(),
            change: dec!(-0.25),
            npsv: dec!(7.1),
        }],
        gap_after_case: Some(GapAfterCase {
            option: OptionId::new(1),
            years: gap_years,
            region: vec![dec!(12.1), dec!(10.2), dec!(8.4)],
            region_with_contingency: vec![dec!(12.3), dec!(10.4), dec!(8.6)],
            partners: vec![crate::compute::PartnerGapAfterCase {
                partner: PartnerId::new(0),
                gap: vec![dec!(3.0), dec!(2.5), dec!(2.0)],
                with_contingency: vec![dec!(3.1), dec!(2.6), dec!(2.1)],
            }],
        }),
        // The totals are the engine's for the same case, with the gap's
        // totals of the figures above.
        workings: crate::compute::Workings {
            gap_after_case: Some(crate::compute::GapAfterCaseTotals {
                region: dec!(30.7),
                region_with_contingency: dec!(31.3),
                partners: vec![crate::compute::PartnerGapTotal {
                    partner: PartnerId::new(0),
                    total: dec!(7.5),
                    with_contingency: dec!(7.8),
                }],
            }),
            ..crate::compute::compute(case)
                .map(|r| r.workings)
                .expect("the sample's totals")
        },
        financial_case: None,
    }
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// Renders strictly: typst warnings (an unknown font, say) fail the test.
/// Text no font can show, control and bidi characters, runaway nesting and
/// words longer than a column all typeset (PDF/A rejects a missing glyph).
/// With `FIVECASE_PDF_OUT` set, the PDFs are also written there, for
/// looking at the pages.
#[test]
fn hostile_text_typesets_and_stays_within_the_page() {
    let long = "https://example.org/".to_string() + &"averyveryverylongpathsegment".repeat(8);
    let mut odd = sample_case(
        5,
        &[(
            NarrativePart::Strategic,
            &format!(
                "Nul \u{0} bell \u{7} rtl \u{202e} end 👍 漢字.\n\n{}\n\n{}deep\n\n{long}\n\n| a | b |\n|---|---|\n| {long} | x |\n",
                ">".repeat(5000),
                "*a ".repeat(3000)
            ),
        )],
    );
    odd.options[1].description = long.clone();
    odd.risks[0].mitigation = long.clone();
    let pdf = render_strict(&odd);
    if let Some(text) = pdf_text(&pdf) {
        assert!(
            text.contains("Nul bell rtl end"),
            "control characters not dropped"
        );
        assert!(text.contains("deep"));
        // Long words carry zero-width break opportunities, invisible in the text.
        let joined: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{200b}')
            .collect();
        assert!(joined.contains(&long), "the long address is not all there");
    }
    if let Some(dir) = std::env::var_os("FIVECASE_PDF_OUT") {
        let dir = std::path::Path::new(&dir);
        let case = sample_case(
            5,
            &[
                (NarrativePart::Strategic, STRATEGIC),
                (NarrativePart::Economic, &INJECTIONS.join("\n\n")),
            ],
        );
        std::fs::write(dir.join("sample.pdf"), render_strict(&case)).unwrap();
        std::fs::write(dir.join("odd.pdf"), pdf).unwrap();
        std::fs::write(dir.join("wide.pdf"), render_strict(&sample_case(15, &[]))).unwrap();
    }
}

/// The scenarios' outcomes, as `build` computes them.
pub(crate) fn compared(
    case: &Case,
    results: &Results,
) -> Option<(
    crate::compute::scenario::Outcome,
    Vec<crate::compute::scenario::Outcome>,
)> {
    (!case.meta.scenarios.is_empty())
        .then(|| crate::compute::scenario::compare(case, results).unwrap_or_else(|e| panic!("{e}")))
}

/// The typst tree of `case` with `results`, as `build` makes it.
pub(crate) fn tree_of(case: &Case, results: &Results) -> Tree {
    let compared = compared(case, results);
    let doc = document::build(case, results, compared.as_ref().map(Into::into), date());
    encode::encode(&doc)
}

/// The tree's tables captioned `caption`.
fn tables<'a>(tree: &'a Tree, caption: &str) -> Vec<&'a tree::Table> {
    tree.tables()
        .into_iter()
        .filter(|t| t.caption.starts_with(caption))
        .collect()
}

/// The JSON of the nodes of the section titled `title`.
fn section_text(tree: &Tree, title: &str) -> String {
    let is_section = |n: &Node| matches!(n, Node::Heading { level: 1, c } if matches!(c.as_slice(), [document::Inline::Text { s }] if s == title));
    let nodes: Vec<&Node> = tree
        .body
        .iter()
        .skip_while(|n| !is_section(n))
        .skip(1)
        .take_while(|n| !matches!(n, Node::Heading { level: 1, .. }))
        .collect();
    serde_json::to_string(&nodes).unwrap()
}

pub(crate) fn render_strict(case: &Case) -> Vec<u8> {
    let results = sample_results(case);
    let v = tree_of(case, &results);
    let doc = match typeset::typeset(&to_json(&v).unwrap(), true) {
        Ok(doc) => doc,
        Err(e) => panic!("{e}"),
    };
    let pdf = typeset::export(&doc, &pdf_meta(case, date()));
    typeset::release(doc);
    match pdf {
        Ok(bytes) => bytes,
        Err(e) => panic!("{e}"),
    }
}

/// The PDF's text by `pdftotext -layout`; `None` (said, or a failure under
/// CI) when poppler-utils is not installed.
pub(crate) fn pdf_text(pdf: &[u8]) -> Option<String> {
    crate::testkit::pdf_bytes_text(pdf, "-layout")
}

const STRATEGIC: &str = "# Case for change\n\nThe forces face a *combined* gap of **£41.4m** – see [the plan](https://example.org/plan).\n\n## Spending objectives\n\n1. Save money\n2. Keep ‘resilience’\n\n| Objective | Measure |\n|---|--:|\n| SO1 | 10% |\n";

#[test]
fn the_document_has_every_part_and_the_marking_on_every_page() {
    let injected = INJECTIONS.join("\n\n");
    let case = sample_case(
        5,
        &[
            (NarrativePart::Strategic, STRATEGIC),
            (NarrativePart::Economic, &injected),
            (
                NarrativePart::Commercial,
                "Procurement through the regional framework.",
            ),
        ],
    );
    let pdf = render_strict(&case);
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdf_text(&pdf) else {
        return;
    };
    for heading in [
        "Document control",
        "Contents",
        "Executive summary",
        "1 Strategic Case",
        "2 Economic Case",
        "3 Commercial Case",
        "4 Financial Case",
        "5 Management Case",
        "Appendix A: Assumptions and their sources",
        "Appendix C: Source map",
        "Outline Business Case",
    ] {
        assert!(text.contains(heading), "missing {heading:?} in\n{text}");
    }
    // Missing narrative (executive summary, financial, management) is visible.
    assert!(text.matches("[to be completed]").count() >= 3, "{text}");
    for s in INJECTIONS {
        assert!(
            text.contains(s),
            "injection string {s:?} not printed literally in\n{text}"
        );
    }
    // Workbook text too: the option descriptions carry template syntax.
    assert!(text.contains("#read(\"/x\") $x$ £ – ’"), "{text}");
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let total = pages.len();
    assert!(total > 5, "{total} pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.matches("OFFICIAL-SENSITIVE").count() >= 2,
            "page {} lacks the marking top and bottom:\n{page}",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {total}", i + 1)),
            "page {}:\n{page}",
            i + 1
        );
    }
    // Headline figures and budget-gap rows, as formatted.
    for figure in [
        "12.3",
        "Base budget gap",
        "Use of reserves and one-off grant",
        "(5.2)",
        "Risk adjusted gap",
        "41.4",
        "Gap remaining after this case",
    ] {
        assert!(text.contains(figure), "missing {figure:?}");
    }
}

#[test]
fn same_case_gives_the_same_bytes() {
    let case = sample_case(5, &[(NarrativePart::Strategic, STRATEGIC)]);
    assert_eq!(render_strict(&case), render_strict(&case));
}

#[test]
fn wide_tables_split_and_stay_within_the_page() {
    // 15 years: landscape, split into two parts.
    let case = sample_case(15, &[]);
    let results = sample_results(&case);
    let v = tree_of(&case, &results);
    let parts = tables(&v, "Savings profile of the preferred option (real)");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].number, parts[1].number);
    assert!(parts[1].caption.ends_with("(part 2 of 2)"));
    assert!(parts[0].notes.is_empty());
    assert!(parts.iter().all(|t| t.wide));
    assert_eq!(parts[0].columns.len(), 13);
    assert_eq!(parts[1].columns.last().map(|c| c.h.as_str()), Some("Total"));
    let _ = render_strict(&case);
}

#[test]
fn template_errors_name_the_template_line_and_column() {
    let err = typeset::typeset("{\"meta\": 1}", false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("case.typ:"), "{err}");
    assert!(!err.contains("Span("), "{err}");
    let line = err.lines().nth(1).unwrap_or_default();
    let mut parts = line.splitn(4, ':');
    assert_eq!(parts.next(), Some("case.typ"));
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
}

#[test]
fn markdown_becomes_plain_data() {
    let blocks = markdown::parse(
        "#read(\"/etc/passwd\")\n\n### Deep\n\n- *a* `b`\n- <b>raw</b>\n\n![x](/etc/passwd) [j](javascript:alert)",
    );
    let json = serde_json::to_string(&blocks).unwrap();
    assert!(
        json.contains(r##"{"t":"text","s":"#read(\"/etc/passwd\")"}"##),
        "{json}"
    );
    // `###` first becomes level 1: levels never skip.
    assert!(json.contains(r#"{"t":"heading","level":1"#), "{json}");
    assert!(json.contains("[image: "), "{json}");
    assert!(!json.contains("javascript"), "{json}");
    assert!(json.contains(r#""t":"emph""#), "{json}");
}

#[test]
fn a_note_appears_under_tables_whose_rounded_figures_do_not_foot() {
    let case = sample_case(5, &[]);
    let results = sample_results(&case);
    let v = tree_of(&case, &results);
    let table = |caption: &str| {
        v.tables()
            .into_iter()
            .find(|t| t.caption == caption)
            .cloned()
            .unwrap_or_else(|| panic!("no table {caption:?}"))
    };
    // Capital 1.234 + revenue 0.333 shows as 1.2 + 0.3 against total costs of 1.6.
    let partner = table("Bedfordshire: preferred option (nominal)");
    assert!(
        partner.notes.iter().any(|n| n.contains("rounded")),
        "{:?}",
        partner.notes
    );
    // 7.4 − 5.2 − 2.2 = 0.0 and 0.0 + 13.5 = 13.5: the regional gap foots.
    let gap = table("Regional budget gap and risk gap");
    assert!(gap.notes.is_empty(), "{:?}", gap.notes);
    let totals: Vec<&str> = gap
        .rows
        .iter()
        .map(|r| r.c.last().map_or("", String::as_str))
        .collect();
    assert_eq!(
        totals[..6],
        ["21.7", "(14.5)", "(7.2)", "0.0", "41.4", "41.4"]
    );
}

/// The real fixtures, through the real reader and engine, typeset with every
/// typst warning (an unknown font, say) treated as an error.
#[test]
fn the_fixtures_typeset_without_a_single_warning() {
    for name in ["sample", "east-midlands"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name);
        let loaded = crate::ingest::load(&path).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let results =
            crate::compute::compute(&loaded.case).unwrap_or_else(|e| panic!("{name}: {e}"));
        let v = tree_of(&loaded.case, &results);
        match typeset::typeset(&to_json(&v).unwrap(), true) {
            Ok(doc) => typeset::release(doc),
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn a_case_without_scenarios_says_so_in_one_sentence() {
    let case = sample_case(5, &[]);
    let results = sample_results(&case);
    let v = tree_of(&case, &results);
    let economic = section_text(&v, "2 Economic Case");
    assert!(
        economic.contains("No scenarios are defined, so the case is appraised only as it stands"),
        "{economic}"
    );
    assert!(!economic.contains("Scenario comparison"));
    assert!(!section_text(&v, "4 Financial Case").contains("under the scenarios"));
}

/// Scenario names and descriptions are data: markup prints literally, long
/// names break, and the comparison and partners' tables typeset strictly.
#[test]
fn scenario_tables_typeset_with_hostile_names() {
    let mut case = sample_case(5, &[]);
    let hostile = "#read(\"/etc/passwd\") $x$ <b> *y* _z_ @ref \\ ]";
    let long = "a_scenario_name_far_longer_than_any_column_should_have_to_hold";
    let spec = |name: &str, description: &str| crate::model::ScenarioSpec {
        name: name.into(),
        description: description.into(),
        savings_realisation: Some(dec!(0.8)),
        ..Default::default()
    };
    case.meta.scenarios = vec![
        spec(hostile, hostile),
        spec(long, &"A description that goes on and on. ".repeat(6)),
    ];
    for i in 0..5 {
        case.meta.scenarios.push(spec(&format!("s{i}"), "more"));
    }
    let results = sample_results(&case);
    let v = tree_of(&case, &results);
    let comparison = *tables(&v, "Scenario comparison")
        .first()
        .expect("no scenario comparison");
    assert_eq!(comparison.rows.len(), 8);
    assert_eq!(comparison.rows[1].c[0], hostile);
    // Seven scenarios: the partners' table comes in two parts.
    let parts = tables(&v, "Each partner's net position under the scenarios, part").len();
    assert_eq!(parts, 2);
    let pdf = render_strict(&case);
    if let Some(dir) = std::env::var_os("FIVECASE_PDF_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("scenarios.pdf"), &pdf).unwrap();
    }
    if let Some(text) = pdf_text(&pdf) {
        let joined: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{200b}')
            .collect();
        // Wrapped within its cell, each word prints literally.
        for word in hostile.split_whitespace() {
            assert!(joined.contains(word), "{word:?} did not print literally");
        }
        // Wrapped within its cell, the long name's lines interleave with
        // its neighbours' in the text: each piece is there, all but the
        // last with the underscore that follows it.
        let pieces: Vec<&str> = long.split('_').collect();
        for (i, piece) in pieces.iter().enumerate() {
            let printed = if i + 1 < pieces.len() {
                joined.contains(&format!("{piece}_"))
            } else {
                joined.contains(piece)
            };
            assert!(printed, "{piece:?} missing");
        }
    }
}

/// The templates lay out what they are given: no section title, heading
/// or fixed sentence of the document is written in them.
#[test]
fn the_templates_hold_none_of_the_documents_words() {
    let templates = [
        include_str!("../../../templates/case.typ"),
        include_str!("../../../templates/lib.typ"),
    ];
    let case = sample_case(5, &[]);
    let results = sample_results(&case);
    let doc = document::build(&case, &results, None, date());
    let mut words: Vec<String> = doc.sections().map(|s| s.title.clone()).collect();
    for s in doc.sections() {
        for b in &s.blocks {
            match b {
                document::Block::Heading { text, .. } | document::Block::Paragraph(text) => {
                    if let [document::Inline::Text { s }] = text.as_slice() {
                        words.push(s.clone());
                    }
                }
                _ => {}
            }
        }
    }
    words.extend(doc.title_page.fields.iter().map(|(label, _)| label.clone()));
    words.push("Contents".into());
    assert!(
        words.iter().any(|w| w == "The Summit is asked to:"),
        "{words:?}"
    );
    for w in &words {
        for t in templates {
            assert!(!t.contains(w.as_str()), "a template holds {w:?}");
        }
    }
}

#[test]
fn a_table_marked_wide_that_fits_upright_is_set_upright() {
    // 8 years: the document marks the savings profile wide (more than 6
    // year columns), but its figures fit a portrait page, so no landscape page.
    let case = sample_case(8, &[]);
    let results = sample_results(&case);
    let v = tree_of(&case, &results);
    let parts = tables(&v, "Savings profile of the preferred option (real)");
    assert_eq!(parts.len(), 1);
    assert!(!parts[0].wide, "an 8-year profile fits upright");
    // 12 years do not fit upright: landscape.
    let case = sample_case(12, &[]);
    let results = sample_results(&case);
    let v = tree_of(&case, &results);
    let parts = tables(&v, "Savings profile of the preferred option (real)");
    assert!(
        parts.iter().all(|t| t.wide),
        "a 12-year profile needs landscape"
    );
}
