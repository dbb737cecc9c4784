//! Fitting the document's tables to the page before typst sees them.
//!
//! typst sizes an `auto` column by laying out every cell in it, and an
//! `auto` row by laying out every cell in the row, before laying the cells
//! out for real: each figure is typeset two or three times. fivecase knows
//! the text of every cell and has the fonts, so it measures instead: each
//! string's width is the sum of its glyphs' advance widths in the embedded
//! Liberation Sans (kerning, which only narrows figures, is ignored, so a
//! measured width is never short), in whole thousandths of a point.
//!
//! With the widths known, every `auto` column gets its exact width, and
//! each row whose every cell fits on one line is marked `line`: it gets a
//! fixed height, its text centred between the rules with no padding cell,
//! which typst lays out in one pass. A row with a cell that wraps (a long
//! description) keeps padded cells and grows with its text. A table whose
//! columns cannot be measured (a character the font lacks) or do not fit
//! the page is left to typst's own sizing, which wraps and shrinks. Every
//! way looks the same; the measured one is only faster.
//!
//! Every length here is an integer number of millipoints (1/1000 pt); the
//! page geometry and type sizes are handed to the template in [`Layout`],
//! so the template and the measurements cannot disagree.

use std::sync::OnceLock;

use serde::Serialize;
use ttf_parser::Face as Font;

use super::fonts::LIBERATION;
use super::tree::{MPT, Table, Width, pt};

/// The page: A4, 210 mm by 297 mm.
const PAGE_MM: (u32, u32) = (210, 297);
/// Left and right margins, each.
const MARGIN_X_MM: u32 = 20;
/// Type size of tables.
const TABLE_TEXT: u32 = 8_500;
/// Space between columns.
const GUTTER: u32 = 8_000;
/// Space above and below a cell's text.
const INSET_Y: u32 = 3_000;
/// Added to every measured width: a column is never exactly as wide as its text.
const SLACK: u32 = 1_000;

/// Page geometry and table type, as the template uses them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// Left and right page margin, e.g. `56.692pt`.
    pub margin_x: String,
    /// Type size of tables.
    pub table_text: String,
    /// Space between table columns.
    pub gutter: String,
    /// Space above and below the text of a table cell.
    pub inset_y: String,
    /// Height of a one-line row (cap height plus insets).
    pub row_height: String,
}

/// Millimetres in millipoints, rounded down (72 pt to 25.4 mm).
const fn mm(mm: u32) -> u32 {
    mm * 72 * MPT * 10 / 254
}

/// Width of the text block on a portrait page.
const PORTRAIT: u32 = mm(PAGE_MM.0 - 2 * MARGIN_X_MM);
/// Width of the text block on a landscape page.
const LANDSCAPE: u32 = mm(PAGE_MM.1 - 2 * MARGIN_X_MM);

/// The three faces tables are set in.
#[derive(Debug)]
struct Faces {
    regular: Font<'static>,
    bold: Font<'static>,
    italic: Font<'static>,
}

/// Which face a string is set in.
#[derive(Debug, Clone, Copy)]
enum Face {
    Regular,
    Bold,
    Italic,
}

fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let [regular, bold, italic, _] = LIBERATION;
            let font = |data: &'static [u8]| Font::parse(data, 0).ok();
            Some(Faces {
                regular: font(regular)?,
                bold: font(bold)?,
                italic: font(italic)?,
            })
        })
        .as_ref()
}

impl Faces {
    fn get(&self, face: Face) -> &Font<'static> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Italic => &self.italic,
        }
    }

    /// Width of `text` on one line at the table size, in millipoints, rounded
    /// up; `None` when it cannot be one line or has a character the face lacks.
    fn width(&self, face: Face, text: &str) -> Option<u32> {
        self.width_at(face, text, TABLE_TEXT)
    }

    /// Width of `text` on one line at `size` thousandths of a unit, in
    /// thousandths of that unit, rounded up; `None` as for [`Self::width`].
    fn width_at(&self, face: Face, text: &str, size: u32) -> Option<u32> {
        let ttf = self.get(face);
        let mut units: u64 = 0;
        for c in text.chars() {
            match c {
                // Break opportunities fivecase inserts, and joiners: no width.
                '\u{200b}' | '\u{2060}' | '\u{feff}' => continue,
                '\n' | '\r' => return None,
                _ => {}
            }
            let glyph = ttf.glyph_index(c)?;
            units += u64::from(ttf.glyph_hor_advance(glyph)?);
        }
        let per_em = u64::from(ttf.units_per_em());
        let mpt = (units * u64::from(size)).div_ceil(per_em.max(1));
        u32::try_from(mpt).ok()
    }

    /// Cap height of the regular face at the table size, in millipoints, rounded up.
    fn cap_height(&self) -> Option<u32> {
        let cap = u64::try_from(self.regular.capital_height()?).ok()?;
        let per_em = u64::from(self.regular.units_per_em()).max(1);
        u32::try_from((cap * u64::from(TABLE_TEXT)).div_ceil(per_em)).ok()
    }
}

/// Width of `text` on one line in the regular face at `size` thousandths of
/// a unit (8,500 for 8.5 pt, or for 8.5 px in an SVG), in thousandths of the
/// same unit, rounded up; `None` when it holds a line break or a character
/// the embedded face lacks.
pub(crate) fn regular_width(text: &str, size: u32) -> Option<u32> {
    faces()?.width_at(Face::Regular, text, size)
}

/// The layout the template uses (the measurements below assume it).
pub fn layout() -> Layout {
    // The embedded font always has a cap height; 6 pt stands in for one that did not.
    let cap = faces().and_then(Faces::cap_height).unwrap_or(6 * MPT);
    Layout {
        margin_x: pt(mm(MARGIN_X_MM)),
        table_text: pt(TABLE_TEXT),
        gutter: pt(GUTTER),
        inset_y: pt(INSET_Y),
        row_height: pt(cap + 2 * INSET_Y),
    }
}

/// Gives `table`'s `auto` columns their measured widths and marks each
/// row whose every cell fits on one line; leaves the table to typst when a
/// column cannot be measured or the columns do not fit the page.
pub fn fit(table: &mut Table) {
    let Some(faces) = faces() else { return };
    let Some(widths) = widths(faces, table) else {
        return;
    };
    for row in &mut table.rows {
        let face = row_face(row.style);
        row.line = row.c.len() == widths.len()
            && row.c.iter().zip(&widths).all(|(cell, &w)| {
                faces
                    .width(face, cell)
                    .is_some_and(|t| t.saturating_add(SLACK) <= w)
            });
    }
    for (column, width) in table.columns.iter_mut().zip(&widths) {
        if column.width == Width::Auto {
            column.width = Width::Fixed(*width);
        }
    }
}

/// True when every column of `table`, at the width of its widest cell and
/// header on one line, fits a portrait page: a table the document marks
/// wide that fits upright is set upright, not on a landscape page of its own.
/// False when a cell cannot be measured.
pub fn fits_upright(table: &Table) -> bool {
    let Some(faces) = faces() else { return false };
    let mut total: u64 = u64::from(GUTTER)
        * u64::try_from(table.columns.len().saturating_sub(1)).unwrap_or(u64::MAX);
    for (i, column) in table.columns.iter().enumerate() {
        let Some(mut widest) = faces.width(Face::Bold, &column.h) else {
            return false;
        };
        for row in &table.rows {
            let Some(w) = row
                .c
                .get(i)
                .map_or(Some(0), |c| faces.width(row_face(row.style), c))
            else {
                return false;
            };
            widest = widest.max(w);
        }
        total += u64::from(widest) + u64::from(SLACK);
    }
    total <= u64::from(PORTRAIT)
}

/// The face a row's cells are set in.
fn row_face(style: &str) -> Face {
    match style {
        "total" => Face::Bold,
        "memo" => Face::Italic,
        _ => Face::Regular,
    }
}

/// The width of every column as typst will make it: `auto` columns as wide
/// as their widest cell or header (plus the slack), fractional ones sharing
/// what is left of the page. `None` when an `auto` column cannot be
/// measured or the columns are wider than the page.
fn widths(faces: &Faces, table: &Table) -> Option<Vec<u32>> {
    let n = table.columns.len();
    let mut widest: Vec<Option<u32>> = vec![Some(0); n];
    for row in &table.rows {
        let face = row_face(row.style);
        for (w, cell) in widest.iter_mut().zip(&row.c) {
            *w = match (*w, faces.width(face, cell)) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
    }
    let available = if table.wide { LANDSCAPE } else { PORTRAIT };
    let mut widths = vec![0; n];
    let mut fixed = GUTTER.checked_mul(u32::try_from(n.checked_sub(1)?).ok()?)?;
    let mut fractions: u32 = 0;
    for (i, column) in table.columns.iter().enumerate() {
        match column.width {
            Width::Auto => {
                let head = faces.width(Face::Bold, &column.h)?;
                widths[i] = head.max(widest[i]?).checked_add(SLACK)?;
                fixed = fixed.checked_add(widths[i])?;
            }
            Width::Fixed(w) => {
                widths[i] = w;
                fixed = fixed.checked_add(w)?;
            }
            Width::Fr(tenths) => fractions = fractions.checked_add(u32::from(tenths))?,
        }
    }
    let remaining = u64::from(available.checked_sub(fixed)?);
    for (i, column) in table.columns.iter().enumerate() {
        if let Width::Fr(tenths) = column.width {
            let share = remaining * u64::from(tenths) / u64::from(fractions.max(1));
            widths[i] = u32::try_from(share).ok()?;
        }
    }
    Some(widths)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_narrow_wide_table_fits_upright_and_a_broad_one_does_not() {
        let narrow = table(
            vec![col("Partner", Width::Fr(10)), col("2026/27", Width::Auto)],
            vec![vec!["Essex", "1,234"]],
            true,
        );
        assert!(fits_upright(&narrow));
        let years: Vec<Column> = (0..12).map(|_| col("2026/27", Width::Auto)).collect();
        let broad = table(years, vec![vec!["(12,345,678)"; 12]], true);
        assert!(!fits_upright(&broad));
    }

    use super::*;
    use crate::render::pdf::tree::{Column, Row};

    fn table(columns: Vec<Column>, rows: Vec<Vec<&str>>, wide: bool) -> Table {
        Table {
            number: "Table 1".into(),
            caption: "t".into(),
            unit: String::new(),
            columns,
            rows: rows
                .into_iter()
                .map(|r| Row {
                    c: r.into_iter().map(String::from).collect(),
                    style: "body",
                    line: false,
                })
                .collect(),
            notes: Vec::new(),
            wide,
        }
    }

    fn col(h: &str, width: Width) -> Column {
        Column {
            h: h.into(),
            align: "right",
            width,
        }
    }

    #[test]
    fn page_geometry_is_a4_less_two_centimetre_margins() {
        // 170 mm and 257 mm at 72 pt to 25.4 mm, rounded down.
        assert_eq!(PORTRAIT, 481_889);
        assert_eq!(LANDSCAPE, 728_503);
        assert_eq!(pt(PORTRAIT), "481.889pt");
        assert_eq!(pt(mm(20)), "56.692pt");
    }

    #[test]
    fn widths_are_the_fonts_advances() {
        let f = faces().expect("the embedded fonts parse");
        // Liberation Sans digits are 1139 units of 2048 wide; 8.5 pt type.
        let digit = (1139 * 8_500_u64).div_ceil(2048);
        assert_eq!(f.width(Face::Regular, "0"), u32::try_from(digit).ok());
        assert_eq!(
            f.width(Face::Regular, "00"),
            u32::try_from((2 * 1139 * 8_500_u64).div_ceil(2048)).ok()
        );
        // Bold is wider than regular for letters; break opportunities are free.
        let regular = f.width(Face::Regular, "Total").unwrap_or(0);
        let bold = f.width(Face::Bold, "Total").unwrap_or(0);
        assert!(bold > regular, "{bold} > {regular}");
        assert_eq!(f.width(Face::Regular, "To\u{200b}tal"), Some(regular));
        // A line break, or a character Liberation Sans lacks, cannot be measured.
        assert_eq!(f.width(Face::Regular, "a\nb"), None);
        assert_eq!(f.width(Face::Regular, "\u{1F600}"), None);
    }

    fn lines(t: &Table) -> Vec<bool> {
        t.rows.iter().map(|r| r.line).collect()
    }

    #[test]
    fn auto_columns_get_their_widest_cell_and_short_rows_are_one_line() {
        let mut t = table(
            vec![col("", Width::Fr(10)), col("2026/27", Width::Auto)],
            vec![vec!["Cashable savings", "(1,234,567)"], vec!["Costs", "0"]],
            false,
        );
        fit(&mut t);
        let f = faces().expect("fonts");
        let widest = f.width(Face::Regular, "(1,234,567)").unwrap_or(0);
        assert_eq!(t.columns[1].width, Width::Fixed(widest + SLACK));
        assert_eq!(t.columns[0].width, Width::Fr(10));
        assert_eq!(lines(&t), [true, true]);
    }

    #[test]
    fn a_label_too_long_for_its_column_wraps_in_its_own_row() {
        // About 600 points of text beside a column of figures on a 482-point page.
        let long = "a label too long for one line ".repeat(5);
        let mut t = table(
            vec![col("", Width::Fr(10)), col("2026/27", Width::Auto)],
            vec![vec!["Costs", "1"], vec![long.as_str(), "1"]],
            false,
        );
        fit(&mut t);
        assert_eq!(lines(&t), [true, false]);
        // The figure column is still measured.
        assert!(matches!(t.columns[1].width, Width::Fixed(_)));
    }

    #[test]
    fn a_total_row_is_measured_in_bold() {
        // The widest regular figure sizes the column; the same digits in
        // bold are wider, so a total as long does not fit on one line.
        let mut t = table(
            vec![col("", Width::Fr(10)), col("Total", Width::Auto)],
            vec![vec!["Costs", "(8,888,888)"], vec!["Total", "(8,888,888)"]],
            false,
        );
        t.rows[1].style = "total";
        fit(&mut t);
        let f = faces().expect("fonts");
        let bold = f.width(Face::Bold, "(8,888,888)").unwrap_or(0);
        assert_eq!(t.columns[1].width, Width::Fixed(bold + SLACK));
        assert_eq!(lines(&t), [true, true]);
    }

    #[test]
    fn columns_wider_than_the_page_are_left_to_typst() {
        let wide = "9".repeat(120);
        let mut t = table(
            vec![col("a", Width::Auto), col("b", Width::Auto)],
            vec![vec![wide.as_str(), wide.as_str()]],
            true,
        );
        fit(&mut t);
        assert_eq!(lines(&t), [false]);
        assert_eq!(t.columns[0].width, Width::Auto);
        assert_eq!(t.columns[1].width, Width::Auto);
    }

    #[test]
    fn an_unmeasurable_cell_leaves_its_column_to_typst() {
        let mut t = table(
            vec![col("", Width::Fr(10)), col("x", Width::Auto)],
            vec![vec!["Line", "\u{1F600}"]],
            false,
        );
        fit(&mut t);
        assert_eq!(lines(&t), [false]);
        assert_eq!(t.columns[1].width, Width::Auto);
        // In a fractional column only its own row wraps.
        let mut t = table(
            vec![col("", Width::Fr(10)), col("x", Width::Auto)],
            vec![vec!["\u{1F600}", "1"], vec!["Line", "2"]],
            false,
        );
        fit(&mut t);
        assert_eq!(lines(&t), [false, true]);
    }

    #[test]
    fn a_landscape_table_has_the_wider_page() {
        // Nine 50-point figure columns: too wide for portrait, not for landscape.
        let columns: Vec<Column> = (0..9)
            .map(|i| col(&format!("c{i}"), Width::Fixed(50_000)))
            .collect();
        let rows = vec![vec!["1"; 9]];
        let mut portrait = table(columns.clone(), rows.clone(), false);
        let mut landscape = table(columns, rows, true);
        fit(&mut portrait);
        fit(&mut landscape);
        assert_eq!(lines(&portrait), [false]);
        assert_eq!(lines(&landscape), [true]);
    }

    /// Every run of text typst laid out, with its break opportunities removed.
    fn runs(frame: &typst::layout::Frame, out: &mut Vec<String>) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => runs(&g.frame, out),
                typst::layout::FrameItem::Text(t) => {
                    out.push(t.text.as_str().replace('\u{200b}', ""));
                }
                _ => {}
            }
        }
    }

    /// The longest label made by repeating `unit` that `fit` still puts on one line.
    fn longest_line(unit: &str, style: &'static str) -> String {
        let columns = vec![col("", Width::Fr(10)), col("2026/27", Width::Auto)];
        let mut label = String::new();
        for c in unit.chars().cycle().take(2_000) {
            label.push(c);
            let mut t = table(
                columns.clone(),
                vec![vec![label.as_str(), "(1,234)"]],
                false,
            );
            t.rows[0].style = style;
            fit(&mut t);
            if !t.rows[0].line {
                label.pop();
                break;
            }
        }
        label.trim_end().to_string()
    }

    /// What `fit` measures as one line, typst lays out as one line: labels
    /// grown to within a character of their column's width, in regular,
    /// bold and italic, each come out of typst as a single run of text.
    #[test]
    fn rows_measured_to_fit_are_one_line_in_typst() {
        use crate::render::pdf::tests::{sample_case, sample_results, tree_of};
        use crate::render::pdf::tree::Node;
        use crate::render::pdf::{to_json, typeset};
        let labels: Vec<(String, &'static str)> = [
            ("Procurement costs and savings ", "body"),
            ("WAVE Total ", "total"),
            ("1,234,567 ", "body"),
            ("Memo: fill ", "memo"),
            ("ffi fl Tj AV Yo 11 ", "body"),
        ]
        .into_iter()
        .map(|(unit, style)| (longest_line(unit, style), style))
        .collect();
        let mut t = table(
            vec![col("", Width::Fr(10)), col("2026/27", Width::Auto)],
            labels
                .iter()
                .map(|(l, _)| vec![l.as_str(), "(1,234)"])
                .collect(),
            false,
        );
        for (row, (_, style)) in t.rows.iter_mut().zip(&labels) {
            row.style = style;
        }
        t.caption = "Labels at the edge".into();
        let case = sample_case(5, &[]);
        let results = sample_results(&case);
        let mut v = tree_of(&case, &results);
        fit(&mut t);
        assert!(t.rows.iter().all(|r| r.line), "{t:?}");
        v.body = vec![Node::Table(t)];
        let doc = typeset::typeset(&to_json(&v).unwrap_or_default(), true)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        for page in doc.pages() {
            runs(&page.frame, &mut out);
        }
        typeset::release(doc);
        for (label, style) in &labels {
            assert!(label.len() > 40, "{label:?}");
            assert!(
                out.contains(label),
                "{style} label {label:?} was broken: {out:?}"
            );
        }
    }

    #[test]
    fn the_row_height_is_the_cap_height_and_two_insets() {
        let l = layout();
        // Liberation Sans cap height 1409 of 2048 units at 8.5 pt, plus 2 x 3 pt.
        let cap = (1409 * 8_500_u32).div_ceil(2048);
        assert_eq!(l.row_height, pt(cap + 6_000));
        assert_eq!(l.table_text, "8.500pt");
    }
}
