//! Faults injected into writes: a kill at every write step, a full disk, a
//! read-only folder. Whatever happens, the previous output stays whole and
//! readable, and the next successful run leaves no temporary file.
//!
//! The kill tests use the write hook of debug builds (`output::fault`):
//! `FIVECASE_PAUSE_BEFORE_WRITE=N` makes the binary announce and wait before
//! its Nth write step, where the test kills it with SIGKILL.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::support::{run_in, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_fivecase");
const PAUSE: &str = "FIVECASE_PAUSE_BEFORE_WRITE";

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
        .display()
        .to_string()
}

/// Runs `fivecase ARGS` in `dir`, paused before write step `n` and killed
/// there with SIGKILL. False when the run finished without reaching step
/// `n` (it has fewer steps); it must then have succeeded.
fn kill_before_step(dir: &Path, args: &[&str], n: usize) -> bool {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env(PAUSE, n.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    let mut paused = false;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if line == format!("fivecase: paused before write step {n}") {
            paused = true;
            break;
        }
        seen.push_str(&line);
        seen.push('\n');
    }
    if paused {
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "{args:?} at step {n}: not killed");
    } else {
        let status = child.wait().unwrap();
        assert!(
            status.success(),
            "{args:?} with {n} steps asked for failed: {status}\n{seen}"
        );
    }
    paused
}

/// Temporary files fivecase left in `dir` (or anywhere below it).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains(".fivecase-") && Path::new(&name).extension().is_some_and(|e| e == "tmp") {
            found.push(path.clone());
        }
        if path.is_dir() {
            found.extend(temporaries(&path));
        }
    }
    found
}

/// Kills `args` before each of its write steps in turn, checking after each
/// kill that `target` holds either its previous bytes (`before`) or the whole
/// new output (`after`: the killed run got past its rename), then runs it to
/// the end and checks that no temporary file is left. Returns how many write
/// steps the run has.
fn kill_at_every_step(dir: &Path, args: &[&str], target: &Path, before: &[u8]) -> usize {
    // The whole new output, from an undisturbed run in a folder of its own.
    let witness = temp_dir("witness");
    let own = |p: &str| {
        if p == target.to_str().unwrap() {
            witness
                .join(target.file_name().unwrap())
                .display()
                .to_string()
        } else {
            p.to_string()
        }
    };
    let witness_args: Vec<String> = args.iter().map(|a| own(a)).collect();
    let witness_args: Vec<&str> = witness_args.iter().map(String::as_str).collect();
    let run = run_in(dir, &witness_args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = fs::read(witness.join(target.file_name().unwrap())).unwrap();
    assert_ne!(
        before, after,
        "the test needs a new output that differs from the old"
    );

    let mut n = 1;
    while kill_before_step(dir, args, n) {
        let now = fs::read(target).unwrap();
        assert!(
            now == before || now == after,
            "{args:?} killed before write step {n}: {} holds neither the old output nor the new",
            target.display()
        );
        n += 1;
    }
    let steps = n - 1;
    assert!(
        steps >= 4,
        "{args:?}: only {steps} write steps seen; is the hook compiled in?"
    );
    assert_eq!(fs::read(target).unwrap(), after);
    assert_eq!(temporaries(dir), Vec::<PathBuf>::new(), "{args:?}");
    steps
}

fn debug_build() -> bool {
    if cfg!(debug_assertions) {
        true
    } else {
        // The hook is compiled into debug builds only.
        eprintln!("skipped: the write hook exists in debug builds only");
        false
    }
}

#[test]
fn build_killed_at_each_write_leaves_the_previous_pdf_whole() {
    if !debug_build() {
        return;
    }
    let dir = temp_dir("kill-build");
    let input = fixture("minimal/workbook.xlsx");
    let target = dir.join("case.pdf");
    let t = target.display().to_string();
    let run = run_in(&dir, &["build", &input, "--date", "2026-11-20", "-o", &t]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = fs::read(&target).unwrap();
    assert!(before.starts_with(b"%PDF-"));
    kill_at_every_step(
        &dir,
        &["build", &input, "--date", "2026-11-21", "-o", &t],
        &target,
        &before,
    );
}

#[test]
fn export_killed_at_each_write_leaves_the_previous_workbook_whole() {
    if !debug_build() {
        return;
    }
    let dir = temp_dir("kill-export");
    let target = dir.join("model.xlsx");
    let t = target.display().to_string();
    let run = run_in(
        &dir,
        &["export", &fixture("minimal/workbook.xlsx"), "-o", &t],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = fs::read(&target).unwrap();
    kill_at_every_step(
        &dir,
        &["export", &fixture("east-midlands"), "-o", &t],
        &target,
        &before,
    );
    // The model workbook left in place is a whole workbook fivecase reads back.
    let run = run_in(&dir, &["check", &t]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(!run.stderr.contains("damaged"), "{}", run.stderr);
}

#[test]
fn template_killed_at_each_write_leaves_the_previous_template_whole() {
    if !debug_build() {
        return;
    }
    let dir = temp_dir("kill-template");
    let target = dir.join("blank.xlsx");
    let t = target.display().to_string();
    let run = run_in(&dir, &["template", "-o", &t]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = fs::read(&target).unwrap();
    kill_at_every_step(
        &dir,
        &["template", "--years", "5", "--force", "-o", &t],
        &target,
        &before,
    );
}

#[test]
fn new_killed_at_each_write_leaves_no_half_written_case() {
    if !debug_build() {
        return;
    }
    let dir = temp_dir("kill-new");
    let mut n = 1;
    while kill_before_step(&dir, &["new", "case"], n) {
        // The folder appears whole or not at all, so a rerun is never
        // refused as "not empty".
        assert!(
            !dir.join("case").exists(),
            "new killed before write step {n} left a case folder"
        );
        n += 1;
    }
    assert!(n > 10, "only {} write steps seen", n - 1);
    let run = run_in(&dir, &["check", "case"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(temporaries(&dir), Vec::<PathBuf>::new());
}

/// Runs `fivecase ARGS` in `dir` with files limited to `blocks` of 512
/// bytes and SIGXFSZ ignored, so a write beyond that fails with EFBIG as
/// on a full disk.
fn run_with_file_limit(dir: &Path, kib: u32, args: &[&str]) -> (i32, String) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f {}; trap '' XFSZ; exec \"$@\"", kib * 2))
        .arg("sh")
        .arg(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_full_disk_is_a_message_and_the_old_output_stays() {
    let dir = temp_dir("full-disk");
    let input = fixture("minimal/workbook.xlsx");
    let pdf = dir.join("case.pdf");
    let p = pdf.display().to_string();
    let run = run_in(&dir, &["build", &input, "--date", "2026-11-20", "-o", &p]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = fs::read(&pdf).unwrap();
    let (code, stderr) = run_with_file_limit(
        &dir,
        16,
        &["build", &input, "--date", "2026-11-21", "-o", &p],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{p}: cannot write the PDF")),
        "{stderr}"
    );
    assert!(stderr.contains("hint: the disk is full"), "{stderr}");
    assert_eq!(fs::read(&pdf).unwrap(), before);
    assert_eq!(temporaries(&dir), Vec::<PathBuf>::new());

    // `new` on a full disk leaves nothing a rerun would refuse.
    let (code, stderr) = run_with_file_limit(&dir, 16, &["new", "case"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("hint: the disk is full"), "{stderr}");
    assert!(!dir.join("case").exists());
    assert_eq!(temporaries(&dir), Vec::<PathBuf>::new());
    let run = run_in(&dir, &["new", "case"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_read_only_folder_is_refused_with_a_message() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = temp_dir("read-only");
    let out = dir.join("out");
    fs::create_dir(&out).unwrap();
    let input = fixture("minimal/workbook.xlsx");
    let pdf = out.join("case.pdf");
    let p = pdf.display().to_string();
    let root = fs::metadata(&out).unwrap().uid() == 0;
    let (code, stderr) = if root {
        // Root writes through permissions: a read-only bind mount, in a
        // mount namespace of the run's own, stands in.
        let script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit 77; shift; exec \"$@\"";
        let o = Command::new("unshare")
            .args(["-m", "sh", "-c", script, "sh"])
            .arg(&out)
            .arg(BIN)
            .args(["build", &input, "--date", "2026-11-20", "-o", &p])
            .current_dir(&dir)
            .output();
        match o {
            Ok(o) if o.status.code() != Some(77) => (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            ),
            _ => {
                // The one test that may skip under CI: the kernel refused the mount.
                eprintln!("skipped: running as root and the kernel refused a read-only bind mount");
                return;
            }
        }
    } else {
        fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap();
        let run = run_in(&dir, &["build", &input, "--date", "2026-11-20", "-o", &p]);
        fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
        (run.code, run.stderr)
    };
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{p}: cannot write the PDF")),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: the folder cannot be written"),
        "{stderr}"
    );
    assert!(!pdf.exists());
}
