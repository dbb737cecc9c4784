//! `fivecase portfolio export`: the programme workbook.
//!
//! A `Cases` sheet holds one block of values per case, labelled with the
//! case: each force's figures by year, in the portfolio's unit, with the
//! case's `Counted` flag. The roll-up sheets are live formulas over those
//! blocks (`SUMIFS` by force, figure and flag), each written with the
//! engine's value as its cached result, so a finance lead can change a
//! flag or a figure and see the programme move, and LibreOffice's
//! recalculation gives the engine's figures (tests/it/portfolio.rs).
//! `Programme` is each force's figures by year; `Totals` the programme's;
//! `Gap` (with a programme budget) the gap after the programme; `Ranking`
//! the tiers as values.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet};

use super::Loaded;
use super::rollup::Fig;
use crate::render::workbook::excel_number;

/// The labels of the figures in [`Fig::values`] order, as the sheets print them.
const FIGURES: [&str; 8] = [
    "Costs",
    "Capital",
    "Revenue",
    "Savings",
    "Net",
    "Net revenue effect",
    "Contingency",
    "Financing charge",
];

/// Most rows the Cases sheet may take (xlsx allows 1,048,576).
pub const MAX_CASE_ROWS: usize = 1_000_000;

fn num(v: Decimal) -> f64 {
    excel_number(v).unwrap_or(0.0)
}

fn cached(v: Decimal) -> String {
    let f = num(v);
    if f == 0.0 { "0".into() } else { f.to_string() }
}

/// `A`, `B`, … `Z`, `AA`, … for a zero-based column.
fn col_name(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn e(err: &rust_xlsxwriter::XlsxError) -> String {
    format!("cannot write the programme workbook: {err}")
}

/// The programme workbook's bytes.
///
/// # Errors
/// When the workbook writer refuses a cell, or the Cases sheet would be
/// beyond [`MAX_CASE_ROWS`].
pub fn workbook(loaded: &Loaded, date: Option<NaiveDate>) -> Result<Vec<u8>, String> {
    let p = &loaded.programme;
    let unit = p.unit.label();
    let ny = p.years.len();
    let rows_needed: usize = p
        .cases
        .iter()
        .map(|c| 1 + c.by_partner.iter().flatten().count() * FIGURES.len())
        .sum();
    if rows_needed > MAX_CASE_ROWS {
        return Err(format!(
            "the programme workbook would need {rows_needed} rows on its Cases sheet, more than the {MAX_CASE_ROWS} it may have"
        ));
    }
    let mut wb = Workbook::new();
    let created = date.map_or_else(
        || ExcelDateTime::from_ymd(2000, 1, 1),
        |d| {
            ExcelDateTime::from_ymd(
                u16::try_from(d.year()).unwrap_or(2000),
                u8::try_from(d.month()).unwrap_or(1),
                u8::try_from(d.day()).unwrap_or(1),
            )
        },
    );
    let created = created.map_err(|x| e(&x))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: programme workbook", loaded.file.title))
            .set_comment("Written by fivecase")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00;(#,##0.00);-");
    let first_year_col: u16 = 4;

    // Cases: one labelled block of values per case.
    let mut cases = Worksheet::new();
    cases.set_name("Cases").map_err(|x| e(&x))?;
    for (c, h) in ["Case", "Force", "Figure", "Counted"].iter().enumerate() {
        cases
            .write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)
            .map_err(|x| e(&x))?;
    }
    for (i, y) in p.years.iter().enumerate() {
        let col = first_year_col + u16::try_from(i).unwrap_or(0);
        cases
            .write_string_with_format(0, col, y.to_string(), &bold)
            .map_err(|x| e(&x))?;
    }
    let mut row: u32 = 1;
    for c in &p.cases {
        let f = &c.figures;
        let label = format!(
            "{}: {} (option {}, {} converted to {unit}{})",
            f.path,
            f.title,
            f.option.as_deref().unwrap_or("none"),
            f.unit.label(),
            if c.included { "" } else { "; not counted" }
        );
        cases
            .write_string_with_format(row, 0, label, &bold)
            .map_err(|x| e(&x))?;
        row += 1;
        for (pi, figs) in c.by_partner.iter().enumerate() {
            let Some(figs) = figs else {
                continue;
            };
            for (k, name) in FIGURES.iter().enumerate() {
                cases.write_string(row, 0, &f.path).map_err(|x| e(&x))?;
                cases
                    .write_string(row, 1, &p.partners[pi])
                    .map_err(|x| e(&x))?;
                cases.write_string(row, 2, *name).map_err(|x| e(&x))?;
                cases
                    .write_string(row, 3, if c.included { "yes" } else { "no" })
                    .map_err(|x| e(&x))?;
                for (yi, fig) in figs.iter().enumerate() {
                    let col = first_year_col + u16::try_from(yi).unwrap_or(0);
                    cases
                        .write_number_with_format(row, col, num(fig.values()[k]), &money)
                        .map_err(|x| e(&x))?;
                }
                row += 1;
            }
        }
    }
    let last = row.max(2);
    let range = |col: &str| format!("Cases!${col}$2:${col}${last}");
    let sumifs = |year_col: u16, force: Option<&str>, figure: &str| {
        let yc = col_name(first_year_col + year_col);
        match force {
            Some(force_cell) => format!(
                "=SUMIFS({},{},{force_cell},{},{figure},{},\"yes\")",
                range(&yc),
                range("B"),
                range("C"),
                range("D")
            ),
            None => format!(
                "=SUMIFS({},{},{figure},{},\"yes\")",
                range(&yc),
                range("C"),
                range("D")
            ),
        }
    };

    // Programme: each force's figures, live over the Cases blocks.
    let mut prog = Worksheet::new();
    prog.set_name("Programme").map_err(|x| e(&x))?;
    prog.write_string_with_format(0, 0, "Force", &bold)
        .map_err(|x| e(&x))?;
    prog.write_string_with_format(0, 1, "Figure", &bold)
        .map_err(|x| e(&x))?;
    for (i, y) in p.years.iter().enumerate() {
        prog.write_string_with_format(0, 2 + u16::try_from(i).unwrap_or(0), y.to_string(), &bold)
            .map_err(|x| e(&x))?;
    }
    let total_col = 2 + u16::try_from(ny).unwrap_or(0);
    prog.write_string_with_format(0, total_col, "Total", &bold)
        .map_err(|x| e(&x))?;
    let year_range = |r: u32| {
        format!(
            "=SUM({}{}:{}{})",
            col_name(2),
            r + 1,
            col_name(total_col - 1),
            r + 1
        )
    };
    let mut r: u32 = 1;
    // Row of each force's figure on Programme, for the Gap sheet.
    let mut at: Vec<[u32; 8]> = Vec::new();
    for (pi, name) in p.partners.iter().enumerate() {
        let mut rows = [0_u32; 8];
        for (k, figure) in FIGURES.iter().enumerate() {
            prog.write_string(r, 0, name).map_err(|x| e(&x))?;
            prog.write_string(r, 1, *figure).map_err(|x| e(&x))?;
            for yi in 0..ny {
                let value = p.partner_totals[pi][yi].values()[k];
                let col = 2 + u16::try_from(yi).unwrap_or(0);
                let formula = sumifs(
                    u16::try_from(yi).unwrap_or(0),
                    Some(&format!("$A{}", r + 1)),
                    &format!("$B{}", r + 1),
                );
                prog.write_formula_with_format(
                    r,
                    col,
                    Formula::new(formula).set_result(cached(value)),
                    &money,
                )
                .map_err(|x| e(&x))?;
            }
            prog.write_formula_with_format(
                r,
                total_col,
                Formula::new(year_range(r)).set_result(cached(p.partner_sums[pi].values()[k])),
                &money,
            )
            .map_err(|x| e(&x))?;
            rows[k] = r;
            r += 1;
        }
        at.push(rows);
    }

    // Totals: the programme's figures.
    let mut totals = Worksheet::new();
    totals.set_name("Totals").map_err(|x| e(&x))?;
    totals
        .write_string_with_format(0, 0, "Programme", &bold)
        .map_err(|x| e(&x))?;
    totals
        .write_string_with_format(0, 1, "Figure", &bold)
        .map_err(|x| e(&x))?;
    for (i, y) in p.years.iter().enumerate() {
        totals
            .write_string_with_format(0, 2 + u16::try_from(i).unwrap_or(0), y.to_string(), &bold)
            .map_err(|x| e(&x))?;
    }
    totals
        .write_string_with_format(0, total_col, "Total", &bold)
        .map_err(|x| e(&x))?;
    for (k, figure) in FIGURES.iter().enumerate() {
        let r = u32::try_from(k).unwrap_or(0) + 1;
        totals
            .write_string(r, 0, format!("Programme ({unit})"))
            .map_err(|x| e(&x))?;
        totals.write_string(r, 1, *figure).map_err(|x| e(&x))?;
        for yi in 0..ny {
            let formula = sumifs(
                u16::try_from(yi).unwrap_or(0),
                None,
                &format!("$B{}", r + 1),
            );
            totals
                .write_formula_with_format(
                    r,
                    2 + u16::try_from(yi).unwrap_or(0),
                    Formula::new(formula).set_result(cached(p.total[yi].values()[k])),
                    &money,
                )
                .map_err(|x| e(&x))?;
        }
        totals
            .write_formula_with_format(
                r,
                total_col,
                Formula::new(year_range(r)).set_result(cached(p.total_sum.values()[k])),
                &money,
            )
            .map_err(|x| e(&x))?;
    }

    // Gap: the risk-adjusted gap as values, the rest live over Programme.
    let mut gap_sheet = None;
    if let Some(g) = &p.gap_after {
        let mut ws = Worksheet::new();
        ws.set_name("Gap").map_err(|x| e(&x))?;
        ws.write_string_with_format(0, 0, "Force", &bold)
            .map_err(|x| e(&x))?;
        ws.write_string_with_format(0, 1, "Line", &bold)
            .map_err(|x| e(&x))?;
        for (i, y) in g.years.iter().enumerate() {
            ws.write_string_with_format(0, 2 + u16::try_from(i).unwrap_or(0), y.to_string(), &bold)
                .map_err(|x| e(&x))?;
        }
        let mut r: u32 = 1;
        for pg in &g.partners {
            let name = &p.partners[pg.partner];
            let lines = [
                "Risk-adjusted gap",
                "Net revenue effect",
                "Contingency",
                "After the programme",
                "With contingency",
            ];
            for (k, line) in lines.iter().enumerate() {
                ws.write_string(r + u32::try_from(k).unwrap_or(0), 0, name)
                    .map_err(|x| e(&x))?;
                ws.write_string(r + u32::try_from(k).unwrap_or(0), 1, *line)
                    .map_err(|x| e(&x))?;
            }
            for (i, y) in g.years.iter().enumerate() {
                let col = 2 + u16::try_from(i).unwrap_or(0);
                let c = col_name(col);
                let Some(yi) = p.years.iter().position(|z| z == y) else {
                    continue;
                };
                let pc = col_name(2 + u16::try_from(yi).unwrap_or(0));
                let fig: Fig = p.partner_totals[pg.partner][yi];
                ws.write_number_with_format(r, col, num(pg.risk_adjusted[i]), &money)
                    .map_err(|x| e(&x))?;
                let nre_row = at[pg.partner][5] + 1;
                let cont_row = at[pg.partner][6] + 1;
                ws.write_formula_with_format(
                    r + 1,
                    col,
                    Formula::new(format!("=Programme!{pc}{nre_row}"))
                        .set_result(cached(fig.net_revenue_effect)),
                    &money,
                )
                .map_err(|x| e(&x))?;
                ws.write_formula_with_format(
                    r + 2,
                    col,
                    Formula::new(format!("=Programme!{pc}{cont_row}"))
                        .set_result(cached(fig.contingency)),
                    &money,
                )
                .map_err(|x| e(&x))?;
                ws.write_formula_with_format(
                    r + 3,
                    col,
                    Formula::new(format!("={c}{}-{c}{}", r + 1, r + 2))
                        .set_result(cached(pg.gap[i])),
                    &money,
                )
                .map_err(|x| e(&x))?;
                ws.write_formula_with_format(
                    r + 4,
                    col,
                    Formula::new(format!("={c}{}+{c}{}", r + 4, r + 3))
                        .set_result(cached(pg.with_contingency[i])),
                    &money,
                )
                .map_err(|x| e(&x))?;
            }
            r += 6;
        }
        gap_sheet = Some(ws);
    }

    // Ranking: values.
    let mut rank = Worksheet::new();
    rank.set_name("Ranking").map_err(|x| e(&x))?;
    let head = [
        "Rank",
        "Case",
        "Title",
        "Tier",
        "Override reason",
        "Strategic",
        "Practicality",
        "Combined",
        "Option",
        "Counted",
        &format!("npsv ({unit})"),
    ];
    for (c, h) in head.iter().enumerate() {
        rank.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)
            .map_err(|x| e(&x))?;
    }
    let mut ranked: Vec<&super::rollup::CaseLine> = p.cases.iter().collect();
    ranked.sort_by_key(|c| c.rank);
    for (i, c) in ranked.iter().enumerate() {
        let r = u32::try_from(i).unwrap_or(0) + 1;
        let mean = |x: Option<Decimal>| x.map_or(String::from("-"), |d| format!("{d:.2}"));
        let cells = [
            c.rank.to_string(),
            c.figures.path.clone(),
            c.figures.title.clone(),
            c.tier.name(&p.tiers).to_string(),
            c.override_reason.clone().unwrap_or_default(),
            mean(c.scores.map(|s| s.strategic.mean())),
            mean(c.scores.map(|s| s.practicality.mean())),
            mean(c.scores.map(|s| s.combined().mean())),
            c.figures.option.clone().unwrap_or_else(|| "none".into()),
            if c.included { "yes" } else { "no" }.to_string(),
        ];
        for (k, text) in cells.iter().enumerate() {
            rank.write_string(r, u16::try_from(k).unwrap_or(0), text)
                .map_err(|x| e(&x))?;
        }
        rank.write_number_with_format(r, 10, num(c.npsv), &money)
            .map_err(|x| e(&x))?;
    }

    wb.push_worksheet(totals);
    wb.push_worksheet(prog);
    if let Some(ws) = gap_sheet {
        wb.push_worksheet(ws);
    }
    wb.push_worksheet(rank);
    wb.push_worksheet(cases);
    wb.save_to_buffer().map_err(|x| e(&x))
}

#[cfg(test)]
mod tests {
    use super::col_name;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }
}
