//! Values: quantities, durations, images, names, labels, launcher settings.

use super::D;
use crate::diagnostics::{Code, Diagnostic, Quoted};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum ValueProblem {
    BadQuantity {
        span: Span,
        reason: Quoted,
    },
    BadDuration {
        span: Span,
        reason: Quoted,
    },
    BadImage {
        span: Span,
        reason: Quoted,
    },
    BadPoolName {
        span: Span,
        name: Quoted,
        reason: Quoted,
    },
    BadLabelKey {
        span: Span,
        reason: Quoted,
    },
    BadLabelValue {
        span: Span,
        reason: Quoted,
    },
    BadObjectName {
        span: Span,
        what: &'static str,
        reason: Quoted,
    },
    NotWholeSeconds {
        span: Span,
    },
    BadSettingValue {
        span: Span,
        variable: &'static str,
        reason: Quoted,
    },
}

impl From<ValueProblem> for Diagnostic {
    fn from(problem: ValueProblem) -> Diagnostic {
        use ValueProblem::*;
        let d = match problem {
            BadQuantity { span, reason } => {
                D::new(Code::BadQuantity, span, "invalid quantity", reason.reason())
                    .help("quantities are written like 500m, 1, 1.5, 512Mi, 100Gi or 1e3")
            }
            BadDuration { span, reason } => {
                D::new(Code::BadDuration, span, "invalid duration", reason.reason())
                    .help("durations are written like 30s, 2h, 1h30m or 500ms")
            }
            BadImage { span, reason } => D::new(
                Code::BadImage,
                span,
                "invalid image reference",
                reason.reason(),
            )
            .help("write `repository[:tag]` or `repository@sha256:<64 hex digits>`"),
            BadPoolName { span, name, reason } => D::new(
                Code::BadPoolName,
                span,
                format!("`{name}` is not a valid release name"),
                reason.reason(),
            )
            .help(
                "a pool's name is its Helm release name: lowercase letters, digits and '-', \
                    starting with a letter and ending with a letter or digit, at most 53 \
                    characters",
            ),
            BadLabelKey { span, reason } => D::new(
                Code::BadLabelKey,
                span,
                "invalid label key",
                reason.reason(),
            )
            .help(
                "a key is an optional DNS subdomain prefix and '/', then a name of at most \
                    63 letters, digits, '-', '_' or '.', starting and ending with a letter or \
                    digit",
            ),
            BadLabelValue { span, reason } => D::new(
                Code::BadLabelValue,
                span,
                "invalid label value",
                reason.reason(),
            )
            .help(
                "a label value is empty or at most 63 letters, digits, '-', '_' or '.', \
                    starting and ending with a letter or digit; quote numbers and booleans",
            ),
            BadObjectName { span, what, reason } => D::new(
                Code::BadObjectName,
                span,
                format!("invalid {what} name"),
                reason.reason(),
            )
            .help(
                "Kubernetes object names are lowercase letters, digits, '-' and '.', \
                    starting and ending with a letter or digit",
            ),
            NotWholeSeconds { span } => D::new(
                Code::NotWholeSeconds,
                span,
                "a grace period is a whole number of seconds",
                "has a fraction of a second",
            )
            .help("Kubernetes counts terminationGracePeriodSeconds in whole seconds"),
            BadSettingValue {
                span,
                variable,
                reason,
            } => D::new(
                Code::BadSettingValue,
                span,
                format!("invalid value for {variable}"),
                reason.reason(),
            )
            .help("docs/language.md lists each launcher setting and the values it takes"),
        };
        d.into()
    }
}
