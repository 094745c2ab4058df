//! Every pool field and what it becomes on the operator: the counterpart of
//! the chart's `chart::values::MAPPING`. The renderer writes each field at
//! its paths here; the checker reports, from the same rows, what has no
//! counterpart; docs/operator.md shows the table to users. Paths are dotted
//! from the WorkerPool's root.

use super::{CONTAINER_FIELDS, RUN_CONTAINERS};

/// What a pool field becomes on the operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnOperator {
    /// Written at these WorkerPool paths.
    At(&'static [&'static str]),
    /// Only the operator has it (an error on the chart); written at these paths.
    Only(&'static [&'static str]),
    /// Written into an object poolc writes beside the WorkerPool.
    Beside(&'static str),
    /// Means nothing to the operator: left out, with a warning saying why.
    Inert(&'static str),
    /// Changes what runs do and has no counterpart: an error.
    Unsupported,
    /// A launcher container setting, which the operator splits across its
    /// init, grpc and worker containers: an error until one is chosen.
    Ambiguous,
    /// Chooses the target itself.
    Target,
}

use OnOperator::*;

pub struct Mapping {
    /// The pool field, dotted for a block's fields (`launcher.image`).
    pub field: &'static str,
    pub on_operator: OnOperator,
}

const fn row(field: &'static str, on_operator: OnOperator) -> Mapping {
    Mapping { field, on_operator }
}

const NAMED_AFTER_THE_POOL: &str = "the operator's objects are named after the pool";

/// Every pool field (but the launcher's typed settings, whose destinations
/// are `super::LAUNCHER_VARIABLES`, and the fields of the `worker`, `init`
/// and `grpc` blocks, which are `super::CONTAINER_FIELDS` of each).
pub const MAPPING: &[Mapping] = &[
    row("target", Target),
    row(
        "workload",
        Inert("there is no Deployment or StatefulSet: the operator starts a pod per run"),
    ),
    row("replicas", At(&["spec.poolSize"])),
    row(
        "termination_grace_period",
        At(&["spec.pod.terminationGracePeriodSeconds"]),
    ),
    row(
        "revision_history_limit",
        Inert("there is no Deployment whose revisions are kept"),
    ),
    row("name_override", Inert(NAMED_AFTER_THE_POOL)),
    row("fullname_override", Inert(NAMED_AFTER_THE_POOL)),
    row("labels", At(&["metadata.labels"])),
    row("annotations", At(&["metadata.annotations"])),
    row("pod_labels", At(&["spec.pod.labels"])),
    row("pod_annotations", At(&["spec.pod.annotations"])),
    row("pod_security_context", At(&["spec.pod.securityContext"])),
    row("image_pull_secrets", At(&["spec.pod.imagePullSecrets"])),
    row("service_account", At(&["spec.pod.serviceAccountName"])),
    row("service_account.name", At(&["spec.pod.serviceAccountName"])),
    row("service_account.annotations", Beside("ServiceAccount")),
    row("credentials", At(&["spec.token", "spec.privateKey"])),
    row("credentials.token", Beside("Secret")),
    row("credentials.private_key", Beside("Secret")),
    row("credentials.space", Only(&["spec.space"])),
    row("credentials.description", Only(&["spec.description"])),
    row(
        "credentials.drift_detection_runs",
        Only(&["spec.driftDetectionRunLimits"]),
    ),
    row("launcher", At(&[])),
    row("launcher.image", At(&["spec.pod.launcherImage"])),
    row(
        "launcher.pull_policy",
        At(&[
            "spec.pod.initContainer.imagePullPolicy",
            "spec.pod.grpcServerContainer.imagePullPolicy",
        ]),
    ),
    row("launcher.resources", Ambiguous),
    row("launcher.security_context", Ambiguous),
    row("launcher.env", Ambiguous),
    row("launcher.env_from", Ambiguous),
    row("launcher.volume_mounts", Ambiguous),
    row("dind", Unsupported),
    row("dind.image", Unsupported),
    row("dind.pull_policy", Unsupported),
    row("dind.resources", Unsupported),
    row("dind.env", Unsupported),
    row("dind.env_from", Unsupported),
    row("dind.volume_mounts", Unsupported),
    row(
        "extra_containers",
        At(&["spec.pod.additionalSidecarContainers"]),
    ),
    row("volumes", At(&["spec.pod.volumes"])),
    row("storage", At(&["spec.pod.workspaceVolume"])),
    row("node_selector", At(&["spec.pod.nodeSelector"])),
    row("tolerations", At(&["spec.pod.tolerations"])),
    row("affinity", At(&["spec.pod.affinity"])),
    row(
        "topology_spread_constraints",
        At(&["spec.pod.topologySpreadConstraints"]),
    ),
    row("worker", Only(&["spec.pod.workerContainer"])),
    row("init", Only(&["spec.pod.initContainer"])),
    row("grpc", Only(&["spec.pod.grpcServerContainer"])),
    row("binaries_cache", Only(&["spec.pod.binariesCacheVolume"])),
    row("pod_history", Only(&[])),
    row(
        "pod_history.keep_successful",
        Only(&["spec.successfulPodsHistoryLimit"]),
    ),
    row(
        "pod_history.keep_failed",
        Only(&["spec.failedPodsHistoryLimit"]),
    ),
    row(
        "pod_history.successful_ttl",
        Only(&["spec.successfulPodsHistoryTTL"]),
    ),
    row(
        "pod_history.failed_ttl",
        Only(&["spec.failedPodsHistoryTTL"]),
    ),
    row("runtime_class", Only(&["spec.pod.runtimeClassName"])),
    row(
        "allowed_runner_image_hosts",
        Only(&["spec.allowedRunnerImageHosts"]),
    ),
    row(
        "custom_binaries_path",
        Only(&["spec.pod.customBinariesPath"]),
    ),
];

/// What a pool field becomes on the operator; the fields of the built-in
/// container blocks (`worker.resources`) are operator-only like their block.
pub fn on_operator(field: &str) -> Option<OnOperator> {
    if let Some(row) = MAPPING.iter().find(|m| m.field == field) {
        return Some(row.on_operator);
    }
    let (block, inner) = field.split_once('.')?;
    let is_container = RUN_CONTAINERS.iter().any(|c| c.block == block);
    let is_field = CONTAINER_FIELDS.iter().any(|(f, _)| *f == inner);
    (is_container && is_field).then_some(Only(&[]))
}

/// The WorkerPool paths a field is written at.
pub fn paths(field: &str) -> &'static [&'static str] {
    match on_operator(field) {
        Some(At(paths) | Only(paths)) => paths,
        _ => &[],
    }
}

/// The WorkerPool path a field is written at (its first, for a field
/// written at several).
pub fn path(field: &str) -> &'static str {
    paths(field).first().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::crd;

    #[test]
    fn every_path_is_a_field_of_the_crd() {
        for mapping in MAPPING {
            let (At(paths) | Only(paths)) = mapping.on_operator else {
                continue;
            };
            for path in paths {
                let steps: Vec<&str> = path.split('.').collect();
                // The root's metadata is ObjectMeta, not described by the CRD.
                let checked = if steps[0] == "metadata" {
                    &steps[..1]
                } else {
                    &steps[..]
                };
                assert!(
                    crd::schema_at(checked).is_some(),
                    "{}: {path}",
                    mapping.field
                );
            }
        }
    }

    #[test]
    fn fields_are_listed_once() {
        for (i, a) in MAPPING.iter().enumerate() {
            assert!(
                MAPPING[i + 1..].iter().all(|b| b.field != a.field),
                "{}",
                a.field
            );
        }
    }

    /// docs/operator.md shows users every row: each field's name is a
    /// word of the code in its tables' rows.
    #[test]
    fn every_field_is_in_the_users_table() {
        let doc = include_str!("../../docs/operator.md");
        let words: Vec<&str> = doc
            .lines()
            .filter(|l| l.starts_with("| `"))
            .flat_map(|row| row.split('`').skip(1).step_by(2))
            .flat_map(|code| code.split(|c: char| !(c.is_alphanumeric() || c == '_')))
            .collect();
        for mapping in MAPPING {
            for name in mapping.field.split('.') {
                assert!(words.contains(&name), "{}: `{name}`", mapping.field);
            }
        }
    }

    #[test]
    fn container_fields_are_operator_only() {
        assert_eq!(on_operator("worker.resources"), Some(Only(&[])));
        assert_eq!(on_operator("worker.image"), None);
        assert_eq!(on_operator("dind.env"), Some(Unsupported));
        assert_eq!(path("tolerations"), "spec.pod.tolerations");
        assert_eq!(path("dind"), "");
    }
}
