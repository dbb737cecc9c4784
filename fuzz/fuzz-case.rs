//! Writes the case folder a `structured` or `risk` fuzz input stands for, so
//! that a crash the fuzzer found can be run as a user would run it:
//!
//! ```text
//! cargo run --example fuzz-case -- structured fuzz/artifacts/structured/crash-… /tmp/crash
//! cargo run -- check /tmp/crash && cargo run -- compute /tmp/crash
//! ```
//!
//! The folder is the sample case (`fivecase new`) with the input's numbers
//! in its case.toml and workbook (`fivecase::fuzzing::edited_files`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, input, dir] = args.as_slice() else {
        eprintln!("usage: fuzz-case structured|risk INPUT DIR");
        return ExitCode::from(2);
    };
    let risk_only = match target.as_str() {
        "structured" => false,
        "risk" => true,
        _ => {
            eprintln!("fuzz-case: the target is structured or risk, not {target:?}");
            return ExitCode::from(2);
        }
    };
    let data = match std::fs::read(input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("fuzz-case: {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dir = PathBuf::from(dir);
    if let Err((path, e)) = fivecase::sample::write_to(&dir) {
        eprintln!("fuzz-case: {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    let (toml, workbook) = fivecase::fuzzing::edited_files(&data, risk_only);
    for (name, bytes) in [("case.toml", toml.as_bytes()), ("workbook.xlsx", &workbook)] {
        if let Err(e) = std::fs::write(dir.join(name), bytes) {
            eprintln!("fuzz-case: {}: {e}", dir.join(name).display());
            return ExitCode::FAILURE;
        }
    }
    println!("wrote {}", dir.display());
    ExitCode::SUCCESS
}
