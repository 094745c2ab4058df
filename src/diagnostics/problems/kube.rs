//! Embedded Kubernetes objects, against the API's schemas.

use super::{D, did_you_mean};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum KubeProblem {
    K8sUnknownField {
        span: Span,
        field: String,
        object: String,
        suggestion: Option<String>,
    },
    K8sType {
        span: Span,
        expected: String,
        found: &'static str,
        object: String,
    },
    K8sMissingField {
        span: Span,
        field: String,
        object: String,
    },
    K8sInvalid {
        span: Span,
        object: String,
        reason: String,
    },
}

impl From<KubeProblem> for Diagnostic {
    fn from(problem: KubeProblem) -> Diagnostic {
        use KubeProblem::*;
        let d = match problem {
            K8sUnknownField {
                span,
                field,
                object,
                suggestion,
            } => D::new(
                Code::K8sUnknownField,
                span,
                format!("unknown field `{field}` in {object}"),
                "not a field of this object",
            )
            .help(did_you_mean(&suggestion).unwrap_or_else(|| {
                "embedded Kubernetes objects use the Kubernetes API's own field names".into()
            })),
            K8sType {
                span,
                expected,
                found,
                object,
            } => D::new(
                Code::K8sType,
                span,
                format!("expected {expected}, found {found}"),
                format!("{object} takes {expected}"),
            ),
            K8sMissingField {
                span,
                field,
                object,
            } => D::new(
                Code::K8sMissingField,
                span,
                format!("{object} needs `{field}`"),
                format!("`{field}` is missing"),
            ),
            K8sInvalid {
                span,
                object,
                reason,
            } => D::new(Code::K8sInvalid, span, format!("invalid {object}"), reason),
        };
        d.into()
    }
}
