//! The `fivecase` command: everything lives in the library.

/// mimalloc rather than the system allocator: typst's layout allocates
/// millions of small objects on two threads, and a fresh process spends
/// noticeably less time growing its heaps with it (docs/performance.md,
/// "Build").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    fivecase::cli::main()
}
