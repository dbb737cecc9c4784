//! What the tests need of the outside tools they check outputs with
//! (poppler's pdftotext and pdftoppm, LibreOffice): one place that finds a
//! tool, says when a check is skipped, and refuses to skip under CI.
//!
//! A developer without LibreOffice can run `cargo test`: the checks that need
//! it say on stderr that they skipped. CI sets `CI=true` (and `.ci/run`
//! exports it), and there a missing tool fails the test, so CI can never go
//! green without having run every check.
//!
//! Test support only: no command uses it. It is public so that the
//! integration tests share it with the unit tests.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// True when `CI` is set to anything but `false` or `0`.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether `program` can be run. When it cannot, says that `check` was
/// skipped and which Debian `package` brings the program; under CI, panics
/// instead.
///
/// # Panics
/// Under CI when the program is missing.
pub fn tool(program: &str, package: &str, check: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        skip(&format!(
            "{program} is not installed: skipped {check} (apt-get install {package})"
        ));
    }
    found
}

/// Says on the real stderr that a check was skipped (the test harness
/// captures `println!` of passing tests, and a skip must be seen); under CI,
/// panics with the same words.
///
/// # Panics
/// Always under CI.
pub fn skip(message: &str) {
    assert!(!under_ci(), "CI must run every check, but: {message}");
    let _ = writeln!(std::io::stderr(), "skipped: {message}");
}

/// LibreOffice Calc converts `input` (an xlsx) into `out_dir`, recalculating
/// every formula on load, with a throw-away profile under `out_dir`; `None`
/// (said, or a panic under CI) when LibreOffice is not installed.
///
/// # Panics
/// When LibreOffice fails or takes more than three minutes, and as [`skip`].
pub fn recalculate_xlsx(input: &Path, out_dir: &Path) -> Option<PathBuf> {
    libreoffice(
        input,
        &out_dir.join("recalculated"),
        "xlsx",
        "recalculating the workbook in LibreOffice",
    )
}

/// LibreOffice Calc prints `input` (an xlsx, recalculated on load) as a PDF
/// in `out_dir`, as a finance lead's "export as PDF" would; `None` (said, or
/// a panic under CI) when LibreOffice is not installed.
///
/// # Panics
/// As [`recalculate_xlsx`].
pub fn print_xlsx(input: &Path, out_dir: &Path) -> Option<PathBuf> {
    libreoffice(
        input,
        &out_dir.join("printed"),
        "pdf",
        "printing the workbook with LibreOffice",
    )
}

/// `soffice --convert-to FORMAT` of `input` into `converted`, with a
/// throw-away profile beside it that recalculates every formula on load.
fn libreoffice(input: &Path, converted: &Path, format: &str, check: &str) -> Option<PathBuf> {
    if !tool("soffice", "libreoffice-calc-nogui", check) {
        return None;
    }
    let profile = converted.with_file_name("profile");
    let user = profile.join("user");
    std::fs::create_dir_all(&user).expect("scratch folder");
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .expect("LibreOffice profile");
    let mut child = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            format,
            "--outdir",
        ])
        .arg(converted)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("soffice starts");
    let deadline = Instant::now() + Duration::from_mins(3);
    loop {
        if let Some(status) = child.try_wait().expect("soffice runs") {
            assert!(status.success(), "soffice failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("soffice did not finish within 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let name = input.with_extension(format);
    Some(converted.join(name.file_name().expect("a file name")))
}

/// poppler's pdftotext of `pdf` in `mode` (`-layout`, `-raw`), page by page;
/// `None` (said, or a panic under CI) when poppler-utils is not installed.
///
/// `-layout` keeps table rows on one line; `-raw` keeps text in reading
/// order with its spaces exactly (layout mode may drop a space around a lone
/// backslash).
///
/// # Panics
/// When pdftotext fails, and as [`skip`].
pub fn pdf_text(pdf: &Path, mode: &str) -> Option<Vec<String>> {
    if !tool(
        "pdftotext",
        "poppler-utils",
        "the assertions on the PDF's text",
    ) {
        return None;
    }
    let out = Command::new("pdftotext")
        .arg(mode)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    Some(
        text.split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// [`pdf_text`] of a PDF held in memory, every page in one string, pages
/// separated by form feeds as pdftotext writes them.
///
/// # Panics
/// As [`pdf_text`], and when the scratch file cannot be written.
pub fn pdf_bytes_text(pdf: &[u8], mode: &str) -> Option<String> {
    static SCRATCH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SCRATCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("fivecase-testkit-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).expect("scratch PDF");
    let pages = pdf_text(&path, mode);
    let _ = std::fs::remove_dir_all(&dir);
    pages.map(|p| p.join("\u{c}"))
}
