//! `tolk init [DIR]`: a new site to start from: `tolk.toml` with the locales (the first is the
//! source), a content folder per locale with one sample article linked by one exl-id (written
//! by `tolk new`), and the commands to run next. Nothing is overwritten.

use std::path::PathBuf;

use super::new::{self, NewOptions};
use crate::config::{self, CONFIG_FILE};
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder of the new site; created when missing.
    pub dir: PathBuf,
    /// Locale codes; the first is the source the others are translated from.
    pub locales: Vec<String>,
    pub title: String,
}

/// The locales of a new site when none are given.
pub const DEFAULT_LOCALES: [&str; 4] = ["en", "nl", "fr", "it"];

pub fn execute(options: &InitOptions) -> Result<()> {
    let dir = &options.dir;
    let config_path = dir.join(CONFIG_FILE);
    for taken in [config_path.clone(), dir.join("content")] {
        if taken.symlink_metadata().is_ok() {
            return Err(Error::setup(
                format!("{} already exists; nothing was written", taken.display()),
                "run tolk init in a new or empty folder, e.g. `tolk init help-site`",
            ));
        }
    }
    let mut locales: Vec<&str> = Vec::new();
    for code in &options.locales {
        if !locales.contains(&code.as_str()) {
            locales.push(code);
        }
    }
    if locales.is_empty() {
        locales = DEFAULT_LOCALES.to_vec();
    }
    let mut text = format!(
        "# The site's settings: see \"Configuration\" in tolk's README.\ntitle = {}\nsource-locale = \"{}\"\n",
        toml_string(&options.title),
        locales[0]
    );
    for code in &locales {
        text.push_str(&format!(
            "\n[[locales]]\ncode = \"{code}\"\nname = {}\n",
            toml_string(config::native_name(code))
        ));
    }
    // The text must be a valid configuration before anything is written.
    config::Config::parse(dir, CONFIG_FILE, &text)?;
    std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
    std::fs::write(&config_path, &text).map_err(Error::io("write", &config_path))?;
    for code in &locales {
        let folder = dir.join("content").join(code);
        std::fs::create_dir_all(&folder).map_err(Error::io("create", &folder))?;
    }
    println!("{}", config_path.display());
    new::execute(&NewOptions {
        root: dir.clone(),
        path: "getting-started".to_owned(),
        title: "Getting started".to_owned(),
        feature: Some("Help".to_owned()),
        role: Some("User".to_owned()),
        level: Some("Beginner".to_owned()),
    })?;
    let shown = dir.display().to_string();
    let cd = if shown == "." || shown.is_empty() {
        String::new()
    } else {
        format!("  cd {shown}\n")
    };
    println!(
        "\nA new site with {} locales ({}); {} is the source. Next:\n{cd}  tolk serve --open                              read it while you write\n  tolk new some/article --title \"Some article\"   add an article in every locale\n  tolk check                                     are the translations in sync?\n  tolk build                                     the site, into public/",
        locales.len(),
        locales.join(", "),
        locales[0]
    );
    Ok(())
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_toml_strings() {
        assert_eq!(toml_string("Help"), "\"Help\"");
        assert_eq!(toml_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(toml_string("x\ny"), "\"x\\u000Ay\"");
    }
}
