//! `tolk serve`: the whole site from memory on a local port, rebuilt on every save with
//! `--watch`, with live reload and the errors of a broken save shown over the page.
//!
//! The parts: [`changes`] decides what a batch of file events needs (pure), [`watch`] runs the
//! watcher and the rebuild loop, [`rebuild`] is the one place the site is built, [`state`] holds
//! the last good build, [`server`] answers HTTP from it, [`paths`] maps URLs to files (pure),
//! [`reload`] is the live-reload protocol, script and error overlay, and [`guard`] bounds the
//! connections (a cap, an idle timeout).

pub mod changes;
pub mod guard;
pub mod live;
pub mod paths;
pub mod rebuild;
pub mod reload;
pub mod server;
pub mod state;
pub mod watch;

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use tokio::sync::{broadcast, watch as signal};

use crate::error::{Error, Result};
use changes::{Change, Layout};
use rebuild::Builder;
use reload::Message;
use state::State;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Rebuild on every change and reload open pages.
    pub watch: bool,
    /// Look at the files every [`watch::POLL_INTERVAL`] instead of waiting for file events.
    pub poll: bool,
    /// Overrides the served address as the site's base URL.
    pub base_url: Option<String>,
    /// Open the site in the default browser once it is served (by [`run`]).
    pub open: bool,
    /// `-v`: after each save, what was re-rendered and how long each part took.
    pub verbose: bool,
    /// `-q`: errors only; no start-up lines, no line per save, no warnings.
    pub quiet: bool,
}

/// A started server. It stops when [`Running::shutdown`] is called or it is dropped.
#[derive(Debug)]
pub struct Running {
    runtime: tokio::runtime::Runtime,
    address: SocketAddr,
    url: String,
    /// The site's title and locale codes, for the start-up message.
    title: String,
    locales: Vec<crate::locale::LocaleCode>,
    state: Arc<State>,
    layout: Layout,
    stopping: signal::Sender<bool>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// Set to stop the rebuild loop.
    rebuilds: Option<Arc<AtomicBool>>,
}

/// Starts serving: binds the port, builds the site once (a failed build is served as its
/// error), starts the server and, with `watch`, the watcher and the rebuild loop.
pub fn start(options: &ServeOptions) -> Result<Running> {
    let root = std::path::absolute(&options.root)
        .map_err(Error::io("find the absolute path of", &options.root))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tolk-serve")
        .enable_all()
        .build()
        .map_err(|e| Error::setup(format!("cannot start the server: {e}"), "try again"))?;
    let wanted = SocketAddr::new(options.interface, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(wanted))
        .map_err(|e| bind_error(wanted, &e))?;
    let address = listener.local_addr().map_err(|e| bind_error(wanted, &e))?;
    let url = format!("http://{}/", shown_address(address));
    let base_url = options.base_url.clone().unwrap_or_else(|| url.clone());

    let mut builder = Builder::new(&root, &base_url)?;
    let layout = Layout::new(builder.config());
    let title = builder.config().title.clone();
    let locales = builder.config().locales.iter().map(|l| l.code.clone());
    let locales = locales.collect();
    let state = Arc::new(State::new(paths::base_path(&base_url), options.watch));
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let warnings = first_build(&mut builder, &state, color, options.quiet);

    let (stopping, stopped) = signal::channel(false);
    let router = server::router(Arc::clone(&state), stopped.clone());
    let server = runtime.spawn(async move {
        axum::serve(guard::Guarded::new(listener), router)
            .with_graceful_shutdown(async move {
                let mut stopped = stopped;
                let _ = stopped.wait_for(|stop| *stop).await;
            })
            .await
    });
    let rebuilds = if options.watch {
        let rebuild_loop = watch::RebuildLoop {
            builder,
            state: Arc::clone(&state),
            layout: layout.clone(),
            color,
            warnings,
            verbose: options.verbose,
            quiet: options.quiet,
        };
        Some(start_watching(rebuild_loop, options.poll)?)
    } else {
        None
    };
    Ok(Running {
        runtime,
        address,
        url,
        title,
        locales,
        state,
        layout,
        stopping,
        server: Some(server),
        rebuilds,
    })
}

/// Builds the site for the first time and serves the result, or its error. Returns the
/// build's warnings, so the rebuilds show only new ones.
fn first_build(builder: &mut Builder, state: &State, color: bool, quiet: bool) -> Vec<String> {
    let everything = Change::Everything {
        because: builder.config().root.clone(),
    };
    match builder.rebuild(&everything) {
        Ok(built) if quiet => {
            state.publish(built.files, built.changed.as_deref(), None);
            built.warnings
        }
        Ok(built) => {
            for warning in &built.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "Built {} in {:.2} s",
                built.scope,
                built.elapsed.as_secs_f64()
            );
            state.publish(built.files, built.changed.as_deref(), None);
            built.warnings
        }
        Err(error) => {
            let (terminal, plain) = rebuild::render_error(&error, color);
            eprintln!("{terminal}");
            println!("The site could not be built; its error is served until the next good save");
            state.fail(plain);
            Vec::new()
        }
    }
}

/// Starts the watcher and the rebuild loop on a thread of its own; the loop ends soon after
/// the returned flag is set (after the rebuild in progress, if any).
fn start_watching(rebuild_loop: watch::RebuildLoop, poll: bool) -> Result<Arc<AtomicBool>> {
    let (sender, receiver) = mpsc::channel();
    let mut watcher = watch::Watcher::start(poll, sender)?;
    for problem in watcher.sync(&rebuild_loop.layout.watch_list()) {
        eprintln!("warning: {problem}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("tolk-rebuild".to_owned())
        .spawn(move || rebuild_loop.run(watcher, receiver, &stop_flag))
        .map_err(|e| Error::setup(format!("cannot start watching: {e}"), "try again"))?;
    Ok(stop)
}

impl Running {
    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL of the site's root: `http://127.0.0.1:4000/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The messages sent to open pages after each rebuild.
    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.state.subscribe()
    }

    /// Blocks until Ctrl-C (or, on Unix, SIGTERM).
    pub fn wait_for_stop_signal(&self) {
        self.runtime.block_on(async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{signal as unix_signal, SignalKind};
                match unix_signal(SignalKind::terminate()) {
                    Ok(mut terminate) => {
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = terminate.recv() => {}
                        }
                    }
                    Err(_) => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            }
            #[cfg(not(unix))]
            {
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            }
        });
    }

    /// Stops watching, ends the open event streams, and lets the requests in flight finish
    /// (for two seconds at most).
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.stopping.send(true);
        if let Some(server) = self.server.take() {
            let _ = self
                .runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(2), server).await });
        }
        // Not joined: a rebuild in progress may take seconds on a large site, and stopping
        // should not wait for it.
        if let Some(stop) = self.rebuilds.take() {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `tolk serve`: start, say where, serve until Ctrl-C.
pub fn run(options: &ServeOptions) -> Result<()> {
    let running = start(options)?;
    if !options.quiet {
        say_where(options, &running);
    }
    // Even with -q: the reader should know who else can read the site.
    if !running.address().ip().is_loopback() {
        println!(
            "warning: listening on {}: other machines on the network can read the site",
            running.address().ip()
        );
    }
    if options.open {
        if let Err(e) = open_in_browser(running.url()) {
            eprintln!(
                "warning: cannot open a browser: {e}; open {} yourself",
                running.url()
            );
        }
    }
    running.wait_for_stop_signal();
    if !options.quiet {
        println!("Stopping");
    }
    running.shutdown();
    Ok(())
}

/// The start-up lines: where the site is served, what is watched.
fn say_where(options: &ServeOptions, running: &Running) {
    println!(
        "Serving {} ({}) at {}",
        running.title,
        running.locales.join(", "),
        running.url()
    );
    if options.watch {
        println!(
            "Watching {} for changes{}; press Ctrl-C to stop",
            watch::watched_summary(running.layout()),
            if options.poll { " (polling)" } else { "" }
        );
    } else {
        println!("Not watching for changes (--no-watch); press Ctrl-C to stop");
    }
}

fn bind_error(address: SocketAddr, e: &std::io::Error) -> Error {
    let help = if e.kind() == std::io::ErrorKind::AddrInUse {
        "another program uses this port: pass another with --port, or --port 0 for any free one"
    } else {
        "check --interface and --port; --interface must be an address of this machine"
    };
    Error::setup(format!("cannot listen on {address}: {e}"), help)
}

/// The address as a URL host: loopback for "every interface", which a browser cannot open.
fn shown_address(address: SocketAddr) -> SocketAddr {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, address.port())
}

/// Starts the system's browser opener; an `Err` says why it cannot. The opener's own failure
/// (no browser, no display) is reported when it exits, which can be a little later.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DISPLAY").is_none_or(|v| v.is_empty())
        && std::env::var_os("WAYLAND_DISPLAY").is_none_or(|v| v.is_empty())
    {
        return Err(std::io::Error::other(
            "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)",
        ));
    }
    #[cfg(target_os = "macos")]
    let (program, mut command) = ("open", std::process::Command::new("open"));
    #[cfg(windows)]
    let (program, mut command) = {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        ("cmd /C start", command)
    };
    #[cfg(all(unix, not(target_os = "macos")))]
    let (program, mut command) = ("xdg-open", std::process::Command::new("xdg-open"));
    let mut child = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot run {program}: {e}")))?;
    // Reap it when it is done (no zombie), and say so when it failed.
    let url = url.to_owned();
    std::thread::spawn(move || match child.wait() {
        Ok(status) if !status.success() => {
            eprintln!(
                "warning: {program} could not open a browser ({status}); open {url} yourself"
            );
        }
        _ => {}
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_unspecified_addresses_as_loopback() {
        for (bound, shown) in [
            ("0.0.0.0:4000", "127.0.0.1:4000"),
            ("[::]:4000", "[::1]:4000"),
            ("127.0.0.1:4000", "127.0.0.1:4000"),
            ("192.168.1.5:80", "192.168.1.5:80"),
        ] {
            let bound: SocketAddr = bound.parse().unwrap_or_else(|e| panic!("{bound}: {e}"));
            assert_eq!(shown_address(bound).to_string(), shown);
        }
    }
}
