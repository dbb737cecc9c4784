//! Hostile numbers end to end, in process: every numeric cell kind of a
//! valid workbook and every number key of case.toml, fed magnitudes at and
//! beyond every edge exact decimals have (±1e27, 7.9e28, 1e-28, the largest
//! and smallest decimals, any finite f64, `nan` and `inf` in case.toml),
//! through ingest, the engine, the document, the terminal tables, JSON, the
//! model workbook and, for at most [`MAX_TYPESET`] cases over the whole run,
//! the typeset PDF.
//!
//! The property: ingest refuses with every error located (`FILE: Sheet!Cell`
//! or `case.toml:LINE:COL`), or every stage after it answers with a result or
//! an error that names what failed; nothing panics.
//!
//! The cells and keys come from their declarations, not from a list here:
//! the workbook's from [`fivecase::schema`] (every column and Assumptions row
//! whose kind holds a number), case.toml's from
//! [`fivecase::ingest::casefile`] (every key that holds a number, in every
//! table). A new numeric column or key is covered without editing this file.
//!
//! The tests share one check of everything after ingest ([`downstream`]): a
//! sweep puts each named edge into each cell and key in turn (so every one
//! is reached on every run); a property test combines several hostile values
//! at once; a second one builds cases in code with values ingest would
//! refuse (up to the largest decimal), to hold the engine's own defence; and
//! one case at every bound at once computes. The property tests run
//! `FIVECASE_PROPTEST_CASES` cases each (default 128); set it higher for a
//! longer hunt: `FIVECASE_PROPTEST_CASES=2000 cargo test --test it hostile`.
//! A failing case is saved under proptest-regressions/ and replayed first.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use fivecase::compute::synthetic::CaseBuilder;
use fivecase::diag::{Diagnostics, Location};
use fivecase::ingest::casefile::{self, Holds, Key};
use fivecase::model::{
    BenefitKind, CostKind, DiscountRate, FiscalYear, Inflation, ScenarioSpec, Unit,
};
use fivecase::schema::{self, Kind};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::support::{Book, C, temp_dir, valid};

/// PDFs typeset over the whole run, at most: typst in a debug build takes
/// about a second each.
const MAX_TYPESET: usize = 16;
static TYPESET: AtomicUsize = AtomicUsize::new(0);

/// The property test's cases when `FIVECASE_PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 128;

/// Whether a cell of this kind holds a number (years included: a year typed
/// as a number is a number). Exhaustive, so a new kind needs a decision here.
fn numeric(kind: Kind) -> bool {
    match kind {
        Kind::Money
        | Kind::Fraction(_)
        | Kind::RateOrCategory
        | Kind::KeyColumns
        | Kind::Years
        | Kind::Year
        // A date or a share typed as a number is a number too.
        | Kind::Date
        | Kind::Allocation => true,
        Kind::Text
        | Kind::Id
        | Kind::OptionRef
        | Kind::PartnerRef { .. }
        | Kind::Choice(_)
        | Kind::Assessments => false,
    }
}

/// One place a hostile number can go.
#[derive(Debug, Clone)]
enum Slot {
    /// A workbook cell (zero-based row and column), with what it is.
    Cell {
        sheet: &'static str,
        row: usize,
        col: usize,
        what: String,
    },
    /// A case.toml key: its path of table names and the key.
    Toml {
        path: Vec<&'static str>,
        holds: Holds,
    },
}

/// The text of a cell, if it holds text.
fn text(cell: Option<&C>) -> &str {
    match cell {
        Some(C::Text(t)) => t,
        _ => "",
    }
}

/// The valid workbook with every declared numeric column present (an
/// optional one it lacks is inserted before the year columns, blank), and
/// every cell of a numeric kind in it.
fn workbook_slots() -> (Book, Vec<Slot>) {
    let mut book = crate::support::with_content(valid());
    let mut slots = Vec::new();
    for sheet in schema::SHEETS {
        let Some((_, rows)) = book
            .sheets
            .iter_mut()
            .find(|(n, _)| fivecase::names::same(n, sheet.name))
        else {
            panic!(
                "the valid workbook has no {} sheet: add it to support::valid",
                sheet.name
            );
        };
        let key = sheet.key();
        let Some(header) = rows.iter().position(|r| key.matches(text(r.first()))) else {
            panic!("{}: no header row in support::valid", sheet.name);
        };
        if !sheet.rows.is_empty() {
            // A Name/Value sheet: each numeric row's value.
            for declared in sheet.rows.iter().filter(|r| numeric(r.kind)) {
                let at = rows
                    .iter()
                    .position(|r| fivecase::names::same(text(r.first()), declared.name))
                    .unwrap_or_else(|| {
                        rows.push(vec![C::Text(declared.name.into()), C::Empty]);
                        rows.len() - 1
                    });
                slots.push(Slot::Cell {
                    sheet: sheet.name,
                    row: at,
                    col: 1,
                    what: declared.name.into(),
                });
            }
            continue;
        }
        // A table: insert each declared numeric column it lacks before the
        // first header no declared column names (the years, the keys).
        for column in sheet.columns.iter().filter(|c| numeric(c.kind)) {
            if matches!(column.kind, Kind::Years | Kind::KeyColumns) {
                continue;
            }
            if rows[header].iter().any(|h| column.matches(text(Some(h)))) {
                continue;
            }
            let at = rows[header]
                .iter()
                .position(|h| sheet.column(text(Some(h))).is_none())
                .unwrap_or(rows[header].len());
            for row in rows.iter_mut().skip(header) {
                if row.len() >= at {
                    row.insert(at, C::Empty);
                }
            }
            rows[header][at] = C::Text(column.header.into());
        }
        let undeclared = sheet
            .columns
            .iter()
            .find(|c| matches!(c.kind, Kind::Years | Kind::KeyColumns));
        for (col, head) in rows[header].iter().enumerate() {
            let name = text(Some(head));
            let kind = match sheet.column(name) {
                Some(c) => Some(c.kind),
                None => undeclared.map(|c| c.kind),
            };
            if !kind.is_some_and(numeric) {
                continue;
            }
            for (row, cells) in rows.iter().enumerate().skip(header + 1) {
                let id = text(cells.first());
                if id.is_empty() {
                    continue;
                }
                slots.push(Slot::Cell {
                    sheet: sheet.name,
                    row,
                    col,
                    what: format!("{name} of {id}"),
                });
            }
        }
    }
    (book, slots)
}

/// Every case.toml key that holds a number, in every table, with its path.
fn toml_slots() -> Vec<Slot> {
    fn walk(keys: &'static [Key], path: &[&'static str], out: &mut Vec<Slot>) {
        for key in keys {
            let mut here = path.to_vec();
            here.push(key.name);
            match key.holds {
                Holds::Number | Holds::Whole | Holds::Numbers => out.push(Slot::Toml {
                    path: here,
                    holds: key.holds,
                }),
                Holds::Tables(inner) | Holds::PerOption(inner) | Holds::Table(inner) => {
                    walk(inner, &here, out);
                }
                Holds::Text | Holds::Date | Holds::Names | Holds::Flag => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(casefile::TOP_KEYS, &[], &mut out);
    out
}

/// A hostile number as a workbook cell holds it: a number, or text.
#[derive(Debug, Clone)]
enum Hostile {
    Number(f64),
    Text(String),
}

impl Hostile {
    /// As a cell.
    fn cell(&self) -> C {
        match self {
            Hostile::Number(f) => C::Num(*f),
            Hostile::Text(t) => C::Text(t.clone()),
        }
    }

    /// As a case.toml value: a float, an integer when it is whole, text in quotes.
    fn toml(&self) -> String {
        match self {
            Hostile::Number(f) if f.is_nan() => "nan".into(),
            Hostile::Number(f) if f.is_infinite() => if *f > 0.0 { "inf" } else { "-inf" }.into(),
            Hostile::Number(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => format!("{f:.0}"),
            Hostile::Number(f) => format!("{f:e}"),
            Hostile::Text(t) => format!("{t:?}"),
        }
    }
}

/// The edges every slot meets in the sweep.
const EDGES: &[f64] = &[-1e27, 1e27, 7.9e28, 1e-28];

/// Magnitudes at and around every edge exact decimals and fivecase's bounds have.
fn hostile() -> impl Strategy<Value = Hostile> {
    let text = |s: &'static str| Just(Hostile::Text(s.to_string()));
    prop_oneof![
        // At the edges of the bounds, within them: these reach the engine.
        4 => proptest::sample::select(vec![
            0.0, -0.0, 1e-28, -1e-28, 1e-10, 0.1, -0.1, 0.2, 0.5, 1.0, 5.0,
            999_999_999_999_999.0, -999_999_999_999_999.0, 123_456_789.123_456_79, 2025.0, 200.0,
        ])
        .prop_map(Hostile::Number),
        // Beyond them, and beyond exact decimals.
        2 => proptest::sample::select(vec![
            -1e27, 1e27, -7.93e26, 9.99e27, 7.9e28, -7.9e28, 1e-29, 1e15, -1.0, 5.000_001,
            201.0, f64::MAX, f64::MIN, f64::MIN_POSITIVE, 5e-324, f64::NAN, f64::INFINITY,
            f64::NEG_INFINITY,
        ])
        .prop_map(Hostile::Number),
        1 => prop_oneof![
            text("1e27%"),
            text("-1e27%"),
            text("7.9e28"),
            text("1e-28"),
            text("79228162514264337593543950335"),
            text("79228162514264337593543950336"),
            text("-79228162514264337593543950336"),
            text("0.0000000000000000000000000001"),
            text("0.00000000000000000000000000001"),
            text("500%"),
            text("500.0001%"),
            text("-0%"),
            text("1e-28%"),
            text("1000000000000000000000000000"),
            text("-1000000000000000000000000000%"),
            text("79,228,162,514,264,337,593,543,950,335"),
            text("(79228162514264337593543950335)"),
            text("(-79228162514264337593543950335%)"),
            text("£-0.0000000000000000000000000001"),
            text("999,999,999,999,999.99"),
            text("0.00000000000000000000000000000000000001%"),
        ],
        1 => any::<f64>().prop_map(Hostile::Number),
        1 => (-1e30..1e30_f64).prop_map(Hostile::Number),
        2 => (-2.0..6.0_f64).prop_map(Hostile::Number),
    ]
}

/// case.toml with `values` at their keys: a scenario (named, so that its
/// keys are read) for scenario keys, one option for per-option keys, the
/// top level for the rest. Keys of other array tables get a table of their own.
fn case_toml(values: &[(&[&'static str], Holds, &Hostile)]) -> String {
    let mut top = String::from("title = \"Hostile\"\ndate = 2026-11-20\n");
    let mut tables: Vec<(&'static str, String)> = Vec::new();
    let mut per_option: Vec<(&'static str, &'static str, String)> = Vec::new();
    for (path, holds, value) in values {
        let v = match holds {
            Holds::Numbers => format!("[{}]", value.toml()),
            _ => value.toml(),
        };
        match path {
            [key] => {
                if !top.contains(&format!("\n{key} =")) {
                    let _ = writeln!(top, "{key} = {v}");
                }
            }
            [table, key] => {
                let body = table_body(&mut tables, table);
                if !body.contains(&format!("\n{key} =")) {
                    let _ = writeln!(body, "{key} = {v}");
                }
            }
            [table, map, key] => per_option.push((table, map, format!("{key} = {v}"))),
            _ => panic!("a case.toml key nested deeper than this test writes: {path:?}"),
        }
    }
    for (table, map, _) in &per_option {
        let body = table_body(&mut tables, table);
        if !body.contains(&format!("\n{map} =")) {
            let entries: Vec<&str> = per_option
                .iter()
                .filter(|(t, m, _)| t == table && m == map)
                .map(|(_, _, e)| e.as_str())
                .collect();
            let _ = writeln!(body, "{map} = {{ OPT1 = {{ {} }} }}", entries.join(", "));
        }
    }
    for (table, body) in tables {
        // A table that is known by its name (`[[scenario]]`) gets one.
        let named = casefile::TOP_KEYS.iter().any(|k| {
            k.name == table
                && matches!(k.holds, Holds::Tables(keys) if keys.iter().any(|k| k.name == "name"))
        });
        let name = if named { "name = \"Edge\"\n" } else { "" };
        // A single table (`[risk_analysis]`) in single brackets.
        let single = casefile::TOP_KEYS
            .iter()
            .any(|k| k.name == table && matches!(k.holds, Holds::Table(_)));
        if single {
            let _ = write!(top, "\n[{table}]\n{body}");
        } else {
            let _ = write!(top, "\n[[{table}]]\n{name}{body}");
        }
    }
    top
}

/// The body of `[[table]]`, added empty when it is not there yet.
fn table_body<'t>(
    tables: &'t mut Vec<(&'static str, String)>,
    table: &'static str,
) -> &'t mut String {
    let i = tables
        .iter()
        .position(|(t, _)| *t == table)
        .unwrap_or_else(|| {
            tables.push((table, String::new()));
            tables.len() - 1
        });
    &mut tables[i].1
}

/// Every error of a refused case is located: at a cell (or sheet) of the
/// workbook, or at a line of case.toml.
fn assert_located(diags: &Diagnostics, input: &str) {
    for d in diags.errors() {
        assert!(
            !matches!(d.location, Location::File),
            "{input}: an error not located at a cell or line: {d}"
        );
        assert!(!d.message.is_empty(), "{input}: an empty message: {d:?}");
    }
}

/// The property for one case: `picks` put into the valid workbook and case.toml.
fn check(book: &Book, slots: &[Slot], picks: &[(usize, Hostile)], typeset: bool) {
    let mut book = book.clone();
    let mut toml = Vec::new();
    for (slot, value) in picks {
        match &slots[*slot] {
            Slot::Cell {
                sheet, row, col, ..
            } => {
                let (_, rows) = book
                    .sheets
                    .iter_mut()
                    .find(|(n, _)| n == sheet)
                    .expect("the sheet the slot was found on");
                let row = &mut rows[*row];
                while row.len() <= *col {
                    row.push(C::Empty);
                }
                // xlsx cannot hold nan or infinity: such a cell stays as it was.
                if !matches!(value, Hostile::Number(f) if !f.is_finite()) {
                    row[*col] = value.cell();
                }
            }
            Slot::Toml { path, holds } => toml.push((path.as_slice(), *holds, value)),
        }
    }
    let described: Vec<String> = picks
        .iter()
        .map(|(slot, value)| match &slots[*slot] {
            Slot::Cell { sheet, what, .. } => format!("{sheet} {what} = {value:?}"),
            Slot::Toml { path, .. } => format!("case.toml {} = {value:?}", path.join(".")),
        })
        .collect();
    let input = described.join("; ");

    let dir = temp_dir("hostile");
    book.write(&dir.join("workbook.xlsx"));
    std::fs::write(dir.join("case.toml"), case_toml(&toml)).expect("case.toml written");
    let loaded = fivecase::ingest::load(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(diags) => {
            assert!(diags.has_errors(), "{input}: refused without an error");
            assert_located(&diags, &input);
            return;
        }
    };
    downstream(&loaded.case, &input, typeset);
}

/// Every stage after ingest on an accepted case: the engine answers with
/// results or an error naming the scenario; the document, terminal tables,
/// JSON and model workbook are built from the results; the PDF is typeset
/// when `typeset` and fewer than [`MAX_TYPESET`] have been.
fn downstream(case: &fivecase::model::Case, input: &str, typeset: bool) {
    let computed = match fivecase::compute::run_case(case) {
        Ok(computed) => computed,
        Err(e) => {
            // The scenario and key, or the quantity that overflowed, after
            // the scenario's name when a scenario was being run (the case as
            // it stands is named by the command, as no scenario).
            let message = e.to_string();
            match &e {
                fivecase::compute::scenario::RunError::Compute(None, _) => assert!(
                    !message.starts_with("scenario ")
                        && (message.contains(" too large to compute exactly ")
                            || message.contains("apportionment key totals zero")),
                    "{input}: {message}"
                ),
                _ => assert!(message.starts_with("scenario \""), "{input}: {message}"),
            }
            return;
        }
    };
    let results = computed.results();
    let _ = fivecase::render::terminal::render(case, results);
    let _ = fivecase::render::terminal::scenarios(&computed.base, &computed.scenarios);
    let _ = fivecase::render::json::render(case, results);
    let _ = fivecase::render::json::scenarios(&computed.base, &computed.scenarios);
    let date = NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date");
    let scenarios = (!case.meta.scenarios.is_empty()).then(|| (&computed).into());
    let doc = fivecase::document::build(case, results, scenarios, date);
    if let Err(e) = fivecase::render::xlsx::model_workbook(case, results, &computed.scenarios) {
        assert!(!e.to_string().is_empty(), "{input}: {e:?}");
    }
    if typeset && TYPESET.fetch_add(1, Ordering::Relaxed) < MAX_TYPESET {
        let meta = fivecase::render::pdf::pdf_meta(case, date);
        // The document of a case the engine computed is one typst can set.
        if let Err(e) = fivecase::render::pdf::render(&doc, &meta) {
            panic!("{input}: {e}");
        }
    }
}

fn all_slots() -> (Book, Vec<Slot>) {
    let (book, mut slots) = workbook_slots();
    slots.extend(toml_slots());
    (book, slots)
}

/// Each named edge in each numeric cell and key, one at a time.
#[test]
fn every_edge_in_every_numeric_cell_and_key_is_refused_at_its_place_or_computed() {
    let (book, slots) = all_slots();
    let cells = slots
        .iter()
        .filter(|s| matches!(s, Slot::Cell { .. }))
        .count();
    // Guards the derivation: the valid workbook has numbers on every sheet
    // but Budget's years and Risks', and case.toml scenarios have seven.
    assert!(cells >= 30, "only {cells} numeric cells found");
    assert!(slots.len() - cells >= 10, "{slots:?}");
    for slot in 0..slots.len() {
        for (i, edge) in EDGES.iter().enumerate() {
            // Typesets a few of the cases most likely to compute: 1e-28 in every eighth slot.
            let typeset = i == EDGES.len() - 1 && slot % 8 == 0;
            check(&book, &slots, &[(slot, Hostile::Number(*edge))], typeset);
        }
    }
}

/// `FIVECASE_PROPTEST_CASES` cases (default [`DEFAULT_CASES`]); failing
/// seeds are kept in proptest-regressions/it/hostile.txt and replayed first.
fn config() -> ProptestConfig {
    let cases = std::env::var("FIVECASE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "proptest-regressions/it/hostile.txt",
            ),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]
    /// Several hostile values at once, anywhere a number goes.
    #[test]
    fn hostile_numbers_anywhere_are_refused_at_their_place_or_computed(
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), hostile()), 1..4)
    ) {
        let (book, slots) = all_slots();
        let picks: Vec<(usize, Hostile)> = picks
            .into_iter()
            .map(|(i, v)| (i.index(slots.len()), v))
            .collect();
        check(&book, &slots, &picks, true);
    }
}

/// The cells and keys found, by name: the derivation from the schema and
/// case.toml's declarations reaches what the documentation lists.
#[test]
fn the_slots_cover_every_numeric_kind_and_key() {
    let (_, slots) = all_slots();
    let names: Vec<String> = slots
        .iter()
        .map(|s| match s {
            Slot::Cell { sheet, what, .. } => format!("{sheet}: {what}"),
            Slot::Toml { path, .. } => format!("case.toml: {}", path.join(".")),
        })
        .collect();
    for expected in [
        "Assumptions: Discount rate",
        "Assumptions: General inflation",
        "Assumptions: Pay inflation",
        "Assumptions: Base year",
        "Partners: Government grant of Essex",
        "Partners: Population of Suffolk",
        "Options: Optimism bias capital of OPT1",
        "Options: Optimism bias mitigation of OPT1",
        "Costs: 2027/28 of OPT1",
        "Benefits: 2025/26 of OPT1",
        "Budget: 2026/27 of Region",
        "Risks: Probability of R1",
        "Risks: Impact of R1",
        "Risks: Year of R1",
        "case.toml: display_decimals",
        "case.toml: sensitivity",
        "case.toml: scenario.discount_rate",
        "case.toml: scenario.savings_delay_years",
        "case.toml: scenario.optimism_bias.capital",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:#?}"
        );
    }
}

/// The largest values the bounds allow, together, compute without overflow.
#[test]
fn a_case_at_every_bound_computes() {
    let mut book = valid()
        .set("Assumptions", 5, 1, "10%")
        .set("Assumptions", 6, 1, "10%")
        .set("Options", 2, 4, "500%")
        .set("Options", 2, 5, "500%")
        .set("Risks", 1, 3, "1")
        .set("Risks", 1, 4, "999999999999999");
    // 120 appraisal years: 10% compounds to about 94,000, within the index bound.
    for (sheet, rows) in [("Costs", 3), ("Benefits", 2)] {
        for i in 0..120_u16 {
            let year = format!("{}/{:02}", 2025 + i, (26 + i) % 100);
            book = book.set(sheet, 0, 4 + usize::from(i), &year);
            for row in 1..=rows {
                book = book.set(sheet, row, 4 + usize::from(i), "999999999999999");
            }
        }
    }
    book = book.set("Benefits", 1, 4, "0");
    let mut loaded = load_book(&book).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    let results = fivecase::compute::compute(&loaded.case);
    assert!(results.is_ok(), "{results:?}");
    loaded
        .case
        .meta
        .scenarios
        .push(fivecase::model::ScenarioSpec {
            name: "Overrun".into(),
            cost_overrun: Some(rust_decimal::Decimal::from(5)),
            ..fivecase::model::ScenarioSpec::default()
        });
    let computed = fivecase::compute::run_case(&loaded.case);
    assert!(computed.is_ok(), "{:?}", computed.err());
    downstream(&loaded.case, "every bound", false);
}

fn load_book(book: &Book) -> Result<fivecase::ingest::Loaded, Diagnostics> {
    let dir = temp_dir("bounds");
    let path = dir.join("wb.xlsx");
    book.write(&path);
    let loaded = fivecase::ingest::load(&path);
    let _ = std::fs::remove_dir_all(&dir);
    loaded
}

// ---- Beyond the bounds ingest enforces: the engine's own defence. ----

/// Amounts from everyday to the edges of exact decimals: ±1e27, 7.9e28,
/// 1e-28, −7.93e26, 9.99e27, the largest and smallest decimals, and any
/// mantissa at any scale.
fn edge_decimal() -> impl Strategy<Value = Decimal> {
    let sci = |s: &str| Decimal::from_scientific(s).unwrap_or_default();
    prop_oneof![
        1 => Just(sci("1e27")),
        1 => Just(sci("-1e27")),
        1 => Just(sci("7.9e28")),
        1 => Just(sci("1e-28")),
        1 => Just(sci("-7.93e26")),
        1 => Just(sci("9.99e27")),
        1 => Just(Decimal::MAX),
        1 => Just(Decimal::MIN),
        90 => (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => (any::<i64>(), any::<u32>(), 0u32..=28).prop_map(|(lo, hi, scale)| {
            Decimal::from_i128_with_scale(i128::from(lo) * i128::from(hi), scale)
        }),
    ]
}

/// Rates and fractions: mostly everyday (−0.99 to 5), sometimes any edge amount.
fn edge_rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        16 => (-99i64..=500).prop_map(|m| Decimal::new(m, 2)),
        1 => edge_decimal(),
    ]
}

proptest! {
    #![proptest_config(config())]
    /// A case built in code, with amounts, rates, keys and scenario values
    /// that ingest would refuse: the engine answers with an error naming what
    /// overflowed, or with results every output is built from; nothing panics.
    #[test]
    fn a_case_beyond_the_bounds_is_computed_or_refused_by_the_engine(
        amounts in proptest::collection::vec(edge_decimal(), 9),
        rate in edge_rate(),
        inflation in edge_rate(),
        ob in edge_rate(),
        key in edge_decimal(),
        probability in edge_rate(),
        overrun in -50i64..=500,
        scenario_rate in edge_rate(),
    ) {
        let base = FiscalYear::new(2025).expect("a fiscal year");
        let mut case = CaseBuilder::new(base, 3, Unit::Millions)
            .discount_rate(DiscountRate::Fixed(rate))
            .inflation(inflation, inflation)
            .partner("A", &[key.abs()])
            .partner("B", &[Decimal::ONE])
            .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
            .option("OPT1", false, ob, ob)
            .cost(0, CostKind::Revenue, None, Inflation::General, &amounts[6..])
            .cost(1, CostKind::Capital, None, Inflation::General, &amounts[..3])
            .cost(1, CostKind::Revenue, Some(0), Inflation::Pay, &amounts[3..6])
            .benefit(1, BenefitKind::Cashable, None, &amounts[1..4])
            .benefit(1, BenefitKind::NonCashable, Some(1), &amounts[2..5])
            .risk(1, probability, amounts[0], 2)
            .build();
        case.meta.scenarios = vec![ScenarioSpec {
            name: "edge".into(),
            cost_overrun: Some(Decimal::new(overrun, 2)),
            savings_realisation: Some(Decimal::new(5, 1)),
            discount_rate: Some(DiscountRate::Fixed(scenario_rate)),
            ..ScenarioSpec::default()
        }];
        let input = format!(
            "amounts {amounts:?}, rate {rate}, inflation {inflation}, optimism bias {ob}, \
             key {key}, probability {probability}, overrun {overrun}%, scenario rate {scenario_rate}"
        );
        downstream(&case, &input, true);
    }
}

/// The declarations the slots come from are the parser's: every key declared
/// to hold a number refuses a word, at its own line, naming itself.
#[test]
fn every_key_declared_numeric_is_read_as_a_number() {
    for slot in toml_slots() {
        let Slot::Toml { path, holds } = &slot else {
            continue;
        };
        let word = Hostile::Text("many".into());
        let text = case_toml(&[(path.as_slice(), *holds, &word)]);
        let (_, diags) = casefile::parse("case.toml", &text, "Hostile")
            .unwrap_or_else(|d| panic!("{text}: {:?}", d.sorted()));
        let key = path.last().expect("a key");
        let found = diags.errors().any(|d| {
            d.message.contains(&format!("`{key}`")) && matches!(d.location, Location::Text { .. })
        });
        assert!(found, "{text}: {:?}", diags.sorted());
    }
}
