//! `--format json`: one object, schema version 1 (documented in README.md):
//! `{"version":1,"summary":{...},"findings":[{"rule","severity","locale","path","line","column",
//! "exl_id","message","related":[{"locale","path","line","column"}]}]}`.

use serde_json::{json, Value};

use crate::check::{At, Report, Severity};

pub fn render(report: &Report) -> String {
    let line = |at: &Option<At>| at.as_ref().map(|a| a.line);
    let column = |at: &Option<At>| at.as_ref().map(|a| a.column);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let related: Vec<Value> = f
                .related
                .iter()
                .map(|r| {
                    json!({
                        "locale": r.locale,
                        "path": r.path,
                        "line": line(&r.at),
                        "column": column(&r.at),
                    })
                })
                .collect();
            json!({
                "rule": f.rule.id(),
                "severity": f.severity.as_str(),
                "locale": f.locale,
                "path": f.path,
                "line": line(&f.at),
                "column": column(&f.at),
                "exl_id": f.exl_id,
                "message": f.message,
                "related": related,
            })
        })
        .collect();
    let locales: Vec<Value> = report
        .locales
        .iter()
        .map(|l| {
            json!({
                "locale": l.locale,
                "articles": l.articles,
                "in_sync": l.in_sync,
                "out_of_sync": l.out_of_sync,
                "missing": l.missing,
            })
        })
        .collect();
    let value = json!({
        "version": 1,
        "summary": {
            "articles": report.articles,
            "groups": report.groups,
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "infos": report.count(Severity::Info),
            "locales": locales,
        },
        "findings": findings,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
