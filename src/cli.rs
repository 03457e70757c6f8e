//! Command-line flags (clap), turned into each command's options; errors are reported here.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::check::report::Format;
use crate::check::{Rule, Severity};
use crate::cmd;
use crate::error::CommandKind;
use crate::serve::ServeOptions;

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
    /// Serve the site locally, rebuild it and reload the browser on every save
    Serve(ServeArgs),
    /// Check that the translations of every article are in sync
    Check(CheckArgs),
    /// Create a new site: tolk.toml, a content folder per locale and a sample article
    Init(InitArgs),
    /// Create a new article in every locale, linked by one fresh exl-id
    New(NewArgs),
    /// Show how far each locale is: in sync, out of sync, stale, missing, ht-degree
    Status(StatusArgs),
    /// Send translators only what changed (XLIFF), and take their work back in
    #[command(subcommand)]
    Handoff(HandoffCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page of tolk, or of one of its commands
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
enum HandoffCommand {
    /// Write the changed and added source segments of every stale or missing translation of a
    /// locale to one XLIFF 1.2 file
    Export(HandoffExportArgs),
    /// Write the translated segments of an XLIFF file into the articles
    Import(HandoffImportArgs),
}

#[derive(Debug, Args)]
struct HandoffExportArgs {
    /// The site folder: the one with tolk.toml and content/
    #[arg(short = 'r', long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The locale to hand off: `nl`
    #[arg(short, long, value_name = "LOCALE")]
    locale: String,
    /// Where to write the XLIFF file [default: standard output]
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Only the source articles under these paths
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Only the translations whose source changed since this git ref (its merge base with
    /// HEAD), e.g. the tag of the last export; each with everything it lacks
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
}

#[derive(Debug, Args)]
struct HandoffImportArgs {
    /// The site folder: the one with tolk.toml and content/
    #[arg(short = 'r', long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The XLIFF file with the translations
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Show the changes as a unified diff; write nothing
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// The site folder: the one with tolk.toml and content/
    #[arg(short = 'r', long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where to write the site (replaced as a whole when the build succeeds) [default: ROOT/public]
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The URL the site will be served from, overriding base-url in tolk.toml
    #[arg(short = 'u', long, value_name = "URL")]
    base_url: Option<String>,
    /// Fail (and keep the previous site) when the checks find an error
    #[arg(long, conflicts_with = "no_check")]
    strict: bool,
    /// Skip the translation checks
    #[arg(long)]
    no_check: bool,
    /// Print each stage of the build with its time and counts
    #[arg(short, long)]
    verbose: bool,
    /// Print only errors and the final failure: nothing when the build succeeds
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The site folder: the one with tolk.toml and content/
    #[arg(short = 'r', long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Rebuild on every save and reload the open pages (the default)
    #[arg(short, long, overrides_with = "no_watch")]
    watch: bool,
    /// Build once and serve that build: no rebuilds, no live reload
    #[arg(long)]
    no_watch: bool,
    /// The port to listen on; 0 picks a free one
    #[arg(short, long, default_value_t = 4000)]
    port: u16,
    /// The address to listen on; only this machine can connect to the default
    #[arg(short, long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    interface: IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    open: bool,
    /// Look at every file once a second instead of waiting for change events, for file
    /// systems without them (network drives, some containers)
    #[arg(long, conflicts_with = "no_watch")]
    poll: bool,
    /// The site's base URL in the served pages [default: the served address]
    #[arg(short = 'u', long, value_name = "URL")]
    base_url: Option<String>,
    /// Print what each save re-rendered and how long each part took
    #[arg(short, long)]
    verbose: bool,
    /// Print only errors: no start-up lines, no line per save, no warnings
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Report only on these files or folders of the site (relative to the current folder)
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The site folder: the one with tolk.toml and content/
    #[arg(short = 'r', long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// How to report the findings
    #[arg(short, long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Report the findings of this severity and the more severe ones only
    #[arg(short, long, value_enum, value_name = "LEVEL")]
    severity: Option<SeverityArg>,
    /// Report the findings of this rule only (repeatable), e.g. broken-link
    #[arg(long = "rule", value_name = "RULE", value_parser = parse_rule)]
    rules: Vec<Rule>,
    /// Report the findings about this locale only (repeatable)
    #[arg(short, long = "locale", value_name = "LOCALE")]
    locales: Vec<String>,
    /// Exit with 1 on warnings too, not only on errors
    #[arg(long)]
    strict: bool,
    /// Apply the safe fixes (the mt-artifact trims) to the source files
    #[arg(long)]
    fix: bool,
    /// With --fix: show the changes as a diff and write nothing
    #[arg(long, requires = "fix")]
    dry_run: bool,
    /// Check only the articles changed since this git ref (its merge base with HEAD), committed
    /// or not, with their translations, e.g. origin/main
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// Print nothing when the site passes; when it fails, only the errors and the summary line
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The folder of the new site (created when missing)
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// A locale of the site (repeatable); the first is the source [default: en, nl, fr, it]
    #[arg(short, long = "locale", value_name = "CODE")]
    locales: Vec<String>,
    /// The site's title
    #[arg(long, default_value = "Help")]
    title: String,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The article's path under each locale's folder; .md is added when missing
    #[arg(value_name = "PATH")]
    path: String,
    /// The article's title (in the source language)
    #[arg(long)]
    title: String,
    /// The site folder: the one with tolk.toml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The feature field [default: the most common in the article's folder, else TODO]
    #[arg(long)]
    feature: Option<String>,
    /// The role field [default: the most common in the article's folder, else TODO]
    #[arg(long)]
    role: Option<String>,
    /// The level field [default: the most common in the article's folder, else TODO]
    #[arg(long)]
    level: Option<String>,
}

#[derive(Debug, Args)]
struct StatusArgs {
    /// The site folder: the one with tolk.toml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// How to show the numbers
    #[arg(long, value_enum, default_value_t = StatusFormatArg::Human)]
    format: StatusFormatArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusFormatArg {
    /// A table per locale
    Human,
    /// One JSON object with the same numbers
    Json,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete tolk's commands and flags in
    shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
struct ManArgs {
    /// A command whose page to print (tolk-check(1)) instead of tolk(1)
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SeverityArg {
    Error,
    Warning,
    Info,
}

/// A rule id of `tolk check`, or an error that lists them.
fn parse_rule(id: &str) -> Result<Rule, String> {
    Rule::from_id(id).ok_or_else(|| {
        let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        format!("no rule is called `{id}`; the rules are {}", ids.join(", "))
    })
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Findings grouped by article, errors first, with one line of context; then tables
    Human,
    /// One line per finding: path:line:col: severity[rule] message
    Short,
    /// One JSON object (schema in README.md)
    Json,
    /// GitHub Actions annotations
    Github,
    /// JUnit XML: one test case per article and locale
    Junit,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Human => Format::Human,
            FormatArg::Short => Format::Short,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Junit => Format::Junit,
            FormatArg::Sarif => Format::Sarif,
        }
    }
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
    let kind = match cli.command {
        Command::Check(_) | Command::Status(_) => CommandKind::Inspects,
        _ => CommandKind::Makes,
    };
    match run(cli.command) {
        Ok(cmd::check::Verdict::Pass) => ExitCode::SUCCESS,
        // The site failed the check: the report said why.
        Ok(cmd::check::Verdict::Fail) => ExitCode::FAILURE,
        Err(e) => {
            let code = e.exit_code(kind);
            eprintln!("{:?}", miette::Report::new(e));
            ExitCode::from(code)
        }
    }
}

/// Runs one command. Only `tolk check` and `tolk handoff import` (its check of the imported
/// articles) can end in [`cmd::check::Verdict::Fail`].
fn run(command: Command) -> crate::error::Result<cmd::check::Verdict> {
    let result = match command {
        Command::Build(args) => cmd::build::execute(&build_options(args)),
        Command::Serve(args) => cmd::serve::execute(&serve_options(args)),
        Command::Check(args) => return cmd::check::execute(&check_options(args)),
        Command::Init(args) => cmd::init::execute(&cmd::init::InitOptions {
            dir: args.dir,
            locales: args.locales,
            title: args.title,
        }),
        Command::New(args) => cmd::new::execute(&cmd::new::NewOptions {
            root: args.root,
            path: args.path,
            title: args.title,
            feature: args.feature,
            role: args.role,
            level: args.level,
        }),
        Command::Status(args) => cmd::status::execute(&cmd::status::StatusOptions {
            root: args.root,
            format: match args.format {
                StatusFormatArg::Human => cmd::status::StatusFormat::Human,
                StatusFormatArg::Json => cmd::status::StatusFormat::Json,
            },
        }),
        Command::Handoff(HandoffCommand::Export(args)) => {
            cmd::handoff::export(&cmd::handoff::ExportOptions {
                root: args.root,
                locale: args.locale,
                out: args.out,
                paths: args.paths,
                changed_since: args.changed_since,
            })
        }
        Command::Handoff(HandoffCommand::Import(args)) => {
            return cmd::handoff::import(&cmd::handoff::ImportOptions {
                root: args.root,
                file: args.file,
                dry_run: args.dry_run,
            })
        }
        Command::Completions(args) => {
            cmd::completions::completions(Cli::command(), args.shell, &mut std::io::stdout())
        }
        Command::Man(args) => cmd::completions::man(
            Cli::command(),
            args.command.as_deref(),
            &mut std::io::stdout(),
        ),
    };
    result.map(|()| cmd::check::Verdict::Pass)
}

fn build_options(args: BuildArgs) -> cmd::build::BuildOptions {
    cmd::build::BuildOptions {
        root: args.root,
        out: args.out,
        base_url: args.base_url,
        strict: args.strict,
        check: !args.no_check,
        verbose: args.verbose,
        quiet: args.quiet,
    }
}

fn serve_options(args: ServeArgs) -> ServeOptions {
    ServeOptions {
        root: args.root,
        interface: args.interface,
        port: args.port,
        watch: !args.no_watch,
        poll: args.poll,
        base_url: args.base_url,
        open: args.open,
        verbose: args.verbose,
        quiet: args.quiet,
    }
}

fn check_options(args: CheckArgs) -> cmd::check::CheckOptions {
    cmd::check::CheckOptions {
        root: args.root,
        format: args.format.into(),
        strict: args.strict,
        fix: args.fix,
        dry_run: args.dry_run,
        changed_since: args.changed_since,
        filter: cmd::check::Filter {
            severity: args.severity.map(|s| match s {
                SeverityArg::Error => Severity::Error,
                SeverityArg::Warning => Severity::Warning,
                SeverityArg::Info => Severity::Info,
            }),
            rules: args.rules,
            locales: args.locales,
            paths: args.paths,
        },
        quiet: args.quiet,
    }
}
