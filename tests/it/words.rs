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

/// `value` (a decimal as JSON gives it) divided by 1,000 and rounded half
/// away from zero to one place, as a table prints it.
fn in_millions(value: &str) -> String {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let v = Decimal::from_str(value).unwrap() / Decimal::from(1000);
    let r = v.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    fivecase::format::money(r, 1)
}

/// A JSON string field of the option `id` in `compute --json`'s output.
fn option_field(json: &str, id: &str, field: &str) -> String {
    let start = json.find(&format!("\"id\": \"{id}\"")).unwrap();
    let object_start = json[..start].rfind('{').unwrap();
    let object = &json[object_start..];
    let object = &object[..object.find('}').unwrap()];
    let at = object.find(&format!("\"{field}\": \"")).unwrap() + field.len() + 5;
    object[at..].split('"').next().unwrap().to_string()
}

#[test]
fn a_case_entered_in_thousands_shows_millions_throughout_when_asked() {
    let case = copy_case("sample", "words-unit");
    let dir = case.parent().unwrap();
    // The figures as entered (£k), from the JSON, which stays in the entered unit.
    let json = run_in(dir, &["compute", "--json", case.to_str().unwrap()]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert!(
        json.stdout.contains("\"unit\": \"£k\""),
        "JSON changed unit"
    );
    add_keys(&case, "display_unit = \"£m\"");
    let again = run_in(dir, &["compute", "--json", case.to_str().unwrap()]);
    assert_eq!(
        again.stdout, json.stdout,
        "JSON must stay in the entered unit"
    );

    // Terminal: every table says £m, and each option's PV costs, PV benefits
    // and NPSV are the £k figures / 1,000 rounded to one place.
    let tables = run_in(dir, &["compute", case.to_str().unwrap()]);
    assert_eq!(tables.code, 0, "{}", tables.stderr);
    assert!(
        tables.stdout.contains("All money in £m"),
        "{}",
        tables.stdout
    );
    assert!(!tables.stdout.contains("£k"), "{}", tables.stdout);
    let appraisal = tables
        .stdout
        .split("Economic appraisal (£m")
        .nth(1)
        .unwrap();
    for id in ["HUB", "MERGE"] {
        let line = appraisal
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap();
        let expected: Vec<String> = ["pv_costs", "pv_benefits", "npsv"]
            .iter()
            .map(|f| in_millions(&option_field(&json.stdout, id, f)))
            .collect();
        let shown = line.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            shown.contains(&expected.join(" ")),
            "{shown} lacks {expected:?}"
        );
    }

    // The document: the same figures in £m, and no table in £k.
    let out = case.join("millions.pdf");
    let run = build(&case, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_text(&out, "-layout") else {
        return;
    };
    let text = squeeze(&pages.join("\n"));
    // The Assumptions appendix alone names the unit the workbook is entered in.
    let in_k: Vec<&str> = text.lines().filter(|l| l.contains("£k")).collect();
    assert_eq!(
        in_k,
        ["Money unit £k as entered; shown in £m Assumptions!B5"],
        "a figure in £k is left"
    );
    let npsv = in_millions(&option_field(&json.stdout, "HUB", "npsv"));
    assert!(
        text.contains(&format!(
            "Net present social value (£m, present value) {npsv}"
        )),
        "headline NPSV is not {npsv}"
    );
    let merge = in_millions(&option_field(&json.stdout, "MERGE", "npsv"));
    assert!(
        text.contains(&format!("Net present social value – {npsv} {merge}")),
        "appraisal table NPSV is not {npsv} {merge}"
    );
}

#[test]
fn the_summary_page_opens_the_document_with_the_decision_the_forces_and_the_risks() {
    let case = copy_case("sample", "words-summary");
    let out = case.join("summary.pdf");
    let run = build(&case, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_text(&out, "-layout") else {
        return;
    };
    // Page 1 is the title page; the summary is page 2, whole on it.
    let page = squeeze(&pages[1]);
    let order = [
        "Summary for Police and Crime Commissioners",
        "The decision asked for",
        "recommends the shared business services hub (option HUB)",
        "for approval by the Eastern Region Collaboration Summit.",
        "The preferred option",
        "net present social value of £49,278k (a benefit-cost ratio of 3.76)",
        "What it costs and saves each force",
        "Table 1: Costs and savings of each force under the preferred option (£k, totals 2026/27 to 2035/36)",
        "Essex 1,905 16,983 15,079 17,066 net beneficiary",
        "Total 11,300 69,600 58,300 66,401",
        "Its largest risks",
        // The preferred option's three risks with the highest expected cost, largest first.
        "(R1): expected cost £450k, a 30% chance of £1,500k",
        "(R2): expected cost £320k, a 40% chance of £800k",
        "(R3): expected cost £200k, a 10% chance of £2,000k",
        "The risk register in the Management Case lists 1 more.",
        "What happens next",
        "The Eastern Region Collaboration Summit is asked to:",
        "1. agree the shared business services hub (option HUB) as the preferred option",
        // The Milestones sheet's first milestone on or after the document's date.
        "The next milestone is Outline Business Case approved by the Summit, by 10 December 2026.",
        "From the Senior Responsible Owner",
        "Why this matters to each force",
    ];
    let mut from = 0;
    for text in order {
        let at = page[from..]
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} not on page 2 after byte {from}:\n{page}"));
        from += at + text.len();
    }
    // The SRO's executive summary does not repeat the generated decisions:
    // they are asked for once on the summary page and once in the executive summary.
    let all = squeeze(&pages.join("\n"));
    assert_eq!(
        all.matches("is asked to").count(),
        2,
        "decisions asked for more than twice"
    );
    let next = squeeze(&pages[2]);
    let mut lines = next.lines().filter(|l| !l.is_empty());
    assert_eq!(
        (lines.next(), lines.next()),
        (Some("OFFICIAL"), Some("Document control")),
        "the summary runs past its page:\n{next}"
    );
}

#[test]
fn without_summary_md_the_summary_page_has_no_sro_paragraph_and_no_warning() {
    let case = copy_case("sample", "words-no-summary");
    fs::remove_file(case.join("narrative/summary.md")).unwrap();
    let check = run_in(case.parent().unwrap(), &["check", case.to_str().unwrap()]);
    assert!(!check.stderr.contains("summary.md"), "{}", check.stderr);
    let out = case.join("nosummary.pdf");
    let run = build(&case, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = pdf_text(&out, "-layout") else {
        return;
    };
    let page = squeeze(&pages[1]);
    assert!(page.contains("What happens next"), "{page}");
    assert!(
        !page.contains("From the Senior Responsible Owner"),
        "{page}"
    );
}

/// True when a page (pdftotext `-layout`) holds a figure's caption and no
/// prose: every other line, runs of spaces made one, is short chart text
/// (labels, axis titles, legend) or the running header and footer.
fn figure_only(page: &str) -> bool {
    let text = squeeze(page);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let Some(caption) = lines.iter().position(|l| l.starts_with("Figure ")) else {
        return false;
    };
    let footer = lines.len().saturating_sub(1);
    !lines
        .iter()
        .enumerate()
        .any(|(i, l)| i != caption && i != footer && l.chars().count() > 60)
}

#[test]
fn no_page_holds_only_a_figure_and_its_caption() {
    assert!(figure_only(
        "OFFICIAL\n  Axis   title\n  Figure 2: Tornado chart\nA footer, Page 9 of 18\n"
    ));
    assert!(!figure_only(
        "OFFICIAL\nFigure 2: Tornado chart\nNo scenarios are defined, so the case is appraised only as it stands.\nfooter\n"
    ));
    for name in ["sample", "east-midlands"] {
        let case = copy_case(name, "words-figure-pages");
        let out = case.join("pages.pdf");
        let run = run_in(
            case.parent().unwrap(),
            &[
                "build",
                case.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--date",
                "2026-11-20",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let Some(pages) = pdf_text(&out, "-layout") else {
            return;
        };
        for (i, page) in pages.iter().enumerate() {
            assert!(
                !figure_only(page),
                "{name}: page {} holds only a figure:\n{page}",
                i + 1
            );
        }
    }
}
