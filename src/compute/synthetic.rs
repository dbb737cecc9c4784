//! Case values built in code, for tests and benchmarks.
//!
//! Ingest is the only way a user's case is built; these builders make
//! validated [`Case`] values directly so the engine can be tested on
//! hand-worked cases and measured on large synthetic ones without a
//! workbook. Hidden from the documentation: not part of the product.

use rust_decimal::Decimal;
use rust_decimal::dec;

use crate::model::{
    Assumptions, BenefitKind, BenefitLine, Budget, Case, CaseOption, CostKind, CostLine,
    DiscountRate, FiscalYear, Inflation, Meta, Narrative, OptimismBias, OptionId, PartnerId,
    Partners, Risk, Sourced, Sources, Unit,
};

/// Builds a [`Case`] step by step; options and partners are referred to by index.
#[derive(Debug, Clone)]
pub struct CaseBuilder {
    case: Case,
}

impl CaseBuilder {
    /// A case with `years` appraisal years starting at `base` (the base year), in `unit`,
    /// discounted at the Green Book rate, without inflation, partners or options.
    pub fn new(base: FiscalYear, years: u16, unit: Unit) -> Self {
        let meta = Meta {
            programme: "Synthetic programme".into(),
            version: "1.0".into(),
            ..Meta::defaults("Synthetic case")
        };
        let assumptions = Assumptions {
            base_year: Sourced::default_value(base),
            unit: Sourced::default_value(unit),
            discount_rate: Sourced::default_value(DiscountRate::GreenBook),
            general_inflation: Sourced::default_value(Decimal::ZERO),
            pay_inflation: Sourced::default_value(Decimal::ZERO),
            apportionment_key: Sourced::default_value(0),
        };
        Self {
            case: Case {
                meta,
                assumptions,
                partners: Partners {
                    names: Vec::new(),
                    key_columns: vec!["Government grant".into()],
                    values: Vec::new(),
                    rows: Vec::new(),
                },
                options: Vec::new(),
                baseline: OptionId::new(0),
                preferred: None,
                years: (0..years).map(|i| base.plus(i)).collect(),
                costs: Vec::new(),
                benefits: Vec::new(),
                budget: None,
                risks: Vec::new(),
                financing: crate::model::CapitalFinancing::default(),
                narrative: Narrative::default(),
                sources: Sources::default(),
                content: crate::model::content::Content::default(),
            },
        }
    }

    #[must_use]
    pub fn discount_rate(mut self, rate: DiscountRate) -> Self {
        self.case.assumptions.discount_rate = Sourced::default_value(rate);
        self
    }

    #[must_use]
    pub fn inflation(mut self, general: Decimal, pay: Decimal) -> Self {
        self.case.assumptions.general_inflation = Sourced::default_value(general);
        self.case.assumptions.pay_inflation = Sourced::default_value(pay);
        self
    }

    /// Adds a key column (the first is `Government grant`); `values` has one entry per partner added later.
    #[must_use]
    pub fn key_column(mut self, name: &str) -> Self {
        self.case.partners.key_columns.push(name.into());
        for row in &mut self.case.partners.values {
            row.push(Decimal::ZERO);
        }
        self
    }

    /// Adds a partner with its key values (one per key column).
    #[must_use]
    pub fn partner(mut self, name: &str, keys: &[Decimal]) -> Self {
        let row = u32::try_from(self.case.partners.names.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let mut values = keys.to_vec();
        values.resize(self.case.partners.key_columns.len(), Decimal::ZERO);
        self.case.partners.names.push(name.into());
        self.case.partners.values.push(values);
        self.case.partners.rows.push(row);
        self
    }

    /// Adds an option; the one added with `baseline` true is the baseline.
    #[must_use]
    pub fn option(
        mut self,
        id: &str,
        baseline: bool,
        ob_capital: Decimal,
        ob_revenue: Decimal,
    ) -> Self {
        let row = u32::try_from(self.case.options.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        if baseline {
            self.case.baseline = OptionId::new(self.case.options.len());
        }
        self.case.options.push(CaseOption {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            baseline,
            ob_capital: OptimismBias {
                rate: ob_capital,
                ..OptimismBias::NONE
            },
            ob_revenue: OptimismBias {
                rate: ob_revenue,
                ..OptimismBias::NONE
            },
            ob_basis: String::new(),
            asset_life: None,
            referred_to: String::new(),
            row,
        });
        self
    }

    #[must_use]
    pub fn preferred(mut self, option: Option<usize>) -> Self {
        self.case.preferred = option.map(OptionId::new);
        self
    }

    /// Adds a cost line; `values` is padded with zeros to the appraisal years.
    #[must_use]
    pub fn cost(
        mut self,
        option: usize,
        kind: CostKind,
        partner: Option<usize>,
        inflation: Inflation,
        values: &[Decimal],
    ) -> Self {
        let n = self.case.years.len();
        let row = u32::try_from(self.case.costs.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let mut values = values.to_vec();
        values.resize(n, Decimal::ZERO);
        self.case.costs.push(CostLine {
            uncertainty: crate::model::Uncertainty::default(),
            option: OptionId::new(option),
            line: format!("Cost {row}"),
            kind,
            partner: partner.map(PartnerId::new),
            inflation,
            values,
            row,
            key: None,
        });
        self
    }

    /// Adds a benefit line; `values` is padded with zeros to the appraisal years.
    #[must_use]
    pub fn benefit(
        mut self,
        option: usize,
        kind: BenefitKind,
        partner: Option<usize>,
        values: &[Decimal],
    ) -> Self {
        let n = self.case.years.len();
        let row = u32::try_from(self.case.benefits.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let mut values = values.to_vec();
        values.resize(n, Decimal::ZERO);
        self.case.benefits.push(BenefitLine {
            uncertainty: crate::model::Uncertainty::default(),
            option: OptionId::new(option),
            line: format!("Benefit {row}"),
            kind,
            partner: partner.map(PartnerId::new),
            values,
            row,
            key: None,
            inflation: Inflation::General,
        });
        self
    }

    /// Adds a risk to `option` falling in appraisal year index `year`.
    #[must_use]
    pub fn risk(
        mut self,
        option: usize,
        probability: Decimal,
        impact: Decimal,
        year: usize,
    ) -> Self {
        let row = u32::try_from(self.case.risks.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        self.case.risks.push(Risk {
            uncertainty: crate::model::Uncertainty::default(),
            id: format!("R{row}"),
            description: String::new(),
            option: OptionId::new(option),
            probability,
            impact,
            year,
            owner: String::new(),
            mitigation: String::new(),
            partner: None,
            row,
            key: None,
        });
        self
    }

    #[must_use]
    pub fn budget(mut self, budget: Budget) -> Self {
        self.case.budget = Some(budget);
        self
    }

    pub fn build(self) -> Case {
        self.case
    }
}

/// A deterministic pseudo-random sequence (xorshift), so synthetic cases are the same every run.
#[derive(Debug, Clone)]
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, below: u64) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x % below.max(1)
    }
}

/// A large synthetic case: `partners` partners, `options` options (the first
/// the baseline), `lines` cost lines and as many benefit lines, `years`
/// appraisal years from 2025/26, in £k with inflation, a quarter of the
/// lines naming a partner, and a budget with a row per partner and line.
///
/// # Panics
/// Never for the years used here (2025/26 onwards, within 1900..=2999).
pub fn large(partners: usize, options: usize, lines: usize, years: u16) -> Case {
    let base = FiscalYear::new(2025).expect("2025/26 is a valid fiscal year");
    let mut seq = Sequence(0x9E37_79B9_7F4A_7C15);
    let mut b = CaseBuilder::new(base, years, Unit::Thousands)
        .inflation(Decimal::new(2, 2), Decimal::new(25, 3))
        .key_column("Net revenue expenditure");
    for p in 0..partners {
        let grant = Decimal::new(i64::try_from(10_000 + seq.next(90_000)).unwrap_or(1), 1);
        let nre = Decimal::new(i64::try_from(20_000 + seq.next(90_000)).unwrap_or(1), 1);
        b = b.partner(&format!("Force {p:02}"), &[grant, nre]);
    }
    for o in 0..options {
        b = b.option(
            &format!("OPT{o}"),
            o == 0,
            Decimal::new(24, 2),
            Decimal::new(10, 2),
        );
    }
    let n = usize::from(years);
    let amount =
        |seq: &mut Sequence| Decimal::new(i64::try_from(seq.next(50_000_000)).unwrap_or(0), 3);
    for l in 0..lines {
        let option = l % options.max(1);
        let partner = (l % 4 == 0 && partners > 0).then(|| l % partners);
        let values: Vec<Decimal> = (0..n).map(|_| amount(&mut seq)).collect();
        let (kind, inflation) = match l % 3 {
            0 => (CostKind::Capital, Inflation::None),
            1 => (CostKind::Revenue, Inflation::Pay),
            _ => (CostKind::Revenue, Inflation::General),
        };
        b = b.cost(option, kind, partner, inflation, &values);
        let values: Vec<Decimal> = (0..n).map(|_| amount(&mut seq)).collect();
        let kind = if l % 2 == 0 {
            BenefitKind::Cashable
        } else {
            BenefitKind::NonCashable
        };
        b = b.benefit(option, kind, partner, &values);
    }
    for r in 0..options * 5 {
        b = b.risk(
            r % options.max(1),
            Decimal::new(3, 1),
            amount(&mut seq),
            r % n.max(1),
        );
    }
    let budget_years: Vec<FiscalYear> = (0..5).map(|i| base.plus(i)).collect();
    let mut rows = Vec::new();
    for p in 0..partners {
        for line in [
            crate::model::BudgetLine::BaseBudgetGap,
            crate::model::BudgetLine::UseOfReserves,
            crate::model::BudgetLine::CashReleasingEfficiencies,
            crate::model::BudgetLine::IdentifiedRiskGap,
        ] {
            rows.push(crate::model::BudgetRow {
                partner: Some(PartnerId::new(p)),
                line,
                values: (0..5).map(|_| amount(&mut seq)).collect(),
                row: 0,
            });
        }
    }
    b.budget(Budget {
        years: budget_years,
        rows,
        year_cols: (1..=5).collect(),
        basis: crate::model::GapBasis::InYear,
    })
    .build()
}

/// The hand-worked case of docs/methodology.md, "A worked case": £k, three
/// years from 2025/26 at a fixed 25% (factors 1, 0.8, 0.64, exact by hand),
/// a baseline and two options, two partners sharing 60:40.
///
/// # Panics
/// Never: 2025/26 is a valid fiscal year.
pub fn worked() -> Case {
    CaseBuilder::new(
        FiscalYear::new(2025).expect("2025/26 is a valid fiscal year"),
        3,
        Unit::Thousands,
    )
    .discount_rate(DiscountRate::Fixed(dec!(0.25)))
    .partner("North", &[dec!(60)])
    .partner("South", &[dec!(40)])
    .option("BAU", true, Decimal::ZERO, Decimal::ZERO)
    .option("OPT1", false, dec!(0.24), dec!(0.10))
    .option("OPT2", false, Decimal::ZERO, dec!(0.20))
    .cost(
        0,
        CostKind::Revenue,
        None,
        Inflation::General,
        &[dec!(100), dec!(100), dec!(100)],
    )
    .cost(1, CostKind::Capital, None, Inflation::General, &[dec!(200)])
    .cost(
        1,
        CostKind::Revenue,
        None,
        Inflation::General,
        &[dec!(50), dec!(50), dec!(50)],
    )
    .benefit(
        1,
        BenefitKind::Cashable,
        None,
        &[dec!(0), dec!(100), dec!(100)],
    )
    .benefit(
        1,
        BenefitKind::NonCashable,
        None,
        &[dec!(0), dec!(20), dec!(20)],
    )
    .risk(1, dec!(0.5), dec!(40), 1)
    .cost(
        2,
        CostKind::Revenue,
        None,
        Inflation::General,
        &[dec!(120), dec!(60), dec!(60)],
    )
    .benefit(
        2,
        BenefitKind::Cashable,
        None,
        &[dec!(0), dec!(30), dec!(30)],
    )
    .build()
}

/// A case the size of a typical collaboration case: 7 partners, a baseline
/// and 3 options, 10 years in £m, about 40 lines, a Budget sheet by partner.
///
/// # Panics
/// Never for the years used here.
pub fn sample_like() -> Case {
    large(7, 4, 20, 10)
}

/// `n` varied scenarios for `case` (realisation, delay, overruns, key,
/// discount rate, partner subsets), deterministic.
pub fn scenario_specs(case: &Case, n: usize) -> Vec<crate::model::ScenarioSpec> {
    let mut seq = Sequence(0x2545_F491_4F6C_DD1D);
    let partners = &case.partners.names;
    (0..n)
        .map(|i| {
            let mut s = crate::model::ScenarioSpec {
                name: format!("S{i}"),
                description: "generated".into(),
                ..crate::model::ScenarioSpec::default()
            };
            let pick = seq.next(100);
            s.savings_realisation = Some(Decimal::new(
                i64::try_from(50 + seq.next(51)).unwrap_or(100),
                2,
            ));
            s.savings_delay_years = Some(i64::try_from(seq.next(3)).unwrap_or(0));
            s.cost_overrun = Some(Decimal::new(i64::try_from(seq.next(30)).unwrap_or(0), 2));
            if pick.is_multiple_of(3) && case.partners.key_columns.len() > 1 {
                s.apportionment_key = case.partners.key_columns.get(1).cloned();
            }
            if pick.is_multiple_of(5) {
                s.discount_rate = Some(DiscountRate::Fixed(Decimal::new(
                    i64::try_from(10 + seq.next(50)).unwrap_or(35),
                    3,
                )));
            }
            if pick.is_multiple_of(7) && partners.len() > 2 {
                s.partners = Some(partners[..partners.len() - 1].to_vec());
                s.drop_partner_lines = true;
            }
            s
        })
        .collect()
}

/// `case` with ranges on its lines and impact ranges on its risks, as the
/// risk analysis's tests and benchmark use them: every line −10% to +25%
/// (triangular, every third uniform), every fifth line in one of three
/// groups; every risk's impact from half to twice as entered.
pub fn with_ranges(mut case: Case) -> Case {
    use crate::model::{Distribution, Uncertainty};
    let range = |i: usize| Uncertainty {
        low: Decimal::new(-10, 2),
        high: Decimal::new(25, 2),
        distribution: if i % 3 == 2 {
            Distribution::Uniform
        } else {
            Distribution::Triangular
        },
        group: i.is_multiple_of(5).then(|| format!("Group {}", i % 3)),
        entered: true,
    };
    for (i, l) in case.costs.iter_mut().enumerate() {
        l.uncertainty = range(i);
    }
    for (i, l) in case.benefits.iter_mut().enumerate() {
        l.uncertainty = range(i + 1);
    }
    for r in &mut case.risks {
        r.uncertainty = Uncertainty {
            low: r.impact / Decimal::TWO,
            high: r.impact * Decimal::TWO,
            distribution: Distribution::Triangular,
            group: None,
            entered: true,
        };
    }
    case
}
