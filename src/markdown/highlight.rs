//! Build-time syntax highlighting with syntect: CSS classes in the HTML, one stylesheet with a
//! light and a dark theme, loaded once per process. syntect runs on Oniguruma: the same HTML as
//! with fancy-regex (compared on the shared bench corpus), a quarter less build time.
//!
//! Highlighted lines are remembered ([`Lines`]): a line read in the same state as before gives
//! the same HTML and leaves the same state, so it is not parsed again. Translations of a code
//! block differ in a comment or a string and share their other lines, and articles share
//! boilerplate (`s.t();`, `}`): building the Adobe Analytics docs, 625 of the 2,065 lines of
//! distinct code blocks are found, and 25,631 of 36,881 on the bench corpus at 10,000 x 3.

use std::cell::RefCell;
use std::sync::LazyLock;

use foldhash::HashMap;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Languages as writers name them, mapped to what syntect calls them.
fn find(lang: &str) -> Option<&'static SyntaxReference> {
    let token = match lang {
        "js" | "javascript" | "jsx" => "js",
        "sh" | "shell" | "bash" | "zsh" | "console" => "bash",
        "yml" | "yaml" => "yaml",
        "py" | "python" => "py",
        "text" | "txt" | "plain" | "plaintext" | "csv" | "none" => return None,
        other => other,
    };
    SYNTAXES.find_syntax_by_token(token)
}

thread_local! {
    /// The lines this thread highlighted. One set per thread: syntect's parse state holds
    /// Oniguruma's match regions, which cannot move to another thread.
    static LINES: RefCell<Lines> = RefCell::default();
}

/// The code as HTML with highlighting classes, or `None` for plain text and unknown languages.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = find(&lang.to_ascii_lowercase())?;
    // What syntect's `ClassedHTMLGenerator` does, with each line looked up first.
    let mut state = State {
        parse: ParseState::new(syntax),
        scopes: ScopeStack::new(),
    };
    let mut open_spans = 0isize;
    let mut html = String::with_capacity(code.len() * 4);
    for line in LinesWithEndings::from(code) {
        let known = LINES.with_borrow(|lines| lines.get(syntax, &state, line, &mut html));
        let delta = match known {
            Some((after, delta)) => {
                if let Some(after) = after {
                    state = after;
                }
                delta
            }
            None => {
                let before = state.clone();
                let ops = state.parse.parse_line(line, &SYNTAXES).ok()?;
                let (spans, delta) =
                    line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut state.scopes)
                        .ok()?;
                html.push_str(&spans);
                LINES
                    .with_borrow_mut(|lines| lines.put(syntax, line, before, &state, spans, delta));
                delta
            }
        };
        open_spans += delta;
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// Where the highlighter is between two lines: syntect's parse (its stack of contexts) and the
/// scopes whose spans are open.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    parse: ParseState,
    scopes: ScopeStack,
}

/// A line highlighted before: in which state, to what HTML and state.
#[derive(Debug)]
struct Line {
    syntax: &'static SyntaxReference,
    before: State,
    /// `None`: the same as before (most lines of code leave the state as they found it).
    after: Option<State>,
    html: Box<str>,
    /// Spans opened less spans closed.
    delta: isize,
}

/// The lines highlighted so far, by their text (with its newline).
#[derive(Debug, Default)]
struct Lines {
    by_text: HashMap<Box<str>, Vec<Line>>,
    /// About the memory they take: [`Line::weight`] each.
    bytes: usize,
}

/// A thread remembers lines up to about this much memory; past it, it starts again. The bench
/// corpus at 10,000 x 3 highlights 11,250 lines in all, about 2 MB a thread (the build's peak
/// memory did not move).
const MAX_BYTES: usize = 8 << 20;
/// Longer lines (minified scripts, data) are not remembered: they seldom come again, and would
/// take the room of many short ones.
const MAX_LINE: usize = 1024;
/// A line (`}`) can close many states; only so many are remembered for it.
const MAX_STATES: usize = 8;

impl Line {
    /// About the memory a line takes: its text and HTML, and its states with the slot.
    fn weight(&self, text: &str) -> usize {
        let states = if self.after.is_some() { 2 } else { 1 };
        text.len() + self.html.len() + 64 + states * 128
    }
}

impl Lines {
    /// How many lines are remembered, in all their states.
    #[cfg(test)]
    fn count(&self) -> usize {
        self.by_text.values().map(Vec::len).sum()
    }

    /// Appends to `html` the HTML of `line` read in `state`, if it is known, and returns the
    /// state after it (`None`: unchanged) and its spans' delta.
    fn get(
        &self,
        syntax: &SyntaxReference,
        state: &State,
        line: &str,
        html: &mut String,
    ) -> Option<(Option<State>, isize)> {
        let known = self
            .by_text
            .get(line)?
            .iter()
            .find(|known| std::ptr::eq(known.syntax, syntax) && known.before == *state)?;
        html.push_str(&known.html);
        Some((known.after.clone(), known.delta))
    }

    fn put(
        &mut self,
        syntax: &'static SyntaxReference,
        line: &str,
        before: State,
        after: &State,
        html: String,
        delta: isize,
    ) {
        if line.len() > MAX_LINE {
            return;
        }
        let known = Line {
            syntax,
            after: (*after != before).then(|| after.clone()),
            before,
            html: html.into_boxed_str(),
            delta,
        };
        let weight = known.weight(line);
        if self.bytes + weight > MAX_BYTES {
            self.by_text.clear();
            self.bytes = 0;
        }
        match self.by_text.get_mut(line) {
            Some(states) if states.len() >= MAX_STATES => return,
            Some(states) => states.push(known),
            None => {
                self.by_text.insert(line.into(), vec![known]);
            }
        }
        self.bytes += weight;
    }
}

/// The stylesheet for the highlighting classes: light by default, dark when the reader prefers it.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css =
        String::from("/* Syntax highlighting, generated by tolk from syntect's themes. */\n");
    if let Some(light) = themes.themes.get("InspiredGitHub") {
        css.push_str(&css_for_theme_with_class_style(light, CLASS_STYLE).unwrap_or_default());
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark") {
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        css.push_str(&css_for_theme_with_class_style(dark, CLASS_STYLE).unwrap_or_default());
        css.push_str("}\n");
    }
    css
}

/// Splits highlighted HTML into lines whose `<span>`s are each balanced, so every line can be
/// wrapped (for line numbers and highlighted lines). The input only holds `<span class="…">`,
/// `</span>` and escaped text, as syntect writes it.
pub fn balanced_lines(html: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    let mut line = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            open.push(&rest[..end]);
            line.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            open.pop();
            line.push_str("</span>");
            rest = after;
        } else if let Some(after) = rest.strip_prefix('\n') {
            line.push_str(&"</span>".repeat(open.len()));
            lines.push(std::mem::take(&mut line));
            line.extend(open.iter().copied());
            rest = after;
        } else {
            let next = rest.find(['<', '\n']).unwrap_or(rest.len()).max(1);
            let next = (1..=next)
                .rev()
                .find(|&i| rest.is_char_boundary(i))
                .unwrap_or(next);
            line.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    if has_text(&line) {
        line.push_str(&"</span>".repeat(open.len()));
        lines.push(line);
    }
    lines
}

/// Does a piece of HTML hold any text besides its tags?
fn has_text(html: &str) -> bool {
    let mut in_tag = false;
    html.chars().any(|c| match c {
        '<' => {
            in_tag = true;
            false
        }
        '>' if in_tag => {
            in_tag = false;
            false
        }
        _ => !in_tag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_common_languages() {
        for (lang, code) in [
            ("json", "{\"a\": 1}\n"),
            ("javascript", "let a = 1;\n"),
            ("html", "<p>x</p>\n"),
            ("xml", "<a/>\n"),
            ("sql", "SELECT 1;\n"),
            ("bash", "echo hi\n"),
            ("python", "def f(): pass\n"),
            ("java", "class A {}\n"),
            ("yaml", "a: 1\n"),
        ] {
            let html = highlight(code, lang).unwrap_or_default();
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
        assert_eq!(highlight("a,b\n", "csv"), None);
        assert_eq!(highlight("x\n", "no-such-language"), None);
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let code = "{\"a\": \"<b> & 'c'\"}\n";
        let html = highlight(code, "json").unwrap_or_default();
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(text, code);
    }

    /// Highlights on a thread of its own, which starts with no lines remembered.
    fn fresh(code: &'static str, lang: &'static str) -> Option<String> {
        std::thread::spawn(move || highlight(code, lang))
            .join()
            .ok()
            .flatten()
    }

    fn remembered() -> usize {
        LINES.with_borrow(Lines::count)
    }

    #[test]
    fn remembered_lines_give_the_same_html() {
        let first =
            "// Stel de rapportsuite in\nvar s = s_gi(\"rsid\");\ns.pageName = \"home\";\ns.t();\n";
        let second = "// Définir la suite de rapports\nvar s = s_gi(\"rsid\");\ns.pageName = \"home\";\ns.t();\n";
        let expected = fresh(second, "js");
        let (html, lines) = std::thread::spawn(move || {
            highlight(first, "js");
            let html = highlight(second, "js");
            (html, remembered())
        })
        .join()
        .unwrap_or_default();
        assert!(expected.is_some());
        assert_eq!(html, expected);
        // The three shared lines were parsed once: four of the first, one of the second.
        assert_eq!(lines, 5);
    }

    #[test]
    fn states_with_captures_give_the_same_html() {
        // A heredoc's parse state holds what its first line captured (`EOF`, then `END`).
        let code = "cat <<EOF\nhello\nEOF\ncat <<END\nhello\nEOF\nEND\n";
        let expected = fresh(code, "bash");
        let again = std::thread::spawn(move || {
            highlight(code, "bash");
            highlight(code, "bash")
        })
        .join()
        .ok()
        .flatten();
        assert!(expected.is_some());
        assert_eq!(again, expected);
    }

    #[test]
    fn a_line_in_another_state_is_parsed_again() {
        // `let a = 1;` as code, then inside a block comment.
        let code = "let a = 1;\n/*\nlet a = 1;\n*/\n";
        let html = fresh(code, "js").unwrap_or_default();
        let alone = fresh("let a = 1;\n", "js").unwrap_or_default();
        let lines = balanced_lines(&html);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines.first(), balanced_lines(&alone).first());
        assert_ne!(lines[2], lines[0]);
        assert!(lines[2].contains("comment"), "{}", lines[2]);
        // The same lines in another language are not taken from JavaScript's.
        let sql = std::thread::spawn(|| {
            highlight("let a = 1;\n", "js");
            highlight("let a = 1;\n", "sql")
        })
        .join()
        .ok()
        .flatten();
        assert_eq!(sql, fresh("let a = 1;\n", "sql"));
    }

    #[test]
    fn remembers_lines_up_to_a_bound() {
        let Some(syntax) = find("json") else {
            panic!("no JSON syntax");
        };
        let state = State {
            parse: ParseState::new(syntax),
            scopes: ScopeStack::new(),
        };
        let mut lines = Lines::default();
        let html = "<span class=\"hl-x\">0</span>".repeat(10);
        let mut n = 0;
        while lines.bytes + 1000 < MAX_BYTES {
            lines.put(
                syntax,
                &format!("{n}\n"),
                state.clone(),
                &state,
                html.clone(),
                0,
            );
            n += 1;
        }
        assert_eq!(lines.count(), n);
        let before = lines.bytes;
        for m in n..n + 10 {
            lines.put(
                syntax,
                &format!("{m}\n"),
                state.clone(),
                &state,
                html.clone(),
                0,
            );
        }
        // Started again: at most the ten new lines are left.
        assert!(lines.count() <= 10, "{} lines", lines.count());
        assert!(lines.bytes < before);
        let long = "x".repeat(MAX_LINE + 1);
        lines.put(syntax, &long, state.clone(), &state, String::new(), 0);
        assert!(!lines.by_text.contains_key(long.as_str()));
        for _ in 0..2 * MAX_STATES {
            lines.put(syntax, "}\n", state.clone(), &state, String::new(), 0);
        }
        assert_eq!(lines.by_text.get("}\n").map(Vec::len), Some(MAX_STATES));
    }

    #[test]
    fn lines_are_balanced() {
        let lines =
            balanced_lines("<span class=\"a\">one\n<span class=\"b\">two</span>\nthree</span>\n");
        assert_eq!(
            lines,
            [
                "<span class=\"a\">one</span>",
                "<span class=\"a\"><span class=\"b\">two</span></span>",
                "<span class=\"a\">three</span>",
            ]
        );
        assert_eq!(balanced_lines("a\nb\n"), ["a", "b"]);
    }

    #[test]
    fn stylesheet_has_both_themes() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
