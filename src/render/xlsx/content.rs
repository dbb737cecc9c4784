//! The export's Five Case content sheets (Objectives, Long list, Benefits
//! register, Risk allocation, Milestones), in the input workbook's format,
//! so that the export read back gives the same content. A sheet the case
//! does not have is not written.

use crate::model::Case;
use crate::model::content::{Assessment, Content, ObjectiveKind, Share};
use crate::render::workbook::{Cell, Column, SheetSpec};
use crate::schema::{self, Kind};

/// The columns of `sheet` as declared, the Long list's assessment columns expanded to `assess`.
fn columns(sheet: &schema::Sheet, assess: &[String]) -> Vec<Column> {
    let mut out = Vec::new();
    for c in sheet.columns {
        if c.kind == Kind::Assessments {
            out.extend(assess.iter().map(|h| Column::new(h, c.format)));
        } else {
            out.push(Column::new(c.header, c.format).at_least(usize::from(c.width)));
        }
    }
    out
}

/// One row in declared column order: `cell` for each declared column, `spread` for the assessments.
fn row(
    sheet: &schema::Sheet,
    spread: Vec<Cell>,
    cell: impl Fn(&schema::Column) -> Cell,
) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut spread = Some(spread);
    for c in sheet.columns {
        if c.kind == Kind::Assessments {
            out.extend(spread.take().unwrap_or_default());
        } else {
            out.push(cell(c));
        }
    }
    out
}

fn sheet(spec: &schema::Sheet, columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> SheetSpec {
    SheetSpec {
        name: spec.name.into(),
        titles: vec![format!("{}: {}", spec.name, spec.doc)],
        columns,
        rows,
        freeze_cols: 1,
        ..SheetSpec::default()
    }
}

fn share(s: Share) -> Cell {
    match s {
        Share::None => Cell::Blank,
        Share::Yes => Cell::text(schema::YES_NO.values[0].value),
        Share::Part(d) => Cell::Percent(d),
    }
}

/// The content sheets the case has, in the schema's order.
pub(super) fn sheets(case: &Case) -> Vec<SheetSpec> {
    let c: &Content = &case.content;
    let mut out = Vec::new();
    if !c.objectives.is_empty() {
        use schema::objectives as x;
        let rows = c
            .objectives
            .iter()
            .map(|o| {
                row(&schema::OBJECTIVES, Vec::new(), |col| {
                    if *col == x::OBJECTIVE {
                        Cell::text(&o.id)
                    } else if *col == x::KIND {
                        let i = usize::from(o.kind == ObjectiveKind::CriticalSuccessFactor);
                        Cell::text(schema::OBJECTIVE_KINDS.values[i].value)
                    } else if *col == x::DESCRIPTION {
                        Cell::text(&o.description)
                    } else if *col == x::MEASURE {
                        Cell::text(&o.measure)
                    } else {
                        Cell::Blank
                    }
                })
            })
            .collect();
        out.push(sheet(
            &schema::OBJECTIVES,
            columns(&schema::OBJECTIVES, &[]),
            rows,
        ));
    }
    if !c.long_list.possibilities.is_empty() {
        use schema::long_list as x;
        let heads: Vec<String> = c
            .long_list
            .objectives
            .iter()
            .filter_map(|i| c.objectives.get(*i).map(|o| o.id.clone()))
            .collect();
        let rows = c
            .long_list
            .possibilities
            .iter()
            .map(|p| {
                let spread = p
                    .assessments
                    .iter()
                    .map(|a| match a {
                        Assessment::Yes => Cell::text(schema::ASSESSMENTS.values[0].value),
                        Assessment::Partly => Cell::text(schema::ASSESSMENTS.values[1].value),
                        Assessment::No => Cell::text(schema::ASSESSMENTS.values[2].value),
                        Assessment::NotAssessed => Cell::Blank,
                    })
                    .collect();
                row(&schema::LONG_LIST, spread, |col| {
                    if *col == x::POSSIBILITY {
                        Cell::text(&p.id)
                    } else if *col == x::DIMENSION {
                        Cell::text(p.dimension.name())
                    } else if *col == x::DESCRIPTION {
                        Cell::text(&p.description)
                    } else if *col == x::OUTCOME {
                        Cell::text(p.outcome.words())
                    } else if *col == x::REASON {
                        Cell::text(&p.reason)
                    } else {
                        Cell::Blank
                    }
                })
            })
            .collect();
        out.push(sheet(
            &schema::LONG_LIST,
            columns(&schema::LONG_LIST, &heads),
            rows,
        ));
    }
    if !c.register.is_empty() {
        use schema::register as x;
        let rows = c
            .register
            .iter()
            .map(|b| {
                row(&schema::BENEFITS_REGISTER, Vec::new(), |col| {
                    if *col == x::BENEFIT {
                        Cell::text(&b.id)
                    } else if *col == x::DESCRIPTION {
                        Cell::text(&b.description)
                    } else if *col == x::TYPE {
                        Cell::text(b.kind.words())
                    } else if *col == x::OWNER {
                        Cell::text(&b.owner)
                    } else if *col == x::MEASURE {
                        Cell::text(&b.measure)
                    } else if *col == x::BASELINE {
                        Cell::text(&b.baseline)
                    } else if *col == x::TARGET {
                        Cell::text(&b.target)
                    } else if *col == x::FROM {
                        b.from.map_or(Cell::Blank, |y| Cell::text(y.to_string()))
                    } else if *col == x::OPTION {
                        b.line.as_ref().map_or(Cell::Blank, |(o, _)| {
                            case.option(*o).map_or(Cell::Blank, |o| Cell::text(&o.id))
                        })
                    } else if *col == x::LINE {
                        b.line.as_ref().map_or(Cell::Blank, |(_, l)| Cell::text(l))
                    } else {
                        Cell::Blank
                    }
                })
            })
            .collect();
        out.push(sheet(
            &schema::BENEFITS_REGISTER,
            columns(&schema::BENEFITS_REGISTER, &[]),
            rows,
        ));
    }
    if !c.allocation.is_empty() {
        use schema::allocation as x;
        let rows = c
            .allocation
            .iter()
            .map(|a| {
                row(&schema::RISK_ALLOCATION, Vec::new(), |col| {
                    if *col == x::CATEGORY {
                        Cell::text(&a.category)
                    } else if *col == x::PUBLIC {
                        share(a.public)
                    } else if *col == x::PRIVATE {
                        share(a.private)
                    } else if *col == x::SHARED {
                        share(a.shared)
                    } else {
                        Cell::Blank
                    }
                })
            })
            .collect();
        out.push(sheet(
            &schema::RISK_ALLOCATION,
            columns(&schema::RISK_ALLOCATION, &[]),
            rows,
        ));
    }
    if !c.milestones.is_empty() {
        use schema::milestones as x;
        let rows = c
            .milestones
            .iter()
            .map(|m| {
                row(&schema::MILESTONES, Vec::new(), |col| {
                    if *col == x::MILESTONE {
                        Cell::text(&m.name)
                    } else if *col == x::DATE {
                        Cell::text(m.date.format("%Y-%m-%d").to_string())
                    } else if *col == x::OWNER {
                        Cell::text(&m.owner)
                    } else if *col == x::GATEWAY {
                        Cell::text(&m.gateway)
                    } else {
                        Cell::Blank
                    }
                })
            })
            .collect();
        out.push(sheet(
            &schema::MILESTONES,
            columns(&schema::MILESTONES, &[]),
            rows,
        ));
    }
    out
}
