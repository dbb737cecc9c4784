//! case.toml: the document's metadata and the scenarios, with every key checked.
//!
//! Parsed with toml_edit, whose documents keep each key's position, so an
//! unknown key or a bad value is reported at `case.toml:LINE:COL` with the
//! nearest known key as a hint. References to the workbook (partners, options,
//! key columns in scenarios, the preferred option) are kept with their
//! positions here and checked once the workbook has been read.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml_edit::{ImDocument, Item, Table, Value};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::Unit;
use crate::model::{
    Approval, DiscountRate, Edition, HistoryEntry, Meta, ObOverride, ScenarioSpec, Stage,
};
use crate::names;
use crate::schema::bounds;

use super::number;

/// Largest case.toml read: 1 MiB.
pub const MAX_CASE_TOML_BYTES: u64 = 1024 * 1024;

/// What a case.toml key holds, as [`parse`] reads it. Declared beside each
/// key so that everything that walks the keys (the unknown-key hints, the
/// tests that feed every number key hostile values) derives from one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Text in quotes.
    Text,
    /// A date such as 2026-11-20.
    Date,
    /// A number: a float, an integer, or text such as "80%".
    Number,
    /// A whole number.
    Whole,
    /// A list of numbers.
    Numbers,
    /// A list of names in quotes.
    Names,
    /// true or false.
    Flag,
    /// A table from each option id to a table of these keys.
    PerOption(&'static [Key]),
    /// An array of tables (`[[scenario]]`) of these keys.
    Tables(&'static [Key]),
    /// One table (`[risk_analysis]`) of these keys.
    Table(&'static [Key]),
}

/// One key case.toml accepts, and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub holds: Holds,
}

const fn key(name: &'static str, holds: Holds) -> Key {
    Key { name, holds }
}

/// The keys at the top of case.toml.
pub const TOP_KEYS: &[Key] = &[
    key("title", Holds::Text),
    key("programme", Holds::Text),
    key("stage", Holds::Text),
    key("version", Holds::Text),
    key("date", Holds::Date),
    key("sro", Holds::Text),
    key("marking", Holds::Text),
    key("workbook", Holds::Text),
    key("narrative", Holds::Text),
    key("preferred", Holds::Text),
    key("preferred_reason", Holds::Text),
    key("green_book_edition", Holds::Whole),
    key("display_decimals", Holds::Whole),
    key("history", Holds::Tables(HISTORY_KEYS)),
    key("approval", Holds::Tables(APPROVAL_KEYS)),
    key("distribution", Holds::Names),
    key("sensitivity", Holds::Numbers),
    key("scenario", Holds::Tables(SCENARIO_KEYS)),
    key("risk_analysis", Holds::Table(RISK_ANALYSIS_KEYS)),
    key("decision_body", Holds::Text),
    key("recommending_body", Holds::Text),
    key("display_unit", Holds::Text),
];
/// The keys of `[risk_analysis]`: `iterations` is a whole number or "auto".
pub const RISK_ANALYSIS_KEYS: &[Key] = &[
    key("iterations", Holds::Whole),
    key("seed", Holds::Whole),
    key("percentiles", Holds::Numbers),
];
/// The most iterations `[risk_analysis]` (and `fivecase risk --iterations`) accepts.
pub const MAX_ITERATIONS: u32 = 1_000_000;
/// The keys of a `[[history]]` table.
pub const HISTORY_KEYS: &[Key] = &[
    key("version", Holds::Text),
    key("date", Holds::Date),
    key("author", Holds::Text),
    key("changes", Holds::Text),
];
/// The keys of an `[[approval]]` table.
pub const APPROVAL_KEYS: &[Key] = &[
    key("body", Holds::Text),
    key("date", Holds::Date),
    key("decision", Holds::Text),
];
/// The keys of a `[[scenario]]` table.
pub const SCENARIO_KEYS: &[Key] = &[
    key("name", Holds::Text),
    key("description", Holds::Text),
    key("savings_realisation", Holds::Number),
    key("benefits_realisation", Holds::Number),
    key("savings_delay_years", Holds::Whole),
    key("cost_overrun", Holds::Number),
    key("capital_overrun", Holds::Number),
    key("revenue_overrun", Holds::Number),
    key("baseline_cost_overrun", Holds::Number),
    key("partners", Holds::Names),
    key("drop_partner_lines", Holds::Flag),
    key("apportionment_key", Holds::Text),
    key("discount_rate", Holds::Number),
    key("optimism_bias", Holds::PerOption(OPTIMISM_BIAS_KEYS)),
    key("options", Holds::Names),
];
/// The keys of one option's rates in a scenario's `optimism_bias`.
pub const OPTIMISM_BIAS_KEYS: &[Key] =
    &[key("capital", Holds::Number), key("revenue", Holds::Number)];

/// A name in case.toml that must match something in the workbook, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub text: String,
    pub at: Location,
    /// The scenario it belongs to and the key, for messages (`None` outside scenarios).
    pub scenario: Option<(String, &'static str)>,
}

/// case.toml as read: metadata with defaults, and references still to check.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFile {
    pub meta: Meta,
    /// `workbook` as written (default `workbook.xlsx`).
    pub workbook: String,
    /// `narrative` as written (default `narrative`).
    pub narrative: String,
    pub preferred: Option<Reference>,
    /// True when case.toml sets `green_book_edition` (it wins over the workbook's).
    pub edition_set: bool,
    /// Per scenario (same order as `meta.scenarios`): partner, option and key-column references.
    pub scenario_refs: Vec<ScenarioRefs>,
}

/// The workbook names one scenario refers to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioRefs {
    pub partners: Vec<Reference>,
    pub options: Vec<Reference>,
    pub optimism_bias: Vec<Reference>,
    pub apportionment_key: Option<Reference>,
}

/// The defaults a bare workbook gets, titled by the workbook's file name.
pub fn defaults(title: &str) -> CaseFile {
    CaseFile {
        meta: Meta::defaults(title),
        workbook: "workbook.xlsx".into(),
        narrative: "narrative".into(),
        preferred: None,
        edition_set: false,
        scenario_refs: Vec::new(),
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

    /// Reports keys of `table` not in `known`, with the nearest known key.
    fn unknown_keys(&mut self, table: &dyn toml_edit::TableLike, known: &[Key], context: &str) {
        for (key, _) in table.iter() {
            if known.iter().any(|k| k.name == key) {
                continue;
            }
            let at = self.at(table.key(key).and_then(toml_edit::Key::span));
            let message = format!("unknown key `{key}`{context}");
            match names::code_hint(key, known.iter().map(|k| k.name)) {
                Some(hint) => self.error_hint(at, message, hint),
                None => self.error_hint(at, message, format!("the keys here are {}", list(known))),
            }
        }
    }

    fn value_at(&self, table: &dyn toml_edit::TableLike, key: &str) -> Location {
        let span = table
            .get(key)
            .and_then(Item::span)
            .or_else(|| table.key(key).and_then(toml_edit::Key::span));
        self.at(span)
    }

    fn string(
        &mut self,
        table: &dyn toml_edit::TableLike,
        key: &str,
        context: &str,
    ) -> Option<String> {
        let item = table.get(key)?;
        if let Some(s) = item.as_str() {
            if let Some(m) = super::limits::text_problem(s, super::limits::MAX_TEXT_CHARS) {
                let at = self.value_at(table, key);
                self.error(at, format!("`{key}`{context}: {m}"));
                return None;
            }
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

    /// A fraction: a toml float (through its shortest text), an integer, or text like "80%".
    fn fraction(
        &mut self,
        table: &dyn toml_edit::TableLike,
        key: &str,
        context: &str,
    ) -> Option<Decimal> {
        let item = table.get(key)?;
        let at = self.value_at(table, key);
        let value = match item.as_value() {
            Some(Value::Float(f)) => {
                let d = number::decimal_from_f64(*f.value());
                if d.is_none() && !f.value().is_nan() {
                    self.error(
                        at,
                        format!(
                            "`{key}`{context}: the number {} is too large: fivecase reads numbers below about 7.9e28",
                            crate::format::shown_f64(*f.value())
                        ),
                    );
                    return None;
                }
                d
            }
            Some(Value::Integer(i)) => Some(Decimal::from(*i.value())),
            Some(Value::String(s)) => match number::parse_text(s.value(), true) {
                Ok(d) => Some(d),
                Err(m) => {
                    self.error(at, format!("`{key}`{context}: {m}"));
                    return None;
                }
            },
            _ => None,
        };
        if value.is_none() {
            self.error(
                at,
                format!(
                    "`{key}`{context}: expected a number such as 0.8, found {}",
                    item.type_name()
                ),
            );
        }
        value
    }

    fn string_list(
        &mut self,
        table: &dyn toml_edit::TableLike,
        key: &str,
        context: &str,
    ) -> Option<Vec<(String, Location)>> {
        let item = table.get(key)?;
        let Some(array) = item.as_array() else {
            let at = self.value_at(table, key);
            self.error(
                at,
                format!(
                    "`{key}`{context}: expected a list of names in brackets, found {}",
                    item.type_name()
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for v in array {
            let at = self.at(v.span());
            match v.as_str() {
                Some(s) => match super::limits::text_problem(s, super::limits::MAX_TEXT_CHARS) {
                    Some(m) => self.error(at, format!("`{key}`{context}: {m}")),
                    None => out.push((s.to_string(), at)),
                },
                None => self.error(
                    at,
                    format!(
                        "`{key}`{context}: expected text in quotes, found {}",
                        v.type_name()
                    ),
                ),
            }
        }
        Some(out)
    }

    fn discount_rate(
        &mut self,
        table: &dyn toml_edit::TableLike,
        key: &str,
        context: &str,
    ) -> Option<DiscountRate> {
        let item = table.get(key)?;
        if let Some(s) = item.as_str()
            && super::validate::is_green_book(s)
        {
            return Some(DiscountRate::GreenBook);
        }
        let at = self.value_at(table, key);
        let rate = self.fraction(table, key, context)?;
        match super::validate::check_discount_rate(rate) {
            Ok(()) => Some(DiscountRate::Fixed(rate)),
            Err((m, hint)) => {
                let message = format!("`{key}`{context}: {m}");
                match hint {
                    Some(h) => self.error_hint(at, message, h),
                    None => self.error(at, message),
                }
                None
            }
        }
    }
}

fn list(items: &[Key]) -> String {
    items
        .iter()
        .map(|k| format!("`{}`", k.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses case.toml text. `file` is the path as the user would type it; `title` the default title.
///
/// Returns the case file as far as it could be read (a bad value keeps its
/// default) with every problem found, so the workbook can still be checked
/// and all problems reported together.
///
/// # Errors
/// When the text is not TOML at all: the syntax error at its line and column.
pub fn parse(file: &str, raw: &str, title: &str) -> Result<(CaseFile, Diagnostics), Diagnostics> {
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
            // TOML ends lines with LF or CR LF only: a file saved with old Mac
            // line endings (CR alone) reads as one line, and the parser gives
            // no reason.
            let message = if raw.contains('\r') && !raw.contains('\n') {
                "its lines end with a carriage return (CR) alone: save it with LF or CR LF line endings"
                    .to_string()
            } else if message.is_empty() {
                "the parser gave no reason".to_string()
            } else {
                message
            };
            r.error(at, format!("not valid TOML: {message}"));
            return Err(r.diags);
        }
    };
    let root = doc.as_table();
    let mut out = defaults(title);
    r.unknown_keys(root, TOP_KEYS, "");

    for (key, slot) in [
        ("title", &mut out.meta.title),
        ("programme", &mut out.meta.programme),
        ("sro", &mut out.meta.sro),
        ("marking", &mut out.meta.marking),
        ("preferred_reason", &mut out.meta.preferred_reason),
        ("workbook", &mut out.workbook),
        ("narrative", &mut out.narrative),
    ] {
        if let Some(s) = r.string(root, key, "") {
            *slot = s;
        }
    }
    if let Some(item) = root.get("version") {
        match item.as_value() {
            Some(Value::String(s)) => out.meta.version.clone_from(s.value()),
            Some(Value::Float(f)) => out.meta.version = f.value().to_string(),
            Some(Value::Integer(i)) => out.meta.version = i.value().to_string(),
            _ => {
                let at = r.value_at(root, "version");
                r.error(
                    at,
                    format!(
                        "`version`: expected text such as \"0.1\", found {}",
                        item.type_name()
                    ),
                );
            }
        }
    }
    for (key, slot) in [
        ("decision_body", &mut out.meta.decision_body),
        ("recommending_body", &mut out.meta.recommending_body),
    ] {
        if let Some(s) = r.string(root, key, "") {
            if s.trim().is_empty() {
                let at = r.value_at(root, key);
                r.error(
                    at,
                    format!("`{key}`: expected the body's name, such as \"the Summit\", found empty text"),
                );
            } else {
                *slot = s.trim().to_string();
            }
        }
    }
    if let Some(s) = r.string(root, "display_unit", "") {
        match s.trim() {
            "£" => out.meta.display_unit = Some(Unit::Pounds),
            "£k" => out.meta.display_unit = Some(Unit::Thousands),
            "£m" => out.meta.display_unit = Some(Unit::Millions),
            _ => {
                let at = r.value_at(root, "display_unit");
                r.error(
                    at,
                    format!("`display_unit`: expected \"£\", \"£k\" or \"£m\", found {s:?}"),
                );
            }
        }
    }
    if let Some(s) = r.string(root, "stage", "") {
        match s.trim().to_uppercase().as_str() {
            "SOC" => out.meta.stage = Stage::Soc,
            "OBC" => out.meta.stage = Stage::Obc,
            "FBC" => out.meta.stage = Stage::Fbc,
            _ => {
                let at = r.value_at(root, "stage");
                r.error(
                    at,
                    format!("`stage`: expected SOC, OBC or FBC, found {s:?}"),
                );
            }
        }
    }
    if let Some(item) = root.get("date") {
        let at = r.value_at(root, "date");
        out.meta.date = read_date(&mut r, item, at, "`date`");
    }
    if let Some(item) = root.get("green_book_edition") {
        let text = match item.as_value() {
            Some(Value::String(s)) => Some(s.value().trim().to_string()),
            Some(Value::Integer(i)) => Some(i.value().to_string()),
            _ => None,
        };
        match text.as_deref() {
            Some("2026") => out.meta.edition = Edition::Gb2026,
            Some("2022") => out.meta.edition = Edition::Gb2022,
            _ => {
                let at = r.value_at(root, "green_book_edition");
                let found = text.map_or_else(|| item.type_name().to_string(), |t| format!("{t:?}"));
                r.error(
                    at,
                    format!("`green_book_edition`: expected \"2026\" or \"2022\", found {found}"),
                );
            }
        }
        out.edition_set = true;
    }
    if let Some(item) = root.get("display_decimals") {
        match item.as_integer() {
            Some(n) if (0..=6).contains(&n) => out.meta.display_decimals = u32::try_from(n).ok(),
            _ => {
                let at = r.value_at(root, "display_decimals");
                let found = item
                    .as_integer()
                    .map_or_else(|| item.type_name().to_string(), |n| n.to_string());
                r.error(
                    at,
                    format!(
                        "`display_decimals`: expected a whole number from 0 to 6, found {found}"
                    ),
                );
            }
        }
    }
    if let Some(item) = root.get("preferred") {
        let at = r.value_at(root, "preferred");
        match item.as_str() {
            Some(s) => {
                out.preferred = Some(Reference {
                    text: s.to_string(),
                    at,
                    scenario: None,
                });
            }
            None => r.error(
                at,
                format!(
                    "`preferred`: expected an option id in quotes, found {}",
                    item.type_name()
                ),
            ),
        }
    }
    if let Some(list) = r.string_list(root, "distribution", "") {
        out.meta.distribution = list.into_iter().map(|(s, _)| s).collect();
    }
    if let Some(item) = root.get("sensitivity") {
        out.meta.sensitivity = read_sensitivity(&mut r, root, item);
    }
    for (i, table) in tables(&mut r, root, "history") {
        let context = format!(" in [[history]] {}", i + 1);
        r.unknown_keys(table, HISTORY_KEYS, &context);
        let version = r.string(table, "version", &context).unwrap_or_default();
        let date = text_or_date(&mut r, table, "date", &context);
        let author = r.string(table, "author", &context).unwrap_or_default();
        let changes = r.string(table, "changes", &context).unwrap_or_default();
        out.meta.history.push(HistoryEntry {
            version,
            date,
            author,
            changes,
        });
    }
    for (i, table) in tables(&mut r, root, "approval") {
        let context = format!(" in [[approval]] {}", i + 1);
        r.unknown_keys(table, APPROVAL_KEYS, &context);
        let body = r.string(table, "body", &context).unwrap_or_default();
        let date = text_or_date(&mut r, table, "date", &context);
        let decision = r.string(table, "decision", &context).unwrap_or_default();
        out.meta.approvals.push(Approval {
            body,
            date,
            decision,
        });
    }
    if let Some(item) = root.get("risk_analysis") {
        out.meta.risk_analysis = read_risk_analysis(&mut r, root, item);
    }
    let scenarios = tables(&mut r, root, "scenario");
    if let Some((_, extra)) = scenarios.get(super::limits::MAX_SCENARIOS) {
        // Refused before any is read or computed: each is a full computation.
        let at = r.at(extra.span());
        r.error(
            at,
            format!(
                "case.toml has {} scenarios, more than the {} fivecase compares",
                crate::format::money(Decimal::from(scenarios.len()), 0),
                super::limits::MAX_SCENARIOS
            ),
        );
    }
    for (i, table) in scenarios.into_iter().take(super::limits::MAX_SCENARIOS) {
        let (spec, refs) = read_scenario(&mut r, table, i);
        out.meta.scenarios.push(spec);
        out.scenario_refs.push(refs);
    }
    // Two scenarios with one name could not be told apart on the command line.
    let mut seen: Vec<String> = Vec::new();
    for spec in &out.meta.scenarios {
        let key = names::key(&spec.name);
        if !key.is_empty() && seen.contains(&key) {
            let at = Location::Text {
                line: spec.line,
                col: 1,
            };
            r.error(
                at,
                format!(
                    "two scenarios are named {:?}; each needs its own name",
                    spec.name
                ),
            );
        }
        seen.push(key);
    }
    Ok((out, r.diags))
}

fn tables<'t>(r: &mut Reader<'_>, root: &'t Table, key: &str) -> Vec<(usize, &'t Table)> {
    let Some(item) = root.get(key) else {
        return Vec::new();
    };
    if let Some(array) = item.as_array_of_tables() {
        array.iter().enumerate().collect()
    } else {
        let at = r.value_at(root, key);
        r.error(
            at,
            format!(
                "`{key}`: expected [[{key}]] tables, found {}",
                item.type_name()
            ),
        );
        Vec::new()
    }
}

fn read_date(r: &mut Reader<'_>, item: &Item, at: Location, what: &str) -> Option<NaiveDate> {
    let text = match item.as_value() {
        Some(Value::String(s)) => s.value().trim().to_string(),
        Some(Value::Datetime(d)) => d.value().to_string(),
        _ => {
            r.error(
                at,
                format!(
                    "{what}: expected a date as YYYY-MM-DD, found {}",
                    item.type_name()
                ),
            );
            return None;
        }
    };
    if let Ok(d) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Some(d)
    } else {
        r.error(
            at,
            format!("{what}: expected a date as YYYY-MM-DD, found {text:?}"),
        );
        None
    }
}

fn text_or_date(r: &mut Reader<'_>, table: &Table, key: &str, context: &str) -> String {
    let Some(item) = table.get(key) else {
        return String::new();
    };
    match item.as_value() {
        Some(Value::String(s)) => {
            match super::limits::text_problem(s.value(), super::limits::MAX_TEXT_CHARS) {
                Some(m) => {
                    let at = r.value_at(table, key);
                    r.error(at, format!("`{key}`{context}: {m}"));
                    String::new()
                }
                None => s.value().clone(),
            }
        }
        Some(Value::Datetime(d)) => d.value().to_string(),
        _ => {
            let at = r.value_at(table, key);
            r.error(
                at,
                format!(
                    "`{key}`{context}: expected a date, found {}",
                    item.type_name()
                ),
            );
            String::new()
        }
    }
}

/// `[risk_analysis]`: every key optional; a bad value is reported and the
/// default kept, so every problem is found at once.
fn read_risk_analysis(
    r: &mut Reader<'_>,
    root: &Table,
    item: &Item,
) -> Option<crate::model::RiskSettings> {
    use crate::model::{Iterations, RiskSettings};
    let Some(table) = item.as_table_like() else {
        let at = r.value_at(root, "risk_analysis");
        r.error(
            at,
            format!(
                "`risk_analysis`: expected a table such as [risk_analysis] with iterations = 10000, found {}",
                item.type_name()
            ),
        );
        return None;
    };
    let context = " in [risk_analysis]";
    r.unknown_keys(table, RISK_ANALYSIS_KEYS, context);
    let mut out = RiskSettings::default();
    if let Some(v) = table.get("iterations") {
        let at = r.value_at(table, "iterations");
        match (v.as_integer(), v.as_str()) {
            (Some(n), _) if (1..=i64::from(MAX_ITERATIONS)).contains(&n) => {
                out.iterations = Iterations::Fixed(u32::try_from(n).unwrap_or(MAX_ITERATIONS));
            }
            (_, Some(s)) if s.trim().eq_ignore_ascii_case("auto") => {
                out.iterations = Iterations::Auto;
            }
            (Some(n), _) => r.error(
                at,
                format!("`iterations`{context}: expected a whole number from 1 to 1,000,000, or \"auto\", found {n}"),
            ),
            _ => r.error(
                at,
                format!(
                    "`iterations`{context}: expected a whole number from 1 to 1,000,000, or \"auto\", found {}",
                    v.as_value().map_or_else(|| v.type_name().to_string(), ToString::to_string).trim()
                ),
            ),
        }
    }
    if let Some(v) = table.get("seed") {
        let at = r.value_at(table, "seed");
        match v.as_integer().and_then(|n| u64::try_from(n).ok()) {
            Some(n) => out.seed = n,
            None => r.error(
                at,
                format!(
                    "`seed`{context}: expected a whole number, 0 or more, found {}",
                    v.as_value()
                        .map_or_else(|| v.type_name().to_string(), ToString::to_string)
                        .trim()
                ),
            ),
        }
    }
    if let Some(v) = table.get("percentiles") {
        let at = r.value_at(table, "percentiles");
        match v.as_array() {
            None => r.error(
                at,
                format!(
                    "`percentiles`{context}: expected a list of whole percentiles such as [10, 50, 90], found {}",
                    v.type_name()
                ),
            ),
            Some(array) => {
                let mut list = Vec::new();
                for p in array {
                    let at = r.at(p.span());
                    match p.as_integer().and_then(|n| u32::try_from(n).ok()) {
                        Some(n) if (1..=99).contains(&n) => list.push(n),
                        _ => r.error(
                            at,
                            format!(
                                "`percentiles`{context}: expected whole percentiles from 1 to 99, found {}",
                                p.to_string().trim()
                            ),
                        ),
                    }
                }
                list.sort_unstable();
                list.dedup();
                out.percentiles = list;
            }
        }
    }
    Some(out)
}

fn read_sensitivity(r: &mut Reader<'_>, root: &Table, item: &Item) -> Vec<Decimal> {
    let Some(array) = item.as_array() else {
        let at = r.value_at(root, "sensitivity");
        r.error(
            at,
            format!(
                "`sensitivity`: expected a list of fractions such as [0.1, 0.25], found {}",
                item.type_name()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(extra) = array.get(super::limits::MAX_SENSITIVITY) {
        let at = r.at(extra.span());
        r.error(
            at,
            format!(
                "`sensitivity`: {} fractions, more than the {} fivecase tests",
                crate::format::money(Decimal::from(array.len()), 0),
                super::limits::MAX_SENSITIVITY
            ),
        );
        return Vec::new();
    }
    for v in array {
        let at = r.at(v.span());
        let d = match v {
            Value::Float(f) => number::decimal_from_f64(*f.value()),
            Value::Integer(i) => Some(Decimal::from(*i.value())),
            Value::String(s) => number::parse_text(s.value(), true).ok(),
            _ => None,
        };
        match d {
            Some(d) if bounds::SENSITIVITY.contains(d) => out.push(d),
            Some(d) => r.error(
                at,
                format!("`sensitivity`: expected fractions above 0 and at most 1, found {d}"),
            ),
            None => r.error(
                at,
                format!(
                    "`sensitivity`: expected a fraction such as 0.1, found {}",
                    v.type_name()
                ),
            ),
        }
    }
    out
}

fn in_range(
    r: &mut Reader<'_>,
    table: &Table,
    key: &str,
    context: &str,
    bound: &bounds::Bound,
) -> Option<Decimal> {
    let v = r.fraction(table, key, context)?;
    if !bound.contains(v) {
        let at = r.value_at(table, key);
        let message = format!(
            "`{key}`{context}: expected {} from {}, found {}",
            bound.what,
            bound.shown,
            crate::format::shown(v)
        );
        // 85 for 85%: a whole number of per cent, offered as the fraction
        // where that is in range (1.2 gets no hint: 0.012 would be absurd).
        let fraction = (v > bound.high && v <= Decimal::ONE_HUNDRED && v.fract().is_zero())
            .then(|| v / Decimal::ONE_HUNDRED)
            .filter(|f| bound.contains(*f));
        match fraction {
            Some(f) => r.error_hint(at, message, format!("did you mean {}?", f.normalize())),
            None => r.error(at, message),
        }
        return None;
    }
    Some(v)
}

fn read_scenario(r: &mut Reader<'_>, table: &Table, i: usize) -> (ScenarioSpec, ScenarioRefs) {
    let line = match r.at(table.span().or_else(|| {
        table
            .iter()
            .next()
            .and_then(|(k, _)| table.key(k).and_then(toml_edit::Key::span))
    })) {
        Location::Text { line, .. } => line,
        _ => 1,
    };
    let name = table.get("name").and_then(Item::as_str).map(str::to_string);
    let context = match &name {
        Some(n) => format!(" in scenario {n:?}"),
        None => format!(" in [[scenario]] {}", i + 1),
    };
    r.unknown_keys(table, SCENARIO_KEYS, &context);
    let mut spec = ScenarioSpec {
        line,
        ..ScenarioSpec::default()
    };
    let mut refs = ScenarioRefs::default();
    match r.string(table, "name", &context) {
        Some(n) if names::key(&n) == ScenarioSpec::BASE_NAME => {
            let at = r.value_at(table, "name");
            r.error(
                at,
                format!(
                    "`name`{context}: every comparison of scenarios calls the case as it \
                     stands \"{}\"; give this scenario another name",
                    ScenarioSpec::BASE_NAME
                ),
            );
            spec.name = n;
        }
        Some(n) if !n.trim().is_empty() => spec.name = n,
        Some(_) => {
            let at = r.value_at(table, "name");
            r.error(
                at,
                format!("`name`{context}: expected a name, found nothing"),
            );
        }
        None => {
            if !table.contains_key("name") {
                r.error(
                    Location::Text { line, col: 1 },
                    format!("[[scenario]] {} has no `name`", i + 1),
                );
            }
        }
    }
    spec.description = r.string(table, "description", &context).unwrap_or_default();
    spec.savings_realisation = in_range(
        r,
        table,
        "savings_realisation",
        &context,
        &bounds::REALISATION,
    );
    spec.benefits_realisation = in_range(
        r,
        table,
        "benefits_realisation",
        &context,
        &bounds::REALISATION,
    );
    let overrun = &bounds::OVERRUN;
    spec.cost_overrun = in_range(r, table, "cost_overrun", &context, overrun);
    spec.capital_overrun = in_range(r, table, "capital_overrun", &context, overrun);
    spec.revenue_overrun = in_range(r, table, "revenue_overrun", &context, overrun);
    spec.baseline_cost_overrun = in_range(r, table, "baseline_cost_overrun", &context, overrun);
    if let Some(item) = table.get("savings_delay_years") {
        let at = r.value_at(table, "savings_delay_years");
        match item.as_integer() {
            Some(n) if (0..=200).contains(&n) => spec.savings_delay_years = Some(n),
            Some(n) => r.error(
                at,
                format!(
                    "`savings_delay_years`{context}: expected whole years from 0 to 200, found {n}"
                ),
            ),
            None => r.error(
                at,
                format!(
                    "`savings_delay_years`{context}: expected a whole number of years, found {}",
                    item.type_name()
                ),
            ),
        }
    }
    if let Some(item) = table.get("drop_partner_lines") {
        if let Some(b) = item.as_bool() {
            spec.drop_partner_lines = b;
        } else {
            let at = r.value_at(table, "drop_partner_lines");
            r.error(
                at,
                format!(
                    "`drop_partner_lines`{context}: expected true or false, found {}",
                    item.type_name()
                ),
            );
        }
    }
    let scen = spec.name.clone();
    if let Some(list) = r.string_list(table, "partners", &context) {
        spec.partners = Some(list.iter().map(|(s, _)| s.clone()).collect());
        refs.partners = list
            .into_iter()
            .map(|(text, at)| Reference {
                text,
                at,
                scenario: Some((scen.clone(), "partners")),
            })
            .collect();
    }
    if let Some(list) = r.string_list(table, "options", &context) {
        spec.options = Some(list.iter().map(|(s, _)| s.clone()).collect());
        refs.options = list
            .into_iter()
            .map(|(text, at)| Reference {
                text,
                at,
                scenario: Some((scen.clone(), "options")),
            })
            .collect();
    }
    if let Some(key) = r.string(table, "apportionment_key", &context) {
        let at = r.value_at(table, "apportionment_key");
        spec.apportionment_key = Some(key.clone());
        refs.apportionment_key = Some(Reference {
            text: key,
            at,
            scenario: Some((scen.clone(), "apportionment_key")),
        });
    }
    spec.discount_rate = r.discount_rate(table, "discount_rate", &context);
    if let Some(item) = table.get("optimism_bias") {
        if let Some(ob) = item.as_table_like() {
            for (option, v) in ob.iter() {
                let at = r.at(ob.key(option).and_then(toml_edit::Key::span));
                refs.optimism_bias.push(Reference {
                    text: option.to_string(),
                    at: at.clone(),
                    scenario: Some((scen.clone(), "optimism_bias")),
                });
                let Some(rates) = v.as_table_like() else {
                    r.error(at, format!("`optimism_bias.{option}`{context}: expected {{ capital = 0.2, revenue = 0.1 }}, found {}", v.type_name()));
                    continue;
                };
                let inner = format!("{context}, optimism_bias.{option}");
                r.unknown_keys(rates, OPTIMISM_BIAS_KEYS, &inner);
                let mut o = ObOverride::default();
                for (k, slot) in [("capital", &mut o.capital), ("revenue", &mut o.revenue)] {
                    if let Some(d) = r.fraction(rates, k, &inner) {
                        if bounds::OPTIMISM_BIAS.contains(d) {
                            *slot = Some(d);
                        } else {
                            let at = r.value_at(rates, k);
                            r.error(
                                at,
                                format!(
                                    "`{k}`{inner}: expected a rate from 0 to 5 (500%), found {}",
                                    d.normalize()
                                ),
                            );
                        }
                    }
                }
                spec.optimism_bias.insert(option.to_string(), o);
            }
        } else {
            let at = r.value_at(table, "optimism_bias");
            r.error(at, format!("`optimism_bias`{context}: expected a table such as {{ OPT1 = {{ capital = 0.2 }} }}, found {}", item.type_name()));
        }
    }
    (spec, refs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn unknown_key_has_position_and_hint() {
        let (_, err) = parse("case.toml", "title = \"A\"\ntitel = \"B\"\n", "wb").unwrap();
        let lines: Vec<String> = err.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["case.toml:2:1: unknown key `titel`\n  hint: did you mean `title`?"]
        );
    }

    #[test]
    fn reads_values_and_defaults() {
        let text = "stage = \"fbc\"\ndate = 2026-03-01\nsensitivity = [0.2]\n[[scenario]]\nname = \"Late\"\nsavings_delay_years = 1\nsavings_realisation = 0.8\n";
        let (c, diags) = parse("case.toml", text, "wb").unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.meta.title, "wb");
        assert_eq!(c.meta.stage, Stage::Fbc);
        assert_eq!(c.meta.date, NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(c.meta.sensitivity, vec![dec!(0.2)]);
        assert_eq!(c.meta.scenarios[0].savings_realisation, Some(dec!(0.8)));
        assert_eq!(c.meta.scenarios[0].line, 4);
    }

    #[test]
    fn bad_values_are_located() {
        let text = "stage = \"XBC\"\n[[scenario]]\nname = \"S\"\nsavings_realisation = 1.2\nsavings_delay_years = -1\n";
        let (_, err) = parse("case.toml", text, "wb").unwrap();
        let lines: Vec<String> = err.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "case.toml:1:9: `stage`: expected SOC, OBC or FBC, found \"XBC\"",
                "case.toml:4:23: `savings_realisation` in scenario \"S\": expected a fraction from 0 to 1, found 1.2",
                "case.toml:5:23: `savings_delay_years` in scenario \"S\": expected whole years from 0 to 200, found -1",
            ]
        );
    }

    #[test]
    fn a_scenario_may_not_take_the_name_comparisons_give_the_case_as_it_stands() {
        // Matched by the common name rule, as `--scenario` matches; any other
        // name, even one that merely contains "base", is a scenario's own.
        let text = "[[scenario]]\nname = \" Base \"\n[[scenario]]\nname = \"baseline plus\"\n";
        let (c, err) = parse("case.toml", text, "wb").unwrap();
        let lines: Vec<String> = err.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "case.toml:2:8: `name` in scenario \" Base \": every comparison of scenarios \
                 calls the case as it stands \"base\"; give this scenario another name"
            ]
        );
        assert_eq!(c.meta.scenarios.len(), 2);
    }

    #[test]
    fn a_whole_percentage_where_a_fraction_is_expected_gets_the_fraction_as_a_hint() {
        let text = "[[scenario]]\nname = \"S\"\nsavings_realisation = 85\ncost_overrun = 10\nbenefits_realisation = 150\n";
        let (_, err) = parse("case.toml", text, "wb").unwrap();
        let lines: Vec<String> = err.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "case.toml:3:23: `savings_realisation` in scenario \"S\": expected a fraction from 0 to 1, found 85\n  hint: did you mean 0.85?",
                "case.toml:4:16: `cost_overrun` in scenario \"S\": expected a fraction from -0.5 to 5, found 10\n  hint: did you mean 0.1?",
                "case.toml:5:24: `benefits_realisation` in scenario \"S\": expected a fraction from 0 to 1, found 150",
            ]
        );
    }

    #[test]
    fn risk_analysis_reads_its_keys_and_locates_bad_values() {
        let (c, diags) = parse("case.toml", "title = \"A\"\n", "wb").unwrap();
        assert!(diags.is_empty());
        assert_eq!(c.meta.risk_analysis, None);

        let text = "[risk_analysis]\niterations = \"auto\"\nseed = 42\npercentiles = [90, 5, 5]\n";
        let (c, diags) = parse("case.toml", text, "wb").unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        let s = c.meta.risk_analysis.unwrap();
        assert_eq!(s.iterations, crate::model::Iterations::Auto);
        assert_eq!(s.seed, 42);
        assert_eq!(s.percentiles, [5, 90]);

        let (c, _) = parse("case.toml", "[risk_analysis]\n", "wb").unwrap();
        assert_eq!(
            c.meta.risk_analysis,
            Some(crate::model::RiskSettings::default())
        );

        let text = "[risk_analysis]\niterations = 0\nseed = -1\npercentiles = [50, 100, 0.5]\nitterations = 5\n";
        let (_, err) = parse("case.toml", text, "wb").unwrap();
        let lines: Vec<String> = err.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "case.toml:2:14: `iterations` in [risk_analysis]: expected a whole number from 1 to 1,000,000, or \"auto\", found 0",
                "case.toml:3:8: `seed` in [risk_analysis]: expected a whole number, 0 or more, found -1",
                "case.toml:4:20: `percentiles` in [risk_analysis]: expected whole percentiles from 1 to 99, found 100",
                "case.toml:4:25: `percentiles` in [risk_analysis]: expected whole percentiles from 1 to 99, found 0.5",
                "case.toml:5:1: unknown key `itterations` in [risk_analysis]\n  hint: did you mean `iterations`?",
            ]
        );
    }
}
