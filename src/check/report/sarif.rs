//! `--format sarif`: SARIF 2.1.0, which GitHub code scanning and other tools read. One run,
//! tolk as the tool with every rule (its id, default level and help), one result per finding
//! with its region and the places it was compared with.

use serde_json::{json, Value};

use crate::check::{At, Report, Rule, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &Report, path_prefix: &str) -> String {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id(),
                "name": rule.id(),
                "shortDescription": { "text": rule.id().replace('-', " ") },
                "fullDescription": { "text": rule.help() },
                "help": { "text": rule.help() },
                "defaultConfiguration": { "level": level(rule.default_severity()) },
            })
        })
        .collect();
    let location = |path: &str, at: &Option<At>| {
        let mut physical = json!({
            "artifactLocation": { "uri": uri(&format!("{path_prefix}{path}")) },
        });
        if let Some(at) = at {
            physical["region"] = json!({
                "startLine": at.line,
                "startColumn": at.column,
                "charLength": at.len,
            });
        }
        json!({ "physicalLocation": physical })
    };
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let related: Vec<Value> = f
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut place = location(&r.path, &r.at);
                    place["id"] = json!(i);
                    place["message"] = json!({ "text": format!("{}: {}", r.locale, r.path) });
                    place
                })
                .collect();
            let index = Rule::ALL.iter().position(|r| *r == f.rule);
            let mut result = json!({
                "ruleId": f.rule.id(),
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [location(&f.path, &f.at)],
                "properties": { "locale": f.locale, "article": &*f.article },
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let value = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "tolk",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: each segment percent-encoded where it must be.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("content/nl/a b/é.md"), "content/nl/a%20b/%C3%A9.md");
        assert_eq!(uri("docs/content/fr/x.md"), "docs/content/fr/x.md");
    }

    #[test]
    fn levels_follow_severities() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }
}
