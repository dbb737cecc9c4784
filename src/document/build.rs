//! Building the [`Document`] from the case, its results, the scenarios'
//! outcomes and the narrative: every section, in order, and every word and
//! figure in it, already formatted.
//!
//! No arithmetic on money happens here: every total and difference printed
//! comes from the engine ([`Results::workings`](crate::compute::Results::workings)),
//! and the scenarios' figures from the outcomes the caller computed, each
//! one's change from the base case from
//! [`difference`](crate::compute::scenario::difference). The only checks of
//! the figures are of how they print: whether rounded figures foot, which
//! decides a rounding note.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::markdown::{self, Inline};
use super::{
    Align, Bar, Block, Cell, CellRole, Chart, Column, ColumnKind, Definition, Document, Figure,
    Meta, Part, ProfilePoint, Row, RowRole, Section, Table, TitlePage, TornadoLine, Width,
};
use crate::compute::FlowTotals;
use crate::compute::scenario::{self, Outcome};
use crate::compute::{
    Computed, Flows, GapLine, GapTable, OptionAppraisal, PartnerGap, ProfileYear, Results,
    ValueForMoney,
};
use crate::format::{self, money, percent};
use crate::model::{
    BenefitKind, BudgetLine, Case, CellRange, CostKind, DiscountRate, FiscalYear, NarrativePart,
    ObCategory, ObOrigin, OptionId, PartnerId, SheetSource, Stage, Unit,
};
use crate::params;

/// Year columns that read comfortably at a text width: a table of more is marked wide.
const COMFORTABLE_YEARS: usize = 6;
/// Scenarios (two columns each) a table of partners' net positions holds.
const SCENARIOS_PER_TABLE: usize = 5;
/// Lines a tornado chart shows at most (the table beside it lists more).
const TORNADO_LINES: usize = 12;
/// What a part the SRO has not written yet shows.
const TO_BE_COMPLETED: &str = "[to be completed]";

mod content;
mod figures;
mod risk;
mod summary;

pub use figures::{
    Entry, Kind, NarrativeProblem, VOCABULARY, narrative_problems, vocabulary_table,
};

/// The base case and the scenarios of case.toml, as the engine computed them.
#[derive(Debug, Clone, Copy)]
pub struct Scenarios<'a> {
    /// The case as it stands.
    pub base: &'a Outcome,
    /// Each scenario, in case.toml's order.
    pub each: &'a [Outcome],
}

impl<'a> From<&'a Computed> for Scenarios<'a> {
    /// The base case and scenarios as the engine's one run gives them.
    fn from(computed: &'a Computed) -> Self {
        Self {
            base: &computed.base,
            each: &computed.scenarios,
        }
    }
}

impl<'a> From<&'a (Outcome, Vec<Outcome>)> for Scenarios<'a> {
    /// The base case and scenarios as [`scenario::compare`] gives them.
    fn from((base, each): &'a (Outcome, Vec<Outcome>)) -> Self {
        Self { base, each }
    }
}

/// Builds the document of `case`, its `results` and its scenarios'
/// outcomes (`None` when case.toml defines none), dated `date`.
pub fn build(
    case: &Case,
    results: &Results,
    scenarios: Option<Scenarios<'_>>,
    date: NaiveDate,
) -> Document {
    build_with_risk(case, results, scenarios, None, date)
}

/// As [`build`], with the quantified risk analysis's section and
/// allowances when `risk` is given (`compute::Computed::risk`).
pub fn build_with_risk(
    case: &Case,
    results: &Results,
    scenarios: Option<Scenarios<'_>>,
    risk: Option<&crate::compute::risk::RiskAnalysis>,
    date: NaiveDate,
) -> Document {
    let b = Builder::new(case, results);
    let figures = b.figures();
    let mut strategic = b.narrative(NarrativePart::Strategic, 1);
    let mut economic = b.narrative(NarrativePart::Economic, 1);
    b.place_content(&mut strategic, &mut economic);
    economic.extend(b.economic(figures.npsv, figures.tornado));
    content::place(
        &mut economic,
        &["non-monetised"],
        "Non-monetised benefits",
        b.non_monetised(),
    );
    if let Some(a) = risk {
        economic.extend(b.risk_section(a));
    }
    economic.extend(b.scenario_comparison(scenarios));
    let mut financial = b.narrative(NarrativePart::Financial, 1);
    financial.extend(b.financial(figures.profile));
    if let Some(a) = risk {
        financial.extend(b.risk_allowances(a));
    }
    if let Some(s) = scenarios {
        financial.extend(b.scenario_partners(s.base, s.each));
    }
    let mut management = b.narrative(NarrativePart::Management, 1);
    content::place(
        &mut management,
        &["milestone"],
        "Milestones",
        b.milestones(),
    );
    content::place(
        &mut management,
        &[
            "benefits register",
            "benefits realisation",
            "benefits management",
        ],
        "Benefits register",
        b.register(),
    );
    management.extend(b.management());
    let mut commercial = b.narrative(NarrativePart::Commercial, 1);
    content::place(
        &mut commercial,
        &["risk allocation", "allocation of risk"],
        "Risk allocation",
        b.risk_allocation(),
    );
    let section = |title: &str, short: &str, blocks: Vec<Block>| {
        Part::Section(Section {
            id: String::new(),
            title: title.to_string(),
            short: short.to_string(),
            blocks,
        })
    };
    let mut doc = Document {
        meta: b.meta(),
        title_page: b.title_page(date),
        parts: vec![
            // The one page a Police and Crime Commissioner reads first (build/summary.rs).
            section(
                "Summary for Police and Crime Commissioners",
                "Summary",
                b.pcc_summary(date),
            ),
            section("Document control", "Document control", b.control()),
            Part::Contents {
                title: "Contents".into(),
                depth: 2,
            },
            section("Executive summary", "Executive summary", b.summary()),
            section("1 Strategic Case", "1 Strategic Case", strategic),
            section("2 Economic Case", "2 Economic Case", economic),
            section("3 Commercial Case", "3 Commercial Case", commercial),
            section("4 Financial Case", "4 Financial Case", financial),
            section("5 Management Case", "5 Management Case", management),
            section(
                "Appendix A: Assumptions and their sources",
                "Appendix A",
                b.assumptions(),
            ),
            section("Appendix B: Methodology", "Appendix B", b.methodology()),
        ],
    };
    // Stage readiness, for a case that uses the Five Case content sheets
    // (a case without them prints as before).
    let mut map_letter = "C";
    if !case.content.is_empty() {
        doc.parts.push(section(
            "Appendix C: Stage readiness",
            "Appendix C",
            b.stage_readiness(),
        ));
        map_letter = "D";
    }
    number(&mut doc);
    let map = source_map(&doc);
    doc.parts.push(section(
        &format!("Appendix {map_letter}: Source map"),
        &format!("Appendix {map_letter}"),
        vec![map],
    ));
    number(&mut doc);
    give_ids(&mut doc);
    doc
}

/// Marks `doc` as the case typeset under the scenario `name` (described
/// by `description`, from case.toml): the title page says so and so does
/// every page's running title, so no page can be taken for the base case's.
pub fn under_scenario(doc: &mut Document, name: &str, description: &str) {
    let label = format!("scenario {name}");
    doc.meta.running_title = format!("{}, {label}", doc.meta.running_title);
    doc.title_page.subtitle = format!("{}, under the {label}", doc.title_page.subtitle);
    let value = if description.trim().is_empty() {
        name.to_string()
    } else {
        format!("{name}: {}", description.trim())
    };
    doc.title_page.fields.insert(0, ("Scenario".into(), value));
}

/// Numbers the tables (from 1) and figures (from 1) in the order the
/// document prints them, so the source map can cite them and no exporter
/// has to lay the document out to learn them.
fn number(doc: &mut Document) {
    let (mut tables, mut figures) = (0, 0);
    for part in &mut doc.parts {
        let Part::Section(s) = part else { continue };
        for block in &mut s.blocks {
            match block {
                Block::Table(t) => {
                    tables += 1;
                    t.number = tables;
                }
                Block::Figure(f) => {
                    figures += 1;
                    f.number = figures;
                }
                _ => {}
            }
        }
    }
}

/// Gives every section and heading a stable id, unique in the document:
/// its title in lower case, each run of other characters one `-`, with
/// `-2`, `-3`, … after a repeat.
fn give_ids(doc: &mut Document) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut unique = |text: &str| {
        let base = slug(text);
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    };
    for part in &mut doc.parts {
        let Part::Section(s) = part else { continue };
        s.id = unique(&s.title);
        headings(&mut s.blocks, &mut unique);
    }
}

/// Gives each heading among `blocks` (in lists and quotes too) its id.
fn headings(blocks: &mut [Block], unique: &mut impl FnMut(&str) -> String) {
    for block in blocks {
        match block {
            Block::Heading { id, text, .. } => *id = unique(&plain(text)),
            Block::List { items, .. } => {
                for item in items {
                    headings(item, unique);
                }
            }
            Block::Quote(c) => headings(c, unique),
            _ => {}
        }
    }
}

/// `text` in lower case, each run of characters other than letters and digits one `-`.
fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".into()
    } else {
        trimmed.into()
    }
}

/// The plain text of inline content.
fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { s } | Inline::Code { s } => out.push_str(s),
            Inline::Emph { c }
            | Inline::Strong { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => {
                out.push_str(&plain(c));
            }
            Inline::Break => out.push(' '),
        }
    }
    out
}

/// A heading below the section's (its id is given when the document is complete).
fn heading(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        id: String::new(),
        text: vec![Inline::Text { s: text.into() }],
    }
}

/// A list of plain text items.
fn list(ordered: bool, items: impl IntoIterator<Item = String>) -> Block {
    Block::List {
        ordered,
        start: 1,
        items: items.into_iter().map(|s| vec![Block::para(s)]).collect(),
    }
}

fn text_col(h: &str, width: Width) -> Column {
    Column {
        header: header(h),
        kind: ColumnKind::Text,
        width,
    }
}

fn num_col(h: &str) -> Column {
    Column {
        header: header(h),
        kind: ColumnKind::Number,
        width: Width::Auto,
    }
}

fn year_col(y: FiscalYear) -> Column {
    Column {
        header: header(&y.to_string()),
        kind: ColumnKind::Year,
        width: Width::Auto,
    }
}

fn header(h: &str) -> Cell {
    Cell {
        role: CellRole::Header,
        ..Cell::text(h)
    }
}

/// A row of cells.
fn row(role: RowRole, cells: Vec<Cell>) -> Row {
    Row { role, cells }
}

/// A row of text cells.
fn texts(role: RowRole, cells: Vec<String>) -> Row {
    row(role, cells.into_iter().map(Cell::text).collect())
}

/// What a table is before it is numbered.
struct Draft {
    caption: String,
    unit: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
    notes: Vec<String>,
    wide: bool,
    sources: Vec<String>,
    /// The definition of the table's figures, where a cell names none of its own.
    definition: Option<Definition>,
}

impl Draft {
    /// A table of text as the case team entered it (document control, the
    /// options, the assumptions): no unit, no notes, each figure an input.
    fn inputs(caption: &str, columns: Vec<Column>, rows: Vec<Row>, sources: Vec<String>) -> Self {
        Self {
            caption: caption.into(),
            unit: String::new(),
            columns,
            rows,
            notes: Vec::new(),
            wide: false,
            sources,
            definition: Some(Definition::Input),
        }
    }

    /// The table: each cell aligned as its column, given its role by its
    /// row and column, and its provenance by the table where it has none.
    fn finish(self) -> Table {
        let Self {
            caption,
            unit,
            columns,
            mut rows,
            notes,
            wide,
            sources,
            definition,
        } = self;
        for r in &mut rows {
            for (i, (cell, column)) in r.cells.iter_mut().zip(&columns).enumerate() {
                cell.align = match column.kind {
                    ColumnKind::Text => Align::Left,
                    ColumnKind::Number | ColumnKind::Year => Align::Right,
                };
                cell.role = match r.role {
                    _ if i == 0 => CellRole::Label,
                    RowRole::Total => CellRole::Total,
                    RowRole::Memo => CellRole::Note,
                    RowRole::Body | RowRole::Subtotal => CellRole::Value,
                };
                if i > 0 {
                    if cell.provenance.ranges.is_empty() {
                        cell.provenance.ranges.clone_from(&sources);
                    }
                    if cell.provenance.definition.is_none() {
                        cell.provenance.definition = definition;
                    }
                }
            }
        }
        let columns = columns
            .into_iter()
            .map(|mut c| {
                c.header.align = match c.kind {
                    ColumnKind::Text => Align::Left,
                    ColumnKind::Number | ColumnKind::Year => Align::Right,
                };
                c
            })
            .collect();
        Table {
            number: 0,
            caption,
            unit,
            columns,
            rows,
            notes,
            wide,
            sources,
        }
    }

    fn block(self) -> Block {
        Block::Table(self.finish())
    }
}

/// A row of yearly figures, the data behind one line of a year table.
struct YearLine {
    label: String,
    values: Vec<Decimal>,
    role: RowRole,
    /// The engine's total of the line; `None` where a total makes no sense (cumulative lines).
    total: Option<Decimal>,
    /// Lines (index, subtracted) whose figures add up to this one, year by year.
    sum_of: Vec<(usize, bool)>,
    /// The input ranges the line's figures come from (empty: the table's).
    ranges: Vec<String>,
}

impl YearLine {
    fn new(label: impl Into<String>, values: Vec<Decimal>, total: Decimal, role: RowRole) -> Self {
        Self {
            label: label.into(),
            values,
            role,
            total: Some(total),
            sum_of: Vec::new(),
            ranges: Vec::new(),
        }
    }

    #[must_use]
    fn sourced_from(mut self, ranges: Vec<String>) -> Self {
        self.ranges = ranges;
        self
    }

    /// Drops the Total when the years' figures do not add up (a Budget
    /// sheet of recurring shortfalls).
    #[must_use]
    fn totalled_if(mut self, totals: bool) -> Self {
        if !totals {
            self.total = None;
        }
        self
    }

    /// A line without a Total: its years do not add up to a figure the engine reports.
    fn untotalled(label: impl Into<String>, values: Vec<Decimal>, role: RowRole) -> Self {
        Self {
            total: None,
            ..Self::new(label, values, Decimal::ZERO, role)
        }
    }

    #[must_use]
    fn sum_of(mut self, parts: &[(usize, bool)]) -> Self {
        self.sum_of = parts.to_vec();
        self
    }
}

/// The charts of the document.
struct Figures {
    npsv: Figure,
    profile: Option<Figure>,
    /// The preferred option's sensitivity (`None` without sensitivity results).
    tornado: Option<Figure>,
}

fn figure(caption: String, alt: String, chart: Chart) -> Figure {
    Figure {
        number: 0,
        caption,
        alt,
        chart,
    }
}

/// Which input lines a figure is computed from.
#[derive(Debug, Clone, Copy)]
enum Lines {
    Costs(Option<CostKind>),
    Benefits(Option<BenefitKind>),
    /// Costs and cashable benefits: a net saving.
    Net,
    /// Every cost and benefit line.
    All,
}

struct Builder<'a> {
    case: &'a Case,
    results: &'a Results,
    /// Display decimals in the shown unit (`shown.decimals`).
    dp: u32,
    /// The shown unit's label (`shown.label()`).
    unit: &'static str,
    /// How money is shown: every amount the document prints, in a table, a
    /// sentence or a chart, is converted to the display unit here.
    shown: format::Shown,
}

impl<'a> Builder<'a> {
    /// The builder of `case`'s document from its `results`: the one place
    /// its formatting is set up, for the document and for the narrative's
    /// figures (which `check` resolves without building).
    fn new(case: &'a Case, results: &'a Results) -> Self {
        let shown = format::Shown::of(case);
        Self {
            case,
            results,
            dp: shown.decimals,
            unit: shown.label(),
            shown,
        }
    }

    /// An amount, in the unit entered, as the document prints it in the
    /// display unit: `1,234.5`, `(5.2)`.
    fn m(&self, v: Decimal) -> String {
        self.shown.money(v)
    }

    /// An amount as a cell: the figure as shown and its value in the display unit.
    fn mc(&self, v: Decimal) -> Cell {
        Cell::number(self.m(v), self.shown.value(v))
    }

    /// An amount converted to the display unit, for a chart's data.
    fn x(&self, v: Decimal) -> Decimal {
        self.shown.value(v)
    }

    /// Whether amounts as shown add up to their total as shown.
    fn foot(&self, parts: &[Decimal], total: Decimal) -> bool {
        self.shown.foots(parts, total)
    }

    /// An amount in running text: `£12.3m`, `£450k`, `£1,200`; negatives with a minus sign.
    /// The value for money of option `o` against business as usual, in
    /// words: the benefit-cost ratio where there is one, else what the
    /// signs of its incremental costs and benefits say.
    fn vfm_words(&self, o: &OptionAppraisal) -> String {
        let w = self.results.workings.option(o.option);
        let dc = w.map_or(Decimal::ZERO, |w| w.pv_incremental_costs);
        let db = w.map_or(Decimal::ZERO, |w| w.pv_incremental_benefits);
        let costs = if dc.is_zero() {
            "costs the same as business as usual"
        } else if dc.is_sign_negative() {
            "costs less than business as usual"
        } else {
            "costs more than business as usual"
        };
        let benefits = if db.is_zero() {
            "delivers the same"
        } else if db.is_sign_negative() {
            "delivers less"
        } else {
            "delivers more"
        };
        match o.value_for_money {
            ValueForMoney::Baseline => "it is business as usual".into(),
            ValueForMoney::NoDifference => {
                "it costs and delivers the same as business as usual".into()
            }
            ValueForMoney::Dominant => format!("it {costs} and {benefits}: it dominates"),
            ValueForMoney::Dominated => {
                format!("it {costs} and {benefits}: it is dominated by business as usual")
            }
            ValueForMoney::Ratio => format!(
                "a benefit-cost ratio of {}",
                o.bcr.map_or_else(String::new, |b| format::fixed(b, 2))
            ),
            ValueForMoney::CostSaving => format!(
                "it {costs} and {benefits}: it saves {} of present-value cost for each {} of benefit forgone",
                o.savings_per_benefit_forgone
                    .map_or_else(String::new, |v| format::fixed(v, 2)),
                match self.shown.unit {
                    Unit::Pounds => "£1",
                    Unit::Thousands => "£1k",
                    Unit::Millions => "£1m",
                }
            ),
        }
    }

    /// Where a pinned preferred option is not the one the appraisal ranks
    /// first, the sentence that says so, with the case's reason.
    fn departure(&self) -> Option<String> {
        let r = self.results;
        if !r.pinned_departs() {
            return None;
        }
        let p = r.option(r.preferred)?;
        let why = match r.option(r.recommended) {
            Some(best) if !best.baseline && best.npsv > p.npsv => format!(
                "{} has a higher net present social value ({} against {})",
                capitalise(&self.option_name(best.option)),
                self.phrase(best.npsv),
                self.phrase(p.npsv)
            ),
            _ => format!(
                "its net present social value ({}) is not positive",
                self.phrase(p.npsv)
            ),
        };
        let reason = self.case.meta.preferred_reason.trim();
        let reason = if reason.is_empty() {
            "[reason to be given]"
        } else {
            reason
        };
        let stop = if reason.ends_with(['.', '!', '?']) {
            ""
        } else {
            "."
        };
        Some(format!(
            "It is not the option the appraisal ranks first: {why}. The case prefers it for this reason: {reason}{stop}"
        ))
    }

    fn phrase(&self, v: Decimal) -> String {
        let body = self.m(v.abs());
        let rounded = self.shown.rounded(v);
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
            "−"
        } else {
            ""
        };
        match self.shown.unit {
            Unit::Pounds => format!("{sign}£{body}"),
            Unit::Thousands => format!("{sign}£{body}k"),
            Unit::Millions => format!("{sign}£{body}m"),
        }
    }

    /// The ranges of the cost and benefit lines of `options` that `lines` names.
    fn lines(&self, options: &[OptionId], lines: Lines) -> Vec<String> {
        let c = self.case;
        let (costs, benefits): (Option<Option<CostKind>>, Option<Option<BenefitKind>>) = match lines
        {
            Lines::Costs(k) => (Some(k), None),
            Lines::Benefits(k) => (None, Some(k)),
            Lines::Net => (Some(None), Some(Some(BenefitKind::Cashable))),
            Lines::All => (Some(None), Some(None)),
        };
        let mut out = Vec::new();
        if let Some(kind) = costs {
            out.extend(row_ranges(
                &c.sources.costs,
                c.costs
                    .iter()
                    .filter(|l| options.contains(&l.option) && kind.is_none_or(|k| l.kind == k))
                    .map(|l| l.row),
            ));
        }
        if let Some(kind) = benefits {
            out.extend(row_ranges(
                &c.sources.benefits,
                c.benefits
                    .iter()
                    .filter(|l| options.contains(&l.option) && kind.is_none_or(|k| l.kind == k))
                    .map(|l| l.row),
            ));
        }
        out
    }

    /// `lines` of the preferred option's cash view, each given the ranges of
    /// the input lines (of the preferred option and business as usual) it
    /// comes from, in order.
    fn with_ranges(&self, lines: Vec<YearLine>, from: &[Lines]) -> Vec<YearLine> {
        let options = [self.results.preferred, self.case.baseline];
        lines
            .into_iter()
            .zip(from)
            .map(|(l, what)| l.sourced_from(self.lines(&options, *what)))
            .collect()
    }

    /// The Options-sheet row of `option` (its optimism-bias rates) and the
    /// Risks-sheet rows of its risks, as ranges.
    fn adjustments(&self, option: OptionId) -> Vec<String> {
        let c = self.case;
        let mut out = Vec::new();
        if let Some(o) = c.option(option) {
            out.extend(row_ranges(&c.sources.options, [o.row]));
        }
        out.extend(self.risk_rows(option));
        out
    }

    /// The Budget-sheet rows of `lines` for `partner`, or for the region
    /// (the partners' rows, or the Region rows where there are none), as ranges.
    fn budget_rows(&self, partner: Option<PartnerId>, lines: &[BudgetLine]) -> Vec<String> {
        let c = self.case;
        let (Some(budget), Some(sheet)) = (&c.budget, &c.sources.budget) else {
            return Vec::new();
        };
        let by_partner = budget.rows.iter().any(|r| r.partner.is_some());
        row_ranges(
            sheet,
            budget
                .rows
                .iter()
                .filter(|r| match partner {
                    Some(p) => r.partner == Some(p),
                    None => !by_partner || r.partner.is_some(),
                })
                .filter(|r| lines.contains(&r.line))
                .map(|r| r.row),
        )
    }

    /// True when the Budget sheet's years add up (in-year shortfalls).
    fn gap_totals(&self) -> bool {
        self.case.budget.as_ref().is_none_or(|b| b.basis.totals())
    }

    /// The unit line of a budget-gap table, saying when its years do not add up.
    fn gap_unit(&self) -> String {
        if self.gap_totals() {
            format!("{}, nominal prices", self.unit)
        } else {
            format!(
                "{}, nominal prices; recurring shortfalls, so the years are not added",
                self.unit
            )
        }
    }

    /// What the gap remaining after the case comes from: the risk-adjusted
    /// gap's Budget rows and the preferred option's and business as usual's
    /// costs and savings.
    fn gap_after_case_rows(&self, partner: Option<PartnerId>) -> Vec<String> {
        let mut out = self.budget_rows(partner, gap_inputs(GapLine::RiskAdjustedGap));
        let option = self
            .results
            .gap_after_case
            .as_ref()
            .map_or(self.results.preferred, |g| g.option);
        out.extend(self.lines(&[option, self.case.baseline], Lines::Net));
        out
    }

    /// The Risks-sheet rows of `option`'s risks, as ranges.
    fn risk_rows(&self, option: OptionId) -> Vec<String> {
        let c = self.case;
        c.sources.risks.as_ref().map_or_else(Vec::new, |risks| {
            row_ranges(
                risks,
                c.risks.iter().filter(|k| k.option == option).map(|k| k.row),
            )
        })
    }

    /// `id` as a sentence names it mid-sentence: its `Referred to as`, or
    /// its name after "the" ([`Case::referred_to`]), and its id.
    fn option_name(&self, id: OptionId) -> String {
        self.case.option(id).map_or_else(
            || format!("option {}", id.index() + 1),
            |o| format!("{} (option {})", self.case.referred_to(id), o.id),
        )
    }

    /// `id` as a label names it (a table row, a caption, a chart): its name as written.
    fn option_label(&self, id: OptionId) -> String {
        self.case.option(id).map_or_else(
            || format!("option {}", id.index() + 1),
            |o| format!("{} (option {})", o.name, o.id),
        )
    }

    /// The body asked to decide, mid-sentence ("the Summit").
    fn decider(&self) -> &str {
        &self.case.meta.decision_body
    }

    /// The body that recommends the case, mid-sentence ("the Oversight Group").
    fn recommender(&self) -> &str {
        &self.case.meta.recommending_body
    }

    fn partner(&self, id: PartnerId) -> String {
        self.case
            .partners
            .name(id)
            .map(str::to_string)
            .unwrap_or_default()
    }

    /// The input line a sensitivity entry moved: its kind in words and its
    /// partner, and whether another line of its option on its sheet has the
    /// same label (so the label must name the partner or kind to tell them apart).
    fn moved_line(
        &self,
        e: &crate::compute::SensitivityEntry,
    ) -> (String, Option<PartnerId>, bool) {
        let c = self.case;
        let row = e.row.saturating_sub(1);
        let same = crate::names::same;
        if e.sheet == c.sources.benefits.name {
            let Some(l) = c.benefits.iter().find(|l| l.row == row) else {
                return (String::new(), None, false);
            };
            let twins = c
                .benefits
                .iter()
                .any(|o| o.row != l.row && o.option == l.option && same(&o.line, &l.line));
            let kind = match l.kind {
                BenefitKind::Cashable => "cashable",
                BenefitKind::NonCashable => "non-cashable",
            };
            (kind.into(), l.partner, twins)
        } else {
            let Some(l) = c.costs.iter().find(|l| l.row == row) else {
                return (String::new(), None, false);
            };
            let twins = c
                .costs
                .iter()
                .any(|o| o.row != l.row && o.option == l.option && same(&o.line, &l.line));
            let kind = match l.kind {
                CostKind::Capital => "capital",
                CostKind::Revenue => "revenue",
            };
            (kind.into(), l.partner, twins)
        }
    }

    /// The label of a sensitivity entry's line as the table and the tornado
    /// chart print it: the line's name, and where another line of the
    /// option shares it, its partner ("Force vetting posts removed
    /// (Dorset)"), else its kind.
    fn sensitivity_label(&self, e: &crate::compute::SensitivityEntry) -> String {
        let (kind, partner, twins) = self.moved_line(e);
        if !twins {
            return e.line.clone();
        }
        match partner {
            Some(p) => format!("{} ({})", e.line, self.partner(p)),
            None if !kind.is_empty() => format!("{} ({kind})", e.line),
            None => e.line.clone(),
        }
    }

    /// Where a sensitivity entry's line is, in words: its sheet and kind
    /// ("Costs sheet, capital"), the cells being in the source map.
    fn sensitivity_where(&self, e: &crate::compute::SensitivityEntry) -> String {
        let (kind, _, _) = self.moved_line(e);
        if kind.is_empty() {
            format!("{} sheet", e.sheet)
        } else {
            format!("{} sheet, {kind}", e.sheet)
        }
    }

    /// The tornado chart of the preferred option's sensitivity at its largest fraction.
    fn tornado_figure(&self) -> Option<Figure> {
        let (results, unit) = (self.results, self.unit);
        let base = results.option(results.preferred)?.npsv;
        let (fraction, lines) = crate::compute::switching::tornado(&results.sensitivity)?;
        let shown: Vec<_> = lines.into_iter().take(TORNADO_LINES).collect();
        let by = percent(fraction, 2);
        let bars: Vec<TornadoLine> = shown
            .iter()
            .map(|l| TornadoLine {
                label: self.sensitivity_label(l.entry),
                down: self.x(l.down),
                up: self.x(l.up),
            })
            .collect();
        let listing: Vec<String> = shown
            .iter()
            .map(|l| {
                format!(
                    "{} ({}): {} down, {} up",
                    self.sensitivity_label(l.entry),
                    self.sensitivity_where(l.entry),
                    self.m(l.down),
                    self.m(l.up)
                )
            })
            .collect();
        Some(figure(
            format!("Tornado chart: the preferred option's NPSV with each line moved by ±{by}"),
            format!(
                "Tornado chart of the preferred option's net present social value, base {} {unit}, with each cost and benefit line moved down and up by {by}, widest swing first: {}.",
                self.m(base),
                listing.join("; ")
            ),
            Chart::Tornado {
                lines: bars,
                base: self.x(base),
                title: format!("NPSV of the preferred option ({unit}, present value)"),
                legend: [
                    format!("Line up {by}"),
                    format!("Line down {by}"),
                    format!("Base NPSV {}", self.m(base)),
                ],
            },
        ))
    }

    /// The document's charts, from the results.
    fn figures(&self) -> Figures {
        let (results, dp, unit) = (self.results, self.dp, self.unit);
        let options: Vec<_> = results.options.iter().filter(|o| !o.baseline).collect();
        let bars: Vec<Bar> = options
            .iter()
            .map(|o| Bar {
                label: o.id.clone(),
                value: self.x(o.npsv),
            })
            .collect();
        let listing: Vec<String> = options
            .iter()
            .map(|o| format!("{} {} {unit}", o.id, self.m(o.npsv)))
            .collect();
        let npsv = figure(
            "Net present social value by option".to_string(),
            format!(
                "Bar chart of net present social value by option against business as usual: {}.",
                listing.join("; ")
            ),
            Chart::Bars {
                bars,
                y_title: format!("NPSV ({unit}, present value)"),
                x_title: "Option".into(),
                series: "Net present social value against business as usual".into(),
            },
        );
        let profile = results.profile(results.preferred).map(|p| {
            let points: Vec<ProfilePoint> = results
                .years
                .iter()
                .zip(&p.nominal)
                .map(|(y, py)| ProfilePoint {
                    year: y.to_string(),
                    savings: self.x(py.cashable),
                    costs: self.x(py.costs),
                    cumulative: self.x(py.cumulative_net),
                })
                .collect();
            let listing: Vec<String> = points
                .iter()
                .map(|pt| {
                    format!(
                        "{}: savings {}, costs {}, cumulative net {}",
                        pt.year,
                        format::money(pt.savings, dp),
                        format::money(pt.costs, dp),
                        format::money(pt.cumulative, dp)
                    )
                })
                .collect();
            figure(
                "Preferred option: annual savings, costs and cumulative net (nominal)".to_string(),
                format!(
                    "Chart of the preferred option's annual cashable savings and costs as bars and cumulative net as a line, {unit} nominal: {}.",
                    listing.join("; ")
                ),
                Chart::Profile {
                    points,
                    y_title: format!("{unit}, nominal prices"),
                    labels: [
                        "Cashable savings".into(),
                        "Costs".into(),
                        "Cumulative net".into(),
                    ],
                },
            )
        });
        Figures {
            npsv,
            profile,
            tornado: self.tornado_figure(),
        }
    }

    fn meta(&self) -> Meta {
        let m = &self.case.meta;
        Meta {
            title: format!("{} – {}", m.title, m.stage.words()),
            author: m.sro.clone(),
            marking: m.marking.clone(),
            running_title: format!("{}, version {}", m.title, m.version),
        }
    }

    fn title_page(&self, date: NaiveDate) -> TitlePage {
        let m = &self.case.meta;
        TitlePage {
            programme: m.programme.clone(),
            title: m.title.clone(),
            subtitle: format!("{} ({})", m.stage.words(), m.stage.code()),
            fields: vec![
                ("Version".into(), m.version.clone()),
                ("Date".into(), date.format("%-d %B %Y").to_string()),
                ("Senior responsible owner".into(), m.sro.clone()),
                ("Protective marking".into(), m.marking.clone()),
                (
                    "Green Book edition".into(),
                    self.results.edition.year().to_string(),
                ),
            ],
        }
    }

    /// The SRO's text for `part`, its headings `base` levels below the
    /// section's top, or the placeholder when its file is missing.
    fn narrative(&self, part: NarrativePart, base: u8) -> Vec<Block> {
        match self.case.narrative.parts.get(&part) {
            Some(text) => narrative_blocks(self.narrative_with_figures(text), base),
            None => vec![Block::Placeholder(TO_BE_COMPLETED.into())],
        }
    }

    fn control(&self) -> Vec<Block> {
        let m = &self.case.meta;
        let mut blocks = vec![heading(2, "Version history")];
        if m.history.is_empty() {
            blocks.push(Block::para("No version history is recorded for this case."));
        } else {
            blocks.push(
                Draft::inputs(
                    "Version history",
                    vec![
                        text_col("Version", Width::Auto),
                        text_col("Date", Width::Auto),
                        text_col("Author", Width::Share(10)),
                        text_col("Changes", Width::Share(20)),
                    ],
                    m.history
                        .iter()
                        .map(|h| {
                            texts(
                                RowRole::Body,
                                vec![
                                    h.version.clone(),
                                    h.date.clone(),
                                    h.author.clone(),
                                    h.changes.clone(),
                                ],
                            )
                        })
                        .collect(),
                    vec!["the case's version history".into()],
                )
                .block(),
            );
        }
        blocks.push(heading(2, "Approvals"));
        if m.approvals.is_empty() {
            blocks.push(Block::para("No approvals are recorded yet."));
        } else {
            blocks.push(
                Draft::inputs(
                    "Approvals",
                    vec![
                        text_col("Body", Width::Share(10)),
                        text_col("Date", Width::Auto),
                        text_col("Decision", Width::Share(20)),
                    ],
                    m.approvals
                        .iter()
                        .map(|a| {
                            texts(
                                RowRole::Body,
                                vec![a.body.clone(), a.date.clone(), a.decision.clone()],
                            )
                        })
                        .collect(),
                    vec!["the case's record of approvals".into()],
                )
                .block(),
            );
        }
        blocks.push(heading(2, "Distribution"));
        if m.distribution.is_empty() {
            blocks.push(Block::para(
                "No distribution list is recorded for this case.",
            ));
        } else {
            blocks.push(list(false, m.distribution.iter().cloned()));
        }
        blocks
    }

    /// The recommendation, in sentences: the preferred option, why, and by
    /// whom it is to be approved (or that no option is recommended).
    fn recommendation(&self) -> String {
        let r = self.results;
        let stage = self.case.meta.stage;
        if r.no_option_recommended() {
            return format!(
                "No option on the short list offers better value for money than business as usual: no option's net present social value is positive. This {} therefore recommends no option for approval.",
                stage.words()
            );
        }
        let preferred = self.option_name(r.preferred);
        let how = if r.preferred_pinned {
            "the option named as preferred in the case"
        } else {
            "the option with the highest net present social value"
        };
        let mut recommendation = format!(
            "This {} recommends {preferred}, {how}, for approval by {}.",
            stage.words(),
            self.decider()
        );
        if let Some(departs) = self.departure() {
            recommendation.push(' ');
            recommendation.push_str(&departs);
        }
        recommendation
    }

    /// The decisions the decision body is asked to make, each completing
    /// "… is asked to:".
    fn decisions(&self) -> Vec<String> {
        let r = self.results;
        if r.no_option_recommended() {
            return vec![
                "note that no short-listed option offers better value for money than business as usual, as set out in the Economic Case".to_string(),
                "note that the partners continue with business as usual unless the short list is revisited".to_string(),
            ];
        }
        let preferred = self.option_name(r.preferred);
        let next = match self.case.meta.stage {
            Stage::Soc => {
                "approve the development of an Outline Business Case for the short-listed options"
            }
            Stage::Obc => {
                "approve the development of a Full Business Case and the procurement route set out in the Commercial Case"
            }
            Stage::Fbc => {
                "approve the investment and the award of the contract set out in the Commercial Case"
            }
        };
        let key = &r.apportionment.key;
        let own_keys = if r.apportionment.line_keys.is_empty() {
            String::new()
        } else {
            " (and the lines that name a key of their own by that key)".to_string()
        };
        vec![
            format!("agree {preferred} as the preferred option"),
            format!(
                "agree that each partner's share of costs and savings is apportioned by {key}{own_keys}, as set out in the Financial Case"
            ),
            next.to_string(),
        ]
    }

    /// "The Summit is asked to:", capitalised from the decision body's name.
    fn asked_to(&self) -> String {
        format!("{} is asked to:", capitalise(self.decider()))
    }

    fn summary(&self) -> Vec<Block> {
        let mut blocks = vec![
            heading(2, "Recommendation"),
            Block::para(self.recommendation()),
            heading(2, "Decisions sought"),
            Block::para(self.asked_to()),
            list(true, self.decisions()),
            heading(2, "Headline figures"),
        ];
        blocks.extend(self.headline());
        blocks.push(heading(2, "The SRO\u{2019}s summary"));
        blocks.extend(self.narrative(NarrativePart::ExecutiveSummary, 2));
        blocks
    }

    fn headline(&self) -> Vec<Block> {
        let r = self.results;
        let unit = self.unit;
        if r.no_option_recommended() {
            return vec![Block::para(
                "With no option recommended there are no headline figures of a preferred option: the appraisal of every option against business as usual is in the Economic Case.",
            )];
        }
        let mut rows = Vec::new();
        let mut sources = vec![
            sheet_range(&self.case.sources.costs),
            sheet_range(&self.case.sources.benefits),
        ];
        // What the preferred option's npsv and bcr are computed from.
        let mut appraised = self.lines(&[r.preferred, self.case.baseline], Lines::All);
        appraised.extend(self.adjustments(r.preferred));
        appraised.extend(self.adjustments(self.case.baseline));
        if let Some(o) = r.option(r.preferred) {
            rows.push(row(
                RowRole::Body,
                vec![
                    Cell::text(format!("Net present social value ({unit}, present value)")),
                    self.mc(o.npsv)
                        .defined(Definition::Npsv)
                        .sourced_from(appraised.clone()),
                ],
            ));
            rows.push(row(
                RowRole::Body,
                vec![
                    Cell::text("Benefit-cost ratio"),
                    o.bcr
                        .map_or_else(
                            || Cell::text(vfm_short(o.value_for_money)),
                            |b| Cell::number(format::fixed(b, 2), b),
                        )
                        .defined(Definition::Bcr)
                        .sourced_from(appraised.clone()),
                ],
            ));
            for (label, year) in [
                ("Payback year (real prices)", o.payback_year),
                (
                    "Payback year (nominal prices, as the savings chart shows)",
                    o.payback_year_nominal,
                ),
            ] {
                rows.push(row(
                    RowRole::Body,
                    vec![
                        Cell::text(label),
                        Cell::text(year.map_or_else(
                            || "not within the appraisal period".into(),
                            |y| y.to_string(),
                        ))
                        .defined(Definition::Payback),
                    ],
                ));
            }
        }
        if let Some(p) = r.workings.profile(r.preferred) {
            let total = p.real_total.cashable;
            rows.push(row(
                RowRole::Body,
                vec![
                    Cell::text(format!(
                        "Total cashable savings {} ({unit}, real {} prices)",
                        span(&r.years),
                        r.base_year
                    )),
                    self.mc(total)
                        .defined(Definition::SavingsProfile)
                        .sourced_from(self.lines(
                            &[r.preferred, self.case.baseline],
                            Lines::Benefits(Some(BenefitKind::Cashable)),
                        )),
                ],
            ));
        }
        if let (Some(gap), Some(totals)) = (&r.gap_after_case, &r.workings.gap_after_case) {
            let (label, total) = match (self.gap_totals(), gap.years.last(), gap.region.last()) {
                (false, Some(y), Some(v)) => (
                    format!(
                        "Regional recurring gap remaining after this case in {y} ({unit}, nominal)"
                    ),
                    *v,
                ),
                _ => (
                    format!(
                        "Regional gap remaining after this case {} ({unit}, nominal)",
                        span(&gap.years)
                    ),
                    totals.region,
                ),
            };
            rows.push(row(
                RowRole::Body,
                vec![
                    Cell::text(label),
                    self.mc(total)
                        .defined(Definition::GapAfterCase)
                        .sourced_from(self.gap_after_case_rows(None)),
                ],
            ));
            if let Some(s) = &self.case.sources.budget {
                sources.push(sheet_range(s));
            }
        }
        let mut blocks = vec![
            Draft {
                caption: "Headline figures for the preferred option".into(),
                unit: String::new(),
                columns: vec![text_col("Measure", Width::Share(10)), num_col("Value")],
                rows,
                notes: Vec::new(),
                wide: false,
                sources,
                definition: None,
            }
            .block(),
        ];
        if let Some(t) = self.net_position_table() {
            blocks.push(t.block());
        }
        blocks
    }

    fn economic(&self, npsv: Figure, tornado: Option<Figure>) -> Vec<Block> {
        let c = self.case;
        let r = self.results;
        let mut blocks = vec![heading(2, "Short-listed options")];
        blocks.push(
            Draft::inputs(
                "The short list",
                vec![
                    text_col("Option", Width::Auto),
                    text_col("Name", Width::Share(10)),
                    text_col("Description", Width::Share(20)),
                ],
                c.options
                    .iter()
                    .map(|o| {
                        let name = if o.baseline {
                            format!("{} (baseline)", o.name)
                        } else {
                            o.name.clone()
                        };
                        texts(
                            RowRole::Body,
                            vec![o.id.clone(), name, o.description.clone()],
                        )
                    })
                    .collect(),
                vec![sheet_range(&c.sources.options)],
            )
            .block(),
        );

        blocks.push(heading(2, "Appraisal of the short list"));
        // Every option, business as usual first, so the incremental lines can be read off.
        let mut options: Vec<_> = r.options.iter().collect();
        options.sort_by_key(|o| !o.baseline);
        // The differences a reader needs to see NPSV = Δbenefits − Δcosts; the
        // engine's npsv and bcr are printed, never recomputed from these.
        let delta_costs = |o: &OptionAppraisal| {
            r.workings
                .option(o.option)
                .map_or(Decimal::ZERO, |w| w.pv_incremental_costs)
        };
        let delta_benefits = |o: &OptionAppraisal| {
            r.workings
                .option(o.option)
                .map_or(Decimal::ZERO, |w| w.pv_incremental_benefits)
        };
        let mut columns = vec![text_col("Present values", Width::Share(10))];
        columns.extend(options.iter().map(|o| num_col(&o.id)));
        let line = |label: &str, role: RowRole, f: &dyn Fn(&OptionAppraisal) -> Cell| {
            let mut cells = vec![Cell::text(label)];
            cells.extend(options.iter().map(|o| f(o)));
            row(role, cells)
        };
        let base = self.case.baseline;
        // The input lines each figure of option `o` is computed from.
        let from = |o: &OptionAppraisal, lines: Lines| self.lines(&[o.option], lines);
        let adjusted = |o: &OptionAppraisal| {
            let mut r = from(o, Lines::Costs(None));
            r.extend(self.adjustments(o.option));
            r
        };
        let against_base = |o: &OptionAppraisal, lines: Lines| {
            let mut r = self.lines(&[o.option, base], lines);
            if !matches!(lines, Lines::Benefits(_)) {
                r.extend(self.adjustments(o.option));
                r.extend(self.adjustments(base));
            }
            r
        };
        let pv = |v: Decimal, ranges: Vec<String>| {
            self.mc(v)
                .defined(Definition::PresentValue)
                .sourced_from(ranges)
        };
        let dash = |o: &OptionAppraisal, v: Cell| {
            if o.baseline { Cell::text("–") } else { v }
        };
        let rows = vec![
            line("Capital costs", RowRole::Body, &|o| {
                pv(o.pv_capital, from(o, Lines::Costs(Some(CostKind::Capital))))
            }),
            line("Revenue costs", RowRole::Body, &|o| {
                pv(o.pv_revenue, from(o, Lines::Costs(Some(CostKind::Revenue))))
            }),
            line(
                "Costs before optimism bias and risk",
                RowRole::Subtotal,
                &|o| pv(o.pv_costs_unadjusted, from(o, Lines::Costs(None))),
            ),
            line("Optimism bias", RowRole::Body, &|o| {
                self.mc(o.pv_optimism_bias)
                    .defined(Definition::OptimismBias)
                    .sourced_from(adjusted(o))
            }),
            line("Risk (expected value)", RowRole::Body, &|o| {
                self.mc(o.pv_risk)
                    .defined(Definition::RiskExpectedValue)
                    .sourced_from(self.risk_rows(o.option))
            }),
            line("Risk-adjusted costs", RowRole::Subtotal, &|o| {
                pv(o.pv_costs, adjusted(o))
            }),
            line("Cashable benefits", RowRole::Body, &|o| {
                pv(
                    o.pv_cashable,
                    from(o, Lines::Benefits(Some(BenefitKind::Cashable))),
                )
            }),
            line("Non-cashable benefits", RowRole::Body, &|o| {
                pv(
                    o.pv_non_cashable,
                    from(o, Lines::Benefits(Some(BenefitKind::NonCashable))),
                )
            }),
            line("Benefits", RowRole::Subtotal, &|o| {
                pv(o.pv_benefits, from(o, Lines::Benefits(None)))
            }),
            line(
                "Incremental benefits against business as usual",
                RowRole::Body,
                &|o| {
                    dash(
                        o,
                        self.mc(delta_benefits(o))
                            .defined(Definition::Npsv)
                            .sourced_from(against_base(o, Lines::Benefits(None))),
                    )
                },
            ),
            line(
                "Incremental costs against business as usual",
                RowRole::Body,
                &|o| {
                    dash(
                        o,
                        self.mc(delta_costs(o))
                            .defined(Definition::Npsv)
                            .sourced_from(against_base(o, Lines::Costs(None))),
                    )
                },
            ),
            line("Net present social value", RowRole::Total, &|o| {
                dash(
                    o,
                    self.mc(o.npsv)
                        .defined(Definition::Npsv)
                        .sourced_from(against_base(o, Lines::All)),
                )
            }),
            line("Benefit-cost ratio", RowRole::Body, &|o| {
                dash(
                    o,
                    o.bcr
                        .map_or_else(
                            || Cell::text(vfm_short(o.value_for_money)),
                            |b| Cell::number(format::fixed(b, 2), b),
                        )
                        .defined(Definition::Bcr)
                        .sourced_from(against_base(o, Lines::All)),
                )
            }),
        ];
        let mut notes = vec![format!(
            "Present values in {}, real {} prices, discounted to {}. Net present social value and the benefit-cost ratio are of the incremental benefits and costs against business as usual.",
            self.unit, r.base_year, r.base_year
        )];
        let foots = options.iter().all(|o| {
            self.foot(&[o.pv_capital, o.pv_revenue], o.pv_costs_unadjusted)
                && self.foot(
                    &[o.pv_costs_unadjusted, o.pv_optimism_bias, o.pv_risk],
                    o.pv_costs,
                )
                && self.foot(&[o.pv_cashable, o.pv_non_cashable], o.pv_benefits)
                && (o.baseline || self.foot(&[delta_benefits(o), -delta_costs(o)], o.npsv))
        });
        if !foots {
            notes.push(rounding_note(self.dp));
        }
        let mut sources = vec![
            sheet_range(&c.sources.options),
            sheet_range(&c.sources.costs),
            sheet_range(&c.sources.benefits),
        ];
        if let Some(s) = &c.sources.risks {
            sources.push(sheet_range(s));
        }
        blocks.push(
            Draft {
                caption: "Appraisal of each option against business as usual".into(),
                unit: format!("{}, present value", self.unit),
                wide: options.len() > 7,
                columns,
                rows,
                notes,
                sources,
                definition: Some(Definition::PresentValue),
            }
            .block(),
        );
        blocks.push(Block::Figure(npsv));

        blocks.push(heading(2, "Discounting"));
        blocks.push(Block::para(self.discounting_text()));

        blocks.push(heading(2, "Optimism bias"));
        blocks.push(Block::para(
            "Costs are uplifted for optimism bias at the rates below. Where an option names a project type, its rate is the upper bound of the Green Book supplementary guidance for that type, reduced only by the mitigation recorded; where the case team entered a rate, that rate is used as entered. The basis of each is given beside it.",
        ));
        blocks.push(self.optimism_bias_table().block());

        blocks.push(heading(2, "Preferred option"));
        let preferred = self.option_name(r.preferred);
        let text = match r.option(r.preferred) {
            _ if r.no_option_recommended() => format!(
                "No option is preferred: no option's net present social value is positive, so none offers better value for money than business as usual. {} is asked to note this, not to approve an option.",
                capitalise(self.decider())
            ),
            Some(o) => {
                let mut text = format!(
                    "The preferred option is {preferred}, with a net present social value of {}{}{}. {}",
                    self.phrase(o.npsv),
                    if o.value_for_money == ValueForMoney::Ratio {
                        " and "
                    } else {
                        "; "
                    },
                    self.vfm_words(o),
                    if r.preferred_pinned {
                        "It was chosen by the case on the evidence set out in this document; the benefit-cost ratio is one part of that evidence, not a pass mark."
                    } else {
                        "It has the highest net present social value of the short list."
                    }
                );
                if let Some(departs) = self.departure() {
                    text.push(' ');
                    text.push_str(&departs);
                }
                text
            }
            None => format!("The preferred option is {preferred}."),
        };
        blocks.push(Block::para(text));
        blocks.extend(self.sensitivity(tornado));
        blocks
    }

    /// Switching values of each option and the preferred option's sensitivity.
    fn sensitivity(&self, tornado: Option<Figure>) -> Vec<Block> {
        let r = self.results;
        let c = self.case;
        let mut blocks = Vec::new();
        if r.switching_values.is_empty() && r.sensitivity.is_empty() {
            return blocks;
        }
        blocks.push(heading(2, "Sensitivity and switching values"));
        let pct = |v: Option<Decimal>| {
            v.map_or_else(|| Cell::text("none"), |v| Cell::number(percent(v, 1), v))
        };
        if !r.switching_values.is_empty() {
            blocks.push(Block::para(
                "Switching values: how far an input would have to move before an option's net present social value fell to zero, the preferred option changed, or the option no longer paid back within the period.",
            ));
            let rows = r
                .switching_values
                .iter()
                .map(|sv| {
                    row(
                        RowRole::Body,
                        vec![
                            Cell::text(
                                c.option(sv.option)
                                    .map(|o| o.id.clone())
                                    .unwrap_or_default(),
                            ),
                            pct(sv.benefits_change),
                            pct(sv.costs_change),
                            pct(sv.savings_change_to_switch),
                            sv.payback_delay_years.map_or_else(
                                || Cell::text("none"),
                                |y| Cell::number(plural(y, "year"), Decimal::from(y)),
                            ),
                        ],
                    )
                })
                .collect();
            blocks.push(
                Draft {
                    caption: "Switching values".into(),
                    unit: String::new(),
                    columns: vec![
                        text_col("Option", Width::Auto),
                        num_col("Benefits change to zero NPSV"),
                        num_col("Costs change to zero NPSV"),
                        num_col("Savings change to switch option"),
                        num_col("Savings delay ending payback"),
                    ],
                    rows,
                    notes: Vec::new(),
                    wide: false,
                    sources: vec![
                        sheet_range(&c.sources.costs),
                        sheet_range(&c.sources.benefits),
                    ],
                    definition: Some(Definition::SwitchingValue),
                }
                .block(),
            );
        }
        if !r.sensitivity.is_empty() {
            let rows = r
                .sensitivity
                .iter()
                .take(20)
                .map(|e| {
                    // The line moved: its row (1-based here) on its sheet.
                    let sheet = if e.sheet == c.sources.benefits.name {
                        &c.sources.benefits
                    } else {
                        &c.sources.costs
                    };
                    let line = row_ranges(sheet, e.row.checked_sub(1));
                    row(
                        RowRole::Body,
                        vec![
                            Cell::text(self.sensitivity_label(e)),
                            Cell::text(self.sensitivity_where(e)),
                            Cell::number(percent(e.change, 1), e.change).sourced_from(line.clone()),
                            self.mc(e.npsv).defined(Definition::Npsv).sourced_from(line),
                        ],
                    )
                })
                .collect();
            let shown = r.sensitivity.len().min(20);
            blocks.push(
                Draft {
                    caption: format!(
                        "Sensitivity of the preferred option's NPSV to its {shown} largest effects"
                    ),
                    unit: format!("{}, present value", self.unit),
                    columns: vec![
                        text_col("Line", Width::Share(10)),
                        text_col("Where", Width::Auto),
                        num_col("Change"),
                        num_col("NPSV"),
                    ],
                    rows,
                    notes: Vec::new(),
                    wide: false,
                    sources: vec![
                        sheet_range(&c.sources.costs),
                        sheet_range(&c.sources.benefits),
                    ],
                    definition: Some(Definition::Sensitivity),
                }
                .block(),
            );
        }
        if let Some(t) = tornado {
            blocks.push(Block::Figure(t));
        }
        blocks
    }

    /// The base case and every scenario of case.toml, one row each, with
    /// the differences from the base case the engine gives.
    fn scenario_comparison(&self, scenarios: Option<Scenarios<'_>>) -> Vec<Block> {
        let mut blocks = vec![heading(2, "Scenarios")];
        let Some(Scenarios {
            base,
            each: scenarios,
        }) = scenarios
        else {
            blocks.push(Block::para(
                "No scenarios are defined, so the case is appraised only as it stands.",
            ));
            return blocks;
        };
        blocks.push(Block::para(format!(
            "The scenarios of {}, each the case recomputed with the change it describes, beside the case as it stands. Each \u{201c}vs base\u{201d} column is the scenario's figure less the base case's. Net positions of each partner under every scenario are in the Financial Case.",
            self.recommender()
        )));
        let m = |v: Option<Decimal>| v.map_or_else(|| Cell::text("–"), |v| self.mc(v));
        let vs = |v: Option<Decimal>, b: Option<Decimal>| {
            scenario::difference(v, b).map_or_else(|| Cell::text(""), |d| self.mc(d))
        };
        let bcr = |o: &Outcome| {
            o.preferred_bcr().map_or_else(
                || Cell::text(o.preferred_value_for_money().map_or("", vfm_short)),
                |v| Cell::number(format::fixed(v, 2), v),
            )
        };
        let payback = |o: &Outcome| {
            o.payback_year()
                .map_or_else(|| "none".to_string(), |y| y.to_string())
        };
        let blank = || Cell::text("");
        // Recurring shortfalls do not add across years: the last year stands for them.
        let recurring = !self.gap_totals();
        let gap = |o: &Outcome| {
            if recurring {
                o.results
                    .gap_after_case
                    .as_ref()
                    .and_then(|g| g.region.last().copied())
            } else {
                o.gap_after_case_total()
            }
        };
        let line = |o: &Outcome, is_base: bool| {
            let changed = |same: bool, text: String| {
                Cell::text(if is_base || same {
                    text
                } else {
                    format!("{text} (changed)")
                })
            };
            row(
                RowRole::Body,
                vec![
                    Cell::text(o.name.clone()),
                    Cell::text(o.description.clone()),
                    changed(
                        o.preferred_id() == base.preferred_id(),
                        o.preferred_id().to_string(),
                    ),
                    m(o.preferred_npsv()).defined(Definition::Npsv),
                    if is_base {
                        blank()
                    } else {
                        vs(o.preferred_npsv(), base.preferred_npsv())
                    },
                    bcr(o).defined(Definition::Bcr),
                    if is_base {
                        blank()
                    } else {
                        scenario::difference(o.preferred_bcr(), base.preferred_bcr())
                            .map_or_else(blank, |d| Cell::number(format::fixed(d, 2), d))
                    },
                    m(Some(o.total_cashable_savings)).defined(Definition::SavingsProfile),
                    if is_base {
                        blank()
                    } else {
                        vs(
                            Some(o.total_cashable_savings),
                            Some(base.total_cashable_savings),
                        )
                    },
                    changed(o.payback_year() == base.payback_year(), payback(o))
                        .defined(Definition::Payback),
                    m(gap(o)).defined(Definition::GapAfterCase),
                    if is_base {
                        blank()
                    } else {
                        vs(gap(o), gap(base))
                    },
                ],
            )
        };
        let mut rows = vec![line(base, true)];
        rows.extend(scenarios.iter().map(|o| line(o, false)));
        // A rule between the base case and the scenarios.
        if let Some(first) = rows.get_mut(1) {
            first.role = RowRole::Subtotal;
        }
        let notes = vec![format!(
            "NPSV, the benefit-cost ratio and cashable savings are the preferred option's, in real prices (NPSV at present value); cashable savings are the total over {}. The gap after case is the region's gap remaining after this case, summed over the budget years, in nominal prices. A preferred option or payback year marked (changed) differs from the base case's.",
            span(&self.results.years)
        )];
        blocks.push(
            Draft {
                caption: "Scenario comparison".into(),
                unit: self.unit.to_string(),
                columns: vec![
                    // Names and descriptions are the user's: shares of the
                    // width left, so they wrap rather than squeeze the figures.
                    text_col("Scenario", Width::Share(10)),
                    text_col("Description", Width::Share(20)),
                    text_col("Preferred option", Width::Auto),
                    num_col("NPSV"),
                    num_col("vs base"),
                    num_col("BCR"),
                    num_col("vs base"),
                    num_col("Cashable savings"),
                    num_col("vs base"),
                    text_col("Payback", Width::Auto),
                    num_col(if recurring {
                        "Gap after case, last year"
                    } else {
                        "Gap after case"
                    }),
                    num_col("vs base"),
                ],
                rows,
                notes,
                wide: true,
                sources: vec![
                    sheet_range(&self.case.sources.costs),
                    sheet_range(&self.case.sources.benefits),
                    sheet_range(&self.case.sources.partners),
                ],
                definition: Some(Definition::Scenario),
            }
            .block(),
        );
        blocks
    }

    /// Each partner's net position under the base case and every scenario,
    /// at most [`SCENARIOS_PER_TABLE`] scenarios to a table.
    fn scenario_partners(&self, base: &Outcome, scenarios: &[Outcome]) -> Vec<Block> {
        let mut blocks = vec![
            heading(2, "Each partner's net position under the scenarios"),
            Block::para(
                "Each partner's net position over the period (its apportioned savings less its apportioned costs of the preferred option, in real prices) under the case as it stands and under each scenario, with the change from the base case. A partner that does not join under a scenario shows a dash.",
            ),
        ];
        let m = |v: Option<Decimal>| v.map_or_else(|| Cell::text("–"), |v| self.mc(v));
        let parts: Vec<&[Outcome]> = scenarios.chunks(SCENARIOS_PER_TABLE).collect();
        let count = parts.len();
        for (k, part) in parts.into_iter().enumerate() {
            // Equal widths: a scenario's name heads a column and wraps
            // there, however long it is.
            let fixed = |h: &str| Column {
                width: Width::Share(10),
                ..num_col(h)
            };
            let mut columns = vec![text_col("Partner", Width::Share(16)), fixed("Base")];
            for o in part {
                columns.push(fixed(&o.name));
                columns.push(fixed("vs base"));
            }
            let rows = base
                .case
                .partners
                .names
                .iter()
                .map(|name| {
                    let b = base.partner_net_of(name);
                    let mut c = vec![Cell::text(name.clone()), m(b)];
                    for o in part {
                        let v = o.partner_net_of(name);
                        c.push(m(v));
                        c.push(
                            scenario::difference(v, b)
                                .map_or_else(|| Cell::text(""), |d| self.mc(d)),
                        );
                    }
                    row(RowRole::Body, c)
                })
                .collect();
            let caption = if count > 1 {
                format!(
                    "Each partner's net position under the scenarios, part {} of {count}",
                    k + 1
                )
            } else {
                "Each partner's net position under the scenarios".into()
            };
            blocks.push(
                Draft {
                    caption,
                    unit: format!("{}, real, total {}", self.unit, span(&self.results.years)),
                    wide: columns.len() > 7,
                    columns,
                    rows,
                    notes: Vec::new(),
                    sources: vec![
                        sheet_range(&self.case.sources.partners),
                        sheet_range(&self.case.sources.costs),
                        sheet_range(&self.case.sources.benefits),
                    ],
                    definition: Some(Definition::Scenario),
                }
                .block(),
            );
        }
        blocks
    }

    fn discounting_text(&self) -> String {
        let r = self.results;
        match r.discount_rate {
            DiscountRate::GreenBook => {
                let schedule = params::discount_schedule(r.edition);
                format!(
                    "Future costs and benefits are discounted to {} at the Social Time Preference Rate of the Green Book ({} edition): {} for years 0 to 30, then lower rates in later bands (Appendix B). Year 0 is {} and has a discount factor of 1. Source: {}.",
                    r.base_year,
                    r.edition,
                    percent(schedule.rate_for_year(1), 2),
                    r.base_year,
                    schedule.source
                )
            }
            DiscountRate::Fixed(rate) => format!(
                "Future costs and benefits are discounted to {} at a fixed rate of {} a year set in the workbook, in place of the Green Book ({} edition) schedule. Year 0 is {} and has a discount factor of 1.",
                r.base_year,
                percent(rate, 2),
                r.edition,
                r.base_year
            ),
        }
    }

    fn optimism_bias_table(&self) -> Draft {
        let c = self.case;
        let rows = c
            .options
            .iter()
            .filter(|o| !o.baseline)
            .map(|o| {
                let origin = |ob: &crate::model::OptimismBias| match ob.origin {
                    ObOrigin::Entered => "entered".to_string(),
                    ObOrigin::Category {
                        category,
                        upper,
                        lower,
                        mitigation,
                    } => format!(
                        "{}: upper {}, lower {}, mitigated {}",
                        category_name(category, c),
                        percent(upper, 1),
                        percent(lower, 1),
                        percent(mitigation, 1)
                    ),
                };
                row(
                    RowRole::Body,
                    vec![
                        Cell::text(o.id.clone()),
                        Cell::number(percent(o.ob_capital.rate, 2), o.ob_capital.rate),
                        Cell::number(percent(o.ob_revenue.rate, 2), o.ob_revenue.rate),
                        Cell::text(format!(
                            "capital: {}; revenue: {}",
                            origin(&o.ob_capital),
                            origin(&o.ob_revenue)
                        )),
                        Cell::text(if o.ob_basis.trim().is_empty() {
                            TO_BE_COMPLETED.into()
                        } else {
                            o.ob_basis.clone()
                        })
                        .defined(Definition::Input),
                    ],
                )
            })
            .collect();
        Draft {
            caption: "Optimism-bias rates and their basis".into(),
            unit: String::new(),
            columns: vec![
                text_col("Option", Width::Auto),
                num_col("Capital"),
                num_col("Revenue"),
                text_col("Derivation", Width::Share(12)),
                text_col("Basis", Width::Share(20)),
            ],
            rows,
            notes: vec![
                params::optimism_bias_table(self.results.edition)
                    .source
                    .to_string(),
            ],
            wide: false,
            sources: vec![sheet_range(&c.sources.options)],
            definition: Some(Definition::OptimismBias),
        }
    }

    fn financial(&self, profile_chart: Option<Figure>) -> Vec<Block> {
        let r = self.results;
        let c = self.case;
        let mut blocks = Vec::new();
        let preferred = self.option_name(r.preferred);
        let cost_sources = vec![
            sheet_range(&c.sources.costs),
            sheet_range(&c.sources.benefits),
        ];
        if let (Some(p), Some(totals)) = (r.profile(r.preferred), r.workings.profile(r.preferred)) {
            blocks.push(heading(2, "Savings profile"));
            blocks.push(Block::para(format!(
                "The cash view of {preferred} against business as usual, as entered in the workbook: no optimism bias or risk, not discounted. Real figures are in {} prices; nominal figures apply the case's inflation assumptions.",
                r.base_year
            )));
            for (label, years, total) in [
                ("real", &p.real, &totals.real_total),
                ("nominal", &p.nominal, &totals.nominal_total),
            ] {
                let (prices, definition) = if label == "real" {
                    (
                        format!("real {} prices", r.base_year),
                        Definition::SavingsProfile,
                    )
                } else {
                    ("nominal prices".into(), Definition::NominalPrices)
                };
                blocks.push(self.year_table(
                    &format!("Savings profile of the preferred option ({label})"),
                    &format!("{}, {prices}", self.unit),
                    &r.years,
                    &self.with_ranges(profile_lines(years, total), &PROFILE_LINES),
                    &cost_sources,
                    definition,
                ));
            }
            if let Some(chart) = profile_chart {
                blocks.push(Block::Figure(chart));
            }
        }

        blocks.push(heading(2, "Apportionment between partners"));
        let a = &r.apportionment;
        blocks.push(Block::para(format!(
            "Shared costs and savings are apportioned between the partners in proportion to {}; lines a partner bears alone fall to that partner. Apportioned amounts are rounded to whole pennies, the parts summing to the whole.",
            a.key
        )));
        // Lines of the preferred option or business as usual split by a key of their own.
        for k in &a.line_keys {
            let column = c.partners.key_columns.iter().position(|h| *h == k.key);
            let named: Vec<String> = c
                .costs
                .iter()
                .filter(|l| l.partner.is_none() && l.key.is_some() && l.key == column)
                .filter(|l| l.option == r.preferred || l.option == c.baseline)
                .map(|l| format!("\u{201c}{}\u{201d}", l.line))
                .chain(
                    c.benefits
                        .iter()
                        .filter(|l| l.partner.is_none() && l.key.is_some() && l.key == column)
                        .filter(|l| l.option == r.preferred || l.option == c.baseline)
                        .map(|l| format!("\u{201c}{}\u{201d}", l.line)),
                )
                .collect();
            if named.is_empty() {
                continue;
            }
            let shares: Vec<String> = c
                .partners
                .names
                .iter()
                .zip(&k.shares)
                .map(|(name, share)| format!("{name} {}", share_percent(*share)))
                .collect();
            blocks.push(Block::para(format!(
                "{} {} apportioned by {} instead: {}.",
                and_list(&named),
                if named.len() == 1 { "is" } else { "are" },
                k.key,
                shares.join(", ")
            )));
        }
        let key_col = c.assumptions.apportionment_key.value;
        let mut rows: Vec<Row> = c
            .partners
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let value = c
                    .partners
                    .values
                    .get(i)
                    .and_then(|v| v.get(key_col))
                    .copied()
                    .unwrap_or_default();
                let share = a.shares.get(i).copied().unwrap_or_default();
                row(
                    RowRole::Body,
                    vec![
                        Cell::text(name.clone()),
                        Cell::number(plain_number(value), value).defined(Definition::Input),
                        Cell::number(share_percent(share), share),
                    ],
                )
            })
            .collect();
        let key_total = r.workings.key_total;
        rows.push(row(
            RowRole::Total,
            vec![
                Cell::text("Total"),
                Cell::number(plain_number(key_total), key_total).defined(Definition::Total),
                Cell::number(share_percent(Decimal::ONE), Decimal::ONE),
            ],
        ));
        blocks.push(
            Draft {
                caption: format!("Apportionment key: {}", a.key),
                unit: String::new(),
                columns: vec![
                    text_col("Partner", Width::Share(10)),
                    num_col(&a.key),
                    num_col("Share"),
                ],
                rows,
                notes: if format::foots(&a.shares, Decimal::ONE, 4) {
                    Vec::new()
                } else {
                    vec!["Shares are rounded to two decimal places of a percent, so they may not add to exactly 100%.".into()]
                },
                wide: false,
                sources: vec![sheet_range(&c.sources.partners)],
                definition: Some(Definition::Apportionment),
            }
            .block(),
        );

        if let Some(app) = r.apportioned(r.preferred) {
            blocks.push(heading(2, "Each partner's figures"));
            blocks.push(Block::para(
                "For each partner, the nominal yearly capital and revenue costs and cashable savings of the preferred option: the figures its medium-term financial plan needs.",
            ));
            for pf in &app.partners {
                let totals = r
                    .workings
                    .apportioned(r.preferred)
                    .and_then(|a| a.partners.iter().find(|t| t.partner == pf.partner))
                    .map(|t| t.nominal)
                    .unwrap_or_default();
                blocks.push(self.year_table(
                    &format!("{}: preferred option (nominal)", self.partner(pf.partner)),
                    &format!("{}, nominal prices", self.unit),
                    &r.years,
                    &self.with_ranges(flow_lines(&pf.nominal, &totals), &FLOW_LINES),
                    &cost_sources,
                    Definition::Apportionment,
                ));
            }
        }
        if let Some(t) = self.net_position_table() {
            blocks.push(heading(2, "Net position of each partner"));
            blocks.push(t.block());
            if let Some(app) = r.apportioned(r.preferred) {
                let names: Vec<String> = app
                    .net_contributors
                    .iter()
                    .map(|p| self.partner(*p))
                    .collect();
                blocks.push(Block::para(if names.is_empty() {
                    "Every partner gains from the preferred option over the appraisal period: none is a net contributor.".to_string()
                } else {
                    format!(
                        "Net contributors over the appraisal period (their apportioned costs exceed their savings): {}.",
                        names.join(", ")
                    )
                }));
            }
        }

        if let Some(gap) = &r.budget_gap {
            blocks.push(heading(2, "Budget gap and risk gap"));
            let budget_src: Vec<String> = c.sources.budget.iter().map(sheet_range).collect();
            blocks.push(self.gap_table(
                "Regional budget gap and risk gap",
                &gap.years,
                &gap.region,
                None,
                &budget_src,
            ));
            for PartnerGap { partner, table } in &gap.partners {
                blocks.push(self.gap_table(
                    &format!("{}: budget gap and risk gap", self.partner(*partner)),
                    &gap.years,
                    table,
                    Some(*partner),
                    &budget_src,
                ));
            }
            if let (Some(after), Some(totals)) = (&r.gap_after_case, &r.workings.gap_after_case) {
                let mut src = budget_src.clone();
                src.extend(cost_sources.clone());
                for with_contingency in [false, true] {
                    let mut lines = Vec::new();
                    for (p, t) in after.partners.iter().zip(&totals.partners) {
                        let (values, total) = if with_contingency {
                            (&p.with_contingency, t.with_contingency)
                        } else {
                            (&p.gap, t.total)
                        };
                        lines.push(
                            YearLine::new(
                                self.partner(p.partner),
                                values.clone(),
                                total,
                                RowRole::Body,
                            )
                            .totalled_if(self.gap_totals())
                            .sourced_from(self.gap_after_case_rows(Some(p.partner))),
                        );
                    }
                    let (values, total, caption) = if with_contingency {
                        (
                            &after.region_with_contingency,
                            totals.region_with_contingency,
                            "Gap remaining after this case, with contingency for its risks",
                        )
                    } else {
                        (
                            &after.region,
                            totals.region,
                            "Gap remaining after this case",
                        )
                    };
                    lines.push(
                        YearLine::new("Region", values.clone(), total, RowRole::Total)
                            .totalled_if(self.gap_totals())
                            .sourced_from(self.gap_after_case_rows(None)),
                    );
                    blocks.push(self.year_table(
                        caption,
                        &self.gap_unit(),
                        &after.years,
                        &lines,
                        &src,
                        Definition::GapAfterCase,
                    ));
                }
            }
        }
        if let Some(fc) = &r.financial_case {
            let mut lines = Vec::new();
            for p in &fc.partners {
                let name = self.partner(p.partner);
                lines.push(YearLine::untotalled(
                    format!("{name}: capital charge ({})", p.method.key()),
                    p.financed.charge.clone(),
                    RowRole::Body,
                ));
                lines.push(YearLine::untotalled(
                    format!("{name}: contingency"),
                    p.contingency.clone(),
                    RowRole::Body,
                ));
                lines.push(YearLine::untotalled(
                    format!("{name}: net revenue effect"),
                    p.net_revenue_effect.clone(),
                    RowRole::Total,
                ));
            }
            lines.push(YearLine::untotalled(
                "Region: contingency",
                fc.region_contingency.clone(),
                RowRole::Body,
            ));
            lines.push(YearLine::untotalled(
                "Region: net revenue effect",
                fc.region_net_revenue_effect.clone(),
                RowRole::Total,
            ));
            blocks.push(heading(2, "Capital financing and net revenue effect"));
            blocks.push(Block::para(
                "For each partner, the revenue charge of its share of the capital (by its financing method), its share of the contingency for the option's risks, and the net revenue effect on its budget: savings less revenue costs and the capital charge. A positive net revenue effect improves the partner's budget.",
            ));
            blocks.push(self.year_table(
                "Capital financing, contingency and net revenue effect of the preferred option (nominal)",
                &format!("{}, nominal prices", self.unit),
                &r.years,
                &lines,
                &cost_sources,
                Definition::CapitalFinancing,
            ));
        }
        blocks.push(heading(2, "Affordability"));
        blocks.push(Block::para(self.affordability()));
        blocks
    }

    fn affordability(&self) -> String {
        let r = self.results;
        if r.no_option_recommended() {
            return "With no option recommended, the partners' budgets carry business as usual: there is no case to set against them.".into();
        }
        let mut text = String::new();
        if let Some(fc) = &r.financial_case {
            self.affordability_conclusion(fc, &mut text);
        }
        self.gap_context(&mut text);
        text
    }

    /// The affordability conclusion, drawn from each partner's net revenue
    /// effect alone: who must find how much, in which years, and how
    /// capital is financed.
    fn affordability_conclusion(&self, fc: &crate::compute::FinancialCase, text: &mut String) {
        let r = self.results;
        let preferred = self.option_name(r.preferred);
        // The conclusion: drawn from each partner's net revenue effect alone.
        let over = span(&fc.years);
        let short: Vec<String> = fc
            .partners
            .iter()
            .filter(|p| p.total.is_sign_negative() && !p.total.is_zero())
            .map(|p| {
                let years: Vec<String> = p.years_costing.iter().map(ToString::to_string).collect();
                format!(
                    "{} ({} over these years; it costs money in {})",
                    self.partner(p.partner),
                    self.phrase(p.total.abs()),
                    and_list(&years)
                )
            })
            .collect();
        if fc.self_funding {
            let _ = write!(
                text,
                "Over {over}, {preferred} pays for itself in every partner's revenue budget: each partner's savings cover its revenue costs, the revenue charge of its capital and its share of the contingency for risks, for a net revenue effect after contingency across the region of {}. ",
                self.phrase(fc.region_total)
            );
        } else {
            let _ = write!(
                text,
                "Over {over}, {preferred} does not pay for itself in every partner's revenue budget: after its revenue costs, the revenue charge of its capital and its share of the contingency for risks, {} must find the difference. Across the region the net revenue effect after contingency is {}. ",
                short.join("; "),
                self.phrase(fc.region_total)
            );
        }
        // Partners who gain over the period but lose in some years: each
        // named with the years and what those years cost it.
        let cash_flow: Vec<String> = fc
            .partners
            .iter()
            .filter(|p| !p.years_costing.is_empty() && !p.total.is_sign_negative())
            .map(|p| {
                let years: Vec<String> = p.years_costing.iter().map(ToString::to_string).collect();
                format!(
                    "{} ({} in {})",
                    self.partner(p.partner),
                    self.phrase(p.cost_in_those_years),
                    and_list(&years)
                )
            })
            .collect();
        if !cash_flow.is_empty() {
            let _ = write!(
                text,
                "Before the savings come through, {} {} a net cost that {} must cash-flow. ",
                and_list(&cash_flow),
                if cash_flow.len() == 1 {
                    "bears"
                } else {
                    "bear"
                },
                if cash_flow.len() == 1 {
                    "its plan"
                } else {
                    "their plans"
                }
            );
        }
        if !fc.capital_needed.is_zero() {
            use crate::model::Financing as F;
            let words = |m: F| match m {
                F::Revenue => "by a revenue contribution in the year of spend".to_string(),
                F::Reserves => "from reserves, so it does not reach the revenue budget".to_string(),
                F::Grant => {
                    "by capital grants and receipts, so it does not reach the revenue budget"
                        .to_string()
                }
                F::Borrowing if fc.region.charges_after_period.is_zero() => format!(
                    "by borrowing, repaid by minimum revenue provision over {} years with interest, all within the appraisal period",
                    self.case.asset_life(fc.option)
                ),
                F::Borrowing => format!(
                    "by borrowing, repaid by minimum revenue provision over {} years with interest; {} of charges fall after the appraisal period",
                    self.case.asset_life(fc.option),
                    self.phrase(fc.region.charges_after_period)
                ),
            };
            let methods: Vec<F> = [F::Revenue, F::Reserves, F::Grant, F::Borrowing]
                .into_iter()
                .filter(|m| fc.partners.iter().any(|p| p.method == *m))
                .collect();
            let how = if let [one] = methods.as_slice() {
                words(*one)
            } else {
                let parts: Vec<String> = methods
                    .iter()
                    .map(|m| {
                        let who: Vec<String> = fc
                            .partners
                            .iter()
                            .filter(|p| p.method == *m)
                            .map(|p| self.partner(p.partner))
                            .collect();
                        format!("{} {}", who.join(", "), words(*m))
                    })
                    .collect();
                format!("partner by partner: {}", parts.join("; "))
            };
            let _ = write!(
                text,
                "The case needs capital of {} in nominal prices, financed {how}",
                self.phrase(fc.capital_needed)
            );
            if fc.capital_avoided.is_zero() {
                text.push_str(". ");
            } else {
                let _ = write!(
                    text,
                    "; it avoids {} of business as usual's capital. ",
                    self.phrase(fc.capital_avoided)
                );
            }
        }
    }

    /// The gap after the case: context, not the test of affordability.
    fn gap_context(&self, text: &mut String) {
        let r = self.results;
        if let (Some(after), Some(totals)) = (&r.gap_after_case, &r.workings.gap_after_case) {
            if let (false, Some(y), Some(gap), Some(with)) = (
                self.gap_totals(),
                after.years.last(),
                after.region.last(),
                after.region_with_contingency.last(),
            ) {
                let _ = write!(
                    text,
                    "For context, the partners' plans show recurring shortfalls, which do not add across years: after this case the region's recurring risk-adjusted gap in {y} is {} ({} with the contingency for the case's risks), a gap of the partners' own, to be closed with or without this case.",
                    self.phrase(*gap),
                    self.phrase(*with)
                );
                return;
            }
            let remaining = totals.region;
            if remaining.is_sign_positive() && !remaining.is_zero() {
                let _ = write!(
                    text,
                    "For context, after this case the region's risk-adjusted gap still leaves {} to be closed over {} ({} with the contingency for the case's risks): a gap of the partners' own, to be closed with or without this case.",
                    self.phrase(remaining),
                    span(&after.years),
                    self.phrase(totals.region_with_contingency)
                );
            } else {
                let _ = write!(
                    text,
                    "For context, with this case no regional risk-adjusted gap remains over {}.",
                    span(&after.years)
                );
            }
        } else {
            text.push_str("The workbook has no Budget sheet, so the case is not set against the partners' budget gaps.");
        }
    }

    fn net_position_table(&self) -> Option<Draft> {
        let r = self.results;
        let app = r.apportioned(r.preferred)?;
        let footing = r.workings.apportioned(r.preferred)?;
        let totals = [
            footing.real.total.costs,
            footing.real.total.savings,
            footing.real.total.net,
            footing.nominal.total.net,
        ];
        let mut rows = Vec::new();
        let mut columns: [Vec<Decimal>; 4] = Default::default();
        for pf in &app.partners {
            let t = footing.partners.iter().find(|t| t.partner == pf.partner)?;
            let figures = [t.real.costs, t.real.savings, t.real.net, t.nominal.net];
            for (col, v) in columns.iter_mut().zip(figures) {
                col.push(v);
            }
            let position = if app.net_contributors.contains(&pf.partner) {
                "net contributor"
            } else {
                "net beneficiary"
            };
            // The partner's key and the preferred option's and business as usual's lines.
            let mut from = self
                .case
                .partners
                .rows
                .get(pf.partner.index())
                .map_or_else(Vec::new, |r| row_ranges(&self.case.sources.partners, [*r]));
            from.extend(self.lines(&[r.preferred, self.case.baseline], Lines::Net));
            let mut cells = vec![Cell::text(self.partner(pf.partner))];
            cells.extend(
                figures
                    .iter()
                    .map(|v| self.mc(*v).sourced_from(from.clone())),
            );
            cells.push(Cell::text(position));
            rows.push(row(RowRole::Body, cells));
        }
        let mut cells = vec![Cell::text("Total")];
        cells.extend(
            totals
                .iter()
                .map(|v| self.mc(*v).defined(Definition::Total)),
        );
        cells.push(Cell::text(""));
        rows.push(row(RowRole::Total, cells));
        let columns_foot = columns
            .iter()
            .zip(totals)
            .all(|(parts, total)| self.foot(parts, total));
        Some(Draft {
            caption: "Each partner's net position, preferred option".into(),
            unit: format!("{}, totals {}", self.unit, span(&r.years)),
            columns: vec![
                text_col("Partner", Width::Share(10)),
                num_col("Costs (real)"),
                num_col("Savings (real)"),
                num_col("Net (real)"),
                num_col("Net (nominal)"),
                text_col("Position", Width::Auto),
            ],
            rows,
            notes: self.note_unless(columns_foot),
            wide: false,
            sources: vec![
                sheet_range(&self.case.sources.partners),
                sheet_range(&self.case.sources.costs),
                sheet_range(&self.case.sources.benefits),
            ],
            definition: Some(Definition::Apportionment),
        })
    }

    fn gap_table(
        &self,
        caption: &str,
        years: &[FiscalYear],
        t: &GapTable,
        partner: Option<PartnerId>,
        src: &[String],
    ) -> Block {
        // A memo line is shown only where the Budget sheet has rows of it.
        let entered = |memo: BudgetLine| {
            self.case
                .budget
                .as_ref()
                .is_some_and(|b| b.rows.iter().any(|r| r.line == memo))
        };
        let lines: Vec<YearLine> = GapLine::ALL
            .iter()
            .filter(|line| match line {
                GapLine::LossOfGrantToFloors => entered(BudgetLine::LossOfGrantToFloors),
                GapLine::IncreaseInBorrowing => entered(BudgetLine::IncreaseInBorrowing),
                _ => true,
            })
            .map(|line| {
                let row = t.row(*line);
                let role = match line {
                    l if l.is_subtotal() => RowRole::Total,
                    GapLine::LossOfGrantToFloors | GapLine::IncreaseInBorrowing => RowRole::Memo,
                    _ => RowRole::Body,
                };
                let l = YearLine::new(line.label(), row.values.clone(), row.total, role)
                    .totalled_if(self.gap_totals())
                    .sourced_from(self.budget_rows(partner, gap_inputs(*line)));
                match line {
                    GapLine::ResidualGap => l.sum_of(&[(0, false), (1, false), (2, false)]),
                    GapLine::RiskAdjustedGap => l.sum_of(&[(3, false), (4, false)]),
                    _ => l,
                }
            })
            .collect();
        self.year_table(
            caption,
            &self.gap_unit(),
            years,
            &lines,
            src,
            Definition::BudgetGap,
        )
    }

    fn note_unless(&self, foots: bool) -> Vec<String> {
        if foots {
            Vec::new()
        } else {
            vec![rounding_note(self.dp)]
        }
    }

    /// Whether the figures as shown add up: each line across to its Total,
    /// and each line that is a sum of others, year by year and in total.
    fn foots(&self, lines: &[YearLine]) -> bool {
        let across = lines
            .iter()
            .all(|l| l.total.is_none_or(|total| self.foot(&l.values, total)));
        let down = lines.iter().all(|l| {
            let parts: Vec<(&YearLine, bool)> = l
                .sum_of
                .iter()
                .filter_map(|(i, neg)| lines.get(*i).map(|p| (p, *neg)))
                .collect();
            let signed = |v: Decimal, neg: bool| if neg { -v } else { v };
            let yearly = l.values.iter().enumerate().all(|(y, total)| {
                let figures: Vec<Decimal> = parts
                    .iter()
                    .map(|(p, neg)| signed(p.values.get(y).copied().unwrap_or_default(), *neg))
                    .collect();
                figures.is_empty() || self.foot(&figures, *total)
            });
            let totals: Vec<Decimal> = parts
                .iter()
                .map(|(p, neg)| signed(p.total.unwrap_or_default(), *neg))
                .collect();
            yearly && (totals.is_empty() || l.total.is_none_or(|total| self.foot(&totals, total)))
        });
        across && down
    }

    /// A table of lines by year, with a Total column when any line has a total.
    fn year_table(
        &self,
        caption: &str,
        unit: &str,
        years: &[FiscalYear],
        lines: &[YearLine],
        sources: &[String],
        definition: Definition,
    ) -> Block {
        let any_total = lines.iter().any(|l| l.total.is_some());
        let mut columns = vec![text_col("", Width::Share(10))];
        columns.extend(years.iter().map(|y| year_col(*y)));
        if any_total {
            columns.push(num_col("Total"));
        }
        let rows = lines
            .iter()
            .map(|l| {
                let mut c = vec![Cell::text(l.label.clone())];
                c.extend(
                    l.values
                        .iter()
                        .map(|v| self.mc(*v).sourced_from(l.ranges.clone())),
                );
                if any_total {
                    c.push(l.total.map_or_else(
                        || Cell::text(""),
                        |t| {
                            self.mc(t)
                                .defined(Definition::Total)
                                .sourced_from(l.ranges.clone())
                        },
                    ));
                }
                row(l.role, c)
            })
            .collect();
        Draft {
            caption: caption.to_string(),
            unit: unit.to_string(),
            columns,
            rows,
            notes: if self.foots(lines) {
                Vec::new()
            } else {
                vec![rounding_note(self.dp)]
            },
            wide: years.len() > COMFORTABLE_YEARS,
            sources: sources.to_vec(),
            definition: Some(definition),
        }
        .block()
    }

    fn management(&self) -> Vec<Block> {
        let c = self.case;
        let expected = &self.results.workings.risk_costs;
        let mut blocks = vec![heading(2, "Risk register")];
        if c.risks.is_empty() {
            blocks.push(Block::para("The workbook records no quantified risks."));
            return blocks;
        }
        let rows = c
            .risks
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let ev = expected.get(i).copied().unwrap_or_default();
                row(
                    RowRole::Body,
                    vec![
                        Cell::text(k.id.clone()),
                        Cell::text(k.description.clone()),
                        Cell::text(c.option(k.option).map(|o| o.id.clone()).unwrap_or_default()),
                        Cell::text(
                            c.years
                                .get(k.year)
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        ),
                        Cell::number(percent(k.probability, 1), k.probability),
                        self.mc(k.impact),
                        self.mc(ev).defined(Definition::RiskExpectedValue),
                        Cell::text(k.owner.clone()),
                        Cell::text(k.mitigation.clone()),
                    ],
                )
            })
            .collect();
        blocks.push(
            Draft {
                caption: "Risk register".into(),
                unit: format!("{}, real {} prices", self.unit, self.results.base_year),
                columns: vec![
                    text_col("ID", Width::Auto),
                    text_col("Risk", Width::Share(20)),
                    text_col("Option", Width::Auto),
                    text_col("Year", Width::Auto),
                    num_col("Probability"),
                    num_col("Impact"),
                    num_col("Expected value"),
                    text_col("Owner", Width::Share(12)),
                    text_col("Mitigation", Width::Share(20)),
                ],
                rows,
                notes: vec!["Expected value = probability × impact; the appraisal adds it to each option's costs in the year shown.".into()],
                wide: true,
                sources: c.sources.risks.iter().map(sheet_range).collect(),
                definition: Some(Definition::Input),
            }
            .block(),
        );
        blocks
    }

    fn assumptions(&self) -> Vec<Block> {
        let a = &self.case.assumptions;
        let at = |cell: &Option<crate::model::CellRef>| {
            cell.as_ref()
                .map_or_else(|| "default".to_string(), ToString::to_string)
        };
        let rate = match a.discount_rate.value {
            DiscountRate::GreenBook => {
                format!("Green Book STPR ({} edition)", self.results.edition)
            }
            DiscountRate::Fixed(r) => format!("fixed {}", percent(r, 2)),
        };
        let key = self
            .case
            .partners
            .key_columns
            .get(a.apportionment_key.value)
            .cloned()
            .unwrap_or_default();
        let rows = vec![
            texts(
                RowRole::Body,
                vec![
                    "Base year (price base and year 0)".into(),
                    a.base_year.value.to_string(),
                    at(&a.base_year.at),
                ],
            ),
            texts(
                RowRole::Body,
                vec![
                    "Money unit".into(),
                    if self.shown.unit == a.unit.value {
                        a.unit.value.label().into()
                    } else {
                        format!(
                            "{} as entered; shown in {}",
                            a.unit.value.label(),
                            self.shown.label()
                        )
                    },
                    at(&a.unit.at),
                ],
            ),
            texts(
                RowRole::Body,
                vec!["Discount rate".into(), rate, at(&a.discount_rate.at)],
            ),
            texts(
                RowRole::Body,
                vec![
                    "General inflation (a year)".into(),
                    percent(a.general_inflation.value, 2),
                    at(&a.general_inflation.at),
                ],
            ),
            texts(
                RowRole::Body,
                vec![
                    "Pay inflation (a year)".into(),
                    percent(a.pay_inflation.value, 2),
                    at(&a.pay_inflation.at),
                ],
            ),
            texts(
                RowRole::Body,
                vec!["Apportionment key".into(), key, at(&a.apportionment_key.at)],
            ),
            texts(
                RowRole::Body,
                vec![
                    "Green Book edition".into(),
                    self.results.edition.year().into(),
                    "the case's settings".into(),
                ],
            ),
            texts(
                RowRole::Body,
                vec![
                    "Appraisal period".into(),
                    span(&self.results.years),
                    sheet_range(&self.case.sources.costs),
                ],
            ),
        ];
        vec![
            Draft {
                caption: "Assumptions and their sources".into(),
                unit: String::new(),
                columns: vec![
                    text_col("Assumption", Width::Share(10)),
                    text_col("Value", Width::Share(10)),
                    text_col("Source", Width::Share(10)),
                ],
                rows,
                notes: Vec::new(),
                wide: false,
                sources: self
                    .case
                    .sources
                    .assumptions
                    .iter()
                    .map(sheet_range)
                    .collect(),
                definition: Some(Definition::Input),
            }
            .block(),
        ]
    }

    fn methodology(&self) -> Vec<Block> {
        let r = self.results;
        let mut blocks = vec![list(
            false,
            [
                format!("Appraisal: each option is compared with business as usual over {}, in real {} prices.", span(&r.years), r.base_year),
                "Discounting: the discount factor of year t is D(t) = D(t−1) / (1 + r(t)), with D = 1 in year 0 and r(t) the rate of the band year t falls in.".into(),
                "Optimism bias: capital and revenue costs are uplifted by each option's rates before risk is added.".into(),
                "Risk: each risk adds its expected value (probability × impact) to its option's costs in its year.".into(),
                "Net present social value = present value of benefits − present value of costs; benefit-cost ratio = present value of benefits ÷ present value of costs, both incremental to business as usual.".into(),
                "Nominal prices: real amounts are inflated from the base year by general or pay inflation, as each cost line says.".into(),
                format!("Rounding: figures are computed exactly and shown in {} to {}, half away from zero; totals are of exact values.", self.unit, plural(self.dp, "decimal place")),
            ],
        )];
        if let DiscountRate::GreenBook = r.discount_rate {
            let schedule = params::discount_schedule(r.edition);
            let rows = schedule
                .bands
                .iter()
                .map(|b| {
                    let years = match b.to {
                        Some(to) => format!("{}–{}", b.from, to),
                        None => format!("{} and later", b.from),
                    };
                    row(
                        RowRole::Body,
                        vec![Cell::text(years), Cell::number(percent(b.rate, 2), b.rate)],
                    )
                })
                .collect();
            blocks.push(
                Draft {
                    caption: format!(
                        "Social Time Preference Rate, Green Book {} edition",
                        r.edition
                    ),
                    unit: String::new(),
                    columns: vec![
                        text_col("Years from the base year", Width::Share(10)),
                        num_col("Rate"),
                    ],
                    rows,
                    notes: vec![schedule.source.to_string()],
                    wide: false,
                    sources: vec![schedule.source.to_string()],
                    definition: Some(Definition::DiscountFactor),
                }
                .block(),
            );
        }
        // One row a year: a long appraisal period runs down the page, not off it.
        let rows = r
            .years
            .iter()
            .zip(self.case.periods())
            .zip(&r.discount_factors)
            .map(|((y, t), d)| {
                row(
                    RowRole::Body,
                    vec![
                        Cell::text(y.to_string()),
                        Cell::number(t.to_string(), Decimal::from(t)),
                        Cell::number(format::fixed(*d, 4), *d),
                    ],
                )
            })
            .collect();
        blocks.push(
            Draft {
                caption: "Discount factors".into(),
                unit: String::new(),
                columns: vec![
                    text_col("Financial year", Width::Auto),
                    num_col("Years from the base year"),
                    num_col("Discount factor"),
                ],
                rows,
                notes: Vec::new(),
                wide: false,
                sources: vec!["computed from the discount rate of Appendix A".into()],
                definition: Some(Definition::DiscountFactor),
            }
            .block(),
        );
        blocks
    }
}

/// `text` with its first letter in capitals, for the start of a sentence
/// ("the Summit" → "The Summit").
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `n` and `word`, plural where `n` is not 1: `plural(1, "year")` is
/// "1 year", `plural(2, "year")` "2 years" (regular plurals only).
pub(crate) fn plural(n: impl Into<u64>, word: &str) -> String {
    let n: u64 = n.into();
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `2025/26 to 2034/35`.
/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn span(years: &[FiscalYear]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

fn rounding_note(dp: u32) -> String {
    let places = match dp {
        0 => "whole units".to_string(),
        1 => "one decimal place".to_string(),
        n => format!("{n} decimal places"),
    };
    format!(
        "Figures are rounded to {places} from exact values, so some totals differ from the sum of the figures shown."
    )
}

/// The Budget-sheet lines a line of a budget-gap table is computed from.
fn gap_inputs(line: GapLine) -> &'static [BudgetLine] {
    use BudgetLine as B;
    match line {
        GapLine::BaseBudgetGap => &[B::BaseBudgetGap],
        GapLine::UseOfReserves => &[B::UseOfReserves],
        GapLine::CashReleasingEfficiencies => &[B::CashReleasingEfficiencies],
        GapLine::ResidualGap => &[
            B::BaseBudgetGap,
            B::UseOfReserves,
            B::CashReleasingEfficiencies,
        ],
        GapLine::IdentifiedRiskGap => &[B::IdentifiedRiskGap],
        GapLine::RiskAdjustedGap => &[
            B::BaseBudgetGap,
            B::UseOfReserves,
            B::CashReleasingEfficiencies,
            B::IdentifiedRiskGap,
        ],
        GapLine::LossOfGrantToFloors => &[B::LossOfGrantToFloors],
        GapLine::IncreaseInBorrowing => &[B::IncreaseInBorrowing],
    }
}

/// The input lines behind each of [`profile_lines`].
const PROFILE_LINES: [Lines; 6] = [
    Lines::Benefits(Some(BenefitKind::Cashable)),
    Lines::Costs(Some(CostKind::Capital)),
    Lines::Costs(Some(CostKind::Revenue)),
    Lines::Costs(None),
    Lines::Net,
    Lines::Net,
];

/// The input lines behind each of [`flow_lines`].
const FLOW_LINES: [Lines; 5] = [
    Lines::Costs(Some(CostKind::Capital)),
    Lines::Costs(Some(CostKind::Revenue)),
    Lines::Costs(None),
    Lines::Benefits(Some(BenefitKind::Cashable)),
    Lines::Net,
];

/// The lines of a savings profile; `t` holds the engine's totals.
fn profile_lines(years: &[ProfileYear], t: &ProfileYear) -> Vec<YearLine> {
    let col = |f: fn(&ProfileYear) -> Decimal| years.iter().map(f).collect::<Vec<_>>();
    vec![
        YearLine::new(
            "Cashable savings",
            col(|y| y.cashable),
            t.cashable,
            RowRole::Body,
        ),
        YearLine::new(
            "Capital costs",
            col(|y| y.capital),
            t.capital,
            RowRole::Body,
        ),
        YearLine::new(
            "Revenue costs",
            col(|y| y.revenue),
            t.revenue,
            RowRole::Body,
        ),
        YearLine::new("Total costs", col(|y| y.costs), t.costs, RowRole::Subtotal)
            .sum_of(&[(1, false), (2, false)]),
        YearLine::new("Net saving", col(|y| y.net), t.net, RowRole::Total)
            .sum_of(&[(0, false), (3, true)]),
        YearLine {
            total: None,
            ..YearLine::new(
                "Cumulative net",
                col(|y| y.cumulative_net),
                t.cumulative_net,
                RowRole::Memo,
            )
        },
    ]
}

/// The lines of one partner's flows; `t` holds the engine's totals.
fn flow_lines(f: &Flows, t: &FlowTotals) -> Vec<YearLine> {
    vec![
        YearLine::new("Capital costs", f.capital.clone(), t.capital, RowRole::Body),
        YearLine::new("Revenue costs", f.revenue.clone(), t.revenue, RowRole::Body),
        YearLine::new("Total costs", f.costs.clone(), t.costs, RowRole::Subtotal)
            .sum_of(&[(0, false), (1, false)]),
        YearLine::new(
            "Cashable savings",
            f.savings.clone(),
            t.savings,
            RowRole::Body,
        ),
        YearLine::new("Net saving", f.net.clone(), t.net, RowRole::Total)
            .sum_of(&[(3, false), (2, true)]),
    ]
}

/// A share as a percentage to exactly two places, so a column of shares aligns: `21.30%`.
fn share_percent(share: Decimal) -> String {
    format!("{}%", format::fixed(share * Decimal::ONE_HUNDRED, 2))
}

/// A key value as entered: thousands separators, its own decimals.
fn plain_number(v: Decimal) -> String {
    let v = v.normalize();
    money(v, v.scale().min(4))
}

fn category_name(category: ObCategory, case: &Case) -> &'static str {
    params::optimism_bias_table(case.meta.edition)
        .row(category)
        .map_or("category", |r| r.name)
}

/// The figures of `rows` of `sheet`: its year columns (every column when
/// it has none) on those rows, each run of consecutive rows one range,
/// as `Costs!F5:O9`.
fn row_ranges(sheet: &SheetSource, rows: impl IntoIterator<Item = u32>) -> Vec<String> {
    let years: Vec<u32> = sheet
        .columns
        .iter()
        .filter(|(name, _)| name.parse::<FiscalYear>().is_ok())
        .map(|(_, c)| *c)
        .collect();
    let cols: Vec<u32> = if years.is_empty() {
        sheet.columns.values().copied().collect()
    } else {
        years
    };
    let first_col = cols.iter().min().copied().unwrap_or(0);
    let last_col = cols.iter().max().copied().unwrap_or(0);
    let mut rows: Vec<u32> = rows.into_iter().collect();
    rows.sort_unstable();
    rows.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for r in rows {
        match runs.last_mut() {
            Some((_, last)) if last.checked_add(1) == Some(r) => *last = r,
            _ => runs.push((r, r)),
        }
    }
    runs.into_iter()
        .map(|(first_row, last_row)| {
            CellRange {
                sheet: sheet.name.clone(),
                first_row,
                first_col,
                last_row,
                last_col,
            }
            .to_string()
        })
        .collect()
}

/// A sheet's data, header row included, as `Costs!A4:N40`.
fn sheet_range(s: &SheetSource) -> String {
    let first_col = s.columns.values().min().copied().unwrap_or(0);
    let last_col = s.columns.values().max().copied().unwrap_or(0);
    CellRange {
        sheet: s.name.clone(),
        first_row: s.header_row,
        first_col,
        last_row: s.last_data_row.max(s.header_row),
        last_col,
    }
    .to_string()
}

/// The source-map appendix: every table in the document and where its inputs are.
fn source_map(doc: &Document) -> Block {
    let mut rows = Vec::new();
    for section in doc.sections() {
        for block in &section.blocks {
            if let Block::Table(t) = block {
                rows.push(texts(
                    RowRole::Body,
                    vec![
                        section.short.clone(),
                        format!("{}: {}", t.label(), t.caption),
                        t.sources.join("; "),
                    ],
                ));
            }
        }
    }
    Draft {
        caption: "Where each table's figures come from".into(),
        unit: String::new(),
        columns: vec![
            text_col("Section", Width::Auto),
            text_col("Table", Width::Share(15)),
            text_col("Workbook ranges", Width::Share(15)),
        ],
        rows,
        notes: vec!["Ranges include each sheet's header row; amounts computed for this case are derived from the ranges named.".into()],
        wide: false,
        sources: Vec::new(),
        definition: None,
    }
    .block()
}

/// The narrative's blocks as the document's, its headings `base` levels
/// down (at most level 6).
pub(super) fn narrative_blocks(blocks: Vec<markdown::Block>, base: u8) -> Vec<Block> {
    blocks
        .into_iter()
        .map(|b| match b {
            markdown::Block::Heading { level, c } => Block::Heading {
                level: level.saturating_add(base).min(6),
                id: String::new(),
                text: c,
            },
            markdown::Block::Para { c } => Block::Paragraph(c),
            markdown::Block::List {
                ordered,
                start,
                items,
            } => Block::List {
                ordered,
                start,
                items: items
                    .into_iter()
                    .map(|i| narrative_blocks(i, base))
                    .collect(),
            },
            markdown::Block::Table { align, head, rows } => Block::TextTable {
                align: align
                    .into_iter()
                    .map(|a| match a {
                        "left" => Some(Align::Left),
                        "right" => Some(Align::Right),
                        "center" => Some(Align::Center),
                        _ => None,
                    })
                    .collect(),
                head,
                rows,
            },
            markdown::Block::Quote { c } => Block::Quote(narrative_blocks(c, base)),
            markdown::Block::Code { s } => Block::Code(s),
            markdown::Block::Rule => Block::Rule,
        })
        .collect()
}

/// What stands in a benefit-cost ratio's place where there is no ratio.
fn vfm_short(v: ValueForMoney) -> &'static str {
    match v {
        ValueForMoney::Baseline => "business as usual",
        ValueForMoney::NoDifference => "no difference",
        ValueForMoney::Dominant => "dominant",
        ValueForMoney::Dominated => "dominated",
        ValueForMoney::Ratio => "",
        ValueForMoney::CostSaving => "cost-saving",
    }
}
