//! Refusing hostile or broken workbook files before calamine opens them.
//!
//! calamine reads every shared string, the styles and the workbook part as
//! soon as a workbook is opened, and zip entries declare how large they will
//! be when expanded. A zip bomb (a small file that expands to gigabytes) or a
//! file that is not a workbook at all must be refused here, in plain words,
//! before anything is expanded. The zip crate stops reading an entry that
//! expands beyond its declared size, so bounding the declared sizes bounds
//! what is ever expanded. The limits are documented in docs/workbook.md.

use std::io::{Read, Seek};

/// Most entries a workbook may hold (a workbook with 50 sheets has about 120).
pub const MAX_ENTRIES: usize = 10_000;
/// Largest declared expanded size of one entry: 256 MiB.
pub const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;
/// Largest declared expanded size of the shared strings: 64 MiB.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 * 1024 * 1024;
/// Largest declared expanded size of all entries together: 1 GiB.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// Largest expansion ratio of an entry larger than 1 MiB. Real sheet XML
/// compresses 5 to 50 times; only a crafted entry expands 1,000 times.
pub const MAX_RATIO: u64 = 500;
/// Entries below this size are never refused for their ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Why a workbook file was refused; worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: Option<String>,
}

impl Refusal {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }
}

/// Checks that `reader` holds a zip archive within the limits above.
///
/// # Errors
/// A [`Refusal`] saying what is wrong, in the user's words.
pub fn check_zip<R: Read + Seek>(reader: R) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|_| {
        let mut r = Refusal::new(
            "not an xlsx workbook: the file is not a zip archive, or it is damaged or incomplete",
        );
        r.hint = Some("open it in Excel and save it again as an Excel Workbook (.xlsx)".into());
        r
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(Refusal::new(format!(
            "the workbook holds {} parts, more than the {MAX_ENTRIES} fivecase reads",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    let mut has_workbook = false;
    let mut shared_strings: Vec<(usize, u64)> = Vec::new();
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            continue;
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let (size, compressed) = (entry.size(), entry.compressed_size());
        let header = entry.header_start();
        if name.eq_ignore_ascii_case("xl/workbook.xml") {
            has_workbook = true;
        }
        let is_shared_strings = name
            .rsplit('/')
            .next()
            .is_some_and(|f| f.eq_ignore_ascii_case("sharedStrings.xml"));
        if is_shared_strings {
            shared_strings.push((i, size));
        }
        let limit = if is_shared_strings {
            MAX_SHARED_STRINGS_BYTES
        } else {
            MAX_ENTRY_BYTES
        };
        if size > limit {
            let refusal = Refusal::new(format!(
                "the workbook part {name} would expand to {} MiB, more than the {} MiB fivecase reads",
                size / (1024 * 1024),
                limit / (1024 * 1024)
            ));
            return Err(unless_damaged(
                archive,
                header,
                &name,
                (size, compressed),
                refusal,
            ));
        }
        if size > RATIO_FLOOR && size / compressed.max(1) > MAX_RATIO {
            let refusal = Refusal::new(format!(
                "the workbook part {name} expands {} times, which only a crafted file (a zip bomb) does",
                size / compressed.max(1)
            ));
            return Err(unless_damaged(
                archive,
                header,
                &name,
                (size, compressed),
                refusal,
            ));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(Refusal::new(format!(
                "the workbook would expand to more than {} MiB, the most fivecase reads",
                MAX_TOTAL_BYTES / (1024 * 1024)
            )));
        }
    }
    for (i, size) in shared_strings {
        check_shared_strings_count(&mut archive, i, size)?;
    }
    if !has_workbook {
        let mut r = Refusal::new("not an xlsx workbook: the zip archive has no xl/workbook.xml");
        r.hint = Some("open it in Excel and save it again as an Excel Workbook (.xlsx)".into());
        return Err(r);
    }
    Ok(())
}

/// `refusal`, unless the part's local header records other sizes than the
/// central directory: then the file is damaged (one flipped bit in a size
/// is not a zip bomb), and the message says so.
fn unless_damaged<R: Read + Seek>(
    archive: zip::ZipArchive<R>,
    header: u64,
    name: &str,
    (size, compressed): (u64, u64),
    refusal: Refusal,
) -> Refusal {
    let mut reader = archive.into_inner();
    let mut local = [0u8; 30];
    let read = reader
        .seek(std::io::SeekFrom::Start(header))
        .and_then(|_| reader.read_exact(&mut local));
    let damaged = |why: String| {
        let mut r = Refusal::new(format!("not an xlsx workbook: the file is damaged: {why}"));
        r.hint = Some("open it in Excel and save it again as an Excel Workbook (.xlsx)".into());
        r
    };
    if read.is_err() || local[0..4] != [0x50, 0x4b, 0x03, 0x04] {
        return damaged(format!("the header of the workbook part {name} is missing"));
    }
    let word = |at: usize| {
        u64::from(u32::from_le_bytes([
            local[at],
            local[at + 1],
            local[at + 2],
            local[at + 3],
        ]))
    };
    let flags = u16::from_le_bytes([local[6], local[7]]);
    let (mut local_compressed, mut local_size) = (word(18), word(22));
    if flags & 8 != 0 {
        // The sizes follow the data, in a descriptor with or without its signature.
        let name_len = u64::from(u16::from_le_bytes([local[26], local[27]]));
        let extra_len = u64::from(u16::from_le_bytes([local[28], local[29]]));
        let at = header + 30 + name_len + extra_len + compressed;
        let mut d = [0u8; 16];
        if reader
            .seek(std::io::SeekFrom::Start(at))
            .and_then(|_| reader.read_exact(&mut d))
            .is_err()
        {
            return damaged(format!(
                "the workbook part {name} ends before its recorded size"
            ));
        }
        let le = |i: usize| u64::from(u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]));
        let skip = if d[0..4] == [0x50, 0x4b, 0x07, 0x08] {
            4
        } else {
            0
        };
        (local_compressed, local_size) = (le(skip + 4), le(skip + 8));
    }
    // Sizes in zip64 fields cannot be compared here; the declared sizes then stand.
    if local_size == 0xFFFF_FFFF || local_compressed == 0xFFFF_FFFF {
        return refusal;
    }
    if local_size != size || local_compressed != compressed {
        return damaged(format!(
            "the sizes recorded for the workbook part {name} disagree ({size} and {local_size} bytes)"
        ));
    }
    refusal
}

/// The most bytes of the shared strings read to find the `<sst>` start tag.
const SST_HEAD_BYTES: u64 = 1024 * 1024;

/// calamine reserves room for the number of strings the `<sst uniqueCount="N">`
/// tag declares before reading any: a crafted count would make it allocate
/// without bound. Refuse a count the entry cannot possibly hold (each string
/// takes at least `<si/>`, five bytes).
fn check_shared_strings_count<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    index: usize,
    size: u64,
) -> Result<(), Refusal> {
    let damaged = || {
        let mut r = Refusal::new("not a readable xlsx workbook: its shared strings are damaged");
        r.hint = Some("open it in Excel and save it again as an Excel Workbook (.xlsx)".into());
        r
    };
    let entry = archive.by_index(index).map_err(|_| damaged())?;
    let mut head = Vec::new();
    entry
        .take(SST_HEAD_BYTES)
        .read_to_end(&mut head)
        .map_err(|_| damaged())?;
    let text = String::from_utf8_lossy(&head);
    // The start tag: from "sst" (any namespace prefix) to the next '>'.
    let Some(start) = text.find("sst") else {
        return Ok(());
    };
    let Some(len) = text[start..].find('>') else {
        return Err(damaged());
    };
    let tag = &text[start..start + len];
    let Some(pos) = tag.find("uniqueCount") else {
        return Ok(());
    };
    let digits: String = tag[pos + "uniqueCount".len()..]
        .chars()
        .skip_while(|c| matches!(c, ' ' | '=' | '"' | '\''))
        .take_while(char::is_ascii_digit)
        .collect();
    let too_many = match digits.parse::<u128>() {
        Ok(count) => count > u128::from(size / 5 + 1),
        Err(_) => !digits.is_empty(),
    };
    if too_many {
        return Err(Refusal::new(format!(
            "the workbook's shared strings claim {digits} strings, more than the file holds: it is damaged or crafted"
        )));
    }
    Ok(())
}
