//! A [`Document`] as the typst tree ([`Tree`]) the templates walk.
//!
//! Here live the decisions that depend on the page: which content goes on a
//! landscape page (a table the document marks wide, with the heading and
//! paragraphs that lead into it, consecutive ones together), and how a
//! table with more year columns than a landscape page holds is split into
//! parts. Every table is measured ([`fit`]) as it is encoded.

use super::fit::{fit, fits_upright};
use super::tree::{self, Node, Tree};
use crate::document::{Align, Block, ColumnKind, Document, Figure, Part, RowRole, Table, Width};
use crate::render::chart;

/// Year columns a landscape page holds; a table with more is split into parts.
const LANDSCAPE_YEARS: usize = 12;

/// The tree of `doc`, its tables measured.
pub fn encode(doc: &Document) -> Tree {
    let m = &doc.meta;
    let t = &doc.title_page;
    let mut body = Vec::new();
    for part in &doc.parts {
        match part {
            Part::Contents { title, depth } => body.push(Node::Outline {
                title: title.clone(),
                depth: *depth,
            }),
            Part::Section(s) => {
                body.push(Node::Heading {
                    level: 1,
                    c: vec![crate::document::Inline::Text { s: s.title.clone() }],
                });
                body.extend(landscape(blocks(&s.blocks)));
            }
        }
    }
    Tree {
        meta: tree::Meta {
            title: m.title.clone(),
            author: m.author.clone(),
            marking: m.marking.clone(),
            running_title: m.running_title.clone(),
        },
        title_page: tree::TitlePage {
            programme: t.programme.clone(),
            title: t.title.clone(),
            subtitle: t.subtitle.clone(),
            fields: t
                .fields
                .iter()
                .map(|(label, value)| tree::Field {
                    label: label.clone(),
                    value: value.clone(),
                })
                .collect(),
        },
        body,
    }
}

fn blocks(blocks: &[Block]) -> Vec<Node> {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        match b {
            Block::Heading { level, text, .. } => out.push(Node::Heading {
                level: *level,
                c: text.clone(),
            }),
            Block::Paragraph(c) => out.push(Node::Para { c: c.clone() }),
            Block::List {
                ordered,
                start,
                items,
            } => out.push(Node::List {
                ordered: *ordered,
                start: *start,
                items: items.iter().map(|i| self::blocks(i)).collect(),
            }),
            Block::Table(t) => out.extend(table(t).into_iter().map(Node::Table)),
            Block::TextTable { align, head, rows } => out.push(Node::Mdtable {
                align: align
                    .iter()
                    .map(|a| match a {
                        Some(Align::Left) => "left",
                        Some(Align::Right) => "right",
                        Some(Align::Center) => "center",
                        None => "auto",
                    })
                    .collect(),
                head: head.clone(),
                rows: rows.clone(),
            }),
            Block::Figure(f) => out.push(Node::Chart(figure(f))),
            Block::Quote(c) => out.push(Node::Quote { c: self::blocks(c) }),
            Block::Code(s) => out.push(Node::Code { s: s.clone() }),
            Block::Rule => out.push(Node::Rule),
            Block::Placeholder(s) => out.push(Node::Placeholder { s: s.clone() }),
        }
    }
    out
}

fn figure(f: &Figure) -> tree::Chart {
    tree::Chart {
        svg: chart::svg(&f.chart),
        alt: f.alt.clone(),
        caption: f.caption.clone(),
        number: f.label(),
    }
}

/// A table of the document as one or more measured tables of the tree:
/// more year columns than a landscape page holds are split into parts, the
/// columns before the years repeated in each, those after them (totals)
/// and the notes kept to the last. A table marked wide whose every part
/// fits upright is set upright: no landscape page for a table that fits
/// a portrait one.
fn table(t: &Table) -> Vec<tree::Table> {
    let mut parts = parts(t);
    if parts.iter().all(fits_upright) {
        for p in &mut parts {
            p.wide = false;
        }
    }
    for p in &mut parts {
        fit(p);
    }
    parts
}

/// The parts of `t`, unmeasured.
fn parts(t: &Table) -> Vec<tree::Table> {
    let years: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ColumnKind::Year)
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return vec![part(
            t,
            &(0..t.columns.len()).collect::<Vec<_>>(),
            t.caption.clone(),
            true,
        )];
    };
    if years.len() <= LANDSCAPE_YEARS {
        return vec![part(
            t,
            &(0..t.columns.len()).collect::<Vec<_>>(),
            t.caption.clone(),
            true,
        )];
    }
    let chunks: Vec<&[usize]> = years.chunks(LANDSCAPE_YEARS).collect();
    let parts = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let is_last = i + 1 == parts;
            let mut columns: Vec<usize> = (0..first).collect();
            columns.extend_from_slice(chunk);
            if is_last {
                columns.extend(last + 1..t.columns.len());
            }
            let caption = format!("{} (part {} of {parts})", t.caption, i + 1);
            part(t, &columns, caption, is_last)
        })
        .collect()
}

/// The tree table of `t`'s `columns`, captioned `caption`, with its notes if `notes`.
fn part(t: &Table, columns: &[usize], caption: String, notes: bool) -> tree::Table {
    tree::Table {
        number: t.label(),
        caption,
        unit: t.unit.clone(),
        columns: columns
            .iter()
            .filter_map(|&i| t.columns.get(i))
            .map(|c| tree::Column {
                h: c.header.text.clone(),
                align: match c.kind {
                    ColumnKind::Text => "left",
                    ColumnKind::Number | ColumnKind::Year => "right",
                },
                width: match c.width {
                    Width::Auto => tree::Width::Auto,
                    Width::Share(tenths) => tree::Width::Fr(tenths),
                },
            })
            .collect(),
        rows: t
            .rows
            .iter()
            .map(|r| tree::Row {
                c: columns
                    .iter()
                    .map(|&i| r.cells.get(i).map(|c| c.text.clone()).unwrap_or_default())
                    .collect(),
                style: match r.role {
                    RowRole::Body => "body",
                    RowRole::Subtotal => "subtotal",
                    RowRole::Total => "total",
                    RowRole::Memo => "memo",
                },
                line: false,
            })
            .collect(),
        notes: if notes { t.notes.clone() } else { Vec::new() },
        wide: t.wide,
    }
}

/// Sets each wide table on a landscape page, with the heading and
/// paragraphs that lead into it; consecutive ones share the pages.
fn landscape(nodes: Vec<Node>) -> Vec<Node> {
    let wide = |n: &Node| matches!(n, Node::Table(t) if t.wide);
    let leads: Vec<bool> = (0..nodes.len())
        .map(|i| {
            matches!(nodes.get(i), Some(Node::Heading { .. } | Node::Para { .. })) && {
                let mut j = i + 1;
                while matches!(nodes.get(j), Some(Node::Para { .. })) {
                    j += 1;
                }
                nodes.get(j).is_some_and(wide)
            }
        })
        .collect();
    let mut out = Vec::with_capacity(nodes.len());
    let mut run = Vec::new();
    for (node, leads) in nodes.into_iter().zip(leads) {
        if wide(&node) || leads {
            run.push(node);
        } else {
            if !run.is_empty() {
                out.push(Node::Landscape {
                    c: std::mem::take(&mut run),
                });
            }
            out.push(node);
        }
    }
    if !run.is_empty() {
        out.push(Node::Landscape { c: run });
    }
    out
}
