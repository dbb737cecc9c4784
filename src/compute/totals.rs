//! Each option's lines added up by year: the one pass over the Costs and
//! Benefits sheets that every later table reads from.
//!
//! Amounts are kept as entered (real prices of the base year) and in nominal
//! prices, where nominal_t = real_t × (1 + i)^t line by line, i being the
//! line's inflation index: general inflation unless a cost line's
//! `Inflation` column says `Pay` or `None`. Benefits use general inflation.
//! Lines are also added up per partner (lines naming a partner) and for the
//! shared lines, which apportionment splits by the key.

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

    /// capital + revenue for each year.
    pub(crate) fn costs(&self) -> Result<Vec<Decimal>, ComputeError> {
        self.capital
            .iter()
            .zip(&self.revenue)
            .map(|(c, r)| arith::add(*c, *r, "costs"))
            .collect()
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
    /// Expected cost of risks (probability × impact) in each year, real prices.
    pub(crate) risk: Vec<Decimal>,
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

    fn of(&self, inflation: Inflation, year: usize) -> Decimal {
        let v = match inflation {
            Inflation::General => self.general.get(year),
            Inflation::Pay => self.pay.get(year),
            Inflation::None => None,
        };
        v.copied().unwrap_or(Decimal::ONE)
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
#[derive(Clone, Copy)]
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

    fn what(self) -> &'static str {
        match self {
            Column::Capital => "capital costs",
            Column::Revenue => "revenue costs",
            Column::Cashable => "cashable benefits",
            Column::NonCashable => "non-cashable benefits",
        }
    }
}

fn add_line(
    bucket: &mut Bucket,
    column: Column,
    values: &[Decimal],
    nominal: &[Decimal],
) -> Result<(), ComputeError> {
    arith::add_into(column.of(&mut bucket.real), values, column.what())?;
    arith::add_into(column.of(&mut bucket.nominal), nominal, column.what())
}

/// Adds up every option's lines and risks.
///
/// # Errors
/// When a sum overflows; the error names the option and the line.
pub(crate) fn totals(case: &Case, indices: &Indices) -> Result<Vec<OptionTotals>, ComputeError> {
    let n = case.years.len();
    let partners = case.partners.len();
    let mut out: Vec<OptionTotals> = (0..case.options.len())
        .map(|_| OptionTotals {
            all: Bucket::zeros(n),
            shared: Bucket::zeros(n),
            partner: vec![None; partners],
            risk: vec![Decimal::ZERO; n],
        })
        .collect();
    let mut nominal = vec![Decimal::ZERO; n];
    let lines = case
        .costs
        .iter()
        .map(|l| {
            let column = match l.kind {
                CostKind::Capital => Column::Capital,
                CostKind::Revenue => Column::Revenue,
            };
            (l.option, l.partner, l.inflation, column, &l.values, &l.line)
        })
        .chain(case.benefits.iter().map(|l| {
            let column = match l.kind {
                BenefitKind::Cashable => Column::Cashable,
                BenefitKind::NonCashable => Column::NonCashable,
            };
            (
                l.option,
                l.partner,
                Inflation::General,
                column,
                &l.values,
                &l.line,
            )
        }));
    for (option, partner, inflation, column, values, name) in lines {
        let Some(totals) = out.get_mut(option) else {
            continue;
        };
        let values = &values[..values.len().min(n)];
        for (t, (v, slot)) in values.iter().zip(nominal.iter_mut()).enumerate() {
            *slot = arith::mul(*v, indices.of(inflation, t), "nominal amounts")
                .map_err(|e| e.within(format!("line {name:?}")))?;
        }
        let nominal = &nominal[..values.len()];
        let context = || format!("line {name:?}");
        add_line(&mut totals.all, column, values, nominal).map_err(|e| e.within(context()))?;
        let group = match partner.and_then(|p| totals.partner.get_mut(p)) {
            Some(slot) => slot.get_or_insert_with(|| Bucket::zeros(n)),
            None => &mut totals.shared,
        };
        add_line(group, column, values, nominal).map_err(|e| e.within(context()))?;
    }
    for risk in &case.risks {
        let Some(totals) = out.get_mut(risk.option) else {
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
