//! Errors meant for people.
//!
//! Every error caused by input names the file, line and column, says what is wrong and how to
//! fix it. The position ([`Location`]) is kept apart from what went wrong ([`SourceError`]), so
//! the same location type serves config files, front matter, markdown and templates.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

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
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
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
    /// The whole file, so the report can show the offending line.
    source: CharColumns,
    span: (usize, usize),
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
        SourceError {
            kind,
            location: Location::from_offset(path, text, start),
            message: message.into(),
            help: None,
            source: CharColumns(NamedSource::new(path, text.to_owned()).with_language("yaml")),
            span: (start, end - start),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The file of a [`SourceError`] as miette reads it, but with the column of a span counted in
/// characters, as [`Location`] counts it (miette counts bytes): the message and the snippet's
/// header then name the same column.
#[derive(Debug)]
struct CharColumns(NamedSource<String>);

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> std::result::Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.0.read_span(span, before, after)?;
        if contents.column() == 0 {
            return Ok(contents);
        }
        let text = self.0.inner();
        let start = floor_char_boundary(text, span.offset().min(text.len()));
        let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count();
        let fixed = miette::MietteSpanContents::new_named(
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

impl Error {
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
    fn location_counts_lines_and_characters() {
        let text = "ab\nçé x\n";
        assert_eq!(Location::from_offset("f", text, 0).to_string(), "f:1:1");
        let x = text.find('x').unwrap_or_default();
        assert_eq!(Location::from_offset("f", text, x).to_string(), "f:2:4");
        assert_eq!(Location::from_offset("f", text, 999).to_string(), "f:3:1");
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
