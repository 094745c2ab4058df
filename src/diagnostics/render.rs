//! Rendering diagnostics: miette's graphical report for people, and two
//! machine forms (`short`: one `FILE:LINE:COL: severity: message` line;
//! `json`: one object per line) for editors and other tools.
//!
//! Secrets: the source shown in a report is redacted first. Every span the
//! checker marked as a secret literal has its characters replaced by `*`,
//! byte for byte, so all other spans still point at the right place.

use super::snippet::{self, Shown, Snippet};
use super::{Code, Diagnostic, Severity};
use crate::source::SourceMap;
use crate::syntax::span::{FileId, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The source files as diagnostics may show them.
pub struct Sources {
    named: BTreeMap<FileId, Arc<Shown>>,
    map: SourceMap,
}

impl Sources {
    /// Redacts `secrets` (spans of secret literals) in a copy of each file.
    pub fn new(map: &SourceMap, secrets: &[Span]) -> Sources {
        let mut named = BTreeMap::new();
        for (id, file) in map.files() {
            let mut text = file.text.to_string();
            for span in secrets.iter().filter(|s| s.file == id) {
                redact(&mut text, *span);
            }
            named.insert(id, Arc::new(Shown::new(file.name.clone(), text)));
        }
        Sources {
            named,
            map: map.clone(),
        }
    }

    fn name(&self, file: FileId) -> &str {
        &self.map.get(file).name
    }

    fn line_col(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        let file = self.map.get(span.file);
        (file.line_col(span.start), file.line_col(span.end))
    }
}

/// Masks a span byte for byte, keeping line breaks so lines stay lines.
fn redact(text: &mut String, span: Span) {
    let Some(secret) = text.get(span.range()) else {
        return;
    };
    let masked: String = secret
        .chars()
        .flat_map(|c| {
            let (mask, count) = if c == '\n' || c == '\r' {
                (c, 1)
            } else {
                ('*', c.len_utf8())
            };
            std::iter::repeat_n(mask, count)
        })
        .collect();
    text.replace_range(span.range(), &masked);
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// miette's report, with colour or without, at a fixed width.
    Human {
        color: bool,
        width: usize,
    },
    Short,
    Json,
}

pub fn render(diagnostic: &Diagnostic, sources: &Sources, style: Style) -> String {
    match style {
        Style::Human { color, width } => human(diagnostic, sources, color, width),
        Style::Short => short(diagnostic, sources),
        Style::Json => json(diagnostic, sources),
    }
}

/// The closing lines for people: the count of problems (`action` is what
/// they stopped, e.g. "compile"), and where to read more about a code, as
/// rustc does.
pub fn summary(diagnostics: &[Diagnostic], action: &str) -> Option<String> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let count = match (errors, warnings) {
        (0, 0) => return None,
        (0, w) => format!("warning: {} emitted", plural(w, "warning")),
        (e, 0) => format!("error: could not {action}: {}", plural(e, "error")),
        (e, w) => format!(
            "error: could not {action}: {} and {}",
            plural(e, "error"),
            plural(w, "warning")
        ),
    };
    let first = diagnostics
        .iter()
        .find(|d| d.is_error())
        .or(diagnostics.first())?;
    Some(format!(
        "{count}\nFor more on a code, run `poolc explain {}`.",
        first.code
    ))
}

fn short(d: &Diagnostic, sources: &Sources) -> String {
    let ((line, column), _) = sources.line_col(d.primary.span);
    format!(
        "{}:{}:{}: {}: {} [{}]",
        sources.name(d.primary.span.file),
        line,
        column,
        d.severity.as_str(),
        d.message,
        d.code
    )
}

fn json(d: &Diagnostic, sources: &Sources) -> String {
    let label = |l: &super::Label| {
        let ((line, column), (end_line, end_column)) = sources.line_col(l.span);
        serde_json::json!({
            "file": sources.name(l.span.file),
            "start": l.span.start,
            "end": l.span.end,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "text": l.text,
        })
    };
    let mut labels = vec![label(&d.primary)];
    labels.extend(d.secondary.iter().map(label));
    let value = serde_json::json!({
        "file": sources.name(d.primary.span.file),
        "severity": d.severity.as_str(),
        "code": d.code.to_string(),
        "message": d.message,
        "span": labels[0].clone(),
        "labels": labels,
        "help": d.help,
    });
    value.to_string()
}

fn human(d: &Diagnostic, sources: &Sources, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
    let report = Report::new(d, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String cannot fail; if it ever does, the short
        // form still says what is wrong.
        return short(d, sources);
    }
    out
}

/// A diagnostic as miette sees it: the primary file's labels, with labels
/// in other files as related reports.
#[derive(Debug)]
struct Report {
    message: String,
    code: Option<Code>,
    severity: miette::Severity,
    help: Option<String>,
    source: Snippet,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(d: &Diagnostic, sources: &Sources) -> Report {
        let file = d.primary.span.file;
        let (here, elsewhere): (Vec<_>, Vec<_>) =
            d.secondary.iter().partition(|l| l.span.file == file);
        let (source, labels) = labelled(sources, file, std::iter::once(&d.primary).chain(here));
        let related = elsewhere
            .into_iter()
            .map(|l| {
                let (source, labels) = labelled(sources, l.span.file, [l]);
                Report {
                    message: l.text.clone(),
                    code: None,
                    severity: miette::Severity::Advice,
                    help: None,
                    source,
                    labels,
                    related: Vec::new(),
                }
            })
            .collect();
        Report {
            message: d.message.clone(),
            code: Some(d.code),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help: d.help.clone(),
            source,
            labels,
            related,
        }
    }
}

/// The lines of `file` to draw labels from (see [`snippet`]), and the
/// labels, the first primary.
fn labelled<'l>(
    sources: &Sources,
    file: FileId,
    labels: impl IntoIterator<Item = &'l super::Label>,
) -> (Snippet, Vec<LabeledSpan>) {
    let labels: Vec<&super::Label> = labels.into_iter().collect();
    let ranges = labels.iter().map(|l| l.span.range()).collect();
    let (source, ranges) = snippet::snippet(&sources.named[&file], ranges);
    let labeled = labels
        .iter()
        .zip(ranges)
        .enumerate()
        .map(|(i, (l, range))| {
            let text = Some(l.text.clone()).filter(|t| !t.is_empty());
            if i == 0 {
                LabeledSpan::new_primary_with_span(text, range)
            } else {
                LabeledSpan::new_with_span(text, range)
            }
        })
        .collect();
    (source, labeled)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{NameProblem, ShapeProblem};

    fn sources(text: &str, secrets: &[Span]) -> Sources {
        let mut map = SourceMap::default();
        map.add("site.pool".into(), "site.pool".into(), text.into());
        Sources::new(&map, secrets)
    }

    #[test]
    fn secret_literals_are_masked_in_reports() {
        let text = "let t = \"s3cr3t-token\"\nlet x = nope\n";
        let secret = Span::new(FileId(0), 9, 21);
        let src = sources(text, &[secret]);
        let d: Diagnostic = NameProblem::UndefinedName {
            span: Span::new(FileId(0), 31, 35),
            name: "nope".into(),
            suggestion: None,
        }
        .into();
        // A wide label window shows the line with the secret on it.
        let out = human(&d, &src, false, 80);
        assert!(!out.contains("s3cr3t"), "{out}");
        assert!(out.contains("************"), "{out}");
    }

    #[test]
    fn masking_keeps_line_breaks_and_byte_offsets() {
        let mut text = String::from("a = <<EOT\nsécret\nline\nEOT\n");
        let start = text.find("sécret").unwrap();
        let end = text.rfind("EOT\n").unwrap();
        redact(&mut text, Span::new(FileId(0), start, end));
        assert_eq!(text, "a = <<EOT\n*******\n****\nEOT\n");
    }

    #[test]
    fn short_form_is_one_line_with_position() {
        let src = sources("pool \"a\" {\n  replicaz = 1\n}\n", &[]);
        let d: Diagnostic = ShapeProblem::UnknownAttribute {
            span: Span::new(FileId(0), 13, 21),
            name: "replicaz".into(),
            context: "a pool".into(),
            suggestion: Some("replicas".into()),
            known: vec![],
        }
        .into();
        assert_eq!(
            short(&d, &src),
            "site.pool:2:3: error: unknown attribute `replicaz` in a pool [pool::E0301]"
        );
    }

    #[test]
    fn json_form_has_positions_and_code() {
        let src = sources("pool \"a\" {\n  replicaz = 1\n}\n", &[]);
        let d: Diagnostic = ShapeProblem::TypeMismatch {
            span: Span::new(FileId(0), 24, 25),
            expected: "a string".into(),
            found: "a number",
        }
        .into();
        let v: serde_json::Value = serde_json::from_str(&json(&d, &src)).unwrap();
        assert_eq!(v["code"], "pool::E0303");
        assert_eq!(v["span"]["line"], 2);
        assert_eq!(v["span"]["column"], 14);
        assert_eq!(v["severity"], "error");
    }
}
