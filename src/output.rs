//! Writing outputs safely: never half-written, never over an input, nothing
//! left behind.
//!
//! Every file fivecase writes goes to a temporary file in the destination
//! folder first and is renamed into place, so an interrupted or failed run
//! leaves either the old file or the new one, never a broken one. `new`
//! writes its whole folder the same way ([`write_dir_atomic`]).
//!
//! A temporary file is named `.NAME.fivecase-PID.tmp` beside `NAME`, where
//! `PID` is the writing process's id: a failed write removes its own; one
//! that was killed (power cut, SIGKILL) leaves it, and the next successful
//! write into that folder removes every temporary of this pattern whose
//! process no longer runs. Nothing else in the folder is touched.
//!
//! Debug builds (the ones `cargo test` makes) can pause before the Nth write
//! step, so tests can kill the process there ([`fault`]); release builds do
//! not compile the hook.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Bytes handed to the operating system per write call: each call is one
/// step where a test may kill the process.
const CHUNK: usize = 64 * 1024;

/// What a temporary name carries between the target's name and the process id.
const MARK: &str = ".fivecase-";
/// The temporary name's ending.
const ENDING: &str = ".tmp";

/// Writes `bytes` to `path` through a temporary sibling file and a rename.
///
/// # Errors
/// When the folder cannot be written or the rename fails; the temporary file
/// is removed on failure, and the file at `path`, if any, is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (dir, name) = split(path)?;
    let tmp = dir.join(temporary_name(name, std::process::id()));
    let result = (|| {
        fault::step()?;
        // A leftover of an earlier process with this id is not ours to keep.
        let _ = fs::remove_file(&tmp);
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        for chunk in bytes.chunks(CHUNK) {
            fault::step()?;
            file.write_all(chunk)?;
        }
        fault::step()?;
        file.sync_all()?;
        drop(file);
        fault::step()?;
        fs::rename(&tmp, path)
    })();
    match result {
        Ok(()) => {
            sync_dir(&dir);
            sweep(&dir);
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Creates the folder `path` whole: `fill` writes into a temporary sibling
/// folder, which is then renamed to `path` (which must not exist, or be an
/// empty folder). An interrupted run leaves no half-written `path`.
///
/// # Errors
/// `fill`'s error, or the folder's; the temporary folder is removed on
/// failure and `path` is untouched.
pub fn write_dir_atomic<T, E>(path: &Path, fill: impl FnOnce(&Path) -> Result<T, E>) -> Result<T, E>
where
    E: From<(PathBuf, io::Error)>,
{
    let (dir, name) = split(path).map_err(|e| E::from((path.to_path_buf(), e)))?;
    let tmp = dir.join(temporary_name(name, std::process::id()));
    let at = |p: &Path| {
        let p = p.to_path_buf();
        move |e| E::from((p, e))
    };
    let _ = fs::remove_dir_all(&tmp);
    fault::step().map_err(at(path))?;
    if let Err(e) = fs::create_dir_all(&dir).and_then(|()| fs::create_dir(&tmp)) {
        return Err(at(path)(e));
    }
    let result = fill(&tmp).and_then(|value| {
        fault::step().map_err(at(path))?;
        fs::rename(&tmp, path).map_err(at(path))?;
        Ok(value)
    });
    match result {
        Ok(value) => {
            sync_dir(&dir);
            sweep(&dir);
            Ok(value)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// The folder `path` lies in and its file name.
fn split(path: &Path) -> io::Result<(PathBuf, &OsStr)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    Ok((dir, name))
}

/// `.NAME.fivecase-PID.tmp`.
fn temporary_name(name: &OsStr, pid: u32) -> OsString {
    let mut tmp = OsString::from(".");
    tmp.push(name);
    tmp.push(format!("{MARK}{pid}{ENDING}"));
    tmp
}

/// The process id a temporary name of this module carries, if `name` is one.
fn temporary_pid(name: &OsStr) -> Option<u32> {
    let name = name.to_str()?;
    let rest = name.strip_prefix('.')?.strip_suffix(ENDING)?;
    let (target, pid) = rest.rsplit_once(MARK)?;
    if target.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes from `dir` the temporaries left by processes that no longer run.
/// Best effort: a folder that cannot be listed, or an entry that cannot be
/// removed, is left as it is.
fn sweep(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let Some(pid) = temporary_pid(&entry.file_name()) else {
            continue;
        };
        if pid == own || runs(pid) {
            continue;
        }
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
            Ok(_) => fs::remove_file(&path),
            Err(_) => continue,
        };
    }
}

/// True when process `pid` may still be running. Where that cannot be told
/// (no `/proc`), every process is taken to run, so nothing is removed.
fn runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Makes a rename durable where the platform allows; best effort.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The test hook: with `FIVECASE_PAUSE_BEFORE_WRITE=N` in the environment,
/// a debug build announces `fivecase: paused before write step N` on stderr
/// before its Nth write step (creating, writing a chunk of, syncing or
/// renaming a temporary) and waits there to be killed. Release builds
/// compile [`fault::step`] to nothing.
pub mod fault {
    use std::io;

    /// The environment variable that names the step to pause before.
    pub const PAUSE: &str = "FIVECASE_PAUSE_BEFORE_WRITE";

    /// One write step.
    ///
    /// # Errors
    /// Never; the signature lets callers use `?` alike in every build.
    #[cfg(debug_assertions)]
    pub fn step() -> io::Result<()> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static STEPS: AtomicU64 = AtomicU64::new(0);
        let n = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
        let pause = std::env::var(PAUSE)
            .ok()
            .and_then(|v| v.parse::<u64>().ok());
        if pause == Some(n) {
            use std::io::Write as _;
            let mut err = io::stderr();
            let _ = writeln!(err, "fivecase: paused before write step {n}");
            let _ = err.flush();
            loop {
                std::thread::sleep(std::time::Duration::from_mins(1));
            }
        }
        Ok(())
    }

    /// One write step (nothing in a release build).
    ///
    /// # Errors
    /// Never.
    #[cfg(not(debug_assertions))]
    #[inline]
    pub fn step() -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("fivecase-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = scratch("replace");
        let path = dir.join("out.txt");
        write_atomic(&path, b"first").unwrap();
        let big = vec![7u8; CHUNK * 3 + 5];
        write_atomic(&path, &big).unwrap();
        assert_eq!(fs::read(&path).unwrap(), big);
        assert_eq!(names(&dir), ["out.txt"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporary_names_carry_the_process_id_and_nothing_else_matches() {
        let name = temporary_name(OsStr::new("case.pdf"), 4321);
        assert_eq!(name, ".case.pdf.fivecase-4321.tmp");
        assert_eq!(temporary_pid(&name), Some(4321));
        for other in [
            "case.pdf",
            ".case.pdf.tmp",
            ".case.pdf.fivecase-.tmp",
            ".case.pdf.fivecase-12a.tmp",
            "..fivecase-12.tmp",
            "case.pdf.fivecase-12.tmp",
            ".case.pdf.fivecase-99999999999999999999.tmp",
        ] {
            assert_eq!(temporary_pid(OsStr::new(other)), None, "{other}");
        }
    }

    #[test]
    fn a_successful_write_removes_temporaries_of_processes_that_no_longer_run() {
        let dir = scratch("sweep");
        // No process has id 4,194,305 or above on Linux (pid_max's ceiling).
        let dead = dir.join(".out.txt.fivecase-4194305.tmp");
        let dead_dir = dir.join(".case.fivecase-4194306.tmp");
        let alive = dir.join(".other.txt.fivecase-1.tmp");
        let user = dir.join(".notes.tmp");
        fs::write(&dead, b"torn").unwrap();
        fs::create_dir(&dead_dir).unwrap();
        fs::write(dead_dir.join("case.toml"), b"half").unwrap();
        fs::write(&alive, b"in progress").unwrap();
        fs::write(&user, b"the user's").unwrap();
        write_atomic(&dir.join("out.txt"), b"whole").unwrap();
        let expected = if Path::new("/proc/self").exists() {
            vec![".notes.tmp", ".other.txt.fivecase-1.tmp", "out.txt"]
        } else {
            vec![
                ".case.fivecase-4194306.tmp",
                ".notes.tmp",
                ".other.txt.fivecase-1.tmp",
                ".out.txt.fivecase-4194305.tmp",
                "out.txt",
            ]
        };
        assert_eq!(names(&dir), expected);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = scratch("fail");
        let path = dir.join("out.txt");
        write_atomic(&path, b"old").unwrap();
        // Renaming a file over a non-empty folder fails.
        let target = dir.join("folder");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("x"), b"x").unwrap();
        assert!(write_atomic(&target, b"new").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names(&dir), ["folder", "out.txt"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_folder_appears_whole_or_not_at_all() {
        let dir = scratch("folder");
        let path = dir.join("case");
        let r: Result<(), (PathBuf, io::Error)> = write_dir_atomic(&path, |tmp| {
            fs::write(tmp.join("a"), b"a").map_err(|e| (tmp.join("a"), e))?;
            Err((tmp.join("b"), io::Error::other("disk full")))
        });
        assert!(r.is_err());
        assert!(names(&dir).is_empty(), "{:?}", names(&dir));
        let r: Result<(), (PathBuf, io::Error)> = write_dir_atomic(&path, |tmp| {
            fs::write(tmp.join("a"), b"a").map_err(|e| (tmp.join("a"), e))
        });
        r.unwrap();
        assert_eq!(names(&dir), ["case"]);
        assert_eq!(fs::read(path.join("a")).unwrap(), b"a");
        fs::remove_dir_all(&dir).unwrap();
    }
}
