//! The workbook format, declared once: every sheet, its key header, its
//! columns (header, accepted aliases, kind, required or optional, the values
//! a choice accepts with every spelling, default, number format) and the
//! sentence that documents each.
//!
//! Ingest finds and reads columns through these declarations; `fivecase
//! template`, the export's input sheets and the fixture generator write
//! through them; docs/workbook.md's reference tables are generated from them
//! ([`docs`]), and a test fails when the committed tables are stale. Adding
//! an optional column is one [`Column`] here, listed in its [`Sheet`], plus
//! the code that uses its value.
//!
//! Pure data and small helpers: no IO, nothing of ingest or the exporters.
//! Bounds of numbers live in [`bounds`]; how names are matched, in
//! [`crate::names`].

pub mod bounds;
pub mod docs;

use rust_decimal::Decimal;
use rust_decimal::dec;

use crate::names;

/// How a column's cells are formatted in the workbooks fivecase writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    /// An amount in the workbook's unit, to the case's money decimals.
    Money,
    /// A count or plain number, with thousands separators.
    Number,
    /// A fraction shown as a percentage.
    Percent,
}

impl Format {
    /// The Excel number format of the column's cells (`None`: General).
    pub fn excel(self, money_decimals: u32) -> Option<String> {
        match self {
            Format::Text => None,
            Format::Money => Some(money_format(money_decimals)),
            Format::Number => Some("#,##0_);(#,##0)".to_string()),
            Format::Percent => Some("0.0%".to_string()),
        }
    }
}

/// `#,##0_);(#,##0)` with `decimals` places (at most 10): thousands
/// separators, negatives in brackets, positives padded so their digits line
/// up with bracketed ones.
pub fn money_format(decimals: u32) -> String {
    let places = if decimals == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(decimals.min(10) as usize))
    };
    format!("#,##0{places}_);(#,##0{places})")
}

/// How a choice's spellings are compared with what a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The common name rule ([`names::key`]).
    Common,
    /// Every space ignored and a curly apostrophe read as a straight one (units: `£ 000`, `£’000`).
    Compact,
    /// Budget labels ([`names::budget_key`]).
    Budget,
}

impl Rule {
    fn key(self, text: &str) -> String {
        match self {
            Rule::Common => names::key(text),
            Rule::Compact => text
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .map(|c| if c == '\u{2019}' { '\'' } else { c })
                .collect(),
            Rule::Budget => names::budget_key(text),
        }
    }
}

/// One value a choice column accepts, with every other spelling accepted for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The spelling fivecase writes and documents.
    pub value: &'static str,
    pub aliases: &'static [&'static str],
}

/// The values of a choice, and how they are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choices {
    pub values: &'static [Choice],
    pub rule: Rule,
}

impl Choices {
    /// The position of the value `text` spells, if any.
    pub fn find(&self, text: &str) -> Option<usize> {
        // The common case, a spelling as declared but for case, allocates
        // nothing; every rule agrees with it.
        let t = text.trim();
        let declared = |c: &Choice| {
            c.value.eq_ignore_ascii_case(t) || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(t))
        };
        if let Some(i) = self.values.iter().position(declared) {
            return Some(i);
        }
        let k = self.rule.key(text);
        self.values.iter().position(|c| {
            self.rule.key(c.value) == k || c.aliases.iter().any(|a| self.rule.key(a) == k)
        })
    }

    /// The canonical spellings, for drop-downs and messages.
    pub fn names(&self) -> Vec<&'static str> {
        self.values.iter().map(|c| c.value).collect()
    }
}

/// What a column holds, and so how it is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, kept as written (trimmed).
    Text,
    /// The sheet's key: a name unique on the sheet under the common rule.
    Id,
    /// An option id from the Options sheet.
    OptionRef,
    /// A partner's name from the Partners sheet, or `shared` (`All`, `Region`).
    PartnerRef { shared: &'static str },
    /// An amount in the workbook's unit; blank is zero.
    Money,
    /// A number within its bound; a trailing `%` is accepted.
    Fraction(&'static bounds::Bound),
    /// One of a fixed list of values.
    Choice(&'static Choices),
    /// A fiscal year such as 2025/26.
    Year,
    /// A rate, or a category of the Green Book's optimism-bias table.
    RateOrCategory,
    /// The Partners sheet's numeric columns, any header: apportionment keys.
    KeyColumns,
    /// The fiscal-year columns.
    Years,
    /// The Long list's assessment columns, any header: each names an
    /// Objectives id and holds `Yes`, `Partly` or `No`.
    Assessments,
    /// A date: a date cell, or text written YYYY-MM-DD.
    Date,
    /// A share of a risk category: `Yes`, or a percentage.
    Allocation,
}

/// One column of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    /// Other headers accepted for the column.
    pub aliases: &'static [&'static str],
    pub kind: Kind,
    pub required: bool,
    /// What a blank cell means, as the reference table says it.
    pub default: Option<&'static str>,
    pub format: Format,
    /// The sentence that documents the column.
    pub doc: &'static str,
    /// Width in characters a blank input workbook gives the column (0: as wide as its header).
    pub width: u16,
    /// The message a drop-down on the column shows when a typed value is not in its list.
    pub prompt: Option<&'static str>,
}

impl Column {
    /// The word a partner column takes for "every partner" (`All`, `Region`);
    /// empty for other columns.
    pub fn shared(&self) -> &'static str {
        match self.kind {
            Kind::PartnerRef { shared } => shared,
            _ => "",
        }
    }

    /// The same column, `width` characters wide in a blank workbook.
    #[must_use]
    pub const fn wide(mut self, width: u16) -> Self {
        self.width = width;
        self
    }

    /// The same column, with a drop-down message.
    #[must_use]
    pub const fn prompt(mut self, prompt: &'static str) -> Self {
        self.prompt = Some(prompt);
        self
    }

    /// True when `header` (as typed in the header row) names this column.
    pub fn matches(&self, header: &str) -> bool {
        names::same(self.header, header) || self.aliases.iter().any(|a| names::same(a, header))
    }
}

/// A default value as the schema states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Written as text (`Green Book`, `£`), or a description (`the first appraisal year`).
    Text(&'static str),
    /// A fraction, written as a percentage (0.02 is 2%).
    Percent(Decimal),
}

impl Value {
    /// The value as the reference table and the template write it.
    pub fn text(self) -> String {
        match self {
            Value::Text(t) => t.to_string(),
            Value::Percent(p) => crate::format::percent(p, 4),
        }
    }

    /// The fraction, for a percentage.
    pub fn percent(self) -> Option<Decimal> {
        match self {
            Value::Percent(p) => Some(p),
            Value::Text(_) => None,
        }
    }
}

/// One row of a Name/Value sheet (Assumptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub name: &'static str,
    pub kind: Kind,
    pub default: Option<Value>,
    pub doc: &'static str,
    /// Whether a blank input workbook lists the row with its default filled in.
    pub in_template: bool,
}

/// Where a sheet's year columns come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Years {
    /// The sheet has no year columns.
    None,
    /// The appraisal years: the same on every sheet that has them.
    Appraisal,
    /// The sheet's own consecutive years (Budget).
    Own,
}

/// One sheet of the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheet {
    pub name: &'static str,
    pub required: bool,
    /// The columns in the order fivecase writes them; the first is the key header.
    pub columns: &'static [Column],
    pub years: Years,
    /// The rows of a Name/Value sheet (empty for a table).
    pub rows: &'static [Row],
    /// What the sheet is for, in a sentence or two (the template's Guide).
    pub doc: &'static str,
}

impl Sheet {
    /// The key header's column: the first.
    pub fn key(&self) -> &'static Column {
        &self.columns[0]
    }

    /// The declared column headed `header`.
    pub fn column(&self, header: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.matches(header))
    }

    /// The headers of the declared columns, in order.
    pub fn headers(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.header).collect()
    }
}

const fn col(header: &'static str, kind: Kind, required: bool, doc: &'static str) -> Column {
    Column {
        header,
        aliases: &[],
        kind,
        required,
        default: None,
        format: match kind {
            Kind::Money | Kind::KeyColumns | Kind::Years => Format::Money,
            Kind::Fraction(_) | Kind::RateOrCategory | Kind::Allocation => Format::Percent,
            _ => Format::Text,
        },
        doc,
        width: 0,
        prompt: None,
    }
}

const fn with_default(mut c: Column, default: &'static str) -> Column {
    c.default = Some(default);
    c
}

const fn choice(value: &'static str, aliases: &'static [&'static str]) -> Choice {
    Choice { value, aliases }
}

// ---- Choices ------------------------------------------------------------

/// The workbook's unit (Assumptions `Unit`), in the order £, £k, £m.
pub const UNITS: Choices = Choices {
    values: &[
        choice("£", &["GBP", "pounds"]),
        choice(
            "£k",
            &[
                "£000",
                "£'000",
                "£000s",
                "£'000s",
                "£ thousand",
                "£ thousands",
            ],
        ),
        choice("£m", &["£million", "£millions", "£mn"]),
    ],
    rule: Rule::Compact,
};

/// The words that mean the Green Book's STPR schedule (Assumptions and case.toml `discount_rate`).
pub const GREEN_BOOK: Choices = Choices {
    values: &[choice(
        "Green Book",
        &["GreenBook", "STPR", "Green Book STPR"],
    )],
    rule: Rule::Common,
};

/// Green Book editions (Assumptions `Green Book edition`).
pub const EDITIONS: Choices = Choices {
    values: &[choice("2026", &[]), choice("2022", &[])],
    rule: Rule::Common,
};

/// Options `Baseline`: Yes, then No.
pub const YES_NO: Choices = Choices {
    values: &[
        choice("Yes", &["Y", "TRUE", "Baseline"]),
        choice("No", &["N", "FALSE"]),
    ],
    rule: Rule::Common,
};

/// Costs `Type`: Capital, then Revenue.
pub const COST_TYPES: Choices = Choices {
    values: &[choice("Capital", &["Cap"]), choice("Revenue", &["Rev"])],
    rule: Rule::Common,
};

/// Benefits `Type`: Cashable, then Non-cashable.
pub const BENEFIT_TYPES: Choices = Choices {
    values: &[
        choice("Cashable", &[]),
        choice("Non-cashable", &["Non cashable", "Noncashable"]),
    ],
    rule: Rule::Common,
};

/// Costs `Inflation`: General, Pay, None.
pub const INFLATION_INDICES: Choices = Choices {
    values: &[
        choice("General", &[]),
        choice("Pay", &[]),
        choice("None", &[]),
    ],
    rule: Rule::Common,
};

/// Assumptions `Capital financing`: how capital reaches the revenue budget,
/// in the order of [`crate::model::Financing`].
pub const CAPITAL_FINANCING: Choices = Choices {
    values: &[
        choice("Revenue", &["Revenue contribution", "RCCO"]),
        choice("Reserves", &["Reserve"]),
        choice(
            "Grant",
            &["Capital grant", "Grants", "Receipts", "Capital receipts"],
        ),
        choice("Borrowing", &["Borrow", "Prudential borrowing"]),
    ],
    rule: Rule::Common,
};

/// Assumptions `Budget gap basis`, in the order of [`crate::model::GapBasis`].
pub const BUDGET_GAP_BASIS: Choices = Choices {
    values: &[
        choice("In-year", &["In year", "Annual", "One-off"]),
        choice("Recurring", &["Cumulative", "Ongoing"]),
    ],
    rule: Rule::Common,
};

/// Budget `Line`: the six input lines, then the two check lines.
pub const BUDGET_LINES: Choices = Choices {
    values: &[
        choice("Base budget gap", &[]),
        choice(
            "Use of reserves and one off grant",
            &[
                "Use of reserves and one-off grant",
                "Use of reserves and one off",
                "Use of reserves",
            ],
        ),
        choice(
            "Cash releasing efficiencies",
            &["Cash-releasing efficiencies", "Cash releasing efficiency"],
        ),
        choice("Identified risk gap", &[]),
        choice("Loss of grant to floors", &[]),
        choice("Increase in borrowing", &[]),
        choice("Residual gap", &["Residual budget gap"]),
        choice("Risk adjusted gap", &["Risk adjusted budget gap"]),
    ],
    rule: Rule::Budget,
};

/// Costs, Benefits and Risks `Distribution`: Triangular (the default), then Uniform.
pub const DISTRIBUTIONS: Choices = Choices {
    values: &[
        choice("Triangular", &["Triangle", "Tri"]),
        choice("Uniform", &["Flat", "Rectangular"]),
    ],
    rule: Rule::Common,
};

// ---- Sheets -------------------------------------------------------------

/// The Assumptions sheet's columns and rows.
pub mod assumptions {
    use super::{Column, Kind, Row, Value, bounds, col, dec};

    pub const NAME: Column = col("Name", Kind::Id, true, "the assumption's name");
    pub const VALUE: Column = col(
        "Value",
        Kind::Text,
        true,
        "its value; blank takes the default",
    )
    .wide(18);

    pub const BASE_YEAR: Row = Row {
        name: "Base year",
        kind: Kind::Year,
        default: Some(Value::Text("the first appraisal year")),
        doc: "Year 0 of discounting and the price base; not after the first year on Costs",
        in_template: true,
    };
    pub const UNIT: Row = Row {
        name: "Unit",
        kind: Kind::Choice(&super::UNITS),
        default: Some(Value::Text("£")),
        doc: "£, £k or £m: the unit of every amount in the workbook",
        in_template: true,
    };
    pub const DISCOUNT_RATE: Row = Row {
        name: "Discount rate",
        kind: Kind::Fraction(&bounds::DISCOUNT_RATE),
        default: Some(Value::Text("Green Book")),
        doc: "Green Book (the STPR schedule of the edition in force) or a rate such as 3.5%",
        in_template: true,
    };
    pub const GENERAL_INFLATION: Row = Row {
        name: "General inflation",
        kind: Kind::Fraction(&bounds::INFLATION),
        default: Some(Value::Percent(dec!(0.02))),
        doc: "Turns real prices into nominal ones for the Financial Case",
        in_template: true,
    };
    pub const PAY_INFLATION: Row = Row {
        name: "Pay inflation",
        kind: Kind::Fraction(&bounds::INFLATION),
        default: Some(Value::Percent(dec!(0.025))),
        doc: "Used for cost lines whose Inflation is Pay",
        in_template: true,
    };
    pub const APPORTIONMENT_KEY: Row = Row {
        name: "Apportionment key",
        kind: Kind::Text,
        default: Some(Value::Text("Government grant")),
        doc: "The Partners column shared lines are split by",
        in_template: true,
    };
    pub const PREFERRED_OPTION: Row = Row {
        name: "Preferred option",
        kind: Kind::OptionRef,
        default: None,
        doc: "as `preferred` in case.toml, which wins; blank: the option with the best NPSV",
        in_template: false,
    };
    pub const CAPITAL_FINANCING: Row = Row {
        name: "Capital financing",
        kind: Kind::Choice(&super::CAPITAL_FINANCING),
        default: Some(Value::Text("Revenue")),
        doc: "how every partner finances its capital: Revenue (a contribution in the year of spend), Reserves, Grant (capital grants and receipts) or Borrowing (minimum revenue provision over the asset life, and interest)",
        in_template: false,
    };
    pub const BORROWING_RATE: Row = Row {
        name: "Borrowing rate",
        kind: Kind::Fraction(&bounds::BORROWING_RATE),
        default: None,
        doc: "the interest rate on borrowing; needed when capital is financed by Borrowing",
        in_template: false,
    };
    pub const ASSET_LIFE: Row = Row {
        name: "Asset life",
        kind: Kind::Text,
        default: Some(Value::Text("10")),
        doc: "whole years, 1 to 100, over which borrowing is repaid by minimum revenue provision",
        in_template: false,
    };
    pub const BUDGET_GAP_BASIS: Row = Row {
        name: "Budget gap basis",
        kind: Kind::Choice(&super::BUDGET_GAP_BASIS),
        default: Some(Value::Text("In-year")),
        doc: "what each year's Budget figure is: In-year (that year's own shortfall; the years add up to the money needed) or Recurring (the shortfall recurring in that year, built up from earlier years' pressures; adding years double counts, so no totals are shown)",
        in_template: false,
    };
    pub const GREEN_BOOK_EDITION: Row = Row {
        name: "Green Book edition",
        kind: Kind::Choice(&super::EDITIONS),
        default: Some(Value::Text("2026")),
        doc: "as `green_book_edition` in case.toml, which wins",
        in_template: false,
    };
}

/// Assumptions (optional): one row per assumption.
pub const ASSUMPTIONS: Sheet = Sheet {
    name: "Assumptions",
    required: false,
    columns: &[assumptions::NAME, assumptions::VALUE],
    years: Years::None,
    rows: &[
        assumptions::BASE_YEAR,
        assumptions::UNIT,
        assumptions::DISCOUNT_RATE,
        assumptions::GENERAL_INFLATION,
        assumptions::PAY_INFLATION,
        assumptions::APPORTIONMENT_KEY,
        assumptions::PREFERRED_OPTION,
        assumptions::GREEN_BOOK_EDITION,
        assumptions::CAPITAL_FINANCING,
        assumptions::BORROWING_RATE,
        assumptions::ASSET_LIFE,
        assumptions::BUDGET_GAP_BASIS,
    ],
    doc: "Base year, unit, discount rate, inflation and the apportionment key. The defaults are filled in: change what differs.",
};

/// The Partners sheet's columns.
pub mod partners {
    use super::{Column, Kind, col, with_default};

    pub const PARTNER: Column = col(
        "Partner",
        Kind::Id,
        true,
        "the partner's name, unique; not `All` or `Region`",
    )
    .wide(24);
    pub const GOVERNMENT_GRANT: Column = col(
        "Government grant",
        Kind::KeyColumns,
        false,
        "the default apportionment key; any other column of numbers is a key too, a column of text is notes",
    ).wide(18);
    pub const CAPITAL_FINANCING: Column = with_default(
        col(
            "Capital financing",
            Kind::Choice(&super::CAPITAL_FINANCING),
            false,
            "how the partner finances its capital: Revenue, Reserves, Grant or Borrowing",
        ),
        "the Assumptions row",
    )
    .wide(18)
    .prompt("Capital financing is Revenue, Reserves, Grant or Borrowing");
}

/// Partners: one row per partner.
pub const PARTNERS: Sheet = Sheet {
    name: "Partners",
    required: true,
    columns: &[
        partners::PARTNER,
        partners::GOVERNMENT_GRANT,
        partners::CAPITAL_FINANCING,
    ],
    years: Years::None,
    rows: &[],
    doc: "One row per partner: its name and government grant. Add columns (Net revenue expenditure, Population...) to apportion by them instead.",
};

/// The Options sheet's columns.
pub mod options {
    use super::{Column, Format, Kind, bounds, col, with_default};

    pub const OPTION: Column = col("Option", Kind::Id, true, "a short id, unique");
    pub const NAME: Column = col("Name", Kind::Text, true, "the option's name").wide(30);
    pub const DESCRIPTION: Column = col("Description", Kind::Text, false, "what it is").wide(50);
    pub const BASELINE: Column = with_default(
        col(
            "Baseline",
            Kind::Choice(&super::YES_NO),
            true,
            "exactly one option is the baseline (business as usual)",
        ),
        "No",
    )
    .prompt("Baseline is Yes for business as usual, No for every other option");
    pub const OB_CAPITAL: Column = with_default(
        col(
            "Optimism bias capital",
            Kind::RateOrCategory,
            false,
            "a rate, or a Green Book category whose capital-expenditure upper bound applies",
        ),
        "0%",
    )
    .prompt("a Green Book category from the list, or a rate such as 24%");
    pub const OB_REVENUE: Column = with_default(
        col(
            "Optimism bias revenue",
            Kind::RateOrCategory,
            false,
            "a rate, or a Green Book category whose operating-expenditure upper bound applies (only `Outsourcing` has one)",
        ),
        "0%",
    ).prompt("a Green Book category from the list, or a rate such as 24%");
    pub const OB_MITIGATION: Column = Column {
        format: Format::Percent,
        ..col(
            "Optimism bias mitigation",
            Kind::Fraction(&bounds::MITIGATION),
            false,
            "reduces a category's rate: upper bound × (1 − mitigation); an error beside a rate",
        )
    };
    pub const OB_MITIGATION_CAPITAL: Column = Column {
        format: Format::Percent,
        ..col(
            "Optimism bias mitigation capital",
            Kind::Fraction(&bounds::MITIGATION),
            false,
            "the mitigation of the capital category alone; blank: `Optimism bias mitigation`",
        )
    };
    pub const OB_MITIGATION_REVENUE: Column = Column {
        format: Format::Percent,
        ..col(
            "Optimism bias mitigation revenue",
            Kind::Fraction(&bounds::MITIGATION),
            false,
            "the mitigation of the revenue category alone; blank: `Optimism bias mitigation`",
        )
    };
    pub const ASSET_LIFE: Column = with_default(
        col(
            "Asset life",
            Kind::Text,
            false,
            "whole years, 1 to 100, over which a partner that borrows for this option's capital repays it by minimum revenue provision",
        ),
        "the Assumptions row `Asset life`",
    );
    pub const OB_BASIS: Column = col(
        "Optimism bias basis",
        Kind::Text,
        false,
        "the reason for the rates, printed in the documents",
    )
    .wide(50);
    pub const REFERRED_TO_AS: Column = col(
        "Referred to as",
        Kind::Text,
        false,
        "how the document's sentences name the option, article included (\"the shared vetting hub\"); blank: its name, after \"the\"",
    )
    .wide(30);
}

/// Options: the baseline and the shortlisted options.
pub const OPTIONS: Sheet = Sheet {
    name: "Options",
    required: true,
    columns: &[
        options::OPTION,
        options::NAME,
        options::DESCRIPTION,
        options::BASELINE,
        options::OB_CAPITAL,
        options::OB_REVENUE,
        options::OB_MITIGATION,
        options::OB_MITIGATION_CAPITAL,
        options::OB_MITIGATION_REVENUE,
        options::OB_BASIS,
        options::ASSET_LIFE,
        options::REFERRED_TO_AS,
    ],
    years: Years::None,
    rows: &[],
    doc: "The short list: a short id, a name and a description. Exactly one option is the baseline (business as usual), Baseline = Yes.",
};

/// The columns Costs and Benefits share, and Costs' own.
pub mod lines {
    use super::{Column, Kind, col, with_default};

    pub const OPTION: Column = col("Option", Kind::OptionRef, true, "an option id")
        .wide(14)
        .prompt("choose an option id from the Options sheet");
    pub const LINE: Column = col("Line", Kind::Text, true, "the line's name").wide(40);
    pub const COST_TYPE: Column = col(
        "Type",
        Kind::Choice(&super::COST_TYPES),
        true,
        "capital or revenue expenditure",
    )
    .wide(14)
    .prompt("Type is Capital or Revenue");
    pub const BENEFIT_TYPE: Column = col(
        "Type",
        Kind::Choice(&super::BENEFIT_TYPES),
        true,
        "cashable benefits are the savings",
    )
    .wide(14)
    .prompt("Type is Cashable or Non-cashable");
    pub const PARTNER: Column = with_default(
        col(
            "Partner",
            Kind::PartnerRef { shared: "All" },
            false,
            "the one partner who bears the line; blank or `All`: shared by the apportionment key",
        ),
        "All",
    )
    .wide(24)
    .prompt("choose a partner from the Partners sheet, or All for a shared line");
    pub const INFLATION: Column = with_default(
        col(
            "Inflation",
            Kind::Choice(&super::INFLATION_INDICES),
            false,
            "the index that turns the line's real amounts into nominal ones",
        ),
        "General",
    )
    .wide(14)
    .prompt("Inflation is General, Pay or None");
    pub const KEY: Column = with_default(
        col(
            "Key",
            Kind::Text,
            false,
            "the Partners column that splits this shared line (say, running costs by workload while capital goes by grant); ignored for a line naming one partner",
        ),
        "the apportionment key",
    )
    .wide(22);
    pub const YEARS: Column = with_default(
        col(
            "2025/26 ...",
            Kind::Years,
            true,
            "amounts by fiscal year, in real prices of the base year, in the workbook's unit",
        ),
        "0",
    )
    .wide(14);

    // The quantified risk analysis (docs/methodology.md, "Quantified risk
    // analysis"): optional, after the year columns, so a workbook without
    // them reads and writes as before.
    pub const RANGE_LOW: Column = with_default(
        col(
            "Range low",
            Kind::Fraction(&super::bounds::RANGE_LOW),
            false,
            "how far the line's amounts may fall, as a fraction such as -0.1: every year of the line is multiplied by a draw between 1 + low and 1 + high, most likely 1",
        ),
        "0",
    );
    pub const RANGE_HIGH: Column = with_default(
        col(
            "Range high",
            Kind::Fraction(&super::bounds::RANGE_HIGH),
            false,
            "how far the line's amounts may rise, as a fraction such as 0.3",
        ),
        "0",
    );
    pub const DISTRIBUTION: Column = with_default(
        col(
            "Distribution",
            Kind::Choice(&super::DISTRIBUTIONS),
            false,
            "the shape of the draw over the range: Triangular (most likely at the value entered) or Uniform",
        ),
        "Triangular",
    )
    .wide(14)
    .prompt("Distribution is Triangular or Uniform");
    pub const GROUP: Column = col(
        "Group",
        Kind::Text,
        false,
        "lines and risks with the same Group (on Costs, Benefits and Risks, any option) move together: they share one draw",
    )
    .wide(18);
}

/// Costs: one row per cost line.
pub const COSTS: Sheet = Sheet {
    name: "Costs",
    required: true,
    columns: &[
        lines::OPTION,
        lines::LINE,
        lines::COST_TYPE,
        lines::PARTNER,
        lines::INFLATION,
        lines::YEARS,
        lines::KEY,
        lines::RANGE_LOW,
        lines::RANGE_HIGH,
        lines::DISTRIBUTION,
        lines::GROUP,
    ],
    years: Years::Appraisal,
    rows: &[],
    doc: "One row per cost line: option, line, Capital or Revenue, the partner who bears it (blank or All: shared by the key), amounts by year.",
};

/// Benefits: one row per benefit line.
pub const BENEFITS: Sheet = Sheet {
    name: "Benefits",
    required: true,
    columns: &[
        lines::OPTION,
        lines::LINE,
        lines::BENEFIT_TYPE,
        lines::PARTNER,
        lines::INFLATION,
        lines::YEARS,
        lines::KEY,
        lines::RANGE_LOW,
        lines::RANGE_HIGH,
        lines::DISTRIBUTION,
        lines::GROUP,
    ],
    years: Years::Appraisal,
    rows: &[],
    doc: "One row per benefit: option, line, Cashable (a saving) or Non-cashable, partner, amounts by year.",
};

/// The Budget sheet's columns.
pub mod budget {
    use super::{Column, Kind, col, with_default};

    pub const PARTNER: Column = col(
        "Partner",
        Kind::PartnerRef { shared: "Region" },
        true,
        "a partner's name, or `Region` for region-wide rows",
    )
    .wide(24)
    .prompt("choose a partner from the Partners sheet, or Region");
    pub const LINE: Column = col(
        "Line",
        Kind::Choice(&super::BUDGET_LINES),
        true,
        "a line of the medium-term financial plan; each partner has each line at most once",
    )
    .wide(40)
    .prompt("choose one of the Budget lines");
    pub const YEARS: Column = with_default(
        col(
            "2025/26 ...",
            Kind::Years,
            true,
            "the Budget's own consecutive years, which may differ from the appraisal years",
        ),
        "0",
    )
    .wide(14);
}

/// Budget (optional): the partners' medium-term financial plans.
pub const BUDGET: Sheet = Sheet {
    name: "Budget",
    required: false,
    columns: &[budget::PARTNER, budget::LINE, budget::YEARS],
    years: Years::Own,
    rows: &[],
    doc: "Optional. Each partner's medium-term financial plan gap, or Region rows for the whole collaboration.",
};

/// The Risks sheet's columns.
pub mod risks {
    use super::{Column, Format, Kind, bounds, col, with_default};

    pub const RISK: Column = col("Risk", Kind::Text, true, "the risk's id");
    pub const DESCRIPTION: Column =
        col("Description", Kind::Text, false, "what could happen").wide(50);
    pub const OPTION: Column = col("Option", Kind::OptionRef, true, "the option it belongs to")
        .prompt("choose an option id from the Options sheet");
    pub const PROBABILITY: Column = col(
        "Probability",
        Kind::Fraction(&bounds::PROBABILITY),
        true,
        "how likely it is",
    );
    pub const IMPACT: Column = Column {
        format: Format::Money,
        ..col(
            "Impact",
            Kind::Money,
            true,
            "its cost if it happens, in the workbook's unit",
        )
    }
    .wide(14);
    pub const YEAR: Column = with_default(
        col(
            "Year",
            Kind::Year,
            false,
            "the appraisal year it would fall in",
        ),
        "the base year",
    )
    .prompt("choose one of the appraisal years");
    pub const OWNER: Column = col("Owner", Kind::Text, false, "who manages it").wide(24);
    pub const MITIGATION: Column =
        col("Mitigation", Kind::Text, false, "what is done about it").wide(50);
    pub const PARTNER: Column = with_default(
        col(
            "Partner",
            Kind::PartnerRef { shared: "All" },
            false,
            "the one partner who would bear the risk; blank or `All`: shared by the apportionment key, like a shared cost",
        ),
        "All",
    )
    .wide(24)
    .prompt("choose a partner from the Partners sheet, or All for a shared risk");
    pub const IMPACT_LOW: Column = with_default(
        Column {
            format: Format::Money,
            ..col(
                "Impact low",
                Kind::Money,
                false,
                "the least it would cost if it happens, at most the Impact",
            )
        },
        "the Impact",
    )
    .wide(14);
    pub const IMPACT_HIGH: Column = with_default(
        Column {
            format: Format::Money,
            ..col(
                "Impact high",
                Kind::Money,
                false,
                "the most it would cost if it happens, at least the Impact",
            )
        },
        "the Impact",
    )
    .wide(14);
}

/// Risks (optional): the risk register.
pub const RISKS: Sheet = Sheet {
    name: "Risks",
    required: false,
    columns: &[
        risks::RISK,
        risks::DESCRIPTION,
        risks::OPTION,
        risks::PROBABILITY,
        risks::IMPACT,
        risks::YEAR,
        risks::OWNER,
        risks::MITIGATION,
        risks::PARTNER,
        lines::KEY,
        risks::IMPACT_LOW,
        risks::IMPACT_HIGH,
        lines::DISTRIBUTION,
        lines::GROUP,
    ],
    years: Years::None,
    rows: &[],
    doc: "Optional. The risk register: probability, impact in the unit, the year it would fall, owner and mitigation.",
};

// ---- The Five Case content (optional sheets) -----------------------------

/// Objectives `Kind`: Spending objective, then Critical success factor.
pub const OBJECTIVE_KINDS: Choices = Choices {
    values: &[
        choice("Spending objective", &["SO", "Objective", "Spending"]),
        choice("Critical success factor", &["CSF", "Success factor"]),
    ],
    rule: Rule::Common,
};

/// Long list `Dimension`: the options framework's five, in the guidance's order.
pub const DIMENSIONS: Choices = Choices {
    values: &[
        choice("Scope", &["Service scope"]),
        choice("Solution", &["Service solution"]),
        choice("Delivery", &["Service delivery"]),
        choice("Implementation", &[]),
        choice("Funding", &[]),
    ],
    rule: Rule::Common,
};

/// Long list assessment cells: Yes, Partly, No.
pub const ASSESSMENTS: Choices = Choices {
    values: &[
        choice("Yes", &["Y"]),
        choice("Partly", &["Partial", "Partially", "P"]),
        choice("No", &["N"]),
    ],
    rule: Rule::Common,
};

/// Long list `Outcome`: Preferred, Carried forward, Discounted.
pub const OUTCOMES: Choices = Choices {
    values: &[
        choice("Preferred", &["Preferred way forward"]),
        choice(
            "Carried forward",
            &["Carry forward", "Possible", "Shortlisted"],
        ),
        choice("Discounted", &["Rejected", "Discount"]),
    ],
    rule: Rule::Common,
};

/// Benefits register `Type`: Cashable, Non-cashable, Non-monetised.
pub const REGISTER_TYPES: Choices = Choices {
    values: &[
        choice("Cashable", &[]),
        choice("Non-cashable", &["Non cashable", "Noncashable"]),
        choice(
            "Non-monetised",
            &[
                "Non monetised",
                "Nonmonetised",
                "Non-monetized",
                "Qualitative",
            ],
        ),
    ],
    rule: Rule::Common,
};

/// The Objectives sheet's columns.
pub mod objectives {
    use super::{Column, Kind, col};

    pub const OBJECTIVE: Column = col(
        "Objective",
        Kind::Id,
        true,
        "a short id such as SO1 or CSF2, unique; the Long list's assessment columns are headed by these ids",
    );
    pub const KIND: Column = col(
        "Kind",
        Kind::Choice(&super::OBJECTIVE_KINDS),
        true,
        "a spending objective (what the spending is to achieve) or a critical success factor (what any option must do to succeed)",
    )
    .wide(26)
    .prompt("Kind is Spending objective or Critical success factor");
    pub const DESCRIPTION: Column = col(
        "Description",
        Kind::Text,
        true,
        "the objective, in a sentence",
    )
    .wide(60);
    pub const MEASURE: Column = col(
        "Measure",
        Kind::Text,
        false,
        "how achieving it will be measured",
    )
    .wide(40);
}

/// Objectives (optional): the spending objectives and critical success factors.
pub const OBJECTIVES: Sheet = Sheet {
    name: "Objectives",
    required: false,
    columns: &[
        objectives::OBJECTIVE,
        objectives::KIND,
        objectives::DESCRIPTION,
        objectives::MEASURE,
    ],
    years: Years::None,
    rows: &[],
    doc: "Optional. The spending objectives and critical success factors of the Strategic Case, each with a short id the Long list refers to.",
};

/// The Long list sheet's columns.
pub mod long_list {
    use super::{Column, Kind, col};

    pub const POSSIBILITY: Column = col(
        "Possibility",
        Kind::Id,
        true,
        "a short id, unique on the sheet",
    );
    pub const DIMENSION: Column = col(
        "Dimension",
        Kind::Choice(&super::DIMENSIONS),
        true,
        "the options framework's dimension the possibility is a choice in",
    )
    .wide(16)
    .prompt("Dimension is Scope, Solution, Delivery, Implementation or Funding");
    pub const DESCRIPTION: Column =
        col("Description", Kind::Text, true, "the possibility").wide(50);
    pub const OUTCOME: Column = col(
        "Outcome",
        Kind::Choice(&super::OUTCOMES),
        true,
        "exactly one possibility of each dimension present is Preferred; the others are Carried forward or Discounted",
    )
    .wide(16)
    .prompt("Outcome is Preferred, Carried forward or Discounted");
    pub const REASON: Column = col(
        "Reason",
        Kind::Text,
        false,
        "why; required for a Discounted possibility",
    )
    .wide(50);
    pub const ASSESSMENTS: Column = col(
        "SO1 ...",
        Kind::Assessments,
        false,
        "one column per objective, headed by its Objectives id: does the possibility meet it? Every column the sheet does not declare is one",
    )
    .wide(8);

    /// The assessment columns a blank input workbook offers.
    pub const TEMPLATE_HEADERS: &[&str] = &["SO1", "SO2", "SO3", "CSF1", "CSF2", "CSF3"];
}

/// Long list (optional): the options framework.
pub const LONG_LIST: Sheet = Sheet {
    name: "Long list",
    required: false,
    columns: &[
        long_list::POSSIBILITY,
        long_list::DIMENSION,
        long_list::DESCRIPTION,
        long_list::OUTCOME,
        long_list::REASON,
        long_list::ASSESSMENTS,
    ],
    years: Years::None,
    rows: &[],
    doc: "Optional. The long list through the options framework: each possibility's dimension, its assessment against every objective (one column per Objectives id: Yes, Partly or No), its outcome and the reason.",
};

/// The Benefits register sheet's columns.
pub mod register {
    use super::{Column, Kind, col};

    pub const BENEFIT: Column = col("Benefit", Kind::Id, true, "a short id, unique");
    pub const DESCRIPTION: Column = col("Description", Kind::Text, true, "the benefit").wide(50);
    pub const TYPE: Column = col(
        "Type",
        Kind::Choice(&super::REGISTER_TYPES),
        true,
        "cashable, non-cashable, or non-monetised (described, not valued)",
    )
    .wide(16)
    .prompt("Type is Cashable, Non-cashable or Non-monetised");
    pub const OWNER: Column = col(
        "Owner",
        Kind::Text,
        false,
        "who is accountable for realising it; a Full Business Case needs one for every benefit",
    )
    .wide(24);
    pub const MEASURE: Column = col("Measure", Kind::Text, false, "how it is measured").wide(30);
    pub const BASELINE: Column = col("Baseline", Kind::Text, false, "the measure today").wide(16);
    pub const TARGET: Column = col("Target", Kind::Text, false, "the measure aimed for").wide(16);
    pub const FROM: Column = col(
        "From",
        Kind::Year,
        false,
        "the fiscal year from which it is expected",
    )
    .prompt("choose one of the appraisal years");
    pub const OPTION: Column = col(
        "Option",
        Kind::OptionRef,
        false,
        "with `Line`: the Benefits-sheet line that quantifies it, where one does",
    )
    .wide(14)
    .prompt("choose an option id from the Options sheet");
    pub const LINE: Column = col(
        "Line",
        Kind::Text,
        false,
        "the Benefits-sheet line of that option, as named there",
    )
    .wide(40);
}

/// Benefits register (optional).
pub const BENEFITS_REGISTER: Sheet = Sheet {
    name: "Benefits register",
    required: false,
    columns: &[
        register::BENEFIT,
        register::DESCRIPTION,
        register::TYPE,
        register::OWNER,
        register::MEASURE,
        register::BASELINE,
        register::TARGET,
        register::FROM,
        register::OPTION,
        register::LINE,
    ],
    years: Years::None,
    rows: &[],
    doc: "Optional. The benefits register: every benefit, monetised or not, with its owner, measure, baseline, target and first year; Option and Line name the Benefits-sheet line that values it.",
};

/// The Risk allocation sheet's columns.
pub mod allocation {
    use super::{Column, Kind, col};

    pub const CATEGORY: Column = col(
        "Risk category",
        Kind::Id,
        true,
        "a category of risk, such as design, construction or operating",
    )
    .wide(30);
    pub const PUBLIC: Column = col(
        "Public",
        Kind::Allocation,
        false,
        "the share the partners keep: `Yes`, or a percentage; a row's percentages add up to 100%",
    );
    pub const PRIVATE: Column = col(
        "Private",
        Kind::Allocation,
        false,
        "the share transferred to the supplier: `Yes`, or a percentage",
    );
    pub const SHARED: Column = col(
        "Shared",
        Kind::Allocation,
        false,
        "the share held jointly: `Yes`, or a percentage",
    );
}

/// Risk allocation (optional): the Commercial Case's allocation matrix.
pub const RISK_ALLOCATION: Sheet = Sheet {
    name: "Risk allocation",
    required: false,
    columns: &[
        allocation::CATEGORY,
        allocation::PUBLIC,
        allocation::PRIVATE,
        allocation::SHARED,
    ],
    years: Years::None,
    rows: &[],
    doc: "Optional. Who bears each category of risk: Yes in one column, or percentages across the row adding up to 100%.",
};

/// The Milestones sheet's columns.
pub mod milestones {
    use super::{Column, Kind, col};

    pub const MILESTONE: Column =
        col("Milestone", Kind::Id, true, "what is reached, unique").wide(40);
    pub const DATE: Column = col(
        "Date",
        Kind::Date,
        true,
        "when: a date cell, or text written YYYY-MM-DD",
    )
    .wide(12);
    pub const OWNER: Column = col("Owner", Kind::Text, false, "who delivers it").wide(24);
    pub const GATEWAY: Column = col(
        "Gateway",
        Kind::Text,
        false,
        "the assurance gateway or decision point at the milestone, if any",
    )
    .wide(24);
}

/// Milestones (optional): the Management Case's plan.
pub const MILESTONES: Sheet = Sheet {
    name: "Milestones",
    required: false,
    columns: &[
        milestones::MILESTONE,
        milestones::DATE,
        milestones::OWNER,
        milestones::GATEWAY,
    ],
    years: Years::None,
    rows: &[],
    doc: "Optional. The Management Case's milestones: what, when (a date), who, and the gateway at it.",
};

/// Every sheet fivecase reads, in the order it reads and writes them.
pub const SHEETS: &[&Sheet] = &[
    &ASSUMPTIONS,
    &PARTNERS,
    &OPTIONS,
    &COSTS,
    &BENEFITS,
    &BUDGET,
    &RISKS,
    &OBJECTIVES,
    &LONG_LIST,
    &BENEFITS_REGISTER,
    &RISK_ALLOCATION,
    &MILESTONES,
];

/// The words in a row with a blank key that mark it as a total.
pub const TOTAL_WORDS: &[&str] = &["total", "totals", "subtotal"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_of_every_choice() {
        let all: Vec<(&str, Vec<&str>)> = [
            &UNITS,
            &GREEN_BOOK,
            &EDITIONS,
            &YES_NO,
            &COST_TYPES,
            &BENEFIT_TYPES,
            &INFLATION_INDICES,
            &BUDGET_LINES,
            &DISTRIBUTIONS,
            &OBJECTIVE_KINDS,
            &DIMENSIONS,
            &ASSESSMENTS,
            &OUTCOMES,
            &REGISTER_TYPES,
        ]
        .iter()
        .flat_map(|c| c.values.iter().map(|v| (v.value, v.aliases.to_vec())))
        .collect();
        insta::assert_debug_snapshot!(all);
    }

    #[test]
    fn choices_match_their_spellings() {
        assert_eq!(UNITS.find("£ 000"), Some(1));
        assert_eq!(UNITS.find("£’000"), Some(1));
        assert_eq!(UNITS.find(" £MN "), Some(2));
        assert_eq!(UNITS.find("k"), None);
        assert_eq!(BENEFIT_TYPES.find("NON-CASHABLE"), Some(1));
        assert_eq!(
            BUDGET_LINES.find("Use of reserves & one-off grants"),
            Some(1)
        );
        assert_eq!(BUDGET_LINES.find("Cash-releasing efficiencies"), Some(2));
        assert_eq!(YES_NO.find("true"), Some(0));
        assert_eq!(COST_TYPES.find("capex"), None);
    }

    #[test]
    fn every_sheet_starts_with_its_key_and_has_unique_headers() {
        for sheet in SHEETS {
            let headers = sheet.headers();
            for (i, h) in headers.iter().enumerate() {
                assert!(
                    !headers[..i].iter().any(|x| names::same(x, h)),
                    "{}: {h} twice",
                    sheet.name
                );
            }
            assert!(sheet.key().required);
        }
    }
}
