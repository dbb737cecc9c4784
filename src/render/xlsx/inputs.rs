//! The export's input sheets: the case as a finance lead would type it, in
//! the input workbook's format, so that the export is itself a case that
//! reproduces the one it came from, and so that every formula on the
//! calculation sheets can point at the cell its figure comes from.
//!
//! The writer records where it put each value ([`Layout`]); the calculation
//! sheets build their references from that, never from guessed positions.

use rust_decimal::Decimal;

use super::{ExportError, Formats, Sheet, col, row};
use crate::model::{
    BenefitKind, BudgetLine, Case, CellRef, CostKind, DiscountRate, Inflation, ObOrigin,
    OptimismBias,
};

/// The written input sheets and where their values are.
pub(super) struct Inputs {
    pub(super) sheets: Vec<Sheet>,
    pub(super) layout: Layout,
}

/// The cells of one option's row on the Options sheet.
#[derive(Debug, Clone)]
pub(super) struct OptionCells {
    pub(super) id: CellRef,
    pub(super) ob_capital: CellRef,
    pub(super) ob_revenue: CellRef,
    pub(super) mitigation: CellRef,
    /// The mitigation written in that cell (one per option on the sheet).
    pub(super) mitigation_value: Decimal,
}

/// A block of line rows (Costs, Benefits, Risks): first data row, count and columns.
#[derive(Debug, Clone)]
pub(super) struct Lines {
    pub(super) sheet: String,
    pub(super) first_row: u32,
    pub(super) count: usize,
}

impl Lines {
    /// `Costs!$C$2:$C$41`, or `None` for a sheet without rows.
    pub(super) fn column(&self, col: u16) -> Option<String> {
        if self.count == 0 {
            return None;
        }
        let last = row(self.first_row, self.count - 1).ok()?;
        let first = CellRef::new(&self.sheet, self.first_row, u32::from(col)).to_string();
        let (sheet, a) = first.rsplit_once('!')?;
        let b = CellRef::new(&self.sheet, last, u32::from(col)).a1();
        Some(format!("{sheet}!{}:{}", dollar(a), dollar(&b)))
    }
}

/// `E7` → `$E$7`.
fn dollar(a1: &str) -> String {
    let split = a1.find(|c: char| c.is_ascii_digit()).unwrap_or(a1.len());
    format!("${}${}", &a1[..split], &a1[split..])
}

/// Columns of the Costs and Benefits sheets.
pub(super) const LINE_OPTION: u16 = 0;
pub(super) const LINE_TYPE: u16 = 2;
pub(super) const COST_INFLATION: u16 = 4;
pub(super) const COST_FIRST_YEAR: u16 = 5;
pub(super) const BENEFIT_FIRST_YEAR: u16 = 4;
/// Columns of the Risks sheet.
pub(super) const RISK_OPTION: u16 = 2;
pub(super) const RISK_PROBABILITY: u16 = 3;
pub(super) const RISK_IMPACT: u16 = 4;
pub(super) const RISK_YEAR: u16 = 5;
/// First year column of the Budget sheet.
pub(super) const BUDGET_FIRST_YEAR: u16 = 2;

/// Where the input values are.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// Defined names for the key inputs, e.g. `("BaseYear", Assumptions!B2)`.
    pub(super) names: Vec<(&'static str, CellRef)>,
    /// The apportionment key's cell for each partner, in sheet order.
    pub(super) partner_key: Vec<CellRef>,
    pub(super) options: Vec<OptionCells>,
    pub(super) costs: Lines,
    pub(super) benefits: Lines,
    pub(super) risks: Lines,
    /// The sheet row of each `Budget::rows` entry.
    pub(super) budget_rows: Vec<u32>,
}

/// Writes the input sheets of `case`.
///
/// # Errors
/// When a sheet exceeds the limits of xlsx.
pub(super) fn write(case: &Case, fmt: &Formats) -> Result<Inputs, ExportError> {
    let mut names = Vec::new();
    let assumptions = assumptions(case, fmt, &mut names)?;
    let (partners, partner_key) = partners(case, fmt)?;
    let (options, option_cells) = options(case, fmt)?;
    let (costs, costs_lines) = costs(case, fmt)?;
    let (benefits, benefit_lines) = benefits(case, fmt)?;
    let mut sheets = vec![assumptions, partners, options, costs, benefits];
    let mut budget_rows = Vec::new();
    if let Some(b) = budget(case, fmt, &mut budget_rows)? {
        sheets.push(b);
    }
    let (risks, risk_lines) = risks(case, fmt)?;
    sheets.push(risks);
    Ok(Inputs {
        sheets,
        layout: Layout {
            names,
            partner_key,
            options: option_cells,
            costs: costs_lines,
            benefits: benefit_lines,
            risks: risk_lines,
            budget_rows,
        },
    })
}

fn headers(sheet: &mut Sheet, fmt: &Formats, titles: &[&str]) -> Result<(), ExportError> {
    for (i, t) in titles.iter().enumerate() {
        sheet.text(0, col(0, i)?, t, &fmt.header_left)?;
    }
    Ok(())
}

fn assumptions(
    case: &Case,
    fmt: &Formats,
    names: &mut Vec<(&'static str, CellRef)>,
) -> Result<Sheet, ExportError> {
    let a = &case.assumptions;
    let mut s = Sheet::new("Assumptions")?;
    headers(&mut s, fmt, &["Assumption", "Value"])?;
    let mut r = 1;
    let mut put =
        |s: &mut Sheet, label: &str, name: Option<&'static str>| -> Result<u32, ExportError> {
            s.text(r, 0, label, &fmt.label)?;
            if let Some(name) = name {
                names.push((name, CellRef::new("Assumptions", r, 1)));
            }
            r += 1;
            Ok(r - 1)
        };
    let at = put(&mut s, "Base year", Some("BaseYear"))?;
    s.text(at, 1, &a.base_year.value.to_string(), &fmt.text)?;
    let at = put(&mut s, "Unit", Some("Unit"))?;
    s.text(at, 1, a.unit.value.label(), &fmt.text)?;
    let at = put(&mut s, "Discount rate", Some("DiscountRate"))?;
    match a.discount_rate.value {
        DiscountRate::GreenBook => s.text(at, 1, "Green Book", &fmt.text)?,
        DiscountRate::Fixed(rate) => s.num(at, 1, rate, &fmt.input_percent)?,
    }
    let at = put(&mut s, "General inflation", Some("GeneralInflation"))?;
    s.num(at, 1, a.general_inflation.value, &fmt.input_percent)?;
    let at = put(&mut s, "Pay inflation", Some("PayInflation"))?;
    s.num(at, 1, a.pay_inflation.value, &fmt.input_percent)?;
    let at = put(&mut s, "Apportionment key", Some("ApportionmentKey"))?;
    let key = case
        .partners
        .key_columns
        .get(a.apportionment_key.value)
        .map_or("", String::as_str);
    s.text(at, 1, key, &fmt.text)?;
    if let Some(p) = case.preferred.and_then(|p| case.options.get(p)) {
        let at = put(&mut s, "Preferred option", Some("PreferredOption"))?;
        s.text(at, 1, &p.id, &fmt.text)?;
    }
    let at = put(&mut s, "Green Book edition", Some("GreenBookEdition"))?;
    s.text(at, 1, case.meta.edition.year(), &fmt.text)?;
    s.width(0, 26.0);
    s.width(1, 18.0);
    s.freeze(1, 0);
    Ok(s)
}

fn partners(case: &Case, fmt: &Formats) -> Result<(Sheet, Vec<CellRef>), ExportError> {
    let p = &case.partners;
    let mut s = Sheet::new("Partners")?;
    let mut titles = vec!["Partner"];
    titles.extend(p.key_columns.iter().map(String::as_str));
    headers(&mut s, fmt, &titles)?;
    let key = case.assumptions.apportionment_key.value;
    let mut key_cells = Vec::new();
    for (i, name) in p.names.iter().enumerate() {
        let r = row(1, i)?;
        s.text(r, 0, name, &fmt.text)?;
        for (k, v) in p.values.get(i).into_iter().flatten().enumerate() {
            let c = col(1, k)?;
            s.num(r, c, *v, &fmt.input_money)?;
            if k == key {
                key_cells.push(CellRef::new("Partners", r, u32::from(c)));
            }
        }
    }
    s.width(0, 28.0);
    for k in 0..p.key_columns.len() {
        s.width(col(1, k)?, 18.0);
    }
    s.freeze(1, 1);
    Ok((s, key_cells))
}

/// An optimism-bias cell: the rate itself, or the table category it came from.
fn ob_cell(
    s: &mut Sheet,
    r: u32,
    c: u16,
    ob: &OptimismBias,
    fmt: &Formats,
) -> Result<(), ExportError> {
    match ob.origin {
        ObOrigin::Entered => s.num(r, c, ob.rate, &fmt.input_percent),
        ObOrigin::Category { category, .. } => {
            let table = crate::params::optimism_bias_table(crate::model::Edition::CURRENT);
            let name = table.row(category).map_or("", |row| row.name);
            s.text(r, c, name, &fmt.text)
        }
    }
}

fn mitigation(ob: &OptimismBias) -> Option<Decimal> {
    match ob.origin {
        ObOrigin::Entered => None,
        ObOrigin::Category { mitigation, .. } => Some(mitigation),
    }
}

fn options(case: &Case, fmt: &Formats) -> Result<(Sheet, Vec<OptionCells>), ExportError> {
    let mut s = Sheet::new("Options")?;
    headers(
        &mut s,
        fmt,
        &[
            "ID",
            "Name",
            "Description",
            "Baseline",
            "Optimism bias capital",
            "Optimism bias revenue",
            "Optimism bias mitigation",
            "Optimism bias basis",
        ],
    )?;
    let mut cells = Vec::new();
    for (i, o) in case.options.iter().enumerate() {
        let r = row(1, i)?;
        s.text(r, 0, &o.id, &fmt.text)?;
        s.text(r, 1, &o.name, &fmt.text)?;
        s.text(r, 2, &o.description, &fmt.text)?;
        s.text(r, 3, if o.baseline { "Yes" } else { "No" }, &fmt.text)?;
        ob_cell(&mut s, r, 4, &o.ob_capital, fmt)?;
        ob_cell(&mut s, r, 5, &o.ob_revenue, fmt)?;
        // One mitigation cell per option: the capital category's, else the revenue one's.
        let m = mitigation(&o.ob_capital).or_else(|| mitigation(&o.ob_revenue));
        if let Some(m) = m {
            s.num(r, 6, m, &fmt.input_percent)?;
        }
        if !o.ob_basis.is_empty() {
            s.text(r, 7, &o.ob_basis, &fmt.text)?;
        }
        cells.push(OptionCells {
            id: CellRef::new("Options", r, 0),
            ob_capital: CellRef::new("Options", r, 4),
            ob_revenue: CellRef::new("Options", r, 5),
            mitigation: CellRef::new("Options", r, 6),
            mitigation_value: m.unwrap_or_default(),
        });
    }
    for (c, w) in [
        (0, 8.0),
        (1, 30.0),
        (2, 40.0),
        (3, 10.0),
        (4, 16.0),
        (5, 16.0),
        (6, 16.0),
        (7, 40.0),
    ] {
        s.width(c, w);
    }
    s.freeze(1, 2);
    Ok((s, cells))
}

fn year_headers(
    s: &mut Sheet,
    fmt: &Formats,
    first: u16,
    years: &[crate::model::FiscalYear],
) -> Result<(), ExportError> {
    for (j, y) in years.iter().enumerate() {
        let c = col(first, j)?;
        s.text(0, c, &y.to_string(), &fmt.header)?;
        s.width(c, 13.0);
    }
    Ok(())
}

fn option_id(case: &Case, index: usize) -> &str {
    case.options.get(index).map_or("", |o| o.id.as_str())
}

fn partner_or(case: &Case, partner: Option<usize>, all: &'static str) -> String {
    partner
        .and_then(|p| case.partners.names.get(p))
        .map_or_else(|| all.to_string(), Clone::clone)
}

fn costs(case: &Case, fmt: &Formats) -> Result<(Sheet, Lines), ExportError> {
    let mut s = Sheet::new("Costs")?;
    headers(
        &mut s,
        fmt,
        &["Option", "Line", "Type", "Partner", "Inflation"],
    )?;
    year_headers(&mut s, fmt, COST_FIRST_YEAR, &case.years)?;
    for (i, line) in case.costs.iter().enumerate() {
        let r = row(1, i)?;
        s.text(r, LINE_OPTION, option_id(case, line.option), &fmt.text)?;
        s.text(r, 1, &line.line, &fmt.text)?;
        let kind = match line.kind {
            CostKind::Capital => "Capital",
            CostKind::Revenue => "Revenue",
        };
        s.text(r, LINE_TYPE, kind, &fmt.text)?;
        s.text(r, 3, &partner_or(case, line.partner, "All"), &fmt.text)?;
        s.text(r, COST_INFLATION, inflation_name(line.inflation), &fmt.text)?;
        for (j, v) in line.values.iter().enumerate() {
            s.num(r, col(COST_FIRST_YEAR, j)?, *v, &fmt.input_money)?;
        }
    }
    for (c, w) in [(0, 8.0), (1, 34.0), (2, 10.0), (3, 22.0), (4, 10.0)] {
        s.width(c, w);
    }
    s.freeze(1, 2);
    Ok((
        s,
        Lines {
            sheet: "Costs".into(),
            first_row: 1,
            count: case.costs.len(),
        },
    ))
}

/// The Costs sheet's `Inflation` value for an index.
pub(super) fn inflation_name(kind: Inflation) -> &'static str {
    match kind {
        Inflation::General => "General",
        Inflation::Pay => "Pay",
        Inflation::None => "None",
    }
}

fn benefits(case: &Case, fmt: &Formats) -> Result<(Sheet, Lines), ExportError> {
    let mut s = Sheet::new("Benefits")?;
    headers(&mut s, fmt, &["Option", "Line", "Type", "Partner"])?;
    year_headers(&mut s, fmt, BENEFIT_FIRST_YEAR, &case.years)?;
    for (i, line) in case.benefits.iter().enumerate() {
        let r = row(1, i)?;
        s.text(r, LINE_OPTION, option_id(case, line.option), &fmt.text)?;
        s.text(r, 1, &line.line, &fmt.text)?;
        s.text(r, LINE_TYPE, benefit_name(line.kind), &fmt.text)?;
        s.text(r, 3, &partner_or(case, line.partner, "All"), &fmt.text)?;
        for (j, v) in line.values.iter().enumerate() {
            s.num(r, col(BENEFIT_FIRST_YEAR, j)?, *v, &fmt.input_money)?;
        }
    }
    for (c, w) in [(0, 8.0), (1, 34.0), (2, 13.0), (3, 22.0)] {
        s.width(c, w);
    }
    s.freeze(1, 2);
    Ok((
        s,
        Lines {
            sheet: "Benefits".into(),
            first_row: 1,
            count: case.benefits.len(),
        },
    ))
}

/// The Benefits sheet's `Type` value for a kind.
pub(super) fn benefit_name(kind: BenefitKind) -> &'static str {
    match kind {
        BenefitKind::Cashable => "Cashable",
        BenefitKind::NonCashable => "Non-cashable",
    }
}

fn budget_label(line: BudgetLine) -> &'static str {
    match line {
        BudgetLine::BaseBudgetGap => "Base budget gap",
        BudgetLine::UseOfReserves => "Use of reserves and one-off grant",
        BudgetLine::CashReleasingEfficiencies => "Cash releasing efficiencies",
        BudgetLine::IdentifiedRiskGap => "Identified risk gap",
        BudgetLine::LossOfGrantToFloors => "Loss of grant to floors",
        BudgetLine::IncreaseInBorrowing => "Increase in borrowing",
    }
}

fn budget(case: &Case, fmt: &Formats, rows: &mut Vec<u32>) -> Result<Option<Sheet>, ExportError> {
    let Some(b) = &case.budget else {
        return Ok(None);
    };
    let mut s = Sheet::new("Budget")?;
    headers(&mut s, fmt, &["Partner", "Line"])?;
    year_headers(&mut s, fmt, BUDGET_FIRST_YEAR, &b.years)?;
    for (i, br) in b.rows.iter().enumerate() {
        let r = row(1, i)?;
        s.text(r, 0, &partner_or(case, br.partner, "Region"), &fmt.text)?;
        s.text(r, 1, budget_label(br.line), &fmt.text)?;
        for (j, v) in br.values.iter().enumerate() {
            s.num(r, col(BUDGET_FIRST_YEAR, j)?, *v, &fmt.input_money)?;
        }
        rows.push(r);
    }
    s.width(0, 22.0);
    s.width(1, 34.0);
    s.freeze(1, 2);
    Ok(Some(s))
}

fn risks(case: &Case, fmt: &Formats) -> Result<(Sheet, Lines), ExportError> {
    let mut s = Sheet::new("Risks")?;
    headers(
        &mut s,
        fmt,
        &[
            "ID",
            "Description",
            "Option",
            "Probability",
            "Impact",
            "Year",
            "Owner",
            "Mitigation",
        ],
    )?;
    for (i, risk) in case.risks.iter().enumerate() {
        let r = row(1, i)?;
        s.text(r, 0, &risk.id, &fmt.text)?;
        s.text(r, 1, &risk.description, &fmt.text)?;
        s.text(r, RISK_OPTION, option_id(case, risk.option), &fmt.text)?;
        s.num(r, RISK_PROBABILITY, risk.probability, &fmt.input_percent)?;
        s.num(r, RISK_IMPACT, risk.impact, &fmt.input_money)?;
        let year = case
            .years
            .get(risk.year)
            .map(ToString::to_string)
            .unwrap_or_default();
        s.text(r, RISK_YEAR, &year, &fmt.text)?;
        s.text(r, 6, &risk.owner, &fmt.text)?;
        s.text(r, 7, &risk.mitigation, &fmt.text)?;
    }
    for (c, w) in [
        (0, 8.0),
        (1, 40.0),
        (2, 8.0),
        (3, 12.0),
        (4, 12.0),
        (5, 10.0),
        (6, 22.0),
        (7, 40.0),
    ] {
        s.width(c, w);
    }
    s.freeze(1, 2);
    Ok((
        s,
        Lines {
            sheet: "Risks".into(),
            first_row: 1,
            count: case.risks.len(),
        },
    ))
}
