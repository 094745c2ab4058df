//! The operator target: what a pool asks for that a WorkerPool cannot do
//! (with the migration that replaces it), settings on the wrong target,
//! and what the WorkerPool CRD would refuse or silently prune.
//! docs/operator.md explains the migrations the help lines point to.

use super::D;
use crate::diagnostics::{Code, Diagnostic, Quoted};
use crate::syntax::span::Span;

#[derive(Clone, Debug)]
pub enum OperatorProblem {
    DindOnOperator {
        span: Span,
        by_command_line: bool,
    },
    ClaimOnOperator {
        span: Span,
        by_command_line: bool,
    },
    DockerOnlySetting {
        span: Span,
        setting: &'static str,
        variable: &'static str,
        by_command_line: bool,
    },
    CredentialsOnlyInEnv {
        span: Span,
        by_command_line: bool,
    },
    AmbiguousContainer {
        span: Span,
        field: Quoted,
        by_command_line: bool,
    },
    OperatorOnly {
        span: Span,
        field: Quoted,
        by_command_line: bool,
    },
    PrunedField {
        span: Span,
        field: Quoted,
        path: Quoted,
        kubernetes: &'static str,
    },
    CrdViolation {
        span: Span,
        path: Quoted,
        reason: Quoted,
    },
    ReservedContainer {
        span: Span,
        name: Quoted,
    },
    ReservedVolume {
        span: Span,
        name: &'static str,
        field: &'static str,
    },
    BadValue {
        span: Span,
        field: &'static str,
        reason: &'static str,
    },
    InertOnOperator {
        span: Span,
        field: Quoted,
        why: &'static str,
    },
    PinnedLauncherImage {
        span: Span,
    },
    ChartPodLabel {
        span: Span,
        key: Quoted,
    },
}

/// A problem of the operator target, which `--target operator` may have
/// by_command_line for a pool written for the chart: then the help says so.
fn on_operator(mut d: D, by_command_line: bool) -> D {
    if by_command_line {
        d.help = d
            .help
            .map(|help| format!("{help} (the target was set by `--target operator`)"));
    }
    d
}

impl From<OperatorProblem> for Diagnostic {
    fn from(problem: OperatorProblem) -> Diagnostic {
        use OperatorProblem::*;
        let d = match problem {
            DindOnOperator {
                span,
                by_command_line,
            } => on_operator(
                D::new(
                    Code::DindOnOperator,
                    span,
                    "the operator runs no Docker-in-Docker",
                    "`dind` has no counterpart",
                )
                .help(
                    "runs are pods of their own, with no Docker daemon; remove `dind`, or, if a \
                    stack needs Docker, run a daemon as a sidecar in `extra_containers` and set \
                    DOCKER_HOST in `worker { env }` (docs/operator.md)",
                ),
                by_command_line,
            ),
            ClaimOnOperator {
                span,
                by_command_line,
            } => on_operator(
                D::new(
                    Code::ClaimOnOperator,
                    span,
                    "the operator has no per-worker volume claims",
                    "a claim template per pod",
                )
                .help(
                    "each run gets a fresh pod; use `storage ephemeral { ... }` for a volume that \
                    lives as long as the run",
                ),
                by_command_line,
            ),
            DockerOnlySetting {
                span,
                setting,
                variable,
                by_command_line,
            } => on_operator(
                D::new(
                    Code::DockerOnlySetting,
                    span,
                    format!(
                        "`{setting}` ({variable}) configures Docker, which the operator does not \
                        use"
                    ),
                    "no counterpart on the operator",
                )
                .help(
                    "remove it; runs are pods: registry credentials go in `image_pull_secrets`, \
                    mounts in `volumes` and `worker { volume_mounts }`, variables in \
                    `worker { env }`",
                ),
                by_command_line,
            ),
            CredentialsOnlyInEnv {
                span,
                by_command_line,
            } => on_operator(
                D::new(
                    Code::CredentialsOnlyInEnv,
                    span,
                    "a WorkerPool takes its credentials from a Secret, not from the launcher's env",
                    "credentials given only through env",
                )
                .help(
                    "name the Secret that holds them: `credentials external \"SECRET\"` (keys \
                    `token` and `privateKey`), or write them: `credentials { token = ..., \
                    private_key = ... }`",
                ),
                by_command_line,
            ),
            AmbiguousContainer {
                span,
                field,
                by_command_line,
            } => on_operator(
                D::new(
                    Code::AmbiguousContainer,
                    span,
                    format!("the launcher's `{field}` has no single counterpart on the operator"),
                    "which container?",
                )
                .help(format!(
                    "a run pod has three containers: say which one in `init {{ {field} = ... }}`, \
                    `grpc {{ {field} = ... }}` or `worker {{ {field} = ... }}` (the worker runs \
                    the IaC tool) and remove it from `launcher`"
                )),
                by_command_line,
            ),
            OperatorOnly {
                span,
                field,
                by_command_line,
            } => {
                let d = D::new(
                    Code::OperatorOnly,
                    span,
                    format!("`{field}` is a setting of the operator target"),
                    "the chart has no counterpart",
                );
                if by_command_line {
                    d.help("the chart target comes from `--target chart`; remove this for it")
                } else {
                    d.help("add `target = operator` to the pool, or remove this")
                }
            }
            PrunedField {
                span,
                field,
                path,
                kubernetes,
            } => D::new(
                Code::PrunedField,
                span,
                format!("`{field}` is not a field of the WorkerPool CRD at `{path}`"),
                "the API server would drop it silently",
            )
            .help(format!(
                "the CRD embeds the Kubernetes {kubernetes} types; this field is newer or \
                unknown to it. Remove it, or keep this pool on the chart"
            )),
            CrdViolation { span, path, reason } => D::new(
                Code::CrdViolation,
                span,
                format!("the WorkerPool CRD refuses `{path}`"),
                reason.reason(),
            )
            .help("the API server would reject the WorkerPool; docs/operator.md lists its rules"),
            ReservedContainer { span, name } => D::new(
                Code::ReservedRunContainer,
                span,
                format!("the run pod already has a container named `{name}`"),
                "name taken",
            )
            .help(
                "`init`, `launcher-grpc` and `worker` are the operator's own containers; \
                configure them in `init`, `grpc` and `worker` blocks, or choose another name",
            ),
            ReservedVolume { span, name, field } => D::new(
                Code::ReservedRunVolume,
                span,
                format!("`{name}` is the name poolc gives the run pod's {field}"),
                "name taken",
            )
            .help("give this volume another name"),
            BadValue {
                span,
                field,
                reason,
            } => D::new(
                Code::BadOperatorValue,
                span,
                format!("invalid value for `{field}`"),
                reason,
            )
            .help("docs/operator.md lists the operator's settings and the values they take"),
            InertOnOperator { span, field, why } => D::new(
                Code::InertOnOperator,
                span,
                format!("`{field}` means nothing on the operator"),
                "ignored on this target",
            )
            .help(format!(
                "{why}; remove it when the pool has moved to the operator"
            )),
            PinnedLauncherImage { span } => D::new(
                Code::PinnedLauncherImage,
                span,
                "the launcher image pins the run pods' init and grpc containers",
                "the backend would choose a compatible version",
            )
            .help(
                "Spacelift advises against pinning `launcherImage`: runs can become \
                incompatible with the backend. Remove `image` unless you mirror the image",
            ),
            ChartPodLabel { span, key } => D::new(
                Code::ChartPodLabel,
                span,
                format!("this selector matches `{key}`, a label only the chart's pods carry"),
                "selects nothing on the operator",
            )
            .help(format!(
                "the operator's run pods carry only `pod_labels`: add `{key}` to `pod_labels`, \
                or select on a label of your own"
            )),
        };
        d.into()
    }
}
