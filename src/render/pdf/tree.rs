//! The typst encoding of a [`Document`](crate::document::Document): the
//! JSON tree the templates walk.
//!
//! Plain data only: every leaf is a string the template places as text, so
//! nothing a user wrote is ever evaluated. Tables arrive pre-measured
//! ([`super::fit`]): each column's width and whether each row fits on one
//! line. Lengths are typst lengths in points (`31.200pt`), written by [`pt`].

use serde::Serialize;

use crate::document::Inline;

/// Millipoints per point.
pub const MPT: u32 = 1_000;

/// A length in millipoints as a typst length: `481.889pt`.
pub fn pt(mpt: u32) -> String {
    format!("{}.{:03}pt", mpt / MPT, mpt % MPT)
}

/// The whole document as the template reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Tree {
    pub meta: Meta,
    pub title_page: TitlePage,
    pub body: Vec<Node>,
}

/// The PDF's metadata and running heads.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub marking: String,
    pub running_title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TitlePage {
    pub programme: String,
    pub title: String,
    pub subtitle: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// One element of the body, in reading order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Node {
    Heading {
        level: u8,
        c: Vec<Inline>,
    },
    Para {
        c: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Node>>,
    },
    /// A table of figures.
    Table(Table),
    /// A table of text from the narrative: `align` per column (`left`, `right`, `center`, `auto`).
    Mdtable {
        align: Vec<&'static str>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Chart(Chart),
    Quote {
        c: Vec<Node>,
    },
    Code {
        s: String,
    },
    Rule,
    /// A part not written yet.
    Placeholder {
        s: String,
    },
    /// Content set on a landscape page of its own.
    Landscape {
        c: Vec<Node>,
    },
    /// The table of contents.
    Outline {
        title: String,
        depth: u8,
    },
}

/// A table of formatted figures.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// `Table 14`.
    pub number: String,
    pub caption: String,
    /// What the figures are, e.g. `£m, nominal prices`.
    pub unit: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Printed under the table.
    pub notes: Vec<String>,
    /// Set on a landscape page, and measured against its width.
    pub wide: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub h: String,
    /// `left` or `right`.
    pub align: &'static str,
    pub width: Width,
}

/// A column's width, handed to typst as a track size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// As wide as its widest cell (`auto`), until [`fit`](super::fit) measures it.
    Auto,
    /// A share of the width the other columns leave, in tenths (`Fr(16)` is `1.6fr`).
    Fr(u16),
    /// A measured width in millipoints.
    Fixed(u32),
}

impl Serialize for Width {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Auto => s.serialize_str("auto"),
            Self::Fr(tenths) => s.collect_str(&format_args!("{}.{}fr", tenths / 10, tenths % 10)),
            Self::Fixed(mpt) => s.serialize_str(&pt(mpt)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub c: Vec<String>,
    /// `body`, `subtotal` (ruled above), `total` (ruled above, bold) or `memo` (italic).
    pub style: &'static str,
    /// Every cell fits on one line at its column's width, as measured by
    /// [`fit`](super::fit): the row has a fixed height and is laid out once.
    pub line: bool,
}

/// A chart: the picture and what it shows in words.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub svg: String,
    /// The alternative text of the figure (PDF/UA requires one).
    pub alt: String,
    pub caption: String,
    /// `Figure 2`.
    pub number: String,
}

impl Tree {
    /// Every table of figures, in order (landscape runs included).
    pub fn tables(&self) -> Vec<&Table> {
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Table>) {
            for n in nodes {
                match n {
                    Node::Table(t) => out.push(t),
                    Node::Landscape { c } => walk(c, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.body, &mut out);
        out
    }
}
