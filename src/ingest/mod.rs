//! Reading a case: case folder, case.toml, workbook and narrative → a validated
//! [`Case`], or every problem found, each at its file and cell.
//!
//! Two stages, as ripgrep separates what the user typed from what the program
//! uses: [`raw`] reads the sheets as they are (cells and positions, through a
//! streaming reader, after [`safety`] has refused hostile zip files), and
//! [`validate`] builds the model from them with every precondition checked.
//! Problems are collected, never stopped at: `check` lists them all at once.
//! What the workbook holds (sheets, headers, choices, bounds) is declared in
//! [`crate::schema`]; ingest reads it from there.

pub mod casefile;
pub mod content;
pub mod limits;
pub mod number;
pub mod raw;
pub mod refs;
pub mod safety;
mod stage;
pub mod validate;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{
    BenefitLine, Case, CostLine, Narrative, NarrativePart, OptionId, Risk, Sourced, Sources, Stage,
};
use crate::names;
use crate::schema;

use casefile::{CaseFile, Reference};
use raw::{RawSheet, ReadError, Workbook};
use validate::Ctx;

/// Largest narrative file read: 1 MiB.
pub const MAX_NARRATIVE_BYTES: u64 = 1024 * 1024;

/// What `check` tells the user beyond the case itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows skipped per sheet (blank and empty, or a total), in workbook order.
    pub rows_skipped: Vec<(String, usize)>,
    /// Narrative parts whose file is missing.
    pub narrative_missing: Vec<NarrativePart>,
    /// The workbook as the user would name it.
    pub workbook: String,
    /// The narrative folder as the user would name it.
    pub narrative_dir: String,
    /// case.toml as the user would name it; `None` for a bare workbook,
    /// which has no case.toml and no narrative.
    pub case_toml: Option<String>,
}

/// A case that passed validation, with what the user should still be told.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub case: Case,
    /// Warnings found while reading; errors make [`load`] fail instead.
    pub warnings: Diagnostics,
    /// Where the preferred option was pinned (file and place), when it was.
    pub preferred_at: Option<(String, Location)>,
    /// The folder outputs go to by default: the case folder, or a bare workbook's folder.
    pub case_dir: PathBuf,
    /// What was read and skipped, for `check`'s summary.
    pub summary: Summary,
}

/// Where a case's files are, as resolved from what the user typed.
struct Paths {
    case_dir: PathBuf,
    /// case.toml, when the case has one.
    case_toml: Option<PathBuf>,
    /// The bare workbook, when CASE is one.
    workbook: Option<PathBuf>,
}

fn file_error(path: &Path, message: impl Into<String>) -> Diagnostics {
    Diagnostic::error(path.display().to_string(), Location::File, message).into()
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase()
}

fn refuse_format(path: &Path) -> Option<Diagnostics> {
    let ext = extension(path);
    let what = match ext.as_str() {
        "ods" => "an OpenDocument spreadsheet (.ods)",
        "xls" => "an Excel 97-2003 workbook (.xls)",
        "xlsb" => "an Excel binary workbook (.xlsb)",
        "csv" => "a CSV file",
        _ => return None,
    };
    let d = Diagnostic::error(
        path.display().to_string(),
        Location::File,
        format!("fivecase reads .xlsx and .xlsm workbooks, and this is {what}"),
    )
    .with_hint("open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)");
    Some(d.into())
}

fn resolve(path: &Path) -> Result<Paths, Diagnostics> {
    if path.is_dir() {
        let toml = path.join("case.toml");
        // Present but not a regular file: `read_text` refuses it, located.
        if !toml.exists() {
            let d = Diagnostic::error(
                path.display().to_string(),
                Location::File,
                "not a case folder: it has no case.toml",
            )
            .with_hint("`fivecase new DIR` writes a case folder to start from; or pass the workbook itself");
            return Err(d.into());
        }
        return Ok(Paths {
            case_dir: path.to_path_buf(),
            case_toml: Some(toml),
            workbook: None,
        });
    }
    if !path.exists() {
        return Err(file_error(path, "no such file or folder"));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match extension(path).as_str() {
        "toml" => Ok(Paths {
            case_dir: parent,
            case_toml: Some(path.to_path_buf()),
            workbook: None,
        }),
        "xlsx" | "xlsm" => Ok(Paths {
            case_dir: parent,
            case_toml: None,
            workbook: Some(path.to_path_buf()),
        }),
        _ => Err(refuse_format(path).unwrap_or_else(|| {
            Diagnostic::error(
                path.display().to_string(),
                Location::File,
                "expected a case folder, a case.toml or a workbook (.xlsx, .xlsm)",
            )
            .into()
        })),
    }
}

/// The folder part of a path the user typed, for joining names onto it as they would.
fn user_dir(path: &Path, is_dir: bool) -> PathBuf {
    if is_dir {
        return path.to_path_buf();
    }
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads and validates the case at `path`: a case folder, its case.toml, or a bare workbook.
///
/// # Errors
/// Every problem found, each at its file and cell, in workbook order.
pub fn load(path: &Path) -> Result<Loaded, Diagnostics> {
    let paths = resolve(path)?;
    let shown_dir = user_dir(path, path.is_dir());
    let mut diags = Diagnostics::new();

    // case.toml, or the defaults of a bare workbook.
    let (case_file, workbook_path, workbook_label, toml_label) =
        match (&paths.case_toml, &paths.workbook) {
            (_, Some(wb)) => (
                casefile::defaults(&stem(wb)),
                wb.clone(),
                path.display().to_string(),
                String::new(),
            ),
            (Some(toml), None) => {
                let toml_label = if path.is_dir() {
                    shown_dir.join("case.toml").display().to_string()
                } else {
                    path.display().to_string()
                };
                let raw = read_text(toml, &toml_label, casefile::MAX_CASE_TOML_BYTES)?;
                let defaults = casefile::defaults("workbook");
                let parsed =
                    casefile::parse(&toml_label, &raw, &stem(Path::new(&defaults.workbook)));
                let (mut case_file, toml_diags) = parsed?;
                diags.extend(toml_diags);
                // The default title is the workbook's file name without extension.
                if !raw_has_key(&raw, "title") {
                    case_file.meta.title = stem(Path::new(&case_file.workbook));
                }
                let wb = paths.case_dir.join(&case_file.workbook);
                let label = shown_dir.join(&case_file.workbook).display().to_string();
                (case_file, wb, label, toml_label)
            }
            (None, None) => {
                return Err(file_error(
                    path,
                    "expected a case folder, a case.toml or a workbook",
                ));
            }
        };
    if let Some(d) = refuse_format(&workbook_path) {
        let mut d: Vec<Diagnostic> = d.into_iter().collect();
        for x in &mut d {
            x.file.clone_from(&workbook_label);
        }
        return Err(d.into_iter().fold(Diagnostics::new(), |mut acc, x| {
            acc.push(x);
            acc
        }));
    }

    let mut ctx = Ctx::new(&workbook_label);
    let case = read_workbook(&mut ctx, &workbook_path, &case_file, &toml_label);
    diags.extend(std::mem::take(&mut ctx.diags));
    let skipped = std::mem::take(&mut ctx.skipped);
    let preferred_at = ctx.preferred_at.take();

    // The narrative folder.
    let narrative_dir = paths.case_dir.join(&case_file.narrative);
    let narrative_label = shown_dir.join(&case_file.narrative);
    let (narrative, missing) = read_narrative(
        &narrative_dir,
        &narrative_label,
        case_file.meta.stage,
        paths.case_toml.is_some(),
        &mut diags,
    );

    if paths.case_toml.is_some() {
        diags.extend(stage::narrative(
            case_file.meta.stage,
            &missing,
            &narrative_label,
        ));
    }
    let Some(mut case) = case else {
        return Err(diags);
    };
    case.narrative = narrative;
    if paths.case_toml.is_some() {
        diags.extend(stage::items(
            &case,
            &stage::Labels {
                workbook: &workbook_label,
                case_toml: &toml_label,
            },
        ));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut warnings = Diagnostics::new();
    for d in diags {
        warnings.push(d);
    }
    Ok(Loaded {
        case,
        warnings,
        preferred_at,
        case_dir: paths.case_dir,
        summary: Summary {
            rows_skipped: skipped,
            narrative_missing: missing,
            workbook: workbook_label,
            narrative_dir: narrative_label.display().to_string(),
            case_toml: paths.case_toml.is_some().then_some(toml_label),
        },
    })
}

/// A top-level key is present (used only to decide the default title).
fn raw_has_key(raw: &str, key: &str) -> bool {
    toml_edit::ImDocument::parse(raw).is_ok_and(|d| d.as_table().contains_key(key))
}

fn read_text(path: &Path, label: &str, limit: u64) -> Result<String, Diagnostics> {
    let err = |m: String| -> Diagnostics { Diagnostic::error(label, Location::File, m).into() };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read the file: {e}")))?;
    if let Some(what) = not_regular(&meta) {
        return Err(err(format!(
            "{what}, not a regular file: fivecase reads only files"
        )));
    }
    if meta.len() > limit {
        return Err(err(format!(
            "the file is {} bytes, more than the {} bytes ({} KiB) fivecase reads",
            crate::format::money(rust_decimal::Decimal::from(meta.len()), 0),
            crate::format::money(rust_decimal::Decimal::from(limit), 0),
            limit / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|_| err("the file is not UTF-8 text".into()))
}

/// What a path is when it is not a regular file (a folder, a FIFO, a device, a
/// socket), from its metadata alone: such an input is refused without being
/// opened, since opening a FIFO for reading blocks until a writer comes.
pub(crate) fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("this is a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return Some("this is a named pipe (FIFO)");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("this is a device");
        }
        if kind.is_socket() {
            return Some("this is a socket");
        }
    }
    Some("this is a special file")
}

fn read_narrative(
    dir: &Path,
    label: &Path,
    stage: Stage,
    has_case_toml: bool,
    diags: &mut Diagnostics,
) -> (Narrative, Vec<NarrativePart>) {
    let mut narrative = Narrative::default();
    let mut missing = Vec::new();
    for part in NarrativePart::ALL {
        let path = dir.join(part.file_name());
        let shown = label.join(part.file_name()).display().to_string();
        // Present but not a regular file (a folder, a FIFO): `read_text` refuses it.
        if !path.exists() {
            missing.push(part);
            // A bare workbook has no narrative by design: no warning for each part.
            // At FBC the stage checklist makes it an error (`stage::narrative`).
            if has_case_toml && stage != Stage::Fbc {
                diags.push(Diagnostic::warning(
                    shown,
                    Location::File,
                    "missing: that part of the document will have no narrative",
                ));
            }
            continue;
        }
        match read_text(&path, &shown, MAX_NARRATIVE_BYTES) {
            Ok(text) => {
                for p in limits::narrative_problems(&text) {
                    let (line, col) = line_col(&text, p.offset);
                    diags.push(Diagnostic::error(
                        shown.clone(),
                        Location::Text { line, col },
                        p.message,
                    ));
                }
                narrative.parts.insert(part, text);
            }
            Err(e) => diags.extend(e),
        }
    }
    // Optional parts: read where present, never missed.
    for part in NarrativePart::OPTIONAL {
        let path = dir.join(part.file_name());
        if !path.exists() {
            continue;
        }
        let shown = label.join(part.file_name()).display().to_string();
        match read_text(&path, &shown, MAX_NARRATIVE_BYTES) {
            Ok(text) => {
                narrative.parts.insert(part, text);
            }
            Err(e) => diags.extend(e),
        }
    }
    (narrative, missing)
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn read_error(ctx: &mut Ctx<'_>, e: ReadError) {
    match e {
        ReadError::File { message, hint } => {
            let mut d = Diagnostic::error(ctx.file, Location::File, message);
            d.hint = hint;
            ctx.diags.push(d);
        }
        ReadError::Cells {
            name,
            index,
            problems,
        } => {
            for (at, message) in problems {
                ctx.diags.push(Diagnostic::error(
                    ctx.file,
                    Location::Sheet {
                        name: if at.is_empty() {
                            name.clone()
                        } else {
                            format!("{name}!{at}")
                        },
                        index,
                    },
                    message,
                ));
            }
        }
        ReadError::Sheet {
            name,
            index,
            message,
        } => {
            ctx.diags.push(Diagnostic::error(
                ctx.file,
                Location::Sheet { name, index },
                message,
            ));
        }
    }
}

/// Reads the sheet `spec` declares if it exists; reports a missing required sheet.
fn sheet(ctx: &mut Ctx<'_>, wb: &mut Workbook, spec: &schema::Sheet) -> Option<RawSheet> {
    let (name, required) = (spec.name, spec.required);
    if let Some(i) = wb.find_sheet(name) {
        match wb.read_sheet(i) {
            Ok(s) => Some(s),
            Err(e) => {
                read_error(ctx, e);
                None
            }
        }
    } else {
        if required {
            let hint = match names::nearest(name, wb.sheet_names.iter().map(String::as_str)) {
                Some(n) => format!(
                    "{} sheet names are matched ignoring case",
                    names::did_you_mean(n)
                ),
                None => format!("the workbook's sheets are {}", wb.sheet_names.join(", ")),
            };
            ctx.diags.push(
                Diagnostic::error(ctx.file, Location::File, format!("missing sheet `{name}`"))
                    .with_hint(hint),
            );
        }
        None
    }
}

fn toml_error(
    ctx: &mut Ctx<'_>,
    toml_label: &str,
    r: &Reference,
    message: &str,
    hint: Option<String>,
) {
    let message = match &r.scenario {
        Some((name, key)) => format!("`{key}` in scenario {name:?}: {message}"),
        None => format!("`preferred`: {message}"),
    };
    let mut d = Diagnostic::error(toml_label, r.at.clone(), message);
    d.hint = hint;
    ctx.diags.push(d);
}

/// A "did you mean" hint, or the list of names when none is near.
#[allow(
    clippy::unnecessary_wraps,
    reason = "diagnostics take an optional hint"
)]
fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    what: &str,
) -> Option<String> {
    Some(names::hint(word, candidates, what))
}

#[allow(clippy::too_many_lines)]
fn read_workbook(ctx: &mut Ctx<'_>, path: &Path, cf: &CaseFile, toml_label: &str) -> Option<Case> {
    let mut wb = match Workbook::open(path) {
        Ok(wb) => wb,
        Err(e) => {
            read_error(ctx, e);
            return None;
        }
    };
    // Read every sheet first, so a missing one is reported with the rest.
    let assumptions_sheet = sheet(ctx, &mut wb, &schema::ASSUMPTIONS);
    let partners_sheet = sheet(ctx, &mut wb, &schema::PARTNERS);
    let options_sheet = sheet(ctx, &mut wb, &schema::OPTIONS);
    let costs_sheet = sheet(ctx, &mut wb, &schema::COSTS);
    let benefits_sheet = sheet(ctx, &mut wb, &schema::BENEFITS);
    let budget_sheet = sheet(ctx, &mut wb, &schema::BUDGET);
    let risks_sheet = sheet(ctx, &mut wb, &schema::RISKS);
    let content_sheets = content::Sheets {
        objectives: sheet(ctx, &mut wb, &schema::OBJECTIVES),
        long_list: sheet(ctx, &mut wb, &schema::LONG_LIST),
        register: sheet(ctx, &mut wb, &schema::BENEFITS_REGISTER),
        allocation: sheet(ctx, &mut wb, &schema::RISK_ALLOCATION),
        milestones: sheet(ctx, &mut wb, &schema::MILESTONES),
    };
    drop(wb);

    let raw_assumptions = assumptions_sheet
        .as_ref()
        .map(|s| validate::read_assumptions(ctx, s))
        .unwrap_or_default();
    let edition = if cf.edition_set {
        cf.meta.edition
    } else {
        raw_assumptions.edition.unwrap_or(cf.meta.edition)
    };
    let wanted_key = raw_assumptions.apportionment_key.as_ref().map_or_else(
        || {
            schema::assumptions::APPORTIONMENT_KEY
                .default
                .map_or_else(String::new, schema::Value::text)
        },
        |k| k.value.clone(),
    );
    let partners = partners_sheet
        .as_ref()
        .and_then(|s| validate::read_partners(ctx, s, &wanted_key));
    let options = options_sheet
        .as_ref()
        .and_then(|s| validate::read_options(ctx, s, edition));
    let option_list: Vec<crate::model::CaseOption> = options
        .as_ref()
        .map(|o| o.options.clone())
        .unwrap_or_default();
    let costs = costs_sheet.as_ref().and_then(|s| {
        validate::read_lines(
            ctx,
            s,
            &option_list,
            partners.as_ref().map(|p| &p.partners),
            true,
        )
    });
    let benefits = benefits_sheet.as_ref().and_then(|s| {
        validate::read_lines(
            ctx,
            s,
            &option_list,
            partners.as_ref().map(|p| &p.partners),
            false,
        )
    });

    // The appraisal years: the same on Costs and Benefits.
    let mut years = None;
    if let (Some(c), Some(b), Some(bs)) = (&costs, &benefits, &benefits_sheet) {
        let cy: Vec<_> = c.years.iter().map(|(y, _)| *y).collect();
        let by: Vec<_> = b.years.iter().map(|(y, _)| *y).collect();
        if cy == by {
            years = Some(cy);
        } else if let (Some(cf0), Some(cl), Some(bf), Some(bl), Some((_, first_col))) = (
            cy.first(),
            cy.last(),
            by.first(),
            by.last(),
            b.years.first(),
        ) {
            ctx.error(
                bs,
                b.source.header_row,
                *first_col,
                format!("the year columns run {bf} to {bl}, but on Costs they run {cf0} to {cl}; expected the same years on both sheets"),
            );
        }
    }

    // Base year and the other assumptions.
    let mut base = None;
    if let Some(first) = years.as_ref().and_then(|y| y.first().copied()) {
        let b = raw_assumptions
            .base_year
            .as_ref()
            .map_or(first, |s| s.value);
        let at = raw_assumptions
            .base_year
            .as_ref()
            .and_then(|s| s.at.clone());
        let problem = if b > first {
            Some(format!(
                "the base year {b} is after the first appraisal year {first}; expected it no later"
            ))
        } else if first.periods_since(b) > validate::MAX_BASE_YEAR_GAP {
            Some(format!(
                "the base year {b} is more than {} years before the first appraisal year {first}",
                validate::MAX_BASE_YEAR_GAP
            ))
        } else {
            None
        };
        match (problem, at, &assumptions_sheet) {
            (Some(m), Some(at), Some(s)) => ctx.error(s, at.row, at.col, m),
            (Some(m), _, _) => ctx
                .diags
                .push(Diagnostic::error(ctx.file, Location::File, m)),
            (None, _, _) => base = Some(b),
        }
    }
    if let (Some(years), Some(b), Some(s)) = (&years, base, &assumptions_sheet) {
        check_inflation_index(ctx, s, &raw_assumptions, b, years);
    }

    let key_index = partners.as_ref().and_then(|read| {
        let (p, src, zero) = (&read.partners, &read.source, &read.zero_total);
        let wanted = names::key(&wanted_key);
        let found = p.key_columns.iter().position(|k| names::key(k) == wanted);
        if found.is_none() && !zero.iter().any(|z| names::key(z) == wanted) {
            let hint = did_you_mean(
                &wanted_key,
                p.key_columns.iter().map(String::as_str),
                "key columns",
            );
            let message = format!(
                "the apportionment key `{wanted_key}` is not a numeric column of the Partners sheet"
            );
            match (&raw_assumptions.apportionment_key, &assumptions_sheet) {
                (Some(Sourced { at: Some(at), .. }), Some(s)) => {
                    ctx.error_hint(s, at.row, at.col, message, hint);
                }
                _ => {
                    if let Some(ps) = &partners_sheet {
                        ctx.error_hint(ps, src.header_row, 0, message, hint);
                    }
                }
            }
        }
        found
    });

    // The preferred option: case.toml wins over the Assumptions sheet.
    let mut preferred = None;
    if let Some(opts) = options.as_ref().map(|o| &o.options) {
        let ids = || opts.iter().map(|o| o.id.as_str());
        if let Some(r) = &cf.preferred {
            match opts
                .iter()
                .position(|o| names::key(&o.id) == names::key(&r.text))
            {
                Some(i) => {
                    preferred = Some(OptionId::new(i));
                    ctx.preferred_at = Some((toml_label.to_string(), r.at.clone()));
                }
                None => toml_error(
                    ctx,
                    toml_label,
                    r,
                    &format!("unknown option {:?}", r.text),
                    did_you_mean(&r.text, ids(), "options"),
                ),
            }
        } else if let Some(p) = &raw_assumptions.preferred {
            match opts
                .iter()
                .position(|o| names::key(&o.id) == names::key(&p.value))
            {
                Some(i) => {
                    preferred = Some(OptionId::new(i));
                    if let (Some(at), Some(s)) = (&p.at, &assumptions_sheet) {
                        ctx.preferred_at =
                            Some((ctx.file.to_string(), validate::cell_loc(s, at.row, at.col)));
                    }
                }
                None => {
                    if let (Some(at), Some(s)) = (&p.at, &assumptions_sheet) {
                        let hint = did_you_mean(&p.value, ids(), "options");
                        ctx.error_hint(
                            s,
                            at.row,
                            at.col,
                            format!("unknown option {:?}", p.value),
                            hint,
                        );
                    }
                }
            }
        }
    }

    // Scenario references.
    let mut meta = cf.meta.clone();
    meta.edition = edition;
    if let (Some(read), Some(opts)) = (&partners, options.as_ref().map(|o| &o.options)) {
        let (p, zero) = (&read.partners, &read.zero_total);
        for (spec, refs) in meta.scenarios.iter_mut().zip(&cf.scenario_refs) {
            let mut canon_partners = Vec::new();
            for r in &refs.partners {
                match p
                    .names
                    .iter()
                    .find(|n| names::key(n) == names::key(&r.text))
                {
                    Some(n) => canon_partners.push(n.clone()),
                    None => toml_error(
                        ctx,
                        toml_label,
                        r,
                        &format!("unknown partner {:?}", r.text),
                        did_you_mean(&r.text, p.names.iter().map(String::as_str), "partners"),
                    ),
                }
            }
            if spec.partners.is_some() {
                if canon_partners.is_empty() && refs.partners.is_empty() {
                    ctx.diags.push(Diagnostic::error(
                        toml_label,
                        Location::Text {
                            line: spec.line,
                            col: 1,
                        },
                        format!(
                            "`partners` in scenario {:?}: expected at least one partner",
                            spec.name
                        ),
                    ));
                }
                spec.partners = Some(canon_partners);
            }
            let mut canon_options = Vec::new();
            for r in &refs.options {
                match opts
                    .iter()
                    .find(|o| names::key(&o.id) == names::key(&r.text))
                {
                    Some(o) => canon_options.push(o.id.clone()),
                    None => toml_error(
                        ctx,
                        toml_label,
                        r,
                        &format!("unknown option {:?}", r.text),
                        did_you_mean(&r.text, opts.iter().map(|o| o.id.as_str()), "options"),
                    ),
                }
            }
            if spec.options.is_some() {
                if let Some(pi) = preferred
                    && !canon_options.iter().any(|o| *o == opts[pi].id)
                    && refs.options.len() == canon_options.len()
                {
                    let at = refs.options.first().map_or(
                        Location::Text {
                            line: spec.line,
                            col: 1,
                        },
                        |r| r.at.clone(),
                    );
                    ctx.diags.push(
                        Diagnostic::error(
                            toml_label,
                            at,
                            format!(
                                "`options` in scenario {:?} leaves out the preferred option {:?}",
                                spec.name, opts[pi].id
                            ),
                        )
                        .with_hint("add it to the list, or change `preferred`"),
                    );
                }
                spec.options = Some(canon_options);
            }
            let mut ob = std::collections::BTreeMap::new();
            for r in &refs.optimism_bias {
                match opts
                    .iter()
                    .find(|o| names::key(&o.id) == names::key(&r.text))
                {
                    Some(o) => {
                        if let Some(v) = spec.optimism_bias.get(&r.text) {
                            ob.insert(o.id.clone(), *v);
                        }
                    }
                    None => toml_error(
                        ctx,
                        toml_label,
                        r,
                        &format!("unknown option {:?}", r.text),
                        did_you_mean(&r.text, opts.iter().map(|o| o.id.as_str()), "options"),
                    ),
                }
            }
            spec.optimism_bias = ob;
            if let Some(r) = &refs.apportionment_key {
                match p
                    .key_columns
                    .iter()
                    .find(|k| names::key(k) == names::key(&r.text))
                {
                    Some(k) => spec.apportionment_key = Some(k.clone()),
                    None if zero.iter().any(|z| names::key(z) == names::key(&r.text)) => {
                        toml_error(
                            ctx,
                            toml_label,
                            r,
                            &format!("the key column {:?} adds up to zero", r.text),
                            None,
                        );
                    }
                    None => toml_error(
                        ctx,
                        toml_label,
                        r,
                        &format!("unknown key column {:?}", r.text),
                        did_you_mean(
                            &r.text,
                            p.key_columns.iter().map(String::as_str),
                            "key columns",
                        ),
                    ),
                }
            }
        }
    }

    let unit = raw_assumptions
        .unit
        .as_ref()
        .map_or(crate::model::Unit::Pounds, |u| u.value);
    let budget = match (&budget_sheet, &partners) {
        (Some(s), Some(p)) => validate::read_budget(ctx, s, &p.partners, unit.penny_places()),
        _ => None,
    };
    let risks = match (&risks_sheet, &years, base) {
        (Some(s), Some(y), Some(b)) => validate::read_risks(
            ctx,
            s,
            &option_list,
            y,
            b,
            partners.as_ref().map(|p| &p.partners),
        ),
        _ => None,
    };

    // The Five Case content: read whatever else failed, so its problems are listed too.
    let benefit_lines: Vec<(OptionId, String)> = benefits
        .as_ref()
        .map(|b| b.rows.iter().map(|r| (r.option, r.line.clone())).collect())
        .unwrap_or_default();
    let content = content::read(ctx, &content_sheets, &option_list, &benefit_lines);

    // Build the case only when everything it needs was read cleanly.
    let validate::PartnersRead {
        partners,
        source: partners_src,
        financing: partner_financing,
        ..
    } = partners?;
    let validate::OptionsRead {
        options,
        baseline,
        source: options_src,
    } = options?;
    let baseline = baseline?;
    let validate::LinesRead {
        rows: cost_rows,
        source: costs_src,
        ..
    } = costs?;
    let validate::LinesRead {
        rows: benefit_rows,
        source: benefits_src,
        ..
    } = benefits?;
    let years = years?;
    let cells = partners.len() * options.len() * years.len();
    if cells > limits::MAX_PARTNER_OPTION_YEARS {
        if let Some(sheet) = &partners_sheet {
            ctx.sheet_error(
                sheet,
                format!(
                    "{} partners × {} options × {} years make {} figures by partner, more than the {} fivecase tabulates",
                    partners.len(),
                    options.len(),
                    years.len(),
                    crate::format::money(rust_decimal::Decimal::from(cells), 0),
                    crate::format::money(rust_decimal::Decimal::from(limits::MAX_PARTNER_OPTION_YEARS), 0),
                ),
            );
        }
        return None;
    }
    let base = base?;
    let key_index = key_index?;
    let costs = validate::cost_lines(cost_rows);
    let benefits = validate::benefit_lines(benefit_rows);
    if budget_sheet.is_some() && budget.is_none() || risks_sheet.is_some() && risks.is_none() {
        return None;
    }
    let financing = validate::financing(
        ctx,
        &raw_assumptions,
        assumptions_sheet.as_ref(),
        &partner_financing,
    )?;
    let mut assumptions = validate::assumptions(&raw_assumptions, *years.first()?, key_index);
    assumptions.base_year.value = base;
    let (mut budget, budget_src) = budget.map_or((None, None), |(b, s)| (Some(b), Some(s)));
    if let (Some(b), Some(basis)) = (budget.as_mut(), raw_assumptions.budget_basis) {
        b.basis = basis;
    }
    let (mut risks, risks_src) = risks.map_or((Vec::new(), None), |(r, s)| (r, Some(s)));
    // A Key naming the case's own key is the case's key: a scenario that
    // changes the key changes it for that line too.
    let own = |k: &mut Option<usize>| {
        if *k == Some(key_index) {
            *k = None;
        }
    };
    let (mut costs, mut benefits) = (costs, benefits);
    for l in &mut costs {
        own(&mut l.key);
    }
    for l in &mut benefits {
        own(&mut l.key);
    }
    for k in &mut risks {
        own(&mut k.key);
    }
    for (sheet, rows, what) in [
        (
            &costs_sheet,
            costs.iter().map(|l| l.row).nth(limits::MAX_LINES),
            costs.len(),
        ),
        (
            &benefits_sheet,
            benefits.iter().map(|l| l.row).nth(limits::MAX_LINES),
            benefits.len(),
        ),
        (
            &risks_sheet,
            risks.iter().map(|k| k.row).nth(limits::MAX_LINES),
            risks.len(),
        ),
    ] {
        if let (Some(sheet), Some(row)) = (sheet, rows) {
            ctx.error(
                sheet,
                row,
                0,
                format!(
                    "the sheet has {} lines, more than the {} fivecase reads",
                    crate::format::money(rust_decimal::Decimal::from(what), 0),
                    crate::format::money(rust_decimal::Decimal::from(limits::MAX_LINES), 0),
                ),
            );
            return None;
        }
    }
    if let Some(sheet) = &costs_sheet {
        warn_repeated(
            ctx,
            sheet,
            &costs,
            |l| l.row,
            |l| CostLine {
                row: 0,
                ..l.clone()
            },
        );
    }
    if let Some(sheet) = &benefits_sheet {
        warn_repeated(
            ctx,
            sheet,
            &benefits,
            |l| l.row,
            |l| BenefitLine {
                row: 0,
                ..l.clone()
            },
        );
    }
    if let Some(sheet) = &risks_sheet {
        warn_repeated(
            ctx,
            sheet,
            &risks,
            |k| k.row,
            |k| Risk {
                row: 0,
                ..k.clone()
            },
        );
    }
    Some(Case {
        meta,
        assumptions,
        partners,
        options,
        baseline,
        preferred,
        years,
        costs,
        benefits,
        budget,
        risks,
        financing,
        narrative: Narrative::default(),
        sources: Sources {
            workbook: ctx.file.to_string(),
            assumptions: raw_assumptions.source.clone(),
            partners: partners_src,
            options: options_src,
            costs: costs_src,
            benefits: benefits_src,
            budget: budget_src,
            risks: risks_src,
        },
        content,
    })
}

/// A warning at each line identical to an earlier one in everything read
/// (option, line, type, partner and every column) but its row: a double
/// count a reviewer would catch. Lines are compared through a hash of
/// their contents without the row, then exactly, so this stays linear.
fn warn_repeated<T: std::fmt::Debug>(
    ctx: &mut Ctx<'_>,
    sheet: &raw::RawSheet,
    lines: &[T],
    row: impl Fn(&T) -> u32,
    without_row: impl Fn(&T) -> T,
) {
    use std::hash::{Hash as _, Hasher as _};
    // The line's Debug text with its row set to 0: every field read.
    let contents = |l: &T| format!("{:?}", without_row(l));
    let mut seen: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let text = contents(l);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let bucket = seen.entry(h.finish()).or_default();
        match bucket
            .iter()
            .copied()
            .find(|&j| contents(&lines[j]) == text)
        {
            Some(j) => ctx.warning(
                sheet,
                row(l),
                0,
                format!(
                    "this line repeats row {} in every column read: it would be counted twice",
                    row(&lines[j]) + 1
                ),
            ),
            None => bucket.push(i),
        }
    }
}

/// Refuses an inflation rate that, compounded from the base year to the last
/// appraisal year, passes [`schema::bounds::MAX_INFLATION_INDEX`]: beyond
/// it, the engine's nominal amounts could leave exact decimal range.
fn check_inflation_index(
    ctx: &mut Ctx<'_>,
    sheet: &RawSheet,
    raw: &validate::RawAssumptions,
    base: crate::model::FiscalYear,
    years: &[crate::model::FiscalYear],
) {
    let Some(last) = years.last() else {
        return;
    };
    let periods = last.periods_since(base);
    for (name, rate) in [
        ("general inflation", &raw.general_inflation),
        ("pay inflation", &raw.pay_inflation),
    ] {
        // Only a rate given on the sheet can pass it: the defaults cannot.
        let Some(Sourced {
            value,
            at: Some(at),
        }) = rate
        else {
            continue;
        };
        if schema::bounds::inflation_index(*value, periods).is_none() {
            let limit = crate::format::money(schema::bounds::MAX_INFLATION_INDEX, 0);
            ctx.error_hint(
                sheet,
                at.row,
                at.col,
                format!(
                    "{name} of {} compounded over the {periods} years from the base year {base} to {last} passes an index of {limit}, the most fivecase accepts",
                    crate::format::percent(*value, 4)
                ),
                Some("a long appraisal needs a long-run rate, such as 2%".into()),
            );
        }
    }
}

/// A Budget sheet read on its own, for a programme: the forces' plans and
/// the unit they are in.
#[derive(Debug, Clone)]
pub struct LoadedBudget {
    pub budget: crate::model::Budget,
    /// The Assumptions sheet's `Unit` (£ without one).
    pub unit: crate::model::Unit,
    /// Warnings found while reading; errors make [`load_budget`] fail instead.
    pub warnings: Diagnostics,
}

/// Reads the Budget sheet of the workbook at `path` (shown as `label`) and
/// its Assumptions sheet's `Unit`, every other sheet ignored, validated as a
/// case's Budget sheet is, its Partner column matched against `forces`
/// (the programme's forces, as a Partners sheet would name them).
///
/// # Errors
/// Every problem found, each at its cell; a missing Budget sheet.
pub fn load_budget(
    path: &Path,
    label: &str,
    forces: &[String],
) -> Result<LoadedBudget, Diagnostics> {
    if let Some(d) = refuse_format(path) {
        return Err(d);
    }
    let mut ctx = Ctx::new(label);
    let mut wb = match Workbook::open(path) {
        Ok(wb) => wb,
        Err(e) => {
            read_error(&mut ctx, e);
            return Err(ctx.diags);
        }
    };
    let assumptions_sheet = sheet(&mut ctx, &mut wb, &schema::ASSUMPTIONS);
    let budget_sheet = sheet(&mut ctx, &mut wb, &schema::BUDGET);
    drop(wb);
    let unit = assumptions_sheet
        .as_ref()
        .map(|s| validate::read_assumptions(&mut ctx, s))
        .and_then(|a| a.unit.map(|u| u.value))
        .unwrap_or(crate::model::Unit::Pounds);
    let partners = crate::model::Partners {
        names: forces.to_vec(),
        key_columns: Vec::new(),
        values: vec![Vec::new(); forces.len()],
        rows: vec![0; forces.len()],
    };
    let budget = if let Some(s) = &budget_sheet {
        validate::read_budget(&mut ctx, s, &partners, unit.penny_places())
    } else {
        ctx.diags.push(Diagnostic::error(
            label,
            Location::File,
            format!(
                "missing sheet `{}`: a programme budget is a Budget sheet",
                schema::BUDGET.name
            ),
        ));
        None
    };
    // The Assumptions sheet's other rows are a case's; only the unit matters here.
    let diags = std::mem::take(&mut ctx.diags);
    let mut kept = Diagnostics::new();
    for d in diags {
        let on_assumptions = matches!(&d.location, Location::Cell { cell, .. } if cell.sheet == schema::ASSUMPTIONS.name)
            || matches!(&d.location, Location::Sheet { name, .. } if *name == schema::ASSUMPTIONS.name);
        if !on_assumptions || d.message.to_lowercase().contains("unit") {
            kept.push(d);
        }
    }
    match budget {
        Some((budget, _)) if !kept.has_errors() => Ok(LoadedBudget {
            budget,
            unit,
            warnings: kept,
        }),
        _ => Err(kept),
    }
}
