//! The programme roll-up: every case's counted option, by force and year, in
//! the portfolio's unit (docs/methodology.md, "The programme roll-up").
//!
//! Pure and exact: no IO, no floating point. Each case's figures are taken
//! from its own [`Results`] (what `compute --json --option ID` prints),
//! converted exactly between £, £k and £m (a power of ten: the decimal point
//! moves, nothing is rounded), and added with checked arithmetic.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::file::{PortfolioFile, Tier};
use super::tiers::{self, Placement, RankKey, Scores};
use crate::compute::{BudgetGap, GapLine, Results, ValueForMoney};
use crate::model::{Budget, BudgetLine, Case, CellRef, FiscalYear, OptionId, Stage, Unit};
use crate::names;

/// A figure beyond exact decimal arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{case}: the {what} would be too large to add up exactly (beyond about 7.9 × 10^28)")]
pub struct RollupError {
    pub case: String,
    pub what: &'static str,
}

/// One force's figures for one year (nominal, apportioned to the force).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fig {
    pub costs: Decimal,
    pub capital: Decimal,
    pub revenue: Decimal,
    pub savings: Decimal,
    pub net: Decimal,
    pub net_revenue_effect: Decimal,
    pub contingency: Decimal,
    pub financing_charge: Decimal,
}

impl Fig {
    /// The JSON key of each figure, in [`Fig::values`] order.
    pub const KEYS: [&'static str; 8] = [
        "costs",
        "capital",
        "revenue",
        "savings",
        "net",
        "net_revenue_effect",
        "contingency",
        "financing_charge",
    ];

    /// The figures in [`Fig::KEYS`] order.
    pub fn values(&self) -> [Decimal; 8] {
        [
            self.costs,
            self.capital,
            self.revenue,
            self.savings,
            self.net,
            self.net_revenue_effect,
            self.contingency,
            self.financing_charge,
        ]
    }

    fn from_values(v: [Decimal; 8]) -> Fig {
        Fig {
            costs: v[0],
            capital: v[1],
            revenue: v[2],
            savings: v[3],
            net: v[4],
            net_revenue_effect: v[5],
            contingency: v[6],
            financing_charge: v[7],
        }
    }

    fn map(self, f: impl Fn(Decimal) -> Option<Decimal>) -> Option<Fig> {
        let v = self.values();
        let mut out = [Decimal::ZERO; 8];
        for (o, x) in out.iter_mut().zip(v) {
            *o = f(x)?;
        }
        Some(Fig::from_values(out))
    }

    fn checked_add(self, other: Fig) -> Option<Fig> {
        let (a, b) = (self.values(), other.values());
        let mut out = [Decimal::ZERO; 8];
        for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
            *o = x.checked_add(y)?;
        }
        Some(Fig::from_values(out))
    }
}

/// `value` in `from` as an amount in `to`, exactly: the decimal point moves
/// three places per step between £, £k and £m. `None` beyond rust_decimal's
/// range.
pub fn convert(value: Decimal, from: Unit, to: Unit) -> Option<Decimal> {
    let step = |u: Unit| -> i32 {
        match u {
            Unit::Pounds => 0,
            Unit::Thousands => 1,
            Unit::Millions => 2,
        }
    };
    let shift = 3 * (step(from) - step(to));
    if shift >= 0 {
        value.checked_mul(Decimal::from(10_i64.pow(shift.unsigned_abs())))
    } else {
        // Moving the point is exact while the result has at most 28 places
        // (any amount to the penny, or finer, in £); beyond that the
        // quotient is rounded at rust_decimal's 28th significant digit.
        let mut v = value.normalize();
        let scale = v.scale() + shift.unsigned_abs();
        if v.set_scale(scale).is_ok() {
            Some(v)
        } else {
            value.checked_div(Decimal::from(10_i64.pow(shift.unsigned_abs())))
        }
    }
}

/// What the roll-up takes from one case: its identity, the counted option's
/// headline figures and each force's yearly figures, in the case's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFigures {
    /// The path as written in portfolio.toml.
    pub path: String,
    pub title: String,
    pub stage: Stage,
    pub date: Option<NaiveDate>,
    pub unit: Unit,
    /// The counted option's id; `None` when the case recommends no option.
    pub option: Option<String>,
    pub option_name: String,
    pub base_year: FiscalYear,
    pub years: Vec<FiscalYear>,
    pub discount_factors: Vec<Decimal>,
    pub npsv: Decimal,
    pub bcr: Option<Decimal>,
    pub value_for_money: ValueForMoney,
    pub payback_year: Option<FiscalYear>,
    /// The counted option's incremental nominal costs and cashable savings over the period.
    pub costs: Decimal,
    pub savings: Decimal,
    /// Each force of the case's Partners sheet and its figures, aligned with `years`.
    pub partners: Vec<(String, Vec<Fig>)>,
    /// The case's own Budget sheet and its gap tables, to compare with the programme budget.
    pub budget: Option<(Budget, BudgetGap)>,
    /// The case's workbook as messages name it (set by the reader).
    pub workbook: String,
}

/// Takes the counted option's figures from a case's results (computed with
/// `compute::compute_showing(case, option)`, or `compute::compute` when the
/// case recommends no option: `option` is then `None` and it counts as zero).
pub fn figures(path: &str, case: &Case, r: &Results, option: Option<OptionId>) -> CaseFigures {
    let n = r.years.len();
    let appraisal = option.and_then(|o| r.option(o));
    let mut partners: Vec<(String, Vec<Fig>)> = case
        .partners
        .names
        .iter()
        .map(|p| (p.clone(), vec![Fig::default(); n]))
        .collect();
    if let Some(o) = option {
        if let Some(a) = r.apportioned(o) {
            for pf in &a.partners {
                if let Some((_, figs)) = partners.get_mut(pf.partner.index()) {
                    let f = &pf.nominal;
                    for (i, fig) in figs.iter_mut().enumerate() {
                        let at = |v: &Vec<Decimal>| v.get(i).copied().unwrap_or_default();
                        fig.costs = at(&f.costs);
                        fig.capital = at(&f.capital);
                        fig.revenue = at(&f.revenue);
                        fig.savings = at(&f.savings);
                        fig.net = at(&f.net);
                    }
                }
            }
        }
        if let Some(fc) = r.financial_case.as_ref().filter(|fc| fc.option == o) {
            for p in &fc.partners {
                if let Some((_, figs)) = partners.get_mut(p.partner.index()) {
                    for (i, fig) in figs.iter_mut().enumerate() {
                        let at = |v: &Vec<Decimal>| v.get(i).copied().unwrap_or_default();
                        fig.net_revenue_effect = at(&p.net_revenue_effect);
                        fig.contingency = at(&p.contingency);
                        fig.financing_charge = at(&p.financed.charge);
                    }
                }
            }
        }
    }
    let totals = option
        .and_then(|o| r.workings.profile(o))
        .map(|p| p.nominal_total);
    CaseFigures {
        path: path.to_string(),
        title: case.meta.title.clone(),
        stage: case.meta.stage,
        date: case.meta.date,
        unit: r.unit,
        option: appraisal.map(|a| a.id.clone()),
        option_name: appraisal.map(|a| a.name.clone()).unwrap_or_default(),
        base_year: r.base_year,
        years: r.years.clone(),
        discount_factors: r.discount_factors.clone(),
        npsv: appraisal.map_or(Decimal::ZERO, |a| a.npsv),
        bcr: appraisal.and_then(|a| a.bcr),
        value_for_money: appraisal.map_or(ValueForMoney::Baseline, |a| a.value_for_money),
        payback_year: appraisal.and_then(|a| a.payback_year_nominal),
        costs: totals.map_or(Decimal::ZERO, |t| t.costs),
        savings: totals.map_or(Decimal::ZERO, |t| t.cashable),
        partners,
        budget: case.budget.clone().zip(r.budget_gap.clone()),
        workbook: String::new(),
    }
}

/// One case in the programme, its figures in the portfolio's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseLine {
    pub figures: CaseFigures,
    pub included: bool,
    pub scores: Option<Scores>,
    /// The scores given, aligned with the portfolio's sub-criteria (empty when not scored).
    pub given: Vec<u8>,
    pub rationale: Vec<String>,
    /// The tier the scores give.
    pub placement: Placement,
    /// The tier shown: the override when there is one.
    pub tier: Placement,
    /// The reasonableness test: why the tier was overridden.
    pub override_reason: Option<String>,
    pub rank: usize,
    /// In the portfolio's unit.
    pub npsv: Decimal,
    pub costs: Decimal,
    pub savings: Decimal,
    /// Aligned with [`Programme::partners`]: `None` where the force is not a partner of the case;
    /// else one [`Fig`] per [`Programme::years`] (zero outside the case's years).
    pub by_partner: Vec<Option<Vec<Fig>>>,
}

/// A force's net position: the total of its nominal net revenue effect.
#[derive(Debug, Clone, PartialEq)]
pub struct NetPosition {
    /// One per case (aligned with [`Programme::cases`]); `None` where not a partner.
    pub by_case: Vec<Option<Decimal>>,
    /// Over the included cases.
    pub programme: Decimal,
}

/// The whole programme rolled up.
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    pub unit: Unit,
    /// The union of the cases' years, in order.
    pub years: Vec<FiscalYear>,
    /// Every force, as first written, in order of first appearance.
    pub partners: Vec<String>,
    pub tiers: Vec<Tier>,
    /// In portfolio.toml's order.
    pub cases: Vec<CaseLine>,
    /// Indexed by partner, then year: summed over the included cases.
    pub partner_totals: Vec<Vec<Fig>>,
    /// One per year, over every force and included case.
    pub total: Vec<Fig>,
    /// Each force's figures summed over the years (aligned with `partners`).
    pub partner_sums: Vec<Fig>,
    /// The programme's figures summed over the years.
    pub total_sum: Fig,
    /// Aligned with `partners`.
    pub net_position: Vec<NetPosition>,
    /// Forces whose programme net position is negative.
    pub net_contributors: Vec<usize>,
    /// Forces negative in some included case but positive over the programme.
    pub gain_overall: Vec<usize>,
    /// The included cases' npsv summed, or why it is not.
    pub npsv_total: Result<Decimal, String>,
    /// Names that match no other case's force but are close to one: (case index, name, nearest).
    pub near_names: Vec<(usize, String, String)>,
    /// With a programme budget: the forces' gaps after the programme.
    pub gap_after: Option<GapAfterProgramme>,
}

/// One case as the roll-up takes it: its figures and its portfolio entry's decisions.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInput {
    pub figures: CaseFigures,
    pub included: bool,
    pub scores: Vec<u8>,
    pub rationale: Vec<String>,
    pub tier_override: Option<usize>,
    pub override_reason: String,
}

/// Rolls the cases up in `unit`.
///
/// # Errors
/// When a converted figure or a sum leaves exact decimal arithmetic.
pub fn roll_up(
    file: &PortfolioFile,
    unit: Unit,
    inputs: Vec<CaseInput>,
) -> Result<Programme, RollupError> {
    let years: Vec<FiscalYear> = inputs
        .iter()
        .flat_map(|c| c.figures.years.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut partners: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for c in &inputs {
        for (p, _) in &c.figures.partners {
            let k = names::key(p);
            if !keys.contains(&k) {
                keys.push(k);
                partners.push(p.clone());
            }
        }
    }
    let near_names = near_names(&inputs);
    let year_index = |y: FiscalYear| years.binary_search(&y).ok();
    let np = partners.len();
    let ny = years.len();
    let mut partner_totals = vec![vec![Fig::default(); ny]; np];
    let mut net_position: Vec<NetPosition> = (0..np)
        .map(|_| NetPosition {
            by_case: vec![None; inputs.len()],
            programme: Decimal::ZERO,
        })
        .collect();
    let mut cases = Vec::with_capacity(inputs.len());
    for (ci, input) in inputs.into_iter().enumerate() {
        let err = |what| RollupError {
            case: input.figures.path.clone(),
            what,
        };
        let from = input.figures.unit;
        let conv = |v: Decimal, what| convert(v, from, unit).ok_or_else(|| err(what));
        let mut by_partner: Vec<Option<Vec<Fig>>> = vec![None; np];
        for (name, figs) in &input.figures.partners {
            let k = names::key(name);
            let Some(pi) = keys.iter().position(|x| *x == k) else {
                continue;
            };
            let mut row = vec![Fig::default(); ny];
            let mut position = Decimal::ZERO;
            for (y, fig) in input.figures.years.iter().zip(figs) {
                let converted = fig
                    .map(|v| convert(v, from, unit))
                    .ok_or_else(|| err("force's figures"))?;
                position = position
                    .checked_add(converted.net_revenue_effect)
                    .ok_or_else(|| err("net revenue effects"))?;
                if let Some(yi) = year_index(*y) {
                    row[yi] = converted;
                }
            }
            if input.included {
                for (t, f) in partner_totals[pi].iter_mut().zip(&row) {
                    *t = t
                        .checked_add(*f)
                        .ok_or_else(|| err("programme's figures"))?;
                }
                net_position[pi].programme = net_position[pi]
                    .programme
                    .checked_add(position)
                    .ok_or_else(|| err("net positions"))?;
            }
            net_position[pi].by_case[ci] = Some(position);
            by_partner[pi] = Some(row);
        }
        let scores = tiers::score(&file.criteria, &input.scores);
        let placement = tiers::place(&file.tiers, scores);
        let tier = input
            .tier_override
            .map_or_else(|| placement.clone(), Placement::Tier);
        cases.push(CaseLine {
            npsv: conv(input.figures.npsv, "npsv")?,
            costs: conv(input.figures.costs, "costs")?,
            savings: conv(input.figures.savings, "savings")?,
            figures: input.figures,
            included: input.included,
            scores,
            given: input.scores,
            rationale: input.rationale,
            placement,
            tier,
            override_reason: input.tier_override.map(|_| input.override_reason.clone()),
            rank: 0,
            by_partner,
        });
    }
    let rank_keys: Vec<RankKey<'_>> = cases
        .iter()
        .map(|c| RankKey {
            tier: c.tier.order(file.tiers.len()),
            combined: c.scores.map(Scores::combined),
            npsv: c.npsv,
            path: &c.figures.path,
        })
        .collect();
    let ranks = tiers::rank(&rank_keys);
    for (c, r) in cases.iter_mut().zip(ranks) {
        c.rank = r;
    }
    let mut total = vec![Fig::default(); ny];
    for row in &partner_totals {
        for (t, f) in total.iter_mut().zip(row) {
            *t = t.checked_add(*f).ok_or_else(|| RollupError {
                case: "the programme".into(),
                what: "programme's totals",
            })?;
        }
    }
    let over_years = |figs: &[Fig]| -> Result<Fig, RollupError> {
        figs.iter().try_fold(Fig::default(), |acc, f| {
            acc.checked_add(*f).ok_or_else(|| RollupError {
                case: "the programme".into(),
                what: "totals over the years",
            })
        })
    };
    let partner_sums = partner_totals
        .iter()
        .map(|row| over_years(row))
        .collect::<Result<Vec<_>, _>>()?;
    let total_sum = over_years(&total)?;
    let net_contributors = (0..np)
        .filter(|&p| net_position[p].programme < Decimal::ZERO)
        .collect();
    let gain_overall = (0..np)
        .filter(|&p| {
            net_position[p].programme > Decimal::ZERO
                && net_position[p]
                    .by_case
                    .iter()
                    .zip(&cases)
                    .any(|(v, c)| c.included && v.is_some_and(|v| v < Decimal::ZERO))
        })
        .collect();
    let npsv_total = npsv_total(&cases);
    Ok(Programme {
        unit,
        years,
        partners,
        tiers: file.tiers.clone(),
        cases,
        partner_totals,
        total,
        partner_sums,
        total_sum,
        net_position,
        net_contributors,
        gain_overall,
        npsv_total,
        near_names,
        gap_after: None,
    })
}

/// The gap after the programme for one force with rows of its own in the programme budget.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerGapAfter {
    /// Index into [`Programme::partners`].
    pub partner: usize,
    pub risk_adjusted: Vec<Decimal>,
    /// Σ the included cases' net revenue effects, each year.
    pub net_revenue_effect: Vec<Decimal>,
    /// risk-adjusted gap − Σ the included cases' net revenue effects.
    pub gap: Vec<Decimal>,
    /// risk-adjusted gap − Σ (net revenue effect − contingency).
    pub with_contingency: Vec<Decimal>,
}

/// The forces' budget gaps after the programme, in the portfolio's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct GapAfterProgramme {
    /// The years in both the programme budget and the programme.
    pub years: Vec<FiscalYear>,
    /// The region's risk-adjusted gap and the gaps after the programme (the
    /// forces with rows of their own, or every force against Region rows).
    pub region: PartnerGapAfter,
    pub partners: Vec<PartnerGapAfter>,
}

/// The gap after the programme (docs/methodology.md, "The programme roll-up"):
/// each year in both ranges, the risk-adjusted gap of the programme budget
/// (`gap`, in `unit`, its partner ids indexing `p.partners`) less the
/// included cases' net revenue effects, with and without their contingency.
///
/// # Errors
/// When a converted figure or a difference leaves exact arithmetic.
pub fn gap_after_programme(
    p: &Programme,
    gap: &BudgetGap,
    unit: Unit,
) -> Result<GapAfterProgramme, RollupError> {
    let err = |what| RollupError {
        case: "the programme budget".into(),
        what,
    };
    let common: Vec<(usize, usize)> = gap
        .years
        .iter()
        .enumerate()
        .filter_map(|(b, y)| p.years.iter().position(|a| a == y).map(|a| (b, a)))
        .collect();
    let after = |table: &crate::compute::GapTable,
                 partner: usize,
                 fig: &dyn Fn(usize) -> Fig|
     -> Result<PartnerGapAfter, RollupError> {
        let adjusted = &table.row(GapLine::RiskAdjustedGap).values;
        let mut out = PartnerGapAfter {
            partner,
            risk_adjusted: Vec::new(),
            net_revenue_effect: Vec::new(),
            gap: Vec::new(),
            with_contingency: Vec::new(),
        };
        for &(b, a) in &common {
            let rag = convert(adjusted.get(b).copied().unwrap_or_default(), unit, p.unit)
                .ok_or_else(|| err("risk-adjusted gaps"))?;
            let f = fig(a);
            let gap = rag
                .checked_sub(f.net_revenue_effect)
                .ok_or_else(|| err("gaps after the programme"))?;
            let with = gap
                .checked_add(f.contingency)
                .ok_or_else(|| err("gaps after the programme"))?;
            out.risk_adjusted.push(rag);
            out.net_revenue_effect.push(f.net_revenue_effect);
            out.gap.push(gap);
            out.with_contingency.push(with);
        }
        Ok(out)
    };
    let mut partners = Vec::new();
    for pg in &gap.partners {
        let i = pg.partner.index();
        let Some(row) = p.partner_totals.get(i) else {
            continue;
        };
        partners.push(after(&pg.table, i, &|a| {
            row.get(a).copied().unwrap_or_default()
        })?);
    }
    // The region: against the forces with rows of their own, or all of them.
    let mut region_figs = vec![Fig::default(); p.years.len()];
    if partners.is_empty() {
        region_figs.clone_from(&p.total);
    } else {
        for pg in &partners {
            for (t, f) in region_figs.iter_mut().zip(&p.partner_totals[pg.partner]) {
                *t = t
                    .checked_add(*f)
                    .ok_or_else(|| err("net revenue effects"))?;
            }
        }
    }
    let region = after(&gap.region, usize::MAX, &|a| {
        region_figs.get(a).copied().unwrap_or_default()
    })?;
    Ok(GapAfterProgramme {
        years: common.iter().map(|&(b, _)| gap.years[b]).collect(),
        region,
        partners,
    })
}

/// A case's Budget line disagreeing with the programme budget's for a force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetDisagreement {
    /// Index into [`Programme::cases`].
    pub case: usize,
    pub force: String,
    pub line: GapLine,
    pub year: FiscalYear,
    /// The first differing cell in the case's workbook and in the programme budget.
    pub case_cell: CellRef,
    pub programme_cell: CellRef,
    /// How many force-line-years differ for this case and force.
    pub count: usize,
}

fn budget_line(line: GapLine) -> Option<BudgetLine> {
    match line {
        GapLine::BaseBudgetGap => Some(BudgetLine::BaseBudgetGap),
        GapLine::UseOfReserves => Some(BudgetLine::UseOfReserves),
        GapLine::CashReleasingEfficiencies => Some(BudgetLine::CashReleasingEfficiencies),
        GapLine::IdentifiedRiskGap => Some(BudgetLine::IdentifiedRiskGap),
        GapLine::LossOfGrantToFloors => Some(BudgetLine::LossOfGrantToFloors),
        GapLine::IncreaseInBorrowing => Some(BudgetLine::IncreaseInBorrowing),
        GapLine::ResidualGap | GapLine::RiskAdjustedGap => None,
    }
}

/// The cell of `partner`'s `line` in `year` on a Budget sheet.
fn budget_cell(b: &Budget, partner: usize, line: BudgetLine, year: FiscalYear) -> Option<CellRef> {
    let yi = b.years.iter().position(|y| *y == year)?;
    let row = b.rows.iter().find(|r| {
        r.partner.map(crate::model::PartnerId::index) == Some(partner) && r.line == line
    })?;
    Some(CellRef::new("Budget", row.row, *b.year_cols.get(yi)?))
}

/// Where a case's own Budget sheet disagrees with the programme budget for
/// a force and year (each line as the gap tables read it, in the portfolio's
/// unit): one entry per case and force, naming the first pair of cells.
pub fn budget_disagreements(
    p: &Programme,
    programme_budget: &Budget,
    programme_gap: &BudgetGap,
    unit: Unit,
) -> Vec<BudgetDisagreement> {
    let mut out = Vec::new();
    for (ci, c) in p.cases.iter().enumerate() {
        let Some((case_budget, case_gap)) = &c.figures.budget else {
            continue;
        };
        for pg in &case_gap.partners {
            let Some((force, _)) = c.figures.partners.get(pg.partner.index()) else {
                continue;
            };
            let Some(pi) = p.partners.iter().position(|n| names::same(n, force)) else {
                continue;
            };
            let Some(theirs) = programme_gap
                .partners
                .iter()
                .find(|x| x.partner.index() == pi)
            else {
                continue;
            };
            let mut first: Option<BudgetDisagreement> = None;
            let mut count = 0;
            for line in GapLine::ALL {
                let Some(bl) = budget_line(line) else {
                    continue;
                };
                for (yi, y) in case_gap.years.iter().enumerate() {
                    let Some(yj) = programme_gap.years.iter().position(|z| z == y) else {
                        continue;
                    };
                    let ours = pg
                        .table
                        .row(line)
                        .values
                        .get(yi)
                        .copied()
                        .unwrap_or_default();
                    let other = theirs
                        .table
                        .row(line)
                        .values
                        .get(yj)
                        .copied()
                        .unwrap_or_default();
                    if convert(ours, c.figures.unit, p.unit) == convert(other, unit, p.unit) {
                        continue;
                    }
                    count += 1;
                    if first.is_none()
                        && let (Some(case_cell), Some(programme_cell)) = (
                            budget_cell(case_budget, pg.partner.index(), bl, *y),
                            budget_cell(programme_budget, pi, bl, *y),
                        )
                    {
                        first = Some(BudgetDisagreement {
                            case: ci,
                            force: force.clone(),
                            line,
                            year: *y,
                            case_cell,
                            programme_cell,
                            count: 0,
                        });
                    }
                }
            }
            if let Some(mut d) = first {
                d.count = count;
                out.push(d);
            }
        }
    }
    out
}

/// The included cases' npsv summed, when they share their base year and
/// discount factors year by year; else why not.
fn npsv_total(cases: &[CaseLine]) -> Result<Decimal, String> {
    let included: Vec<&CaseLine> = cases.iter().filter(|c| c.included).collect();
    let Some(first) = included.first() else {
        return Ok(Decimal::ZERO);
    };
    for c in &included[1..] {
        if c.figures.base_year != first.figures.base_year {
            return Err(format!(
                "the cases' present values are not summed: {} discounts to {} and {} to {}",
                first.figures.path, first.figures.base_year, c.figures.path, c.figures.base_year
            ));
        }
        let factor = |x: &CaseLine, y: FiscalYear| {
            x.figures
                .years
                .iter()
                .position(|z| *z == y)
                .and_then(|i| x.figures.discount_factors.get(i))
                .copied()
        };
        let differ = c
            .figures
            .years
            .iter()
            .any(|y| factor(first, *y).is_some_and(|f| Some(f) != factor(c, *y)));
        if differ {
            return Err(format!(
                "the cases' present values are not summed: {} and {} discount with different schedules",
                first.figures.path, c.figures.path
            ));
        }
    }
    let mut sum = Decimal::ZERO;
    for c in included {
        sum = sum
            .checked_add(c.npsv)
            .ok_or_else(|| "the npsv total is beyond exact arithmetic".to_string())?;
    }
    Ok(sum)
}

/// Force names that match no other case's but are close to one (a likely slip).
fn near_names(inputs: &[CaseInput]) -> Vec<(usize, String, String)> {
    // Each distinct name (by the common rule), as first written, and the cases naming it.
    let mut seen: std::collections::BTreeMap<String, (String, Vec<usize>)> =
        std::collections::BTreeMap::new();
    for (ci, c) in inputs.iter().enumerate() {
        for (p, _) in &c.figures.partners {
            let entry = seen
                .entry(names::key(p))
                .or_insert_with(|| (p.clone(), Vec::new()));
            if entry.1.last() != Some(&ci) {
                entry.1.push(ci);
            }
        }
    }
    let mut out = Vec::new();
    for (ci, c) in inputs.iter().enumerate() {
        for (p, _) in &c.figures.partners {
            let k = names::key(p);
            if seen.get(&k).is_some_and(|(_, cases)| cases.len() > 1) {
                continue;
            }
            let others = seen
                .iter()
                .filter(|(other, (_, cases))| **other != k && cases.iter().any(|&j| j != ci))
                .map(|(_, (name, _))| name.as_str());
            if let Some(n) = names::nearest(p, others) {
                out.push((ci, p.clone(), n.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn year(start: u16) -> FiscalYear {
        FiscalYear::new(start).unwrap()
    }

    /// A case in `unit` over `years` from 2026/27 with its base year, each
    /// force's net revenue effect `nre` every year.
    fn case(
        path: &str,
        unit: Unit,
        base: u16,
        years: u16,
        forces: &[(&str, Decimal)],
    ) -> CaseInput {
        let ys: Vec<FiscalYear> = (0..years).map(|i| year(2026 + i)).collect();
        CaseInput {
            figures: CaseFigures {
                path: path.into(),
                title: path.into(),
                stage: Stage::Soc,
                date: None,
                unit,
                option: Some("DO".into()),
                option_name: String::new(),
                base_year: year(base),
                years: ys.clone(),
                discount_factors: vec![Decimal::ONE; ys.len()],
                npsv: dec!(1.5),
                bcr: None,
                value_for_money: ValueForMoney::Ratio,
                payback_year: None,
                costs: Decimal::ZERO,
                savings: Decimal::ZERO,
                partners: forces
                    .iter()
                    .map(|(n, v)| {
                        let fig = Fig {
                            net_revenue_effect: *v,
                            contingency: dec!(0.01),
                            ..Fig::default()
                        };
                        ((*n).to_string(), vec![fig; ys.len()])
                    })
                    .collect(),
                budget: None,
                workbook: String::new(),
            },
            included: true,
            scores: Vec::new(),
            rationale: Vec::new(),
            tier_override: None,
            override_reason: String::new(),
        }
    }

    #[test]
    fn cases_in_different_units_and_years_roll_up_by_force() {
        let file = PortfolioFile::defaults("p");
        let a = case(
            "a",
            Unit::Millions,
            2026,
            2,
            &[("Essex", dec!(-0.25)), ("Kent", dec!(1))],
        );
        let b = case(
            "b",
            Unit::Thousands,
            2026,
            3,
            &[("essex ", dec!(100)), ("Norfolk", dec!(5))],
        );
        let p = roll_up(&file, Unit::Thousands, vec![a, b]).unwrap();
        assert_eq!(p.years, [year(2026), year(2027), year(2028)]);
        assert_eq!(
            p.partners,
            ["Essex", "Kent", "Norfolk"],
            "matched by the common name rule"
        );
        // Essex: −250 (a, two years) + 100 (b, three years).
        let essex: Vec<Decimal> = p.partner_totals[0]
            .iter()
            .map(|f| f.net_revenue_effect)
            .collect();
        assert_eq!(essex, [dec!(-150), dec!(-150), dec!(100)]);
        assert_eq!(
            p.net_position[0].by_case,
            [Some(dec!(-500)), Some(dec!(300))]
        );
        assert_eq!(p.net_position[0].programme, dec!(-200));
        assert_eq!(p.net_contributors, [0]);
        assert_eq!(p.gain_overall, Vec::<usize>::new());
        // Kent is not a partner of b: no figures there, not zero.
        assert_eq!(p.cases[1].by_partner[1], None);
        // Same base year and factors: npsv in £k summed (1.5 £m + 1.5 £k).
        assert_eq!(p.npsv_total, Ok(dec!(1501.5)));
        // a: 0.01 £m = 10 £k for two forces over two years; b: 0.01 £k for two forces over three.
        assert_eq!(
            p.total_sum.contingency,
            dec!(10) * dec!(4) + dec!(0.01) * dec!(6)
        );
    }

    #[test]
    fn present_values_with_different_base_years_are_not_summed() {
        let file = PortfolioFile::defaults("p");
        let a = case("a", Unit::Pounds, 2026, 2, &[("X", dec!(1))]);
        let b = case("b", Unit::Pounds, 2025, 2, &[("X", dec!(1))]);
        let p = roll_up(&file, Unit::Pounds, vec![a.clone(), b]).unwrap();
        assert_eq!(
            p.npsv_total,
            Err(
                "the cases' present values are not summed: a discounts to 2026/27 and b to 2025/26"
                    .into()
            )
        );
        let mut other = case("c", Unit::Pounds, 2026, 2, &[("X", dec!(1))]);
        other.figures.discount_factors = vec![Decimal::ONE, dec!(0.9)];
        let p = roll_up(&file, Unit::Pounds, vec![a.clone(), other]).unwrap();
        assert!(p.npsv_total.unwrap_err().contains("different schedules"));
        // Excluded cases do not count, in the figures or the npsv.
        let mut excluded = case("d", Unit::Pounds, 2030, 2, &[("X", dec!(7))]);
        excluded.included = false;
        let p = roll_up(&file, Unit::Pounds, vec![a, excluded]).unwrap();
        assert_eq!(p.npsv_total, Ok(dec!(1.5)));
        assert_eq!(p.net_position[0].programme, dec!(2));
        assert_eq!(p.net_position[0].by_case[1], Some(dec!(14)));
    }

    #[test]
    fn a_name_in_one_case_close_to_another_cases_is_flagged() {
        let file = PortfolioFile::defaults("p");
        let a = case(
            "a",
            Unit::Pounds,
            2026,
            1,
            &[("Hertfordshire", dec!(1)), ("Kent", dec!(1))],
        );
        let b = case(
            "b",
            Unit::Pounds,
            2026,
            1,
            &[("Hertforshire", dec!(1)), ("Kent", dec!(1))],
        );
        let p = roll_up(&file, Unit::Pounds, vec![a, b]).unwrap();
        assert_eq!(
            p.near_names,
            [
                (0, "Hertfordshire".to_string(), "Hertforshire".to_string()),
                (1, "Hertforshire".to_string(), "Hertfordshire".to_string())
            ]
        );
    }

    #[test]
    fn units_convert_exactly_both_ways() {
        assert_eq!(
            convert(dec!(1.23456789), Unit::Millions, Unit::Pounds),
            Some(dec!(1234567.89))
        );
        assert_eq!(
            convert(dec!(1234567.89), Unit::Pounds, Unit::Millions),
            Some(dec!(1.23456789))
        );
        assert_eq!(
            convert(dec!(0.00001), Unit::Thousands, Unit::Millions),
            Some(dec!(0.00000001))
        );
        assert_eq!(
            convert(dec!(-12.5), Unit::Thousands, Unit::Thousands),
            Some(dec!(-12.5))
        );
        assert_eq!(convert(Decimal::MAX, Unit::Millions, Unit::Pounds), None);
        // Every £k penny value round-trips through £m and £.
        for pennies in [-123_456_789_i64, -1, 0, 1, 99, 1_000_000_007] {
            let k = Decimal::new(pennies, 5);
            let m = convert(k, Unit::Thousands, Unit::Millions).unwrap();
            assert_eq!(convert(m, Unit::Millions, Unit::Thousands), Some(k));
            assert_eq!(
                convert(k, Unit::Thousands, Unit::Pounds),
                Some(Decimal::new(pennies, 2))
            );
        }
    }
}
