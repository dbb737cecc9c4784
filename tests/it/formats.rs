//! The business case as HTML and Word beside the PDF: the three formats
//! agree table by table with the `Document` they were made from; every
//! figure in the HTML carries its sources; same inputs give the same bytes;
//! the HTML passes axe-core (WCAG 2.2 AA) and html-validate in headless
//! Chromium and reflows at 320 CSS pixels; the .docx opens in LibreOffice
//! Writer and renders every section, table and chart.
//!
//! The checks that need an outside tool (Chromium, node and the npm
//! packages of package.json, LibreOffice Writer, poppler) skip with a
//! message on a developer's machine without them and fail under CI.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use fivecase::document::{self, Block, Document};
use fivecase::testkit;
use fivecase::{compute, ingest};

const STEM: &str = "eastern-region-business-support-collaboration-illustrative-obc-v0.3";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample")
}

/// The sample built once in all three formats, into a scratch folder.
fn outputs() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| build_into("all"))
}

/// A copy of the sample case in a scratch folder, built in all three
/// formats (asked for out of order); returns the folder.
fn build_into(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fivecase-formats-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("narrative")).unwrap();
    for file in ["case.toml", "workbook.xlsx"] {
        fs::copy(sample().join(file), dir.join(file)).unwrap();
    }
    for entry in fs::read_dir(sample().join("narrative")).unwrap() {
        let p = entry.unwrap().path();
        fs::copy(&p, dir.join("narrative").join(p.file_name().unwrap())).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_fivecase"))
        .args(["build", dir.to_str().unwrap(), "--format", "docx,html,pdf"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // In Format order, whatever order they were asked in.
    let order: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.rsplit('.').next())
        .collect();
    assert_eq!(order, ["pdf", "html", "docx"], "{stdout}");
    dir
}

fn out(ext: &str) -> PathBuf {
    outputs().join(format!("{STEM}.{ext}"))
}

/// The Document the build made, built again in process.
fn doc() -> Document {
    let loaded = ingest::load(&sample()).unwrap_or_else(|d| panic!("{d:?}"));
    // As `build` does: the engine once, with the quantified risk analysis.
    let computed = compute::run_case_with_risk(&loaded.case).unwrap();
    let scenarios = (!loaded.case.meta.scenarios.is_empty()).then(|| (&computed).into());
    document::build_with_risk(
        &loaded.case,
        computed.results(),
        scenarios,
        computed.risk.as_ref(),
        loaded.case.meta.date.unwrap(),
    )
}

/// A table as its display strings: the header row, then each row.
type Grid = Vec<Vec<String>>;

/// Every table of the document in order: numbered tables as their display
/// strings, narrative (text) tables as `None`.
fn expected_tables(doc: &Document) -> Vec<(String, Option<Grid>)> {
    let mut out = Vec::new();
    for s in doc.sections() {
        for b in &s.blocks {
            match b {
                Block::Table(t) => {
                    let mut grid = vec![t.columns.iter().map(|c| c.header.text.clone()).collect()];
                    grid.extend(
                        t.rows
                            .iter()
                            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect()),
                    );
                    out.push((t.label(), Some(grid)));
                }
                Block::TextTable { .. } => out.push(("text table".into(), None)),
                _ => {}
            }
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// The pieces of `text` between each `open` and the next `close`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

/// The numbered tables of the HTML, by id, as display strings.
fn html_tables(html: &str) -> Vec<(String, Grid)> {
    between(html, "<table id=\"table-", "</table>")
        .into_iter()
        .map(|t| {
            let id = format!("Table {}", &t[..t.find('"').unwrap()]);
            let grid = between(t, "<tr", "</tr>")
                .into_iter()
                .map(|row| {
                    // Each cell: from `<th` or `<td` to its end tag.
                    let mut cells = Vec::new();
                    let mut rest = row;
                    while let Some(i) = rest.find("<t") {
                        let tag = &rest[i + 1..i + 3];
                        let after = &rest[i..];
                        let open_end = after.find('>').unwrap() + 1;
                        let close = format!("</{tag}>");
                        let end = after.find(&close).unwrap();
                        cells.push(strip_tags(&after[open_end..end]));
                        rest = &after[end + close.len()..];
                    }
                    cells
                })
                .collect();
            (id, grid)
        })
        .collect()
}

fn docx_part(path: &Path, name: &str) -> String {
    let bytes = fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Every table of the Word document in order, as display strings.
fn docx_tables(xml: &str) -> Vec<Grid> {
    between(xml, "<w:tbl>", "</w:tbl>")
        .into_iter()
        .map(|t| {
            between(t, "<w:tr>", "</w:tr>")
                .into_iter()
                .map(|row| {
                    between(row, "<w:tc>", "</w:tc>")
                        .into_iter()
                        .map(|cell| {
                            between(cell, "<w:t xml:space=\"preserve\">", "</w:t>")
                                .into_iter()
                                .map(unescape)
                                .collect::<String>()
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn html_and_word_agree_with_the_document_table_by_table() {
    let doc = doc();
    let expected = expected_tables(&doc);
    let numbered: Vec<(String, Grid)> = expected
        .iter()
        .filter_map(|(l, g)| g.clone().map(|g| (l.clone(), g)))
        .collect();
    assert!(numbered.len() > 20, "the sample has many tables");

    let html = fs::read_to_string(out("html")).unwrap();
    let in_html = html_tables(&html);
    assert_eq!(in_html.len(), numbered.len());
    for ((label, want), (got_label, got)) in numbered.iter().zip(&in_html) {
        assert_eq!(label, got_label);
        assert_eq!(want, got, "{label} in the HTML");
    }

    let xml = docx_part(&out("docx"), "word/document.xml");
    let in_docx = docx_tables(&xml);
    assert_eq!(
        in_docx.len(),
        expected.len(),
        "every table, numbered or not"
    );
    for ((label, want), got) in expected.iter().zip(&in_docx) {
        if let Some(want) = want {
            assert_eq!(want, got, "{label} in the Word document");
        }
    }
}

#[test]
fn the_pdf_shows_every_figure_of_every_table() {
    let Some(pages) = testkit::pdf_text(&out("pdf"), "-layout") else {
        return;
    };
    let text = pages.join("\n");
    let doc = doc();
    for t in doc.tables() {
        assert!(text.contains(&t.label()), "{}", t.label());
        for row in &t.rows {
            for c in row.cells.iter().filter(|c| c.value.is_some()) {
                assert!(
                    text.contains(&c.text),
                    "{}: {:?} is not in the PDF's text",
                    t.label(),
                    c.text
                );
            }
        }
    }
}

#[test]
fn every_figure_in_the_html_carries_its_sources() {
    let html = fs::read_to_string(out("html")).unwrap();
    let doc = doc();
    let mut figures = 0;
    for (t, (_, grid)) in doc.tables().zip(html_tables(&html)) {
        assert_eq!(grid.len(), t.rows.len() + 1);
        let cells = || t.rows.iter().flat_map(|r| &r.cells);
        if t.sources.is_empty()
            && cells().all(|c| c.provenance.ranges.is_empty() && c.provenance.definition.is_none())
        {
            // Nothing to trace (the source map itself): no Sources list.
            assert!(cells().all(|c| c.value.is_none()), "{}", t.label());
            continue;
        }
        let section = between(&html, &format!("<table id=\"{}\">", t.id()), "</details>")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{} has no Sources list", t.label()));
        assert!(section.contains(&format!("<summary>Sources for {}</summary>", t.label())));
        for range in &t.sources {
            assert!(section.contains(&range.replace('&', "&amp;")), "{range}");
        }
        for row in &t.rows {
            for c in row.cells.iter().filter(|c| c.value.is_some()) {
                figures += 1;
                let title = fivecase::render::html::provenance_title(&c.provenance);
                assert!(
                    !c.provenance.ranges.is_empty() || c.provenance.definition.is_some(),
                    "{}: {:?} has no provenance in the document",
                    t.label(),
                    c.text
                );
                let attr = unescape_attr_needle(&title);
                assert!(
                    section.contains(&format!(" title=\"{attr}\">{}<", html_text(&c.text))),
                    "{}: {:?} does not carry {title:?}",
                    t.label(),
                    c.text
                );
            }
        }
    }
    assert!(figures > 300, "{figures} figures");
}

fn unescape_attr_needle(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn the_html_is_one_accessible_file_that_asks_for_nothing() {
    let html = fs::read_to_string(out("html")).unwrap();
    let doc = doc();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("<a class=\"skip-link\" href=\"#main\">"));
    assert!(html.contains("<main id=\"main\">"));
    assert!(html.contains("<nav class=\"contents\""));
    for bad in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "src=",
        "@import",
        "url(h",
        "url(\"",
        "url('",
        "@font-face",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    // Every numbered table: a caption, a head, column headers with scope.
    for t in doc.tables() {
        let table = between(&html, &format!("<table id=\"{}\">", t.id()), "</table>")[0];
        assert!(table.starts_with("\n<caption"), "{}", t.label());
        assert!(
            table.contains("<thead><tr><th scope=\"col\""),
            "{}",
            t.label()
        );
    }
    // Ids are unique, the charts' hatching patterns included.
    let mut ids: Vec<&str> = between(&html, " id=\"", "\"");
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "a duplicate id");
    // Totals are marked.
    assert!(html.contains("<tr class=\"total\">"));
    // Every chart: a figure with a caption, an image with its alt text, and its data.
    let figures: Vec<_> = doc.figures().collect();
    assert!(!figures.is_empty());
    for f in figures {
        let fig = between(&html, &format!("<figure id=\"{}\"", f.id()), "</figure>")[0];
        assert!(fig.contains("<figcaption"), "{}", f.label());
        assert!(
            fig.contains(&format!(
                "<svg role=\"img\" aria-label=\"{}\"",
                unescape_attr_needle(&f.alt)
            )),
            "{}",
            f.label()
        );
        assert!(
            fig.contains(&format!(
                "<details class=\"chart-data\">\n<summary>Data for {}</summary>",
                f.label()
            )),
            "{}",
            f.label()
        );
    }
    // The marking in print, at the top and bottom of every page.
    assert!(html.contains(&format!("@top-center {{ content: \"{}\"", doc.meta.marking)));
    assert!(html.contains(&format!(
        "@bottom-center {{ content: \"{} ",
        doc.meta.marking
    )));
}

#[test]
fn the_word_document_has_real_styles_repeating_headers_and_no_clock() {
    let path = out("docx");
    let xml = docx_part(&path, "word/document.xml");
    let styles = docx_part(&path, "word/styles.xml");
    let doc = doc();
    for name in [
        "Title",
        "heading 1",
        "heading 2",
        "heading 3",
        "caption",
        "List Bullet",
        "List Number",
        "Business case table",
    ] {
        assert!(
            styles.contains(&format!("<w:name w:val=\"{name}\"/>")),
            "{name}"
        );
    }
    let tables = between(&xml, "<w:tbl>", "</w:tbl>").len();
    assert_eq!(xml.matches("<w:tblHeader/>").count(), tables);
    assert!(xml.contains("<w:pStyle w:val=\"Heading1\"/>"));
    assert!(xml.contains("<w:pStyle w:val=\"Caption\"/>"));
    for f in doc.figures() {
        assert!(
            xml.contains(&format!(
                "name=\"{}\" descr=\"{}\"",
                f.label(),
                unescape_attr_needle(&f.alt)
            )),
            "{} has no alt text",
            f.label()
        );
    }
    for part in ["word/header1.xml", "word/footer1.xml"] {
        assert!(docx_part(&path, part).contains(&format!(">{}</w:t>", doc.meta.marking)));
    }
    assert!(docx_part(&path, "word/footer1.xml").contains(" PAGE "));
    // Wide tables on landscape pages; the document ends on portrait ones.
    assert!(doc.tables().any(|t| t.wide));
    assert!(xml.contains("w:orient=\"landscape\""));
    assert!(xml.ends_with("<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1304\" w:right=\"1134\" w:bottom=\"1304\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"));
    let core = docx_part(&path, "docProps/core.xml");
    assert!(!core.contains("dcterms:created") && !core.contains("dcterms:modified"));
    // Every zip entry carries the same fixed time.
    let bytes = fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut pictures = 0;
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        assert_eq!(
            f.last_modified(),
            Some(zip::DateTime::default()),
            "{:?}",
            f.name()
        );
        if f.name().unwrap().ends_with(".png") {
            pictures += 1;
        }
    }
    assert_eq!(pictures, doc.figures().count());
}

#[test]
fn same_inputs_give_the_same_html_and_word_bytes() {
    let again = build_into("again");
    for ext in ["html", "docx"] {
        let a = fs::read(out(ext)).unwrap();
        let b = fs::read(again.join(format!("{STEM}.{ext}"))).unwrap();
        assert!(a == b, "{ext} differs between two builds");
    }
    fs::remove_dir_all(&again).unwrap();
}

#[test]
fn the_word_document_renders_every_section_table_and_chart_in_libreoffice() {
    if !testkit::tool(
        "soffice",
        "libreoffice-writer-nogui",
        "opening the Word document",
    ) {
        return;
    }
    let dir = outputs().join("writer");
    let profile = outputs().join("writer-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&dir)
        .arg(out("docx"))
        .output()
        .unwrap();
    let pdf = dir.join(format!("{STEM}.pdf"));
    if !pdf.is_file() {
        // Calc alone cannot open a .docx: Writer is missing.
        testkit::skip(&format!(
            "LibreOffice could not convert the Word document (apt-get install libreoffice-writer-nogui): {}",
            String::from_utf8_lossy(&status.stderr)
        ));
        return;
    }
    let Some(pages) = testkit::pdf_text(&pdf, "-raw") else {
        return;
    };
    let text = pages.join("\n");
    let doc = doc();
    for s in doc.sections() {
        assert!(text.contains(&s.title), "section {:?}", s.title);
    }
    for t in doc.tables() {
        assert!(text.contains(&format!("{}: ", t.label())), "{}", t.label());
    }
    for f in doc.figures() {
        assert!(text.contains(&format!("{}: ", f.label())), "{}", f.label());
    }
    // The marking and a page number on every page.
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(&doc.meta.marking), "page {}", i + 1);
        assert!(
            page.contains(&format!("page {} of {n}", i + 1)),
            "page {}",
            i + 1
        );
    }
    // Every chart is drawn as a picture.
    let images = Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&images.stdout);
    let pictures = listed
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count();
    assert_eq!(pictures, doc.figures().count(), "{listed}");
}

#[test]
fn the_html_in_chromium_passes_axe_and_html_validate_and_reflows_at_320px() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !testkit::tool("chromium", "chromium", "the HTML in a browser")
        || !testkit::tool("node", "nodejs", "the HTML in a browser")
    {
        return;
    }
    if !root.join("node_modules/axe-core").is_dir() {
        testkit::skip("node_modules is missing: skipped the HTML in a browser (npm ci)");
        return;
    }
    let html = out("html");
    let shots = outputs().join("browser");
    fs::create_dir_all(&shots).unwrap();
    let run = Command::new("node")
        .arg(root.join("tests/browser/check.mjs"))
        .arg(&html)
        .arg(&shots)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["axe"], serde_json::json!([]), "axe-core violations");
    assert_eq!(
        report["requests"],
        serde_json::json!([]),
        "requests outside the file"
    );
    let width = report["scrollWidth"].as_u64().unwrap();
    assert!(width <= 320, "the page scrolls sideways at 320px: {width}");
    // The DOM's tables, as a reader's browser has them, are the Document's.
    let doc = doc();
    let tables = report["tables"].as_array().unwrap();
    assert_eq!(tables.len(), doc.tables().count());
    for (t, dom) in doc.tables().zip(tables) {
        assert_eq!(dom["id"], t.id());
        let head: Vec<String> = t.columns.iter().map(|c| c.header.text.clone()).collect();
        assert_eq!(dom["head"], serde_json::json!(head), "{}", t.label());
        let rows: Grid = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect();
        assert_eq!(dom["rows"], serde_json::json!(rows), "{}", t.label());
        assert_eq!(
            dom["titled"],
            true,
            "{}: a figure without its sources",
            t.label()
        );
    }
    for shot in ["desktop.png", "narrow.png", "print.pdf"] {
        assert!(shots.join(shot).is_file(), "{shot}");
    }

    let validate = Command::new(root.join("node_modules/.bin/html-validate"))
        .arg("--config")
        .arg(root.join(".htmlvalidate.json"))
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        validate.status.success(),
        "html-validate:\n{}{}",
        String::from_utf8_lossy(&validate.stdout),
        String::from_utf8_lossy(&validate.stderr)
    );
}

#[test]
fn output_names_one_file_and_only_with_one_format() {
    let dir = std::env::temp_dir().join(format!("fivecase-formats-{}-o", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let target = dir.join("case.html");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_fivecase"))
            .arg("build")
            .arg(sample())
            .args(args)
            .output()
            .unwrap()
    };
    let several = run(&["--format", "pdf,html", "-o", target.to_str().unwrap()]);
    assert_eq!(several.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&several.stderr).contains("-o/--output names one file"),
        "{}",
        String::from_utf8_lossy(&several.stderr)
    );
    assert!(!target.exists());
    let unknown = run(&["--format", "odt"]);
    assert_eq!(unknown.status.code(), Some(2));
    let one = run(&["--format", "html", "-o", target.to_str().unwrap()]);
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&one.stdout),
        format!("wrote {}\n", target.display())
    );
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    // Only the file asked for: nothing beside the sample.
    assert!(!sample().join(format!("{STEM}.html")).exists());
    fs::remove_dir_all(&dir).unwrap();
}
