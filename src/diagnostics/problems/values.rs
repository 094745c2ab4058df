//! Values: quantities, durations, images, names, labels, launcher settings.

use super::D;
use crate::diagnostics::{Code, Diagnostic, Fix, Quoted};
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
    LeadingZero {
        span: Span,
        written: Quoted,
        decimal: Quoted,
        /// The octal reading and its value.
        octal: Option<(Quoted, i64)>,
    },
    BadInteger {
        span: Span,
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
            LeadingZero { span, written, .. } if written.withheld().is_some() => D::new(
                Code::LeadingZero,
                span,
                "a number with a leading zero (not shown: it may be secret)",
                "octal or decimal?",
            )
            .help("write it without the leading zero, or with `0o` for an octal number"),
            LeadingZero {
                span,
                written,
                decimal,
                octal,
            } => {
                let help = match &octal {
                    Some((octal, value)) => format!(
                        "write `{octal}` for the octal number (= {value}, as a file mode or \
                        YAML 1.1 reads `{written}`), or `{decimal}` for the decimal one"
                    ),
                    None => format!("write `{decimal}`"),
                };
                // The octal reading is the one YAML 1.1 and file modes give
                // the literal: the fix keeps that meaning.
                let replacement = octal.map_or(decimal, |(octal, _)| octal);
                let fix = replacement
                    .shown()
                    .map(|text| Fix::replace(format!("Replace with `{text}`"), span, text));
                D::new(
                    Code::LeadingZero,
                    span,
                    format!("`{written}` has a leading zero"),
                    "octal or decimal?",
                )
                .help(help)
                .fix(fix)
            }
            BadInteger { span, reason } => {
                D::new(Code::BadInteger, span, "invalid integer", reason.reason())
                    .help("integers are written like 42, -1 or, in octal, 0o755")
            }
        };
        d.into()
    }
}
