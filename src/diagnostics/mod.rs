//! One diagnostic type for every front-end. A [`Diagnostic`] is plain data
//! (code, severity, message, labelled spans, help); [`problems`] says, area
//! by area, how each kind of problem is worded; [`code`] gives each kind
//! its stable [`Code`]; [`render`] turns diagnostics into terminal reports,
//! one-line `short` form or JSON; [`explain`] gives each code's long
//! explanation.

mod code;
pub mod explain;
mod problems;
pub mod render;
mod snippet;

pub use code::Code;
pub(crate) use problems::*;

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
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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
