//! Cell references read exactly, as written in a sheet's XML.
//!
//! The reading library turns `H4294967301` into a position with 32-bit
//! arithmetic that wraps, so a crafted reference lands silently on another
//! cell. Before a sheet is read, its XML is streamed once here and every
//! `<c r="...">` reference is parsed with arithmetic that cannot wrap; a row
//! or column beyond Excel's sheet (1,048,576 rows, 16,384 columns) is
//! reported at the reference as written. Memory is bounded by one tag
//! (`MAX_TAG_BYTES`), whatever the sheet's size.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// Rows of an Excel sheet: a reference beyond them is damaged, never wrapped.
pub const SHEET_ROWS: u64 = 1_048_576;
/// Columns of an Excel sheet (XFD).
pub const SHEET_COLS: u64 = 16_384;

/// Longest start tag read whole; a longer one is skipped (it is no cell a
/// spreadsheet writes, and the reading library then reports the sheet).
const MAX_TAG_BYTES: usize = 4096;
/// Most references reported for one sheet.
const MAX_PROBLEMS: usize = 100;
/// Longest reference shown as written.
const MAX_SHOWN: usize = 40;

/// The bad cell references of the sheet named `sheet` in the workbook at
/// `path`, each as written with its message; empty when every reference is
/// within the sheet, or when the sheet cannot be found (the reading library
/// then reports it).
pub fn check_sheet(path: &Path, sheet: &str) -> Vec<(String, String)> {
    let Some(part) = sheet_part(path, sheet) else {
        return Vec::new();
    };
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Vec::new();
    };
    let Ok(entry) = zip.by_name(&part) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut more = false;
    scan_tags(BufReader::new(entry), |name, tag| {
        let local = local(name);
        if local == b"row" {
            // Cells without a reference of their own take the row's number.
            let Some(r) = attr(tag, b"r") else {
                return true;
            };
            let whole_row = !r.is_empty() && r.bytes().all(|c| c.is_ascii_digit());
            if whole_row && problem(&format!("A{r}")).is_some() {
                if out.len() == MAX_PROBLEMS {
                    more = true;
                    return false;
                }
                let r = shown(&r);
                out.push((
                    format!("{r}:{r}"),
                    "the row number is beyond an Excel sheet's 1,048,576 rows: the sheet is damaged or crafted; open it in Excel and save it again".into(),
                ));
            }
            return true;
        }
        if local != b"c" {
            return true;
        }
        let Some(r) = attr(tag, b"r") else {
            return true;
        };
        if let Some(message) = problem(&r) {
            if out.len() == MAX_PROBLEMS {
                more = true;
                return false;
            }
            out.push((shown(&r), message));
        }
        true
    });
    if more {
        out.push((
            String::new(),
            format!("more than {MAX_PROBLEMS} cell references are beyond the sheet; the first {MAX_PROBLEMS} are listed"),
        ));
    }
    out
}

fn shown(r: &str) -> String {
    if r.chars().count() > MAX_SHOWN {
        let head: String = r.chars().take(MAX_SHOWN).collect();
        format!("{head}…")
    } else {
        r.to_string()
    }
}

/// Why the reference `r` is beyond the sheet, if it is.
fn problem(r: &str) -> Option<String> {
    let b = r.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = &b[letters..];
    if letters == 0 || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        // Not an A1 reference: the reading library reports the sheet damaged.
        return None;
    }
    let mut col: u64 = 0;
    for c in &b[..letters] {
        col = col
            .saturating_mul(26)
            .saturating_add(u64::from(c.to_ascii_uppercase() - b'A') + 1);
    }
    let mut row: u64 = 0;
    for c in digits {
        row = row.saturating_mul(10).saturating_add(u64::from(c - b'0'));
    }
    if row == 0 || row > SHEET_ROWS || col > SHEET_COLS {
        return Some(
            "the cell reference is beyond an Excel sheet's 1,048,576 rows and 16,384 columns: the sheet is damaged or crafted; open it in Excel and save it again".into(),
        );
    }
    None
}

/// The name without a namespace prefix (`x:c` → `c`).
fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&c| c == b':').next().unwrap_or(name)
}

/// The value of the attribute named exactly `want` in the start tag `tag`.
fn attr(tag: &[u8], want: &[u8]) -> Option<String> {
    attr_where(tag, |name| name == want)
}

/// The value of the first attribute whose name passes `want`.
fn attr_where(tag: &[u8], want: impl Fn(&[u8]) -> bool) -> Option<String> {
    let mut i = 0;
    while i < tag.len() {
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < tag.len() && !tag[i].is_ascii_whitespace() && tag[i] != b'=' {
            i += 1;
        }
        let name = &tag[start..i];
        while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'=') {
            i += 1;
        }
        let quote = *tag.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        i += 1;
        let vstart = i;
        while i < tag.len() && tag[i] != quote {
            i += 1;
        }
        let value = &tag[vstart..i.min(tag.len())];
        i += 1;
        if want(name) {
            return Some(String::from_utf8_lossy(value).into_owned());
        }
    }
    None
}

/// Calls `f(name, attributes)` for each start tag of the XML in `reader`
/// (comments, processing instructions and CDATA skipped) until `f` returns
/// false or the XML ends or cannot be read.
fn scan_tags(reader: impl BufRead, mut f: impl FnMut(&[u8], &[u8]) -> bool) {
    let mut bytes = reader.bytes().map_while(Result::ok);
    let mut tag: Vec<u8> = Vec::new();
    loop {
        // Text up to the next '<'.
        if !bytes.by_ref().any(|c| c == b'<') {
            return;
        }
        tag.clear();
        let mut quote: Option<u8> = None;
        let mut ended = false;
        for c in bytes.by_ref() {
            match quote {
                Some(q) if c == q => quote = None,
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'>' => {
                    ended = true;
                    break;
                }
                _ => {}
            }
            if tag.len() < MAX_TAG_BYTES {
                tag.push(c);
            }
            // A comment or CDATA may hold '>' and '<': skip to its end.
            if tag == b"!--" {
                skip_until(&mut bytes, b"-->");
                tag.clear();
                break;
            }
            if tag == b"![CDATA[" {
                skip_until(&mut bytes, b"]]>");
                tag.clear();
                break;
            }
        }
        if !ended {
            if tag.is_empty() {
                continue;
            }
            return;
        }
        if matches!(tag.first(), Some(b'/' | b'?' | b'!')) || tag.len() >= MAX_TAG_BYTES {
            continue;
        }
        let end = tag
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/')
            .unwrap_or(tag.len());
        if !f(&tag[..end], &tag[end..]) {
            return;
        }
    }
}

fn skip_until(bytes: &mut impl Iterator<Item = u8>, end: &[u8]) {
    let mut window: Vec<u8> = Vec::with_capacity(end.len());
    for c in bytes {
        if window.len() == end.len() {
            window.remove(0);
        }
        window.push(c);
        if window == end {
            return;
        }
    }
}

/// The zip path of the worksheet named `sheet`: xl/workbook.xml names it
/// with a relationship id, which xl/_rels/workbook.xml.rels maps to a part.
fn sheet_part(path: &Path, sheet: &str) -> Option<String> {
    let file = File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
    let mut id = None;
    {
        let entry = zip.by_name("xl/workbook.xml").ok()?;
        scan_tags(BufReader::new(entry), |name, tag| {
            if local(name) == b"sheet" && attr(tag, b"name").is_some_and(|n| unescape(&n) == sheet)
            {
                // The relationships namespace's `id`, whatever its prefix.
                id = attr_where(tag, |n| n.ends_with(b":id"));
                return false;
            }
            true
        });
    }
    let id = id?;
    let mut target = None;
    {
        let entry = zip.by_name("xl/_rels/workbook.xml.rels").ok()?;
        scan_tags(BufReader::new(entry), |name, tag| {
            if local(name) == b"Relationship" && attr(tag, b"Id").as_deref() == Some(id.as_str()) {
                target = attr(tag, b"Target");
                return false;
            }
            true
        });
    }
    let target = unescape(&target?);
    Some(match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    })
}

/// The five predefined XML entities.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_beyond_the_sheet_are_found_exactly() {
        assert_eq!(problem("A1"), None);
        assert_eq!(problem("XFD1048576"), None);
        assert_eq!(problem("xfd1048576"), None);
        assert!(problem("XFE1").is_some());
        assert!(problem("A1048577").is_some());
        assert!(problem("H4294967301").is_some());
        assert!(problem("A99999999999999999999").is_some());
        assert!(problem("A0").is_some());
        assert_eq!(problem("1A"), None);
    }

    #[test]
    fn tags_are_read_with_their_attributes() {
        let xml = br#"<?xml version="1.0"?><!-- <c r="Z9"> --><x:row r="1"><x:c r="B2" t='s'><v>1</v></x:c><c r="C3"/></x:row>"#;
        let mut seen = Vec::new();
        scan_tags(&xml[..], |name, tag| {
            if local(name) == b"c" {
                seen.push(attr(tag, b"r").unwrap());
            }
            true
        });
        assert_eq!(seen, vec!["B2", "C3"]);
    }
}
