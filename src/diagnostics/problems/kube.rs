//! Embedded Kubernetes objects, against the API's schemas.

use super::{D, did_you_mean};
use crate::diagnostics::{Code, Diagnostic, Quoted};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum KubeProblem {
    UnknownField {
        span: Span,
        field: Quoted,
        object: Quoted,
        suggestion: Option<Quoted>,
    },
    FieldType {
        span: Span,
        expected: Quoted,
        found: &'static str,
        object: Quoted,
    },
    MissingField {
        span: Span,
        field: Quoted,
        object: Quoted,
    },
    InvalidObject {
        span: Span,
        object: Quoted,
        reason: Quoted,
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
            })),
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
            ),
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
                reason.reason(),
            ),
        };
        d.into()
    }
}
