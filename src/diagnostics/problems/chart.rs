//! What the chart would get wrong: checks of a whole pool.

use super::{D, did_you_mean, list, rename};
use crate::diagnostics::{Code, Diagnostic, Fix, Quoted};
use crate::model::Written;
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum ChartProblem {
    ClaimOnDeployment {
        span: Span,
        workload: Option<Span>,
    },
    TwoStorages {
        span: Span,
        previous: Span,
    },
    EmptyCredential {
        span: Span,
        which: &'static str,
    },
    PrivateKeyIsPem {
        span: Span,
    },
    PrivateKeyNotBase64 {
        span: Span,
        reason: &'static str,
    },
    PrivateKeyNotPemKey {
        span: Span,
    },
    ReservedLabel {
        span: Span,
        key: Quoted,
        object: &'static str,
    },
    ReservedEnv {
        span: Span,
        name: Quoted,
        container: &'static str,
    },
    UndefinedVolume {
        span: Span,
        name: Quoted,
        suggestion: Option<Quoted>,
    },
    DuplicateName {
        span: Span,
        previous: Span,
        what: &'static str,
        name: Quoted,
    },
    MissingCredentials {
        span: Span,
        pool: Quoted,
    },
    ExternalCredentialsUnsupplied {
        span: Span,
        missing: Vec<&'static str>,
    },
    TokenWhitespace {
        span: Span,
        written: Written,
    },
    TokenIsKey {
        span: Span,
    },
    ZeroTimeout {
        span: Span,
        setting: &'static str,
    },
    MountPathTaken {
        span: Span,
        path: &'static str,
        container: &'static str,
    },
    StorageWithoutSize {
        span: Span,
        kind: &'static str,
    },
    KeyIsToken {
        span: Span,
    },
    ReservedContainer {
        span: Span,
        name: Quoted,
    },
    ReservedVolume {
        span: Span,
    },
    /// A credential's text in a field that is written in clear.
    CredentialInField {
        span: Span,
        field: Quoted,
        context: &'static str,
    },
}

impl From<ChartProblem> for Diagnostic {
    fn from(problem: ChartProblem) -> Diagnostic {
        use ChartProblem::*;
        let d = match problem {
            ClaimOnDeployment { span, workload } => {
                let d = D::new(
                    Code::ClaimOnDeployment,
                    span,
                    "a claim template needs a StatefulSet",
                    "storage claim on a Deployment",
                )
                .help(
                    "add `workload = statefulset`, or use `storage ephemeral { ... }` for a \
                        per-pod volume on a Deployment",
                );
                match workload {
                    Some(w) => d.also(w, "the workload is a Deployment"),
                    None => d,
                }
            }
            TwoStorages { span, previous } => D::new(
                Code::TwoStorages,
                span,
                "a pool has one storage",
                "second storage",
            )
            .also(previous, "first storage")
            .help(
                "the chart would give the pod a volume and a claim both named \
                    launcher-storage; keep one",
            ),
            EmptyCredential { span, which } => D::new(
                Code::EmptyCredential,
                span,
                format!("the {which} is empty"),
                "empty",
            )
            .help(
                "the worker crash-loops at start without it; use `credentials external \
                    \"SECRET\"` to take it from an existing Secret",
            ),
            PrivateKeyIsPem { span } => D::new(
                Code::PrivateKeyIsPem,
                span,
                "the private key is a raw PEM, not base64 of one",
                "a PEM key",
            )
            .help(
                "encode it: base64(file(\"key.pem\")), or `base64 -w0 < key.pem` (`base64 -b \
                    0` on macOS)",
            ),
            PrivateKeyNotBase64 { span, reason } => D::new(
                Code::PrivateKeyNotBase64,
                span,
                "the private key is not base64 on one line",
                reason,
            )
            .help(
                "encode the whole PEM file on one line: base64(file(\"key.pem\")), or \
                    `base64 -w0 < key.pem`",
            ),
            PrivateKeyNotPemKey { span } => D::new(
                Code::PrivateKeyNotPemKey,
                span,
                "the private key is base64, but not of a PEM private key",
                "decodes to something else",
            )
            .help(
                "it must be base64 of the whole PEM file Spacelift gave you, from -----BEGIN \
                    to -----END",
            ),
            ReservedLabel { span, key, object } => {
                let selector = key
                    .shown()
                    .is_some_and(|k| crate::chart::SELECTOR_LABELS.contains(&k));
                let help = if selector {
                    "it is a selector label: it identifies the pool's pods; choose another key"
                } else {
                    "the chart sets it on every object; choose another key"
                };
                D::new(
                    Code::ReservedLabel,
                    span,
                    format!("`{key}` is set by the chart on the {object}"),
                    "redefines a chart label",
                )
                .help(help)
            }
            ReservedEnv {
                span,
                name,
                container,
            } => D::new(
                Code::ReservedEnv,
                span,
                format!("`{name}` is already set in the {container} container"),
                "redefines a variable the chart sets",
            )
            .help("the chart's value would be shadowed; remove this entry"),
            UndefinedVolume {
                span,
                name,
                suggestion,
            } => D::new(
                Code::UndefinedVolume,
                span,
                format!("no volume named `{name}`"),
                "mounted here",
            )
            .help(
                did_you_mean(&suggestion).unwrap_or_else(|| match name.shown() {
                    Some(name) => format!("define it in `volumes`: {{ name = \"{name}\", ... }}"),
                    None => "define it in `volumes`".into(),
                }),
            )
            .fix(rename(span, &suggestion)),
            DuplicateName {
                span,
                previous,
                what,
                name,
            } => D::new(
                Code::DuplicateName,
                span,
                format!("two {what}s named `{name}`"),
                "second definition",
            )
            .also(previous, "first definition")
            .help(format!("{what} names must be unique")),
            MissingCredentials { span, pool } => D::new(
                Code::MissingCredentials,
                span,
                format!("pool `{pool}` has no credentials"),
                "no `credentials`",
            )
            .help(
                "add `credentials { token = ..., private_key = ... }`, or `credentials \
                    external \"SECRET\"` to use an existing Secret",
            ),
            ExternalCredentialsUnsupplied { span, missing } => D::new(
                Code::ExternalCredentialsUnsupplied,
                span,
                format!("nothing supplies {}", list(&missing)),
                "credentials are external",
            )
            .help(
                "name the Secret (`credentials external \"SECRET\"`), or set the variables \
                    in the launcher's `env` or `env_from`",
            ),
            TokenWhitespace { span, written } => token_whitespace(span, written),
            ZeroTimeout { span, setting } => D::new(
                Code::ZeroTimeout,
                span,
                format!("a `{setting}` of zero ends every run at once"),
                "zero",
            )
            .help(format!(
                "remove `{setting}` to keep the launcher's default, or give it a duration \
                    such as 30m"
            )),
            MountPathTaken {
                span,
                path,
                container,
            } => D::new(
                Code::MountPathTaken,
                span,
                format!(
                    "the chart already mounts its storage at {path} in the {container} container"
                ),
                "a second mount at the chart's path",
            )
            .help(format!(
                "mount this volume elsewhere; {path} holds the {container} container's \
                    data on the launcher-storage volume"
            )),
            StorageWithoutSize { span, kind } => D::new(
                Code::StorageWithoutSize,
                span,
                format!("`storage {kind}` has no size"),
                "no size",
            )
            .help(
                "add `size = 50Gi` (resources.requests.storage): Kubernetes refuses a claim \
                    without one",
            ),
            TokenIsKey { span } => D::new(
                Code::CredentialsSwapped,
                span,
                "the token is a private key",
                "a PEM private key",
            )
            .help(
                "`token` takes the worker pool's token and `private_key` base64 of its PEM \
                    key: swap them if they are in each other's place",
            ),
            KeyIsToken { span } => D::new(
                Code::CredentialsSwapped,
                span,
                "the private key is the pool's token",
                "the token, not a key",
            )
            .help(
                "`private_key` takes base64 of the PEM key Spacelift gave you with the \
                    token: base64(file(\"pool.pem\"))",
            ),
            ReservedContainer { span, name } => D::new(
                Code::ReservedContainer,
                span,
                format!("the chart already has a container named `{name}`"),
                "name taken",
            )
            .help("`launcher` and `dind` are the chart's own containers; choose another name"),
            ReservedVolume { span } => D::new(
                Code::ReservedVolume,
                span,
                "`launcher-storage` is the chart's storage volume",
                "name taken",
            )
            .help(
                "set the pool's storage with a `storage` block, or give this volume another \
                    name",
            ),
            CredentialInField {
                span,
                field,
                context,
            } => D::new(
                Code::CredentialInField,
                span,
                format!("a credential is written into `{field}` in {context}"),
                "this holds the pool's token or private key, or part of it",
            )
            .help(
                "the manifests would show it in clear; a credential belongs in `credentials` \
                    only (or, with `credentials external`, in the launcher's SPACELIFT_TOKEN \
                    and SPACELIFT_POOL_PRIVATE_KEY)",
            ),
        };
        d.into()
    }
}

/// Whitespace in the token, with help that fits where the text came from,
/// and the label on the text itself when it was written in a `let`.
fn token_whitespace(span: Span, written: Written) -> D {
    let message = "the token contains whitespace";
    let label = "whitespace or a line break in the token";
    match written {
        Written::Literal(literal) if literal != span => {
            D::new(Code::TokenWhitespace, literal, message, label)
                .also(span, "used as the token here")
                .help("remove the spaces and line breaks from the `let`'s text")
        }
        Written::Literal(_) => D::new(Code::TokenWhitespace, span, message, label)
            .help("remove the spaces and line breaks: a token is one word"),
        Written::Heredoc(heredoc) => {
            let d = D::new(Code::TokenWhitespace, heredoc, message, label)
                .help(
                    "a heredoc ends with a line break: write the token as a quoted string, or \
                    wrap the heredoc in trimspace(...)",
                )
                .fix(Some(trimspace(heredoc)));
            if heredoc == span {
                d
            } else {
                d.also(span, "used as the token here")
            }
        }
        Written::File => D::new(Code::TokenWhitespace, span, message, label)
            .help("a file read with file(...) keeps its final newline: wrap it in trimspace(...)")
            .fix(Some(trimspace(span))),
        Written::Env => D::new(Code::TokenWhitespace, span, message, label)
            .help(
                "the environment variable's value has whitespace: fix it, or wrap env(...) in \
                trimspace(...)",
            )
            .fix(Some(trimspace(span))),
        Written::Computed => D::new(Code::TokenWhitespace, span, message, label)
            .help("remove the whitespace, or wrap the value in trimspace(...)")
            .fix(Some(trimspace(span))),
    }
}

/// The fix of a token read with its whitespace: `trimspace(...)` around it.
fn trimspace(span: Span) -> Fix {
    Fix::surround("Wrap in trimspace(...)", span, "trimspace(", ")")
}
