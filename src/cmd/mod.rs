//! One module per command; each `execute` turns options into calls of the library.

pub mod build;
pub mod check;
pub mod serve;

use std::process::ExitCode;

/// Commands that later work will fill in: say so, and exit with 2.
pub fn not_yet(command: &str) -> ExitCode {
    eprintln!("tolk {command}: not yet implemented");
    ExitCode::from(2)
}
