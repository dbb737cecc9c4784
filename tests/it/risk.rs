//! The quantified risk analysis: its workbook columns and case.toml table
//! in `check`, and `fivecase risk`.

use crate::support::{check_book, valid};

/// The valid workbook with ranges on Costs (row 2: BAU control rooms; row
/// 4: OPT1 running costs), Benefits (row 2) and the risk's impact range.
pub(crate) fn ranged() -> crate::support::Book {
    valid()
        // Costs: headers after the year columns.
        .set("Costs", 0, 7, "Range low")
        .set("Costs", 0, 8, "Range high")
        .set("Costs", 0, 9, "Distribution")
        .set("Costs", 0, 10, "Group")
        .set("Costs", 1, 7, "-0.05")
        .set("Costs", 1, 8, "0.1")
        .set("Costs", 3, 7, "-10%")
        .set("Costs", 3, 8, "30%")
        .set("Costs", 3, 9, "Uniform")
        .set("Costs", 3, 10, "Staffing")
        .set("Benefits", 0, 7, "Range low")
        .set("Benefits", 0, 8, "Range high")
        .set("Benefits", 0, 10, "Group")
        .set("Benefits", 1, 7, "-0.4")
        .set("Benefits", 1, 8, "0.1")
        .set("Benefits", 1, 10, "staffing")
        .set("Risks", 0, 8, "Impact low")
        .set("Risks", 0, 9, "Impact high")
        .set("Risks", 1, 8, "20")
        .set("Risks", 1, 9, "120")
}

#[test]
fn ranges_check_clean() {
    let run = check_book("risk-ranges-ok", &ranged());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn every_bad_range_cell_is_located() {
    let book = ranged()
        .set("Costs", 1, 7, "0.1")
        .set("Costs", 1, 8, "-0.2")
        .set("Costs", 3, 9, "Normal")
        .set("Benefits", 1, 7, "-150%")
        .set("Benefits", 1, 8, "lots")
        .set("Risks", 1, 8, "60")
        .set("Risks", 1, 9, "40");
    let run = check_book("risk-ranges-bad", &book);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("wb.xlsx:") && !l.contains("warning"))
        .collect();
    assert_eq!(
        errors,
        [
            "wb.xlsx: Costs!H2: expected a range low from -100% to 0% as a fraction such as -0.1, found 10%",
            "wb.xlsx: Costs!I2: expected a range high from 0% to 1000% as a fraction such as 0.3, found -20%",
            "wb.xlsx: Costs!J4: expected a distribution of Triangular or Uniform, found \"Normal\"",
            "wb.xlsx: Benefits!H2: expected a range low from -100% to 0% as a fraction such as -0.1, found -150%",
            "wb.xlsx: Benefits!I2: expected a number or a percentage, found \"lots\"",
            "wb.xlsx: Risks!I2: expected an Impact low of at most the Impact (50), found 60",
            "wb.xlsx: Risks!J2: expected an Impact high of at least the Impact (50), found 40",
        ],
        "{}",
        run.stderr
    );
}
