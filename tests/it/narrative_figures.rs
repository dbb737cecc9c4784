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
