//! The size limits of what reaches a document, enforced as ingest reads it.
//!
//! Every size a case can grow in has a limit, checked before the work it
//! guards (the engine, typesetting, the export), each a located error that
//! prints the value that exceeded it, never a truncation. The numbers, and
//! why each is where it is, are documented in docs/workbook.md and measured
//! in docs/reliability.md; the limits of the workbook file itself are in
//! [`super::safety`] and [`super::raw`].

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Most characters of any text that reaches a document: a title, a marking,
/// a line name, a description, a history entry, an approval. About 300
/// words: a cell or key is a label or a sentence, never a chapter (the
/// narrative holds the prose), and typst lays out a long unbroken text in
/// time that grows faster than its length.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Most characters of any text cell fivecase reads: Excel's own limit for
/// a cell, and so the most the export can write into one.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Most combining marks on one character. Real scripts stack at most a few
/// (Vietnamese two, Hebrew with cantillation four); typst shapes each
/// stack as one cluster, in time that grows with its square.
pub const MAX_COMBINING: usize = 16;

/// Most headings in one narrative part: a part of 1,000 sections is far
/// beyond any business case, and each heading is an outline entry and a
/// tagged structure element in the PDF.
pub const MAX_HEADINGS: usize = 1_000;

/// Most levels of nesting (lists, quotes, emphasis and links inside each
/// other) in a narrative part: the document model keeps this many levels
/// (`document::markdown`), so a deeper narrative would be flattened.
pub const MAX_NESTING: usize = 12;

/// Most scenarios in case.toml: each is a full computation, and the
/// comparison tables are scenarios × scenarios wide.
pub const MAX_SCENARIOS: usize = 100;

/// Most `sensitivity` fractions: each adds a column to every sensitivity
/// table and a full sweep of the switching values.
pub const MAX_SENSITIVITY: usize = 20;

/// Most partners on the Partners sheet: the 43 territorial forces of
/// England and Wales and their PCCs with room to spare. Every table by
/// partner is partners × options × years.
pub const MAX_PARTNERS: usize = 100;

/// Most options on the Options sheet: the Green Book's long list is
/// usually 10 to 20 and its short list 4 or 5.
pub const MAX_OPTIONS: usize = 30;

/// Most partners × options × appraisal years: every table by partner
/// (apportioned costs and savings, each option's share) holds this many
/// figures. Measured in a release build (docs/reliability.md): at 100,000
/// `build` took 14 to 17 s and 1.1 GB; time and memory grow in proportion,
/// so 30,000 stays near 0.33 GB. A collaboration of all 43 forces with 10
/// options over 60 years is 25,800.
pub const MAX_PARTNER_OPTION_YEARS: usize = 30_000;

/// Most lines on Costs, Benefits or Risks: a business case has tens to
/// hundreds. In a release build 199,998 cost lines took `export` 15.8 s
/// and 1.04 GB, and 20,000 took `build` 22 s (docs/reliability.md); time
/// grows in proportion, so 5,000 stays near 5 s.
pub const MAX_LINES: usize = 5_000;

/// Why `text` cannot reach a document, if it cannot: more than `max`
/// characters, or more than [`MAX_COMBINING`] combining marks on one
/// character. The message names the value that exceeded the limit.
pub fn text_problem(text: &str, max: usize) -> Option<String> {
    let chars = text.chars().count();
    if chars > max {
        return Some(format!(
            "the text is {} characters long, more than the {} fivecase accepts",
            group(chars),
            group(max)
        ));
    }
    combining_problem(text)
}

/// More than [`MAX_COMBINING`] combining marks on one character, if there are.
pub fn combining_problem(text: &str) -> Option<String> {
    let (mut run, mut most, mut at) = (0usize, 0usize, 0usize);
    for (i, c) in text.chars().enumerate() {
        if unicode_normalization::char::is_combining_mark(c) {
            run += 1;
            if run > most {
                most = run;
                at = i + 1 - run;
            }
        } else {
            run = 0;
        }
    }
    (most > MAX_COMBINING).then(|| {
        format!(
            "character {} carries {} combining marks, more than the {MAX_COMBINING} fivecase accepts on one character",
            group(at.max(1)),
            group(most)
        )
    })
}

/// A problem with a narrative part's size, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeProblem {
    pub offset: usize,
    pub message: String,
}

/// The narrative part `text` against [`MAX_HEADINGS`], [`MAX_NESTING`],
/// [`MAX_TEXT_CHARS`] for a heading (a PDF outline entry) and a link's
/// address (a PDF string, which typst refuses beyond its own limit), and
/// [`MAX_COMBINING`]; each problem once, at its first place.
pub fn narrative_problems(text: &str) -> Vec<NarrativeProblem> {
    let mut out = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let (mut headings, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    let (mut heading_at, mut deep_at): (Option<usize>, Option<usize>) = (None, None);
    let mut long_heading = None;
    let mut long_link = None;
    // The heading being read: where it starts and the characters of its text.
    let mut heading: Option<(usize, usize)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                }
                if depth > MAX_NESTING && deep_at.is_none() {
                    deep_at = Some(range.start);
                }
                if let Tag::Link { dest_url, .. } = &tag {
                    let chars = dest_url.chars().count();
                    if chars > MAX_TEXT_CHARS && long_link.is_none() {
                        long_link = Some(NarrativeProblem {
                            offset: range.start,
                            message: format!(
                                "the link's address is {} characters long, more than the {} fivecase accepts",
                                group(chars),
                                group(MAX_TEXT_CHARS)
                            ),
                        });
                    }
                }
                if let Tag::Heading { .. } = tag {
                    headings += 1;
                    if headings > MAX_HEADINGS && heading_at.is_none() {
                        heading_at = Some(range.start);
                    }
                    heading = Some((range.start, 0));
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if let (TagEnd::Heading(_), Some((at, chars))) = (end, heading.take())
                    && chars > MAX_TEXT_CHARS
                    && long_heading.is_none()
                {
                    long_heading = Some(NarrativeProblem {
                        offset: at,
                        message: format!(
                            "the heading is {} characters long, more than the {} fivecase accepts",
                            group(chars),
                            group(MAX_TEXT_CHARS)
                        ),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, chars)) = heading.as_mut() {
                    *chars += t.chars().count();
                }
            }
            _ => {}
        }
    }
    if let Some(offset) = heading_at {
        out.push(NarrativeProblem {
            offset,
            message: format!(
                "the file has {} headings, more than the {} fivecase typesets in one part",
                group(headings),
                group(MAX_HEADINGS)
            ),
        });
    }
    if let Some(offset) = deep_at {
        out.push(NarrativeProblem {
            offset,
            message: format!(
                "lists, quotes, emphasis or links are nested {deepest} levels deep here, more than the {MAX_NESTING} fivecase typesets"
            ),
        });
    }
    out.extend(long_heading);
    out.extend(long_link);
    if let Some(m) = combining_problem(text) {
        let offset = combining_offset(text);
        out.push(NarrativeProblem { offset, message: m });
    }
    out.sort_by_key(|p| p.offset);
    out
}

/// The byte offset of the first run of combining marks longer than [`MAX_COMBINING`].
fn combining_offset(text: &str) -> usize {
    let mut run = 0usize;
    let mut start = 0usize;
    for (i, c) in text.char_indices() {
        if unicode_normalization::char::is_combining_mark(c) {
            if run == 0 {
                start = i;
            }
            run += 1;
            if run > MAX_COMBINING {
                return start;
            }
        } else {
            run = 0;
        }
    }
    0
}

/// `1234` → `1,234`.
fn group(n: usize) -> String {
    crate::format::money(rust_decimal::Decimal::from(n), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_at_its_limits() {
        assert_eq!(text_problem(&"x".repeat(2_000), MAX_TEXT_CHARS), None);
        assert_eq!(
            text_problem(&"x".repeat(2_001), MAX_TEXT_CHARS).unwrap(),
            "the text is 2,001 characters long, more than the 2,000 fivecase accepts"
        );
        let marks = |n| format!("ab{}c", "\u{301}".repeat(n));
        assert_eq!(text_problem(&marks(16), MAX_TEXT_CHARS), None);
        assert_eq!(
            text_problem(&marks(17), MAX_TEXT_CHARS).unwrap(),
            "character 2 carries 17 combining marks, more than the 16 fivecase accepts on one character"
        );
        // Vietnamese: two marks on one letter.
        assert_eq!(text_problem("Vie\u{323}\u{302}t", 10), None);
    }

    #[test]
    fn narrative_at_its_limits() {
        let headings = |n: usize| "# H\n\n".repeat(n);
        assert!(narrative_problems(&headings(1_000)).is_empty());
        let p = narrative_problems(&headings(1_001));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].offset, 5_000);
        assert_eq!(
            p[0].message,
            "the file has 1,001 headings, more than the 1,000 fivecase typesets in one part"
        );
        let quotes = |n: usize| format!("{} deep\n", ">".repeat(n));
        // Each quote is one level and the paragraph inside the innermost one more.
        assert!(narrative_problems(&quotes(MAX_NESTING - 1)).is_empty());
        let p = narrative_problems(&quotes(40));
        assert_eq!(p.len(), 1);
        assert!(
            p[0].message.contains("nested 41 levels deep"),
            "{}",
            p[0].message
        );
        let long = format!("# {}\n", "x".repeat(2_001));
        assert!(
            narrative_problems(&long)[0]
                .message
                .contains("2,001 characters")
        );
    }
}
