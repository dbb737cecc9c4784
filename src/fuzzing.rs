//! The bodies of the fuzz targets in `fuzz/`, compiled into the library so
//! that the normal test suite replays every committed corpus and crash input
//! through exactly the code the fuzzer ran (`tests/it/fuzz_replay.rs`).
//!
//! Each function takes the fuzzer's bytes and runs them through the public
//! pipeline as a command would: ingest, then (when `check` would accept the
//! case) compute, scenarios, the risk analysis, the document and every
//! exporter short of typesetting. A function returns normally whatever the
//! input, as long as fivecase keeps its promises; it panics, which the fuzzer
//! reports as a crash, when an input makes fivecase panic, or when a case
//! `check` accepts fails later with an error that names no cell or line (an
//! overflow in the engine, an exporter's refusal).
//!
//! Inputs that reach ingest are written to a scratch folder per thread (on
//! tmpfs where there is one) and read through [`ingest::load`], so the file
//! checks are the real ones. The XML targets zip the fuzzed XML into an
//! otherwise valid workbook with fixed zip times, so the fuzzer's bytes are not
//! spent on checksums. docs/reliability.md records the runs.

use std::cell::RefCell;
use std::io::{Cursor, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::compute::{self, Computed};
use crate::diag::{Diagnostics, Location};
use crate::document;
use crate::ingest::{self, Loaded, casefile};
use crate::model::{Case, Iterations, NarrativePart};
use crate::render::{docx, html, json, pdf, terminal, xlsx};
use crate::sample;

/// Iterations of the risk analysis a harness runs at most: the analysis's
/// arithmetic is the same at 64 as at a million, and its time is bounded by
/// the limits on iterations, not here.
pub const RISK_ITERATIONS: u32 = 64;

/// The date a document is built with (`build --date`).
fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 16).unwrap_or_default()
}

/// The sample case's file `path` (`sample::FILES`).
fn sample_file(path: &str) -> &'static [u8] {
    sample::FILES
        .iter()
        .find(|f| f.path == path)
        .map_or(&[][..], |f| f.bytes)
}

/// Every entry of the sample workbook, in its order, expanded once.
fn sample_entries() -> &'static [(String, Vec<u8>)] {
    static ENTRIES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let bytes = sample_file("workbook.xlsx");
        let mut zip =
            zip::ZipArchive::new(Cursor::new(bytes)).expect("the sample workbook is a zip");
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).expect("the sample workbook's entries read");
                let mut data = Vec::new();
                entry
                    .read_to_end(&mut data)
                    .expect("the sample workbook's entries expand");
                let name = entry
                    .name()
                    .expect("the sample workbook's entry names are UTF-8")
                    .to_string();
                (name, data)
            })
            .collect()
    })
}

/// The sample workbook's worksheet entries (`xl/worksheets/sheetN.xml`), in order.
pub fn sheet_names() -> Vec<&'static str> {
    sample_entries()
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|n| n.starts_with("xl/worksheets/"))
        .collect()
}

/// The sample workbook with the entries of `replace` swapped in, zipped
/// with fixed times and no compression, so the same entries give the same
/// bytes.
///
/// # Panics
/// Only if writing a zip to memory fails, which it cannot.
pub fn workbook_with(replace: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, data) in sample_entries() {
        let data = replace
            .iter()
            .find(|(n, _)| n == name)
            .map_or(data.as_slice(), |(_, d)| *d);
        out.start_file(name.as_str(), options)
            .expect("zip in memory");
        out.write_all(data).expect("zip in memory");
    }
    out.finish().expect("zip in memory").into_inner()
}

/// A case folder of this thread's own, removed when the thread ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Writes a case (case.toml, the workbook and the sample narrative) into
/// this thread's scratch folder and loads it as `check` does.
fn load_case(case_toml: &[u8], workbook: &[u8]) -> Result<Loaded, Diagnostics> {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let dir = &s
            .get_or_insert_with(|| {
                static NEXT: std::sync::atomic::AtomicUsize =
                    std::sync::atomic::AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let shm = Path::new("/dev/shm");
                let root = if shm.is_dir() {
                    shm.to_path_buf()
                } else {
                    std::env::temp_dir()
                };
                let dir = root.join(format!("fivecase-fuzz-{}-{n}", std::process::id()));
                let narrative = dir.join("narrative");
                std::fs::create_dir_all(&narrative).expect("a scratch folder");
                for part in NarrativePart::ALL {
                    let path = format!("narrative/{}", part.file_name());
                    std::fs::write(dir.join(&path), sample_file(&path)).expect("a scratch file");
                }
                Scratch(dir)
            })
            .0;
        std::fs::write(dir.join("case.toml"), case_toml).expect("a scratch file");
        std::fs::write(dir.join("workbook.xlsx"), workbook).expect("a scratch file");
        ingest::load(dir)
    })
}

/// Every diagnostic names its file and says something.
fn assert_reported(diags: &Diagnostics) {
    for d in diags.sorted() {
        assert!(!d.file.is_empty(), "a diagnostic without a file: {d:?}");
        assert!(
            !d.message.trim().is_empty(),
            "a diagnostic without a message: {d:?}"
        );
        if let Location::Text { line, col } = d.location {
            assert!(line >= 1 && col >= 1, "a position before the start: {d:?}");
        }
        let _ = d.to_string();
    }
}

/// What a case `check` accepted must go through every later command: the
/// engine (base, scenarios, the risk analysis), the document and every
/// exporter short of typesetting. A scenario that cannot be applied is
/// reported at its line of case.toml, so it may stop the run; anything else
/// that fails is a broken promise.
fn after_check(mut loaded: Loaded) {
    if let Some(settings) = loaded.case.meta.risk_analysis.as_mut() {
        settings.iterations = match settings.iterations {
            Iterations::Fixed(n) => Iterations::Fixed(n.min(RISK_ITERATIONS)),
            Iterations::Auto => Iterations::Fixed(RISK_ITERATIONS),
        };
    }
    let case = &loaded.case;
    let _ = crate::cmd::check::summary(&loaded);
    let computed = match compute::run_case_with_risk(case) {
        Ok(c) => c,
        Err(e) => {
            let shown = e.to_string();
            match crate::cmd::scenarios::run_error(&loaded, Path::new("case"), e) {
                // `check` runs the engine too and reports this at its place.
                crate::cmd::CmdError::Invalid(_) => return,
                _ => panic!(
                    "check accepted the case, then the engine failed without a location: {shown}"
                ),
            }
        }
    };
    outputs(case, &computed);
}

/// Every output of a computed case but the typeset PDF.
fn outputs(case: &Case, computed: &Computed) {
    let results = computed.results();
    let _ = terminal::render(case, results);
    let _ = json::render(case, results);
    if let Some(risk) = &computed.risk {
        let _ = json::render_risk(case, results, risk);
    }
    let scenarios = (!case.meta.scenarios.is_empty()).then(|| computed.into());
    let doc = document::build_with_risk(case, results, scenarios, computed.risk.as_ref(), date());
    document_outputs(&doc);
    if let Err(e) =
        xlsx::model_workbook_with_risk(case, results, &computed.scenarios, computed.risk.as_ref())
    {
        panic!("check accepted the case, then export failed without a location: {e}");
    }
}

/// The document's exporters short of typesetting: the typst source's tree
/// and JSON, HTML, Word.
fn document_outputs(doc: &document::Document) {
    if let Err(e) = pdf::to_json(&pdf::encode::encode(doc)) {
        panic!("the PDF's input could not be encoded: {e}");
    }
    let _ = html::render(doc);
    if let Err(e) = docx::render(doc) {
        panic!("the Word document could not be written: {e}");
    }
}

/// case.toml text → ingest's case.toml reader.
pub fn case_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match casefile::parse("case.toml", text, "workbook") {
        Ok((_, diags)) | Err(diags) => assert_reported(&diags),
    }
}

/// portfolio.toml text → the portfolio file's reader.
pub fn portfolio_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match crate::portfolio::file::parse("portfolio.toml", text, "programme") {
        Ok((_, diags)) | Err(diags) => assert_reported(&diags),
    }
}

/// The sample case, loaded and computed once, for the narrative target.
fn sample_computed() -> &'static (Case, Computed) {
    static SAMPLE: OnceLock<(Case, Computed)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let mut loaded = load_case(sample_file("case.toml"), sample_file("workbook.xlsx"))
            .expect("the sample case loads");
        loaded.case.meta.risk_analysis = None;
        let computed = compute::run_case(&loaded.case).expect("the sample case computes");
        (loaded.case, computed)
    })
}

/// Narrative Markdown → the document model → the typst tree, HTML and Word.
///
/// The first byte chooses the narrative part; the rest is its text. The
/// sample case's figures do not depend on the narrative, so they are
/// computed once, and the Word export leaves the charts out.
pub fn narrative(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if rest.len() as u64 > ingest::MAX_NARRATIVE_BYTES {
        return;
    }
    let (case, computed) = sample_computed();
    let part = NarrativePart::ALL[usize::from(first) % NarrativePart::ALL.len()];
    let mut case = case.clone();
    case.narrative.parts.insert(part, text.to_string());
    let mut doc = document::build(&case, computed.results(), Some(computed.into()), date());
    // The charts do not come from the narrative, and rasterising them for
    // Word is nearly all of a run's time: the structured targets draw them.
    for p in &mut doc.parts {
        if let document::Part::Section(s) = p {
            s.blocks
                .retain(|b| !matches!(b, document::Block::Figure(_)));
        }
    }
    document_outputs(&doc);
}

/// Raw workbook bytes → ingest (the zip checks, calamine, the sheets), and
/// when the case is accepted, every later command.
pub fn workbook_bytes(data: &[u8]) {
    match load_case(sample_file("case.toml"), data) {
        Ok(loaded) => after_check(loaded),
        Err(diags) => assert_reported(&diags),
    }
}

/// One worksheet's XML → ingest, zipped into the sample workbook in place
/// of the sheet the first byte chooses; when the case is accepted, every
/// later command.
pub fn sheet_xml(data: &[u8]) {
    let Some((&first, xml)) = data.split_first() else {
        return;
    };
    let sheets = sheet_names();
    let sheet = sheets[usize::from(first) % sheets.len()];
    let workbook = workbook_with(&[(sheet, xml)]);
    match load_case(sample_file("case.toml"), &workbook) {
        Ok(loaded) => after_check(loaded),
        Err(diags) => assert_reported(&diags),
    }
}

/// A place in a text where a number stands: its byte range.
type Slot = std::ops::Range<usize>;

/// The numbers of the sample case.toml: every value after `=` or inside a
/// list that reads as a number, outside quotes and comments.
fn toml_slots(text: &str) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut in_string = false;
        let mut after_eq = false;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' {
                in_string = !in_string;
            } else if !in_string && b == b'#' {
                break;
            } else if !in_string && b == b'=' {
                after_eq = true;
            } else if !in_string
                && after_eq
                && (b.is_ascii_digit() || b == b'-')
                && (i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b','))
            {
                let start = i;
                while i < bytes.len()
                    && matches!(
                        bytes[i],
                        b'0'..=b'9' | b'.' | b'-' | b'e' | b'E' | b'+' | b'_'
                    )
                {
                    i += 1;
                }
                let token = &line[start..i];
                // Dates (2026-11-16) are quoted in case.toml; a bare token with
                // two dashes after its first digit is not a number either.
                if token.bytes().filter(|&c| c == b'-').count() < 2 {
                    slots.push(offset + start..offset + i);
                }
                continue;
            }
            i += 1;
        }
        offset += line.len();
    }
    slots
}

/// The column letters of a cell reference (`AB12` → `AB`).
fn column_of(reference: &str) -> &str {
    let end = reference
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(reference.len());
    &reference[..end]
}

/// A numeric cell of a sheet's XML: where its value stands, and its column.
#[derive(Debug, Clone)]
struct CellSlot {
    value: Slot,
    column: String,
}

/// Every cell of `xml` written as a number (no `t` attribute) with its
/// value's range, and every shared-string cell as (column, string index).
fn sheet_cells(xml: &str) -> (Vec<CellSlot>, Vec<(String, usize)>) {
    let mut numbers = Vec::new();
    let mut strings = Vec::new();
    let mut rest = 0;
    while let Some(found) = xml[rest..].find("<c r=\"") {
        let start = rest + found;
        let Some(head_end) = xml[start..].find('>').map(|e| start + e) else {
            break;
        };
        let head = &xml[start..head_end];
        let reference = head[6..].split('"').next().unwrap_or("");
        let column = column_of(reference).to_string();
        rest = head_end;
        if head.ends_with('/') {
            continue;
        }
        let Some(v) = xml[head_end..].find("<v>").map(|v| head_end + v + 3) else {
            continue;
        };
        let Some(v_end) = xml[v..].find("</v>").map(|e| v + e) else {
            continue;
        };
        if xml[head_end..v].contains("</c>") {
            continue;
        }
        if head.contains(" t=\"s\"") {
            if let Ok(i) = xml[v..v_end].parse() {
                strings.push((column, i));
            }
        } else if !head.contains(" t=\"") {
            numbers.push(CellSlot {
                value: v..v_end,
                column,
            });
        }
        rest = v_end;
    }
    (numbers, strings)
}

/// The sample workbook's shared strings, in order (plain `<t>` runs).
fn shared_strings() -> Vec<String> {
    let Some((_, xml)) = sample_entries()
        .iter()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
    else {
        return Vec::new();
    };
    let xml = String::from_utf8_lossy(xml);
    xml.split("<si>")
        .skip(1)
        .map(|si| {
            si.split("<t")
                .skip(1)
                .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
                .map(|t| t.split("</t>").next().unwrap_or(""))
                .collect::<String>()
        })
        .collect()
}

/// The sample case with a place for every number: case.toml's and each
/// sheet's, the sheets' marked where their column is a range, an impact or
/// a probability (the risk analysis's inputs).
struct Template {
    toml: String,
    toml_slots: Vec<Slot>,
    sheets: Vec<SheetTemplate>,
}

/// A worksheet entry's name, its XML and its numeric cells, each marked
/// when it is one of the risk analysis's inputs.
type SheetTemplate = (&'static str, String, Vec<(CellSlot, bool)>);

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let toml = String::from_utf8_lossy(sample_file("case.toml")).into_owned();
        let toml_slots = toml_slots(&toml);
        let strings = shared_strings();
        let sheets = sheet_names()
            .into_iter()
            .map(|name| {
                let xml = sample_entries()
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, x)| String::from_utf8_lossy(x).into_owned())
                    .unwrap_or_default();
                let (numbers, texts) = sheet_cells(&xml);
                let risky: Vec<&str> = texts
                    .iter()
                    .filter(|(_, i)| {
                        strings.get(*i).is_some_and(|s| {
                            let s = s.to_lowercase();
                            s.contains("range") || s.contains("impact") || s.contains("probab")
                        })
                    })
                    .map(|(c, _)| c.as_str())
                    .collect();
                let slots = numbers
                    .into_iter()
                    .map(|c| {
                        let risk = risky.contains(&c.column.as_str());
                        (c, risk)
                    })
                    .collect();
                (name, xml, slots)
            })
            .collect();
        Template {
            toml,
            toml_slots,
            sheets,
        }
    })
}

/// Values the fuzzer's bytes choose for one number: kept mostly, else an
/// edge (zero, signs, the limits of exact decimals and of f64, fractions
/// typed as percentages) or a number built from the bytes.
struct Values<'a> {
    data: &'a [u8],
}

const EDGES: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "0.5",
    "-0.5",
    "0.85",
    "85",
    "100",
    "5.0000001",
    "-0.0000001",
    "0.000000000000000000000000001",
    "999999999999999",
    "-999999999999999",
    "1000000000000",
    "1E12",
    "1E15",
    "1E20",
    "1E27",
    "7.92E26",
    "-7.92E26",
    "7.9228162514264337593543950335E28",
    "1E29",
    "-1E29",
    "1E308",
    "-1E308",
    "1.7976931348623157E308",
    "4.9E-324",
    "1E-300",
    "2147483647",
    "4294967296",
    "18446744073709551616",
    "200",
    "1000001",
    "NaN",
    "inf",
    "-inf",
    "",
    " ",
    "-",
    "1e3",
    "0x10",
    "12,5",
    "2026",
    "1979",
    "9999",
];

impl Values<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.data.split_first()?;
        self.data = rest;
        Some(b)
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        for b in &mut out {
            *b = self.byte().unwrap_or(0);
        }
        out
    }

    /// The text to put in place of `original`, or `None` to keep it.
    fn next(&mut self, original: &str) -> Option<String> {
        let op = self.byte()?;
        if op < 128 {
            return None;
        }
        Some(match op % 6 {
            0 | 1 => {
                let i = usize::from(self.byte().unwrap_or(0)) % EDGES.len();
                EDGES[i].to_string()
            }
            2 => i64::from_le_bytes(self.bytes::<8>()).to_string(),
            3 => {
                let mantissa = i64::from_le_bytes(self.bytes::<8>());
                let exponent = i16::from(self.byte().unwrap_or(0).cast_signed()) * 3;
                format!("{mantissa}E{exponent}")
            }
            4 => match original.strip_prefix('-') {
                Some(positive) => positive.to_string(),
                None => format!("-{original}"),
            },
            _ => {
                let k = self.byte().unwrap_or(0) % 40;
                format!("{original}E{k}")
            }
        })
    }
}

/// `text` with each slot's number replaced as `values` chooses; `pick`
/// says which slots may change.
fn edit(
    text: &str,
    slots: &[Slot],
    values: &mut Values<'_>,
    pick: impl Fn(usize) -> bool,
) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (i, slot) in slots.iter().enumerate() {
        if !pick(i) {
            continue;
        }
        let Some(new) = values.next(&text[slot.clone()]) else {
            continue;
        };
        out.push_str(&text[at..slot.start]);
        out.push_str(&new);
        at = slot.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The sample case with numbers the bytes choose, through `check` and,
/// when it accepts the case, every later command.
fn edited_case(data: &[u8], risk_only: bool) {
    let (toml, workbook) = edited_files(data, risk_only);
    match load_case(toml.as_bytes(), &workbook) {
        Ok(loaded) => after_check(loaded),
        Err(diags) => assert_reported(&diags),
    }
}

/// The case.toml text and workbook bytes that a [`structured`] input (or,
/// with `risk_only`, a [`risk`] input) makes of the sample case: with the
/// sample's narrative, a case folder anyone can run `fivecase` on
/// (`cargo run --example fuzz-case`).
pub fn edited_files(data: &[u8], risk_only: bool) -> (String, Vec<u8>) {
    let t = template();
    let mut values = Values { data };
    let toml_pick = |i: usize| {
        if !risk_only {
            return true;
        }
        // `[risk_analysis]`'s keys only: the numbers after its header and
        // before the next table.
        let start = t.toml.find("[risk_analysis]").unwrap_or(usize::MAX);
        let end = t.toml[start.min(t.toml.len())..]
            .find("\n[[")
            .map_or(usize::MAX, |e| start + e);
        (start..end).contains(&t.toml_slots[i].start)
    };
    let toml = edit(&t.toml, &t.toml_slots, &mut values, toml_pick);
    let mut sheets: Vec<(&str, String)> = Vec::new();
    for (name, xml, cells) in &t.sheets {
        let slots: Vec<Slot> = cells.iter().map(|(c, _)| c.value.clone()).collect();
        let edited = edit(xml, &slots, &mut values, |i| !risk_only || cells[i].1);
        if edited != *xml {
            sheets.push((name, edited));
        }
    }
    let replace: Vec<(&str, &[u8])> = sheets.iter().map(|(n, x)| (*n, x.as_bytes())).collect();
    (toml, workbook_with(&replace))
}

/// Arbitrary values in every numeric cell of the sample workbook and every
/// number of its case.toml, through check, compute, scenarios, the risk
/// analysis, the document and the xlsx export: a case `check` accepts must
/// never fail later without a location.
pub fn structured(data: &[u8]) {
    edited_case(data, false);
}

/// As [`structured`], for the risk analysis's inputs alone: the Range,
/// Impact and Probability cells and `[risk_analysis]`'s numbers.
pub fn risk(data: &[u8]) {
    edited_case(data, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_finds_the_sample_numbers() {
        let t = template();
        assert!(t.toml_slots.len() >= 10, "{:?}", t.toml_slots);
        for s in &t.toml_slots {
            let n = &t.toml[s.clone()];
            assert!(n.parse::<rust_decimal::Decimal>().is_ok(), "{n:?}");
        }
        let cells: usize = t.sheets.iter().map(|(_, _, c)| c.len()).sum();
        assert!(cells > 200, "{cells}");
        let risky = t
            .sheets
            .iter()
            .flat_map(|(_, _, c)| c)
            .filter(|(_, r)| *r)
            .count();
        assert!(risky >= 5, "{risky}");
    }

    #[test]
    fn no_bytes_change_nothing_and_the_sample_goes_through() {
        let t = template();
        let mut values = Values { data: &[] };
        assert_eq!(edit(&t.toml, &t.toml_slots, &mut values, |_| true), t.toml);
        structured(&[]);
        risk(&[]);
    }
}
