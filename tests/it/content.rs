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
