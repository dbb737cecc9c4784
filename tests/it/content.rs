//! The Five Case content sheets through `fivecase check`: a valid case with
//! every sheet, and each rule's located error, all problems at once.

use crate::support::{assert_problems, check_book, valid, with_content};

#[test]
fn a_case_with_every_content_sheet_checks_clean_and_says_what_it_holds() {
    let run = check_book("content-valid", &with_content(valid()));
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains(
            "  content      2 spending objectives, 1 critical success factor; a long list of 4 possibilities in 2 dimensions; 2 registered benefits; 2 allocated risk categories; 2 milestones\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_case_without_content_sheets_says_nothing_of_them() {
    let run = check_book("content-none", &valid());
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains("content"), "{}", run.stdout);
}

#[test]
fn every_content_rule_is_a_located_error_all_at_once() {
    let book = with_content(valid())
        // An assessment column that names no objective.
        .set("Long list", 0, 4, "SO9")
        // A second Preferred in Scope, and a Discounted without a reason.
        .set("Long list", 2, 6, "Preferred")
        .set("Long list", 4, 6, "Discounted")
        .set("Long list", 4, 7, "")
        // An assessment that is not Yes, Partly or No.
        .set("Long list", 3, 5, "Mostly")
        // A register entry naming a line the option does not have; a From that is not a fiscal year.
        .set("Benefits register", 1, 9, "Staff savngs")
        .set("Benefits register", 2, 7, "2027")
        // Percentages that do not add up to 100%.
        .set("Risk allocation", 2, 3, "30%")
        // A date that is not a date, and a duplicate milestone.
        .set("Milestones", 1, 1, "31/03/2026")
        .set("Milestones", 2, 0, "Full business case approved");
    let run = check_book("content-bad", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: 'Long list'!E1: the column `SO9` is not an objective: expected an id from the Objectives sheet",
            "  hint: did you mean 'SO1'?",
            "wb.xlsx: 'Long list'!G3: a second Preferred possibility in the Scope dimension (the first is \"S1\", row 2): expected exactly one",
            "wb.xlsx: 'Long list'!F4: expected CSF1 Yes, Partly or No, found \"Mostly\"",
            "wb.xlsx: 'Long list'!H5: a Discounted possibility needs a reason",
            "  hint: say in the Reason column why it was discounted",
            "wb.xlsx: 'Benefits register'!J2: no Benefits line \"Staff savngs\" for option \"OPT1\"",
            "  hint: did you mean 'Staff savings'?",
            "wb.xlsx: 'Benefits register'!H3: expected a fiscal year like 2025/26, found \"2027\"",
            "wb.xlsx: 'Risk allocation'!D3: the shares add up to 90%: expected 100%",
            "wb.xlsx: Milestones!B2: expected a date written YYYY-MM-DD, found \"31/03/2026\"",
            "wb.xlsx: Milestones!A3: Milestone \"Full business case approved\" is given twice (first in row 2)",
        ],
    );
}

#[test]
fn a_long_list_without_an_objectives_sheet_is_an_error_at_each_column() {
    let book = with_content(valid()).without("Objectives");
    let run = check_book("content-no-objectives", &book);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(
        "wb.xlsx: 'Long list'!D1: the column `SO1` assesses an objective, but the workbook has no Objectives sheet"
    ), "{}", run.stderr);
}

#[test]
fn a_dimension_with_no_preferred_possibility_is_an_error() {
    let book = with_content(valid()).set("Long list", 3, 6, "Carried forward");
    let run = check_book("content-no-preferred", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: 'Long list'!G4: the Delivery dimension has no Preferred possibility: expected exactly one",
            "  hint: mark the possibility the case takes forward as Preferred",
        ],
    );
}

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A copy of the sample case as `sample` in a fresh folder, at `stage`.
fn sample_at(name: &str, stage: &str) -> std::path::PathBuf {
    let dir = crate::support::temp_dir(name);
    copy_dir(&fixtures().join("sample"), &dir.join("sample"));
    let toml = dir.join("sample/case.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("stage = \"OBC\""));
    std::fs::write(
        &toml,
        text.replace("stage = \"OBC\"", &format!("stage = \"{stage}\"")),
    )
    .unwrap();
    dir
}

#[test]
fn the_stage_report_lists_what_each_stage_needs_of_the_sample() {
    let dir = sample_at("stage-report", "OBC");
    for (stage, items) in [("SOC", 6), ("OBC", 14), ("FBC", 21)] {
        let run = crate::support::run_in(
            &dir,
            &["check", "sample", "--stage-report", "--stage", stage],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "");
        let report = run.stdout.split_once("\nstage readiness").unwrap().1;
        assert!(report.starts_with(&format!(" for {stage} (")), "{report}");
        assert!(
            report.contains("  source: HM Treasury, Guide to developing the project business case")
        );
        assert_eq!(
            report.lines().filter(|l| l.contains("  found  ")).count(),
            items,
            "{report}"
        );
        assert!(
            report.ends_with(&format!(
                "  {items} of {items} items found; ready for {stage}\n"
            )),
            "{report}"
        );
    }
    // Without --stage, the case's own stage.
    let run = crate::support::run_in(&dir, &["check", "sample", "--stage-report"]);
    assert!(
        run.stdout
            .contains("stage readiness for OBC (Outline Business Case)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  OBC  found    a benefits register with at least one entry (Benefits register sheet): 8 entries\n"));
    // --stage alone is a usage error.
    let run = crate::support::run_in(&dir, &["check", "sample", "--stage", "FBC"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn an_fbc_without_its_milestones_sheet_is_refused_naming_what_is_missing() {
    let dir = sample_at("fbc-milestones", "FBC");
    let run = crate::support::run_in(&dir, &["check", "sample"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Rename the Milestones sheet so the workbook no longer has one.
    let wb = dir.join("sample/workbook.xlsx");
    let old = dir.join("old.xlsx");
    std::fs::rename(&wb, &old).unwrap();
    crate::support::rewrite_entry(&old, &wb, "xl/workbook.xml", |x| {
        x.replace("name=\"Milestones\"", "name=\"Old plan\"")
    });
    let run = crate::support::run_in(&dir, &["check", "sample"]);
    assert_problems(
        &run,
        &[
            "sample/workbook.xlsx: a Full Business Case needs milestones (Milestones sheet): 0 milestones",
            "  hint: `fivecase check --stage-report` lists what a Full Business Case needs",
        ],
    );
    let run = crate::support::run_in(&dir, &["build", "sample", "-o", "out.pdf"]);
    assert_eq!(run.code, 1);
    assert!(!dir.join("out.pdf").exists());
    // The report still lists it, for the stage asked about.
    let run = crate::support::run_in(
        &dir,
        &["check", "sample", "--stage-report", "--stage", "OBC"],
    );
    assert_eq!(
        run.code, 1,
        "an FBC case is refused whatever the report is for"
    );
}

#[test]
fn an_obc_using_the_content_sheets_is_warned_of_what_it_lacks() {
    let dir = crate::support::temp_dir("obc-warnings");
    let case = dir.join("c");
    std::fs::create_dir_all(case.join("narrative")).unwrap();
    with_content(valid()).write(&case.join("workbook.xlsx"));
    std::fs::write(
        case.join("case.toml"),
        "stage = \"OBC\"\nworkbook = \"workbook.xlsx\"\n",
    )
    .unwrap();
    for part in [
        "executive-summary",
        "strategic",
        "economic",
        "commercial",
        "financial",
        "management",
    ] {
        std::fs::write(case.join("narrative").join(format!("{part}.md")), "Text.\n").unwrap();
    }
    let run = crate::support::run_in(&dir, &["check", "c"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "c/case.toml: warning: an Outline Business Case needs a preferred option (case.toml `preferred` or the Assumptions sheet): none named
c/workbook.xlsx: warning: an Outline Business Case needs a long list covering the five dimensions, each with a preferred possibility (Long list sheet): no preferred possibility in Solution, Implementation, Funding
  hint: `fivecase check --stage-report` lists what an Outline Business Case needs
c/workbook.xlsx: warning: an Outline Business Case needs a short list of at least three options including the baseline (Options sheet): 2 options including the baseline
"
    );
}

#[test]
fn the_pdf_has_each_content_table_in_its_case() {
    let dir = sample_at("content-pdf", "OBC");
    let run = crate::support::run_in(&dir, &["build", "sample", "-o", "s.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = fivecase::testkit::pdf_text(&dir.join("s.pdf"), "-raw") else {
        return;
    };
    let text = pages.join("\n");
    // From the Strategic Case's heading (its second mention: the first is
    // the contents) to the appendices, each case's tables in order.
    let start = text.match_indices("1 Strategic Case").nth(1).unwrap().0;
    let end = text.rfind("Appendix D: Source map").unwrap();
    let body = &text[start..end];
    let at = |needle: &str| {
        body.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in the PDF"))
    };
    let order = [
        "1 Strategic Case",
        ": Spending objectives",
        "2 Economic Case",
        ": Critical success factors",
        ": Long list: scope",
        ": Long list: funding",
        ": Non-monetised benefits",
        "3 Commercial Case",
        ": Risk allocation",
        "4 Financial Case",
        "5 Management Case",
        ": Milestones",
        ": Benefits register",
        "Appendix C: Stage readiness",
        ": Stage readiness",
    ];
    for pair in order.windows(2) {
        assert!(
            at(pair[0]) < at(pair[1]),
            "{} should come before {}",
            pair[0],
            pair[1]
        );
    }
    for cell in [
        "Two waves of forces, a year apart",
        "Legislative and policy change",
        "Wave 1 live: Essex, Kent and Suffolk",
        "3 April 2028",
        "A resilient payroll with no single point of failure",
        "Valued as",
    ] {
        assert!(body.contains(cell), "no {cell:?} in the PDF");
    }
}

#[test]
fn a_case_without_content_sheets_has_no_stage_readiness_appendix() {
    let dir = crate::support::temp_dir("no-content-pdf");
    copy_dir(&fixtures().join("minimal"), &dir.join("minimal"));
    let run = crate::support::run_in(
        &dir,
        &[
            "build",
            "minimal/workbook.xlsx",
            "-o",
            "m.pdf",
            "--date",
            "2026-11-20",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(pages) = fivecase::testkit::pdf_text(&dir.join("m.pdf"), "-raw") else {
        return;
    };
    let text = pages.join("\n");
    assert!(!text.contains("Stage readiness"));
    assert!(text.contains("Appendix C: Source map"));
    for absent in [
        "Long list",
        "Risk allocation",
        "Milestones",
        "Benefits register",
    ] {
        assert!(!text.contains(absent), "{absent}");
    }
}

#[test]
fn the_timeline_reaches_html_and_word_with_its_data() {
    use std::io::Read as _;
    let dir = sample_at("content-formats", "OBC");
    let run = crate::support::run_in(&dir, &["build", "sample", "--format", "html,docx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let find = |ext: &str| {
        std::fs::read_dir(dir.join("sample"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap()
    };
    let html = std::fs::read_to_string(find("html")).unwrap();
    assert!(html.contains("Milestones on a timeline"));
    // The figure's data beside it: each milestone with its date and gateway.
    assert!(html.contains("<th scope=\"row\">Wave 1 live: Essex, Kent and Suffolk</th><td>Apr 2028</td><td>Gateway 4: readiness for service</td>"), "no timeline data table, or its text set as figures");
    assert!(
        html.contains("<th scope=\"col\">Milestone</th><th scope=\"col\">Date</th><th scope=\"col\">Gateway</th>"),
        "the timeline's headings are set as figures"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(find("docx")).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("Milestones on a timeline"));
    assert!(xml.contains("A timeline of the 8 milestones in date order"));
}
