//! The quantified risk analysis: a Monte Carlo simulation of the case with
//! its lines drawn from their ranges and its risks drawn as events
//! (docs/methodology.md, "Quantified risk analysis").
//!
//! Each iteration draws, for every line with a range, one multiplier over
//! [1 + low, 1 + high] applied to every year of the line, and for every
//! risk one occurrence (probability) and, if it occurs, one impact from its
//! range; members of a `Group` share their magnitude's draw. No optimism
//! bias: the quantified view replaces the uplift.
//!
//! **Fast by linearity.** A line's multiplier m scales everything the line
//! contributes, so each figure of an iteration is its deterministic value
//! (from [`Results`](crate::compute::Results), lines as entered, no risk) plus Σ (m − 1) × the line's
//! precomputed contribution, plus the drawn risks: only lines with a range
//! cost anything per iteration. Every sum runs in line order, in exact
//! decimals; iterations run in parallel, each from its own stream
//! ([`sample::Stream`]), stored at its own index, so results do not depend
//! on the number of threads.
//!
//! **Partners and the gap.** A line's contribution to the partners is split
//! as the engine splits it: by the line's own `Key` (or the case's), or to
//! the one partner it names; a capital line reaches a partner's budget, and
//! the gap after the case, through that partner's financing charge. A drawn
//! risk falls to the partner it names, or is shared by its key.

pub mod sample;

use rust_decimal::Decimal;

use super::ComputeError;
use super::arith;
use super::financing;
use super::totals::Indices;
use crate::model::{
    Case, CostKind, FiscalYear, Inflation, Iterations, OptionId, PartnerId, RiskSettings,
    Uncertainty,
};
use crate::names;
use sample::{Shape, Stream};

/// The percentiles always reported (p20, p50, p80).
pub const ALWAYS: [u32; 3] = [20, 50, 80];

/// Iterations per block: the unit of progress, of parallel work, and of
/// "auto"'s stopping rule.
pub const BLOCK: u32 = 10_000;

/// The most iterations a run makes.
pub const MAX_ITERATIONS: u32 = 1_000_000;

/// "auto" stops once every non-baseline option's P80 PV costs has a 95%
/// confidence interval narrower than this fraction of the figure.
pub const AUTO_PRECISION: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// Iterations whose draws and results are kept for the export.
pub const KEPT: usize = 100;

/// Bins of the npsv histogram.
pub const BINS: usize = 40;

/// One reported percentile of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percentile {
    /// Whole percent (80 for p80).
    pub q: u32,
    /// The sample's value at rank ⌈qN⌉.
    pub value: Decimal,
    /// The 95% confidence interval by order statistics.
    pub ci95: (Decimal, Decimal),
}

/// The distribution of one figure over the iterations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub mean: Decimal,
    /// Standard deviation ÷ √N.
    pub std_error: Decimal,
    /// Every reported percentile, ascending.
    pub percentiles: Vec<Percentile>,
}

impl Summary {
    /// The value at percentile `q` (always present for p20, p50, p80).
    pub fn p(&self, q: u32) -> Decimal {
        self.percentiles
            .iter()
            .find(|p| p.q == q)
            .map_or(Decimal::ZERO, |p| p.value)
    }
}

/// One option's figures, baseline included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionRisk {
    pub option: OptionId,
    pub pv_costs: Summary,
    pub pv_benefits: Summary,
    /// Against the baseline drawn in the same iteration (0 for the baseline).
    pub npsv: Summary,
    /// Share of iterations with npsv above zero.
    pub prob_npsv_positive: Decimal,
    /// Share of iterations with npsv above the preferred option's; `None`
    /// when the preferred option is the baseline.
    pub prob_beats_preferred: Option<Decimal>,
    /// npsv at 0%, 1%, …, 100% of the sorted sample (the minimum, each
    /// whole percentile by nearest rank, the maximum): the S-curve.
    pub curve: Vec<Decimal>,
}

/// One partner's figures for the preferred option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRisk {
    pub partner: PartnerId,
    /// Its net revenue effect over the appraisal period with no uncertainty:
    /// lines as entered, no risk.
    pub deterministic: Decimal,
    /// Its net revenue effect less its share of the drawn risks.
    pub net_after_risk: Summary,
    /// deterministic − p50 of net after risk.
    pub allowance_p50: Decimal,
    /// deterministic − p20 of net after risk: held, it is enough with 80% confidence.
    pub allowance_p80: Decimal,
}

/// The region's gap after the case with the drawn risks, one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapYearRisk {
    pub year: FiscalYear,
    pub gap: Summary,
}

/// The npsv histogram of one option: [`BINS`] equal bins between the
/// sample's minimum and maximum (the last bin includes the maximum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    pub option: OptionId,
    /// The lower edge of each bin.
    pub lower: Vec<Decimal>,
    pub width: Decimal,
    pub counts: Vec<u32>,
}

/// What one drawn item is, for the export's table of draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `Costs`, `Benefits` or `Risks`.
    pub sheet: &'static str,
    /// Zero-based sheet row.
    pub row: u32,
    /// The line's name or the risk's id.
    pub name: String,
    pub option: OptionId,
}

/// One iteration's draws and results, as kept for the first [`KEPT`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// For each of `RiskAnalysis::items`: a line's multiplier, or a
    /// risk's drawn cost (0 when it did not occur).
    pub draws: Vec<Decimal>,
    /// Each option's npsv, in option order.
    pub npsv: Vec<Decimal>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskAnalysis {
    pub iterations: u32,
    pub seed: u64,
    /// Reported percentiles, ascending: those asked for and 20, 50, 80.
    pub percentiles: Vec<u32>,
    /// Whether `iterations` was chosen by the "auto" rule.
    pub auto: bool,
    pub preferred: OptionId,
    pub baseline: OptionId,
    /// Every option, in Options-sheet order.
    pub options: Vec<OptionRisk>,
    /// The preferred option's partners, in Partners order; `None` when the
    /// preferred option is the baseline.
    pub partners: Option<Vec<PartnerRisk>>,
    /// One per year of the gap after the case; empty without a Budget sheet
    /// or with the baseline preferred.
    pub gap_after_case: Vec<GapYearRisk>,
    pub histogram: Histogram,
    /// Every line with a range and every risk, in the order of `Kept::draws`.
    pub items: Vec<Item>,
    /// The first [`KEPT`] iterations.
    pub kept: Vec<Kept>,
}

impl RiskAnalysis {
    /// The figures of option `id`.
    pub fn option(&self, id: OptionId) -> Option<&OptionRisk> {
        self.options.iter().find(|o| o.option == id)
    }
}

/// What a run is asked for: case.toml's settings with the command line's
/// overrides, and the threads to use (results do not depend on them).
#[derive(Debug, Clone)]
pub struct Run {
    pub settings: RiskSettings,
    pub threads: usize,
}

/// The threads a run uses: every core (the results do not depend on it).
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// A line with a range, precomputed.
#[derive(Debug, Clone)]
struct LineItem {
    source: usize,
    low: Decimal,
    high: Decimal,
    shape: Shape,
    option: usize,
    cost: bool,
    /// Present value of the line as entered.
    pv: Decimal,
    /// Its contribution to partners' net revenue effect over the period,
    /// when it belongs to the preferred option (+) or the baseline (−).
    partners: PartnerPart,
    /// Its contribution to each gap year (already signed: the gap after the
    /// case moves by (m − 1) × this).
    gap: Vec<Decimal>,
}

#[derive(Debug, Clone)]
enum PartnerPart {
    None,
    /// Shared by a key (its slot in `Model::keys`): the whole line's
    /// contribution under each financing method (Revenue, Reserves, Grant,
    /// Borrowing).
    Shared(usize, [Decimal; 4]),
    /// One partner's alone.
    Own(usize, Decimal),
}

/// A risk, precomputed.
#[derive(Debug, Clone)]
struct RiskItem {
    threshold: u64,
    /// The magnitude's source, when the impact has a range.
    source: Option<usize>,
    low: Decimal,
    high: Decimal,
    impact: Decimal,
    shape: Shape,
    option: usize,
    df: Decimal,
    /// Signed nominal factor (general index × ±1) when the risk belongs to
    /// the preferred option or the baseline; zero otherwise.
    nominal: Decimal,
    /// Index into the gap years of the risk's year, if it is one.
    gap_year: Option<usize>,
    /// Who bears it: one partner, or a key's slot in `Model::keys`.
    bearer: Bearer,
}

/// Who bears a drawn risk in the partners' figures.
#[derive(Debug, Clone, Copy)]
enum Bearer {
    Own(usize),
    Shared(usize),
}

/// Everything fixed across iterations.
#[derive(Debug, Clone)]
struct Model {
    sources: usize,
    lines: Vec<LineItem>,
    risks: Vec<RiskItem>,
    options: usize,
    baseline: usize,
    preferred: usize,
    pv_costs: Vec<Decimal>,
    pv_benefits: Vec<Decimal>,
    /// Partners' deterministic net revenue effect (empty: no partner figures).
    partner_base: Vec<Decimal>,
    /// Each key's shares by partner: slot 0 the case's key, then the keys
    /// lines and risks name in their `Key` column.
    keys: Vec<Vec<Decimal>>,
    methods: Vec<usize>,
    gap_base: Vec<Decimal>,
}

impl Model {
    /// Figures per iteration: 3 per option, then partners, then gap years.
    fn figures(&self) -> usize {
        3 * self.options + self.partner_base.len() + self.gap_base.len()
    }
}

fn method_index(m: crate::model::Financing) -> usize {
    use crate::model::Financing as F;
    match m {
        F::Revenue => 0,
        F::Reserves => 1,
        F::Grant => 2,
        F::Borrowing => 3,
    }
}

/// Runs the analysis.
///
/// `progress` is called after each block of [`BLOCK`] iterations with the
/// iterations done and the most the run will make.
///
/// # Errors
/// When a drawn figure leaves exact decimals.
pub fn analyse(
    case: &Case,
    results: &super::Results,
    run: &Run,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<RiskAnalysis, ComputeError> {
    let model = model(case, results)?;
    let settings = &run.settings;
    let mut percentiles: Vec<u32> = settings
        .percentiles
        .iter()
        .copied()
        .chain(ALWAYS)
        .filter(|q| (1..=99).contains(q))
        .collect();
    percentiles.sort_unstable();
    percentiles.dedup();
    let (target, auto) = match settings.iterations {
        Iterations::Fixed(n) => (n.clamp(1, MAX_ITERATIONS), false),
        Iterations::Auto => (MAX_ITERATIONS, true),
    };
    let f = model.figures();
    if model.options == 0 {
        // Ingest never makes a case without options; answer rather than panic.
        return Ok(RiskAnalysis {
            iterations: 0,
            seed: settings.seed,
            percentiles,
            auto,
            preferred: OptionId::new(0),
            baseline: OptionId::new(0),
            options: Vec::new(),
            partners: None,
            gap_after_case: Vec::new(),
            histogram: histogram(OptionId::new(0), &[])?,
            items: Vec::new(),
            kept: Vec::new(),
        });
    }
    let mut samples: Vec<Vec<Decimal>> = (0..f)
        .map(|_| {
            Vec::with_capacity(if auto {
                BLOCK as usize
            } else {
                target as usize
            })
        })
        .collect();
    let mut positive = vec![0_u64; model.options];
    let mut beats = vec![0_u64; model.options];
    let mut kept = Vec::new();
    let mut done = 0_u32;
    while done < target {
        let end = done.saturating_add(BLOCK).min(target);
        let block = run_block(&model, settings.seed, done, end, run.threads.max(1))?;
        for (i, row) in block.rows.chunks(f).enumerate() {
            for (s, v) in samples.iter_mut().zip(row) {
                s.push(*v);
            }
            if kept.len() < KEPT
                && let Some(k) = block.kept.get(i)
            {
                kept.push(k.clone());
            }
        }
        for o in 0..model.options {
            positive[o] += block.positive[o];
            beats[o] += block.beats[o];
        }
        done = end;
        progress(done, target);
        if auto && precise_enough(&model, &samples) {
            break;
        }
    }
    let n = Decimal::from(done);
    let share = |count: u64| -> Result<Decimal, ComputeError> {
        arith::div(Decimal::from(count), n, "probability")
    };
    let mut options = Vec::with_capacity(model.options);
    for o in 0..model.options {
        let mut sorted = |k: usize| -> Result<(Summary, Vec<Decimal>), ComputeError> {
            let s = &mut samples[3 * o + k];
            let mean_se = mean_and_error(s)?;
            s.sort();
            Ok((summary(s, mean_se, &percentiles), curve(s)))
        };
        let (pv_costs, _) = sorted(0)?;
        let (pv_benefits, _) = sorted(1)?;
        let (npsv, curve) = sorted(2)?;
        options.push(OptionRisk {
            option: OptionId::new(o),
            pv_costs,
            pv_benefits,
            npsv,
            prob_npsv_positive: share(positive[o])?,
            prob_beats_preferred: if model.preferred == model.baseline {
                None
            } else {
                Some(share(beats[o])?)
            },
            curve,
        });
    }
    let mut partners = Vec::with_capacity(model.partner_base.len());
    for (k, base) in model.partner_base.iter().enumerate() {
        let s = &mut samples[3 * model.options + k];
        let mean_se = mean_and_error(s)?;
        s.sort();
        let net_after_risk = summary(s, mean_se, &percentiles);
        partners.push(PartnerRisk {
            partner: PartnerId::new(k),
            deterministic: *base,
            allowance_p50: arith::sub(*base, net_after_risk.p(50), "risk allowance")?,
            allowance_p80: arith::sub(*base, net_after_risk.p(20), "risk allowance")?,
            net_after_risk,
        });
    }
    let gap_years = results
        .gap_after_case
        .as_ref()
        .filter(|_| !model.gap_base.is_empty())
        .map(|g| g.years.clone())
        .unwrap_or_default();
    let mut gap_after_case = Vec::with_capacity(gap_years.len());
    for (y, year) in gap_years.iter().enumerate() {
        let s = &mut samples[3 * model.options + model.partner_base.len() + y];
        let mean_se = mean_and_error(s)?;
        s.sort();
        gap_after_case.push(GapYearRisk {
            year: *year,
            gap: summary(s, mean_se, &percentiles),
        });
    }
    let shown = if model.preferred == model.baseline {
        (0..model.options)
            .find(|o| *o != model.baseline)
            .unwrap_or(model.baseline)
    } else {
        model.preferred
    };
    let histogram = histogram(
        OptionId::new(shown),
        samples.get(3 * shown + 2).map_or(&[][..], Vec::as_slice),
    )?;
    Ok(RiskAnalysis {
        iterations: done,
        seed: settings.seed,
        percentiles,
        auto,
        preferred: OptionId::new(model.preferred),
        baseline: OptionId::new(model.baseline),
        options,
        partners: (model.preferred != model.baseline && !model.partner_base.is_empty())
            .then_some(partners),
        gap_after_case,
        histogram,
        items: items(case),
        kept,
    })
}

/// The drawn items in `Kept::draws` order: lines with a range (Costs, then
/// Benefits), then every risk.
fn items(case: &Case) -> Vec<Item> {
    let mut out = Vec::new();
    for l in case.costs.iter().filter(|l| ranged_line(&l.uncertainty)) {
        out.push(Item {
            sheet: "Costs",
            row: l.row,
            name: l.line.clone(),
            option: l.option,
        });
    }
    for l in case.benefits.iter().filter(|l| ranged_line(&l.uncertainty)) {
        out.push(Item {
            sheet: "Benefits",
            row: l.row,
            name: l.line.clone(),
            option: l.option,
        });
    }
    for r in &case.risks {
        out.push(Item {
            sheet: "Risks",
            row: r.row,
            name: r.id.clone(),
            option: r.option,
        });
    }
    out
}

fn ranged_line(u: &Uncertainty) -> bool {
    u.low < Decimal::ZERO || u.high > Decimal::ZERO
}

/// The precomputed model of the case.
fn model(case: &Case, results: &super::Results) -> Result<Model, ComputeError> {
    let options = case.options.len();
    let baseline = case.baseline.index().min(options.saturating_sub(1));
    let preferred = results.preferred.index().min(options.saturating_sub(1));
    let df = &results.discount_factors;
    let periods = case.periods();
    let indices = Indices::new(case, &periods)?;
    let sign = |o: usize| -> Decimal {
        if preferred == baseline {
            Decimal::ZERO
        } else if o == preferred {
            Decimal::ONE
        } else if o == baseline {
            Decimal::NEGATIVE_ONE
        } else {
            Decimal::ZERO
        }
    };
    let gap = results
        .gap_after_case
        .as_ref()
        .filter(|_| preferred != baseline);
    // (gap year index, appraisal year index) of each gap year.
    let gap_years: Vec<usize> = gap.map_or_else(Vec::new, |g| {
        g.years
            .iter()
            .filter_map(|y| case.years.iter().position(|a| a == y))
            .collect()
    });
    let finance = results
        .financial_case
        .as_ref()
        .filter(|_| preferred != baseline);
    let partner_base: Vec<Decimal> = match finance {
        Some(f) => f
            .partners
            .iter()
            .map(|p| arith::sum(p.net_revenue_effect.iter().copied(), "net revenue effect"))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let methods: Vec<usize> = case
        .partners
        .ids()
        .map(|p| method_index(case.financing.of(p)))
        .collect();
    // Slot 0: the case's key; then each key a line or risk names.
    let mut keys = vec![results.apportionment.shares.clone()];
    let mut key_columns = vec![case.assumptions.apportionment_key.value];
    for k in &results.apportionment.line_keys {
        if let Some(c) = case.partners.key_columns.iter().position(|h| *h == k.key) {
            key_columns.push(c);
            keys.push(k.shares.clone());
        }
    }
    let slot = |key: Option<usize>| -> usize {
        key.and_then(|c| key_columns.iter().position(|k| *k == c))
            .unwrap_or(0)
    };
    // Σ of the key's shares over the partners using each financing method.
    let weights = |slot: usize| -> [Decimal; 4] {
        let mut w = [Decimal::ZERO; 4];
        for (k, share) in keys.get(slot).into_iter().flatten().enumerate() {
            let m = methods.get(k).copied().unwrap_or(0);
            w[m] += *share;
        }
        w
    };

    // Magnitude sources: one per group (in order of first appearance, by
    // the common name rule), one per ungrouped item with a range.
    let mut groups: Vec<(String, usize)> = Vec::new();
    let mut sources = 0_usize;
    let mut source_of = |u: &Uncertainty| -> usize {
        let key = u.group.as_deref().map(names::key);
        if let Some(key) = &key
            && let Some((_, i)) = groups.iter().find(|(k, _)| k == key)
        {
            return *i;
        }
        let i = sources;
        sources += 1;
        if let Some(key) = key {
            groups.push((key, i));
        }
        i
    };

    let mut lines = Vec::new();
    let line_values =
        |values: &[Decimal], inflation: Inflation| -> Result<Vec<Decimal>, ComputeError> {
            let index: &[Decimal] = match inflation {
                Inflation::General => &indices.general,
                Inflation::Pay => &indices.pay,
                Inflation::None => &[],
            };
            values
                .iter()
                .enumerate()
                .map(|(t, v)| match index.get(t) {
                    Some(i) => arith::mul(*v, *i, "nominal amounts"),
                    None => Ok(*v),
                })
                .collect()
        };
    let rate = case.financing.borrowing_rate;
    for l in &case.costs {
        if !ranged_line(&l.uncertainty) {
            continue;
        }
        let o = l.option.index();
        let pv = arith::dot(&l.values, df, "present value of a line")?;
        let s = sign(o);
        let nominal = line_values(&l.values, l.inflation)?;
        // Each financing method's charge on the revenue budget, each
        // appraisal year: a revenue line is charged as it is spent.
        let life = case.asset_life(l.option);
        let mut charges: [Vec<Decimal>; 4] = Default::default();
        for (m, method) in [
            crate::model::Financing::Revenue,
            crate::model::Financing::Reserves,
            crate::model::Financing::Grant,
            crate::model::Financing::Borrowing,
        ]
        .into_iter()
        .enumerate()
        {
            charges[m] = match l.kind {
                CostKind::Revenue => nominal.clone(),
                CostKind::Capital if s.is_zero() => vec![Decimal::ZERO; nominal.len()],
                CostKind::Capital => financing::finance(&nominal, method, rate, life)?.charge,
            };
        }
        let mut by_method = [Decimal::ZERO; 4];
        for (m, charge) in charges.iter().enumerate() {
            let total = arith::sum(charge.iter().copied(), "capital financing charge")?;
            by_method[m] = arith::mul(-total, s, "net revenue effect")?;
        }
        // What the line's charges weigh in each method: the key's shares of
        // the partners using it, or all of one partner's.
        let weight = match l.partner {
            None => weights(slot(l.key)),
            Some(p) => {
                let mut w = [Decimal::ZERO; 4];
                w[methods.get(p.index()).copied().unwrap_or(0)] = Decimal::ONE;
                w
            }
        };
        let partners = if s.is_zero() {
            PartnerPart::None
        } else {
            match l.partner {
                None => PartnerPart::Shared(slot(l.key), by_method),
                Some(p) => {
                    let k = p.index();
                    PartnerPart::Own(k, by_method[methods.get(k).copied().unwrap_or(0)])
                }
            }
        };
        // The gap after the case is the risk-adjusted gap less the net
        // revenue effect: a cost raises it by its charge that year.
        let mut gap = Vec::with_capacity(gap_years.len());
        for a in &gap_years {
            let mut g = Decimal::ZERO;
            for (m, charge) in charges.iter().enumerate() {
                if !weight[m].is_zero() {
                    let c = charge.get(*a).copied().unwrap_or_default();
                    g = arith::add(
                        g,
                        arith::mul(weight[m], c, "gap after case")?,
                        "gap after case",
                    )?;
                }
            }
            gap.push(arith::mul(g, s, "gap after case")?);
        }
        lines.push(LineItem {
            source: source_of(&l.uncertainty),
            low: l.uncertainty.low,
            high: l.uncertainty.high,
            shape: line_shape(&l.uncertainty),
            option: o,
            cost: true,
            pv,
            partners,
            gap,
        });
    }
    for l in &case.benefits {
        if !ranged_line(&l.uncertainty) {
            continue;
        }
        let o = l.option.index();
        let pv = arith::dot(&l.values, df, "present value of a line")?;
        let s = sign(o);
        let cashable = l.kind == crate::model::BenefitKind::Cashable;
        let nominal = line_values(&l.values, l.inflation)?;
        let total = if cashable {
            arith::sum(nominal.iter().copied(), "nominal amounts")?
        } else {
            Decimal::ZERO
        };
        let v = arith::mul(total, s, "net revenue effect")?;
        let partners = if s.is_zero() || !cashable {
            PartnerPart::None
        } else {
            match l.partner {
                None => PartnerPart::Shared(slot(l.key), [v; 4]),
                Some(p) => PartnerPart::Own(p.index(), v),
            }
        };
        let gap = gap_years
            .iter()
            .map(|a| {
                if cashable {
                    arith::mul(
                        -nominal.get(*a).copied().unwrap_or_default(),
                        s,
                        "gap after case",
                    )
                } else {
                    Ok(Decimal::ZERO)
                }
            })
            .collect::<Result<_, _>>()?;
        lines.push(LineItem {
            source: source_of(&l.uncertainty),
            low: l.uncertainty.low,
            high: l.uncertainty.high,
            shape: line_shape(&l.uncertainty),
            option: o,
            cost: false,
            pv,
            partners,
            gap,
        });
    }
    let mut risks = Vec::with_capacity(case.risks.len());
    for r in &case.risks {
        let u = &r.uncertainty;
        let ranged = u.low < u.high;
        let o = r.option.index();
        let g = indices.general.get(r.year).copied().unwrap_or(Decimal::ONE);
        risks.push(RiskItem {
            threshold: sample::threshold(r.probability),
            source: ranged.then(|| source_of(u)),
            low: u.low,
            high: u.high,
            impact: r.impact,
            shape: Shape::new(u.low, r.impact, u.high, u.distribution),
            option: o,
            df: df.get(r.year).copied().unwrap_or_default(),
            nominal: arith::mul(g, sign(o), "contingency")?,
            gap_year: gap_years.iter().position(|a| *a == r.year),
            bearer: match r.partner {
                Some(p) => Bearer::Own(p.index()),
                None => Bearer::Shared(slot(r.key)),
            },
        });
    }
    let gap_base = match gap {
        Some(g) => g.region.clone(),
        None => Vec::new(),
    };
    let pv_costs = results
        .options
        .iter()
        .map(|o| o.pv_costs_unadjusted)
        .collect();
    let pv_benefits = results.options.iter().map(|o| o.pv_benefits).collect();
    Ok(Model {
        sources,
        lines,
        risks,
        options,
        baseline,
        preferred,
        pv_costs,
        pv_benefits,
        partner_base,
        keys,
        methods,
        gap_base: if gap_years.is_empty() {
            Vec::new()
        } else {
            gap_base
        },
    })
}

/// A line's shape: over [1 + low, 1 + high], most likely 1.
fn line_shape(u: &Uncertainty) -> Shape {
    Shape::new(u.low, Decimal::ZERO, u.high, u.distribution)
}

/// One block's iterations, row-major (figures of iteration 0, then 1, …).
#[derive(Debug, Default)]
struct Block {
    rows: Vec<Decimal>,
    positive: Vec<u64>,
    beats: Vec<u64>,
    kept: Vec<Kept>,
}

/// Iterations [start, end) on `threads` threads, each a contiguous part;
/// the parts are joined in order, so the block is the same whatever the
/// number of threads.
fn run_block(
    model: &Model,
    seed: u64,
    start: u32,
    end: u32,
    threads: usize,
) -> Result<Block, ComputeError> {
    let len = (end - start) as usize;
    let threads = threads.min(len.max(1));
    let per = len.div_ceil(threads);
    let parts: Vec<Result<Block, ComputeError>> = if threads == 1 {
        vec![iterate(model, seed, start, end)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let a = start + u32::try_from(t * per).unwrap_or(u32::MAX).min(end - start);
                    let b = start
                        + u32::try_from((t + 1) * per)
                            .unwrap_or(u32::MAX)
                            .min(end - start);
                    scope.spawn(move || iterate(model, seed, a, b))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(ComputeError::overflow("risk analysis")))
                })
                .collect()
        })
    };
    let mut out = Block {
        rows: Vec::with_capacity(len * model.figures()),
        positive: vec![0; model.options],
        beats: vec![0; model.options],
        kept: Vec::new(),
    };
    for part in parts {
        let part = part?;
        out.rows.extend(part.rows);
        for o in 0..model.options {
            out.positive[o] += part.positive[o];
            out.beats[o] += part.beats[o];
        }
        out.kept.extend(part.kept);
    }
    Ok(out)
}

/// Iterations [a, b) on this thread.
#[allow(
    clippy::many_single_char_names,
    reason = "the method's symbols: a, b the iterations, d = m − 1, x the position, f the figures"
)]
fn iterate(model: &Model, seed: u64, a: u32, b: u32) -> Result<Block, ComputeError> {
    let f = model.figures();
    let mut out = Block {
        rows: Vec::with_capacity((b - a) as usize * f),
        positive: vec![0; model.options],
        beats: vec![0; model.options],
        kept: Vec::new(),
    };
    let mut draws = vec![0_u64; model.sources];
    let mut costs = vec![Decimal::ZERO; model.options];
    let mut benefits = vec![Decimal::ZERO; model.options];
    let mut own = vec![Decimal::ZERO; model.partner_base.len()];
    let mut gap = vec![Decimal::ZERO; model.gap_base.len()];
    for i in a..b {
        let keep = (i as usize) < KEPT;
        let mut stream = Stream::new(seed, u64::from(i));
        for d in &mut draws {
            *d = stream.draw();
        }
        costs.copy_from_slice(&model.pv_costs);
        benefits.copy_from_slice(&model.pv_benefits);
        own.copy_from_slice(&model.partner_base);
        gap.copy_from_slice(&model.gap_base);
        let mut shared = vec![[Decimal::ZERO; 4]; model.keys.len()];
        let mut risk_shared = vec![Decimal::ZERO; model.keys.len()];
        let mut risk_own = vec![Decimal::ZERO; model.partner_base.len()];
        let mut kept_draws = Vec::new();
        for l in &model.lines {
            let x = l.shape.position(draws[l.source]);
            // m − 1 = low + x × (high − low).
            let d = arith::add(
                l.low,
                arith::mul(x, arith::sub(l.high, l.low, "range")?, "range")?,
                "range",
            )?;
            if keep {
                kept_draws.push(Decimal::ONE + d);
            }
            let target = if l.cost { &mut costs } else { &mut benefits };
            target[l.option] = arith::add(
                target[l.option],
                arith::mul(d, l.pv, "drawn present value")?,
                "drawn present value",
            )?;
            match &l.partners {
                PartnerPart::None => {}
                PartnerPart::Shared(slot, v) => {
                    let Some(shared) = shared.get_mut(*slot) else {
                        continue;
                    };
                    for (s, v) in shared.iter_mut().zip(v) {
                        *s =
                            arith::add(*s, arith::mul(d, *v, "net after risk")?, "net after risk")?;
                    }
                }
                PartnerPart::Own(k, v) => {
                    if let Some(o) = own.get_mut(*k) {
                        *o =
                            arith::add(*o, arith::mul(d, *v, "net after risk")?, "net after risk")?;
                    }
                }
            }
            for (g, c) in gap.iter_mut().zip(&l.gap) {
                *g = arith::add(*g, arith::mul(d, *c, "gap after case")?, "gap after case")?;
            }
        }
        for r in &model.risks {
            let occurs = stream.draw() < r.threshold;
            let impact = match r.source {
                Some(s) => {
                    let x = r.shape.position(draws[s]);
                    arith::add(
                        r.low,
                        arith::mul(x, arith::sub(r.high, r.low, "impact")?, "impact")?,
                        "impact",
                    )?
                }
                None => r.impact,
            };
            let cost = if occurs { impact } else { Decimal::ZERO };
            if keep {
                kept_draws.push(cost);
            }
            if !occurs || cost.is_zero() {
                continue;
            }
            costs[r.option] = arith::add(
                costs[r.option],
                arith::mul(cost, r.df, "drawn risks")?,
                "drawn risks",
            )?;
            if !r.nominal.is_zero() {
                let n = arith::mul(cost, r.nominal, "drawn risks")?;
                let slot = match r.bearer {
                    Bearer::Own(k) => risk_own.get_mut(k),
                    Bearer::Shared(k) => risk_shared.get_mut(k),
                };
                if let Some(slot) = slot {
                    *slot = arith::add(*slot, n, "drawn risks")?;
                }
                if let Some(y) = r.gap_year
                    && let Some(g) = gap.get_mut(y)
                {
                    *g = arith::add(*g, n, "gap after case")?;
                }
            }
        }
        let start = out.rows.len();
        for o in 0..model.options {
            let npsv = if o == model.baseline {
                Decimal::ZERO
            } else {
                arith::sub(
                    arith::sub(benefits[o], benefits[model.baseline], "npsv")?,
                    arith::sub(costs[o], costs[model.baseline], "npsv")?,
                    "npsv",
                )?
            };
            out.rows.extend([costs[o], benefits[o], npsv]);
        }
        for (k, base) in own.iter().enumerate() {
            let method = model.methods.get(k).copied().unwrap_or(0);
            let mut v = arith::sub(
                *base,
                risk_own.get(k).copied().unwrap_or_default(),
                "net after risk",
            )?;
            for ((key, lines), risks) in model.keys.iter().zip(&shared).zip(&risk_shared) {
                let share = key.get(k).copied().unwrap_or_default();
                if share.is_zero() {
                    continue;
                }
                v = arith::add(
                    v,
                    arith::mul(share, lines[method], "net after risk")?,
                    "net after risk",
                )?;
                v = arith::sub(
                    v,
                    arith::mul(share, *risks, "net after risk")?,
                    "net after risk",
                )?;
            }
            out.rows.push(v);
        }
        out.rows.extend_from_slice(&gap);
        let row = &out.rows[start..];
        // A case without options has no figures (ingest never makes one).
        let pref = row
            .get(3 * model.preferred + 2)
            .copied()
            .unwrap_or_default();
        let mut npsvs = Vec::new();
        for o in 0..model.options {
            let npsv = row[3 * o + 2];
            if npsv > Decimal::ZERO {
                out.positive[o] += 1;
            }
            if npsv > pref {
                out.beats[o] += 1;
            }
            if keep {
                npsvs.push(npsv);
            }
        }
        if keep {
            out.kept.push(Kept {
                draws: kept_draws,
                npsv: npsvs,
            });
        }
    }
    Ok(out)
}

/// Mean and standard error of `s` (in iteration order, so the sums run in
/// a fixed order). The variance is taken of deviations scaled by the
/// largest, so squares of large amounts cannot overflow.
fn mean_and_error(s: &[Decimal]) -> Result<(Decimal, Decimal), ComputeError> {
    let n = Decimal::from(s.len().max(1));
    let total = arith::sum(s.iter().copied(), "mean of the iterations")?;
    let mean = arith::div(total, n, "mean of the iterations")?;
    let mut scale = Decimal::ZERO;
    for x in s {
        scale = scale.max(arith::sub(*x, mean, "standard error")?.abs());
    }
    if scale.is_zero() || s.len() < 2 {
        return Ok((mean, Decimal::ZERO));
    }
    let mut squares = Decimal::ZERO;
    for x in s {
        let z = arith::div(
            arith::sub(*x, mean, "standard error")?,
            scale,
            "standard error",
        )?;
        squares = arith::add(
            squares,
            arith::mul(z, z, "standard error")?,
            "standard error",
        )?;
    }
    // se = scale × √(Σz² / (N − 1) / N)
    let var = arith::div(
        arith::div(squares, n - Decimal::ONE, "standard error")?,
        n,
        "standard error",
    )?;
    let root = rust_decimal::MathematicalOps::sqrt(&var).unwrap_or_default();
    Ok((mean, arith::mul(scale, root, "standard error")?))
}

/// The 1-based rank of percentile `q` in a sample of `n`: ⌈qN⌉, at least 1.
pub fn rank(q: u32, n: usize) -> usize {
    let n64 = n as u64;
    usize::try_from((u64::from(q) * n64).div_ceil(100))
        .unwrap_or(n)
        .clamp(1, n.max(1))
}

/// The 1-based ranks bounding the 95% confidence interval of percentile
/// `q`: ⌊Nq − 1.96√(Nq(1−q))⌋ and ⌈Nq + 1.96√(Nq(1−q))⌉, within [1, N].
pub fn ci_ranks(q: u32, n: usize) -> (usize, usize) {
    let nd = Decimal::from(n);
    let qd = Decimal::from(q) / Decimal::ONE_HUNDRED;
    let nq = nd * qd;
    let spread = rust_decimal::MathematicalOps::sqrt(&(nq * (Decimal::ONE - qd)))
        .unwrap_or_default()
        * Decimal::new(196, 2);
    let to_rank = |d: Decimal| -> usize {
        if d < Decimal::ONE {
            1
        } else {
            usize::try_from(d.mantissa() / 10_i128.pow(d.scale()))
                .unwrap_or(n)
                .clamp(1, n.max(1))
        }
    };
    (
        to_rank((nq - spread).floor()),
        to_rank((nq + spread).ceil()),
    )
}

/// The summary of a sorted sample.
fn summary(
    sorted: &[Decimal],
    (mean, std_error): (Decimal, Decimal),
    percentiles: &[u32],
) -> Summary {
    let n = sorted.len();
    let at = |r: usize| sorted.get(r.saturating_sub(1)).copied().unwrap_or_default();
    Summary {
        mean,
        std_error,
        percentiles: percentiles
            .iter()
            .map(|q| {
                let (lo, hi) = ci_ranks(*q, n);
                Percentile {
                    q: *q,
                    value: at(rank(*q, n)),
                    ci95: (at(lo), at(hi)),
                }
            })
            .collect(),
    }
}

/// The S-curve of a sorted sample: min, p1 … p99, max.
fn curve(sorted: &[Decimal]) -> Vec<Decimal> {
    let n = sorted.len();
    let at = |r: usize| sorted.get(r.saturating_sub(1)).copied().unwrap_or_default();
    (0..=100)
        .map(|q| match q {
            0 => at(1),
            100 => at(n),
            q => at(rank(q, n)),
        })
        .collect()
}

/// [`BINS`] equal bins between the minimum and the maximum of `s`.
fn histogram(option: OptionId, s: &[Decimal]) -> Result<Histogram, ComputeError> {
    let min = s.iter().copied().min().unwrap_or_default();
    let max = s.iter().copied().max().unwrap_or_default();
    let bins = Decimal::from(BINS);
    let width = arith::div(arith::sub(max, min, "histogram")?, bins, "histogram")?;
    let mut counts = vec![0_u32; BINS];
    for x in s {
        let i = if width.is_zero() {
            0
        } else {
            let pos = arith::div(arith::sub(*x, min, "histogram")?, width, "histogram")?.floor();
            usize::try_from(pos.mantissa() / 10_i128.pow(pos.scale())).unwrap_or(BINS - 1)
        };
        counts[i.min(BINS - 1)] += 1;
    }
    let mut lower = Vec::with_capacity(BINS);
    for i in 0..BINS {
        lower.push(arith::add(
            min,
            arith::mul(width, Decimal::from(i), "histogram")?,
            "histogram",
        )?);
    }
    Ok(Histogram {
        option,
        lower,
        width,
        counts,
    })
}

/// "auto"'s rule: every non-baseline option's P80 PV costs has a 95%
/// confidence interval narrower than [`AUTO_PRECISION`] of the figure.
fn precise_enough(model: &Model, samples: &[Vec<Decimal>]) -> bool {
    (0..model.options)
        .filter(|o| *o != model.baseline)
        .all(|o| {
            let mut s = samples[3 * o].clone();
            let n = s.len();
            let (lo, hi) = ci_ranks(80, n);
            let p80 = rank(80, n);
            s.sort();
            let at = |r: usize| s.get(r.saturating_sub(1)).copied().unwrap_or_default();
            let width = at(hi) - at(lo);
            width < at(p80).abs() * AUTO_PRECISION
        })
}

#[cfg(test)]
mod tests;
