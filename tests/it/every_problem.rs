//! `fivecase check` reports every problem at once, and no invented ones: every cell of a row
//! is validated whatever its neighbours hold, and a check derived from cells already refused
//! (residual gap, risk adjusted gap, Region rows against partners) is skipped.

use crate::support::{assert_problems, check_book, valid};

#[test]
fn one_misspelt_partner_in_a_budget_cell_is_one_error() {
    // Before: Essex's residual and risk adjusted gaps and the Region row were also called wrong.
    let run = check_book("typo", &valid().set("Budget", 1, 0, "Esex"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!A2: unknown partner \"Esex\"",
            "  hint: did you mean 'Essex'?",
        ],
    );
}

#[test]
fn a_misspelt_region_in_a_budget_cell_is_one_error() {
    let run = check_book("region", &valid().set("Budget", 7, 0, "Regoin"));
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!A8: unknown partner \"Regoin\"",
            "  hint: the partners are Essex, Kent, Suffolk",
        ],
    );
}

#[test]
fn a_budget_row_with_three_bad_cells_gives_three_errors() {
    let book = valid()
        .set("Budget", 1, 0, "Esex")
        .set("Budget", 1, 2, "tbc")
        .set("Budget", 1, 3, "x");
    let run = check_book("three", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!A2: unknown partner \"Esex\"",
            "  hint: did you mean 'Essex'?",
            "wb.xlsx: Budget!C2: expected a number, found \"tbc\"",
            "wb.xlsx: Budget!D2: expected a number, found \"x\"",
        ],
    );
}

#[test]
fn an_unknown_budget_line_has_its_amounts_read_and_feeds_no_check() {
    let book = valid()
        .set("Budget", 1, 1, "Base budget gapp")
        .set("Budget", 1, 2, "tbc");
    let run = check_book("label", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!B2: unknown budget line \"Base budget gapp\"",
            "  hint: the lines are Base budget gap; Use of reserves and one off grant; Cash releasing efficiencies; Identified risk gap; Loss of grant to floors; Increase in borrowing; Residual gap; Risk adjusted gap",
            "wb.xlsx: Budget!C2: expected a number, found \"tbc\"",
        ],
    );
}

#[test]
fn a_refused_risk_gap_skips_only_the_checks_that_use_it() {
    // The identified risk gap feeds the risk adjusted gap, not the residual gap: a wrong
    // residual gap is still reported.
    let book = valid()
        .set("Budget", 5, 2, "tbc")
        .set("Budget", 4, 3, "0.1");
    let run = check_book("irg", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!D5: the residual gap does not add up: base budget gap less reserves and efficiencies is 0, found 0.1",
            "wb.xlsx: Budget!C6: expected a number, found \"tbc\"",
        ],
    );
}

#[test]
fn a_refused_partner_line_still_lets_other_region_rows_be_checked() {
    // Essex's reserves are refused; the Region's base budget gap is still compared.
    let book = valid()
        .set("Budget", 2, 2, "tbc")
        .set("Budget", 7, 2, "7.5");
    let run = check_book("region-other", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Budget!C3: expected a number, found \"tbc\"",
            "wb.xlsx: Budget!C8: the Region row does not equal the partners' sum: the partners' rows add up to 7.4, found 7.5",
        ],
    );
}

#[test]
fn a_costs_row_with_four_bad_cells_gives_four_errors() {
    // Before: the cost type was read only once every other cell of the row was good.
    let book = valid()
        .set("Costs", 3, 0, "OPT9")
        .set("Costs", 3, 2, "Revnue")
        .set("Costs", 3, 3, "Kentt")
        .set("Costs", 3, 5, "tbc");
    let run = check_book("costs", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Costs!A4: unknown option \"OPT9\"",
            "  hint: did you mean 'OPT1'?",
            "wb.xlsx: Costs!C4: expected a cost type of Capital or Revenue, found \"Revnue\"",
            "wb.xlsx: Costs!D4: unknown partner \"Kentt\"",
            "  hint: did you mean 'Kent'?",
            "wb.xlsx: Costs!F4: expected a number, found \"tbc\"",
        ],
    );
}

#[test]
fn a_bad_cost_type_is_reported_when_another_sheet_cannot_be_read() {
    // Before: cost types were checked only once Options, Costs and Benefits had all been read.
    let book = valid()
        .set("Costs", 2, 2, "Capitel")
        .set("Options", 2, 3, "Yes");
    let run = check_book("type-other", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Options!D3: a second baseline: OPT1 is marked as the baseline, but BAU (row 2) already is; expected exactly one",
            "wb.xlsx: Costs!C3: expected a cost type of Capital or Revenue, found \"Capitel\"",
        ],
    );
}

#[test]
fn a_benefits_row_with_three_bad_cells_gives_three_errors() {
    let book = valid()
        .set("Benefits", 1, 2, "Cashabel")
        .set("Benefits", 1, 3, "Kentt")
        .set("Benefits", 1, 5, "tbc");
    let run = check_book("benefits", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Benefits!C2: expected a benefit type of Cashable or Non-cashable, found \"Cashabel\"",
            "wb.xlsx: Benefits!D2: unknown partner \"Kentt\"",
            "  hint: did you mean 'Kent'?",
            "wb.xlsx: Benefits!F2: expected a number, found \"tbc\"",
        ],
    );
}

#[test]
fn a_risks_row_with_four_bad_cells_gives_four_errors() {
    let book = valid()
        .set("Risks", 1, 2, "OPT9")
        .set("Risks", 1, 3, "1.5")
        .set("Risks", 1, 4, "tbc")
        .set("Risks", 1, 5, "2030/31");
    let run = check_book("risks", &book);
    assert_problems(
        &run,
        &[
            "wb.xlsx: Risks!C2: unknown option \"OPT9\"",
            "  hint: did you mean 'OPT1'?",
            "wb.xlsx: Risks!D2: expected a probability from 0 to 1, found 1.5",
            "  hint: did you mean 1.5%?",
            "wb.xlsx: Risks!E2: expected a number, found \"tbc\"",
            "wb.xlsx: Risks!F2: expected one of the appraisal years (2025/26 to 2027/28), found 2030/31",
        ],
    );
}
