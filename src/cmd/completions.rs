//! `tolk completions SHELL` and `tolk man [COMMAND]`: shell completion scripts (clap_complete)
//! and man pages (clap_mangen), both made from the command-line definitions in [`crate::cli`].

use std::io::Write;

use clap_complete::Shell;

use crate::error::{Error, Result};

/// Writes the completion script of `command` for `shell` to `out`.
pub fn completions(mut command: clap::Command, shell: Shell, out: &mut dyn Write) -> Result<()> {
    let name = command.get_name().to_owned();
    clap_complete::generate(shell, &mut command, name, out);
    Ok(())
}

/// Writes the man page (roff) of `command`, or of its subcommand `sub` (`tolk-check(1)`).
pub fn man(command: clap::Command, sub: Option<&str>, out: &mut dyn Write) -> Result<()> {
    let command = match sub {
        None => command,
        Some(sub) => {
            let name = format!("{}-{sub}", command.get_name());
            let version = command.get_version().map(str::to_owned);
            let Some(found) = command.find_subcommand(sub) else {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .collect();
                return Err(Error::setup(
                    format!("tolk has no command `{sub}`"),
                    format!("the commands are: {}", names.join(", ")),
                ));
            };
            let found = found.clone().name(name);
            match version {
                Some(version) => found.version(version),
                None => found,
            }
        }
    };
    clap_mangen::Man::new(command)
        .render(out)
        .map_err(|e| Error::io("write", std::path::Path::new("standard output"))(e))
}
