//! The document's view: every word and figure the template prints, already
//! formatted, built from the validated case and the engine's results.
//!
//! The template receives this as JSON and only lays it out. No arithmetic
//! on money happens here: every total and difference printed comes from
//! the engine ([`Results::derived`](crate::compute::Results::derived)), and
//! the scenarios' figures from the outcomes the caller computed, each one's
//! change from the base case from
//! [`difference`](crate::compute::scenario::difference).

use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::markdown::{self, Block};
use crate::compute::derived::FlowTotals;
use crate::compute::scenario::{self, Outcome};
use crate::compute::{Flows, GapLine, GapTable, OptionAppraisal, ProfileYear, Results};
use crate::format::{self, money, percent};
use crate::model::{
    Case, CellRange, DiscountRate, FiscalYear, NarrativePart, ObCategory, ObOrigin, SheetSource,
    Stage, Unit,
};
use crate::params;
use crate::render::chart::{self, Bar, Chart, ProfilePoint};

/// Year columns a portrait page holds; wider tables go landscape.
const PORTRAIT_YEARS: usize = 6;
/// Year columns a landscape page holds; wider tables are split into parts.
const LANDSCAPE_YEARS: usize = 12;
/// Scenarios (two columns each) a landscape table of partners' net positions holds.
const SCENARIOS_PER_TABLE: usize = 5;

/// Everything the template prints.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub meta: MetaView,
    pub control: Control,
    pub summary: Summary,
    /// The SRO's text for each of the five cases (`None`: the file is missing).
    pub narrative: NarrativeView,
    pub economic: Vec<Item>,
    pub financial: Vec<Item>,
    pub management: Vec<Item>,
    pub appendix_assumptions: Vec<Item>,
    pub appendix_methodology: Vec<Item>,
    pub appendix_sources: Vec<Item>,
}

/// The title page and running heads.
#[derive(Debug, Clone, Serialize)]
pub struct MetaView {
    pub title: String,
    pub programme: String,
    pub stage: String,
    pub stage_words: String,
    pub version: String,
    pub date: String,
    pub sro: String,
    pub marking: String,
    pub edition: String,
    pub unit: String,
}

/// Document control.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    pub history: Option<Table>,
    pub approvals: Option<Table>,
    pub distribution: Vec<String>,
}

/// The executive summary's generated part.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub recommendation: String,
    pub decisions: Vec<String>,
    pub preferred: String,
    pub headline: Vec<Item>,
}

/// The narrative parts; `None` prints the "[to be completed]" placeholder.
#[derive(Debug, Clone, Serialize)]
pub struct NarrativeView {
    pub executive_summary: Option<Vec<Block>>,
    pub strategic: Option<Vec<Block>>,
    pub economic: Option<Vec<Block>>,
    pub commercial: Option<Vec<Block>>,
    pub financial: Option<Vec<Block>>,
    pub management: Option<Vec<Block>>,
}

/// One piece of generated content within a section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Item {
    /// A sub-heading (one level below the section's).
    Heading {
        s: String,
    },
    Para {
        s: String,
    },
    Bullets {
        items: Vec<String>,
    },
    Table(Table),
    Chart(Chart),
}

/// A table of formatted figures.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// `Table 14`: given in document order when the view is complete.
    pub number: String,
    pub caption: String,
    /// What the figures are, e.g. `£m, nominal prices`.
    pub unit: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Printed under the table: rounding, sources of adjustments.
    pub notes: Vec<String>,
    /// Too wide for a portrait page: set on a landscape page.
    pub wide: bool,
    /// Workbook ranges the table's inputs came from (for the source map).
    #[serde(skip)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub h: String,
    /// `left` or `right`.
    pub align: &'static str,
    /// How wide the column is.
    pub width: Width,
}

/// A column's width, handed to typst as a track size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// As wide as its widest cell (`auto`), until [`fit`](super::fit) measures it.
    Auto,
    /// A share of the width the other columns leave, in tenths (`Fr(16)` is `1.6fr`).
    Fr(u16),
    /// A measured width in millipoints.
    Fixed(u32),
}

impl Serialize for Width {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Auto => s.serialize_str("auto"),
            Self::Fr(tenths) => s.collect_str(&format_args!("{}.{}fr", tenths / 10, tenths % 10)),
            Self::Fixed(mpt) => s.serialize_str(&super::fit::pt(mpt)),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub c: Vec<String>,
    /// `body`, `subtotal` (ruled above), `total` (ruled above, bold) or `memo` (italic).
    pub style: &'static str,
    /// Every cell fits on one line at its column's width, as measured by
    /// [`fit`](super::fit): the row has a fixed height and is laid out once.
    pub line: bool,
}

impl Row {
    fn new(style: &'static str, c: Vec<String>) -> Self {
        Self {
            c,
            style,
            line: false,
        }
    }
}

fn text_col(h: &str, width: Width) -> Column {
    Column {
        h: h.to_string(),
        align: "left",
        width,
    }
}

fn num_col(h: &str) -> Column {
    Column {
        h: h.to_string(),
        align: "right",
        width: Width::Auto,
    }
}

/// A row of yearly figures, the data behind one line of a year table.
struct YearLine {
    label: String,
    values: Vec<Decimal>,
    style: &'static str,
    /// Whether a Total column makes sense (not for cumulative lines).
    total: bool,
    /// Fixed places for figures that are not money (factors, counts).
    places: Option<u32>,
    /// The engine's own total of the line, where it gives one.
    given_total: Option<Decimal>,
    /// Lines (index, subtracted) whose figures add up to this one, year by year.
    sum_of: Vec<(usize, bool)>,
}

impl YearLine {
    fn total_value(&self) -> Decimal {
        self.given_total.unwrap_or_default()
    }

    #[must_use]
    fn sum_of(mut self, parts: &[(usize, bool)]) -> Self {
        self.sum_of = parts.to_vec();
        self
    }
}

impl YearLine {
    fn new(
        label: impl Into<String>,
        values: Vec<Decimal>,
        total: Decimal,
        style: &'static str,
    ) -> Self {
        Self {
            label: label.into(),
            values,
            style,
            total: true,
            places: None,
            given_total: Some(total),
            sum_of: Vec::new(),
        }
    }
}

/// The base case and the scenarios of case.toml, as the engine computed them.
pub type Compared = (Outcome, Vec<Outcome>);

/// Builds the view of `case`, its `results` and its scenarios' outcomes
/// (`None` when case.toml defines none), dated `date`, with `charts`
/// already drawn.
pub fn build(
    case: &Case,
    results: &Results,
    compared: Option<&Compared>,
    date: NaiveDate,
    charts: Charts,
) -> View {
    let b = Builder {
        case,
        results,
        dp: case.display_decimals(),
        unit: results.unit.label(),
    };
    let mut economic = b.economic(charts.npsv, charts.tornado);
    economic.extend(b.scenario_comparison(compared));
    let mut financial = b.financial(charts.profile);
    if let Some((base, scenarios)) = compared {
        financial.extend(b.scenario_partners(base, scenarios));
    }
    let mut view = View {
        meta: b.meta(date),
        control: b.control(),
        summary: b.summary(),
        narrative: b.narrative(),
        economic,
        financial,
        management: b.management(),
        appendix_assumptions: b.assumptions(),
        appendix_methodology: b.methodology(),
        appendix_sources: Vec::new(),
    };
    view.number();
    view.appendix_sources = source_map(&view);
    view.number();
    for table in view.tables_mut() {
        super::fit::fit(table);
    }
    view
}

impl View {
    /// Every table and chart in the document, in the order it prints them.
    fn figures_mut(&mut self) -> impl Iterator<Item = Figure<'_>> {
        let Self {
            control,
            summary,
            economic,
            financial,
            management,
            appendix_assumptions,
            appendix_methodology,
            appendix_sources,
            ..
        } = self;
        let control = control
            .history
            .iter_mut()
            .chain(control.approvals.iter_mut());
        let items = [
            &mut summary.headline,
            economic,
            financial,
            management,
            appendix_assumptions,
            appendix_methodology,
            appendix_sources,
        ]
        .into_iter()
        .flat_map(|items| items.iter_mut())
        .filter_map(|item| match item {
            Item::Table(t) => Some(Figure::Table(t)),
            Item::Chart(c) => Some(Figure::Chart(c)),
            _ => None,
        });
        control.map(Figure::Table).chain(items)
    }

    /// Every table of figures in the document, in order.
    pub fn tables_mut(&mut self) -> impl Iterator<Item = &mut Table> {
        self.figures_mut().filter_map(|f| match f {
            Figure::Table(t) => Some(t),
            Figure::Chart(_) => None,
        })
    }

    /// Numbers the tables (`Table 1`, …) and charts (`Figure 1`, …) in the
    /// order the document prints them. Numbered here rather than by typst's
    /// counters, the source map can cite them, and typst need not lay the
    /// document out again to learn them.
    fn number(&mut self) {
        let (mut tables, mut charts) = (0, 0);
        for figure in self.figures_mut() {
            match figure {
                Figure::Table(t) => {
                    tables += 1;
                    t.number = format!("Table {tables}");
                }
                Figure::Chart(c) => {
                    charts += 1;
                    c.number = format!("Figure {charts}");
                }
            }
        }
    }
}

/// A numbered element of the document.
enum Figure<'a> {
    Table(&'a mut Table),
    Chart(&'a mut Chart),
}

/// The charts of the document.
#[derive(Debug, Clone)]
pub struct Charts {
    pub npsv: Chart,
    pub profile: Option<Chart>,
    /// The preferred option's sensitivity (`None` without sensitivity results).
    pub tornado: Option<Chart>,
}

/// Lines a tornado chart shows at most (the table beside it lists more).
const TORNADO_LINES: usize = 12;

/// The tornado chart of the preferred option's sensitivity at its largest fraction.
fn tornado_chart(results: &Results, dp: u32) -> Option<Chart> {
    let unit = results.unit.label();
    let base = results.option(results.preferred)?.npsv;
    let (fraction, lines) = crate::compute::switching::tornado(&results.sensitivity)?;
    let shown: Vec<_> = lines.into_iter().take(TORNADO_LINES).collect();
    let by = percent(fraction, 2);
    let bars: Vec<chart::TornadoLine> = shown
        .iter()
        .map(|l| chart::TornadoLine {
            label: l.entry.line.clone(),
            down: l.down,
            up: l.up,
        })
        .collect();
    let listing: Vec<String> = shown
        .iter()
        .map(|l| {
            format!(
                "{} ({} row {}): {} down, {} up",
                l.entry.line,
                l.entry.sheet,
                l.entry.row,
                money(l.down, dp),
                money(l.up, dp)
            )
        })
        .collect();
    Some(Chart {
        number: String::new(),
        svg: chart::tornado(
            &bars,
            base,
            &format!("NPSV of the preferred option ({unit}, present value)"),
            [
                &format!("Line up {by}"),
                &format!("Line down {by}"),
                &format!("Base NPSV {}", money(base, dp)),
            ],
        ),
        alt: format!(
            "Tornado chart of the preferred option's net present social value, base {} {unit}, with each cost and benefit line moved down and up by {by}, widest swing first: {}.",
            money(base, dp),
            listing.join("; ")
        ),
        caption: format!(
            "Tornado chart: the preferred option's NPSV with each line moved by ±{by}"
        ),
    })
}

/// Draws the document's charts from the results.
pub fn charts(case: &Case, results: &Results) -> Charts {
    let unit = results.unit.label();
    let dp = case.display_decimals();
    let options: Vec<_> = results.options.iter().filter(|o| !o.baseline).collect();
    let bars: Vec<Bar> = options
        .iter()
        .map(|o| Bar {
            label: o.id.clone(),
            value: o.npsv,
        })
        .collect();
    let listing: Vec<String> = options
        .iter()
        .map(|o| format!("{} {} {unit}", o.id, money(o.npsv, dp)))
        .collect();
    let npsv = Chart {
        number: String::new(),
        svg: chart::bars(
            &bars,
            &format!("NPSV ({unit}, present value)"),
            "Option",
            "Net present social value against business as usual",
        ),
        alt: format!(
            "Bar chart of net present social value by option against business as usual: {}.",
            listing.join("; ")
        ),
        caption: "Net present social value by option".to_string(),
    };
    let profile = results.profile(results.preferred).map(|p| {
        let points: Vec<ProfilePoint> = results
            .years
            .iter()
            .zip(&p.nominal)
            .map(|(y, py)| ProfilePoint {
                year: y.to_string(),
                savings: py.cashable,
                costs: py.costs,
                cumulative: py.cumulative_net,
            })
            .collect();
        let listing: Vec<String> = points
            .iter()
            .map(|pt| {
                format!(
                    "{}: savings {}, costs {}, cumulative net {}",
                    pt.year,
                    money(pt.savings, dp),
                    money(pt.costs, dp),
                    money(pt.cumulative, dp)
                )
            })
            .collect();
        Chart {
            number: String::new(),
            svg: chart::profile(
                &points,
                &format!("{unit}, nominal prices"),
                ["Cashable savings", "Costs", "Cumulative net"],
            ),
            alt: format!(
                "Chart of the preferred option's annual cashable savings and costs as bars and cumulative net as a line, {unit} nominal: {}.",
                listing.join("; ")
            ),
            caption: "Preferred option: annual savings, costs and cumulative net (nominal)".to_string(),
        }
    });
    let tornado = tornado_chart(results, dp);
    Charts {
        npsv,
        profile,
        tornado,
    }
}

struct Builder<'a> {
    case: &'a Case,
    results: &'a Results,
    dp: u32,
    unit: &'static str,
}

impl Builder<'_> {
    fn m(&self, v: Decimal) -> String {
        money(v, self.dp)
    }

    /// An amount in running text: `£12.3m`, `£450k`, `£1,200`; negatives with a minus sign.
    fn phrase(&self, v: Decimal) -> String {
        let body = money(v.abs(), self.dp);
        let sign = if format::round_display(v, self.dp).is_sign_negative()
            && !format::round_display(v, self.dp).is_zero()
        {
            "−"
        } else {
            ""
        };
        match self.results.unit {
            Unit::Pounds => format!("{sign}£{body}"),
            Unit::Thousands => format!("{sign}£{body}k"),
            Unit::Millions => format!("{sign}£{body}m"),
        }
    }

    fn option_name(&self, index: usize) -> String {
        self.case.options.get(index).map_or_else(
            || format!("option {}", index + 1),
            |o| format!("{} (option {})", o.name, o.id),
        )
    }

    fn partner(&self, index: usize) -> String {
        self.case
            .partners
            .names
            .get(index)
            .cloned()
            .unwrap_or_default()
    }

    fn meta(&self, date: NaiveDate) -> MetaView {
        let m = &self.case.meta;
        MetaView {
            title: m.title.clone(),
            programme: m.programme.clone(),
            stage: m.stage.code().to_string(),
            stage_words: m.stage.words().to_string(),
            version: m.version.clone(),
            date: date.format("%-d %B %Y").to_string(),
            sro: m.sro.clone(),
            marking: m.marking.clone(),
            edition: self.results.edition.year().to_string(),
            unit: self.unit.to_string(),
        }
    }

    fn control(&self) -> Control {
        let m = &self.case.meta;
        let history = (!m.history.is_empty()).then(|| Table {
            number: String::new(),
            caption: "Version history".into(),
            unit: String::new(),
            columns: vec![
                text_col("Version", Width::Auto),
                text_col("Date", Width::Auto),
                text_col("Author", Width::Fr(10)),
                text_col("Changes", Width::Fr(20)),
            ],
            rows: m
                .history
                .iter()
                .map(|h| {
                    Row::new(
                        "body",
                        vec![
                            h.version.clone(),
                            h.date.clone(),
                            h.author.clone(),
                            h.changes.clone(),
                        ],
                    )
                })
                .collect(),
            notes: Vec::new(),
            wide: false,
            sources: vec!["case.toml [[history]]".into()],
        });
        let approvals = (!m.approvals.is_empty()).then(|| Table {
            number: String::new(),
            caption: "Approvals".into(),
            unit: String::new(),
            columns: vec![
                text_col("Body", Width::Fr(10)),
                text_col("Date", Width::Auto),
                text_col("Decision", Width::Fr(20)),
            ],
            rows: m
                .approvals
                .iter()
                .map(|a| {
                    Row::new(
                        "body",
                        vec![a.body.clone(), a.date.clone(), a.decision.clone()],
                    )
                })
                .collect(),
            notes: Vec::new(),
            wide: false,
            sources: vec!["case.toml [[approval]]".into()],
        });
        Control {
            history,
            approvals,
            distribution: m.distribution.clone(),
        }
    }

    fn summary(&self) -> Summary {
        let r = self.results;
        let preferred = self.option_name(r.preferred);
        let how = if r.preferred_pinned {
            "the option named as preferred in the case"
        } else {
            "the option with the highest net present social value"
        };
        let stage = self.case.meta.stage;
        let recommendation = format!(
            "This {} recommends {preferred}, {how}, for approval by the Summit.",
            stage.words()
        );
        let next = match stage {
            Stage::Soc => {
                "approve the development of an Outline Business Case for the short-listed options"
            }
            Stage::Obc => {
                "approve the development of a Full Business Case and the procurement route set out in the Commercial Case"
            }
            Stage::Fbc => {
                "approve the investment and the award of the contract set out in the Commercial Case"
            }
        };
        let key = &r.apportionment.key;
        let decisions = vec![
            format!("agree {preferred} as the preferred option"),
            format!(
                "agree that each partner's share of costs and savings is apportioned by {key}, as set out in the Financial Case"
            ),
            next.to_string(),
        ];
        Summary {
            recommendation,
            decisions,
            preferred: preferred.clone(),
            headline: self.headline(),
        }
    }

    fn headline(&self) -> Vec<Item> {
        let r = self.results;
        let unit = self.unit;
        let mut rows = Vec::new();
        let mut sources = vec![
            sheet_range(&self.case.sources.costs),
            sheet_range(&self.case.sources.benefits),
        ];
        if let Some(o) = r.option(r.preferred) {
            rows.push(Row::new(
                "body",
                vec![
                    format!("Net present social value ({unit}, present value)"),
                    self.m(o.npsv),
                ],
            ));
            rows.push(Row::new(
                "body",
                vec![
                    "Benefit-cost ratio".into(),
                    o.bcr
                        .map_or_else(|| "not applicable".into(), |b| format::fixed(b, 2)),
                ],
            ));
            rows.push(Row::new(
                "body",
                vec![
                    "Payback year".into(),
                    o.payback_year.map_or_else(
                        || "not within the appraisal period".into(),
                        |y| y.to_string(),
                    ),
                ],
            ));
        }
        if let Some(p) = r.derived.profile_totals(r.preferred) {
            let total = p.real.cashable;
            rows.push(Row::new(
                "body",
                vec![
                    format!(
                        "Total cashable savings {} ({unit}, real {} prices)",
                        Self::span(&r.years),
                        r.base_year
                    ),
                    self.m(total),
                ],
            ));
        }
        if let (Some(gap), Some(totals)) = (&r.gap_after_case, &r.derived.gap_after_case_totals) {
            let total = totals.region;
            rows.push(Row::new(
                "body",
                vec![
                    format!(
                        "Regional gap remaining after this case {} ({unit}, nominal)",
                        Self::span(&gap.years)
                    ),
                    self.m(total),
                ],
            ));
            if let Some(s) = &self.case.sources.budget {
                sources.push(sheet_range(s));
            }
        }
        let mut items = vec![Item::Table(Table {
            number: String::new(),
            caption: "Headline figures for the preferred option".into(),
            unit: String::new(),
            columns: vec![text_col("Measure", Width::Fr(10)), num_col("Value")],
            rows,
            notes: Vec::new(),
            wide: false,
            sources,
        })];
        if let Some(t) = self.net_position_table() {
            items.push(Item::Table(t));
        }
        items
    }

    /// `2025/26 to 2034/35`.
    fn span(years: &[FiscalYear]) -> String {
        match (years.first(), years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        }
    }

    fn narrative(&self) -> NarrativeView {
        let part = |p: NarrativePart| {
            self.case
                .narrative
                .parts
                .get(&p)
                .map(|t| markdown::parse(t))
        };
        NarrativeView {
            executive_summary: part(NarrativePart::ExecutiveSummary),
            strategic: part(NarrativePart::Strategic),
            economic: part(NarrativePart::Economic),
            commercial: part(NarrativePart::Commercial),
            financial: part(NarrativePart::Financial),
            management: part(NarrativePart::Management),
        }
    }

    fn economic(&self, npsv: Chart, tornado: Option<Chart>) -> Vec<Item> {
        let c = self.case;
        let r = self.results;
        let mut items = vec![Item::Heading {
            s: "Short-listed options".into(),
        }];
        items.push(Item::Table(Table {
            number: String::new(),
            caption: "The short list".into(),
            unit: String::new(),
            columns: vec![
                text_col("Option", Width::Auto),
                text_col("Name", Width::Fr(10)),
                text_col("Description", Width::Fr(20)),
            ],
            rows: c
                .options
                .iter()
                .map(|o| {
                    let name = if o.baseline {
                        format!("{} (baseline)", o.name)
                    } else {
                        o.name.clone()
                    };
                    Row::new("body", vec![o.id.clone(), name, o.description.clone()])
                })
                .collect(),
            notes: Vec::new(),
            wide: false,
            sources: vec![sheet_range(&c.sources.options)],
        }));

        items.push(Item::Heading {
            s: "Appraisal of the short list".into(),
        });
        // Every option, business as usual first, so the incremental lines can be read off.
        let mut options: Vec<_> = r.options.iter().collect();
        options.sort_by_key(|o| !o.baseline);
        // The differences a reader needs to see NPSV = Δbenefits − Δcosts; the
        // engine's npsv and bcr are printed, never recomputed from these.
        let delta_costs = |o: &OptionAppraisal| {
            r.derived
                .increment(o.option)
                .map_or(Decimal::ZERO, |i| i.costs)
        };
        let delta_benefits = |o: &OptionAppraisal| {
            r.derived
                .increment(o.option)
                .map_or(Decimal::ZERO, |i| i.benefits)
        };
        let mut columns = vec![text_col("Present values", Width::Fr(10))];
        columns.extend(options.iter().map(|o| num_col(&o.id)));
        let line = |label: &str, style: &'static str, f: &dyn Fn(&OptionAppraisal) -> String| {
            let mut cells = vec![label.to_string()];
            cells.extend(options.iter().map(|o| f(o)));
            Row::new(style, cells)
        };
        let dash = |o: &OptionAppraisal, v: String| if o.baseline { "–".to_string() } else { v };
        let rows = vec![
            line("Capital costs", "body", &|o| self.m(o.pv_capital)),
            line("Revenue costs", "body", &|o| self.m(o.pv_revenue)),
            line("Costs before optimism bias and risk", "subtotal", &|o| {
                self.m(o.pv_costs_unadjusted)
            }),
            line("Optimism bias", "body", &|o| self.m(o.pv_optimism_bias)),
            line("Risk (expected value)", "body", &|o| self.m(o.pv_risk)),
            line("Risk-adjusted costs", "subtotal", &|o| self.m(o.pv_costs)),
            line("Cashable benefits", "body", &|o| self.m(o.pv_cashable)),
            line("Non-cashable benefits", "body", &|o| {
                self.m(o.pv_non_cashable)
            }),
            line("Benefits", "subtotal", &|o| self.m(o.pv_benefits)),
            line(
                "Incremental benefits against business as usual",
                "body",
                &|o| dash(o, self.m(delta_benefits(o))),
            ),
            line(
                "Incremental costs against business as usual",
                "body",
                &|o| dash(o, self.m(delta_costs(o))),
            ),
            line("Net present social value", "total", &|o| {
                dash(o, self.m(o.npsv))
            }),
            line("Benefit-cost ratio", "body", &|o| {
                dash(
                    o,
                    o.bcr.map_or_else(|| "n/a".into(), |b| format::fixed(b, 2)),
                )
            }),
        ];
        let mut notes = vec![format!(
            "Present values in {}, real {} prices, discounted to {}. Net present social value and the benefit-cost ratio are of the incremental benefits and costs against business as usual.",
            self.unit, r.base_year, r.base_year
        )];
        let foots = options.iter().all(|o| {
            format::foots(
                &[o.pv_capital, o.pv_revenue],
                o.pv_costs_unadjusted,
                self.dp,
            ) && format::foots(
                &[o.pv_costs_unadjusted, o.pv_optimism_bias, o.pv_risk],
                o.pv_costs,
                self.dp,
            ) && format::foots(&[o.pv_cashable, o.pv_non_cashable], o.pv_benefits, self.dp)
                && (o.baseline
                    || format::foots(&[delta_benefits(o), -delta_costs(o)], o.npsv, self.dp))
        });
        if !foots {
            notes.push(rounding_note(self.dp));
        }
        let mut sources = vec![
            sheet_range(&c.sources.options),
            sheet_range(&c.sources.costs),
            sheet_range(&c.sources.benefits),
        ];
        if let Some(s) = &c.sources.risks {
            sources.push(sheet_range(s));
        }
        items.push(Item::Table(Table {
            number: String::new(),
            caption: "Appraisal of each option against business as usual".into(),
            unit: format!("{}, present value", self.unit),
            wide: options.len() > 7,
            columns,
            rows,
            notes,
            sources,
        }));
        items.push(Item::Chart(npsv));

        items.push(Item::Heading {
            s: "Discounting".into(),
        });
        items.push(Item::Para {
            s: self.discounting_text(),
        });

        items.push(Item::Heading {
            s: "Optimism bias".into(),
        });
        items.push(Item::Para {
            s: "Costs are uplifted for optimism bias at the rates below, starting from the upper bound of the Green Book supplementary guidance for the project type and reduced only as project-specific risks are mitigated.".into(),
        });
        items.push(Item::Table(self.optimism_bias_table()));

        items.push(Item::Heading {
            s: "Preferred option".into(),
        });
        let preferred = self.option_name(r.preferred);
        let text = match r.option(r.preferred) {
            Some(o) => format!(
                "The preferred option is {preferred}, with a net present social value of {} and a benefit-cost ratio of {}. {}",
                self.phrase(o.npsv),
                o.bcr
                    .map_or_else(|| "not applicable".into(), |b| format::fixed(b, 2)),
                if r.preferred_pinned {
                    "It was chosen by the case on the evidence set out in this document; the benefit-cost ratio is one part of that evidence, not a pass mark."
                } else {
                    "It has the highest net present social value of the short list."
                }
            ),
            None => format!("The preferred option is {preferred}."),
        };
        items.push(Item::Para { s: text });
        items.extend(self.sensitivity(tornado));
        items
    }

    /// Switching values of each option and the preferred option's sensitivity.
    fn sensitivity(&self, tornado: Option<Chart>) -> Vec<Item> {
        let r = self.results;
        let c = self.case;
        let mut items = Vec::new();
        if r.switching_values.is_empty() && r.sensitivity.is_empty() {
            return items;
        }
        items.push(Item::Heading {
            s: "Sensitivity and switching values".into(),
        });
        let pct = |v: Option<Decimal>| v.map_or_else(|| "none".to_string(), |v| percent(v, 1));
        if !r.switching_values.is_empty() {
            items.push(Item::Para {
                s: "Switching values: how far an input would have to move before an option's net present social value fell to zero, the preferred option changed, or the option no longer paid back within the period.".into(),
            });
            let rows = r
                .switching_values
                .iter()
                .map(|sv| {
                    Row::new(
                        "body",
                        vec![
                            c.options
                                .get(sv.option)
                                .map(|o| o.id.clone())
                                .unwrap_or_default(),
                            pct(sv.benefits_change),
                            pct(sv.costs_change),
                            pct(sv.savings_change_to_switch),
                            sv.payback_delay_years
                                .map_or_else(|| "none".into(), |y| format!("{y} year(s)")),
                        ],
                    )
                })
                .collect();
            items.push(Item::Table(Table {
                number: String::new(),
                caption: "Switching values".into(),
                unit: String::new(),
                columns: vec![
                    text_col("Option", Width::Auto),
                    num_col("Benefits change to zero NPSV"),
                    num_col("Costs change to zero NPSV"),
                    num_col("Savings change to switch option"),
                    num_col("Savings delay ending payback"),
                ],
                rows,
                notes: Vec::new(),
                wide: false,
                sources: vec![
                    sheet_range(&c.sources.costs),
                    sheet_range(&c.sources.benefits),
                ],
            }));
        }
        if !r.sensitivity.is_empty() {
            let rows = r
                .sensitivity
                .iter()
                .take(20)
                .map(|e| {
                    Row::new(
                        "body",
                        vec![
                            e.line.clone(),
                            format!("{} row {}", e.sheet, e.row),
                            percent(e.change, 1),
                            self.m(e.npsv),
                        ],
                    )
                })
                .collect();
            let shown = r.sensitivity.len().min(20);
            items.push(Item::Table(Table {
                number: String::new(),
                caption: format!(
                    "Sensitivity of the preferred option's NPSV to its {shown} largest effects"
                ),
                unit: format!("{}, present value", self.unit),
                columns: vec![
                    text_col("Line", Width::Fr(10)),
                    text_col("Where", Width::Auto),
                    num_col("Change"),
                    num_col("NPSV"),
                ],
                rows,
                notes: Vec::new(),
                wide: false,
                sources: vec![
                    sheet_range(&c.sources.costs),
                    sheet_range(&c.sources.benefits),
                ],
            }));
        }
        if let Some(t) = tornado {
            items.push(Item::Chart(t));
        }
        items
    }

    /// The base case and every scenario of case.toml, one row each, with
    /// the differences from the base case the engine gives.
    fn scenario_comparison(&self, compared: Option<&Compared>) -> Vec<Item> {
        let mut items = vec![Item::Heading {
            s: "Scenarios".into(),
        }];
        let Some((base, scenarios)) = compared else {
            items.push(Item::Para {
                s: "No scenarios are defined in case.toml, so the case is appraised only as it stands.".into(),
            });
            return items;
        };
        items.push(Item::Para {
            s: "The Oversight Group's scenarios, each the case recomputed with the change case.toml describes, beside the case as it stands. Each \u{201c}vs base\u{201d} column is the scenario's figure less the base case's. Net positions of each partner under every scenario are in the Financial Case."
                .into(),
        });
        let dp = self.dp;
        let m = |v: Option<Decimal>| v.map_or_else(|| "–".to_string(), |v| money(v, dp));
        let vs = |v: Option<Decimal>, b: Option<Decimal>| {
            scenario::difference(v, b).map_or_else(String::new, |d| money(d, dp))
        };
        let bcr = |v: Option<Decimal>| v.map_or_else(|| "n/a".to_string(), |v| format::fixed(v, 2));
        let payback = |o: &Outcome| {
            o.payback_year()
                .map_or_else(|| "none".to_string(), |y| y.to_string())
        };
        let row = |o: &Outcome, is_base: bool| {
            let changed = |same: bool, text: String| {
                if is_base || same {
                    text
                } else {
                    format!("{text} (changed)")
                }
            };
            Row::new(
                "body",
                vec![
                    o.name.clone(),
                    o.description.clone(),
                    changed(
                        o.preferred_id() == base.preferred_id(),
                        o.preferred_id().to_string(),
                    ),
                    m(o.preferred_npsv()),
                    if is_base {
                        String::new()
                    } else {
                        vs(o.preferred_npsv(), base.preferred_npsv())
                    },
                    bcr(o.preferred_bcr()),
                    if is_base {
                        String::new()
                    } else {
                        scenario::difference(o.preferred_bcr(), base.preferred_bcr())
                            .map_or_else(String::new, |d| format::fixed(d, 2))
                    },
                    m(Some(o.total_cashable_savings)),
                    if is_base {
                        String::new()
                    } else {
                        vs(
                            Some(o.total_cashable_savings),
                            Some(base.total_cashable_savings),
                        )
                    },
                    changed(o.payback_year() == base.payback_year(), payback(o)),
                    m(o.gap_after_case_total()),
                    if is_base {
                        String::new()
                    } else {
                        vs(o.gap_after_case_total(), base.gap_after_case_total())
                    },
                ],
            )
        };
        let mut rows = vec![row(base, true)];
        rows.extend(scenarios.iter().map(|o| row(o, false)));
        // A rule between the base case and the scenarios.
        if let Some(first) = rows.get_mut(1) {
            first.style = "subtotal";
        }
        let notes = vec![format!(
            "NPSV, the benefit-cost ratio and cashable savings are the preferred option's, in real prices (NPSV at present value); cashable savings are the total over {}. The gap after case is the region's gap remaining after this case, summed over the budget years, in nominal prices. A preferred option or payback year marked (changed) differs from the base case's.",
            Self::span(&self.results.years)
        )];
        items.push(Item::Table(Table {
            number: String::new(),
            caption: "Scenario comparison".into(),
            unit: self.unit.to_string(),
            columns: vec![
                // Names and descriptions are the user's: fractions of the
                // width left, so they wrap rather than squeeze the figures.
                text_col("Scenario", Width::Fr(10)),
                text_col("Description", Width::Fr(20)),
                text_col("Preferred option", Width::Auto),
                num_col("NPSV"),
                num_col("vs base"),
                num_col("BCR"),
                num_col("vs base"),
                num_col("Cashable savings"),
                num_col("vs base"),
                text_col("Payback", Width::Auto),
                num_col("Gap after case"),
                num_col("vs base"),
            ],
            rows,
            notes,
            wide: true,
            sources: vec![
                sheet_range(&self.case.sources.costs),
                sheet_range(&self.case.sources.benefits),
                sheet_range(&self.case.sources.partners),
            ],
        }));
        items
    }

    /// Each partner's net position under the base case and every scenario,
    /// at most [`SCENARIOS_PER_TABLE`] scenarios to a table.
    fn scenario_partners(&self, base: &Outcome, scenarios: &[Outcome]) -> Vec<Item> {
        let mut items = vec![
            Item::Heading {
                s: "Each partner's net position under the scenarios".into(),
            },
            Item::Para {
                s: "Each partner's net position over the period (its apportioned savings less its apportioned costs of the preferred option, in real prices) under the case as it stands and under each scenario, with the change from the base case. A partner that does not join under a scenario shows a dash.".into(),
            },
        ];
        let dp = self.dp;
        let parts: Vec<&[Outcome]> = scenarios.chunks(SCENARIOS_PER_TABLE).collect();
        let count = parts.len();
        for (k, part) in parts.into_iter().enumerate() {
            // Equal widths: a scenario's name heads a column and wraps
            // there, however long it is.
            let fixed = |h: &str| Column {
                width: Width::Fr(10),
                ..num_col(h)
            };
            let mut columns = vec![text_col("Partner", Width::Fr(16)), fixed("Base")];
            for o in part {
                columns.push(fixed(&o.name));
                columns.push(fixed("vs base"));
            }
            let rows = base
                .case
                .partners
                .names
                .iter()
                .map(|name| {
                    let b = base.partner_net_of(name);
                    let mut c = vec![name.clone(), b.map_or_else(|| "–".into(), |v| money(v, dp))];
                    for o in part {
                        let v = o.partner_net_of(name);
                        c.push(v.map_or_else(|| "–".into(), |v| money(v, dp)));
                        c.push(
                            scenario::difference(v, b).map_or_else(String::new, |d| money(d, dp)),
                        );
                    }
                    Row::new("body", c)
                })
                .collect();
            let caption = if count > 1 {
                format!(
                    "Each partner's net position under the scenarios, part {} of {count}",
                    k + 1
                )
            } else {
                "Each partner's net position under the scenarios".into()
            };
            items.push(Item::Table(Table {
                number: String::new(),
                caption,
                unit: format!(
                    "{}, real, total {}",
                    self.unit,
                    Self::span(&self.results.years)
                ),
                wide: columns.len() > 7,
                columns,
                rows,
                notes: Vec::new(),
                sources: vec![
                    sheet_range(&self.case.sources.partners),
                    sheet_range(&self.case.sources.costs),
                    sheet_range(&self.case.sources.benefits),
                ],
            }));
        }
        items
    }

    fn discounting_text(&self) -> String {
        let r = self.results;
        match r.discount_rate {
            DiscountRate::GreenBook => {
                let schedule = params::discount_schedule(r.edition);
                format!(
                    "Future costs and benefits are discounted to {} at the Social Time Preference Rate of the Green Book ({} edition): {} for years 0 to 30, then lower rates in later bands (Appendix B). Year 0 is {} and has a discount factor of 1. Source: {}.",
                    r.base_year,
                    r.edition,
                    percent(schedule.rate_for_year(1), 2),
                    r.base_year,
                    schedule.source
                )
            }
            DiscountRate::Fixed(rate) => format!(
                "Future costs and benefits are discounted to {} at a fixed rate of {} a year set in the workbook, in place of the Green Book ({} edition) schedule. Year 0 is {} and has a discount factor of 1.",
                r.base_year,
                percent(rate, 2),
                r.edition,
                r.base_year
            ),
        }
    }

    fn optimism_bias_table(&self) -> Table {
        let c = self.case;
        let rows = c
            .options
            .iter()
            .filter(|o| !o.baseline)
            .map(|o| {
                let origin = |ob: &crate::model::OptimismBias| match ob.origin {
                    ObOrigin::Entered => "entered".to_string(),
                    ObOrigin::Category {
                        category,
                        upper,
                        lower,
                        mitigation,
                    } => format!(
                        "{}: upper {}, lower {}, mitigated {}",
                        category_name(category, c),
                        percent(upper, 1),
                        percent(lower, 1),
                        percent(mitigation, 1)
                    ),
                };
                Row::new(
                    "body",
                    vec![
                        o.id.clone(),
                        percent(o.ob_capital.rate, 2),
                        percent(o.ob_revenue.rate, 2),
                        format!(
                            "capital: {}; revenue: {}",
                            origin(&o.ob_capital),
                            origin(&o.ob_revenue)
                        ),
                        if o.ob_basis.trim().is_empty() {
                            "[to be completed]".into()
                        } else {
                            o.ob_basis.clone()
                        },
                    ],
                )
            })
            .collect();
        Table {
            number: String::new(),
            caption: "Optimism-bias rates and their basis".into(),
            unit: String::new(),
            columns: vec![
                text_col("Option", Width::Auto),
                num_col("Capital"),
                num_col("Revenue"),
                text_col("Derivation", Width::Fr(12)),
                text_col("Basis", Width::Fr(20)),
            ],
            rows,
            notes: vec![
                params::optimism_bias_table(self.results.edition)
                    .source
                    .to_string(),
            ],
            wide: false,
            sources: vec![sheet_range(&c.sources.options)],
        }
    }

    fn financial(&self, profile_chart: Option<Chart>) -> Vec<Item> {
        let r = self.results;
        let c = self.case;
        let mut items = Vec::new();
        let preferred = self.option_name(r.preferred);
        let cost_sources = vec![
            sheet_range(&c.sources.costs),
            sheet_range(&c.sources.benefits),
        ];
        if let (Some(p), Some(totals)) = (
            r.profile(r.preferred),
            r.derived.profile_totals(r.preferred),
        ) {
            items.push(Item::Heading {
                s: "Savings profile".into(),
            });
            items.push(Item::Para {
                s: format!(
                    "The cash view of {preferred} against business as usual, as entered in the workbook: no optimism bias or risk, not discounted. Real figures are in {} prices; nominal figures apply the case's inflation assumptions.",
                    r.base_year
                ),
            });
            for (label, years, total) in [
                ("real", &p.real, &totals.real),
                ("nominal", &p.nominal, &totals.nominal),
            ] {
                let prices = if label == "real" {
                    format!("real {} prices", r.base_year)
                } else {
                    "nominal prices".into()
                };
                items.extend(self.year_table(
                    &format!("Savings profile of the preferred option ({label})"),
                    &format!("{}, {prices}", self.unit),
                    &r.years,
                    &profile_lines(years, total),
                    &cost_sources,
                ));
            }
            if let Some(chart) = profile_chart {
                items.push(Item::Chart(chart));
            }
        }

        items.push(Item::Heading {
            s: "Apportionment between partners".into(),
        });
        let a = &r.apportionment;
        items.push(Item::Para {
            s: format!(
                "Shared costs and savings are apportioned between the partners in proportion to {}; lines a partner bears alone fall to that partner. Apportioned amounts are rounded to whole pennies, the parts summing to the whole.",
                a.key
            ),
        });
        let key_col = c.assumptions.apportionment_key.value;
        let mut rows: Vec<Row> = c
            .partners
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let value = c
                    .partners
                    .values
                    .get(i)
                    .and_then(|v| v.get(key_col))
                    .copied()
                    .unwrap_or_default();
                let share = a.shares.get(i).copied().unwrap_or_default();
                Row::new(
                    "body",
                    vec![name.clone(), plain_number(value), share_percent(share)],
                )
            })
            .collect();
        let key_total = r.derived.key_total;
        rows.push(Row::new(
            "total",
            vec![
                "Total".into(),
                plain_number(key_total),
                share_percent(Decimal::ONE),
            ],
        ));
        items.push(Item::Table(Table {
            number: String::new(),
            caption: format!("Apportionment key: {}", a.key),
            unit: String::new(),
            columns: vec![
                text_col("Partner", Width::Fr(10)),
                num_col(&a.key),
                num_col("Share"),
            ],
            rows,
            notes: if format::foots(&a.shares, Decimal::ONE, 4) { Vec::new() } else { vec!["Shares are rounded to two decimal places of a percent, so they may not add to exactly 100%.".into()] },
            wide: false,
            sources: vec![sheet_range(&c.sources.partners)],
        }));

        if let Some(app) = r.apportioned(r.preferred) {
            items.push(Item::Heading {
                s: "Each partner's figures".into(),
            });
            items.push(Item::Para {
                s: "For each partner, the nominal yearly capital and revenue costs and cashable savings of the preferred option: the figures its medium-term financial plan needs.".into(),
            });
            for pf in &app.partners {
                let totals = r
                    .derived
                    .partner(pf.partner)
                    .map(|t| t.nominal)
                    .unwrap_or_default();
                items.extend(self.year_table(
                    &format!("{}: preferred option (nominal)", self.partner(pf.partner)),
                    &format!("{}, nominal prices", self.unit),
                    &r.years,
                    &flow_lines(&pf.nominal, &totals),
                    &cost_sources,
                ));
            }
        }
        if let Some(t) = self.net_position_table() {
            items.push(Item::Heading {
                s: "Net position of each partner".into(),
            });
            items.push(Item::Table(t));
            if let Some(app) = r.apportioned(r.preferred) {
                let names: Vec<String> = app
                    .net_contributors
                    .iter()
                    .map(|p| self.partner(*p))
                    .collect();
                items.push(Item::Para {
                    s: if names.is_empty() {
                        "Every partner gains from the preferred option over the appraisal period: none is a net contributor.".into()
                    } else {
                        format!(
                            "Net contributors over the appraisal period (their apportioned costs exceed their savings): {}.",
                            names.join(", ")
                        )
                    },
                });
            }
        }

        if let Some(gap) = &r.budget_gap {
            items.push(Item::Heading {
                s: "Budget gap and risk gap".into(),
            });
            let budget_src: Vec<String> = c.sources.budget.iter().map(sheet_range).collect();
            items.extend(self.gap_table(
                "Regional budget gap and risk gap",
                &gap.years,
                &gap.region,
                &budget_src,
            ));
            for (p, t) in &gap.partners {
                items.extend(self.gap_table(
                    &format!("{}: budget gap and risk gap", self.partner(*p)),
                    &gap.years,
                    t,
                    &budget_src,
                ));
            }
            if let (Some(after), Some(totals)) =
                (&r.gap_after_case, &r.derived.gap_after_case_totals)
            {
                let mut lines = Vec::new();
                for ((p, v), (_, total)) in after.partners.iter().zip(&totals.partners) {
                    lines.push(YearLine::new(self.partner(*p), v.clone(), *total, "body"));
                }
                lines.push(YearLine::new(
                    "Region",
                    after.region.clone(),
                    totals.region,
                    "total",
                ));
                let mut src = budget_src.clone();
                src.extend(cost_sources.clone());
                items.extend(self.year_table(
                    "Gap remaining after this case",
                    &format!("{}, nominal prices", self.unit),
                    &after.years,
                    &lines,
                    &src,
                ));
            }
        }
        items.push(Item::Heading {
            s: "Affordability".into(),
        });
        items.push(Item::Para {
            s: self.affordability(),
        });
        items
    }

    fn affordability(&self) -> String {
        let r = self.results;
        let preferred = self.option_name(r.preferred);
        let mut text = String::new();
        if let Some(p) = r.derived.profile_totals(r.preferred) {
            let net = p.nominal.net;
            let capital = p.nominal.capital;
            let verb = if net.is_sign_negative() && !net.is_zero() {
                "costs"
            } else {
                "releases"
            };
            let _ = write!(
                text,
                "Over {}, {preferred} {verb} a net {} in nominal prices, after capital costs of {}. ",
                Self::span(&r.years),
                self.phrase(net.abs()),
                self.phrase(capital)
            );
        }
        if let (Some(after), Some(totals)) = (&r.gap_after_case, &r.derived.gap_after_case_totals) {
            let remaining = totals.region;
            if remaining.is_sign_positive() && !remaining.is_zero() {
                let _ = write!(
                    text,
                    "Set against the regional risk-adjusted gap, it leaves {} to be found over {}: the case is affordable only with further measures.",
                    self.phrase(remaining),
                    Self::span(&after.years)
                );
            } else {
                let _ = write!(
                    text,
                    "Set against the regional risk-adjusted gap, no gap remains over {}: the case is affordable within the partners' plans.",
                    Self::span(&after.years)
                );
            }
        } else {
            text.push_str("The workbook has no Budget sheet, so the case is not set against the partners' budget gaps.");
        }
        text
    }

    fn net_position_table(&self) -> Option<Table> {
        let r = self.results;
        let app = r.apportioned(r.preferred)?;
        let all = r.derived.partner_totals.as_ref()?.all;
        let totals = [
            all.real.costs,
            all.real.savings,
            all.real.net,
            all.nominal.net,
        ];
        let mut rows = Vec::new();
        let mut columns: [Vec<Decimal>; 4] = Default::default();
        for pf in &app.partners {
            let t = r.derived.partner(pf.partner)?;
            let (costs, savings, net, nominal) =
                (t.real.costs, t.real.savings, t.real.net, t.nominal.net);
            for (col, v) in columns.iter_mut().zip([costs, savings, net, nominal]) {
                col.push(v);
            }
            let position = if app.net_contributors.contains(&pf.partner) {
                "net contributor"
            } else {
                "net beneficiary"
            };
            rows.push(Row::new(
                "body",
                vec![
                    self.partner(pf.partner),
                    self.m(costs),
                    self.m(savings),
                    self.m(net),
                    self.m(nominal),
                    position.into(),
                ],
            ));
        }
        rows.push(Row::new(
            "total",
            vec![
                "Total".into(),
                self.m(totals[0]),
                self.m(totals[1]),
                self.m(totals[2]),
                self.m(totals[3]),
                String::new(),
            ],
        ));
        let columns_foot = columns
            .iter()
            .zip(totals)
            .all(|(parts, total)| format::foots(parts, total, self.dp));
        Some(Table {
            number: String::new(),
            caption: "Each partner's net position, preferred option".into(),
            unit: format!("{}, totals {}", self.unit, Self::span(&r.years)),
            columns: vec![
                text_col("Partner", Width::Fr(10)),
                num_col("Costs (real)"),
                num_col("Savings (real)"),
                num_col("Net (real)"),
                num_col("Net (nominal)"),
                text_col("Position", Width::Auto),
            ],
            rows,
            notes: self.note_unless(columns_foot),
            wide: false,
            sources: vec![
                sheet_range(&self.case.sources.partners),
                sheet_range(&self.case.sources.costs),
                sheet_range(&self.case.sources.benefits),
            ],
        })
    }

    fn gap_table(
        &self,
        caption: &str,
        years: &[FiscalYear],
        t: &GapTable,
        src: &[String],
    ) -> Vec<Item> {
        let lines: Vec<YearLine> = GapLine::ALL
            .iter()
            .map(|line| {
                let row = t.row(*line);
                let style = match line {
                    l if l.is_subtotal() => "total",
                    GapLine::LossOfGrantToFloors | GapLine::IncreaseInBorrowing => "memo",
                    _ => "body",
                };
                let l = YearLine::new(line.label(), row.values.clone(), row.total, style);
                match line {
                    GapLine::ResidualGap => l.sum_of(&[(0, false), (1, false), (2, false)]),
                    GapLine::RiskAdjustedGap => l.sum_of(&[(3, false), (4, false)]),
                    _ => l,
                }
            })
            .collect();
        self.year_table(
            caption,
            &format!("{}, nominal prices", self.unit),
            years,
            &lines,
            src,
        )
    }

    fn note_unless(&self, foots: bool) -> Vec<String> {
        if foots {
            Vec::new()
        } else {
            vec![rounding_note(self.dp)]
        }
    }

    /// Whether the figures as shown add up: each line across to its Total,
    /// and each line that is a sum of others, year by year and in total.
    fn foots(&self, lines: &[YearLine]) -> bool {
        let across = lines
            .iter()
            .filter(|l| l.total)
            .all(|l| format::foots(&l.values, l.total_value(), self.dp));
        let down = lines.iter().all(|l| {
            let parts: Vec<(&YearLine, bool)> = l
                .sum_of
                .iter()
                .filter_map(|(i, neg)| lines.get(*i).map(|p| (p, *neg)))
                .collect();
            let signed = |v: Decimal, neg: bool| if neg { -v } else { v };
            let yearly = l.values.iter().enumerate().all(|(y, total)| {
                let figures: Vec<Decimal> = parts
                    .iter()
                    .map(|(p, neg)| signed(p.values.get(y).copied().unwrap_or_default(), *neg))
                    .collect();
                figures.is_empty() || format::foots(&figures, *total, self.dp)
            });
            let totals: Vec<Decimal> = parts
                .iter()
                .map(|(p, neg)| signed(p.total_value(), *neg))
                .collect();
            yearly
                && (totals.is_empty()
                    || !l.total
                    || format::foots(&totals, l.total_value(), self.dp))
        });
        across && down
    }

    /// A table of lines by year with a Total column, split into parts when too wide.
    fn year_table(
        &self,
        caption: &str,
        unit: &str,
        years: &[FiscalYear],
        lines: &[YearLine],
        sources: &[String],
    ) -> Vec<Item> {
        let wide = years.len() > PORTRAIT_YEARS;
        let chunks: Vec<(usize, usize)> = if years.len() > LANDSCAPE_YEARS {
            (0..years.len())
                .step_by(LANDSCAPE_YEARS)
                .map(|s| (s, (s + LANDSCAPE_YEARS).min(years.len())))
                .collect()
        } else {
            vec![(0, years.len())]
        };
        let parts = chunks.len();
        let any_total = lines.iter().any(|l| l.total);
        let mut notes = Vec::new();
        if !self.foots(lines) {
            notes.push(rounding_note(self.dp));
        }
        chunks
            .iter()
            .enumerate()
            .map(|(i, (from, to))| {
                let last = i + 1 == parts;
                let mut columns = vec![text_col("", Width::Fr(10))];
                columns.extend(years[*from..*to].iter().map(|y| num_col(&y.to_string())));
                let last = last && any_total;
                if last {
                    columns.push(num_col("Total"));
                }
                let rows = lines
                    .iter()
                    .map(|l| {
                        let mut c = vec![l.label.clone()];
                        let fmt = |v: &Decimal| match l.places {
                            Some(p) => format::fixed(*v, p),
                            None => self.m(*v),
                        };
                        c.extend(l.values.get(*from..*to).unwrap_or_default().iter().map(fmt));
                        if last {
                            c.push(if l.total {
                                self.m(l.total_value())
                            } else {
                                String::new()
                            });
                        }
                        Row::new(l.style, c)
                    })
                    .collect();
                let caption = if parts > 1 {
                    format!("{caption} (part {} of {parts})", i + 1)
                } else {
                    caption.to_string()
                };
                Item::Table(Table {
                    number: String::new(),
                    caption,
                    unit: unit.to_string(),
                    columns,
                    rows,
                    notes: if i + 1 == parts {
                        notes.clone()
                    } else {
                        Vec::new()
                    },
                    wide,
                    sources: sources.to_vec(),
                })
            })
            .collect()
    }

    fn management(&self) -> Vec<Item> {
        let c = self.case;
        let expected = &self.results.derived.risk_expected_values;
        let mut items = vec![Item::Heading {
            s: "Risk register".into(),
        }];
        if c.risks.is_empty() {
            items.push(Item::Para {
                s: "The workbook records no quantified risks.".into(),
            });
            return items;
        }
        let rows = c
            .risks
            .iter()
            .enumerate()
            .map(|(i, k)| {
                Row::new(
                    "body",
                    vec![
                        k.id.clone(),
                        k.description.clone(),
                        c.options
                            .get(k.option)
                            .map(|o| o.id.clone())
                            .unwrap_or_default(),
                        c.years
                            .get(k.year)
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        percent(k.probability, 1),
                        self.m(k.impact),
                        self.m(expected.get(i).copied().unwrap_or_default()),
                        k.owner.clone(),
                        k.mitigation.clone(),
                    ],
                )
            })
            .collect();
        items.push(Item::Table(Table {
            number: String::new(),
            caption: "Risk register".into(),
            unit: format!("{}, real {} prices", self.unit, self.results.base_year),
            columns: vec![
                text_col("ID", Width::Auto),
                text_col("Risk", Width::Fr(20)),
                text_col("Option", Width::Auto),
                text_col("Year", Width::Auto),
                num_col("Probability"),
                num_col("Impact"),
                num_col("Expected value"),
                text_col("Owner", Width::Fr(12)),
                text_col("Mitigation", Width::Fr(20)),
            ],
            rows,
            notes: vec!["Expected value = probability × impact; the appraisal adds it to each option's costs in the year shown.".into()],
            wide: true,
            sources: c.sources.risks.iter().map(sheet_range).collect(),
        }));
        items
    }

    fn assumptions(&self) -> Vec<Item> {
        let a = &self.case.assumptions;
        let at = |cell: &Option<crate::model::CellRef>| {
            cell.as_ref()
                .map_or_else(|| "default".to_string(), ToString::to_string)
        };
        let rate = match a.discount_rate.value {
            DiscountRate::GreenBook => {
                format!("Green Book STPR ({} edition)", self.results.edition)
            }
            DiscountRate::Fixed(r) => format!("fixed {}", percent(r, 2)),
        };
        let key = self
            .case
            .partners
            .key_columns
            .get(a.apportionment_key.value)
            .cloned()
            .unwrap_or_default();
        let rows = vec![
            Row::new(
                "body",
                vec![
                    "Base year (price base and year 0)".into(),
                    a.base_year.value.to_string(),
                    at(&a.base_year.at),
                ],
            ),
            Row::new(
                "body",
                vec![
                    "Money unit".into(),
                    a.unit.value.label().into(),
                    at(&a.unit.at),
                ],
            ),
            Row::new(
                "body",
                vec!["Discount rate".into(), rate, at(&a.discount_rate.at)],
            ),
            Row::new(
                "body",
                vec![
                    "General inflation (a year)".into(),
                    percent(a.general_inflation.value, 2),
                    at(&a.general_inflation.at),
                ],
            ),
            Row::new(
                "body",
                vec![
                    "Pay inflation (a year)".into(),
                    percent(a.pay_inflation.value, 2),
                    at(&a.pay_inflation.at),
                ],
            ),
            Row::new(
                "body",
                vec!["Apportionment key".into(), key, at(&a.apportionment_key.at)],
            ),
            Row::new(
                "body",
                vec![
                    "Green Book edition".into(),
                    self.results.edition.year().into(),
                    "case.toml".into(),
                ],
            ),
            Row::new(
                "body",
                vec![
                    "Appraisal period".into(),
                    Self::span(&self.results.years),
                    sheet_range(&self.case.sources.costs),
                ],
            ),
        ];
        vec![Item::Table(Table {
            number: String::new(),
            caption: "Assumptions and their sources".into(),
            unit: String::new(),
            columns: vec![
                text_col("Assumption", Width::Fr(10)),
                text_col("Value", Width::Fr(10)),
                text_col("Source", Width::Fr(10)),
            ],
            rows,
            notes: Vec::new(),
            wide: false,
            sources: self
                .case
                .sources
                .assumptions
                .iter()
                .map(sheet_range)
                .collect(),
        })]
    }

    fn methodology(&self) -> Vec<Item> {
        let r = self.results;
        let mut items = vec![Item::Bullets {
            items: vec![
                format!("Appraisal: each option is compared with business as usual over {}, in real {} prices.", Self::span(&r.years), r.base_year),
                "Discounting: the discount factor of year t is D(t) = D(t−1) / (1 + r(t)), with D = 1 in year 0 and r(t) the rate of the band year t falls in.".into(),
                "Optimism bias: capital and revenue costs are uplifted by each option's rates before risk is added.".into(),
                "Risk: each risk adds its expected value (probability × impact) to its option's costs in its year.".into(),
                "Net present social value = present value of benefits − present value of costs; benefit-cost ratio = present value of benefits ÷ present value of costs, both incremental to business as usual.".into(),
                "Nominal prices: real amounts are inflated from the base year by general or pay inflation, as each cost line says.".into(),
                format!("Rounding: figures are computed exactly and shown in {} to {} decimal place(s), half away from zero; totals are of exact values.", self.unit, self.dp),
            ],
        }];
        if let DiscountRate::GreenBook = r.discount_rate {
            let schedule = params::discount_schedule(r.edition);
            let rows = schedule
                .bands
                .iter()
                .map(|b| {
                    let years = match b.to {
                        Some(to) => format!("{}–{}", b.from, to),
                        None => format!("{} and later", b.from),
                    };
                    Row::new("body", vec![years, percent(b.rate, 2)])
                })
                .collect();
            items.push(Item::Table(Table {
                number: String::new(),
                caption: format!(
                    "Social Time Preference Rate, Green Book {} edition",
                    r.edition
                ),
                unit: String::new(),
                columns: vec![
                    text_col("Years from the base year", Width::Fr(10)),
                    num_col("Rate"),
                ],
                rows,
                notes: vec![schedule.source.to_string()],
                wide: false,
                sources: vec!["fivecase parameter table".into()],
            }));
        }
        // One row a year: a long appraisal period runs down the page, not off it.
        let rows = r
            .years
            .iter()
            .zip(self.case.periods())
            .zip(&r.discount_factors)
            .map(|((y, t), d)| {
                Row::new(
                    "body",
                    vec![y.to_string(), t.to_string(), format::fixed(*d, 4)],
                )
            })
            .collect();
        items.push(Item::Table(Table {
            number: String::new(),
            caption: "Discount factors".into(),
            unit: String::new(),
            columns: vec![
                text_col("Financial year", Width::Auto),
                num_col("Years from the base year"),
                num_col("Discount factor"),
            ],
            rows,
            notes: Vec::new(),
            wide: false,
            sources: vec!["fivecase parameter table".into()],
        }));
        items
    }
}

fn rounding_note(dp: u32) -> String {
    let places = match dp {
        0 => "whole units".to_string(),
        1 => "one decimal place".to_string(),
        n => format!("{n} decimal places"),
    };
    format!(
        "Figures are rounded to {places} from exact values, so some totals differ from the sum of the figures shown."
    )
}

/// The lines of a savings profile.
fn profile_lines(years: &[ProfileYear], t: &ProfileYear) -> Vec<YearLine> {
    let col = |f: fn(&ProfileYear) -> Decimal| years.iter().map(f).collect::<Vec<_>>();
    vec![
        YearLine::new("Cashable savings", col(|y| y.cashable), t.cashable, "body"),
        YearLine::new("Capital costs", col(|y| y.capital), t.capital, "body"),
        YearLine::new("Revenue costs", col(|y| y.revenue), t.revenue, "body"),
        YearLine::new("Total costs", col(|y| y.costs), t.costs, "subtotal")
            .sum_of(&[(1, false), (2, false)]),
        YearLine::new("Net saving", col(|y| y.net), t.net, "total")
            .sum_of(&[(0, false), (3, true)]),
        YearLine {
            total: false,
            ..YearLine::new(
                "Cumulative net",
                col(|y| y.cumulative_net),
                t.cumulative_net,
                "memo",
            )
        },
    ]
}

/// The lines of one partner's flows.
fn flow_lines(f: &Flows, t: &FlowTotals) -> Vec<YearLine> {
    vec![
        YearLine::new("Capital costs", f.capital.clone(), t.capital, "body"),
        YearLine::new("Revenue costs", f.revenue.clone(), t.revenue, "body"),
        YearLine::new("Total costs", f.costs.clone(), t.costs, "subtotal")
            .sum_of(&[(0, false), (1, false)]),
        YearLine::new("Cashable savings", f.savings.clone(), t.savings, "body"),
        YearLine::new("Net saving", f.net.clone(), t.net, "total").sum_of(&[(3, false), (2, true)]),
    ]
}

/// A share as a percentage to exactly two places, so a column of shares aligns: `21.30%`.
fn share_percent(share: Decimal) -> String {
    format!("{}%", format::fixed(share * Decimal::ONE_HUNDRED, 2))
}

/// A key value as entered: thousands separators, its own decimals.
fn plain_number(v: Decimal) -> String {
    let v = v.normalize();
    money(v, v.scale().min(4))
}

fn category_name(category: ObCategory, case: &Case) -> &'static str {
    params::optimism_bias_table(case.meta.edition)
        .row(category)
        .map_or("category", |r| r.name)
}

/// A sheet's data, header row included, as `Costs!A4:N40`.
fn sheet_range(s: &SheetSource) -> String {
    let first_col = s.columns.values().min().copied().unwrap_or(0);
    let last_col = s.columns.values().max().copied().unwrap_or(0);
    CellRange {
        sheet: s.name.clone(),
        first_row: s.header_row,
        first_col,
        last_row: s.last_data_row.max(s.header_row),
        last_col,
    }
    .to_string()
}

/// The source-map appendix: every table in the document and where its inputs are.
fn source_map(view: &View) -> Vec<Item> {
    let mut rows = Vec::new();
    let mut add = |items: &[Item], section: &str| {
        for item in items {
            if let Item::Table(t) = item {
                rows.push(Row::new(
                    "body",
                    vec![
                        section.to_string(),
                        format!("{}: {}", t.number, t.caption),
                        t.sources.join("; "),
                    ],
                ));
            }
        }
    };
    let mut control = Vec::new();
    control.extend(view.control.history.clone().map(Item::Table));
    control.extend(view.control.approvals.clone().map(Item::Table));
    add(&control, "Document control");
    add(&view.summary.headline, "Executive summary");
    add(&view.economic, "2 Economic Case");
    add(&view.financial, "4 Financial Case");
    add(&view.management, "5 Management Case");
    add(&view.appendix_assumptions, "Appendix A");
    add(&view.appendix_methodology, "Appendix B");
    vec![Item::Table(Table {
        number: String::new(),
        caption: "Where each table's figures come from".into(),
        unit: String::new(),
        columns: vec![text_col("Section", Width::Auto), text_col("Table", Width::Fr(15)), text_col("Workbook ranges", Width::Fr(15))],
        rows,
        notes: vec!["Ranges include each sheet's header row; amounts computed by fivecase are derived from the ranges named.".into()],
        wide: false,
        sources: Vec::new(),
    })]
}
