//! `fivecase watch CASE [--format …]`: rebuild the business case each time
//! one of its inputs is saved.
//!
//! Builds once, then watches the case folder (case.toml, the workbook, the
//! narrative folder) and the workbook's own folder when it lives elsewhere.
//! Each change is debounced (the build starts once the folder has been
//! quiet for [`QUIET`], and never later than [`DEBOUNCE`] after the first
//! event of a save), so one save gives one build; it then prints the
//! located problems, or what it wrote and how long it took. Builds go
//! through [`super::build::build`], so outputs are written atomically and
//! an invalid case leaves the last good outputs in place.
//!
//! Ignored: editors' lock and temporary files (`~$workbook.xlsx`,
//! `.~lock.workbook.xlsx#`, `.swp`, `~` and `.bak` backups), fivecase's own
//! outputs, files of kinds a case does not read (only `.toml`, `.xlsx`,
//! `.xlsm` and `.md` files are compared),
//! and changes that leave every input's bytes as they were (a save without
//! edits, a `touch`). A workbook caught half-written fails to read; the
//! editor's next write is another event, and the build is tried again.
//! Ctrl-C ends the watch between builds, never in the middle of a write.

use std::collections::BTreeMap;
use std::fs;
use std::hash::Hasher as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use notify::{RecursiveMode, Watcher as _};

use super::build::{self, Format};
use super::{CmdError, report};
use crate::ingest;

/// The latest a build starts after the first event of a change.
pub const DEBOUNCE: Duration = Duration::from_millis(100);
/// A change is complete once no event has arrived for this long.
pub const QUIET: Duration = Duration::from_millis(40);
/// The most files of the case folder compared between changes; a folder
/// with more is compared on its first `MAX_FILES` files in name order.
pub const MAX_FILES: usize = 2_000;
/// How deep below the case folder files are compared.
const MAX_DEPTH: usize = 4;

/// What the watch loop hears.
enum Message {
    Changed(notify::Result<notify::Event>),
    Stop,
}

/// Runs until Ctrl-C.
///
/// # Errors
/// When the case folder cannot be watched; problems with the case itself
/// are printed and waited out, never returned.
pub fn run(path: &Path, formats: &[Format], date: Option<NaiveDate>) -> Result<(), CmdError> {
    let formats = build::normalise(formats);
    let case_dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    if !case_dir.is_dir() {
        return Err(CmdError::Message(format!(
            "{}: expected a case folder or its case.toml, found nothing there",
            path.display()
        )));
    }
    let (tx, rx) = mpsc::channel();
    let fs_tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = fs_tx.send(Message::Changed(event));
    })
    .map_err(|e| CmdError::Message(format!("{}: cannot watch: {e}", case_dir.display())))?;
    watcher
        .watch(&case_dir, RecursiveMode::Recursive)
        .map_err(|e| CmdError::Message(format!("{}: cannot watch: {e}", case_dir.display())))?;
    // A workbook named in case.toml outside the case folder is watched too.
    let mut extra: Vec<PathBuf> = Vec::new();
    if let Ok(loaded) = ingest::load(path) {
        let workbook = PathBuf::from(&loaded.case.sources.workbook);
        if !within(&workbook, &case_dir)
            && let Some(parent) = workbook.parent().filter(|p| p.is_dir())
            && watcher.watch(parent, RecursiveMode::NonRecursive).is_ok()
        {
            extra.push(workbook);
        }
    }
    let stop_tx = tx;
    // A second handler cannot be installed in one process (tests call run
    // once per process); without one, Ctrl-C ends the process as usual.
    let _ = ctrlc::set_handler(move || {
        let _ = stop_tx.send(Message::Stop);
    });

    let names: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
    println!(
        "watching {} for changes ({}); Ctrl-C to stop",
        case_dir.display(),
        names.join(", ")
    );
    let mut last = snapshot(&case_dir, &extra);
    rebuild(path, date, &formats);
    loop {
        // Wait for a change that concerns an input.
        let first = match rx.recv() {
            Ok(Message::Changed(Ok(event))) if concerns_inputs(&event) => Instant::now(),
            Ok(Message::Changed(Err(e))) => {
                eprintln!("fivecase: watching {}: {e}", case_dir.display());
                continue;
            }
            Ok(Message::Changed(_)) => continue,
            Ok(Message::Stop) | Err(_) => break,
        };
        // Debounce: until quiet, or the deadline.
        let deadline = first + DEBOUNCE;
        let mut stop = false;
        loop {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            match rx.recv_timeout(QUIET.min(deadline - now)) {
                Ok(Message::Changed(_)) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Ok(Message::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    stop = true;
                    break;
                }
            }
        }
        if stop {
            break;
        }
        let now = snapshot(&case_dir, &extra);
        if now == last {
            continue;
        }
        last = now;
        rebuild(path, date, &formats);
    }
    println!("stopped watching {}", case_dir.display());
    Ok(())
}

/// One build, reported: what was written and how long it took, or every problem.
fn rebuild(path: &Path, date: Option<NaiveDate>, formats: &[Format]) {
    let start = Instant::now();
    match build::build(path, None, date, formats) {
        Ok(written) => {
            let ms = start.elapsed().as_millis();
            for w in &written {
                println!("wrote {}", w.display());
            }
            println!("built in {ms} ms; watching for changes");
        }
        Err(err) => {
            report(&err);
            println!("the last good outputs are kept; watching for changes");
        }
    }
}

fn within(path: &Path, dir: &Path) -> bool {
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => true,
    }
}

/// Whether an event could concern an input: a content change, creation,
/// removal or rename of a file that is not an editor's lock or temporary
/// file and not one of fivecase's outputs.
fn concerns_inputs(event: &notify::Event) -> bool {
    use notify::EventKind;
    let kind = matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    );
    // Metadata alone (a touch, a permission change) is not a change of bytes.
    let metadata_only = matches!(
        event.kind,
        EventKind::Modify(notify::event::ModifyKind::Metadata(_))
    );
    kind && !metadata_only && event.paths.iter().any(|p| !ignored(p))
}

/// Editors' lock, swap and temporary files, and fivecase's own outputs.
pub fn ignored(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    // Compared in lower case: `Report.PDF` is an output too.
    let lower = name.to_lowercase();
    name.starts_with("~$")
        || name.starts_with(".~lock.")
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with('#')
        || [".swp", ".swo", ".swx", ".tmp", ".crswap", ".part", ".bak"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        || Format::ALL
            .iter()
            .any(|f| lower.ends_with(&format!(".{}", f.extension())))
        || name == "4913" // vim's probe that a folder is writable
}

/// Each input file of the case folder (and `extra`) with a hash of its bytes.
fn snapshot(dir: &Path, extra: &[PathBuf]) -> BTreeMap<PathBuf, Option<u64>> {
    let mut files = BTreeMap::new();
    collect(dir, 0, &mut files);
    for e in extra {
        files.insert(e.clone(), hash_file(e));
    }
    files
}

fn collect(dir: &Path, depth: usize, out: &mut BTreeMap<PathBuf, Option<u64>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if out.len() >= MAX_FILES {
            return;
        }
        if ignored(&p) {
            continue;
        }
        if p.is_dir() {
            if depth < MAX_DEPTH {
                collect(&p, depth + 1, out);
            }
        } else if is_input_kind(&p) {
            let h = hash_file(&p);
            out.insert(p, h);
        }
    }
}

/// Whether a file is of a kind a case reads: case.toml, a workbook, a
/// narrative part. Anything else in the folder (a backup, a note) changes
/// nothing the build reads.
fn is_input_kind(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["toml", "xlsx", "xlsm", "md"].contains(&e.to_ascii_lowercase().as_str()))
}

/// A hash of the file's bytes, read in blocks (constant memory); `None` when
/// unreadable or not a regular file (a FIFO is never opened: that would block
/// until a writer came; the build then refuses it with its message).
fn hash_file(path: &Path) -> Option<u64> {
    let meta = fs::metadata(path).ok()?;
    if crate::ingest::not_regular(&meta).is_some() {
        return None;
    }
    let mut file = fs::File::open(path).ok()?;
    let mut hasher = std::hash::DefaultHasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.write(&buf[..n]);
    }
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO among the watched files is skipped, not opened: opening it for
    /// reading would block `watch` until a writer came.
    #[cfg(unix)]
    #[test]
    fn a_fifo_among_the_watched_files_is_never_opened() {
        let dir = std::env::temp_dir().join(format!("fivecase-watch-fifo-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("notes.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            crate::testkit::skip("mkfifo is not available");
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.clone();
        std::thread::spawn(move || {
            let _ = tx.send(snapshot(&d, &[]));
        });
        let files = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the snapshot returned without blocking on the FIFO");
        assert_eq!(files.get(&fifo), Some(&None));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn editors_lock_and_temporary_files_are_ignored() {
        for name in [
            "~$workbook.xlsx",
            ".~lock.workbook.xlsx#",
            ".strategic.md.swp",
            "strategic.md~",
            ".#strategic.md",
            ".case.pdf.1234.tmp",
            "case-obc-v0.3.pdf",
            "case-obc-v0.3.html",
            "case-obc-v0.3.docx",
            "4913",
        ] {
            assert!(ignored(Path::new(name)), "{name}");
        }
        for name in [
            "workbook.xlsx",
            "case.toml",
            "strategic.md",
            "workbook.xlsm",
        ] {
            assert!(!ignored(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn a_snapshot_changes_with_bytes_not_with_touches() {
        let dir = std::env::temp_dir().join(format!("fivecase-watch-snap-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("narrative")).unwrap();
        fs::write(dir.join("case.toml"), "title = \"A\"\n").unwrap();
        fs::write(dir.join("narrative/strategic.md"), "# Why\n").unwrap();
        let a = snapshot(&dir, &[]);
        assert_eq!(a.len(), 2);
        // Same bytes written again: no change.
        fs::write(dir.join("case.toml"), "title = \"A\"\n").unwrap();
        fs::write(dir.join("~$workbook.xlsx"), "lock").unwrap();
        fs::write(dir.join("x-obc-v1.pdf"), "%PDF").unwrap();
        fs::write(dir.join("notes.txt"), "not an input").unwrap();
        assert_eq!(snapshot(&dir, &[]), a);
        fs::write(dir.join("narrative/strategic.md"), "# Why not\n").unwrap();
        assert_ne!(snapshot(&dir, &[]), a);
        fs::remove_dir_all(&dir).unwrap();
    }
}
