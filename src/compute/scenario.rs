//! Savings scenarios: a `[[scenario]]` table of case.toml applied to a case.
//!
//! A scenario produces a modified [`Case`], exactly the case a finance lead
//! would get by editing a copy of the workbook the same way, and
//! [`compute`](super::compute) then runs on it unchanged. So "a scenario
//! equals recomputing from a hand-edited workbook" holds by construction.
//!
//! Realisation, delay and overrun act on every option's lines, the
//! baseline's included, so they act on the incremental amounts:
//! - `benefits_realisation` scales every benefit line; `savings_realisation`
//!   scales cashable lines on top of it;
//! - `savings_delay_years` shifts cashable lines right by whole years (the
//!   appraisal period does not grow: what moves past its end is dropped);
//! - `cost_overrun` scales every cost line as entered, before optimism bias;
//!   `capital_overrun` and `revenue_overrun`, where given, replace it for
//!   their kind; risks are unchanged;
//! - `partners` keeps only the partners that join (in sheet order), so the
//!   shares are recomputed over them; their lines and Budget rows stay, a
//!   non-joining partner's Budget rows go, and a line or risk naming a
//!   non-joining partner is an error unless `drop_partner_lines` drops it;
//! - `apportionment_key`, `discount_rate` and `optimism_bias` replace the
//!   case's; `options` keeps the baseline and the options named.

use rust_decimal::Decimal;

use super::arith;
use crate::model::{
    BenefitKind, Case, CostKind, ObOrigin, OptimismBias, OptionId, PartnerId, ScenarioSpec, Sourced,
};
use crate::names;

/// Why a scenario cannot be applied: names the scenario and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub scenario: String,
    pub key: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "scenario {:?}: {}: {}",
            self.scenario, self.key, self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Applies `spec` to a copy of `case`.
///
/// # Errors
/// An impossible value (a realisation outside 0 to 1, a negative delay, an
/// overrun outside −0.5 to 5), an unknown partner, column or option, a
/// subset of options leaving out the pinned preferred option, or a line
/// naming a partner who does not join (without `drop_partner_lines`).
pub fn apply(case: &Case, spec: &ScenarioSpec) -> Result<Case, ScenarioError> {
    let err = |key: &'static str, message: String| ScenarioError {
        scenario: spec.name.clone(),
        key,
        message,
        hint: None,
    };
    let mut out = case.clone();

    // Amounts: realisation, delay and overrun on the options' lines, not on
    // business as usual's, which only `baseline_cost_overrun` scales.
    let in_range = |key: &'static str, v: Option<Decimal>, lo: Decimal, hi: Decimal| match v {
        Some(x) if x < lo || x > hi => Err(err(
            key,
            format!("expected a fraction from {lo} to {hi}, found {x}"),
        )),
        _ => Ok(()),
    };
    in_range(
        "benefits_realisation",
        spec.benefits_realisation,
        Decimal::ZERO,
        Decimal::ONE,
    )?;
    in_range(
        "savings_realisation",
        spec.savings_realisation,
        Decimal::ZERO,
        Decimal::ONE,
    )?;
    let (lo, hi) = (Decimal::new(-5, 1), Decimal::new(5, 0));
    in_range("cost_overrun", spec.cost_overrun, lo, hi)?;
    in_range("capital_overrun", spec.capital_overrun, lo, hi)?;
    in_range("revenue_overrun", spec.revenue_overrun, lo, hi)?;
    in_range("baseline_cost_overrun", spec.baseline_cost_overrun, lo, hi)?;
    let delay = match spec.savings_delay_years {
        Some(d) if d < 0 => {
            return Err(err(
                "savings_delay_years",
                format!("expected whole years, 0 or more, found {d}"),
            ));
        }
        Some(d) => usize::try_from(d).unwrap_or(usize::MAX),
        None => 0,
    };
    let benefits = spec.benefits_realisation.unwrap_or(Decimal::ONE);
    // Both factors lie in 0 to 1 (checked above), so neither product nor sum can overflow.
    let cashable = benefits.checked_mul(spec.savings_realisation.unwrap_or(Decimal::ONE));
    let overrun = spec.cost_overrun.unwrap_or(Decimal::ZERO);
    let capital = Decimal::ONE.checked_add(spec.capital_overrun.unwrap_or(overrun));
    let revenue = Decimal::ONE.checked_add(spec.revenue_overrun.unwrap_or(overrun));
    let baseline = Decimal::ONE.checked_add(spec.baseline_cost_overrun.unwrap_or(Decimal::ZERO));
    let (Some(cashable), Some(capital), Some(revenue), Some(baseline)) =
        (cashable, capital, revenue, baseline)
    else {
        return Err(err(
            "cost_overrun",
            super::ComputeError::overflow("scaling factors").to_string(),
        ));
    };
    // The key a scaled line answers to: the one whose value scaled it.
    let capital_key = if spec.capital_overrun.is_some() {
        "capital_overrun"
    } else {
        "cost_overrun"
    };
    let revenue_key = if spec.revenue_overrun.is_some() {
        "revenue_overrun"
    } else {
        "cost_overrun"
    };
    let cashable_key = if spec.savings_realisation.is_some() {
        "savings_realisation"
    } else {
        "benefits_realisation"
    };
    // Each line's amounts times the factor, checked: an amount the factor
    // pushes beyond exact decimals names the scenario, the key and the line.
    let scale = |values: &mut Vec<Decimal>,
                 factor: Decimal,
                 key: &'static str,
                 sheet: &str,
                 row: u32,
                 line: &str|
     -> Result<(), ScenarioError> {
        if factor == Decimal::ONE {
            return Ok(());
        }
        for v in values.iter_mut() {
            *v = v.checked_mul(factor).ok_or_else(|| {
                err(
                    key,
                    format!(
                        "{sheet} row {} ({line:?}): {}",
                        row.saturating_add(1),
                        super::ComputeError::overflow("scaled amounts")
                    ),
                )
            })?;
        }
        Ok(())
    };
    let base = case.baseline;
    for line in &mut out.costs {
        let (factor, key) = match line.kind {
            _ if line.option == base => (baseline, "baseline_cost_overrun"),
            CostKind::Capital => (capital, capital_key),
            CostKind::Revenue => (revenue, revenue_key),
        };
        scale(&mut line.values, factor, key, "Costs", line.row, &line.line)?;
    }
    for line in out.benefits.iter_mut().filter(|l| l.option != base) {
        match line.kind {
            BenefitKind::Cashable => {
                scale(
                    &mut line.values,
                    cashable,
                    cashable_key,
                    "Benefits",
                    line.row,
                    &line.line,
                )?;
                if delay > 0 {
                    let n = line.values.len();
                    let d = delay.min(n);
                    line.values.rotate_right(d);
                    for v in line.values.iter_mut().take(d) {
                        *v = Decimal::ZERO;
                    }
                }
            }
            BenefitKind::NonCashable => scale(
                &mut line.values,
                benefits,
                "benefits_realisation",
                "Benefits",
                line.row,
                &line.line,
            )?,
        }
    }

    if let Some(rate) = spec.discount_rate {
        out.assumptions.discount_rate = Sourced::default_value(rate);
    }

    if let Some(key) = &spec.apportionment_key {
        let column = case
            .partners
            .key_columns
            .iter()
            .position(|c| names::same(c, key))
            .ok_or_else(|| ScenarioError {
                hint: Some(format!(
                    "the Partners columns are: {}",
                    case.partners.key_columns.join(", ")
                )),
                ..err("apportionment_key", format!("no Partners column {key:?}"))
            })?;
        out.assumptions.apportionment_key = Sourced::default_value(column);
    }

    for (id, ob) in &spec.optimism_bias {
        let index = case.option_index(id).ok_or_else(|| ScenarioError {
            hint: Some(option_list(case)),
            ..err("optimism_bias", format!("no option {id:?}"))
        })?;
        let entered = |rate| OptimismBias {
            rate,
            origin: ObOrigin::Entered,
        };
        if let Some(rate) = ob.capital {
            out.options[index].ob_capital = entered(rate);
        }
        if let Some(rate) = ob.revenue {
            out.options[index].ob_revenue = entered(rate);
        }
    }

    if let Some(names) = &spec.partners {
        keep_partners(&mut out, case, spec, names)?;
    }
    if let Some(ids) = &spec.options {
        keep_options(&mut out, case, spec, ids)?;
    }
    Ok(out)
}

fn option_list(case: &Case) -> String {
    let ids: Vec<&str> = case.options.iter().map(|o| o.id.as_str()).collect();
    format!("the options are: {}", ids.join(", "))
}

/// Keeps the joining partners, in sheet order, remapping every reference.
fn keep_partners(
    out: &mut Case,
    case: &Case,
    spec: &ScenarioSpec,
    names: &[String],
) -> Result<(), ScenarioError> {
    let err = |message: String, hint: Option<String>| ScenarioError {
        scenario: spec.name.clone(),
        key: "partners",
        message,
        hint,
    };
    let mut joins = vec![false; case.partners.len()];
    for name in names {
        let p = case
            .partners
            .names
            .iter()
            .position(|n| names::same(n, name))
            .ok_or_else(|| {
                let hint = names::hint(
                    name,
                    case.partners.names.iter().map(String::as_str),
                    "partners",
                );
                err(
                    format!("no partner {name:?} on the Partners sheet"),
                    Some(hint),
                )
            })?;
        joins[p] = true;
    }
    if !joins.iter().any(|j| *j) {
        return Err(err(
            "expected at least one partner, found none".into(),
            None,
        ));
    }
    // New index of each old partner, if it joins.
    let mut map = vec![None; joins.len()];
    let mut next = 0;
    for (old, j) in joins.iter().enumerate() {
        if *j {
            map[old] = Some(PartnerId::new(next));
            next += 1;
        }
    }
    let remap = |p: Option<PartnerId>| p.map(|old| map.get(old.index()).copied().flatten());
    let left_out = |p: Option<PartnerId>| matches!(remap(p), Some(None));
    if !spec.drop_partner_lines {
        let costs = out
            .costs
            .iter()
            .map(|l| (l.partner, &l.line, "Costs", l.row));
        let benefits = out
            .benefits
            .iter()
            .map(|l| (l.partner, &l.line, "Benefits", l.row));
        let risks = out.risks.iter().map(|k| (k.partner, &k.id, "Risks", k.row));
        if let Some((p, line, sheet, row)) = costs
            .chain(benefits)
            .chain(risks)
            .find(|(p, ..)| left_out(*p))
        {
            let who = p
                .and_then(|p| case.partners.names.get(p.index()))
                .cloned()
                .unwrap_or_default();
            return Err(err(
                format!(
                    "{sheet} row {} ({line:?}) names {who:?}, who does not join",
                    row + 1
                ),
                Some("set drop_partner_lines = true to leave that partner's lines out".into()),
            ));
        }
    }
    out.costs.retain(|l| !left_out(l.partner));
    out.benefits.retain(|l| !left_out(l.partner));
    out.risks.retain(|k| !left_out(k.partner));
    for k in &mut out.risks {
        k.partner = remap(k.partner).flatten();
    }
    for l in &mut out.costs {
        l.partner = remap(l.partner).flatten();
    }
    for l in &mut out.benefits {
        l.partner = remap(l.partner).flatten();
    }
    if let Some(budget) = &mut out.budget {
        budget.rows.retain(|r| !left_out(r.partner));
        for r in &mut budget.rows {
            r.partner = remap(r.partner).flatten();
        }
    }
    out.partners.names = kept(&case.partners.names, &joins);
    out.partners.values = kept(&case.partners.values, &joins);
    out.partners.rows = kept(&case.partners.rows, &joins);
    if !case.financing.partners.is_empty() {
        let mut all = case.financing.partners.clone();
        all.resize(case.partners.len(), None);
        out.financing.partners = kept(&all, &joins);
    }
    // The name of key column `c` when it totals zero over the partners who
    // join: there is nothing to split by.
    let empty_key = |c: usize| {
        let total = out.partners.values.iter().try_fold(Decimal::ZERO, |a, v| {
            a.checked_add(v.get(c).copied().unwrap_or_default())
        });
        total.is_some_and(|t| t <= Decimal::ZERO).then(|| {
            case.partners
                .key_columns
                .get(c)
                .cloned()
                .unwrap_or_default()
        })
    };
    // The key shared amounts are split by (the scenario's, or the
    // Assumptions sheet's) must have something to split by among the
    // partners who join, as it must over the whole Partners sheet.
    if let Some(name) = empty_key(out.assumptions.apportionment_key.value) {
        return Err(err(
            format!("the apportionment key {name:?} totals zero over the partners who join"),
            Some(format!(
                "name partners whose {name} is above zero on the Partners sheet, or split by another key with apportionment_key"
            )),
        ));
    }
    // A key some shared line or risk is split by must still have something
    // to split by among the partners who join.
    let keyed = out
        .costs
        .iter()
        .filter(|l| l.partner.is_none())
        .map(|l| (l.key, "Costs", l.row, l.line.as_str()))
        .chain(
            out.benefits
                .iter()
                .filter(|l| l.partner.is_none())
                .map(|l| (l.key, "Benefits", l.row, l.line.as_str())),
        )
        .chain(
            out.risks
                .iter()
                .filter(|k| k.partner.is_none())
                .map(|k| (k.key, "Risks", k.row, k.id.as_str())),
        );
    for (key, sheet, row, line) in keyed {
        if let Some(name) = key.and_then(empty_key) {
            return Err(err(
                format!(
                    "{sheet} row {} ({line:?}) is split by {name:?}, which totals zero over the partners who join",
                    row + 1
                ),
                None,
            ));
        }
    }
    Ok(())
}

/// Keeps the baseline and the options named, in sheet order, remapping every reference.
fn keep_options(
    out: &mut Case,
    case: &Case,
    spec: &ScenarioSpec,
    ids: &[String],
) -> Result<(), ScenarioError> {
    let err = |message: String, hint: Option<String>| ScenarioError {
        scenario: spec.name.clone(),
        key: "options",
        message,
        hint,
    };
    let mut keep = vec![false; case.options.len()];
    if let Some(k) = keep.get_mut(case.baseline.index()) {
        *k = true;
    }
    for id in ids {
        let i = case.option_index(id).ok_or_else(|| {
            err(
                format!("no option {id:?} on the Options sheet"),
                Some(option_list(case)),
            )
        })?;
        keep[i.index()] = true;
    }
    if let Some(p) = case.preferred
        && !keep.get(p.index()).copied().unwrap_or(false)
    {
        return Err(err(
            format!(
                "leaves out {:?}, the preferred option named in case.toml",
                case.option(p).map(|o| o.id.as_str()).unwrap_or_default()
            ),
            None,
        ));
    }
    let mut map = vec![None; keep.len()];
    let mut next = 0;
    for (old, k) in keep.iter().enumerate() {
        if *k {
            map[old] = Some(OptionId::new(next));
            next += 1;
        }
    }
    let new = |old: OptionId| map.get(old.index()).copied().flatten();
    out.costs.retain(|l| new(l.option).is_some());
    out.benefits.retain(|l| new(l.option).is_some());
    out.risks.retain(|r| new(r.option).is_some());
    for l in &mut out.costs {
        l.option = new(l.option).unwrap_or_default();
    }
    for l in &mut out.benefits {
        l.option = new(l.option).unwrap_or_default();
    }
    for r in &mut out.risks {
        r.option = new(r.option).unwrap_or_default();
    }
    out.options = out
        .options
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(o, _)| o.clone())
        .collect();
    out.baseline = new(case.baseline).unwrap_or_default();
    out.preferred = case.preferred.and_then(new);
    Ok(())
}

/// The entries of `v` whose flag is set.
fn kept<T: Clone>(v: &[T], flags: &[bool]) -> Vec<T> {
    v.iter()
        .zip(flags)
        .filter(|(_, f)| **f)
        .map(|(x, _)| x.clone())
        .collect()
}

/// One scenario's case and results, with the headline figures the
/// Oversight Group compares.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `base` for the case as it stands.
    pub name: String,
    pub description: String,
    /// The case with the scenario applied.
    pub case: Case,
    pub results: super::Results,
    /// The preferred option's total real cashable savings over the period (incremental).
    pub total_cashable_savings: Decimal,
    /// Each partner's total real net of the preferred option over the period,
    /// aligned with `case.partners` (the scenario's partners).
    pub partner_net: Vec<Decimal>,
    /// The region's gap after the case summed over its years (`None`
    /// without a Budget sheet).
    pub gap_total: Option<Decimal>,
    /// The scenario's change from the base case: `None` for the base case
    /// itself, and from [`summarise`] alone ([`compare`], [`run_all`] and
    /// `compute::run_case` fill it in).
    pub change: Option<Change>,
}

/// A scenario's headline figures less the base case's, aligned with the
/// base case's non-baseline options, partners and gap-after-case years:
/// the "vs base" columns of `fivecase scenarios` and the changes of the
/// model workbook's Scenarios sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    /// npsv change of each of the base case's non-baseline options, in
    /// Options-sheet order; `None` where the scenario leaves the option out.
    pub npsv: Vec<Option<Decimal>>,
    /// bcr change of the same options; `None` where either has no bcr.
    pub bcr: Vec<Option<Decimal>>,
    /// Change in the preferred option's total real cashable savings.
    pub total_cashable_savings: Decimal,
    /// Net-position change of each of the base case's partners, in
    /// Partners-sheet order; `None` where the partner does not join.
    pub partner_net: Vec<Option<Decimal>>,
    /// Change in the region's gap after the case in each of the base case's
    /// years; `None` where the scenario has no figure for the year.
    pub gap_after_case: Vec<Option<Decimal>>,
    /// Σ of the yearly changes present in `gap_after_case`.
    pub gap_after_case_total: Decimal,
}

/// `value − base` where both exist, checked.
fn changed(
    value: Option<Decimal>,
    base: Option<Decimal>,
    what: &'static str,
) -> Result<Option<Decimal>, super::ComputeError> {
    match (value, base) {
        (Some(v), Some(b)) => arith::sub(v, b, what).map(Some),
        _ => Ok(None),
    }
}

/// The region's gap after the case of `o` in `year`.
fn gap_in(o: &Outcome, year: crate::model::FiscalYear) -> Option<Decimal> {
    let g = o.results.gap_after_case.as_ref()?;
    let i = g.years.iter().position(|y| *y == year)?;
    g.region.get(i).copied()
}

/// The change of scenario `s` from `base`.
///
/// # Errors
/// When a difference overflows exact decimals.
pub fn change_from(base: &Outcome, s: &Outcome) -> Result<Change, super::ComputeError> {
    let options: Vec<&str> = base
        .case
        .options
        .iter()
        .filter(|o| !o.baseline)
        .map(|o| o.id.as_str())
        .collect();
    let npsv = |o: &Outcome, id: &str| o.option_by_id(id).map(|a| a.npsv);
    let bcr = |o: &Outcome, id: &str| o.option_by_id(id).and_then(|a| a.bcr);
    let years = base
        .results
        .gap_after_case
        .as_ref()
        .map(|g| g.years.clone())
        .unwrap_or_default();
    let gap_after_case = years
        .iter()
        .map(|y| {
            changed(
                gap_in(s, *y),
                gap_in(base, *y),
                "change in the gap after the case",
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Change {
        npsv: options
            .iter()
            .map(|id| changed(npsv(s, id), npsv(base, id), "change in npsv"))
            .collect::<Result<_, _>>()?,
        bcr: options
            .iter()
            .map(|id| changed(bcr(s, id), bcr(base, id), "change in bcr"))
            .collect::<Result<_, _>>()?,
        total_cashable_savings: arith::sub(
            s.total_cashable_savings,
            base.total_cashable_savings,
            "change in cashable savings",
        )?,
        partner_net: base
            .case
            .partners
            .names
            .iter()
            .map(|n| {
                changed(
                    s.partner_net_of(n),
                    base.partner_net_of(n),
                    "change in net position",
                )
            })
            .collect::<Result<_, _>>()?,
        gap_after_case_total: arith::sum(
            gap_after_case.iter().flatten().copied(),
            "change in the gap after the case",
        )?,
        gap_after_case,
    })
}

/// Why a scenario run failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    Scenario(ScenarioError),
    /// The engine failed on the scenario named, or on the case as it
    /// stands (`None`).
    Compute(Option<String>, super::ComputeError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Scenario(e) => e.fmt(f),
            RunError::Compute(Some(name), e) => write!(f, "scenario {name:?}: {e}"),
            RunError::Compute(None, e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RunError {}

/// Computes `case` (full results) and summarises it as an outcome.
///
/// # Errors
/// When the engine fails.
pub fn outcome(name: &str, description: &str, case: Case) -> Result<Outcome, super::ComputeError> {
    let results = super::compute(&case)?;
    summarise(name, description, case, results)
}

/// Summarises `case` and its `results` (full or headline) as an outcome.
///
/// # Errors
/// When a total overflows exact decimals.
pub fn summarise(
    name: &str,
    description: &str,
    case: Case,
    results: super::Results,
) -> Result<Outcome, super::ComputeError> {
    let (total_cashable_savings, partner_net) = headline_totals(&case, &results)?;
    let gap_total = match &results.gap_after_case {
        Some(g) => Some(arith::sum(g.region.iter().copied(), "gap after the case")?),
        None => None,
    };
    Ok(Outcome {
        name: name.to_string(),
        description: description.to_string(),
        case,
        results,
        total_cashable_savings,
        partner_net,
        gap_total,
        change: None,
    })
}

/// The preferred option's total real cashable savings over the period and
/// each partner's total real net of it (aligned with `case.partners`): the
/// totals an [`Outcome`] carries, for results computed elsewhere.
///
/// # Errors
/// When a total overflows exact decimals.
pub fn headline_totals(
    case: &Case,
    results: &super::Results,
) -> Result<(Decimal, Vec<Decimal>), super::ComputeError> {
    let preferred = results.preferred;
    let total_cashable_savings = match results.profile(preferred) {
        Some(p) => arith::sum(p.real.iter().map(|y| y.cashable), "cashable savings")?,
        None => Decimal::ZERO,
    };
    let partner_net = match results.apportioned(preferred) {
        Some(a) => a
            .partners
            .iter()
            .map(|p| arith::sum(p.real.net.iter().copied(), "partners' net positions"))
            .collect::<Result<_, _>>()?,
        None => vec![Decimal::ZERO; case.partners.len()],
    };
    Ok((total_cashable_savings, partner_net))
}

/// The base case (its full `results`, already computed) and every scenario
/// of case.toml with headline results (no switching values or sensitivity):
/// what the document's scenario comparison prints.
///
/// # Errors
/// The first scenario that cannot be applied or computed.
pub fn compare(case: &Case, results: &super::Results) -> Result<(Outcome, Vec<Outcome>), RunError> {
    compare_owned(case, results.clone())
}

/// [`compare`], keeping the base case's `results` rather than copying them.
pub(super) fn compare_owned(
    case: &Case,
    results: super::Results,
) -> Result<(Outcome, Vec<Outcome>), RunError> {
    let base = summarise(
        ScenarioSpec::BASE_NAME,
        ScenarioSpec::BASE_DESCRIPTION,
        case.clone(),
        results,
    )
    .map_err(|e| RunError::Compute(None, e))?;
    let mut out = Vec::with_capacity(case.meta.scenarios.len());
    for spec in &case.meta.scenarios {
        let failed = |e| RunError::Compute(Some(spec.name.clone()), e);
        let applied = apply(case, spec).map_err(RunError::Scenario)?;
        let r = super::headline(&applied).map_err(failed)?;
        let mut o = summarise(&spec.name, &spec.description, applied, r).map_err(failed)?;
        o.change = Some(change_from(&base, &o).map_err(failed)?);
        out.push(o);
    }
    Ok((base, out))
}

/// `value − base`, where both exist and the difference fits.
///
/// Deprecated for outputs: a scenario's changes from the base case are the
/// engine's, checked, in [`Outcome::change`].
pub fn difference(value: Option<Decimal>, base: Option<Decimal>) -> Option<Decimal> {
    value?.checked_sub(base?)
}

impl Outcome {
    /// The preferred option's id.
    pub fn preferred_id(&self) -> &str {
        self.case
            .option(self.results.preferred)
            .map_or("", |o| o.id.as_str())
    }

    /// The appraisal of the option with `id`, if the scenario keeps it.
    pub fn option_by_id(&self, id: &str) -> Option<&super::OptionAppraisal> {
        self.results.options.iter().find(|o| o.id == id)
    }

    /// The preferred option's npsv.
    pub fn preferred_npsv(&self) -> Option<Decimal> {
        self.results.option(self.results.preferred).map(|o| o.npsv)
    }

    /// The preferred option's value-for-money category.
    pub fn preferred_value_for_money(&self) -> Option<super::ValueForMoney> {
        self.results
            .option(self.results.preferred)
            .map(|o| o.value_for_money)
    }

    /// The preferred option's bcr.
    pub fn preferred_bcr(&self) -> Option<Decimal> {
        self.results
            .option(self.results.preferred)
            .and_then(|o| o.bcr)
    }

    /// The preferred option's payback year.
    pub fn payback_year(&self) -> Option<crate::model::FiscalYear> {
        self.results
            .option(self.results.preferred)
            .and_then(|o| o.payback_year)
    }

    /// The region's gap remaining after the case, summed over its years
    /// (`None` without a Budget sheet): [`Outcome::gap_total`].
    pub fn gap_after_case_total(&self) -> Option<Decimal> {
        self.gap_total
    }

    /// The net position of the partner called `name`, if it joins.
    pub fn partner_net_of(&self, name: &str) -> Option<Decimal> {
        self.case
            .partners
            .names
            .iter()
            .position(|n| n == name)
            .and_then(|i| self.partner_net.get(i).copied())
    }
}

/// The base case and every scenario of case.toml, in order.
///
/// # Errors
/// The first scenario that cannot be applied or computed.
pub fn run_all(case: &Case) -> Result<(Outcome, Vec<Outcome>), RunError> {
    let base = outcome(
        ScenarioSpec::BASE_NAME,
        ScenarioSpec::BASE_DESCRIPTION,
        case.clone(),
    )
    .map_err(|e| RunError::Compute(None, e))?;
    let mut out = Vec::with_capacity(case.meta.scenarios.len());
    for spec in &case.meta.scenarios {
        let applied = apply(case, spec).map_err(RunError::Scenario)?;
        let failed = |e| RunError::Compute(Some(spec.name.clone()), e);
        let mut o = outcome(&spec.name, &spec.description, applied).map_err(failed)?;
        o.change = Some(change_from(&base, &o).map_err(failed)?);
        out.push(o);
    }
    Ok((base, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compute;
    use crate::compute::synthetic::CaseBuilder;
    use crate::model::{
        BenefitKind, Budget, BudgetLine, BudgetRow, CostKind, DiscountRate, FiscalYear, Inflation,
        ObOverride, Unit,
    };
    use rust_decimal::dec;

    #[test]
    fn an_engine_failure_names_a_scenario_only_when_one_was_run() {
        let e = super::super::ComputeError::overflow("npsv").within("option OPT1");
        assert_eq!(
            RunError::Compute(None, e.clone()).to_string(),
            "option OPT1: the npsv would be too large to compute exactly (beyond about 7.9 × 10^28)"
        );
        assert_eq!(
            RunError::Compute(Some("late".into()), e).to_string(),
            "scenario \"late\": option OPT1: the npsv would be too large to compute exactly \
             (beyond about 7.9 × 10^28)"
        );
    }

    /// How the "workbook" is typed: each transform edits one kind of line's values.
    struct Edits {
        capital: fn(&[Decimal]) -> Vec<Decimal>,
        revenue: fn(&[Decimal]) -> Vec<Decimal>,
        cashable: fn(&[Decimal]) -> Vec<Decimal>,
        non_cashable: fn(&[Decimal]) -> Vec<Decimal>,
        /// Business as usual's cost lines (the edits above touch the options' only).
        baseline: fn(&[Decimal]) -> Vec<Decimal>,
        with_c: bool,
        with_opt2: bool,
    }

    const AS_IS: Edits = Edits {
        capital: <[Decimal]>::to_vec,
        revenue: <[Decimal]>::to_vec,
        cashable: <[Decimal]>::to_vec,
        non_cashable: <[Decimal]>::to_vec,
        baseline: <[Decimal]>::to_vec,
        with_c: true,
        with_opt2: true,
    };

    fn year(y: u16) -> FiscalYear {
        FiscalYear::new(y).unwrap()
    }

    /// A case as a finance lead would type it, with `edits` applied by hand.
    fn workbook(e: &Edits) -> Case {
        let mut b = CaseBuilder::new(year(2025), 4, Unit::Thousands)
            .inflation(dec!(0.02), dec!(0.03))
            .key_column("Net revenue expenditure")
            .partner("A", &[dec!(50), dec!(30)])
            .partner("B", &[dec!(30), dec!(30)]);
        if e.with_c {
            b = b.partner("C", &[dec!(20), dec!(40)]);
        }
        b = b.option("BAU", true, Decimal::ZERO, Decimal::ZERO).option(
            "OPT1",
            false,
            dec!(0.24),
            dec!(0.10),
        );
        if e.with_opt2 {
            b = b.option("OPT2", false, Decimal::ZERO, dec!(0.20));
        }
        let v = |x: [i64; 4]| x.map(Decimal::from).to_vec();
        b = b
            .cost(
                0,
                CostKind::Revenue,
                None,
                Inflation::Pay,
                &(e.baseline)(&v([100, 100, 100, 100])),
            )
            .benefit(0, BenefitKind::Cashable, None, &v([5, 5, 5, 5]))
            .cost(
                1,
                CostKind::Capital,
                None,
                Inflation::None,
                &(e.capital)(&v([200, 0, 0, 0])),
            )
            .cost(
                1,
                CostKind::Revenue,
                None,
                Inflation::General,
                &(e.revenue)(&v([50, 50, 50, 50])),
            )
            .benefit(
                1,
                BenefitKind::Cashable,
                None,
                &(e.cashable)(&v([0, 100, 120, 120])),
            )
            .benefit(
                1,
                BenefitKind::Cashable,
                Some(0),
                &(e.cashable)(&v([0, 10, 10, 10])),
            )
            .benefit(
                1,
                BenefitKind::NonCashable,
                None,
                &(e.non_cashable)(&v([0, 20, 20, 20])),
            )
            .risk(1, dec!(0.5), dec!(40), 1);
        if e.with_c {
            b = b.cost(
                1,
                CostKind::Revenue,
                Some(2),
                Inflation::Pay,
                &(e.revenue)(&v([10, 10, 10, 10])),
            );
        }
        if e.with_opt2 {
            b = b
                .cost(
                    2,
                    CostKind::Revenue,
                    None,
                    Inflation::General,
                    &(e.revenue)(&v([120, 60, 60, 60])),
                )
                .benefit(
                    2,
                    BenefitKind::Cashable,
                    None,
                    &(e.cashable)(&v([0, 30, 30, 30])),
                );
        }
        let partners = if e.with_c { 3 } else { 2 };
        let mut rows = Vec::new();
        for p in 0..partners {
            rows.push(BudgetRow {
                partner: Some(PartnerId::new(p)),
                line: BudgetLine::BaseBudgetGap,
                values: vec![dec!(40), dec!(50), dec!(60)],
                row: 0,
            });
            rows.push(BudgetRow {
                partner: Some(PartnerId::new(p)),
                line: BudgetLine::IdentifiedRiskGap,
                values: vec![dec!(5), dec!(5), dec!(5)],
                row: 0,
            });
        }
        b.budget(Budget {
            years: vec![year(2025), year(2026), year(2027)],
            rows,
            year_cols: vec![1, 2, 3],
            basis: crate::model::GapBasis::InYear,
        })
        .build()
    }

    fn spec(f: impl FnOnce(&mut ScenarioSpec)) -> ScenarioSpec {
        let mut s = ScenarioSpec {
            name: "test".into(),
            ..ScenarioSpec::default()
        };
        f(&mut s);
        s
    }

    /// The scenario's results equal those of the hand-edited workbook.
    fn assert_same(s: &ScenarioSpec, hand: &Case) {
        let applied = apply(&workbook(&AS_IS), s).unwrap();
        assert_eq!(compute(&applied).unwrap(), compute(hand).unwrap());
    }

    fn scaled(values: &[Decimal], f: Decimal) -> Vec<Decimal> {
        values.iter().map(|v| v * f).collect()
    }

    #[test]
    fn savings_realisation_equals_scaling_cashable_lines_by_hand() {
        let s = spec(|s| s.savings_realisation = Some(dec!(0.8)));
        let hand = workbook(&Edits {
            cashable: |v| scaled(v, dec!(0.8)),
            ..AS_IS
        });
        assert_same(&s, &hand);
    }

    #[test]
    fn benefits_realisation_scales_every_benefit_and_compounds_with_savings() {
        let s = spec(|s| {
            s.benefits_realisation = Some(dec!(0.5));
            s.savings_realisation = Some(dec!(0.8));
        });
        let hand = workbook(&Edits {
            cashable: |v| scaled(v, dec!(0.4)),
            non_cashable: |v| scaled(v, dec!(0.5)),
            ..AS_IS
        });
        assert_same(&s, &hand);
    }

    #[test]
    fn a_delay_shifts_cashable_lines_right_within_the_period() {
        let s = spec(|s| s.savings_delay_years = Some(1));
        let hand = workbook(&Edits {
            cashable: |v| vec![Decimal::ZERO, v[0], v[1], v[2]],
            ..AS_IS
        });
        assert_same(&s, &hand);
    }

    #[test]
    fn overruns_scale_costs_as_entered() {
        let s = spec(|s| s.cost_overrun = Some(dec!(0.1)));
        let hand = workbook(&Edits {
            capital: |v| scaled(v, dec!(1.1)),
            revenue: |v| scaled(v, dec!(1.1)),
            ..AS_IS
        });
        assert_same(&s, &hand);
        let s = spec(|s| {
            s.cost_overrun = Some(dec!(0.1));
            s.capital_overrun = Some(dec!(0.3));
        });
        let hand = workbook(&Edits {
            capital: |v| scaled(v, dec!(1.3)),
            revenue: |v| scaled(v, dec!(1.1)),
            ..AS_IS
        });
        assert_same(&s, &hand);
    }

    #[test]
    fn a_baseline_overrun_scales_business_as_usuals_costs_only() {
        let s = spec(|s| s.baseline_cost_overrun = Some(dec!(0.1)));
        let hand = workbook(&Edits {
            baseline: |v| scaled(v, dec!(1.1)),
            ..AS_IS
        });
        assert_same(&s, &hand);
        // With the options' overrun, each scales its own lines.
        let s = spec(|s| {
            s.baseline_cost_overrun = Some(dec!(0.05));
            s.cost_overrun = Some(dec!(0.2));
        });
        let hand = workbook(&Edits {
            baseline: |v| scaled(v, dec!(1.05)),
            capital: |v| scaled(v, dec!(1.2)),
            revenue: |v| scaled(v, dec!(1.2)),
            ..AS_IS
        });
        assert_same(&s, &hand);
    }

    #[test]
    fn a_partner_subset_equals_the_workbook_without_that_partner() {
        let s = spec(|s| {
            s.partners = Some(vec!["a".into(), "B".into()]);
            s.drop_partner_lines = true;
        });
        let hand = workbook(&Edits {
            with_c: false,
            ..AS_IS
        });
        assert_same(&s, &hand);
        let applied = compute(&apply(&workbook(&AS_IS), &s).unwrap()).unwrap();
        assert_eq!(applied.apportionment.shares, vec![dec!(0.625), dec!(0.375)]);
    }

    #[test]
    fn partners_whose_apportionment_key_totals_zero_are_an_error_at_the_scenario() {
        // The whole sheet's key is positive; the two who join hold none of it.
        let mut case = workbook(&AS_IS);
        let key = case.assumptions.apportionment_key.value;
        for row in &mut case.partners.values[..2] {
            row[key] = Decimal::ZERO;
        }
        assert!(compute(&case).is_ok());
        let s = spec(|s| {
            s.partners = Some(vec!["A".into(), "B".into()]);
            s.drop_partner_lines = true;
        });
        let e = apply(&case, &s).unwrap_err();
        assert_eq!(e.key, "partners");
        let name = &case.partners.key_columns[key];
        assert_eq!(
            e.message,
            format!("the apportionment key {name:?} totals zero over the partners who join")
        );
        // Under another key, the same partners can share.
        let s = spec(|s| {
            s.partners = Some(vec!["A".into(), "B".into()]);
            s.drop_partner_lines = true;
            s.apportionment_key = Some(case.partners.key_columns[1 - key].clone());
        });
        assert!(compute(&apply(&case, &s).unwrap()).is_ok());
    }

    #[test]
    fn a_leaving_partner_with_lines_of_its_own_is_an_error() {
        let s = spec(|s| s.partners = Some(vec!["A".into(), "B".into()]));
        let e = apply(&workbook(&AS_IS), &s).unwrap_err();
        assert_eq!(
            e.to_string(),
            "scenario \"test\": partners: Costs row 5 (\"Cost 4\") names \"C\", who does not join\n  \
             hint: set drop_partner_lines = true to leave that partner's lines out"
        );
        let s = spec(|s| s.partners = Some(vec!["A".into(), "Bee".into()]));
        let e = apply(&workbook(&AS_IS), &s).unwrap_err();
        assert_eq!(e.key, "partners");
        assert_eq!(e.hint.as_deref(), Some("did you mean 'B'?"));
    }

    #[test]
    fn key_rate_and_optimism_bias_equal_editing_those_cells() {
        let s = spec(|s| s.apportionment_key = Some("net revenue expenditure".into()));
        let mut hand = workbook(&AS_IS);
        hand.assumptions.apportionment_key = Sourced::default_value(1);
        assert_same(&s, &hand);

        let s = spec(|s| s.discount_rate = Some(DiscountRate::Fixed(dec!(0.05))));
        let mut hand = workbook(&AS_IS);
        hand.assumptions.discount_rate = Sourced::default_value(DiscountRate::Fixed(dec!(0.05)));
        assert_same(&s, &hand);

        let s = spec(|s| {
            s.optimism_bias.insert(
                "opt1".into(),
                ObOverride {
                    capital: Some(dec!(0.5)),
                    revenue: None,
                },
            );
        });
        let mut hand = workbook(&AS_IS);
        hand.options[1].ob_capital.rate = dec!(0.5);
        assert_same(&s, &hand);
    }

    #[test]
    fn an_options_subset_equals_the_workbook_without_the_others() {
        let s = spec(|s| s.options = Some(vec!["OPT1".into()]));
        let hand = workbook(&Edits {
            with_opt2: false,
            ..AS_IS
        });
        assert_same(&s, &hand);
        let mut pinned = workbook(&AS_IS);
        pinned.preferred = Some(OptionId::new(2));
        let e = apply(&pinned, &s).unwrap_err();
        assert_eq!(
            e.to_string(),
            "scenario \"test\": options: leaves out \"OPT2\", the preferred option named in case.toml"
        );
    }

    #[test]
    fn an_overrun_beyond_exact_decimals_names_the_scenario_key_and_line() {
        let mut case = workbook(&AS_IS);
        case.costs[1].values[0] = Decimal::MAX / dec!(2);
        let e = apply(&case, &spec(|s| s.capital_overrun = Some(dec!(5)))).unwrap_err();
        assert_eq!(e.key, "capital_overrun");
        assert_eq!(
            e.to_string(),
            format!(
                "scenario \"test\": capital_overrun: Costs row {} (\"{}\"): the scaled amounts would be too large to compute exactly (beyond about 7.9 × 10^28)",
                case.costs[1].row + 1,
                case.costs[1].line
            )
        );
        let e = apply(&case, &spec(|s| s.cost_overrun = Some(dec!(5)))).unwrap_err();
        assert_eq!(e.key, "cost_overrun");
    }

    #[test]
    fn impossible_values_name_the_scenario_and_key() {
        let e = apply(
            &workbook(&AS_IS),
            &spec(|s| s.savings_realisation = Some(dec!(1.2))),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "scenario \"test\": savings_realisation: expected a fraction from 0 to 1, found 1.2"
        );
        let e = apply(
            &workbook(&AS_IS),
            &spec(|s| s.savings_delay_years = Some(-1)),
        )
        .unwrap_err();
        assert_eq!(e.key, "savings_delay_years");
        let e = apply(
            &workbook(&AS_IS),
            &spec(|s| s.apportionment_key = Some("Population".into())),
        )
        .unwrap_err();
        assert_eq!(e.key, "apportionment_key");
        let e = apply(
            &workbook(&AS_IS),
            &spec(|s| s.options = Some(vec!["OPT9".into()])),
        )
        .unwrap_err();
        assert_eq!(e.key, "options");
    }

    #[test]
    fn a_sweep_on_two_threads_matches_one_by_one() {
        let case = crate::compute::synthetic::sample_like();
        let specs = crate::compute::synthetic::scenario_specs(&case, 60);
        let swept = sweep(&case, &specs, 2);
        assert_eq!(swept.len(), 60);
        for (spec, got) in specs.iter().zip(&swept) {
            assert_eq!(got, &headline(&case, spec));
            assert!(got.is_ok(), "{got:?}");
        }
    }

    #[test]
    fn run_all_summarises_base_and_scenarios() {
        let mut case = workbook(&AS_IS);
        case.meta.scenarios = vec![spec(|s| s.savings_realisation = Some(dec!(0.5)))];
        let (base, scenarios) = run_all(&case).unwrap();
        assert_eq!(scenarios.len(), 1);
        assert!(scenarios[0].total_cashable_savings < base.total_cashable_savings);
        let partners_total: Decimal = base.partner_net.iter().copied().sum();
        let preferred = base.results.profile(base.results.preferred).unwrap();
        let net: Decimal = preferred.real.iter().map(|y| y.net).sum();
        assert_eq!(partners_total, net);
    }

    #[test]
    fn run_case_is_the_full_base_and_headline_scenarios() {
        let mut case = workbook(&AS_IS);
        case.meta.scenarios = vec![spec(|s| s.savings_realisation = Some(dec!(0.5)))];
        let computed = crate::compute::run_case(&case).unwrap();
        assert_eq!(computed.results(), &compute(&case).unwrap());
        let (_, light) = compare(&case, computed.results()).unwrap();
        assert_eq!(computed.scenarios.len(), 1);
        assert_eq!(computed.scenarios[0].results, light[0].results);
        let (base, scenario) = (&computed.base, &computed.scenarios[0]);
        let change = scenario.change.as_ref().unwrap();
        assert_eq!(
            change.total_cashable_savings,
            scenario.total_cashable_savings - base.total_cashable_savings
        );
        assert_eq!(change.npsv.len(), 2);
        assert_eq!(
            change.npsv[0],
            Some(scenario.results.options[1].npsv - base.results.options[1].npsv)
        );
        let gap: Decimal = change.gap_after_case.iter().flatten().sum();
        assert_eq!(change.gap_after_case_total, gap);
        assert_eq!(scenario.gap_total.unwrap() - base.gap_total.unwrap(), gap);
        assert!(base.change.is_none());

        // A change beyond exact decimals is an error, not a blank or a clamp.
        let mut far = scenario.clone();
        far.total_cashable_savings = Decimal::MAX;
        let mut low = base.clone();
        low.total_cashable_savings = Decimal::MIN;
        assert!(change_from(&low, &far).is_err());

        case.meta.scenarios = vec![spec(|s| s.options = Some(vec!["OPT9".into()]))];
        let e = crate::compute::run_case(&case).unwrap_err();
        assert!(
            matches!(e, RunError::Scenario(ref s) if s.key == "options"),
            "{e}"
        );
    }

    #[test]
    fn compare_matches_full_runs_on_the_headline_figures() {
        let mut case = crate::compute::synthetic::worked();
        case.meta.scenarios = vec![
            ScenarioSpec {
                name: "late".into(),
                description: "savings a year late".into(),
                savings_delay_years: Some(1),
                ..Default::default()
            },
            ScenarioSpec {
                name: "north only".into(),
                description: "South does not join".into(),
                partners: Some(vec!["North".into()]),
                ..Default::default()
            },
        ];
        let results = compute(&case).unwrap();
        let (base, light) = compare(&case, &results).unwrap();
        let (full_base, full) = run_all(&case).unwrap();
        assert_eq!(base.results, full_base.results);
        assert_eq!(light.len(), full.len());
        for (l, f) in light.iter().zip(&full) {
            assert_eq!(l.name, f.name);
            assert_eq!(l.preferred_id(), f.preferred_id());
            assert_eq!(l.preferred_npsv(), f.preferred_npsv());
            assert_eq!(l.preferred_bcr(), f.preferred_bcr());
            assert_eq!(l.payback_year(), f.payback_year());
            assert_eq!(l.total_cashable_savings, f.total_cashable_savings);
            assert_eq!(l.partner_net, f.partner_net);
            assert_eq!(l.gap_after_case_total(), f.gap_after_case_total());
        }
        assert_eq!(light[1].partner_net_of("South"), None);
        assert_eq!(
            light[1].partner_net_of("North"),
            light[1].partner_net.first().copied()
        );
        assert!(light[0].total_cashable_savings < base.total_cashable_savings);
        assert_eq!(difference(Some(dec!(1.5)), Some(dec!(2))), Some(dec!(-0.5)));
        assert_eq!(difference(None, Some(dec!(2))), None);
        assert_eq!(difference(Some(Decimal::MIN), Some(Decimal::MAX)), None);
    }
}

/// The figures of one scenario a sweep keeps: small, so thousands fit in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// Each option of the scenario's case, in its Options order.
    pub options: Vec<HeadlineOption>,
    /// The preferred option of the scenario's case.
    pub preferred: OptionId,
    pub payback_year: Option<crate::model::FiscalYear>,
    pub total_cashable_savings: Decimal,
    /// Each partner's total real net of the preferred option.
    pub partner_net: Vec<Decimal>,
    /// The region's gap after the case in each common year.
    pub gap_after_case: Vec<Decimal>,
}

/// One option's figures in a [`Headline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadlineOption {
    pub npsv: Decimal,
    pub bcr: Option<Decimal>,
}

/// Applies and computes one scenario (headline results, no switching values
/// or sensitivity) and keeps its headline figures.
///
/// # Errors
/// When the scenario cannot be applied or computed.
pub fn headline(case: &Case, spec: &ScenarioSpec) -> Result<Headline, RunError> {
    let failed = |e| RunError::Compute(Some(spec.name.clone()), e);
    let applied = apply(case, spec).map_err(RunError::Scenario)?;
    let r = super::headline(&applied).map_err(failed)?;
    let p = r.preferred;
    let (total_cashable_savings, mut partner_net) =
        headline_totals(&applied, &r).map_err(failed)?;
    if r.apportioned(p).is_none() {
        partner_net.clear();
    }
    Ok(Headline {
        options: r
            .options
            .iter()
            .map(|o| HeadlineOption {
                npsv: o.npsv,
                bcr: o.bcr,
            })
            .collect(),
        preferred: p,
        payback_year: r.option(p).and_then(|o| o.payback_year),
        total_cashable_savings,
        partner_net,
        gap_after_case: r.gap_after_case.map(|g| g.region).unwrap_or_default(),
    })
}

/// Runs every scenario of `specs` on `case`, split across `threads` threads
/// (at least one), results in the order of `specs`.
pub fn sweep(
    case: &Case,
    specs: &[ScenarioSpec],
    threads: usize,
) -> Vec<Result<Headline, RunError>> {
    let threads = threads.max(1);
    let chunk = specs.len().div_ceil(threads).max(1);
    // Each scenario copies the case: leave out what the engine never reads
    // (narrative, document history, scenarios, sources) once, up front.
    let lean = Case {
        narrative: crate::model::Narrative::default(),
        sources: crate::model::Sources::default(),
        content: crate::model::content::Content::default(),
        meta: crate::model::Meta {
            history: Vec::new(),
            approvals: Vec::new(),
            distribution: Vec::new(),
            scenarios: Vec::new(),
            ..case.meta.clone()
        },
        ..case.clone()
    };
    let case = &lean;
    std::thread::scope(|scope| {
        let handles: Vec<_> = specs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(|s| headline(case, s)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            // A thread only panics on a bug; its scenarios are then reported lost, not the sweep.
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The scenario laws of docs/methodology.md, as property tests: on cases
/// whose lines are all ≥ 0, for a fixed (pinned) option, an overrun ≥ 0
/// never raises its npsv nor lowers the region's gap after the case by more
/// than a penny in any year; a realisation ≤ 1 or a delay ≥ 0 never raises
/// its npsv.
#[cfg(test)]
mod laws {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::apply;
    use crate::compute::compute;
    use crate::compute::synthetic::CaseBuilder;
    use crate::model::{
        BenefitKind, Budget, BudgetLine, BudgetRow, Case, CostKind, FiscalYear, Inflation,
        PartnerId, ScenarioSpec, Unit,
    };

    const YEARS: usize = 4;

    /// Amounts ≥ 0 in £k, to the penny.
    fn amounts() -> impl Strategy<Value = Vec<Decimal>> {
        proptest::collection::vec(0i64..50_000_000, YEARS)
            .prop_map(|v| v.into_iter().map(|x| Decimal::new(x, 5)).collect())
    }

    /// Lines of one option: capital, revenue, cashable, non-cashable, and a
    /// revenue line of the second partner's own.
    fn lines() -> impl Strategy<Value = [Vec<Decimal>; 5]> {
        [amounts(), amounts(), amounts(), amounts(), amounts()]
    }

    fn case(base: &[Vec<Decimal>; 5], opt: &[Vec<Decimal>; 5], keys: (i64, i64)) -> Case {
        let year = |y| FiscalYear::new(y).unwrap();
        let mut b = CaseBuilder::new(year(2025), 4, Unit::Thousands)
            .inflation(Decimal::new(2, 2), Decimal::new(3, 2))
            .partner("A", &[Decimal::from(keys.0)])
            .partner("B", &[Decimal::from(keys.1)])
            .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
            .option("OPT", false, Decimal::new(2, 1), Decimal::new(1, 1))
            .preferred(Some(1));
        for (o, l) in [(0, base), (1, opt)] {
            b = b
                .cost(o, CostKind::Capital, None, Inflation::None, &l[0])
                .cost(o, CostKind::Revenue, None, Inflation::Pay, &l[1])
                .cost(o, CostKind::Revenue, Some(1), Inflation::General, &l[4])
                .benefit(o, BenefitKind::Cashable, None, &l[2])
                .benefit(o, BenefitKind::NonCashable, None, &l[3]);
        }
        let rows = (0..2)
            .map(|p| BudgetRow {
                partner: Some(PartnerId::new(p)),
                line: BudgetLine::BaseBudgetGap,
                values: vec![Decimal::from(100); 3],
                row: 0,
            })
            .collect();
        b.budget(Budget {
            years: vec![year(2025), year(2026), year(2027)],
            rows,
            year_cols: vec![1, 2, 3],
            basis: crate::model::GapBasis::InYear,
        })
        .build()
    }

    fn spec(f: impl FnOnce(&mut ScenarioSpec)) -> ScenarioSpec {
        let mut s = ScenarioSpec {
            name: "law".into(),
            ..ScenarioSpec::default()
        };
        f(&mut s);
        s
    }

    /// The pinned option's npsv and the region's gap after the case.
    fn figures(case: &Case, s: &ScenarioSpec) -> (Decimal, Vec<Decimal>) {
        let r = compute(&apply(case, s).unwrap()).unwrap();
        let gap = r.gap_after_case.map(|g| g.region).unwrap_or_default();
        (r.options[1].npsv, gap)
    }

    fn penny() -> Decimal {
        Decimal::new(1, 5)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn an_overrun_never_flatters_the_option(
            base in lines(),
            opt in lines(),
            keys in (1i64..1000, 1i64..1000),
            overrun in 0i64..=500,
            kind in 0usize..3,
        ) {
            let c = case(&base, &opt, keys);
            let by = Decimal::new(overrun, 2);
            let s = spec(|s| match kind {
                0 => s.cost_overrun = Some(by),
                1 => s.capital_overrun = Some(by),
                _ => s.revenue_overrun = Some(by),
            });
            let (npsv0, gap0) = figures(&c, &spec(|_| ()));
            let (npsv1, gap1) = figures(&c, &s);
            prop_assert!(npsv1 <= npsv0, "{npsv1} > {npsv0}");
            for (after, before) in gap1.iter().zip(&gap0) {
                prop_assert!(*after >= *before - penny(), "{after} < {before}");
            }
        }

        #[test]
        fn realisation_and_delay_never_raise_the_npsv(
            base in lines(),
            opt in lines(),
            keys in (1i64..1000, 1i64..1000),
            realised in 0i64..=100,
            delay in 0i64..6,
            kind in 0usize..3,
        ) {
            let c = case(&base, &opt, keys);
            let r = Decimal::new(realised, 2);
            let s = spec(|s| match kind {
                0 => s.benefits_realisation = Some(r),
                1 => s.savings_realisation = Some(r),
                _ => s.savings_delay_years = Some(delay),
            });
            let (npsv0, _) = figures(&c, &spec(|_| ()));
            let (npsv1, _) = figures(&c, &s);
            prop_assert!(npsv1 <= npsv0, "{npsv1} > {npsv0}");
        }
    }
}
