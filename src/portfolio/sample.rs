//! The sample programme of `fivecase new --portfolio`: the illustrative
//! Eastern Region programme of four cases, with scores, tiers and rationales.
//!
//! The business support hub is the built-in sample case (`crate::sample`);
//! the other three (a seven-force vetting unit in £k, an Essex–Kent forensic
//! case management system in £m, a three-force firearms training
//! collaboration in £k) are small cases written here, through the same
//! input-workbook writer the fixtures use, so every figure is readable in
//! this file. ILLUSTRATIVE: the forces are real, every figure is made up.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::model::NarrativePart;
use crate::output;
use crate::render::workbook::{self, Cell, Column, SheetSpec, WorkbookSpec};
use crate::schema;

/// The programme's portfolio.toml.
pub const PORTFOLIO_TOML: &str = r#"# The sample programme written by `fivecase new --portfolio`.
# ILLUSTRATIVE: the seven forces are real, every figure, score and name of a person is made up.

title = "Eastern Region Seven Force Programme (illustrative)"
programme = "Eastern Region Police Collaboration Programme"
date = 2026-11-23
marking = "OFFICIAL"
display_unit = "£m"
decision_body = "Eastern Region Collaboration Summit"
budget = "budget.xlsx"

[prioritisation]
strategic = [
  { name = "Savings", weight = 2, descriptors = ["none", "under 1% of the forces' budgets", "1-2%", "2-5%", "over 5% of the forces' budgets"] },
  { name = "Service improvement", weight = 1, descriptors = ["none", "marginal", "noticeable in one area", "significant in several areas", "transforms a service"] },
]
practicality = [
  { name = "Deliverability", weight = 1, descriptors = ["not deliverable", "major obstacles", "achievable with effort", "well understood", "ready to start"] },
  { name = "Risk", weight = 1, descriptors = ["very high", "high", "moderate", "low", "very low"] },
]

[[tier]]
name = "Tier 1"
description = "The most significant savings or improvements: the highest priority"
min_strategic = 3.5
min_practicality = 3

[[tier]]
name = "Tier 2"
description = "Significant potential that needs further development"
min_strategic = 2.5
min_practicality = 2

[[case]]
path = "hub"
scores = { "Savings" = 5, "Service improvement" = 3, "Deliverability" = 3, "Risk" = 3 }
rationale = { "Savings" = "About £8m a year across the seven forces once the hub is running", "Service improvement" = "One service for HR, payroll and finance; little change for the public", "Deliverability" = "A national platform exists, but seven forces must move onto it", "Risk" = "Implementation slippage is the main risk and is priced in" }

[[case]]
path = "vetting"
option = "JOINT"
scores = { "Savings" = 3, "Service improvement" = 4, "Deliverability" = 4, "Risk" = 4 }
rationale = { "Savings" = "Modest savings from one joint unit", "Service improvement" = "Vetting backlogs cleared; faster recruitment for every force", "Deliverability" = "The Bedfordshire, Cambridgeshire and Hertfordshire unit is the model", "Risk" = "Staff transfer only; no new system" }
tier_override = "Tier 1"
override_reason = "The Summit treats vetting capacity as a national priority after the 2026 inspection"

[[case]]
path = "forensics"
scores = { "Savings" = 3, "Service improvement" = 4, "Deliverability" = 3, "Risk" = 2 }
rationale = { "Savings" = "Licence and support savings for Essex and Kent", "Service improvement" = "One case management system across both forensic services", "Deliverability" = "Data migration from two systems", "Risk" = "Supplier lock-in and migration risk" }

[[case]]
path = "firearms"
scores = { "Savings" = 2, "Service improvement" = 3, "Deliverability" = 2, "Risk" = 2 }
rationale = { "Savings" = "Little saving: the case is about resilience", "Service improvement" = "Shared ranges and instructors", "Deliverability" = "Needs a new range site", "Risk" = "Planning consent for the range is uncertain" }
"#;

/// A small case of the sample programme.
struct Spec {
    folder: &'static str,
    title: &'static str,
    unit: &'static str,
    /// Money from this many decimal places: `0` for £k whole numbers, `1` for £m to one place.
    places: u32,
    forces: &'static [(&'static str, i64)],
    years: u16,
    option: (&'static str, &'static str, &'static str),
    financing: &'static str,
    /// (line, type, partner or "All", amounts by year from the first).
    costs: &'static [(&'static str, &'static str, &'static str, &'static [i64])],
    savings: &'static [(&'static str, &'static str, &'static [i64])],
    /// (id, description, probability in tenths of a per cent, impact, year).
    risk: (&'static str, &'static str, i64, i64, &'static str),
    summary: &'static str,
}

const VETTING: Spec = Spec {
    folder: "vetting",
    title: "Eastern Region Joint Vetting Unit (illustrative)",
    unit: "£k",
    places: 0,
    forces: &[
        ("Bedfordshire", 78_400),
        ("Cambridgeshire", 95_200),
        ("Essex", 196_800),
        ("Hertfordshire", 135_600),
        ("Kent", 205_300),
        ("Norfolk", 99_700),
        ("Suffolk", 76_900),
    ],
    years: 8,
    option: (
        "JOINT",
        "Joint vetting unit",
        "One vetting unit for the seven forces, hosted by Essex",
    ),
    financing: "Revenue",
    costs: &[
        ("Case management licences", "Capital", "All", &[420]),
        (
            "Joint unit staff",
            "Revenue",
            "All",
            &[1_900, 3_800, 3_800, 3_800, 3_800, 3_800, 3_800, 3_800],
        ),
        ("Kent transition team", "Revenue", "Kent", &[150, 150]),
    ],
    savings: &[(
        "Force vetting teams",
        "All",
        &[1_200, 4_300, 4_600, 4_600, 4_600, 4_600, 4_600, 4_600],
    )],
    risk: (
        "V1",
        "Backlog transfer takes longer than planned",
        400,
        600,
        "2027/28",
    ),
    summary: "One joint vetting unit for the seven forces.",
};

const FORENSICS: Spec = Spec {
    folder: "forensics",
    title: "Essex and Kent Forensic Case Management System (illustrative)",
    unit: "£m",
    places: 2,
    forces: &[("Essex", 19_680), ("Kent", 20_530)],
    years: 10,
    option: (
        "FCMS",
        "Shared case management",
        "One forensic case management system for Essex and Kent",
    ),
    financing: "Borrowing",
    costs: &[
        ("System build and migration", "Capital", "All", &[210, 95]),
        (
            "Licences and support",
            "Revenue",
            "All",
            &[0, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        ),
    ],
    savings: &[
        (
            "Legacy system contracts",
            "All",
            &[0, 45, 95, 95, 95, 95, 95, 95, 95, 95],
        ),
        (
            "Essex duplicate recording",
            "Essex",
            &[0, 10, 20, 20, 20, 20, 20, 20, 20, 20],
        ),
    ],
    risk: (
        "F1",
        "Migration of legacy exhibits data fails testing",
        250,
        80,
        "2027/28",
    ),
    summary: "One forensic case management system shared by Essex and Kent.",
};

const FIREARMS: Spec = Spec {
    folder: "firearms",
    title: "Bedfordshire, Cambridgeshire and Hertfordshire Firearms Training Collaboration (illustrative)",
    unit: "£k",
    places: 0,
    forces: &[
        ("Bedfordshire", 78_400),
        ("Cambridgeshire", 95_200),
        ("Hertfordshire", 135_600),
    ],
    years: 8,
    option: (
        "RANGE",
        "Shared range and instructors",
        "A shared training range and one instructor team",
    ),
    financing: "Reserves",
    costs: &[
        ("Range build", "Capital", "Hertfordshire", &[2_400]),
        (
            "Instructor team",
            "Revenue",
            "All",
            &[0, 900, 900, 900, 900, 900, 900, 900],
        ),
    ],
    savings: &[
        ("Range hire", "All", &[0, 650, 650, 650, 650, 650, 650, 650]),
        (
            "Force instructor posts",
            "All",
            &[0, 400, 520, 520, 520, 520, 520, 520],
        ),
    ],
    risk: (
        "A1",
        "Planning consent for the range is delayed",
        300,
        350,
        "2026/27",
    ),
    summary: "A shared firearms training range and instructor team for three forces.",
};

fn t(text: &str) -> Cell {
    Cell::text(text)
}

fn money(value: i64, places: u32) -> Cell {
    Cell::Money(Decimal::new(value, places))
}

fn years(n: u16) -> Vec<String> {
    (0..n)
        .filter_map(|i| crate::model::FiscalYear::new(2026 + i).ok())
        .map(|y| y.to_string())
        .collect()
}

fn amounts(n: usize, values: &[i64], places: u32) -> Vec<Cell> {
    (0..n)
        .map(|i| values.get(i).map_or(Cell::Blank, |v| money(*v, places)))
        .collect()
}

fn workbook_of(s: &Spec) -> WorkbookSpec {
    let ys = years(s.years);
    let n = ys.len();
    let line_columns = |type_column: &schema::Column| -> Vec<Column> {
        [
            &schema::lines::OPTION,
            &schema::lines::LINE,
            type_column,
            &schema::lines::PARTNER,
        ]
        .iter()
        .map(|c| Column::of(c))
        .chain(ys.iter().map(Column::money))
        .collect()
    };
    let mut spec = WorkbookSpec::new(s.title, s.places);
    spec.sheets = vec![
        SheetSpec {
            name: schema::ASSUMPTIONS.name.into(),
            columns: vec![
                Column::of(&schema::assumptions::NAME),
                Column::of(&schema::assumptions::VALUE),
            ],
            rows: vec![
                vec![t("Base year"), t("2026/27")],
                vec![t("Unit"), t(s.unit)],
                vec![t("Discount rate"), t("Green Book")],
                vec![t("General inflation"), Cell::Percent(Decimal::new(20, 3))],
                vec![t("Pay inflation"), Cell::Percent(Decimal::new(25, 3))],
                vec![t("Apportionment key"), t("Government grant")],
                vec![t("Capital financing"), t(s.financing)],
                vec![t("Borrowing rate"), Cell::Percent(Decimal::new(45, 3))],
                vec![t("Asset life"), Cell::Number(Decimal::from(7))],
            ],
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::PARTNERS.name.into(),
            columns: vec![
                Column::of(&schema::partners::PARTNER),
                Column::of(&schema::partners::GOVERNMENT_GRANT),
            ],
            rows: s
                .forces
                .iter()
                .map(|(name, grant)| vec![t(name), money(*grant, s.places)])
                .collect(),
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::OPTIONS.name.into(),
            columns: vec![
                Column::of(&schema::options::OPTION),
                Column::of(&schema::options::NAME),
                Column::of(&schema::options::DESCRIPTION),
                Column::of(&schema::options::BASELINE),
                Column::of(&schema::options::OB_CAPITAL),
                Column::of(&schema::options::OB_REVENUE),
            ],
            rows: vec![
                vec![
                    t("BAU"),
                    t("Business as usual"),
                    t("Each force carries on alone"),
                    t("Yes"),
                    Cell::Percent(Decimal::ZERO),
                    Cell::Percent(Decimal::ZERO),
                ],
                vec![
                    t(s.option.0),
                    t(s.option.1),
                    t(s.option.2),
                    t("No"),
                    Cell::Percent(Decimal::new(10, 2)),
                    Cell::Percent(Decimal::new(5, 2)),
                ],
            ],
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::COSTS.name.into(),
            columns: line_columns(&schema::lines::COST_TYPE),
            rows: s
                .costs
                .iter()
                .map(|(line, kind, partner, values)| {
                    [t(s.option.0), t(line), t(kind), t(partner)]
                        .into_iter()
                        .chain(amounts(n, values, s.places))
                        .collect()
                })
                .collect(),
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::BENEFITS.name.into(),
            columns: line_columns(&schema::lines::BENEFIT_TYPE),
            rows: s
                .savings
                .iter()
                .map(|(line, partner, values)| {
                    [t(s.option.0), t(line), t("Cashable"), t(partner)]
                        .into_iter()
                        .chain(amounts(n, values, s.places))
                        .collect()
                })
                .collect(),
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::RISKS.name.into(),
            columns: vec![
                Column::of(&schema::risks::RISK),
                Column::of(&schema::risks::DESCRIPTION),
                Column::of(&schema::risks::OPTION),
                Column::of(&schema::risks::PROBABILITY),
                Column::of(&schema::risks::IMPACT),
                Column::of(&schema::risks::YEAR),
            ],
            rows: vec![vec![
                t(s.risk.0),
                t(s.risk.1),
                t(s.option.0),
                Cell::Percent(Decimal::new(s.risk.2, 3)),
                money(s.risk.3, s.places),
                t(s.risk.4),
            ]],
            ..SheetSpec::default()
        },
    ];
    spec
}

fn case_toml(s: &Spec) -> String {
    format!(
        "# A case of the sample programme. ILLUSTRATIVE: every figure is made up.\n\
         title = \"{}\"\n\
         programme = \"Eastern Region Police Collaboration Programme\"\n\
         stage = \"SOC\"\n\
         version = \"0.1\"\n\
         date = 2026-11-02\n\
         marking = \"OFFICIAL\"\n\
         preferred = \"{}\"\n",
        s.title, s.option.0
    )
}

/// The programme budget: each force's medium-term plan, 2026/27 to 2029/30,
/// in £k, the same plans as the business support hub's own Budget sheet
/// (fixtures/generate.rs works them out the same way from each force's
/// grant), with reserves and efficiencies entered as positive reductions.
fn programme_budget() -> WorkbookSpec {
    const FORCES: [(&str, i64, i64); 7] = [
        ("Bedfordshire", 78_400, 112),
        ("Cambridgeshire", 95_200, 96),
        ("Essex", 196_800, 104),
        ("Hertfordshire", 135_600, 88),
        ("Kent", 205_300, 101),
        ("Norfolk", 99_700, 118),
        ("Suffolk", 76_900, 93),
    ];
    // Per mille of grant, by year, and each force's pressure in per cent.
    const LINES: [(&str, [i64; 4]); 6] = [
        ("Base budget gap", [34, 42, 50, 58]),
        ("Use of reserves and one off grant", [12, 10, 7, 4]),
        ("Cash releasing efficiencies", [16, 20, 24, 27]),
        ("Identified risk gap", [5, 7, 8, 9]),
        ("Loss of grant to floors", [4, 7, 9, 11]),
        ("Increase in borrowing", [21, 15, 9, 6]),
    ];
    let ys = years(4);
    let mut rows = Vec::new();
    for (force, grant, pressure) in FORCES {
        for (label, per_mille) in LINES {
            rows.push(
                [t(force), t(label)]
                    .into_iter()
                    .chain(
                        per_mille
                            .iter()
                            .map(|p| money((grant * p * pressure + 50_000) / 100_000, 0)),
                    )
                    .collect(),
            );
        }
    }
    let mut spec = WorkbookSpec::new("Eastern Region programme budget (illustrative)", 0);
    spec.sheets = vec![
        SheetSpec {
            name: schema::ASSUMPTIONS.name.into(),
            columns: vec![
                Column::of(&schema::assumptions::NAME),
                Column::of(&schema::assumptions::VALUE),
            ],
            rows: vec![vec![t("Unit"), t("£k")]],
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::BUDGET.name.into(),
            columns: [&schema::budget::PARTNER, &schema::budget::LINE]
                .iter()
                .map(|c| Column::of(c))
                .chain(ys.iter().map(Column::money))
                .collect(),
            rows,
            ..SheetSpec::default()
        },
    ];
    spec
}

/// Every file of the sample programme: its path under the programme folder and its bytes.
///
/// # Errors
/// When the workbook writer refuses a sheet (a bug in the data above).
pub fn files() -> Result<Vec<(String, Vec<u8>)>, workbook::WorkbookError> {
    let mut out = vec![
        (
            "portfolio.toml".to_string(),
            PORTFOLIO_TOML.as_bytes().to_vec(),
        ),
        (
            "budget.xlsx".to_string(),
            workbook::write(&programme_budget())?,
        ),
    ];
    for f in crate::sample::FILES {
        out.push((format!("hub/{}", f.path), f.bytes.to_vec()));
    }
    for s in [&VETTING, &FORENSICS, &FIREARMS] {
        out.push((format!("{}/case.toml", s.folder), case_toml(s).into_bytes()));
        out.push((
            format!("{}/workbook.xlsx", s.folder),
            workbook::write(&workbook_of(s))?,
        ));
        for part in NarrativePart::ALL {
            let text = format!(
                "{} (Illustrative: this part of the narrative is a placeholder in the sample programme.)\n",
                s.summary
            );
            out.push((
                format!("{}/narrative/{}", s.folder, part.file_name()),
                text.into_bytes(),
            ));
        }
    }
    Ok(out)
}

/// Writes the sample programme into `dir` (created if missing), each file
/// through [`output::write_atomic`], and returns the paths written.
///
/// # Errors
/// The path that could not be created or written, with the reason.
pub fn write_to(dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, io::Error)> {
    let files = files().map_err(|e| (dir.to_path_buf(), io::Error::other(e.to_string())))?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = name
            .split('/')
            .fold(dir.to_path_buf(), |p, part| p.join(part));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
        }
        output::write_atomic(&path, &bytes).map_err(|e| (path.clone(), e))?;
        written.push(path);
    }
    Ok(written)
}

/// A synthetic programme for benchmarks and tests: `cases` small cases in
/// £k over ten years, each involving a different run of between 2 and all
/// of `forces` forces (`Force 01`, `Force 02`, …), with a portfolio.toml
/// listing them all with scores against two tiers. Deterministic.
///
/// # Errors
/// The path that could not be created or written, with the reason.
pub fn write_synthetic(
    dir: &Path,
    cases: usize,
    forces: usize,
) -> Result<(), (PathBuf, io::Error)> {
    let names: Vec<String> = (1..=forces.max(2))
        .map(|i| format!("Force {i:02}"))
        .collect();
    let mut toml = String::from(
        "title = \"Synthetic programme\"\ndate = 2026-11-23\ndisplay_unit = \"£m\"\n\n[prioritisation]\nstrategic = [{ name = \"Savings\", weight = 2, descriptors = [\"1\", \"2\", \"3\", \"4\", \"5\"] }]\npracticality = [{ name = \"Deliverability\", weight = 1, descriptors = [\"1\", \"2\", \"3\", \"4\", \"5\"] }]\n\n[[tier]]\nname = \"Tier 1\"\nmin_strategic = 3.5\nmin_practicality = 3\n\n[[tier]]\nname = \"Tier 2\"\nmin_strategic = 2.5\nmin_practicality = 2\n",
    );
    let write = |path: PathBuf, bytes: &[u8]| -> Result<(), (PathBuf, io::Error)> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
        }
        output::write_atomic(&path, bytes).map_err(|e| (path.clone(), e))
    };
    for i in 0..cases {
        let folder = format!("case-{i:04}");
        let n = 2 + (i * 7) % (names.len() - 1);
        let start = (i * 5) % names.len();
        let involved: Vec<&str> = (0..n)
            .map(|k| names[(start + k) % names.len()].as_str())
            .collect();
        let spec = synthetic_workbook(&folder, &involved, i);
        let bytes = workbook::write(&spec)
            .map_err(|e| (dir.join(&folder), io::Error::other(e.to_string())))?;
        write(dir.join(&folder).join("workbook.xlsx"), &bytes)?;
        let case_toml = format!(
            "title = \"Synthetic case {i}\"\nstage = \"SOC\"\ndate = 2026-11-02\npreferred = \"DO\"\n"
        );
        write(dir.join(&folder).join("case.toml"), case_toml.as_bytes())?;
        for part in NarrativePart::ALL {
            write(
                dir.join(&folder).join("narrative").join(part.file_name()),
                b"Synthetic.\n",
            )?;
        }
        let _ = write!(
            toml,
            "\n[[case]]\npath = \"{folder}\"\nscores = {{ \"Savings\" = {}, \"Deliverability\" = {} }}\nrationale = {{ \"Savings\" = \"s\", \"Deliverability\" = \"d\" }}\n",
            1 + i % 5,
            1 + (i / 5) % 5
        );
    }
    write(dir.join("portfolio.toml"), toml.as_bytes())
}

fn synthetic_workbook(title: &str, forces: &[&str], seed: usize) -> WorkbookSpec {
    let ys = years(10);
    let k = i64::try_from(seed % 97).unwrap_or(0);
    let line_columns = |type_column: &schema::Column| -> Vec<Column> {
        [
            &schema::lines::OPTION,
            &schema::lines::LINE,
            type_column,
            &schema::lines::PARTNER,
        ]
        .iter()
        .map(|c| Column::of(c))
        .chain(ys.iter().map(Column::money))
        .collect()
    };
    let flat = |v: i64| -> Vec<Cell> { (0..ys.len()).map(|_| money(v, 0)).collect() };
    let mut spec = WorkbookSpec::new(title, 0);
    spec.sheets = vec![
        SheetSpec {
            name: schema::ASSUMPTIONS.name.into(),
            columns: vec![
                Column::of(&schema::assumptions::NAME),
                Column::of(&schema::assumptions::VALUE),
            ],
            rows: vec![
                vec![t("Base year"), t("2026/27")],
                vec![t("Unit"), t("£k")],
                vec![t("General inflation"), Cell::Percent(Decimal::new(20, 3))],
                vec![t("Capital financing"), t("Borrowing")],
                vec![t("Borrowing rate"), Cell::Percent(Decimal::new(45, 3))],
            ],
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::PARTNERS.name.into(),
            columns: vec![
                Column::of(&schema::partners::PARTNER),
                Column::of(&schema::partners::GOVERNMENT_GRANT),
            ],
            rows: forces
                .iter()
                .zip(1_i64..)
                .map(|(f, j)| vec![t(f), money(50_000 + 7_919 * j, 0)])
                .collect(),
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::OPTIONS.name.into(),
            columns: vec![
                Column::of(&schema::options::OPTION),
                Column::of(&schema::options::NAME),
                Column::of(&schema::options::BASELINE),
            ],
            rows: vec![
                vec![t("BAU"), t("Business as usual"), t("Yes")],
                vec![t("DO"), t("Collaborate"), t("No")],
            ],
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::COSTS.name.into(),
            columns: line_columns(&schema::lines::COST_TYPE),
            rows: vec![
                [t("DO"), t("Set-up"), t("Capital"), t("All")]
                    .into_iter()
                    .chain(amounts(ys.len(), &[900 + 10 * k], 0))
                    .collect(),
                [t("DO"), t("Running"), t("Revenue"), t("All")]
                    .into_iter()
                    .chain(flat(300 + k))
                    .collect(),
                [t("DO"), t("Local change"), t("Revenue"), t(forces[0])]
                    .into_iter()
                    .chain(amounts(ys.len(), &[40, 40], 0))
                    .collect(),
            ],
            ..SheetSpec::default()
        },
        SheetSpec {
            name: schema::BENEFITS.name.into(),
            columns: line_columns(&schema::lines::BENEFIT_TYPE),
            rows: vec![
                [t("DO"), t("Posts"), t("Cashable"), t("All")]
                    .into_iter()
                    .chain(flat(420 + 2 * k))
                    .collect(),
            ],
            ..SheetSpec::default()
        },
    ];
    spec
}
