//! A limit on every size, and messages that say what to do: each limit at
//! its edge (accepted) and one past it (exit 1, a located message that
//! prints the value that exceeded it), each input generated here.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::support::{Run, run_in, temp_dir, valid};

/// A case folder `case/` in a fresh folder: the small valid workbook, a
/// case.toml of `toml` and the narrative parts given.
fn case(name: &str, toml: &str, narrative: &[(&str, &str)]) -> PathBuf {
    let dir = temp_dir(name);
    let case = dir.join("case");
    std::fs::create_dir_all(case.join("narrative")).unwrap();
    valid().write(&case.join("workbook.xlsx"));
    std::fs::write(case.join("case.toml"), toml).unwrap();
    for (file, text) in narrative {
        std::fs::write(case.join("narrative").join(file), text).unwrap();
    }
    dir
}

const HEAD: &str = "title = \"Limits\"\nstage = \"OBC\"\n";

fn check(dir: &Path) -> Run {
    run_in(dir, &["check", "case"])
}

/// Exit 1, and `line` among stderr's lines.
fn refused(run: &Run, line: &str) {
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l == line),
        "expected the line\n{line}\nin\n{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

/// Exit 0 (the case is valid).
fn accepted(run: &Run) {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
}

fn scenarios(n: usize) -> String {
    let mut s = HEAD.to_string();
    for i in 0..n {
        let _ = write!(s, "\n[[scenario]]\nname = \"s{i}\"\ncost_overrun = 0.1\n");
    }
    s
}

#[test]
fn at_most_100_scenarios() {
    accepted(&check(&case("scenarios-100", &scenarios(100), &[])));
    // The 101st table starts on line 3 + 4 × 100 + 1.
    refused(
        &check(&case("scenarios-101", &scenarios(101), &[])),
        "case/case.toml:404:1: case.toml has 101 scenarios, more than the 100 fivecase compares",
    );
}

#[test]
fn at_most_20_sensitivity_fractions() {
    let list = |n: usize| format!("{HEAD}sensitivity = [{}]\n", vec!["0.1"; n].join(", "));
    accepted(&check(&case("sensitivity-20", &list(20), &[])));
    refused(
        &check(&case("sensitivity-21", &list(200_000), &[])),
        "case/case.toml:3:116: `sensitivity`: 200,000 fractions, more than the 20 fivecase tests",
    );
}

#[test]
fn texts_that_reach_the_document_are_at_most_2000_characters() {
    let title = |n: usize| format!("title = \"{}\"\nstage = \"OBC\"\n", "T".repeat(n));
    accepted(&check(&case("title-2000", &title(2_000), &[])));
    refused(
        &check(&case("title-200000", &title(200_000), &[])),
        "case/case.toml:1:9: `title`: the text is 200,000 characters long, more than the 2,000 fivecase accepts",
    );
    let marking = format!("{HEAD}marking = \"{}\"\n", "M".repeat(100_000));
    refused(
        &check(&case("marking", &marking, &[])),
        "case/case.toml:3:11: `marking`: the text is 100,000 characters long, more than the 2,000 fivecase accepts",
    );
    let history = format!(
        "{HEAD}[[history]]\nversion = \"1\"\ndate = \"2026-01-01\"\nauthor = \"A\"\nchanges = \"{}\"\n",
        "c".repeat(2_001)
    );
    refused(
        &check(&case("history", &history, &[])),
        "case/case.toml:7:11: `changes` in [[history]] 1: the text is 2,001 characters long, more than the 2,000 fivecase accepts",
    );
}

#[test]
fn a_workbook_text_cell_is_at_most_2000_characters() {
    let dir = temp_dir("cell-text");
    // An option's description (Options!C3), then one of 40,000 characters,
    // more than Excel holds in a cell or the export could write (written
    // into the shared strings directly: rust_xlsxwriter refuses it).
    valid()
        .set("Options", 2, 2, &"d".repeat(2_001))
        .write(&dir.join("wb.xlsx"));
    refused(
        &run_in(&dir, &["check", "wb.xlsx"]),
        "wb.xlsx: Options!C3: the text is 2,001 characters long, more than the 2,000 fivecase accepts",
    );
    valid().write(&dir.join("plain.xlsx"));
    crate::support::rewrite_entry(
        &dir.join("plain.xlsx"),
        &dir.join("wb.xlsx"),
        "xl/sharedStrings.xml",
        |xml| xml.replacen("One room for all", &"d".repeat(40_000), 1),
    );
    refused(
        &run_in(&dir, &["check", "wb.xlsx"]),
        "wb.xlsx: Options!C3: the text is 40,000 characters long, more than the 2,000 fivecase accepts",
    );
}

#[test]
fn at_most_16_combining_marks_on_one_character() {
    let line = |n: usize| format!("title = \"Cafe{}\"\nstage = \"OBC\"\n", "\u{301}".repeat(n));
    accepted(&check(&case("marks-16", &line(16), &[])));
    refused(
        &check(&case("marks-17", &line(17), &[])),
        "case/case.toml:1:9: `title`: character 4 carries 17 combining marks, more than the 16 fivecase accepts on one character",
    );
}

#[test]
fn a_narrative_part_has_at_most_1000_headings_and_12_levels_of_nesting() {
    let headings = |n: usize| "# Heading\n\ntext\n\n".repeat(n);
    accepted(&check(&case(
        "headings-1000",
        HEAD,
        &[("strategic.md", &headings(1_000))],
    )));
    refused(
        &check(&case(
            "headings-50000",
            HEAD,
            &[("strategic.md", &headings(50_000))],
        )),
        "case/narrative/strategic.md:4001:1: the file has 50,000 headings, more than the 1,000 fivecase typesets in one part",
    );
    let quotes = |n: usize| format!("{} deep\n", "> ".repeat(n));
    accepted(&check(&case(
        "nesting-11",
        HEAD,
        &[("economic.md", &quotes(11))],
    )));
    refused(
        &check(&case("nesting-40", HEAD, &[("economic.md", &quotes(40))])),
        "case/narrative/economic.md:1:25: lists, quotes, emphasis or links are nested 41 levels deep here, more than the 12 fivecase typesets",
    );
    let marks = format!("Cafe{} is here\n", "\u{301}".repeat(100_000));
    refused(
        &check(&case("narrative-marks", HEAD, &[("financial.md", &marks)])),
        "case/narrative/financial.md:1:5: character 4 carries 100,000 combining marks, more than the 16 fivecase accepts on one character",
    );
}

#[test]
fn at_most_100_partners_and_30_options() {
    let dir = temp_dir("partners");
    let mut book = valid();
    for i in 0..101 {
        book = book
            .set("Partners", 4 + i, 0, &format!("Force {i}"))
            .set("Partners", 4 + i, 1, "10")
            .set("Partners", 4 + i, 2, "10");
    }
    book.write(&dir.join("wb.xlsx"));
    refused(
        &run_in(&dir, &["check", "wb.xlsx"]),
        "wb.xlsx: Partners!A102: the sheet lists 104 partners, more than the 100 fivecase apportions between",
    );
    let mut book = valid();
    for i in 0..29 {
        book = book
            .set("Options", 3 + i, 0, &format!("X{i}"))
            .set("Options", 3 + i, 1, "Another")
            .set("Options", 3 + i, 3, "No");
    }
    book.write(&dir.join("wb.xlsx"));
    refused(
        &run_in(&dir, &["check", "wb.xlsx"]),
        "wb.xlsx: Options!A32: the sheet lists 31 options, more than the 30 fivecase appraises",
    );
}

/// `check` reports what `scenarios`, `build` and `export` would refuse.
#[test]
fn check_reports_a_scenario_that_leaves_out_a_partner_named_by_a_line() {
    let toml =
        format!("{HEAD}\n[[scenario]]\nname = \"no-kent\"\npartners = [\"Essex\", \"Suffolk\"]\n");
    let dir = case("scenario-partners", &toml, &[]);
    let line = "case/case.toml:4:1: scenario \"no-kent\": partners: Costs row 4 (\"Running costs\") names \"Kent\", who does not join";
    for command in ["check", "scenarios"] {
        let run = run_in(&dir, &[command, "case"]);
        refused(&run, line);
        assert!(run.stderr.contains("  hint: set drop_partner_lines = true"));
    }
}

#[test]
fn a_missing_workbook_names_the_spreadsheets_the_folder_holds() {
    let dir = case("workbook-ods", HEAD, &[]);
    std::fs::rename(
        dir.join("case/workbook.xlsx"),
        dir.join("case/workbook.ods"),
    )
    .unwrap();
    let run = check(&dir);
    refused(
        &run,
        "case/workbook.xlsx: the workbook does not exist; its folder holds workbook.ods",
    );
    assert!(
        run.stderr.contains(
            "  hint: fivecase reads .xlsx: save it as .xlsx or set `workbook` in case.toml"
        )
    );
}

#[test]
fn two_identical_lines_are_a_warning_naming_both_rows() {
    let dir = temp_dir("twice");
    valid()
        .set("Costs", 4, 0, "OPT1")
        .set("Costs", 4, 1, "Running costs")
        .set("Costs", 4, 2, "Revenue")
        .set("Costs", 4, 3, "Kent")
        .set("Costs", 4, 4, "60")
        .set("Costs", 4, 5, "60")
        .set("Costs", 4, 6, "60")
        .write(&dir.join("wb.xlsx"));
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l
            == "wb.xlsx: Costs!A5: warning: this line repeats row 4 in every column read: it would be counted twice"),
        "{}",
        run.stderr
    );
    // The same line for another partner is no repeat.
    valid()
        .set("Costs", 4, 0, "OPT1")
        .set("Costs", 4, 1, "Running costs")
        .set("Costs", 4, 2, "Revenue")
        .set("Costs", 4, 3, "Essex")
        .set("Costs", 4, 4, "60")
        .set("Costs", 4, 5, "60")
        .set("Costs", 4, 6, "60")
        .write(&dir.join("wb.xlsx"));
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains("repeats"), "{}", run.stderr);
}

#[test]
fn case_toml_with_cr_line_endings_and_one_byte_over_get_reasons() {
    let dir = case("cr", &HEAD.replace('\n', "\r"), &[]);
    refused(
        &check(&dir),
        "case/case.toml:1:17: not valid TOML: its lines end with a carriage return (CR) alone: save it with LF or CR LF line endings",
    );
    let over = format!("{HEAD}#{}\n", "x".repeat(1024 * 1024 - HEAD.len() - 1));
    assert_eq!(over.len(), 1024 * 1024 + 1);
    refused(
        &check(&case("over", &over, &[])),
        "case/case.toml: the file is 1,048,577 bytes, more than the 1,048,576 bytes (1024 KiB) fivecase reads",
    );
}

#[test]
fn numbers_out_of_range_say_too_large_with_the_limit() {
    let toml = format!(
        "{HEAD}\n[[scenario]]\nname = \"a\"\ncost_overrun = 1e308\nsavings_realisation = 1e27\ndiscount_rate = -1e27\n"
    );
    let run = check(&case("too-large", &toml, &[]));
    refused(
        &run,
        "case/case.toml:6:16: `cost_overrun` in scenario \"a\": the number 1e308 is too large: fivecase reads numbers below about 7.9e28",
    );
    refused(
        &run,
        "case/case.toml:7:23: `savings_realisation` in scenario \"a\": expected a fraction from 0 to 1, found 1e27",
    );
    refused(
        &run,
        "case/case.toml:8:17: `discount_rate` in scenario \"a\": expected a discount rate from 0% to 20%, found -1e27",
    );
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
    // Just above 500%: the message shows the value as typed, not rounded onto the bound.
    let dir = temp_dir("ob");
    valid()
        .set("Options", 2, 4, "5.0000001")
        .write(&dir.join("wb.xlsx"));
    refused(
        &run_in(&dir, &["check", "wb.xlsx"]),
        "wb.xlsx: Options!E3: optimism bias of 500.00001% is above the 500% fivecase accepts",
    );
}

/// A number of 400 digits in the sheet's XML (Excel would never write it)
/// reads as too large, never as "inf" or 400 digits.
#[test]
fn a_400_digit_number_is_too_large() {
    let dir = temp_dir("digits");
    valid().write(&dir.join("plain.xlsx"));
    let digits = format!("1{}", "0".repeat(399));
    // Costs is the fourth sheet; its E3 holds 50.
    crate::support::rewrite_entry(
        &dir.join("plain.xlsx"),
        &dir.join("wb.xlsx"),
        "xl/worksheets/sheet4.xml",
        |xml| xml.replacen("<v>50</v>", &format!("<v>{digits}</v>"), 1),
    );
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    refused(
        &run,
        "wb.xlsx: Costs!E3: the number (beyond 1.8e308) is too large: fivecase reads numbers below about 7.9e28",
    );
}

/// One flipped bit in a part's recorded size is a damaged file, not a zip bomb.
#[test]
fn a_flipped_size_is_damaged_not_a_bomb() {
    let dir = temp_dir("flip");
    valid().write(&dir.join("plain.xlsx"));
    let mut bytes = std::fs::read(dir.join("plain.xlsx")).unwrap();
    let name = b"xl/worksheets/sheet4.xml";
    // The central directory entry of the Costs sheet: its uncompressed size at +24.
    let at = (0..bytes.len() - 46)
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && bytes[i + 46..].starts_with(name))
        .unwrap();
    bytes[at + 27] ^= 0x01;
    std::fs::write(dir.join("wb.xlsx"), &bytes).unwrap();
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "wb.xlsx: not an xlsx workbook: the file is damaged: the sizes recorded for the workbook part xl/worksheets/sheet4.xml disagree"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("bomb"));
}

/// A workbook of `years` appraisal years from 2025/26, in `unit`, at
/// `inflation`, with nine cost lines of `amount` a year for the option.
fn long_book(unit: &str, years: usize, inflation: &str, amount: &str) -> crate::support::Book {
    let mut book = valid()
        .set("Assumptions", 3, 1, unit)
        .set("Assumptions", 5, 1, inflation)
        .set("Assumptions", 6, 1, inflation);
    let year = |i: usize| format!("{}/{:02}", 2025 + i, (26 + i) % 100);
    // Costs: the header, then business as usual and nine lines for OPT1.
    for col in 4..4 + years {
        book = book.set("Costs", 0, col, &year(col - 4));
        book = book.set("Benefits", 0, col, &year(col - 4));
    }
    for row in 1..6 {
        for col in 4..4 + years {
            book = book.set("Costs", row, col, "");
        }
    }
    for line in 0..10 {
        let (option, name) = if line == 0 {
            ("BAU", "Control rooms".to_string())
        } else {
            ("OPT1", format!("Line {line}"))
        };
        book = book
            .set("Costs", 1 + line, 0, option)
            .set("Costs", 1 + line, 1, &name)
            .set("Costs", 1 + line, 2, "Revenue")
            .set("Costs", 1 + line, 3, "");
        for col in 4..4 + years {
            book = book.set("Costs", 1 + line, col, amount);
        }
    }
    book
}

/// The issue's overflow inputs: a £m workbook with nine cost lines of 1e12
/// a year for 200 years at 10% inflation is refused at the inflation cell
/// (its index would pass the bound that keeps the engine in range), never
/// an unlocated "Number exceeds maximum value".
#[test]
fn nine_lines_of_1e12_for_200_years_at_10_percent_are_refused_at_the_inflation_cell() {
    let dir = temp_dir("overflow-m");
    long_book("£m", 200, "0.1", "1000000000000").write(&dir.join("wb.xlsx"));
    for command in ["check", "compute"] {
        let run = run_in(&dir, &[command, "wb.xlsx"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.starts_with(
                "wb.xlsx: Assumptions!B6: general inflation of 10% compounded over the 199 years"
            ),
            "{}",
            run.stderr
        );
    }
}

/// The largest amount, in £k, every year for 200 years on nine lines, at
/// 2% inflation: check accepts it, and compute and scenarios compute it.
#[test]
fn the_largest_amounts_for_200_years_compute() {
    let dir = temp_dir("overflow-k");
    long_book("£k", 200, "0.02", "999999999999999").write(&dir.join("wb.xlsx"));
    for command in ["check", "compute", "scenarios"] {
        let run = run_in(&dir, &[command, "wb.xlsx"]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
    }
}

/// Partners × options × years is bounded as a whole: 100 partners, 30
/// options and 34 years are each within their own limit, but make 102,000
/// figures by partner.
#[test]
fn partners_options_and_years_together_are_at_most_30000() {
    let dir = temp_dir("product");
    let mut book = long_book("£k", 34, "0.02", "10");
    for i in 0..97 {
        book = book
            .set("Partners", 4 + i, 0, &format!("Force {i}"))
            .set("Partners", 4 + i, 1, "10")
            .set("Partners", 4 + i, 2, "10");
    }
    for i in 0..28 {
        book = book
            .set("Options", 3 + i, 0, &format!("X{i}"))
            .set("Options", 3 + i, 1, "Another")
            .set("Options", 3 + i, 2, "Another option")
            .set("Options", 3 + i, 3, "No")
            .set("Options", 3 + i, 4, "0")
            .set("Options", 3 + i, 5, "0");
    }
    book.write(&dir.join("wb.xlsx"));
    refused(
        &run_in(&dir, &["check", "wb.xlsx"]),
        "wb.xlsx: Partners: 100 partners × 30 options × 34 years make 102,000 figures by partner, more than the 30,000 fivecase tabulates",
    );
}

/// A link whose address is longer than a PDF string may be is refused by
/// `check` at the link, not by typst inside the template.
#[test]
fn a_link_address_is_at_most_2000_characters() {
    let text = format!(
        "See [the site](https://example.org/{}).\n",
        "a".repeat(40_000)
    );
    refused(
        &check(&case("long-url", HEAD, &[("strategic.md", &text)])),
        "case/narrative/strategic.md:1:5: the link's address is 40,020 characters long, more than the 2,000 fivecase accepts",
    );
}

/// Texts at their limit reach the PDF: a 2,000-character title, SRO (the
/// PDF's author) and marking typeset, so a PDF string never passes typst's
/// limit inside the template.
#[test]
fn texts_at_their_limit_typeset() {
    let long = "Word ".repeat(400);
    let toml = format!(
        "title = \"{long}\"\nstage = \"OBC\"\ndate = 2026-11-20\nsro = \"{long}\"\nmarking = \"{long}\"\n"
    );
    let dir = case("long-texts", &toml, &[]);
    let run = run_in(&dir, &["build", "case", "-o", "case.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("case.pdf").is_file());
}

/// At most 5,000 lines on a sheet: 199,998 cost lines once took `export`
/// 15.8 s and 1 GB, and 20,000 took `build` 22 s.
#[test]
fn at_most_5000_lines_on_a_sheet() {
    let dir = temp_dir("lines");
    let mut book = valid();
    for i in 0..5_000 {
        book = book
            .set("Costs", 6 + i, 0, "OPT1")
            .set("Costs", 6 + i, 1, &format!("Line {i}"))
            .set("Costs", 6 + i, 2, "Revenue")
            .set("Costs", 6 + i, 4, "1");
    }
    book.write(&dir.join("wb.xlsx"));
    refused(
        &run_in(&dir, &["check", "wb.xlsx"]),
        "wb.xlsx: Costs!A5004: the sheet has 5,003 lines, more than the 5,000 fivecase reads",
    );
}
