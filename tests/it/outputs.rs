//! Every `-o` carries its format's extension: a PDF under an `.xlsx` name
//! would not open, and a slip could lose an input. Exit 1, nothing written.

use std::path::Path;

use crate::support::{run_in, temp_dir};

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn every_output_named_with_o_must_carry_its_formats_extension() {
    let dir = temp_dir("output-extensions");
    let sample = fixture("sample");
    let programme = fixture("portfolio-sample");
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["build", &sample, "-o", "x.xlsx"],
            "x.xlsx",
            "expected a .pdf file name for the PDF",
        ),
        (
            &["build", &sample, "--format", "html", "-o", "x.pdf"],
            "x.pdf",
            "expected an .html file name for the HTML document",
        ),
        (
            &["build", &sample, "--format", "docx", "-o", "x.doc"],
            "x.doc",
            "expected a .docx file name for the Word document",
        ),
        (
            &["template", "-o", "model.csv"],
            "model.csv",
            "expected an .xlsx file name for the input workbook\n  hint: e.g. -o model.xlsx",
        ),
        (
            &["portfolio", "build", &programme, "-o", "p.txt"],
            "p.txt",
            "expected a .pdf file name for the programme paper",
        ),
        (
            &["portfolio", "export", &programme, "-o", "p.pdf"],
            "p.pdf",
            "expected an .xlsx file name for the programme workbook",
        ),
    ];
    for (args, file, message) in cases {
        let run = run_in(&dir, args);
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains(&format!("{file}: {message}")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!dir.join(file).exists(), "{args:?} wrote {file}");
    }
    // The extension is matched ignoring case.
    let run = run_in(&dir, &["template", "-o", "MODEL.XLSX"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An accountant's nil: `-`, `–` or `—` alone in a money cell reads as zero.
#[test]
fn a_dash_alone_in_a_money_cell_is_nil() {
    use crate::support::valid;
    let dir = temp_dir("dash-nil");
    let zero = valid().set("Costs", 2, 4, "0");
    zero.write(&dir.join("zero.xlsx"));
    let expected = run_in(&dir, &["compute", "--json", "zero.xlsx"]);
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    for dash in ["-", "\u{2013}", " \u{2014} "] {
        valid()
            .set("Costs", 2, 4, dash)
            .write(&dir.join("dash.xlsx"));
        let run = run_in(&dir, &["compute", "--json", "dash.xlsx"]);
        assert_eq!(run.code, 0, "{dash:?}: {}", run.stderr);
        let (a, b): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&run.stdout).unwrap(),
            serde_json::from_str(&expected.stdout).unwrap(),
        );
        assert_eq!(a["options"], b["options"], "{dash:?}");
    }
    // A dash beside a figure is still not a number.
    valid()
        .set("Costs", 2, 4, "-x")
        .write(&dir.join("bad.xlsx"));
    let run = run_in(&dir, &["check", "bad.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}
