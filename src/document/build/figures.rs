//! The narrative's live figures: the vocabulary of `{{ … }}` placeholders
//! (docs/narrative.md), how each resolves against the engine's
//! [`Results`], and the problems of a narrative's figures: unknown names,
//! options, partners, keys and years (errors), and money literals that are
//! none of the case's headline figures (warnings).
//!
//! A figure prints as the document prints it elsewhere, through the
//! builder's own formatting ([`Builder::phrase`] for amounts, the
//! benefit-cost ratio to two places, shares as the apportionment table
//! shows them): no second formatter, and no arithmetic on money. The one
//! declaration, [`VOCABULARY`], is what resolution, the errors' hints and
//! the table in docs/narrative.md come from.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::{Builder, share_percent, vfm_short};
use crate::compute::{OptionAppraisal, Results};
use crate::document::markdown::{self, Placeholder};
use crate::format;
use crate::model::{Case, FiscalYear, NarrativePart, OptionId, PartnerId, Unit};

/// What an argument of a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An option, by its id or name (default: the preferred option).
    Option,
    /// A partner, by name (default: the region, where the figure has one).
    Partner,
    /// A fiscal year, `2027/28` or `2027-28` (default: the whole period).
    Year,
    /// `real` (the default) or `nominal`.
    Prices,
    /// An apportionment key column, by header (default: the case's key).
    Key,
    /// Any text, quoted when it has spaces.
    Text,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Option => "an option",
            Kind::Partner => "a partner",
            Kind::Year => "a year",
            Kind::Prices => "real or nominal",
            Kind::Key => "an apportionment key",
            Kind::Text => "a text",
        }
    }
}

/// One figure of the vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    /// The arguments as the documentation writes them.
    pub usage: &'static str,
    /// Every kind of argument it takes, each at most once.
    pub takes: &'static [Kind],
    /// The kinds it cannot do without.
    pub needs: &'static [Kind],
    /// What it prints, in a sentence.
    pub doc: &'static str,
}

/// Every figure a narrative can quote.
pub const VOCABULARY: &[Entry] = &[
    Entry {
        name: "npsv",
        usage: "[OPTION]",
        takes: &[Kind::Option],
        needs: &[],
        doc: "The option's net present social value against business as usual (present value, real prices), as the headline table prints it with its unit: `£12.3m`, `−£1.4m`.",
    },
    Entry {
        name: "bcr",
        usage: "[OPTION]",
        takes: &[Kind::Option],
        needs: &[],
        doc: "The option's benefit-cost ratio to two places, or its value-for-money category where it has no ratio (`dominant`, `cost-saving`).",
    },
    Entry {
        name: "vfm",
        usage: "[OPTION]",
        takes: &[Kind::Option],
        needs: &[],
        doc: "The option's value for money in words, as the Economic Case says it: `a benefit-cost ratio of 2.31`, `it costs less than business as usual and delivers more: it dominates`.",
    },
    Entry {
        name: "pv-costs",
        usage: "[OPTION]",
        takes: &[Kind::Option],
        needs: &[],
        doc: "The option's present value of costs, with optimism bias and risk.",
    },
    Entry {
        name: "pv-benefits",
        usage: "[OPTION]",
        takes: &[Kind::Option],
        needs: &[],
        doc: "The option's present value of benefits, cashable and non-cashable.",
    },
    Entry {
        name: "net-public-cost",
        usage: "[OPTION]",
        takes: &[Kind::Option],
        needs: &[],
        doc: "The option's net public cost: present value of costs less cashable benefits.",
    },
    Entry {
        name: "payback",
        usage: "[OPTION] [real|nominal]",
        takes: &[Kind::Option, Kind::Prices],
        needs: &[],
        doc: "The option's payback year (`2029/30`), in real prices or, with `nominal`, as the savings chart shows it; `not within the appraisal period` where it does not pay back.",
    },
    Entry {
        name: "savings",
        usage: "[OPTION] [YEAR] [real|nominal]",
        takes: &[Kind::Option, Kind::Year, Kind::Prices],
        needs: &[],
        doc: "The option's cashable savings against business as usual, in one year or (without a year) summed over the appraisal period, in real or nominal prices.",
    },
    Entry {
        name: "net",
        usage: "[OPTION] [PARTNER] [YEAR] [real|nominal]",
        takes: &[Kind::Option, Kind::Partner, Kind::Year, Kind::Prices],
        needs: &[],
        doc: "The option's net saving (cashable savings less costs, against business as usual) for the region or, with a partner, that partner's share; in one year or summed over the appraisal period; real or nominal prices.",
    },
    Entry {
        name: "share",
        usage: "PARTNER [KEY]",
        takes: &[Kind::Partner, Kind::Key],
        needs: &[Kind::Partner],
        doc: "The partner's share under the case's apportionment key or under any key column of the Partners sheet, as the apportionment table prints it: `21.30%`.",
    },
    Entry {
        name: "net-revenue-effect",
        usage: "[PARTNER] [YEAR]",
        takes: &[Kind::Partner, Kind::Year],
        needs: &[],
        doc: "The preferred option's net revenue effect (nominal) on the partner's budget, or the region's: in one year; without a year, the total less contingency over the years affordability is judged over, as the Financial Case sums it.",
    },
    Entry {
        name: "gap-after",
        usage: "[PARTNER] [YEAR]",
        takes: &[Kind::Partner, Kind::Year],
        needs: &[],
        doc: "The budget gap remaining after the case (nominal) for the partner or the region, in one budget year or summed over the budget years. Needs a Budget sheet.",
    },
    Entry {
        name: "preferred",
        usage: "",
        takes: &[],
        needs: &[],
        doc: "The preferred option's name, as the Options sheet writes it.",
    },
    Entry {
        name: "option",
        usage: "OPTION",
        takes: &[Kind::Option],
        needs: &[Kind::Option],
        doc: "The option's name, as the Options sheet writes it.",
    },
    Entry {
        name: "referred-to",
        usage: "OPTION",
        takes: &[Kind::Option],
        needs: &[Kind::Option],
        doc: "How the document refers to the option in a sentence: its `Referred to as` where the Options sheet gives one, else its name.",
    },
    Entry {
        name: "literal",
        usage: "TEXT",
        takes: &[Kind::Text],
        needs: &[Kind::Text],
        doc: "The text as written: a figure that is not the case's (`{{ literal \"£129m\" }}`), without the stale-figure warning.",
    },
];

/// Problems listed for one narrative file at most: a file of thousands of
/// broken placeholders is told so once, not in thousands of lines.
const MAX_PROBLEMS: usize = 100;

/// A problem with a narrative's figures, at a position of its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeProblem {
    pub part: NarrativePart,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    /// An error stops `check` and `build`; otherwise a warning.
    pub error: bool,
}

/// Every problem of the case's narrative figures, in part and file order:
/// placeholders that do not resolve (errors) and money literals that are
/// none of the case's headline figures (warnings).
pub fn narrative_problems(case: &Case, results: &Results) -> Vec<NarrativeProblem> {
    let b = Builder::new(case, results);
    let headline = b.headline_figures();
    let mut out = Vec::new();
    for (part, text) in &case.narrative.parts {
        let mut found: Vec<NarrativeProblem> = markdown::placeholders(text)
            .iter()
            .filter_map(|p| {
                b.figure(p).err().map(|(message, hint)| NarrativeProblem {
                    part: *part,
                    line: p.line,
                    col: p.col,
                    message,
                    hint,
                    error: true,
                })
            })
            // Both lists are in file order: one more than are listed of each is enough.
            .take(MAX_PROBLEMS + 1)
            .collect();
        let mut stale = 0;
        for lit in markdown::money_literals(text) {
            if stale > MAX_PROBLEMS {
                break;
            }
            if !headline.iter().any(|f| matches(&lit, *f, results.unit)) {
                stale += 1;
                found.push(NarrativeProblem {
                    part: *part,
                    line: lit.line,
                    col: lit.col,
                    message: format!(
                        "{} is not a figure of this case; write {{{{ … }}}} to keep it current",
                        lit.text
                    ),
                    hint: Some(
                        "name the figure, e.g. {{ npsv }}, or write {{ literal \"…\" }} for a figure that is not the case's (docs/narrative.md)".into(),
                    ),
                    error: false,
                });
            }
        }
        found.sort_by_key(|p| (p.line, p.col));
        if found.len() > MAX_PROBLEMS {
            let error = found.iter().any(|p| p.error);
            found.truncate(MAX_PROBLEMS);
            let (line, col) = found.last().map_or((1, 1), |p| (p.line, p.col));
            found.push(NarrativeProblem {
                part: *part,
                line,
                col,
                message: format!(
                    "more than {MAX_PROBLEMS} problems with this file's figures; the first {MAX_PROBLEMS} are listed"
                ),
                hint: None,
                error,
            });
        }
        out.extend(found);
    }
    out
}

/// The vocabulary as a Markdown table, for docs/narrative.md.
pub fn vocabulary_table() -> String {
    let mut out = String::from("| Figure | Arguments | What it prints |\n|---|---|---|\n");
    for e in VOCABULARY {
        let usage = if e.usage.is_empty() {
            "none".to_string()
        } else {
            format!("`{}`", e.usage.replace('|', "\\|"))
        };
        let _ = writeln!(
            out,
            "| `{}` | {usage} | {} |",
            e.name,
            e.doc.replace('|', "\\|")
        );
    }
    out
}

/// True when `lit`, read at its own precision, is `figure` (in `unit`) or its magnitude.
fn matches(lit: &markdown::MoneyLiteral, figure: Decimal, unit: Unit) -> bool {
    let unit_thousands: u32 = match unit {
        Unit::Pounds => 0,
        Unit::Thousands => 1,
        Unit::Millions => 2,
    };
    let thousand = Decimal::from(1000);
    let mut v = figure.abs();
    // An exact change of unit by powers of 1,000: no arithmetic on the figure's value.
    for _ in lit.thousands..unit_thousands {
        match v.checked_mul(thousand) {
            Some(x) => v = x,
            None => return false,
        }
    }
    for _ in unit_thousands..lit.thousands {
        match v.checked_div(thousand) {
            Some(x) => v = x,
            None => return false,
        }
    }
    format::round_display(v, lit.decimals) == lit.value.round_dp(lit.decimals)
}

/// What a placeholder's arguments name.
#[derive(Debug, Default)]
struct Args {
    option: Option<OptionId>,
    partner: Option<PartnerId>,
    year: Option<FiscalYear>,
    nominal: Option<bool>,
    key: Option<(String, Vec<Decimal>)>,
    text: Option<String>,
}

type Failure = (String, Option<String>);

impl Builder<'_> {
    /// Every amount a narrative may quote as a literal without a warning:
    /// for every option, its present values of costs and benefits, npsv,
    /// net public cost and total cashable savings; for every option and
    /// partner, the total real net; for each partner (and the region), the
    /// total net revenue effect; the totals of the region's profile.
    fn headline_figures(&self) -> Vec<Decimal> {
        let r = self.results;
        let mut out = Vec::new();
        for o in &r.options {
            out.extend([o.pv_costs, o.pv_benefits, o.npsv, o.net_public_cost]);
            if let Some(p) = r.workings.profile(o.option) {
                out.extend([
                    p.real_total.cashable,
                    p.real_total.net,
                    p.nominal_total.cashable,
                    p.nominal_total.net,
                ]);
            }
            if let Some(a) = r.workings.apportioned(o.option) {
                out.extend(a.partners.iter().map(|p| p.real.net));
            }
        }
        if let Some(fc) = &r.financial_case {
            out.extend(fc.partners.iter().map(|p| p.total));
            out.push(fc.region_total);
        }
        if let Some(g) = &r.workings.gap_after_case {
            out.push(g.region);
            out.extend(g.partners.iter().map(|p| p.total));
        }
        out
    }

    /// What the placeholder prints, or why it cannot.
    fn figure(&self, p: &Placeholder) -> Result<String, Failure> {
        let words = p.words.clone().map_err(|e| (e, None))?;
        let Some((name, rest)) = words.split_first() else {
            return Err(("an empty placeholder".into(), None));
        };
        let Some(entry) = VOCABULARY.iter().find(|e| crate::names::same(e.name, name)) else {
            return Err((
                format!("unknown figure '{name}'"),
                Some(crate::names::hint(
                    name,
                    VOCABULARY.iter().map(|e| e.name),
                    "figures",
                )),
            ));
        };
        let args = self.args(entry, rest)?;
        self.value(entry, &args)
    }

    /// Reads `words` as the arguments `entry` takes.
    fn args(&self, entry: &Entry, words: &[String]) -> Result<Args, Failure> {
        let usage =
            || Some(format!("write {{{{ {} {} }}}}", entry.name, entry.usage).replace("  ", " "));
        let mut args = Args::default();
        for w in words {
            let kind = if entry.takes == [Kind::Text] {
                Kind::Text
            } else {
                self.kind_of(w).ok_or_else(|| self.unknown(entry, w))?
            };
            if !entry.takes.contains(&kind) {
                return Err((
                    format!(
                        "'{}' takes no {}: '{w}' is {}",
                        entry.name,
                        noun(kind),
                        kind.what()
                    ),
                    usage(),
                ));
            }
            let twice = match kind {
                Kind::Option => args.option.replace(self.option_of(w)?).is_some(),
                Kind::Partner => args.partner.replace(self.partner_of(w)?).is_some(),
                Kind::Year => args.year.replace(year_of(w)?).is_some(),
                Kind::Prices => args
                    .nominal
                    .replace(crate::names::same(w, "nominal"))
                    .is_some(),
                Kind::Key => args.key.replace(self.key_of(w)?).is_some(),
                Kind::Text => args.text.replace(w.clone()).is_some(),
            };
            if twice {
                return Err((
                    format!(
                        "'{}' takes one {}: '{w}' is a second",
                        entry.name,
                        noun(kind)
                    ),
                    usage(),
                ));
            }
        }
        for need in entry.needs {
            let has = match need {
                Kind::Option => args.option.is_some(),
                Kind::Partner => args.partner.is_some(),
                Kind::Year => args.year.is_some(),
                Kind::Prices => args.nominal.is_some(),
                Kind::Key => args.key.is_some(),
                Kind::Text => args.text.is_some(),
            };
            if !has {
                return Err((format!("'{}' needs {}", entry.name, need.what()), usage()));
            }
        }
        Ok(args)
    }

    /// What kind of argument `w` is, trying prices, years, options,
    /// partners and keys in turn.
    fn kind_of(&self, w: &str) -> Option<Kind> {
        if crate::names::same(w, "real") || crate::names::same(w, "nominal") {
            Some(Kind::Prices)
        } else if looks_like_year(w) {
            Some(Kind::Year)
        } else if self.option_of(w).is_ok() {
            Some(Kind::Option)
        } else if self.partner_of(w).is_ok() {
            Some(Kind::Partner)
        } else if self.key_of(w).is_ok() {
            Some(Kind::Key)
        } else {
            None
        }
    }

    /// The error for a word that names nothing the figure takes.
    fn unknown(&self, entry: &Entry, w: &str) -> Failure {
        let c = self.case;
        let mut candidates: Vec<&str> = Vec::new();
        let mut kinds = Vec::new();
        for kind in entry.takes {
            match kind {
                Kind::Option => {
                    candidates.extend(c.options.iter().map(|o| o.id.as_str()));
                    kinds.push("option");
                }
                Kind::Partner => {
                    candidates.extend(c.partners.names.iter().map(String::as_str));
                    kinds.push("partner");
                }
                Kind::Key => {
                    candidates.extend(self.keys().into_iter().map(|(k, _)| k));
                    kinds.push("key");
                }
                Kind::Prices => {
                    candidates.extend(["real", "nominal"]);
                }
                Kind::Year => kinds.push("year"),
                Kind::Text => {}
            }
        }
        let message = if kinds.len() == 1 {
            format!("unknown {} '{w}'", kinds[0])
        } else {
            let mut list = kinds.join(", ");
            if let Some(i) = list.rfind(", ") {
                list.replace_range(i..i + 2, " or ");
            }
            format!("'{w}' names no {list} of this case")
        };
        let hint = if candidates.is_empty() {
            None
        } else {
            Some(crate::names::hint(w, candidates, "names it takes"))
        };
        (format!("'{}': {message}", entry.name), hint)
    }

    fn option_of(&self, w: &str) -> Result<OptionId, Failure> {
        let c = self.case;
        crate::names::find(c.options.iter().map(|o| o.id.as_str()), w)
            .or_else(|| crate::names::find(c.options.iter().map(|o| o.name.as_str()), w))
            .map(OptionId::new)
            .ok_or_else(|| {
                (
                    format!("unknown option '{w}'"),
                    Some(crate::names::hint(
                        w,
                        c.options.iter().map(|o| o.id.as_str()),
                        "options",
                    )),
                )
            })
    }

    fn partner_of(&self, w: &str) -> Result<PartnerId, Failure> {
        let names = &self.case.partners.names;
        crate::names::find(names.iter().map(String::as_str), w)
            .map(PartnerId::new)
            .ok_or_else(|| {
                (
                    format!("unknown partner '{w}'"),
                    Some(crate::names::hint(
                        w,
                        names.iter().map(String::as_str),
                        "partners",
                    )),
                )
            })
    }

    /// The keys whose shares the results hold: the case's, then every key
    /// column of the Partners sheet (those that total more than zero).
    fn keys(&self) -> Vec<(&str, &[Decimal])> {
        let a = &self.results.apportionment;
        std::iter::once((a.key.as_str(), a.shares.as_slice()))
            .chain(
                a.every_key
                    .iter()
                    .chain(&a.line_keys)
                    .map(|k| (k.key.as_str(), k.shares.as_slice())),
            )
            .collect()
    }

    fn key_of(&self, w: &str) -> Result<(String, Vec<Decimal>), Failure> {
        let keys = self.keys();
        crate::names::find(keys.iter().map(|(k, _)| *k), w)
            .and_then(|i| keys.get(i))
            .map(|(k, s)| ((*k).to_string(), s.to_vec()))
            .ok_or_else(|| {
                (
                    format!("unknown apportionment key '{w}'"),
                    Some(crate::names::hint(
                        w,
                        keys.iter().map(|(k, _)| *k),
                        "keys the case apportions by",
                    )),
                )
            })
    }

    /// The appraisal option `args` names, the preferred one by default.
    fn appraisal(&self, args: &Args) -> Result<&OptionAppraisal, Failure> {
        let id = args.option.unwrap_or(self.results.preferred);
        self.results
            .option(id)
            .ok_or_else(|| ("the option has no appraisal".into(), None))
    }

    /// The position of `year` among `years`, or the error naming the range.
    fn year_index(year: FiscalYear, years: &[FiscalYear], what: &str) -> Result<usize, Failure> {
        years.iter().position(|y| *y == year).ok_or_else(|| {
            let range = match (years.first(), years.last()) {
                (Some(a), Some(b)) => format!(" ({a} to {b})"),
                _ => String::new(),
            };
            (format!("year {year} is not one of the {what}{range}"), None)
        })
    }

    fn value(&self, entry: &Entry, args: &Args) -> Result<String, Failure> {
        let r = self.results;
        let nominal = args.nominal.unwrap_or(false);
        let printed = match entry.name {
            "npsv" => self.phrase(self.appraisal(args)?.npsv),
            "bcr" => {
                let o = self.appraisal(args)?;
                o.bcr.map_or_else(
                    || vfm_short(o.value_for_money).to_string(),
                    |b| format::fixed(b, 2),
                )
            }
            "vfm" => self.vfm_words(self.appraisal(args)?),
            "pv-costs" => self.phrase(self.appraisal(args)?.pv_costs),
            "pv-benefits" => self.phrase(self.appraisal(args)?.pv_benefits),
            "net-public-cost" => self.phrase(self.appraisal(args)?.net_public_cost),
            "payback" => {
                let o = self.appraisal(args)?;
                let year = if nominal {
                    o.payback_year_nominal
                } else {
                    o.payback_year
                };
                year.map_or_else(
                    || "not within the appraisal period".into(),
                    |y| y.to_string(),
                )
            }
            "savings" | "net" => self.phrase(self.flow(entry, args)?),
            "share" => {
                let partner = args.partner.map_or(0, PartnerId::index);
                let shares = args
                    .key
                    .as_ref()
                    .map_or(r.apportionment.shares.as_slice(), |(_, s)| s.as_slice());
                shares
                    .get(partner)
                    .map(|s| share_percent(*s))
                    .ok_or_else(|| ("the partner has no share".to_string(), None))?
            }
            "net-revenue-effect" => {
                let fc = r.financial_case.as_ref().ok_or_else(|| {
                    (
                        "the case has no Financial Case figures (no preferred option to show)"
                            .to_string(),
                        None,
                    )
                })?;
                let (years, total) = match args.partner {
                    Some(p) => {
                        let f = fc.partners.get(p.index()).ok_or_else(|| {
                            (
                                "the partner has no Financial Case figures".to_string(),
                                None,
                            )
                        })?;
                        (&f.net_revenue_effect, f.total)
                    }
                    None => (&fc.region_net_revenue_effect, fc.region_total),
                };
                let v = match args.year {
                    Some(y) => {
                        let i = Self::year_index(y, &r.years, "appraisal years")?;
                        years.get(i).copied().unwrap_or_default()
                    }
                    None => total,
                };
                self.phrase(v)
            }
            "gap-after" => {
                let (Some(gap), Some(totals)) = (&r.gap_after_case, &r.workings.gap_after_case)
                else {
                    return Err((
                        "'gap-after': the case has no Budget sheet, so no gap after the case"
                            .into(),
                        None,
                    ));
                };
                let v = match (args.partner, args.year) {
                    (None, None) => totals.region,
                    (None, Some(y)) => {
                        let i = Self::year_index(y, &gap.years, "budget years")?;
                        gap.region.get(i).copied().unwrap_or_default()
                    }
                    (Some(p), None) => totals
                        .partners
                        .get(p.index())
                        .map(|t| t.total)
                        .unwrap_or_default(),
                    (Some(p), Some(y)) => {
                        let i = Self::year_index(y, &gap.years, "budget years")?;
                        gap.partners
                            .get(p.index())
                            .and_then(|g| g.gap.get(i))
                            .copied()
                            .unwrap_or_default()
                    }
                };
                self.phrase(v)
            }
            "preferred" => self.option_as_written(r.preferred),
            "option" => self.option_as_written(args.option.unwrap_or(r.preferred)),
            "referred-to" => self.referred_to(args.option.unwrap_or(r.preferred)),
            "literal" => args.text.clone().unwrap_or_default(),
            other => return Err((format!("unknown figure '{other}'"), None)),
        };
        Ok(printed)
    }

    /// A savings or net figure (`entry` is `savings` or `net`) of the option
    /// `args` names, for the region or a partner, a year or the period.
    fn flow(&self, entry: &Entry, args: &Args) -> Result<Decimal, Failure> {
        let results = self.results;
        let nominal = args.nominal.unwrap_or(false);
        let option = self.appraisal(args)?;
        if option.baseline {
            return Err((
                format!(
                    "'{}': {} is business as usual, which the figure is measured against",
                    entry.name, option.id
                ),
                Some("name another option".into()),
            ));
        }
        let index = args
            .year
            .map(|y| Self::year_index(y, &results.years, "appraisal years"))
            .transpose()?;
        let missing = || ("the option has no savings profile".to_string(), None);
        let pick = |y: &crate::compute::ProfileYear| {
            if entry.name == "savings" {
                y.cashable
            } else {
                y.net
            }
        };
        let partner = args.partner.filter(|_| entry.name == "net");
        let value = if let Some(partner) = partner {
            if let Some(i) = index {
                let shares = results.apportioned(option.option).ok_or_else(missing)?;
                let flows = shares.partners.get(partner.index()).ok_or_else(missing)?;
                let f = if nominal { &flows.nominal } else { &flows.real };
                f.net.get(i).copied().ok_or_else(missing)?
            } else {
                let totals = results
                    .workings
                    .apportioned(option.option)
                    .ok_or_else(missing)?;
                let t = totals.partners.get(partner.index()).ok_or_else(missing)?;
                if nominal { t.nominal.net } else { t.real.net }
            }
        } else if let Some(i) = index {
            let profile = results.profile(option.option).ok_or_else(missing)?;
            let years = if nominal {
                &profile.nominal
            } else {
                &profile.real
            };
            years.get(i).map(pick).ok_or_else(missing)?
        } else {
            let w = results
                .workings
                .profile(option.option)
                .ok_or_else(missing)?;
            pick(if nominal {
                &w.nominal_total
            } else {
                &w.real_total
            })
        };
        Ok(value)
    }

    /// How a sentence refers to the option: its `Referred to as`, else its
    /// name with the article rule ([`Case::referred_to`]).
    fn referred_to(&self, id: OptionId) -> String {
        self.case.referred_to(id)
    }

    /// The option's name as the Options sheet writes it.
    fn option_as_written(&self, id: OptionId) -> String {
        self.case
            .option(id)
            .map_or_else(|| format!("option {}", id.index() + 1), |o| o.name.clone())
    }

    /// The narrative part's text with every placeholder resolved, parsed;
    /// a placeholder that does not resolve prints as written (`check` and
    /// `build` refuse such a narrative before it is typeset).
    pub(super) fn narrative_with_figures(&self, text: &str) -> Vec<markdown::Block> {
        markdown::parse_with(text, |p| {
            self.figure(p)
                .unwrap_or_else(|_| text.get(p.start..p.end).unwrap_or("").to_string())
        })
    }
}

/// The noun of a kind, for "takes no …" and "takes one …".
fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Option => "option",
        Kind::Partner => "partner",
        Kind::Year => "year",
        Kind::Prices => "prices",
        Kind::Key => "key",
        Kind::Text => "text",
    }
}

/// True when `w` is written like a fiscal year (`2027/28`, `2027-28`, `FY2027/28`).
fn looks_like_year(w: &str) -> bool {
    let body = w.trim_start_matches(['F', 'Y', 'f', 'y']);
    body.len() >= 4 && body.chars().take(4).all(|c| c.is_ascii_digit())
}

fn year_of(w: &str) -> Result<FiscalYear, Failure> {
    w.parse::<FiscalYear>().map_err(|e| {
        (
            format!("'{w}' is not a fiscal year: {e}"),
            Some("write a year as 2027/28".into()),
        )
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::format::money;

    fn sample() -> (Case, Results) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
        let loaded = crate::ingest::load(&path).unwrap_or_else(|d| panic!("{d:?}"));
        let results = crate::compute::compute(&loaded.case).unwrap_or_else(|e| panic!("{e}"));
        (loaded.case, results)
    }

    /// What `text`'s one placeholder prints, or its error and hint.
    fn eval(case: &Case, results: &Results, text: &str) -> Result<String, Failure> {
        let b = Builder::new(case, results);
        let found = markdown::placeholders(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        b.figure(&found[0])
    }

    fn ok(case: &Case, results: &Results, text: &str) -> String {
        eval(case, results, text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    /// The sample is in £k with no decimals: what the tables print, with the unit.
    fn k(v: Decimal) -> String {
        let body = money(v.abs(), 0);
        if format::round_display(v, 0).is_sign_negative() {
            format!("−£{body}k")
        } else {
            format!("£{body}k")
        }
    }

    #[test]
    fn every_entry_of_the_vocabulary_prints_the_results_figure() {
        let (case, r) = sample();
        assert_eq!(r.unit, Unit::Thousands);
        let hub = r.option(r.preferred).unwrap();
        assert_eq!(hub.id, "HUB");
        let other = r
            .options
            .iter()
            .find(|o| !o.baseline && o.option != r.preferred)
            .unwrap();
        let essex = PartnerId::new(
            case.partners
                .names
                .iter()
                .position(|n| n == "Essex")
                .unwrap(),
        );
        assert_eq!(ok(&case, &r, "{{ npsv }}"), k(hub.npsv));
        assert_eq!(
            ok(&case, &r, &format!("{{{{ npsv {} }}}}", other.id)),
            k(other.npsv)
        );
        assert_eq!(
            ok(&case, &r, &format!("{{{{ npsv \"{}\" }}}}", other.name)),
            k(other.npsv)
        );
        assert_eq!(
            ok(&case, &r, "{{ bcr }}"),
            format::fixed(hub.bcr.unwrap(), 2)
        );
        assert_eq!(
            ok(&case, &r, "{{ vfm }}"),
            format!(
                "a benefit-cost ratio of {}",
                format::fixed(hub.bcr.unwrap(), 2)
            )
        );
        assert_eq!(ok(&case, &r, "{{ pv-costs }}"), k(hub.pv_costs));
        assert_eq!(ok(&case, &r, "{{ pv-benefits HUB }}"), k(hub.pv_benefits));
        assert_eq!(
            ok(&case, &r, "{{ net-public-cost }}"),
            k(hub.net_public_cost)
        );
        assert_eq!(
            ok(&case, &r, "{{ payback }}"),
            hub.payback_year.unwrap().to_string()
        );
        assert_eq!(
            ok(&case, &r, "{{ payback nominal }}"),
            hub.payback_year_nominal.unwrap().to_string()
        );
        let w = r.workings.profile(r.preferred).unwrap();
        assert_eq!(ok(&case, &r, "{{ savings }}"), k(w.real_total.cashable));
        assert_eq!(
            ok(&case, &r, "{{ savings nominal }}"),
            k(w.nominal_total.cashable)
        );
        let year = r.years[2];
        let p = r.profile(r.preferred).unwrap();
        assert_eq!(
            ok(&case, &r, &format!("{{{{ savings {year} nominal }}}}")),
            k(p.nominal[2].cashable)
        );
        assert_eq!(ok(&case, &r, "{{ net }}"), k(w.real_total.net));
        assert_eq!(
            ok(
                &case,
                &r,
                &format!("{{{{ net real {} }}}}", year.to_string().replace('/', "-"))
            ),
            k(p.real[2].net)
        );
        let a = r.workings.apportioned(r.preferred).unwrap();
        assert_eq!(
            ok(&case, &r, "{{ net Essex }}"),
            k(a.partners[essex.index()].real.net)
        );
        assert_eq!(
            ok(
                &case,
                &r,
                &format!("{{{{ net {year} \"essex\" HUB nominal }}}}")
            ),
            k(r.apportioned(r.preferred).unwrap().partners[essex.index()]
                .nominal
                .net[2])
        );
        assert_eq!(
            ok(&case, &r, "{{ share Essex }}"),
            share_percent(r.apportionment.shares[essex.index()])
        );
        let key = &r.apportionment.key;
        assert_eq!(
            ok(&case, &r, &format!("{{{{ share Essex \"{key}\" }}}}")),
            share_percent(r.apportionment.shares[essex.index()])
        );
        // A key column nothing is apportioned by: Population, by its own figures.
        let col = case
            .partners
            .key_columns
            .iter()
            .position(|k| k == "Population")
            .unwrap();
        assert!(
            r.apportionment
                .line_keys
                .iter()
                .all(|k| k.key != "Population")
        );
        let values = crate::compute::apportion::key_values(&case, col);
        let total: Decimal = values.iter().copied().sum();
        assert_eq!(
            ok(&case, &r, "{{ share Essex population }}"),
            share_percent(values[essex.index()] / total)
        );
        assert_ne!(
            ok(&case, &r, "{{ share Essex population }}"),
            ok(&case, &r, "{{ share Essex }}")
        );
        let fc = r.financial_case.as_ref().unwrap();
        assert_eq!(
            ok(&case, &r, "{{ net-revenue-effect }}"),
            k(fc.region_total)
        );
        assert_eq!(
            ok(&case, &r, "{{ net-revenue-effect Essex }}"),
            k(fc.partners[essex.index()].total)
        );
        assert_eq!(
            ok(
                &case,
                &r,
                &format!("{{{{ net-revenue-effect Essex {year} }}}}")
            ),
            k(fc.partners[essex.index()].net_revenue_effect[2])
        );
        let gap = r.gap_after_case.as_ref().unwrap();
        let totals = r.workings.gap_after_case.as_ref().unwrap();
        assert_eq!(ok(&case, &r, "{{ gap-after }}"), k(totals.region));
        assert_eq!(
            ok(&case, &r, "{{ gap-after Essex }}"),
            k(totals.partners[essex.index()].total)
        );
        let gy = gap.years[0];
        assert_eq!(
            ok(&case, &r, &format!("{{{{ gap-after Essex {gy} }}}}")),
            k(gap.partners[essex.index()].gap[0])
        );
        assert_eq!(ok(&case, &r, "{{ preferred }}"), hub.name);
        assert_eq!(
            ok(&case, &r, &format!("{{{{ option {} }}}}", other.id)),
            other.name
        );
        assert_eq!(
            ok(&case, &r, "{{ referred-to HUB }}"),
            case.referred_to(hub.option)
        );
        assert_eq!(ok(&case, &r, "{{ literal \"£129m\" }}"), "£129m");
        // Every entry of the vocabulary is exercised above.
        for e in VOCABULARY {
            let src = include_str!("figures.rs");
            let tests = &src[src.find("mod tests").unwrap()..];
            assert!(
                tests.contains(&format!("{{{{ {}", e.name)),
                "{} untested",
                e.name
            );
        }
    }

    #[test]
    fn unknown_names_arguments_and_arities_are_located_errors_with_hints() {
        let (case, r) = sample();
        let err = |text: &str| eval(&case, &r, text).expect_err(text);
        assert_eq!(
            err("{{ npvs HUB }}"),
            (
                "unknown figure 'npvs'".into(),
                Some("did you mean 'npsv'?".into())
            )
        );
        assert_eq!(
            err("{{ npsv HUBB }}"),
            (
                "'npsv': unknown option 'HUBB'".into(),
                Some("did you mean 'HUB'?".into())
            )
        );
        assert_eq!(
            err("{{ net Essx }}"),
            (
                "'net': 'Essx' names no option, partner or year of this case".into(),
                Some("did you mean 'Essex'?".into())
            )
        );
        assert_eq!(
            err("{{ npsv Essex }}").0,
            "'npsv' takes no partner: 'Essex' is a partner"
        );
        assert_eq!(
            err("{{ npsv HUB HUB }}").0,
            "'npsv' takes one option: 'HUB' is a second"
        );
        assert_eq!(
            err("{{ share }}"),
            (
                "'share' needs a partner".into(),
                Some("write {{ share PARTNER [KEY] }}".into())
            )
        );
        assert!(
            err("{{ savings 2050/51 }}")
                .0
                .starts_with("year 2050/51 is not one of the appraisal years (")
        );
        assert_eq!(
            err("{{ savings BAU }}").0,
            "'savings': BAU is business as usual, which the figure is measured against"
        );
        assert_eq!(
            err("{{ }}").0,
            "an empty placeholder: write a figure's name between '{{' and '}}'"
        );
        assert_eq!(
            err("{{ npsv").0,
            "a placeholder opened here has no closing '}}' on its line"
        );
        assert_eq!(
            err("{{ literal \"£1 }}").0,
            "a quoted argument has no closing '\"'"
        );
        assert_eq!(err("{{ literal }}").0, "'literal' needs a text");
    }

    #[test]
    fn problems_are_at_the_placeholder_and_the_stale_literal() {
        let (mut case, r) = sample();
        let npsv = Builder::new(&case, &r).phrase(r.option(r.preferred).unwrap().npsv);
        let text = format!(
            "# Economic\n\nThe hub (`{{{{ npvs }}}}`) is\nworth {{{{ npvs HUB }}}} and £4.1m, not {npsv} or £4,100k; {{{{ literal \"£129m\" }}}}.\n\n    £9.9m in code\n"
        );
        case.narrative.parts.clear();
        case.narrative.parts.insert(NarrativePart::Economic, text);
        let found = narrative_problems(&case, &r);
        let brief: Vec<(usize, usize, bool, &str)> = found
            .iter()
            .map(|p| (p.line, p.col, p.error, p.message.as_str()))
            .collect();
        assert_eq!(
            brief,
            vec![
                (4, 7, true, "unknown figure 'npvs'"),
                (
                    4,
                    26,
                    false,
                    "£4.1m is not a figure of this case; write {{ … }} to keep it current"
                ),
                (
                    4,
                    41 + npsv.chars().count(),
                    false,
                    "£4,100k is not a figure of this case; write {{ … }} to keep it current"
                ),
            ]
        );
    }

    #[test]
    fn literals_match_headline_figures_at_their_own_precision_and_unit() {
        let lit = |text: &str| {
            let found = markdown::money_literals(text);
            assert_eq!(found.len(), 1, "{text}");
            found[0].clone()
        };
        let k = Unit::Thousands;
        let v = Decimal::new(49_278_400, 3); // £49,278.4k
        assert!(matches(&lit("£49,278k"), v, k));
        assert!(matches(&lit("£49.3m"), v, k));
        assert!(matches(&lit("£49m"), v, k));
        assert!(matches(&lit("£49.28 million"), v, k));
        assert!(matches(&lit("£49,278,400"), v, k));
        assert!(!matches(&lit("£49.2m"), v, k));
        assert!(!matches(&lit("£49,279k"), v, k));
        assert!(matches(&lit("£0.05bn"), v, k));
        assert!(
            matches(&lit("£49.3m"), -v, k),
            "a net cost is quoted without its sign"
        );
        assert_eq!(lit("costs £1,234.5k.").text, "£1,234.5k");
        assert_eq!(lit("£12,34m").text, "£12");
        assert_eq!(lit("£3 mice").text, "£3");
        assert_eq!(lit("£3 million.").thousands, 2);
        assert!(markdown::money_literals("£ and £x").is_empty());
    }
}

#[cfg(test)]
mod docs {
    /// Fails when docs/narrative.md's table of figures is stale; `UPDATE_DOCS=1` rewrites it.
    #[test]
    fn docs_figures_table() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/narrative.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let (open, close) = ("<!-- figures -->\n", "<!-- /figures -->");
        let start = text.find(open).expect("the opening marker") + open.len();
        let end = text.find(close).expect("the closing marker");
        let table = super::vocabulary_table();
        if text.get(start..end) == Some(table.as_str()) {
            return;
        }
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let updated = format!("{}{table}{}", &text[..start], &text[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "docs/narrative.md's table of figures differs from the vocabulary; run UPDATE_DOCS=1 cargo test --lib docs_figures_table"
            );
        }
    }
}
