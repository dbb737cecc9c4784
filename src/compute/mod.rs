//! The case engine: pure functions from a validated [`Case`]
//! to [`Results`].
//!
//! Invariant: nothing here does IO or touches floating point. This module
//! never sees calamine, typst, rust_xlsxwriter, a path or an `f64`; a test in
//! `tests/it/architecture.rs` checks its imports. Every sum, product and quotient
//! an input could overflow is checked (`arith`), so no case can panic the
//! engine: an overflow is a [`ComputeError`] in the user's terms.
//!
//! One submodule per concept: [`discount`] (factors), [`appraisal`] (present
//! values, npsv, bcr), [`profile`] (the cash view and payback), [`apportion`]
//! (shares between partners), [`budget`] (budget-gap tables and the gap
//! after the case), `workings` (every intermediate figure and total the
//! outputs show, in [`Workings`]). docs/methodology.md states every
//! definition. [`run_case`] is the entry point of the commands that show
//! scenarios; [`compute`] of those that do not.

pub mod apportion;
pub mod appraisal;
mod arith;
pub mod budget;
pub mod discount;
pub mod profile;
mod results;
pub mod scenario;
pub mod switching;
#[doc(hidden)]
pub mod synthetic;
mod totals;
mod workings;

use std::fmt;

pub use results::*;
pub mod financing;
pub mod risk;

use crate::model::{Case, OptionId};

/// Why a case could not be computed: numbers beyond exact decimal arithmetic,
/// or nothing to apportion by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComputeError {
    /// A sum, product or quotient left rust_decimal's range.
    Overflow {
        /// The quantity, in the user's terms (`capital costs`, `npsv`).
        what: &'static str,
        /// Where, outermost first (`option OPT1`, `line "Estates"`).
        context: Vec<String>,
    },
    /// An amount has to be shared between partners but the key totals zero.
    NothingToApportionBy,
    /// A ratio of an option against the baseline (its bcr, a switching
    /// value) whose divisor, the option's present value less the
    /// baseline's, is not zero but so small that the quotient leaves
    /// rust_decimal's range: amounts with digits far below a penny (a
    /// formula's rounding residue, say). `check` reports it at those cells.
    TinyDivisor {
        /// The ratio, in the user's terms (`switching value of benefits`).
        what: &'static str,
        /// The option whose ratio it is.
        option: OptionId,
        /// What the divisor is the difference in.
        of: Difference,
        /// The divisor: the option's present value less the baseline's.
        divisor: rust_decimal::Decimal,
        /// Where, outermost first (a scenario).
        context: Vec<String>,
    },
}

/// What an option's ratio against the baseline divides by: the option's
/// present value less the baseline's, in one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    /// Benefits (cashable and non-cashable), from the Benefits sheet.
    Benefits,
    /// Costs, from the Costs sheet (optimism bias and risk included).
    Costs,
    /// Cashable savings, the Benefits sheet's cashable lines.
    CashableSavings,
}

impl Difference {
    /// The quantity in words: `benefits`.
    pub fn words(self) -> &'static str {
        match self {
            Difference::Benefits => "benefits",
            Difference::Costs => "costs",
            Difference::CashableSavings => "cashable savings",
        }
    }
}

impl ComputeError {
    pub(crate) fn overflow(what: &'static str) -> Self {
        ComputeError::Overflow {
            what,
            context: Vec::new(),
        }
    }

    /// Adds an enclosing context (an option, a line) to an overflow.
    #[must_use]
    pub fn within(mut self, context: impl Into<String>) -> Self {
        if let ComputeError::Overflow { context: c, .. }
        | ComputeError::TinyDivisor { context: c, .. } = &mut self
        {
            c.insert(0, context.into());
        }
        self
    }
}

impl fmt::Display for ComputeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComputeError::Overflow { what, context } => {
                for c in context {
                    write!(f, "{c}: ")?;
                }
                write!(
                    f,
                    "the {what} would be too large to compute exactly (beyond about 7.9 × 10^28)"
                )
            }
            ComputeError::NothingToApportionBy => f.write_str(
                "amounts have to be shared between partners but the apportionment key totals zero",
            ),
            ComputeError::TinyDivisor {
                what,
                of,
                divisor,
                context,
                ..
            } => {
                for c in context {
                    write!(f, "{c}: ")?;
                }
                write!(
                    f,
                    "the {what} is too large to compute exactly (beyond about 7.9 × 10^28): \
                     it divides by the option's {} less the baseline's, in present value, only {}",
                    of.words(),
                    divisor.normalize()
                )
            }
        }
    }
}

impl std::error::Error for ComputeError {}

/// Computes everything the outputs need from a validated case.
///
/// Pure: no IO, no clock, no floating point; the same case always gives the
/// same results.
///
/// # Errors
/// When an amount overflows exact decimal arithmetic, or an amount must be
/// shared by a key that totals zero.
pub fn compute(case: &Case) -> Result<Results, ComputeError> {
    run(case, true, None)
}

/// As [`compute`], with the Financial Case figures (`financial_case`) of
/// option `shown` instead of the preferred option's: `fivecase compute
/// --option ID`, for a programme roll-up. No Financial Case for the baseline.
///
/// # Errors
/// As [`compute`].
pub fn compute_showing(case: &Case, shown: OptionId) -> Result<Results, ComputeError> {
    run(case, true, Some(shown))
}

/// The headline results only, what a scenario sweep needs: everything
/// [`compute`] gives except switching values and sensitivity (left empty),
/// with apportionment for the preferred option only (each partner's net
/// position and the gap remaining after the case are the preferred option's).
///
/// # Errors
/// As [`compute`].
pub fn headline(case: &Case) -> Result<Results, ComputeError> {
    run(case, false, None)
}

/// Everything a command shows of a case, computed once: the case as it
/// stands with its full results, and every `[[scenario]]` of case.toml with
/// its headline results. Each command computes this (or, for `compute`, only
/// [`compute`]) once and hands it to every renderer; nothing below `cmd`
/// calls the engine.
#[derive(Debug, Clone)]
pub struct Computed {
    /// The case as it stands (`name` is `base`), with the full results of
    /// [`compute`]: switching values, sensitivity and every option's
    /// apportionment.
    pub base: scenario::Outcome,
    /// Each scenario of case.toml, in order, applied to the case and
    /// computed with [`headline`] (no switching values or sensitivity;
    /// apportionment of the preferred option only): the figures the
    /// scenario comparisons of every output print.
    pub scenarios: Vec<scenario::Outcome>,
    /// The quantified risk analysis of the base case, with case.toml's
    /// settings, from [`run_case_with_risk`] when the case has ranges or
    /// `[risk_analysis]` ([`Case::has_risk_analysis`]); `None` otherwise
    /// (and from [`run_case`]), at no cost.
    pub risk: Option<risk::RiskAnalysis>,
}

impl Computed {
    /// The base case's full results.
    pub fn results(&self) -> &Results {
        &self.base.results
    }
}

/// Computes a case and every scenario of its case.toml: the one entry point
/// of the engine for `scenarios`, `export` and `build`.
///
/// Pure, like [`compute`]. The base case is computed in full, each scenario
/// as a headline (what [`scenario::compare`] gives).
///
/// # Errors
/// [`scenario::RunError::Compute`] naming no scenario when the case itself
/// cannot be computed; the first scenario that cannot be applied
/// ([`scenario::RunError::Scenario`], naming the scenario and its key) or
/// computed ([`scenario::RunError::Compute`], naming the scenario).
pub fn run_case(case: &Case) -> Result<Computed, scenario::RunError> {
    run_all(case, false)
}

/// As [`run_case`], with the quantified risk analysis of the base case
/// when it has one ([`Case::has_risk_analysis`]): for `build` and
/// `export`, which show it (`fivecase risk` runs [`risk::analyse`] itself).
///
/// # Errors
/// As [`run_case`]; an overflow in the analysis names no scenario.
pub fn run_case_with_risk(case: &Case) -> Result<Computed, scenario::RunError> {
    run_all(case, true)
}

fn run_all(case: &Case, with_risk: bool) -> Result<Computed, scenario::RunError> {
    let results = compute(case).map_err(|e| scenario::RunError::Compute(None, e))?;
    let risk = if with_risk && case.has_risk_analysis() {
        let run = risk::Run {
            settings: case.meta.risk_analysis.clone().unwrap_or_default(),
            threads: risk::threads(),
        };
        Some(
            risk::analyse(case, &results, &run, &|_, _| {})
                .map_err(|e| scenario::RunError::Compute(None, e.within("risk analysis")))?,
        )
    } else {
        None
    };
    let (base, scenarios) = scenario::compare_owned(case, results)?;
    Ok(Computed {
        base,
        scenarios,
        risk,
    })
}

fn run(case: &Case, full: bool, shown: Option<OptionId>) -> Result<Results, ComputeError> {
    let periods = case.periods();
    let rate = case.assumptions.discount_rate.value;
    let edition = case.meta.edition;
    let df = discount::for_periods(rate, edition, &periods)?;
    let indices = totals::Indices::new(case, &periods)?;
    let totals = totals::totals(case, &indices)?;
    let baseline_id = OptionId::new(
        case.baseline
            .index()
            .min(case.options.len().saturating_sub(1)),
    );
    let Some(baseline) = totals.get(baseline_id.index()) else {
        return Ok(empty(case, df));
    };

    let mut pvs = Vec::with_capacity(case.options.len());
    for (option, t) in case.options.iter().zip(&totals) {
        pvs.push(
            appraisal::present_values(option, t, &df)
                .map_err(|e| e.within(format!("option {}", option.id)))?,
        );
    }
    let base_pv = pvs[baseline_id.index()];

    let mut savings_profile = Vec::new();
    let mut options = Vec::with_capacity(case.options.len());
    for ((i, option), pv) in case.option_ids().zip(&case.options).zip(&pvs) {
        let within = |e: ComputeError| e.within(format!("option {}", option.id));
        let is_baseline = i == baseline_id;
        let (npsv, bcr, (payback_year, payback_year_nominal), vfm) = if is_baseline {
            let vfm = appraisal::Vfm {
                category: ValueForMoney::Baseline,
                net_public_cost: rust_decimal::Decimal::ZERO,
                savings_per_benefit_forgone: None,
            };
            (rust_decimal::Decimal::ZERO, None, (None, None), vfm)
        } else {
            let (npsv, bcr) = appraisal::against_baseline(i, pv, &base_pv).map_err(within)?;
            let vfm = appraisal::value_for_money(i, pv, &base_pv).map_err(within)?;
            let real = profile::incremental(&totals[i.index()].all.real, &baseline.all.real)
                .map_err(within)?;
            let nominal =
                profile::incremental(&totals[i.index()].all.nominal, &baseline.all.nominal)
                    .map_err(within)?;
            let payback = (
                profile::payback_year(&real, &case.years),
                profile::payback_year(&nominal, &case.years),
            );
            savings_profile.push(OptionProfile {
                option: i,
                real,
                nominal,
            });
            (npsv, bcr, payback, vfm)
        };
        options.push(OptionAppraisal {
            option: i,
            id: option.id.clone(),
            name: option.name.clone(),
            baseline: is_baseline,
            pv_capital: pv.pv_capital,
            pv_revenue: pv.pv_revenue,
            pv_costs_unadjusted: arith::add(pv.pv_capital, pv.pv_revenue, "present value of costs")
                .map_err(within)?,
            pv_optimism_bias: pv.pv_optimism_bias,
            pv_risk: pv.pv_risk,
            pv_costs: pv.pv_costs,
            pv_cashable: pv.pv_cashable,
            pv_non_cashable: pv.pv_non_cashable,
            pv_benefits: pv.pv_benefits,
            npsv,
            bcr,
            payback_year,
            payback_year_nominal,
            value_for_money: vfm.category,
            net_public_cost: vfm.net_public_cost,
            savings_per_benefit_forgone: vfm.savings_per_benefit_forgone,
        });
    }
    let npsvs: Vec<_> = options.iter().map(|o| o.npsv).collect();
    let (preferred, preferred_pinned) = appraisal::preferred(case, &npsvs);
    let recommended = appraisal::best(case, &npsvs);

    let key_column = case.assumptions.apportionment_key.value;
    let key: Vec<_> = case
        .partners
        .values
        .iter()
        .map(|row| row.get(key_column).copied().unwrap_or_default())
        .collect();
    let mut apportioned = Vec::new();
    for (i, t) in case.option_ids().zip(&totals) {
        // The headline needs only the preferred option's partner positions.
        if i != baseline_id && (full || i == preferred) {
            apportioned
                .push(apportion::option(case, i, t, baseline, &key).map_err(|e| {
                    e.within(format!("apportioning option {}", case.options[i].id))
                })?);
        }
    }
    let apportionment = Apportionment {
        key: case
            .partners
            .key_columns
            .get(key_column)
            .cloned()
            .unwrap_or_default(),
        shares: apportion::shares(&key)?,
        line_keys: {
            let mut columns: Vec<usize> = case
                .costs
                .iter()
                .map(|l| l.key)
                .chain(case.benefits.iter().map(|l| l.key))
                .chain(case.risks.iter().map(|k| k.key))
                .flatten()
                .filter(|c| *c != key_column)
                .collect();
            columns.sort_unstable();
            columns.dedup();
            let mut out = Vec::with_capacity(columns.len());
            for c in columns {
                out.push(KeyShares {
                    key: case
                        .partners
                        .key_columns
                        .get(c)
                        .cloned()
                        .unwrap_or_default(),
                    shares: apportion::shares(&apportion::key_values(case, c))?,
                });
            }
            out
        },
        every_key: (0..case.partners.key_columns.len())
            .filter_map(|c| {
                // A column that totals zero apportions nothing: it has no shares.
                let shares = apportion::shares(&apportion::key_values(case, c)).ok()?;
                Some(KeyShares {
                    key: case
                        .partners
                        .key_columns
                        .get(c)
                        .cloned()
                        .unwrap_or_default(),
                    shares,
                })
            })
            .collect(),
        options: apportioned,
    };

    let budget_gap = match &case.budget {
        Some(b) => Some(budget::budget_gap(b, case.partners.len())?),
        None => None,
    };
    let shown = shown.unwrap_or(preferred);
    let financial_case = if shown == baseline_id {
        None
    } else {
        apportionment
            .options
            .iter()
            .find(|a| a.option == shown)
            .map(|a| {
                // The incremental expected cost of the option's risks, nominal.
                let risk = |i: OptionId| {
                    totals
                        .get(i.index())
                        .map(|t| t.risk.clone())
                        .unwrap_or_default()
                };
                let real = arith::sub_each(&risk(shown), &risk(baseline_id), "contingency")?;
                let mut nominal = Vec::with_capacity(real.len());
                for (r, g) in real.iter().zip(&indices.general) {
                    nominal.push(arith::mul(*r, *g, "contingency")?);
                }
                // The part of it that risks naming one partner carry.
                let n = case.years.len();
                let mut named = vec![vec![rust_decimal::Decimal::ZERO; n]; case.partners.len()];
                // And the part that shared risks with a key of their own carry.
                let default_key = case.assumptions.apportionment_key.value;
                let mut keyed: std::collections::BTreeMap<usize, Vec<rust_decimal::Decimal>> =
                    std::collections::BTreeMap::new();
                for k in &case.risks {
                    if k.option != shown && k.option != baseline_id {
                        continue;
                    }
                    let slot = match (k.partner, k.key.filter(|c| *c != default_key)) {
                        (Some(p), _) => named.get_mut(p.index()),
                        (None, Some(c)) => Some(
                            keyed
                                .entry(c)
                                .or_insert_with(|| vec![rust_decimal::Decimal::ZERO; n]),
                        ),
                        (None, None) => None,
                    };
                    let Some(slot) = slot else {
                        continue;
                    };
                    let expected = k.expected_value().ok_or_else(|| {
                        ComputeError::overflow("contingency").within(format!("risk {}", k.id))
                    })?;
                    let index = indices.general.get(k.year).copied().unwrap_or_default();
                    let mut amount = arith::mul(expected, index, "contingency")?;
                    if k.option == baseline_id {
                        amount = -amount;
                    }
                    if let Some(slot) = slot.get_mut(k.year) {
                        *slot = arith::add(*slot, amount, "contingency")?;
                    }
                }
                let keyed: Vec<(Vec<rust_decimal::Decimal>, Vec<rust_decimal::Decimal>)> = keyed
                    .into_iter()
                    .map(|(c, amounts)| (amounts, apportion::key_values(case, c)))
                    .collect();
                financing::financial_case(
                    case,
                    a,
                    budget_gap.as_ref(),
                    &financing::Contingency {
                        total: &nominal,
                        named: &named,
                        keyed: &keyed,
                    },
                    &key,
                )
            })
            .transpose()?
    };

    // The gap after the case sets the shown option's net revenue effect
    // against the plan's gap; with business as usual shown there is no case.
    let gap_after_case = match (&budget_gap, &financial_case) {
        (Some(gap), Some(fc)) => Some(budget::gap_after_case(gap, &case.years, fc)?),
        _ => None,
    };

    let workings = if full {
        workings::workings(&workings::Inputs {
            case,
            periods: &periods,
            df: &df,
            indices: &indices,
            totals: &totals,
            baseline: baseline_id,
            appraisals: &options,
            savings_profile: &savings_profile,
            apportionment: &apportionment,
            key: &key,
            gap_after_case: gap_after_case.as_ref(),
        })?
    } else {
        Workings::default()
    };

    let name_option = |e: ComputeError| match &e {
        ComputeError::TinyDivisor { option, .. } => match case.option(*option) {
            Some(o) => e.within(format!("option {}", o.id)),
            None => e,
        },
        _ => e,
    };
    let (switching_values, sensitivity) = if full {
        let preferred_appraisal = options.iter().find(|o| o.option == preferred);
        (
            switching::switching_values(
                &options,
                &pvs,
                baseline_id,
                &savings_profile,
                preferred_pinned,
            )
            .map_err(name_option)?,
            match preferred_appraisal {
                Some(p) => switching::sensitivity(case, p, &df)?,
                None => Vec::new(),
            },
        )
    } else {
        // Computed and dropped: what would refuse the full results refuses these.
        switching::ratios(&options, &pvs, baseline_id, preferred_pinned).map_err(name_option)?;
        (Vec::new(), Vec::new())
    };

    Ok(Results {
        unit: case.assumptions.unit.value,
        base_year: case.assumptions.base_year.value,
        years: case.years.clone(),
        edition,
        discount_rate: rate,
        discount_factors: df,
        options,
        preferred,
        preferred_pinned,
        recommended,
        savings_profile,
        apportionment,
        budget_gap,
        gap_after_case,
        switching_values,
        sensitivity,
        workings,
        financial_case,
    })
}

/// Results of a case without options (ingest never produces one; the engine
/// still answers rather than panics).
fn empty(case: &Case, df: Vec<rust_decimal::Decimal>) -> Results {
    Results {
        unit: case.assumptions.unit.value,
        base_year: case.assumptions.base_year.value,
        years: case.years.clone(),
        edition: case.meta.edition,
        discount_rate: case.assumptions.discount_rate.value,
        discount_factors: df,
        options: Vec::new(),
        preferred: OptionId::new(0),
        preferred_pinned: false,
        recommended: OptionId::new(0),
        savings_profile: Vec::new(),
        apportionment: Apportionment {
            key: String::new(),
            shares: Vec::new(),
            line_keys: Vec::new(),
            every_key: Vec::new(),
            options: Vec::new(),
        },
        budget_gap: None,
        gap_after_case: None,
        switching_values: Vec::new(),
        sensitivity: Vec::new(),
        workings: Workings::default(),
        financial_case: None,
    }
}

#[cfg(test)]
mod tests;
