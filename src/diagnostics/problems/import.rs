//! `poolc import`: reading Helm values.

use super::{D, did_you_mean};
use crate::diagnostics::{Code, Diagnostic, Quoted};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum ImportProblem {
    ValuesSyntax {
        span: Span,
        reason: Quoted,
    },
    ValuesType {
        span: Span,
        value: Quoted,
        expected: &'static str,
        found: &'static str,
    },
    HelmReading {
        span: Span,
        written: Quoted,
        reading: Quoted,
        imported: Quoted,
    },
    UnknownValue {
        span: Span,
        key: Quoted,
        suggestion: Option<Quoted>,
    },
    ChartIgnores {
        span: Span,
        what: Quoted,
        why: &'static str,
    },
    CredentialNotInValues {
        span: Span,
        value: &'static str,
        variable: Quoted,
    },
    ClaimWithoutAccessModes {
        span: Span,
    },
}

impl From<ImportProblem> for Diagnostic {
    fn from(problem: ImportProblem) -> Diagnostic {
        use ImportProblem::*;
        let d = match problem {
            ValuesSyntax { span, reason } => D::new(
                Code::ValuesSyntax,
                span,
                "the values file is not valid YAML",
                reason.reason(),
            )
            .help("Helm could not read it either; fix the YAML"),
            ValuesType {
                span,
                value,
                expected,
                found,
            } => D::new(
                Code::ValuesType,
                span,
                format!("`{value}` must be {expected}"),
                format!("this is {found}"),
            )
            .help("the chart's values and their types are listed in docs/language.md"),
            HelmReading { span, written, .. } if written.withheld().is_some() => D::new(
                Code::HelmReading,
                span,
                "Helm reads this unquoted value as no string (not shown: it may be secret)",
                "unquoted, so YAML 1.1 reads no string",
            )
            .help("quote it in the values file if you meant it as text"),
            HelmReading {
                span,
                written,
                reading,
                imported,
            } => D::new(
                Code::HelmReading,
                span,
                format!("Helm reads `{written}` as {reading}, but a string is expected here"),
                "unquoted, so YAML 1.1 reads no string",
            )
            .help(format!(
                "quote it in the values file if you meant the text `{written}`; it \
                    is imported as {imported}, what Helm renders"
            )),
            UnknownValue {
                span,
                key,
                suggestion,
            } => D::new(
                Code::UnknownValue,
                span,
                format!("`{key}` is not a value of the chart"),
                "Helm ignores it; not imported",
            )
            .help(
                did_you_mean(&suggestion)
                    .unwrap_or_else(|| "docs/language.md lists the chart's values".into()),
            ),
            ChartIgnores { span, what, why } => D::new(
                Code::ChartIgnores,
                span,
                format!("the chart ignores {what}"),
                why,
            )
            .help(
                "not imported: the .pool renders what the chart renders; write it in the \
                    .pool if you meant it",
            ),
            CredentialNotInValues {
                span,
                value,
                variable,
            } => D::new(
                Code::CredentialNotInValues,
                span,
                format!("no `{value}` in the values"),
                "the chart would write it empty",
            )
            .help(format!(
                "the .pool reads it from the environment variable {variable}; set it \
                    before `poolc build`"
            )),
            ClaimWithoutAccessModes { span } => D::new(
                Code::ClaimWithoutAccessModes,
                span,
                "the claim has no accessModes",
                "Kubernetes refuses a claim without them",
            )
            .help(
                "poolc writes accessModes: [ReadWriteOnce], the default of `storage claim` \
                    and `storage ephemeral`",
            ),
        };
        d.into()
    }
}
