//! `tolk build`: the whole site, written atomically, then the translation checks' summary.

use std::path::PathBuf;

use crate::check::{self, Report, Severity};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Site;
use crate::site::{self, Output};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `root/public`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Fail, keeping the previous output, when the checks find an error.
    pub strict: bool,
    /// Run the checks of `tolk check` and print their summary.
    pub check: bool,
    /// Print each stage with its time and counts (`-v`).
    pub verbose: bool,
    /// Print nothing when the build succeeds (`-q`): no warnings, no summary.
    pub quiet: bool,
}

/// The stages of a build as `-v` prints them: `load 0.41 s (9,554 files, 3,820 articles parsed)`.
#[derive(Debug, Default)]
struct Stages {
    lines: Vec<String>,
    last: Option<std::time::Instant>,
}

impl Stages {
    fn start() -> Stages {
        Stages {
            lines: Vec::new(),
            last: Some(std::time::Instant::now()),
        }
    }

    /// Ends the stage `name`, which did `what`.
    fn done(&mut self, name: &str, what: String) {
        let now = std::time::Instant::now();
        let took = self.last.map_or(0.0, |t| (now - t).as_secs_f64());
        self.lines
            .push(format!("{name:<7} {took:>6.2} s  ({what})"));
        self.last = Some(now);
    }
}

/// `12345` as `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Builds the site; meant to end the process (what it built is not freed, see
/// [`super::leave_to_exit`]).
pub fn execute(options: &BuildOptions) -> Result<()> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    site::check_output_dir(&config, &out)?;
    site::output::prepare(&out)?;
    // The checks run first: their findings mark out-of-date pages and fill the status page,
    // and a strict build that fails them never touches the previous site.
    let started = std::time::Instant::now();
    let mut stages = Stages::start();
    let mut site = crate::model::Site::load(&config)?;
    stages.done(
        "load",
        format!(
            "{} files found, {} articles read and parsed once",
            thousands(site.stats.files),
            thousands(site.stats.parsed)
        ),
    );
    let mut checked = options
        .check
        .then(|| check_site(&config, &site, &mut stages))
        .transpose()?;
    if options.strict {
        refuse_errors(checked.as_ref())?;
    }
    // What the checks alone needed goes before the pages are made: the outlines and the
    // report's quoted lines (the texts go once the side-by-side pages are made, see
    // `site::Keep::Nothing`).
    site.forget_outlines();
    if let Some(report) = checked.as_mut() {
        // The lines findings quote are `tolk check`'s to show; the build's summary counts them.
        report.sources.clear();
    }
    let output = Output::disk(&out)?;
    let bar = progress_bar(site.article_count() as u64, started, options.quiet);
    let tick = |n: u64| bar.tick(n);
    let look = site::Look::load(&config)?;
    let built = site::build_site(
        &config,
        &mut site,
        look,
        &output,
        checked.as_mut(),
        started,
        &tick,
    )?;
    bar.finish();
    stages.done(
        "render",
        format!(
            "{} article pages, {} in the search index",
            thousands(built.pages.iter().map(|(_, n)| n).sum()),
            thousands(built.searchable)
        ),
    );
    output.commit()?;
    stages.done(
        "write",
        format!("the new site moved into {}", out.display()),
    );
    if options.verbose {
        for line in &stages.lines {
            eprintln!("{line}");
        }
    }
    if !options.quiet {
        print_summary(&built, checked.as_ref(), &out);
    }
    super::leave_to_exit((site, checked, built));
    Ok(())
}

/// The checks, timed as a stage.
fn check_site(config: &Config, site: &Site, stages: &mut Stages) -> Result<Report> {
    let report = check::run(config, site)?;
    stages.done(
        "check",
        format!(
            "{} outlines parsed once, {} findings in {} translation groups",
            thousands(site.outlines_parsed()),
            thousands(report.findings.len()),
            thousands(report.groups)
        ),
    );
    Ok(report)
}

/// `--strict`: the checks' errors stop the build before anything is written. Only the errors
/// are shown: the warnings are `tolk check`'s to show.
fn refuse_errors(checked: Option<&Report>) -> Result<()> {
    let Some(checked) = checked else {
        return Ok(());
    };
    let errors = checked.count(Severity::Error);
    if errors == 0 {
        return Ok(());
    }
    let mut errors_only = checked.clone();
    errors_only
        .findings
        .retain(|f| f.severity == Severity::Error);
    eprint!(
        "{}",
        check::report::render(
            &errors_only,
            check::report::Format::Human,
            &Default::default()
        )
    );
    Err(Error::setup(
        format!(
            "the translation checks found {errors} error{}; the previous site was kept",
            if errors == 1 { "" } else { "s" }
        ),
        "fix the errors above, or build without --strict",
    ))
}

/// The warnings and the closing lines: what was built, and what the checks found.
fn print_summary(built: &site::BuildReport, checked: Option<&Report>, out: &std::path::Path) {
    for warning in &built.warnings {
        eprintln!("warning: {warning}");
    }
    let per_locale: Vec<String> = built
        .pages
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    let total: usize = built.pages.iter().map(|(_, n)| n).sum();
    println!(
        "Built {total} article{} ({}) in {:.2} s into {}{}",
        if total == 1 { "" } else { "s" },
        per_locale.join(", "),
        built.elapsed.as_secs_f64(),
        out.strip_prefix(".").unwrap_or(out).display(),
        match built.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".to_owned(),
            n => format!(", {n} warnings"),
        }
    );
    if let Some(checked) = checked {
        println!("{}; run `tolk check` for details", checked.summary_line());
    }
}

/// A progress bar on a terminal, shown only when a build runs longer than a second; nothing
/// in CI or when stderr is not a terminal.
struct Bar {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
    enabled: bool,
}

fn progress_bar(total: u64, started: std::time::Instant, quiet: bool) -> Bar {
    use std::io::IsTerminal;
    let enabled = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::hidden(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}")
    {
        bar.set_style(style);
    }
    Bar {
        bar,
        started,
        shown: std::sync::atomic::AtomicBool::new(false),
        enabled,
    }
}

impl Bar {
    fn tick(&self, n: u64) {
        self.bar.inc(n);
        let due = self.enabled && self.started.elapsed() > std::time::Duration::from_secs(1);
        if due && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed) {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
