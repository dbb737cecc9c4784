//! The blank input workbook `fivecase template` writes: every sheet of the
//! workbook format (docs/workbook.md) in order, with the Assumptions
//! defaults filled in, year columns for the chosen period and drop-downs
//! wherever a value comes from a list, so a finance lead can fill it in
//! correctly without reading the format first.
//!
//! Drop-downs that name partners offer `All` (Costs, Benefits) or `Region`
//! (Budget) as well; a spreadsheet list must be one range, so a hidden
//! `Lists` sheet holds those choices, following the Partners sheet through
//! formulas so renamed partners appear at once. fivecase ignores sheets it
//! does not know, so the Guide and Lists sheets never affect a case.

use rust_decimal::Decimal;

use crate::model::{Edition, FiscalYear, Unit};
use crate::params;
use crate::render::workbook::{
    Cell, Column, ColumnKind, ListSource, ListValidation, SheetSpec, WorkbookSpec,
};

/// What the template is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateOptions {
    /// The first appraisal year (also the default base year and the first Budget year).
    pub first_year: FiscalYear,
    /// How many appraisal years the Costs and Benefits sheets have columns for.
    pub years: u16,
    /// How many partner rows the Partners sheet (and its drop-downs) offer.
    pub partners: u16,
    pub unit: Unit,
}

/// Blank rows offered on each sheet, beyond what most cases need.
pub const OPTION_ROWS: u32 = 10;
pub const COST_ROWS: u32 = 200;
pub const BENEFIT_ROWS: u32 = 200;
pub const RISK_ROWS: u32 = 50;
/// Years on the Budget sheet: a four-year medium-term financial plan.
pub const BUDGET_YEARS: u16 = 4;

/// The Budget sheet's lines, inputs then the two check rows, as the format spells them.
pub const BUDGET_LINES: [&str; 8] = [
    "Base budget gap",
    "Use of reserves and one off grant",
    "Cash releasing efficiencies",
    "Identified risk gap",
    "Loss of grant to floors",
    "Increase in borrowing",
    "Residual gap",
    "Risk adjusted gap",
];

/// The sheets in the order the template writes them.
pub const SHEETS: [&str; 9] = [
    "Guide",
    "Assumptions",
    "Partners",
    "Options",
    "Costs",
    "Benefits",
    "Budget",
    "Risks",
    "Lists",
];

/// The template workbook for `options`.
pub fn template(options: &TemplateOptions) -> WorkbookSpec {
    let unit = options.unit;
    let mut spec = WorkbookSpec::new("fivecase input workbook", unit.default_display_decimals());
    let years = year_labels(options.first_year, options.years);
    let budget_years = year_labels(options.first_year, BUDGET_YEARS);
    let partners = partners(options.partners);
    let options_sheet = options_sheet();
    let option_range = data_range(&options_sheet, 0);
    let lists = lists(partners.first_data_row() + 1, options.partners, &years);
    // Lists holds `All` / `Region` in its first data row, the partners below,
    // and the appraisal years down its third column.
    let first = lists.first_data_row() + 1;
    let last_partner = first + u32::from(options.partners);
    let all_range = format!("Lists!$A${first}:$A${last_partner}");
    let region_range = format!("Lists!$B${first}:$B${last_partner}");
    let year_range = format!(
        "Lists!$C${first}:$C${}",
        first + u32::from(options.years).saturating_sub(1)
    );
    spec.sheets = vec![
        guide(unit),
        assumptions(*options),
        partners,
        options_sheet,
        costs(&years, unit, &option_range, &all_range),
        benefits(&years, unit, &option_range, &all_range),
        budget(&budget_years, unit, &region_range),
        risks(unit, &option_range, &year_range),
        lists,
    ];
    spec
}

fn year_labels(first: FiscalYear, n: u16) -> Vec<String> {
    (0..n).map(|i| first.plus(i).to_string()).collect()
}

/// The absolute range of a sheet's data rows in column `col`, e.g. `Options!$A$5:$A$14`.
fn data_range(sheet: &SheetSpec, col: u32) -> String {
    let letter = crate::model::column_letters(col);
    format!(
        "{}!${letter}${}:${letter}${}",
        sheet.name,
        sheet.first_data_row() + 1,
        sheet.last_row() + 1
    )
}

fn t(text: &str) -> Cell {
    Cell::text(text)
}

fn list(col: u16, values: &[&str], message: &str) -> ListValidation {
    ListValidation {
        col,
        source: ListSource::Values(values.iter().map(|v| (*v).to_string()).collect()),
        message: message.to_string(),
        strict: true,
    }
}

fn range(col: u16, range: &str, message: &str) -> ListValidation {
    ListValidation {
        col,
        source: ListSource::Range(range.to_string()),
        message: message.to_string(),
        strict: true,
    }
}

fn guide(unit: Unit) -> SheetSpec {
    let money = format!(
        "Every amount is in the unit named on the Assumptions sheet (now {unit}); to work in another unit, change it there rather than scaling figures."
    );
    let rows: Vec<[&str; 2]> = vec![
        [
            "Guide",
            "This sheet. fivecase ignores it, and any sheet or column it does not know, so add your own workings freely.",
        ],
        [
            "Assumptions",
            "Base year, unit, discount rate, inflation and the apportionment key. The defaults are filled in: change what differs.",
        ],
        [
            "Partners",
            "One row per partner: its name and government grant. Add columns (Net revenue expenditure, Population...) to apportion by them instead.",
        ],
        [
            "Options",
            "The short list: a short id, a name and a description. Exactly one option is the baseline (business as usual), Baseline = Yes.",
        ],
        [
            "Costs",
            "One row per cost line: option, line, Capital or Revenue, the partner who bears it (blank or All: shared by the key), amounts by year.",
        ],
        [
            "Benefits",
            "One row per benefit: option, line, Cashable (a saving) or Non-cashable, partner, amounts by year.",
        ],
        [
            "Budget",
            "Optional. Each partner's medium-term financial plan gap, or Region rows for the whole collaboration.",
        ],
        [
            "Risks",
            "Optional. The risk register: probability, impact in the unit, the year it would fall, owner and mitigation.",
        ],
        [
            "Lists",
            "Hidden. The choices the drop-downs offer; it follows the Partners sheet by itself.",
        ],
        ["Units", money.as_str()],
        [
            "Fiscal years",
            "Year columns are fiscal years, April to March, written 2026/27. Leave them as they are; an empty year cell counts as zero.",
        ],
        [
            "Prices",
            "Costs and benefits are in real prices of the base year: fivecase adds inflation for the Financial Case.",
        ],
        [
            "Signs",
            "Enter costs and benefits as positive amounts. On Budget, reserves and efficiencies may be positive or negative, one sign per row.",
        ],
        [
            "Rates",
            "Rates are percentages: type 3.5% (stored as 0.035). Optimism bias may instead name a Green Book category, e.g. Standard buildings.",
        ],
        [
            "Check",
            "Run fivecase check on the workbook: it lists everything still to be filled in, by sheet and cell.",
        ],
    ];
    SheetSpec {
        name: "Guide".into(),
        titles: vec![
            "fivecase input workbook".into(),
            "Fill in the sheets from left to right; the drop-downs show the values each column accepts.".into(),
        ],
        columns: vec![Column::text("Sheet"), Column::text("What it is for").at_least(60)],
        rows: rows.iter().map(|[a, b]| vec![t(a), t(b)]).collect(),
        ..SheetSpec::default()
    }
}

fn assumptions(options: TemplateOptions) -> SheetSpec {
    let base = options.first_year.to_string();
    SheetSpec {
        name: "Assumptions".into(),
        titles: vec!["Assumptions: defaults filled in; change what differs for your case".into()],
        columns: vec![
            Column::text("Name"),
            Column::text("Value").at_least(18),
            Column::text("Notes"),
        ],
        rows: vec![
            vec![
                t("Base year"),
                t(&base),
                t("Year 0 of discounting and the price base; not after the first year on Costs"),
            ],
            vec![
                t("Unit"),
                t(options.unit.label()),
                t("£, £k or £m: the unit of every amount in the workbook"),
            ],
            vec![
                t("Discount rate"),
                t("Green Book"),
                t("Green Book (the STPR schedule of the edition in force) or a rate such as 3.5%"),
            ],
            vec![
                t("General inflation"),
                Cell::Percent(Decimal::new(2, 2)),
                t("Turns real prices into nominal ones for the Financial Case"),
            ],
            vec![
                t("Pay inflation"),
                Cell::Percent(Decimal::new(25, 3)),
                t("Used for cost lines whose Inflation is Pay"),
            ],
            vec![
                t("Apportionment key"),
                t("Government grant"),
                t("The Partners column shared lines are split by"),
            ],
        ],
        validations: Vec::new(),
        ..SheetSpec::default()
    }
}

fn partners(n: u16) -> SheetSpec {
    SheetSpec {
        name: "Partners".into(),
        titles: vec![
            "Partners: one row per partner; add key columns to the right as needed".into(),
        ],
        columns: vec![
            Column::text("Partner").at_least(24),
            Column::money("Government grant").at_least(18),
        ],
        blank_rows: u32::from(n),
        ..SheetSpec::default()
    }
}

fn options_sheet() -> SheetSpec {
    SheetSpec {
        name: "Options".into(),
        titles: vec![
            "Options: a short id for each; exactly one baseline (business as usual)".into(),
        ],
        columns: vec![
            Column::text("Option"),
            Column::text("Name").at_least(30),
            Column::text("Description").at_least(50),
            Column::text("Baseline"),
            Column::new("Optimism bias capital", ColumnKind::Percent),
            Column::new("Optimism bias revenue", ColumnKind::Percent),
            Column::new("Optimism bias mitigation", ColumnKind::Percent),
            Column::text("Optimism bias basis").at_least(50),
        ],
        blank_rows: OPTION_ROWS,
        validations: vec![
            list(
                3,
                &["Yes", "No"],
                "Baseline is Yes for business as usual, No for every other option",
            ),
            optimism_bias(4),
            optimism_bias(5),
        ],
        ..SheetSpec::default()
    }
}

/// The Green Book optimism-bias categories as a suggestion: a rate typed
/// instead (24%) is accepted after a query, since the column takes either.
fn optimism_bias(col: u16) -> ListValidation {
    let names = params::optimism_bias_table(Edition::CURRENT).names();
    ListValidation {
        col,
        source: ListSource::Values(names.iter().map(|n| (*n).to_string()).collect()),
        message: "a Green Book category from the list, or a rate such as 24%".to_string(),
        strict: false,
    }
}

fn year_columns(text: &[&str], years: &[String]) -> Vec<Column> {
    text.iter()
        .map(|h| {
            let width = match *h {
                "Line" => 40,
                "Partner" => 24,
                "Option" | "Type" | "Inflation" => 14,
                _ => 0,
            };
            Column::text(*h).at_least(width)
        })
        // Room for amounts in the tens of millions of pounds without #####.
        .chain(years.iter().map(|y| Column::money(y).at_least(14)))
        .collect()
}

fn costs(years: &[String], unit: Unit, options: &str, partners: &str) -> SheetSpec {
    SheetSpec {
        name: "Costs".into(),
        titles: vec![format!(
            "Costs ({unit}, real prices of the base year): partner blank or All = shared by the apportionment key"
        )],
        columns: year_columns(&["Option", "Line", "Type", "Partner", "Inflation"], years),
        blank_rows: COST_ROWS,
        freeze_cols: 2,
        validations: vec![
            range(0, options, "choose an option id from the Options sheet"),
            list(2, &["Capital", "Revenue"], "Type is Capital or Revenue"),
            range(
                3,
                partners,
                "choose a partner from the Partners sheet, or All for a shared line",
            ),
            list(
                4,
                &["General", "Pay", "None"],
                "Inflation is General, Pay or None",
            ),
        ],
        ..SheetSpec::default()
    }
}

fn benefits(years: &[String], unit: Unit, options: &str, partners: &str) -> SheetSpec {
    SheetSpec {
        name: "Benefits".into(),
        titles: vec![format!(
            "Benefits ({unit}, real prices of the base year): cashable benefits are the savings"
        )],
        columns: year_columns(&["Option", "Line", "Type", "Partner"], years),
        blank_rows: BENEFIT_ROWS,
        freeze_cols: 2,
        validations: vec![
            range(0, options, "choose an option id from the Options sheet"),
            list(
                2,
                &["Cashable", "Non-cashable"],
                "Type is Cashable or Non-cashable",
            ),
            range(
                3,
                partners,
                "choose a partner from the Partners sheet, or All for a shared line",
            ),
        ],
        ..SheetSpec::default()
    }
}

fn budget(years: &[String], unit: Unit, partners: &str) -> SheetSpec {
    let rows = u32::try_from(BUDGET_LINES.len()).unwrap_or(8) * 8;
    SheetSpec {
        name: "Budget".into(),
        titles: vec![format!(
            "Budget ({unit}): each partner's medium-term financial plan, or Region rows; optional"
        )],
        columns: year_columns(&["Partner", "Line"], years),
        blank_rows: rows,
        freeze_cols: 2,
        validations: vec![
            range(
                0,
                partners,
                "choose a partner from the Partners sheet, or Region",
            ),
            list(1, &BUDGET_LINES, "choose one of the Budget lines"),
        ],
        ..SheetSpec::default()
    }
}

fn risks(unit: Unit, options: &str, years: &str) -> SheetSpec {
    SheetSpec {
        name: "Risks".into(),
        titles: vec![format!(
            "Risks: impact in {unit}; Year blank means the base year; optional"
        )],
        columns: vec![
            Column::text("Risk"),
            Column::text("Description").at_least(50),
            Column::text("Option"),
            Column::new("Probability", ColumnKind::Percent),
            Column::money("Impact").at_least(14),
            Column::text("Year"),
            Column::text("Owner").at_least(24),
            Column::text("Mitigation").at_least(50),
        ],
        blank_rows: RISK_ROWS,
        validations: vec![
            range(2, options, "choose an option id from the Options sheet"),
            range(5, years, "choose one of the appraisal years"),
        ],
        ..SheetSpec::default()
    }
}

/// The hidden sheet of drop-down choices: partners with `All`, partners with
/// `Region`, and the appraisal years. `first_partner_row` is the 1-based row
/// of the first partner on the Partners sheet.
fn lists(first_partner_row: u32, partners: u16, years: &[String]) -> SheetSpec {
    let n = usize::from(partners).max(years.len().saturating_sub(1)) + 1;
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let partner = if i == 0 {
            None
        } else if i <= usize::from(partners) {
            let r = first_partner_row + u32::try_from(i - 1).unwrap_or(0);
            // Follows the Partners sheet, showing nothing for an empty row.
            Some(Cell::Formula {
                formula: format!("=IF(Partners!$A${r}=\"\",\"\",Partners!$A${r})"),
                result: String::new(),
            })
        } else {
            Some(Cell::Blank)
        };
        let (all, region) = match partner {
            None => (t("All"), t("Region")),
            Some(cell) => (cell.clone(), cell),
        };
        let year = years.get(i).map_or(Cell::Blank, |y| t(y));
        rows.push(vec![all, region, year]);
    }
    SheetSpec {
        name: "Lists".into(),
        titles: vec!["Drop-down choices (kept up to date from the Partners sheet)".into()],
        columns: vec![
            Column::text("Partner or All"),
            Column::text("Partner or Region"),
            Column::text("Appraisal year"),
        ],
        rows,
        hidden: true,
        ..SheetSpec::default()
    }
}
