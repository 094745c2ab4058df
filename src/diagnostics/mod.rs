//! One diagnostic type for every front-end. A [`Diagnostic`] is plain data
//! (code, severity, message, labelled spans, help); [`problems`] says, area
//! by area, how each kind of problem is worded; [`code`] gives each kind
//! its stable [`Code`]; [`render`] turns diagnostics into terminal reports,
//! one-line `short` form or JSON; [`explain`] gives each code's long
//! explanation.

mod code;
pub mod explain;
mod problems;
mod quoted;
pub mod render;
mod snippet;

pub use code::Code;
pub(crate) use problems::*;
pub use quoted::{Quoted, Why};

use crate::syntax::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span with the text shown beside it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable code, e.g. `pool::E0301`; documented in docs/diagnostics.md.
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is.
    pub primary: Label,
    /// Related places (a previous definition, the import that started a cycle).
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// The edit that fixes the problem, when there is one obvious edit (a
    /// did-you-mean, a missing quote). Editors offer it as a quick fix.
    /// Boxed: most diagnostics have none, and a diagnostic stays small.
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Every place the diagnostic points at: its labels and its fix's
    /// edits.
    pub fn spans_mut(&mut self) -> impl Iterator<Item = &mut Span> {
        std::iter::once(&mut self.primary.span)
            .chain(self.secondary.iter_mut().map(|label| &mut label.span))
            .chain(
                self.fix
                    .iter_mut()
                    .flat_map(|fix| fix.edits.iter_mut().map(|e| &mut e.span)),
            )
    }
}

/// A machine-applicable fix: edits of the source, all in the file of the
/// diagnostic. A fix never carries secret text: it writes names from the
/// language's tables, quotes and function calls around what was written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, as an editor's menu shows it: "Replace with `replicas`".
    pub title: String,
    pub edits: Vec<Edit>,
}

/// One change of a [`Fix`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The text replaced (empty to insert).
    pub span: Span,
    pub text: String,
    pub kind: EditKind,
}

/// How an edit applies to what is written at its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EditKind {
    /// `text` replaces the span.
    Text,
    /// The span is a name written bare or quoted (`replicaz`, `"replicaz"`):
    /// the quotes, if any, stay and `text` replaces what is between them.
    Name,
    /// The span is a quoted string without escapes or interpolation:
    /// `text` replaces what is between its quotes. Not applicable to
    /// anything else (a value read from a `let` or by `env()`).
    InQuotes,
    /// An insertion before the number or boolean literal that ends at
    /// `literal_end`, which with a quote at its end becomes a string of the
    /// same text. Not applicable to anything else (a `let` name, say, would
    /// change meaning). The fix does not carry the literal's text, which
    /// could be a mistyped credential.
    OpenQuote { literal_end: u32 },
    /// `text` closes what an insertion at `value_start` opened, after the
    /// value: on a line of its own after a heredoc, whose closing tag must
    /// end its line.
    Close { value_start: u32 },
}

impl Fix {
    /// Writes `name` in place of the name at `span`.
    pub fn rename(span: Span, name: &str) -> Fix {
        Fix {
            title: format!("Replace with `{name}`"),
            edits: vec![Edit {
                span,
                text: name.to_string(),
                kind: EditKind::Name,
            }],
        }
    }

    /// Writes `text` in place of the text of the string literal at `span`.
    pub fn rewrite_string(span: Span, text: &str) -> Fix {
        Fix {
            title: format!("Replace with \"{text}\""),
            edits: vec![Edit {
                span,
                text: text.to_string(),
                kind: EditKind::InQuotes,
            }],
        }
    }

    /// Writes `text` in place of the span.
    pub fn replace(title: impl Into<String>, span: Span, text: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                span,
                text: text.into(),
                kind: EditKind::Text,
            }],
        }
    }

    /// Quotes the literal at `span`.
    pub fn quote(span: Span) -> Fix {
        let at = |offset: u32| Span {
            file: span.file,
            start: offset,
            end: offset,
        };
        Fix {
            title: "Quote it (a string)".into(),
            edits: vec![
                Edit {
                    span: at(span.start),
                    text: "\"".into(),
                    kind: EditKind::OpenQuote {
                        literal_end: span.end,
                    },
                },
                Edit {
                    span: at(span.end),
                    text: "\"".into(),
                    kind: EditKind::Text,
                },
            ],
        }
    }

    /// Writes `before` and `after` around the value at `span`.
    pub fn surround(title: impl Into<String>, span: Span, before: &str, after: &str) -> Fix {
        let at = |offset: u32| Span {
            file: span.file,
            start: offset,
            end: offset,
        };
        Fix {
            title: title.into(),
            edits: vec![
                Edit {
                    span: at(span.start),
                    text: before.to_string(),
                    kind: EditKind::Text,
                },
                Edit {
                    span: at(span.end),
                    text: after.to_string(),
                    kind: EditKind::Close {
                        value_start: span.start,
                    },
                },
            ],
        }
    }

    /// The byte ranges replaced and their replacements, in the text of the
    /// fix's file; `None` when the text is not what the fix was made for.
    pub fn resolve(&self, text: &str) -> Option<Vec<(std::ops::Range<usize>, String)>> {
        self.edits.iter().map(|edit| edit.resolve(text)).collect()
    }
}

impl Edit {
    fn resolve(&self, text: &str) -> Option<(std::ops::Range<usize>, String)> {
        let range = self.span.range();
        let written = text.get(range.clone())?;
        match self.kind {
            EditKind::Text => Some((range, self.text.clone())),
            EditKind::Name => {
                let quoted =
                    written.len() >= 2 && written.starts_with('"') && written.ends_with('"');
                if quoted {
                    return Some((range.start + 1..range.end - 1, self.text.clone()));
                }
                Some((range, self.text.clone()))
            }
            EditKind::InQuotes => {
                let inner = written.strip_prefix('"')?.strip_suffix('"')?;
                let plain = !inner.contains(['"', '\\', '$']);
                plain.then(|| (range.start + 1..range.end - 1, self.text.clone()))
            }
            EditKind::OpenQuote { literal_end } => {
                let literal = text.get(range.start..literal_end as usize)?;
                let is_literal = !literal.is_empty()
                    && literal
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
                    && (literal == "true"
                        || literal == "false"
                        || literal.starts_with(|c: char| c.is_ascii_digit() || c == '-'));
                is_literal.then(|| (range, self.text.clone()))
            }
            EditKind::Close { value_start } => {
                let heredoc = text.get(value_start as usize..)?.starts_with("<<");
                let close = if heredoc {
                    format!("\n{}", self.text)
                } else {
                    self.text.clone()
                };
                Some((range, close))
            }
        }
    }
}
/// The problems found in one run, in a stable order, without duplicates
/// (a template's mistake is found once per pool that extends it).
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    errors: usize,
}

impl Diagnostics {
    pub fn push(&mut self, problem: impl Into<Diagnostic>) {
        let diagnostic = problem.into();
        self.errors += usize::from(diagnostic.is_error());
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.errors += other.errors;
        self.items.extend(other.items);
    }

    /// How many diagnostics have been pushed: a mark for [`Self::since`].
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The diagnostics pushed since `mark`.
    pub fn since(&self, mark: usize) -> Vec<Diagnostic> {
        self.items[mark.min(self.items.len())..].to_vec()
    }

    /// Pushes diagnostics found before (a result reused from a cache reports
    /// what computing it reported).
    pub fn replay(&mut self, diagnostics: &[Diagnostic]) {
        self.errors += diagnostics.iter().filter(|d| d.is_error()).count();
        self.items.extend_from_slice(diagnostics);
    }

    /// Errors pushed so far (counting repeats).
    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, then code; duplicates removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| (d.primary.span, d.code, d.message.clone());
            key(a).cmp(&key(b))
        });
        self.items.dedup();
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::span::FileId;

    fn apply(fix: &Fix, text: &str) -> Option<String> {
        let mut edits = fix.resolve(text)?;
        edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        let mut out = text.to_string();
        for (range, replacement) in edits {
            out.replace_range(range, &replacement);
        }
        Some(out)
    }

    fn span(text: &str, written: &str) -> Span {
        let start = text.find(written).unwrap();
        Span::new(FileId(0), start, start + written.len())
    }

    #[test]
    fn a_rename_keeps_the_quotes_of_a_quoted_name() {
        let text = "pool \"p\" extends \"bsae\" { replicaz = 1 }";
        let quoted = Fix::rename(span(text, "\"bsae\""), "base");
        assert_eq!(
            apply(&quoted, text).unwrap(),
            "pool \"p\" extends \"base\" { replicaz = 1 }"
        );
        let bare = Fix::rename(span(text, "replicaz"), "replicas");
        assert!(apply(&bare, text).unwrap().contains("{ replicas = 1 }"));
    }

    #[test]
    fn only_a_literal_is_quoted() {
        let text = "labels = { on = true, n = 1.0, v = yes }";
        assert!(
            apply(&Fix::quote(span(text, "true")), text)
                .unwrap()
                .contains("on = \"true\"")
        );
        assert!(
            apply(&Fix::quote(span(text, "1.0")), text)
                .unwrap()
                .contains("n = \"1.0\"")
        );
        assert_eq!(apply(&Fix::quote(span(text, "yes")), text), None);
    }

    #[test]
    fn a_heredoc_is_closed_on_a_line_of_its_own() {
        let text = "token = <<EOT\nabc\nEOT\n";
        let value = span(text, "<<EOT\nabc\nEOT");
        let fix = Fix::surround("wrap", value, "trimspace(", ")");
        assert_eq!(
            apply(&fix, text).unwrap(),
            "token = trimspace(<<EOT\nabc\nEOT\n)\n"
        );
        let text = "token = secret_token\n";
        let fix = Fix::surround("wrap", span(text, "secret_token"), "trimspace(", ")");
        assert_eq!(
            apply(&fix, text).unwrap(),
            "token = trimspace(secret_token)\n"
        );
    }
}
