//! The SRO's CommonMark narrative as a tree of plain data.
//!
//! Every leaf is a plain string: no exporter ever evaluates narrative
//! text, so `#`, `$`, `@`, `<`, `\`, `]`, `*`, `_` and lines like
//! `#read("/etc/passwd")` print as written in every format. Raw HTML is
//! kept as its text and images as their alt text: a narrative can never
//! make a document fetch or read anything. [`Inline`] is the document's
//! run of text; [`Block`]s become the document's blocks in
//! `document::build`.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A block of the narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Block {
    /// A heading; `level` 1 is the narrative's top level (`#`).
    Heading {
        level: u8,
        c: Vec<Inline>,
    },
    Para {
        c: Vec<Inline>,
    },
    /// A list; `start` is the first number of an ordered list.
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    /// A pipe table: `align` per column (`left`, `right`, `center`, `auto`).
    Table {
        align: Vec<&'static str>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Quote {
        c: Vec<Block>,
    },
    Code {
        s: String,
    },
    Rule,
}

/// Inline content of a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Inline {
    Text {
        s: String,
    },
    Emph {
        c: Vec<Inline>,
    },
    Strong {
        c: Vec<Inline>,
    },
    Strike {
        c: Vec<Inline>,
    },
    Code {
        s: String,
    },
    /// A link to `url` (http, https or mailto only; anything else is shown as text).
    Link {
        url: String,
        c: Vec<Inline>,
    },
    Break,
}

/// A container being filled while the parser's events arrive.
enum Frame {
    Blocks(Vec<Block>),
    Inlines(Vec<Inline>),
}

/// What a finished container becomes.
enum Open {
    Root,
    Heading(u8),
    Para,
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Item,
    Quote,
    Code(String),
    Table {
        align: Vec<&'static str>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A table row; `head` for the header row.
    TableRow {
        head: bool,
        cells: Vec<Vec<Inline>>,
    },
    TableCell,
    Emph,
    Strong,
    Strike,
    Link(String),
    /// Image: its alt text is shown in place, in brackets.
    Image,
    /// Anything else (footnote definitions, metadata): its text is kept inline.
    Other,
}

/// Parses CommonMark (with pipe tables and strikethrough) into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut stack: Vec<(Open, Frame)> = vec![(Open::Root, Frame::Blocks(Vec::new()))];
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(tag) => start(&mut stack, tag),
            Event::End(end) => finish(&mut stack, end),
            Event::Code(s) => push_inline(&mut stack, Inline::Code { s: s.into_string() }),
            Event::InlineMath(s) | Event::DisplayMath(s) => {
                push_inline(&mut stack, Inline::Text { s: s.into_string() });
            }
            Event::Text(s) | Event::Html(s) | Event::InlineHtml(s) => {
                if let Some((Open::Code(buf), _)) = stack.last_mut() {
                    buf.push_str(&s);
                } else {
                    push_inline(&mut stack, Inline::Text { s: s.into_string() });
                }
            }
            Event::FootnoteReference(s) => {
                push_inline(
                    &mut stack,
                    Inline::Text {
                        s: format!("[^{s}]"),
                    },
                );
            }
            Event::SoftBreak => push_inline(&mut stack, Inline::Text { s: " ".into() }),
            Event::HardBreak => push_inline(&mut stack, Inline::Break),
            Event::Rule => push_block(&mut stack, Block::Rule),
            Event::TaskListMarker(done) => {
                let mark = if done { "[x] " } else { "[ ] " };
                push_inline(&mut stack, Inline::Text { s: mark.into() });
            }
        }
    }
    // Close anything left open (the parser balances its events, but be safe).
    while stack.len() > 1 {
        close(&mut stack);
    }
    let mut blocks = match stack.pop() {
        Some((_, Frame::Blocks(blocks))) => blocks,
        _ => Vec::new(),
    };
    let mut previous = 0;
    normalise_headings(&mut blocks, &mut previous);
    blocks
}

/// Makes heading levels step down one at a time (`#` then `###` becomes
/// levels 1 and 2), so the document's outline and its tagged structure
/// never skip a level whatever the narrative's author wrote.
fn normalise_headings(blocks: &mut [Block], previous: &mut u8) {
    for block in blocks {
        match block {
            Block::Heading { level, .. } => {
                *level = (*level).min(previous.saturating_add(1)).max(1);
                *previous = *level;
            }
            Block::Quote { c } => normalise_headings(c, previous),
            Block::List { items, .. } => {
                for item in items {
                    normalise_headings(item, previous);
                }
            }
            _ => {}
        }
    }
}

/// Containers nested deeper than this are flattened into their parent, so
/// no narrative can exhaust a stack here, in serialisation or in typst.
const MAX_DEPTH: usize = 12;

fn start(stack: &mut Vec<(Open, Frame)>, tag: Tag<'_>) {
    let blocks = || Frame::Blocks(Vec::new());
    let inlines = || Frame::Inlines(Vec::new());
    if stack.len() > MAX_DEPTH {
        let frame = match tag {
            Tag::BlockQuote(_) | Tag::List(_) | Tag::Item => Some(blocks()),
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } => Some(inlines()),
            _ => None,
        };
        if let Some(frame) = frame {
            stack.push((Open::Other, frame));
            return;
        }
    }
    let entry = match tag {
        Tag::Paragraph => (Open::Para, inlines()),
        Tag::Heading { level, .. } => (Open::Heading(heading_level(level)), inlines()),
        Tag::BlockQuote(_) => (Open::Quote, blocks()),
        Tag::CodeBlock(_) => (Open::Code(String::new()), inlines()),
        Tag::List(first) => (
            Open::List {
                ordered: first.is_some(),
                start: first.unwrap_or(1).min(1_000_000),
                items: Vec::new(),
            },
            blocks(),
        ),
        Tag::Item => (Open::Item, blocks()),
        Tag::Table(align) => (
            Open::Table {
                align: align.iter().map(|a| alignment(*a)).collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            blocks(),
        ),
        Tag::TableHead => (
            Open::TableRow {
                head: true,
                cells: Vec::new(),
            },
            blocks(),
        ),
        Tag::TableRow => (
            Open::TableRow {
                head: false,
                cells: Vec::new(),
            },
            blocks(),
        ),
        Tag::TableCell => (Open::TableCell, inlines()),
        Tag::Emphasis => (Open::Emph, inlines()),
        Tag::Strong => (Open::Strong, inlines()),
        Tag::Strikethrough => (Open::Strike, inlines()),
        Tag::Link { dest_url, .. } => (Open::Link(dest_url.into_string()), inlines()),
        Tag::Image { .. } => (Open::Image, inlines()),
        _ => (Open::Other, inlines()),
    };
    stack.push(entry);
}

fn finish(stack: &mut Vec<(Open, Frame)>, _end: TagEnd) {
    if stack.len() > 1 {
        close(stack);
    }
}

/// Pops the innermost container and attaches what it became to its parent.
fn close(stack: &mut Vec<(Open, Frame)>) {
    let Some((open, frame)) = stack.pop() else {
        return;
    };
    let (blocks, inlines) = match frame {
        Frame::Blocks(b) => (b, Vec::new()),
        Frame::Inlines(i) => (Vec::new(), i),
    };
    match open {
        Open::Root => stack.push((Open::Root, Frame::Blocks(blocks))),
        Open::Heading(level) => push_block(stack, Block::Heading { level, c: inlines }),
        Open::Para => push_block(stack, Block::Para { c: inlines }),
        Open::Quote => push_block(stack, Block::Quote { c: blocks }),
        Open::Code(s) => push_block(stack, Block::Code { s }),
        Open::List {
            ordered,
            start,
            mut items,
        } => {
            // Items flattened for depth arrive as loose blocks.
            if !blocks.is_empty() {
                items.push(blocks);
            }
            push_block(
                stack,
                Block::List {
                    ordered,
                    start,
                    items,
                },
            );
        }
        Open::Item => {
            if let Some((Open::List { items, .. }, _)) = stack.last_mut() {
                items.push(blocks);
            } else {
                for b in blocks {
                    push_block(stack, b);
                }
            }
        }
        Open::Table { align, head, rows } => push_block(stack, Block::Table { align, head, rows }),
        Open::TableRow {
            head: is_head,
            cells,
        } => {
            if let Some((Open::Table { head, rows, .. }, _)) = stack.last_mut() {
                if is_head {
                    *head = cells;
                } else {
                    rows.push(cells);
                }
            }
        }
        Open::TableCell => {
            if let Some((Open::TableRow { cells, .. }, _)) = stack.last_mut() {
                cells.push(inlines);
            }
        }
        Open::Emph => push_inline(stack, Inline::Emph { c: inlines }),
        Open::Strong => push_inline(stack, Inline::Strong { c: inlines }),
        Open::Strike => push_inline(stack, Inline::Strike { c: inlines }),
        Open::Link(url) => {
            if is_safe_url(&url) {
                push_inline(stack, Inline::Link { url, c: inlines });
            } else {
                for i in inlines {
                    push_inline(stack, i);
                }
            }
        }
        Open::Image => {
            let mut c = vec![Inline::Text {
                s: "[image: ".into(),
            }];
            c.extend(inlines);
            c.push(Inline::Text { s: "]".into() });
            for i in c {
                push_inline(stack, i);
            }
        }
        Open::Other => {
            for i in inlines {
                push_inline(stack, i);
            }
            for b in blocks {
                push_block(stack, b);
            }
        }
    }
}

/// Adds a block to the innermost container that holds blocks; inline
/// containers (a paragraph inside a list item) are never block parents.
fn push_block(stack: &mut [(Open, Frame)], block: Block) {
    for (_, frame) in stack.iter_mut().rev() {
        if let Frame::Blocks(b) = frame {
            b.push(block);
            return;
        }
    }
}

/// Adds inline content to the innermost inline container, opening an
/// implicit paragraph where inline content appears directly in a block
/// container (the items of a tight list).
fn push_inline(stack: &mut [(Open, Frame)], inline: Inline) {
    match stack.last_mut() {
        Some((_, Frame::Inlines(i))) => i.push(inline),
        Some((_, Frame::Blocks(b))) => {
            if let Some(Block::Para { c }) = b.last_mut() {
                c.push(inline);
            } else {
                b.push(Block::Para { c: vec![inline] });
            }
        }
        None => {}
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(a: Alignment) -> &'static str {
    match a {
        Alignment::None => "auto",
        Alignment::Left => "left",
        Alignment::Center => "center",
        Alignment::Right => "right",
    }
}

/// Links the document may carry: web and mail addresses, nothing else.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// A `{{ … }}` placeholder of the narrative (docs/narrative.md): a live
/// figure's name and arguments, where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range of the whole placeholder, braces included, in the text.
    pub start: usize,
    pub end: usize,
    /// 1-based line and column (in characters) of its first brace.
    pub line: usize,
    pub col: usize,
    /// The name and arguments, or why they cannot be read (an unclosed
    /// placeholder or quote, an empty one).
    pub words: Result<Vec<String>, String>,
}

/// A money literal of the narrative: `£` then a number with optional
/// thousands separators and decimals, and optionally `k`, `m`, `bn` or
/// `million` (docs/narrative.md, "Stale figures").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyLiteral {
    /// 1-based line and column (in characters) of its `£`.
    pub line: usize,
    pub col: usize,
    /// As written.
    pub text: String,
    /// The number as written, without separators: `4.1` for `£4.1m`.
    pub value: rust_decimal::Decimal,
    /// Its decimal places as written: the precision it is read at.
    pub decimals: u32,
    /// Its power of 1,000: 0 for pounds, 1 for `k`, 2 for `m` and `million`, 3 for `bn`.
    pub thousands: u32,
}

/// Longest placeholder read, in bytes: a placeholder is a name and a few arguments.
const MAX_PLACEHOLDER: usize = 1_000;

/// Byte ranges of the text that is code (code spans and code blocks):
/// placeholders and money literals there are shown as written.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => out.push(range),
            _ => {}
        }
    }
    out
}

/// Line and column of positions met in increasing order: each position
/// costs only the text since the previous one, so a narrative of many
/// placeholders on one long line is read in linear time.
struct Cursor<'t> {
    text: &'t str,
    at: usize,
    line: usize,
    col: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            at: 0,
            line: 1,
            col: 1,
        }
    }

    /// 1-based line and column (in characters) of byte `to`, at or after the last one asked for.
    fn line_col(&mut self, to: usize) -> (usize, usize) {
        if let Some(between) = self.text.get(self.at..to) {
            for c in between.chars() {
                if c == '\n' {
                    self.line += 1;
                    self.col = 1;
                } else {
                    self.col += 1;
                }
            }
            self.at = to;
        }
        (self.line, self.col)
    }
}

/// True when `at` lies in one of `ranges` (sorted and disjoint, as the parser gives them).
fn within(ranges: &[std::ops::Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= at);
    ranges.get(i).is_some_and(|r| r.contains(&at))
}

/// True when the byte at `at` is escaped by an odd run of backslashes.
fn escaped(text: &str, at: usize) -> bool {
    let run = text
        .get(..at)
        .unwrap_or("")
        .bytes()
        .rev()
        .take_while(|b| *b == b'\\')
        .count();
    run % 2 == 1
}

/// Every placeholder of `text`, in order: `{{ … }}` outside code spans and
/// code blocks, not preceded by a backslash (`\{{` prints `{{`). A
/// placeholder ends at the first `}}` on its line.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let code = code_ranges(text);
    let mut cursor = Cursor::new(text);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|s| s.find("{{")) {
        let start = from + found;
        if escaped(text, start) || within(&code, start) {
            from = start + 2;
            continue;
        }
        let (line, col) = cursor.line_col(start);
        let rest = text.get(start + 2..).unwrap_or("");
        // Only the next MAX_PLACEHOLDER bytes are looked at, so a long line
        // of many placeholders is read once, not once per placeholder.
        let window = &rest.as_bytes()[..rest.len().min(MAX_PLACEHOLDER)];
        let eol = window
            .iter()
            .position(|b| *b == b'\n')
            .unwrap_or(window.len());
        let close = window[..eol].windows(2).position(|w| w == b"}}");
        let (end, words) = match close {
            Some(c) => (start + 2 + c + 2, words(rest.get(..c).unwrap_or(""))),
            None => (
                start + 2,
                Err("a placeholder opened here has no closing '}}' on its line".into()),
            ),
        };
        out.push(Placeholder {
            start,
            end,
            line,
            col,
            words,
        });
        from = end;
    }
    out
}

/// The words of a placeholder: separated by spaces, a word with spaces in double quotes.
fn words(inner: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '\u{201c}' {
            chars.next();
            let mut word = String::new();
            loop {
                match chars.next() {
                    Some('"' | '\u{201d}') => break,
                    Some(ch) => word.push(ch),
                    None => return Err("a quoted argument has no closing '\"'".into()),
                }
            }
            out.push(word);
        } else {
            let mut word = String::new();
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                word.push(ch);
                chars.next();
            }
            out.push(word);
        }
    }
    if out.is_empty() {
        return Err("an empty placeholder: write a figure's name between '{{' and '}}'".into());
    }
    Ok(out)
}

/// Parses `text` as [`parse`] does, each placeholder first replaced by
/// what `resolve` gives for it, as plain text (any character CommonMark
/// would read as markup is escaped, so a figure can never become markup).
pub fn parse_with(text: &str, mut resolve: impl FnMut(&Placeholder) -> String) -> Vec<Block> {
    let found = placeholders(text);
    if found.is_empty() {
        return parse(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for p in &found {
        out.push_str(text.get(from..p.start).unwrap_or(""));
        for c in resolve(p).chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
        from = p.end;
    }
    out.push_str(text.get(from..).unwrap_or(""));
    parse(&out)
}

/// Every money literal of `text` outside code and placeholders, in order.
pub fn money_literals(text: &str) -> Vec<MoneyLiteral> {
    let code = code_ranges(text);
    let holders: Vec<std::ops::Range<usize>> =
        placeholders(text).iter().map(|p| p.start..p.end).collect();
    let skip = |at: usize| within(&code, at) || within(&holders, at);
    let mut cursor = Cursor::new(text);
    let mut out = Vec::new();
    for (at, _) in text.match_indices('£') {
        if skip(at) {
            continue;
        }
        let rest = text.get(at + '£'.len_utf8()..).unwrap_or("");
        if let Some((len, lit)) = money_literal(rest) {
            let (line, col) = cursor.line_col(at);
            out.push(MoneyLiteral {
                line,
                col,
                text: format!("£{}", rest.get(..len).unwrap_or("")),
                ..lit
            });
        }
    }
    out
}

/// The number after a `£`: its length in bytes and its reading.
fn money_literal(rest: &str) -> Option<(usize, MoneyLiteral)> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut digits = String::new();
    // Digits with thousands separators: a comma is one only when three digits follow.
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits.push(char::from(b));
            i += 1;
        } else if b == b','
            && !digits.is_empty()
            && bytes
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            i += 1;
        } else {
            break;
        }
    }
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut decimals = 0u32;
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        digits.push('.');
        i += 1;
        while let Some(b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            if decimals < 8 {
                digits.push(char::from(*b));
                decimals += 1;
            }
            i += 1;
        }
    }
    let value: rust_decimal::Decimal = digits.parse().ok()?;
    let tail = rest.get(i..).unwrap_or("");
    let word_end = |n: usize| {
        !tail
            .get(n..)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_alphanumeric)
    };
    let (extra, thousands) = if tail.starts_with(" million") && word_end(8) {
        (8, 2)
    } else if tail.starts_with("million") && word_end(7) {
        (7, 2)
    } else if tail.starts_with("bn") && word_end(2) {
        (2, 3)
    } else if tail.starts_with('m') && word_end(1) {
        (1, 2)
    } else if tail.starts_with('k') && word_end(1) {
        (1, 1)
    } else {
        (0, 0)
    };
    Some((
        i + extra,
        MoneyLiteral {
            line: 0,
            col: 0,
            text: String::new(),
            value,
            decimals,
            thousands,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> String {
        let mut out = String::new();
        for b in blocks {
            match b {
                Block::Para { c } | Block::Heading { c, .. } => {
                    for i in c {
                        match i {
                            Inline::Text { s } => out.push_str(s),
                            Inline::Code { s } => {
                                out.push('`');
                                out.push_str(s);
                                out.push('`');
                            }
                            _ => out.push('?'),
                        }
                    }
                    out.push('\n');
                }
                Block::Code { s } => out.push_str(s),
                _ => out.push_str("?\n"),
            }
        }
        out
    }

    #[test]
    fn placeholders_are_found_outside_code_and_escapes() {
        let text = "a {{ npsv }} b \\{{ npsv }} `{{ npsv }}`\n\n```\n{{ npsv }}\n```\n\n    {{ npsv }}\n\nc {{ net \"Avon and Somerset\" JOINT }}\n";
        let found = placeholders(text);
        let at: Vec<(usize, usize)> = found.iter().map(|p| (p.line, p.col)).collect();
        assert_eq!(at, vec![(1, 3), (9, 3)]);
        assert_eq!(found[0].words, Ok(vec!["npsv".to_string()]));
        assert_eq!(
            found[1].words,
            Ok(vec![
                "net".to_string(),
                "Avon and Somerset".to_string(),
                "JOINT".to_string()
            ])
        );
        let blocks = parse_with(text, |p| {
            format!("<{}>", p.words.clone().unwrap().join("|"))
        });
        assert_eq!(
            texts(&blocks),
            "a <npsv> b {{ npsv }} `{{ npsv }}`\n{{ npsv }}\n{{ npsv }}\nc <net|Avon and Somerset|JOINT>\n"
        );
    }

    #[test]
    fn a_figure_never_becomes_markup() {
        let blocks = parse_with("x {{ a }} y\n", |_| {
            "*#[link](http://e)* `c` <b> \\ | _u_".into()
        });
        assert_eq!(texts(&blocks), "x *#[link](http://e)* `c` <b> \\ | _u_ y\n");
        assert_eq!(blocks.len(), 1);
    }

    #[test]
    fn text_without_placeholders_parses_as_before() {
        let text = "# T\n\nSome *text* with {braces} and £4.1m.\n";
        assert_eq!(parse_with(text, |_| unreachable!()), parse(text));
    }
}
