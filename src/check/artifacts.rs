//! `mt-artifact`: markup that machine translation damaged, as the model's outline found it
//! ([`crate::model::artifacts`]); `unclosed-comment`: an HTML comment never closed.

use super::{Doc, Finding, Rule};

/// The `mt-artifact` findings of every article.
pub fn check(docs: &[Doc]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for doc in docs {
        for artifact in doc.outline.iter().flat_map(|o| &o.artifacts) {
            let mut finding = Finding::at(
                Rule::MtArtifact,
                doc,
                artifact.offset,
                artifact.len,
                artifact.message.clone(),
            );
            finding.edits = artifact.edits.clone();
            findings.push(finding);
        }
        for &offset in doc.outline.iter().flat_map(|o| &o.unclosed_comments) {
            findings.push(Finding::at(
                Rule::UnclosedComment,
                doc,
                offset,
                4,
                "this HTML comment `<!--` is never closed; the page reads it as ending with its \
                 line, and Experience League may hide everything after it"
                    .to_owned(),
            ));
        }
    }
    findings
}
