//! Embedded Kubernetes objects, against the API's schemas.

use super::{D, did_you_mean, list, rename, shape::quote_literal};
use crate::diagnostics::{Code, Diagnostic, Fix, Quoted, ValueProblem};
use crate::kube::validation::{NameRule, PathRule, Problem, QuantityRule, RequestRule};
use crate::secrets::Secrecy;
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
        /// The value written the right way.
        example: Option<Quoted>,
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
    /// A rule of the API server's validation.
    Rule {
        span: Span,
        problem: Problem,
        /// How secret the values the problem holds may be: only public
        /// ones are quoted.
        secrecy: Secrecy,
        suggestion: Option<Quoted>,
        /// A related place: where a duplicate was first used, the limit
        /// a request exceeds.
        related: Option<Span>,
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
                example,
            } => D::new(
                Code::FieldType,
                span,
                format!("expected {expected}, found {found}"),
                format!("{object} takes {expected}"),
            )
            .maybe_help(example.map(|e| format!("write it like `{e}`")))
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
                reason.reason(),
            ),
            Rule {
                span,
                problem,
                secrecy,
                suggestion,
                related,
            } => match rule(span, problem, Quote(secrecy), suggestion) {
                Ok(d) => match related {
                    Some(related) if related != span => {
                        let text = d.related_text();
                        d.also(related, text)
                    }
                    _ => d,
                },
                Err(d) => return *d,
            },
        };
        d.into()
    }
}

/// Whether a rule's values may be quoted: not when they may be secret
/// (read by env() or file(), or written where a secret may be).
#[derive(Clone, Copy)]
struct Quote(Secrecy);

impl Quote {
    fn value(self, value: &str) -> String {
        match self.0 {
            Secrecy::Public => format!("`{value}`"),
            Secrecy::Read => "the value read by env(...) or file(...)".to_string(),
            Secrecy::Secret | Secrecy::Credential => {
                "the value (not shown: it may be secret)".into()
            }
        }
    }

    /// `text`, or `instead` when the value may not be quoted.
    fn or(self, text: String, instead: &str) -> String {
        if self.0 == Secrecy::Public {
            text
        } else {
            instead.to_string()
        }
    }

    /// A reason that may quote the value, as a problem holds it.
    fn reason(self, reason: String) -> Quoted {
        Quoted::value(reason, self.0)
    }

    /// ` `value``, or nothing when it may not be quoted: for messages
    /// that read well either way ("the mount path `x` is not absolute").
    fn opt(self, value: &str) -> String {
        self.or(format!(" `{value}`"), "")
    }
}

impl D {
    /// The label of a rule's related place.
    fn related_text(&self) -> &'static str {
        match self.code {
            Code::RequestsAndLimits => "the limit",
            _ => "first used here",
        }
    }
}

/// The wording of a validation rule; label rules are worded as the
/// pool's own labels are (`Err`).
fn rule(
    span: Span,
    problem: Problem,
    quote: Quote,
    suggestion: Option<Quoted>,
) -> Result<D, Box<Diagnostic>> {
    Ok(match problem {
        Problem::Name {
            what,
            name,
            rule,
            reason,
        } => D::new(
            Code::InvalidName,
            span,
            format!("invalid {what} name{}", quote.opt(&name)),
            quote.or(reason, "not a valid name"),
        )
        .help(name_help(what, rule)),
        Problem::NotSupported {
            what,
            value,
            allowed,
        } => D::new(
            Code::UnsupportedValue,
            span,
            format!("{} is not a valid {what}", quote.value(&value)),
            format!("the API server takes {}", super::one_of(&quoted(allowed))),
        )
        .help(
            did_you_mean(&suggestion).unwrap_or_else(|| format!("write one of {}", list(allowed))),
        )
        .fix(
            suggestion
                .as_ref()
                .and_then(Quoted::shown)
                .map(|s| Fix::rewrite_string(span, s)),
        ),
        Problem::Requests {
            resource,
            request,
            limit,
            rule,
        } => requests(span, &resource, &request, limit.as_deref(), rule, quote),
        Problem::Quantity {
            resource,
            value,
            rule,
        } => quantity(span, &resource, &quote.or(format!(" ({value})"), ""), rule),
        Problem::Range {
            what,
            value,
            expected,
            help,
        } => D::new(
            Code::KubeOutOfRange,
            span,
            format!("{what} out of range: {value}"),
            format!("must be {expected}"),
        )
        .maybe_help(help),
        Problem::Conflict {
            message,
            label,
            help,
        } => D::new(Code::FieldConflict, span, message, label).help(help),
        Problem::Required { what, help } => D::new(
            Code::RequiredValue,
            span,
            format!("{what} is required"),
            "missing or empty",
        )
        .help(help),
        Problem::Path { what, value, rule } => {
            let (message, label, help) = match rule {
                PathRule::MustBeAbsolute => (
                    format!("the {what}{} is not absolute", quote.opt(&value)),
                    "a relative path",
                    format!(
                        "write it from the root: /{}",
                        value.trim_start_matches("./")
                    ),
                ),
                PathRule::MustBeRelative => (
                    format!("the {what}{} must be relative", quote.opt(&value)),
                    "an absolute path",
                    "remove the leading '/': it is a path inside the volume".to_string(),
                ),
                PathRule::NoBacksteps => (
                    format!("the {what}{} goes up with `..`", quote.opt(&value)),
                    "contains `..`",
                    "name the path without leaving the volume".to_string(),
                ),
            };
            let help = quote.or(help, "fix the path where it is read from");
            D::new(Code::BadPath, span, message, label).help(help)
        }
        Problem::Duplicate { what, value } => D::new(
            Code::DuplicateValue,
            span,
            format!("{} is used twice as {}", quote.value(&value), article(what)),
            "used again here",
        )
        .help(format!("each {what} must be unique")),
        Problem::LabelKey { reason } => {
            let reason = quote.reason(reason);
            return Err(Box::new(ValueProblem::BadLabelKey { span, reason }.into()));
        }
        Problem::LabelValue { reason } => {
            let reason = quote.reason(reason);
            return Err(Box::new(
                ValueProblem::BadLabelValue { span, reason }.into(),
            ));
        }
        Problem::TooLarge { what, size, limit } => D::new(
            Code::TooLarge,
            span,
            format!("the {what} hold {size} bytes"),
            format!("at most {limit} bytes"),
        )
        .help("keep large data in a ConfigMap and mount it"),
    })
}

/// `a port`, `an image`.
fn article(what: &str) -> String {
    let an = what.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {what}", if an { "an" } else { "a" })
}

fn quoted(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| format!("`{i}`")).collect()
}

fn name_help(what: &str, rule: NameRule) -> String {
    match rule {
        NameRule::DnsLabel => format!(
            "{what} names are DNS-1123 labels: at most 63 lowercase letters, digits and '-', \
            starting and ending with a letter or digit"
        ),
        NameRule::DnsSubdomain => format!(
            "{what} names are DNS-1123 subdomains: lowercase letters, digits, '-' and '.', \
            at most 253, each part starting and ending with a letter or digit"
        ),
        NameRule::PortName => "port names are at most 15 lowercase letters, digits and '-', \
            with at least one letter, no '-' at either end and no \"--\""
            .into(),
        NameRule::EnvVar => "variable names are printable ASCII characters other than '='".into(),
        NameRule::Resource => "resources are cpu, memory, ephemeral-storage, hugepages-<size>, \
            or domain-qualified extended resources such as nvidia.com/gpu"
            .into(),
        NameRule::ConfigMapKey => "keys are letters, digits, '-', '_' and '.'".into(),
        NameRule::Sysctl => "sysctl names are lowercase segments separated by '.', such as \
            net.core.somaxconn"
            .into(),
    }
}

fn requests(
    span: Span,
    resource: &str,
    request: &str,
    limit: Option<&str>,
    rule: RequestRule,
    quote: Quote,
) -> D {
    let values = quote.or(
        format!(" ({request} against {})", limit.unwrap_or_default()),
        "",
    );
    match rule {
        RequestRule::ExceedsLimit => D::new(
            Code::RequestsAndLimits,
            span,
            format!("the `{resource}` request is above its limit{values}"),
            "above the limit",
        )
        .help("lower the request, or raise the limit"),
        RequestRule::MustEqualLimit => D::new(
            Code::RequestsAndLimits,
            span,
            format!("the `{resource}` request differs from its limit{values}"),
            "must equal the limit",
        )
        .help(format!(
            "`{resource}` cannot be overcommitted: give the request and the limit the same quantity"
        )),
        RequestRule::LimitRequired => D::new(
            Code::RequestsAndLimits,
            span,
            format!("`{resource}` is requested without a limit"),
            "no limit",
        )
        .help(format!(
            "`{resource}` cannot be overcommitted: add the same quantity to `limits`"
        )),
    }
}

/// `value` is the quantity in brackets, or empty when it may not be quoted.
fn quantity(span: Span, resource: &str, value: &str, rule: QuantityRule) -> D {
    let (message, label, help) = match rule {
        QuantityRule::Negative => (
            format!("`{resource}` is negative{value}"),
            "below zero".to_string(),
            "quantities of resources are zero or more".to_string(),
        ),
        QuantityRule::NotPositive => (
            format!("`{resource}` must be more than zero{value}"),
            "zero or less".to_string(),
            "give the volume a size, such as 10Gi".to_string(),
        ),
        QuantityRule::NotWhole => (
            format!("`{resource}` is counted in whole units{value}"),
            "a fraction".to_string(),
            "extended resources are whole numbers: write 1, not 500m".to_string(),
        ),
        QuantityRule::NotMultiple { unit } => (
            format!("`{resource}` is not a whole number of {unit} pages{value}"),
            format!("not a multiple of {unit}"),
            format!("write a multiple of {unit}"),
        ),
    };
    D::new(Code::BadResourceQuantity, span, message, label).help(help)
}
