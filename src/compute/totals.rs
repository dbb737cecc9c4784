//! Each option's lines added up by year: the one pass over the Costs and
//! Benefits sheets that every later table reads from.
//!
//! Amounts are kept as entered (real prices of the base year) and in nominal
//! prices, where nominal_t = real_t × (1 + i)^t line by line, i being the
//! line's inflation index: general inflation unless a cost line's
//! `Inflation` column (Costs and Benefits) says `Pay` or `None`.
//! Lines are also added up per partner (lines naming a partner) and for the
//! shared lines, which apportionment splits by the key; shared lines with a
//! `Key` of their own are added up by that key as well.

use rust_decimal::Decimal;

use super::ComputeError;
use super::arith;
use crate::model::{BenefitKind, Case, CostKind, Inflation};

/// Yearly sums of one group of lines, aligned with `Case::years`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Amounts {
    pub(crate) capital: Vec<Decimal>,
    pub(crate) revenue: Vec<Decimal>,
    pub(crate) cashable: Vec<Decimal>,
    pub(crate) non_cashable: Vec<Decimal>,
}

impl Amounts {
    fn zeros(n: usize) -> Self {
        Self {
            capital: vec![Decimal::ZERO; n],
            revenue: vec![Decimal::ZERO; n],
            cashable: vec![Decimal::ZERO; n],
            non_cashable: vec![Decimal::ZERO; n],
        }
    }
}

/// A group of lines in real and nominal prices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bucket {
    pub(crate) real: Amounts,
    pub(crate) nominal: Amounts,
}

impl Bucket {
    fn zeros(n: usize) -> Self {
        Self {
            real: Amounts::zeros(n),
            nominal: Amounts::zeros(n),
        }
    }
}

/// One option's lines added up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OptionTotals {
    /// Every line of the option.
    pub(crate) all: Bucket,
    /// Lines shared between partners by the key.
    pub(crate) shared: Bucket,
    /// Lines naming each partner; `None` where the option has none for that partner.
    pub(crate) partner: Vec<Option<Bucket>>,
    /// Shared lines whose `Key` is a column other than the case's key, by
    /// that column (ascending); a subset of `shared`.
    pub(crate) keyed: Vec<(usize, Bucket)>,
    /// Expected cost of risks (probability × impact) in each year, real prices.
    pub(crate) risk: Vec<Decimal>,
    /// Every line of the option in real prices, kept apart by inflation
    /// index (General, Pay, None); `None` where no line uses that index.
    pub(crate) by_index: [Option<Amounts>; 3],
}

/// Inflation indices (1 + i)^t for each appraisal year.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Indices {
    pub(crate) general: Vec<Decimal>,
    pub(crate) pay: Vec<Decimal>,
}

impl Indices {
    /// (1 + rate)^t for each period, by repeated checked multiplication.
    ///
    /// # Errors
    /// When an index overflows (a large rate over a long period).
    pub(crate) fn new(case: &Case, periods: &[u32]) -> Result<Self, ComputeError> {
        Ok(Self {
            general: powers(case.assumptions.general_inflation.value, periods)
                .map_err(|e| e.within("general inflation index"))?,
            pay: powers(case.assumptions.pay_inflation.value, periods)
                .map_err(|e| e.within("pay inflation index"))?,
        })
    }
}

fn powers(rate: Decimal, periods: &[u32]) -> Result<Vec<Decimal>, ComputeError> {
    let growth = arith::add(Decimal::ONE, rate, "inflation rate")?;
    let max = periods.iter().copied().max().unwrap_or(0);
    let mut table = Vec::with_capacity(usize::try_from(max).unwrap_or(0).min(1 << 16) + 1);
    let mut v = Decimal::ONE;
    table.push(v);
    for _ in 0..max {
        v = arith::mul(v, growth, "inflation index")?;
        table.push(v);
    }
    Ok(periods
        .iter()
        .map(|&t| {
            usize::try_from(t)
                .ok()
                .and_then(|i| table.get(i))
                .copied()
                .unwrap_or(Decimal::ONE)
        })
        .collect())
}

/// Which column of [`Amounts`] a line adds to.
#[derive(Debug, Clone, Copy)]
enum Column {
    Capital,
    Revenue,
    Cashable,
    NonCashable,
}

impl Column {
    fn of(self, a: &mut Amounts) -> &mut Vec<Decimal> {
        match self {
            Column::Capital => &mut a.capital,
            Column::Revenue => &mut a.revenue,
            Column::Cashable => &mut a.cashable,
            Column::NonCashable => &mut a.non_cashable,
        }
    }

    fn get(self, a: &Amounts) -> &Vec<Decimal> {
        match self {
            Column::Capital => &a.capital,
            Column::Revenue => &a.revenue,
            Column::Cashable => &a.cashable,
            Column::NonCashable => &a.non_cashable,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Column::Capital => "capital costs",
            Column::Revenue => "revenue costs",
            Column::Cashable => "cashable benefits",
            Column::NonCashable => "non-cashable benefits",
        }
    }
}

/// Real amounts of a group of lines, kept apart by inflation index until the
/// group is complete: nominal_t = Σ_k real_k,t × index_k,t is then one
/// multiplication per index and year rather than one per line and year.
/// (Multiplying the sum equals summing the products: the index is the same
/// for every line of a kind.)
#[derive(Debug, Clone)]
struct Acc {
    /// General, Pay, None; `None` until a line of that index arrives.
    by: [Option<Amounts>; 3],
}

impl Acc {
    fn new() -> Self {
        Self {
            by: [None, None, None],
        }
    }

    fn add(
        &mut self,
        inflation: Inflation,
        column: Column,
        values: &[Decimal],
        n: usize,
    ) -> Result<(), ComputeError> {
        let k = match inflation {
            Inflation::General => 0,
            Inflation::Pay => 1,
            Inflation::None => 2,
        };
        let amounts = self.by[k].get_or_insert_with(|| Amounts::zeros(n));
        arith::add_into(column.of(amounts), values, column.what())
    }

    /// The group in real and nominal prices.
    fn finish(&self, indices: &Indices, n: usize) -> Result<Bucket, ComputeError> {
        let mut bucket = Bucket::zeros(n);
        for (k, amounts) in self.by.iter().enumerate() {
            let Some(amounts) = amounts else { continue };
            let index = match k {
                0 => Some(&indices.general),
                1 => Some(&indices.pay),
                _ => None,
            };
            for column in [
                Column::Capital,
                Column::Revenue,
                Column::Cashable,
                Column::NonCashable,
            ] {
                let values = column.get(amounts);
                if values.iter().all(Decimal::is_zero) {
                    continue;
                }
                arith::add_into(column.of(&mut bucket.real), values, column.what())?;
                let nominal = column.of(&mut bucket.nominal);
                for (t, v) in values.iter().enumerate() {
                    let inflated = match index.and_then(|i| i.get(t)) {
                        Some(i) => arith::mul(*v, *i, "nominal amounts")?,
                        None => *v,
                    };
                    nominal[t] = arith::add(nominal[t], inflated, column.what())?;
                }
            }
        }
        Ok(bucket)
    }
}

/// Adds up every option's lines and risks.
///
/// # Errors
/// When a sum overflows; the error names the line or the option.
pub(crate) fn totals(case: &Case, indices: &Indices) -> Result<Vec<OptionTotals>, ComputeError> {
    let n = case.years.len();
    let partners = case.partners.len();
    // Per option: every line, the shared lines, each partner's lines.
    let default_key = case.assumptions.apportionment_key.value;
    let mut accs: Vec<(Acc, Acc, Vec<Option<Acc>>)> = (0..case.options.len())
        .map(|_| (Acc::new(), Acc::new(), vec![None; partners]))
        .collect();
    let mut keyed: Vec<std::collections::BTreeMap<usize, Acc>> =
        vec![std::collections::BTreeMap::new(); case.options.len()];
    let lines = case
        .costs
        .iter()
        .map(|l| {
            let column = match l.kind {
                CostKind::Capital => Column::Capital,
                CostKind::Revenue => Column::Revenue,
            };
            (
                l.option,
                l.partner,
                l.key,
                l.inflation,
                column,
                &l.values,
                ("Costs", l.row, &l.line),
            )
        })
        .chain(case.benefits.iter().map(|l| {
            let column = match l.kind {
                BenefitKind::Cashable => Column::Cashable,
                BenefitKind::NonCashable => Column::NonCashable,
            };
            (
                l.option,
                l.partner,
                l.key,
                l.inflation,
                column,
                &l.values,
                ("Benefits", l.row, &l.line),
            )
        }));
    for (option, partner, key, inflation, column, values, (sheet, row, name)) in lines {
        let context = || format!("{sheet} row {} ({name:?})", row.saturating_add(1));
        let Some((all, shared, own)) = accs.get_mut(option.index()) else {
            continue;
        };
        let values = &values[..values.len().min(n)];
        all.add(inflation, column, values, n)
            .map_err(|e| e.within(context()))?;
        let group = match partner.and_then(|p| own.get_mut(p.index())) {
            Some(slot) => slot.get_or_insert_with(Acc::new),
            None => shared,
        };
        group
            .add(inflation, column, values, n)
            .map_err(|e| e.within(context()))?;
        if let (None, Some(k), Some(by_key)) = (
            partner,
            key.filter(|k| *k != default_key),
            keyed.get_mut(option.index()),
        ) {
            by_key
                .entry(k)
                .or_insert_with(Acc::new)
                .add(inflation, column, values, n)
                .map_err(|e| e.within(context()))?;
        }
    }
    let mut out = Vec::with_capacity(accs.len());
    for (((all, shared, own), option), by_key) in accs.iter().zip(&case.options).zip(&keyed) {
        let context = |e: ComputeError| e.within(format!("option {}", option.id));
        let mut partner = Vec::with_capacity(own.len());
        for acc in own {
            partner.push(match acc {
                Some(a) => Some(a.finish(indices, n).map_err(context)?),
                None => None,
            });
        }
        let mut keyed = Vec::with_capacity(by_key.len());
        for (k, acc) in by_key {
            keyed.push((*k, acc.finish(indices, n).map_err(context)?));
        }
        out.push(OptionTotals {
            all: all.finish(indices, n).map_err(context)?,
            shared: shared.finish(indices, n).map_err(context)?,
            partner,
            keyed,
            risk: vec![Decimal::ZERO; n],
            by_index: all.by.clone(),
        });
    }
    for risk in &case.risks {
        let Some(totals) = out.get_mut(risk.option.index()) else {
            continue;
        };
        if let Some(slot) = totals.risk.get_mut(risk.year) {
            let expected = arith::mul(risk.probability, risk.impact, "expected cost of risk")
                .map_err(|e| e.within(format!("risk {}", risk.id)))?;
            *slot = arith::add(*slot, expected, "expected cost of risks")
                .map_err(|e| e.within(format!("risk {}", risk.id)))?;
        }
    }
    Ok(out)
}
