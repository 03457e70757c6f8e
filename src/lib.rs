//! tolk turns localized Experience League ("ExL") markdown into a static help site.
//!
//! The pipeline flows one way, one module per stage:
//! [`config`] -> [`content`] (discover, front matter, pages) -> [`markdown`] (ExL to HTML)
//! -> [`site`] (templates, UI strings, output writer). [`check`] compares the translations of
//! every article with each other. [`serve`] serves the site from memory and rebuilds it on
//! every save. [`history`] reads git history (the source's log, files changed since a ref) for
//! the checks. [`cli`] and [`cmd`] only translate command-line flags into calls of these stages.

pub mod align;
pub mod byte_scan;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod handoff;
pub mod history;
pub mod i18n;
pub mod locale;
pub mod lock;
pub mod markdown;
pub mod model;
pub mod new_article;
pub mod progress;
pub mod rules;
pub mod serve;
pub mod site;
pub mod theme;

pub use error::{Error, Result};
