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
//!
//! Every input sheet's name, headers, number formats, column widths,
//! drop-downs and Guide sentence come from [`crate::schema`]; only the
//! titles, the Assumptions notes column and the Guide's general advice are
//! the template's own.

use crate::model::{Edition, FiscalYear, Unit};
use crate::params;
use crate::render::workbook::{Cell, Column, ListSource, ListValidation, SheetSpec, WorkbookSpec};
use crate::schema::{self, Kind};

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

/// The sheets in the order the template writes them: the Guide, the input
/// sheets of the schema, then the hidden Lists.
pub fn sheets() -> Vec<&'static str> {
    std::iter::once("Guide")
        .chain(schema::SHEETS.iter().map(|s| s.name))
        .chain(std::iter::once("Lists"))
        .collect()
}

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
    let ranges = Ranges {
        options: option_range,
        all: all_range,
        region: region_range,
        years: year_range,
    };
    // The schema's sheets in its order; one the template has no layout of
    // its own for (a sheet newly added to the schema) gets the plain one.
    let mut partners = Some(partners);
    let mut options_sheet = Some(options_sheet);
    spec.sheets.push(guide(unit));
    for sheet in schema::SHEETS {
        let laid_out = match sheet.name {
            n if n == schema::ASSUMPTIONS.name => Some(assumptions(*options)),
            n if n == schema::PARTNERS.name => partners.take(),
            n if n == schema::OPTIONS.name => options_sheet.take(),
            n if n == schema::COSTS.name => Some(costs(&years, unit, &ranges)),
            n if n == schema::BENEFITS.name => Some(benefits(&years, unit, &ranges)),
            n if n == schema::BUDGET.name => Some(budget(&budget_years, unit, &ranges)),
            n if n == schema::RISKS.name => Some(risks(unit, &ranges)),
            _ => None,
        };
        spec.sheets
            .push(laid_out.unwrap_or_else(|| plain(sheet, &years, &ranges)));
    }
    spec.sheets.push(lists);
    spec
}

/// A sheet laid out from its declaration alone: its sentence as the title,
/// its columns, drop-downs and a block of blank rows.
fn plain(sheet: &schema::Sheet, years: &[String], ranges: &Ranges) -> SheetSpec {
    SheetSpec {
        name: sheet.name.into(),
        titles: vec![format!("{}: {}", sheet.name, sheet.doc)],
        columns: columns(sheet, years),
        blank_rows: RISK_ROWS,
        validations: validations(sheet, ranges),
        ..SheetSpec::default()
    }
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

/// The ranges drop-downs take their values from.
#[derive(Debug, Default)]
struct Ranges {
    /// The Options sheet's ids.
    options: String,
    /// `All` and the partners.
    all: String,
    /// `Region` and the partners.
    region: String,
    /// The appraisal years.
    years: String,
}

/// A sheet's columns as the schema declares them, the year columns expanded to `years`.
fn columns(sheet: &schema::Sheet, years: &[String]) -> Vec<Column> {
    let mut out = Vec::new();
    for c in sheet.columns {
        let width = usize::from(c.width);
        if c.kind == Kind::Years {
            out.extend(
                years
                    .iter()
                    .map(|y| Column::new(y, c.format).at_least(width)),
            );
        } else if c.kind == Kind::Assessments {
            out.extend(
                schema::long_list::TEMPLATE_HEADERS
                    .iter()
                    .map(|h| Column::new(*h, c.format).at_least(width)),
            );
        } else {
            out.push(Column::new(c.header, c.format).at_least(width));
        }
    }
    out
}

/// A drop-down on every column the schema gives a prompt, taking its values
/// from the column's kind: a choice's values, or a range of the workbook.
fn validations(sheet: &schema::Sheet, ranges: &Ranges) -> Vec<ListValidation> {
    let mut out = Vec::new();
    for (i, c) in sheet.columns.iter().enumerate() {
        let (Some(message), Ok(col)) = (c.prompt, u16::try_from(i)) else {
            continue;
        };
        let (source, strict) = match c.kind {
            Kind::Choice(choices) => (
                ListSource::Values(choices.names().iter().map(|v| (*v).to_string()).collect()),
                true,
            ),
            Kind::OptionRef => (ListSource::Range(ranges.options.clone()), true),
            Kind::PartnerRef { shared } if shared == schema::budget::PARTNER.shared() => {
                (ListSource::Range(ranges.region.clone()), true)
            }
            Kind::PartnerRef { .. } => (ListSource::Range(ranges.all.clone()), true),
            Kind::Year => (ListSource::Range(ranges.years.clone()), true),
            // The categories suggest; a rate typed instead (24%) is accepted
            // after a query, since the column takes either.
            Kind::RateOrCategory => {
                let names = params::optimism_bias_table(Edition::CURRENT).names();
                (
                    ListSource::Values(names.iter().map(|n| (*n).to_string()).collect()),
                    false,
                )
            }
            _ => continue,
        };
        out.push(ListValidation {
            col,
            source,
            message: message.to_string(),
            strict,
        });
    }
    out
}

fn guide(unit: Unit) -> SheetSpec {
    let money = format!(
        "Every amount is in the unit named on the Assumptions sheet (now {unit}); to work in another unit, change it there rather than scaling figures."
    );
    let categories = schema::docs::optimism_bias_categories();
    let mut rows: Vec<[&str; 2]> = vec![[
        "Guide",
        "This sheet. fivecase ignores it, and any sheet or column it does not know, so add your own workings freely.",
    ]];
    rows.extend(schema::SHEETS.iter().map(|s| [s.name, s.doc]));
    rows.extend([
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
       [
            "Executive summary",
            "The document writes the executive summary's Recommendation, Decisions sought and Headline figures from the workbook and case.toml (decision_body, preferred). narrative/executive-summary.md holds only what the SRO adds: why this option, the context; do not repeat the recommendation, the decisions or the figures there. narrative/summary.md, if written, is the SRO's paragraph on the one-page summary for Police and Crime Commissioners.",
        ],
    ]);
    // The Green Book's optimism-bias categories with their bounds, from the
    // parameter table the engine uses.
    rows.extend(categories.iter().map(|(name, text)| [*name, text.as_str()]));
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

/// The Assumptions rows the schema marks for the template, defaults filled
/// in (the base year and unit as chosen), each with its note.
fn assumptions(options: TemplateOptions) -> SheetSpec {
    use schema::assumptions as a;
    let base = options.first_year.to_string();
    let rows = schema::ASSUMPTIONS
        .rows
        .iter()
        .filter(|r| r.in_template)
        .map(|r| {
            let value = if *r == a::BASE_YEAR {
                t(&base)
            } else if *r == a::UNIT {
                t(options.unit.label())
            } else {
                match r.default {
                    Some(schema::Value::Percent(p)) => Cell::Percent(p),
                    Some(schema::Value::Text(text)) => t(text),
                    None => Cell::Blank,
                }
            };
            vec![t(r.name), value, t(r.doc)]
        })
        .collect();
    let mut columns = columns(&schema::ASSUMPTIONS, &[]);
    columns.push(Column::text("Notes"));
    SheetSpec {
        name: schema::ASSUMPTIONS.name.into(),
        titles: vec!["Assumptions: defaults filled in; change what differs for your case".into()],
        columns,
        rows,
        validations: Vec::new(),
        ..SheetSpec::default()
    }
}

fn partners(n: u16) -> SheetSpec {
    SheetSpec {
        name: schema::PARTNERS.name.into(),
        titles: vec![
            "Partners: one row per partner; add key columns to the right as needed".into(),
        ],
        columns: columns(&schema::PARTNERS, &[]),
        blank_rows: u32::from(n),
        validations: validations(&schema::PARTNERS, &Ranges::default()),
        ..SheetSpec::default()
    }
}

fn options_sheet() -> SheetSpec {
    SheetSpec {
        name: schema::OPTIONS.name.into(),
        titles: vec![
            "Options: a short id for each; exactly one baseline (business as usual)".into(),
        ],
        columns: columns(&schema::OPTIONS, &[]),
        blank_rows: OPTION_ROWS,
        validations: validations(&schema::OPTIONS, &Ranges::default()),
        ..SheetSpec::default()
    }
}

fn costs(years: &[String], unit: Unit, ranges: &Ranges) -> SheetSpec {
    SheetSpec {
        name: schema::COSTS.name.into(),
        titles: vec![format!(
            "Costs ({unit}, real prices of the base year): partner blank or All = shared by the apportionment key"
        )],
        columns: columns(&schema::COSTS, years),
        blank_rows: COST_ROWS,
        freeze_cols: 2,
        validations: validations(&schema::COSTS, ranges),
        ..SheetSpec::default()
    }
}

fn benefits(years: &[String], unit: Unit, ranges: &Ranges) -> SheetSpec {
    SheetSpec {
        name: schema::BENEFITS.name.into(),
        titles: vec![format!(
            "Benefits ({unit}, real prices of the base year): cashable benefits are the savings"
        )],
        columns: columns(&schema::BENEFITS, years),
        blank_rows: BENEFIT_ROWS,
        freeze_cols: 2,
        validations: validations(&schema::BENEFITS, ranges),
        ..SheetSpec::default()
    }
}

fn budget(years: &[String], unit: Unit, ranges: &Ranges) -> SheetSpec {
    // Room for every line for eight partners.
    let lines = u32::try_from(schema::BUDGET_LINES.values.len()).unwrap_or(8);
    SheetSpec {
        name: schema::BUDGET.name.into(),
        titles: vec![format!(
            "Budget ({unit}): each partner's medium-term financial plan, or Region rows; optional"
        )],
        columns: columns(&schema::BUDGET, years),
        blank_rows: lines.saturating_mul(8),
        freeze_cols: 2,
        validations: validations(&schema::BUDGET, ranges),
        ..SheetSpec::default()
    }
}

fn risks(unit: Unit, ranges: &Ranges) -> SheetSpec {
    SheetSpec {
        name: schema::RISKS.name.into(),
        titles: vec![format!(
            "Risks: impact in {unit}; Year blank means the base year; optional"
        )],
        columns: columns(&schema::RISKS, &[]),
        blank_rows: RISK_ROWS,
        validations: validations(&schema::RISKS, ranges),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sheet, header and format of the schema is in the template, in
    /// order: a column added to the schema appears without more code.
    #[test]
    fn the_template_lays_out_every_schema_sheet() {
        let first = FiscalYear::new(2026).unwrap();
        let spec = template(&TemplateOptions {
            first_year: first,
            years: 3,
            partners: 4,
            unit: Unit::Thousands,
        });
        let names: Vec<&str> = spec.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, sheets());
        for declared in schema::SHEETS {
            let sheet = spec
                .sheets
                .iter()
                .find(|s| s.name == declared.name)
                .unwrap();
            let mut expected = Vec::new();
            for c in declared.columns {
                if c.kind == Kind::Years {
                    let n = if declared.years == schema::Years::Own {
                        BUDGET_YEARS
                    } else {
                        3
                    };
                    expected.extend((0..n).map(|i| (first.plus(i).to_string(), c.format)));
                } else if c.kind == Kind::Assessments {
                    expected.extend(
                        schema::long_list::TEMPLATE_HEADERS
                            .iter()
                            .map(|h| ((*h).to_string(), c.format)),
                    );
                } else {
                    expected.push((c.header.to_string(), c.format));
                }
            }
            let got: Vec<(String, schema::Format)> = sheet
                .columns
                .iter()
                .take(expected.len())
                .map(|c| (c.header.clone(), c.kind))
                .collect();
            assert_eq!(got, expected, "{}", declared.name);
            let prompts = declared
                .columns
                .iter()
                .filter(|c| c.prompt.is_some())
                .count();
            assert_eq!(sheet.validations.len(), prompts, "{}", declared.name);
        }
    }
}
