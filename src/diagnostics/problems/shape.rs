//! The shape of a pool: which fields a body has and how they are written.

use super::{D, did_you_mean, list, rename};
use crate::diagnostics::{Code, Diagnostic, Fix, Quoted};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum ShapeProblem {
    UnknownAttribute {
        span: Span,
        name: Quoted,
        context: &'static str,
        suggestion: Option<Quoted>,
        known: Vec<&'static str>,
    },
    UnknownBlock {
        span: Span,
        name: Quoted,
        context: &'static str,
        suggestion: Option<Quoted>,
    },
    TypeMismatch {
        span: Span,
        expected: Quoted,
        found: &'static str,
        /// The field written the right way.
        example: Option<Quoted>,
    },
    DuplicateEntry {
        span: Span,
        previous: Span,
        name: Quoted,
    },
    MissingAttribute {
        span: Span,
        name: &'static str,
        context: &'static str,
    },
    BadBlockLabels {
        span: Span,
        block: Quoted,
        expected: Quoted,
    },
    WrittenAsBlock {
        span: Span,
        name: Quoted,
    },
    WrittenAsAttribute {
        span: Span,
        name: Quoted,
    },
    UnknownKeyword {
        span: Span,
        value: Quoted,
        expected: Vec<&'static str>,
        suggestion: Option<Quoted>,
    },
    OutOfRange {
        span: Span,
        range: &'static str,
        help: Option<&'static str>,
    },
}

impl From<ShapeProblem> for Diagnostic {
    fn from(problem: ShapeProblem) -> Diagnostic {
        use ShapeProblem::*;
        let d = match problem {
            UnknownAttribute {
                span,
                name,
                context,
                suggestion,
                known,
            } => {
                let help = did_you_mean(&suggestion)
                    .unwrap_or_else(|| format!("{context} accepts {}", list(&known)));
                D::new(
                    Code::UnknownAttribute,
                    span,
                    format!("unknown attribute `{name}` in {context}"),
                    "unknown attribute",
                )
                .help(help)
                .fix(rename(span, &suggestion))
            }
            UnknownBlock {
                span,
                name,
                context,
                suggestion,
            } => D::new(
                Code::UnknownBlock,
                span,
                format!("unknown block `{name}` in {context}"),
                "unknown block",
            )
            .maybe_help(did_you_mean(&suggestion))
            .fix(rename(span, &suggestion)),
            TypeMismatch {
                span,
                expected,
                found,
                example,
            } => D::new(
                Code::TypeMismatch,
                span,
                format!("expected {expected}, found {found}"),
                format!("this is {found}"),
            )
            .maybe_help(example.map(|e| format!("write it like `{e}`")))
            .fix(quote_literal(span, &expected, found)),
            DuplicateEntry {
                span,
                previous,
                name,
            } => D::new(
                Code::DuplicateEntry,
                span,
                format!("`{name}` is set twice"),
                "set again here",
            )
            .also(previous, "first set here")
            .help("remove one of them"),
            MissingAttribute {
                span,
                name,
                context,
            } => D::new(
                Code::MissingAttribute,
                span,
                format!("{context} needs `{name}`"),
                format!("`{name}` is missing"),
            ),
            BadBlockLabels {
                span,
                block,
                expected,
            } => D::new(
                Code::BadBlockLabels,
                span,
                format!("`{block}` takes {expected}"),
                "unexpected labels",
            ),
            WrittenAsBlock { span, name } => D::new(
                Code::WrittenAsBlock,
                span,
                format!("`{name}` is an attribute, not a block"),
                "written as a block",
            )
            .help(format!("write `{name} = ...`")),
            WrittenAsAttribute { span, name } => D::new(
                Code::WrittenAsAttribute,
                span,
                format!("`{name}` is a block, not an attribute"),
                "written as an attribute",
            )
            .help(format!("write `{name} {{ ... }}`")),
            UnknownKeyword {
                span,
                value,
                expected,
                suggestion,
            } => {
                let help = did_you_mean(&suggestion)
                    .unwrap_or_else(|| format!("write one of {}", list(&expected)));
                D::new(
                    Code::UnknownKeyword,
                    span,
                    format!("`{value}` is not one of {}", list(&expected)),
                    "unknown value",
                )
                .help(help)
                .fix(rename(span, &suggestion))
            }
            OutOfRange { span, range, help } => D::new(
                Code::OutOfRange,
                span,
                "number out of range",
                format!("must be {range}"),
            )
            .maybe_help(help.map(String::from)),
        };
        d.into()
    }
}

/// Where a string was expected and a number or boolean literal written
/// (`true`, `1.0`), quoting it is the fix.
pub(super) fn quote_literal(span: Span, expected: &Quoted, found: &str) -> Option<Fix> {
    let scalar = found == "a number" || found == "a boolean";
    let string = expected.shown().is_some_and(|e| e.starts_with("a string"));
    (scalar && string).then(|| Fix::quote(span))
}
