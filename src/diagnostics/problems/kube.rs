//! Embedded Kubernetes objects, against the API's schemas.

use super::{D, did_you_mean, rename, shape::quote_literal};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum KubeProblem {
    UnknownField {
        span: Span,
        field: String,
        object: String,
        suggestion: Option<String>,
    },
    FieldType {
        span: Span,
        expected: String,
        found: &'static str,
        object: String,
    },
    MissingField {
        span: Span,
        field: String,
        object: String,
    },
    InvalidObject {
        span: Span,
        object: String,
        reason: String,
    },
}

impl From<KubeProblem> for Diagnostic {
    fn from(problem: KubeProblem) -> Diagnostic {
        use KubeProblem::*;
        let d = match problem {
            UnknownField {
                span,
                field,
                object,
                suggestion,
            } => D::new(
                Code::UnknownField,
                span,
                format!("unknown field `{field}` in {object}"),
                "not a field of this object",
            )
            .help(did_you_mean(&suggestion).unwrap_or_else(|| {
                "embedded Kubernetes objects use the Kubernetes API's own field names".into()
            }))
            .fix(rename(span, &suggestion)),
            FieldType {
                span,
                expected,
                found,
                object,
            } => D::new(
                Code::FieldType,
                span,
                format!("expected {expected}, found {found}"),
                format!("{object} takes {expected}"),
            )
            .fix(quote_literal(span, &expected, found)),
            MissingField {
                span,
                field,
                object,
            } => D::new(
                Code::MissingField,
                span,
                format!("{object} needs `{field}`"),
                format!("`{field}` is missing"),
            ),
            InvalidObject {
                span,
                object,
                reason,
            } => D::new(
                Code::InvalidObject,
                span,
                format!("invalid {object}"),
                reason,
            ),
        };
        d.into()
    }
}
