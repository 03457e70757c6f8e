//! Command-line flags (clap), turned into each command's options; errors are reported here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::cmd;

/// tolk: localized Experience League troubleshooting docs as a static help site.
#[derive(Debug, Parser)]
#[command(name = "tolk", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the static help site of every locale into public/
    Build(BuildArgs),
    /// Serve the site locally and rebuild it on every save (not yet implemented)
    Serve(PendingArgs),
    /// Check that the translations of every article are in sync (not yet implemented)
    Check(PendingArgs),
    /// Create a new article in every locale with one exl-id (not yet implemented)
    New(PendingArgs),
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// The site folder: the one with tolk.toml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where to write the site (replaced as a whole when the build succeeds) [default: ROOT/public]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The URL the site will be served from, overriding base-url in tolk.toml
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[derive(Debug, Args)]
struct PendingArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<String>,
}

/// Runs the command line of this process and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // One line per `file:line:col: message`, so editors and CI logs can find it; the terminal
    // wraps long lines itself.
    miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }))
    .ok();
    let result = match cli.command {
        Command::Build(args) => cmd::build::execute(&cmd::build::BuildOptions {
            root: args.root,
            out: args.out,
            base_url: args.base_url,
        }),
        Command::Serve(_) => return cmd::not_yet("serve"),
        Command::Check(_) => return cmd::not_yet("check"),
        Command::New(_) => return cmd::not_yet("new"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::FAILURE
        }
    }
}
