//! The operator target: what a pool asks for that a WorkerPool cannot do
//! (with the migration that replaces it), settings on the wrong target,
//! and what the WorkerPool CRD would refuse or silently prune.
//! docs/operator.md explains the migrations the help lines point to.

use super::D;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::span::Span;

/// How a pool came to its target, shown beside a problem that exists only
/// on that target.
#[derive(Clone, Copy, Debug)]
pub struct TargetChoice {
    /// `target = ...`, where written (in the pool or a template).
    pub written: Option<Span>,
    /// `--target` on the command line chose it.
    pub by_command_line: bool,
}

#[derive(Clone, Debug)]
pub enum OperatorProblem {
    DindOnOperator {
        span: Span,
        chosen: TargetChoice,
    },
    ClaimOnOperator {
        span: Span,
        chosen: TargetChoice,
    },
    DockerOnlySetting {
        span: Span,
        setting: &'static str,
        variable: &'static str,
        chosen: TargetChoice,
    },
    CredentialsOnlyInEnv {
        span: Span,
        chosen: TargetChoice,
    },
    AmbiguousContainer {
        span: Span,
        field: String,
        chosen: TargetChoice,
    },
    OperatorOnly {
        span: Span,
        field: String,
        chosen: TargetChoice,
    },
    PrunedField {
        span: Span,
        field: String,
        path: String,
        kubernetes: &'static str,
    },
    CrdViolation {
        span: Span,
        path: String,
        reason: String,
    },
    ReservedContainer {
        span: Span,
        name: String,
    },
    ReservedVolume {
        span: Span,
        name: &'static str,
        field: &'static str,
    },
    BadValue {
        span: Span,
        field: &'static str,
        reason: String,
    },
    InertOnOperator {
        span: Span,
        field: String,
        why: &'static str,
    },
    PinnedLauncherImage {
        span: Span,
    },
    ChartPodLabel {
        span: Span,
        key: String,
    },
}

/// Where the target was chosen, and the way back to the chart.
fn on_operator(d: D, chosen: TargetChoice) -> D {
    let mut d = match chosen.written {
        Some(span) => d.also(span, "the pool targets the operator here"),
        None => d,
    };
    if chosen.by_command_line {
        d.help = d
            .help
            .map(|help| format!("{help}; (the target comes from `--target operator`)"));
    }
    d
}

impl From<OperatorProblem> for Diagnostic {
    fn from(problem: OperatorProblem) -> Diagnostic {
        use OperatorProblem::*;
        let d = match problem {
            DindOnOperator { span, chosen } => on_operator(
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
                chosen,
            ),
            ClaimOnOperator { span, chosen } => on_operator(
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
                chosen,
            ),
            DockerOnlySetting {
                span,
                setting,
                variable,
                chosen,
            } => on_operator(
                D::new(
                    Code::DockerOnlySetting,
                    span,
                    format!("`{setting}` ({variable}) configures Docker, which the operator does not use"),
                    "no counterpart on the operator",
                )
                .help(
                    "remove it; runs are pods: registry credentials go in `image_pull_secrets`, \
                    mounts in `volumes` and `worker { volume_mounts }`, variables in \
                    `worker { env }`",
                ),
                chosen,
            ),
            CredentialsOnlyInEnv { span, chosen } => on_operator(
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
                chosen,
            ),
            AmbiguousContainer {
                span,
                field,
                chosen,
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
                chosen,
            ),
            OperatorOnly {
                span,
                field,
                chosen,
            } => {
                let d = D::new(
                    Code::OperatorOnly,
                    span,
                    format!("`{field}` is a setting of the operator target"),
                    "the chart has no counterpart",
                );
                let d = match chosen.written {
                    Some(span) => d.also(span, "the pool targets the chart here"),
                    None => d,
                };
                if chosen.by_command_line {
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
                reason,
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
            .help(format!("{why}; remove it when the pool has moved to the operator")),
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
