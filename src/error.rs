//! Errors meant for people.
//!
//! Every error caused by input names the file, line and column, says what is wrong and how to
//! fix it. The position ([`Location`]) is kept apart from what went wrong ([`SourceError`]), so
//! the same location type serves config files, front matter, markdown and templates.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan,
    SpanContents,
};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A position in a file, as people count: lines and columns start at 1, columns count characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The path as it should be shown (relative to the site root when possible).
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `text`. Offsets past the end point at the end.
    pub fn from_offset(path: impl Into<String>, text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        // memchr's vector search from line end to line end (`matches` is the standard
        // library's, a word at a time).
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
        let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location {
            path: path.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// The line ends of one text, found once, for placing many offsets in it: an article can
/// have dozens of findings, and counting lines from the start for each is quadratic.
#[derive(Debug, Clone)]
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', text.as_bytes()).collect(),
        }
    }

    /// The 1-based line and column (in characters) of byte `offset` in `text`, the text this
    /// index was made from: the same place as [`Location::from_offset`].
    pub fn place(&self, text: &str, offset: usize) -> (usize, usize) {
        let end = floor_char_boundary(text, offset.min(text.len()));
        let line = self.newlines.partition_point(|&n| n < end);
        let line_start = line.checked_sub(1).map_or(0, |l| self.newlines[l] + 1);
        (line + 1, text[line_start..end].chars().count() + 1)
    }
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`, clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[offset..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let within = rest[..line_len]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_len, |(i, _)| i);
    offset + within
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// What kind of input was wrong; shown as the diagnostic code (`tolk::front-matter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceErrorKind {
    Config,
    FrontMatter,
    Template,
    UiStrings,
    Include,
    Content,
}

impl SourceErrorKind {
    fn code(self) -> &'static str {
        match self {
            SourceErrorKind::Config => "tolk::config",
            SourceErrorKind::FrontMatter => "tolk::front-matter",
            SourceErrorKind::Template => "tolk::template",
            SourceErrorKind::UiStrings => "tolk::ui-strings",
            SourceErrorKind::Include => "tolk::include",
            SourceErrorKind::Content => "tolk::content",
        }
    }
}

/// A mistake at a known place in an input file.
#[derive(Debug)]
pub struct SourceError {
    pub kind: SourceErrorKind,
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The file, or a window of its offending line, so the report can show it.
    source: Excerpt,
    span: (usize, usize),
}

/// Lines longer than this many bytes are shown as a window around the error.
const LONG_LINE: usize = 400;
/// How much of a long line is shown before the error's start and after it.
const WINDOW_BEFORE: usize = 80;
const WINDOW_AFTER: usize = 160;

/// What a report shows of the file: the whole file when the lines around the error are short
/// (miette picks the context lines), else a window of the error's line only: a line of a
/// megabyte is never echoed, and miette's renderer never sees a column past 65,535.
#[derive(Debug)]
pub enum Excerpt {
    Whole(NamedSource<std::sync::Arc<str>>),
    Window {
        name: String,
        text: String,
        /// Where `text` starts in the file: byte, 0-based line and column.
        offset: usize,
        line: usize,
        column: usize,
    },
}

impl Excerpt {
    /// What to show of `text`, the file shown as `path`, for an error at `span` (byte offset
    /// and length), which is clamped to the text and clipped to what is shown.
    /// `line` and `column` (1-based, in characters) are where `span` starts, as the caller
    /// already knows them: only a few hundred bytes around the span are looked at, so a file
    /// with thousands of errors on one long line takes linear time.
    pub fn new(
        path: &str,
        text: std::sync::Arc<str>,
        span: &mut (usize, usize),
        line: usize,
        column: usize,
    ) -> Excerpt {
        let start = floor_char_boundary(&text, span.0.min(text.len()));
        let len = span.1.min(text.len() - start);
        *span = (start, len);
        // The line of the span and one line each side (miette shows them as context), each at
        // most LONG_LINE bytes: found within a bounded reach of the span.
        let reach = 2 * LONG_LINE + 2;
        let back_from = floor_char_boundary(&text, start.saturating_sub(reach));
        let back = &text[back_from..start];
        let mut breaks_before = back.rmatch_indices('\n').map(|(i, _)| back_from + i);
        let line_start = breaks_before.next().map(|i| i + 1);
        let previous_start = breaks_before.next().map(|i| i + 1);
        let ahead_to = floor_char_boundary(&text, (start + reach).min(text.len()));
        let ahead = &text[start..ahead_to];
        let mut breaks_after = ahead.match_indices('\n').map(|(i, _)| start + i);
        let line_end = breaks_after.next();
        let next_end = breaks_after.next();
        let short = |from: Option<usize>, to: Option<usize>| match (from, to) {
            (Some(from), Some(to)) => to - from <= LONG_LINE,
            _ => false,
        };
        let line_start_or_0 = line_start.or((back_from == 0).then_some(0));
        let line_end_or_len = line_end.or((ahead_to == text.len()).then_some(text.len()));
        let whole_line_short = short(line_start_or_0, line_end_or_len);
        let previous_short = match line_start {
            None => true,
            Some(_) => short(
                previous_start.or((back_from == 0).then_some(0)),
                line_start.map(|s| s - 1),
            ),
        };
        let next_short = match line_end {
            None => true,
            Some(end) => short(
                Some(end + 1),
                next_end.or((ahead_to == text.len()).then_some(text.len())),
            ),
        };
        if whole_line_short && previous_short && next_short {
            return Excerpt::Whole(NamedSource::new(path, text).with_language("yaml"));
        }
        let line_start = line_start_or_0.unwrap_or(back_from);
        let line_end = line_end_or_len.unwrap_or(ahead_to);
        let from = floor_char_boundary(&text, start.saturating_sub(WINDOW_BEFORE).max(line_start));
        let to = floor_char_boundary(&text, (start + WINDOW_AFTER).min(line_end));
        let end = (start + len).clamp(start, to);
        *span = (start, end - start);
        Excerpt::Window {
            name: path.to_owned(),
            text: text[from..to].to_owned(),
            offset: from,
            line: line.saturating_sub(1),
            column: column
                .saturating_sub(1)
                .saturating_sub(text[from..start].chars().count()),
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        match self {
            Excerpt::Whole(source) => {
                // miette counts the column in bytes; tolk's messages count characters.
                let contents = source.read_span(span, before, after)?;
                if contents.column() == 0 {
                    return Ok(contents);
                }
                let text: &str = source.inner();
                let start = floor_char_boundary(text, span.offset().min(text.len()));
                let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let column = text[line_start..start].chars().count();
                let fixed = MietteSpanContents::new_named(
                    contents.name().unwrap_or_default().to_owned(),
                    contents.data(),
                    *contents.span(),
                    contents.line(),
                    column,
                    contents.line_count(),
                );
                Ok(Box::new(match contents.language() {
                    Some(language) => fixed.with_language(language),
                    None => fixed,
                }))
            }
            Excerpt::Window {
                name,
                text,
                offset,
                line,
                column,
            } => {
                // Without context (miette's header asks so), the contents start at the span,
                // so the header names the error's own column; with context, the window.
                let skip = if before == 0 && after == 0 {
                    floor_char_boundary(text, span.offset().saturating_sub(*offset).min(text.len()))
                } else {
                    0
                };
                let data = &text[skip..];
                Ok(Box::new(MietteSpanContents::new_named(
                    name.clone(),
                    data.as_bytes(),
                    SourceSpan::new((offset + skip).into(), data.len()),
                    *line,
                    column + text[..skip].chars().count(),
                    1,
                )))
            }
        }
    }
}

impl SourceError {
    /// An error at byte range `start..end` of `text`, the content of the file shown as `path`.
    pub fn new(
        kind: SourceErrorKind,
        path: &str,
        text: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let mut span = (start, end - start);
        let location = Location::from_offset(path, text, start);
        let source = Excerpt::new(
            path,
            std::sync::Arc::from(text),
            &mut span,
            location.line,
            location.column,
        );
        SourceError {
            kind,
            location,
            message: clip_message(message.into()),
            help: None,
            source,
            span,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A message that quotes the input (a YAML parser's, a template engine's) is cut after a few
/// hundred characters.
fn clip_message(message: String) -> String {
    const MAX: usize = 600;
    if message.len() <= MAX {
        return message;
    }
    let cut = floor_char_boundary(&message, MAX);
    format!("{}…", &message[..cut])
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for SourceError {}

impl Diagnostic for SourceError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".to_owned()), self.span),
        )))
    }
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(Box<SourceError>),

    #[error("cannot {action} {}: {source}", path.display())]
    #[diagnostic(code(tolk::io))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{message}")]
    #[diagnostic(code(tolk::setup))]
    Setup {
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("refusing to write the site to {}: {reason}", out.display())]
    #[diagnostic(
        code(tolk::output),
        help("choose an output folder of its own, e.g. `--out public`; it is replaced on every build")
    )]
    OutputDir { out: PathBuf, reason: String },

    #[error("{} errors; nothing was written", errors.len())]
    #[diagnostic(code(tolk::build))]
    Many {
        #[related]
        errors: Vec<Error>,
    },
}

/// What a command does, which decides what its errors exit with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// `build`, `serve`, `new`, `init`: exit code 1 says nothing was made.
    Makes,
    /// `check`, `status`: exit code 1 says the site has errors, so a check that could not run
    /// exits with 2.
    Inspects,
}

impl Error {
    /// The exit code of a command of `kind` that stopped with this error: the one place that
    /// decides it (the table "Errors and exit codes" in the README). Usage errors exit with 2
    /// before any command runs.
    pub fn exit_code(&self, kind: CommandKind) -> u8 {
        match kind {
            CommandKind::Makes => 1,
            CommandKind::Inspects => 2,
        }
    }

    /// Wraps an I/O failure with the action and the path, so the message names the file.
    pub fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.to_owned();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }

    pub fn setup(message: impl Into<String>, help: impl Into<String>) -> Error {
        Error::Setup {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// One error stays itself; several become [`Error::Many`].
    pub fn from_many(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::Many { errors }),
        }
    }
}

impl From<SourceError> for Error {
    fn from(e: SourceError) -> Self {
        Error::Source(Box::new(e))
    }
}

/// A problem worth telling the user about that does not stop the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Option<Location>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_places_offsets_as_location_does() {
        for text in [
            "",
            "a",
            "\n",
            "één\ntwee\r\ndrie",
            "x\n\n€ y\n",
            "no newline at all",
        ] {
            let lines = LineIndex::new(text);
            // Every offset, past the end and inside multi-byte characters included.
            for offset in 0..=text.len() + 2 {
                let expected = Location::from_offset("", text, offset);
                assert_eq!(
                    lines.place(text, offset),
                    (expected.line, expected.column),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn errors_of_inspecting_commands_exit_with_2() {
        let error = Error::setup("no content folder", "create it");
        assert_eq!(error.exit_code(CommandKind::Makes), 1);
        assert_eq!(error.exit_code(CommandKind::Inspects), 2);
        let many = Error::from_many(vec![error, Error::setup("x", "y")]).expect("two errors");
        assert_eq!(many.exit_code(CommandKind::Inspects), 2);
    }

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "ab\nçé x\n";
        assert_eq!(Location::from_offset("f", text, 0).to_string(), "f:1:1");
        let x = text.find('x').unwrap_or_default();
        assert_eq!(Location::from_offset("f", text, x).to_string(), "f:2:4");
        assert_eq!(Location::from_offset("f", text, 999).to_string(), "f:3:1");
    }

    #[test]
    fn errors_on_long_lines_show_a_window() {
        let text = format!(
            "title: x\ndescription: {}: c\nend: y\n",
            "z".repeat(100_000)
        );
        let at = text.find(": c").unwrap_or_default();
        let error = SourceError::new(
            SourceErrorKind::FrontMatter,
            "a.md",
            &text,
            at..at + 1,
            "bad",
        );
        assert_eq!(error.to_string(), "a.md:2:100014: bad");
        let mut shown = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let _ = handler.render_report(&mut shown, &error);
        assert!(shown.contains("zzz: c"), "{shown}");
        assert!(shown.contains("[a.md:2:100014]"), "{shown}");
        assert!(shown.len() < 2_000, "{} bytes: {shown}", shown.len());
        // Short lines keep the whole file, with context.
        let error = SourceError::new(
            SourceErrorKind::FrontMatter,
            "a.md",
            "a: 1\nb: 2\nc: 3\n",
            5..6,
            "bad",
        );
        let mut shown = String::new();
        let _ = handler.render_report(&mut shown, &error);
        assert!(shown.contains("a: 1") && shown.contains("c: 3"), "{shown}");
    }

    #[test]
    fn offset_of_inverts_location() {
        let text = "ab\nçé x\nlast";
        for offset in [0, 3, text.find('x').unwrap_or_default(), text.len()] {
            let loc = Location::from_offset("f", text, offset);
            assert_eq!(offset_of(text, loc.line, loc.column), offset);
        }
    }
}
