//! `fivecase check`: a valid case's summary, and every bad input's exact messages.

use std::io::Write as _;

use crate::support::{Book, assert_problems, check_book, run_in, temp_dir, valid};

/// Writes the valid workbook and `toml` as a case folder `mycase` (with all
/// six narrative parts) and checks it.
fn check_case(name: &str, toml: &str) -> crate::support::Run {
    run_case(name, toml, "check")
}

/// As [`check_case`], running `command` instead of `check`.
fn run_case(name: &str, toml: &str, command: &str) -> crate::support::Run {
    run_book_case(name, &valid(), toml, command)
}

/// As [`run_case`], with `book` as the workbook.
fn run_book_case(name: &str, book: &Book, toml: &str, command: &str) -> crate::support::Run {
    let dir = temp_dir(name);
    write_book_case(&dir, book, toml);
    run_in(&dir, &[command, "mycase"])
}

/// Writes `book` and `toml` as the case folder `dir/mycase`, with all six
/// narrative parts.
fn write_book_case(dir: &std::path::Path, book: &Book, toml: &str) {
    let case = dir.join("mycase");
    std::fs::create_dir_all(case.join("narrative")).unwrap();
    book.write(&case.join("workbook.xlsx"));
    std::fs::write(case.join("case.toml"), toml).unwrap();
    for part in [
        "executive-summary",
        "strategic",
        "economic",
        "commercial",
        "financial",
        "management",
    ] {
        std::fs::write(
            case.join("narrative").join(format!("{part}.md")),
            "## Text\n",
        )
        .unwrap();
    }
}

#[test]
fn a_valid_workbook_checks_clean() {
    let run = check_book("valid", &valid());
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "wb.xlsx: the case is valid
  title        wb
  stage        OBC (Outline Business Case)
  unit         £k
  base year    2025/26
  years        2025/26 to 2027/28 (3 years)
  partners     3 (Essex, Kent, Suffolk), apportioned by Government grant
  options      2 (BAU (baseline), OPT1)
  lines        3 costs (1 capital, 2 revenue), 2 benefits (1 cashable, 1 non-cashable), 1 risks
  budget       2025/26 to 2026/27 (2 years), 5 lines
  narrative    none (a bare workbook has no narrative folder)
  skipped      Costs 1 (blank or total rows)
"
    );
}

/// `mycase` in a fresh folder: a valid SOC case whose narrative lacks management.md.
fn case_without_management(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let case = dir.join("mycase");
    std::fs::create_dir_all(case.join("narrative")).unwrap();
    valid().write(&case.join("workbook.xlsx"));
    std::fs::write(
        case.join("case.toml"),
        "title = \"Joint control room\"\nstage = \"SOC\"\npreferred = \"opt1\"\n",
    )
    .unwrap();
    for part in [
        "executive-summary",
        "strategic",
        "economic",
        "commercial",
        "financial",
    ] {
        std::fs::write(
            case.join("narrative").join(format!("{part}.md")),
            "## Text\n",
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_case_folder_reads_case_toml_and_warns_of_missing_narrative() {
    let dir = case_without_management("folder");
    let run = run_in(&dir, &["check", "mycase"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "mycase/narrative/management.md: warning: missing: that part of the document will have no narrative\n"
    );
    assert!(run.stdout.starts_with("mycase/workbook.xlsx: the case is valid\n  title        Joint control room\n  stage        SOC (Strategic Outline Case)\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("  options      2 (BAU (baseline), OPT1 (preferred))\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  narrative    5 of 6 parts; missing management.md\n"),
        "{}",
        run.stdout
    );
}

/// The commands that print no narrative leave its missing parts to
/// `check` and `build`: a finance lead running the figures sees no noise.
#[test]
fn only_check_and_build_warn_of_missing_narrative() {
    let dir = case_without_management("narrative-noise");
    let warning = "mycase/narrative/management.md: warning: missing";
    for args in [
        &["compute", "mycase"][..],
        &["compute", "mycase", "--json"],
        &["scenarios", "mycase"],
        &["export", "mycase"],
    ] {
        let run = run_in(&dir, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains(warning), "{args:?}: {}", run.stderr);
    }
    let run = run_in(&dir, &["build", "mycase", "--date", "2026-11-20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(warning), "{}", run.stderr);
}

#[test]
fn an_unknown_case_toml_key_names_its_line_and_the_nearest_key() {
    let run = check_case("toml-key", "# A case\ntitle = \"A\"\n  titel = \"B\"\n");
    assert_problems(
        &run,
        &[
            "mycase/case.toml:3:3: unknown key `titel`",
            "  hint: did you mean `title`?",
        ],
    );
}

#[test]
fn case_toml_problems_and_workbook_problems_are_reported_together() {
    let dir = temp_dir("toml-and-workbook");
    std::fs::create_dir_all(dir.join("narrative")).unwrap();
    valid()
        .set("Costs", 2, 5, "tbc")
        .write(&dir.join("workbook.xlsx"));
    std::fs::write(dir.join("case.toml"), "stage = \"XBC\"\n").unwrap();
    for part in [
        "executive-summary",
        "strategic",
        "economic",
        "commercial",
        "financial",
        "management",
    ] {
        std::fs::write(
            dir.join("narrative").join(format!("{part}.md")),
            "## Text\n",
        )
        .unwrap();
    }
    let run = run_in(&dir, &["check", "case.toml"]);
    assert_problems(
        &run,
        &[
            "case.toml:1:9: `stage`: expected SOC, OBC or FBC, found \"XBC\"",
            "workbook.xlsx: Costs!F3: expected a number, found \"tbc\"",
        ],
    );
}

#[test]
fn scenario_references_are_checked_against_the_workbook() {
    let run = check_case(
        "scenario-refs",
        "preferred = \"OPT1\"\n\n[[scenario]]\nname = \"Two forces\"\npartners = [\"Essex\", \"Kentt\"]\napportionment_key = \"Populaton\"\noptions = [\"BAU\"]\n",
    );
    assert_problems(
        &run,
        &[
            "mycase/case.toml:5:22: `partners` in scenario \"Two forces\": unknown partner \"Kentt\"",
            "  hint: did you mean 'Kent'?",
            "mycase/case.toml:6:21: `apportionment_key` in scenario \"Two forces\": unknown key column \"Populaton\"",
            "  hint: did you mean 'Population'?",
            "mycase/case.toml:7:12: `options` in scenario \"Two forces\" leaves out the preferred option \"OPT1\"",
            "  hint: add it to the list, or change `preferred`",
        ],
    );
}

#[test]
fn impossible_scenario_values_name_the_scenario_and_key() {
    let run = check_case(
        "scenario-values",
        "[[scenario]]\nname = \"Late\"\nsavings_realisation = 1.5\ncost_overrun = -0.8\nsavings_delay = 1\n",
    );
    assert_problems(
        &run,
        &[
            "mycase/case.toml:3:23: `savings_realisation` in scenario \"Late\": expected a fraction from 0 to 1, found 1.5",
            "mycase/case.toml:4:16: `cost_overrun` in scenario \"Late\": expected a fraction from -0.5 to 5, found -0.8",
            "mycase/case.toml:5:1: unknown key `savings_delay` in scenario \"Late\"",
            "  hint: did you mean `savings_delay_years`?",
        ],
    );
}

#[test]
fn a_full_business_case_needs_every_narrative_part() {
    let dir = temp_dir("fbc");
    let case = dir.join("mycase");
    std::fs::create_dir_all(&case).unwrap();
    valid().write(&case.join("workbook.xlsx"));
    std::fs::write(
        case.join("case.toml"),
        "stage = \"FBC\"\nworkbook = \"workbook.xlsx\"\n",
    )
    .unwrap();
    let run = run_in(&dir, &["check", "mycase"]);
    // Problems are sorted by file name, then position.
    let mut lines = Vec::new();
    for part in [
        "commercial",
        "economic",
        "executive-summary",
        "financial",
        "management",
        "strategic",
    ] {
        lines.push(format!("mycase/narrative/{part}.md: missing: a Full Business Case needs every part of the narrative"));
    }
    // The stage checklist (tests/it/content.rs) adds what else an FBC lacks.
    assert_eq!(run.code, 1, "{}", run.stderr);
    for line in &lines {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line}\n{}",
            run.stderr
        );
    }
}

#[test]
fn optimism_bias_categories_are_resolved_and_checked() {
    let book = valid()
        .set("Options", 0, 6, "Optimism bias mitigation")
        .set("Options", 2, 6, "0.95")
        .set("Options", 1, 5, "Standard buildings")
        .set("Options", 1, 4, "2.5");
    let run = check_book("ob", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Options!E2: warning: optimism bias of 250% is above 100%; check it",
            "wb.xlsx: Options!F2: `Standard buildings` has no operating-expenditure bound in the Green Book table; only Outsourcing has one",
            "wb.xlsx: Options!E3: warning: mitigation of 95% takes `Standard buildings` to 1.2%, below the Green Book lower bound of 2%",
            "wb.xlsx: Options!G3: mitigation applies to a Green Book category, not to a rate entered directly",
        ],
    );
}

#[test]
fn an_empty_file_is_not_a_workbook() {
    let dir = temp_dir("empty");
    std::fs::write(dir.join("wb.xlsx"), b"").unwrap();
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_problems(
        &run,
        &[
            "wb.xlsx: not an xlsx workbook: the file is empty",
            "  hint: open it in Excel and save it again as an Excel Workbook (.xlsx)",
        ],
    );
}

#[test]
fn a_text_file_renamed_xlsx_is_not_a_workbook() {
    let dir = temp_dir("text");
    std::fs::write(
        dir.join("wb.xlsx"),
        b"Partner,Government grant\nEssex,200\n",
    )
    .unwrap();
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_problems(
        &run,
        &[
            "wb.xlsx: not an xlsx workbook: the file is not a zip archive, or it is damaged or incomplete",
            "  hint: open it in Excel and save it again as an Excel Workbook (.xlsx)",
        ],
    );
}

#[test]
fn a_truncated_workbook_is_refused() {
    let dir = temp_dir("truncated");
    valid().write(&dir.join("full.xlsx"));
    let bytes = std::fs::read(dir.join("full.xlsx")).unwrap();
    std::fs::write(dir.join("wb.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_problems(
        &run,
        &[
            "wb.xlsx: not an xlsx workbook: the file is not a zip archive, or it is damaged or incomplete",
            "  hint: open it in Excel and save it again as an Excel Workbook (.xlsx)",
        ],
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_expanded() {
    let dir = temp_dir("bomb");
    let file = std::fs::File::create(dir.join("wb.xlsx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", options).unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..8 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 1);
    let first = run.stderr.lines().next().unwrap();
    assert!(
        first.starts_with("wb.xlsx: the workbook part xl/sharedStrings.xml expands ")
            && first.ends_with(" times, which only a crafted file (a zip bomb) does"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sheet_with_a_cell_at_xfd1048576_is_refused_quickly() {
    let mut book = valid();
    book = book.set("Costs", 0, 0, "Option");
    let dir = temp_dir("huge");
    let path = dir.join("wb.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (name, data) in &book.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(name).unwrap();
            for (r, row) in data.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
                    match cell {
                        crate::support::C::Num(n) => {
                            ws.write_number(r, c, *n).unwrap();
                        }
                        crate::support::C::Text(t) => {
                            ws.write_string(r, c, t).unwrap();
                        }
                        _ => {}
                    }
                }
            }
            if name == "Costs" {
                ws.write_string(1_048_575, 16_383, "far away").unwrap();
            }
        }
        wb.save(&path).unwrap();
    }
    let started = std::time::Instant::now();
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
    assert_problems(
        &run,
        &[
            "wb.xlsx: Costs: the sheet is too large: it has a value at XFD1048576, beyond the 200,000 rows and 1,000 columns fivecase reads",
        ],
    );
}

#[test]
fn a_shared_strings_count_beyond_the_file_is_refused() {
    let dir = temp_dir("sst");
    valid().write(&dir.join("full.xlsx"));
    crate::support::rewrite_entry(
        &dir.join("full.xlsx"),
        &dir.join("wb.xlsx"),
        "xl/sharedStrings.xml",
        |xml| {
            let start = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = start + xml[start..].find('"').unwrap();
            format!("{}999999999999{}", &xml[..start], &xml[end..])
        },
    );
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_problems(
        &run,
        &[
            "wb.xlsx: the workbook's shared strings claim 999999999999 strings, more than the file holds: it is damaged or crafted",
        ],
    );
}

#[test]
fn a_crafted_cell_reference_is_refused_not_a_crash() {
    let dir = temp_dir("cellref");
    valid().write(&dir.join("full.xlsx"));
    crate::support::rewrite_entry(
        &dir.join("full.xlsx"),
        &dir.join("wb.xlsx"),
        "xl/worksheets/sheet4.xml",
        |xml| xml.replacen("r=\"A2\"", "r=\"A99999999999\"", 1),
    );
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].starts_with("wb.xlsx: Costs!A99999999999: the cell reference is beyond"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_crafted_shared_formula_index_reads_in_bounded_memory() {
    let dir = temp_dir("shared-formula");
    valid()
        .set("Costs", 1, 4, "=50*2|100")
        .write(&dir.join("full.xlsx"));
    crate::support::rewrite_entry(
        &dir.join("full.xlsx"),
        &dir.join("wb.xlsx"),
        "xl/worksheets/sheet4.xml",
        |xml| {
            xml.replacen(
                "<f>",
                "<f t=\"shared\" si=\"999999999999\" ref=\"E2:E3\">",
                1,
            )
        },
    );
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn tbc_in_a_year_cell_is_not_a_number() {
    let run = check_book("tbc", &valid().set("Costs", 2, 5, "tbc"));
    assert_problems(
        &run,
        &["wb.xlsx: Costs!F3: expected a number, found \"tbc\""],
    );
}

#[test]
fn a_formula_with_an_error_value_is_named() {
    let run = check_book("formula", &valid().set("Benefits", 1, 6, "=1/0|#DIV/0!"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Benefits!G2: the cell's formula gives the error #DIV/0!",
            "  hint: correct the formula, or type the value",
        ],
    );
}

#[test]
fn a_formula_without_a_saved_value_is_named() {
    let dir = temp_dir("no-value");
    valid()
        .set("Costs", 1, 4, "=50*2|100")
        .write(&dir.join("full.xlsx"));
    crate::support::rewrite_entry(
        &dir.join("full.xlsx"),
        &dir.join("wb.xlsx"),
        "xl/worksheets/sheet4.xml",
        |xml| xml.replacen("<v>100</v>", "", 1),
    );
    let run = run_in(&dir, &["check", "wb.xlsx"]);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Costs!E2: the cell holds a formula whose value was never calculated and saved",
            "  hint: open the workbook in Excel and save it, so its formulas are calculated",
        ],
    );
}

#[test]
fn a_formula_with_its_saved_value_reads_as_that_value() {
    let run = check_book("formula-ok", &valid().set("Costs", 1, 4, "=50*2|100"));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_missing_sheet_is_named_with_the_nearest_sheet() {
    let book = valid().without("Benefits");
    let book = Book {
        sheets: book.sheets,
    }
    .sheet("Benefit", &[&["Option"]]);
    let run = check_book("missing-sheet", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: missing sheet `Benefits`",
            "  hint: did you mean 'Benefit'? sheet names are matched ignoring case",
        ],
    );
}

#[test]
fn a_missing_column_points_at_the_header_row() {
    let run = check_book("missing-col", &valid().set("Costs", 0, 2, "Kind"));
    assert_problems(
        &run,
        &["wb.xlsx: Costs!A1: missing column `Type` in the header row"],
    );
}

#[test]
fn a_duplicate_option_id_is_refused() {
    let run = check_book(
        "dup-option",
        &valid()
            .set("Options", 3, 0, "opt1")
            .set("Options", 3, 1, "Again")
            .set("Options", 3, 3, "No"),
    );
    assert_problems(
        &run,
        &["wb.xlsx: Options!A4: duplicate option id \"opt1\" (first in row 3)"],
    );
}

#[test]
fn two_baselines_are_refused() {
    let run = check_book("two-baselines", &valid().set("Options", 2, 3, "Yes"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Options!D3: a second baseline: OPT1 is marked as the baseline, but BAU (row 2) already is; expected exactly one",
        ],
    );
}

#[test]
fn an_unknown_partner_gets_the_nearest_name() {
    let run = check_book("partner", &valid().set("Costs", 3, 3, "Kentt"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Costs!D4: unknown partner \"Kentt\"",
            "  hint: did you mean 'Kent'?",
        ],
    );
}

#[test]
fn a_discount_rate_of_3_5_suggests_a_percentage() {
    let run = check_book("rate", &valid().set("Assumptions", 4, 1, "3.5"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Assumptions!B5: expected a discount rate as a fraction such as 0.035, found 3.5",
            "  hint: did you mean 3.5%?",
        ],
    );
}

#[test]
fn years_must_be_consecutive() {
    let run = check_book("years", &valid().set("Costs", 0, 6, "2028/29"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Costs!G1: years must be consecutive: expected 2027/28 after 2026/27, found 2028/29",
        ],
    );
}

#[test]
fn costs_and_benefits_must_share_their_years() {
    let book = valid()
        .set("Benefits", 0, 4, "2026/27")
        .set("Benefits", 0, 5, "2027/28")
        .set("Benefits", 0, 6, "2028/29");
    let run = check_book("ranges", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Benefits!E1: the year columns run 2026/27 to 2028/29, but on Costs they run 2025/26 to 2027/28; expected the same years on both sheets",
        ],
    );
}

#[test]
fn a_budget_line_must_not_mix_signs() {
    let run = check_book("signs", &valid().set("Budget", 2, 3, "5"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!D3: this line mixes signs: expected every amount negative, found 5",
            "  hint: enter reductions all as positive or all as negative numbers",
        ],
    );
}

#[test]
fn a_wrong_residual_gap_is_reported_at_its_cell() {
    let run = check_book("residual", &valid().set("Budget", 4, 3, "0.1"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!D5: the residual gap does not add up: base budget gap less reserves and efficiencies is 0, found 0.1",
        ],
    );
}

#[test]
fn region_rows_must_equal_the_partners_sum() {
    let run = check_book("region", &valid().set("Budget", 7, 2, "7.5"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!C8: the Region row does not equal the partners' sum: the partners' rows add up to 7.4, found 7.5",
        ],
    );
}

#[test]
fn several_problems_are_listed_at_once_in_workbook_order() {
    let book = valid()
        .set("Risks", 1, 3, "1.5")
        .set("Costs", 3, 3, "Kentt")
        .set("Assumptions", 3, 1, "$")
        .set("Costs", 1, 5, "tbc")
        .set("Partners", 2, 1, "-250");
    let run = check_book("several", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Assumptions!B4: expected a unit of £, £k or £m, found \"$\"",
            "  hint: £000 and £'000 also mean £k; £million and £mn mean £m",
            "wb.xlsx: Partners!B3: expected a key value of zero or more, found -250",
            "wb.xlsx: Costs!F2: expected a number, found \"tbc\"",
            "wb.xlsx: Costs!D4: unknown partner \"Kentt\"",
            "  hint: did you mean 'Kent'?",
            "wb.xlsx: Risks!D2: expected a probability from 0 to 1, found 1.5",
            "  hint: did you mean 1.5%?",
        ],
    );
}

#[test]
fn an_ods_file_is_refused_with_a_hint() {
    let dir = temp_dir("ods");
    std::fs::write(dir.join("wb.ods"), b"PK").unwrap();
    let run = run_in(&dir, &["check", "wb.ods"]);
    assert_problems(
        &run,
        &[
            "wb.ods: fivecase reads .xlsx and .xlsm workbooks, and this is an OpenDocument spreadsheet (.ods)",
            "  hint: open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)",
        ],
    );
}

#[test]
fn a_folder_without_case_toml_is_refused() {
    let dir = temp_dir("no-toml");
    std::fs::create_dir_all(dir.join("mycase")).unwrap();
    let run = run_in(&dir, &["check", "mycase"]);
    assert_problems(
        &run,
        &[
            "mycase: not a case folder: it has no case.toml",
            "  hint: `fivecase new DIR` writes a case folder to start from; or pass the workbook itself",
        ],
    );
}

mod pence {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        /// Any pence value up to ±£1bn written by rust_xlsxwriter reads back as the same decimal.
        #[test]
        fn pence_round_trip(pence in proptest::collection::vec(-100_000_000_000_i64..=100_000_000_000, 1..200)) {
            let dir = crate::support::temp_dir("pence");
            let path = dir.join("n.xlsx");
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            for (i, p) in pence.iter().enumerate() {
                let d = Decimal::new(*p, 2);
                ws.write(u32::try_from(i).unwrap(), 0, d).unwrap();
            }
            wb.save(&path).unwrap();
            let mut book = fivecase::ingest::raw::Workbook::open(&path).unwrap();
            let sheet = book.read_sheet(0).unwrap();
            prop_assert_eq!(sheet.rows.len(), pence.len());
            for (row, p) in sheet.rows.iter().zip(&pence) {
                let fivecase::ingest::raw::RawValue::Number(f) = row.cells[0].value else {
                    panic!("not a number: {:?}", row.cells[0].value);
                };
                prop_assert_eq!(fivecase::ingest::number::decimal_from_f64(f), Some(Decimal::new(*p, 2)));
            }
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
}

/// The model a valid workbook produces, value by value.
mod model {
    use fivecase::model::{
        BudgetLine, CostKind, DiscountRate, Inflation, ObOrigin, OptionId, PartnerId, Unit,
    };
    use rust_decimal::dec;

    #[test]
    fn the_valid_workbook_reads_exactly() {
        let dir = crate::support::temp_dir("model");
        let path = dir.join("wb.xlsx");
        crate::support::valid().write(&path);
        let loaded = fivecase::ingest::load(&path).unwrap();
        let case = &loaded.case;
        assert_eq!(case.meta.title, "wb");
        assert_eq!(case.assumptions.unit.value, Unit::Thousands);
        assert_eq!(
            case.assumptions.discount_rate.value,
            DiscountRate::GreenBook
        );
        assert_eq!(case.assumptions.general_inflation.value, dec!(0.02));
        assert_eq!(case.assumptions.pay_inflation.value, dec!(0.025));
        assert_eq!(case.partners.names, ["Essex", "Kent", "Suffolk"]);
        assert_eq!(
            case.partners.key_columns,
            ["Government grant", "Population"]
        );
        assert_eq!(case.partners.key(1), [dec!(1800), dec!(1900), dec!(760)]);
        assert_eq!(case.baseline, OptionId::new(0));
        let opt1 = &case.options[1];
        assert_eq!(opt1.ob_capital.rate, dec!(0.24));
        assert!(matches!(opt1.ob_capital.origin, ObOrigin::Category { .. }));
        assert_eq!(opt1.ob_revenue.rate, dec!(0.1));
        assert_eq!(case.years.len(), 3);
        assert_eq!(case.costs.len(), 3);
        let build = &case.costs[1];
        assert_eq!(
            (build.option, build.kind, build.partner),
            (OptionId::new(1), CostKind::Capital, None)
        );
        assert_eq!(build.values, [dec!(50), dec!(0), dec!(0)]);
        assert_eq!(build.inflation, Inflation::General);
        assert_eq!(case.costs[2].partner, Some(PartnerId::new(1)));
        assert_eq!(case.benefits[0].values, [dec!(0), dec!(40), dec!(80)]);
        let budget = case.budget.as_ref().unwrap();
        assert_eq!(budget.years.len(), 2);
        let reserves = budget
            .rows
            .iter()
            .find(|r| r.line == BudgetLine::UseOfReserves)
            .unwrap();
        assert_eq!(reserves.values, [dec!(-5.2), dec!(-5)]);
        assert_eq!(
            budget.rows.iter().filter(|r| r.partner.is_none()).count(),
            1
        );
        let risk = &case.risks[0];
        assert_eq!(
            (risk.probability, risk.impact, risk.year),
            (dec!(0.2), dec!(50), 1)
        );
        assert_eq!(loaded.summary.rows_skipped, [("Costs".to_string(), 1)]);
        assert_eq!(case.sources.costs.header_row, 0);
        assert_eq!(case.sources.costs.columns.get("2026/27"), Some(&5));
    }
}

/// The commands that read a case: each must refuse a bad value alike.
const COMMANDS: [&str; 4] = ["check", "compute", "build", "export"];

/// Runs `command` on the workbook `book`, written as `wb.xlsx` in a fresh folder.
fn run_book(name: &str, book: &Book, command: &str) -> crate::support::Run {
    let dir = temp_dir(name);
    book.write(&dir.join("wb.xlsx"));
    run_in(&dir, &[command, "wb.xlsx"])
}

/// Values far beyond their bounds (some once overflowed rust_decimal and made
/// `check` exit 101): every command refuses each with a located message, and
/// offers no percentage hint for a number no one meant as a percentage.
#[test]
fn magnitudes_beyond_their_bounds_are_refused_at_their_cells_by_every_command() {
    // (sheet, row, column, value, expected lines)
    let discount = "wb.xlsx: Assumptions!B5: expected a discount rate";
    let inflation = "wb.xlsx: Assumptions!B6: expected an inflation rate";
    let cases: Vec<(&str, usize, usize, &str, Vec<String>)> = vec![
        ("Assumptions", 4, 1, "-1e27", vec![format!("{discount} from 0% to 20%, found -1e27")]),
        ("Assumptions", 4, 1, "-7.93e26", vec![format!("{discount} from 0% to 20%, found -7.93e26")]),
        ("Assumptions", 4, 1, "9.99e27", vec![format!("{discount} as a fraction such as 0.035, found 9.99e27")]),
        ("Assumptions", 4, 1, "7.9e28", vec![format!("{discount} as a fraction such as 0.035, found 7.9e28")]),
        ("Assumptions", 5, 1, "-1e27", vec![format!("{inflation} from -10% to 10%, found -1e27")]),
        ("Assumptions", 5, 1, "-7.93e26", vec![format!("{inflation} from -10% to 10%, found -7.93e26")]),
        ("Assumptions", 5, 1, "9.99e27", vec![format!("{inflation} as a fraction such as 0.035, found 9.99e27")]),
        ("Assumptions", 5, 1, "7.9e28", vec![format!("{inflation} as a fraction such as 0.035, found 7.9e28")]),
        ("Options", 2, 5, "-1e27", vec!["wb.xlsx: Options!F3: expected an optimism bias of 0% or more, found -1e27".into()]),
        ("Options", 2, 5, "-7.93e26", vec!["wb.xlsx: Options!F3: expected an optimism bias of 0% or more, found -7.93e26".into()]),
        ("Options", 2, 5, "9.99e27", vec!["wb.xlsx: Options!F3: optimism bias of 9.99e27 is above the 500% fivecase accepts".into()]),
        ("Options", 2, 4, "7.9e28", vec!["wb.xlsx: Options!E3: optimism bias of 7.9e28 is above the 500% fivecase accepts".into()]),
        ("Costs", 2, 4, "1e15", vec!["wb.xlsx: Costs!E3: the amount 1e15 is too large: fivecase reads amounts below 10^15 in the workbook's unit".into(), "  hint: check the Unit on the Assumptions sheet".into()]),
        ("Risks", 1, 3, "7.9e28", vec!["wb.xlsx: Risks!D2: expected a probability from 0 to 1, found 7.9e28".into()]),
        ("Partners", 1, 2, "-1e27", vec!["wb.xlsx: Partners!C2: expected a key value of zero or more, found -1e27".into()]),
    ];
    for (sheet, row, col, value, lines) in &cases {
        let book = valid().set(sheet, *row, *col, value);
        for command in COMMANDS {
            let run = run_book("beyond", &book, command);
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            assert_problems(&run, &lines);
        }
    }
}

/// A percentage hint is offered where a percentage was plausibly meant.
#[test]
fn a_rate_typed_as_a_percentage_still_gets_the_hint() {
    let run = check_book("rate-hint", &valid().set("Assumptions", 5, 1, "4"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Assumptions!B6: expected an inflation rate as a fraction such as 0.035, found 4",
            "  hint: did you mean 4%?",
        ],
    );
}

/// Inflation compounded over a long appraisal is bounded, so that nominal
/// amounts stay within exact decimal range.
#[test]
fn inflation_compounded_beyond_its_index_bound_is_refused() {
    let mut book = valid().set("Assumptions", 5, 1, "10%");
    for sheet in ["Costs", "Benefits"] {
        for i in 0..200_u16 {
            let year = format!("{}/{:02}", 2025 + i, (26 + i) % 100);
            book = book.set(sheet, 0, 4 + usize::from(i), &year);
        }
    }
    for command in COMMANDS {
        let run = run_book("index", &book, command);
        assert_problems(
            &run,
            &[
                "wb.xlsx: Assumptions!B6: general inflation of 10% compounded over the 199 years from the base year 2025/26 to 2224/25 passes an index of 100,000, the most fivecase accepts",
                "  hint: a long appraisal needs a long-run rate, such as 2%",
            ],
        );
    }
    // 2% over the same 200 years is accepted.
    let run = run_book("index-ok", &book.set("Assumptions", 5, 1, "2%"), "check");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A case.toml scenario's discount rate far beyond its bound is refused at its position.
#[test]
fn a_scenario_discount_rate_beyond_its_bound_is_refused_by_every_command() {
    let toml = "[[scenario]]\nname = \"Negative\"\ndiscount_rate = -1e27\n";
    for command in COMMANDS {
        let run = run_case("scenario-rate", toml, command);
        assert_problems(
            &run,
            &[
                "mycase/case.toml:3:17: `discount_rate` in scenario \"Negative\": expected a discount rate from 0% to 20%, found -1e27",
            ],
        );
    }
}

#[test]
fn borrowing_needs_a_borrowing_rate_and_then_charges_mrp_and_interest() {
    let borrowing =
        valid()
            .set("Assumptions", 8, 0, "Capital financing")
            .set("Assumptions", 8, 1, "Borrowing");
    let run = check_book("borrowing", &borrowing);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Assumptions!B9: capital is financed by Borrowing, but there is no `Borrowing rate` row: add one with the interest rate, such as 4.5%",
        ],
    );

    let with_rate = borrowing
        .set("Assumptions", 9, 0, "Borrowing rate")
        .set("Assumptions", 9, 1, "5%")
        .set("Assumptions", 10, 0, "Asset life")
        .set("Assumptions", 10, 1, "4");
    let dir = crate::support::temp_dir("borrowing-json");
    with_rate.write(&dir.join("wb.xlsx"));
    let run = crate::support::run_in(&dir, &["compute", "--json", "wb.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let region = &v["financing"]["region"];
    for p in v["financing"]["partners"].as_object().unwrap().values() {
        assert_eq!(p["method"], "borrowing");
    }
    // 50 of capital in 2025/26 over 4 years at 5%: MRP 12.5 a year from
    // 2026/27, interest on the balance brought forward (50, then 37.5).
    assert_eq!(region["capital"]["2025/26"], "50", "{region}");
    assert_eq!(region["charge"]["2025/26"], "0", "{region}");
    assert_eq!(region["charge"]["2026/27"], "15", "{region}");
    assert_eq!(region["charge"]["2027/28"], "14.375", "{region}");
    // After the period: 12.5 + 1.25, then 12.5 + 0.625.
    assert_eq!(region["charges_after_period"], "26.875", "{region}");
    // The model workbook's input sheets carry the financing: read back, the
    // export computes the same charges.
    let run = crate::support::run_in(&dir, &["export", "wb.xlsx", "-o", "model.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = crate::support::run_in(&dir, &["compute", "--json", "model.xlsx"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let w: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(w["financing"], v["financing"]);

    let bad_life = valid()
        .set("Assumptions", 8, 0, "Asset life")
        .set("Assumptions", 8, 1, "2.5");
    let run = check_book("life", &bad_life);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Assumptions!B9: expected an asset life of whole years from 1 to 100, found 2.5",
        ],
    );
}

#[test]
fn a_risk_without_a_year_is_costed_in_the_base_year_with_a_warning() {
    let run = check_book("risk-year", &valid().set("Risks", 1, 5, ""));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "wb.xlsx: Risks!F2: warning: no Year given: the risk is costed in the base year 2025/26"
        ),
        "{}",
        run.stderr
    );
}

/// The valid workbook with OPT1's benefits one 1e-28 in the base year and
/// nothing else: its npsv over that difference (the switching value of
/// benefits) is beyond exact decimals.
fn tiny_benefits() -> Book {
    valid()
        .set("Benefits", 1, 4, "0.0000000000000000000000000001")
        .set("Benefits", 1, 5, "0")
        .set("Benefits", 1, 6, "0")
        .set("Benefits", 2, 5, "0")
        .set("Benefits", 2, 6, "0")
}

#[test]
fn a_ratio_over_a_sub_penny_difference_is_an_error_at_the_cells_that_make_it() {
    // `check` runs the engine and says which cells to round; found by the
    // `structured` fuzz target (tests/fuzz-crashes/structured/crash-21929a…).
    let run = check_book("tiny-divisor", &tiny_benefits());
    assert_problems(
        &run,
        &[
            "wb.xlsx: Benefits!E2: 0.0000000000000000000000000001 has digits below a penny: \
             with such amounts, option OPT1's benefits differ from the baseline's by only \
             0.0000000000000000000000000001 in present value, so its switching value of \
             benefits (a division by that difference) is too large to compute exactly \
             (beyond about 7.9 × 10^28)",
            "  hint: round the amounts to the penny (a fraction of a penny is usually a \
             formula's rounding residue), or make option OPT1's benefits equal to the baseline's",
        ],
    );
}

#[test]
fn a_programme_reports_a_cases_sub_penny_difference_at_the_cells_check_names() {
    // The portfolio computes each case as `compute` does; the engine's
    // refusal is located one way for both, at the workbook's cells.
    let dir = temp_dir("tiny-divisor-programme");
    write_book_case(&dir, &tiny_benefits(), "title = \"Tiny\"\n");
    let check = run_in(&dir, &["check", "mycase"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    std::fs::write(dir.join("portfolio.toml"), "title = \"Programme\"\n").unwrap();
    // `check`'s lines, as the portfolio names the case (from its own folder),
    // without the closing count that `assert_problems` adds back.
    let located: Vec<String> = check
        .stderr
        .lines()
        .map(|l| match l.strip_prefix("mycase/") {
            Some(rest) => format!("./mycase/{rest}"),
            None => l.to_string(),
        })
        .collect();
    let located: Vec<&str> = located.iter().map(String::as_str).collect();
    assert!(located[0].starts_with("./mycase/workbook.xlsx: Benefits!E2: "));
    for command in ["show", "build", "export"] {
        let run = run_in(&dir, &["portfolio", command, "."]);
        assert_problems(&run, &located[..located.len() - 1]);
    }
    // Nothing was written beside the inputs.
    let mut entries: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["mycase", "portfolio.toml"]);
}

#[test]
fn a_scenario_that_scales_savings_almost_to_nothing_is_an_error_at_its_table() {
    // No amount has digits below a penny; the scenario's realisation of
    // 1e-28 leaves OPT1's benefits about 10^-26 above the baseline's, and its
    // switching value of benefits beyond exact decimals. `build --scenario`
    // computes that value; `check` reports it first, at the scenario.
    let mut book = valid()
        .set("Benefits", 2, 5, "0")
        .set("Benefits", 2, 6, "0");
    for col in 4..=6 {
        book = book.set("Costs", 1, col, "10000");
    }
    let toml = "title = \"Tiny\"\n\n[[scenario]]\nname = \"tiny\"\nsavings_realisation = 0.0000000000000000000000000001\n";
    let expected = [
        "mycase/case.toml:3:1: option OPT1's benefits differ from the baseline's by only \
         0.0000000000000000000000000114 in present value in scenario \"tiny\", so its \
         switching value of benefits (a division by that difference) is too large to \
         compute exactly (beyond about 7.9 × 10^28)",
        "  hint: a scenario that scales option OPT1's benefits almost to nothing does this: \
         look at its realisation, overruns and the keys of the partners it keeps",
    ];
    let run = run_book_case("tiny-scenario", &book, toml, "check");
    assert_problems(&run, &expected);
    let run = run_book_case("tiny-scenario-compute", &book, toml, "compute");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_scenario_named_base_is_refused_at_its_name_by_every_command_that_reads_the_case() {
    // Every comparison of scenarios calls the case as it stands "base"; a
    // scenario of that name would be a second column under the same head.
    let toml = "title = \"Base\"\n\n[[scenario]]\nname = \"BASE\"\nsavings_realisation = 0.8\n";
    let expected = [
        "mycase/case.toml:4:8: `name` in scenario \"BASE\": every comparison of scenarios calls \
         the case as it stands \"base\"; give this scenario another name",
    ];
    for command in ["check", "scenarios", "export"] {
        let run = run_book_case(&format!("base-scenario-{command}"), &valid(), toml, command);
        assert_problems(&run, &expected);
    }
}
