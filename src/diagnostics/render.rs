//! Rendering diagnostics: miette's graphical report for people, and two
//! machine forms (`short`: one `FILE:LINE:COL: severity: message ...` line;
//! `json`: one object per line) for editors and other tools.
//!
//! Secrets: the source shown in a report is masked first. Each span that
//! may hold a secret (see `crate::secrets`) is replaced by one fixed marker
//! whatever its length, and every label is mapped onto the masked text (a
//! label inside a secret points at its marker). The machine forms give
//! positions in the original file and no source text at all.

use super::snippet::{self, Shown, Snippet};
use super::{Code, Diagnostic, Severity};
use crate::secrets::Secrets;
use crate::secrets::mask::Masked;
use crate::source::SourceMap;
use crate::syntax::span::{FileId, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// The source files as diagnostics may show them. Each file is masked
/// when a report first shows it: a build with nothing to report, or with
/// reports in one file of many, copies no other file.
pub struct Sources {
    shown: BTreeMap<FileId, OnceLock<Arc<Shown>>>,
    map: SourceMap,
    secrets: Secrets,
}

impl Sources {
    /// The files of `map`, to be shown with `secrets` masked.
    pub fn new(map: &SourceMap, secrets: &Secrets) -> Sources {
        Sources {
            shown: map.files().map(|(id, _)| (id, OnceLock::new())).collect(),
            map: map.clone(),
            secrets: secrets.clone(),
        }
    }

    /// The masked copy of `file`.
    fn shown(&self, file: FileId) -> &Arc<Shown> {
        self.shown[&file].get_or_init(|| {
            let source = self.map.get(file);
            let masked = Masked::new(&source.text, self.secrets.masked_in(file));
            Arc::new(Shown::new(source.name.clone(), masked, source.text.clone()))
        })
    }

    /// Where `span` is in the masked text of its file.
    fn masked_range(&self, span: Span) -> std::ops::Range<usize> {
        let masked = self.shown(span.file).masked();
        let start = masked.start(span.start as usize);
        start..masked.end(span.end as usize).max(start)
    }

    fn name(&self, file: FileId) -> &str {
        &self.map.get(file).name
    }

    fn line_col(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        let file = self.map.get(span.file);
        (file.line_col(span.start), file.line_col(span.end))
    }
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

/// `FILE:LINE:COL: SEVERITY: MESSAGE: LABEL; help: HELP [CODE]`, on one
/// line (a multi-line help is joined), the code last so that problem
/// matchers can take it.
fn short(d: &Diagnostic, sources: &Sources) -> String {
    let ((line, column), _) = sources.line_col(d.primary.span);
    let mut text = format!(
        "{}:{}:{}: {}: {}",
        sources.name(d.primary.span.file),
        line,
        column,
        d.severity.as_str(),
        d.message,
    );
    if !d.primary.text.is_empty() {
        text.push_str(": ");
        text.push_str(&d.primary.text);
    }
    if let Some(help) = &d.help {
        text.push_str("; help: ");
        text.push_str(&help.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    text.push_str(&format!(" [{}]", d.code));
    text
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
    let mut value = serde_json::json!({
        "file": sources.name(d.primary.span.file),
        "severity": d.severity.as_str(),
        "code": d.code.to_string(),
        "message": d.message,
        "span": labels[0].clone(),
        "labels": labels,
        "help": d.help,
    });
    if let Some(fix) = d.fix.as_ref().and_then(|fix| fix_json(fix, sources)) {
        value["fix"] = fix;
    }
    value.to_string()
}

/// A fix as JSON, for tools that apply it: its title and its edits, each a
/// byte range (and lines and columns) and the text that replaces it.
fn fix_json(fix: &super::Fix, sources: &Sources) -> Option<serde_json::Value> {
    let file = fix.edits.first()?.span.file;
    let edits = fix.resolve(&sources.map.get(file).text)?;
    let edits: Vec<serde_json::Value> = edits
        .into_iter()
        .map(|(range, text)| {
            let span = Span::new(file, range.start, range.end);
            let ((line, column), (end_line, end_column)) = sources.line_col(span);
            serde_json::json!({
                "file": sources.name(file),
                "start": range.start,
                "end": range.end,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "text": text,
            })
        })
        .collect();
    Some(serde_json::json!({ "title": fix.title, "edits": edits }))
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
/// labels (mapped onto the masked text), the first primary.
fn labelled<'l>(
    sources: &Sources,
    file: FileId,
    labels: impl IntoIterator<Item = &'l super::Label>,
) -> (Snippet, Vec<LabeledSpan>) {
    let labels: Vec<&super::Label> = labels.into_iter().collect();
    let ranges = labels
        .iter()
        .map(|l| sources.masked_range(l.span))
        .collect();
    let (source, ranges) = snippet::snippet(sources.shown(file), ranges);
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
    use crate::diagnostics::{NameProblem, Quoted, ShapeProblem};

    fn sources(text: &str, secrets: &[Span]) -> Sources {
        let mut map = SourceMap::default();
        map.add("site.pool".into(), "site.pool".into(), text.into());
        Sources::new(&map, &Secrets::new(secrets.to_vec(), Vec::new()))
    }

    fn undefined(span: Span, name: &str) -> Diagnostic {
        NameProblem::UndefinedName {
            span,
            name: Quoted::public(name),
            suggestion: None,
        }
        .into()
    }

    #[test]
    fn secrets_are_masked_in_reports_without_their_length() {
        let text = "let t = \"s3cr3t-token\"\nlet x = nope\n";
        let secret = Span::new(FileId(0), 8, 22);
        let src = sources(text, &[secret]);
        let d = undefined(Span::new(FileId(0), 31, 35), "nope");
        // A wide label window shows the line with the secret on it.
        let out = human(&d, &src, false, 80);
        assert!(!out.contains("s3cr3t"), "{out}");
        assert!(out.contains("let t = ***\n"), "{out}");
        assert!(!out.contains("****"), "{out}");
    }

    #[test]
    fn labels_after_and_inside_a_secret_point_at_the_right_text() {
        let text = "x = { token = \"a-long-secret-value\", tokn = nope }\n";
        let secret = Span::new(FileId(0), 14, 35);
        let src = sources(text, &[secret]);
        let after = undefined(Span::new(FileId(0), 44, 48), "nope");
        let out = human(&after, &src, false, 80);
        assert!(out.contains("x = { token = ***, tokn = nope }"), "{out}");
        // The header gives the column in the original file, as `short` does.
        assert!(out.contains("[site.pool:1:45]"), "{out}");
        assert!(short(&after, &src).starts_with("site.pool:1:45:"));
        // The underline is under `nope` in the masked line.
        let column = |line: &str, at: usize| line[..at].chars().count();
        let shown = out.lines().find(|l| l.contains("x = {")).unwrap();
        let underline = out.lines().find(|l| l.contains('┬')).unwrap();
        let start = underline.find(['─', '┬']).unwrap();
        assert_eq!(
            column(underline, start),
            column(shown, shown.find("nope").unwrap())
        );
        let inside = undefined(Span::new(FileId(0), 20, 26), "secret");
        let out = human(&inside, &src, false, 80);
        assert!(!out.contains("secret-value"), "{out}");
        // It starts inside the secret: it points at the marker.
        assert!(out.contains("[site.pool:1:15]"), "{out}");
    }

    #[test]
    fn short_form_is_one_line_with_position() {
        let src = sources("pool \"a\" {\n  replicaz = 1\n}\n", &[]);
        let d: Diagnostic = ShapeProblem::UnknownAttribute {
            span: Span::new(FileId(0), 13, 21),
            name: Quoted::public("replicaz"),
            context: "a pool",
            suggestion: Some(Quoted::fixed("replicas")),
            known: vec![],
        }
        .into();
        assert_eq!(
            short(&d, &src),
            "site.pool:2:3: error: unknown attribute `replicaz` in a pool: unknown attribute; \
             help: did you mean `replicas`? [pool::E0301]"
        );
    }

    #[test]
    fn json_form_has_positions_and_code() {
        let src = sources("pool \"a\" {\n  replicaz = 1\n}\n", &[]);
        let d: Diagnostic = ShapeProblem::TypeMismatch {
            span: Span::new(FileId(0), 24, 25),
            expected: Quoted::fixed("a string"),
            found: "a number",
            example: None,
        }
        .into();
        let v: serde_json::Value = serde_json::from_str(&json(&d, &src)).unwrap();
        assert_eq!(v["code"], "pool::E0303");
        assert_eq!(v["span"]["line"], 2);
        assert_eq!(v["span"]["column"], 14);
        assert_eq!(v["severity"], "error");
    }

    #[test]
    fn json_form_has_the_fix() {
        let src = sources("pool \"a\" {\n  replicaz = 1\n}\n", &[]);
        let d: Diagnostic = ShapeProblem::UnknownAttribute {
            span: Span::new(FileId(0), 13, 21),
            name: Quoted::public("replicaz"),
            context: "a pool",
            suggestion: Some(Quoted::public("replicas")),
            known: vec!["replicas"],
        }
        .into();
        let v: serde_json::Value = serde_json::from_str(&json(&d, &src)).unwrap();
        assert_eq!(v["fix"]["title"], "Replace with `replicas`");
        let edit = &v["fix"]["edits"][0];
        assert_eq!(
            (&edit["start"], &edit["end"], &edit["text"]),
            (&13.into(), &21.into(), &"replicas".into())
        );
        assert_eq!((&edit["line"], &edit["column"]), (&2.into(), &3.into()));
    }
}
