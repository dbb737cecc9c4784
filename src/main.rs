//! The `fivecase` command: everything lives in the library.

fn main() -> std::process::ExitCode {
    fivecase::cli::main()
}
