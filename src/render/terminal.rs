//! `fivecase compute`: the tables a finance lead reads, as plain aligned text.
//!
//! One section per table: discount factors, the economic appraisal, each
//! option's savings profile in real and nominal prices, apportionment per
//! partner, the budget-gap tables and the gap remaining after the case.
//! Money is in the case's display unit to its display decimals, with thousands
//! separators and negatives in brackets (format); columns are fiscal
//! years with a Total. Where rounded figures do not add up to the rounded
//! total, a note under the table says so, as published finance tables do.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::compute::scenario::{Change, Outcome};
use crate::compute::{FlowTotals, GapTable, ProfileYear, Results, ValueForMoney};
use crate::format::{Shown, fixed, percent};
use crate::model::{Case, DiscountRate, FiscalYear, OptionId, PartnerId, ScenarioSpec};
use crate::params;

/// An amount in the entered unit as the tables show it: converted to the
/// display unit ([`Shown`], the one conversion the document shares) and rounded.
fn money(v: Decimal, shown: Shown) -> String {
    shown.money(v)
}

/// Whether amounts add up as the tables show them (in the display unit).
fn foots(parts: &[Decimal], total: Decimal, shown: Shown) -> bool {
    shown.foots(parts, total)
}

/// The note printed under a table whose rounded figures do not add up.
const NOT_FOOTING: &str =
    "note: figures are rounded independently, so some do not add exactly to the totals shown";

/// A plain-text table: a left-aligned label column and right-aligned figures.
#[derive(Debug, Default)]
struct Table {
    title: String,
    head: Vec<String>,
    rows: Vec<Option<Vec<String>>>,
    notes: Vec<String>,
}

impl Table {
    fn new(title: impl Into<String>, head: Vec<String>) -> Self {
        Self {
            title: title.into(),
            head,
            ..Self::default()
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(Some(cells));
    }

    /// A rule across the table, before a total or subtotal.
    fn rule(&mut self) {
        self.rows.push(None);
    }

    fn note(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !self.notes.contains(&text) {
            self.notes.push(text);
        }
    }

    fn render(&self, out: &mut String) {
        let columns = self.head.len();
        let mut widths: Vec<usize> = self.head.iter().map(|h| h.chars().count()).collect();
        for cells in self.rows.iter().flatten() {
            for (w, c) in widths.iter_mut().zip(cells) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: &[String], out: &mut String| {
            let mut text = String::new();
            for (i, w) in widths.iter().enumerate() {
                let c = cells.get(i).map_or("", String::as_str);
                let pad = w.saturating_sub(c.chars().count());
                if i > 0 {
                    text.push_str("  ");
                }
                if i == 0 {
                    text.push_str(c);
                    text.push_str(&" ".repeat(pad));
                } else {
                    text.push_str(&" ".repeat(pad));
                    text.push_str(c);
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&self.title);
        out.push('\n');
        out.push('\n');
        line(&self.head, out);
        line(&rule, out);
        for row in &self.rows {
            match row {
                Some(cells) => line(cells, out),
                None => line(&rule[..columns.min(rule.len())], out),
            }
        }
        for n in &self.notes {
            out.push_str(n);
            out.push('\n');
        }
        out.push('\n');
    }
}

fn years_head(label: &str, years: &[FiscalYear]) -> Vec<String> {
    let mut head = vec![label.to_string()];
    head.extend(years.iter().map(ToString::to_string));
    head.push("Total".into());
    head
}

/// A row of yearly money and its total, noting the table when they do not foot.
fn money_row(
    table: &mut Table,
    label: &str,
    values: &[Decimal],
    total: Option<Decimal>,
    dp: Shown,
) {
    let mut cells = vec![label.to_string()];
    cells.extend(values.iter().map(|v| money(*v, dp)));
    match total {
        Some(t) => {
            if !foots(values, t, dp) {
                table.note(NOT_FOOTING);
            }
            cells.push(money(t, dp));
        }
        None => cells.push(String::new()),
    }
    table.row(cells);
}

fn option_label(case: &Case, id: OptionId) -> String {
    case.option(id)
        .map(|o| {
            if o.name.is_empty() || o.name == o.id {
                o.id.clone()
            } else {
                format!("{} {}", o.id, o.name)
            }
        })
        .unwrap_or_default()
}

fn partner(case: &Case, id: PartnerId) -> String {
    case.partners
        .name(id)
        .map(str::to_string)
        .unwrap_or_default()
}

fn discount_table(case: &Case, r: &Results, out: &mut String) {
    let schedule = params::discount_schedule(r.edition);
    let rate_text = match r.discount_rate {
        DiscountRate::GreenBook => format!("Green Book {} STPR schedule", r.edition),
        DiscountRate::Fixed(rate) => format!("fixed rate {}", percent(rate, 4)),
    };
    let mut t = Table::new(
        format!("Discount factors ({rate_text}; year 0 = {})", r.base_year),
        vec!["Year".into(), "t".into(), "Rate".into(), "Factor".into()],
    );
    for ((year, df), period) in r.years.iter().zip(&r.discount_factors).zip(case.periods()) {
        let rate = if period == 0 {
            String::new()
        } else {
            match r.discount_rate {
                DiscountRate::GreenBook => percent(schedule.rate_for_year(period), 4),
                DiscountRate::Fixed(rate) => percent(rate, 4),
            }
        };
        t.row(vec![
            year.to_string(),
            period.to_string(),
            rate,
            fixed(*df, 4),
        ]);
    }
    t.render(out);
}

fn appraisal_table(case: &Case, r: &Results, dp: Shown, out: &mut String) {
    let mut t = Table::new(
        format!(
            "Economic appraisal ({}, present values in {} prices, against {})",
            dp.unit,
            r.base_year,
            option_label(case, case.baseline)
        ),
        [
            "Option",
            "Capital",
            "Revenue",
            "Optimism bias",
            "Risk",
            "PV costs",
            "PV benefits",
            "NPSV",
            "BCR",
            "Payback",
        ]
        .map(String::from)
        .to_vec(),
    );
    for o in &r.options {
        let label = if o.baseline {
            format!("{} (baseline)", option_label(case, o.option))
        } else {
            option_label(case, o.option)
        };
        t.row(vec![
            label,
            money(o.pv_capital, dp),
            money(o.pv_revenue, dp),
            money(o.pv_optimism_bias, dp),
            money(o.pv_risk, dp),
            money(o.pv_costs, dp),
            money(o.pv_benefits, dp),
            if o.baseline {
                "-".into()
            } else {
                money(o.npsv, dp)
            },
            o.bcr
                .map_or_else(|| vfm_short(o.value_for_money).into(), |b| fixed(b, 2)),
            o.payback_year.map_or_else(|| "-".into(), |y| y.to_string()),
        ]);
        if !foots(
            &[o.pv_capital, o.pv_revenue, o.pv_optimism_bias, o.pv_risk],
            o.pv_costs,
            dp,
        ) {
            t.note(NOT_FOOTING);
        }
    }
    if r.no_option_recommended() {
        t.note(
            "No option recommended: no option offers better value for money than business as usual (no npsv is positive)",
        );
    } else {
        let why = if r.preferred_pinned {
            "named in case.toml"
        } else {
            "highest npsv"
        };
        t.note(format!(
            "Preferred option: {} ({why})",
            option_label(case, r.preferred)
        ));
        if r.pinned_departs() {
            t.note(format!(
                "The appraisal does not rank it first: {}",
                if r.option(r.recommended).is_some_and(|o| o.baseline) {
                    "no option's npsv is positive".to_string()
                } else {
                    format!(
                        "{} has the highest positive npsv",
                        option_label(case, r.recommended)
                    )
                }
            ));
        }
    }
    t.render(out);
}

/// What stands in the BCR column where there is no ratio.
fn vfm_short(v: ValueForMoney) -> &'static str {
    match v {
        ValueForMoney::Baseline => "-",
        ValueForMoney::NoDifference => "no difference",
        ValueForMoney::Dominant => "dominant",
        ValueForMoney::Dominated => "dominated",
        ValueForMoney::Ratio => "ratio",
        ValueForMoney::CostSaving => "cost-saving",
    }
}

fn signed_percent(v: Decimal) -> String {
    let text = percent(v, 1);
    if v > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

fn switching_tables(case: &Case, r: &Results, dp: Shown, out: &mut String) {
    if !r.switching_values.is_empty() {
        let mut t = Table::new(
            "Switching values (change at which npsv reaches zero, or the preferred option changes)",
            [
                "Option",
                "Benefits change",
                "Costs change",
                "Savings change to switch",
                "Payback lost after delay",
            ]
            .map(String::from)
            .to_vec(),
        );
        for v in &r.switching_values {
            t.row(vec![
                option_label(case, v.option),
                v.benefits_change.map_or_else(|| "-".into(), signed_percent),
                v.costs_change.map_or_else(|| "-".into(), signed_percent),
                v.savings_change_to_switch
                    .map_or_else(|| "-".into(), signed_percent),
                v.payback_delay_years.map_or_else(
                    || "-".into(),
                    |d| format!("{d} year{}", if d == 1 { "" } else { "s" }),
                ),
            ]);
        }
        if r.preferred_pinned {
            t.note("Savings change to switch: not applicable, the preferred option is named in case.toml");
        }
        t.render(out);
    }
    if !r.sensitivity.is_empty() {
        let mut t = Table::new(
            format!(
                "Sensitivity: npsv of {} with each line moved ({}, largest effect first)",
                option_label(case, r.preferred),
                dp.unit
            ),
            ["Line", "Sheet", "Row", "Change", "NPSV"]
                .map(String::from)
                .to_vec(),
        );
        for e in &r.sensitivity {
            t.row(vec![
                e.line.clone(),
                e.sheet.to_string(),
                e.row.to_string(),
                signed_percent(e.change),
                money(e.npsv, dp),
            ]);
        }
        t.render(out);
    }
}

fn profile_table(
    title: String,
    years: &[FiscalYear],
    p: &[ProfileYear],
    total: ProfileYear,
    dp: Shown,
    out: &mut String,
) {
    let mut t = Table::new(title, years_head("", years));
    let col = |f: fn(&ProfileYear) -> Decimal| p.iter().map(f).collect::<Vec<_>>();
    money_row(
        &mut t,
        "Capital",
        &col(|y| y.capital),
        Some(total.capital),
        dp,
    );
    money_row(
        &mut t,
        "Revenue",
        &col(|y| y.revenue),
        Some(total.revenue),
        dp,
    );
    t.rule();
    money_row(&mut t, "Costs", &col(|y| y.costs), Some(total.costs), dp);
    money_row(
        &mut t,
        "Cashable savings",
        &col(|y| y.cashable),
        Some(total.cashable),
        dp,
    );
    t.rule();
    money_row(
        &mut t,
        "Net (savings - costs)",
        &col(|y| y.net),
        Some(total.net),
        dp,
    );
    money_row(
        &mut t,
        "Cumulative net",
        &col(|y| y.cumulative_net),
        None,
        dp,
    );
    t.rule();
    money_row(
        &mut t,
        "Non-cashable benefits",
        &col(|y| y.non_cashable),
        Some(total.non_cashable),
        dp,
    );
    for y in p.iter().chain(std::iter::once(&total)) {
        if !foots(&[y.capital, y.revenue], y.costs, dp)
            || !foots(&[y.cashable, -y.costs], y.net, dp)
        {
            t.note(NOT_FOOTING);
        }
    }
    t.render(out);
}

fn apportionment_tables(case: &Case, r: &Results, dp: Shown, out: &mut String) {
    let ap = &r.apportionment;
    let column = case.assumptions.apportionment_key.value;
    let mut t = Table::new(
        format!("Apportionment key: {}", ap.key),
        vec!["Partner".into(), ap.key.clone(), "Share".into()],
    );
    for (p, share) in case.partners.ids().zip(&ap.shares) {
        let key = case
            .partners
            .values
            .get(p.index())
            .and_then(|row| row.get(column))
            .map(|k| k.normalize().to_string())
            .unwrap_or_default();
        t.row(vec![partner(case, p), key, percent(*share, 2)]);
    }
    t.render(out);
    let (first, last) = (r.years.first(), r.years.last());
    let period = match (first, last) {
        (Some(f), Some(l)) => format!("{f} to {l}"),
        _ => String::new(),
    };
    for o in &ap.options {
        let mut t = Table::new(
            format!(
                "Apportionment: {} ({}, totals {period}; real prices, then nominal)",
                option_label(case, o.option),
                dp.unit
            ),
            [
                "Partner",
                "Costs",
                "Capital",
                "Revenue",
                "Savings",
                "Net",
                "Nominal costs",
                "Nominal savings",
                "Nominal net",
            ]
            .map(String::from)
            .to_vec(),
        );
        let Some(totals) = r.workings.apportioned(o.option) else {
            continue;
        };
        let figures = |real: &FlowTotals, nominal: &FlowTotals| {
            [
                real.costs,
                real.capital,
                real.revenue,
                real.savings,
                real.net,
                nominal.costs,
                nominal.savings,
                nominal.net,
            ]
        };
        let mut columns: Vec<Vec<Decimal>> = vec![Vec::new(); 8];
        for pf in &totals.partners {
            let figures = figures(&pf.real, &pf.nominal);
            let mut cells = vec![partner(case, pf.partner)];
            for (c, f) in columns.iter_mut().zip(figures) {
                c.push(f);
                cells.push(money(f, dp));
            }
            t.row(cells);
        }
        t.rule();
        let mut cells = vec!["Total".to_string()];
        let sums = figures(&totals.real.total, &totals.nominal.total);
        for (c, sum) in columns.iter().zip(sums) {
            if !foots(c, sum, dp) {
                t.note(NOT_FOOTING);
            }
            cells.push(money(sum, dp));
        }
        t.row(cells);
        if o.net_contributors.is_empty() {
            t.note("Net contributors: none");
        } else {
            let names: Vec<String> = o
                .net_contributors
                .iter()
                .map(|p| partner(case, *p))
                .collect();
            t.note(format!(
                "Net contributors (net cost over the period): {}",
                names.join(", ")
            ));
        }
        t.render(out);
    }
}

/// A year table's head, with a Total column only where the years add up.
fn gap_head(years: &[FiscalYear], totals: bool) -> Vec<String> {
    let mut head = years_head("", years);
    if !totals {
        head.pop();
    }
    head
}

/// A row of a budget-gap table: with its total where the years add up,
/// without one for recurring shortfalls.
fn gap_row(
    t: &mut Table,
    label: &str,
    values: &[Decimal],
    total: Option<Decimal>,
    totals: bool,
    dp: Shown,
) {
    if totals {
        money_row(t, label, values, total, dp);
    } else {
        let mut cells = vec![label.to_string()];
        cells.extend(values.iter().map(|v| money(*v, dp)));
        t.row(cells);
    }
}

const RECURRING: &str =
    "note: recurring shortfalls, built up from earlier years: the years are not added";

fn gap_table(
    title: String,
    years: &[FiscalYear],
    table: &GapTable,
    totals: bool,
    dp: Shown,
    out: &mut String,
) {
    let mut t = Table::new(title, gap_head(years, totals));
    if !totals {
        t.note(RECURRING);
    }
    for row in &table.rows {
        if row.line.is_subtotal() {
            t.rule();
        }
        gap_row(
            &mut t,
            row.line.label(),
            &row.values,
            Some(row.total),
            totals,
            dp,
        );
        if row.line.is_subtotal() {
            t.rule();
        }
    }
    t.render(out);
}

fn budget_tables(case: &Case, r: &Results, dp: Shown, out: &mut String) {
    let Some(g) = &r.budget_gap else { return };
    let add = g.basis.totals();
    gap_table(
        format!("Budget gap and risk gap: region ({})", dp.unit),
        &g.years,
        &g.region,
        add,
        dp,
        out,
    );
    for p in &g.partners {
        let table = &p.table;
        gap_table(
            format!(
                "Budget gap and risk gap: {} ({})",
                partner(case, p.partner),
                dp.unit
            ),
            &g.years,
            table,
            add,
            dp,
            out,
        );
    }
    let Some(after) = &r.gap_after_case else {
        return;
    };
    let totals = r.workings.gap_after_case.as_ref();
    for with_contingency in [false, true] {
        let title = if with_contingency {
            "Gap remaining after this case, with contingency"
        } else {
            "Gap remaining after this case"
        };
        let mut t = Table::new(
            format!(
                "{title}: {} ({}, nominal prices)",
                option_label(case, after.option),
                dp.unit
            ),
            gap_head(&after.years, add),
        );
        if !add {
            t.note(RECURRING);
        }
        if after.years.is_empty() {
            t.note("note: the Budget sheet's years and the appraisal years do not overlap");
        }
        let (region, region_total) = if with_contingency {
            (
                &after.region_with_contingency,
                totals.map(|g| g.region_with_contingency),
            )
        } else {
            (&after.region, totals.map(|g| g.region))
        };
        gap_row(&mut t, "Region", region, region_total, add, dp);
        if !after.partners.is_empty() {
            t.rule();
        }
        for (i, p) in after.partners.iter().enumerate() {
            let total = totals.and_then(|g| g.partners.get(i));
            let (values, total) = if with_contingency {
                (&p.with_contingency, total.map(|g| g.with_contingency))
            } else {
                (&p.gap, total.map(|g| g.total))
            };
            gap_row(&mut t, &partner(case, p.partner), values, total, add, dp);
        }
        t.render(out);
    }
}

/// Every table of `fivecase compute`, one section each.
pub fn render(case: &Case, r: &Results) -> String {
    let dp = Shown::of(case);
    let mut out = String::new();
    let _ = writeln!(out, "{}", case.meta.title);
    let _ = writeln!(
        out,
        "All money in {}; real prices are {} prices; Green Book {} edition\n",
        dp.unit, r.base_year, r.edition
    );
    discount_table(case, r, &mut out);
    appraisal_table(case, r, dp, &mut out);
    switching_tables(case, r, dp, &mut out);
    for p in &r.savings_profile {
        let label = option_label(case, p.option);
        let totals = r.workings.profile(p.option);
        profile_table(
            format!(
                "Savings profile: {label} ({}, real prices, against the baseline)",
                dp.unit
            ),
            &r.years,
            &p.real,
            totals.map(|w| w.real_total).unwrap_or_default(),
            dp,
            &mut out,
        );
        profile_table(
            format!(
                "Savings profile: {label} ({}, nominal prices, against the baseline)",
                dp.unit
            ),
            &r.years,
            &p.nominal,
            totals.map(|w| w.nominal_total).unwrap_or_default(),
            dp,
            &mut out,
        );
    }
    apportionment_tables(case, r, dp, &mut out);
    financial_case_tables(case, r, dp, &mut out);
    budget_tables(case, r, dp, &mut out);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The Financial Case of the option shown: each partner's net revenue
/// effect and contingency by year, then the affordability test.
fn financial_case_tables(case: &Case, r: &Results, dp: Shown, out: &mut String) {
    let Some(fc) = &r.financial_case else {
        return;
    };
    let label = option_label(case, fc.option);
    let mut head = vec![String::new()];
    head.extend(r.years.iter().map(ToString::to_string));
    let mut t = Table::new(
        format!(
            "Net revenue effect and contingency: {label} ({}, nominal; savings less revenue costs and the capital's charge)",
            dp.unit
        ),
        head,
    );
    let line = |name: String, values: &[Decimal]| {
        let mut row = vec![name];
        row.extend(values.iter().map(|v| money(*v, dp)));
        row
    };
    for p in &fc.partners {
        let name = case
            .partners
            .name(p.partner)
            .map(str::to_string)
            .unwrap_or_default();
        t.row(line(
            format!("{name}: net revenue effect"),
            &p.net_revenue_effect,
        ));
        t.row(line(format!("{name}: contingency"), &p.contingency));
        t.row(line(format!("{name}: capital charge"), &p.financed.charge));
    }
    t.row(line(
        "Region: net revenue effect".into(),
        &fc.region_net_revenue_effect,
    ));
    t.row(line("Region: contingency".into(), &fc.region_contingency));
    t.render(out);

    let years = match (fc.years.first(), fc.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let mut t = Table::new(
        format!(
            "Affordability: {label} ({}, nominal, {years}; net revenue effect less contingency)",
            dp.unit
        ),
        [
            "Partner",
            "Capital financing",
            "Total",
            "Costs money in",
            "Cost in those years",
            "Charges after period",
        ]
        .map(String::from)
        .to_vec(),
    );
    for p in &fc.partners {
        let years: Vec<String> = p.years_costing.iter().map(ToString::to_string).collect();
        t.row(vec![
            case.partners
                .name(p.partner)
                .map(str::to_string)
                .unwrap_or_default(),
            p.method.key().to_string(),
            money(p.total, dp),
            if years.is_empty() {
                "-".into()
            } else {
                years.join(", ")
            },
            if years.is_empty() {
                "-".into()
            } else {
                money(p.cost_in_those_years, dp)
            },
            money(p.financed.charges_after_period, dp),
        ]);
    }
    t.row(vec![
        "Region".into(),
        String::new(),
        money(fc.region_total, dp),
        String::new(),
        String::new(),
        money(fc.region.charges_after_period, dp),
    ]);
    t.note(if fc.self_funding {
        "Self-funding: every partner's total is zero or more"
    } else {
        "Not self-funding: a partner's total is below zero"
    });
    t.render(out);
}

/// A short summary for `fivecase demo`: the appraisal table and the preferred option.
pub fn summary(case: &Case, r: &Results) -> String {
    let mut out = String::new();
    appraisal_table(case, r, Shown::of(case), &mut out);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A figure and its change from the base case, e.g. `12.3` and `(1.2)`.
/// A scenario's figure and its change from the base case (the engine's).
fn with_change(value: Option<Decimal>, change: Option<Decimal>, dp: Shown) -> [String; 2] {
    match value {
        Some(v) => [
            money(v, dp),
            change.map_or_else(String::new, |d| money(d, dp)),
        ],
        None => ["-".into(), String::new()],
    }
}

/// `fivecase scenarios`: the base case and every scenario side by side,
/// each scenario with its change from the base case.
pub fn scenarios(base: &Outcome, scenarios: &[Outcome]) -> String {
    let case = &base.case;
    let r = &base.results;
    let dp = Shown::of(case);
    let mut head = vec![String::new(), ScenarioSpec::BASE_NAME.to_string()];
    for s in scenarios {
        head.push(s.name.clone());
        head.push("vs base".into());
    }
    let mut t = Table::new(
        format!(
            "Scenarios ({}; npsv and savings in real prices, gap after case nominal)",
            dp.unit
        ),
        head,
    );
    let option_of = |o: &Outcome, id: &str| o.results.options.iter().find(|a| a.id == id).cloned();
    let row = |t: &mut Table,
               label: String,
               get: &dyn Fn(&Outcome) -> Option<Decimal>,
               change: &dyn Fn(&Change) -> Option<Decimal>| {
        let b = get(base);
        let mut cells = vec![label, b.map_or_else(|| "-".into(), |v| money(v, dp))];
        for s in scenarios {
            cells.extend(with_change(get(s), s.change.as_ref().and_then(change), dp));
        }
        t.row(cells);
    };
    let text_row = |t: &mut Table, label: String, get: &dyn Fn(&Outcome) -> String| {
        let b = get(base);
        let mut cells = vec![label, b.clone()];
        for s in scenarios {
            let v = get(s);
            let changed = if v == b {
                String::new()
            } else {
                "changed".into()
            };
            cells.push(v);
            cells.push(changed);
        }
        t.row(cells);
    };
    for (k, o) in r.options.iter().filter(|o| !o.baseline).enumerate() {
        row(
            &mut t,
            format!("NPSV {}", o.id),
            &|x| option_of(x, &o.id).map(|a| a.npsv),
            &|c| c.npsv.get(k).copied().flatten(),
        );
    }
    for (k, o) in r.options.iter().filter(|o| !o.baseline).enumerate() {
        let bcr = |x: &Outcome| option_of(x, &o.id).and_then(|a| a.bcr);
        let b = bcr(base);
        let mut cells = vec![
            format!("BCR {}", o.id),
            b.map_or_else(|| "-".into(), |v| fixed(v, 2)),
        ];
        for s in scenarios {
            let v = bcr(s);
            cells.push(v.map_or_else(|| "-".into(), |v| fixed(v, 2)));
            let change = s
                .change
                .as_ref()
                .and_then(|c| c.bcr.get(k).copied().flatten());
            cells.push(change.map_or_else(String::new, |d| fixed(d, 2)));
        }
        t.row(cells);
    }
    t.rule();
    text_row(&mut t, "Preferred option".into(), &|x| {
        x.case
            .option(x.results.preferred)
            .map(|o| o.id.clone())
            .unwrap_or_default()
    });
    text_row(&mut t, "Payback (preferred)".into(), &|x| {
        x.results
            .option(x.results.preferred)
            .and_then(|a| a.payback_year)
            .map_or_else(|| "-".into(), |y| y.to_string())
    });
    row(
        &mut t,
        "Cashable savings (preferred)".into(),
        &|x| Some(x.total_cashable_savings),
        &|c| Some(c.total_cashable_savings),
    );
    t.rule();
    for (k, name) in case.partners.names.iter().enumerate() {
        row(
            &mut t,
            format!("Net: {name}"),
            &|x| {
                x.case
                    .partners
                    .names
                    .iter()
                    .position(|n| n == name)
                    .and_then(|p| x.partner_net.get(p).copied())
            },
            &|c| c.partner_net.get(k).copied().flatten(),
        );
    }
    if let Some(g) = &r.gap_after_case {
        t.rule();
        for (i, year) in g.years.iter().enumerate() {
            row(
                &mut t,
                format!("Gap after case {year}"),
                &|x| {
                    x.results
                        .gap_after_case
                        .as_ref()
                        .filter(|h| h.years.get(i) == Some(year))
                        .and_then(|h| h.region.get(i).copied())
                },
                &|c| c.gap_after_case.get(i).copied().flatten(),
            );
        }
    }
    for s in scenarios {
        if !s.description.is_empty() {
            t.note(format!("{}: {}", s.name, s.description));
        }
    }
    let mut out = String::new();
    t.render(&mut out);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `fivecase risk`: the percentiles of every option, the preferred option's
/// partners and the gap after the case, beside the optimism-bias view.
pub fn risk(case: &Case, r: &Results, a: &crate::compute::risk::RiskAnalysis) -> String {
    let dp = Shown::of(case);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Quantified risk analysis: {} iterations{}, seed {}; no optimism bias (the ranges and risks replace it)\n",
        a.iterations,
        if a.auto { " (auto)" } else { "" },
        a.seed
    );
    let mut t = Table::new(
        format!(
            "Present values by option ({}, {} prices): the quantified view against the optimism-bias view",
            dp.unit, r.base_year
        ),
        [
            "Option",
            "PV costs P50",
            "PV costs P80",
            "with OB",
            "NPSV P20",
            "NPSV P50",
            "NPSV mean",
            "with OB",
            "P(NPSV > 0)",
        ]
        .map(String::from)
        .to_vec(),
    );
    for o in &a.options {
        let Some(det) = r.option(o.option) else {
            continue;
        };
        let baseline = o.option == a.baseline;
        let label = if baseline {
            format!("{} (baseline)", option_label(case, o.option))
        } else {
            option_label(case, o.option)
        };
        let dash = || "-".to_string();
        t.row(vec![
            label,
            money(o.pv_costs.p(50), dp),
            money(o.pv_costs.p(80), dp),
            money(det.pv_costs, dp),
            if baseline {
                dash()
            } else {
                money(o.npsv.p(20), dp)
            },
            if baseline {
                dash()
            } else {
                money(o.npsv.p(50), dp)
            },
            if baseline {
                dash()
            } else {
                money(o.npsv.mean, dp)
            },
            if baseline {
                dash()
            } else {
                money(det.npsv, dp)
            },
            if baseline {
                dash()
            } else {
                percent(o.prob_npsv_positive, 1)
            },
        ]);
    }
    t.note("P80 of a cost: the outturn stays within it with 80% confidence; P20 of an NPSV: it is achieved with 80% confidence");
    t.render(&mut out);

    let mut t = Table::new(format!("Every percentile ({})", dp.unit), {
        let mut head = vec!["Option".to_string(), "Figure".to_string()];
        head.extend(a.percentiles.iter().map(|q| format!("P{q}")));
        head
    });
    for o in &a.options {
        for (name, s) in [
            ("PV costs", &o.pv_costs),
            ("PV benefits", &o.pv_benefits),
            ("NPSV", &o.npsv),
        ] {
            let mut cells = vec![option_label(case, o.option), name.to_string()];
            cells.extend(s.percentiles.iter().map(|p| money(p.value, dp)));
            t.row(cells);
        }
    }
    t.render(&mut out);

    match &a.partners {
        Some(partners) => {
            let mut t = Table::new(
                format!(
                    "Risk allowance by partner: {} over the appraisal period ({}, nominal)",
                    option_label(case, a.preferred),
                    dp.unit
                ),
                [
                    "Partner",
                    "Net revenue effect",
                    "After risk P20",
                    "P50",
                    "P80",
                    "Allowance 50%",
                    "Allowance 80%",
                    "Contingency",
                ]
                .map(String::from)
                .to_vec(),
            );
            let contingency = |p: PartnerId| {
                r.financial_case
                    .as_ref()
                    .and_then(|f| f.partners.iter().find(|x| x.partner == p))
                    .map(|x| {
                        x.contingency
                            .iter()
                            .fold(Decimal::ZERO, |acc, c| acc.saturating_add(*c))
                    })
                    .unwrap_or_default()
            };
            for p in partners {
                t.row(vec![
                    partner(case, p.partner),
                    money(p.deterministic, dp),
                    money(p.net_after_risk.p(20), dp),
                    money(p.net_after_risk.p(50), dp),
                    money(p.net_after_risk.p(80), dp),
                    money(p.allowance_p50, dp),
                    money(p.allowance_p80, dp),
                    money(contingency(p.partner), dp),
                ]);
            }
            t.note("Allowance 80%: what to hold so the net after risk is met with 80% confidence; the contingency is the expected-value view");
            t.render(&mut out);
        }
        None => {
            out.push_str("No partner figures: business as usual is preferred.\n\n");
        }
    }

    if !a.gap_after_case.is_empty() {
        let mut t = Table::new(
            format!(
                "Region's gap after the case with risk ({}, nominal)",
                dp.unit
            ),
            ["Year", "P20", "P50", "P80", "Mean"]
                .map(String::from)
                .to_vec(),
        );
        for g in &a.gap_after_case {
            t.row(vec![
                g.year.to_string(),
                money(g.gap.p(20), dp),
                money(g.gap.p(50), dp),
                money(g.gap.p(80), dp),
                money(g.gap.mean, dp),
            ]);
        }
        t.render(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::scenarios as scenarios_table;
    use super::*;
    use crate::compute::{self, synthetic};

    #[test]
    fn worked_case_tables() {
        let case = synthetic::worked();
        let results = compute::compute(&case).unwrap();
        insta::assert_snapshot!(render(&case, &results));
    }

    #[test]
    fn scenarios_side_by_side() {
        let mut case = synthetic::worked();
        case.meta.scenarios = vec![
            crate::model::ScenarioSpec {
                name: "late".into(),
                description: "savings a year late".into(),
                savings_delay_years: Some(1),
                ..Default::default()
            },
            crate::model::ScenarioSpec {
                name: "north only".into(),
                description: "South does not join".into(),
                partners: Some(vec!["North".into()]),
                ..Default::default()
            },
        ];
        let computed = compute::run_case(&case).unwrap();
        insta::assert_snapshot!(scenarios_table(&computed.base, &computed.scenarios));
    }

    #[test]
    fn a_table_that_does_not_foot_says_so() {
        let mut t = Table::new("T", vec![String::new(), "a".into(), "Total".into()]);
        money_row(
            &mut t,
            "x",
            &[Decimal::new(4, 2), Decimal::new(4, 2), Decimal::new(4, 2)],
            Some(Decimal::new(12, 2)),
            Shown::entered(crate::model::Unit::Thousands, 1),
        );
        let mut out = String::new();
        t.render(&mut out);
        assert!(out.contains(NOT_FOOTING), "{out}");
    }
}
