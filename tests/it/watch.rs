//! `fivecase watch`: started as a user starts it, on a copy of the sample
//! case, while the test edits the narrative and the workbook the way
//! editors do (lock files, a save without changes, a workbook caught
//! half-written), then Ctrl-C.

use std::fs;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Panics with `message`, said on stderr first: a panic message can be
/// lost while another test of this binary silences the panic hook (ingest
/// does, around calamine), and the captured stderr is shown all the same.
fn fail(message: &str) -> ! {
    eprintln!("{message}");
    panic!("{message}");
}

/// A running `fivecase watch` and its output, line by line.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(case: &Path, format: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fivecase"))
            .args(["watch", case.to_str().unwrap(), "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx2.send(format!("stderr: {line}"));
            }
        });
        Watch {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `what`; returns the lines up to it.
    fn until(&mut self, what: &str, limit: Duration) -> Vec<String> {
        let deadline = Instant::now() + limit;
        let mut got = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    let done = line.contains(what);
                    got.push(line);
                    if done {
                        return got;
                    }
                }
                Err(e) => fail(&format!(
                    "{e}: no line with {what:?} within {limit:?}; output so far:\n{}",
                    self.seen.join("\n")
                )),
            }
        }
    }

    /// Every line printed within `wait`.
    fn quiet_for(&mut self, wait: Duration) -> Vec<String> {
        let deadline = Instant::now() + wait;
        let mut got = Vec::new();
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.push(line.clone());
            got.push(line);
        }
        got
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("watch printed:\n{}", self.seen.join("\n"));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap();
        if name == "expected" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(name));
        } else {
            fs::copy(&p, to.join(name)).unwrap();
        }
    }
}

/// The workbook with one shared string replaced, as a spreadsheet would save it.
fn edited_workbook(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(data).unwrap();
            assert!(text.contains(from), "{from:?} is not in the workbook");
            data = text.replace(from, to).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Saves as most editors do: the whole file written beside, then renamed
/// over the old one, so the watcher never sees it half-written. (A save in
/// place can be caught between its truncation and its write on a loaded
/// machine: one more build, and the right output in the end.)
fn save(path: &Path, bytes: &[u8]) {
    let tmp = path.with_file_name(format!(
        ".{}.save.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&tmp, bytes).unwrap();
    fs::rename(&tmp, path).unwrap();
}

fn html_of(dir: &Path) -> PathBuf {
    dir.join("eastern-region-business-support-collaboration-illustrative-obc-v0.3.html")
}

const LIMIT: Duration = Duration::from_mins(2);

#[test]
fn watch_rebuilds_on_each_save_and_keeps_the_last_good_output() {
    let dir = std::env::temp_dir().join(format!("fivecase-watch-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    copy_dir(&fixture, &dir);
    let html = html_of(&dir);
    let mut w = Watch::start(&dir, "html");
    w.until("watching", LIMIT);
    w.until("built in", LIMIT);
    let first = fs::read_to_string(&html).unwrap();

    eprintln!("watch test: the narrative");
    // The narrative: a new sentence appears in the HTML.
    let strategic = dir.join("narrative/strategic.md");
    let mut text = fs::read_to_string(&strategic).unwrap();
    text.push_str("\nThe watch test added this sentence.\n");
    save(&strategic, text.as_bytes());
    let out = w.until("built in", LIMIT);
    assert_eq!(
        out.iter().filter(|l| l.starts_with("wrote ")).count(),
        1,
        "one save, one build: {out:?}"
    );
    let second = fs::read_to_string(&html).unwrap();
    assert!(second.contains("The watch test added this sentence."));
    assert_ne!(first, second);

    eprintln!("watch test: lock files and an unchanged save");
    // Editors' lock files, and a save that changes no byte: nothing rebuilds.
    fs::write(dir.join("~$workbook.xlsx"), b"lock").unwrap();
    fs::write(dir.join(".~lock.workbook.xlsx#"), b"lock").unwrap();
    fs::write(dir.join("narrative/.strategic.md.swp"), b"swap").unwrap();
    save(&strategic, text.as_bytes());
    let quiet = w.quiet_for(Duration::from_millis(1500));
    assert!(
        quiet
            .iter()
            .all(|l| !l.contains("built in") && !l.contains("wrote")),
        "{quiet:?}"
    );

    eprintln!("watch test: a half-written workbook");
    // The workbook caught half-written: the problem is printed, the last
    // good HTML stays, and the finished save rebuilds.
    let workbook = dir.join("workbook.xlsx");
    let original = fs::read(&workbook).unwrap();
    let edited = edited_workbook(
        &original,
        "<t>Shared business services hub</t>",
        "<t>Shared business services centre</t>",
    );
    fs::write(&workbook, &edited[..edited.len() / 2]).unwrap();
    let mut out = w.until("the last good outputs are kept", LIMIT);
    // stderr and stdout are read apart: the problem may come after.
    let names = |l: &String| l.starts_with("stderr: ") && l.contains("workbook.xlsx");
    if !out.iter().any(names) {
        out.extend(w.until("workbook.xlsx", Duration::from_secs(20)));
    }
    assert!(
        out.iter().any(names),
        "the problem names the workbook: {out:?}"
    );
    assert_eq!(fs::read_to_string(&html).unwrap(), second);
    save(&workbook, &edited);
    w.until("built in", LIMIT);
    let third = fs::read_to_string(&html).unwrap();
    assert!(third.contains("Shared business services centre"));
    assert_ne!(third, second);

    eprintln!("watch test: Ctrl-C");
    // Ctrl-C ends the watch cleanly, leaving no temporary file behind.
    let pid = w.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    w.until("stopped watching", LIMIT);
    let code = w.child.wait().unwrap().code();
    assert_eq!(code, Some(0));
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_lowercase().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    fs::remove_dir_all(&dir).unwrap();
}
