//! Page templates (tera 2), compiled once per build; errors point into the template file.

use serde::Serialize;

use crate::error::{Error, Result, SourceError, SourceErrorKind};
use crate::theme::Theme;

#[derive(Debug)]
pub struct Templates {
    tera: tera::Tera,
    /// The templates that are the ones tolk ships. The pages of `page.html` on `base.html`,
    /// `status-segments.html`, `status.html` and `sitemap.xml` are then written without tera,
    /// with [`Html`].
    built_in: Vec<String>,
    /// (template name, shown path, source) for error positions.
    sources: Vec<(String, String, String)>,
}

/// What a rendered article page is given to start with: the bench corpus's pages are 9 to 14 KB.
const PAGE_CAPACITY: usize = 16 * 1024;

impl Templates {
    pub fn new(theme: &Theme) -> Result<Templates> {
        let mut tera = tera::Tera::new();
        let mut sources = Vec::new();
        for (name, file) in theme.templates() {
            let text = String::from_utf8_lossy(&file.bytes).into_owned();
            sources.push((name.to_owned(), file.shown.clone(), text));
        }
        let mut templates = Templates {
            tera: tera::Tera::new(),
            built_in: theme
                .templates()
                .filter(|(_, file)| file.built_in)
                .map(|(name, _)| name.to_owned())
                .collect(),
            sources,
        };
        let raw: Vec<(&str, &str)> = templates
            .sources
            .iter()
            .map(|(name, _, text)| (name.as_str(), text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(templates.error(&e));
        }
        templates.tera = tera;
        Ok(templates)
    }

    /// Whether template `name` (`page.html`) is the one tolk ships.
    pub fn is_built_in(&self, name: &str) -> bool {
        self.built_in.iter().any(|n| n == name)
    }

    /// Renders template `name` with `context`. Pages come as bytes, to be written: made into a
    /// `String`, every page was checked for UTF-8 once more (1.6% of a build's instructions on
    /// the bench corpus).
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<Vec<u8>> {
        let mut variables = tera::Context::new();
        self.add_fields(&mut variables, context)?;
        self.render_context(name, &variables)
    }

    /// Renders template `name` with `context` and `key` set to `value`: a value many pages
    /// share, converted once (tera's values are reference-counted, so this copies nothing).
    pub fn render_with<T: Serialize>(
        &self,
        name: &str,
        context: &T,
        key: &'static str,
        value: &tera::Value,
    ) -> Result<Vec<u8>> {
        let mut variables = tera::Context::new();
        self.add_fields(&mut variables, context)?;
        self.render_context_with(name, variables, key, value)
    }

    /// [`Templates::render_with`] of a context in two structs, `common`'s fields beside
    /// `page`'s: what `#[serde(flatten)]` does, without making a string of every field's name.
    pub fn render_page<C: Serialize, P: Serialize>(
        &self,
        name: &str,
        common: &C,
        page: &P,
        key: &'static str,
        value: &tera::Value,
    ) -> Result<Vec<u8>> {
        let mut variables = tera::Context::new();
        self.add_fields(&mut variables, common)?;
        self.add_fields(&mut variables, page)?;
        self.render_context_with(name, variables, key, value)
    }

    fn render_context_with(
        &self,
        name: &str,
        mut variables: tera::Context,
        key: &'static str,
        value: &tera::Value,
    ) -> Result<Vec<u8>> {
        variables.insert_value(key, value.clone());
        self.render_context(name, &variables)
    }

    /// Adds the fields of the struct `context` to `variables` under the fields' own static
    /// names: `tera::Context::from_serialize` makes a string of each name, on every page.
    fn add_fields<T: Serialize>(&self, variables: &mut tera::Context, context: &T) -> Result<()> {
        let value = tera::Value::try_from_serializable(context).map_err(|e| self.error(&e))?;
        let Some(fields) = value.into_map() else {
            return Err(Error::setup(
                "a template's variables must come from a struct or a map".to_owned(),
                "this is a bug in tolk; please report it",
            ));
        };
        for (key, value) in fields {
            match key {
                tera::value::Key::Str(name) => variables.insert_value(name, value),
                other => variables.insert_value(other.to_string(), value),
            }
        }
        Ok(())
    }

    fn render_context(&self, name: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let mut page = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|e| self.error(&e))?;
        Ok(page)
    }

    fn error(&self, e: &tera::Error) -> Error {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        if let Some(report) = report {
            if let Some((_, shown, text)) =
                self.sources.iter().find(|(n, _, _)| n == report.filename())
            {
                return SourceError::new(
                    SourceErrorKind::Template,
                    shown,
                    text,
                    report.span().range.clone(),
                    report.message().to_owned(),
                )
                .with_help("see https://keats.github.io/tera/ for the template syntax")
                .into();
            }
        }
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(inner) = source {
            message.push_str(": ");
            message.push_str(&inner.to_string());
            source = inner.source();
        }
        Error::setup(
            format!("template error: {message}"),
            "check the templates/ folder of the site",
        )
    }
}

/// A page of a built-in template written without tera, in the template's order: markup as
/// it is, text escaped as tera escapes it.
#[derive(Debug)]
pub struct Html(String);

impl Html {
    pub fn with_capacity(capacity: usize) -> Html {
        Html(String::with_capacity(capacity))
    }

    /// Markup, or HTML made earlier (what a template marks `safe`).
    pub fn raw(&mut self, html: &str) {
        self.0.push_str(html);
    }

    /// Markup that `write` writes in place (a long run of it, without a copy).
    pub fn raw_with(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.0);
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) {
        crate::markdown::escape::push_html_escaped(&mut self.0, text);
    }

    /// A number, as tera writes it.
    pub fn number(&mut self, n: usize) {
        self.0.push_str(itoa::Buffer::new().format(n));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_names_template_line_and_column() {
        let theme = Theme::from_files(
            vec![("templates/page.html".into(), "<p>\n{{ title }\n</p>".into())],
            vec![],
        );
        let err = Templates::new(&theme)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("templates/page.html:2:"), "{err}");
    }

    #[test]
    fn renders_with_autoescape() -> Result<()> {
        let theme = Theme::from_files(
            vec![(
                "templates/page.html".into(),
                "<b>{{ x }}</b>{{ y | safe }}".into(),
            )],
            vec![],
        );
        let templates = Templates::new(&theme)?;
        #[derive(Serialize)]
        struct Ctx {
            x: &'static str,
            y: &'static str,
        }
        let html = templates.render("page.html", &Ctx { x: "<i>", y: "<i>" })?;
        assert_eq!(html, b"<b>&lt;i&gt;</b><i>");
        Ok(())
    }
}
