//! The business case as a document any format can print.
//!
//! [`build`] turns the validated case, the engine's results, the scenarios'
//! outcomes and the SRO's narrative into one [`Document`]: a title page,
//! then a tree of sections holding headings, paragraphs of plain text runs,
//! lists, tables and figures. Every content decision lives here: what each
//! section says and in what order, the fixed sentences, the wording of
//! every generated paragraph, which figures each table shows and how they
//! are formatted, the numbering of tables and figures, the contents, the
//! document control and the source map.
//!
//! The document knows nothing of typst, pages, points or millimetres: its
//! exporters (the PDF now; HTML and Word next) decide how it looks. A table
//! cell carries its exact value where it is a number, its display text,
//! its alignment and role, and its provenance (the workbook ranges it was
//! computed from and the name of its definition in docs/methodology.md);
//! a figure carries its data, not a drawing ([`crate::render::chart`] draws
//! it). Building is pure: no IO, and no arithmetic on money (every figure
//! comes from [`Results`](crate::compute::Results), including its
//! [`workings`](crate::compute::Results::workings) totals, or from the
//! scenarios' outcomes).

mod build;
pub mod markdown;
#[cfg(test)]
mod tests;

use rust_decimal::Decimal;
use serde::Serialize;

pub use build::{
    Entry as FigureEntry, Kind as FigureArg, NarrativeProblem, VOCABULARY, narrative_problems,
    vocabulary_table,
};
pub use build::{Scenarios, build, build_with_risk, under_scenario};
pub use markdown::Inline;

/// The whole business case.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub title_page: TitlePage,
    /// The body, in reading order.
    pub parts: Vec<Part>,
}

/// What every page or file of the document carries about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The document's title, as its metadata gives it (`title – stage`).
    pub title: String,
    pub author: String,
    /// The protective marking, shown on every page.
    pub marking: String,
    /// The running title: `title, version 0.3`.
    pub running_title: String,
}

/// The title page: the programme, the title, the stage, then labelled facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitlePage {
    pub programme: String,
    pub title: String,
    /// `Outline Business Case (OBC)`.
    pub subtitle: String,
    /// (label, value): version, date, SRO, marking, Green Book edition.
    pub fields: Vec<(String, String)>,
}

/// A top-level part of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// The table of contents: the headings down to `depth`.
    Contents {
        title: String,
        depth: u8,
    },
    Section(Section),
}

/// A top-level section (`2 Economic Case`), its heading at level 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// A stable id (`economic-case`), for links and anchors.
    pub id: String,
    pub title: String,
    /// How the source map names the section (`Appendix B`).
    pub short: String,
    pub blocks: Vec<Block>,
}

/// Content within a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading below the section's: `level` 2 to 6.
    Heading {
        level: u8,
        /// Stable and unique in the document.
        id: String,
        text: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// A list; `start` is the first number of an ordered list.
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Table(Table),
    /// A table of text from the narrative (a pipe table): no figures, no numbering.
    TextTable {
        /// Per column; `None` leaves the alignment to the exporter.
        align: Vec<Option<Align>>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Figure(Figure),
    Quote(Vec<Block>),
    /// Preformatted text, shown as written.
    Code(String),
    /// A thematic break.
    Rule,
    /// A part the SRO has not written yet: shown as a visible mark.
    Placeholder(String),
}

impl Block {
    /// A paragraph of one plain text run.
    pub fn para(text: impl Into<String>) -> Self {
        Self::Paragraph(vec![Inline::Text { s: text.into() }])
    }
}

/// Horizontal alignment of a cell or column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Right,
    Center,
}

/// A numbered table of figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Numbered in document order from 1.
    pub number: u32,
    pub caption: String,
    /// What the figures are, e.g. `£m, nominal prices` (empty when they are not amounts).
    pub unit: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Printed under the table: rounding, sources of parameters.
    pub notes: Vec<String>,
    /// A hint: too many columns to read comfortably at a text width
    /// (many years side by side); an exporter may give it a wider page.
    pub wide: bool,
    /// Where the table's inputs are, for the source map: workbook ranges
    /// (`Costs!A4:N40`) or the name of another source (`case.toml [[history]]`).
    pub sources: Vec<String>,
}

impl Table {
    /// `table-4`: stable within the document.
    pub fn id(&self) -> String {
        format!("table-{}", self.number)
    }

    /// `Table 4`.
    pub fn label(&self) -> String {
        format!("Table {}", self.number)
    }
}

/// A column of a table: its header cell, what it holds, how wide it wants to be.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: Cell,
    pub kind: ColumnKind,
    pub width: Width,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Number,
    /// The figures of one year of a series of years; an exporter short of
    /// width may split a table between its year columns, the columns before
    /// them repeated and the columns after them (totals) kept to the last part.
    Year,
}

/// A column's width, relative to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// As wide as its widest cell.
    Auto,
    /// A share, in tenths, of the width the `Auto` columns leave.
    Share(u16),
}

/// A row of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub role: RowRole,
    pub cells: Vec<Cell>,
}

/// What a row is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRole {
    Body,
    /// A sum of rows above it: set off from them.
    Subtotal,
    /// The table's total: set off and emphasised.
    Total,
    /// For information, not part of the sums (cumulative figures, memo lines).
    Memo,
}

/// A cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// As printed: `1,234.5`, `21.30%`, `2026/27`, `–`.
    pub text: String,
    /// The exact figure the text shows, where the cell is a number.
    pub value: Option<Decimal>,
    pub align: Align,
    pub role: CellRole,
    pub provenance: Provenance,
}

/// What a cell is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRole {
    Header,
    /// The label of a row (its first column).
    Label,
    Value,
    /// A figure of a total row.
    Total,
    /// A note or memo figure, not part of the sums.
    Note,
}

/// Where a cell's figure comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// The input ranges it was computed from (`Costs!A5:N5`), or the name of
    /// another source (`case.toml [[history]]`); empty for headers and labels.
    pub ranges: Vec<String>,
    /// Its definition in docs/methodology.md.
    pub definition: Option<Definition>,
}

/// A definition in docs/methodology.md, by stable anchor name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Definition {
    /// An input as entered, shown unchanged.
    Input,
    DiscountFactor,
    PresentValue,
    OptimismBias,
    RiskExpectedValue,
    Npsv,
    Bcr,
    Payback,
    SavingsProfile,
    NominalPrices,
    Apportionment,
    BudgetGap,
    GapAfterCase,
    /// Capital financing, net revenue effect, contingency and affordability.
    CapitalFinancing,
    SwitchingValue,
    Sensitivity,
    Scenario,
    /// A sum of the figures beside it (a Total column or row).
    Total,
    /// A figure of the quantified risk analysis (percentiles, allowances).
    QuantifiedRisk,
}

impl Definition {
    /// Every definition, each with its anchor in docs/methodology.md.
    pub const ALL: [Definition; 19] = [
        Self::Input,
        Self::DiscountFactor,
        Self::PresentValue,
        Self::OptimismBias,
        Self::RiskExpectedValue,
        Self::Npsv,
        Self::Bcr,
        Self::Payback,
        Self::SavingsProfile,
        Self::NominalPrices,
        Self::Apportionment,
        Self::BudgetGap,
        Self::GapAfterCase,
        Self::CapitalFinancing,
        Self::SwitchingValue,
        Self::Sensitivity,
        Self::Scenario,
        Self::Total,
        Self::QuantifiedRisk,
    ];

    /// The anchor name of the definition in docs/methodology.md.
    pub fn anchor(self) -> &'static str {
        match self {
            Self::Input => "inputs",
            Self::DiscountFactor => "discount-factor",
            Self::PresentValue => "present-value",
            Self::OptimismBias => "optimism-bias",
            Self::RiskExpectedValue => "risk-expected-value",
            Self::Npsv => "npsv",
            Self::Bcr => "bcr",
            Self::Payback => "payback",
            Self::SavingsProfile => "savings-profile",
            Self::NominalPrices => "nominal-prices",
            Self::Apportionment => "apportionment",
            Self::BudgetGap => "budget-gap",
            Self::GapAfterCase => "gap-after-case",
            Self::CapitalFinancing => "capital-financing",
            Self::SwitchingValue => "switching-values",
            Self::Sensitivity => "sensitivity",
            Self::Scenario => "scenarios",
            Self::Total => "totals",
            Self::QuantifiedRisk => "quantified-risk-analysis",
        }
    }
}

impl Cell {
    /// A cell of text (aligned and given its role when its row is added).
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            value: None,
            align: Align::Left,
            role: CellRole::Value,
            provenance: Provenance::default(),
        }
    }

    /// A cell showing `value` as `text`.
    pub fn number(text: impl Into<String>, value: Decimal) -> Self {
        Self {
            value: Some(value),
            ..Self::text(text)
        }
    }

    /// The same cell, its figure computed from the input `ranges`.
    #[must_use]
    pub fn sourced_from(mut self, ranges: Vec<String>) -> Self {
        self.provenance.ranges = ranges;
        self
    }

    /// The same cell, its figure defined in docs/methodology.md under `definition`.
    #[must_use]
    pub fn defined(mut self, definition: Definition) -> Self {
        self.provenance.definition = Some(definition);
        self
    }
}

/// A numbered figure: a chart's data, caption and alternative text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Numbered in document order from 1.
    pub number: u32,
    pub caption: String,
    /// What the figure shows, in words, for readers who cannot see it.
    pub alt: String,
    pub chart: Chart,
}

impl Figure {
    /// `figure-2`: stable within the document.
    pub fn id(&self) -> String {
        format!("figure-{}", self.number)
    }

    /// `Figure 2`.
    pub fn label(&self) -> String {
        format!("Figure {}", self.number)
    }
}

/// A chart's data and the words on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chart {
    /// One bar per label.
    Bars {
        bars: Vec<Bar>,
        y_title: String,
        x_title: String,
        /// The legend's name for the bars.
        series: String,
    },
    /// Savings and costs as bars by year, the cumulative net as a line.
    Profile {
        points: Vec<ProfilePoint>,
        y_title: String,
        /// The legend: savings, costs, cumulative net.
        labels: [String; 3],
    },
    /// Labelled points placed by two scores over shaded regions (a
    /// programme's priority matrix: strategic fit against practicality,
    /// each tier a region reaching to the top right corner).
    Matrix {
        points: Vec<MatrixPoint>,
        /// The first is drawn last, over the others (the tiers tried
        /// first are the smallest), each a shade of grey of its own.
        regions: Vec<MatrixRegion>,
        x_title: String,
        y_title: String,
        /// Both axes run from `lo` to `hi`.
        lo: Decimal,
        hi: Decimal,
    },
    /// Cumulative probability curves (S-curves) of a figure, one per
    /// series: the value at each whole percentile from 0 (the minimum) to
    /// 100 (the maximum), with the percentiles in `marks` marked.
    SCurve {
        series: Vec<Curve>,
        marks: Vec<u32>,
        y_title: String,
        x_title: String,
    },
    /// Each line's value moved down and up, around the base.
    Tornado {
        lines: Vec<TornadoLine>,
        base: Decimal,
        title: String,
        /// The legend: up, down, base.
        legend: [String; 3],
    },
    /// Milestones placed along a time axis, one row each, in date order.
    Timeline {
        events: Vec<TimelineEvent>,
        /// The years the axis marks: each year's label and its day (as [`TimelineEvent::day`]).
        ticks: Vec<(String, i64)>,
        /// The legend's words for a milestone with a gateway.
        gateway: String,
    },
}

/// One milestone of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    pub label: String,
    /// The date as the document prints it.
    pub date: String,
    /// Days from the axis's start.
    pub day: i64,
    /// The gateway at the milestone, if any.
    pub gateway: String,
}

/// One labelled value of a bar chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: Decimal,
}

/// One year of a profile chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfilePoint {
    pub year: String,
    pub savings: Decimal,
    pub costs: Decimal,
    pub cumulative: Decimal,
}

/// One labelled point of a matrix chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixPoint {
    pub label: String,
    pub x: Decimal,
    pub y: Decimal,
}

/// A region of a matrix chart: from (`x`, `y`) to the top right corner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRegion {
    pub label: String,
    pub x: Decimal,
    pub y: Decimal,
}

/// One series of an S-curve: 101 values, at 0%, 1%, …, 100%.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curve {
    pub label: String,
    pub values: Vec<Decimal>,
}

/// One line of a tornado chart: the result with the line moved down and up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornadoLine {
    pub label: String,
    pub down: Decimal,
    pub up: Decimal,
}

impl Document {
    /// Every section, in order.
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.parts.iter().filter_map(|p| match p {
            Part::Section(s) => Some(s),
            Part::Contents { .. } => None,
        })
    }

    /// Every numbered table, in document order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
    }

    /// Every figure, in document order.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.sections()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Figure(f) => Some(f),
                _ => None,
            })
    }
}
