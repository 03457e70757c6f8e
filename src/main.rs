//! The `tolk` binary: parse the command line, run it, turn the outcome into an exit code.

// mimalloc: a build allocates and frees many small strings from two or more threads; glibc's
// malloc took a tenth of the CPU and kept freed memory in per-thread arenas (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tolk::cli::main()
}
