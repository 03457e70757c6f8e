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
        .filter_map(|f| Some((f, missing_exl_id(report, f)?)))
        .collect();
    for (shown, text) in &report.sources {
        // The exl-id first: the other lines added at the same place come after it.
        let mut findings: Vec<&Finding> = Vec::new();
        let mut edits: Vec<&Edit> = Vec::new();
        for (finding, edit) in id_edits.iter().filter(|(f, _)| *f.path == **shown) {
            findings.push(finding);
            edits.push(edit);
        }
        for finding in report.findings.iter() {
            if *finding.path == **shown && !finding.edits.is_empty() {
                findings.push(finding);
                edits.extend(&finding.edits);
            }
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

/// For the finding that an article has no exl-id: the line that adds its translation group's
/// exl-id (the model paired it by path, so the finding carries the group's id), at the top of
/// its front matter.
fn missing_exl_id(report: &Report, finding: &Finding) -> Option<Edit> {
    if finding.rule != super::Rule::FrontMatterInvalid
        || !finding.message.starts_with("the article has no exl-id")
    {
        return None;
    }
    let id = finding.exl_id.as_deref()?;
    let text = report.sources.get(&*finding.path)?;
    let split = crate::model::front_matter::split(&finding.path, text).ok()?;
    if split.yaml_offset == 0 && split.yaml.is_empty() {
        return None;
    }
    let at = split.yaml_offset;
    let end = if text[..at].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(Edit {
        range: at..at,
        replacement: format!("exl-id: {id}{end}"),
    })
}

/// Writes every fixed file. A symbolic link is followed: the real file is fixed and the link
/// stays. Each line keeps its ending (`\n`, `\r\n` or an old Mac's lone `\r`). A file with
/// one name is replaced atomically (a temporary file beside it, renamed over it); a file with
/// several (hard links) is written in place once the temporary copy succeeded, so every name
/// sees the fix, and read back to compare.
pub fn apply(fixes: &[FileFix]) -> Result<()> {
    for fix in fixes {
        let real = fix
            .path
            .canonicalize()
            .map_err(Error::io("read", &fix.path))?;
        let dir = match real.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let original = std::fs::read(&real).map_err(Error::io("read", &real))?;
        let bytes = with_line_endings_of(&original, &fix.after);
        let metadata = std::fs::metadata(&real).map_err(Error::io("read", &real))?;
        let mut file = tempfile::NamedTempFile::new_in(dir)
            .map_err(Error::io("create a temporary file in", dir))?;
        file.write_all(&bytes)
            .and_then(|()| file.as_file().sync_all())
            .map_err(Error::io("write", file.path()))?;
        if links(&metadata) > 1 {
            std::fs::write(&real, &bytes).map_err(Error::io("write", &real))?;
            if std::fs::read(&real).map_err(Error::io("read", &real))? != bytes {
                // Put the original back; the temporary copy goes with `file`.
                let _ = std::fs::write(&real, &original);
                return Err(Error::setup(
                    format!("{}: the fixed file did not read back as written", fix.shown),
                    "check the disk and run `tolk check --fix` again",
                ));
            }
            continue;
        }
        std::fs::set_permissions(file.path(), metadata.permissions())
            .map_err(Error::io("set the permissions of", file.path()))?;
        file.persist(&real)
            .map_err(|e| Error::io("replace", &real)(e.error))?;
    }
    Ok(())
}

/// How many names (hard links) the file has.
fn links(metadata: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        metadata.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        1
    }
}

/// `fixed` (whose old-Mac line ends were read as `\n`) with each line ending as the same line
/// of `original` ends. A fix that adds lines (the exl-id, the source fields) to a file whose
/// every line ends with a lone `\r` gives every line that end.
fn with_line_endings_of(original: &[u8], fixed: &str) -> Vec<u8> {
    let lone_cr: Vec<bool> = original
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && original.get(i + 1) != Some(&b'\n')))
        .map(|(_, b)| *b == b'\r')
        .collect();
    let mut bytes = fixed.as_bytes().to_vec();
    let ends: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    if ends.len() == lone_cr.len() {
        for (at, cr) in ends.into_iter().zip(lone_cr) {
            if cr {
                bytes[at] = b'\r';
            }
        }
    } else if !lone_cr.is_empty() && lone_cr.iter().all(|&cr| cr) {
        for at in ends {
            bytes[at] = b'\r';
        }
    }
    bytes
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
    fn added_lines_take_the_files_line_ends() {
        let old_mac =
            with_line_endings_of(b"---\rtitle: A\r---\r", "---\nexl-id: x\ntitle: A\n---\n");
        assert_eq!(old_mac, b"---\rexl-id: x\rtitle: A\r---\r");
        let unix = with_line_endings_of(b"---\ntitle: A\n---\n", "---\nexl-id: x\ntitle: A\n---\n");
        assert_eq!(unix, b"---\nexl-id: x\ntitle: A\n---\n");
    }

    #[cfg(unix)]
    #[test]
    fn fixes_go_through_links_and_keep_line_endings() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let real = dir.path().join("real.md");
        std::fs::write(&real, "a\rb [ x ](y)\r\nc\n")?;
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&real, &link)?;
        let hard = dir.path().join("hard.md");
        std::fs::hard_link(&real, &hard)?;
        let fix = FileFix {
            path: link.clone(),
            shown: "content/nl/link.md".into(),
            before: "a\nb [ x ](y)\r\nc\n".into(),
            after: "a\nb [x](y)\r\nc\n".into(),
            changes: Vec::new(),
        };
        apply(std::slice::from_ref(&fix)).map_err(std::io::Error::other)?;
        assert!(std::fs::symlink_metadata(&link)?.file_type().is_symlink());
        assert_eq!(std::fs::read(&real)?, b"a\rb [x](y)\r\nc\n");
        assert_eq!(
            std::fs::read(&hard)?,
            b"a\rb [x](y)\r\nc\n",
            "the other name sees it"
        );
        assert_eq!(
            std::fs::read_dir(dir.path())?.count(),
            3,
            "no temporary file is left"
        );
        Ok(())
    }

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
