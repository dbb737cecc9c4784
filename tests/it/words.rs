//! The document in the bodies' own words: no word of the tool's own in
//! its visible text, the decision and recommending bodies case.toml names,
//! plurals and articles right, money in the display unit.

use std::fs;
use std::path::{Path, PathBuf};

use fivecase::testkit::pdf_text;

use crate::support::{Run, run_in, temp_dir};

fn copy_case(name: &str, test: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let dir = temp_dir(test).join(name);
    copy(&from, &dir);
    dir
}

/// `case.toml` with `lines` added after its `title` line (top-level keys
/// must come before the first table).
fn add_keys(case: &Path, lines: &str) {
    let path = case.join("case.toml");
    let text = fs::read_to_string(&path).unwrap();
    let (head, tail) = text.split_once("\ntitle = ").unwrap();
    let (title, rest) = tail.split_once('\n').unwrap();
    fs::write(&path, format!("{head}\ntitle = {title}\n{lines}\n{rest}")).unwrap();
}

fn build(case: &Path, out: &Path) -> Run {
    run_in(
        case.parent().unwrap(),
        &["build", case.to_str().unwrap(), "-o", out.to_str().unwrap()],
    )
}

/// Runs of spaces made one.
fn squeeze(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every place in `text` where a word of the tool's own appears: "case.toml",
/// "fivecase", "parameter table", a sheet row number (`\b[Rr]ows? \d`) or a
/// bracketed plural "(s)", each with its line.
fn tool_words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let lower = line.to_lowercase();
        for word in ["case.toml", "fivecase", "parameter table", "(s)"] {
            if lower.contains(word) {
                found.push(format!("{word:?} in: {line}"));
            }
        }
        let chars: Vec<char> = line.chars().collect();
        for (i, w) in chars.windows(3).enumerate() {
            let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
            if !(boundary && (w[0] == 'R' || w[0] == 'r') && w[1] == 'o' && w[2] == 'w') {
                continue;
            }
            let mut j = i + 3;
            if chars.get(j) == Some(&'s') {
                j += 1;
            }
            if chars.get(j) == Some(&' ') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                found.push(format!("a row number in: {line}"));
            }
        }
    }
    found
}

#[test]
fn the_scan_finds_each_word_of_the_tool_it_looks_for() {
    // The scan itself can fail: each forbidden form is found, the allowed ones are not.
    for bad in [
        "set in case.toml",
        "made by fivecase",
        "Fivecase",
        "a parameter table",
        "Costs row 13",
        "rows 4 to 9",
        "2 year(s)",
    ] {
        assert_eq!(tool_words(bad).len(), 1, "{bad}");
    }
    for good in [
        "Costs sheet, capital",
        "borrows 3 times",
        "2 years",
        "arrow 3",
    ] {
        assert!(tool_words(good).is_empty(), "{good}");
    }
}

#[test]
fn the_sample_pdf_speaks_no_word_of_the_tool() {
    let case = copy_case("sample", "words-scan");
    let out = case.join("scan.pdf");
    let run = build(&case, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_text(&out, "-raw") else {
        return;
    };
    // Every page, the source map's cell ranges included: they name cells, not rows.
    assert!(pages.len() > 10, "{} pages", pages.len());
    let found: Vec<String> = pages.iter().flat_map(|p| tool_words(p)).collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn generated_sentences_name_the_bodies_case_toml_gives() {
    let case = copy_case("east-midlands", "words-bodies");
    add_keys(
        &case,
        "decision_body = \"the East Midlands Joint Chiefs\"\nrecommending_body = \"the Regional Finance Board\"",
    );
    let out = case.join("bodies.pdf");
    let run = build(&case, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_text(&out, "-layout") else {
        return;
    };
    let text = squeeze(&pages.join("\n"));
    assert!(
        text.contains("The East Midlands Joint Chiefs is asked to:"),
        "no capitalised decision body"
    );
    assert!(
        text.contains("for approval by the East Midlands Joint Chiefs"),
        "no decision body mid-sentence"
    );
    assert!(
        !text.contains("Summit"),
        "the default body is still printed"
    );
}

#[test]
fn an_empty_or_unknown_display_unit_or_body_is_an_error_at_its_place() {
    let case = copy_case("east-midlands", "words-bad-keys");
    add_keys(&case, "decision_body = \"  \"\ndisplay_unit = \"£bn\"");
    let run = run_in(case.parent().unwrap(), &["check", case.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("case.toml:8:17: `decision_body`: expected the body's name"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "case.toml:9:16: `display_unit`: expected \"£\", \"£k\" or \"£m\", found \"£bn\""
        ),
        "{}",
        run.stderr
    );
}
