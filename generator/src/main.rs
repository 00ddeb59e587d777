//! The `connector-gen` command line.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}

// Loading allocates many small strings and nodes; mimalloc halves the time the system allocator
// takes for them (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
