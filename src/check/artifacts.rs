//! `mt-artifact`: markup that machine translation damaged, as the model's outline found it
//! ([`crate::model::artifacts`]).

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
    }
    findings
}
