//! `tolk check --fix`: applies the safe, mechanical edits some findings carry (the `mt-artifact`
//! trims) to the source files, each file written atomically; `--dry-run` shows them as a diff.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Edit, Finding, Report};
use crate::config::Config;
use crate::error::{Error, Result};

/// The edits of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFix {
    /// Where the file is.
    pub path: PathBuf,
    /// How it is shown: relative to the site root.
    pub shown: String,
    pub before: String,
    pub after: String,
    /// One line per fixed finding: `path:line:col: message`.
    pub changes: Vec<String>,
}

/// The fixes the findings of `report` allow, per file, in path order.
pub fn plan(config: &Config, report: &Report) -> Vec<FileFix> {
    let mut fixes: Vec<FileFix> = Vec::new();
    for (shown, text) in &report.sources {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| &f.path == shown && !f.edits.is_empty())
            .collect();
        if findings.is_empty() {
            continue;
        }
        let mut edits: Vec<&Edit> = findings.iter().flat_map(|f| &f.edits).collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let mut after = String::with_capacity(text.len());
        let mut at = 0;
        for edit in edits {
            // Overlapping edits (a trim inside a trim) apply once.
            let valid = edit.range.start >= at
                && text.is_char_boundary(edit.range.start)
                && text.is_char_boundary(edit.range.end);
            if !valid {
                continue;
            }
            after.push_str(&text[at..edit.range.start]);
            after.push_str(&edit.replacement);
            at = edit.range.end.min(text.len());
        }
        after.push_str(&text[at..]);
        if after == **text {
            continue;
        }
        let changes = findings
            .iter()
            .map(|f| format!("{}: fixed: {}", f.location(), f.message))
            .collect();
        let path = Path::new(shown);
        fixes.push(FileFix {
            path: if path.is_absolute() {
                path.to_owned()
            } else {
                config.root.join(path)
            },
            shown: shown.clone(),
            before: text.to_string(),
            after,
            changes,
        });
    }
    fixes
}

/// Writes every fixed file, atomically: a temporary file beside it, renamed over it.
pub fn apply(fixes: &[FileFix]) -> Result<()> {
    for fix in fixes {
        let dir = match fix.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let permissions = std::fs::metadata(&fix.path)
            .map_err(Error::io("read", &fix.path))?
            .permissions();
        let mut file = tempfile::NamedTempFile::new_in(dir)
            .map_err(Error::io("create a temporary file in", dir))?;
        file.write_all(fix.after.as_bytes())
            .map_err(Error::io("write", file.path()))?;
        std::fs::set_permissions(file.path(), permissions)
            .map_err(Error::io("set the permissions of", file.path()))?;
        file.persist(&fix.path)
            .map_err(|e| Error::io("replace", &fix.path)(e.error))?;
    }
    Ok(())
}

/// A unified diff of the changed lines of `fix` (the fixes never add or remove lines).
pub fn diff(fix: &FileFix) -> String {
    let mut out = format!("--- {}\n+++ {}\n", fix.shown, fix.shown);
    let before: Vec<&str> = fix.before.split('\n').collect();
    let after: Vec<&str> = fix.after.split('\n').collect();
    if before.len() != after.len() {
        out.push_str("@@ whole file @@\n");
        before.iter().for_each(|l| out.push_str(&format!("-{l}\n")));
        after.iter().for_each(|l| out.push_str(&format!("+{l}\n")));
        return out;
    }
    for (n, (old, new)) in before.iter().zip(&after).enumerate() {
        if old != new {
            out.push_str(&format!("@@ -{0} +{0} @@\n-{old}\n+{new}\n", n + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_changed_lines_only() {
        let fix = FileFix {
            path: PathBuf::from("a.md"),
            shown: "content/nl/a.md".into(),
            before: "x\n[ a ](b)\ny\n".into(),
            after: "x\n[a](b)\ny\n".into(),
            changes: Vec::new(),
        };
        assert_eq!(
            diff(&fix),
            "--- content/nl/a.md\n+++ content/nl/a.md\n@@ -2 +2 @@\n-[ a ](b)\n+[a](b)\n"
        );
    }
}
