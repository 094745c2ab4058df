//! Every kind of problem poolc reports, with its wording, one file per
//! area (syntax, names, functions, shape, values, Kubernetes objects, the
//! chart, the operator, Helm values, warnings). Each kind has its [`Code`] in
//! `code.rs`; each code is documented in docs/diagnostics.md (a test keeps
//! the two in step). No problem carries a secret: the user text a
//! problem quotes is a [`Quoted`], which withholds what may be secret.

mod chart;
mod functions;
mod import;
mod kube;
mod names;
mod operator;
mod shape;
mod syntax;
mod values;
mod warnings;

pub use chart::ChartProblem;
pub use functions::FunctionProblem;
pub use import::ImportProblem;
pub use kube::KubeProblem;
pub use names::{NameProblem, TemplateHint};
pub use operator::OperatorProblem;
pub use shape::ShapeProblem;
pub use syntax::{Found, SyntaxProblem};
pub use values::ValueProblem;
pub use warnings::Warning;

use super::{Code, Diagnostic, Fix, Label, Quoted};
use crate::syntax::span::Span;

/// `did you mean `x`?`, the help line shared by every suggestion.
fn did_you_mean(suggestion: &Option<Quoted>) -> Option<String> {
    suggestion.as_ref().map(|s| format!("did you mean `{s}`?"))
}

/// The fix of a did-you-mean: the suggested name in place of the one at
/// `span` (none when the suggestion is withheld).
fn rename(span: Span, suggestion: &Option<Quoted>) -> Option<Fix> {
    suggestion
        .as_ref()
        .and_then(Quoted::shown)
        .map(|s| Fix::rename(span, s))
}

fn list(items: &[impl std::fmt::Display]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a, b or c`.
pub(crate) fn one_of(items: &[impl AsRef<str>]) -> String {
    match items {
        [] => "something else".into(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", rest.join(", "), last.as_ref())
        }
    }
}

/// A diagnostic being described: the code, the message, the primary
/// label, then (by the builder methods) related places and a help line.
struct D {
    code: Code,
    message: String,
    span: Span,
    label: String,
    secondary: Vec<Label>,
    help: Option<String>,
    fix: Option<Fix>,
}

impl D {
    fn new(code: Code, span: Span, message: impl Into<String>, label: impl Into<String>) -> D {
        D {
            code,
            message: message.into(),
            span,
            label: label.into(),
            secondary: Vec::new(),
            help: None,
            fix: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> D {
        self.help = Some(help.into());
        self
    }

    fn fix(mut self, fix: Option<Fix>) -> D {
        self.fix = fix;
        self
    }

    fn maybe_help(mut self, help: Option<String>) -> D {
        self.help = help;
        self
    }

    fn also(mut self, span: Span, text: impl Into<String>) -> D {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }
}

impl From<D> for Diagnostic {
    fn from(d: D) -> Diagnostic {
        Diagnostic {
            code: d.code,
            severity: d.code.severity(),
            message: d.message,
            primary: Label {
                span: d.span,
                text: d.label,
            },
            secondary: d.secondary,
            help: d.help,
            fix: d.fix.map(Box::new),
        }
    }
}
