//! The Five Case content beyond the figures: spending objectives and critical
//! success factors, the long list through the options framework, the benefits
//! register, the risk allocation and the milestones. Each comes from an
//! optional sheet (declared in [`crate::schema`]); a case without the sheet
//! has an empty list, and the document leaves the table out.
//!
//! Everything here passed ingest's checks: ids are unique, every assessment
//! column names an objective, each dimension present has exactly one
//! preferred possibility, a register entry's option and line exist, a risk
//! category's percentages add up to 100%, every milestone has a date.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{FiscalYear, OptionId, SheetSource};

/// Objectives `Kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectiveKind {
    SpendingObjective,
    CriticalSuccessFactor,
}

/// One row of the Objectives sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objective {
    pub id: String,
    pub kind: ObjectiveKind,
    pub description: String,
    pub measure: String,
    pub row: u32,
}

/// The options framework's dimensions, in the guidance's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    Scope,
    Solution,
    Delivery,
    Implementation,
    Funding,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Scope,
        Dimension::Solution,
        Dimension::Delivery,
        Dimension::Implementation,
        Dimension::Funding,
    ];

    /// The dimension's name as the guidance writes it.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Scope => "Scope",
            Dimension::Solution => "Solution",
            Dimension::Delivery => "Delivery",
            Dimension::Implementation => "Implementation",
            Dimension::Funding => "Funding",
        }
    }
}

/// How far a possibility meets an objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assessment {
    Yes,
    Partly,
    No,
    /// The cell is blank: not assessed.
    NotAssessed,
}

/// A long-list possibility's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Preferred,
    CarriedForward,
    Discounted,
}

impl Outcome {
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Preferred => "Preferred",
            Outcome::CarriedForward => "Carried forward",
            Outcome::Discounted => "Discounted",
        }
    }
}

/// One row of the Long list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Possibility {
    pub id: String,
    pub dimension: Dimension,
    pub description: String,
    /// One per [`LongList::objectives`], in the same order.
    pub assessments: Vec<Assessment>,
    pub outcome: Outcome,
    pub reason: String,
    pub row: u32,
}

/// The Long list sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LongList {
    /// The objective (index into [`Content::objectives`]) each assessment column assesses, in column order.
    pub objectives: Vec<usize>,
    pub possibilities: Vec<Possibility>,
}

impl LongList {
    /// The dimensions the long list covers, in the guidance's order.
    pub fn dimensions(&self) -> Vec<Dimension> {
        Dimension::ALL
            .into_iter()
            .filter(|d| self.possibilities.iter().any(|p| p.dimension == *d))
            .collect()
    }
}

/// Benefits register `Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterKind {
    Cashable,
    NonCashable,
    NonMonetised,
}

impl RegisterKind {
    pub fn words(self) -> &'static str {
        match self {
            RegisterKind::Cashable => "Cashable",
            RegisterKind::NonCashable => "Non-cashable",
            RegisterKind::NonMonetised => "Non-monetised",
        }
    }
}

/// One row of the Benefits register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterEntry {
    pub id: String,
    pub description: String,
    pub kind: RegisterKind,
    pub owner: String,
    pub measure: String,
    pub baseline: String,
    pub target: String,
    pub from: Option<FiscalYear>,
    /// The Benefits-sheet line that values it: its option, and its name as written there.
    pub line: Option<(OptionId, String)>,
    pub row: u32,
}

/// Who bears a share of a risk category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    /// Blank.
    None,
    /// `Yes`.
    Yes,
    /// A fraction: the row's fractions add up to 1.
    Part(Decimal),
}

/// One row of the Risk allocation sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub category: String,
    pub public: Share,
    pub private: Share,
    pub shared: Share,
    pub row: u32,
}

/// One row of the Milestones sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub name: String,
    pub date: NaiveDate,
    pub owner: String,
    pub gateway: String,
    pub row: u32,
}

/// Where each content sheet was read, for the document's sources.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContentSources {
    pub objectives: Option<SheetSource>,
    pub long_list: Option<SheetSource>,
    pub register: Option<SheetSource>,
    pub allocation: Option<SheetSource>,
    pub milestones: Option<SheetSource>,
}

/// The Five Case content of a case; each list is empty where its sheet is absent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Content {
    pub objectives: Vec<Objective>,
    pub long_list: LongList,
    pub register: Vec<RegisterEntry>,
    pub allocation: Vec<Allocation>,
    /// In date order (ties in sheet order).
    pub milestones: Vec<Milestone>,
    pub sources: ContentSources,
}

impl Content {
    /// The objectives of one kind, in sheet order.
    pub fn of_kind(&self, kind: ObjectiveKind) -> impl Iterator<Item = &Objective> {
        self.objectives.iter().filter(move |o| o.kind == kind)
    }

    /// True when no content sheet has a row.
    pub fn is_empty(&self) -> bool {
        self.objectives.is_empty()
            && self.long_list.possibilities.is_empty()
            && self.register.is_empty()
            && self.allocation.is_empty()
            && self.milestones.is_empty()
    }
}
