//! The business case as a Word document (.docx): an exporter of the
//! [`Document`].
//!
//! Written as WordprocessingML directly into a zip (the `zip` crate
//! fivecase already reads workbooks with). docx-rs 0.4.22 was tried first:
//! it cannot mark a table's header row to repeat across pages (`tblHeader`)
//! nor give a picture its alt text (`docPr descr`), and both are required
//! here; the parts Word needs are few and plain.
//!
//! What a governance team gets: real Word styles (Title, Subtitle,
//! Heading 1–4, Caption, List Bullet, List Number, Quote, a table style
//! `Business case table`), so its own template restyles the document;
//! tables as Word tables whose header row repeats on every page and whose
//! rows do not split; charts as PNG pictures rasterised from the same SVG
//! at 150 dpi ([`raster`]), each with its alt text; the protective marking
//! in the header and footer of every page, with the page number as a field;
//! a contents list as a TOC field Word can update. Reproducible: no clock
//! date in the document properties, and every zip entry has the same fixed
//! time, so the same document gives the same bytes.

pub mod raster;

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use crate::document::{
    Align, Block, CellRole, Document, Figure, Inline, Part, RowRole, Section, Table,
};
use crate::render::chart;

/// Why the Word document could not be written (never the user's input).
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error(transparent)]
    Raster(#[from] raster::RasterError),
    #[error("cannot assemble the Word document: {0}")]
    Zip(String),
}

/// The .docx file of `doc`. Same document, same bytes.
///
/// # Errors
/// A [`DocxError`] when a chart cannot be drawn or the package assembled.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let mut w = Writer::default();
    title_page(&mut w, doc);
    for part in &doc.parts {
        match part {
            Part::Contents { title, depth } => contents(&mut w, doc, title, *depth),
            Part::Section(s) => section(&mut w, s)?,
        }
    }
    w.orient(false);
    let body = std::mem::take(&mut w.body);
    let document = format!(
        "{XML_HEAD}<w:document {NS}><w:body>{body}{}</w:body></w:document>",
        sect_pr(false)
    );
    let marking = esc(&doc.meta.marking);
    let header = format!(
        "{XML_HEAD}<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"center\"/></w:pPr>\
         <w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{marking}</w:t></w:r></w:p></w:hdr>"
    );
    let footer = format!(
        "{XML_HEAD}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>\
         <w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{marking}</w:t></w:r></w:p>\
         <w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">{running} \u{2014} page </w:t></w:r>{page}\
         <w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>{pages}</w:p></w:ftr>",
        running = esc(&doc.meta.running_title),
        page = field("PAGE", "1"),
        pages = field("NUMPAGES", "1"),
    );
    let mut rels = String::from(
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    );
    for (i, _) in w.pictures.iter().enumerate() {
        let n = i + 1;
        let _ = write!(
            rels,
            "<Relationship Id=\"rIdImage{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/figure{n}.png\"/>"
        );
    }
    for (i, url) in w.links.iter().enumerate() {
        let _ = write!(
            rels,
            "<Relationship Id=\"rIdLink{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
            i + 1,
            esc(url)
        );
    }
    let document_rels = format!(
        "{XML_HEAD}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
    );
    let core = format!(
        "{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:keywords>{}</cp:keywords>\
         <dc:language>en-GB</dc:language></cp:coreProperties>",
        esc(&doc.meta.title),
        esc(&doc.meta.author),
        esc(&doc.meta.marking),
    );
    let numbering = numbering(&w.lists);

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
        ("docProps/core.xml".into(), core.into_bytes()),
        ("docProps/app.xml".into(), APP.as_bytes().to_vec()),
        ("word/document.xml".into(), document.into_bytes()),
        (
            "word/_rels/document.xml.rels".into(),
            document_rels.into_bytes(),
        ),
        ("word/styles.xml".into(), STYLES.as_bytes().to_vec()),
        ("word/numbering.xml".into(), numbering.into_bytes()),
        ("word/settings.xml".into(), SETTINGS.as_bytes().to_vec()),
        ("word/header1.xml".into(), header.into_bytes()),
        ("word/footer1.xml".into(), footer.into_bytes()),
    ];
    for (i, png) in w.pictures.into_iter().enumerate() {
        parts.push((format!("word/media/figure{}.png", i + 1), png));
    }
    zip(parts)
}

/// Every part into one zip, in the given order, each entry with the same fixed time.
fn zip(parts: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, DocxError> {
    let fail = |e: &dyn std::fmt::Display| DocxError::Zip(e.to_string());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in parts {
        // PNG is compressed already.
        let options = if name.starts_with("word/media/") {
            options.compression_method(zip::CompressionMethod::Stored)
        } else {
            options
        };
        zip.start_file(name, options).map_err(|e| fail(&e))?;
        zip.write_all(&bytes).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
    xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
    xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
    xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

/// Text for XML content or a double-quoted attribute; characters XML 1.0
/// cannot hold are dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(' '),
            c if c.is_control() => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A simple field (`PAGE`, `NUMPAGES`) as runs, with `cached` as its last result.
fn field(instr: &str, cached: &str) -> String {
    format!(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> {instr} </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
         <w:r><w:t>{cached}</w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    )
}

/// A list the document uses: bullets, or numbers from `start`.
#[derive(Debug, Clone, Copy)]
struct List {
    ordered: bool,
    start: u64,
}

/// The document body being written, and what its parts refer to.
#[derive(Debug, Default)]
struct Writer {
    body: String,
    /// PNG pictures, `word/media/figureN.png` in order.
    pictures: Vec<Vec<u8>>,
    /// External link targets, `rIdLinkN` in order.
    links: Vec<String>,
    /// One numbering instance per list, `numId` = index + 1.
    lists: Vec<List>,
    /// Bookmark ids, unique in the document.
    bookmarks: u32,
    /// Whether the current section's pages are landscape (for wide tables).
    landscape: bool,
}

/// The properties of an A4 section, portrait or landscape, with the
/// marking's header and footer.
fn sect_pr(landscape: bool) -> String {
    let size = if landscape {
        "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"
    } else {
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    };
    format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>\
         <w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>{size}\
         <w:pgMar w:top=\"1304\" w:right=\"1134\" w:bottom=\"1304\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         </w:sectPr>"
    )
}

/// How a paragraph's runs look, beyond its style.
#[derive(Debug, Clone, Copy, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent run properties, as Word has them"
)]
struct RunStyle {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
}

impl Writer {
    /// `<w:p>` with style `style`, extra paragraph properties `ppr`, and `runs` already written.
    fn para(&mut self, style: &str, ppr: &str, runs: &str) {
        let _ = write!(
            self.body,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{ppr}</w:pPr>{runs}</w:p>"
        );
    }

    /// Ends the current section when its orientation is not `landscape`,
    /// so the blocks that follow are set on pages of that orientation.
    fn orient(&mut self, landscape: bool) {
        if self.landscape != landscape {
            let _ = write!(
                self.body,
                "<w:p><w:pPr>{}</w:pPr></w:p>",
                sect_pr(self.landscape)
            );
            self.landscape = landscape;
        }
    }

    /// A bookmark around nothing, so links can reach the paragraph it starts.
    fn bookmark(&mut self, name: &str) -> String {
        self.bookmarks += 1;
        format!(
            "<w:bookmarkStart w:id=\"{0}\" w:name=\"{1}\"/><w:bookmarkEnd w:id=\"{0}\"/>",
            self.bookmarks,
            bookmark_name(name)
        )
    }

    fn runs(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        self.runs_into(&mut out, inlines, RunStyle::default());
        out
    }

    fn runs_into(&mut self, out: &mut String, inlines: &[Inline], style: RunStyle) {
        for i in inlines {
            match i {
                Inline::Text { s } => out.push_str(&run(s, style)),
                Inline::Code { s } => out.push_str(&run(
                    s,
                    RunStyle {
                        code: true,
                        ..style
                    },
                )),
                Inline::Emph { c } => self.runs_into(
                    out,
                    c,
                    RunStyle {
                        italic: true,
                        ..style
                    },
                ),
                Inline::Strong { c } => self.runs_into(
                    out,
                    c,
                    RunStyle {
                        bold: true,
                        ..style
                    },
                ),
                Inline::Strike { c } => self.runs_into(
                    out,
                    c,
                    RunStyle {
                        strike: true,
                        ..style
                    },
                ),
                Inline::Link { url, c } => {
                    self.links.push(url.clone());
                    let _ = write!(
                        out,
                        "<w:hyperlink r:id=\"rIdLink{}\" w:history=\"1\">",
                        self.links.len()
                    );
                    let mut inner = String::new();
                    self.runs_into(&mut inner, c, style);
                    // Link runs take the Hyperlink character style.
                    out.push_str(&inner.replace(
                        "<w:r><w:rPr>",
                        "<w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/>",
                    ));
                    out.push_str("</w:hyperlink>");
                }
                Inline::Break => out.push_str("<w:r><w:rPr></w:rPr><w:br/></w:r>"),
            }
        }
    }
}

/// A Word bookmark name: at most 40 letters, digits and underscores, starting with a letter.
fn bookmark_name(id: &str) -> String {
    let mut name: String = std::iter::once('b')
        .chain(
            id.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
        )
        .collect();
    name.truncate(40);
    name
}

/// One run of text; line breaks inside it become `w:br`.
fn run(text: &str, s: RunStyle) -> String {
    let mut rpr = String::new();
    if s.bold {
        rpr.push_str("<w:b/>");
    }
    if s.italic {
        rpr.push_str("<w:i/>");
    }
    if s.strike {
        rpr.push_str("<w:strike/>");
    }
    if s.code {
        rpr.insert_str(0, "<w:rStyle w:val=\"CodeChar\"/>");
    }
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            let _ = write!(out, "<w:r><w:rPr>{rpr}</w:rPr><w:br/></w:r>");
        }
        if !line.is_empty() {
            let _ = write!(
                out,
                "<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                esc(line)
            );
        }
    }
    out
}

fn plain(text: &str) -> String {
    run(text, RunStyle::default())
}

fn title_page(w: &mut Writer, doc: &Document) {
    let t = &doc.title_page;
    w.para("Subtitle", "", &plain(&t.programme));
    w.para("Title", "", &plain(&t.title));
    w.para("Subtitle", "", &plain(&t.subtitle));
    for (label, value) in &t.fields {
        let runs = format!(
            "{}{}",
            run(
                &format!("{label}: "),
                RunStyle {
                    bold: true,
                    ..RunStyle::default()
                }
            ),
            plain(value)
        );
        w.para("TitleFact", "", &runs);
    }
}

/// The contents as a TOC field whose cached result lists the headings, each linked.
fn contents(w: &mut Writer, doc: &Document, title: &str, depth: u8) {
    w.para("TOCHeading", "", &plain(title));
    let mut entries: Vec<(u8, String, String)> = Vec::new();
    for s in doc.sections() {
        entries.push((1, s.id.clone(), s.title.clone()));
        for b in &s.blocks {
            if let Block::Heading { level, id, text } = b
                && *level <= depth
            {
                entries.push((*level, id.clone(), inline_text(text)));
            }
        }
    }
    let n = entries.len();
    for (i, (level, id, text)) in entries.into_iter().enumerate() {
        let mut runs = String::new();
        if i == 0 {
            let levels = depth.clamp(1, 9);
            let _ = write!(
                runs,
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
                 <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-{levels}\" \\h \\z \\u </w:instrText></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            );
        }
        let _ = write!(
            runs,
            "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">{}</w:hyperlink>",
            bookmark_name(&id),
            plain(&text)
        );
        if i + 1 == n {
            runs.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
        }
        let style = format!("TOC{}", level.clamp(1, 9));
        w.para(&style, "", &runs);
    }
}

/// An inline run's words without formatting.
fn inline_text(runs: &[Inline]) -> String {
    let mut out = String::new();
    for r in runs {
        match r {
            Inline::Text { s } | Inline::Code { s } => out.push_str(s),
            Inline::Emph { c }
            | Inline::Strong { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => {
                out.push_str(&inline_text(c));
            }
            Inline::Break => out.push(' '),
        }
    }
    out
}

fn section(w: &mut Writer, s: &Section) -> Result<(), DocxError> {
    w.orient(false);
    let mark = w.bookmark(&s.id);
    w.para("Heading1", "", &format!("{mark}{}", plain(&s.title)));
    blocks(w, &s.blocks, 0)
}

fn blocks(w: &mut Writer, blocks: &[Block], depth: u8) -> Result<(), DocxError> {
    for b in blocks {
        // A table the document marks wide gets landscape pages, shared
        // with the wide tables right after it, as in the PDF.
        if depth == 0 {
            w.orient(matches!(b, Block::Table(t) if t.wide));
        }
        block(w, b, depth)?;
    }
    Ok(())
}

fn block(w: &mut Writer, b: &Block, depth: u8) -> Result<(), DocxError> {
    match b {
        Block::Heading { level, id, text } => {
            let mark = w.bookmark(id);
            let runs = w.runs(text);
            w.para(&format!("Heading{}", level.clamp(&2, &6)), "", &format!("{mark}{runs}"));
        }
        Block::Paragraph(text) => {
            let runs = w.runs(text);
            w.para("Normal", "", &runs);
        }
        Block::List {
            ordered,
            start,
            items,
        } => list(w, *ordered, *start, items, depth)?,
        Block::Table(t) => table(w, t),
        Block::TextTable { align, head, rows } => {
            let head: Vec<(String, Align)> = head
                .iter()
                .enumerate()
                .map(|(i, c)| (w.runs(c), align.get(i).copied().flatten().unwrap_or(Align::Left)))
                .collect();
            let rows: Vec<Vec<(String, Align)>> = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .map(|(i, c)| {
                            (w.runs(c), align.get(i).copied().flatten().unwrap_or(Align::Left))
                        })
                        .collect()
                })
                .collect();
            word_table(w, &head, &rows.iter().map(|r| (RowRole::Body, r.clone())).collect::<Vec<_>>(), false);
        }
        Block::Figure(f) => figure(w, f)?,
        Block::Quote(inner) => {
            for b in inner {
                match b {
                    Block::Paragraph(text) => {
                        let runs = w.runs(text);
                        w.para("Quote", "", &runs);
                    }
                    other => block(w, other, depth)?,
                }
            }
        }
        Block::Code(text) => w.para("Code", "", &plain(text.trim_end_matches('\n'))),
        Block::Rule => w.para(
            "Normal",
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"B1B4B6\"/></w:pBdr>",
            "",
        ),
        Block::Placeholder(text) => w.para("Placeholder", "", &plain(text)),
    }
    Ok(())
}

fn list(
    w: &mut Writer,
    ordered: bool,
    start: u64,
    items: &[Vec<Block>],
    depth: u8,
) -> Result<(), DocxError> {
    w.lists.push(List { ordered, start });
    let num = w.lists.len();
    let style = if ordered { "ListNumber" } else { "ListBullet" };
    let level = depth.min(8);
    for item in items {
        for (i, b) in item.iter().enumerate() {
            match b {
                Block::Paragraph(text) => {
                    let runs = w.runs(text);
                    if i == 0 {
                        let ppr = format!(
                            "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{num}\"/></w:numPr>"
                        );
                        w.para(style, &ppr, &runs);
                    } else {
                        let ppr = format!("<w:ind w:left=\"{}\"/>", 360 * (u32::from(level) + 1));
                        w.para("ListContinue", &ppr, &runs);
                    }
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => list(w, *ordered, *start, items, depth + 1)?,
                other => block(w, other, depth + 1)?,
            }
        }
    }
    Ok(())
}

fn jc(a: Align) -> &'static str {
    match a {
        Align::Left => "",
        Align::Right => "<w:jc w:val=\"right\"/>",
        Align::Center => "<w:jc w:val=\"center\"/>",
    }
}

fn table(w: &mut Writer, t: &Table) {
    let mark = w.bookmark(&t.id());
    let mut caption = format!("{}: {}", t.label(), t.caption);
    if !t.unit.is_empty() {
        let _ = write!(caption, " ({})", t.unit);
    }
    w.para(
        "Caption",
        "<w:keepNext/>",
        &format!("{mark}{}", plain(&caption)),
    );
    let head: Vec<(String, Align)> = t
        .columns
        .iter()
        .map(|c| (plain(&c.header.text), c.header.align))
        .collect();
    let rows: Vec<(RowRole, Vec<(String, Align)>)> = t
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .map(|c| {
                    let strong = matches!(r.role, RowRole::Total | RowRole::Subtotal)
                        || c.role == CellRole::Total;
                    let text = run(
                        &c.text,
                        RunStyle {
                            bold: strong,
                            italic: r.role == RowRole::Memo,
                            ..RunStyle::default()
                        },
                    );
                    (text, c.align)
                })
                .collect();
            (r.role, cells)
        })
        .collect();
    word_table(w, &head, &rows, t.wide);
    for note in &t.notes {
        w.para("TableNote", "", &plain(note));
    }
}

/// A Word table: the header row repeats on every page, no row splits
/// across pages, total rows are set off by rules.
fn word_table(
    w: &mut Writer,
    head: &[(String, Align)],
    rows: &[(RowRole, Vec<(String, Align)>)],
    wide: bool,
) {
    let (style, text, heading) = if wide {
        ("BusinessCaseTableWide", "TableTextWide", "TableHeadingWide")
    } else {
        ("BusinessCaseTable", "TableText", "TableHeading")
    };
    let _ = write!(
        w.body,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"{style}\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>\
         <w:tblLayout w:type=\"autofit\"/>\
         <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>\
         </w:tblPr><w:tblGrid>"
    );
    for _ in head {
        w.body.push_str("<w:gridCol/>");
    }
    w.body
        .push_str("</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (text, align) in head {
        let _ = write!(
            w.body,
            "<w:tc><w:tcPr><w:vAlign w:val=\"bottom\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"{heading}\"/>{}</w:pPr>{text}</w:p></w:tc>",
            jc(*align)
        );
    }
    w.body.push_str("</w:tr>");
    for (role, cells) in rows {
        w.body.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let borders = match role {
            RowRole::Total => {
                "<w:tcBorders><w:top w:val=\"single\" w:sz=\"12\" w:space=\"0\" w:color=\"0B0C0C\"/>\
                 <w:bottom w:val=\"double\" w:sz=\"6\" w:space=\"0\" w:color=\"0B0C0C\"/></w:tcBorders>"
            }
            RowRole::Subtotal => {
                "<w:tcBorders><w:top w:val=\"single\" w:sz=\"12\" w:space=\"0\" w:color=\"0B0C0C\"/></w:tcBorders>"
            }
            RowRole::Body | RowRole::Memo => "",
        };
        for (cell, align) in cells {
            let _ = write!(
                w.body,
                "<w:tc><w:tcPr>{borders}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{}</w:pPr>{cell}</w:p></w:tc>",
                jc(*align),
                style = text
            );
        }
        w.body.push_str("</w:tr>");
    }
    w.body.push_str("</w:tbl>");
}

fn figure(w: &mut Writer, f: &Figure) -> Result<(), DocxError> {
    let picture = raster::png(&chart::svg(&f.chart))?;
    w.pictures.push(picture.png);
    let n = w.pictures.len();
    // 6.3 inches fits the text width of A4 with these margins.
    let max_px: u32 = 605;
    let (wpx, hpx) = if picture.width_px > max_px {
        (max_px, picture.height_px * max_px / picture.width_px.max(1))
    } else {
        (picture.width_px, picture.height_px)
    };
    let (cx, cy) = (wpx * raster::EMU_PER_PX, hpx * raster::EMU_PER_PX);
    let alt = esc(&f.alt);
    let name = esc(&f.label());
    let drawing = format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
         <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
         <wp:docPr id=\"{n}\" name=\"{name}\" descr=\"{alt}\"/>\
         <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"figure{n}.png\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr>\
         <pic:blipFill><a:blip r:embed=\"rIdImage{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
         <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
         </a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    );
    let mark = w.bookmark(&f.id());
    w.para(
        "FigurePicture",
        "<w:keepNext/>",
        &format!("{mark}{drawing}"),
    );
    w.para(
        "Caption",
        "",
        &plain(&format!("{}: {}", f.label(), f.caption)),
    );
    Ok(())
}

/// numbering.xml: one abstract list for bullets, one for numbers, and an
/// instance per list so each numbered list starts where the document says.
fn numbering(lists: &[List]) -> String {
    let mut out = format!("{XML_HEAD}<w:numbering {NS}>");
    for (id, ordered) in [(1, false), (2, true)] {
        let _ = write!(
            out,
            "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
        );
        for lvl in 0..9u32 {
            let ind = 360 * (lvl + 1);
            let (fmt, text) = if ordered {
                ("decimal", format!("%{}.", lvl + 1))
            } else {
                (
                    "bullet",
                    if lvl % 2 == 0 {
                        "\u{2022}".into()
                    } else {
                        "\u{2013}".into()
                    },
                )
            };
            let _ = write!(
                out,
                "<w:lvl w:ilvl=\"{lvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/>\
                 <w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{ind}\" w:hanging=\"360\"/></w:pPr></w:lvl>"
            );
        }
        out.push_str("</w:abstractNum>");
    }
    for (i, l) in lists.iter().enumerate() {
        let abs = if l.ordered { 2 } else { 1 };
        let _ = write!(
            out,
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{abs}\"/>",
            i + 1
        );
        if l.ordered {
            let _ = write!(
                out,
                "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{}\"/></w:lvlOverride>",
                l.start.min(u64::from(u32::MAX))
            );
        }
        out.push_str("</w:num>");
    }
    out.push_str("</w:numbering>");
    out
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>fivecase</Application></Properties>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

/// The styles: Word's built-in names, so a template's styles replace them.
const STYLES: &str = include_str!("styles.xml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmark_names_are_words_of_at_most_40_characters() {
        assert_eq!(bookmark_name("economic-case"), "beconomic_case");
        assert_eq!(bookmark_name(&"x".repeat(60)).len(), 40);
    }

    #[test]
    fn runs_escape_and_keep_line_breaks() {
        assert_eq!(
            plain("a<b\nc"),
            "<w:r><w:rPr></w:rPr><w:t xml:space=\"preserve\">a&lt;b</w:t></w:r>\
             <w:r><w:rPr></w:rPr><w:br/></w:r>\
             <w:r><w:rPr></w:rPr><w:t xml:space=\"preserve\">c</w:t></w:r>"
        );
        assert_eq!(esc("\u{1}ok\u{7}"), "ok");
    }
}
