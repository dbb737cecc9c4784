//! Live figures in the narrative: `{{ … }}` placeholders resolved against
//! the case's results, located errors for what does not resolve, warnings
//! for money literals that are none of the case's figures, and
//! `build --scenario` typesetting the case under a scenario.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{Run, run_in, temp_dir};

/// The sample case copied into a fresh folder (tests never write into fixtures/).
fn sample(test: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "expected") {
                    continue;
                }
                copy(&path, &target);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = temp_dir(test).join("sample");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample"),
        &dir,
    );
    dir
}

/// Appends `text` to the sample's narrative part `file`; returns the line it starts on.
fn append(case: &Path, file: &str, text: &str) -> usize {
    let path = case.join("narrative").join(file);
    let mut body = fs::read_to_string(&path).unwrap();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    body.push('\n');
    let line = body.lines().count() + 1;
    body.push_str(text);
    fs::write(&path, body).unwrap();
    line
}

fn run(case: &Path, args: &[&str]) -> Run {
    run_in(case.parent().unwrap(), args)
}

#[test]
fn an_unknown_figure_stops_check_and_build_at_its_place_with_a_hint() {
    let case = sample("figures-unknown");
    let line = append(
        &case,
        "economic.md",
        "The hub is worth {{ npvs HUB }} today.\n",
    );
    let expected = format!(
        "sample/narrative/economic.md:{line}:18: unknown figure 'npvs'\n  hint: did you mean 'npsv'?\nfivecase: 1 problem found; nothing was written\n"
    );
    for command in ["check", "build"] {
        let r = run(&case, &[command, "sample"]);
        assert_eq!(r.code, 1, "{command}: {r:?}");
        assert_eq!(r.stderr, expected, "{command}");
    }
    assert!(
        !fs::read_dir(&case).unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "pdf")),
        "nothing is written"
    );
}

#[test]
fn a_stale_money_literal_is_a_warning_at_its_position() {
    let case = sample("figures-stale");
    let line = append(
        &case,
        "financial.md",
        "Each force saves about £4.1m a year; {{ literal \"£129m\" }} was last year's estimate; `£7m` is code.\n",
    );
    let r = run(&case, &["check", "sample"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stderr,
        format!(
            "sample/narrative/financial.md:{line}:24: warning: £4.1m is not a figure of this case; write {{{{ … }}}} to keep it current\n  hint: name the figure, e.g. {{{{ npsv }}}}, or write {{{{ literal \"…\" }}}} for a figure that is not the case's (docs/narrative.md)\n"
        )
    );
}

#[test]
fn the_sample_narrative_has_live_figures_and_no_stale_literal() {
    let case = sample("figures-sample");
    let r = run(&case, &["check", "sample"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.stderr.contains("is not a figure"), "{}", r.stderr);
    let narrative: String = fs::read_dir(case.join("narrative"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        narrative.matches("{{").count() >= 10,
        "the sample uses live figures"
    );
}

/// The npsv of HUB under `scenario` (`base` for the case) as `fivecase scenarios --json` gives it, printed as the document prints £k amounts.
fn hub_npsv(case: &Path, scenario: &str) -> String {
    let r = run(case, &["scenarios", "sample", "--json"]);
    assert_eq!(r.code, 0, "{r:?}");
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let outcome = if scenario == "base" {
        &json["base"]
    } else {
        json["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == scenario)
            .unwrap()
    };
    let hub = outcome["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "HUB")
        .unwrap();
    let v: rust_decimal::Decimal = hub["npsv"].as_str().unwrap().parse().unwrap();
    format!("£{}k", fivecase::format::money(v, 0))
}

#[test]
fn build_under_a_scenario_prints_its_figures_and_names_it_on_every_page() {
    let case = sample("figures-scenario");
    let r = run(
        &case,
        &[
            "build",
            "sample",
            "--scenario",
            "Savings-Late",
            "--format",
            "pdf,html,docx",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let stem = "eastern-region-business-support-collaboration-illustrative-obc-v0.3-savings-late";
    assert_eq!(
        r.stdout,
        format!("wrote sample/{stem}.pdf\nwrote sample/{stem}.html\nwrote sample/{stem}.docx\n")
    );
    // The Word document's footer, on every page, names the scenario.
    let mut docx =
        zip::ZipArchive::new(fs::File::open(case.join(format!("{stem}.docx"))).unwrap()).unwrap();
    let footers: String = (0..docx.len())
        .filter_map(|i| {
            let mut entry = docx.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            name.starts_with("word/footer").then(|| {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
                text
            })
        })
        .collect();
    assert!(footers.contains("scenario savings-late"), "{footers}");
    let (base, late) = (hub_npsv(&case, "base"), hub_npsv(&case, "savings-late"));
    assert_ne!(base, late);
    let sentence = |npsv: &str| format!("has a net present social value of {npsv} (");
    let html = fs::read_to_string(case.join(format!("{stem}.html"))).unwrap();
    assert!(
        html.contains(&sentence(&late)),
        "the narrative quotes the scenario's npsv"
    );
    assert!(!html.contains(&sentence(&base)));
    assert!(html.contains("scenario savings-late"));
    if let Some(pages) = fivecase::testkit::pdf_text(&case.join(format!("{stem}.pdf")), "-raw") {
        assert!(pages.len() > 10);
        for (i, page) in pages.iter().enumerate() {
            assert!(
                page.contains("scenario savings-late"),
                "page {} does not name the scenario:\n{page}",
                i + 1
            );
        }
        let text = pages
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("under the scenario savings-late"),
            "the title page says so"
        );
        assert!(
            text.contains(&sentence(&late)),
            "the PDF's narrative quotes the scenario's npsv"
        );
    }
    // The base case's document is a separate file, with the base case's figures.
    let r = run(&case, &["build", "sample", "--format", "html"]);
    assert_eq!(r.code, 0, "{r:?}");
    let base_html = fs::read_to_string(
        case.join("eastern-region-business-support-collaboration-illustrative-obc-v0.3.html"),
    )
    .unwrap();
    assert!(base_html.contains(&sentence(&base)));
    assert!(!base_html.contains("scenario savings-late,"));
}

#[test]
fn an_unknown_scenario_stops_build_with_a_hint() {
    let case = sample("figures-no-scenario");
    let r = run(&case, &["build", "sample", "--scenario", "savngs-late"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "fivecase: sample/case.toml: unknown scenario 'savngs-late'\n  hint: did you mean 'savings-late'?\n"
    );
}

#[test]
fn a_narrative_of_a_megabyte_of_placeholders_is_checked_quickly_and_briefly() {
    let case = sample("figures-hostile");
    // Just under the 1 MiB a narrative file may hold: on one line,
    // placeholders, code spans and money literals, most of them broken.
    let unit = "{{ npvs }} `{{ x }}` £4.1m {{ ";
    let text: String = unit.repeat((1 << 20) / unit.len() - 1);
    fs::write(case.join("narrative/economic.md"), &text).unwrap();
    let started = std::time::Instant::now();
    let r = run(&case, &["check", "sample"]);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "sample/narrative/economic.md:1:1: unknown figure 'npvs'\n  hint: did you mean 'npsv'?\n"
        ),
        "{}",
        &r.stderr[..500.min(r.stderr.len())]
    );
    assert!(
        r.stderr
            .contains("more than 100 problems with this file's figures; the first 100 are listed")
    );
    assert!(
        r.stderr.lines().count() < 250,
        "{} lines",
        r.stderr.lines().count()
    );
}

#[test]
fn a_figure_the_scenario_does_not_have_stops_the_build_under_it() {
    let case = sample("figures-scenario-partner");
    let line = append(&case, "financial.md", "Norfolk nets {{ net Norfolk }}.\n");
    let r = run(&case, &["build", "sample", "--format", "html"]);
    assert_eq!(r.code, 0, "{r:?}");
    // The five-forces scenario has no Norfolk.
    let r = run(
        &case,
        &[
            "build",
            "sample",
            "--scenario",
            "five-forces",
            "--format",
            "html",
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.starts_with(&format!(
            "sample/narrative/financial.md:{line}:14: 'net': 'Norfolk' names no option, partner or year of this case\n"
        )),
        "{}",
        r.stderr
    );
}
