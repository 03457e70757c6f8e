//! `tolk check --fix`: applies the safe, mechanical edits some findings carry (the `mt-artifact`
//! trims) to the source files, each file written atomically; `--dry-run` shows them as a diff.
//! An article paired with its translations by its path, for want of an exl-id, gets the exl-id
//! its translations carry.

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
    let id_edits: Vec<(&Finding, Edit)> = report
        .findings
        .iter()
        .filter_map(|f| Some((f, missing_exl_id(config, report, f)?)))
        .collect();
    for (shown, text) in &report.sources {
        let mut findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| &f.path == shown && !f.edits.is_empty())
            .collect();
        let mut edits: Vec<&Edit> = findings.iter().flat_map(|f| &f.edits).collect();
        for (finding, edit) in id_edits.iter().filter(|(f, _)| &f.path == shown) {
            findings.push(finding);
            edits.push(edit);
        }
        if findings.is_empty() {
            continue;
        }
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

/// For the finding that an article has no exl-id: the line that adds the one its translations
/// at the same path carry (the first locale's that has a valid one), at the top of its front
/// matter.
fn missing_exl_id(config: &Config, report: &Report, finding: &Finding) -> Option<Edit> {
    if finding.rule != super::Rule::FrontMatterInvalid
        || !finding.message.starts_with("the article has no exl-id")
    {
        return None;
    }
    let text = report.sources.get(&finding.path)?;
    let split = crate::content::front_matter::split(&finding.path, text).ok()?;
    if split.yaml_offset == 0 && split.yaml.is_empty() {
        return None;
    }
    let id = config
        .locales
        .iter()
        .filter(|l| l.code != finding.locale)
        .find_map(|l| {
            let other = std::fs::read_to_string(l.content_dir.join(&finding.article)).ok()?;
            let split = crate::content::front_matter::split(&finding.article, &other).ok()?;
            split.yaml.lines().find_map(|line| {
                let value = line
                    .strip_prefix("exl-id:")?
                    .trim()
                    .trim_matches(['\'', '"']);
                uuid::Uuid::parse_str(value).ok().map(|_| value.to_owned())
            })
        })?;
    Some(Edit {
        range: split.yaml_offset..split.yaml_offset,
        replacement: format!("exl-id: {id}\n"),
    })
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

/// A unified diff of the changed lines of `fix`: each changed line when the fixes kept the
/// number of lines, else the block between the unchanged first and last lines.
pub fn diff(fix: &FileFix) -> String {
    let mut out = format!("--- {}\n+++ {}\n", fix.shown, fix.shown);
    let before: Vec<&str> = fix.before.split('\n').collect();
    let after: Vec<&str> = fix.after.split('\n').collect();
    if before.len() != after.len() {
        let same_start = before
            .iter()
            .zip(&after)
            .take_while(|(a, b)| a == b)
            .count();
        let same_end = before[same_start..]
            .iter()
            .rev()
            .zip(after[same_start..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let old = &before[same_start..before.len() - same_end];
        let new = &after[same_start..after.len() - same_end];
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            same_start + usize::from(!old.is_empty()),
            old.len(),
            same_start + 1,
            new.len()
        ));
        old.iter().for_each(|l| out.push_str(&format!("-{l}\n")));
        new.iter().for_each(|l| out.push_str(&format!("+{l}\n")));
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
