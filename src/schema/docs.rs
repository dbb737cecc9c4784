//! docs/workbook.md's reference tables, generated from the schema.
//!
//! Each table sits between marker comments, `<!-- schema:Costs -->` and
//! `<!-- /schema:Costs -->`; [`update`] rewrites what lies between them and
//! leaves the prose around them alone. A test fails when the committed
//! tables differ from what the schema generates;
//! `UPDATE_DOCS=1 cargo test --lib docs_tables` rewrites them.

use super::{Choices, Column, Kind, Row, SHEETS, Sheet, bounds};

/// The text of a choice's values with their other spellings.
fn choices(c: &Choices) -> String {
    c.values
        .iter()
        .map(|v| {
            if v.aliases.is_empty() {
                format!("`{}`", v.value)
            } else {
                let also: Vec<String> = v.aliases.iter().map(|a| format!("`{a}`")).collect();
                format!("`{}` (also {})", v.value, also.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a cell of `kind` accepts, in words.
pub fn accepts(kind: Kind) -> String {
    match kind {
        Kind::Text => "text".into(),
        Kind::Id => "text, unique on the sheet".into(),
        Kind::OptionRef => "an option id from Options".into(),
        Kind::PartnerRef { shared } => format!("a partner from Partners, or `{shared}`"),
        Kind::Money => format!("an amount: {}", bounds::MONEY.shown),
        Kind::Fraction(b) => format!("{}, as a fraction or a percentage", b.shown),
        Kind::Choice(c) => choices(c),
        Kind::Year => "a fiscal year such as `2025/26`".into(),
        Kind::RateOrCategory => format!(
            "a rate, {}, or a Green Book category",
            bounds::OPTIMISM_BIAS.shown
        ),
        Kind::KeyColumns => format!("numbers: {}", bounds::KEY_VALUE.shown),
        Kind::Years => format!("amounts: {}", bounds::MONEY.shown),
        Kind::Assessments => choices(&super::ASSESSMENTS),
        Kind::Date => "a date cell, or text `YYYY-MM-DD`".into(),
        Kind::Allocation => "`Yes`, or a percentage from 0% to 100%".into(),
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn column_row(c: &Column) -> String {
    let header = if c.aliases.is_empty() {
        format!("`{}`", c.header)
    } else {
        let also: Vec<String> = c.aliases.iter().map(|a| format!("`{a}`")).collect();
        format!("`{}` (also {})", c.header, also.join(", "))
    };
    format!(
        "| {} | {} | {} | {} | {} |",
        cell(&header),
        if c.required { "required" } else { "optional" },
        cell(&accepts(c.kind)),
        cell(c.default.unwrap_or("")),
        cell(c.doc),
    )
}

fn assumption_row(r: &Row) -> String {
    let accepts = match r.kind {
        Kind::Fraction(b) if b == &bounds::DISCOUNT_RATE => {
            format!("{}; or {}", accepts(r.kind), choices(&super::GREEN_BOOK))
        }
        kind => accepts(kind),
    };
    format!(
        "| `{}` | {} | {} | {} |",
        r.name,
        cell(&accepts),
        cell(
            &r.default
                .map_or_else(|| "none".to_string(), super::Value::text)
        ),
        cell(r.doc),
    )
}

/// The reference table of one sheet.
pub fn sheet_table(sheet: &Sheet) -> String {
    let mut out = Vec::new();
    if sheet.rows.is_empty() {
        out.push("| column | | accepts | blank means | what it is |".to_string());
        out.push("|---|---|---|---|---|".to_string());
        out.extend(sheet.columns.iter().map(column_row));
    } else {
        out.push("| name | accepts | default | what it is |".to_string());
        out.push("|---|---|---|---|".to_string());
        out.extend(sheet.rows.iter().map(assumption_row));
    }
    out.join("\n")
}

/// The table of numeric bounds.
pub fn bounds_table() -> String {
    let mut out = vec![
        "| what | accepted | why |".to_string(),
        "|---|---|---|".to_string(),
    ];
    for (name, b) in bounds::ALL {
        out.push(format!("| {name} | {} | {} |", cell(b.shown), cell(b.why)));
    }
    out.push(format!(
        "| inflation compounded from the base year to the last appraisal year | at most {} | keeps every nominal amount within exact decimal range |",
        crate::format::money(bounds::MAX_INFLATION_INDEX, 0)
    ));
    out.join("\n")
}

/// "2% to 24%", or `none` where the category has no bound of that kind.
fn bounds_range(b: Option<crate::params::ObBounds>, none: &str) -> String {
    b.map_or_else(
        || none.to_string(),
        |b| {
            format!(
                "{} to {}",
                crate::format::percent(b.lower, 1),
                crate::format::percent(b.upper, 1)
            )
        },
    )
}

/// Each optimism-bias category of the current edition's table with its
/// bounds, as the template's Guide and docs/workbook.md list them.
pub fn optimism_bias_categories() -> Vec<(&'static str, String)> {
    let table = crate::params::optimism_bias_table(crate::model::Edition::CURRENT);
    let range = |b| bounds_range(b, "none");
    table
        .rows
        .iter()
        .map(|r| {
            (
                r.name,
                format!(
                    "capital expenditure {}; operating expenditure {} (a category gives its upper bound, reduced by any mitigation)",
                    range(r.capital),
                    range(r.operating)
                ),
            )
        })
        .collect()
}

/// The optimism-bias categories as a table.
pub fn optimism_bias_table() -> String {
    let table = crate::params::optimism_bias_table(crate::model::Edition::CURRENT);
    let range = |b| bounds_range(b, "—");
    let mut out = vec![
        format!("Green Book {} table ({}):", table.edition.year(), table.source),
        String::new(),
        "| category | capital expenditure (lower to upper) | operating expenditure (lower to upper) |".to_string(),
        "|---|---|---|".to_string(),
    ];
    for r in table.rows {
        out.push(format!(
            "| `{}` | {} | {} |",
            r.name,
            range(r.capital),
            range(r.operating)
        ));
    }
    out.join("\n")
}

/// Every generated table: its marker name and its text.
pub fn tables() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = SHEETS
        .iter()
        .map(|s| (s.name.to_string(), sheet_table(s)))
        .collect();
    out.push(("bounds".into(), bounds_table()));
    out.push(("optimism-bias".into(), optimism_bias_table()));
    out
}

/// `text` with every marked table replaced by the generated one.
///
/// # Errors
/// The name of a table whose markers are missing.
pub fn update(text: &str) -> Result<String, String> {
    let mut out = text.to_string();
    for (name, table) in tables() {
        let open = format!("<!-- schema:{name} -->");
        let close = format!("<!-- /schema:{name} -->");
        let (Some(start), Some(end)) = (out.find(&open), out.find(&close)) else {
            return Err(format!("docs/workbook.md has no {open} ... {close}"));
        };
        if end < start {
            return Err(format!("docs/workbook.md: {close} comes before {open}"));
        }
        let body_start = start + open.len();
        out.replace_range(body_start..end, &format!("\n{table}\n"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when docs/workbook.md's tables are stale; `UPDATE_DOCS=1` rewrites them.
    #[test]
    fn docs_tables() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/workbook.md");
        let text = std::fs::read_to_string(&path).expect("docs/workbook.md");
        let updated = update(&text).expect("markers");
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &updated).expect("write docs/workbook.md");
        } else {
            assert!(
                updated == text,
                "docs/workbook.md's reference tables differ from the schema; run UPDATE_DOCS=1 cargo test --lib docs_tables"
            );
        }
    }
}
