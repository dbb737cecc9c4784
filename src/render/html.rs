//! The business case as one self-contained, accessible HTML file: an
//! exporter of the [`Document`].
//!
//! Everything is inline: the stylesheet, and each chart as the SVG that
//! [`crate::render::chart`] draws for the PDF. No script, and nothing that
//! asks for anything outside the file (the narrative's links are links a
//! reader follows, never fetches). The structure is for screen readers
//! first: `lang="en-GB"`, one `h1`, a skip link and a contents list,
//! sections as `h2` and the document's own headings below them, every
//! numbered table with a `caption`, a `thead` and `th scope`, totals set
//! off, each chart a `figure` with `figcaption`, a text alternative and its
//! data as a table inside `details`. The look follows the GOV.UK Design
//! System's conventions (a system sans-serif, 19px body text, measures of
//! about 75 characters, right-aligned tabular figures); a print stylesheet
//! puts the protective marking at the top and bottom of every page.
//!
//! Traceability: every figure of a table carries its provenance (the
//! workbook ranges and the definition in docs/methodology.md) as a `title`,
//! and each table ends with a "Sources" list inside `details`, so a figure
//! can be followed to its cells without a tab stop per figure.
//!
//! Nothing here decides what the document says: every string comes from the
//! `Document`, except the words of navigation (skip link, "Sources",
//! "Data for Figure N") and the column headings of a chart's data table,
//! which are the chart's own titles and legend.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::document::{
    Align, Block, Cell, CellRole, Chart, Definition, Document, Figure, Inline, Part, Provenance,
    RowRole, Section, Table,
};
use crate::format;
use crate::render::chart;

/// The HTML file of `doc`. Same document, same bytes.
pub fn render(doc: &Document) -> String {
    let mut h = Html::default();
    let m = &doc.meta;
    h.raw("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<title>");
    h.text(&m.title);
    h.raw("</title>\n");
    if !m.author.is_empty() {
        h.raw("<meta name=\"author\" content=\"");
        h.attr(&m.author);
        h.raw("\">\n");
    }
    h.raw("<style>\n");
    h.raw(STYLE);
    // The marking at the top and bottom of every printed page.
    let _ = writeln!(
        h.out,
        "@page {{ size: A4; margin: 20mm 15mm; \
         @top-center {{ content: \"{0}\"; font: 700 10pt Arial, \"Liberation Sans\", sans-serif; }} \
         @bottom-center {{ content: \"{0} \\2014  page \" counter(page) \" of \" counter(pages); font: 400 9pt Arial, \"Liberation Sans\", sans-serif; }} }}",
        css_string(&m.marking)
    );
    h.raw("</style>\n</head>\n<body>\n");
    h.raw("<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n");
    h.raw("<header class=\"marking\"><p>");
    h.text(&m.marking);
    h.raw("</p></header>\n<main id=\"main\">\n");
    title_page(&mut h, doc);
    for part in &doc.parts {
        match part {
            Part::Contents { title, depth } => contents(&mut h, doc, title, *depth),
            Part::Section(s) => section(&mut h, s),
        }
    }
    h.raw("</main>\n<footer class=\"marking\"><p>");
    h.text(&m.marking);
    h.raw("</p><p class=\"running\">");
    h.text(&m.running_title);
    h.raw("</p></footer>\n</body>\n</html>\n");
    h.out
}

/// An HTML string being written, with escaping for text and attributes.
#[derive(Debug, Default)]
struct Html {
    out: String,
}

impl Html {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Text content: `&`, `<` and `>` escaped.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                // Control characters other than whitespace are not allowed in HTML.
                c if c.is_control() && !matches!(c, '\n' | '\t') => {}
                c => self.out.push(c),
            }
        }
    }

    /// An attribute value in double quotes: `"` escaped too.
    fn attr(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\n' | '\t' => self.out.push(' '),
                c if c.is_control() => {}
                c => self.out.push(c),
            }
        }
    }
}

/// A CSS string literal's content: quotes, backslashes and line ends escaped.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An id safe for `id` and `href="#…"`: the document's ids are already
/// slugs, but a section's may start with its number (`1-strategic-case`),
/// and an HTML id must start with a letter; anything else becomes `-`.
fn id(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if clean.starts_with(|c: char| c.is_ascii_alphabetic()) {
        clean
    } else {
        format!("s-{clean}")
    }
}

fn title_page(h: &mut Html, doc: &Document) {
    let t = &doc.title_page;
    h.raw("<div class=\"title-page\">\n<p class=\"programme\">");
    h.text(&t.programme);
    h.raw("</p>\n<h1>");
    h.text(&t.title);
    h.raw("</h1>\n<p class=\"subtitle\">");
    h.text(&t.subtitle);
    h.raw("</p>\n<dl class=\"facts\">\n");
    for (label, value) in &t.fields {
        h.raw("<div><dt>");
        h.text(label);
        h.raw("</dt><dd>");
        h.text(value);
        h.raw("</dd></div>\n");
    }
    h.raw("</dl>\n</div>\n");
}

/// The contents: every section, and its headings down to `depth`, as nested lists.
fn contents(h: &mut Html, doc: &Document, title: &str, depth: u8) {
    h.raw(
        "<nav class=\"contents\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">",
    );
    h.text(title);
    h.raw("</h2>\n<ol>\n");
    for s in doc.sections() {
        h.raw("<li><a href=\"#");
        h.attr(&id(&s.id));
        h.raw("\">");
        h.text(&s.title);
        h.raw("</a>");
        // Headings below the section, nested by level; a level that jumps
        // is nested one step only, so the lists stay well formed.
        let mut open = 1u8;
        for b in &s.blocks {
            let Block::Heading {
                level,
                id: hid,
                text,
            } = b
            else {
                continue;
            };
            if *level > depth {
                continue;
            }
            if *level > open {
                h.raw("\n<ol>\n");
                open += 1;
            } else {
                while *level < open {
                    h.raw("</li>\n</ol>\n");
                    open -= 1;
                }
                h.raw("</li>\n");
            }
            // A heading deeper than one step below the last keeps that step.
            h.raw("<li><a href=\"#");
            h.attr(&id(hid));
            h.raw("\">");
            inlines_plain(h, text);
            h.raw("</a>");
        }
        while open > 1 {
            h.raw("</li>\n</ol>\n");
            open -= 1;
        }
        h.raw("</li>\n");
    }
    h.raw("</ol>\n</nav>\n");
}

fn section(h: &mut Html, s: &Section) {
    let sid = id(&s.id);
    let _ = writeln!(
        h.out,
        "<section aria-labelledby=\"{sid}\">\n<h2 id=\"{sid}\">"
    );
    h.text(&s.title);
    h.raw("</h2>\n");
    blocks(h, &s.blocks);
    h.raw("</section>\n");
}

fn blocks(h: &mut Html, blocks: &[Block]) {
    for b in blocks {
        block(h, b);
    }
}

fn block(h: &mut Html, b: &Block) {
    match b {
        Block::Heading {
            level,
            id: hid,
            text,
        } => {
            // The document's level 2 is the first below a section's `h2`.
            let n = (level + 1).clamp(3, 6);
            let _ = write!(h.out, "<h{n} id=\"{}\">", id(hid));
            inlines(h, text);
            let _ = writeln!(h.out, "</h{n}>");
        }
        Block::Paragraph(text) => {
            h.raw("<p>");
            inlines(h, text);
            h.raw("</p>\n");
        }
        Block::List {
            ordered,
            start,
            items,
        } => {
            if *ordered {
                if *start == 1 {
                    h.raw("<ol>\n");
                } else {
                    let _ = writeln!(h.out, "<ol start=\"{start}\">");
                }
            } else {
                h.raw("<ul>\n");
            }
            for item in items {
                h.raw("<li>");
                // A tight item of one paragraph reads better without the `p`.
                match item.as_slice() {
                    [Block::Paragraph(text)] => inlines(h, text),
                    _ => blocks(h, item),
                }
                h.raw("</li>\n");
            }
            h.raw(if *ordered { "</ol>\n" } else { "</ul>\n" });
        }
        Block::Table(t) => table(h, t),
        Block::TextTable { align, head, rows } => {
            h.raw("<div class=\"table-box\">\n<table class=\"text-table\">\n<thead><tr>");
            for (i, c) in head.iter().enumerate() {
                let _ = write!(h.out, "<th scope=\"col\"{}>", align_class(align, i));
                inlines(h, c);
                h.raw("</th>");
            }
            h.raw("</tr></thead>\n<tbody>\n");
            for row in rows {
                h.raw("<tr>");
                for (i, c) in row.iter().enumerate() {
                    let _ = write!(h.out, "<td{}>", align_class(align, i));
                    inlines(h, c);
                    h.raw("</td>");
                }
                h.raw("</tr>\n");
            }
            h.raw("</tbody>\n</table>\n</div>\n");
        }
        Block::Figure(f) => figure(h, f),
        Block::Quote(inner) => {
            h.raw("<blockquote>\n");
            blocks(h, inner);
            h.raw("</blockquote>\n");
        }
        Block::Code(text) => {
            h.raw("<pre><code>");
            h.text(text);
            h.raw("</code></pre>\n");
        }
        Block::Rule => h.raw("<hr>\n"),
        Block::Placeholder(text) => {
            h.raw("<p class=\"placeholder\">");
            h.text(text);
            h.raw("</p>\n");
        }
    }
}

fn align_class(align: &[Option<crate::document::Align>], i: usize) -> &'static str {
    match align.get(i).copied().flatten() {
        Some(Align::Right) => " class=\"num\"",
        Some(Align::Center) => " class=\"centre\"",
        _ => "",
    }
}

fn inlines(h: &mut Html, runs: &[Inline]) {
    for r in runs {
        match r {
            Inline::Text { s } => h.text(s),
            Inline::Emph { c } => {
                h.raw("<em>");
                inlines(h, c);
                h.raw("</em>");
            }
            Inline::Strong { c } => {
                h.raw("<strong>");
                inlines(h, c);
                h.raw("</strong>");
            }
            Inline::Strike { c } => {
                h.raw("<s>");
                inlines(h, c);
                h.raw("</s>");
            }
            Inline::Code { s } => {
                h.raw("<code>");
                h.text(s);
                h.raw("</code>");
            }
            Inline::Link { url, c } => {
                h.raw("<a href=\"");
                h.attr(url);
                h.raw("\">");
                inlines(h, c);
                h.raw("</a>");
            }
            Inline::Break => h.raw("<br>"),
        }
    }
}

/// Runs as plain text (inside a link, where nested links are not allowed).
fn inlines_plain(h: &mut Html, runs: &[Inline]) {
    for r in runs {
        match r {
            Inline::Text { s } | Inline::Code { s } => h.text(s),
            Inline::Emph { c }
            | Inline::Strong { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => {
                inlines_plain(h, c);
            }
            Inline::Break => h.raw(" "),
        }
    }
}

/// `Costs!F5:O28; present value (docs/methodology.md#present-value)`.
pub fn provenance_title(p: &Provenance) -> String {
    let mut parts: Vec<String> = p.ranges.clone();
    if let Some(d) = p.definition {
        parts.push(format!(
            "{} (docs/methodology.md#{})",
            definition_name(d),
            d.anchor()
        ));
    }
    parts.join("; ")
}

/// A definition's name in words: its anchor with spaces.
fn definition_name(d: Definition) -> String {
    match d {
        Definition::Npsv => "NPSV".into(),
        Definition::Bcr => "BCR".into(),
        other => other.anchor().replace('-', " "),
    }
}

fn cell_class(c: &Cell) -> &'static str {
    match c.align {
        Align::Right => "num",
        Align::Center => "centre",
        Align::Left => "",
    }
}

fn table(h: &mut Html, t: &Table) {
    let tid = id(&t.id());
    let _ = writeln!(
        h.out,
        "<section class=\"table-box\" aria-labelledby=\"{tid}-caption\" tabindex=\"0\">"
    );
    let _ = write!(
        h.out,
        "<table id=\"{tid}\">\n<caption id=\"{tid}-caption\"><span class=\"label\">{}</span> ",
        t.label()
    );
    h.text(&t.caption);
    if !t.unit.is_empty() {
        h.raw(" <span class=\"unit\">(");
        h.text(&t.unit);
        h.raw(")</span>");
    }
    h.raw("</caption>\n<thead><tr>");
    for c in &t.columns {
        let class = cell_class(&c.header);
        if class.is_empty() {
            h.raw("<th scope=\"col\">");
        } else {
            let _ = write!(h.out, "<th scope=\"col\" class=\"{class}\">");
        }
        h.text(&c.header.text);
        h.raw("</th>");
    }
    h.raw("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        match row.role {
            RowRole::Body => h.raw("<tr>"),
            RowRole::Subtotal => h.raw("<tr class=\"subtotal\">"),
            RowRole::Total => h.raw("<tr class=\"total\">"),
            RowRole::Memo => h.raw("<tr class=\"memo\">"),
        }
        for c in &row.cells {
            let tag = if c.role == CellRole::Label || c.role == CellRole::Header {
                "th"
            } else {
                "td"
            };
            h.raw("<");
            h.raw(tag);
            if tag == "th" {
                h.raw(" scope=\"row\"");
            }
            let class = cell_class(c);
            if !class.is_empty() {
                let _ = write!(h.out, " class=\"{class}\"");
            }
            let title = provenance_title(&c.provenance);
            if !title.is_empty() {
                h.raw(" title=\"");
                h.attr(&title);
                h.raw("\"");
            }
            h.raw(">");
            h.text(&c.text);
            h.raw("</");
            h.raw(tag);
            h.raw(">");
        }
        h.raw("</tr>\n");
    }
    h.raw("</tbody>\n</table>\n</section>\n");
    for note in &t.notes {
        h.raw("<p class=\"table-note\">");
        h.text(note);
        h.raw("</p>\n");
    }
    sources(h, t);
}

/// The table's sources: its input ranges, then the definitions its figures use.
fn sources(h: &mut Html, t: &Table) {
    let cells = t.rows.iter().flat_map(|r| &r.cells);
    let mut ranges: Vec<&str> = Vec::new();
    let all = t
        .sources
        .iter()
        .chain(cells.clone().flat_map(|c| &c.provenance.ranges));
    for r in all {
        if !ranges.contains(&r.as_str()) {
            ranges.push(r);
        }
    }
    let definitions: BTreeSet<&'static str> = cells
        .filter_map(|c| c.provenance.definition)
        .map(Definition::anchor)
        .collect();
    if ranges.is_empty() && definitions.is_empty() {
        return;
    }
    let _ = writeln!(
        h.out,
        "<details class=\"sources\">\n<summary>Sources for {}</summary>",
        t.label()
    );
    if !ranges.is_empty() {
        h.raw("<p>Workbook ranges and other inputs:</p>\n<ul>\n");
        for r in ranges {
            h.raw("<li><code>");
            h.text(r);
            h.raw("</code></li>\n");
        }
        h.raw("</ul>\n");
    }
    if !definitions.is_empty() {
        h.raw("<p>Definitions in docs/methodology.md:</p>\n<ul>\n");
        for anchor in definitions {
            let d = Definition::ALL
                .into_iter()
                .find(|d| d.anchor() == anchor)
                .unwrap_or(Definition::Input);
            h.raw("<li>");
            h.text(&definition_name(d));
            h.raw(" <code>#");
            h.text(anchor);
            h.raw("</code></li>\n");
        }
        h.raw("</ul>\n");
    }
    h.raw("</details>\n");
}

fn figure(h: &mut Html, f: &Figure) {
    let fid = id(&f.id());
    let _ = writeln!(
        h.out,
        "<figure id=\"{fid}\" aria-labelledby=\"{fid}-caption\">"
    );
    let svg = chart::svg(&f.chart);
    // The drawing is one image to assistive technology, named by its alt text.
    let mut open = String::from("<svg role=\"img\" aria-label=\"");
    let mut alt = Html::default();
    alt.attr(&f.alt);
    open.push_str(&alt.out);
    open.push_str("\" focusable=\"false\" ");
    let _ = write!(
        h.out,
        "<figcaption id=\"{fid}-caption\"><span class=\"label\">{}</span> ",
        f.label()
    );
    h.text(&f.caption);
    h.raw("</figcaption>\n<div class=\"chart\">");
    h.raw(&scope_ids(&svg, &fid).replacen("<svg ", &open, 1));
    h.raw("</div>\n<p class=\"alt\">");
    h.text(&f.alt);
    h.raw("</p>\n");
    let (head, rows) = chart_data(&f.chart);
    let _ = writeln!(
        h.out,
        "<details class=\"chart-data\">\n<summary>Data for {}</summary>\n<div class=\"table-box\">\n<table>\n<caption>Data for {}</caption>\n<thead><tr>",
        f.label(),
        f.label()
    );
    // Text columns are set left, figures right.
    let text_columns = text_columns(&f.chart);
    for (i, c) in head.iter().enumerate() {
        let class = if i < text_columns {
            ""
        } else {
            " class=\"num\""
        };
        let _ = write!(h.out, "<th scope=\"col\"{class}>");
        h.text(c);
        h.raw("</th>");
    }
    h.raw("</tr></thead>\n<tbody>\n");
    for row in rows {
        h.raw("<tr>");
        for (i, c) in row.iter().enumerate() {
            if i == 0 {
                h.raw("<th scope=\"row\">");
                h.text(c);
                h.raw("</th>");
            } else if i < text_columns {
                h.raw("<td>");
                h.text(c);
                h.raw("</td>");
            } else {
                h.raw("<td class=\"num\">");
                h.text(c);
                h.raw("</td>");
            }
        }
        h.raw("</tr>\n");
    }
    h.raw("</tbody>\n</table>\n</div>\n</details>\n</figure>\n");
}

/// The SVG with every `id` it defines (a hatching pattern) prefixed by
/// `prefix`, and the references to them: several charts inline in one page
/// must not share an id.
fn scope_ids(svg: &str, prefix: &str) -> String {
    let mut out = svg.to_string();
    let ids: Vec<String> = svg
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    for id in ids {
        out = out
            .replace(&format!(" id=\"{id}\""), &format!(" id=\"{prefix}-{id}\""))
            .replace(&format!("url(#{id})"), &format!("url(#{prefix}-{id})"));
    }
    out
}

/// Decimal places of a chart's figures in its data table.
const CHART_PLACES: u32 = 2;

/// How many of the leading columns of a chart's data table ([`chart_data`])
/// hold text; the rest hold figures.
fn text_columns(c: &Chart) -> usize {
    match c {
        // Milestone, date, gateway.
        Chart::Timeline { .. } => 3,
        _ => 1,
    }
}

/// A chart's data as a header row and rows of text, its columns named by
/// the chart's own titles and legend.
pub fn chart_data(c: &Chart) -> (Vec<String>, Vec<Vec<String>>) {
    let n = |v| format::money(v, CHART_PLACES);
    match c {
        Chart::Bars {
            bars,
            y_title,
            x_title,
            series: _,
        } => (
            vec![x_title.clone(), y_title.clone()],
            bars.iter()
                .map(|b| vec![b.label.clone(), n(b.value)])
                .collect(),
        ),
        Chart::Profile {
            points,
            y_title: _,
            labels,
        } => (
            vec![
                "Year".into(),
                labels[0].clone(),
                labels[1].clone(),
                labels[2].clone(),
            ],
            points
                .iter()
                .map(|p| vec![p.year.clone(), n(p.savings), n(p.costs), n(p.cumulative)])
                .collect(),
        ),
        Chart::Matrix {
            points,
            x_title,
            y_title,
            ..
        } => (
            vec!["Case".into(), x_title.clone(), y_title.clone()],
            points
                .iter()
                .map(|p| vec![p.label.clone(), n(p.x), n(p.y)])
                .collect(),
        ),
        Chart::SCurve {
            series,
            marks,
            y_title,
            x_title,
        } => {
            // Every tenth percentile and the marked ones, ascending.
            let mut at: Vec<u32> = (0..=10)
                .map(|k| k * 10)
                .chain(marks.iter().copied())
                .collect();
            at.sort_unstable();
            at.dedup();
            let mut head = vec![format!("{x_title} (%)")];
            head.extend(series.iter().map(|c| format!("{}: {y_title}", c.label)));
            let rows = at
                .iter()
                .map(|q| {
                    let mut row = vec![q.to_string()];
                    row.extend(series.iter().map(|c| {
                        usize::try_from(*q)
                            .ok()
                            .and_then(|i| c.values.get(i))
                            .map_or_else(String::new, |v| n(*v))
                    }));
                    row
                })
                .collect();
            (head, rows)
        }
        Chart::Tornado {
            lines,
            base,
            title,
            legend,
        } => {
            let mut rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| vec![l.label.clone(), n(l.down), n(l.up)])
                .collect();
            rows.push(vec![legend[2].clone(), n(*base), n(*base)]);
            (
                vec![title.clone(), legend[1].clone(), legend[0].clone()],
                rows,
            )
        }
        Chart::Timeline { events, .. } => (
            vec!["Milestone".into(), "Date".into(), "Gateway".into()],
            events
                .iter()
                .map(|e| vec![e.label.clone(), e.date.clone(), e.gateway.clone()])
                .collect(),
        ),
    }
}

/// The stylesheet, in the manner of the GOV.UK Design System.
const STYLE: &str = r#"*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: #0b0c0c; background: #fff; font-family: Arial, "Helvetica Neue", "Liberation Sans", sans-serif; font-size: 19px; line-height: 1.32; }
main { display: block; max-width: 960px; margin: 0 auto; padding: 0 15px 40px; }
p, li, dd, blockquote, figcaption, .alt, details { max-width: 38em; }
a { color: #1d70b8; text-decoration: underline; text-underline-offset: 0.1em; }
a:visited { color: #4c2c92; }
a:focus, [tabindex]:focus, summary:focus { outline: 3px solid transparent; color: #0b0c0c; background-color: #fd0; box-shadow: 0 -2px #fd0, 0 4px #0b0c0c; text-decoration: none; }
.table-box:focus { box-shadow: none; background: none; outline: 3px solid #fd0; outline-offset: 0; }
.skip-link { position: absolute; left: -9999px; top: 0; padding: 10px 15px; background: #fd0; color: #0b0c0c; z-index: 10; }
.skip-link:focus { left: 0; }
.marking { background: #0b0c0c; color: #fff; text-align: center; font-weight: 700; letter-spacing: 0.05em; padding: 5px 15px; }
.marking p { margin: 0 auto; max-width: none; }
.marking .running { font-weight: 400; letter-spacing: normal; font-size: 16px; }
h1, h2, h3, h4, h5, h6 { font-weight: 700; line-height: 1.1; margin: 0 0 20px; overflow-wrap: break-word; }
h1 { font-size: 48px; margin-bottom: 30px; }
h2 { font-size: 36px; margin-top: 50px; }
h3 { font-size: 27px; margin-top: 35px; }
h4 { font-size: 24px; margin-top: 25px; }
h5, h6 { font-size: 19px; margin-top: 20px; }
p { margin: 0 0 20px; }
ul, ol { margin: 0 0 20px; padding-left: 20px; }
li { margin-bottom: 5px; }
code, pre { font-family: "Courier New", "DejaVu Sans Mono", monospace; font-size: 16px; }
code { overflow-wrap: anywhere; }
pre { overflow-x: auto; padding: 15px; background: #f3f2f1; }
blockquote { margin: 0 0 20px; padding: 15px; border-left: 10px solid #b1b4b6; }
hr { border: 0; border-top: 1px solid #b1b4b6; margin: 30px 0; }
.title-page { padding: 40px 0 30px; border-bottom: 1px solid #b1b4b6; }
.programme { font-size: 24px; color: #505a5f; }
.subtitle { font-size: 27px; font-weight: 700; }
.facts { margin: 30px 0 0; }
.facts div { display: flex; flex-wrap: wrap; border-bottom: 1px solid #b1b4b6; padding: 10px 0; }
.facts dt { font-weight: 700; flex: 0 0 12em; }
.facts dd { margin: 0; flex: 1 1 12em; }
.contents ol { list-style: none; padding-left: 0; }
.contents ol ol { padding-left: 25px; margin: 5px 0 0; }
.table-box { max-width: 100%; overflow-x: auto; margin: 0 0 15px; }
table { border-collapse: collapse; border-spacing: 0; font-size: 16px; line-height: 1.25; font-variant-numeric: tabular-nums lining-nums; }
caption { text-align: left; font-weight: 700; font-size: 19px; padding-bottom: 10px; caption-side: top; }
caption .label { white-space: nowrap; }
caption .unit { font-weight: 400; }
th, td { padding: 10px 20px 10px 0; border-bottom: 1px solid #b1b4b6; text-align: left; vertical-align: top; }
th:last-child, td:last-child { padding-right: 0; }
thead th { font-weight: 700; vertical-align: bottom; }
tbody th { font-weight: 400; }
.num { text-align: right; white-space: nowrap; }
.centre { text-align: center; }
tr.subtotal th, tr.subtotal td { border-top: 2px solid #0b0c0c; font-weight: 700; }
tr.total th, tr.total td { border-top: 2px solid #0b0c0c; border-bottom: 3px double #0b0c0c; font-weight: 700; }
tr.memo th, tr.memo td { font-style: italic; color: #505a5f; }
td.num[title] { text-decoration: underline dotted #505a5f; text-underline-offset: 0.2em; cursor: help; }
.table-note { font-size: 16px; color: #505a5f; margin-bottom: 10px; }
details { margin: 0 0 30px; font-size: 16px; }
summary { color: #1d70b8; text-decoration: underline; cursor: pointer; display: list-item; }
details[open] > :not(summary) { border-left: 5px solid #b1b4b6; padding-left: 15px; }
details ul { padding-left: 35px; }
figure { margin: 30px 0; }
.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-weight: 700; margin: 0 0 10px; }
.alt { font-size: 16px; color: #505a5f; }
.placeholder { border: 3px dashed #d4351c; padding: 10px 15px; color: #d4351c; font-weight: 700; }
@media (max-width: 640px) {
  body { font-size: 16px; }
  h1 { font-size: 32px; }
  h2 { font-size: 24px; }
  h3 { font-size: 21px; }
  h4 { font-size: 18px; }
  .facts dt { flex-basis: 100%; }
  th, td { padding-right: 12px; }
  td:not(.num) { min-width: 8em; }
}
@media print {
  body { font-size: 11pt; }
  .skip-link, header.marking, footer.marking { display: none; }
  main { max-width: none; padding: 0; }
  a { color: #0b0c0c; }
  td.num[title] { text-decoration: none; }
  .table-box { overflow: visible; }
  table { page-break-inside: auto; }
  thead { display: table-header-group; }
  tr, figure { page-break-inside: avoid; break-inside: avoid; }
  h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
  section { page-break-before: always; break-before: page; }
  details > summary { display: none; }
  details:not([open]) { display: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Provenance;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut h = Html::default();
        h.text("<script>&\"");
        h.attr(" \"x\"<");
        assert_eq!(h.out, "&lt;script&gt;&amp;\" &quot;x&quot;&lt;");
    }

    #[test]
    fn provenance_names_ranges_then_definition() {
        let p = Provenance {
            ranges: vec!["Costs!F5:O28".into(), "Assumptions!B3".into()],
            definition: Some(Definition::PresentValue),
        };
        assert_eq!(
            provenance_title(&p),
            "Costs!F5:O28; Assumptions!B3; present value (docs/methodology.md#present-value)"
        );
        assert_eq!(provenance_title(&Provenance::default()), "");
    }

    #[test]
    fn each_chart_has_its_own_ids() {
        let svg = "<svg><defs><pattern id=\"hatch\"/></defs><rect fill=\"url(#hatch)\"/></svg>";
        assert_eq!(
            scope_ids(svg, "figure-2"),
            "<svg><defs><pattern id=\"figure-2-hatch\"/></defs><rect fill=\"url(#figure-2-hatch)\"/></svg>"
        );
    }

    #[test]
    fn ids_start_with_a_letter() {
        assert_eq!(id("1-strategic-case"), "s-1-strategic-case");
        assert_eq!(id("table-4"), "table-4");
        assert_eq!(id("a b\"c"), "a-b-c");
    }

    #[test]
    fn marking_cannot_break_out_of_the_css_string() {
        assert_eq!(css_string("A\"}</style>\\"), "A\\\"}\\3c /style>\\\\");
    }
}
