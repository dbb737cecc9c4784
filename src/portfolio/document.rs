//! The programme paper: the roll-up as a [`Document`], typeset by the same
//! PDF exporter as a business case.
//!
//! Every content decision of the paper is here: a programme summary, the
//! tiers and ranking with a priority matrix, one line per case, each
//! force's position case by case and over the programme, the gap after the
//! programme, and the scoring with its rationales. Every figure comes from
//! the [`Programme`]; nothing here adds up money.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Loaded;
use super::file::{Criterion, PortfolioFile};
use super::rollup::{Fig, Programme};
use super::terminal::decimals;
use super::tiers::{Placement, Score};
use crate::compute::ValueForMoney;
use crate::document::{
    Align, Bar, Block, Cell, CellRole, Chart, Column, ColumnKind, Definition, Document, Figure,
    MatrixPoint, MatrixRegion, Meta, Part, ProfilePoint, Row, RowRole, Section, Table, TitlePage,
    Width,
};
use crate::format::money;
use crate::render::pdf;

/// Numbers tables and figures in document order.
#[derive(Debug, Default)]
struct Counter {
    tables: u32,
    figures: u32,
}

fn header(text: &str) -> Cell {
    Cell {
        role: CellRole::Header,
        ..Cell::text(text)
    }
}

fn column(text: &str, kind: ColumnKind) -> Column {
    Column {
        header: header(text),
        kind,
        width: Width::Auto,
    }
}

/// An amount in running text: `£61.38m`, `−£5.70m`, `£1,234k`.
fn words(v: Decimal, unit: crate::model::Unit, dp: u32) -> String {
    let suffix = match unit {
        crate::model::Unit::Pounds => "",
        crate::model::Unit::Thousands => "k",
        crate::model::Unit::Millions => "m",
    };
    let body = money(v.abs(), dp);
    let sign = if v.is_sign_negative() && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "−"
    } else {
        ""
    };
    format!("{sign}£{body}{suffix}")
}

fn amount(v: Decimal, dp: u32) -> Cell {
    Cell::number(money(v, dp), v)
}

impl Counter {
    /// A numbered table, each cell aligned as its column and given its role by its row.
    fn table(
        &mut self,
        caption: &str,
        unit: &str,
        columns: Vec<Column>,
        mut rows: Vec<Row>,
        notes: Vec<String>,
        definition: Option<Definition>,
    ) -> Block {
        self.tables += 1;
        for r in &mut rows {
            for (i, (cell, c)) in r.cells.iter_mut().zip(&columns).enumerate() {
                cell.align = match c.kind {
                    ColumnKind::Text => Align::Left,
                    ColumnKind::Number | ColumnKind::Year => Align::Right,
                };
                cell.role = match r.role {
                    _ if i == 0 => CellRole::Label,
                    RowRole::Total => CellRole::Total,
                    RowRole::Memo => CellRole::Note,
                    RowRole::Body | RowRole::Subtotal => CellRole::Value,
                };
                if i > 0 && cell.value.is_some() {
                    cell.provenance.ranges = vec!["portfolio.toml [[case]]".into()];
                    cell.provenance.definition = definition;
                }
            }
        }
        let wide = false;
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
        Block::Table(Table {
            number: self.tables,
            caption: caption.into(),
            unit: unit.into(),
            columns,
            rows,
            notes,
            wide,
            sources: vec!["portfolio.toml".into()],
        })
    }

    fn figure(&mut self, caption: String, alt: String, chart: Chart) -> Block {
        self.figures += 1;
        Block::Figure(Figure {
            number: self.figures,
            caption,
            alt,
            chart,
        })
    }
}

fn section(id: &str, title: &str, blocks: Vec<Block>) -> Part {
    Part::Section(Section {
        id: id.into(),
        title: title.into(),
        short: title.into(),
        blocks,
    })
}

fn names(p: &Programme, ix: &[usize]) -> String {
    let list: Vec<&str> = ix
        .iter()
        .filter_map(|&i| p.partners.get(i).map(String::as_str))
        .collect();
    match list.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., final_name] => format!("{} and {final_name}", init.join(", ")),
    }
}

/// The programme paper.
#[allow(
    clippy::many_single_char_names,
    reason = "p, u, n and t are the programme, its unit, the numbering and the totals throughout this long builder"
)]
pub fn build(file: &PortfolioFile, p: &Programme, date: NaiveDate) -> Document {
    let dp = decimals(p.unit);
    let u = p.unit.label();
    let mut n = Counter::default();
    let years: Vec<String> = p.years.iter().map(ToString::to_string).collect();
    let year_columns = |first: &str| -> Vec<Column> {
        let mut c = vec![column(first, ColumnKind::Text)];
        c.extend(years.iter().map(|y| column(y, ColumnKind::Year)));
        c.push(column("Total", ColumnKind::Number));
        c
    };
    let included = p.cases.iter().filter(|c| c.included).count();
    let mut ranked: Vec<&super::rollup::CaseLine> = p.cases.iter().collect();
    ranked.sort_by_key(|c| c.rank);

    // 1 Programme summary.
    let mut summary = vec![Block::para(format!(
        "The programme holds {} cases, {included} of them counted in its totals, across {} forces from {} to {}. Every figure is in {u}, nominal prices, each force's share of the option each case counts, from the cases' own workbooks.",
        p.cases.len(),
        p.partners.len(),
        years.first().cloned().unwrap_or_default(),
        years.last().cloned().unwrap_or_default(),
    ))];
    let t = &p.total_sum;
    summary.push(Block::para(format!(
        "Over the period the counted cases cost the forces {} (of which {} capital) and save them {}; their net effect on the forces' revenue budgets is {} after capital financing charges, with a contingency of {} for the cases' risks.",
        words(t.costs, p.unit, dp),
        words(t.capital, p.unit, dp),
        words(t.savings, p.unit, dp),
        words(t.net_revenue_effect, p.unit, dp),
        words(t.contingency, p.unit, dp),
    )));
    summary.push(Block::para(match &p.npsv_total {
        Ok(total) => format!(
            "The counted cases' net present social value adds up to {}.",
            words(*total, p.unit, dp)
        ),
        Err(note) => format!("{}.", note.trim_end_matches('.')),
    }));
    summary.push(Block::para(if p.net_contributors.is_empty() {
        "No force is a net contributor over the programme: each gains overall.".to_string()
    } else {
        format!(
            "Over the programme {} {} more than {} gain{}.",
            names(p, &p.net_contributors),
            if p.net_contributors.len() == 1 {
                "contributes"
            } else {
                "contribute"
            },
            if p.net_contributors.len() == 1 {
                "it"
            } else {
                "they"
            },
            if p.net_contributors.len() == 1 {
                "s"
            } else {
                ""
            },
        )
    }));
    if !p.gain_overall.is_empty() {
        let one = p.gain_overall.len() == 1;
        summary.push(Block::para(format!(
            "{} {} in some case but {} over the programme: the programme's wider interests balance {}.",
            names(p, &p.gain_overall),
            if one { "contributes" } else { "contribute" },
            if one { "gains" } else { "gain" },
            if one { "it" } else { "them" },
        )));
    }
    let first_rank: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|c| format!("{} ({})", c.figures.title, c.tier.name(&p.tiers)))
        .collect();
    summary.push(Block::para(format!(
        "In order of priority the first cases are: {}.",
        first_rank.join("; ")
    )));
    let fig_row = |label: &str, f: fn(&Fig) -> Decimal, role| Row {
        role,
        cells: std::iter::once(Cell::text(label))
            .chain(p.total.iter().map(|x| amount(f(x), dp)))
            .chain(std::iter::once(amount(f(&p.total_sum), dp)))
            .collect(),
    };
    summary.push(n.table(
        "The programme by year",
        &format!("{u}, nominal prices"),
        year_columns("Line"),
        vec![
            fig_row("Costs", |f| f.costs, RowRole::Body),
            fig_row("of which capital", |f| f.capital, RowRole::Memo),
            fig_row("Cashable savings", |f| f.savings, RowRole::Body),
            fig_row("Net (savings less costs)", |f| f.net, RowRole::Subtotal),
            fig_row("Financing charges", |f| f.financing_charge, RowRole::Memo),
            fig_row(
                "Net revenue effect",
                |f| f.net_revenue_effect,
                RowRole::Total,
            ),
            fig_row("Contingency", |f| f.contingency, RowRole::Memo),
        ],
        vec!["Figures are rounded independently.".into()],
        Some(Definition::CapitalFinancing),
    ));
    let bars: Vec<Bar> = p
        .years
        .iter()
        .zip(&p.total)
        .map(|(y, f)| Bar {
            label: y.to_string(),
            value: f.net_revenue_effect,
        })
        .collect();
    let listing: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {}", b.label, money(b.value, dp)))
        .collect();
    summary.push(n.figure(
        "The programme's net revenue effect by year".into(),
        format!(
            "Bar chart of the programme's net revenue effect on the forces' budgets by year, in {u}: {}.",
            listing.join("; ")
        ),
        Chart::Bars {
            bars,
            y_title: format!("Net revenue effect ({u})"),
            x_title: "Year".into(),
            series: "Net revenue effect of the counted cases".into(),
        },
    ));

    // 2 Tiers and ranking.
    let mut tiers = vec![Block::para(
        "Each case is scored from 1 to 5 on every sub-criterion. A case meets a criterion's minimum when its weighted mean score reaches it; the tiers are tried in order and the first a case meets is its tier. The ranking runs by tier, then by the combined score over both criteria, then by npsv.",
    )];
    tiers.push(
        n.table(
            "The tiers",
            "",
            vec![
                column("Tier", ColumnKind::Text),
                column("Description", ColumnKind::Text),
                column("Minimum strategic", ColumnKind::Number),
                column("Minimum practicality", ColumnKind::Number),
            ],
            p.tiers
                .iter()
                .map(|t| Row {
                    role: RowRole::Body,
                    cells: vec![
                        Cell::text(&t.name),
                        Cell::text(&t.description),
                        Cell::number(t.min_strategic.normalize().to_string(), t.min_strategic),
                        Cell::number(
                            t.min_practicality.normalize().to_string(),
                            t.min_practicality,
                        ),
                    ],
                })
                .collect(),
            Vec::new(),
            None,
        ),
    );
    let mean = |s: Option<Score>| {
        s.map_or_else(
            || Cell::text("–"),
            |s| Cell::number(format!("{:.2}", s.mean()), s.mean()),
        )
    };
    let mut notes = Vec::new();
    for c in &ranked {
        if let Some(reason) = &c.override_reason {
            notes.push(format!(
                "{}: placed in {} by override (its scores give {}): {reason}",
                c.figures.path,
                c.tier.name(&p.tiers),
                c.placement.name(&p.tiers)
            ));
        }
        if let Placement::Unranked(reason) = &c.tier {
            notes.push(format!("{}: Unranked: {reason}", c.figures.path));
        }
        if !c.included {
            notes.push(format!(
                "{}: listed but not counted in the programme's totals",
                c.figures.path
            ));
        }
    }
    tiers.push(
        n.table(
            "The cases in order of priority",
            &format!("npsv in {u}"),
            vec![
                column("Rank", ColumnKind::Number),
                column("Case", ColumnKind::Text),
                column("Tier", ColumnKind::Text),
                column("Strategic", ColumnKind::Number),
                column("Practicality", ColumnKind::Number),
                column("Combined", ColumnKind::Number),
                column("npsv", ColumnKind::Number),
            ],
            ranked
                .iter()
                .map(|c| {
                    let mut tier = c.tier.name(&p.tiers).to_string();
                    if c.override_reason.is_some() {
                        tier.push_str(" (override)");
                    }
                    Row {
                        role: RowRole::Body,
                        cells: vec![
                            Cell::number(c.rank.to_string(), Decimal::from(c.rank)),
                            Cell::text(&c.figures.path),
                            Cell::text(tier),
                            mean(c.scores.map(|s| s.strategic)),
                            mean(c.scores.map(|s| s.practicality)),
                            mean(c.scores.map(super::tiers::Scores::combined)),
                            amount(c.npsv, dp),
                        ],
                    }
                })
                .collect(),
            notes,
            Some(Definition::Npsv),
        ),
    );
    let points: Vec<MatrixPoint> = ranked
        .iter()
        .filter_map(|c| {
            c.scores.map(|s| MatrixPoint {
                label: if c.override_reason.is_some() {
                    format!(
                        "{} ({}, {} by override)",
                        c.figures.path,
                        c.rank,
                        c.tier.name(&p.tiers)
                    )
                } else {
                    format!("{} ({})", c.figures.path, c.rank)
                },
                x: s.practicality.mean(),
                y: s.strategic.mean(),
            })
        })
        .collect();
    let listing: Vec<String> = points
        .iter()
        .map(|m| {
            format!(
                "{} at strategic {} and practicality {}",
                m.label,
                m.y.normalize(),
                m.x.normalize()
            )
        })
        .collect();
    let regions: Vec<String> = p
        .tiers
        .iter()
        .map(|t| {
            format!(
                "{} from strategic {} and practicality {}",
                t.name,
                t.min_strategic.normalize(),
                t.min_practicality.normalize()
            )
        })
        .collect();
    tiers.push(n.figure(
        "Priority matrix: strategic fit against practicality, the tiers shaded".into(),
        format!(
            "Scatter chart of each scored case (with its rank) by its weighted mean practicality score across and strategic score up, from 1 to 5, over shaded tier regions ({}): {}.",
            regions.join("; "),
            listing.join("; ")
        ),
        Chart::Matrix {
            points,
            regions: p
                .tiers
                .iter()
                .map(|t| MatrixRegion {
                    label: t.name.clone(),
                    x: t.min_practicality,
                    y: t.min_strategic,
                })
                .collect(),
            x_title: "Practicality (weighted mean score)".into(),
            y_title: "Strategic fit and impact (weighted mean score)".into(),
            lo: Decimal::ONE,
            hi: Decimal::from(5),
        },
    ));
    // The priority matrix: strategic fit down, practicality across, each
    // case in the band its weighted means fall in (compared exactly).
    let band = |s: Score| -> usize {
        [4_u8, 3, 2]
            .iter()
            .position(|b| s.meets(Decimal::from(*b)))
            .map_or(3, |i| i)
    };
    let labels = ["4 to 5", "3 to 4", "2 to 3", "1 to 2"];
    let mut grid = vec![vec![Vec::<String>::new(); 4]; 4];
    for c in &ranked {
        if let Some(s) = c.scores {
            let across = 3 - band(s.practicality);
            grid[band(s.strategic)][across].push(format!("{} ({})", c.figures.path, c.rank));
        }
    }
    let mut matrix_columns = vec![column("Strategic fit \\ practicality", ColumnKind::Text)];
    matrix_columns.extend(labels.iter().rev().map(|l| column(l, ColumnKind::Text)));
    tiers.push(n.table(
        "The priority matrix as a table: each case (with its rank) by its score bands",
        "",
        matrix_columns,
        grid.into_iter()
            .zip(labels)
            .map(|(cells, label)| Row {
                role: RowRole::Body,
                cells: std::iter::once(Cell::text(label))
                    .chain(cells.into_iter().map(|c| Cell::text(c.join(", "))))
                    .collect(),
            })
            .collect(),
        vec!["Rows are the weighted mean strategic score, columns the weighted mean practicality score; a score on a boundary falls in the higher band.".into()],
        None,
    ));

    // 3 The cases.
    let cases_rows: Vec<Row> = p
        .cases
        .iter()
        .map(|c| {
            let f = &c.figures;
            let value = match (f.option.as_ref(), f.value_for_money) {
                (None, _) => Cell::text("no option recommended"),
                (Some(_), ValueForMoney::Ratio | ValueForMoney::Baseline) => amount(c.npsv, dp),
                (Some(_), v) => Cell::text(v.key()),
            };
            Row {
                role: RowRole::Body,
                cells: vec![
                    Cell::text(&f.title),
                    Cell::text(f.stage.code()),
                    Cell::text(f.date.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::text(f.option.clone().unwrap_or_else(|| "none".into())),
                    value,
                    Cell::text(f.payback_year.map_or_else(|| "–".into(), |y| y.to_string())),
                    amount(c.costs, dp),
                    amount(c.savings, dp),
                ],
            }
        })
        .collect();
    let cases = vec![n.table(
        "The cases",
        &format!("{u}; costs and cashable savings nominal over each case's period"),
        vec![
            column("Case", ColumnKind::Text),
            column("Stage", ColumnKind::Text),
            column("Date", ColumnKind::Text),
            column("Option", ColumnKind::Text),
            column("npsv", ColumnKind::Number),
            column("Payback", ColumnKind::Text),
            column("Costs", ColumnKind::Number),
            column("Savings", ColumnKind::Number),
        ],
        cases_rows,
        vec!["npsv is against each case's business as usual; where the costs and benefits both fall or one is dominant, the value-for-money category is shown instead.".into()],
        Some(Definition::Npsv),
    )];

    // 4 Each force's position.
    let mut forces = vec![Block::para(format!(
        "Each force's net revenue effect, case by case and over the programme: savings less revenue costs and capital financing charges, in {u}, nominal. A negative figure is a cost to the force's budget that year."
    ))];
    for (pi, name) in p.partners.iter().enumerate() {
        let mut rows = Vec::new();
        for (ci, c) in p.cases.iter().enumerate() {
            let Some(figs) = &c.by_partner[pi] else {
                continue;
            };
            let label = if c.included {
                c.figures.path.clone()
            } else {
                format!("{} (not counted)", c.figures.path)
            };
            rows.push(Row {
                role: if c.included {
                    RowRole::Body
                } else {
                    RowRole::Memo
                },
                cells: std::iter::once(Cell::text(label))
                    .chain(figs.iter().map(|f| amount(f.net_revenue_effect, dp)))
                    .chain(std::iter::once(amount(
                        p.net_position[pi].by_case[ci].unwrap_or_default(),
                        dp,
                    )))
                    .collect(),
            });
        }
        rows.push(Row {
            role: RowRole::Total,
            cells: std::iter::once(Cell::text("Programme"))
                .chain(
                    p.partner_totals[pi]
                        .iter()
                        .map(|f| amount(f.net_revenue_effect, dp)),
                )
                .chain(std::iter::once(amount(p.net_position[pi].programme, dp)))
                .collect(),
        });
        forces.push(n.table(
            &format!("{name}: net revenue effect by case"),
            &format!("{u}, nominal prices"),
            year_columns("Case"),
            rows,
            Vec::new(),
            Some(Definition::CapitalFinancing),
        ));
    }

    // 5 The gap after the programme.
    let gap = match &p.gap_after {
        None => vec![Block::para(
            "The portfolio names no programme budget, so the forces' budget gaps after the programme are not shown here; each case's own Financial Case shows the gap after that case.",
        )],
        Some(g) => {
            let mut columns = vec![
                column("Force", ColumnKind::Text),
                column("Line", ColumnKind::Text),
            ];
            columns.extend(
                g.years
                    .iter()
                    .map(|y| column(&y.to_string(), ColumnKind::Year)),
            );
            let region = "Region".to_string();
            let mut rows = Vec::new();
            for pg in g.partners.iter().chain(std::iter::once(&g.region)) {
                let name = p.partners.get(pg.partner).unwrap_or(&region);
                for (label, values, role) in [
                    ("Risk-adjusted gap", &pg.risk_adjusted, RowRole::Body),
                    ("After the programme", &pg.gap, RowRole::Total),
                    ("With contingency", &pg.with_contingency, RowRole::Memo),
                ] {
                    rows.push(Row {
                        role,
                        cells: [
                            Cell::text(if role == RowRole::Body {
                                name.as_str()
                            } else {
                                ""
                            }),
                            Cell::text(label),
                        ]
                        .into_iter()
                        .chain(values.iter().map(|v| amount(*v, dp)))
                        .collect(),
                    });
                }
            }
            let points: Vec<ProfilePoint> = g
                .years
                .iter()
                .enumerate()
                .map(|(i, y)| ProfilePoint {
                    year: y.to_string(),
                    savings: g
                        .region
                        .net_revenue_effect
                        .get(i)
                        .copied()
                        .unwrap_or_default(),
                    costs: g.region.risk_adjusted.get(i).copied().unwrap_or_default(),
                    cumulative: g.region.gap.get(i).copied().unwrap_or_default(),
                })
                .collect();
            let listing: Vec<String> = points
                .iter()
                .map(|q| {
                    format!(
                        "{}: net revenue effect {}, risk-adjusted gap {}, gap after {}",
                        q.year,
                        money(q.savings, dp),
                        money(q.costs, dp),
                        money(q.cumulative, dp)
                    )
                })
                .collect();
            let chart = n.figure(
                "The programme's net revenue effect against the combined risk-adjusted gap".into(),
                format!(
                    "Chart of the region's risk-adjusted budget gap (hatched bars) against the counted cases' net revenue effect (solid bars) by year, with the gap left after the programme as a line, in {u}: {}.",
                    listing.join("; ")
                ),
                Chart::Profile {
                    points,
                    y_title: format!("{u}, nominal"),
                    labels: [
                        "Net revenue effect".into(),
                        "Risk-adjusted gap".into(),
                        "Gap after".into(),
                    ],
                },
            );
            vec![
                chart,
                Block::para(format!(
                    "Each force's risk-adjusted budget gap from the programme budget, and the gap left once the counted cases' net revenue effect is set against it, in {u}, nominal; the last line keeps each case's contingency for its risks back. A positive figure is a gap still to close."
                )),
                n.table(
                    "The gap after the programme",
                    &format!("{u}, nominal prices"),
                    columns,
                    rows,
                    vec!["Region: the forces with rows of their own in the programme budget (or its Region rows), against their net revenue effect.".into()],
                    Some(Definition::GapAfterCase),
                ),
            ]
        }
    };

    // 6 Scoring.
    let mut scoring = vec![Block::para(
        "Every case's score on each sub-criterion, with the descriptor of that score and the case team's rationale.",
    )];
    for c in &ranked {
        if c.given.is_empty() {
            continue;
        }
        let rows: Vec<Row> = file
            .criteria
            .iter()
            .zip(c.given.iter().zip(&c.rationale))
            .map(|(sc, (score, why))| Row {
                role: RowRole::Body,
                cells: vec![
                    Cell::text(&sc.name),
                    Cell::text(match sc.criterion {
                        Criterion::Strategic => "Strategic",
                        Criterion::Practicality => "Practicality",
                    }),
                    Cell::number(sc.weight.normalize().to_string(), sc.weight),
                    Cell::number(score.to_string(), Decimal::from(*score)),
                    Cell::text(
                        sc.descriptors
                            .get(usize::from(*score).saturating_sub(1))
                            .cloned()
                            .unwrap_or_default(),
                    ),
                    Cell::text(why),
                ],
            })
            .collect();
        scoring.push(n.table(
            &format!("Scoring of {}", c.figures.title),
            "",
            vec![
                column("Sub-criterion", ColumnKind::Text),
                column("Criterion", ColumnKind::Text),
                column("Weight", ColumnKind::Number),
                column("Score", ColumnKind::Number),
                column("Descriptor", ColumnKind::Text),
                Column {
                    width: Width::Share(20),
                    ..column("Rationale", ColumnKind::Text)
                },
            ],
            rows,
            Vec::new(),
            None,
        ));
    }

    let mut fields = vec![("Date".to_string(), date.format("%-d %B %Y").to_string())];
    if !file.decision_body.is_empty() {
        fields.push(("For".into(), file.decision_body.clone()));
    }
    fields.push(("Cases".into(), p.cases.len().to_string()));
    fields.push(("Marking".into(), file.marking.clone()));
    Document {
        meta: Meta {
            title: format!("{} – programme paper", file.title),
            author: file.programme.clone(),
            marking: file.marking.clone(),
            running_title: format!("{}, programme paper", file.title),
        },
        title_page: TitlePage {
            programme: file.programme.clone(),
            title: file.title.clone(),
            subtitle: "Programme paper: the cases rolled up by force and prioritised".into(),
            fields,
        },
        parts: vec![
            Part::Contents {
                title: "Contents".into(),
                depth: 1,
            },
            section("programme-summary", "Programme summary", summary),
            section("tiers", "Tiers and ranking", tiers),
            section("cases", "The cases", cases),
            section("forces", "Each force's position", forces),
            section("gap", "The gap after the programme", gap),
            section("scoring", "Scoring and rationales", scoring),
        ],
    }
}

/// The programme paper as PDF bytes (PDF/A-2b and PDF/UA-1, reproducible).
///
/// # Errors
/// A typesetting failure, in words.
pub fn pdf(loaded: &Loaded, date: NaiveDate) -> Result<Vec<u8>, String> {
    let doc = build(&loaded.file, &loaded.programme, date);
    let meta = pdf::PdfMeta {
        date,
        ident: format!("fivecase/programme/{}", loaded.file.title),
    };
    pdf::render(&doc, &meta).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn scores_band_by_exact_comparison() {
        use super::super::tiers::Score;
        use rust_decimal::dec;
        let s = Score {
            weighted: dec!(12),
            weights: dec!(3),
        };
        assert!(s.meets(dec!(4)), "exactly 4 falls in the 4 to 5 band");
    }
}
