//! The quantified risk analysis in the document: the Economic Case's
//! section (S-curve, percentiles, the comparison with optimism bias) and
//! the Financial Case's risk allowances. Present only when the analysis
//! ran (`compute::Computed::risk`); a case without it prints as before.

use rust_decimal::Decimal;

use super::{Builder, Draft, Width, figure, heading, num_col, row, text_col};
use crate::compute::risk::{RiskAnalysis, Summary};
use crate::document::{Block, Cell, Chart, Curve, Definition, RowRole};
use crate::format::percent;

/// The percentiles the document marks and tabulates.
const MARKED: [u32; 3] = [20, 50, 80];

impl Builder<'_> {
    /// A figure of the analysis as a cell, defined by the method.
    fn rc(&self, v: Decimal) -> Cell {
        self.mc(v).defined(Definition::QuantifiedRisk)
    }

    /// The Economic Case's "Quantified risk analysis".
    pub(super) fn risk_section(&self, a: &RiskAnalysis) -> Vec<Block> {
        let c = self.case;
        let r = self.results;
        let unit = self.unit;
        let mut blocks = vec![heading(2, "Quantified risk analysis")];
        blocks.push(Block::para(format!(
            "The case was simulated {} times (seed {}): in each iteration every cost and benefit line with a range took a multiplier drawn from it, every risk occurred with its probability and, if it did, cost an impact drawn from its range, and every option was appraised against business as usual drawn in the same iteration. The quantified view carries no optimism bias: the ranges and the risks take the place of the uplift, and the two views are set side by side below.",
            group_digits(a.iterations),
            a.seed
        )));
        blocks.push(Block::para(
            "The 80% figures are those the case is 80% likely to do no worse than: for a cost, the P80, which the outturn stays within in four iterations out of five; for a net present social value, the P20, which is achieved or bettered in four iterations out of five.",
        ));
        let shown: Vec<_> = a
            .options
            .iter()
            .filter(|o| o.option != a.baseline)
            .collect();
        let listing: Vec<String> = shown
            .iter()
            .map(|o| {
                format!(
                    "{}: P20 {} {unit}, P50 {} {unit}, P80 {} {unit}",
                    self.option_label(o.option),
                    self.m(o.npsv.p(20)),
                    self.m(o.npsv.p(50)),
                    self.m(o.npsv.p(80))
                )
            })
            .collect();
        blocks.push(Block::Figure(figure(
            "Net present social value by option: cumulative probability (S-curve)".into(),
            format!(
                "Chart of the cumulative probability of each option's net present social value over {} iterations, probability across and npsv up, with P20, P50 and P80 marked: {}.",
                group_digits(a.iterations),
                listing.join("; ")
            ),
            Chart::SCurve {
                series: shown
                    .iter()
                    .map(|o| Curve {
                        label: c.option(o.option).map(|x| x.id.clone()).unwrap_or_default(),
                        values: o.curve.iter().map(|v| self.x(*v)).collect(),
                    })
                    .collect(),
                marks: MARKED.to_vec(),
                y_title: format!("NPSV ({unit}, present value)"),
                x_title: "Cumulative probability".into(),
            },
        )));

        let mut columns = vec![
            text_col("Option", Width::Share(10)),
            text_col("Figure", Width::Auto),
        ];
        columns.extend(a.percentiles.iter().map(|q| num_col(&format!("P{q}"))));
        columns.push(num_col("Mean"));
        let mut rows = Vec::new();
        let line = |label: String, what: &str, s: &Summary| {
            let mut cells = vec![Cell::text(label), Cell::text(what)];
            cells.extend(s.percentiles.iter().map(|p| self.rc(p.value)));
            cells.push(self.rc(s.mean));
            row(RowRole::Body, cells)
        };
        for o in &a.options {
            let name = self.option_label(o.option);
            rows.push(line(name.clone(), "PV costs", &o.pv_costs));
            rows.push(line(name.clone(), "PV benefits", &o.pv_benefits));
            if o.option != a.baseline {
                rows.push(line(name, "NPSV", &o.npsv));
            }
        }
        blocks.push(
            Draft {
                caption: "Quantified risk analysis: percentiles of each option's present values"
                    .into(),
                unit: format!("{unit}, present values in {} prices", r.base_year),
                columns,
                rows,
                notes: vec![format!(
                    "Percentiles by nearest rank over {} iterations; no optimism bias.",
                    group_digits(a.iterations)
                )],
                wide: false,
                sources: self.risk_sources(),
                definition: Some(Definition::QuantifiedRisk),
            }
            .block(),
        );

        let mut rows = Vec::new();
        for o in &shown {
            let Some(det) = r.option(o.option) else {
                continue;
            };
            rows.push(row(
                RowRole::Body,
                vec![
                    Cell::text(c.option(o.option).map(|x| x.id.clone()).unwrap_or_default()),
                    self.mc(det.pv_costs).defined(Definition::PresentValue),
                    self.rc(o.pv_costs.p(80)),
                    self.mc(det.npsv).defined(Definition::Npsv),
                    self.rc(o.npsv.p(20)),
                    self.rc(o.npsv.p(50)),
                    Cell::number(percent(o.prob_npsv_positive, 1), o.prob_npsv_positive)
                        .defined(Definition::QuantifiedRisk),
                ],
            ));
        }
        blocks.push(
            Draft {
                caption: "The quantified view beside the optimism-bias view".into(),
                unit: format!("{unit}, present values in {} prices", r.base_year),
                columns: vec![
                    text_col("Option", Width::Auto),
                    num_col("PV costs with optimism bias"),
                    num_col("PV costs P80"),
                    num_col("NPSV with optimism bias"),
                    num_col("NPSV P20"),
                    num_col("NPSV P50"),
                    num_col("Chance NPSV > 0"),
                ],
                rows,
                notes: vec!["With optimism bias: the appraisal above, costs uplifted and risks at their expected cost. NPSV P20: achieved or bettered with 80% confidence.".into()],
                wide: false,
                sources: self.risk_sources(),
                definition: Some(Definition::QuantifiedRisk),
            }
            .block(),
        );
        blocks
    }

    /// The Financial Case's risk allowances of the preferred option's partners.
    pub(super) fn risk_allowances(&self, a: &RiskAnalysis) -> Vec<Block> {
        let Some(partners) = &a.partners else {
            return Vec::new();
        };
        let fc = self.results.financial_case.as_ref();
        let mut blocks = vec![heading(2, "Risk allowances")];
        blocks.push(Block::para(format!(
            "The affordability conclusion above rests on the expected-value contingency. The quantified risk analysis gives the risk view beside it: what each partner would hold against the case's ranges and risks, over the appraisal period, to be 50% and 80% confident of its net revenue effect after risk ({} iterations). The allowance at 80% is the partner's net revenue effect as entered less the P20 of its net revenue effect after risk.",
            group_digits(a.iterations)
        )));
        let mut rows = Vec::new();
        for p in partners {
            let contingency = fc
                .and_then(|f| f.partners.iter().find(|x| x.partner == p.partner))
                .map(|x| {
                    x.contingency
                        .iter()
                        .fold(Decimal::ZERO, |acc, c| acc.saturating_add(*c))
                })
                .unwrap_or_default();
            rows.push(row(
                RowRole::Body,
                vec![
                    Cell::text(self.partner(p.partner)),
                    self.rc(p.deterministic),
                    self.rc(p.net_after_risk.p(20)),
                    self.mc(contingency).defined(Definition::CapitalFinancing),
                    self.rc(p.allowance_p50),
                    self.rc(p.allowance_p80),
                ],
            ));
        }
        blocks.push(
            Draft {
                caption: format!(
                    "Risk allowances by partner: {}",
                    self.option_label(a.preferred)
                ),
                unit: format!("{}, nominal prices, over the appraisal period", self.unit),
                columns: vec![
                    text_col("Partner", Width::Share(10)),
                    num_col("Net revenue effect"),
                    num_col("After risk, P20"),
                    num_col("Contingency (expected)"),
                    num_col("Allowance at 50%"),
                    num_col("Allowance at 80%"),
                ],
                rows,
                notes: Vec::new(),
                wide: false,
                sources: self.risk_sources(),
                definition: Some(Definition::QuantifiedRisk),
            }
            .block(),
        );
        blocks
    }

    /// The inputs of the analysis: Costs, Benefits and Risks.
    fn risk_sources(&self) -> Vec<String> {
        let s = &self.case.sources;
        let mut out = vec![
            super::sheet_range(&s.costs),
            super::sheet_range(&s.benefits),
        ];
        if let Some(r) = &s.risks {
            out.push(super::sheet_range(r));
        }
        out
    }
}

/// `10,000`.
fn group_digits(n: u32) -> String {
    crate::format::money(Decimal::from(n), 0)
}
