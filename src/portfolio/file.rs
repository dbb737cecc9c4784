//! portfolio.toml: the programme's cases, their scores and the tiers, with
//! every key checked.
//!
//! Parsed with toml_edit, as case.toml is, so an unknown key or a bad value
//! is reported at `portfolio.toml:LINE:COL` with the nearest known key as a
//! hint (`crate::names`). Everything that can be checked without the cases
//! (scores against the declared sub-criteria, tier overrides against the
//! tiers, limits) is checked here; the cases themselves are read by
//! [`super::load`].

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml_edit::{ImDocument, Item, TableLike, Value};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::ingest::number;
use crate::model::Unit;
use crate::names;

/// Largest portfolio.toml read: 1 MiB.
pub const MAX_PORTFOLIO_TOML_BYTES: u64 = 1024 * 1024;
/// Most cases a portfolio holds.
pub const MAX_CASES: usize = 2_000;
/// Most sub-criteria in each criterion and most tiers.
pub const MAX_CRITERIA: usize = 50;
/// The tier of a case meeting no `[[tier]]` (a name no `[[tier]]` may take).
pub const UNRANKED: &str = "Unranked";
/// The scores run from 1 to this.
pub const TOP_SCORE: u8 = 5;

const TOP_KEYS: &[&str] = &[
    "title",
    "programme",
    "date",
    "marking",
    "display_unit",
    "decision_body",
    "budget",
    "prioritisation",
    "tier",
    "case",
];
const PRIORITISATION_KEYS: &[&str] = &["strategic", "practicality"];
const CRITERION_KEYS: &[&str] = &["name", "weight", "descriptors"];
const TIER_KEYS: &[&str] = &["name", "description", "min_strategic", "min_practicality"];
const CASE_KEYS: &[&str] = &[
    "path",
    "option",
    "include",
    "scores",
    "rationale",
    "tier_override",
    "override_reason",
];

/// The two criteria of the prioritisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Criterion {
    /// Strategic fit and impact.
    Strategic,
    /// Practicality (deliverability, cost, risk).
    Practicality,
}

impl Criterion {
    pub const ALL: [Criterion; 2] = [Criterion::Strategic, Criterion::Practicality];

    /// The portfolio.toml and JSON key.
    pub fn key(self) -> &'static str {
        match self {
            Criterion::Strategic => "strategic",
            Criterion::Practicality => "practicality",
        }
    }

    /// As printed in tables.
    pub fn label(self) -> &'static str {
        match self {
            Criterion::Strategic => "Strategic fit and impact",
            Criterion::Practicality => "Practicality",
        }
    }
}

/// One sub-criterion: a name, a weight (> 0) and what each score 1 to 5 means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubCriterion {
    pub criterion: Criterion,
    pub name: String,
    pub weight: Decimal,
    /// Five descriptors, for the scores 1 to 5.
    pub descriptors: Vec<String>,
}

/// One `[[tier]]`, tried in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    pub name: String,
    pub description: String,
    pub min_strategic: Decimal,
    pub min_practicality: Decimal,
}

/// One `[[case]]` entry (or a discovered case folder, with the defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEntry {
    /// The case folder relative to portfolio.toml, as written.
    pub path: String,
    /// Where the entry is, for messages about the case as a whole.
    pub at: Location,
    /// The option the programme counts (default: the case's preferred option).
    pub option: Option<(String, Location)>,
    pub include: bool,
    /// One score per sub-criterion, aligned with [`PortfolioFile::criteria`];
    /// empty when the case is not scored.
    pub scores: Vec<u8>,
    /// One rationale per sub-criterion, aligned the same way ("" when none).
    pub rationale: Vec<String>,
    /// A tier named in place of the one the scores give, and why.
    pub tier_override: Option<usize>,
    pub override_reason: String,
}

/// portfolio.toml as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioFile {
    pub title: String,
    pub programme: String,
    pub date: Option<NaiveDate>,
    pub marking: String,
    pub display_unit: Option<Unit>,
    pub decision_body: String,
    /// The programme budget workbook, relative to portfolio.toml.
    pub budget: Option<(String, Location)>,
    /// Every sub-criterion, strategic ones first, in the order written.
    pub criteria: Vec<SubCriterion>,
    pub tiers: Vec<Tier>,
    /// The `[[case]]` entries; empty when the file lists none.
    pub cases: Vec<CaseEntry>,
}

impl PortfolioFile {
    /// The defaults: an untitled programme marked OFFICIAL, no criteria, no tiers, no cases.
    pub fn defaults(title: &str) -> Self {
        PortfolioFile {
            title: title.to_string(),
            programme: String::new(),
            date: None,
            marking: "OFFICIAL".into(),
            display_unit: None,
            decision_body: String::new(),
            budget: None,
            criteria: Vec::new(),
            tiers: Vec::new(),
            cases: Vec::new(),
        }
    }

    /// A case entry with the defaults, for a discovered case folder.
    pub fn default_entry(&self, path: String) -> CaseEntry {
        CaseEntry {
            path,
            at: Location::File,
            option: None,
            include: true,
            scores: Vec::new(),
            rationale: Vec::new(),
            tier_override: None,
            override_reason: String::new(),
        }
    }
}

struct Reader<'a> {
    file: &'a str,
    raw: &'a str,
    diags: Diagnostics,
}

impl Reader<'_> {
    fn at(&self, span: Option<std::ops::Range<usize>>) -> Location {
        let offset = span.map_or(0, |s| s.start).min(self.raw.len());
        let before = self.raw.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location::Text { line, col }
    }

    fn error(&mut self, at: Location, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, at, message.into()));
    }

    fn error_hint(&mut self, at: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, at, message.into()).with_hint(hint));
    }

    fn warning(&mut self, at: Location, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(self.file, at, message.into()));
    }

    fn unknown_keys(&mut self, table: &dyn TableLike, known: &[&str], context: &str) {
        for (key, _) in table.iter() {
            if known.contains(&key) {
                continue;
            }
            let at = self.at(table.key(key).and_then(toml_edit::Key::span));
            let message = format!("unknown key `{key}`{context}");
            if let Some(hint) = names::code_hint(key, known.iter().copied()) {
                self.error_hint(at, message, hint);
            } else {
                let keys: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                self.error_hint(
                    at,
                    message,
                    format!("the keys here are {}", keys.join(", ")),
                );
            }
        }
    }

    fn value_at(&self, table: &dyn TableLike, key: &str) -> Location {
        let span = table
            .get(key)
            .and_then(Item::span)
            .or_else(|| table.key(key).and_then(toml_edit::Key::span));
        self.at(span)
    }

    fn string(&mut self, table: &dyn TableLike, key: &str, context: &str) -> Option<String> {
        let item = table.get(key)?;
        if let Some(s) = item.as_str() {
            return Some(s.to_string());
        }
        let at = self.value_at(table, key);
        self.error(
            at,
            format!(
                "`{key}`{context}: expected text in quotes, found {}",
                item.type_name()
            ),
        );
        None
    }

    /// A number: a toml float (through its shortest text), an integer, or text such as "3.5".
    fn number(&mut self, table: &dyn TableLike, key: &str, context: &str) -> Option<Decimal> {
        let item = table.get(key)?;
        let at = self.value_at(table, key);
        let value = match item.as_value() {
            Some(Value::Float(f)) => number::decimal_from_f64(*f.value()),
            Some(Value::Integer(i)) => Some(Decimal::from(*i.value())),
            Some(Value::String(s)) => number::parse_text(s.value(), false).ok(),
            _ => None,
        };
        if value.is_none() {
            self.error(
                at,
                format!(
                    "`{key}`{context}: expected a number such as 3.5, found {}",
                    item.type_name()
                ),
            );
        }
        value
    }

    /// The tables of an array of tables (`[[case]]`) or of inline tables (`[{…}, {…}]`).
    fn tables<'d>(
        &mut self,
        table: &'d dyn TableLike,
        key: &str,
        context: &str,
    ) -> Vec<(&'d dyn TableLike, Location)> {
        let Some(item) = table.get(key) else {
            return Vec::new();
        };
        if let Some(array) = item.as_array_of_tables() {
            return array
                .iter()
                .map(|t| (t as &dyn TableLike, self.at(t.span())))
                .collect();
        }
        if let Some(array) = item.as_array() {
            let mut out = Vec::new();
            for v in array {
                if let Some(t) = v.as_inline_table() {
                    out.push((t as &dyn TableLike, self.at(v.span())));
                } else {
                    let at = self.at(v.span());
                    self.error(
                        at,
                        format!(
                            "`{key}`{context}: expected a table such as {{ name = \"…\" }}, found {}",
                            v.type_name()
                        ),
                    );
                }
            }
            return out;
        }
        let at = self.value_at(table, key);
        self.error(
            at,
            format!(
                "`{key}`{context}: expected a list of tables, found {}",
                item.type_name()
            ),
        );
        Vec::new()
    }
}

/// Parses portfolio.toml text. `file` is the path as the user would type it;
/// `title` the default title (the folder's name).
///
/// Returns the file as far as it could be read with every problem found.
///
/// # Errors
/// When the text is not TOML at all: the syntax error at its line and column.
pub fn parse(
    file: &str,
    raw: &str,
    title: &str,
) -> Result<(PortfolioFile, Diagnostics), Diagnostics> {
    let mut r = Reader {
        file,
        raw,
        diags: Diagnostics::new(),
    };
    let doc = match ImDocument::parse(raw) {
        Ok(doc) => doc,
        Err(e) => {
            let at = r.at(e.span());
            let message = e.message().trim().to_lowercase();
            let message = message.trim_end_matches('.').replace('\n', "; ");
            r.error(at, format!("not valid TOML: {message}"));
            return Err(r.diags);
        }
    };
    let root = doc.as_table();
    let mut out = PortfolioFile::defaults(title);
    r.unknown_keys(root, TOP_KEYS, "");
    for (key, slot) in [
        ("title", &mut out.title),
        ("programme", &mut out.programme),
        ("marking", &mut out.marking),
        ("decision_body", &mut out.decision_body),
    ] {
        if let Some(s) = r.string(root, key, "") {
            *slot = s;
        }
    }
    if let Some(item) = root.get("date") {
        let at = r.value_at(root, "date");
        let text = match item.as_value() {
            Some(Value::Datetime(d)) => Some(d.value().to_string()),
            Some(Value::String(s)) => Some(s.value().clone()),
            _ => None,
        };
        match text
            .as_deref()
            .and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
        {
            Some(d) => out.date = Some(d),
            None => r.error(
                at,
                format!(
                    "`date`: expected a date such as 2026-11-20, found {}",
                    text.map_or_else(|| item.type_name().to_string(), |t| format!("{t:?}"))
                ),
            ),
        }
    }
    if let Some(s) = r.string(root, "display_unit", "") {
        if let Some(u) = crate::ingest::validate::parse_unit(&s) {
            out.display_unit = Some(u);
        } else {
            let at = r.value_at(root, "display_unit");
            r.error(
                at,
                format!("`display_unit`: expected £, £k or £m, found {s:?}"),
            );
        }
    }
    if let Some(s) = r.string(root, "budget", "") {
        out.budget = Some((s, r.value_at(root, "budget")));
    }
    read_prioritisation(&mut r, root, &mut out);
    read_tiers(&mut r, root, &mut out);
    read_cases(&mut r, root, &mut out);
    Ok((out, r.diags))
}

fn read_prioritisation(r: &mut Reader<'_>, root: &dyn TableLike, out: &mut PortfolioFile) {
    let Some(item) = root.get("prioritisation") else {
        return;
    };
    let Some(table) = item.as_table_like() else {
        let at = r.value_at(root, "prioritisation");
        r.error(
            at,
            format!(
                "`prioritisation`: expected a table, found {}",
                item.type_name()
            ),
        );
        return;
    };
    r.unknown_keys(table, PRIORITISATION_KEYS, " in [prioritisation]");
    for criterion in Criterion::ALL {
        let key = criterion.key();
        let context = format!(" in [prioritisation] `{key}`");
        let entries = r.tables(table, key, " in [prioritisation]");
        if entries.is_empty() {
            let at = r.value_at(root, "prioritisation");
            r.error(
                at,
                format!("[prioritisation] declares no `{key}` sub-criteria"),
            );
        }
        if entries.len() > MAX_CRITERIA {
            let at = r.value_at(table, key);
            r.error(
                at,
                format!(
                    "`{key}`: {} sub-criteria, more than the {MAX_CRITERIA} fivecase reads",
                    entries.len()
                ),
            );
            continue;
        }
        for (t, at) in entries {
            r.unknown_keys(t, CRITERION_KEYS, &context);
            let Some(name) = r.string(t, "name", &context) else {
                r.error(at, format!("a sub-criterion{context} has no `name`"));
                continue;
            };
            if out.criteria.iter().any(|c| names::same(&c.name, &name)) {
                let at = r.value_at(t, "name");
                r.error(at, format!("sub-criterion {name:?} is declared twice"));
                continue;
            }
            let context = format!("{context} {name:?}");
            let weight = match r.number(t, "weight", &context) {
                Some(w) if w > Decimal::ZERO && w <= Decimal::from(1_000_000) => w,
                Some(w) => {
                    let at = r.value_at(t, "weight");
                    r.error(
                        at,
                        format!("`weight`{context}: expected a number above 0 and at most 1,000,000, found {w}"),
                    );
                    Decimal::ONE
                }
                None if t.get("weight").is_none() => {
                    r.error(at.clone(), format!("`weight`{context} is missing"));
                    Decimal::ONE
                }
                None => Decimal::ONE,
            };
            let mut descriptors = Vec::new();
            match t.get("descriptors").map(|i| (i, i.as_array())) {
                Some((_, Some(array))) => {
                    for v in array {
                        if let Some(s) = v.as_str() {
                            descriptors.push(s.to_string());
                        } else {
                            let at = r.at(v.span());
                            r.error(
                                at,
                                format!(
                                    "`descriptors`{context}: expected text in quotes, found {}",
                                    v.type_name()
                                ),
                            );
                        }
                    }
                    if array.len() != usize::from(TOP_SCORE) {
                        let at = r.value_at(t, "descriptors");
                        r.error(
                            at,
                            format!(
                                "`descriptors`{context}: expected {TOP_SCORE}, one for each score from 1 to {TOP_SCORE}, found {}",
                                array.len()
                            ),
                        );
                    }
                }
                Some((i, None)) => {
                    let at = r.value_at(t, "descriptors");
                    r.error(
                        at,
                        format!("`descriptors`{context}: expected a list of {TOP_SCORE} texts, found {}", i.type_name()),
                    );
                }
                None => r.error(at, format!("`descriptors`{context} is missing")),
            }
            out.criteria.push(SubCriterion {
                criterion,
                name,
                weight,
                descriptors,
            });
        }
    }
}

fn read_tiers(r: &mut Reader<'_>, root: &dyn TableLike, out: &mut PortfolioFile) {
    let entries = r.tables(root, "tier", "");
    if entries.len() > MAX_CRITERIA {
        let at = r.value_at(root, "tier");
        r.error(
            at,
            format!(
                "{} tiers, more than the {MAX_CRITERIA} fivecase reads",
                entries.len()
            ),
        );
        return;
    }
    for (t, at) in entries {
        r.unknown_keys(t, TIER_KEYS, " in [[tier]]");
        let Some(name) = r.string(t, "name", " in [[tier]]") else {
            r.error(at, "a [[tier]] has no `name`");
            continue;
        };
        if names::same(&name, UNRANKED) {
            let at = r.value_at(t, "name");
            r.error(
                at,
                format!("{name:?} is the name fivecase gives a case meeting no tier"),
            );
            continue;
        }
        if out.tiers.iter().any(|x| names::same(&x.name, &name)) {
            let at = r.value_at(t, "name");
            r.error(at, format!("tier {name:?} is declared twice"));
            continue;
        }
        let context = format!(" in [[tier]] {name:?}");
        let description = r.string(t, "description", &context).unwrap_or_default();
        let min = |key: &str, r: &mut Reader<'_>| match r.number(t, key, &context) {
            Some(m) if m >= Decimal::ZERO && m <= Decimal::from(TOP_SCORE) => m,
            Some(m) => {
                let at = r.value_at(t, key);
                r.error(
                    at,
                    format!("`{key}`{context}: expected a score from 0 to {TOP_SCORE}, found {m}"),
                );
                Decimal::ZERO
            }
            None => {
                if t.get(key).is_none() {
                    r.error(at.clone(), format!("`{key}`{context} is missing"));
                }
                Decimal::ZERO
            }
        };
        let min_strategic = min("min_strategic", r);
        let min_practicality = min("min_practicality", r);
        out.tiers.push(Tier {
            name,
            description,
            min_strategic,
            min_practicality,
        });
    }
}

fn read_cases(r: &mut Reader<'_>, root: &dyn TableLike, out: &mut PortfolioFile) {
    let entries = r.tables(root, "case", "");
    for (n, (t, at)) in entries.into_iter().enumerate() {
        if n == MAX_CASES {
            r.error(
                at,
                format!("more than {MAX_CASES} [[case]] entries: a portfolio holds at most {MAX_CASES} cases"),
            );
            return;
        }
        r.unknown_keys(t, CASE_KEYS, " in [[case]]");
        let Some(path) = r.string(t, "path", " in [[case]]") else {
            r.error(
                at,
                "a [[case]] has no `path` (the case folder, relative to portfolio.toml)",
            );
            continue;
        };
        if out.cases.iter().any(|c| c.path == path) {
            let at = r.value_at(t, "path");
            r.error(at, format!("case {path:?} is listed twice"));
            continue;
        }
        let context = format!(" in [[case]] {path:?}");
        let mut entry = out.default_entry(path);
        entry.at = at.clone();
        if let Some(s) = r.string(t, "option", &context) {
            entry.option = Some((s, r.value_at(t, "option")));
        }
        if let Some(item) = t.get("include") {
            if let Some(b) = item.as_bool() {
                entry.include = b;
            } else {
                let at = r.value_at(t, "include");
                r.error(
                    at,
                    format!(
                        "`include`{context}: expected true or false, found {}",
                        item.type_name()
                    ),
                );
            }
        }
        read_scores(r, t, &context, &at, out, &mut entry);
        if let Some(name) = r.string(t, "tier_override", &context) {
            let place = r.value_at(t, "tier_override");
            if let Some(i) = names::find(out.tiers.iter().map(|x| x.name.as_str()), &name) {
                entry.tier_override = Some(i);
            } else {
                let hint = names::hint(&name, out.tiers.iter().map(|x| x.name.as_str()), "tiers");
                r.error_hint(
                    place.clone(),
                    format!("`tier_override`{context}: no tier {name:?}"),
                    hint,
                );
            }
            match r.string(t, "override_reason", &context) {
                Some(reason) if !reason.trim().is_empty() => entry.override_reason = reason,
                _ => r.error(
                    place,
                    format!("`tier_override`{context} needs an `override_reason`: the reasonableness test is shown wherever the tier is"),
                ),
            }
        } else if t.contains_key("override_reason") {
            let at = r.value_at(t, "override_reason");
            r.warning(
                at,
                format!("`override_reason`{context} without a `tier_override` is not shown"),
            );
        }
        out.cases.push(entry);
    }
}

/// Reads `scores` and `rationale`: a whole score from 1 to 5 and a rationale
/// for every declared sub-criterion, or neither (the case is not scored).
fn read_scores(
    r: &mut Reader<'_>,
    table: &dyn TableLike,
    context: &str,
    at: &Location,
    out: &PortfolioFile,
    entry: &mut CaseEntry,
) {
    let names_of = || out.criteria.iter().map(|c| c.name.as_str());
    let read_map = |r: &mut Reader<'_>, key: &str| -> Option<Vec<(String, Location, Item)>> {
        let item = table.get(key)?;
        let Some(map) = item.as_table_like() else {
            let at = r.value_at(table, key);
            r.error(
                at,
                format!(
                    "`{key}`{context}: expected a table such as {{ \"Savings\" = 4 }}, found {}",
                    item.type_name()
                ),
            );
            return None;
        };
        Some(
            map.iter()
                .map(|(k, v)| {
                    let place = r.at(map.key(k).and_then(toml_edit::Key::span));
                    (k.to_string(), place, v.clone())
                })
                .collect(),
        )
    };
    let scores = read_map(r, "scores");
    let rationale = read_map(r, "rationale");
    if scores.is_none() {
        if rationale.is_some() {
            let at = r.value_at(table, "rationale");
            r.warning(
                at,
                format!("`rationale`{context} without `scores` is not shown"),
            );
        }
        return;
    }
    if out.criteria.is_empty() {
        let at = r.value_at(table, "scores");
        r.error_hint(
            at,
            format!("`scores`{context}: the portfolio declares no sub-criteria to score against"),
            "declare them in [prioritisation] `strategic` and `practicality`",
        );
        return;
    }
    let n = out.criteria.len();
    let mut got: Vec<Option<u8>> = vec![None; n];
    let mut seen = vec![false; n];
    for (name, place, item) in scores.unwrap_or_default() {
        let Some(i) = names::find(names_of(), &name) else {
            r.error_hint(
                place,
                format!("`scores`{context}: no sub-criterion {name:?}"),
                names::hint(&name, names_of(), "sub-criteria"),
            );
            continue;
        };
        seen[i] = true;
        match item.as_integer() {
            Some(v) if (1..=i64::from(TOP_SCORE)).contains(&v) => {
                got[i] = u8::try_from(v).ok();
            }
            _ => r.error(
                place,
                format!(
                    "`scores`{context}: {name:?}: expected a whole score from 1 to {TOP_SCORE}, found {}",
                    item.as_value().map_or_else(|| item.type_name().to_string(), ToString::to_string).trim()
                ),
            ),
        }
    }
    let mut reasons = vec![String::new(); n];
    for (name, place, item) in rationale.unwrap_or_default() {
        let Some(i) = names::find(names_of(), &name) else {
            r.error_hint(
                place,
                format!("`rationale`{context}: no sub-criterion {name:?}"),
                names::hint(&name, names_of(), "sub-criteria"),
            );
            continue;
        };
        match item.as_str() {
            Some(s) => reasons[i] = s.to_string(),
            None => r.error(
                place,
                format!("`rationale`{context}: {name:?}: expected text in quotes"),
            ),
        }
    }
    for (i, (c, (score, reason))) in out
        .criteria
        .iter()
        .zip(got.iter().zip(&reasons))
        .enumerate()
    {
        if !seen[i] {
            r.error(
                at.clone(),
                format!("`scores`{context} has no score for {:?}", c.name),
            );
        }
        if score.is_some() && reason.trim().is_empty() {
            r.warning(
                at.clone(),
                format!("`rationale`{context} has no rationale for {:?}", c.name),
            );
        }
    }
    if got.iter().all(Option::is_some) {
        entry.scores = got.into_iter().flatten().collect();
        entry.rationale = reasons;
    }
}
