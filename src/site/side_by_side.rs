//! The status site's side-by-side pages: for each translation with a segment finding, its
//! segments beside the pivot's, row by row as [`crate::align`] paired them, each row marked with
//! the findings on it and a missing segment shown as a gap.
//! `status/segments/<locale>/<article path>.html`, linked from the dashboard.

use std::ops::Range;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use serde::Serialize;

use super::templates::{Html, Templates};
use crate::align::Alignment;
use crate::check::{segments::is_segment_rule, Finding, Report, Rule};
use crate::error::{LineIndex, Result};
use crate::markdown::escape::push_html_escaped;
use crate::model::{Article, LocaleContent};

/// Where the side-by-side page of the translation at `shown_path` goes, relative to the status
/// folder's dashboard: `segments/fr/a/b.html`.
pub fn page_path(locale: &str, rel_path: &str) -> String {
    let stem = rel_path.strip_suffix(".md").unwrap_or(rel_path);
    format!("segments/{locale}/{stem}.html")
}

/// Every side-by-side page the articles of `contents` could have (paths in the site): serve
/// removes those a new report no longer makes.
pub fn possible_pages(contents: &[LocaleContent]) -> impl Iterator<Item = String> + '_ {
    contents.iter().flat_map(|c| {
        c.articles
            .iter()
            .map(|a| format!("status/{}", page_path(&a.locale, &a.rel_path)))
    })
}

#[derive(Debug, Serialize)]
struct PageContext<'a> {
    site_title: &'a str,
    lang: &'a str,
    root: String,
    article: &'a str,
    pivot: Side<'a>,
    other: Side<'a>,
    /// The table's rows, written here rather than in the template: a page has hundreds of
    /// cells and the bench corpus 20,000 pages, and tera's loop over them cost a tenth of a
    /// whole build.
    rows: String,
    findings: usize,
}

#[derive(Debug, Serialize)]
struct Side<'a> {
    locale: &'a str,
    path: &'a str,
}

struct Row<'a> {
    kind: &'static str,
    pivot: Option<Cell<'a>>,
    other: Option<Cell<'a>>,
    marks: Vec<Mark<'a>>,
}

struct Cell<'a> {
    line: usize,
    text: &'a str,
}

struct Mark<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
}

/// The side-by-side pages of `report`'s alignments: (path under `status/`, HTML).
pub fn pages(
    site_title: &str,
    report: &Report,
    articles: &HashMap<&str, &Article>,
    templates: &Templates,
    t: &std::collections::BTreeMap<String, String>,
    sink: super::status::Sink<'_>,
) -> Result<()> {
    // The UI strings converted for the templates once, not on each of 20,000 pages.
    let strings = t;
    let t = tera::Value::from_serializable(t);
    let built_in = templates.is_built_in("status-segments.html");
    let mut by_path: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in report.findings.iter().filter(|f| is_segment_rule(f.rule)) {
        by_path.entry(&*f.path).or_default().push(f);
    }
    // Each page on its own: they are rendered in parallel.
    let page = |alignment: &Alignment| -> Result<()> {
        let (Some(pivot), Some(other)) = (
            articles.get(alignment.pivot.1.as_str()),
            articles.get(alignment.other.1.as_str()),
        ) else {
            return Ok(());
        };
        let (pivot_text, other_text) = (pivot.source()?, other.source()?);
        let findings = by_path
            .get(other.shown_path.as_str())
            .map_or(&[][..], |v| v);
        let path = page_path(&other.locale, &other.rel_path);
        let depth = path.matches('/').count() + 1;
        let rows = rows(alignment, &pivot_text, &other_text, findings);
        let mut context = PageContext {
            site_title,
            lang: super::status::LANGUAGE,
            root: "../".repeat(depth),
            article: &alignment.article,
            pivot: Side {
                locale: &pivot.locale,
                path: &pivot.shown_path,
            },
            other: Side {
                locale: &other.locale,
                path: &other.shown_path,
            },
            rows: String::new(),
            findings: findings.len(),
        };
        let html = match (built_in, strings.get("status-title")) {
            (true, Some(title)) => page_html(&context, &rows, title),
            _ => {
                context.rows = rows_html(&rows);
                templates.render_with("status-segments.html", &context, "t", &t)?
            }
        };
        sink(path, html)
    };
    // In pieces of at most 16 pages, so that both cores finish together.
    report
        .alignments
        .par_iter()
        .with_max_len(16)
        .try_for_each(page)
}

/// The page as the built-in `status-segments.html` makes it, written without tera (see
/// `site::pages::built_in`, which does the same for article pages): at 20,000 pages, tera was
/// 2% of a build's time, most of it copying `rows` into its values and out again.
/// `status_title` is the UI string `status-title`; the rows are written straight into the
/// page. `tests/segments.rs` holds the two to the same bytes.
fn page_html(c: &PageContext<'_>, rows: &[Row<'_>], status_title: &str) -> Vec<u8> {
    let mut html = Html::with_capacity(rows_len(rows) + 2048);
    html.raw("<!doctype html>\n<html lang=\"");
    html.text(c.lang);
    html.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    html.text(c.article);
    html.raw(" (");
    html.text(c.other.locale);
    html.raw(") | ");
    html.text(status_title);
    html.raw(" | ");
    html.text(c.site_title);
    html.raw(
        "</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"stylesheet\" href=\"",
    );
    html.text(&c.root);
    html.raw("static/tolk.css\">\n</head>\n<body>\n<header class=\"site-header\"><a class=\"site-title\" href=\"");
    html.text(&c.root);
    html.raw("\">");
    html.text(c.site_title);
    html.raw("</a></header>\n<main id=\"main\" class=\"status side-by-side\">\n<p><a href=\"");
    html.text(&c.root);
    html.raw("status/\">");
    html.text(status_title);
    html.raw("</a></p>\n<h1>");
    html.text(c.article);
    html.raw(": ");
    html.text(c.other.locale);
    html.raw(" beside ");
    html.text(c.pivot.locale);
    html.raw("</h1>\n<p>");
    html.number(c.findings);
    html.raw(" segment finding");
    if c.findings != 1 {
        html.raw("s");
    }
    html.raw(" in <code>");
    html.text(c.other.path);
    html.raw("</code>, compared with <code>");
    html.text(c.pivot.path);
    html.raw("</code>, segment by segment.</p>\n<div class=\"table-scroll\">\n<table class=\"segments\">\n<thead><tr><th scope=\"col\">");
    html.text(c.pivot.locale);
    html.raw("</th><th scope=\"col\">");
    html.text(c.other.locale);
    html.raw("</th></tr></thead>\n<tbody>\n");
    html.raw_with(|out| push_rows(out, rows));
    html.raw("</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n");
    html.into_bytes()
}

/// The rows of the page, each with the findings that fall on it.
fn rows<'a>(
    alignment: &Alignment,
    pivot: &'a str,
    other: &'a str,
    findings: &[&'a Finding],
) -> Vec<Row<'a>> {
    let (pivot_lines, other_lines) = (LineIndex::new(pivot), LineIndex::new(other));
    let cell = |text: &'a str, lines: &LineIndex, range: Option<Range<usize>>| {
        range.map(|r| Cell {
            line: lines.place(text, r.start).0,
            text: text.get(r).unwrap_or_default(),
        })
    };
    let mut rows: Vec<Row> = alignment
        .rows
        .iter()
        .map(|r| Row {
            kind: r.kind.class(),
            pivot: cell(pivot, &pivot_lines, r.pivot()),
            other: cell(other, &other_lines, r.other()),
            marks: Vec::new(),
        })
        .collect();
    for f in findings {
        let Some(at) = &f.at else { continue };
        let related = f
            .related
            .first()
            .and_then(|r| r.at.as_ref())
            .map(|a| a.offset);
        let inside = |range: Option<Range<usize>>, offset: usize| {
            range.is_some_and(|r| r.start <= offset && offset <= r.end)
        };
        let row = if f.rule == Rule::SegmentMissing {
            related.and_then(|o| {
                alignment
                    .rows
                    .iter()
                    .position(|r| r.other().is_none() && inside(r.pivot(), o))
            })
        } else {
            alignment
                .rows
                .iter()
                .position(|r| inside(r.other(), at.offset))
        };
        if let Some(row) = row {
            rows[row].marks.push(Mark {
                rule: f.rule.id(),
                severity: f.severity.as_str(),
                message: &f.message,
            });
        }
    }
    rows
}

/// The table rows of `rows`: a row per pair of segments, its class flagging the first finding's
/// severity, a gap where a side has no segment, and the findings under the translation's cell.
fn rows_html(rows: &[Row]) -> String {
    let mut html = String::with_capacity(rows_len(rows));
    push_rows(&mut html, rows);
    html
}

/// About how long the rows are as HTML, so that their buffer is made once: the texts (which
/// escaping makes a little longer) and the markup around them.
fn rows_len(rows: &[Row]) -> usize {
    let text = |cell: &Option<Cell>| cell.as_ref().map_or(0, |c| c.text.len());
    rows.iter()
        .map(|r| {
            let marks: usize = r.marks.iter().map(|m| m.message.len() + 96).sum();
            (text(&r.pivot) + text(&r.other)) * 9 / 8 + marks + 160
        })
        .sum()
}

/// Writes [`rows_html`] into `html`.
fn push_rows(html: &mut String, rows: &[Row]) {
    for row in rows {
        html.push_str("<tr class=\"segment-");
        html.push_str(row.kind);
        if let Some(first) = row.marks.first() {
            html.push_str(" flagged severity-");
            html.push_str(first.severity);
        }
        html.push_str("\">\n");
        cell_html(html, row.pivot.as_ref(), "no counterpart");
        html.push_str("</td>\n");
        cell_html(html, row.other.as_ref(), "missing here");
        for mark in &row.marks {
            html.push_str("<p class=\"mark severity-");
            html.push_str(mark.severity);
            html.push_str("\"><span class=\"severity\">");
            html.push_str(mark.severity);
            html.push_str("</span> <code>");
            html.push_str(mark.rule);
            html.push_str("</code> ");
            push_html_escaped(html, mark.message);
            html.push_str("</p>");
        }
        html.push_str("</td>\n</tr>\n");
    }
}

/// Opens a cell with its line and text, or as a gap labelled `gap`; the caller closes it (the
/// translation's after its findings).
fn cell_html(html: &mut String, cell: Option<&Cell>, gap: &str) {
    match cell {
        Some(cell) => {
            html.push_str("<td><span class=\"line\">");
            html.push_str(itoa::Buffer::new().format(cell.line));
            html.push_str("</span>");
            html.push_str("<div class=\"text\">");
            push_html_escaped(html, cell.text);
            html.push_str("</div>");
        }
        None => {
            html.push_str("<td class=\"gap\"><span class=\"gap-label\">");
            html.push_str(gap);
            html.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template places the rows with `| safe`: every text in them must be escaped here.
    #[test]
    fn rows_escape_the_texts_and_messages_they_show() {
        let rows = [
            Row {
                kind: "paragraph",
                pivot: Some(Cell {
                    line: 3,
                    text: "<script>alert('x')</script> & \"more\"",
                }),
                other: None,
                marks: vec![Mark {
                    rule: "segment-missing",
                    severity: "warning",
                    message: "no <b>counterpart</b> & more",
                }],
            },
            Row {
                kind: "heading",
                pivot: None,
                other: Some(Cell {
                    line: 7,
                    text: "Tom & Jerry's <img src=x onerror=alert(1)>",
                }),
                marks: Vec::new(),
            },
        ];
        let html = rows_html(&rows);
        assert!(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>"));
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;")
        );
        assert!(html.contains("no &lt;b&gt;counterpart&lt;/b&gt; &amp; more"));
        assert_eq!(
            html.lines().next(),
            Some("<tr class=\"segment-paragraph flagged severity-warning\">")
        );
        assert!(html.contains("<td class=\"gap\"><span class=\"gap-label\">missing here</span>"));
        assert!(
            html.contains("<td class=\"gap\"><span class=\"gap-label\">no counterpart</span></td>")
        );
        assert!(html.contains("<span class=\"line\">7</span>"));
        assert_eq!(html.matches("<tr ").count(), 2);
        assert_eq!(html.matches("</tr>\n").count(), 2);
    }
}
