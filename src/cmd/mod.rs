//! One module per command; each `execute` turns options into calls of the library.

pub mod build;
pub mod check;
pub mod completions;
pub mod handoff;
pub mod init;
pub mod new;
pub mod serve;
pub mod status;
