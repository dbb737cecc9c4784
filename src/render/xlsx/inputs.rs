//! The export's input sheets: the case as a finance lead would type it, in
//! the input workbook's format (docs/workbook.md), written by the shared
//! input-sheet writer [`render::workbook`](crate::render::workbook), so that
//! the export is itself a case that reproduces the one it came from, with
//! the case's preferred option (when pinned) and Green Book edition on its
//! Assumptions sheet.
//!
//! The sheets are described here as data; [`Layout`] records where each
//! value lands, and the calculation sheets build their references from it,
//! never from guessed positions.

use rust_decimal::Decimal;

use super::ExportError;
use crate::model::{
    BenefitKind, BudgetLine, Case, CellRef, CostKind, DiscountRate, Inflation, ObOrigin,
    OptimismBias, OptionId, PartnerId, SheetSource,
};
use crate::params;
use crate::render::workbook::{Cell, Column, SheetSpec, WorkbookSpec};
use crate::schema::{self, Kind, assumptions as a, lines};

/// A sheet's headers and formats as the schema declares them, the year
/// columns expanded to `years` and the Partners key columns to `keys`.
fn schema_columns(sheet: &schema::Sheet, years: &[String], keys: &[String]) -> Vec<Column> {
    let mut out = Vec::new();
    for c in sheet.columns {
        match c.kind {
            Kind::Years => out.extend(years.iter().map(|y| Column::new(y, c.format))),
            Kind::KeyColumns => out.extend(keys.iter().map(|k| Column::new(k, c.format))),
            _ => out.push(Column::new(c.header, c.format)),
        }
    }
    out
}

/// One row of `sheet` in the schema's column order: each declared column's
/// cell from `cell` (blank where it gives none), the year or key columns
/// from `spread`. A column added to the schema thus lands in its place.
fn row_of(
    sheet: &schema::Sheet,
    spread: Vec<Cell>,
    cell: impl Fn(&schema::Column) -> Option<Cell>,
) -> Vec<Cell> {
    let mut out = Vec::with_capacity(sheet.columns.len() + spread.len());
    let mut spread = Some(spread);
    for c in sheet.columns {
        match c.kind {
            Kind::Years | Kind::KeyColumns => out.extend(spread.take().unwrap_or_default()),
            _ => out.push(cell(c).unwrap_or(Cell::Blank)),
        }
    }
    out
}

/// The cell of a risk-analysis column (`Range low`, `Range high`, `Impact
/// low`, `Impact high`, `Distribution`, `Group`) of a line or risk; `None`
/// for any other column.
fn range_cell(c: &schema::Column, u: &crate::model::Uncertainty) -> Option<Cell> {
    use schema::{lines as l, risks as r};
    if *c == l::RANGE_LOW {
        Some(Cell::Percent(u.low))
    } else if *c == l::RANGE_HIGH {
        Some(Cell::Percent(u.high))
    } else if *c == r::IMPACT_LOW {
        Some(Cell::Money(u.low))
    } else if *c == r::IMPACT_HIGH {
        Some(Cell::Money(u.high))
    } else if *c == l::DISTRIBUTION {
        Some(Cell::text(match u.distribution {
            crate::model::Distribution::Triangular => schema::DISTRIBUTIONS.values[0].value,
            crate::model::Distribution::Uniform => schema::DISTRIBUTIONS.values[1].value,
        }))
    } else if *c == l::GROUP {
        Some(u.group.as_deref().map_or(Cell::Blank, Cell::text))
    } else {
        None
    }
}

/// The risk-analysis columns a sheet declares after its year columns.
const RANGE_COLUMNS: usize = 4;

/// Drops the risk-analysis columns, the last [`RANGE_COLUMNS`] of the
/// sheet, when the case has no ranges: such a case exports as it did before
/// the columns existed.
fn without_ranges(sheet: &mut SheetSpec) {
    let keep = sheet.columns.len().saturating_sub(RANGE_COLUMNS);
    sheet.columns.truncate(keep);
    for row in &mut sheet.rows {
        row.truncate(keep);
    }
}

/// The zero-based column of `column` on `sheet` (declared before any year columns).
fn position(sheet: &schema::Sheet, column: &schema::Column) -> u32 {
    let index = sheet.columns.iter().position(|c| c == column).unwrap_or(0);
    u32::try_from(index).unwrap_or(0)
}

/// The spelling of value `index` of `choices`.
/// The position of `m` in [`schema::CAPITAL_FINANCING`].
fn financing_index(m: crate::model::Financing) -> usize {
    match m {
        crate::model::Financing::Revenue => 0,
        crate::model::Financing::Reserves => 1,
        crate::model::Financing::Grant => 2,
        crate::model::Financing::Borrowing => 3,
    }
}

fn choice(choices: &schema::Choices, index: usize) -> &'static str {
    choices.values.get(index).map_or("", |c| c.value)
}

/// The cells of one option's row on the Options sheet.
#[derive(Debug, Clone)]
pub(super) struct OptionCells {
    pub(super) id: CellRef,
    pub(super) ob_capital: CellRef,
    pub(super) ob_revenue: CellRef,
    /// Where each kind's mitigation is written, and the value written there
    /// (`None` where the kind has no category).
    pub(super) mitigation_capital: Option<(CellRef, Decimal)>,
    pub(super) mitigation_revenue: Option<(CellRef, Decimal)>,
}

/// A block of line rows (Costs, Benefits, Risks): the sheet rows they span
/// (`None` when there are none; rows in between may be blank).
#[derive(Debug, Clone)]
pub(super) struct Lines {
    pub(super) sheet: String,
    pub(super) span: Option<(u32, u32)>,
}

impl Lines {
    fn new(sheet: &str, positions: &[u32]) -> Self {
        Self {
            sheet: sheet.into(),
            span: positions.first().copied().zip(positions.last().copied()),
        }
    }

    /// `Costs!$C$4:$C$41`, or `None` for a sheet without rows.
    pub(super) fn column(&self, col: u16) -> Option<String> {
        let (first, last) = self.span?;
        Some(format!(
            "{}!{}:{}",
            sheet_ref(&self.sheet),
            super::abs(first, col),
            super::abs(last, col)
        ))
    }
}

/// A sheet name as a formula writes it (these names never need quoting).
fn sheet_ref(name: &str) -> String {
    let quoted = CellRef::new(name, 0, 0).to_string();
    quoted
        .rsplit_once('!')
        .map_or(quoted.clone(), |(s, _)| s.to_string())
}

/// Columns of the Costs and Benefits sheets.
pub(super) const LINE_OPTION: u16 = 0;
pub(super) const LINE_TYPE: u16 = 2;
pub(super) const COST_INFLATION: u16 = 4;
pub(super) const COST_FIRST_YEAR: u16 = 5;
pub(super) const BENEFIT_INFLATION: u16 = 4;
pub(super) const BENEFIT_FIRST_YEAR: u16 = 5;
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
    /// Defined names for the key inputs, e.g. `("BaseYear", Assumptions!B4)`.
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

/// The input sheets of `case` and where their values are.
///
/// # Errors
/// When a row or column index is beyond what a sheet holds.
pub(super) fn describe(case: &Case) -> Result<(WorkbookSpec, Layout), ExportError> {
    let mut spec = WorkbookSpec::new(case.meta.title.clone(), money_decimals(case));
    let unit = case.assumptions.unit.value.label();
    let base = case.assumptions.base_year.value;

    let mut names = Vec::new();
    let assumptions = assumptions(case);
    let first = assumptions.first_data_row();
    for (i, row) in assumptions.rows.iter().enumerate() {
        if let Some(Cell::Text(label)) = row.first() {
            let name = match label.as_str() {
                l if l == a::BASE_YEAR.name => "BaseYear",
                l if l == a::UNIT.name => "Unit",
                l if l == a::DISCOUNT_RATE.name => "DiscountRate",
                l if l == a::GENERAL_INFLATION.name => "GeneralInflation",
                l if l == a::PAY_INFLATION.name => "PayInflation",
                l if l == a::APPORTIONMENT_KEY.name => "ApportionmentKey",
                l if l == a::PREFERRED_OPTION.name => "PreferredOption",
                l if l == a::CAPITAL_FINANCING.name => "CapitalFinancing",
                l if l == a::BORROWING_RATE.name => "BorrowingRate",
                l if l == a::ASSET_LIFE.name => "AssetLife",
                l if l == a::BUDGET_GAP_BASIS.name => "BudgetGapBasis",
                _ => "GreenBookEdition",
            };
            names.push((name, CellRef::new("Assumptions", super::row(first, i)?, 1)));
        }
    }
    spec.sheets.push(assumptions);

    let key = case.assumptions.apportionment_key.value;
    let columns = schema_columns(&schema::PARTNERS, &[], &case.partners.key_columns);
    let mut partners = SheetSpec {
        name: schema::PARTNERS.name.into(),
        titles: vec![format!(
            "Partners and their apportionment keys ({unit} where money)"
        )],
        columns,
        rows: case
            .partners
            .names
            .iter()
            .zip(&case.partners.values)
            .enumerate()
            .map(|(p, (name, values))| {
                let keys = values.iter().map(|v| Cell::Money(*v)).collect();
                let own = case.financing.partners.get(p).copied().flatten();
                row_of(&schema::PARTNERS, keys, |c| {
                    if *c == schema::partners::PARTNER {
                        Some(Cell::text(name))
                    } else if *c == schema::partners::CAPITAL_FINANCING {
                        own.map(|m| {
                            Cell::text(choice(&schema::CAPITAL_FINANCING, financing_index(m)))
                        })
                    } else {
                        None
                    }
                })
            })
            .collect(),
        freeze_cols: 1,
        ..SheetSpec::default()
    };
    let at = place(
        &mut partners,
        Some(&case.sources.partners),
        &case.partners.rows,
    );
    let key_col = super::col(1, key)?;
    let partner_key = at
        .iter()
        .map(|r| CellRef::new("Partners", *r, u32::from(key_col)))
        .collect();
    spec.sheets.push(partners);

    let (mut options, mitigations) = options(case);
    let rows: Vec<u32> = case.options.iter().map(|o| o.row).collect();
    let at = place(&mut options, Some(&case.sources.options), &rows);
    let option_cells = mitigations
        .iter()
        .zip(&at)
        .map(|(m, r)| {
            let r = *r;
            let at = |c: &schema::Column| {
                CellRef::new(schema::OPTIONS.name, r, position(&schema::OPTIONS, c))
            };
            OptionCells {
                id: at(&schema::options::OPTION),
                ob_capital: at(&schema::options::OB_CAPITAL),
                ob_revenue: at(&schema::options::OB_REVENUE),
                mitigation_capital: m.capital.map(|(c, v)| (at(c), v)),
                mitigation_revenue: m.revenue.map(|(c, v)| (at(c), v)),
            }
        })
        .collect();
    spec.sheets.push(options);

    let years: Vec<String> = case.years.iter().map(ToString::to_string).collect();
    let all = schema::lines::PARTNER.shared();
    let option_id = |id: OptionId| case.option(id).map_or("", |o| o.id.as_str());
    let partner = |p: Option<PartnerId>, all: &str| {
        p.and_then(|p| case.partners.name(p))
            .map_or_else(|| all.to_string(), str::to_string)
    };
    let money = |values: &[Decimal]| values.iter().map(|v| Cell::Money(*v)).collect::<Vec<_>>();
    // A line's own key, as its Partners column is headed; blank for the case's key.
    let key_name = |k: Option<usize>| k.and_then(|k| case.partners.key_columns.get(k)).cloned();

    let mut costs = SheetSpec {
        name: schema::COSTS.name.into(),
        titles: vec![format!("Costs ({unit}, real prices of {base})")],
        columns: schema_columns(&schema::COSTS, &years, &[]),
        rows: case
            .costs
            .iter()
            .map(|l| {
                let kind = match l.kind {
                    CostKind::Capital => choice(&schema::COST_TYPES, 0),
                    CostKind::Revenue => choice(&schema::COST_TYPES, 1),
                };
                row_of(&schema::COSTS, money(&l.values), |c| {
                    if let Some(cell) = range_cell(c, &l.uncertainty) {
                        return Some(cell);
                    }
                    let text = if *c == lines::OPTION {
                        option_id(l.option).to_string()
                    } else if *c == lines::LINE {
                        l.line.clone()
                    } else if *c == lines::COST_TYPE {
                        kind.to_string()
                    } else if *c == lines::PARTNER {
                        partner(l.partner, all)
                    } else if *c == lines::INFLATION {
                        inflation_name(l.inflation).to_string()
                    } else if *c == lines::KEY {
                        key_name(l.key)?
                    } else {
                        return None;
                    };
                    Some(Cell::Text(text))
                })
            })
            .collect(),
        freeze_cols: 2,
        ..SheetSpec::default()
    };
    if !case.has_ranges() {
        without_ranges(&mut costs);
    }
    let rows: Vec<u32> = case.costs.iter().map(|l| l.row).collect();
    let cost_lines = Lines::new(
        "Costs",
        &place(&mut costs, Some(&case.sources.costs), &rows),
    );
    spec.sheets.push(costs);

    let mut benefits = SheetSpec {
        name: schema::BENEFITS.name.into(),
        titles: vec![format!(
            "Benefits ({unit}, real prices of {base}); cashable benefits are the savings"
        )],
        columns: schema_columns(&schema::BENEFITS, &years, &[]),
        rows: case
            .benefits
            .iter()
            .map(|l| {
                row_of(&schema::BENEFITS, money(&l.values), |c| {
                    if let Some(cell) = range_cell(c, &l.uncertainty) {
                        return Some(cell);
                    }
                    let text = if *c == lines::OPTION {
                        option_id(l.option).to_string()
                    } else if *c == lines::LINE {
                        l.line.clone()
                    } else if *c == lines::BENEFIT_TYPE {
                        benefit_name(l.kind).to_string()
                    } else if *c == lines::PARTNER {
                        partner(l.partner, all)
                    } else if *c == lines::INFLATION {
                        inflation_name(l.inflation).to_string()
                    } else if *c == lines::KEY {
                        key_name(l.key)?
                    } else {
                        return None;
                    };
                    Some(Cell::Text(text))
                })
            })
            .collect(),
        freeze_cols: 2,
        ..SheetSpec::default()
    };
    if !case.has_ranges() {
        without_ranges(&mut benefits);
    }
    let rows: Vec<u32> = case.benefits.iter().map(|l| l.row).collect();
    let benefit_lines = Lines::new(
        "Benefits",
        &place(&mut benefits, Some(&case.sources.benefits), &rows),
    );
    spec.sheets.push(benefits);

    let mut budget_rows = Vec::new();
    if let Some(b) = &case.budget {
        let years: Vec<String> = b.years.iter().map(ToString::to_string).collect();
        let columns = schema_columns(&schema::BUDGET, &years, &[]);
        let mut sheet = SheetSpec {
            name: schema::BUDGET.name.into(),
            titles: vec![format!(
                "Budget gap lines of the medium-term financial plan ({unit})"
            )],
            columns,
            rows: b
                .rows
                .iter()
                .map(|r| {
                    row_of(&schema::BUDGET, money(&r.values), |c| {
                        let text = if *c == schema::budget::PARTNER {
                            partner(r.partner, schema::budget::PARTNER.shared())
                        } else if *c == schema::budget::LINE {
                            budget_label(r.line).to_string()
                        } else {
                            return None;
                        };
                        Some(Cell::Text(text))
                    })
                })
                .collect(),
            freeze_cols: 2,
            ..SheetSpec::default()
        };
        let rows: Vec<u32> = b.rows.iter().map(|r| r.row).collect();
        budget_rows = place(&mut sheet, case.sources.budget.as_ref(), &rows);
        spec.sheets.push(sheet);
    }

    let mut risks = SheetSpec {
        name: schema::RISKS.name.into(),
        titles: vec![format!(
            "Risks: expected cost = probability × impact ({unit})"
        )],
        columns: schema_columns(&schema::RISKS, &[], &[]),
        rows: case
            .risks
            .iter()
            .map(|r| {
                use schema::risks as x;
                row_of(&schema::RISKS, Vec::new(), |c| {
                    if let Some(cell) = range_cell(c, &r.uncertainty) {
                        return Some(cell);
                    }
                    Some(if *c == x::RISK {
                        Cell::text(&r.id)
                    } else if *c == x::DESCRIPTION {
                        Cell::text(&r.description)
                    } else if *c == x::OPTION {
                        Cell::text(option_id(r.option))
                    } else if *c == x::PROBABILITY {
                        Cell::Percent(r.probability)
                    } else if *c == x::IMPACT {
                        Cell::Money(r.impact)
                    } else if *c == x::YEAR {
                        Cell::text(
                            case.years
                                .get(r.year)
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        )
                    } else if *c == x::OWNER {
                        Cell::text(&r.owner)
                    } else if *c == x::MITIGATION {
                        Cell::text(&r.mitigation)
                    } else if *c == x::PARTNER {
                        Cell::text(
                            r.partner
                                .and_then(|p| case.partners.name(p))
                                .unwrap_or(x::PARTNER.shared()),
                        )
                    } else if *c == schema::lines::KEY {
                        Cell::Text(key_name(r.key)?)
                    } else {
                        return None;
                    })
                })
            })
            .collect(),
        freeze_cols: 1,
        ..SheetSpec::default()
    };
    if !case.has_ranges() {
        without_ranges(&mut risks);
    }
    let rows: Vec<u32> = case.risks.iter().map(|r| r.row).collect();
    let risk_lines = Lines::new(
        "Risks",
        &place(&mut risks, case.sources.risks.as_ref(), &rows),
    );
    spec.sheets.push(risks);
    spec.sheets.extend(super::content::sheets(case));

    Ok((
        spec,
        Layout {
            names,
            partner_key,
            options: option_cells,
            costs: cost_lines,
            benefits: benefit_lines,
            risks: risk_lines,
            budget_rows,
        },
    ))
}

/// Decimal places that show every amount as typed: the most any amount
/// needs (at most 6), and never fewer than the case's display decimals.
fn money_decimals(case: &Case) -> u32 {
    let scale = |v: &Decimal| v.normalize().scale();
    let amounts = case
        .costs
        .iter()
        .flat_map(|l| &l.values)
        .chain(case.benefits.iter().flat_map(|l| &l.values))
        .chain(
            case.budget
                .iter()
                .flat_map(|b| b.rows.iter().flat_map(|r| &r.values)),
        )
        .chain(case.risks.iter().map(|r| &r.impact))
        .chain(case.partners.values.iter().flatten());
    amounts
        .map(scale)
        .max()
        .unwrap_or(0)
        .clamp(case.entered_decimals(), 6.max(case.entered_decimals()))
}

fn assumptions(case: &Case) -> SheetSpec {
    let v = &case.assumptions;
    let mut rows = vec![
        vec![
            Cell::text(a::BASE_YEAR.name),
            Cell::text(v.base_year.value.to_string()),
        ],
        vec![Cell::text(a::UNIT.name), Cell::text(v.unit.value.label())],
        vec![
            Cell::text(a::DISCOUNT_RATE.name),
            match v.discount_rate.value {
                DiscountRate::GreenBook => Cell::text(choice(&schema::GREEN_BOOK, 0)),
                DiscountRate::Fixed(rate) => Cell::Percent(rate),
            },
        ],
        vec![
            Cell::text(a::GENERAL_INFLATION.name),
            Cell::Percent(v.general_inflation.value),
        ],
        vec![
            Cell::text(a::PAY_INFLATION.name),
            Cell::Percent(v.pay_inflation.value),
        ],
        vec![
            Cell::text(a::APPORTIONMENT_KEY.name),
            Cell::text(
                case.partners
                    .key_columns
                    .get(v.apportionment_key.value)
                    .cloned()
                    .unwrap_or_default(),
            ),
        ],
    ];
    // Only a pinned choice is written: otherwise the engine's choice (the
    // highest npsv) would become a pinned one when the export is read back.
    if let Some(p) = case.preferred.and_then(|p| case.option(p)) {
        rows.push(vec![
            Cell::text(a::PREFERRED_OPTION.name),
            Cell::text(&p.id),
        ]);
    }
    rows.push(vec![
        Cell::text(a::GREEN_BOOK_EDITION.name),
        Cell::text(case.meta.edition.year()),
    ]);
    // Capital financing, where it differs from the defaults, so the export
    // reads back to the same case.
    let f = &case.financing;
    let defaults = crate::model::CapitalFinancing::default();
    if f.method != defaults.method {
        rows.push(vec![
            Cell::text(a::CAPITAL_FINANCING.name),
            Cell::text(choice(
                &schema::CAPITAL_FINANCING,
                financing_index(f.method),
            )),
        ]);
    }
    if f.borrowing_rate != defaults.borrowing_rate {
        rows.push(vec![
            Cell::text(a::BORROWING_RATE.name),
            Cell::Percent(f.borrowing_rate),
        ]);
    }
    if case
        .budget
        .as_ref()
        .is_some_and(|b| b.basis != crate::model::GapBasis::default())
    {
        rows.push(vec![
            Cell::text(a::BUDGET_GAP_BASIS.name),
            Cell::text(choice(&schema::BUDGET_GAP_BASIS, 1)),
        ]);
    }
    if f.asset_life != defaults.asset_life {
        rows.push(vec![
            Cell::text(a::ASSET_LIFE.name),
            Cell::text(f.asset_life.to_string()),
        ]);
    }
    SheetSpec {
        name: schema::ASSUMPTIONS.name.into(),
        titles: vec![format!("Assumptions of {}", case.meta.title)],
        columns: schema_columns(&schema::ASSUMPTIONS, &[], &[])
            .into_iter()
            // The Value column is narrower than a blank workbook's.
            .map(|c| {
                if c.header == a::VALUE.header {
                    c.at_least(14)
                } else {
                    c
                }
            })
            .collect(),
        rows,
        ..SheetSpec::default()
    }
}

/// An optimism-bias cell: the rate itself, or the table category it came from.
fn ob_cell(case: &Case, ob: &OptimismBias) -> Cell {
    match ob.origin {
        ObOrigin::Entered => Cell::Percent(ob.rate),
        ObOrigin::Category { category, .. } => {
            let table = params::optimism_bias_table(case.meta.edition);
            Cell::text(table.row(category).map_or("", |row| row.name))
        }
    }
}

fn mitigation(ob: &OptimismBias) -> Option<Decimal> {
    match ob.origin {
        ObOrigin::Entered => None,
        ObOrigin::Category { mitigation, .. } => Some(mitigation),
    }
}

/// Where an option's mitigations are written: for each kind with a
/// category, the column holding its mitigation and the value.
#[derive(Debug, Clone, Copy, Default)]
struct Mitigations {
    capital: Option<(&'static schema::Column, Decimal)>,
    revenue: Option<(&'static schema::Column, Decimal)>,
}

impl Mitigations {
    /// One general cell when both kinds are categories with the same
    /// mitigation, or only one kind is; each kind's own column otherwise.
    /// Beside a rate entered for the other kind, a general mitigation would
    /// apply to the rate too (an error when read back), so a category's
    /// mitigation then goes in its kind's own column.
    fn of(o: &crate::model::CaseOption) -> Self {
        use schema::options as x;
        let cap = mitigation(&o.ob_capital);
        let rev = mitigation(&o.ob_revenue);
        match (cap, rev) {
            (Some(c), Some(r)) if c == r => Self {
                capital: Some((&x::OB_MITIGATION, c)),
                revenue: Some((&x::OB_MITIGATION, r)),
            },
            (c, r) => Self {
                capital: c.map(|v| (&x::OB_MITIGATION_CAPITAL, v)),
                revenue: r.map(|v| (&x::OB_MITIGATION_REVENUE, v)),
            },
        }
    }

    /// The value written in `column`, if any.
    fn in_column(&self, column: &schema::Column) -> Option<Decimal> {
        [self.capital, self.revenue]
            .into_iter()
            .flatten()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v)
    }
}

/// The Options sheet, and where each option's mitigations are written.
fn options(case: &Case) -> (SheetSpec, Vec<Mitigations>) {
    use schema::options as x;
    let mut mitigations = Vec::new();
    let rows = case
        .options
        .iter()
        .map(|o| {
            let m = Mitigations::of(o);
            mitigations.push(m);
            row_of(&schema::OPTIONS, Vec::new(), |c| {
                Some(if *c == x::OPTION {
                    Cell::text(&o.id)
                } else if *c == x::NAME {
                    Cell::text(&o.name)
                } else if *c == x::DESCRIPTION {
                    Cell::text(&o.description)
                } else if *c == x::BASELINE {
                    Cell::text(choice(&schema::YES_NO, usize::from(!o.baseline)))
                } else if *c == x::OB_CAPITAL {
                    ob_cell(case, &o.ob_capital)
                } else if *c == x::OB_REVENUE {
                    ob_cell(case, &o.ob_revenue)
                } else if *c == x::OB_MITIGATION
                    || *c == x::OB_MITIGATION_CAPITAL
                    || *c == x::OB_MITIGATION_REVENUE
                {
                    m.in_column(c).map_or(Cell::Blank, Cell::Percent)
                } else if *c == x::OB_BASIS {
                    Cell::text(&o.ob_basis)
                } else if *c == x::ASSET_LIFE {
                    o.asset_life
                        .map_or(Cell::Blank, |l| Cell::text(l.to_string()))
                } else if *c == x::REFERRED_TO_AS {
                    if o.referred_to.is_empty() {
                        Cell::Blank
                    } else {
                        Cell::text(&o.referred_to)
                    }
                } else {
                    return None;
                })
            })
        })
        .collect();
    let columns = schema_columns(&schema::OPTIONS, &[], &[]);
    (
        SheetSpec {
            name: schema::OPTIONS.name.into(),
            titles: vec!["Options: the baseline and the shortlisted options".into()],
            columns,
            rows,
            freeze_cols: 2,
            ..SheetSpec::default()
        },
        mitigations,
    )
}

/// The Costs sheet's `Inflation` value for an index.
pub(super) fn inflation_name(kind: Inflation) -> &'static str {
    let index = match kind {
        Inflation::General => 0,
        Inflation::Pay => 1,
        Inflation::None => 2,
    };
    choice(&schema::INFLATION_INDICES, index)
}

/// The Benefits sheet's `Type` value for a kind.
pub(super) fn benefit_name(kind: BenefitKind) -> &'static str {
    let index = match kind {
        BenefitKind::Cashable => 0,
        BenefitKind::NonCashable => 1,
    };
    choice(&schema::BENEFIT_TYPES, index)
}

/// The Budget sheet's `Line` value for a line, as the schema lists them.
fn budget_label(line: BudgetLine) -> &'static str {
    match line {
        BudgetLine::BaseBudgetGap => choice(&schema::BUDGET_LINES, 0),
        // The export has always written the hyphenated spelling, an alias the
        // schema declares; keeping it keeps exported workbooks unchanged.
        BudgetLine::UseOfReserves => schema::BUDGET_LINES
            .values
            .get(1)
            .and_then(|c| c.aliases.first())
            .copied()
            .unwrap_or_default(),
        BudgetLine::CashReleasingEfficiencies => choice(&schema::BUDGET_LINES, 2),
        BudgetLine::IdentifiedRiskGap => choice(&schema::BUDGET_LINES, 3),
        BudgetLine::LossOfGrantToFloors => choice(&schema::BUDGET_LINES, 4),
        BudgetLine::IncreaseInBorrowing => choice(&schema::BUDGET_LINES, 5),
    }
}

/// Puts a sheet's header and data rows where the case's own workbook had
/// them, so that every line keeps its row number (documents and the JSON
/// name lines by row) and the export reproduces the case exactly; returns
/// each data row's sheet row.
///
/// The header goes on the original header row when the writer can put it
/// there (title lines fill the rows above it); the data rows go on their
/// original rows, blank rows in between, when they fit below the header in
/// order. A case built without a workbook (no source rows) is written
/// compactly.
fn place(spec: &mut SheetSpec, source: Option<&SheetSource>, original: &[u32]) -> Vec<u32> {
    if let Some(src) = source.filter(|s| !s.name.is_empty()) {
        match src.header_row {
            0 => spec.titles.clear(),
            1 => {}
            h => {
                spec.titles.truncate(1);
                let fill = usize::try_from(h).unwrap_or(1).saturating_sub(2);
                // Title lines above the header are ignored by ingest.
                spec.titles.resize(1 + fill, String::new());
            }
        }
    }
    let first = spec.first_data_row();
    let in_order = original.windows(2).all(|w| w[0] < w[1]);
    let fits = original.first().is_some_and(|r| *r >= first) && in_order;
    if !fits || source.is_none_or(|s| s.name.is_empty()) {
        return (0..spec.rows.len())
            .map(|i| first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
    }
    let rows = std::mem::take(&mut spec.rows);
    let mut at = first;
    for (row, want) in rows.into_iter().zip(original) {
        while at < *want {
            spec.rows.push(Vec::new());
            at += 1;
        }
        spec.rows.push(row);
        at += 1;
    }
    original.to_vec()
}
