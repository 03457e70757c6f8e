//! Build-time syntax highlighting with syntect: CSS classes in the HTML, one stylesheet with a
//! light and a dark theme, loaded once per process. syntect runs on Oniguruma: the same HTML as
//! with fancy-regex (compared on the shared bench corpus), a quarter less build time.
//!
//! Highlighted lines are remembered ([`Lines`]): a line read in the same state as before gives
//! the same HTML and leaves the same state, so it is not parsed again. Translations of a code
//! block differ in a comment or a string and share their other lines, and articles share
//! boilerplate (`s.t();`, `}`): building the Adobe Analytics docs, about 600 of the 2,065 lines
//! of distinct code blocks are found, and about 24,700 of 36,881 on the bench corpus at
//! 10,000 x 3 (which thread sees which line first varies from run to run).

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use std::sync::{Arc, LazyLock};

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
pub fn highlight(code: &str, lang: &str) -> Option<Arc<str>> {
    let syntax = find(&lang.to_ascii_lowercase())?;
    // What syntect's `ClassedHTMLGenerator` does, with each line looked up first.
    let mut state = LINES.with_borrow_mut(|lines| lines.start(syntax));
    let mut open_spans = 0isize;
    let mut html = String::with_capacity(code.len() * 4);
    // The lines parsed here, remembered once the block's HTML, which they point into, is made;
    // until then, a line that comes again in the block is found among them (by its text).
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut in_block: HashMap<&str, Vec<usize>> = HashMap::default();
    for line in LinesWithEndings::from(code) {
        let known = LINES
            .with_borrow(|lines| lines.get(syntax, &state, line, &mut html))
            .or_else(|| {
                let (_, _, after, at, delta) = in_block
                    .get(line)?
                    .iter()
                    .map(|&i| &parsed[i])
                    .find(|(_, before, ..)| same(before, &state))?;
                html.extend_from_within(at.clone());
                Some((after.clone(), *delta))
            });
        let delta = match known {
            Some((after, delta)) => {
                if let Some(after) = after {
                    state = after;
                }
                delta
            }
            None => {
                let mut next = State::clone(&state);
                let ops = next.parse.parse_line(line, &SYNTAXES).ok()?;
                let (spans, delta) =
                    line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut next.scopes).ok()?;
                let at = html.len();
                html.push_str(&spans);
                let after = (next != *state).then(|| Rc::new(next));
                if line.len() <= MAX_LINE {
                    in_block.entry(line).or_default().push(parsed.len());
                    let before = Rc::clone(&state);
                    parsed.push((line, before, after.clone(), at..html.len(), delta));
                }
                if let Some(after) = after {
                    state = after;
                }
                delta
            }
        };
        open_spans += delta;
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    let html: Arc<str> = html.into();
    if !parsed.is_empty() {
        LINES.with_borrow_mut(|lines| lines.put(syntax, &html, parsed));
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

/// Whether two states are the same; a state the lines share is found without comparing.
fn same(a: &Rc<State>, b: &Rc<State>) -> bool {
    Rc::ptr_eq(a, b) || a == b
}

/// A line highlighted before: in which state, to what HTML and state. The states are shared:
/// a line's state before is the one the line above left, or the start of its syntax.
#[derive(Debug)]
struct Line {
    syntax: &'static SyntaxReference,
    before: Rc<State>,
    /// `None`: the same as before (most lines of code leave the state as they found it).
    after: Option<Rc<State>>,
    /// The HTML of the block the line was first highlighted in (which the build's cache of
    /// blocks holds too), and where the line's is in it: the spans of a line of code are
    /// 20 times as long as the line, and would otherwise be kept twice.
    block: Arc<str>,
    html: Range<usize>,
    /// Spans opened less spans closed.
    delta: isize,
}

/// A line parsed in a block: its text, the states before and after it (if it changed), where
/// its HTML is in the block's, and its spans' delta.
type Parsed<'a> = (&'a str, Rc<State>, Option<Rc<State>>, Range<usize>, isize);

/// The lines highlighted so far, by their text (with its newline).
#[derive(Debug, Default)]
struct Lines {
    by_text: HashMap<Box<str>, Vec<Line>>,
    /// The state each syntax starts in.
    starts: Vec<(&'static SyntaxReference, Rc<State>)>,
    /// About the memory they take: each line's text and the state after it, if new, and the
    /// HTML of each block they point into.
    bytes: usize,
}

/// A thread remembers lines up to about this much memory, the HTML of the blocks they point
/// into included; past it, it starts again. At 10,000 x 3, the bench corpus's two threads start
/// again once each, and the build's peak memory moved by less than its noise (5 MiB).
const MAX_BYTES: usize = 8 << 20;
/// Longer lines (minified scripts, data) are not remembered: they seldom come again, and would
/// take the room of many short ones.
const MAX_LINE: usize = 1024;
/// A line (`}`) can close many states; only so many are remembered for it.
const MAX_STATES: usize = 8;
/// About the memory of a state, and of a line's slot in the table.
const STATE_BYTES: usize = 128;
const SLOT_BYTES: usize = 96;

impl Lines {
    /// How many lines are remembered, in all their states.
    #[cfg(test)]
    fn count(&self) -> usize {
        self.by_text.values().map(Vec::len).sum()
    }

    /// The state `syntax` starts in.
    fn start(&mut self, syntax: &'static SyntaxReference) -> Rc<State> {
        if let Some((_, state)) = self.starts.iter().find(|(s, _)| std::ptr::eq(*s, syntax)) {
            return Rc::clone(state);
        }
        let state = Rc::new(State {
            parse: ParseState::new(syntax),
            scopes: ScopeStack::new(),
        });
        self.starts.push((syntax, Rc::clone(&state)));
        state
    }

    /// Appends to `html` the HTML of `line` read in `state`, if it is known, and returns the
    /// state after it (`None`: unchanged) and its spans' delta.
    fn get(
        &self,
        syntax: &SyntaxReference,
        state: &Rc<State>,
        line: &str,
        html: &mut String,
    ) -> Option<(Option<Rc<State>>, isize)> {
        let known = self
            .by_text
            .get(line)?
            .iter()
            .find(|known| std::ptr::eq(known.syntax, syntax) && same(&known.before, state))?;
        html.push_str(known.block.get(known.html.clone()).unwrap_or_default());
        Some((known.after.clone(), known.delta))
    }

    /// Remembers the lines `parsed` in the block whose HTML is `block`.
    fn put(&mut self, syntax: &'static SyntaxReference, block: &Arc<str>, parsed: Vec<Parsed>) {
        let weight: usize = block.len()
            + parsed
                .iter()
                .map(|(line, _, after, _, _)| {
                    line.len() + SLOT_BYTES + STATE_BYTES * usize::from(after.is_some())
                })
                .sum::<usize>();
        if weight > MAX_BYTES / 8 {
            return;
        }
        if self.bytes + weight > MAX_BYTES {
            self.by_text.clear();
            self.bytes = 0;
        }
        self.bytes += weight;
        for (line, before, after, html, delta) in parsed {
            let known = Line {
                syntax,
                before,
                after,
                block: Arc::clone(block),
                html,
                delta,
            };
            match self.by_text.get_mut(line) {
                Some(states) if states.len() >= MAX_STATES => {}
                Some(states) => states.push(known),
                None => {
                    self.by_text.insert(line.into(), vec![known]);
                }
            }
        }
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
    fn fresh(code: &'static str, lang: &'static str) -> Option<Arc<str>> {
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

    /// What syntect's own generator makes of the code, line by line with nothing remembered.
    fn reference(code: &str, lang: &str) -> Option<String> {
        use syntect::html::ClassedHTMLGenerator;
        let syntax = find(lang)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }

    #[test]
    fn the_html_is_syntects_own() {
        let blocks = [
            (
                "json",
                "{\n  \"a\": 1,\n  \"a\": 1,\n  \"b\": [\n    1,\n    1\n  ]\n}\n",
            ),
            (
                "js",
                "/*\nlet a = 1;\n*/\nlet a = 1;\nlet a = 1;\n// done\n",
            ),
            ("js", "var s = `\nline\nline\n`;\nline\n"),
            ("bash", "cat <<EOF\nEOF\ncat <<END\nEOF\nEND\nEOF\n"),
            ("yaml", "a:\n  - 1\n  - 1\nb: |\n  - 1\n  - 1\n"),
            (
                "html",
                "<p>\n<script>\nlet a = 1;\n</script>\nlet a = 1;\n</p>",
            ),
        ];
        for (lang, code) in blocks {
            // Twice on one thread: the second time, every line is remembered.
            for _ in 0..2 {
                let html = highlight(code, lang).map(|html| html.to_string());
                assert!(html.is_some(), "{lang}");
                assert_eq!(html, reference(code, lang), "{lang}: {code}");
            }
        }
    }

    #[test]
    fn a_line_again_in_its_block_is_parsed_once() {
        let lines = std::thread::spawn(|| {
            highlight("{\n\"a\": 1,\n\"a\": 1,\n\"a\": 1,\n}\n", "json");
            remembered()
        })
        .join()
        .unwrap_or_default();
        // `{`, `"a": 1,` in the object, `}`.
        assert_eq!(lines, 3);
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
        let mut lines = Lines::default();
        let state = lines.start(syntax);
        let block: Arc<str> = "<span class=\"hl-x\">0</span>".repeat(10).into();
        fn parsed<'a>(text: &'a str, state: &Rc<State>, block: &str) -> Vec<Parsed<'a>> {
            vec![(text, Rc::clone(state), None, 0..block.len(), 0)]
        }
        let mut n = 0;
        while lines.bytes + 1000 < MAX_BYTES {
            lines.put(syntax, &block, parsed(&format!("{n}\n"), &state, &block));
            n += 1;
        }
        assert_eq!(lines.count(), n);
        let before = lines.bytes;
        for m in n..n + 10 {
            lines.put(syntax, &block, parsed(&format!("{m}\n"), &state, &block));
        }
        // Started again: at most the ten new lines are left.
        assert!(lines.count() <= 10, "{} lines", lines.count());
        assert!(lines.bytes < before);
        for _ in 0..2 * MAX_STATES {
            lines.put(syntax, &block, parsed("}\n", &state, &block));
        }
        assert_eq!(lines.by_text.get("}\n").map(Vec::len), Some(MAX_STATES));
        // A block too large for its lines to point into is not kept for them.
        let large: Arc<str> = "x".repeat(MAX_BYTES / 8).into();
        lines.put(
            syntax,
            &large,
            vec![("y\n", Rc::clone(&state), None, 0..1, 0)],
        );
        assert!(!lines.by_text.contains_key("y\n"));
    }

    #[test]
    fn long_lines_are_not_remembered() {
        let lines = std::thread::spawn(|| {
            let code = format!("{}\n2\n", "1".repeat(MAX_LINE + 1));
            highlight(&code, "json");
            remembered()
        })
        .join()
        .unwrap_or_default();
        assert_eq!(lines, 1);
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
