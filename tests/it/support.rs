//! Helpers for integration tests: a workbook builder, temporary folders, running the binary.

#![allow(dead_code, reason = "each test module uses the helpers it needs")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use fivecase::schema::{
    self, assumptions as a, budget as b, lines as l, options as o, partners as p, risks as r,
};
use rust_xlsxwriter::{Formula, Workbook};

/// One cell as a test writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum C {
    Empty,
    Num(f64),
    Text(String),
    /// A formula and the result saved with it (`#DIV/0!` saves an error value).
    Formula(String, String),
}

impl From<&str> for C {
    /// `""` is empty; text that parses as a number is a number; `=F|R` a formula F with result R;
    /// a leading `'` forces text.
    fn from(s: &str) -> Self {
        if s.is_empty() {
            C::Empty
        } else if let Some(t) = s.strip_prefix('\'') {
            C::Text(t.to_string())
        } else if let Some(f) = s.strip_prefix('=') {
            let (f, r) = f.split_once('|').unwrap_or((f, "0"));
            C::Formula(f.to_string(), r.to_string())
        } else if let Ok(n) = s.parse::<f64>() {
            C::Num(n)
        } else {
            C::Text(s.to_string())
        }
    }
}

/// A workbook described sheet by sheet, row by row, so each test shows its input.
#[derive(Debug, Clone)]
pub(crate) struct Book {
    pub(crate) sheets: Vec<(String, Vec<Vec<C>>)>,
}

pub(crate) fn rows(rows: &[&[&str]]) -> Vec<Vec<C>> {
    rows.iter()
        .map(|r| r.iter().map(|c| C::from(*c)).collect())
        .collect()
}

impl Book {
    pub(crate) fn new() -> Self {
        Self { sheets: Vec::new() }
    }

    #[must_use]
    pub(crate) fn sheet(mut self, name: &str, data: &[&[&str]]) -> Self {
        self.sheets.push((name.to_string(), rows(data)));
        self
    }

    /// Replaces one sheet's rows (the sheet keeps its place).
    #[must_use]
    pub(crate) fn replace(mut self, name: &str, data: &[&[&str]]) -> Self {
        let s = self
            .sheets
            .iter_mut()
            .find(|(n, _)| n == name)
            .expect("sheet");
        s.1 = rows(data);
        self
    }

    #[must_use]
    pub(crate) fn without(mut self, name: &str) -> Self {
        self.sheets.retain(|(n, _)| n != name);
        self
    }

    /// Sets one cell (zero-based row and column).
    #[must_use]
    pub(crate) fn set(mut self, sheet: &str, row: usize, col: usize, value: &str) -> Self {
        let s = self
            .sheets
            .iter_mut()
            .find(|(n, _)| n == sheet)
            .expect("sheet");
        while s.1.len() <= row {
            s.1.push(Vec::new());
        }
        let r = &mut s.1[row];
        while r.len() <= col {
            r.push(C::Empty);
        }
        r[col] = C::from(value);
        self
    }

    pub(crate) fn write(&self, path: &Path) {
        let mut wb = Workbook::new();
        for (name, data) in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(name).unwrap();
            for (r, row) in data.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
                    match cell {
                        C::Empty => {}
                        C::Num(n) => {
                            ws.write_number(r, c, *n).unwrap();
                        }
                        C::Text(t) => {
                            ws.write_string(r, c, t).unwrap();
                        }
                        C::Formula(f, result) => {
                            ws.write_formula(r, c, Formula::new(f).set_result(result))
                                .unwrap();
                        }
                    }
                }
            }
        }
        wb.save(path).unwrap();
    }
}

/// A small valid case: three partners, a baseline and one option, three
/// years; sheet names and headers as the schema declares them.
pub(crate) fn valid() -> Book {
    Book::new()
        .sheet(
            schema::ASSUMPTIONS.name,
            &[
                &["Illustrative case: not real figures"],
                &[a::NAME.header, a::VALUE.header],
                &[a::BASE_YEAR.name, "2025/26"],
                &[a::UNIT.name, "£k"],
                &[a::DISCOUNT_RATE.name, "Green Book"],
                &[a::GENERAL_INFLATION.name, "0.02"],
                &[a::PAY_INFLATION.name, "0.025"],
                &[a::APPORTIONMENT_KEY.name, "Government grant"],
            ],
        )
        .sheet(
            schema::PARTNERS.name,
            &[
                &[p::PARTNER.header, p::GOVERNMENT_GRANT.header, "Population"],
                &["Essex", "200", "1800"],
                &["Kent", "250", "1900"],
                &["Suffolk", "100", "760"],
            ],
        )
        .sheet(
            schema::OPTIONS.name,
            &[
                &[
                    o::OPTION.header,
                    o::NAME.header,
                    o::DESCRIPTION.header,
                    o::BASELINE.header,
                    o::OB_CAPITAL.header,
                    o::OB_REVENUE.header,
                ],
                &[
                    "BAU",
                    "Business as usual",
                    "Each force keeps its own",
                    "Yes",
                    "0",
                    "0",
                ],
                &[
                    "OPT1",
                    "Shared control room",
                    "One room for all",
                    "No",
                    "Standard buildings",
                    "10%",
                ],
            ],
        )
        .sheet(
            schema::COSTS.name,
            &[
                &[
                    l::OPTION.header,
                    l::LINE.header,
                    l::COST_TYPE.header,
                    l::PARTNER.header,
                    "2025/26",
                    "2026/27",
                    "2027/28",
                ],
                &[
                    "BAU",
                    "Control rooms",
                    "Revenue",
                    "All",
                    "100",
                    "100",
                    "100",
                ],
                &["OPT1", "Building works", "Capital", "", "50", "", ""],
                &["OPT1", "Running costs", "Revenue", "Kent", "60", "60", "60"],
                &[],
                &["", "Total", "", "", "210", "160", "160"],
            ],
        )
        .sheet(
            schema::BENEFITS.name,
            &[
                &[
                    l::OPTION.header,
                    l::LINE.header,
                    l::BENEFIT_TYPE.header,
                    l::PARTNER.header,
                    "2025/26",
                    "2026/27",
                    "2027/28",
                ],
                &["OPT1", "Staff savings", "Cashable", "", "0", "40", "80"],
                &["OPT1", "Faster response", "Non-cashable", "", "0", "5", "5"],
            ],
        )
        .sheet(
            schema::BUDGET.name,
            &[
                &[b::PARTNER.header, b::LINE.header, "2025/26", "2026/27"],
                &["Essex", "Base budget gap", "7.4", "8.1"],
                &["Essex", "Use of reserves and one-off grant", "-5.2", "-5"],
                &["Essex", "Cash-releasing efficiencies", "2.2", "3.1"],
                &["Essex", "Residual gap", "0", "0"],
                &["Essex", "Identified risk gap", "1", "1.5"],
                &["Essex", "Risk adjusted gap", "1", "1.5"],
                &["Region", "Base budget gap", "7.4", "8.1"],
            ],
        )
        .sheet(
            schema::RISKS.name,
            &[
                &[
                    r::RISK.header,
                    r::DESCRIPTION.header,
                    r::OPTION.header,
                    r::PROBABILITY.header,
                    r::IMPACT.header,
                    r::YEAR.header,
                    r::OWNER.header,
                    r::MITIGATION.header,
                ],
                &[
                    "R1",
                    "Building delay",
                    "OPT1",
                    "0.2",
                    "50",
                    "2026/27",
                    "SRO",
                    "Early survey",
                ],
            ],
        )
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh empty folder for one test.
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("fivecase-it-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a run of the binary printed and returned.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `fivecase ARGS` in `dir`.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_fivecase"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Writes `book` as `wb.xlsx` in a fresh folder and runs `fivecase check wb.xlsx` there.
pub(crate) fn check_book(name: &str, book: &Book) -> Run {
    let dir = temp_dir(name);
    book.write(&dir.join("wb.xlsx"));
    run_in(&dir, &["check", "wb.xlsx"])
}

/// Copies the zip at `from` to `to`, passing the entry `name` through `edit`.
pub(crate) fn rewrite_entry(from: &Path, to: &Path, name: &str, edit: impl Fn(String) -> String) {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let entry_name = entry.name().unwrap().to_string();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if entry_name == name {
            text = edit(String::from_utf8(text).unwrap()).into_bytes();
        }
        out.start_file(entry_name, options).unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap();
}

/// Asserts a failed check: exit code 1 and exactly these lines on stderr, then the count line.
pub(crate) fn assert_problems(run: &Run, lines: &[&str]) {
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let errors = lines
        .iter()
        .filter(|l| !l.starts_with("  hint:") && !l.contains(": warning: "))
        .count();
    let mut expected: Vec<String> = lines.iter().map(ToString::to_string).collect();
    expected.push(format!(
        "fivecase: {errors} problem{} found; nothing was written",
        if errors == 1 { "" } else { "s" }
    ));
    let got: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(got, expected);
    assert_eq!(run.stdout, "");
}

/// `book` with the five Five Case content sheets, valid against [`valid`]'s
/// options and Benefits lines: two objectives and a CSF, a long list over two
/// dimensions, a benefits register, a risk allocation and milestones.
pub(crate) fn with_content(book: Book) -> Book {
    book.sheet(
        schema::OBJECTIVES.name,
        &[
            &["Objective", "Kind", "Description", "Measure"],
            &[
                "SO1",
                "Spending objective",
                "Save money",
                "Cashable savings",
            ],
            &[
                "SO2",
                "Spending objective",
                "Answer calls faster",
                "Minutes",
            ],
            &["CSF1", "Critical success factor", "Affordable", ""],
        ],
    )
    .sheet(
        schema::LONG_LIST.name,
        &[
            &[
                "Possibility",
                "Dimension",
                "Description",
                "SO1",
                "SO2",
                "CSF1",
                "Outcome",
                "Reason",
            ],
            &[
                "S1",
                "Scope",
                "Control rooms only",
                "Yes",
                "Yes",
                "Yes",
                "Preferred",
                "",
            ],
            &[
                "S2",
                "Scope",
                "All support services",
                "Yes",
                "Partly",
                "No",
                "Discounted",
                "Too large to deliver at once",
            ],
            &[
                "D1",
                "Delivery",
                "Hosted by Kent",
                "Yes",
                "Yes",
                "Partly",
                "Preferred",
                "",
            ],
            &[
                "D2",
                "Delivery",
                "Outsourced",
                "Partly",
                "No",
                "No",
                "Carried forward",
                "Kept as a fallback",
            ],
        ],
    )
    .sheet(
        schema::BENEFITS_REGISTER.name,
        &[
            &[
                "Benefit",
                "Description",
                "Type",
                "Owner",
                "Measure",
                "Baseline",
                "Target",
                "From",
                "Option",
                "Line",
            ],
            &[
                "B1",
                "Fewer control room staff",
                "Cashable",
                "Kent CFO",
                "Posts",
                "60",
                "48",
                "2026/27",
                "OPT1",
                "Staff savings",
            ],
            &[
                "B2",
                "Public confidence",
                "Non-monetised",
                "PCC office",
                "Survey",
                "71%",
                "75%",
                "2027/28",
                "",
                "",
            ],
        ],
    )
    .sheet(
        schema::RISK_ALLOCATION.name,
        &[
            &["Risk category", "Public", "Private", "Shared"],
            &["Design", "Yes", "", ""],
            &["Operating", "60%", "", "40%"],
        ],
    )
    .sheet(
        schema::MILESTONES.name,
        &[
            &["Milestone", "Date", "Owner", "Gateway"],
            &["Full business case approved", "2026-03-31", "SRO", "Gate 3"],
            &[
                "Control room opens",
                "2026-10-01",
                "Programme manager",
                "Gate 4",
            ],
        ],
    )
}
