//! `fivecase template`: the blank input workbook.

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, SheetVisible, Xlsx};

const BIN: &str = env!("CARGO_BIN_EXE_fivecase");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fivecase-it-template-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn fivecase(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn open(path: &Path) -> Xlsx<Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(Cursor::new(fs::read(path).unwrap())).unwrap()
}

/// The header row of a sheet: the first row after the title rows whose cells are all text.
fn header(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, key: &str) -> Vec<String> {
    let range = book.worksheet_range(sheet).unwrap();
    let row = range
        .rows()
        .find(|row| row.first() == Some(&Data::String(key.into())))
        .unwrap_or_else(|| panic!("{sheet}: no header row starting {key}"));
    row.iter()
        .map(|d| match d {
            Data::String(s) => s.clone(),
            other => panic!("{sheet}: header cell {other:?}"),
        })
        .collect()
}

/// The XML of one worksheet part, to see its data validations.
fn sheet_xml(path: &Path, index: usize) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{index}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn years(first: u16, n: u16) -> Vec<String> {
    (first..first + n)
        .map(|y| format!("{y}/{:02}", (y + 1) % 100))
        .collect()
}

#[test]
fn writes_every_sheet_in_order_with_the_documented_headers() {
    let dir = scratch("default");
    let out = fivecase(&["template"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "wrote fivecase-template.xlsx: an input workbook for 7 partners, appraisal years 2026/27 to 2035/36, amounts in £\n\
         fill it in, then run: fivecase check fivecase-template.xlsx\n"
    );
    let path = dir.join("fivecase-template.xlsx");
    let mut book = open(&path);
    assert_eq!(
        book.sheet_names(),
        [
            "Guide",
            "Assumptions",
            "Partners",
            "Options",
            "Costs",
            "Benefits",
            "Budget",
            "Risks",
            "Objectives",
            "Long list",
            "Benefits register",
            "Risk allocation",
            "Milestones",
            "Lists"
        ]
    );
    let hidden: Vec<&str> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != SheetVisible::Visible)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(hidden, ["Lists"]);

    let with_years = |text: &[&str], years: &[String]| -> Vec<String> {
        text.iter()
            .map(|s| (*s).to_string())
            .chain(years.iter().cloned())
            .collect()
    };
    // The risk analysis's optional columns follow the years.
    let ranges = ["Range low", "Range high", "Distribution", "Group"].map(String::from);
    assert_eq!(
        header(&mut book, "Assumptions", "Name"),
        ["Name", "Value", "Notes"]
    );
    assert_eq!(
        header(&mut book, "Partners", "Partner"),
        ["Partner", "Government grant", "Capital financing"]
    );
    assert_eq!(
        header(&mut book, "Options", "Option"),
        [
            "Option",
            "Name",
            "Description",
            "Baseline",
            "Optimism bias capital",
            "Optimism bias revenue",
            "Optimism bias mitigation",
            "Optimism bias mitigation capital",
            "Optimism bias mitigation revenue",
            "Optimism bias basis",
            "Asset life",
            "Referred to as"
        ]
    );
    assert_eq!(
        header(&mut book, "Costs", "Option"),
        [
            with_years(
                &["Option", "Line", "Type", "Partner", "Inflation"],
                &years(2026, 10)
            ),
            vec!["Key".to_string()],
            ranges.to_vec()
        ]
        .concat()
    );
    assert_eq!(
        header(&mut book, "Benefits", "Option"),
        [
            with_years(
                &["Option", "Line", "Type", "Partner", "Inflation"],
                &years(2026, 10)
            ),
            vec!["Key".to_string()],
            ranges.to_vec()
        ]
        .concat()
    );
    assert_eq!(
        header(&mut book, "Budget", "Partner"),
        with_years(&["Partner", "Line"], &years(2026, 4))
    );
    assert_eq!(
        header(&mut book, "Risks", "Risk"),
        [
            "Risk",
            "Description",
            "Option",
            "Probability",
            "Impact",
            "Year",
            "Owner",
            "Mitigation",
            "Partner",
            "Key",
            "Impact low",
            "Impact high",
            "Distribution",
            "Group"
        ]
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn assumptions_carry_the_defaults() {
    let dir = scratch("assumptions");
    let out = fivecase(
        &[
            "template",
            "--first-year",
            "2030-31",
            "--years",
            "5",
            "--unit",
            "£m",
            "-o",
            "t.xlsx",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut book = open(&dir.join("t.xlsx"));
    let range = book.worksheet_range("Assumptions").unwrap();
    let rows: Vec<(String, Data)> = range
        .rows()
        .skip_while(|r| r.first() != Some(&Data::String("Name".into())))
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].clone()))
        .collect();
    assert_eq!(
        rows,
        [
            ("Base year".to_string(), Data::String("2030/31".into())),
            ("Unit".to_string(), Data::String("£m".into())),
            (
                "Discount rate".to_string(),
                Data::String("Green Book".into())
            ),
            ("General inflation".to_string(), Data::Float(0.02)),
            ("Pay inflation".to_string(), Data::Float(0.025)),
            (
                "Apportionment key".to_string(),
                Data::String("Government grant".into())
            ),
        ]
    );
    assert_eq!(header(&mut book, "Costs", "Option")[5..10], years(2030, 5));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn drop_downs_offer_the_lists_the_format_accepts() {
    let dir = scratch("validation");
    assert_eq!(
        fivecase(&["template", "--partners", "3"], &dir)
            .status
            .code(),
        Some(0)
    );
    let path = dir.join("fivecase-template.xlsx");
    let costs = sheet_xml(&path, 5);
    // Option ids from the Options sheet's rows; partners and All from the hidden Lists sheet.
    for expected in [
        "<formula1>Options!$A$4:$A$13</formula1>",
        "<formula1>\"Capital,Revenue\"</formula1>",
        "<formula1>Lists!$A$4:$A$7</formula1>",
        "<formula1>\"General,Pay,None\"</formula1>",
    ] {
        assert!(costs.contains(expected), "Costs has no {expected}");
    }
    let benefits = sheet_xml(&path, 6);
    assert!(benefits.contains("<formula1>\"Cashable,Non-cashable\"</formula1>"));
    let budget = sheet_xml(&path, 7);
    assert!(budget.contains("<formula1>Lists!$B$4:$B$7</formula1>"));
    let options = sheet_xml(&path, 4);
    assert!(options.contains("<formula1>\"Yes,No\"</formula1>"));
    // Optimism bias suggests the Green Book categories but accepts a typed rate.
    assert!(options.contains(
        "errorStyle=\"information\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" \
         errorTitle=\"Not in the list\" error=\"a Green Book category from the list, or a rate such as 24%\" sqref=\"E4:E13\""
    ));
    assert!(options.contains("Equipment/development,Outsourcing"));
    // Lists: All / Region first, then each partner row of the Partners sheet.
    let lists = sheet_xml(&path, 14);
    for r in 4..=6 {
        assert!(
            lists.contains(&format!("IF(Partners!$A${r}=\"\",\"\",Partners!$A${r})")),
            "partner row {r}"
        );
    }
    let mut book = open(&path);
    let range = book.worksheet_range("Lists").unwrap();
    assert_eq!(range.get_value((3, 0)), Some(&Data::String("All".into())));
    assert_eq!(
        range.get_value((3, 1)),
        Some(&Data::String("Region".into()))
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn same_arguments_give_the_same_bytes() {
    let dir = scratch("bytes");
    for name in ["a.xlsx", "b.xlsx"] {
        let out = fivecase(&["template", "--years", "12", "-o", name], &dir);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    assert!(fs::read(dir.join("a.xlsx")).unwrap() == fs::read(dir.join("b.xlsx")).unwrap());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn never_replaces_an_existing_file_unless_forced() {
    let dir = scratch("existing");
    fs::write(dir.join("mine.xlsx"), "filled in").unwrap();
    let out = fivecase(&["template", "-o", "mine.xlsx"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "fivecase: mine.xlsx: the file already exists; the template is not written over it\n  \
         hint: choose another name with -o, or add --force to replace it\n"
    );
    assert_eq!(fs::read(dir.join("mine.xlsx")).unwrap(), b"filled in");
    let out = fivecase(&["template", "-o", "mine.xlsx", "--force"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::read(dir.join("mine.xlsx")).unwrap().starts_with(b"PK"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_are_usage_errors() {
    let dir = scratch("usage");
    for args in [
        &["template", "--first-year", "2026"][..],
        &["template", "--years", "0"],
        &["template", "--unit", "dollars"],
    ] {
        let out = fivecase(args, &dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = fivecase(
        &["template", "--first-year", "2990/91", "--years", "20"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "fivecase: --years 20: expected a period ending by 2999/00, found one starting 2990/91 that runs past it\n"
    );
    assert!(
        fs::read_dir(&dir).unwrap().next().is_none(),
        "nothing is written"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_on_the_untouched_template_says_what_to_fill_in() {
    let dir = scratch("check");
    assert_eq!(fivecase(&["template"], &dir).status.code(), Some(0));
    let out = fivecase(&["check", "fivecase-template.xlsx"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "fivecase-template.xlsx: Partners: no partners: expected one row per partner below the header\n\
         fivecase-template.xlsx: Options: no options: expected the baseline and at least one option below the header\n\
         fivecase: 2 problems found; nothing was written\n"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// The sample case's rows, read back from its workbook, typed into the
/// template's sheets (matched by header), as a finance lead would.
fn sample_typed_into_template() -> Vec<u8> {
    use fivecase::model::{FiscalYear, Unit};
    use fivecase::render::template::{TemplateOptions, template};
    use fivecase::render::workbook::{self, Cell, ColumnKind};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    let mut spec = template(&TemplateOptions {
        first_year: FiscalYear::new(2026).unwrap(),
        years: 10,
        partners: 7,
        unit: Unit::Thousands,
    });
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample/workbook.xlsx");
    let mut book = open(&sample);
    for sheet in &mut spec.sheets {
        let key = match sheet.name.as_str() {
            "Partners" | "Budget" => "Partner",
            "Options" | "Costs" | "Benefits" => "Option",
            "Risks" => "Risk",
            // Assumptions: the template's defaults, with £k, are the sample's,
            // but for rows the template does not list, typed below them.
            "Assumptions" => {
                let range = book.worksheet_range(&sheet.name).unwrap();
                let listed: Vec<String> = sheet
                    .rows
                    .iter()
                    .filter_map(|r| match r.first() {
                        Some(Cell::Text(t)) => Some(t.clone()),
                        _ => None,
                    })
                    .collect();
                let extra: Vec<Vec<Cell>> = range
                    .rows()
                    .skip_while(|r| r.first() != Some(&Data::String("Name".into())))
                    .skip(1)
                    .filter_map(|r| match (r.first(), r.get(1)) {
                        (Some(Data::String(name)), Some(value)) if !listed.contains(name) => {
                            let value = match value {
                                Data::Float(f) => {
                                    Cell::Number(Decimal::from_str(&f.to_string()).unwrap())
                                }
                                Data::String(t) => Cell::Text(t.clone()),
                                _ => Cell::Blank,
                            };
                            Some(vec![Cell::Text(name.clone()), value])
                        }
                        _ => None,
                    })
                    .collect();
                sheet.rows.extend(extra);
                continue;
            }
            _ => continue,
        };
        let range = book.worksheet_range(&sheet.name).unwrap();
        let mut rows = range
            .rows()
            .skip_while(|r| r.first() != Some(&Data::String(key.into())));
        let header: Vec<Data> = rows.next().unwrap().to_vec();
        // The sample's other key columns (a line's own Key names one), added
        // beside the template's, as a finance lead adds a column.
        if sheet.name == "Partners" {
            for h in &header {
                if let Data::String(name) = h
                    && !sheet.columns.iter().any(|c| c.header == *name)
                {
                    sheet
                        .columns
                        .push(workbook::Column::new(name, ColumnKind::Money));
                }
            }
        }
        let typed: Vec<Vec<Cell>> = rows
            .map(|row| {
                sheet
                    .columns
                    .iter()
                    .map(|column| {
                        let at = header
                            .iter()
                            .position(|h| *h == Data::String(column.header.clone()));
                        match at.map(|c| &row[c]) {
                            None | Some(Data::Empty) => Cell::Blank,
                            Some(Data::String(s)) => Cell::Text(s.clone()),
                            Some(Data::Float(f)) => {
                                let v = Decimal::from_str(&f.to_string()).unwrap();
                                match column.kind {
                                    ColumnKind::Percent => Cell::Percent(v),
                                    ColumnKind::Number => Cell::Number(v),
                                    ColumnKind::Money | ColumnKind::Text => Cell::Money(v),
                                }
                            }
                            Some(other) => panic!("{}: unexpected {other:?}", sheet.name),
                        }
                    })
                    .collect()
            })
            .collect();
        sheet.blank_rows = sheet
            .blank_rows
            .saturating_sub(u32::try_from(typed.len()).unwrap());
        sheet.rows = typed;
    }
    workbook::write(&spec).unwrap()
}

#[test]
fn the_sample_typed_into_a_template_gives_the_sample_results() {
    let dir = scratch("typed");
    fs::write(dir.join("typed.xlsx"), sample_typed_into_template()).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample/workbook.xlsx");
    let typed = fivecase(&["compute", "typed.xlsx", "--json"], &dir);
    assert_eq!(typed.status.code(), Some(0), "{}", text(&typed.stderr));
    let original = fivecase(&["compute", sample.to_str().unwrap(), "--json"], &dir);
    assert_eq!(
        original.status.code(),
        Some(0),
        "{}",
        text(&original.stderr)
    );
    // Everything but the sheet rows lines are traced to (the sample's Costs
    // sheet has one more title row than the template's) must agree exactly.
    let typed = without_rows(serde_json::from_slice(&typed.stdout).unwrap());
    let original = without_rows(serde_json::from_slice(&original.stdout).unwrap());
    assert!(typed.get("options").is_some(), "{typed}");
    assert_eq!(typed, original);
    fs::remove_dir_all(&dir).unwrap();
}

/// `value` with every `row` key removed.
fn without_rows(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| k != "row")
                .map(|(k, v)| (k, without_rows(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_rows).collect()),
        other => other,
    }
}
