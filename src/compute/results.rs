//! What the engine computes for a case: the one structure every renderer reads.
//!
//! All amounts are in the case's unit, at full precision unless a field says
//! it was rounded (apportioned amounts are whole pennies). Vectors of yearly
//! amounts are aligned with `Results::years` (or `BudgetGap::years`).

use rust_decimal::Decimal;

use crate::model::{DiscountRate, Edition, FiscalYear, Inflation, OptionId, PartnerId, Unit};

/// The appraisal of one option against the baseline, in real prices, discounted.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionAppraisal {
    pub option: OptionId,
    pub id: String,
    pub name: String,
    pub baseline: bool,
    /// Present value of capital costs as entered (before optimism bias).
    pub pv_capital: Decimal,
    /// Present value of revenue costs as entered (before optimism bias).
    pub pv_revenue: Decimal,
    /// pv_capital + pv_revenue: costs before optimism bias and risk.
    pub pv_costs_unadjusted: Decimal,
    /// Present value of the optimism-bias uplift on capital and revenue.
    pub pv_optimism_bias: Decimal,
    /// Present value of the expected cost of risks (probability × impact).
    pub pv_risk: Decimal,
    /// Present value of adjusted costs: unadjusted + optimism bias + risk.
    pub pv_costs: Decimal,
    pub pv_cashable: Decimal,
    pub pv_non_cashable: Decimal,
    pub pv_benefits: Decimal,
    /// Net present social value against the baseline (0 for the baseline).
    pub npsv: Decimal,
    /// Benefit-cost ratio against the baseline; `None` for the baseline or when
    /// incremental costs are not positive.
    pub bcr: Option<Decimal>,
    /// First year the cash view's cumulative net recovers, in real prices
    /// (`None` for the baseline or never).
    pub payback_year: Option<FiscalYear>,
    /// The same in nominal prices, as the Financial Case's chart shows it.
    pub payback_year_nominal: Option<FiscalYear>,
    /// How the option's value for money against the baseline is stated.
    pub value_for_money: ValueForMoney,
    /// Δpv_costs − Δpv_cashable: what the option costs the partners' budgets
    /// in present value after its own cashable savings (negative: it pays
    /// for itself); zero for the baseline.
    pub net_public_cost: Decimal,
    /// Δpv_costs / Δpv_benefits, for a `CostSaving` option only.
    pub savings_per_benefit_forgone: Option<Decimal>,
}

/// The value-for-money category of an option against the baseline
/// (docs/methodology.md, "Value for money").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueForMoney {
    /// The baseline itself.
    Baseline,
    /// Incremental costs and benefits both zero.
    NoDifference,
    /// Costs no higher and benefits no lower than business as usual's, not both zero.
    Dominant,
    /// Costs no lower and benefits no higher, not both zero.
    Dominated,
    /// Incremental costs and benefits both positive: the bcr states it.
    Ratio,
    /// Incremental costs and benefits both negative: it saves money and gives up benefits.
    CostSaving,
}

impl ValueForMoney {
    /// The JSON value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Baseline => "baseline",
            Self::NoDifference => "no-difference",
            Self::Dominant => "dominant",
            Self::Dominated => "dominated",
            Self::Ratio => "ratio",
            Self::CostSaving => "cost-saving",
        }
    }
}

/// One year of a savings profile: incremental amounts against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProfileYear {
    pub cashable: Decimal,
    pub non_cashable: Decimal,
    pub costs: Decimal,
    pub capital: Decimal,
    pub revenue: Decimal,
    /// cashable − costs.
    pub net: Decimal,
    pub cumulative_net: Decimal,
}

/// The cash view of one non-baseline option: amounts as entered, no optimism bias or risk.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionProfile {
    pub option: OptionId,
    pub real: Vec<ProfileYear>,
    pub nominal: Vec<ProfileYear>,
}

/// One partner's yearly amounts (whole pennies), each vector aligned with the years.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flows {
    pub costs: Vec<Decimal>,
    pub capital: Vec<Decimal>,
    /// costs − capital.
    pub revenue: Vec<Decimal>,
    /// Cashable savings.
    pub savings: Vec<Decimal>,
    /// savings − costs.
    pub net: Vec<Decimal>,
}

/// One partner's share of one option, in real and nominal prices.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerFlows {
    pub partner: PartnerId,
    pub real: Flows,
    pub nominal: Flows,
}

/// How one non-baseline option's incremental amounts fall to each partner.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionApportionment {
    pub option: OptionId,
    /// One entry per partner, in Partners-sheet order.
    pub partners: Vec<PartnerFlows>,
    /// Partners whose total real net over the period is negative, in sheet order.
    pub net_contributors: Vec<PartnerId>,
}

/// Apportionment of every non-baseline option between the partners.
#[derive(Debug, Clone, PartialEq)]
pub struct Apportionment {
    /// The key column's header as written (e.g. `Government grant`).
    pub key: String,
    /// Each partner's share of the key, at full precision; they sum to 1.
    pub shares: Vec<Decimal>,
    /// The other keys some shared line or risk names in its `Key` column,
    /// in Partners-sheet column order, each with its shares.
    pub line_keys: Vec<KeyShares>,
    /// Every key column of the Partners sheet whose total is positive, in
    /// column order, each with its shares: what the narrative's `share`
    /// figure may name, whether or not anything is apportioned by it.
    pub every_key: Vec<KeyShares>,
    pub options: Vec<OptionApportionment>,
}

/// A key column's shares.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyShares {
    /// The column's header as written.
    pub key: String,
    /// Each partner's share, at full precision.
    pub shares: Vec<Decimal>,
}

/// The lines of a budget-gap table, in the order they are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapLine {
    BaseBudgetGap,
    UseOfReserves,
    CashReleasingEfficiencies,
    ResidualGap,
    IdentifiedRiskGap,
    RiskAdjustedGap,
    LossOfGrantToFloors,
    IncreaseInBorrowing,
}

impl GapLine {
    pub const ALL: [GapLine; 8] = [
        GapLine::BaseBudgetGap,
        GapLine::UseOfReserves,
        GapLine::CashReleasingEfficiencies,
        GapLine::ResidualGap,
        GapLine::IdentifiedRiskGap,
        GapLine::RiskAdjustedGap,
        GapLine::LossOfGrantToFloors,
        GapLine::IncreaseInBorrowing,
    ];

    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            GapLine::BaseBudgetGap => "base_budget_gap",
            GapLine::UseOfReserves => "use_of_reserves",
            GapLine::CashReleasingEfficiencies => "cash_releasing_efficiencies",
            GapLine::ResidualGap => "residual_gap",
            GapLine::IdentifiedRiskGap => "identified_risk_gap",
            GapLine::RiskAdjustedGap => "risk_adjusted_gap",
            GapLine::LossOfGrantToFloors => "loss_of_grant_to_floors",
            GapLine::IncreaseInBorrowing => "increase_in_borrowing",
        }
    }

    /// The label printed in tables.
    pub fn label(self) -> &'static str {
        match self {
            GapLine::BaseBudgetGap => "Base budget gap",
            GapLine::UseOfReserves => "Use of reserves and one-off grant",
            GapLine::CashReleasingEfficiencies => "Cash releasing efficiencies",
            GapLine::ResidualGap => "Residual gap",
            GapLine::IdentifiedRiskGap => "Identified risk gap",
            GapLine::RiskAdjustedGap => "Risk adjusted gap",
            GapLine::LossOfGrantToFloors => "Loss of grant to floors (memo)",
            GapLine::IncreaseInBorrowing => "Increase in borrowing (memo)",
        }
    }

    /// Lines computed from others, ruled as totals in tables.
    pub fn is_subtotal(self) -> bool {
        matches!(self, GapLine::ResidualGap | GapLine::RiskAdjustedGap)
    }
}

/// One line of a budget-gap table: yearly amounts and their total.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    pub line: GapLine,
    pub values: Vec<Decimal>,
    pub total: Decimal,
}

/// A budget-gap and risk-gap table: every `GapLine`, in `GapLine::ALL` order.
#[derive(Debug, Clone, PartialEq)]
pub struct GapTable {
    pub rows: Vec<GapRow>,
}

impl GapTable {
    pub fn row(&self, line: GapLine) -> &GapRow {
        // Every table is built with all lines in ALL order; see compute.
        &self.rows[GapLine::ALL.iter().position(|l| *l == line).unwrap_or(0)]
    }
}

/// Budget-gap tables for the region and each partner with rows of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetGap {
    pub years: Vec<FiscalYear>,
    /// Whether the years' figures add up (Assumptions `Budget gap basis`).
    pub basis: crate::model::GapBasis,
    pub region: GapTable,
    /// In Partners-sheet order; empty when only Region rows exist.
    pub partners: Vec<PartnerGap>,
}

/// The budget-gap table of one partner with rows of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerGap {
    pub partner: PartnerId,
    pub table: GapTable,
}

/// The gap left once the Financial Case option's net revenue effect is set
/// against it: risk-adjusted gap − net revenue effect, and the same plus
/// the contingency.
#[derive(Debug, Clone, PartialEq)]
pub struct GapAfterCase {
    /// The option of the Financial Case (the preferred option unless another is shown).
    pub option: OptionId,
    /// Years in both the Budget and the appraisal ranges.
    pub years: Vec<FiscalYear>,
    /// Against the partners' net revenue effects summed.
    pub region: Vec<Decimal>,
    /// `region` plus the partners' contingencies summed.
    pub region_with_contingency: Vec<Decimal>,
    /// One per entry of `BudgetGap::partners`; empty when only Region rows exist.
    pub partners: Vec<PartnerGapAfterCase>,
}

/// One partner's gap after the case.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerGapAfterCase {
    pub partner: PartnerId,
    /// One per year of `GapAfterCase::years`.
    pub gap: Vec<Decimal>,
    /// `gap` plus the partner's contingency.
    pub with_contingency: Vec<Decimal>,
}

/// One partner's Financial Case figures for the option shown.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerFinance {
    pub partner: PartnerId,
    pub method: crate::model::Financing,
    /// The partner's apportioned incremental nominal capital (whole pennies).
    pub capital: Vec<Decimal>,
    pub financed: super::financing::Financed,
    /// savings − revenue − the capital's charge, nominal, each appraisal
    /// year: positive improves the partner's budget.
    pub net_revenue_effect: Vec<Decimal>,
    /// The partner's share of the incremental expected cost of the option's
    /// risks, nominal, whole pennies (shared by the apportionment key).
    pub contingency: Vec<Decimal>,
    /// The net revenue effect less the contingency, each appraisal year.
    pub after_contingency: Vec<Decimal>,
    /// The net revenue effect less the contingency, summed over `FinancialCase::years`.
    pub total: Decimal,
    /// The years of `FinancialCase::years` in which the case costs the
    /// partner money (net revenue effect less contingency below zero).
    pub years_costing: Vec<FiscalYear>,
    /// What the case costs the partner in `years_costing`, as a positive
    /// figure: the money its plan must find in those years.
    pub cost_in_those_years: Decimal,
}

/// The Financial Case of one non-baseline option: how each partner finances
/// its capital, the case's net effect on each revenue budget, and whether
/// the case pays for itself (docs/methodology.md, "Capital financing").
#[derive(Debug, Clone, PartialEq)]
pub struct FinancialCase {
    pub option: OptionId,
    /// The years affordability is judged over: those in both the Budget and
    /// the appraisal ranges, or every appraisal year without a Budget sheet.
    pub years: Vec<FiscalYear>,
    /// One per partner, in Partners-sheet order.
    pub partners: Vec<PartnerFinance>,
    /// The partners' figures summed each year.
    pub region_capital: Vec<Decimal>,
    /// The region's capital summed over the appraisal years where it is
    /// positive (needed), and where it is negative (avoided, as a positive figure).
    pub capital_needed: Decimal,
    pub capital_avoided: Decimal,
    pub region: super::financing::Financed,
    pub region_net_revenue_effect: Vec<Decimal>,
    pub region_contingency: Vec<Decimal>,
    pub region_after_contingency: Vec<Decimal>,
    pub region_total: Decimal,
    /// True when every partner's total is ≥ 0.
    pub self_funding: bool,
}

/// Everything computed for one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub unit: Unit,
    pub base_year: FiscalYear,
    pub years: Vec<FiscalYear>,
    pub edition: Edition,
    pub discount_rate: DiscountRate,
    /// Discount factor of each appraisal year.
    pub discount_factors: Vec<Decimal>,
    /// Every option, baseline included, in Options-sheet order.
    pub options: Vec<OptionAppraisal>,
    /// The preferred option.
    pub preferred: OptionId,
    /// True when case.toml or the Assumptions sheet named it; false when it is the highest npsv.
    pub preferred_pinned: bool,
    /// The option the rule recommends, whether or not another is pinned: the
    /// highest npsv when positive, else the baseline (docs/methodology.md).
    pub recommended: OptionId,
    /// One per non-baseline option, in Options-sheet order.
    pub savings_profile: Vec<OptionProfile>,
    pub apportionment: Apportionment,
    pub budget_gap: Option<BudgetGap>,
    pub gap_after_case: Option<GapAfterCase>,
    /// One per non-baseline option, in Options-sheet order (empty from `compute::headline`).
    pub switching_values: Vec<SwitchingValues>,
    /// The preferred option's sensitivity, largest effect first (empty from `compute::headline`).
    pub sensitivity: Vec<SensitivityEntry>,
    /// Every intermediate figure and total the outputs show (empty from `compute::headline`).
    pub workings: Workings,
    /// The preferred option's Financial Case; `None` when business as usual
    /// is preferred (and from `compute::headline`).
    pub financial_case: Option<FinancialCase>,
}

impl Results {
    /// True when no option offers better value for money than business as
    /// usual and none is pinned: the preferred option is the baseline.
    pub fn no_option_recommended(&self) -> bool {
        self.option(self.preferred).is_some_and(|o| o.baseline)
    }

    /// True when the pinned preferred option is not the one the rule
    /// recommends: its npsv is below the highest, or not positive.
    pub fn pinned_departs(&self) -> bool {
        if !self.preferred_pinned || self.preferred == self.recommended {
            return false;
        }
        match (self.option(self.preferred), self.option(self.recommended)) {
            (Some(p), Some(r)) => p.npsv < r.npsv || (!p.baseline && p.npsv <= Decimal::ZERO),
            _ => false,
        }
    }

    /// The appraisal of option `id`.
    pub fn option(&self, id: OptionId) -> Option<&OptionAppraisal> {
        self.options.iter().find(|o| o.option == id)
    }

    pub fn profile(&self, id: OptionId) -> Option<&OptionProfile> {
        self.savings_profile.iter().find(|p| p.option == id)
    }

    pub fn apportioned(&self, id: OptionId) -> Option<&OptionApportionment> {
        self.apportionment.options.iter().find(|p| p.option == id)
    }
}

/// The total of yearly amounts, for the Total columns of tables.
///
/// Deprecated: the engine reports every total an output prints, computed
/// with checked arithmetic, in [`Results::workings`] (and `GapRow::total`);
/// read them from there. Saturating rather than checked, so it cannot
/// panic; on a case that computed, the engine has already summed the same
/// amounts, checked, so saturation is never reached.
pub fn total(values: &[Decimal]) -> Decimal {
    values
        .iter()
        .fold(Decimal::ZERO, |acc, v| acc.saturating_add(*v))
}

impl ProfileYear {
    /// The totals over `years` of every field; cumulative_net is the last year's.
    ///
    /// Deprecated: the engine reports these totals, checked, as
    /// `ProfileWorkings::real_total` and `nominal_total` in [`Results::workings`].
    pub fn total_of(years: &[ProfileYear]) -> ProfileYear {
        let sum = |f: fn(&ProfileYear) -> Decimal| {
            years
                .iter()
                .fold(Decimal::ZERO, |acc, y| acc.saturating_add(f(y)))
        };
        ProfileYear {
            cashable: sum(|y| y.cashable),
            non_cashable: sum(|y| y.non_cashable),
            costs: sum(|y| y.costs),
            capital: sum(|y| y.capital),
            revenue: sum(|y| y.revenue),
            net: sum(|y| y.net),
            cumulative_net: years.last().map_or(Decimal::ZERO, |y| y.cumulative_net),
        }
    }
}

/// Switching values of one non-baseline option: how far an input must move
/// before the option stops being worth it or the recommendation changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwitchingValues {
    pub option: OptionId,
    /// Fractional change in incremental pv benefits at which npsv is zero
    /// (−npsv / Δpv_benefits); `None` when incremental benefits are zero.
    pub benefits_change: Option<Decimal>,
    /// Fractional change in incremental pv costs at which npsv is zero
    /// (npsv / Δpv_costs); `None` when incremental costs are zero.
    pub costs_change: Option<Decimal>,
    /// Fractional change in the option's incremental pv cashable savings at
    /// which another option would have the highest npsv; `None` when the
    /// preferred option is pinned or no change would do it.
    pub savings_change_to_switch: Option<Decimal>,
    /// Smallest delay of its cashable savings, in whole years, at which the
    /// option no longer pays back within the period; `None` if no delay does.
    pub payback_delay_years: Option<u32>,
}

/// The preferred option's npsv with one of its lines moved by a fraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitivityEntry {
    /// `Costs` or `Benefits`.
    pub sheet: &'static str,
    /// The line's 1-based row on its sheet, as the workbook shows it.
    pub row: u32,
    pub line: String,
    /// The fraction the line's amounts were moved by (e.g. 0.1 or −0.25).
    pub change: Decimal,
    /// The preferred option's npsv with that change.
    pub npsv: Decimal,
}

// ---------------------------------------------------------------------------
// The workings: every intermediate figure an output shows or caches, so that
// no renderer adds, multiplies or rounds money itself.

/// One year of the discount-factor schedule, from the base year (t = 0) to
/// the last appraisal year, whether or not the year is in the appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleYear {
    /// Years since the base year.
    pub t: u32,
    /// The rate that takes DF_(t−1) to DF_t; `None` for t = 0.
    pub rate: Option<Decimal>,
    /// DF_t.
    pub factor: Decimal,
}

/// Yearly amounts kept apart by the inflation index their lines use, each
/// vector aligned with `Results::years`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ByIndex {
    pub general: Vec<Decimal>,
    pub pay: Vec<Decimal>,
    pub none: Vec<Decimal>,
}

impl ByIndex {
    /// The amounts of lines using `index`.
    pub fn get(&self, index: Inflation) -> &[Decimal] {
        match index {
            Inflation::General => &self.general,
            Inflation::Pay => &self.pay,
            Inflation::None => &self.none,
        }
    }
}

/// One option's yearly amounts in real prices, as the Economic sheet of the
/// model workbook lays them out: lines added up, optimism bias and the
/// expected cost of risks added. Vectors are aligned with `Results::years`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionWorkings {
    pub option: OptionId,
    /// Capital costs as entered, by inflation index.
    pub capital_by_index: ByIndex,
    /// Revenue costs as entered, by inflation index.
    pub revenue_by_index: ByIndex,
    /// Cashable benefits as entered, by inflation index.
    pub cashable_by_index: ByIndex,
    /// Non-cashable benefits as entered, by inflation index.
    pub non_cashable_by_index: ByIndex,
    /// Capital costs as entered (every index).
    pub capital: Vec<Decimal>,
    /// Revenue costs as entered (every index).
    pub revenue: Vec<Decimal>,
    /// capital × the option's capital optimism-bias rate.
    pub ob_capital: Vec<Decimal>,
    /// revenue × the option's revenue optimism-bias rate.
    pub ob_revenue: Vec<Decimal>,
    /// Σ probability × impact of the option's risks falling in each year.
    pub risk: Vec<Decimal>,
    /// capital + revenue + optimism bias + risk.
    pub adjusted: Vec<Decimal>,
    pub cashable: Vec<Decimal>,
    pub non_cashable: Vec<Decimal>,
    /// cashable + non-cashable.
    pub benefits: Vec<Decimal>,
    /// Present value of `ob_capital`.
    pub pv_ob_capital: Decimal,
    /// Present value of `ob_revenue`.
    pub pv_ob_revenue: Decimal,
    /// pv_costs − the baseline's pv_costs (zero for the baseline).
    pub pv_incremental_costs: Decimal,
    /// pv_benefits − the baseline's pv_benefits (zero for the baseline).
    pub pv_incremental_benefits: Decimal,
}

/// The workings behind one non-baseline option's cash view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileWorkings {
    pub option: OptionId,
    /// Incremental capital costs as entered (option − baseline), real, by inflation index.
    pub capital_by_index: ByIndex,
    /// Incremental revenue costs as entered, real, by inflation index.
    pub revenue_by_index: ByIndex,
    /// Incremental cashable benefits as entered, real, by inflation index.
    pub cashable_by_index: ByIndex,
    /// Incremental non-cashable benefits as entered, real, by inflation index.
    pub non_cashable_by_index: ByIndex,
    /// The totals over the period of the real cash view (`cumulative_net` is the last year's).
    pub real_total: ProfileYear,
    /// The totals over the period of the nominal cash view.
    pub nominal_total: ProfileYear,
}

/// The totals over the period of one set of [`Flows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlowTotals {
    pub costs: Decimal,
    pub capital: Decimal,
    pub revenue: Decimal,
    pub savings: Decimal,
    pub net: Decimal,
}

/// One partner's totals over the period of one option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerTotals {
    pub partner: PartnerId,
    pub real: FlowTotals,
    pub nominal: FlowTotals,
}

/// The partners' amounts of one option added up, in one price basis, and
/// the check that they foot to the cash view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowsCheck {
    /// Σ over partners, each year.
    pub partners: Flows,
    /// Σ over partners and years.
    pub total: FlowTotals,
    /// The cash view's costs, capital and savings (the amounts that were
    /// apportioned) rounded to the penny, each year; `revenue` and `net`
    /// are left empty (they are derived, not apportioned).
    pub cash_view: Flows,
    /// `partners − cash_view` for costs, capital and savings: zero in every
    /// year when the pennies foot; `revenue` and `net` are left empty.
    pub difference: Flows,
}

/// One option's apportionment, added up.
#[derive(Debug, Clone, PartialEq)]
pub struct ApportionedTotals {
    pub option: OptionId,
    /// One per partner, in the order of `OptionApportionment::partners`.
    pub partners: Vec<PartnerTotals>,
    pub real: FlowsCheck,
    pub nominal: FlowsCheck,
}

/// The gap after the case, totalled over its years.
#[derive(Debug, Clone, PartialEq)]
pub struct GapAfterCaseTotals {
    pub region: Decimal,
    pub region_with_contingency: Decimal,
    /// One per entry of `GapAfterCase::partners`, in that order.
    pub partners: Vec<PartnerGapTotal>,
}

/// One partner's gap after the case, totalled over its years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerGapTotal {
    pub partner: PartnerId,
    pub total: Decimal,
    pub with_contingency: Decimal,
}

/// Every intermediate figure the outputs show beyond the headline results,
/// computed with checked arithmetic (empty from `compute::headline`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workings {
    /// DF_t for every t from 0 to the last appraisal period.
    pub schedule: Vec<ScheduleYear>,
    /// (1 + general inflation)^t of each appraisal year.
    pub general_inflation: Vec<Decimal>,
    /// (1 + pay inflation)^t of each appraisal year.
    pub pay_inflation: Vec<Decimal>,
    /// Every option, baseline included, in Options-sheet order.
    pub options: Vec<OptionWorkings>,
    /// Each risk's expected cost (probability × impact), aligned with `Case::risks`.
    pub risk_costs: Vec<Decimal>,
    /// One per entry of `Results::savings_profile`, in that order.
    pub profiles: Vec<ProfileWorkings>,
    /// Key-column total (Σ of the key over the partners).
    pub key_total: Decimal,
    /// Σ of the shares (1, up to the precision of the division).
    pub shares_total: Decimal,
    /// One per entry of `Apportionment::options`, in that order.
    pub apportioned: Vec<ApportionedTotals>,
    /// Present when `Results::gap_after_case` is.
    pub gap_after_case: Option<GapAfterCaseTotals>,
}

impl Workings {
    /// The workings of option `id`.
    pub fn option(&self, id: OptionId) -> Option<&OptionWorkings> {
        self.options.iter().find(|o| o.option == id)
    }

    /// The cash-view workings of non-baseline option `id`.
    pub fn profile(&self, id: OptionId) -> Option<&ProfileWorkings> {
        self.profiles.iter().find(|p| p.option == id)
    }

    /// The apportionment totals of non-baseline option `id`.
    pub fn apportioned(&self, id: OptionId) -> Option<&ApportionedTotals> {
        self.apportioned.iter().find(|a| a.option == id)
    }
}
