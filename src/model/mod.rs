//! The validated business case, as types.
//!
//! Everything here has passed ingest's checks: option and partner references
//! are typed ids ([`OptionId`], [`PartnerId`]) that exist, year columns line
//! up with `Case::years`, exactly one option is the baseline, rates are in
//! range. `compute` relies on that and never re-validates. Every value that
//! came from the workbook keeps the row (and through its sheet's
//! [`SheetSource`], the cells) it came from, so any figure in a document can
//! be traced back.

pub mod content;
mod id;
mod year;

pub use id::{OptionId, PartnerId};
pub use year::{FiscalYear, ParseYearError};

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A cell in the workbook, zero-based internally, shown as `Costs!F7`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(sheet: impl Into<String>, row: u32, col: u32) -> Self {
        Self {
            sheet: sheet.into(),
            row,
            col,
        }
    }

    /// The cell's A1 address without the sheet, e.g. `F7`.
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}", sheet_ref(&self.sheet), self.a1())
    }
}

/// A rectangle of cells, shown as `Costs!E5:N40` (or `Costs!E5` for one cell).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CellRange {
    pub sheet: String,
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl fmt::Display for CellRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = format!("{}{}", column_letters(self.first_col), self.first_row + 1);
        let end = format!("{}{}", column_letters(self.last_col), self.last_row + 1);
        if start == end {
            write!(f, "{}!{start}", sheet_ref(&self.sheet))
        } else {
            write!(f, "{}!{start}:{end}", sheet_ref(&self.sheet))
        }
    }
}

/// A sheet name as a reference: quoted when Excel would quote it.
fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Zero-based column index to spreadsheet letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A value with the cell it was read from; `at` is `None` for a default.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub at: Option<CellRef>,
}

impl<T> Sourced<T> {
    pub fn default_value(value: T) -> Self {
        Self { value, at: None }
    }
}

/// The money unit every amount in the workbook is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Pounds,
    Thousands,
    Millions,
}

impl Unit {
    /// Decimal places of one penny (£0.01) expressed in this unit.
    pub fn penny_places(self) -> u32 {
        match self {
            Unit::Pounds => 2,
            Unit::Thousands => 5,
            Unit::Millions => 8,
        }
    }

    /// Display decimals when case.toml does not set `display_decimals`.
    pub fn default_display_decimals(self) -> u32 {
        match self {
            Unit::Pounds | Unit::Thousands => 0,
            Unit::Millions => 1,
        }
    }

    /// The unit as written in outputs.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Pounds => "£",
            Unit::Thousands => "£k",
            Unit::Millions => "£m",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Green Book edition whose parameter tables a case uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    Gb2022,
    Gb2026,
}

impl Edition {
    pub const CURRENT: Edition = Edition::Gb2026;

    pub fn year(self) -> &'static str {
        match self {
            Edition::Gb2022 => "2022",
            Edition::Gb2026 => "2026",
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.year())
    }
}

/// Business case stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Soc,
    Obc,
    Fbc,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Soc => "SOC",
            Stage::Obc => "OBC",
            Stage::Fbc => "FBC",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Stage::Soc => "Strategic Outline Case",
            Stage::Obc => "Outline Business Case",
            Stage::Fbc => "Full Business Case",
        }
    }
}

/// How future years are discounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountRate {
    /// The STPR schedule of the case's Green Book edition.
    GreenBook,
    /// One fixed annual rate, as a fraction (0.035 for 3.5%).
    Fixed(Decimal),
}

/// The Assumptions sheet, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumptions {
    /// Year 0 of discounting and the price base of every real amount.
    pub base_year: Sourced<FiscalYear>,
    pub unit: Sourced<Unit>,
    pub discount_rate: Sourced<DiscountRate>,
    pub general_inflation: Sourced<Decimal>,
    pub pay_inflation: Sourced<Decimal>,
    /// Index into `Partners::key_columns`.
    pub apportionment_key: Sourced<usize>,
}

/// The Partners sheet: partner names and their numeric key columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Partners {
    /// Partner names as written, in sheet order.
    pub names: Vec<String>,
    /// Key column headers as written (`Government grant` first when present).
    pub key_columns: Vec<String>,
    /// `values[partner][key_column]`: non-negative, each column with a positive total.
    pub values: Vec<Vec<Decimal>>,
    /// Zero-based sheet row of each partner.
    pub rows: Vec<u32>,
}

impl Partners {
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every partner's id, in sheet order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = PartnerId> + ExactSizeIterator {
        PartnerId::all(self.names.len())
    }

    /// The name of partner `id` (`None` only for an id from another case).
    pub fn name(&self, id: PartnerId) -> Option<&str> {
        self.names.get(id.index()).map(String::as_str)
    }

    /// One key column's values, in partner order.
    pub fn key(&self, column: usize) -> Vec<Decimal> {
        self.values.iter().map(|row| row[column]).collect()
    }
}

/// Optimism-bias categories of the Green Book supplementary guidance table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObCategory {
    StandardBuildings,
    NonStandardBuildings,
    StandardCivilEngineering,
    NonStandardCivilEngineering,
    EquipmentDevelopment,
    Outsourcing,
}

/// Where an option's optimism-bias rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObOrigin {
    /// The rate was entered directly.
    Entered,
    /// The category's upper bound, reduced by mitigation: rate = upper × (1 − mitigation).
    Category {
        category: ObCategory,
        upper: Decimal,
        lower: Decimal,
        mitigation: Decimal,
    },
}

/// An optimism-bias uplift as a fraction of the amounts it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptimismBias {
    pub rate: Decimal,
    pub origin: ObOrigin,
}

impl OptimismBias {
    pub const NONE: OptimismBias = OptimismBias {
        rate: Decimal::ZERO,
        origin: ObOrigin::Entered,
    };
}

/// One row of the Options sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseOption {
    pub id: String,
    pub name: String,
    pub description: String,
    pub baseline: bool,
    pub ob_capital: OptimismBias,
    pub ob_revenue: OptimismBias,
    /// `Optimism bias basis`: why these rates (printed in the documents).
    pub ob_basis: String,
    /// `Asset life`: the years over which borrowing for this option's
    /// capital is repaid; `None`: the case's (`CapitalFinancing::asset_life`).
    pub asset_life: Option<u32>,
    /// `Referred to as`: how generated sentences name the option ("the
    /// shared vetting hub"); empty: its name, with the article rule of
    /// [`Case::referred_to`].
    pub referred_to: String,
    pub row: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CostKind {
    Capital,
    Revenue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BenefitKind {
    Cashable,
    NonCashable,
}

/// Which inflation index turns a cost line's real amounts into nominal ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Inflation {
    General,
    Pay,
    None,
}

/// How a drawn multiplier or impact is spread over its range (`Distribution`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Distribution {
    /// Low, most likely and high: the most likely is the value entered.
    #[default]
    Triangular,
    /// Every value between low and high equally likely.
    Uniform,
}

/// The uncertainty of a line's amounts or a risk's impact, for the
/// quantified risk analysis (docs/methodology.md).
///
/// On a cost or benefit line `low` and `high` are the fractions `Range
/// low` and `Range high` (−1 ≤ low ≤ 0 ≤ high): each iteration multiplies
/// every year of the line by a draw over [1 + low, 1 + high], most likely
/// one. On a risk they are the impact's range in money (low ≤ impact ≤
/// high), a blank side being the impact. No uncertainty: both 0 on a line,
/// both the impact on a risk.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Uncertainty {
    pub low: Decimal,
    pub high: Decimal,
    pub distribution: Distribution,
    /// `Group` as written (trimmed); members of a group (compared by
    /// [`crate::names::key`], across Costs, Benefits and Risks) share one draw.
    pub group: Option<String>,
    /// True when a range cell of the row (`Range low`, `Range high`,
    /// `Impact low`, `Impact high`) was filled in.
    pub entered: bool,
}

/// One row of the Costs sheet, in real prices of the base year, in the case's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    pub option: OptionId,
    pub line: String,
    pub kind: CostKind,
    /// `None`: shared between partners by the key; `Some(p)`: borne by partner p alone.
    pub partner: Option<PartnerId>,
    pub inflation: Inflation,
    /// One amount per appraisal year, aligned with `Case::years`.
    pub values: Vec<Decimal>,
    /// `Key`: the Partners key column that splits the line when shared;
    /// `None`: the case's apportionment key.
    pub key: Option<usize>,
    pub row: u32,
    /// `Range low`, `Range high`, `Distribution`, `Group`.
    pub uncertainty: Uncertainty,
}

/// One row of the Benefits sheet; cashable benefits are the savings.
#[derive(Debug, Clone, PartialEq)]
pub struct BenefitLine {
    pub option: OptionId,
    pub line: String,
    pub kind: BenefitKind,
    pub partner: Option<PartnerId>,
    /// `Inflation`: the index that makes the benefit nominal (pay for staff
    /// savings that move with pay); General when blank.
    pub inflation: Inflation,
    pub values: Vec<Decimal>,
    /// As [`CostLine::key`].
    pub key: Option<usize>,
    pub row: u32,
    /// `Range low`, `Range high`, `Distribution`, `Group`.
    pub uncertainty: Uncertainty,
}

/// The input lines of the Budget sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BudgetLine {
    BaseBudgetGap,
    UseOfReserves,
    CashReleasingEfficiencies,
    IdentifiedRiskGap,
    LossOfGrantToFloors,
    IncreaseInBorrowing,
}

/// One row of the Budget sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRow {
    /// `None` for a Region row.
    pub partner: Option<PartnerId>,
    pub line: BudgetLine,
    /// As entered (reductions may be positive or negative), aligned with `Budget::years`.
    pub values: Vec<Decimal>,
    pub row: u32,
}

/// The Budget sheet: a medium-term financial plan's gap lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Consecutive years; may differ from the appraisal years.
    pub years: Vec<FiscalYear>,
    pub rows: Vec<BudgetRow>,
    /// How each year's figure is meant (Assumptions `Budget gap basis`).
    pub basis: GapBasis,
    /// Zero-based column of each year, for tracing.
    pub year_cols: Vec<u32>,
}

/// What a Budget sheet's yearly figures mean, and so whether they add up
/// across years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GapBasis {
    /// Each year's figure is that year's own shortfall: the total over the
    /// years is the money needed to meet them.
    #[default]
    InYear,
    /// Each year's figure is the recurring shortfall of that year, built up
    /// from earlier years' pressures: adding years double counts, so no
    /// totals are shown.
    Recurring,
}

impl GapBasis {
    /// The JSON spelling.
    pub fn key(self) -> &'static str {
        match self {
            GapBasis::InYear => "in-year",
            GapBasis::Recurring => "recurring",
        }
    }

    /// True when the years' figures add up to a meaningful total.
    pub fn totals(self) -> bool {
        self == GapBasis::InYear
    }
}

/// One row of the Risks sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub id: String,
    pub description: String,
    pub option: OptionId,
    /// 0..=1.
    pub probability: Decimal,
    /// Money in the case's unit.
    pub impact: Decimal,
    /// Index into `Case::years`.
    pub year: usize,
    pub owner: String,
    pub mitigation: String,
    /// The one partner who would bear it; `None`: shared by the key.
    pub partner: Option<PartnerId>,
    /// As [`CostLine::key`].
    pub key: Option<usize>,
    pub row: u32,
    /// `Impact low`, `Impact high` (money), `Distribution`, `Group`.
    pub uncertainty: Uncertainty,
}

impl Risk {
    /// The risk's expected cost: probability × impact, in the case's unit;
    /// `None` when the product is beyond exact decimals. The engine reports
    /// every risk's expected cost, checked, in
    /// `compute::Results::workings.risk_costs` (a case with such a risk does
    /// not compute): outputs read it from there.
    pub fn expected_value(&self) -> Option<Decimal> {
        self.probability.checked_mul(self.impact)
    }
}

/// Where each sheet's data sits in the workbook, for error messages and source maps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetSource {
    /// The sheet's name as written in the workbook.
    pub name: String,
    pub header_row: u32,
    /// Zero-based column of each header the sheet uses, by canonical name
    /// (`option`, `line`, `2025/26`, ...).
    pub columns: BTreeMap<String, u32>,
    pub first_data_row: u32,
    pub last_data_row: u32,
}

/// The sheets a case was read from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sources {
    /// The workbook's path as the user gave it (or as case.toml names it).
    pub workbook: String,
    pub assumptions: Option<SheetSource>,
    pub partners: SheetSource,
    pub options: SheetSource,
    pub costs: SheetSource,
    pub benefits: SheetSource,
    pub budget: Option<SheetSource>,
    pub risks: Option<SheetSource>,
}

/// A part of the document the SRO writes, one narrative file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NarrativePart {
    ExecutiveSummary,
    Strategic,
    Economic,
    Commercial,
    Financial,
    Management,
    /// `summary.md`: the SRO's paragraph on the one-page summary for Police
    /// and Crime Commissioners. Optional at every stage.
    Summary,
}

impl NarrativePart {
    /// The parts a case may leave out at any stage without a warning.
    pub const OPTIONAL: [NarrativePart; 1] = [NarrativePart::Summary];

    pub const ALL: [NarrativePart; 6] = [
        NarrativePart::ExecutiveSummary,
        NarrativePart::Strategic,
        NarrativePart::Economic,
        NarrativePart::Commercial,
        NarrativePart::Financial,
        NarrativePart::Management,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            NarrativePart::ExecutiveSummary => "executive-summary.md",
            NarrativePart::Strategic => "strategic.md",
            NarrativePart::Economic => "economic.md",
            NarrativePart::Commercial => "commercial.md",
            NarrativePart::Financial => "financial.md",
            NarrativePart::Management => "management.md",
            NarrativePart::Summary => "summary.md",
        }
    }
}

/// The SRO's narrative: each part's CommonMark text; a part is absent where its file is missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Narrative {
    pub parts: BTreeMap<NarrativePart, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub version: String,
    pub date: String,
    pub author: String,
    pub changes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub body: String,
    pub date: String,
    pub decision: String,
}

/// Optimism-bias rates a scenario substitutes for one option's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ObOverride {
    pub capital: Option<Decimal>,
    pub revenue: Option<Decimal>,
}

/// A `[[scenario]]` table of case.toml, as written (keys checked, values typed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioSpec {
    pub name: String,
    pub description: String,
    pub savings_realisation: Option<Decimal>,
    pub benefits_realisation: Option<Decimal>,
    pub savings_delay_years: Option<i64>,
    pub cost_overrun: Option<Decimal>,
    pub capital_overrun: Option<Decimal>,
    pub revenue_overrun: Option<Decimal>,
    /// Scales business as usual's cost lines (the overruns above act on the
    /// other options only).
    pub baseline_cost_overrun: Option<Decimal>,
    pub partners: Option<Vec<String>>,
    pub drop_partner_lines: bool,
    pub apportionment_key: Option<String>,
    pub discount_rate: Option<DiscountRate>,
    pub optimism_bias: BTreeMap<String, ObOverride>,
    pub options: Option<Vec<String>>,
    /// 1-based line of the table in case.toml, for messages.
    pub line: usize,
}

impl ScenarioSpec {
    /// What every comparison of scenarios (the terminal's, the JSON's, the
    /// export's) calls the case as it stands; no scenario may take the name.
    pub const BASE_NAME: &'static str = "base";
    /// How those comparisons describe the case as it stands.
    pub const BASE_DESCRIPTION: &'static str = "the case as it stands";
}

/// How many iterations the quantified risk analysis runs (case.toml
/// `[risk_analysis] iterations`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iterations {
    /// Exactly this many, 1 to 1,000,000.
    Fixed(u32),
    /// Blocks of 10,000 until every non-baseline option's P80 PV costs is
    /// known to within 0.5% (its 95% confidence interval), or 1,000,000.
    Auto,
}

/// case.toml `[risk_analysis]`, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskSettings {
    pub iterations: Iterations,
    pub seed: u64,
    /// Whole percentiles from 1 to 99, ascending, without repeats.
    pub percentiles: Vec<u32>,
}

impl Default for RiskSettings {
    fn default() -> Self {
        Self {
            iterations: Iterations::Fixed(10_000),
            seed: 1,
            percentiles: vec![10, 20, 50, 80, 90],
        }
    }
}

/// case.toml's document fields, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub programme: String,
    pub stage: Stage,
    pub version: String,
    /// The document date; never taken from the clock.
    pub date: Option<NaiveDate>,
    pub sro: String,
    pub marking: String,
    /// Why the case prefers an option the appraisal does not rank first
    /// (case.toml `preferred_reason`); empty when none is given.
    pub preferred_reason: String,
    pub edition: Edition,
    pub display_decimals: Option<u32>,
    pub history: Vec<HistoryEntry>,
    pub approvals: Vec<Approval>,
    pub distribution: Vec<String>,
    /// Fractions each line is moved by, up and down, in the sensitivity analysis.
    pub sensitivity: Vec<Decimal>,
    pub scenarios: Vec<ScenarioSpec>,
    /// `[risk_analysis]` when case.toml has the table.
    pub risk_analysis: Option<RiskSettings>,
    /// The body asked to decide (case.toml `decision_body`), as a sentence
    /// names it mid-sentence: "the Summit".
    pub decision_body: String,
    /// The body that recommends the case to it (case.toml `recommending_body`):
    /// "the Oversight Group".
    pub recommending_body: String,
    /// The unit the documents and terminal tables show money in (case.toml
    /// `display_unit`); `None`: the unit the workbook is entered in.
    pub display_unit: Option<Unit>,
}

impl Meta {
    /// case.toml's defaults (issue-level contract, documented in docs/workbook.md):
    /// stage OBC, version 0.1, marking OFFICIAL, the current Green Book edition,
    /// sensitivity ±10% and ±25%, no date, no scenarios.
    pub fn defaults(title: &str) -> Self {
        Meta {
            title: title.to_string(),
            programme: String::new(),
            stage: Stage::Obc,
            version: "0.1".into(),
            date: None,
            sro: String::new(),
            marking: "OFFICIAL".into(),
            preferred_reason: String::new(),
            edition: Edition::CURRENT,
            display_decimals: None,
            history: Vec::new(),
            approvals: Vec::new(),
            distribution: Vec::new(),
            sensitivity: vec![Decimal::new(1, 1), Decimal::new(25, 2)],
            scenarios: Vec::new(),
            risk_analysis: None,
            decision_body: "the Summit".into(),
            recommending_body: "the Oversight Group".into(),
            display_unit: None,
        }
    }
}

/// How a partner finances its capital (Assumptions `Capital financing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Financing {
    /// A revenue contribution in the year of spend.
    #[default]
    Revenue,
    Reserves,
    /// Capital grants and receipts.
    Grant,
    /// Borrowing repaid by minimum revenue provision, with interest.
    Borrowing,
}

impl Financing {
    /// The word the workbook and JSON use.
    pub fn key(self) -> &'static str {
        match self {
            Self::Revenue => "revenue",
            Self::Reserves => "reserves",
            Self::Grant => "grant",
            Self::Borrowing => "borrowing",
        }
    }
}

/// How capital reaches the partners' revenue budgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapitalFinancing {
    /// The method of every partner without one of its own.
    pub method: Financing,
    /// Each partner's own method (Partners `Capital financing`), in Partners
    /// order; `None` (or a short list) takes `method`.
    pub partners: Vec<Option<Financing>>,
    /// The interest rate on borrowing (required when `method` is Borrowing).
    pub borrowing_rate: Decimal,
    /// Whole years over which borrowing is repaid, 1 to 100.
    pub asset_life: u32,
}

impl CapitalFinancing {
    /// Partner `p`'s method.
    pub fn of(&self, p: PartnerId) -> Financing {
        self.partners
            .get(p.index())
            .copied()
            .flatten()
            .unwrap_or(self.method)
    }
}

impl Default for CapitalFinancing {
    fn default() -> Self {
        Self {
            method: Financing::Revenue,
            partners: Vec::new(),
            borrowing_rate: Decimal::ZERO,
            asset_life: 10,
        }
    }
}

/// A validated business case: what `compute` and the renderers work from.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub meta: Meta,
    pub assumptions: Assumptions,
    pub partners: Partners,
    pub options: Vec<CaseOption>,
    /// The one baseline.
    pub baseline: OptionId,
    /// The preferred option pinned by case.toml or the Assumptions sheet.
    pub preferred: Option<OptionId>,
    /// Appraisal years: consecutive, the same on Costs and Benefits.
    pub years: Vec<FiscalYear>,
    pub costs: Vec<CostLine>,
    pub benefits: Vec<BenefitLine>,
    pub budget: Option<Budget>,
    pub risks: Vec<Risk>,
    /// How capital is financed (Assumptions rows; Revenue by default).
    pub financing: CapitalFinancing,
    pub narrative: Narrative,
    pub sources: Sources,
    /// Objectives, long list, benefits register, risk allocation, milestones.
    pub content: content::Content,
}

impl Case {
    /// The years over which borrowing for `option`'s capital is repaid: the
    /// option's `Asset life`, else the case's.
    pub fn asset_life(&self, option: OptionId) -> u32 {
        self.option(option)
            .and_then(|o| o.asset_life)
            .unwrap_or(self.financing.asset_life)
    }

    /// Display decimals for money: case.toml's, else the display unit's default.
    pub fn display_decimals(&self) -> u32 {
        self.meta
            .display_decimals
            .unwrap_or_else(|| self.display_unit().default_display_decimals())
    }

    /// Display decimals in the unit the workbook is entered in (the model
    /// workbook's): case.toml's `display_decimals` when no `display_unit`
    /// converts the figures, else the entered unit's default.
    pub fn entered_decimals(&self) -> u32 {
        if self
            .meta
            .display_unit
            .is_none_or(|u| u == self.assumptions.unit.value)
        {
            self.display_decimals()
        } else {
            self.assumptions.unit.value.default_display_decimals()
        }
    }

    /// The unit the documents and terminal tables show money in: case.toml
    /// `display_unit`, else the unit the workbook is entered in.
    pub fn display_unit(&self) -> Unit {
        self.meta
            .display_unit
            .unwrap_or(self.assumptions.unit.value)
    }

    /// Discounting period of each appraisal year: years since the base year.
    pub fn periods(&self) -> Vec<u32> {
        let base = self.assumptions.base_year.value;
        self.years.iter().map(|y| y.periods_since(base)).collect()
    }

    /// How a sentence names `option` mid-sentence: its Options-sheet
    /// `Referred to as` where given, else its name after "the" (an option is
    /// a particular arrangement: "recommends the Regional joint vetting
    /// unit"), unless the name already starts with an article or a
    /// possessive word ("the", "a", "an", "our", "each", "every", "no").
    /// Empty for an id the case does not hold.
    pub fn referred_to(&self, option: OptionId) -> String {
        let Some(o) = self.option(option) else {
            return String::new();
        };
        let given = o.referred_to.trim();
        if !given.is_empty() {
            return given.to_string();
        }
        with_article(o.name.trim())
    }

    pub fn option_index(&self, id: &str) -> Option<OptionId> {
        crate::names::find(self.options.iter().map(|o| o.id.as_str()), id).map(OptionId::new)
    }

    /// True when the quantified risk analysis runs for this case: a line
    /// or a risk has a range, or case.toml has `[risk_analysis]`.
    pub fn has_risk_analysis(&self) -> bool {
        self.meta.risk_analysis.is_some() || self.has_ranges()
    }

    /// True when any range cell (`Range low`, `Range high`, `Impact low`,
    /// `Impact high`) is filled in on Costs, Benefits or Risks.
    pub fn has_ranges(&self) -> bool {
        self.costs.iter().any(|l| l.uncertainty.entered)
            || self.benefits.iter().any(|l| l.uncertainty.entered)
            || self.risks.iter().any(|r| r.uncertainty.entered)
    }

    /// Every option's id, in sheet order.
    pub fn option_ids(&self) -> impl DoubleEndedIterator<Item = OptionId> + ExactSizeIterator {
        OptionId::all(self.options.len())
    }

    /// The option `id` refers to (`None` only for an id from another case).
    pub fn option(&self, id: OptionId) -> Option<&CaseOption> {
        self.options.get(id.index())
    }
}

/// `name` as a sentence names it: after "the", unless it already starts with
/// an article or a determiner, or is empty.
pub fn with_article(name: &str) -> String {
    const DETERMINERS: [&str; 9] = [
        "the", "a", "an", "our", "each", "every", "no", "this", "their",
    ];
    let first = name.split_whitespace().next().unwrap_or("");
    if name.is_empty() || DETERMINERS.iter().any(|d| first.eq_ignore_ascii_case(d)) {
        name.to_string()
    } else {
        format!("the {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_cover_excel_columns() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn cell_refs_quote_sheet_names_with_spaces() {
        assert_eq!(CellRef::new("Costs", 6, 5).to_string(), "Costs!F7");
        assert_eq!(CellRef::new("My costs", 0, 0).to_string(), "'My costs'!A1");
        let range = CellRange {
            sheet: "Costs".into(),
            first_row: 4,
            first_col: 4,
            last_row: 39,
            last_col: 13,
        };
        assert_eq!(range.to_string(), "Costs!E5:N40");
    }
}
