//! `--format short`: one line per finding, `path:line:col: severity[rule] message`, errors
//! first, as compilers print them (editors and `grep` read it).

use std::fmt::Write;

use super::ordered;
use crate::check::Report;

pub fn render(report: &Report, path_prefix: &str) -> String {
    let mut out = String::new();
    for (_, findings) in ordered(report) {
        for f in findings {
            let _ = match &f.at {
                Some(at) => write!(out, "{path_prefix}{}:{}:{}:", f.path, at.line, at.column),
                None => write!(out, "{path_prefix}{}:", f.path),
            };
            let message = f.message.replace('\n', " ");
            let _ = writeln!(out, " {}[{}] {message}", f.severity, f.rule);
        }
    }
    out
}
